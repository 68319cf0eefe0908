"""Benchmarks for medequip: ``python -m tests.benchmarks`` prints the figures and their targets.

Not shipped: the wheel packages only ``assistant``.
"""
