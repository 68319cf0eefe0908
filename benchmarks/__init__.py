"""Benchmarks for medequip: ``python -m benchmarks`` prints the figures and their targets.

Not shipped: the wheel packages only ``assistant``.
"""
