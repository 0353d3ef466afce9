"""The base of every response schema: it documents what a presenter builds, and refuses
to dump a presenter's dict whose keys differ from it.

Presenters (``<feature>/presenters.py``) build each response as a dict, because what a
reader sees depends on who reads (field rules, audited health reads) and marshmallow
has no per-dump context for that. The schema is then the response's documentation;
without this check a key a presenter adds but the schema lacks would be dropped from
the JSON in silence, and a required field the presenter forgot would go missing. With
it, the first test that calls the endpoint fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma


class ShapeMismatch(RuntimeError):
    """A presenter's dict and its response schema name different fields."""


class ResponseSchema(ma.Schema):
    """A response shape; dumps only dicts that have each of its required fields and
    nothing it does not declare (optional fields may be left out: the field rules omit
    what a reader may not see)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._declared = frozenset(self.dump_fields)
        self._required = frozenset(n for n, f in self.dump_fields.items() if f.required)

    @ma.pre_dump
    def _same_fields(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, Mapping):
            keys = data.keys()
            if not (keys <= self._declared and self._required <= keys):
                raise ShapeMismatch(
                    f"{type(self).__name__}: the presenter gives "
                    f"{sorted(keys - self._declared)} it does not declare and lacks the "
                    f"required {sorted(self._required - keys)}"
                )
        return data
