"""The authorization matrix: for every route, the expected outcome for every actor.

Read it as a table: a route, then who gets in. ``only(...)`` lists the actors granted
access; every other logged-in actor is refused (403 or 404) and an anonymous caller is
asked to log in. Actors are described in ``scenario``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.carenet.access.scenario import ACTORS

OK, DENY, LOGIN = "ok", "deny", "login"


@dataclass(frozen=True)
class Entry:
    """Expected outcomes of one route, and how to call it."""

    expect: Mapping[str, str]
    params: Mapping[str, str] = field(default_factory=dict)
    body: Any = None  # JSON (API) or form data (pages); a callable receives the ids
    query: str = ""
    # Granted calls use up the record (a deletion): each gets a scenario of its own.
    fresh: bool = False


def only(*actors: str, anonymous: str = LOGIN, **kwargs: Any) -> Entry:
    """Access for ``actors``; refused to everyone else."""
    unknown = set(actors) - set(ACTORS)
    assert not unknown, unknown
    expect = {a: OK if a in actors else DENY for a in ACTORS}
    expect["anonymous"] = anonymous
    return Entry(expect, **kwargs)


def everyone(**kwargs: Any) -> Entry:
    """Public: no login needed."""
    return Entry({a: OK for a in ACTORS}, **kwargs)


LOGGED_IN = tuple(a for a in ACTORS if a != "anonymous")
# Operators of every kind: CPI, agency, ASL (health_authority), Ente gestore
# (social_services), Comune (municipality), Region.
OPERATORS = ("cpi", "cpi_other", "agency_referred", "agency", "asl", "ente", "comune", "region")
MATRIX: dict[tuple[str, str], Entry] = {}
RECORDING: Callable[[], Entry] = lambda: only(*LOGGED_IN)  # noqa: E731

# Who sees the case (the household in Torino, its recipient and request): the family,
# operators whose territory holds it (CPI, ASL, Ente gestore, Comune), the agency it was
# referred to, admins.
CASE = ("family", "cpi", "agency_referred", "asl", "ente", "comune", "admin")
# Who may read (and so write) its health information: the family and the operators of
# the kinds that need it, among those who see the case; not the Comune, not admins.
HEALTH = ("family", "cpi", "agency_referred", "asl", "ente")
# Who brokers it (match, propose, place): CPI and agencies that see the case, admins.
BROKERS = ("cpi", "agency_referred", "admin")
# Who sees the assistant (a Torino resident): the assistant, operators whose territory
# holds them (agencies have no territory of their own), admins.
ASSISTANT = ("assistant", "cpi", "asl", "ente", "comune", "admin")
# Operators who may list the register (filtered to their territory); region staff see
# aggregates only.
REGISTER = ("cpi", "cpi_other", "agency_referred", "agency", "asl", "ente", "comune", "admin")
# Lists every user may open, each filtered to what they may see.
CASE_LISTS = ("family", "other_family", *OPERATORS, "admin")
# Assessments (health details): the family and the assessor bodies (ASL, Ente gestore).
HEALTH_ASSESSORS = ("family", "asl", "ente")
ASSESSORS = ("asl", "ente")
# Who may create households: families and operators, not region staff.
WRITERS = tuple(a for a in CASE_LISTS if a != "region")

PROFILE = {
    "display_name": "Ana Popescu",
    "gender": "f",
    "birth_year": 1978,
    "nationality": "RO",
    "languages": [{"language": "ro", "level": "native"}],
    "municipality": "Torino",
    "province": "TO",
    "travel_radius_km": 15,
    "arrangements": ["hourly"],
    "availability": "lun-ven 08:00-12:00",
    "available_from": "2026-12-01",
}
# Dates ahead of whenever the suite runs: the service refuses a start date in the past
# and an expired qualification or document.
TODAY = dt.date.today()
IN_A_YEAR = (TODAY + dt.timedelta(days=365)).isoformat()
QUALIFICATION = {"code": "first_aid", "issued_on": "2024-05-10", "expires_on": IN_A_YEAR}
DOCUMENT = {"kind": "residence_permit", "expires_on": IN_A_YEAR}
HOUSEHOLD = {"contact_name": "Anna Rossi", "municipality": "Torino"}
RECIPIENT = {"first_name": "Ada", "age_band": "85+", "self_sufficiency": "partially"}
ASSESSMENT = {"assessed_on": "2026-01-15", "self_sufficiency": "non_self_sufficient", "score": 72}


def care_request(ids: Mapping[str, Any]) -> dict[str, Any]:
    """A valid new request for the case's recipient."""
    return {
        "recipient_id": ids["recipient_id"],
        "arrangement": "hourly",
        "schedule": "lun-ven 14:00-18:00",
        "start_date": (TODAY + dt.timedelta(days=90)).isoformat(),
        "max_distance_km": 20,
        "gender_preference": "none",
    }


MATRIX.update(
    {
        # -- public pages and documents --------------------------------------------------
        ("GET", "/"): everyone(),
        ("GET", "/healthz"): everyone(),
        ("GET", "/readyz"): everyone(),
        ("GET", "/login"): everyone(),
        ("POST", "/login"): everyone(),
        ("GET", "/register"): everyone(),
        ("POST", "/register"): everyone(),
        ("GET", "/api/docs"): everyone(),
        ("GET", "/api/openapi.json"): everyone(),
        ("GET", "/api/v1/municipalities"): everyone(query="q=Tor"),
        ("GET", "/api/v1/municipalities/<istat>"): everyone(),
        ("GET", "/api/v1/qualifications"): everyone(),
        ("GET", "/api/v1/vocabularies"): everyone(),
        ("POST", "/api/v1/auth/register"): everyone(),
        ("POST", "/api/v1/auth/tokens"): everyone(),
        # Logging out ends the session and sends everyone to the login page.
        ("POST", "/logout"): Entry({a: LOGIN for a in ACTORS}),
        # -- one's own account -----------------------------------------------------------
        ("GET", "/account"): only(*LOGGED_IN),
        ("POST", "/account/password"): only(*LOGGED_IN),
        ("POST", "/account/preferences"): only(*LOGGED_IN),
        ("GET", "/api/v1/auth/me"): only(*LOGGED_IN),
        ("DELETE", "/api/v1/auth/tokens/current"): only(*LOGGED_IN),
        # -- organizations ---------------------------------------------------------------
        ("GET", "/organizations/"): only("admin"),
        ("GET", "/api/v1/organizations"): only(*OPERATORS, "admin"),
        ("GET", "/api/v1/organizations/<int:organization_id>"): only("cpi", "admin"),
        # -- the register of assistants ----------------------------------------------------
        ("GET", "/api/v1/assistants"): only(*REGISTER),
        # An operator of another territory gets past the access check, and the profile's
        # municipality is then refused field by field (422).
        ("POST", "/api/v1/assistants"): only(
            "assistant", "other_assistant", *REGISTER, body=PROFILE
        ),
        ("GET", "/api/v1/assistants/me"): only("assistant", "other_assistant"),
        ("GET", "/api/v1/assistants/<int:assistant_id>"): only(*ASSISTANT),
        ("PATCH", "/api/v1/assistants/<int:assistant_id>"): only(*ASSISTANT),
        ("POST", "/api/v1/assistants/<int:assistant_id>/documents"): only(
            *ASSISTANT, body=DOCUMENT
        ),
        ("POST", "/api/v1/assistants/<int:assistant_id>/qualifications"): only(
            *ASSISTANT, body=QUALIFICATION
        ),
        (
            "DELETE",
            "/api/v1/assistants/<int:assistant_id>/qualifications/<int:qualification_id>",
        ): only(*ASSISTANT, fresh=True),
        # Verifying and suspending: brokers (CPI) of the assistant's territory.
        (
            "POST",
            "/api/v1/assistants/<int:assistant_id>/qualifications/<int:qualification_id>/verify",
        ): only("cpi"),
        ("POST", "/api/v1/assistants/<int:assistant_id>/suspend"): only("cpi"),
        ("POST", "/api/v1/assistants/<int:assistant_id>/verify"): only("cpi"),
        ("GET", "/assistants/"): only(*REGISTER),
        ("GET", "/assistants/new"): only(*REGISTER),
        ("POST", "/assistants/new"): only(*REGISTER),
        ("GET", "/assistants/me"): only("assistant", "other_assistant"),
        ("GET", "/assistants/me/edit"): only("assistant", "other_assistant"),
        ("POST", "/assistants/me/edit"): only("assistant", "other_assistant"),
        ("GET", "/assistants/me/qualifications/new"): only("assistant", "other_assistant"),
        ("POST", "/assistants/me/qualifications/new"): only("assistant", "other_assistant"),
        ("GET", "/assistants/<int:assistant_id>"): only(*ASSISTANT),
        ("GET", "/assistants/<int:assistant_id>/edit"): only(*ASSISTANT),
        ("POST", "/assistants/<int:assistant_id>/edit"): only(*ASSISTANT),
        ("GET", "/assistants/<int:assistant_id>/qualifications/new"): only(*ASSISTANT),
        ("POST", "/assistants/<int:assistant_id>/qualifications/new"): only(*ASSISTANT),
        (
            "POST",
            "/assistants/<int:assistant_id>/qualifications/<int:qualification_id>/verify",
        ): only("cpi"),
        ("POST", "/assistants/<int:assistant_id>/suspend"): only("cpi"),
        ("POST", "/assistants/<int:assistant_id>/verify"): only("cpi"),
        # -- households, recipients, assessments -------------------------------------------
        ("GET", "/api/v1/families/households"): only(*CASE_LISTS),
        ("POST", "/api/v1/families/households"): only(*WRITERS, body=HOUSEHOLD),
        ("GET", "/api/v1/families/households/<int:household_id>"): only(*CASE),
        ("PATCH", "/api/v1/families/households/<int:household_id>"): only(*CASE),
        # A new person needs their self-sufficiency: only its readers add one.
        ("POST", "/api/v1/families/households/<int:household_id>/recipients"): only(
            *HEALTH, body=RECIPIENT
        ),
        ("GET", "/api/v1/families/recipients/<int:recipient_id>"): only(*CASE),
        ("PATCH", "/api/v1/families/recipients/<int:recipient_id>"): only(*CASE),
        # Assessments are health details: the family and assessor bodies only.
        ("GET", "/api/v1/families/recipients/<int:recipient_id>/assessments"): only(
            *HEALTH_ASSESSORS
        ),
        ("POST", "/api/v1/families/recipients/<int:recipient_id>/assessments"): only(
            *ASSESSORS, body=ASSESSMENT
        ),
        ("GET", "/families/household"): only(*CASE_LISTS),
        ("GET", "/families/households"): only(*CASE_LISTS),
        ("GET", "/families/households/new"): only(*CASE_LISTS),
        ("POST", "/families/households/new"): only(*WRITERS, body={**HOUSEHOLD, "province": "TO"}),
        ("GET", "/families/households/<int:household_id>"): only(*CASE),
        ("GET", "/families/households/<int:household_id>/edit"): only(*CASE),
        ("POST", "/families/households/<int:household_id>/edit"): only(*CASE),
        ("GET", "/families/households/<int:household_id>/recipients/new"): only(*HEALTH),
        ("POST", "/families/households/<int:household_id>/recipients/new"): only(*HEALTH),
        ("GET", "/families/recipients/<int:recipient_id>/edit"): only(*CASE),
        ("POST", "/families/recipients/<int:recipient_id>/edit"): only(*CASE),
        ("GET", "/families/recipients/<int:recipient_id>/assessments/new"): only(*ASSESSORS),
        ("POST", "/families/recipients/<int:recipient_id>/assessments/new"): only(*ASSESSORS),
        # -- care requests -----------------------------------------------------------------
        ("GET", "/api/v1/care-requests"): only(*CASE_LISTS),
        ("POST", "/api/v1/care-requests"): only(*CASE, body=care_request),
        ("GET", "/api/v1/care-requests/<int:request_id>"): only(*CASE),
        ("PATCH", "/api/v1/care-requests/<int:request_id>"): only(*CASE),
        ("POST", "/api/v1/care-requests/<int:request_id>/submit"): only(*CASE),
        ("POST", "/api/v1/care-requests/<int:request_id>/cancel"): only(*CASE),
        ("POST", "/api/v1/care-requests/<int:request_id>/close"): only(*CASE),
        ("GET", "/care-requests"): only(*CASE_LISTS),
        ("GET", "/care-requests/new"): only(*CASE, query="recipient_id={recipient_id}"),
        ("POST", "/care-requests/new"): only(*CASE, query="recipient_id={recipient_id}"),
        ("GET", "/care-requests/<int:request_id>"): only(*CASE),
        ("GET", "/care-requests/<int:request_id>/edit"): only(*CASE),
        ("POST", "/care-requests/<int:request_id>/edit"): only(*CASE),
        ("POST", "/care-requests/<int:request_id>/submit"): only(*CASE),
        ("POST", "/care-requests/<int:request_id>/cancel"): only(*CASE),
        ("POST", "/care-requests/<int:request_id>/close"): only(*CASE),
        # -- matching ----------------------------------------------------------------------
        ("GET", "/api/v1/care-requests/<int:request_id>/matches"): only(*BROKERS),
        ("GET", "/api/v1/care-requests/<int:request_id>/matches/<int:assistant_id>"): only(
            *BROKERS
        ),
        ("GET", "/care-requests/<int:request_id>/matches"): only(*BROKERS),
    }
)

# Placements: the case's family and assistant, and who sees the case.
PLACEMENT = ("family", "assistant", "cpi", "agency_referred", "asl", "ente", "comune", "admin")
PLACEMENT_START = {
    "proposal_id": 0,  # filled from the scenario
    "ccnl_level": "CS",
    "schedule": "lun-ven 14:00-16:00",
    "start_date": (TODAY + dt.timedelta(days=60)).isoformat(),
}


def placement_start(ids: Mapping[str, Any]) -> dict[str, Any]:
    """A placement from the case's accepted proposal, in hours still free."""
    return {**PLACEMENT_START, "proposal_id": ids["accepted_proposal_id"]}


MATRIX.update(
    {
        # -- background jobs (their creator's organization) --------------------------------
        ("GET", "/api/v1/jobs/<int:job_id>"): only("cpi"),
        ("GET", "/jobs/<int:job_id>"): only("cpi"),
        # -- notifications: everyone their own; the scenario's belongs to the family -------
        ("GET", "/api/v1/notifications"): only(*LOGGED_IN),
        ("POST", "/api/v1/notifications/read-all"): only(*LOGGED_IN),
        ("POST", "/api/v1/notifications/<int:notification_id>/read"): only("family"),
        ("GET", "/notifications"): only(*LOGGED_IN),
        ("POST", "/notifications/read-all"): only(*LOGGED_IN),
        ("POST", "/notifications/<int:notification_id>/read"): only("family"),
        # -- bulk assignment: CPI and agency operators, for their organization -------------
        ("GET", "/bulk-assignments"): only("cpi", "cpi_other", "agency_referred", "agency"),
        ("POST", "/bulk-assignments"): only("cpi", "cpi_other", "agency_referred", "agency"),
        ("POST", "/api/v1/bulk-assignments"): only("cpi", "cpi_other", "agency_referred", "agency"),
        ("GET", "/api/v1/bulk-assignments/<int:job_id>"): only("cpi"),
        ("POST", "/api/v1/bulk-assignments/<int:job_id>/send"): only(
            "cpi", body={"proposal_ids": [1]}
        ),
        ("GET", "/bulk-assignments/<int:job_id>"): only("cpi"),
        ("POST", "/bulk-assignments/<int:job_id>"): only("cpi"),
        # -- placements --------------------------------------------------------------------
        ("GET", "/api/v1/placements"): only(*LOGGED_IN),
        ("POST", "/api/v1/placements"): only(*BROKERS, body=placement_start),
        ("GET", "/api/v1/placements/<int:placement_id>"): only(*PLACEMENT),
        ("POST", "/api/v1/placements/<int:placement_id>/end"): only(
            "family", "assistant", *BROKERS, body={"end_reason": "The family moved."}
        ),
        ("POST", "/api/v1/placements/<int:placement_id>/feedback"): only(
            "family", *BROKERS, body={"side": "family", "rating": 5}
        ),
        ("GET", "/placements"): only(*LOGGED_IN),
        ("GET", "/placements/new"): only(*BROKERS, query="proposal_id={accepted_proposal_id}"),
        ("POST", "/placements/new"): only(
            *BROKERS,
            query="proposal_id={accepted_proposal_id}",
            body={k: v for k, v in PLACEMENT_START.items() if k != "proposal_id"},
        ),
        ("GET", "/placements/<int:placement_id>"): only(*PLACEMENT),
        ("POST", "/placements/<int:placement_id>/end"): only(
            "family", "assistant", *BROKERS, body={"end_reason": "The family moved."}
        ),
        ("POST", "/placements/<int:placement_id>/feedback"): only(
            "family", *BROKERS, body={"side": "family", "family-rating": "5"}
        ),
    }
)

# Referrals: the pending one goes from the ASL to the CPI. Who may refer a case: operators
# of referring or brokering kinds who see it.
REFERRERS = ("cpi", "agency_referred", "asl", "ente", "comune")
INTERVIEW = {"interview_at": "2027-01-05T10:00:00+01:00", "notes": "At home"}


def referral(ids: Mapping[str, Any]) -> dict[str, Any]:
    """The case referred to the agency it was not yet referred to."""
    return {
        "household_id": ids["household_id"],
        "to_organization_id": ids["agency_org_id"],
        "reason": "Needs a night assistant",
        "consent_given": True,
    }


def referral_form(ids: Mapping[str, Any]) -> dict[str, Any]:
    """The same referral as the page's form sends it."""
    return {**referral(ids), "consent_given": "y", "request_id": ""}


MATRIX.update(
    {
        # -- proposals (the scenario's pending one: the case x an assistant without an
        # account, so only the family and brokers answer it) ---------------------------------
        ("GET", "/api/v1/care-requests/<int:request_id>/proposals"): only(*CASE),
        # The case's assistant was proposed already: a 409 past the access check. (An
        # assistant one may not see is "not found", as "why not" says: a 404.)
        ("POST", "/api/v1/care-requests/<int:request_id>/proposals"): only(
            *BROKERS, body=lambda ids: {"assistant_ids": [ids["assistant_id"]]}
        ),
        ("GET", "/api/v1/proposals"): only(*LOGGED_IN),
        ("GET", "/api/v1/proposals/<int:proposal_id>"): only(*CASE),
        ("POST", "/api/v1/proposals/<int:proposal_id>/answer"): only(
            "family", *BROKERS, body={"side": "family", "answer": "accepted"}
        ),
        ("POST", "/api/v1/proposals/<int:proposal_id>/interview"): only(*BROKERS, body=INTERVIEW),
        ("POST", "/api/v1/proposals/<int:proposal_id>/send"): only(*BROKERS),
        ("POST", "/api/v1/proposals/<int:proposal_id>/withdraw"): only(*BROKERS),
        ("GET", "/care-requests/<int:request_id>/proposals"): only(*CASE),
        ("POST", "/care-requests/<int:request_id>/proposals"): only(
            *BROKERS, body=lambda ids: {"assistant_ids": [str(ids["assistant_id"])]}
        ),
        ("GET", "/proposals"): only(*LOGGED_IN),
        ("GET", "/proposals/<int:proposal_id>"): only(*CASE),
        ("POST", "/proposals/<int:proposal_id>/answer"): only(
            "family", *BROKERS, body={"side": "family", "family-answer": "accepted"}
        ),
        ("POST", "/proposals/<int:proposal_id>/interview"): only(
            *BROKERS, body={"interview_at": "2027-01-05T10:00", "notes": "At home"}
        ),
        ("POST", "/proposals/<int:proposal_id>/send"): only(*BROKERS),
        ("POST", "/proposals/<int:proposal_id>/withdraw"): only(*BROKERS),
        # -- referrals ---------------------------------------------------------------------
        ("GET", "/api/v1/referrals"): only(*OPERATORS, "admin"),
        ("POST", "/api/v1/referrals"): only(*REFERRERS, body=referral),
        ("GET", "/api/v1/referrals/<int:referral_id>"): only("cpi", "asl", "admin"),
        # The receiving organization answers; the referring one revokes.
        ("POST", "/api/v1/referrals/<int:referral_id>/accept"): only("cpi"),
        ("POST", "/api/v1/referrals/<int:referral_id>/reject"): only(
            "cpi", body={"reason": "No capacity this month"}
        ),
        ("POST", "/api/v1/referrals/<int:referral_id>/complete"): only("cpi"),
        ("POST", "/api/v1/referrals/<int:referral_id>/revoke"): only("asl"),
        ("GET", "/referrals"): only(*OPERATORS, "admin"),
        ("GET", "/referrals/new"): only(*REFERRERS, query="household_id={household_id}"),
        ("POST", "/referrals/new"): only(
            *REFERRERS, query="household_id={household_id}", body=referral_form
        ),
        ("GET", "/referrals/<int:referral_id>"): only("cpi", "asl", "admin"),
        ("POST", "/referrals/<int:referral_id>/accept"): only("cpi"),
        ("POST", "/referrals/<int:referral_id>/reject"): only(
            "cpi", body={"reason": "No capacity this month"}
        ),
        ("POST", "/referrals/<int:referral_id>/complete"): only("cpi"),
        ("POST", "/referrals/<int:referral_id>/revoke"): only("asl"),
        # -- the case's timeline, and who read its health information ----------------------
        ("GET", "/api/v1/households/<int:household_id>/timeline"): only(*CASE),
        ("GET", "/audit/households/<int:household_id>/timeline"): only(*CASE),
        ("GET", "/api/v1/households/<int:household_id>/access-log"): only(
            "family", *ASSESSORS, "admin"
        ),
        ("GET", "/audit/households/<int:household_id>/access-log"): only(
            "family", *ASSESSORS, "admin"
        ),
    }
)

# API tokens: everyone lists their own; the scenario's token is the family's, which the
# family and administrators may revoke (each revocation uses it up: a fresh scenario).
MATRIX.update(
    {
        ("GET", "/api/v1/auth/tokens"): only(*LOGGED_IN),
        ("DELETE", "/api/v1/auth/tokens/<int:token_id>"): only(
            "family", "admin", params={"token_id": "family_token_id"}, fresh=True
        ),
        ("POST", "/account/tokens/<int:token_id>/revoke"): only(
            "family", "admin", params={"token_id": "family_token_id"}, fresh=True
        ),
    }
)
