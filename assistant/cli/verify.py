"""``medequip verify application.zip``: every hash in the manifest, the profile re-evaluated
under the ruleset edition it names (bundled, or a file given with --ruleset), the packaged
report and checklist against fresh ones, and the evidence the package lacks. Exit 0 all
consistent, 1 a mismatch (each named on its own line), 2 a package that cannot be read (one
line: not a zip, or an entry refused by the zip hardening of ``core/io/ziparchive.py``)."""

from __future__ import annotations

from ..core.io import exitcodes
from ..core.text.messages import msg
from ..core.text.sanitize import escape
from .output import dump_json, emit


def read_package(path: str) -> bytes:
    """The bytes of the package file ``path``; UsageError (exit 2) when it cannot be read."""
    from ..core.io import safeio
    from ..core.text.errors import UsageError
    from ..reports.package import PACKAGE_LIMIT

    try:
        return safeio.read_limited(path, PACKAGE_LIMIT, "package")
    except safeio.Refused as e:
        problem = msg("evidence.no_file") if e.kind == "missing" else e.msg
        raise UsageError(msg("verify.package", path=escape(path), problem=problem)) from None


def check_package(path: str, ruleset_file=None):
    """(package bytes, Verified) of the package ``path``; UsageError (exit 2) when it cannot
    be read or checked at all."""
    from ..core.rules.loader import RulesetError, load_path
    from ..core.text.errors import UsageError
    from ..reports.package import Unreadable, verify

    data = read_package(path)
    extra = []
    if ruleset_file is not None:
        try:
            extra.append(load_path(ruleset_file))
        except RulesetError as e:
            raise UsageError(e) from None
    try:
        return data, verify(data, extra)
    except Unreadable as e:
        raise UsageError(msg("verify.package", path=escape(path), problem=e.msg)) from None


def cmd_verify(args, lang: str) -> int:
    from ..reports.package import sha256

    data, v = check_package(args.file, args.ruleset)
    bad = [f for f in v.findings if not f.ok]
    states = {"missing": msg("state.missing"), "changed": msg("state.changed")}
    if args.format == "json":
        doc = {
            "package": args.file,
            "sha256": sha256(data),
            "consistent": not bad,
            "ruleset": v.manifest["ruleset"],
            "tool": v.manifest["tool"],
            "findings": [{"ok": f.ok, "what": f.what, "text": f.text.get(lang)} for f in v.findings],
            "evidence_missing": v.missing,
            "status": v.report["status"] if v.report else None,
        }
        emit(dump_json(doc), None)
    else:
        lines = [f"{'✓' if f.ok else '✗'} {f.what}: {f.text.get(lang)}" for f in v.findings]
        if v.missing:
            lines.append(msg("verify.missing_head").get(lang))
            lines += [f"  - {m['rule']} {m['path']} ({states[m['state']].get(lang)})" for m in v.missing]
        key = "verify.mismatch" if bad else "verify.ok"
        lines.append(msg(key, path=args.file, n=len(bad)).get(lang) + f" (sha256 {sha256(data)})")
        from ..core.text.sanitize import escape_lines

        emit(escape_lines("\n".join(lines)) + "\n", None)
    return exitcodes.NOT_COMPLIANT if bad else exitcodes.COMPLIANT
