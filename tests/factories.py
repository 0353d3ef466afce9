"""factory_boy factories for every model, sharing the ``db_session`` of a test.

Use the ``factories`` fixture: it makes the test's session current (``using``) and returns
this module. The factory classes themselves are never changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy.orm import Session

from carenet.assistants.models import (
    Assistant,
    AssistantCondition,
    AssistantLanguage,
    AssistantQualification,
)
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest, RequestLanguage, RequestQualification
from carenet.core.security import hash_password
from carenet.families.models import CareRecipient, Household
from carenet.organizations.models import Organization, organization_territory
from carenet.proposals.models import Proposal

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)

FULL_WEEK = b"\xff" * 21
TORINO, MONCALIERI, CUNEO, ALESSANDRIA = "001272", "001156", "004078", "006003"


def weekday_hours(start: int, end: int, days: range = range(5)) -> bytes:
    """A schedule (21 bytes, bit i = hour i from Monday 00:00) of [start, end) on ``days``."""
    value = 0
    for day in days:
        for hour in range(start, end):
            value |= 1 << (day * 24 + hour)
    return value.to_bytes(21, "little")


_session: ContextVar[Session] = ContextVar("factories_session")


@contextlib.contextmanager
def using(session: Session) -> Iterator[None]:
    """Create the factories' objects in ``session`` until the block ends."""
    token = _session.set(session)
    try:
        yield
    finally:
        _session.reset(token)


def current_session() -> Session:
    """The session the factories create objects in (see ``using``)."""
    try:
        return _session.get()
    except LookupError:
        raise RuntimeError("use the factories fixture (or factories.using(session))") from None


class BaseFactory(SQLAlchemyModelFactory):
    """Commits each object so HTTP requests in the same test see it."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = current_session
        sqlalchemy_session_persistence = "commit"


class OrganizationFactory(BaseFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"org-{n}")
    kind = "cpi"
    name = factory.Sequence(lambda n: f"Centro per l'impiego {n}")

    @factory.post_generation
    def territory_codes(obj: Organization, create: bool, extracted: list[str] | None, **kw):  # type: ignore[no-untyped-def]
        """Attach the given ISTAT codes (default: Torino) as the territory."""
        if not create:
            return
        session = current_session()
        codes = extracted if extracted is not None else [TORINO]
        if codes:
            session.execute(
                organization_territory.insert(),
                [{"organization_id": obj.id, "istat": code} for code in codes],
            )
            session.commit()


_emails = itertools.count()


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.LazyFunction(lambda: f"user{next(_emails)}@example.org")
    password_hash = _PASSWORD_HASH
    role = "family"
    full_name = factory.Faker("name", locale="it_IT")
    locale = "it"
    session_token = factory.Faker("hexify", text="^" * 32)
    organization = None


class OperatorFactory(UserFactory):
    role = "operator"
    organization = factory.SubFactory(OrganizationFactory)


class AssistantFactory(BaseFactory):
    class Meta:
        model = Assistant

    user_id = None
    display_name = factory.Faker("first_name", locale="ro_RO")
    gender = "f"
    birth_year = 1975
    nationality = "RO"
    municipality_id = TORINO
    travel_radius_km = 20.0
    accepts_live_in = False
    accepts_hourly = True
    accepts_night = False
    availability = FULL_WEEK
    available_from = dt.date(2026, 1, 1)
    years_experience = 5
    status = "verified"


class AssistantLanguageFactory(BaseFactory):
    class Meta:
        model = AssistantLanguage

    language = "it"
    level = "B1"


class AssistantConditionFactory(BaseFactory):
    class Meta:
        model = AssistantCondition

    condition = "dementia"


class AssistantQualificationFactory(BaseFactory):
    class Meta:
        model = AssistantQualification

    qualification_code = "oss"
    issued_on = dt.date(2015, 6, 1)
    expires_on = None


class HouseholdFactory(BaseFactory):
    class Meta:
        model = Household

    owner_user_id = None
    contact_name = factory.Faker("name", locale="it_IT")
    municipality_id = TORINO
    address = "Via Roma 1"


class CareRecipientFactory(BaseFactory):
    class Meta:
        model = CareRecipient

    household = factory.SubFactory(HouseholdFactory)
    first_name = factory.Faker("first_name", locale="it_IT")
    age_band = "85+"
    self_sufficiency = "non_self_sufficient"


class CareRequestFactory(BaseFactory):
    class Meta:
        model = CareRequest

    recipient = factory.SubFactory(CareRecipientFactory)
    arrangement = "hourly"
    schedule = factory.LazyFunction(lambda: weekday_hours(8, 12))
    weekly_hours = 20
    start_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=35))
    gender_preference = "none"
    max_distance_km = 25.0
    ccnl_level = "CS"
    status = "open"


class RequestQualificationFactory(BaseFactory):
    class Meta:
        model = RequestQualification

    qualification_code = "oss"
    is_required = True


class RequestLanguageFactory(BaseFactory):
    class Meta:
        model = RequestLanguage

    language = "it"
    is_required = True


class ProposalFactory(BaseFactory):
    """A proposal sent to both sides (pass ``request_id`` and ``assistant_id``)."""

    class Meta:
        model = Proposal

    score = 0.5
    distance_km = 1.0
    status = "pending"


ALL = [
    OrganizationFactory,
    UserFactory,
    OperatorFactory,
    AssistantFactory,
    AssistantLanguageFactory,
    AssistantConditionFactory,
    AssistantQualificationFactory,
    HouseholdFactory,
    CareRecipientFactory,
    CareRequestFactory,
    RequestQualificationFactory,
    RequestLanguageFactory,
    ProposalFactory,
]


# -- the worlds the tests share (the fixtures in tests/conftest.py) --------------------------


@dataclass
class World:
    """Two territories (Torino, Cuneo) with their operators, families and households."""

    cpi_torino: User
    cpi_cuneo: User
    asl_torino: User
    comune_torino: User
    region: User
    family_torino: User
    family_cuneo: User
    assistant: User
    household_torino: Any
    household_cuneo: Any
    recipient_torino: Any
    recipient_cuneo: Any


def build_world(factories: Any) -> World:
    """Organizations, users and one household with one recipient in each territory."""
    f = factories
    org = f.OrganizationFactory
    # English, so that tests can read the messages; one test checks the Italian ones.
    user = functools.partial(f.UserFactory, locale="en")
    operator = functools.partial(f.OperatorFactory, locale="en")
    cpi_to = org(kind="cpi", territory_codes=[TORINO, MONCALIERI])
    cpi_cn = org(kind="cpi", territory_codes=[CUNEO])
    asl_to = org(kind="health_authority", territory_codes=[TORINO, MONCALIERI])
    comune_to = org(kind="municipality", territory_codes=[TORINO])
    region = org(kind="region", territory_codes=[TORINO, CUNEO])
    family_to = user(role="family")
    family_cn = user(role="family")
    household_to = f.HouseholdFactory(owner_user_id=family_to.id, municipality_id=TORINO)
    household_cn = f.HouseholdFactory(owner_user_id=family_cn.id, municipality_id=CUNEO)
    return World(
        cpi_torino=operator(organization=cpi_to),
        cpi_cuneo=operator(organization=cpi_cn),
        asl_torino=operator(organization=asl_to),
        comune_torino=operator(organization=comune_to),
        region=operator(organization=region),
        family_torino=family_to,
        family_cuneo=family_cn,
        assistant=user(role="assistant"),
        household_torino=household_to,
        household_cuneo=household_cn,
        recipient_torino=f.CareRecipientFactory(
            household=household_to, self_sufficiency="non_self_sufficient"
        ),
        recipient_cuneo=f.CareRecipientFactory(
            household=household_cn, self_sufficiency="self_sufficient"
        ),
    )


@dataclass
class ReferralWorld:
    """``build_world`` plus a second Cuneo CPI operator, an agency, an admin and a request."""

    base: World
    cpi_cuneo_2: User
    agency: User
    admin: User
    request_torino: Any
    request_cuneo: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)


def build_referral_world(factories: Any) -> ReferralWorld:
    """Torino's household (with an open request) is outside Cuneo's and the agency's scope."""
    base = build_world(factories)
    operator = functools.partial(factories.OperatorFactory, locale="en")
    agency_org = factories.OrganizationFactory(kind="agency", territory_codes=[])
    return ReferralWorld(
        base=base,
        cpi_cuneo_2=operator(organization=base.cpi_cuneo.organization),
        agency=operator(organization=agency_org),
        admin=factories.UserFactory(role="admin", locale="en"),
        request_torino=factories.CareRequestFactory(recipient=base.recipient_torino),
        request_cuneo=factories.CareRequestFactory(recipient=base.recipient_cuneo),
    )
