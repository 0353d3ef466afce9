"""Run every matching benchmark and (re)write docs/benchmarks.md.

Usage: ``python -m benchmarks [--quick] [--out docs/benchmarks.md]`` from the repo root
(about 6-8 minutes; ``--quick`` about 15 s). Raw figures go to benchmarks/results.json.
"""

from __future__ import annotations

import argparse

from ._run import main, render

parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
parser.add_argument("--out", default="docs/benchmarks.md", help="report path")
parser.add_argument(
    "--render-only",
    action="store_true",
    help="rewrite the report from benchmarks/results.json without measuring",
)
args = parser.parse_args()
if args.render_only:
    render(args.out)
else:
    main(args.quick, args.out)
