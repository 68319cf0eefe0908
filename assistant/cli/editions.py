"""Two editions side by side: ``medequip rules diff OLD NEW`` (what changed, clause by
clause) and ``medequip check DIR --ruleset NEW --against OLD`` (whose verdicts move).

OLD and NEW are ruleset files, or bundled rulesets named by id (``class-b-access``) or by
id and edition (``class-b-access@undated``)."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.messages import msg, tr
from .output import dump_json, emit, err


def named_ruleset(value: str):
    """A ruleset given as a path, ``id`` or ``id@edition`` (bundled)."""
    from ..core.rules import loader

    path = Path(value)
    if path.suffix == ".toml" or os.sep in value or path.exists():
        from ..core.rules.checks.preflight import RulesetTooLarge, preflight

        try:
            preflight(path)
        except RulesetTooLarge as e:
            raise loader.RulesetError(str(e)) from None
        return loader.load_path(path)
    rid, _, edition = value.partition("@")
    found = [rs for rs in loader.bundled() if rs.id == rid and (not edition or rs.edition == edition)]
    if not found:
        known = ", ".join(f"{rs.id}@{rs.edition}" for rs in loader.bundled())
        raise loader.RulesetError(
            f"{value}: no such ruleset file, and no bundled ruleset of that name ({known})"
        )
    return max(found, key=lambda rs: rs.data.ruleset.effective_from or __import__("datetime").date.min)


def cmd_rules_diff(words: list[str], fmt: str, lang: str) -> int:
    from ..core.rules.diff import compare_all, render_text
    from ..core.rules.loader import RulesetError

    if len(words) != 2:
        raise UsageError("usage: medequip rules diff OLD NEW (files, or bundled id[@edition])")
    try:
        old, new = named_ruleset(words[0]), named_ruleset(words[1])
    except RulesetError as e:
        err(e, lang)
        return exitcodes.USAGE
    # Every equipment either side covers: one covered by one side only is added or removed
    # with all its clauses (a variant covering part of its base's equipment included).
    equipment, changes = compare_all(old, new, lang)
    if fmt == "json":
        emit(
            dump_json(
                {
                    "old": {"id": old.id, "edition": old.edition, "path": old.path},
                    "new": {"id": new.id, "edition": new.edition, "path": new.path},
                    "equipment": [e.as_json() for e in equipment],
                    "changes": [c.as_json() for c in changes],
                }
            ),
            None,
        )
    else:
        emit(render_text(old, new, changes, lang, equipment), None)
    return exitcodes.NOT_COMPLIANT if changes or equipment else exitcodes.COMPLIANT


def _under(rs, data: dict, text: str, name: str):
    """The profile validated against ``rs`` (which covers its equipment) and evaluated."""
    from ..core.evaluate import evaluate
    from ..core.profile.document import validate_data
    from ..core.rules import loader
    from ..core.rules.model import EQUIPMENT_KEYS

    equipment = data.get("equipment")
    others = {}
    for key in EQUIPMENT_KEYS:  # answers kept for other equipment are checked as load() does
        if key != equipment and key in data:
            other = loader.for_equipment(key)
            others[key] = {k: f for k, f in other.facts.items() if k.startswith(key + ".")}
    profile = validate_data(data, rs.facts, name, text, others)
    return profile, evaluate(rs, profile.equipment, profile.answers)


def recheck_one(source: str, raw: bytes | None, job) -> tuple[dict, object]:
    """One profile of ``check --against``: ``({"entry": what moved or None, "new": (id,
    edition)} or {"error": text}, meta)``; the exit code is 1 when its verdicts move."""
    from ..core.profile.document import ProfileError
    from ..core.rules import loader
    from ..core.text.messages import localized
    from .jobs import Meta

    try:
        entry, new = _moves(source, raw, job)
    except (ProfileError, loader.RulesetError) as e:
        return {"error": str(e)}, Meta(source, exitcodes.USAGE, error=localized(e, job.lang))
    code = exitcodes.NOT_COMPLIANT if entry else exitcodes.COMPLIANT
    return {"entry": entry, "new": new}, Meta(source, code)


def _moves(source: str, raw: bytes | None, job) -> tuple[dict | None, tuple[str, str]]:
    """What moves for one profile between NEW and OLD (None: nothing), and NEW's id and
    edition. Raises ProfileError or RulesetError."""
    from ..core.profile.document import parse_bytes, validate_data
    from ..core.profile.read import read_source
    from ..core.rules import loader
    from ..core.rules.model import EQUIPMENT_KEYS

    old = named_ruleset(job.against)
    if raw is None:
        raw, name = read_source(source)
    else:
        name = "<stdin>"
    data, text = parse_bytes(raw, name)
    equipment = data.get("equipment")
    if not isinstance(equipment, str) or equipment not in EQUIPMENT_KEYS:
        validate_data(data, {}, name, text)  # the envelope's own precise message
    profile, new, ev_new, note = _under_new(raw, name, equipment, old, job)
    if equipment in old.data.ruleset.equipment:
        profile, ev_old = _under(old, data, text, name)
    else:
        ev_old = None
        note = ("old", loader.not_covering(old, equipment))
    rules = _moved_rules(ev_old, ev_new)
    old_status = ev_old.status if ev_old else None
    new_status = ev_new.status if ev_new else None
    if not rules and old_status == new_status:
        return None, (new.id, new.edition)
    entry = {
        "source": source,
        "institution": profile.name,
        "old_status": old_status,
        "new_status": new_status,
        "rules": rules,
    }
    if note is not None:
        entry["not_covered_by"] = note[0]
        entry["note"] = note[1].get(job.lang)
    return entry, (new.id, new.edition)


def _under_new(raw: bytes, name: str, equipment: str, old, job):
    """(profile, NEW, its evaluation or None, a note when NEW does not cover the equipment).
    Neither side covering it is an error naming both."""
    from ..core.evaluate import evaluate
    from ..core.profile.document import load
    from ..core.rules import loader

    try:
        profile, new = load(raw, name, job.ruleset, job.as_of)
        return profile, new, evaluate(new, profile.equipment, profile.answers), None
    except loader.NotCovering as e:
        if equipment not in old.data.ruleset.equipment:
            shown = f"{old.id} {old.edition}"
            raise loader.RulesetError(e.msg + msg("cli.editions.nor_does_against", shown=shown)) from None
        new = loader.load_path(job.ruleset)  # NotCovering: only a --ruleset used as given
        return None, new, None, ("new", loader.not_covering(new, equipment))


def _moved_rules(ev_old, ev_new) -> list[dict]:
    """The clauses whose verdict differs (None: no such clause on that side), OLD's order
    first."""
    a = {r.id: r for r in ev_old.results} if ev_old else {}
    b = {r.id: r for r in ev_new.results} if ev_new else {}
    rules = []
    for rid in list(a) + [i for i in b if i not in a]:
        sa = a[rid].status if rid in a else None
        sb = b[rid].status if rid in b else None
        if sa != sb:
            rules.append({"id": rid, "old": sa, "new": sb})
    return rules


class Moves:
    """The sink of ``check --against``: what moved, written once every profile is in."""

    def __init__(self, out, lang: str, old, fmt: str):
        self.out, self.lang, self.old, self.fmt = out, lang, old, fmt
        self.moved: list[dict] = []
        self.errors: list[dict] = []
        self.new_seen: set[tuple[str, str]] = set()
        self.checked = 0

    def add(self, outputs: list[dict], metas) -> None:
        for o, m in zip(outputs, metas, strict=True):
            if "error" in o:
                self.errors.append({"source": m.source, "error": o["error"]})
                continue
            self.checked += 1
            self.new_seen.add(tuple(o["new"]))
            if o["entry"] is not None:
                self.moved.append(o["entry"])

    def finish(self) -> None:
        news = sorted(f"{i} {e}" for i, e in self.new_seen)
        if self.fmt in ("json", "jsonl"):
            old = {"id": self.old.id, "edition": self.old.edition}
            doc = {
                "old": old,
                "new": news,
                "profiles": self.checked,
                "moved": self.moved,
                "errors": self.errors,
            }
            self.out.write(dump_json(doc))
        else:
            self.out.write(self._text(news))

    def _text(self, news: list[str]) -> str:
        from ..core.text.i18n import OVERALL, STATUS
        from ..core.text.sanitize import escape

        lang, moved = self.lang, self.moved

        def st(s):
            return STATUS[s].get(lang) if s else (tr("cli.editions.no_such_clause", lang))

        def overall(s):
            return (OVERALL[s] if s else msg("cli.editions.not_covered")).get(lang)

        lines = [
            f"{escape(self.old.id)} {escape(self.old.edition)} → {escape(', '.join(news)) or '—'}: "
            + (
                tr(
                    "cli.editions.of_profiles_move",
                    lang,
                    checked=self.checked,
                    n_moved=len(moved),
                )
            )
        ]
        for m in moved:
            # A file name or an institution may hold anything: shown escaped, never raw.
            who = f" ({escape(m['institution'])})" if m["institution"] else ""
            lines.append(
                f"{escape(m['source'])}{who}: {overall(m['old_status'])} → {overall(m['new_status'])}"
            )
            if m.get("note"):
                lines.append(f"  {m['note']}")
            for r in m["rules"]:
                lines.append(f"  {escape(r['id'])}: {st(r['old'])} → {st(r['new'])}")
        return "\n".join(lines) + "\n"
