"""The commands of the application file (issue 24), added to the parser ``parser.py`` builds:
``evidence add | list | remove``, ``pack``, ``verify``, ``review``. Their words are in
``helptext_application.py``."""

from __future__ import annotations

from .helptext import epilog, h


def add_application_commands(command, common, parser_class, fmt, lang: str, _complete) -> None:
    """Add the commands with ``parser.py``'s own helpers: ``command(name)`` makes one,
    ``common(opt, ...)`` gives it the usual options, ``_complete(kind)`` names a shell
    completion."""

    def nested(parent, name: str, extra: tuple[str, ...] = ()):
        """One action of a command with actions (``evidence add``)."""
        full = f"{parent.prog.split()[-1]}.{name}"
        sp = parent._medequip_actions.add_parser(
            name,
            help=h(f"{full}.help", lang),
            description=h(f"{full}.help", lang),
            epilog=epilog(full, lang, extra),
            formatter_class=fmt,
            add_help=False,
        )
        pos = sp.add_argument_group(h("positional", lang))
        opt = sp.add_argument_group(h("options", lang))
        opt.add_argument("-h", "--help", action="help", help=h("help", lang))
        return sp, pos, opt

    def profile_arg(pos):
        pos.add_argument(
            "profile", metavar=h("mv.profile", lang), help=h("evidence.profile", lang)
        ).complete = _complete("files")

    def rule_arg(pos):
        pos.add_argument(
            "rule", metavar=h("mv.rule_id", lang), help=h("evidence.rule", lang)
        ).complete = _complete("rule_ids")

    # --- evidence add | list | remove ----------------------------------------------------------
    ev, _, _ = command("evidence", ("evidence.exit",))
    ev._medequip_actions = ev.add_subparsers(
        dest="action",
        metavar=h("mv.action", lang),
        parser_class=parser_class,
        title=h("actions", lang),
        required=True,
    )
    _, pos, opt = nested(ev, "add")
    profile_arg(pos)
    rule_arg(pos)
    pos.add_argument(
        "files", nargs="+", metavar=h("mv.file", lang), help=h("evidence.files", lang)
    ).complete = _complete("files")
    opt.add_argument("--note", metavar=h("mv.text", lang), help=h("evidence.note", lang))
    opt.add_argument("--replace", action="store_true", help=h("evidence.replace", lang))
    common(opt)
    _, pos, opt = nested(ev, "list", ("evidence.list_exit",))
    profile_arg(pos)
    common(opt, fmt_choices=("text", "json"))
    _, pos, opt = nested(ev, "remove")
    profile_arg(pos)
    rule_arg(pos)
    pos.add_argument(
        "files", nargs="*", metavar=h("mv.file", lang), help=h("evidence.remove_files", lang)
    ).complete = _complete("files")
    common(opt)
    del ev._medequip_actions

    # --- pack ------------------------------------------------------------------------------
    _, pos, opt = command("pack", ("pack.exit",))
    pos.add_argument(
        "file", metavar=h("mv.profile", lang), help=h("pack.profile", lang)
    ).complete = _complete("files")
    common(opt, output="pack.output", date="pack.date")
    for a in opt._group_actions:
        if "--output" in a.option_strings:
            a.required = True
    opt.add_argument("--allow-missing", action="store_true", help=h("pack.allow_missing", lang))

    # --- verify ----------------------------------------------------------------------------
    _, pos, opt = command("verify", ("verify.exit",))
    pos.add_argument(
        "file", metavar=h("mv.package", lang), help=h("verify.package", lang)
    ).complete = _complete("files")
    common(opt, fmt_choices=("text", "json"))

    # --- review ----------------------------------------------------------------------------
    _, pos, opt = command("review", ("review.keys", "review.exit"))
    pos.add_argument(
        "file", metavar=h("mv.package", lang), help=h("verify.package", lang)
    ).complete = _complete("files")
    opt.add_argument(
        "--review", metavar=h("mv.file", lang), help=h("review.file", lang)
    ).complete = _complete("files")
    opt.add_argument("--reviewer", metavar=h("mv.text", lang), help=h("review.reviewer", lang))
    opt.add_argument("--plain", action="store_true", help=h("review.plain", lang))
    common(opt)
