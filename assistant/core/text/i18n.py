"""Bilingual messages and value formatting.

Messages are built in both languages at once (``Msg``) so the evaluator stays language-free
and any layer can render either language from the same result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

LANGS = ("zh", "en")


# Not frozen: a frozen dataclass pays for every field through object.__setattr__, and the
# evaluator builds hundreds of these per profile. Nothing changes one after it is made.
@dataclass(slots=True, unsafe_hash=True)
class Msg:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __bool__(self) -> bool:  # an empty message (no hint) reads as nothing: ``hint or other``
        return bool(self.zh or self.en)

    def __add__(self, other: Msg) -> Msg:
        return Msg(self.zh + other.zh, self.en + other.en)

    @staticmethod
    def join(parts: list[Msg], zh_sep: str = "；", en_sep: str = "; ") -> Msg:
        # Lists, not generators: str.join makes one anyway, and this runs for every verdict.
        return Msg(zh_sep.join([p.zh for p in parts]), en_sep.join([p.en for p in parts]))


def default_lang() -> str:
    """zh when LANG (or, failing that, LC_ALL / LC_MESSAGES) names a Chinese locale, else en.
    LANG is what users and the docs set; a machine-wide LC_ALL=C must not hide it."""
    for var in ("LANG", "LC_ALL", "LC_MESSAGES"):
        if os.environ.get(var, "").lower().startswith("zh"):
            return "zh"
    return "en"


def num(n: int) -> str:
    return f"{n:,}"


STATUS = {
    "met": Msg("符合", "met"),
    "not_met": Msg("不符合", "not met"),
    "exempt": Msg("豁免", "exempt"),
    "not_applicable": Msg("不适用", "not applicable"),
    "unknown": Msg("待定", "open"),
}

OVERALL = {
    "compliant": Msg("符合", "compliant"),
    "not_compliant": Msg("不符合", "not compliant"),
    "incomplete": Msg("信息不全", "incomplete"),
}

LEVEL = {"required": Msg("必备", "required"), "advisory": Msg("推荐", "advisory")}
