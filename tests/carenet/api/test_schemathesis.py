"""The API contract (issue 10, item 12): schemathesis against the served app.

gunicorn serves the app on the test database (``tests/servers.py``, with the project's
``gunicorn.conf.py``); schemathesis' command line reads the served OpenAPI document and
runs every phase (examples, coverage, fuzzing, and the stateful phase that follows the
document's links) with every check, once anonymously and once as a CPI operator (with a
bearer token; ``schemathesis_hooks.py`` sends it). Any failure fails the test, except
where a check is narrowed below (``EXEMPTIONS``, each with its reason). The example
counts are bounded so that the run fits its CI step (``.ci/run``); each run's JSON
report and output are kept in
``test-results/schemathesis`` when ``test-results`` exists, else in the test's tmp_path.

Not in the default suite (``-m "not schemathesis"`` in pyproject.toml): CI runs it as its
own step, ``pytest -m schemathesis tests/carenet/api``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken
from carenet.auth.tokens import new_token, token_digest
from tests.carenet.api.placement_examples import add_placement_examples
from tests.carenet.api.proposal_examples import add_proposal_examples
from tests.carenet.api.referral_examples import add_referral_examples
from tests.conftest import GENEROUS_RATE_LIMITS
from tests.servers import REPO, gunicorn

pytestmark = pytest.mark.schemathesis

EXAMPLES = int(os.environ.get("CARENET_SCHEMATHESIS_EXAMPLES", "10"))
# Scenarios of the stateful phase: each is a chain of calls along the document's links.
STATEFUL_EXAMPLES = int(os.environ.get("CARENET_SCHEMATHESIS_STATEFUL_EXAMPLES", "25"))
SEED = int(os.environ.get("CARENET_SCHEMATHESIS_SEED", "20261207"))
# A bound on each run's wall time, well above what it needs (about a minute): a run that
# gets there has hung, and the test fails with what schemathesis printed.
TIMEOUT_S = 600
ACTORS = ("anonymous", "operator")
REPORTS = REPO / "test-results" / "schemathesis"
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")


@dataclass(frozen=True)
class Exemption:
    """A check narrowed on some operations, and why."""

    check: str
    operations: tuple[str, ...]
    reason: str
    # Statuses the check should accept besides its defaults; empty: the check is off.
    also_expected: tuple[int, ...] = ()
    actors: tuple[str, ...] = ACTORS


# Business rules the JSON Schema cannot state: the values depend on data (the gazetteer,
# the qualification catalogue, the records), on today's date or on several fields at once;
# and names are trimmed, so one of blanks only (U+0085 among them) is a missing name.
# A schema-valid request that breaks one gets the documented 422 (details.fields names
# the field), so positive_data_acceptance accepts a 422 on these operations, and only there.
BUSINESS_RULES: Mapping[str, str] = {
    "GET /api/v1/assistants": "municipality must name a comune of the gazetteer, matched "
    "loosely (case, accents, ISTAT code), so the document cannot list the strings",
    "POST /api/v1/assistants": "a comune of the gazetteer, coordinates inside Italy, an age "
    "of 16 to 100 this year, availability in the schedule grammar, an ISO 3166 nationality",
    "PATCH /api/v1/assistants/{assistant_id}": "as for POST /api/v1/assistants",
    "POST /api/v1/assistants/{assistant_id}/documents": "the document must not have expired",
    "POST /api/v1/assistants/{assistant_id}/qualifications": "a code of the qualification "
    "catalogue (data, not schema), expiring after it was issued",
    "POST /api/v1/auth/register": "the password policy (a configured minimum length, common "
    "passwords refused) and an e-mail address that can receive mail",
    "POST /api/v1/bulk-assignments/{job_id}/send": "the ids must be drafts of that run",
    "POST /api/v1/care-requests": "the schedule grammar and working-time rules, a start date "
    "not in the past, catalogue codes, weekly hours equal to the schedule's",
    "PATCH /api/v1/care-requests/{request_id}": "as for POST /api/v1/care-requests",
    "POST /api/v1/care-requests/{request_id}/proposals": "the assistants must exist in the "
    "caller's register and be eligible for the request",
    "POST /api/v1/families/households": "a comune of the gazetteer; latitude and longitude "
    "both or neither",
    "PATCH /api/v1/families/households/{household_id}": "as for POST /api/v1/families/households",
    "POST /api/v1/families/households/{household_id}/recipients": "a first name that is not "
    "blank once trimmed",
    "PATCH /api/v1/families/recipients/{recipient_id}": "a first name that is not blank once "
    "trimmed",
    "POST /api/v1/placements": "the schedule grammar, a start date not in the past, the CCNL "
    "level the recipient's self-sufficiency implies",
    "POST /api/v1/placements/{placement_id}/end": "an end date between the placement's start "
    "and today",
    "POST /api/v1/referrals": "not to the caller's own organization; the request must belong "
    "to the household",
}

EXEMPTIONS: tuple[Exemption, ...] = (
    Exemption(
        check="positive_data_acceptance",
        operations=tuple(BUSINESS_RULES),
        reason="business rules beyond the schema (BUSINESS_RULES says which)",
        also_expected=(422,),
    ),
)


@dataclass(frozen=True)
class Failure:
    """One failing test case, as schemathesis prints it."""

    operation: str
    checks: tuple[str, ...]
    status: int | None
    text: str
    authenticated: bool


def failures_in(output: str) -> list[Failure]:
    """The failing cases of schemathesis' output, section by section."""
    part = output.partition("= FAILURES =")[2]
    part = re.split(r"\n=+ (?:WARNINGS|SUMMARY|ERRORS) =+\n", part)[0]
    found = []
    for section in re.split(r"\n(?=_{2,} .+ _{2,}\n)", part):
        header = re.match(r"\s*_{2,} (.+?) _{2,}\n", section)
        if header is None:
            continue
        for case in re.split(r"\n\d+\. Test Case ID: \S+\n", section)[1:]:
            status = re.search(r"^\[(\d{3})\] ", case, re.M)
            # The last command is the failing request (a stateful case lists its steps).
            curls = re.findall(r"^\s*curl .*$", case, re.M)
            found.append(
                Failure(
                    operation=header.group(1),
                    checks=tuple(re.findall(r"^- (ST\d+) ", case, re.M)),
                    status=int(status.group(1)) if status else None,
                    text=case,
                    authenticated=bool(curls and "-H 'Authorization:" in curls[-1]),
                )
            )
    return found


def _toml(value: Any) -> str:
    """``value`` as a TOML value (JSON strings are valid TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {value!r}")


def to_toml(config: Mapping[str, Any]) -> str:
    """A schemathesis.toml: top-level keys, then one table per mapping, then arrays of
    tables (``[[operations]]``); anything deeper is an inline table."""
    lines = [f'"{k}" = {_toml(v)}' for k, v in config.items() if not isinstance(v, Mapping | list)]
    for key, value in config.items():
        if isinstance(value, Mapping):
            lines += [f'["{key}"]', *(f'"{k}" = {_toml(v)}' for k, v in value.items())]
    for key, value in config.items():
        if isinstance(value, list):
            for item in value:
                lines += [f'[["{key}"]]', *(f'"{k}" = {_toml(v)}' for k, v in item.items())]
    return "\n".join(lines) + "\n"


def schemathesis_config(actor: str, report: Path) -> dict[str, Any]:
    """The run's configuration: every check and phase, bounded, and the exemptions."""
    config: dict[str, Any] = {
        "seed": SEED,
        "workers": 2,
        "request-timeout": 30,
        "generation": {"max-examples": EXAMPLES, "mode": "all", "database": "none"},
        "checks": {"enabled": True},
        "reports": {"json": {"enabled": True, "path": str(report)}},
        "operations": [],
    }
    if actor == "operator":
        config["hooks"] = str(HOOKS)
    # The stateful phase follows the document's own links (ContractPlugin), not the ones
    # schemathesis would guess from names: the document is what is under test.
    config["phases"] = {
        "enabled": True,
        "stateful": {
            "inference": {"algorithms": []},
            "generation": {"max-examples": STATEFUL_EXAMPLES},
        },
    }
    for exemption in EXEMPTIONS:
        if actor not in exemption.actors:
            continue
        if exemption.also_expected:
            defaults = DEFAULT_EXPECTED[exemption.check]
            check = {"expected-statuses": [*defaults, *exemption.also_expected]}
        else:
            check = {"enabled": False}
        config["operations"].append(
            {"include-name": list(exemption.operations), "checks": {exemption.check: check}}
        )
    return config


# The statuses a check accepts when not told otherwise (schemathesis 4's defaults): an
# exemption adds to them, so it must repeat them.
DEFAULT_EXPECTED: Mapping[str, tuple[str, ...]] = {
    "positive_data_acceptance": ("2xx", "3xx", "401", "403", "404", "409", "429", "5xx"),
}


@pytest.fixture
def credentials(factories: Any, db_session: Session) -> dict[str, str]:
    """A CPI Torino operator's bearer token, with records to find in the territory, and
    the login of a second operator whose tokens the revoking operation may spend (see
    ``schemathesis_hooks.py``), as the environment the hooks read."""
    operator = factories.OperatorFactory()
    token = new_token()
    db_session.add(
        ApiToken(
            user_id=operator.id,
            name="schemathesis",
            prefix=token[:8],
            token_hash=token_digest(token),
        )
    )
    db_session.commit()
    revoker = factories.OperatorFactory(organization=operator.organization)
    for _ in range(3):
        factories.AssistantFactory()
        factories.CareRequestFactory()
    add_placement_examples(factories, db_session)
    add_referral_examples(factories, db_session, operator)
    add_proposal_examples(factories, db_session)
    return {
        "CARENET_SCHEMATHESIS_TOKEN": token,
        "CARENET_SCHEMATHESIS_REVOKER_EMAIL": revoker.email,
        "CARENET_SCHEMATHESIS_REVOKER_PASSWORD": factories.PASSWORD,
    }


@pytest.fixture
def served(app: Flask, migrated_database: str, tmp_path: Path) -> Iterator[str]:
    """The app under gunicorn on the test database (the ``app`` fixture empties it after).

    Rate limits are raised: schemathesis sends thousands of logins, tokens and sign-ups
    from one address, and the logic behind them is what it tests (the limits have their
    own tests, tests/carenet/auth/test_rate_limits.py; their 429 is documented).
    """
    env = {f"CARENET_{name}": value for name, value in GENEROUS_RATE_LIMITS.items()}
    with gunicorn(migrated_database, tmp_path, workers=2, env=env) as url:
        yield url


def figures(report: Mapping[str, Any]) -> str:
    """One paragraph of the run's figures: operations, cases, failures by check."""
    failures = ", ".join(
        f"{f['code']} {f['title']}: {f['count']}" for f in report.get("failures", [])
    )
    phases = ", ".join(f"{name} {phase['status']}" for name, phase in report["phases"].items())
    return (
        f"operations {report['operations']['tested']}/{report['operations']['total']}, "
        f"cases {report['test_cases']['generated']}, "
        f"failures {report['test_cases']['unique_failures']} ({failures or 'none'}), "
        f"errors {len(report.get('errors', []))}, "
        f"phases {phases}, "
        f"{report['running_time']:.0f} s"
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_the_served_api_keeps_its_contract(
    actor: str,
    credentials: dict[str, str],
    served: str,
    migrated_database: str,
    tmp_path: Path,
) -> None:
    folder = REPORTS if REPORTS.parent.is_dir() else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    database = migrated_database.split(":")[0].split("+")[0]
    report_path = folder / f"{database}-{actor}.json"
    report_path.unlink(missing_ok=True)
    config = tmp_path / "schemathesis.toml"
    config.write_text(to_toml(schemathesis_config(actor, report_path)))
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config),
        "run",
        f"{served}/api/openapi.json",
    ]
    environ = {**os.environ, **credentials, "CARENET_SCHEMATHESIS_URL": served}
    result = subprocess.run(
        command,
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    report_path.with_suffix(".txt").write_text(result.stdout + result.stderr)
    assert report_path.exists(), result.stdout[-20000:] + result.stderr[-5000:]
    report = json.loads(report_path.read_text())
    print(f"schemathesis {database} {actor}: {figures(report)}")
    assert report["complete"], result.stdout[-20000:]
    assert report["operations"]["tested"] == report["operations"]["total"], result.stdout[-20000:]
    assert not report["errors"], result.stdout[-30000:]
    failures = failures_in(result.stdout)
    assert len(failures) >= report["test_cases"]["with_failures"], "unreadable output"
    assert not failures, "\n\n".join(f"{f.operation}\n{f.text}" for f in failures)[:30000]
