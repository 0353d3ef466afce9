"""The top-level gunicorn.conf.py also serves the benchmarks' bare and floor apps."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

from flask import Flask

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_when_ready_leaves_an_app_without_a_matching_index_alone() -> None:
    when_ready = runpy.run_path(str(CONF))["when_ready"]
    plain = Flask("plain")
    server = SimpleNamespace(
        cfg=SimpleNamespace(preload_app=True), app=SimpleNamespace(wsgi=lambda: plain)
    )
    when_ready(server)  # before the fix: KeyError 'carenet.matching'
    assert "carenet.matching" not in plain.extensions
