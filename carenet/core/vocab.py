"""Controlled vocabularies shared by the service and the matching engine, with labels.

The codes are stored in the database (check constraints are built from these tuples
with :func:`sql_in`) and exchanged with the engine; the labels are translatable and only
used for display. The codes the engine computes with (arrangements, CCNL levels) are
declared once, in :mod:`matching`, and only re-exported here: the engine never imports
carenet.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matching import ARRANGEMENTS as ARRANGEMENTS
from matching import contract

# Interface languages an account can keep (the LANGUAGES setting offers some of them).
LOCALES = ("it", "en")

ROLES = ("family", "assistant", "operator", "admin")
ROLE_LABELS = {
    "family": _l("Family"),
    "assistant": _l("Family assistant"),
    "operator": _l("Operator"),
    "admin": _l("Administrator"),
}

ORGANIZATION_KINDS = (
    "cpi",
    "social_services",
    "health_authority",
    "municipality",
    "agency",
    "region",
)
ORGANIZATION_KIND_LABELS = {
    "cpi": _l("Employment centre (CPI)"),
    "social_services": _l("Social-services body (Ente gestore)"),
    "health_authority": _l("Health authority (ASL)"),
    "municipality": _l("Municipality (Comune)"),
    "agency": _l("Accredited agency"),
    "region": _l("Region"),
}

ARRANGEMENT_LABELS = {
    "live_in": _l("Live-in"),
    "hourly": _l("Hourly"),
    "night": _l("Night assistance"),
}

ASSISTANT_STATUSES = ("pending", "verified", "suspended")
ASSISTANT_STATUS_LABELS = {
    "pending": _l("Pending verification"),
    "verified": _l("Verified"),
    "suspended": _l("Suspended"),
}

GENDERS = ("f", "m", "x")
GENDER_LABELS = {"f": _l("Female"), "m": _l("Male"), "x": _l("Other / not stated")}
GENDER_PREFERENCES = ("none", "preferred", "required")
GENDER_PREFERENCE_LABELS = {
    "none": _l("No preference"),
    "preferred": _l("Preferred"),
    "required": _l("Required"),
}

CCNL_LEVELS = contract.LEVELS
CCNL_LEVEL_LABELS = {
    "BS": _l("BS: care of self-sufficient people"),
    "CS": _l("CS: care of non-self-sufficient people (untrained)"),
    "DS": _l("DS: care of non-self-sufficient people (trained)"),
}

SELF_SUFFICIENCY = ("self_sufficient", "partially", "non_self_sufficient")
SELF_SUFFICIENCY_LABELS = {
    "self_sufficient": _l("Self-sufficient"),
    "partially": _l("Partially self-sufficient"),
    "non_self_sufficient": _l("Not self-sufficient"),
}

AGE_BANDS = ("0-17", "18-64", "65-74", "75-84", "85+")

CONDITIONS = ("dementia", "parkinson", "disability", "children", "stroke", "mobility", "palliative")
CONDITION_LABELS = {
    "dementia": _l("Dementia / Alzheimer's"),
    "parkinson": _l("Parkinson's disease"),
    "disability": _l("Disability"),
    "children": _l("Children"),
    "stroke": _l("After a stroke"),
    "mobility": _l("Reduced mobility"),
    "palliative": _l("Palliative care"),
}

LANGUAGES = ("it", "ro", "uk", "ru", "es", "ar", "tl", "en", "fr", "sq", "pl", "pt")
LANGUAGE_LABELS = {
    "it": _l("Italian"),
    "ro": _l("Romanian"),
    "uk": _l("Ukrainian"),
    "ru": _l("Russian"),
    "es": _l("Spanish"),
    "ar": _l("Arabic"),
    "tl": _l("Tagalog"),
    "en": _l("English"),
    "fr": _l("French"),
    "sq": _l("Albanian"),
    "pl": _l("Polish"),
    "pt": _l("Portuguese"),
}
LANGUAGE_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

REQUEST_STATUSES = ("draft", "open", "matching", "proposed", "placed", "closed", "cancelled")
REQUEST_STATUS_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "matching": _l("Matching"),
    "proposed": _l("Proposed"),
    "placed": _l("Placed"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
}

DOCUMENT_KINDS = ("residence_permit", "identity_card", "passport")
DOCUMENT_KIND_LABELS = {
    "residence_permit": _l("Residence permit"),
    "identity_card": _l("Identity card"),
    "passport": _l("Passport"),
}

# The qualification catalogue as the migrations seed it: code -> (it, en, legacy). Which
# ones make an assistant trained (CCNL level DS) is matching.contract.TRAINED_QUALIFICATIONS.
QUALIFICATIONS = {
    "oss": ("Operatore socio-sanitario (OSS)", "Social-health worker (OSS)", False),
    "osa": ("Operatore socio-assistenziale (OSA)", "Social-care worker (OSA)", False),
    "assistente_familiare": (
        "Attestato regionale di assistente familiare",
        "Regional family-assistant certificate",
        False,
    ),
    "nurse": ("Infermiere", "Nurse", False),
    "first_aid": ("Primo soccorso", "First aid", False),
    "dementia_care": ("Formazione assistenza demenze", "Dementia-care training", False),
    "driving_licence": ("Patente di guida", "Driving licence", False),
    "adest": (
        "Assistente domiciliare e dei servizi tutelari (ADEST, qualifica sostituita dall'OSS "
        "nel 2001)",
        "Home-care and protective-services assistant (ADEST, legacy: replaced by OSS in 2001)",
        True,
    ),
    "ota": (
        "Operatore tecnico addetto all'assistenza (OTA, qualifica sostituita dall'OSS nel 2001)",
        "Care technical operator (OTA, legacy: replaced by OSS in 2001)",
        True,
    ),
}


def sql_in(values: tuple[str, ...]) -> str:
    """A SQL ``IN`` list of string literals for a check constraint."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"
