"""The loaded demo data is plausible: geography, territories, contract limits, CCNL."""

from __future__ import annotations

import collections
import datetime as dt

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant, AssistantDocument
from carenet.care_requests import rules
from carenet.care_requests.models import (
    HOURLY_MAX_HOURS,
    LIVE_IN_FULL_TIME_MAX_HOURS,
    LIVE_IN_PART_TIME_MAX_HOURS,
    NIGHT_MAX_HOURS,
    CareRequest,
)
from carenet.demo.places import PROVINCES
from carenet.families.models import CareRecipient, Household
from carenet.gazetteer import get_gazetteer, haversine_km
from carenet.gazetteer.models import Municipality
from carenet.organizations.models import Organization, organization_territory
from matching import Schedule
from tests.carenet.demo.conftest import Loaded

EU = {"IT", "RO", "PL"}


def rests_eleven_hours_each_day(schedule: bytes) -> bool:
    """Whether 11 free hours in a row follow within 24 hours of the start of every shift."""
    mask = int.from_bytes(schedule, "little")
    busy = [bool(mask >> (h % 168) & 1) for h in range(168 * 2)]
    for start in range(168):
        if busy[start] and not busy[start - 1]:
            window = busy[start : start + 24]
            if not any(not any(window[k : k + 11]) for k in range(24 - 11 + 1)):
                return False
    return True


def territories(session: Session) -> dict[str, set[str]]:
    """ISTAT codes of each organization's territory, by organization code."""
    rows = session.execute(
        sa.select(Organization.code, organization_territory.c.istat).join(
            organization_territory, organization_territory.c.organization_id == Organization.id
        )
    )
    out: dict[str, set[str]] = collections.defaultdict(set)
    for code, istat in rows:
        out[code].add(istat)
    return out


def test_every_assistant_lives_in_piemonte_near_its_comune(
    loaded: Loaded, db_session: Session
) -> None:
    gazetteer = get_gazetteer()
    assistants = db_session.scalars(sa.select(Assistant)).all()
    for assistant in assistants:
        comune = gazetteer.get(assistant.municipality_id)
        assert comune.region == "Piemonte"
        assert assistant.lat is not None and assistant.lon is not None
        assert haversine_km(comune, (assistant.lat, assistant.lon)) <= 3.01
        assert gazetteer.is_in_italy(assistant.lat, assistant.lon)


def test_assistants_are_spread_by_population(loaded: Loaded, db_session: Session) -> None:
    by_comune = collections.Counter(db_session.scalars(sa.select(Assistant.municipality_id)))
    # Torino holds a fifth of Piemonte's people; no other comune has a fortieth.
    assert by_comune.most_common(1)[0][0] == "001272"
    assert by_comune["001272"] >= 0.12 * loaded.assistants


def test_each_province_has_a_cpi_over_exactly_its_comuni(
    loaded: Loaded, db_session: Session
) -> None:
    gazetteer = get_gazetteer()
    territory = territories(db_session)
    cpis = db_session.scalars(sa.select(Organization).where(Organization.kind == "cpi")).all()
    assert sorted(org.code for org in cpis) == sorted(f"cpi-{p.lower()}" for p in PROVINCES)
    for province in PROVINCES:
        expected = {c.istat for c in gazetteer.in_province(province)}
        assert territory[f"cpi-{province.lower()}"] == expected, province


def test_other_organizations_stay_within_one_province(loaded: Loaded, db_session: Session) -> None:
    province_of = {
        istat: province
        for istat, province in db_session.execute(
            sa.select(Municipality.istat, Municipality.province)
        )
    }
    territory = territories(db_session)
    kinds = {
        code: kind
        for code, kind in db_session.execute(sa.select(Organization.code, Organization.kind))
    }
    for code, kind in kinds.items():
        provinces = {province_of[istat] for istat in territory[code]}
        if kind == "region":
            assert provinces == set(PROVINCES)
            assert len(territory[code]) == len(get_gazetteer().in_region("01"))
        else:
            assert len(provinces) == 1, code
    assert set(kinds.values()) == {
        "cpi",
        "health_authority",
        "social_services",
        "municipality",
        "agency",
        "region",
    }
    assert territory["comune-torino"] == {"001272"}
    assert territory["asl-citta-torino"] == {"001272"}
    # Outside Torino's province, the ASL and the Ente gestore cover the whole province.
    assert territory["asl-cn"] == territory["cpi-cn"]
    assert territory["consorzio-al"] == territory["cpi-al"]


def test_requests_respect_contract_limits_and_rest(loaded: Loaded, db_session: Session) -> None:
    limits = {"hourly": HOURLY_MAX_HOURS, "night": NIGHT_MAX_HOURS}
    requests = db_session.scalars(sa.select(CareRequest)).all()
    assert {"live_in", "hourly"} <= {r.arrangement for r in requests}
    for request in requests:
        hours = int.from_bytes(request.schedule, "little").bit_count()
        assert request.weekly_hours == hours, request.id
        if request.arrangement == "live_in":
            limit = (
                LIVE_IN_PART_TIME_MAX_HOURS
                if request.live_in_part_time
                else LIVE_IN_FULL_TIME_MAX_HOURS
            )
        else:
            limit = limits[request.arrangement]
        assert 0 < hours <= limit, (request.id, request.arrangement, hours)
        assert rests_eleven_hours_each_day(request.schedule), request.id


def test_requests_pass_the_services_contract_rules(
    loaded: Loaded, db_session: Session, app_ctx: Flask
) -> None:
    """The same rules that validate a request typed by an operator accept every demo one."""
    for request in db_session.scalars(sa.select(CareRequest)):
        schedule = Schedule.from_bytes(request.schedule)
        hours, violations = rules.contract_hours(
            request.arrangement, request.live_in_part_time, schedule, request.weekly_hours
        )
        assert violations == [], (request.id, [v.message for v in violations])
        assert hours == request.weekly_hours
        trained = bool({"oss", "nurse"} & set(request.qualification_codes(required=True)))
        implied = rules.implied_ccnl_level(request.recipient.self_sufficiency, trained)
        assert request.ccnl_level == implied, request.id


def test_request_ccnl_level_matches_recipient_and_qualifications(
    loaded: Loaded, db_session: Session
) -> None:
    requests = db_session.scalars(sa.select(CareRequest)).all()
    for request in requests:
        sufficiency = request.recipient.self_sufficiency
        required = set(request.qualification_codes(required=True))
        assert (request.ccnl_level == "BS") == (sufficiency == "self_sufficient"), request.id
        assert (request.ccnl_level == "DS") == bool(required & {"oss", "nurse"}), request.id
        assert not required & set(request.qualification_codes(required=False))
        assert 10 <= request.max_distance_km <= 40


def test_requests_belong_to_the_cpi_of_their_province(loaded: Loaded, db_session: Session) -> None:
    rows = db_session.execute(
        sa.select(Municipality.province, Organization.code, Organization.kind)
        .select_from(CareRequest)
        .join(CareRecipient, CareRequest.recipient_id == CareRecipient.id)
        .join(Household, CareRecipient.household_id == Household.id)
        .join(Municipality, Household.municipality_id == Municipality.istat)
        .join(Organization, CareRequest.organization_id == Organization.id)
    ).all()
    assert len(rows) == loaded.requests
    for province, code, kind in rows:
        assert (kind, code) == ("cpi", f"cpi-{province.lower()}")


def test_recipients_are_mostly_old(loaded: Loaded, db_session: Session) -> None:
    bands = collections.Counter(db_session.scalars(sa.select(CareRecipient.age_band)))
    assert bands["75-84"] + bands["85+"] > loaded.requests / 2


def test_assistant_profiles_are_plausible(loaded: Loaded, db_session: Session) -> None:
    assistants = db_session.scalars(sa.select(Assistant)).all()
    genders = collections.Counter(a.gender for a in assistants)
    assert genders["f"] > 0.75 * len(assistants)
    assert all(1960 <= a.birth_year <= 2000 for a in assistants)
    assert all(5 <= a.travel_radius_km <= 50 for a in assistants)
    assert len({a.nationality for a in assistants}) >= 6
    live_in = sum(a.accepts_live_in for a in assistants) / len(assistants)
    hourly = sum(a.accepts_hourly for a in assistants) / len(assistants)
    assert 0.3 < live_in < 0.6 and 0.4 < hourly < 0.75
    statuses = collections.Counter(a.status for a in assistants)
    assert statuses["verified"] > 0.7 * len(assistants) and statuses["pending"] > 0
    for assistant in assistants:
        assert int.from_bytes(assistant.availability, "little") != 0
        levels = {lang.language: lang.level for lang in assistant.languages}
        assert "native" in levels.values()
        assert levels.get("it") in {"A2", "B1", "B2", "C1", "native"}, assistant.id


def test_verification_follows_status(loaded: Loaded, db_session: Session) -> None:
    cpi_codes = {
        i: code for i, code in db_session.execute(sa.select(Organization.id, Organization.code))
    }
    for assistant in db_session.scalars(sa.select(Assistant)):
        if assistant.status == "pending":
            assert assistant.verified_at is None and assistant.verified_by_org_id is None
            assert all(q.verified_at is None for q in assistant.qualifications)
        else:
            province = assistant.municipality.province.lower()
            assert assistant.verified_by_org_id is not None
            assert cpi_codes[assistant.verified_by_org_id] == f"cpi-{province}"
            assert all(q.verified_at is not None for q in assistant.qualifications)


def test_residence_permits_for_non_eu_assistants_only(loaded: Loaded, db_session: Session) -> None:
    permits = {
        a_id: expires
        for a_id, expires in db_session.execute(
            sa.select(AssistantDocument.assistant_id, AssistantDocument.expires_on).where(
                AssistantDocument.kind == "residence_permit"
            )
        )
    }
    for assistant_id, nationality in db_session.execute(
        sa.select(Assistant.id, Assistant.nationality)
    ):
        assert (assistant_id in permits) == (nationality not in EU), (assistant_id, nationality)
    assert all(expires is not None for expires in permits.values())


def test_some_qualifications_have_expired(loaded: Loaded, db_session: Session) -> None:
    today = dt.date.today()
    assistants = db_session.scalars(sa.select(Assistant)).all()
    quals = [q for a in assistants for q in a.qualifications]
    codes = collections.Counter(q.qualification_code for q in quals)
    assert 0.1 * len(assistants) < codes["oss"] < 0.3 * len(assistants)
    assert 0.35 * len(assistants) < codes["driving_licence"] < 0.65 * len(assistants)
    expired = [q for q in quals if q.expires_on is not None and q.expires_on < today]
    assert 0 < len(expired) < 0.2 * len(quals)
