"""Numbers from outside, measured without printing them.

Python refuses to turn an integer of more than 4,300 digits into text, and a TOML file can
hold one (``0xfff…`` parses whatever its length), so a message describes a number by its
size: :func:`digits` counts without ``str()``.
"""

from __future__ import annotations


def digits(n: int) -> int:
    """How many decimal digits ``abs(n)`` has, computed without ``str()``."""
    n = abs(n)
    if n < 10:
        return 1
    estimate = int(n.bit_length() * 0.30102999566398120)  # log10(2): exact or one short
    return estimate + 1 if n >= 10**estimate else estimate
