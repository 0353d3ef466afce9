"""The operator's match page: ranked list, map, filters, "why not", in Italian and English."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from tests.factories import MONCALIERI
from tests.helpers import log_in


def test_the_page_lists_candidates_with_a_map_and_components(
    client: FlaskClient, factories: Any, cpi_torino: User, torino_request: CareRequest
) -> None:
    near = factories.AssistantFactory(display_name="Irina")
    factories.AssistantFactory(display_name="Olena", municipality_id=MONCALIERI)
    log_in(client, cpi_torino)
    page = client.get(f"/care-requests/{torino_request.id}/matches?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Irina") < html.index("Olena")
    assert f'data-assistant-id="{near.id}"' in html
    assert html.count("<meter") == 2 * 9  # every component of both candidates
    assert html.count("<circle cx=") >= 2 + 2  # two distance rings, two candidates
    assert "Schedule coverage" in html

    italian = client.get(f"/care-requests/{torino_request.id}/matches?lang=it")
    assert italian.status_code == 200 and '<html lang="it"' in italian.get_data(as_text=True)


def audit_count(db_session: Session) -> int:
    db_session.commit()
    return db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


def test_why_not_on_the_page_and_bad_filters_are_explained(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    cpi_torino: User,
    torino_request: CareRequest,
) -> None:
    far = factories.AssistantFactory(municipality_id=MONCALIERI, travel_radius_km=50)
    torino_request = factories.CareRequestFactory(max_distance_km=3)
    log_in(client, cpi_torino)
    html = client.get(f"/care-requests/{torino_request.id}/matches?lang=en&why={far.id}").get_data(
        as_text=True
    )
    assert 'data-code="distance"' in html
    assert "beyond the family&#39;s maximum of 3 km" in html

    reads = audit_count(db_session)
    bad = client.get(f"/care-requests/{torino_request.id}/matches?lang=en&k=500&why=abc")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "is-invalid" in text and "Enter the assistant&#39;s number" in text
    # Refused input ranks nobody, so it reads no health information and writes nothing.
    assert 'data-testid="fix-fields"' in text and "data-assistant-id" not in text
    assert audit_count(db_session) == reads

    # An unknown assistant number is no malformed input: the list still shows.
    unknown = client.get(f"/care-requests/{torino_request.id}/matches?lang=en&why=999999")
    assert unknown.status_code == 200
    assert "fix-fields" not in unknown.get_data(as_text=True)


def test_the_request_page_links_to_the_candidates_for_brokers_only(
    client: FlaskClient, factories: Any, cpi_torino: User, torino_request: CareRequest
) -> None:
    log_in(client, cpi_torino)
    html = client.get(f"/care-requests/{torino_request.id}").get_data(as_text=True)
    assert f"/care-requests/{torino_request.id}/matches" in html

    asl = factories.OperatorFactory(
        organization=factories.OrganizationFactory(
            kind="health_authority",
            territory_codes=[torino_request.recipient.household.municipality_id],
        )
    )
    log_in(client, asl)
    html = client.get(f"/care-requests/{torino_request.id}").get_data(as_text=True)
    assert f"/care-requests/{torino_request.id}/matches" not in html
    assert client.get(f"/care-requests/{torino_request.id}/matches").status_code == 404


def test_checked_candidates_are_proposed_from_the_page(
    client: FlaskClient, factories: Any, cpi_torino: User, torino_request: CareRequest
) -> None:
    first = factories.AssistantFactory(display_name="Irina")
    second = factories.AssistantFactory(display_name="Olena")
    log_in(client, cpi_torino)
    html = client.get(f"/care-requests/{torino_request.id}/matches").get_data(as_text=True)
    assert html.count('name="assistant_ids"') == 2
    sent = client.post(
        f"/care-requests/{torino_request.id}/proposals", data={"assistant_ids": [str(first.id)]}
    )
    assert sent.status_code == 302
    html = client.get(f"/care-requests/{torino_request.id}/matches").get_data(as_text=True)
    # The proposed one is marked and can no longer be checked; the other still can.
    assert html.count('name="assistant_ids"') == 1
    assert f'value="{second.id}"' in html and f'value="{first.id}"' not in html
