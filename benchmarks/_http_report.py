"""The HTTP benchmark's summary and its section of docs/benchmarks.md."""

from __future__ import annotations

import statistics
from typing import Any

SERVERS = ("bare", "floor", "app")
FIELDS = ("rps", "p50_ms", "p99_ms", "cpu_ms")
# Issue 12's acceptance: the match endpoint against the floor app and the bare route.
TARGET_TO_FLOOR = 0.7
TARGET_TO_BARE = 0.12
TARGET_P99_MS = 100.0


def round_ratios(run: dict[str, dict[str, Any]]) -> dict[str, float]:
    """One round's throughput ratios: app / floor, app / bare, floor / bare."""
    bare, floor, app = (run[k]["rps"] for k in SERVERS)
    return {
        "app_to_floor": round(app / floor, 3),
        "app_to_bare": round(app / bare, 3),
        "floor_to_bare": round(floor / bare, 3),
    }


def summarise(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Medians over the rounds, and each ratio against the servers measured beside it."""

    def med(server: str, field: str) -> float | None:
        values = [r[server][field] for r in rounds if r[server][field] is not None]
        return round(statistics.median(values), 2) if values else None

    per_round = [round_ratios(r) for r in rounds]
    ratios = {k: round(statistics.median(p[k] for p in per_round), 3) for k in per_round[0]}
    out: dict[str, Any] = {s: {f: med(s, f) for f in FIELDS} for s in SERVERS}
    p99 = out["app"]["p99_ms"]
    return {
        **out,
        "ratios": ratios,
        "per_round": per_round,
        "targets": {
            "app_to_floor": ratios["app_to_floor"] >= TARGET_TO_FLOOR,
            "app_to_bare": ratios["app_to_bare"] >= TARGET_TO_BARE,
            "app_p99_ms": p99 is not None and p99 < TARGET_P99_MS,
        },
    }


def _ms(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "n/a"


def load_text(values: list[float] | tuple[float, ...] | None) -> str:
    """A load average (1 / 5 / 15 min) as text."""
    return " / ".join(f"{x:.2f}" for x in values) if values else "?"


def _round_rows(result: dict[str, Any]) -> list[str]:
    lines = [
        "| round | bare req/s | floor req/s | app req/s | app / floor | app / bare |"
        " floor / bare | app p50 / p99 ms | load average at the end of bare, floor, app |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n, (r, p) in enumerate(zip(result["rounds"], result["summary"]["per_round"], strict=True)):
        lines.append(
            f"| {n + 1} | {r['bare']['rps']:,.0f} | {r['floor']['rps']:,.0f} |"
            f" {r['app']['rps']:,.0f} | {p['app_to_floor']:.3f} | {p['app_to_bare']:.3f} |"
            f" {p['floor_to_bare']:.3f} | {r['app']['p50_ms']:.1f} / {r['app']['p99_ms']:.1f} |"
            f" {'; '.join(load_text(r[k]['load_avg']) for k in SERVERS)} |"
        )
    return lines


def markdown(result: dict[str, Any], workers: int, profile_md: str = "") -> str:
    """The report section."""
    m, s, o = result["machine"], result["summary"], result["options"]
    warm = result["warm_up"]
    ok = {True: "met", False: "**missed**"}
    lines = [
        "## HTTP: the match endpoint under gunicorn",
        "",
        f"Measured {m['date']} on {m['cores']} cores ({m['cpu']}), Python {m['python']}, "
        f"PostgreSQL {result['database']['postgres']}, commit {m['commit']}"
        f"{' with uncommitted changes to the app' if m.get('uncommitted_app_changes') else ''}"
        f"; load average {load_text(m['load_average_before'])} before the run and "
        f"{load_text(m.get('load_average_after', []))} after it (the machine is shared). "
        "Reproduce with `python -m benchmarks --http-only` (raw figures in "
        "`benchmarks/results-http.json`).",
        "",
        f"- Real app: `gunicorn wsgi:app`, {workers} sync workers, PostgreSQL with "
        f"{result['database']['assistants']:,} demo assistants (the demo loader's layout: "
        "Piemonte, tables analyzed after the load); "
        f"`GET /api/v1/care-requests/<id>/matches?k={o['k']}` as `{o['operator']}` with an "
        f"API token, rotating over {result['request_ids']} open requests of the operator's "
        "territory. Every call authenticates the token, checks access, refreshes the index "
        "from the change log, ranks, serialises and writes an audit row.",
        "- Floor: `benchmarks/_floor_app.py` on the same database, URLs and token: one "
        "token lookup, the engine's top-20 with components, one autocommitted audit INSERT, "
        "`json.dumps`. No implementation of the endpoint with this engine can be faster.",
        "- Bare: `benchmarks/_bare_app.py`, one route returning a small JSON.",
        f"- Load: a fixed {o['concurrency']} concurrent clients (threads of one Python "
        "process, a new connection per request since sync workers close it), "
        f"{o['duration']:g} s per server per round, {o['rounds']} rounds, each round bare, "
        f"floor, then app; all three servers run with {workers} sync workers from the "
        "start. The generator competes with the servers and PostgreSQL for the same cores, "
        "so the same-round ratios, not the absolute throughput, are the result.",
        f"- Warm-up: each app worker builds its index on its first match request: "
        f"{', '.join(f'{x:.1f} s' for x in warm['build_seconds'])} (from the app's log); "
        "then a few seconds of load on each server, not counted. The benchmark starts "
        "gunicorn with `--timeout 600` so that no build is killed by the worker timeout "
        "(the project's settings keep gunicorn's 30 s today).",
        "",
        "Medians over the rounds:",
        "",
        "| server | requests/s | p50 ms | p99 ms | server CPU ms per request |",
        "|---|---:|---:|---:|---:|",
    ]
    names = {"bare": "bare Flask", "floor": "floor", "app": "match endpoint"}
    for k in SERVERS:
        lines.append(
            f"| {names[k]} | {s[k]['rps']:,.0f} | {s[k]['p50_ms']:.1f} | "
            f"{s[k]['p99_ms']:.1f} | {_ms(s[k].get('cpu_ms'))} |"
        )
    lines += [
        "",
        "Server CPU = user + system time of the gunicorn master and workers over the load, "
        "divided by the requests served (PostgreSQL's own CPU is not in it).",
        "",
        *_round_rows(result),
        "",
        "| target (median of the per-round ratios) | measured | |",
        "|---|---:|---|",
        f"| app / floor >= {TARGET_TO_FLOOR} | {s['ratios']['app_to_floor']:.3f} | "
        f"{ok[s['targets']['app_to_floor']]} |",
        f"| app / bare >= {TARGET_TO_BARE} | {s['ratios']['app_to_bare']:.3f} | "
        f"{ok[s['targets']['app_to_bare']]} |",
        f"| app p99 < {TARGET_P99_MS:g} ms at {o['concurrency']} clients | "
        f"{s['app']['p99_ms']:.1f} ms | {ok[s['targets']['app_p99_ms']]} |",
        "",
    ]
    if profile_md:
        lines.append(profile_md)
    if result.get("notes"):
        lines += [result["notes"].strip(), ""]
    return "\n".join(lines)
