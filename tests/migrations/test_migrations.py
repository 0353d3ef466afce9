"""Every migration goes up and down cleanly, and ``upgrade head`` equals the models."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from carenet.core import migrate
from carenet.core.config import configured_test_database_url
from carenet.models import metadata


@pytest.fixture(scope="module")
def scratch_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database of the configured kind, apart from the suite's own."""
    base = configured_test_database_url()
    if base is None:
        path: Path = tmp_path_factory.mktemp("migrations") / "scratch.db"
        yield f"sqlite:///{path}"
        return
    url = sa.make_url(base)
    name = f"{url.database}_migrations_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_head_matches_models(scratch_url: str) -> None:
    migrate.upgrade(scratch_url)
    engine = sa.create_engine(scratch_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {t.name for t in metadata.sorted_tables} <= _tables(scratch_url)


def test_each_revision_goes_down_and_up_again(scratch_url: str) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config(scratch_url))
    revisions = [rev.revision for rev in script.walk_revisions("base", "heads")]
    assert revisions, "no migrations found"
    migrate.upgrade(scratch_url)
    for _ in revisions:
        migrate.downgrade(scratch_url, "-1")
    assert _tables(scratch_url) <= {"alembic_version"}
    for revision in reversed(revisions):
        migrate.upgrade(scratch_url, revision)
    assert {t.name for t in metadata.sorted_tables} <= _tables(scratch_url)


def test_catalogue_is_seeded(scratch_url: str) -> None:
    migrate.upgrade(scratch_url)
    engine = sa.create_engine(scratch_url)
    with engine.connect() as conn:
        codes = set(conn.scalars(sa.text("SELECT code FROM qualification")))
    engine.dispose()
    assert {"oss", "osa", "assistente_familiare", "nurse", "first_aid"} <= codes


def test_upgrading_keeps_every_committed_row(scratch_url: str) -> None:
    """Rows written at the first revision survive upgrade to head and back down again."""
    migrate.downgrade(scratch_url, "base")
    migrate.upgrade(scratch_url, "0001")
    engine = sa.create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO municipality (istat, name, name_key, province_code, province,"
                " region_code, region, lat, lon) VALUES ('001272', 'Torino', 'torino', '001',"
                " 'TO', '01', 'Piemonte', 45.07, 7.68)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO assistant (id, display_name, gender, birth_year, nationality,"
                " municipality_id, travel_radius_km, accepts_live_in, accepts_hourly,"
                " accepts_night, availability, available_from, years_experience, status, bio,"
                " created_at, updated_at) VALUES (1, 'Ana', 'f', 1980, 'RO', '001272', 20,"
                " false, true, false, :avail, '2026-01-01', 3, 'verified', '',"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            ),
            {"avail": b"\xff" * 21},
        )
        conn.execute(
            sa.text(
                "INSERT INTO assistant_language (assistant_id, language, level)"
                " VALUES (1, 'it', 'B2')"
            )
        )
    engine.dispose()

    def counts() -> tuple[int, int]:
        eng = sa.create_engine(scratch_url)
        with eng.connect() as conn:
            result = (
                conn.scalar(sa.text("SELECT count(*) FROM assistant")),
                conn.scalar(sa.text("SELECT count(*) FROM assistant_language")),
            )
        eng.dispose()
        return result

    assert counts() == (1, 1)
    migrate.upgrade(scratch_url)
    assert counts() == (1, 1)
    migrate.downgrade(scratch_url, "0001")
    assert counts() == (1, 1)
    migrate.upgrade(scratch_url)


def test_legacy_qualifications_come_and_go_with_their_migration(scratch_url: str) -> None:
    """Issue 10, item 16: ADEST and OTA are seeded as legacy; going down removes them, and
    any declaration naming them, and restores the old ``is_trained`` column."""
    migrate.downgrade(scratch_url, "base")
    migrate.upgrade(scratch_url)
    engine = sa.create_engine(scratch_url)
    with engine.begin() as conn:
        legacy = dict(conn.execute(sa.text("SELECT code, is_legacy FROM qualification")).all())
        assert {code for code, is_legacy in legacy.items() if is_legacy} == {"adest", "ota"}
        conn.execute(
            sa.text(
                "INSERT INTO municipality (istat, name, name_key, province_code, province,"
                " region_code, region, lat, lon) VALUES ('001272', 'Torino', 'torino', '001',"
                " 'TO', '01', 'Piemonte', 45.07, 7.68)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO assistant (id, display_name, gender, birth_year, nationality,"
                " municipality_id, travel_radius_km, accepts_live_in, accepts_hourly,"
                " accepts_night, availability, available_from, years_experience, status, bio,"
                " status_reason, created_at, updated_at) VALUES (1, 'Ana', 'f', 1980, 'RO',"
                " '001272', 20, false, true, false, :avail, '2026-01-01', 3, 'verified', '',"
                " '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            ),
            {"avail": b"\xff" * 21},
        )
        conn.execute(
            sa.text(
                "INSERT INTO assistant_qualification (assistant_id, qualification_code,"
                " issued_on, created_at) VALUES (1, 'adest', '1998-06-01', '2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    migrate.downgrade(scratch_url, "0003")
    engine = sa.create_engine(scratch_url)
    with engine.connect() as conn:
        trained = set(conn.scalars(sa.text("SELECT code FROM qualification WHERE is_trained")))
        codes = set(conn.scalars(sa.text("SELECT qualification_code FROM assistant_qualification")))
    engine.dispose()
    assert trained == {"oss", "nurse"}
    assert codes == set()
    migrate.upgrade(scratch_url)
