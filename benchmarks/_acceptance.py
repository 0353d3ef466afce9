"""Issue 12's acceptance figures in one table at the top of docs/benchmarks.md.

Read from the recorded runs (benchmarks/results.json, benchmarks/results-http.json): each
figure with its same-run baseline, the load average beside it, and the command that
measured it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from . import _http_report
from ._layouts import P99_TARGETS_MS

HERE = Path(__file__).resolve().parent
LSCPU_FIELDS = (
    "Model name",
    "CPU(s)",
    "Thread(s) per core",
    "Hypervisor vendor",
    "L2 cache",
    "L3 cache",
)


def lscpu() -> str:
    """A few lines of ``lscpu`` ('' where it is missing)."""
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return "; ".join(f"{k}: {fields[k].strip()}" for k in LSCPU_FIELDS if k in fields)


def _engine_rows(raw: dict[str, Any]) -> list[str]:
    rows = []
    for q in raw.get("queries", []):
        limit = P99_TARGETS_MS.get(q["name"])
        if limit is None or "best_of" not in q:
            continue
        for kind, key in (("wall clock", "engine"), ("CPU time", "engine_cpu")):
            if key not in q["best_of"]:
                continue
            e, w = q["best_of"][key], q["best_of"][key.replace("engine", "whole_scan")]
            rows.append(
                f"| engine top-20 p99 < {limit:g} ms, {q['name']}, {kind} (per-query best"
                f" of 3) | {e['p99']:.2f} ms (p50 {e['median']:.3f}) | whole scan p99"
                f" {w['p99']:.2f} ms (p50 {w['median']:.3f}); ratio {w['p99'] / e['p99']:.1f}x |"
                f" {_http_report.load_text(q['best_of']['load_after'])} |"
                " `python -m benchmarks --queries-only` |"
                f" {'met' if e['p99'] < limit else '**missed**'} |"
            )
    return rows


def _bulk_rows(raw: dict[str, Any]) -> list[str]:
    b = raw.get("bulk_baseline")
    if not b:
        return []
    runs = b["runs"]["current"]
    optimal = all(r["optimal"] for r in runs)
    met = optimal and b["current_median_s"] < 15
    loads = ", ".join(_http_report.load_text(r["load_before"]) for r in runs)
    return [
        f"| bulk 20k x 100k proven optimal < 15 s | {b['current_median_s']:.1f} s median"
        f" ({'all runs proven optimal' if optimal else 'not all proven optimal'}) |"
        f" old code ({b['commit'][:7]}) {b['baseline_median_s']:.1f} s; ratio current / old"
        f" {b['ratio']:.2f} | {loads} (before each current run) |"
        f" `python -m benchmarks --bulk-only --baseline {b['rev']}` |"
        f" {'met' if met else '**missed**'} |"
    ]


def _http_rows(http: dict[str, Any]) -> list[str]:
    s = http["summary"]
    load = _http_report.load_text(http["machine"].get("load_average_after"))
    command = "`python -m benchmarks --http-only`"
    ok = {True: "met", False: "**missed**"}
    floor_rounds = ", ".join(f"{p['app_to_floor']:.3f}" for p in s["per_round"])
    bare_rounds = ", ".join(f"{p['app_to_bare']:.3f}" for p in s["per_round"])
    return [
        f"| match endpoint / floor >= {_http_report.TARGET_TO_FLOOR} (100k, PostgreSQL, 2"
        f" workers, {http['options']['concurrency']} clients) | {s['ratios']['app_to_floor']:.3f}"
        f" | per round {floor_rounds} | {load} |"
        f" {command} | {ok[s['targets']['app_to_floor']]} |",
        f"| match endpoint / bare route >= {_http_report.TARGET_TO_BARE} |"
        f" {s['ratios']['app_to_bare']:.3f} | per round {bare_rounds} | {load} | {command} |"
        f" {ok[s['targets']['app_to_bare']]} |",
        f"| match endpoint p99 < {_http_report.TARGET_P99_MS:g} ms | {s['app']['p99_ms']:.1f} ms"
        f" (p50 {s['app']['p50_ms']:.1f}) | floor p99 {s['floor']['p99_ms']:.1f} ms, bare"
        f" {s['bare']['p99_ms']:.1f} ms | {load} | {command} | {ok[s['targets']['app_p99_ms']]} |",
    ]


def section() -> str:
    """The acceptance table from the recorded runs."""
    raw = json.loads((HERE / "results.json").read_text())
    http_path = HERE / "results-http.json"
    http = json.loads(http_path.read_text()) if http_path.exists() else None
    lines = [
        "## Issue 12: the acceptance figures",
        "",
        f"Machine: `lscpu`: {lscpu() or '?'}; memory {raw['machine'].get('RAM', '?')}."
        " The machine is shared with other sessions'"
        " test runs; the load average (1 / 5 / 15 min, `os.getloadavg()`) is given beside"
        " every figure, and each figure is judged beside a baseline measured in the same run.",
        "",
        "| target | measured | same-run baseline | load average | command | |",
        "|---|---|---|---|---|---|",
        *_engine_rows(raw),
        *_bulk_rows(raw),
        *(_http_rows(http) if http and "per_round" in http.get("summary", {}) else []),
        "| 1M on PostgreSQL: every worker's first match within 10 s of the start; 4 workers"
        " < 1.5x the memory of 1 | not measured by `make bench` | | | | **not measured** |",
        "",
    ]
    return "\n".join(lines)


def insert(report: str) -> None:
    """Put the section in ``report`` (docs/benchmarks.md) before its machine table."""
    path = Path(report)
    text = path.read_text()
    head, sep, tail = text.partition("\n## Machine\n")
    if not sep:
        head, tail = text, ""
    path.write_text(head + "\n" + section() + sep + tail)
    print(f"wrote the acceptance figures into {report}")
