"""Benchmarks: `make bench` (python -m benchmarks) prints tables of measured figures against targets."""
