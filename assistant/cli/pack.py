"""``medequip pack PROFILE -o application.zip``: the profile, its report and checklist, every
evidence file and a manifest, in one zip that is the same bytes for the same inputs
(``reports/package.py``). Written through the one output path (atomic, exit 74 when it
cannot be written, never over an input)."""

from __future__ import annotations

import os

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.messages import msg
from ..core.text.sanitize import escape
from .output import Output, err, say


def _load(path: str, ruleset):
    from ..core.profile.document import ProfileError, load
    from ..core.profile.read import read_source
    from ..core.rules.loader import RulesetError

    if path == "-":
        raise UsageError(msg("evidence.cli_stdin"))
    try:
        raw, _ = read_source(path)
        profile, rs = load(raw, path, ruleset)
    except (ProfileError, RulesetError) as e:
        raise UsageError(e) from None
    return raw, profile, rs


def _refuse_evidence_target(output: str, profile, folder: str) -> None:
    """-o naming one of the evidence files (or a link to one): refused before any work."""
    from ..core.profile.evidence import on_disk

    try:
        target = os.stat(output)
    except OSError:
        return
    for e in profile.evidence:
        try:
            st = os.stat(on_disk(folder, e.path))
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
            raise UsageError(msg("pack.output_evidence", output=escape(output)))


def cmd_pack(args, lang: str) -> int:
    """Exit 0 when the package was written, 2 on bad input or refused evidence, 74 when it
    could not be written."""
    from ..core.profile.evidence import profile_folder
    from ..reports import package
    from ..reports.report import report_date

    raw, profile, rs = _load(args.file, args.ruleset)
    folder = profile_folder(args.file)
    if args.output is not None:
        _refuse_evidence_target(args.output, profile, folder)
    try:
        date = report_date(args.date)
    except ValueError as e:
        raise UsageError(e) from None
    packed = package.pack(raw, profile, rs, folder, lang, date, args.allow_missing)
    states = {"missing": msg("state.missing"), "changed": msg("state.changed")}
    if not packed.data:
        for m in packed.missing:
            err(
                msg("pack.missing_line", rule=m["rule"], path=escape(m["path"]), state=states[m["state"]]),
                lang,
            )
        err(msg("pack.refused"), lang)
        return exitcodes.USAGE
    with Output(args.output) as out:
        out.write(packed.data)
    if args.output is not None:
        for m in packed.missing:
            say(msg("pack.left_out", rule=m["rule"], path=m["path"], state=states[m["state"]]).get(lang))
        n = len(packed.manifest["files"]) + 1
        say(msg("pack.done", output=args.output, n=n, sha=package.sha256(packed.data)).get(lang))
    return exitcodes.COMPLIANT
