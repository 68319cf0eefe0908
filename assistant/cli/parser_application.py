"""The arguments of the application file's commands, listed in ``parser.COMMAND_ARGS``:
``evidence add | list | remove``, ``pack``, ``verify``, ``review``. Their words are in
``helptext_application.py``."""

from __future__ import annotations

from .helptext import epilog, h


def _nested(b, actions, parent: str, name: str, extra: tuple[str, ...] = ()):
    """One action of a command with actions (``evidence add``)."""
    lang = b.lang
    full = f"{parent}.{name}"
    sp = actions.add_parser(
        name,
        help=h(f"{full}.help", lang),
        description=h(f"{full}.help", lang),
        epilog=epilog(full, lang, extra),
        formatter_class=b.fmt,
        add_help=False,
    )
    pos = sp.add_argument_group(h("positional", lang))
    opt = sp.add_argument_group(h("options", lang))
    opt.add_argument("-h", "--help", action="help", help=h("help", lang))
    return pos, opt


def _profile_arg(b, pos) -> None:
    pos.add_argument(
        "profile", metavar=h("mv.profile", b.lang), help=h("evidence.profile", b.lang)
    ).complete = b.complete("files")


def _rule_arg(b, pos) -> None:
    pos.add_argument(
        "rule", metavar=h("mv.rule_id", b.lang), help=h("evidence.rule", b.lang)
    ).complete = b.complete("rule_ids")


def evidence_args(b, pos, opt) -> None:
    """``evidence add | list | remove``: a command with actions, each with its own options."""
    lang = b.lang
    actions = b.current.add_subparsers(
        dest="action",
        metavar=h("mv.action", lang),
        parser_class=type(b.current),
        title=h("actions", lang),
        required=True,
    )
    pos, opt = _nested(b, actions, "evidence", "add")
    _profile_arg(b, pos)
    _rule_arg(b, pos)
    pos.add_argument(
        "files", nargs="+", metavar=h("mv.file", lang), help=h("evidence.files", lang)
    ).complete = b.complete("files")
    opt.add_argument("--note", metavar=h("mv.text", lang), help=h("evidence.note", lang))
    opt.add_argument("--replace", action="store_true", help=h("evidence.replace", lang))
    b.common(opt)
    pos, opt = _nested(b, actions, "evidence", "list", ("evidence.list_exit",))
    _profile_arg(b, pos)
    b.common(opt, fmt_choices=("text", "json"))
    pos, opt = _nested(b, actions, "evidence", "remove")
    _profile_arg(b, pos)
    _rule_arg(b, pos)
    pos.add_argument(
        "files", nargs="*", metavar=h("mv.file", lang), help=h("evidence.remove_files", lang)
    ).complete = b.complete("files")
    b.common(opt)


def pack_args(b, pos, opt) -> None:
    lang = b.lang
    pos.add_argument(
        "file", metavar=h("mv.profile", lang), help=h("pack.profile", lang)
    ).complete = b.complete("files")
    b.common(opt, output="pack.output", date="pack.date")
    for a in opt._group_actions:
        if "--output" in a.option_strings:
            a.required = True
    opt.add_argument("--allow-missing", action="store_true", help=h("pack.allow_missing", lang))


def verify_args(b, pos, opt) -> None:
    lang = b.lang
    pos.add_argument(
        "file", metavar=h("mv.package", lang), help=h("verify.package", lang)
    ).complete = b.complete("files")
    b.common(opt, fmt_choices=("text", "json"))


def review_args(b, pos, opt) -> None:
    lang = b.lang
    pos.add_argument(
        "file", metavar=h("mv.package", lang), help=h("verify.package", lang)
    ).complete = b.complete("files")
    opt.add_argument(
        "--review", metavar=h("mv.file", lang), help=h("review.file", lang)
    ).complete = b.complete("files")
    opt.add_argument("--reviewer", metavar=h("mv.text", lang), help=h("review.reviewer", lang))
    opt.add_argument("--plain", action="store_true", help=h("review.plain", lang))
    b.common(opt)
