"""Benchmarks and measurement harnesses (``citylens bench …``); never imported by the running pipeline."""
