"""Benchmarks: a baseline app, the measurements and the runners (the shared infrastructure is in harness/)."""
