"""Changing answers and the staff from the chat: the review (``修改`` / ``edit``, F2, the command
palette), ``edit KEY`` typed in the chat, a click on an earlier answer, and the roster
(``人员`` / ``staff``, F3). Each change goes through the engine (kept answers, undo with
``back``), is saved at once, and is followed by whatever questions it opens.

A mixin of ``ChatScreen`` (which supplies ``session``, ``lang``, ``say``, ``advance`` ...).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events

from ...core.evaluate.results import fmt_value
from ...interview.review import find, request_of, review, shown_value
from ..strings import t
from ..widgets.bubbles import Bubble
from .review import EditScreen, ReviewScreen
from .roster import RosterScreen


class ChatEditing:
    session: Any
    lang: str
    app: Any

    def handle_request(self, text: str) -> bool:
        """``修改`` / ``修改 KEY`` / ``人员`` typed in the chat; False when ``text`` is none."""
        request = request_of(text)
        if request is None or self.session is None:
            return False
        self.user_says(text)  # type: ignore[attr-defined]
        kind, target = request
        if kind == "staff":
            self.action_roster()
        elif not target:
            self.action_review()
        else:
            keys = find(self.session.iv, target)
            if len(keys) == 1:
                self.begin_edit(keys[0])
            elif keys:
                self.say(t(self.lang, "edit_many", what=target), classes="note")  # type: ignore[attr-defined]
                self.action_review(only=keys)
            else:
                self.warn(t(self.lang, "edit_nothing", what=target))  # type: ignore[attr-defined]
        return True

    def action_review(self, only: list[str] | None = None) -> None:
        if self.session is None:
            return

        def chosen(key: str | None) -> None:
            self.box_settles()  # type: ignore[attr-defined]
            if key:
                self.begin_edit(key)

        self.app.push_screen(ReviewScreen(self.session.iv, self.lang, only), chosen)

    def begin_edit(self, key: str) -> None:
        iv = self.session.iv
        step = iv.step_for(key)
        if step is None:
            self.warn(t(self.lang, "edit_nothing", what=key))  # type: ignore[attr-defined]
            return
        current = next((shown_value(it, self.lang) for it in review(iv) if it.key == key), None)

        def done(value: Any) -> None:
            self.box_settles()  # type: ignore[attr-defined]  # an Enter typed twice ends here
            if value is not EditScreen.CANCEL:
                self.apply_edit(key, value)

        self.app.push_screen(EditScreen(step, current, self.lang), done)

    def apply_edit(self, key: str, value: Any) -> None:
        iv, lang = self.session.iv, self.lang
        step = iv.step_for(key)
        shown = value if step.fact.type == "text" else fmt_value(step.fact, value).get(lang)
        now = next((it for it in review(iv) if it.key == key and it.used), None)
        if now is not None and now.value == value:
            # The same answer again: nothing changes, and the chat says so.
            self.say(t(lang, "edit_same", label=step.fact.label.get(lang), value=str(shown)), classes="note")  # type: ignore[attr-defined]
            return
        before = set(iv.kept)
        iv.edit_value(key, value)
        self._turns.append(None)  # type: ignore[attr-defined]  # back undoes the edit
        text = Text(t(lang, "edited", label=step.fact.label.get(lang), value=str(shown)))
        unused = [k for k in iv.kept if k not in before]
        if unused:
            text.append("\n" + t(lang, "edited_unused", n=len(unused)), style="dim")
        self.say(text, classes="note")  # type: ignore[attr-defined]
        self.after_change()

    def after_change(self) -> None:
        self.autosave()  # type: ignore[attr-defined]
        was = self.step  # type: ignore[has-type]
        now = self.session.iv.next()
        # Ask again only when the question changed (or the interview was over).
        self.advance(ask=was is None or now is None or now.key != was.key)  # type: ignore[attr-defined]

    def action_roster(self) -> None:
        if self.session is None:
            return

        def chosen(choice: tuple[str, str, int] | None) -> None:
            self.box_settles()  # type: ignore[attr-defined]
            if choice is None:
                return
            action, roster, i = choice
            iv = self.session.iv
            if action == "add":
                iv.add_person(roster)
                self._turns.append(None)  # type: ignore[attr-defined]
                self.say(t(self.lang, "roster_added"), classes="note")  # type: ignore[attr-defined]
                self.after_change()
            elif action == "remove":
                name = iv.answers[roster][i].get("name") or f"#{i + 1}"
                iv.remove_person(roster, i)
                self._turns.append(None)  # type: ignore[attr-defined]
                self.say(t(self.lang, "roster_removed", name=name), classes="note")  # type: ignore[attr-defined]
                self.after_change()
            else:
                keys = [it.key for it in review(iv) if it.key.startswith(f"{roster}[{i}].")]
                self.action_review(only=keys)

        self.app.push_screen(RosterScreen(self.session.iv, self.lang), chosen)

    def on_click(self, event: events.Click) -> None:
        """A click on an earlier answer changes it in place."""
        widget = event.widget
        key = getattr(widget, "answer_key", None)
        if isinstance(widget, Bubble) and key and self.session is not None:
            if self.session.iv.step_for(key) is not None:
                event.stop()
                self.begin_edit(key)
