"""Bulk assignment beside an older revision, in the same run (``--bulk-only --baseline REV``).

The old code is checked out (detached) into ``.bench-baseline/``, a git worktree of this
repository that is reused while it is at the same commit. Its own ``benchmarks._run.
bulk_child`` runs there, in a process whose working directory is the worktree, so it
imports the old ``matching`` (checked before the run counts); the current code's runs
alternate with it, one of each per repeat, on the same seeded data.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORKTREE = REPO / ".bench-baseline"


def _git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def checkout(rev: str) -> str:
    """``.bench-baseline/`` at ``rev`` (created or moved there); the full commit id."""
    commit = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    if not (WORKTREE / ".git").exists():
        _git("worktree", "add", "--detach", str(WORKTREE), commit)
    elif _git("rev-parse", "HEAD", cwd=WORKTREE) != commit:
        _git("checkout", "--detach", commit, cwd=WORKTREE)
    return commit


def run_child(root: Path, n_dem: int, n_cand: int, region: str, limit: float) -> dict[str, Any]:
    """One ``bulk_child`` of the code in ``root``, in a process of its own."""
    code = (
        "import json, pathlib, matching; "
        f"assert pathlib.Path(matching.__file__).is_relative_to({str(root)!r}), matching.__file__; "
        "from benchmarks._run import bulk_child; "
        f"print(json.dumps(bulk_child({n_dem}, {n_cand}, {region!r}, {limit})))"
    )
    load = [round(x, 2) for x in os.getloadavg()]
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:], "load_before": load}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"] = load
    return result


def alternate(
    rev: str, n_dem: int, n_cand: int, region: str, limit: float, repeats: int
) -> dict[str, Any]:
    """``repeats`` runs of the current code and of ``rev``, alternating; medians and ratio."""
    commit = checkout(rev)
    runs: dict[str, list[dict[str, Any]]] = {"current": [], "baseline": []}
    for n in range(repeats):
        for label, root in (("current", REPO), ("baseline", WORKTREE)):
            print(f"bulk {n_dem} x {n_cand}, {label} run {n + 1}/{repeats} ...", flush=True)
            run = run_child(root, n_dem, n_cand, region, limit)
            if "error" in run:
                raise RuntimeError(f"{label} bulk run failed:\n{run['error']}")
            print(
                f"  {run['total_s']:.1f} s, optimal {run['optimal']}, total {run['total']:.2f},"
                f" load {run['load_before']}",
                flush=True,
            )
            runs[label].append(run)
    current = statistics.median(r["total_s"] for r in runs["current"])
    baseline = statistics.median(r["total_s"] for r in runs["baseline"])
    by_run = sorted(runs["current"], key=lambda r: r["total_s"])
    return {
        "rev": rev,
        "commit": commit,
        "demands": n_dem,
        "candidates": n_cand,
        "repeats": repeats,
        "median_run": by_run[len(by_run) // 2],
        "runs": {
            label: [
                {
                    "total_s": r["total_s"],
                    "optimal": r["optimal"],
                    "total": r["total"],
                    "edges_s": r["timings"].get("edges_s", 0.0),
                    "solve_s": r["timings"].get("solve_s", 0.0),
                    "load_before": r["load_before"],
                }
                for r in rs
            ]
            for label, rs in runs.items()
        },
        "current_median_s": current,
        "baseline_median_s": baseline,
        "ratio": current / baseline,
    }


def markdown(b: dict[str, Any]) -> list[str]:
    """The paragraph of docs/benchmarks.md on the same-run comparison."""

    def runs(label: str) -> str:
        return "; ".join(
            f"{r['total_s']:.1f} s ({'optimal' if r['optimal'] else 'not proven optimal'},"
            f" load {' '.join(str(x) for x in r['load_before'])})"
            for r in b["runs"][label]
        )

    same = {r["total"] for rs in b["runs"].values() for r in rs}
    return [
        f"- Beside the old code, same run (`python -m benchmarks --bulk-only --baseline"
        f" {b['rev']}`, commit {b['commit'][:7]} checked out in `.bench-baseline/`),"
        f" {b['demands']} x {b['candidates']}, {b['repeats']} runs each, alternating:"
        f" current median {b['current_median_s']:.1f} s, old code median"
        f" {b['baseline_median_s']:.1f} s, ratio current / old {b['ratio']:.2f}."
        f" Current runs: {runs('current')}. Old code's runs: {runs('baseline')}."
        + (
            f" Both reached the same total score ({next(iter(same)):.2f})."
            if len(same) == 1
            else f" Total scores: {', '.join(f'{x:.2f}' for x in sorted(same))}: each"
            " revision assigns over its own edges (each demand's top 20 under its own rules);"
            " a run stopped by the solver's time limit (60 s) keeps its best solution so far,"
            " not proven optimal."
        ),
    ]
