"""``medequip evidence add | list | remove``: the files attached to each clause, recorded in the
profile's ``[[evidence]]`` entries (path relative to the profile's folder, size, SHA-256,
note).

The profile is edited in place, keeping every comment (``core/evidence.edit_text``), under
the same lock an interview holds, and replaced atomically; what is written is loaded again
before it replaces the file, so a save never leaves a profile ``check`` refuses."""

from __future__ import annotations

import os

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.messages import as_msg, msg, suggest
from ..core.text.sanitize import escape
from .output import dump_json, emit, err, say


def cmd_evidence(args, lang: str) -> int:
    return {"add": add, "list": list_, "remove": remove}[args.action](args, lang)


def _load(path: str, ruleset):
    """(raw, profile, ruleset) of the profile file ``path``; exits 2 through UsageError."""
    from ..core.profile.document import ProfileError, load
    from ..core.profile.read import read_source
    from ..core.rules.loader import RulesetError

    if path == "-":
        raise UsageError(msg("evidence.cli_stdin"))
    try:
        raw, name = read_source(path)
        profile, rs = load(raw, name, ruleset)
    except (ProfileError, RulesetError) as e:
        raise UsageError(e) from None
    return raw, profile, rs


def _clause(rs, equipment: str, rule: str):
    from ..core.profile.evidence import known_clauses

    known = known_clauses(rs, equipment)
    if rule not in known:
        raise UsageError(
            msg(
                "evidence.cli_unknown_rule",
                rule=repr(escape(rule)),
                equipment=equipment,
                hint=suggest(rule, list(known)),
            )
        )
    return known[rule]


def _lock(path: str):
    from ..core.io.lock import Locked, ProfileLock

    lock = ProfileLock(path)
    try:
        lock.acquire()
    except Locked as e:
        raise UsageError(e) from None
    return lock


def _save(path: str, before: bytes, text: str, ruleset) -> None:
    """Replace the profile with ``text`` once it loads, unless someone changed the file since
    it was read (then nothing is written: the person runs the command again)."""
    from ..core.io import atomic
    from ..core.profile.document import ProfileError, load
    from ..core.profile.read import read_source
    from ..core.rules.loader import RulesetError

    data = text.encode("utf-8")
    try:
        load(data, path, ruleset)
    except (ProfileError, RulesetError) as e:  # pragma: no cover - edit_text keeps a valid profile valid
        raise UsageError(e) from None
    now, _ = read_source(path)
    if now != before:
        raise UsageError(msg("evidence.cli_changed_meanwhile", path=escape(path)))
    try:
        atomic.write_bytes(path, data)
    except OSError as e:  # a full or read-only disk: exit 74 naming the profile, left as it was
        from ..core.io.safeio import OutputError

        raise OutputError(escape(path), e) from None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def add(args, lang: str) -> int:
    """``evidence add PROFILE RULE FILE... [--note TEXT] [--replace]``: 0 when every file was
    recorded, 2 when nothing was (an unknown clause, a file that is not there or not a
    regular file, one already attached)."""
    from ..core.io import safeio
    from ..core.profile.document import _check_text
    from ..core.profile.evidence import (
        MAX_FILE_BYTES,
        MAX_TOTAL_BYTES,
        Entry,
        EvidenceProblem,
        digest,
        edit_text,
        path_problem,
        profile_folder,
        relative_to,
    )
    from ..reports.attached import size_text

    lock = _lock(args.profile)
    try:
        raw, profile, rs = _load(args.profile, args.ruleset)
        _clause(rs, profile.equipment, args.rule)
        note = ""
        if args.note:
            note = _check_text(args.note, "", lambda m: UsageError(as_msg("--note: ") + m))
        folder = profile_folder(args.profile)
        recorded = {(e.rule, e.path): e for e in profile.evidence}
        new: list[Entry] = []
        seen: set[str] = set()
        for file in args.files:
            shown = escape(file)
            if _same_file(file, args.profile):  # its record would never match it again
                raise UsageError(msg("evidence.cli_file", path=shown, problem=msg("evidence.is_profile")))
            try:
                size, sha = digest(file, MAX_FILE_BYTES)
                path = relative_to(file, folder)
            except safeio.Refused as e:
                raise UsageError(msg("evidence.cli_file", path=shown, problem=e.msg)) from None
            except EvidenceProblem as e:
                raise UsageError(msg("evidence.cli_file", path=shown, problem=e.msg)) from None
            problem = path_problem(path)
            if problem:
                raise UsageError(msg("evidence.cli_file", path=shown, problem=problem))
            if path in seen:
                raise UsageError(msg("evidence.cli_twice", path=shown))
            seen.add(path)
            old = recorded.get((args.rule, path))
            if old is not None and not args.replace:
                key = "evidence.cli_same" if (old.size, old.sha256) == (size, sha) else "evidence.cli_changed"
                raise UsageError(msg(key, path=shown, rule=args.rule))
            new.append(Entry(args.rule, path, size, sha, note or (old.note if old else "")))
        sizes = {e.path: e.size for e in profile.evidence}
        sizes.update({e.path: e.size for e in new})
        total = sum(sizes.values())
        if total > MAX_TOTAL_BYTES:
            raise UsageError(msg("evidence.cli_total", size=f"{total:,}", limit=f"{MAX_TOTAL_BYTES:,}"))
        text = edit_text(raw.decode("utf-8-sig"), new, replace=args.replace, lang=lang)
        _save(args.profile, raw, text, args.ruleset)
    finally:
        lock.release()
    for e in new:
        say(
            msg(
                "evidence.cli_added",
                path=e.path,
                size=size_text(e.size, lang),
                rule=e.rule,
            ).get(lang)
        )
    return exitcodes.COMPLIANT


def remove(args, lang: str) -> int:
    """``evidence remove PROFILE RULE [FILE...]``: the files named (as on disk, or as
    recorded), or every file of RULE; 2 when one is not attached there."""
    from ..core.profile.evidence import EvidenceProblem, edit_text, normalise, profile_folder, relative_to

    lock = _lock(args.profile)
    try:
        raw, profile, rs = _load(args.profile, args.ruleset)
        _clause(rs, profile.equipment, args.rule)
        mine = [e for e in profile.evidence if e.rule == args.rule]
        if not mine:
            raise UsageError(msg("evidence.cli_none_for_rule", rule=args.rule))
        paths = {e.path for e in mine}
        folder = profile_folder(args.profile)
        gone: list[str] = []
        for file in args.files or []:
            candidates = [normalise(file.replace(os.sep, "/"))]
            try:
                candidates.insert(0, relative_to(file, folder))
            except EvidenceProblem:
                pass
            hit = next((c for c in candidates if c in paths), None)
            if hit is None:
                raise UsageError(msg("evidence.cli_not_attached", path=escape(file), rule=args.rule))
            gone.append(hit)
        if not args.files:
            gone = [e.path for e in mine]
        text = edit_text(raw.decode("utf-8-sig"), remove={(args.rule, p) for p in gone})
        _save(args.profile, raw, text, args.ruleset)
    finally:
        lock.release()
    for p in dict.fromkeys(gone):
        say(msg("evidence.cli_removed", path=p, rule=args.rule).get(lang))
    return exitcodes.COMPLIANT


def list_(args, lang: str) -> int:
    """``evidence list PROFILE``: every attached file by clause with its state; exit 0 when
    every file is as attached, 1 when one is missing or has changed, 2 on bad input."""
    from ..core.profile.evidence import STATE_LABEL, disk_lookup, profile_folder, state
    from ..reports.attached import size_text

    try:
        _, profile, rs = _load(args.profile, args.ruleset)
    except UsageError as e:
        err(e, lang)
        return exitcodes.USAGE
    from ..core.profile.evidence import known_clauses

    known = known_clauses(rs, profile.equipment)
    order = {rid: i for i, rid in enumerate(known)}
    lookup = disk_lookup(profile_folder(args.profile))
    rows = []
    for e in sorted(profile.evidence, key=lambda e: (order.get(e.rule, len(order)), e.path)):
        clause = known[e.rule]
        st = state(e, lookup)
        rows.append(
            {
                "rule": e.rule,
                "clause": clause.clause,
                "heading": clause.heading.get(lang),
                "path": e.path,
                "size": e.size,
                "sha256": e.sha256,
                "note": e.note,
                "state": st,
                "state_label": STATE_LABEL[st].get(lang),
            }
        )
    bad = any(r["state"] != "ok" for r in rows)
    if args.format == "json":
        doc = {
            "profile": args.profile,
            "equipment": profile.equipment,
            "folder": profile_folder(args.profile),
            "files": rows,
        }
        emit(dump_json(doc), None)
        return exitcodes.NOT_COMPLIANT if bad else exitcodes.COMPLIANT
    if not rows:
        emit(msg("evidence.cli_empty", profile=escape(args.profile)).get(lang) + "\n", None)
        return exitcodes.COMPLIANT
    out = []
    rule = None
    for r in rows:
        if r["rule"] != rule:
            rule = r["rule"]
            out.append(f"{r['clause']} {r['rule']} {r['heading']}")
        line = f"  [{r['state_label']}] {r['path']} ({size_text(r['size'], lang)}) sha256 {r['sha256'][:12]}"
        if r["note"]:
            line += f" — {r['note']}"
        out.append(line)
    emit(escape_text("\n".join(out) + "\n"), None)
    return exitcodes.NOT_COMPLIANT if bad else exitcodes.COMPLIANT


def escape_text(text: str) -> str:
    from ..core.text.sanitize import escape_lines

    return escape_lines(text)
