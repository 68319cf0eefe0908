"""Bilingual messages and value formatting.

Messages are built in both languages at once (``Msg``) so the evaluator stays language-free
and any layer can render either language from the same result.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

from .catalogue import lookup

LANGS = ("zh", "en")


class Msg:
    """One text in both languages. A value: equal and hashed by its two texts. Written out
    rather than a dataclass: the evaluator builds hundreds per profile (a frozen dataclass
    pays for every field through object.__setattr__), and the dataclass machinery costs
    every start-up its import."""

    __slots__ = ("zh", "en")

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Msg:
            return NotImplemented
        return self.zh == other.zh and self.en == other.en  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.zh, self.en))

    def __repr__(self) -> str:
        return f"Msg(zh={self.zh!r}, en={self.en!r})"

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


class Words(Mapping[str, Msg]):
    """A fixed set of words (name -> catalogue key), each looked up on first use: never at
    import, so a run that shows no text reads no catalogue."""

    __slots__ = ("_keys", "_seen")

    def __init__(self, keys: dict[str, str]):
        self._keys, self._seen = keys, {}

    def __getitem__(self, name: str) -> Msg:
        found = self._seen.get(name)
        if found is None:
            found = self._seen[name] = Msg(*lookup(self._keys[name]))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


STATUS = Words(
    {
        "met": "status.met",
        "not_met": "status.not_met",
        "exempt": "status.exempt",
        "not_applicable": "status.not_applicable",
        "unknown": "status.unknown",
    }
)

OVERALL = Words(
    {
        "compliant": "overall.compliant",
        "not_compliant": "overall.not_compliant",
        "incomplete": "overall.incomplete",
    }
)

LEVEL = Words(
    {
        "required": "level.required",
        "advisory": "level.advisory",
    }
)
