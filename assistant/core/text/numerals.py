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


def read(s: str) -> Fraction | None:
    tokens = _tokens(s)
    if tokens is None:
        return None
    if all(kind != "unit" for kind, _, _ in tokens):
        return _positional(s, tokens)
    total = Fraction(0)  # whole 亿 groups
    section = Fraction(0)  # whole 万 groups below 亿
    small = Fraction(0)  # below 万
    pending: Fraction | None = None
    pending_single = False
    gap = False  # a 零 since the last unit: the trailing digit is not shortened
    last_unit: Fraction | None = None
    small_unit = Fraction(10**4)  # units below 万 must fall
    seen_wan = False
    for kind, value, single in tokens:
        if kind == "zero":
            if pending is not None:
                return None
            gap = True
            continue
        if kind == "num":
            if pending is not None:
                return None  # two numbers in a row: 1二, 一二十
            pending, pending_single = value, single
            continue
        if value < 10**4:
            if value >= small_unit:
                return None  # 二百三千
            if pending is None:
                # 十五 and 一百十五 are written without the 一; 百, 千 alone are not numbers.
                if value != 10:
                    return None
                pending = Fraction(1)
            small += pending * value
            small_unit = value
        else:
            group = small + (pending or 0)
            if group == 0:
                return None  # 万 with nothing before it
            if value == 10**4:
                if seen_wan:
                    return None
                section = group * value
                seen_wan = True
            else:
                if total:
                    return None
                total = (section + group) * value
                section = Fraction(0)
                seen_wan = False
            small = Fraction(0)
            small_unit = Fraction(10**4)
        pending, gap, last_unit = None, False, value
    if pending is not None and last_unit is not None:
        if pending_single and not gap:
            # 一千二 is 1200, 一万五 is 15000, 1万5 is 15000: the next lower unit is meant.
            pending *= last_unit / 10
        elif pending >= last_unit:
            return None  # 1万12000
    return total + section + small + (pending or 0)


def _positional(s: str, tokens: list[tuple[str, Fraction, bool]]) -> Fraction | None:
    """No units: one Arabic number, or Chinese digits read place by place (一二零零 = 1200).
    Two digits are not read so: 三五, 七八, 一两 say "three or five", "seven or eight"."""
    if len(tokens) == 1:
        return tokens[0][1]
    if len(s) >= 3 and all(ch in DIGITS for ch in s):
        return Fraction(int("".join(str(DIGITS[ch]) for ch in s)))
    return None
