"""Development tools the tests, the benchmarks and `make` call (not part of the `meis` package)."""
