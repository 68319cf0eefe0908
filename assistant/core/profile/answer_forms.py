"""Everyday forms of an answer, as classes rather than lists of words: the spellings of an
option hospitals write (公立医院, 三甲的, 副高职称, 主任医生, 放疗科), 人 as the unit of a count of
patients, and years typed for a question that asks months (一年, 1年半). ``answers.py`` tries
them only after the exact readings, and takes one only when it names a single option.

Imports: the standard library, ``numerals`` and the model.
"""

from __future__ import annotations

import re

from ..rules.model import Fact
from ..text import numerals

# Everyday forms of an option's name that say nothing more (a class, not a list of words):
# a trailing 的 or 医院 / 医疗机构 (公立医院, 三级甲等医院, 三甲的), a trailing 职称 / 职务
# (副高职称), 医生 for 医师 (主任医生), and a department with or without 科 (放疗科, 病理).
_SUFFIXES = ("的", "的医院", "医院", "医疗机构", "机构", "职称", "职务", "专业")


def forms_of(t: str) -> list[list[str]]:
    """Other spellings of a typed option to look up, in rounds, nearest first: without a
    trailing word (and with 医师 for 医生), then also without a trailing 科."""
    first: list[str] = []
    for stem in [t, *(t[: -len(x)] for x in _SUFFIXES if t.endswith(x) and len(t) > len(x))]:
        for form in (stem, stem.replace("医生", "医师")):
            if form and form not in first:
                first.append(form)
    second = [f[:-1] for f in first if f.endswith("科") and len(f) > 2 and f[:-1] not in first]
    return [[f for f in first if f != t], second]


def counts_patients(fact: Fact) -> bool:
    """A count of cases that are patients (年收治患者数): people say 人 for those."""
    return any(w in fact.label.zh for w in ("患者", "病人", "病例")) or "patient" in fact.label.en.lower()


_YEARS_AS_MONTHS = re.compile(
    r"(?P<y>[^年]+?)\s*(?:个)?(?:年|years?|yrs?)(?P<half>半)?"
    r"(?:\s*(?:又|零|and)?\s*(?P<m>[^年]+?)\s*(?:个月|月|months?))?"
)


def years_in_months(s: str, fact: Fact) -> int | None:
    """A duration in years typed for a question that asks months (一年, 1年半, 两年零三个月,
    半年): the months it is. None when ``s`` is not one."""
    if not fact.unit or fact.unit.zh != "个月":
        return None
    if s in ("半年", "half a year", "half year"):
        return 6
    m = _YEARS_AS_MONTHS.fullmatch(s)
    if m is None:
        return None
    years = numerals.read(m["y"].strip())
    months = numerals.read(m["m"].strip()) if m["m"] else 0
    if years is None or months is None:
        return None
    total = years * 12 + (6 if m["half"] else 0) + months  # 1.5 年 is 18 months exactly
    return int(total) if total.denominator == 1 else None
