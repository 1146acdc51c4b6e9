"""Test support shared by the property tests and the benchmarks: a lean JSON-RPC driver and a lens decoder."""
