"""A batch as a table: one row per profile, one column per clause; and per-clause statistics.

CSV, XLSX and ``medequip stats`` all start from lean results (see :mod:`lean`) and the
rulesets they were evaluated against; this module turns those into rows and counts once, so
the formats cannot disagree. Columns follow the rulesets' own order of equipment and rules
(only the equipment types present in the batch), never the order results arrived in.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.rules.model import EQUIPMENT_KEYS
from ..core.text.i18n import OVERALL, STATUS, Words
from ..core.text.messages import tr, word

STATUSES = ("met", "not_met", "unknown", "exempt", "not_applicable")

HEAD = Words(
    {
        "source": "table.source",
        "institution": "table.institution",
        "equipment": "table.equipment",
        "status": "table.status",
        "not_met": "table.not_met",
        "unknown": "table.unknown",
        "exempt": "table.exempt",
        "edition": "table.edition",
        "error": "table.error",
    }
)
FIXED = ("source", "institution", "equipment", "status", "not_met", "unknown", "exempt", "edition", "error")


@dataclass(frozen=True)
class Clause:
    id: str
    equipment: str
    clause: str
    heading: str
    level: str
    text: str
    evidence: tuple[str, ...]


@dataclass
class Catalogue:
    """The clauses of the equipment types present in a batch, in the rulesets' order."""

    lang: str
    equipment: dict[str, str]  # key -> name, in EQUIPMENT_KEYS order
    clauses: list[Clause]
    labels: dict[str, str]  # fact key -> label

    @classmethod
    def for_equipment(cls, present: set[str], lang: str, ruleset: Path | None = None) -> Catalogue:
        from ..core.rules.loader import RulesetError, for_equipment

        names: dict[str, str] = {}
        clauses: list[Clause] = []
        labels: dict[str, str] = {}
        for eq in [k for k in EQUIPMENT_KEYS if k in present] + sorted(present - set(EQUIPMENT_KEYS)):
            try:
                rs = for_equipment(eq, ruleset)
            except RulesetError:
                continue
            names[eq] = rs.equipment_info(eq).name.get(lang)
            for key, fact in rs.facts.items():
                labels.setdefault(key, fact.label.get(lang))
                for f in fact.fields or ():
                    labels.setdefault(f"{key}.{f.key}", f"{fact.label.get(lang)} · {f.label.get(lang)}")
            for rule in rs.rules_for(eq):
                clauses.append(
                    Clause(
                        rule.id,
                        eq,
                        rule.clause,
                        rule.heading.get(lang),
                        rule.level,
                        rule.text_zh if lang == "zh" else rule.text_en,
                        tuple(e.get(lang) for e in rule.evidence),
                    )
                )
        return cls(lang, names, clauses, labels)

    def label(self, fact: str) -> str:
        return self.labels.get(fact, fact)


def column_title(c: Clause) -> str:
    return f"{c.id} {c.clause}"


def header(cat: Catalogue) -> list[str]:
    return [HEAD[k].get(cat.lang) for k in FIXED] + [column_title(c) for c in cat.clauses]


def _base_fact(fact: str) -> str:
    """``staff[2].title`` -> ``staff.title``: a requirement, whoever on the roster lacks it."""
    if "[" not in fact:
        return fact
    head, _, rest = fact.partition("[")
    tail = rest.partition("]")[2]
    return head + tail


class Batch:
    """Lean results folded as they arrive: a compact row per profile (the statuses as a
    tuple of shared strings) and running counts, so 10,000 profiles cost a few megabytes
    however long their reasons are. Rows keep the input order."""

    def __init__(self) -> None:
        self.records: list[tuple] = []
        self.present: set[str] = set()
        self.per: dict[str, Counter] = {}
        self.overall: Counter = Counter()
        self.failing: Counter = Counter()
        self.failing_rules: dict[str, dict[str, None]] = {}
        self.errors = 0
        self._ids: dict[tuple, tuple] = {}

    def add(self, res: dict[str, Any]) -> None:
        if res.get("status") == "error":
            self.errors += 1
            self.records.append((res["source"], res["error"]))
            return
        eq = res["equipment"]
        self.present.add(eq)
        self.overall[res["status"]] += 1
        ids = tuple(r["id"] for r in res["rules"])
        ids = self._ids.setdefault(ids, ids)
        statuses = tuple(sys.intern(r["status"]) for r in res["rules"])
        c = res["counts"]
        self.records.append(
            (
                res["source"],
                res["institution"],
                eq,
                res["status"],
                c["not_met"],
                c["unknown"],
                c["exempt"],
                res["ruleset"]["edition"],
                ids,
                statuses,
            )
        )
        seen: set[str] = set()
        for r in res["rules"]:
            counter = self.per.get(r["id"])
            if counter is None:
                counter = self.per[r["id"]] = Counter()
            counter[r["status"]] += 1
            for fact in r.get("failed", ()):
                key = _base_fact(fact)
                self.failing_rules.setdefault(key, {})[r["id"]] = None
                if key not in seen:  # a profile counts once per requirement it lacks
                    seen.add(key)
                    self.failing[key] += 1


def rows(batch: Batch, cat: Catalogue) -> Iterator[list[str | int]]:
    """One row per profile: fixed columns, then each clause's status as a short word
    (blank where the clause is not part of the profile's equipment)."""
    lang = cat.lang
    index = {c.id: i for i, c in enumerate(cat.clauses)}
    words = {s: STATUS[s].get(lang) for s in STATUSES}
    overall = {s: m.get(lang) for s, m in OVERALL.items()}
    blank = [""] * len(cat.clauses)
    # A file name is a cell from outside: an ESC or a direction override in it is shown as
    # an escape (a CSV printed on a terminal, a workbook, which cannot hold one at all).
    from ..core.text.sanitize import escape, escape_lines

    for rec in batch.records:
        if len(rec) == 2:
            yield [
                escape(rec[0]),
                "",
                "",
                word("table.error_status", lang),
                "",
                "",
                "",
                "",
                escape_lines(rec[1]),
                *blank,
            ]
            continue
        source, name, eq, status, not_met, unknown, exempt, edition, ids, statuses = rec
        cells: list[str | int] = [
            escape(source),
            name,
            cat.equipment.get(eq, eq),
            overall[status],
            not_met,
            unknown,
            exempt,
            edition,
            "",
            *blank,
        ]
        off = len(FIXED)
        for rid, st in zip(ids, statuses, strict=True):
            i = index.get(rid)
            if i is not None:
                cells[off + i] = words[st]
        yield cells


# --- statistics ----------------------------------------------------------------------------


def statistics(batch: Batch, cat: Catalogue, top: int = 10) -> dict[str, Any]:
    """Per clause how many profiles are met / not met / open / exempt / not applicable,
    sorted by failures (then open, then the rulesets' order); the facts that fail most."""
    order = {c.id: i for i, c in enumerate(cat.clauses)}
    clauses = []
    for c in cat.clauses:
        n = batch.per.get(c.id)
        if not n:
            continue
        clauses.append(
            {
                "id": c.id,
                "equipment": c.equipment,
                "clause": c.clause,
                "heading": c.heading,
                "level": c.level,
                "profiles": sum(n.values()),
                **{s: n.get(s, 0) for s in STATUSES},
            }
        )
    clauses.sort(key=lambda d: (-d["not_met"], -d["unknown"], order[d["id"]]))
    ranked = sorted(batch.failing.items(), key=lambda kv: (-kv[1], cat.label(kv[0]), kv[0]))[:top]
    shortfalls = [
        {"label": cat.label(key), "fact": key, "rules": list(batch.failing_rules[key]), "profiles": n}
        for key, n in ranked
    ]
    checked = sum(batch.overall.values())
    return {
        "stats_version": 1,
        "lang": cat.lang,
        "profiles": checked + batch.errors,
        "errors": batch.errors,
        "overall": {s: batch.overall.get(s, 0) for s in ("compliant", "not_compliant", "incomplete")},
        "equipment": [{"key": k, "name": v} for k, v in cat.equipment.items()],
        "clauses": clauses,
        "shortfalls": shortfalls,
    }


STAT_HEAD = Words(
    {
        "clause": "stats.clause",
        "heading": "stats.heading",
        "profiles": "stats.profiles",
        "shortfall": "stats.shortfall",
        "requirement": "stats.requirement",
        "rules": "stats.rules",
        "title": "stats.title",
        "per_clause": "stats.per_clause",
        "none": "stats.none",
        "level_advisory": "stats.level_advisory",
    }
)


def stat_label(key: str, lang: str) -> str:
    if key in STATUS:
        return STATUS[key].get(lang)
    return STAT_HEAD[key].get(lang)


def totals_line(stats: dict[str, Any], lang: str) -> str:
    o = stats["overall"]
    return tr(
        "reports.table.totals",
        lang,
        n=stats["profiles"],
        compliant=o["compliant"],
        not_compliant=o["not_compliant"],
        incomplete=o["incomplete"],
        errors=stats["errors"],
    )
