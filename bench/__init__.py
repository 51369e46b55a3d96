"""Benchmarks: scripts that print figures side by side with named peers (not timed tests)."""
