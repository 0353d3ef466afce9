"""Match results as plain dicts for the API and the pages."""

from __future__ import annotations

from typing import Any

from carenet.care_requests.models import CareRequest
from carenet.jobs.models import Job
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
