"""Match results as plain dicts for the API and the pages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale

from carenet.care_requests.models import CareRequest
from carenet.core.vocab import LANGUAGE_LABELS, LANGUAGES
from carenet.jobs.models import Job
from carenet.matchmaking.messages import COMPONENT_LABELS, FILTER_LABELS
from carenet.matchmaking.services import RankedCandidate, WhyNot, live_index
from carenet.proposals.models import Proposal
from matching import COMPONENTS, Demand


def present_candidate(item: RankedCandidate) -> dict[str, Any]:
    """One ranked assistant with every component."""
    row = item.assistant
    return {
        "rank": item.rank,
        "assistant_id": item.match.id,
        "display_name": row.display_name,
        "score": item.match.score,
        "distance_km": item.match.distance_km,
        "components": dict(item.match.components),
        "place": {
            "municipality": row.municipality,
            "province": row.province,
            "lat": row.lat,
            "lon": row.lon,
        },
        "proposal_status": item.proposal_status,
    }


def present_result(
    request: CareRequest, demand: Demand, items: list[RankedCandidate]
) -> dict[str, Any]:
    """The ranked list with the family's place and the weights used."""
    weights = live_index().rules.weights.normalised().tolist()
    return {
        "request_id": request.id,
        "family": {
            "lat": demand.lat,
            "lon": demand.lon,
            "max_distance_km": demand.max_distance_km,
        },
        "weights": dict(zip(COMPONENTS, weights, strict=True)),
        "items": [present_candidate(i) for i in items],
    }


def present_why_not(request: CareRequest, why: WhyNot) -> dict[str, Any]:
    """An explanation for the API and the page."""
    e = why.explanation
    return {
        "request_id": request.id,
        "assistant_id": e.candidate_id,
        "display_name": why.assistant.display_name,
        "eligible": e.eligible,
        "code": e.code,
        "reason": why.reason,
        "distance_km": e.distance_km,
        "score": e.score,
        "components": dict(e.components) if e.components is not None else None,
    }


def present_run(job: Job, drafts: list[Proposal]) -> dict[str, Any]:
    """A bulk run with its drafts."""
    return {
        "job_id": job.id,
        "status": job.status,
        "result": dict(job.result or {}),
        "drafts": [
            {
                "proposal_id": p.id,
                "request_id": p.request_id,
                "assistant_id": p.assistant_id,
                "display_name": p.assistant.display_name,
                "score": p.score,
                "distance_km": p.distance_km,
                "components": dict(p.components or {}),
            }
            for p in drafts
        ],
    }


# -- the match page ---------------------------------------------------------------------

# The map: an SVG square centred on the family, the maximum distance at MAP_RADIUS px.
MAP_SIZE = 440
MAP_RADIUS = 190
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320


@dataclass(frozen=True)
class MapPoint:
    """A ranked assistant's municipality on the map."""

    x: float
    y: float
    rank: int
    label: str


def map_points(demand: Demand, items: list[dict[str, Any]]) -> list[MapPoint]:
    """Equirectangular projection around the family: fine at a region's scale."""
    scale = MAP_RADIUS / max(demand.max_distance_km, 1.0)
    cos_lat = math.cos(math.radians(demand.lat))
    centre = MAP_SIZE / 2
    points = []
    for item in items:
        place = item["place"]
        dx = (place["lon"] - demand.lon) * KM_PER_DEGREE_LON_EQUATOR * cos_lat
        dy = (place["lat"] - demand.lat) * KM_PER_DEGREE_LAT
        label = f"{item['rank']}. {item['display_name']}, {place['municipality']}"
        label += f" ({item['distance_km']:.1f} km)"
        points.append(
            MapPoint(
                round(centre + dx * scale, 1), round(centre - dy * scale, 1), item["rank"], label
            )
        )
    return points


@dataclass
class MatchPage:
    """The match page's ranking (with its map) and "why not" answer, and its status: 422
    for input that could not be read, 409 when the request cannot be matched now."""

    result: dict[str, Any] | None = None
    points: list[MapPoint] = field(default_factory=list)
    conflict: str | None = None
    why: dict[str, Any] | None = None
    why_error: str | None = None
    status: int = 200

    def rank(self, request: CareRequest, demand: Demand, items: list[RankedCandidate]) -> None:
        """Show a ranking and its map."""
        self.result = present_result(request, demand, items)
        self.points = map_points(demand, self.result["items"])


def present_match_page(page: MatchPage) -> dict[str, Any]:
    """The match template's arguments besides the request and the filters."""
    return {
        "result": page.result,
        "points": page.points,
        "conflict": page.conflict,
        "why": page.why,
        "why_error": page.why_error,
        "components": COMPONENTS,
        "component_labels": COMPONENT_LABELS,
        "filter_labels": FILTER_LABELS,
        "languages": [(code, LANGUAGE_LABELS.get(code, code)) for code in LANGUAGES],
        "map_size": MAP_SIZE,
        "map_radius": MAP_RADIUS,
        "locale": "en" if str(get_locale()).startswith("en") else "it",
    }
