"""Benchmarks: runnable scripts that print figures (`python -m benchmarks [name ...]`)."""
