"""Benchmarks: `make bench` (python -m bench) reproduces the figures in BENCHMARKS.md."""
