"""Bulk assignment for a territory: one background job that assigns the open requests an
organization brokers all at once, maximising the total score with no assistant
double-booked, and leaves the result as draft proposals for the operator to review.

Steps (reported as progress): read the requests and build their demands; rank and solve
(``matching.assign``, exact over each request's top 20); write the drafts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access.policy import BROKER_KINDS, organization_kind, scope_households
from carenet.audit.services import record_health_reads
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.core.db import db
from carenet.core.errors import Conflict, Forbidden, Invalid, NotFound
from carenet.families.models import CareRecipient, Household
from carenet.families.services import HEALTH_FIELDS
from carenet.jobs import services as jobs
from carenet.jobs.models import Job
from carenet.matchmaking.adapter import demand_for
from carenet.matchmaking.services import live_index
from carenet.proposals.models import Proposal
from matching import assign

KIND = "bulk_assignment"
#: Requests in these statuses take part; those with a live proposal are left alone.
BULK_STATUSES = ("open", "matching")
LIVE_PROPOSALS = ("draft", "pending", "accepted")
#: At most this many requests in one run (the oldest first); the rest wait for the next.
MAX_REQUESTS = 5_000
#: Candidates kept per request before solving (the optimum is over these).
TOP_K = 20
STEPS = 4


def eligible_requests(
    session: Session, actor: User, limit: int = MAX_REQUESTS
) -> list[CareRequest]:
    """The requests ``actor``'s organization brokers that are waiting for proposals."""
    busy = sa.select(Proposal.request_id).where(Proposal.status.in_(LIVE_PROPOSALS))
    households = scope_households(sa.select(Household.id), actor)
    stmt = (
        sa.select(CareRequest)
        .join(CareRecipient, CareRecipient.id == CareRequest.recipient_id)
        .where(
            CareRequest.status.in_(BULK_STATUSES),
            CareRecipient.household_id.in_(households),
            CareRequest.id.not_in(busy),
        )
        .order_by(CareRequest.created_at, CareRequest.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def earlier_pairs(session: Session, request_ids: list[int]) -> dict[int, set[int]]:
    """The assistants already proposed for each request, whatever came of it: a family
    who declined someone is not offered her again, and a pair is proposed only once."""
    pairs: dict[int, set[int]] = {}
    for at in range(0, len(request_ids), 500):
        chunk = request_ids[at : at + 500]
        rows = session.execute(
            sa.select(Proposal.request_id, Proposal.assistant_id).where(
                Proposal.request_id.in_(chunk)
            )
        )
        for request_id, assistant_id in rows:
            pairs.setdefault(request_id, set()).add(assistant_id)
    return pairs


def may_run(actor: User) -> bool:
    """Operators of a CPI or an agency run bulk assignments for their organization."""
    return actor.role == "operator" and organization_kind(actor) in BROKER_KINDS


def recent_runs(session: Session, actor: User, limit: int = 10) -> list[Job]:
    """The organization's latest runs, newest first."""
    if actor.organization_id is None:
        return []
    stmt = (
        sa.select(Job)
        .where(Job.kind == KIND, Job.organization_id == actor.organization_id)
        .order_by(Job.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def start(session: Session, actor: User) -> Job:
    """Start a bulk run for ``actor``'s organization (CPI or agency operators)."""
    if not may_run(actor):
        raise Forbidden(_("Only operators of a CPI or an agency can run a bulk assignment."))
    waiting = len(eligible_requests(session, actor, limit=1))
    if not waiting:
        raise Conflict(
            _("No request is waiting for proposals in your organization's cases."),
            {"fields": {"requests": [_("none waiting")]}},
        )
    return jobs.start_job(session, actor, KIND, {"actor_id": actor.id})


@jobs.job_kind(KIND)
def run(job_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """The job: demands, assignment, draft proposals; returns the figures to show."""
    from carenet.proposals.services import create_proposals

    session = db.session
    actor = session.get(User, params["actor_id"])
    if actor is None:
        raise Invalid(_("The operator who started this job no longer exists."))
    requests = eligible_requests(session, actor)
    jobs.report(job_id, 0, STEPS)
    demands = [demand_for(session, r) for r in requests]
    # Each demand is built from the person's health information: one audited read per
    # request, by the operator who started the run, written with the drafts below.
    reads = [
        (r.recipient_id, HEALTH_FIELDS, {"care_request_id": r.id, "job_id": job_id})
        for r in requests
    ]
    jobs.report(job_id, 1, STEPS)
    earlier = earlier_pairs(session, [r.id for r in requests])
    exclude = {j: earlier[r.id] for j, r in enumerate(requests) if r.id in earlier}
    with live_index().use(session) as index:
        # One process: a server's worker must not fork.
        result = assign(index, demands, k=TOP_K, workers=1, exclude=exclude)
    jobs.report(job_id, 2, STEPS)
    session.rollback()  # end the read snapshot before writing (SQLite: one writer)
    jobs.report(job_id, 3, STEPS)
    record_health_reads(session, actor, reads, via=KIND)
    written = 0
    skipped: list[dict[str, Any]] = []
    for demand_index, assistant_id, _score in sorted(result.pairs):
        request = session.get(CareRequest, requests[demand_index].id)
        if request is None:
            continue
        try:
            create_proposals(session, actor, request, [assistant_id], status="draft", job_id=job_id)
        except (Conflict, Invalid, NotFound) as exc:
            # Changed while the run solved (a proposal made by hand, an assistant no
            # longer eligible or no longer in reach): create_proposals checks before it
            # writes, so nothing of this pair was written; the others still are.
            skipped.append(
                {"request_id": request.id, "assistant_id": assistant_id, "reason": exc.message}
            )
            continue
        written += 1
    return {
        "requests": len(requests),
        "proposals": written,
        "skipped": skipped,
        "total_score": round(result.total, 6),
        "greedy_total": round(result.greedy_total, 6),
        "bound": round(result.bound, 6),
        "optimal": bool(result.optimal),
        "gain_over_greedy": round(result.total - result.greedy_total, 6),
        "seconds": round(sum(result.timings.values()), 3),
    }


def drafts(session: Session, actor: User, job: Job) -> list[Proposal]:
    """The draft proposals a run produced, best score first."""
    stmt = (
        sa.select(Proposal)
        .where(Proposal.job_id == job.id, Proposal.status == "draft")
        .order_by(Proposal.score.desc(), Proposal.id)
    )
    return list(session.scalars(stmt))


def get_run(session: Session, actor: User, job_id: int) -> Job:
    """A bulk run ``actor`` may see (its organization's), or 404."""
    job = jobs.get_job(session, actor, job_id)
    if job.kind != KIND:
        raise NotFound(_("Bulk assignment %(id)s not found.", id=job_id))
    return job


def send(
    session: Session, actor: User, job: Job, proposal_ids: list[int], *, ttl: dt.timedelta
) -> None:
    """Send the chosen drafts of ``job`` (each must be one of its drafts; see
    ``send_proposals`` for ``ttl``)."""
    from carenet.proposals.services import send_proposals

    ids = set(proposal_ids)
    mine = {p.id for p in drafts(session, actor, job)}
    unknown = sorted(ids - mine)
    if unknown:
        raise Invalid(
            _("These are not drafts of this run: %(ids)s.", ids=", ".join(map(str, unknown))),
            {"fields": {"proposal_ids": [str(i) for i in unknown]}},
        )
    send_proposals(session, actor, sorted(ids), ttl=ttl)
