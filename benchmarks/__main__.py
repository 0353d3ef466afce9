"""Run every matching benchmark and (re)write docs/benchmarks.md.

Usage: ``python -m benchmarks [--quick] [--out docs/benchmarks.md]`` from the repo root.
"""

from __future__ import annotations

import argparse

from ._run import main

parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
parser.add_argument("--out", default="docs/benchmarks.md", help="report path")
args = parser.parse_args()
main(args.quick, args.out)
