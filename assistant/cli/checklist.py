"""``medequip checklist``."""

from __future__ import annotations

from ..core.io import exitcodes
from ..reports import checklist as checklist_report


def cmd_checklist(args, lang: str) -> int:
    """``medequip checklist FILE``: exit 0 when the checklist was written, 2 on bad input."""
    from ..core.text.messages import msg
    from ..reports.report import report_date
    from .batch import check_one
    from .output import dump_json, emit

    try:
        date = report_date(args.date)
    except ValueError as e:
        from ..core.text.errors import UsageError

        raise UsageError(e) from None
    if args.format == "docx" and not args.output and args.ctx.stdout_tty:
        from ..core.text.errors import UsageError

        raise UsageError(msg("cli.docx_output"))
    o = check_one(args.file, lang, args.ruleset, date)
    if o.report is None:
        from .output import err

        err(o.error or msg("profile.cannot_read_profile"), lang)
        return exitcodes.USAGE
    if args.format == "json":
        text = dump_json(checklist_report.checklist_json(o.report))
    elif args.format == "markdown":
        text = checklist_report.checklist_markdown(o.report, lang)
    elif args.format == "html":
        from ..reports.html import checklist_document

        text = checklist_document([o.report], lang)
    elif args.format == "docx":
        from ..reports.docx import checklist_docx

        text = checklist_docx([o.report], lang)
    else:
        text = checklist_report.checklist_text(o.report, lang)
    emit(text, args.output, args.ctx.guard)
    return exitcodes.COMPLIANT
