"""The benchmark: bench/run (README, "Benchmark")."""
