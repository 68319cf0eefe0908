"""Every word of ``--help``: the texts are in the catalogue (``strings/help.toml``, keys
``help.*``), the examples' commands here.

``cli/parser.py`` builds the argparse parser from them in the chosen language. Commands in
examples are shell text and stay as typed; what they do (a note, a catalogue key) is said in the
reader's language. A new option or command adds its ``help.<key>`` entries (both languages) to
``strings/help.toml`` and looks them up with ``h("<key>", lang)`` in the parser.
"""

from __future__ import annotations

from ..core.text.messages import word

# Examples: the command as typed, and what it does (None: the command says it).
# command -> (shell text, the catalogue key of its note or None)
EXAMPLES: dict[str, list[tuple[str, str | None]]] = {
    "prog": [
        ("medequip check examples/pet_ct_new_nonpublic.toml", "help.note.check_bundled_example"),
        (
            "medequip check profiles/ --format jsonl --jobs 4 > results.jsonl",
            "help.note.whole_folder_one_result",
        ),
        ("medequip check my.toml --format html -o report.html", "help.note.report_to_print"),
        ("medequip checklist my.toml --format markdown", "help.note.documents_to_prepare"),
        ("medequip diff before.toml after.toml", "help.note.what_changed_between_versions"),
        ("medequip template pet_ct -o my.toml", "help.note.template_to_fill_in"),
        ("medequip schema report", None),
        ("medequip rules pet_ct", "help.note.list_clauses"),
        ("medequip rules lint my-ruleset.toml", "help.note.check_adapted_ruleset"),
        ("medequip rules show pet_ct/2.3", "help.note.show_one_clause"),
        (
            "medequip rules diff class-b-access new.toml",
            "help.note.what_changed_between_editions",
        ),
        ("medequip test tests/cases/ --coverage", "help.note.run_clause_cases"),
        (
            "medequip explain examples/pet_ct_new_nonpublic.toml pet_ct/3.1",
            "help.note.how_verdict_was_reached",
        ),
        ("medequip interview --equipment pet_ct", "help.note.chat_interview"),
        ("medequip completion bash", "help.note.shell_completion"),
    ],
    "check": [
        ("medequip check examples/pet_ct_new_nonpublic.toml", None),
        ("medequip check examples/pet_ct_new_nonpublic.toml --format html -o report.html", None),
        ("medequip check my.toml --format docx -o report.docx --lang zh", None),
        ("medequip check profiles/ --format jsonl --jobs 4 > results.jsonl", None),
        ("medequip check profiles/ --summary --exit-zero", None),
        ("medequip check my.toml --as-of 2031-01-01", None),
        ("medequip check profiles/ --ruleset new.toml --against class-b-access", None),
        ("medequip check profiles/ --format csv -o review.csv", None),
        ("medequip check profiles/ --format xlsx -o review.xlsx", None),
        ("medequip check profiles/ --format html -o reports/", None),
        ("cat my.toml | medequip check - --format json", None),
    ],
    "stats": [
        ("medequip stats profiles/", None),
        ("medequip stats profiles/ --format html -o stats.html", None),
        ("medequip stats a.toml b.toml --format json", None),
    ],
    "checklist": [
        ("medequip checklist examples/pet_ct_new_nonpublic.toml", None),
        ("medequip checklist my.toml --format html -o checklist.html --lang zh", None),
        ("medequip checklist my.toml --format docx -o checklist.docx", None),
        ("medequip checklist my.toml --format json", None),
    ],
    "diff": [
        ("medequip diff before.toml after.toml", None),
        ("medequip diff before.toml after.toml --format json", None),
    ],
    "template": [
        ("medequip template pet_ct --lang zh -o my.toml", None),
        ("medequip template proton > proton.toml && $EDITOR proton.toml && medequip check proton.toml", None),
    ],
    "schema": [
        ("medequip schema report > report.schema.json", None),
        ("medequip schema profile --equipment pet_ct", None),
        ("medequip schema explain", None),
        ("medequip schema stats", None),
    ],
    "rules": [
        ("medequip rules pet_mr --format json", None),
        ("medequip rules show proton/4.1.4", None),
        ("medequip rules lint my-ruleset.toml", "help.rules.lint_exit"),
        ("medequip rules diff class-b-access new-edition.toml", "help.rules.diff_exit"),
    ],
    "test": [
        ("medequip test tests/cases/", None),
        ("medequip test my-cases.toml --ruleset my-rules.toml --coverage", None),
        ("medequip test tests/cases/ --coverage --format json", None),
    ],
    "explain": [
        ("medequip explain examples/pet_ct_new_nonpublic.toml pet_ct/2.2", None),
        ("medequip explain my.toml pet_ct/2.2 --format json", None),
    ],
    "interview": [
        ("medequip interview --equipment pet_ct -o my.toml", None),
        ("medequip interview --resume my.toml", None),
        ("printf 'y\\n' | medequip interview --plain --equipment pet_ct", None),
    ],
    "questions": [("medequip questions pet_ct --format json", None)],
    "completion": [
        ("source <(medequip completion bash)", None),
        ("medequip completion fish > ~/.config/fish/completions/medequip.fish", None),
    ],
    "man": [("medequip man | man -l -", None)],
}


def h(key: str, lang: str, **kw) -> str:
    """The help text ``help.<key>`` in ``lang``; formatted only when values are given, so a
    text without them may hold braces as typed."""
    text = word("help." + key, lang)
    return text.format(**kw) if kw else text


def epilog(command: str, lang: str, extra: tuple[str, ...] = ()) -> str:
    """Examples (one per line, never joined with ``|``), then the command's closing notes."""
    items = EXAMPLES.get(command, [])
    lines = [h("examples" if len(items) > 1 else "example", lang)] if items else []
    width = max((len(c) for c, note in items if note), default=0)
    for cmd, note in items:
        lines.append(f"  {cmd:<{width}}  # {word(note, lang)}" if note else f"  {cmd}")
    for key in extra:
        lines += ["", h(key, lang)]
    return "\n".join(lines)


# The application file's commands (issue 24), kept apart for size.
from .helptext_application import EXAMPLES as _APP_EXAMPLES  # noqa: E402

EXAMPLES["check"] = EXAMPLES["check"] + _APP_EXAMPLES.pop("check")
EXAMPLES.update(_APP_EXAMPLES)
