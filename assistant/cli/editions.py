"""Two editions side by side: ``medequip rules diff OLD NEW`` (what changed, clause by
clause) and ``medequip check DIR --ruleset NEW --against OLD`` (whose verdicts move).

OLD and NEW are ruleset files, or bundled rulesets named by id (``class-b-access``) or by
id and edition (``class-b-access@undated``)."""

from __future__ import annotations

import os
from pathlib import Path

from ..core import exitcodes
from ..core.errors import UsageError
from .output import dump_json, emit, err


def named_ruleset(value: str):
    """A ruleset given as a path, ``id`` or ``id@edition`` (bundled)."""
    from ..core import loader

    path = Path(value)
    if path.suffix == ".toml" or os.sep in value or path.exists():
        from ..core.preflight import RulesetTooLarge, preflight

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
    from ..core.loader import RulesetError
    from ..core.rulediff import compare, render_text

    if len(words) != 2:
        raise UsageError("usage: medequip rules diff OLD NEW (files, or bundled id[@edition])")
    try:
        old, new = named_ruleset(words[0]), named_ruleset(words[1])
    except RulesetError as e:
        err(e, lang)
        return exitcodes.USAGE
    # A variant covering part of the equipment is compared on that part only.
    shared = [e for e in new.data.ruleset.equipment if e in old.data.ruleset.equipment]
    changes = [c for eq in shared for c in compare(old, new, eq, lang)]
    if fmt == "json":
        emit(
            dump_json(
                {
                    "old": {"id": old.id, "edition": old.edition, "path": old.path},
                    "new": {"id": new.id, "edition": new.edition, "path": new.path},
                    "changes": [c.as_json() for c in changes],
                }
            ),
            None,
        )
    else:
        emit(render_text(old, new, changes, lang), None)
    return exitcodes.NOT_COMPLIANT if changes else exitcodes.COMPLIANT


def _evaluate(rs, raw: bytes, name: str):
    from ..core.evaluate import evaluate
    from ..core.profile import parse_bytes, validate_data

    data, text = parse_bytes(raw, name)
    profile = validate_data(data, rs.facts, name, text)
    if profile.equipment not in rs.data.ruleset.equipment:
        return profile, None
    return profile, evaluate(rs, profile.equipment, profile.answers)


def cmd_recheck(args, lang: str, sources: list[str], as_of) -> int:
    """Every profile under NEW (``--ruleset``, or the edition in force ``--as-of``) and under
    OLD (``--against``): the profiles whose verdicts move, clause by clause."""
    from ..core import loader
    from ..core.i18n import OVERALL, STATUS
    from ..core.profile import ProfileError, read_source

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
            from ..core.profile import load

            profile, new = load(raw, name, args.ruleset, as_of)
            new_seen.add((new.id, new.edition))
            from ..core.evaluate import evaluate

            ev_new = evaluate(new, profile.equipment, profile.answers)
            _, ev_old = _evaluate(old, raw, name)
        except (ProfileError, loader.RulesetError) as e:
            errors.append({"source": source, "error": str(e)})
            err(e, lang)
            continue
        checked += 1
        if ev_old is None:
            errors.append(
                {"source": source, "error": f"{old.id} {old.edition} does not cover {profile.equipment}"}
            )
            continue
        a = {r.id: r for r in ev_old.results}
        b = {r.id: r for r in ev_new.results}
        rules = []
        for rid in list(a) + [i for i in b if i not in a]:
            sa = a[rid].status if rid in a else None
            sb = b[rid].status if rid in b else None
            if sa != sb:
                rules.append({"id": rid, "old": sa, "new": sb})
        if rules or ev_old.status != ev_new.status:
            moved.append(
                {
                    "source": source,
                    "institution": profile.name,
                    "old_status": ev_old.status,
                    "new_status": ev_new.status,
                    "rules": rules,
                }
            )
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
        from ..core.sanitize import escape

        zh = lang == "zh"

        def st(s):
            return STATUS[s].get(lang) if s else ("（无此条）" if zh else "(no such clause)")

        lines = [
            f"{escape(old.id)} {escape(old.edition)} → {escape(', '.join(news)) or '—'}: "
            + (
                f"{checked} 份档案中 {len(moved)} 份的结论有变化"
                if zh
                else f"{len(moved)} of {checked} profiles move"
            )
        ]
        for m in moved:
            who = f" ({escape(m['institution'])})" if m["institution"] else ""
            lines.append(
                f"{escape(m['source'])}{who}: {OVERALL[m['old_status']].get(lang)} → {OVERALL[m['new_status']].get(lang)}"
            )
            for r in m["rules"]:
                lines.append(f"  {escape(r['id'])}: {st(r['old'])} → {st(r['new'])}")
        emit("\n".join(lines) + "\n", args.output)
    if errors:
        return exitcodes.USAGE
    return exitcodes.NOT_COMPLIANT if moved else exitcodes.COMPLIANT
