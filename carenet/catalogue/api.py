"""JSON API of the catalogues: comuni, qualifications and vocabularies (public)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from carenet.assistants.display import qualification_name
from carenet.catalogue import schemas
from carenet.catalogue.presenters import present_comune
from carenet.catalogue.services import describe, list_qualifications
from carenet.core import vocab
from carenet.core.api import Blueprint, ErrorSchema, provides
from carenet.core.db import db
from carenet.core.errors import NotFound
from carenet.gazetteer import UnknownComune, get_gazetteer

blp = Blueprint("catalogue_api", __name__, url_prefix="/api/v1", description="catalogues")


@blp.get("/municipalities")
@blp.arguments(schemas.CatalogueMunicipalityQuery, location="query", as_kwargs=True)
@blp.response(200, schemas.CatalogueMunicipalitySchema(many=True))
@provides(blp, 200, istat="/0/istat")
@blp.alt_response(422, schema=ErrorSchema, description="Error")
def search_municipalities(q: str, limit: int) -> list[dict[str, Any]]:
    """Comuni whose name starts with ``q`` (autocomplete), the most populous first.

    A former comune's name finds its successor, with a note saying what became of it.
    """
    return [present_comune(describe(r)) for r in get_gazetteer().suggest(q, limit=limit)]


@blp.get("/municipalities/<istat>")
@blp.response(200, schemas.CatalogueMunicipalityDetailSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Error")
def get_municipality(istat: str) -> dict[str, Any]:
    """One comune by ISTAT code, with its neighbours; a ceased comune's code gives its successor."""
    try:
        resolution = get_gazetteer().resolve_code(istat) if len(istat) <= 6 else None
    except UnknownComune:
        resolution = None
    if resolution is None:
        raise NotFound(_("No comune has ISTAT code %(code)r.", code=istat[:20]))
    return present_comune(describe(resolution), neighbours=True)


@blp.get("/qualifications")
@blp.response(200, schemas.CatalogueQualificationSchema(many=True))
def list_catalogue_qualifications() -> list[dict[str, Any]]:
    """The qualification catalogue, named in Italian and English; legacy ones marked."""
    return [
        {
            "code": q.code,
            "name": qualification_name(q),
            "name_it": q.name_it,
            "name_en": q.name_en,
            "is_trained": q.is_trained,
            "is_legacy": q.is_legacy,
        }
        for q in list_qualifications(db.session)
    ]


def _terms(codes: tuple[str, ...], labels: dict[str, Any] | None = None) -> list[dict[str, str]]:
    return [{"code": c, "label": str((labels or {}).get(c, c))} for c in codes]


@blp.get("/vocabularies")
@blp.response(200, schemas.CatalogueVocabulariesSchema)
def get_vocabularies() -> dict[str, Any]:
    """Arrangements, conditions, languages and levels, labelled in the request's language."""
    return {
        "arrangements": _terms(vocab.ARRANGEMENTS, vocab.ARRANGEMENT_LABELS),
        "conditions": _terms(vocab.CONDITIONS, vocab.CONDITION_LABELS),
        "languages": _terms(vocab.LANGUAGES, vocab.LANGUAGE_LABELS),
        "language_levels": _terms(vocab.LANGUAGE_LEVELS),
        "genders": _terms(vocab.GENDERS, vocab.GENDER_LABELS),
        "assistant_statuses": _terms(vocab.ASSISTANT_STATUSES, vocab.ASSISTANT_STATUS_LABELS),
        "document_kinds": _terms(vocab.DOCUMENT_KINDS, vocab.DOCUMENT_KIND_LABELS),
    }
