"""Tributary benchmarks: `make bench` (scripts/bench.py -> bench.gas.main)."""
