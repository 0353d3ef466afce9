"""Bulk assignment for a territory: a background job, exact and never double-booking,
whose output is draft proposals the operator reviews before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from carenet.jobs.models import Job
from carenet.notifications.models import Notification
from carenet.proposals.models import Proposal
from matching import Schedule
from tests.factories import CUNEO, weekday_hours
from tests.helpers import bearer, count, log_in

pytestmark = pytest.mark.parametrize(
    "config_overrides", [{"JOBS_IMMEDIATE": True, "MAIL_BACKEND": "locmem"}]
)


@pytest.fixture
def network(factories: Any) -> dict[str, Any]:
    """Three mornings requests and one afternoon request in Torino; two assistants who
    can each take one morning (and the afternoon); one request in Cuneo (not ours)."""
    family = factories.UserFactory(role="family")
    household = factories.HouseholdFactory(owner_user_id=family.id)
    mornings = [
        factories.CareRequestFactory(recipient=factories.CareRecipientFactory(household=household))
        for _ in range(3)
    ]
    afternoon = factories.CareRequestFactory(schedule=weekday_hours(14, 18))
    cuneo = factories.CareRequestFactory(
        recipient=factories.CareRecipientFactory(
            household=factories.HouseholdFactory(municipality_id=CUNEO)
        )
    )
    assistants = [
        factories.AssistantFactory(user_id=factories.UserFactory(role="assistant").id)
        for _ in range(2)
    ]
    return {
        "family": family,
        "mornings": mornings,
        "afternoon": afternoon,
        "cuneo": cuneo,
        "assistants": assistants,
    }


def test_a_run_drafts_an_exact_assignment_and_sends_only_what_is_chosen(
    client: FlaskClient,
    db_session: Session,
    cpi_torino: User,
    network: dict[str, Any],
) -> None:
    headers = bearer(db_session, cpi_torino)
    started = client.post("/api/v1/bulk-assignments", headers=headers, json={})
    assert started.status_code == 202, started.get_json()
    job_id = started.get_json()["job_id"]

    run = client.get(f"/api/v1/bulk-assignments/{job_id}", headers=headers).get_json()
    assert run["status"] == "done", run
    result = run["result"]
    assert result["requests"] == 4  # Cuneo's request is not this CPI's case
    assert result["total_score"] >= result["greedy_total"] - 1e-9
    assert result["optimal"] is True

    drafts = run["drafts"]
    # Two assistants, mornings overlap: each takes at most one morning; the afternoon
    # fits beside a morning, so the optimum uses three requests.
    assert len(drafts) == result["proposals"] == 3
    by_assistant: dict[int, Schedule] = {}
    requests = {r.id: r for r in [*network["mornings"], network["afternoon"]]}
    for draft in drafts:
        hours = Schedule.from_bytes(requests[draft["request_id"]].schedule)
        taken = by_assistant.get(draft["assistant_id"], Schedule())
        assert not taken.overlaps(hours), "an assistant was booked twice"
        by_assistant[draft["assistant_id"]] = taken | hours
    assert network["afternoon"].id in {d["request_id"] for d in drafts}

    # Drafts reach nobody until they are sent.
    assert count(db_session, Notification) == 0
    statuses = db_session.scalars(sa.select(Proposal.status)).all()
    assert set(statuses) == {"draft"}

    chosen = drafts[0]["proposal_id"]
    sent = client.post(
        f"/api/v1/bulk-assignments/{job_id}/send", headers=headers, json={"proposal_ids": [chosen]}
    )
    assert sent.status_code == 200, sent.get_json()
    assert len(sent.get_json()["drafts"]) == 2
    db_session.expire_all()
    proposal = db_session.get(Proposal, chosen)
    assert proposal.status == "pending"
    # The sides of the one sent proposal are told, and only they.
    told = set(db_session.scalars(sa.select(Notification.user_id)).all())
    assistant_user = next(a.user_id for a in network["assistants"] if a.id == proposal.assistant_id)
    owner = network["family"].id
    request_ids = {r.id for r in network["mornings"]}
    assert told == (
        {owner, assistant_user} if proposal.request_id in request_ids else {assistant_user}
    )


def test_sending_something_that_is_not_a_draft_of_the_run_changes_nothing(
    client: FlaskClient, db_session: Session, cpi_torino: User, network: dict[str, Any]
) -> None:
    headers = bearer(db_session, cpi_torino)
    job_id = client.post("/api/v1/bulk-assignments", headers=headers, json={}).get_json()["job_id"]
    drafts = client.get(f"/api/v1/bulk-assignments/{job_id}", headers=headers).get_json()["drafts"]
    ids = [d["proposal_id"] for d in drafts]
    response = client.post(
        f"/api/v1/bulk-assignments/{job_id}/send",
        headers=headers,
        json={"proposal_ids": [ids[0], 999_999]},
    )
    assert response.status_code == 422
    assert "999999" in response.get_json()["message"]
    db_session.expire_all()
    assert set(db_session.scalars(sa.select(Proposal.status)).all()) == {"draft"}


def test_only_brokers_run_and_see_runs(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    cpi_torino: User,
    cpi_cuneo: User,
    network: dict[str, Any],
) -> None:
    asl = factories.OperatorFactory(
        organization=factories.OrganizationFactory(kind="health_authority")
    )
    refused = client.post("/api/v1/bulk-assignments", headers=bearer(db_session, asl), json={})
    assert refused.status_code == 403
    assert count(db_session, Job) == 0
    job_id = client.post(
        "/api/v1/bulk-assignments", headers=bearer(db_session, cpi_torino), json={}
    ).get_json()["job_id"]
    other = client.get(f"/api/v1/bulk-assignments/{job_id}", headers=bearer(db_session, cpi_cuneo))
    assert other.status_code == 404


def test_the_pages_start_a_run_and_send_the_checked_drafts(
    client: FlaskClient, db_session: Session, cpi_torino: User, network: dict[str, Any]
) -> None:
    log_in(client, cpi_torino)
    page = client.get("/bulk-assignments?lang=en")
    assert "4 requests are waiting for proposals." in page.get_data(as_text=True)
    started = client.post("/bulk-assignments")
    assert started.status_code == 302
    run_page = client.get(started.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Proven optimal" in run_page and run_page.count('name="proposal_id"') == 3
    job_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    first = db_session.scalars(
        sa.select(Proposal.id).where(Proposal.job_id == job_id).order_by(Proposal.id)
    ).first()
    nothing = client.post(f"/bulk-assignments/{job_id}?lang=en", data={})
    assert nothing.status_code == 422
    assert "Choose at least one proposal to send." in nothing.get_data(as_text=True)
    sent = client.post(f"/bulk-assignments/{job_id}", data={"proposal_id": [str(first)]})
    assert sent.status_code == 302
    db_session.expire_all()
    assert db_session.get(Proposal, first).status == "pending"


def test_a_run_never_proposes_a_pair_again(
    client: FlaskClient,
    db_session: Session,
    cpi_torino: User,
    network: dict[str, Any],
    factories: Any,
) -> None:
    # The afternoon request's family already declined the first assistant: the run must
    # offer the afternoon to the second one (not fail on the declined pair).
    first, second = network["assistants"]
    afternoon = network["afternoon"]
    factories.ProposalFactory(
        request_id=afternoon.id,
        assistant_id=first.id,
        status="declined",
        family_answer="declined",
        family_reason="other",
    )
    headers = bearer(db_session, cpi_torino)
    job_id = client.post("/api/v1/bulk-assignments", headers=headers, json={}).get_json()["job_id"]

    run = client.get(f"/api/v1/bulk-assignments/{job_id}", headers=headers).get_json()
    assert run["status"] == "done", run
    assert run["result"]["skipped"] == []
    pairs = {(d["request_id"], d["assistant_id"]) for d in run["drafts"]}
    assert (afternoon.id, first.id) not in pairs
    assert (afternoon.id, second.id) in pairs
    assert len(pairs) == run["result"]["proposals"] == 3


@pytest.mark.commits  # another session writes while the run solves
def test_a_pair_proposed_by_hand_while_the_run_solves_is_skipped_not_fatal(
    client: FlaskClient,
    db_session: Session,
    cpi_torino: User,
    network: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    factories: Any,
) -> None:
    from carenet.matchmaking import bulk

    assign = bulk.assign
    taken: list[tuple[int, int]] = []

    def solve_then_someone_proposes(*args: Any, **kwargs: Any) -> Any:
        # Another operator proposes the run's first pair by hand in the meantime.
        result = assign(*args, **kwargs)
        j, assistant_id, _score = sorted(result.pairs)[0]
        request_id = sorted([r.id for r in [*network["mornings"], network["afternoon"]]])[j]
        factories.ProposalFactory(request_id=request_id, assistant_id=assistant_id)
        taken.append((request_id, assistant_id))
        return result

    monkeypatch.setattr(bulk, "assign", solve_then_someone_proposes)
    headers = bearer(db_session, cpi_torino)
    job_id = client.post("/api/v1/bulk-assignments", headers=headers, json={}).get_json()["job_id"]

    run = client.get(f"/api/v1/bulk-assignments/{job_id}", headers=headers).get_json()
    assert run["status"] == "done", run
    [(request_id, assistant_id)] = taken
    [skipped] = run["result"]["skipped"]
    assert (skipped["request_id"], skipped["assistant_id"]) == (request_id, assistant_id)
    assert "already proposed" in skipped["reason"]
    assert run["result"]["proposals"] == len(run["drafts"]) == 2
    log_in(client, cpi_torino)
    page = client.get(f"/bulk-assignments/{job_id}?lang=en").get_data(as_text=True)
    assert 'data-testid="skipped"' in page
    assert f"request {request_id}, assistant #{assistant_id}" in page


def test_a_run_is_an_audited_read_of_each_request_s_health_information(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    cpi_torino: User,
    network: dict[str, Any],
) -> None:
    """Issue 10, item 5: a run reads every request's health information (the demand is
    built from the person's conditions and self-sufficiency): one ``health.read`` per
    request, by the operator who started it, listed in "who viewed this case"."""
    started = client.post(
        "/api/v1/bulk-assignments", headers=bearer(db_session, cpi_torino), json={}
    )
    assert started.status_code == 202, started.get_json()
    job_id = started.get_json()["job_id"]
    db_session.commit()
    reads = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "health.read").order_by(AuditEvent.id)
    ).all()
    ours = [*network["mornings"], network["afternoon"]]
    assert sorted(e.data["care_request_id"] for e in reads) == sorted(r.id for r in ours)
    assert {e.entity_id for e in reads} == {str(r.recipient_id) for r in ours}
    assert {(e.actor_user_id, e.data["via"], e.data["job_id"]) for e in reads} == {
        (cpi_torino.id, "bulk_assignment", job_id)
    }
    log = client.get(
        f"/api/v1/households/{network['mornings'][0].recipient.household_id}/access-log",
        headers=bearer(db_session, network["family"]),
    )
    assert log.status_code == 200, log.get_json()
    assert cpi_torino.id in {item["actor"]["id"] for item in log.get_json()["items"]}
