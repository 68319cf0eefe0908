"""The lean result: what a batch needs to know about one profile, and nothing repeated.

A full report carries every clause's text, evidence list and the profile's claims; over a
folder of 10,000 profiles that is the same few kilobytes of ruleset text on every line. The
lean result keeps what differs from profile to profile: who applied for what, under which
ruleset, the overall status and counts, and per rule its id, status, level, reason, and when
there is one, its shortfall, the facts that failed, the facts still missing and the
exemptions that waived it. Clause texts and evidence come once from ``medequip rules
--format json``. Empty lists are left out (absent means none), which keeps a line short.

Every batch format (JSON Lines, CSV, XLSX, statistics) is rendered from this one shape.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..core.evaluate.results import Evaluation
from ..core.profile.document import Profile
from ..core.rules.loader import Ruleset

# Shared with the full report: one format, one version; ``detail`` says which shape.
REPORT_VERSION = 2


def error_object(source: str, error: str) -> dict[str, Any]:
    """What JSON and JSON Lines say for a profile that could not be checked."""
    return {"report_version": REPORT_VERSION, "source": source, "status": "error", "error": error}


def failed_facts(r) -> list[str]:
    """The facts behind a not-met verdict, language-free, so a batch can count which
    requirement fails most (the shortfall texts carry each profile's own numbers)."""
    if r.status != "not_met":
        return []
    keys = [f.fact for f in r.findings if f.ok is False and f.fact]
    if not keys and r.rule.scope == "person" and r.rule.roster:
        keys = [r.rule.roster]  # the people who fall short are named in the shortfall
    return list(dict.fromkeys(keys))


def build(
    profile: Profile, rs: Ruleset, ev: Evaluation, lang: str, date: str, words: bool = True
) -> dict[str, Any]:
    """The lean result. Without ``words`` (the statuses and the statistics over
    failing facts), no reason or shortfall is written, and only the rules not met are
    asked what they say."""
    rules = []
    zh = lang == "zh"
    for r in ev.results:
        rule, status = r.rule, r.status
        item: dict[str, Any] = {"id": rule.id, "status": status, "level": rule.level}
        if words:
            said = r.words()
            item["reason"] = said.reason.zh if zh else said.reason.en
            if said.shortfall:
                item["shortfall"] = [m.zh if zh else m.en for m in said.shortfall]
        if status == "not_met":  # the only status with failed facts (see failed_facts)
            failed = failed_facts(r)
            if failed:
                item["failed"] = failed
        missing = r.missing
        if missing:
            item["missing"] = list(missing)
        if r.waived_by:
            item["waived_by"] = [{"exemption": w.exemption, "ground": w.ground} for w in r.waived_by]
        rules.append(item)
    return {
        "report_version": REPORT_VERSION,
        "detail": "lean",
        "tool": {"name": "medequip", "version": __version__},
        "date": date,
        "source": profile.source,
        "profile_sha256": profile.sha256,
        "profile_ruleset_edition": profile.ruleset_edition,
        "institution": profile.name,
        "equipment": profile.equipment,
        "ruleset": {"id": rs.id, "edition": rs.edition, "sha256": rs.sha256},
        "lang": lang,
        "status": ev.status,
        "counts": dict(ev.counts),
        "rules": rules,
    }
