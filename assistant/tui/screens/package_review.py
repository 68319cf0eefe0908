"""The reviewer's chat: one clause at a time (its requirement, the applicant's facts and
verdict, the evidence files), marked 认可 / 不认可 / 需补充 with a note in the one answer box.

Everything typed is read as the line mode reads it (``reports/review_session.read_line``): a
mark, then a note (Enter for none); ``b`` back, ``n`` or Enter next, ``g N`` to a clause,
``o N`` opens evidence file N with the system viewer (not waited for), ``l`` the marks so
far, ``q`` ends. Each mark is saved at once by the session, so the screen can end at any time.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Input

from ...core.profile.review import MARK_LABEL
from ...core.text.messages import tr
from ...reports.review_session import (
    CLAUSE_WORDS,
    WORDS,
    ReviewSession,
    clause_index,
    evidence_at,
    read_line,
    size_text,
)
from ..widgets.answer_input import Answering, AnswerInput
from ..widgets.bubbles import Bubble, Chat


class PackageReviewScreen(Answering, Screen[None]):
    """The review of one package; ``state`` is what the box is asked for: ``reviewer``,
    ``clause`` (a mark or a command), ``note`` (for ``pending``), ``end``."""

    DEFAULT_CSS = """
    PackageReviewScreen #review-chat {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, session: ReviewSession, lang: str) -> None:
        super().__init__()
        self.session, self.lang = session, lang
        self.i = session.first_unmarked()
        self.state = "clause"
        self.pending: str | None = None

    def w(self, key: str, **kw) -> str:
        return WORDS[key].get(self.lang).format(**kw)

    def compose(self) -> ComposeResult:
        yield Chat(id="review-chat")
        yield AnswerInput(id="answer", once=True)

    def on_mount(self) -> None:
        for f in self.session.mismatches:
            self.say(self.w("mismatch", what=f.what, text=f.text.get(self.lang)), "warning")
        if not self.session.review.reviewer:
            self.state = "reviewer"
            self.say(self.w("reviewer_q"))
        else:
            if self.session.review.marks:
                self.say(self.w("resumed", n=len(self.session.review.marks)), "note")
            self.show_clause()
        self.answer_box().focus()

    # --- the conversation ---------------------------------------------------------------------

    def say(self, text: str | Text, kind: str = "assistant") -> Bubble:
        bubble = Bubble(text, classes=kind)
        chat = self.query_one(Chat)
        chat.mount(bubble)
        chat.scroll_end(animate=False)
        return bubble

    def show_clause(self) -> None:
        self.state = "clause"
        c = self.session.clauses[self.i]
        r = c.rule
        w = {k: v.get(self.lang) for k, v in CLAUSE_WORDS.items()}
        colon = tr("screens.package_review.text", self.lang)
        body = Text()
        body.append(f"{w['requirement']}{colon}", style="bold")
        body.append(r["text"] + "\n")
        body.append(f"{w['verdict']}{colon}", style="bold")
        body.append(f"{r['status_label']} — {r['reason']}\n")
        if r.get("claims"):
            from ...reports.checklist import claim_text

            body.append(f"{w['facts']}{colon}\n", style="bold")
            for claim in r["claims"]:
                body.append(f"  · {claim_text(claim, self.lang)}\n")
        body.append(f"{w['evidence']}{colon}", style="bold")
        if not c.evidence:
            body.append(w["no_evidence"] + "\n")
        else:
            body.append("\n")
            for n, f in enumerate(c.evidence, 1):
                extra = "" if f.present else f" ({w['absent']})"
                body.append(f"  {n}. {f.path} ({size_text(f.size)}){extra}\n")
        m = self.session.mark_of(self.i)
        shown = (
            w["none"] if m is None else MARK_LABEL[m.mark].get(self.lang) + (f" — {m.note}" if m.note else "")
        )
        body.append(f"{w['mark']}{colon}", style="bold")
        body.append(shown)
        head = self.w(
            "head",
            n=self.i + 1,
            total=len(self.session.clauses),
            clause=r["clause"],
            id=r["id"],
            heading=r["heading"],
        )
        bubble = self.say(body, "assistant question")
        bubble.border_title = escape(head)
        self.answer_box().set_placeholders(self.w("help"), self.w("placeholder"))

    # --- what was typed -----------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        if text.strip():
            self.say(text, "user")
        getattr(self, f"on_{self.state}")(text)
        # The one input rule: what was typed before this answer was taken never answers the
        # next question (``AnswerInput.once``); the box takes typing again from here.
        self.answer_box().ready()

    def on_reviewer(self, text: str) -> None:
        if not text.strip():
            self.say(self.w("reviewer_q"))
            return
        if self.saved(lambda: self.session.set_reviewer(text.strip())):
            self.show_clause()

    def on_note(self, text: str) -> None:
        mark, self.pending = self.pending, None
        m = self.session.mark_of(self.i)
        note = text.strip() or (m.note if m is not None and m.mark == mark else "")
        if self.saved(lambda: self.session.mark(self.i, mark, note)):
            self.say(
                self.w("saved", id=self.session.clauses[self.i].id, mark=MARK_LABEL[mark].get(self.lang)),
                "note",
            )
            self.go(self.i + 1)
        else:
            self.show_clause()

    def on_clause(self, text: str) -> None:
        kind, arg = read_line(text)
        if kind == "mark":
            self.pending, self.state = arg, "note"
            self.say(self.w("note_q"))
            self.answer_box().set_placeholders(self.w("note_q"))
            return
        self.command(kind, arg)

    def on_end(self, text: str) -> None:
        kind, arg = read_line(text)
        self.command(kind, arg)

    def command(self, kind: str, arg: str) -> None:
        if kind == "quit":
            self.app.exit(0)
        elif kind in ("back", "next"):
            self.go(max(self.i - 1, 0) if kind == "back" else self.i + 1)
        elif kind == "go":
            j = clause_index(self.session, arg)
            if j is None:
                self.say(self.w("no_such_clause", text=arg), "warning")
            else:
                self.go(j)
        elif kind == "open":
            self.open_file(arg)
        elif kind == "list":
            self.say(self.marks_text())
        else:
            if kind == "unknown":
                self.say(self.w("not_understood", text=arg), "warning")
            self.say(self.w("help"))

    def go(self, i: int) -> None:
        if i >= len(self.session.clauses):
            self.i = len(self.session.clauses) - 1
            self.state = "end"
            counts = self.session.counts()
            self.say(self.w("summary", path=self.session.review_path, **counts))
            self.say(self.w("next_step", package=self.session.package, path=self.session.review_path))
            return
        self.i = i
        self.show_clause()

    def open_file(self, arg: str) -> None:
        if self.state == "end":
            return
        f = evidence_at(self.session, self.i, arg)
        if f is None:
            self.say(self.w("no_such_file", text=arg), "warning")
            return
        opened, path = self.session.open_evidence(f)
        self.say(self.w("opened" if opened else "no_viewer", path=path), "note")

    def marks_text(self) -> str:
        lines = []
        for n, c in enumerate(self.session.clauses, 1):
            m = self.session.review.marks.get(c.id)
            shown = (
                "—" if m is None else MARK_LABEL[m.mark].get(self.lang) + (f" — {m.note}" if m.note else "")
            )
            lines.append(f"{n:>2}. {c.rule['clause']} {c.id}: {shown}")
        return "\n".join(lines)

    def saved(self, action) -> bool:
        try:
            action()
        except OSError as e:
            self.say(
                self.w("cannot_save", path=self.session.review_path, reason=e.strerror or str(e)), "warning"
            )
            return False
        return True
