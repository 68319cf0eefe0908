"""The chat: the conversation, the answer input and the lists below it, and a side panel with
the live tally and every clause.

The shape is Textual's ``examples/mother.py``: a ``VerticalScroll`` anchored to the bottom with
one widget per turn, and an ``Input`` below it. Choice questions show a list over the chat's
bottom rows (never resizing the chat, see ``Conversation``) that takes arrow keys and the
mouse; typing there goes to the input. The words that steer the chat (back, skip, why,
progress, help), changing any answer or the staff, and the conversation list's folding are
sections of the one screen. The session (the interview and the file it saves to) belongs to the
App; this screen asks, records and shows. User text is always wrapped in ``rich.text.Text`` so ``[bold]`` in a hospital's name is
shown, not interpreted.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from ...core.evaluate.results import fmt_value
from ...core.profile.answers import command_of, understood
from ...core.text.errors import UsageError
from ...core.text.i18n import OVERALL
from ...core.text.messages import tr
from ...interview.engine import ADD, Interview, Reading, Step, choice_list
from ...interview.review import estimate, find, request_of, review, shown_value
from ...interview.session import Session
from ..strings import t
from ..widgets.answer_input import Answering, AnswerInput
from ..widgets.bubbles import Bubble, Chat, QuestionBubble, Reminder
from ..widgets.choices import ChoiceList, Conversation, ListRoom, SetList, option_items
from ..widgets.clauses import ClauseList
from ..widgets.earlier import BLOCK, LIVE, EarlierTurns, fold
from ..widgets.keybar import KeyBar
from ..widgets.status import OVERALL_STYLE, clip, tally_text
from ..widgets.topbar import TopBar
from ..wrap import Wrapped
from .clause import ClauseScreen
from .equipment import available, equipment_from_text, equipment_names
from .review import EditScreen, ReviewScreen
from .roster import RosterScreen
from .why import why_text

COMMAND_WORD = {
    "back": "back_cmd",
    "skip": "skipped_cmd",
    "why": "why_cmd",
    "progress": "progress_cmd",
    "help": "help_cmd",
}


class ChatScreen(Answering, Screen[None]):
    """The interview itself; the App's default screen."""

    BINDINGS = [
        Binding("ctrl+b", "back", "b_back"),
        Binding("ctrl+n", "skip", "b_skip"),
        Binding("ctrl+y", "why", "b_why"),
        Binding("f1", "help", "b_help"),
        Binding("f2", "review", "b_review"),
        Binding("f3", "roster", "b_roster"),
        Binding("ctrl+p", "app.command_palette", "b_palette"),
        # Last: on a narrow screen the bar leaves out its last entries before quit (every
        # answer is saved as it is given, and both are in the command palette).
        Binding("ctrl+r", "app.report", "b_report"),
        Binding("ctrl+s", "app.save_as", "b_save"),
        # Shown here; the App's priority binding does the work on every screen.
        Binding("ctrl+q", "app.quit", "b_quit"),
        Binding("pageup", "scroll_chat(-1)", show=False),
        Binding("pagedown", "scroll_chat(1)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.step: Step | None = None
        # The user turn behind each history entry, for back (None: an edit or a roster change).
        self._turns: list[Bubble | None] = []
        self._shown_tally: Text | None = None
        self._pending: list[Static] = []
        self.ready = asyncio.Event()  # set once the first question (or the choice) is up
        # Answer -> next question on screen, in seconds, measured in the app: from the
        # handling of the submission to the first frame showing the next question.
        self.latencies: list[float] = []
        self.cpu: list[float] = []  # the same span in CPU seconds of this process
        self._submitted_at: tuple[float, float] | None = None
        self._awaited: tuple[QuestionBubble, float, float] | None = None  # question, its start
        self._parts: dict[tuple, Any] = {}

    # The session and its settings belong to the App (it saves on quit and on signals).

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def session(self) -> Session | None:
        return self.app.session

    @session.setter
    def session(self, value: Session | None) -> None:
        self.app.session = value

    @property
    def finished(self) -> bool:
        return self.app.finished

    @finished.setter
    def finished(self, value: bool) -> None:
        self.app.finished = value

    @property
    def saved_path(self) -> str | None:
        return self.app.saved_path

    def autosave(self) -> None:
        self.app.autosave(debounce=True)

    def action_report(self) -> None:
        self.app.action_report()

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Horizontal(
            Vertical(
                Conversation(
                    Chat(ListRoom(), id="chat"),
                    ChoiceList(id="choices"),
                    SetList(id="set-choices"),
                    id="convo",
                ),
                AnswerInput(id="answer", once=True),
                id="main",
            ),
            Vertical(Static(id="tally", markup=False), ClauseList(id="clauses"), id="side"),
            id="body",
        )
        yield KeyBar(self)

    def on_mount(self) -> None:
        self.setup_when_mounted()

    def setup_when_mounted(self) -> None:
        """Start once every widget of the screen is mounted. The default screen's Mount can
        arrive before its containers have mounted their children (seen under load and in
        the snapshot runner), so check, and look again on the next turn of the loop."""
        if not all(self.query(selector) for selector in ("#chat", "#answer", "#choices", "#clauses")):
            self.call_later(self.setup_when_mounted)
            return
        try:
            self.setup()
        finally:
            self.ready.set()  # the App waits for this: never leave it waiting on a failure
        self.call_after_refresh(self.app.collector.start)

    def setup(self) -> None:
        self.app.title = "medequip"
        self.part(TopBar).show("medequip")
        self.part("#chat", VerticalScroll).anchor()
        answer = self.part("#answer", AnswerInput)
        answer.cursor_blink = self.app.cursor_blink
        self.set_hints()
        self.hide_lists()
        if self.session is None:
            self.part("#side").display = False  # nothing to tally before the choice
            self.ask_equipment()
        else:
            self.start()

    def set_hints(self) -> None:
        lang = self.lang
        for wid, hint in (("#choices", "list_choice"), ("#set-choices", "list_set")):
            self.part(wid, ChoiceList).set_titles(t(lang, hint), t(lang, f"{hint}_short"))
        self.part("#clauses", ClauseList).set_titles(t(lang, "clauses_title"), t(lang, "clauses_title_short"))
        self.answer_box().set_placeholders(t(lang, "placeholder"), t(lang, "placeholder_short"))

    def on_resize(self, event: events.Resize) -> None:
        # Below 100 columns the side panel and the bubbles' margins narrow (see app.tcss).
        self.part("#body").set_class(event.size.width < 100, "-narrow")

    def _compositor_refresh(self) -> None:
        """Draw a frame; the first one in which the question asked is visible ends its latency.
        (A callback after refresh can run before that frame: when it is queued before the
        new bubble's layout has been requested, the screen is idle and runs it at once.)
        Textual's own, private, method that draws every frame of a screen (as of Textual 8);
        if it were renamed, no latency would be recorded (test_tui_collect.py would fail)."""
        super()._compositor_refresh()
        if self._awaited is not None and self._awaited[0] in self._compositor.visible_widgets:
            _, wall, cpu = self._awaited
            self._awaited = None
            self.latencies.append(time.perf_counter() - wall)
            self.cpu.append(time.process_time() - cpu)
            self.app.collector.after_turn()  # while the person reads the question

    # --- equipment -----------------------------------------------------------------------

    def ask_equipment(self) -> None:
        names = equipment_names(self.lang)
        bubble = Bubble(Text(t(self.lang, "choose_equipment"), style="bold"), classes="assistant question")
        bubble.border_title = escape(t(self.lang, "choose_section"))
        self.chat_mount(bubble)
        items = [
            (k, f"{i}. {v}" if available(k) else f"{i}. {v} {t(self.lang, 'no_questions_yet')}")
            for i, (k, v) in enumerate(names.items(), 1)
        ]
        choices = self.part("#choices", ChoiceList)
        choices.set_choices(items, disabled={k for k in names if not available(k)})
        self.show_list("choices")

    def pick_equipment(self, key: str, echo: bool = True) -> None:
        from ...core.rules.loader import RulesetError

        if echo:
            self.user_says(equipment_names(self.lang).get(key, key))
        try:
            self.session = Session(
                key, self.lang, self.app.output, self.app.ruleset, self.app.given, self.app.force
            )
        except (RulesetError, UsageError) as e:
            self.warn(t(self.lang, "cannot_start", error=str(e)))
            self.ask_equipment()
            return
        self.start()

    # --- the conversation ----------------------------------------------------------------

    def start(self) -> None:
        assert self.session is not None
        s = self.session
        info = s.rs.equipment_info(s.equipment)
        self.app.title = f"medequip · {info.name.get(self.lang)}"
        self.part("#side").display = True
        self.part(KeyBar).renew()
        self.say(t(self.lang, "welcome"), classes="note")
        if s.iv.answers:
            # The same count as the header's "answered N".
            self.say(t(self.lang, "resumed", n=s.iv.progress()[0]), classes="note")
        if not self.offer_to_drop_retired():
            self.advance()

    def offer_to_drop_retired(self) -> bool:
        """Say which answers the profile holds for retired facts and ask whether to remove
        them (as the line mode's ``[retired]>``); the interview goes on once answered. Yes
        removes them and saves at once (atomically, the file's comments kept). False when
        there are none (nothing asked)."""
        from ...core.text.messages import msg
        from .retired import RetiredScreen

        assert self.session is not None
        keys = self.session.retired()
        if not keys:
            return False
        for key in keys:
            self.say(Text("! " + msg("profile.retired", key=key).get(self.lang)), classes="warning")

        def answered(drop: bool | None) -> None:
            if drop and self.session is not None:
                self.session.drop_retired()
                self.app.autosave()
                sep = tr("screens.chat.text", self.lang)
                self.say(t(self.lang, "retired_dropped", keys=sep.join(keys)), classes="note")
            else:
                self.say(t(self.lang, "retired_kept"), classes="note")
            self.advance()

        self.app.push_screen(RetiredScreen(keys, self.lang), answered)
        return True

    def advance(self, ask: bool = True) -> None:
        """Work out the next question, refresh header and side panel, and ask it."""
        assert self.session is not None
        self.step = self.session.iv.next()
        self.refresh_status()
        if self.step is None:
            self.hide_lists()
            self.part("#answer").focus()
            if not self.finished:
                self.finish()
            return
        self.finished = False
        if ask:
            self.ask(self.step)

    def ask(self, step: Step) -> None:
        bubble = QuestionBubble(step, self.lang)
        if self._submitted_at is not None:
            self._awaited = (bubble, *self._submitted_at)
            self._submitted_at = None
        self.chat_mount(bubble)
        fact = step.fact
        hint = "list_yes_no" if fact.type == "bool" else "list_choice"
        self.part("#choices", ChoiceList).set_titles(t(self.lang, hint), t(self.lang, f"{hint}_short"))
        if fact.type in ("bool", "choice", "set"):
            which = "set-choices" if fact.type == "set" else "choices"
            self.part(f"#{which}", ChoiceList).set_choices(option_items(step, self.lang))
            self.show_list(which)
        else:
            self.hide_lists()
        answer = self.part("#answer", AnswerInput)
        answer.focus()
        # The box is empty when the question appears: keys typed before it are dropped.
        answer.waiting = True
        self.call_after_refresh(answer.ready)

    def finish(self) -> None:
        assert self.session is not None
        self.finished = True
        ev = self.session.iv.ev
        text = Text()
        text.append(
            t(self.lang, "done", status=OVERALL[ev.status].get(self.lang)), style=OVERALL_STYLE[ev.status]
        )
        text.append("\n" + t(self.lang, "done_more"), style="dim")
        self.autosave()
        if self.saved_path:
            text.append("\n" + t(self.lang, "saved_to", path=self.saved_path), style="dim")
        self.chat_mount(Bubble(text, classes="assistant"))
        self.action_report()

    def record(self, step: Step, value: Any, bubble: Bubble) -> None:
        assert self.session is not None
        self.session.iv.set(step, value)
        if step.fact.key != ADD:
            bubble.answer_key = step.key  # type: ignore[attr-defined]  # a click changes it
        self._turns.append(bubble)
        self.autosave()
        self.advance()

    def answer_text(self, text: str, reading: Reading) -> None:
        """Record what was typed as understood, echoed ("→ 1,200 例"), or say why not."""
        step = self.step
        assert self.session is not None and step is not None
        bubble = self.user_says(text)
        if reading.refusal is not None:
            bubble.add_class("rejected")
            self.warn(reading.refusal.get(self.lang))
            self.ask(step)
            return
        if step.fact.type != "text":
            bubble.set_text(
                Text.assemble(text, ("  " + understood(step.fact, reading.value).get(self.lang), "dim"))
            )
        if reading.warning is not None:
            self.say(Text("! " + reading.warning.get(self.lang)), classes="warning")
        self.record(step, reading.value, bubble)

    @staticmethod
    def reading_of(iv: Interview, step: Step, text: str) -> Reading:
        """What a typed line does here: the engine's reading, nothing added, so that the line
        mode (which uses the same) and the chat never differ."""
        return iv.read(step, text)

    # --- chat helpers --------------------------------------------------------------------

    def say(self, content: Text | str, classes: str = "assistant") -> Bubble:
        bubble = Bubble(content, classes=classes)
        self.chat_mount(bubble)
        return bubble

    def warn(self, message: str) -> Bubble:
        return self.say(Text("✗ " + message), classes="warning")

    def user_says(self, text: str) -> Bubble:
        from ...core.text.sanitize import escape

        bubble = self.say(Text(escape(text)), classes="user")  # typed escapes are shown, not sent
        self.chat_last_user = bubble
        return bubble

    def hide_lists(self) -> None:
        for wid in ("#choices", "#set-choices"):
            widget = self.part(wid)
            if widget.display:
                widget.display = False
        self.part(Conversation).fit()

    def show_list(self, which: str) -> None:
        other = self.part("#set-choices" if which == "choices" else "#choices")
        if other.display:
            other.display = False
        widget = self.part(f"#{which}")
        if not widget.display:
            widget.display = True
        self.part(Conversation).fit()
        widget.scroll_home(animate=False)
        self.part("#answer").focus()  # typing answers; arrows lead into the list

    def answer_box(self) -> AnswerInput:
        return self.part("#answer", AnswerInput)

    def answer_list(self) -> ChoiceList | None:
        for wid in ("#choices", "#set-choices"):
            widget = self.part(wid, ChoiceList)
            if widget.display:
                return widget
        return None

    def box_settles(self) -> None:
        """The box takes the next answer once what follows this one is on the screen; keys
        typed meanwhile are dropped (they were typed for what was on the screen before)."""
        box = self.answer_box()
        box.waiting = True
        self.call_after_refresh(box.ready)

    # --- events --------------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submitted_at = (time.perf_counter(), time.process_time())
        text = event.value
        event.input.value = ""
        self.box_settles()
        if self.session is None:
            if not text.strip():
                return
            self.user_says(text)
            key = equipment_from_text(text, self.lang)
            if key is None:
                self.warn(t(self.lang, "choose_equipment"))
                return
            self.pick_equipment(key, echo=False)
            return
        if self.handle_request(text):
            self.part("#answer").focus()
            return
        if self.step is None:
            reading = Reading(command=command_of(text))
        else:
            reading = self.reading_of(self.session.iv, self.step, text)
        if reading.command is not None:
            self.user_says(text)
            self.command(reading.command)
        elif self.step is None:
            if text.strip():
                self.user_says(text)
                self.say(t(self.lang, "already_done"), classes="note")
        else:
            self.answer_text(text, reading)

    @on(OptionList.OptionSelected, "#choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submitted_at = (time.perf_counter(), time.process_time())
        self.box_settles()
        key = event.option.id
        if key is None:
            return
        if self.session is None:
            self.pick_equipment(key)
            return
        step = self.step
        if step is None or step.fact.type not in ("bool", "choice"):
            return
        label = next((c.label(self.lang) for c in choice_list(step.fact) if c.key == key), key)
        value: Any = (key == "yes") if step.fact.type == "bool" else key
        self.record(step, value, self.user_says(label))

    @on(SetList.Confirmed, "#set-choices")
    def ticked(self, event: SetList.Confirmed) -> None:
        event.stop()
        self._submitted_at = (time.perf_counter(), time.process_time())
        self.box_settles()
        step = self.step
        if self.session is None or step is None or step.fact.type != "set":
            return
        if not event.values:
            # Enter on a list with nothing ticked is not "none": that is typed (无).
            self.warn(t(self.lang, "nothing_ticked"))
            return
        value = [c.key for c in step.fact.choices if c.key in event.values]
        shown = fmt_value(step.fact, value).get(self.lang)
        self.record(step, value, self.user_says(shown))

    @on(OptionList.OptionSelected, "#clauses")
    def open_clause(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.session is None:
            return
        result = next((r for r in self.session.iv.ev.results if r.rule.id == event.option.id), None)
        if result is not None:
            self.app.push_screen(ClauseScreen(result, self.session.rs, self.lang))

    # --- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("app."):
            return self.app.check_action(action[4:], parameters)
        if action in ("back", "skip", "why", "help", "review", "roster"):
            if self.session is None or len(self.app.screen_stack) > 1:
                return False
        return True

    def action_scroll_chat(self, direction: int) -> None:
        chat = self.part(Chat)
        if direction < 0:
            chat.scroll_page_up()
        else:
            chat.scroll_page_down()

    def language_changed(self) -> None:
        """Strings from now on in ``app.lang``; the question on screen is asked again in it."""
        self.part(KeyBar).renew()
        self.set_hints()
        self.say(t(self.lang, "lang_switched"), classes="note")
        if self.session is not None:
            self.advance()

    # --- steering words: back, skip, why, progress, help -----------------------------------

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

    # --- changing answers and the staff ----------------------------------------------------

    def handle_request(self, text: str) -> bool:
        """``修改`` / ``修改 KEY`` / ``人员`` typed in the chat; False when ``text`` is none."""
        request = request_of(text)
        if request is None or self.session is None:
            return False
        self.user_says(text)
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
                self.say(t(self.lang, "edit_many", what=target), classes="note")
                self.action_review(only=keys)
            else:
                self.warn(t(self.lang, "edit_nothing", what=target))
        return True

    def action_review(self, only: list[str] | None = None) -> None:
        if self.session is None:
            return

        def chosen(key: str | None) -> None:
            self.box_settles()
            if key:
                self.begin_edit(key)

        self.app.push_screen(ReviewScreen(self.session.iv, self.lang, only), chosen)

    def begin_edit(self, key: str) -> None:
        iv = self.session.iv
        step = iv.step_for(key)
        if step is None:
            self.warn(t(self.lang, "edit_nothing", what=key))
            return
        current = next((shown_value(it, self.lang) for it in review(iv) if it.key == key), None)

        def done(value: Any) -> None:
            self.box_settles()  # an Enter typed twice ends here
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
            self.say(t(lang, "edit_same", label=step.fact.label.get(lang), value=str(shown)), classes="note")
            return
        before = set(iv.kept)
        # A warning relation (one person in two counted roles) is said; the answer is kept.
        said = [b.message for b in iv.breaches_with(step, value) if not b.refuses]
        iv.edit_value(key, value)
        self._turns.append(None)  # back undoes the edit
        text = Text(t(lang, "edited", label=step.fact.label.get(lang), value=str(shown)))
        unused = [k for k in iv.kept if k not in before]
        if unused:
            text.append("\n" + t(lang, "edited_unused", n=len(unused)), style="dim")
        self.say(text, classes="note")
        for message in said:
            self.say(Text("! " + message.get(lang)), classes="warning")
        self.after_change()

    def after_change(self) -> None:
        self.autosave()
        was = self.step
        now = self.session.iv.next()
        # Ask again only when the question changed (or the interview was over).
        self.advance(ask=was is None or now is None or now.key != was.key)

    def action_roster(self) -> None:
        if self.session is None:
            return

        def chosen(choice: tuple[str, str, int] | None) -> None:
            self.box_settles()
            if choice is None:
                return
            action, roster, i = choice
            iv = self.session.iv
            if action == "add":
                iv.add_person(roster)
                self._turns.append(None)
                self.say(t(self.lang, "roster_added"), classes="note")
                self.after_change()
            elif action == "remove":
                name = iv.answers[roster][i].get("name") or f"#{i + 1}"
                iv.remove_person(roster, i)
                self._turns.append(None)
                self.say(t(self.lang, "roster_removed", name=name), classes="note")
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

    # --- the conversation list and the status line -----------------------------------------

    def part(self, selector: Any, expect_type: Any = None) -> Any:
        """One of the screen's own widgets, found once: they are composed once and never
        replaced, and each search walks every turn in the chat (a dozen searches a turn)."""
        key = (selector, expect_type)
        found = self._parts.get(key)
        if found is None:
            found = self._parts[key] = self.query_one(selector, expect_type)
        return found

    def chat_mount(self, widget: Static) -> None:
        """Queue a turn; the turns of one exchange are mounted together, in one layout pass
        (with a long conversation, each pass is what costs)."""
        if not self._pending:
            self.call_later(self.flush_chat)
        self._pending.append(widget)

    def flush_chat(self) -> None:
        if self._pending:
            widgets, self._pending = self._pending, []
            chat = self.part("#chat", VerticalScroll)
            # Folding in the same pass as mounting the new turns: one layout for both.
            self.fold_earlier()
            chat.mount_all(widgets, before=self.part(ListRoom))

    _fold_pending = False

    def fold_earlier(self) -> None:
        """Replace the oldest bubbles with one block of text (see widgets/earlier.py)."""
        self._fold_pending = False
        chat = self.part("#chat", VerticalScroll)
        bubbles = [w for w in chat.children if isinstance(w, Bubble)]
        if len(bubbles) <= LIVE + BLOCK:
            return
        old = bubbles[:BLOCK]
        block = EarlierTurns(fold(old, t(self.lang, "you")))
        with self.app.batch_update():
            chat.mount(block, before=old[0])
            chat.remove_children(old)
        # Back can no longer strike a folded bubble through: let the removed widgets go
        # rather than keeping each one (and its rendered lines) alive for the whole session.
        folded = {id(b) for b in old}
        self._turns[:] = [None if b is not None and id(b) in folded else b for b in self._turns]
        if self.chat_last_user is not None and id(self.chat_last_user) in folded:
            self.chat_last_user = None

    def refresh_status(self) -> None:
        """Header progress, tally and clause list, after every change."""
        assert self.session is not None
        iv, lang = self.session.iv, self.lang
        done, _ = iv.progress()
        left, more = estimate(iv)
        name = iv.answers.get("institution.name")
        progress = (
            t(lang, "progress_short_more" if more else "progress_short", done=done, left=left)
            if self.step is not None
            else t(lang, "progress_done", done=done)
        )
        self.part(TopBar).show(self.app.title, f"{clip(name, 24)} · {progress}" if name else progress)
        ev = iv.ev
        tally = tally_text(ev, lang)
        if tally != self._shown_tally:  # repainting costs more than comparing
            self._shown_tally = tally
            self.part("#tally", Static).update(Wrapped(tally), layout=False)  # always 3 lines
        self.part("#clauses", ClauseList).show(ev.results, lang)
