"""Benchmarks of aoav-data against the obvious alternatives: `python -m benchmarks`."""
