"""The demo logins, and the records behind the family and assistant accounts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carenet.demo.generate import AssistantRecord, RequestRecord
from carenet.demo.places import Places
from carenet.demo.schedules import MON_FRI, Template, to_bytes


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: email, role, organization code (operators) and what it shows."""

    email: str
    role: str
    organization: str | None
    full_name: str
    description: str


DEMO_LOGINS = (
    DemoLogin("admin@carenet.demo", "admin", None, "Amministratore demo", "Administrator"),
    DemoLogin(
        "operatore.cpi.torino@carenet.demo",
        "operator",
        "cpi-to",
        "Giulia Ferrero",
        "Operator, Centro per l'impiego di Torino",
    ),
    DemoLogin(
        "operatore.cpi.cuneo@carenet.demo",
        "operator",
        "cpi-cn",
        "Marco Giraudo",
        "Operator, Centro per l'impiego di Cuneo",
    ),
    DemoLogin(
        "operatore.asl.torino@carenet.demo",
        "operator",
        "asl-citta-torino",
        "Paola Gili",
        "Operator, ASL Città di Torino",
    ),
    DemoLogin(
        "operatore.comune.torino@carenet.demo",
        "operator",
        "comune-torino",
        "Luca Actis",
        "Operator, Comune di Torino",
    ),
    DemoLogin(
        "operatore.agenzia@carenet.demo",
        "operator",
        "agenzia-assistenza-torino",
        "Sara Vottero",
        "Operator, accredited agency in Torino",
    ),
    DemoLogin(
        "regione@carenet.demo",
        "operator",
        "regione-piemonte",
        "Ufficio Regione Piemonte",
        "Region staff (aggregates only)",
    ),
    DemoLogin(
        "famiglia@carenet.demo",
        "family",
        None,
        "Laura Bianchi",
        "Family in Torino with an open request",
    ),
    DemoLogin(
        "assistente@carenet.demo",
        "assistant",
        None,
        "Elena Popescu",
        "Verified assistant in Moncalieri",
    ),
)

DEMO_ASSISTANT_AVAILABILITY = Template("lun-ven 08:00-18:00", MON_FRI, ((8, 18),))
DEMO_REQUEST_SCHEDULE = Template("lun-ven 08:00-12:00", MON_FRI, ((8, 12),))


def demo_assistant(places: Places, today: dt.date) -> AssistantRecord:
    """Elena Popescu: verified, in Moncalieri, hourly or live-in, with valid qualifications."""
    moncalieri = places.index_of("Moncalieri", "TO")
    verified_on = today - dt.timedelta(days=90)
    return AssistantRecord(
        row={
            "display_name": "Elena Popescu",
            "gender": "f",
            "birth_year": 1975,
            "nationality": "RO",
            "municipality_id": places.istat[moncalieri],
            "lat": round(float(places.lat[moncalieri]), 5),
            "lon": round(float(places.lon[moncalieri]), 5),
            "travel_radius_km": 20.0,
            "accepts_live_in": True,
            "accepts_hourly": True,
            "accepts_night": False,
            "availability": to_bytes(DEMO_ASSISTANT_AVAILABILITY.mask),
            "available_from": today - dt.timedelta(days=30),
            "years_experience": 8,
            "status": "verified",
            "verified_at": dt.datetime(
                verified_on.year, verified_on.month, verified_on.day, 10, tzinfo=dt.UTC
            ),
        },
        province="TO",
        languages=[("en", "A2"), ("it", "B2"), ("ro", "native")],
        conditions=["dementia", "mobility", "parkinson"],
        qualifications=[
            ("dementia_care", today - dt.timedelta(days=700), None),
            (
                "driving_licence",
                today - dt.timedelta(days=1800),
                today + dt.timedelta(days=1850),
            ),
            ("first_aid", today - dt.timedelta(days=400), today + dt.timedelta(days=695)),
            ("oss", today - dt.timedelta(days=3000), None),
        ],
        documents=[("identity_card", today + dt.timedelta(days=1500))],
    )


def demo_family(places: Places, today: dt.date) -> RequestRecord:
    """Laura Bianchi's household in Torino: her mother Giuseppina needs mornings of care."""
    torino = places.index_of("Torino", "TO")
    return RequestRecord(
        household={
            "contact_name": "Laura Bianchi",
            "municipality_id": places.istat[torino],
            "address": "Via Nizza 120",
            "lat": round(float(places.lat[torino]), 5),
            "lon": round(float(places.lon[torino]), 5),
        },
        recipient={
            "first_name": "Giuseppina",
            "age_band": "85+",
            "self_sufficiency": "partially",
        },
        request={
            "arrangement": "hourly",
            "live_in_part_time": False,
            "schedule": to_bytes(DEMO_REQUEST_SCHEDULE.mask),
            "weekly_hours": DEMO_REQUEST_SCHEDULE.hours,
            "start_date": today + dt.timedelta(days=14),
            "duration_months": 12,
            "max_distance_km": 15.0,
            "has_voucher": True,
            "status": "open",
            "budget_eur_month": 900,
            "gender_preference": "preferred",
            "gender": "f",
            "ccnl_level": "CS",
        },
        province="TO",
        conditions=["dementia", "mobility"],
        qualifications=[("dementia_care", False), ("first_aid", False)],
        languages=[("it", True)],
    )
