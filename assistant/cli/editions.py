"""Two editions side by side: ``medequip rules diff OLD NEW`` (what changed, clause by
clause) and ``medequip check DIR --ruleset NEW --against OLD`` (whose verdicts move).

OLD and NEW are ruleset files, or bundled rulesets named by id (``class-b-access``) or by
id and edition (``class-b-access@undated``)."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.i18n import Msg
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


NOT_COVERED = Msg("（不涵盖）", "(not covered)")


def cmd_recheck(args, lang: str, sources: list[str], as_of) -> int:
    """Every profile under NEW (``--ruleset``, or the edition in force ``--as-of``) and under
    OLD (``--against``): the profiles whose verdicts move, clause by clause. A profile of an
    equipment only one side covers moves entirely: each of its clauses is added (OLD does not
    cover it) or removed (NEW does not), and the line says which side does not cover it."""
    from ..core.evaluate import evaluate
    from ..core.profile.document import ProfileError, load, parse_bytes, validate_data
    from ..core.profile.read import read_source
    from ..core.rules import loader
    from ..core.rules.model import EQUIPMENT_KEYS
    from ..core.text.i18n import OVERALL, STATUS
    from ..core.text.sanitize import escape

    try:
        old = named_ruleset(args.against)
    except loader.RulesetError as e:
        err(e, lang)
        return exitcodes.USAGE
    moved, errors, checked = [], [], 0
    new_seen = set()
    for source in sources:
        try:
            raw, name = read_source(source)
            data, text = parse_bytes(raw, name)
            equipment = data.get("equipment")
            if not isinstance(equipment, str) or equipment not in EQUIPMENT_KEYS:
                validate_data(data, {}, name, text)  # the envelope's own precise message
            note = None
            try:
                profile, new = load(raw, name, args.ruleset, as_of)
                new_seen.add((new.id, new.edition))
                ev_new = evaluate(new, profile.equipment, profile.answers)
            except loader.NotCovering as e:
                if equipment not in old.data.ruleset.equipment:
                    shown = f"{old.id} {old.edition}"
                    raise loader.RulesetError(
                        e.msg + Msg(f"；--against 的 {shown} 也不涵盖", f"; nor does {shown} (--against)")
                    ) from None
                new = loader.load_path(args.ruleset)  # NotCovering: only a --ruleset used as given
                new_seen.add((new.id, new.edition))
                ev_new = None
                note = ("new", loader.not_covering(new, equipment))
            if equipment in old.data.ruleset.equipment:
                profile, ev_old = _under(old, data, text, name)
            else:
                ev_old = None
                note = ("old", loader.not_covering(old, equipment))
        except (ProfileError, loader.RulesetError) as e:
            errors.append({"source": source, "error": str(e)})
            err(e, lang)
            continue
        checked += 1
        a = {r.id: r for r in ev_old.results} if ev_old else {}
        b = {r.id: r for r in ev_new.results} if ev_new else {}
        rules = []
        for rid in list(a) + [i for i in b if i not in a]:
            sa = a[rid].status if rid in a else None
            sb = b[rid].status if rid in b else None
            if sa != sb:
                rules.append({"id": rid, "old": sa, "new": sb})
        old_status = ev_old.status if ev_old else None
        new_status = ev_new.status if ev_new else None
        if rules or old_status != new_status:
            entry = {
                "source": source,
                "institution": profile.name,
                "old_status": old_status,
                "new_status": new_status,
                "rules": rules,
            }
            if note is not None:
                entry["not_covered_by"] = note[0]
                entry["note"] = note[1].get(lang)
            moved.append(entry)
    news = sorted(f"{i} {e}" for i, e in new_seen)
    if args.format in ("json", "jsonl"):
        emit(
            dump_json(
                {
                    "old": {"id": old.id, "edition": old.edition},
                    "new": news,
                    "profiles": checked,
                    "moved": moved,
                    "errors": errors,
                }
            ),
            args.output,
        )
    else:
        from ..core.text.sanitize import escape

        zh = lang == "zh"

        def st(s):
            return STATUS[s].get(lang) if s else ("（无此条）" if zh else "(no such clause)")

        def overall(s):
            return (OVERALL[s] if s else NOT_COVERED).get(lang)

        lines = [
            f"{escape(old.id)} {escape(old.edition)} → {escape(', '.join(news)) or '—'}: "
            + (
                f"{checked} 份档案中 {len(moved)} 份的结论有变化"
                if zh
                else f"{len(moved)} of {checked} profiles move"
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
        emit("\n".join(lines) + "\n", args.output)
    if errors:
        return exitcodes.USAGE
    return exitcodes.NOT_COMPLIANT if moved else exitcodes.COMPLIANT
