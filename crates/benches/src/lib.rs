//! Nothing to export: this package exists for its benchmarks under `benches/` (see the
//! package description and `bench/run.sh`).
