"""``medequip review application.zip [--plain]``: the reviewer goes clause by clause through a
package and marks each 认可 / 不认可 / 需补充 with a note; every mark is saved at once to
``application.review.toml`` (``reports/review_session.py``), so the review resumes where it
stopped. On a terminal the chat screen runs (unless ``--plain``); otherwise the line mode
below: each clause ends with the prompt ``[<clause id>]> `` at the start of a line, flushed,
so a script can answer by clause.

What a reviewer types at a clause: a mark (认可 / 不认可 / 需补充, 1 / 2 / 3, accept / reject /
more), then a note; ``b`` back, ``n`` (or Enter) next, ``g 3`` or ``g pet_ct/3.2`` to go to a
clause, ``o 1`` to open evidence file 1, ``l`` the list of marks, ``q`` to stop (everything is
saved already), ``?`` help."""

from __future__ import annotations

import os
import sys

from ..core.io import exitcodes
from ..core.profile.review import MARK_LABEL
from ..core.text.errors import UsageError
from ..core.text.i18n import Msg
from ..core.text.messages import msg, tr
from .output import say


def t(key: str, lang: str, **kw) -> str:
    from ..reports.review_session import WORDS

    return WORDS[key].get(lang).format(**kw)


def _read(prompt: str) -> str | None:
    sys.stdout.write(f"[{prompt}]> ")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if line == "":
        return None
    line = line.rstrip("\r\n")
    if not sys.stdin.isatty():
        from ..core.text.sanitize import escape

        sys.stdout.write(escape(line) + "\n")
    return line


def cmd_review(args, lang: str) -> int:
    from ..reports.review_session import ReviewSession

    session = ReviewSession.open(args.file, args.review, lang, args.reviewer, args.ruleset)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    launch = getattr(args, "launch_tui", None)
    if not args.plain and interactive and launch is not None:
        return launch(session=session, lang=lang)
    try:
        return plain(session, lang)
    finally:
        session.close()


def plain(session, lang: str) -> int:
    for f in session.mismatches:
        say(t("mismatch", lang, what=f.what, text=f.text.get(lang)))
    if not session.review.reviewer:
        name = ""
        while not name.strip():
            say(t("reviewer_q", lang))
            line = _read("reviewer")
            if line is None:
                return exitcodes.COMPLIANT
            name = line.strip()
        _save(session, lambda: session.set_reviewer(name), lang)
    elif not os.path.exists(session.review_path):  # --reviewer on a new review: saved at once
        _save(session, lambda: session.set_reviewer(session.review.reviewer), lang)
    elif session.review.marks:
        say(t("resumed", lang, n=len(session.review.marks)))
    i = session.first_unmarked()
    while 0 <= i < len(session.clauses):
        _show(session, i, lang)
        i = _step(session, i, lang)
        if i is None:
            break
    _summary(session, lang)
    return exitcodes.COMPLIANT


def _save(session, action, lang: str) -> bool:
    try:
        action()
    except OSError as e:
        from .output import err

        err(
            msg(
                "evidence.cli_file",
                path=session.review_path,
                problem=Msg(str(e.strerror or e), str(e.strerror or e)),
            ),
            lang,
        )
        return False
    return True


def _show(session, i: int, lang: str) -> None:
    from ..reports.checklist import claim_text
    from ..reports.review_session import CLAUSE_WORDS, size_text

    c = session.clauses[i]
    r = c.rule
    w = {k: v.get(lang) for k, v in CLAUSE_WORDS.items()}
    colon = tr("cli.review.text", lang)
    say("")
    say(
        t(
            "head",
            lang,
            n=i + 1,
            total=len(session.clauses),
            clause=r["clause"],
            id=r["id"],
            heading=r["heading"],
        )
    )
    say(f"{w['requirement']}{colon}{r['text']}")
    say(f"{w['verdict']}{colon}{r['status_label']} — {r['reason']}")
    if r.get("claims"):
        say(f"{w['facts']}{colon}".rstrip())
        for claim in r["claims"]:
            say(f"  - {claim_text(claim, lang)}")
    if c.evidence:
        say(f"{w['evidence']}{colon}".rstrip())
        for n, f in enumerate(c.evidence, 1):
            extra = "" if f.present else f" ({w['absent']})"
            say(f"  {n}. {f.path} ({size_text(f.size)}){extra}")
    else:
        say(f"{w['evidence']}{colon}{w['no_evidence']}")
    m = session.mark_of(i)
    shown = w["none"] if m is None else MARK_LABEL[m.mark].get(lang) + (f" — {m.note}" if m.note else "")
    say(f"{w['mark']}{colon}{shown}")


def _step(session, i: int, lang: str) -> int | None:
    """Read one line at clause ``i``: the clause to show next, or None to stop."""
    from ..reports.review_session import read_line

    line = _read(session.clauses[i].id)
    if line is None:
        return None
    kind, arg = read_line(line)
    if kind == "mark":
        return _mark(session, i, arg, lang)
    return _navigate(session, i, kind, arg, lang)


def _mark(session, i: int, mark: str, lang: str) -> int:
    say(t("note_q", lang))
    note = _read("note") or ""
    m = session.mark_of(i)
    # Enter keeps the note a clause had when its mark stays the same (changing only the mark
    # of a rejected clause to 需补充 asks for a new one).
    note = note.strip() or (m.note if m is not None and m.mark == mark else "")
    if _save(session, lambda: session.mark(i, mark, note), lang):
        say(t("saved", lang, id=session.clauses[i].id, mark=MARK_LABEL[mark].get(lang)))
        return i + 1
    return i


def _navigate(session, i: int, kind: str, arg: str, lang: str) -> int | None:
    from ..reports.review_session import clause_index, evidence_at

    if kind == "quit":
        return None
    if kind in ("back", "next"):
        return max(i - 1, 0) if kind == "back" else i + 1
    if kind == "list":
        _list(session, lang)
    elif kind == "go":
        j = clause_index(session, arg)
        if j is not None:
            return j
        say(t("no_such_clause", lang, text=arg))
    elif kind == "open":
        f = evidence_at(session, i, arg)
        if f is None:
            say(t("no_such_file", lang, text=arg))
        else:
            opened, path = session.open_evidence(f)
            say(t("opened" if opened else "no_viewer", lang, path=path))
    else:
        if kind == "unknown":
            say(t("not_understood", lang, text=arg))
        say(t("help", lang))
    return i


def _list(session, lang: str) -> None:
    for n, c in enumerate(session.clauses, 1):
        m = session.review.marks.get(c.id)
        shown = "—" if m is None else MARK_LABEL[m.mark].get(lang) + (f" — {m.note}" if m.note else "")
        say(f"{n:>2}. {c.rule['clause']} {c.id}: {shown}")


def _summary(session, lang: str) -> None:
    say("")
    say(t("summary", lang, path=session.review_path, **session.counts()))
    say(t("next_step", lang, package=session.package, path=session.review_path))


def refuse_stdin(path: str) -> None:
    if path == "-":
        raise UsageError(msg("evidence.cli_stdin"))
