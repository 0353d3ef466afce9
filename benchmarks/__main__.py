"""Run every benchmark and (re)write docs/benchmarks.md.

Usage: ``python -m benchmarks [--quick] [--out docs/benchmarks.md]`` from the repo root.
The matching engine (10k and 100k Piemonte, 1M Italy and 1M Piemonte; each top-20 timed
beside the whole scan; then the bulk assignment) takes 10-20 minutes (``--quick`` about a
minute); raw figures go to benchmarks/results.json. Then the HTTP benchmark
(``benchmarks.http_match``: the match endpoint under gunicorn on PostgreSQL beside the
floor app and a bare Flask app, about 5 minutes; raw figures in
benchmarks/results-http.json) runs, unless ``--no-http`` or ``--quick``; its last recorded
run is appended to the report in every mode. ``--queries-only``, ``--bulk-only`` (with
``--baseline REV``: the old code alternating with the current) and ``--http-only`` rerun
one part and keep the others' recorded figures."""

from __future__ import annotations

import argparse

from . import _acceptance, http_match
from ._run import main, main_bulk, render

parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run (no HTTP)")
parser.add_argument("--out", default="docs/benchmarks.md", help="report path")
parser.add_argument(
    "--render-only",
    action="store_true",
    help="rewrite the report from benchmarks/results.json without measuring",
)
parser.add_argument(
    "--bulk-only",
    action="store_true",
    help="rerun only the bulk assignment (keeps the query figures of results.json)",
)
parser.add_argument(
    "--baseline",
    metavar="REV",
    help="with --bulk-only: run the 20k x 100k assignment of git revision REV too (checked"
    " out in .bench-baseline/), alternating with the current code",
)
parser.add_argument(
    "--queries-only",
    action="store_true",
    help="rerun only the engine's queries (keeps the bulk figures of results.json); no HTTP",
)
parser.add_argument("--repeats", type=int, default=3, help="bulk runs per size (median)")
parser.add_argument(
    "--no-http",
    action="store_true",
    help="skip the HTTP benchmark (needs PostgreSQL; its last recorded run is still shown)",
)
parser.add_argument(
    "--http-only",
    action="store_true",
    help="run only the HTTP benchmark (keeps the engine figures of results.json)",
)
args = parser.parse_args()
if args.http_only:
    http_match.main([])
    render(args.out)
elif args.bulk_only:
    main_bulk(args.out, args.repeats, args.baseline)
elif args.queries_only:
    main(args.quick, args.out, keep_bulk=True)
elif args.render_only:
    render(args.out)
else:
    main(args.quick, args.out)
    if not (args.no_http or args.quick):
        http_match.main([])
http_match.append_section(args.out)
_acceptance.insert(args.out)
