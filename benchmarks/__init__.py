"""Benchmark harness: `python -m benchmarks <part> [--quick]` measures the assistant and writes docs/benchmarks.md."""
