"""Read a number the way people write it in Chinese and in digits.

``1200``, ``一千二百``, ``一千二`` (1200: a digit after a unit means the next lower unit),
``两千五``, ``一万五``, ``三千零五``, ``十五``, ``一百万``, ``壹仟贰佰``, positional ``一二零零``,
and mixed forms: ``1万``, ``1.2万``, ``3千``, ``1万5``, ``1万2500``. The caller has already
folded full-width characters (NFKC), removed thousands separators, units and spaces.

``read`` returns an exact ``Fraction`` (``1.2万`` is 12000 exactly; ``3.5`` stays 7/2 for the
caller to refuse) or None when the text is not one number written in one of these ways.
"""

from __future__ import annotations

import re
from fractions import Fraction

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "幺": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
UNITS = {
    "十": 10,
    "拾": 10,
    "百": 100,
    "佰": 100,
    "千": 1000,
    "仟": 1000,
    "万": 10**4,
    "萬": 10**4,
    "亿": 10**8,
    "億": 10**8,
}
_ZEROS = {k for k, v in DIGITS.items() if v == 0}
_TOKEN = re.compile(r"(\d+(?:\.\d+)?)|([" + "".join(DIGITS) + "])|([" + "".join(UNITS) + "])")
NUMBER_CHARS = frozenset(DIGITS) | frozenset(UNITS)
# A regex character class body matching any digit, Arabic or Chinese.
DIGITS_CLASS = r"\d" + "".join(DIGITS) + "".join(UNITS)


def _tokens(s: str) -> list[tuple[str, Fraction, bool]] | None:
    """(kind, value, single digit?) for each part, or None when something else is in ``s``."""
    out = []
    pos = 0
    for m in _TOKEN.finditer(s):
        if m.start() != pos:
            return None
        pos = m.end()
        if m[1] is not None:
            out.append(("num", Fraction(m[1]), len(m[1]) == 1))
        elif m[2] is not None:
            out.append(("zero" if m[2] in _ZEROS else "num", Fraction(DIGITS[m[2]]), True))
        else:
            out.append(("unit", Fraction(UNITS[m[3]]), False))
    if pos != len(s) or not out:
        return None
    return out


class _NotANumber(Exception):
    pass


class _Units:
    """Chinese units read left to right: 亿 groups, 万 groups below them, and what is below
    万 (十, 百, 千), with the digit waiting for its unit."""

    def __init__(self) -> None:
        self.total = Fraction(0)  # whole 亿 groups
        self.section = Fraction(0)  # whole 万 groups below 亿
        self.small = Fraction(0)  # below 万
        self.pending: Fraction | None = None
        self.pending_single = False
        self.gap = False  # a 零 since the last unit: the trailing digit is not shortened
        self.last_unit: Fraction | None = None
        self.small_unit = Fraction(10**4)  # units below 万 must fall
        self.seen_wan = False

    def zero(self) -> None:
        if self.pending is not None:
            raise _NotANumber
        self.gap = True

    def digit(self, value: Fraction, single: bool) -> None:
        if self.pending is not None:
            raise _NotANumber  # two numbers in a row: 1二, 一二十
        self.pending, self.pending_single = value, single

    def small_unit_of(self, value: Fraction) -> None:
        if value >= self.small_unit:
            raise _NotANumber  # 二百三千
        if self.pending is None:
            # 十五 and 一百十五 are written without the 一; 百, 千 alone are not numbers.
            if value != 10:
                raise _NotANumber
            self.pending = Fraction(1)
        self.small += self.pending * value
        self.small_unit = value

    def big_unit_of(self, value: Fraction) -> None:
        group = self.small + (self.pending or 0)
        if group == 0:
            raise _NotANumber  # 万 with nothing before it
        if value == 10**4:
            if self.seen_wan:
                raise _NotANumber
            self.section = group * value
            self.seen_wan = True
        else:
            if self.total:
                raise _NotANumber
            self.total = (self.section + group) * value
            self.section = Fraction(0)
            self.seen_wan = False
        self.small = Fraction(0)
        self.small_unit = Fraction(10**4)

    def unit(self, value: Fraction) -> None:
        if value < 10**4:
            self.small_unit_of(value)
        else:
            self.big_unit_of(value)
        self.pending, self.gap, self.last_unit = None, False, value

    def value(self) -> Fraction:
        pending = self.pending
        if pending is not None and self.last_unit is not None:
            if self.pending_single and not self.gap:
                # 一千二 is 1200, 一万五 is 15000, 1万5 is 15000: the next lower unit is meant.
                pending *= self.last_unit / 10
            elif pending >= self.last_unit:
                raise _NotANumber  # 1万12000
        return self.total + self.section + self.small + (pending or 0)


def read(s: str) -> Fraction | None:
    tokens = _tokens(s)
    if tokens is None:
        return None
    if all(kind != "unit" for kind, _, _ in tokens):
        return _positional(s, tokens)
    units = _Units()
    try:
        for kind, value, single in tokens:
            if kind == "zero":
                units.zero()
            elif kind == "num":
                units.digit(value, single)
            else:
                units.unit(value)
        return units.value()
    except _NotANumber:
        return None


def _positional(s: str, tokens: list[tuple[str, Fraction, bool]]) -> Fraction | None:
    """No units: one Arabic number, or Chinese digits read place by place (一二零零 = 1200).
    Two digits are not read so: 三五, 七八, 一两 say "three or five", "seven or eight"."""
    if len(tokens) == 1:
        return tokens[0][1]
    if len(s) >= 3 and all(ch in DIGITS for ch in s):
        return Fraction(int("".join(str(DIGITS[ch]) for ch in s)))
    return None
