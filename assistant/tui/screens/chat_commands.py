"""The words and keys that steer the chat rather than answer: back, skip, why, progress and
help (typed, or Ctrl+B / Ctrl+N / Ctrl+Y / F1). A mixin of ``ChatScreen`` (which supplies
``session``, ``lang``, ``say``, ``advance`` ...).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ...interview.engine import ADD
from ...interview.review import estimate
from ..strings import t
from ..widgets.bubbles import Reminder
from .why import why_text

COMMAND_WORD = {
    "back": "back_cmd",
    "skip": "skipped_cmd",
    "why": "why_cmd",
    "progress": "progress_cmd",
    "help": "help_cmd",
}


class ChatCommands:
    session: Any
    lang: str
    step: Any
    _turns: list
    chat_last_user: Any

    def command(self, name: str) -> None:
        assert self.session is not None
        iv, lang = self.session.iv, self.lang
        if name == "back":
            if iv.back():
                if self._turns and (turn := self._turns.pop()) is not None:
                    turn.add_class("undone")
                self.say(t(lang, "went_back"), classes="note")
                self.autosave()
                self.advance()
            else:
                self.say(t(lang, "nothing_to_undo"), classes="note")
        elif name == "skip":
            if self.step is None:
                self.say(t(lang, "already_done"), classes="note")
                return
            if self.chat_last_user is not None:
                self._turns.append(self.chat_last_user)
            iv.skip()
            self.say(t(lang, "skipped"), classes="note")
            self.autosave()
            self.advance()
        elif name == "why":
            self.show_why()
        elif name == "progress":
            done, _ = iv.progress()
            left, more = estimate(iv)
            c = iv.tally()
            self.say(
                t(
                    lang,
                    "progress_more" if more else "progress",
                    done=done,
                    left=left,
                    **{k: c.get(k, 0) for k in ("met", "not_met", "exempt", "unknown")},
                )
            )
        elif name == "help":
            text = Text()
            if self.step is not None and self.step.fact.key != ADD:
                text.append(t(lang, "about_question"), style="bold")
                text.append(self.step.question.help.get(lang) + "\n\n")
            text.append(t(lang, "help"))
            self.say(text)
            self.remind()

    def show_why(self) -> None:
        assert self.session is not None
        if self.step is None:
            self.say(t(self.lang, "already_done"), classes="note")
            return
        self.say(why_text(self.session, self.step, self.lang))
        self.remind()

    def remind(self) -> None:
        """After a long answer (why, help) the question is said again under it, so that it
        is on the screen when the person answers (as the line mode repeats its prompt)."""
        if self.step is not None:
            self.chat_mount(Reminder(self.step, self.lang))

    def run_command_key(self, name: str) -> None:
        if self.session is None:
            return
        self.chat_last_user = None
        self.user_says(t(self.lang, COMMAND_WORD[name]))
        self.command(name)

    def action_back(self) -> None:
        self.run_command_key("back")

    def action_skip(self) -> None:
        self.run_command_key("skip")

    def action_why(self) -> None:
        self.run_command_key("why")

    def action_help(self) -> None:
        self.run_command_key("help")
