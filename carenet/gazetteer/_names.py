"""Normalised forms of place names for case-, accent- and punctuation-insensitive matching."""

from __future__ import annotations

import re

from unidecode import unidecode

# Apostrophes (typed and typographic), hyphens, slashes, dots and commas separate words.
_SEPARATORS = re.compile(r"['’‘`´\-‐–—/.,()]+")
# Forms of "saint" that people abbreviate as "S.": San, Santa, Santo, Sant', S.
_SAINT = frozenset({"s", "san", "santa", "santo", "sant", "sta", "sto"})


def name_key(name: str) -> str:
    """Lower-case ASCII words of a name: 'Cerreto d’Esi' -> 'cerreto d esi'."""
    return " ".join(_SEPARATORS.sub(" ", unidecode(name).lower()).split())


def short_key(key: str) -> str:
    """A name key with every form of 'saint' reduced to 's' ('sant ambrogio' -> 's ambrogio')."""
    return " ".join("s" if word in _SAINT else word for word in key.split())


def alias_keys(name: str) -> set[str]:
    """Every key a name answers to: the whole name and each part of a bilingual name."""
    keys = {name_key(name)}
    if "/" in name:
        keys.update(name_key(part) for part in name.split("/") if part.strip())
    keys.discard("")
    return keys


def has_accents(text: str) -> bool:
    """Whether a text holds characters outside ASCII (the user typed accents on purpose)."""
    return not text.isascii()
