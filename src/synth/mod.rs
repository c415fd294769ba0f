//! Deterministic synthetic captures of a home network, for tests, benchmarks and the demo.
