"""Benchmarks: `make bench` prints every figure against its target, as ratios from one run."""
