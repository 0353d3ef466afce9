"""Benchmarks of the matching engine: `python -m benchmarks`."""
