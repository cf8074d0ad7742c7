"""Benchmarks run by `make bench` (`python -m benchmarks`): each `*_bench.py` module's `run()`."""
