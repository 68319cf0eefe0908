"""The chat: the conversation, the answer input and the lists below it, and a side panel with
the live tally and every clause.

The shape is Textual's ``examples/mother.py``: a ``VerticalScroll`` anchored to the bottom with
one widget per turn, and an ``Input`` below it. Choice questions show a list over the chat's
bottom rows (never resizing the chat, see ``Conversation``) that takes arrow keys and the
mouse; typing there goes to the input. The session
(the interview and the file it saves to) belongs to the App; this screen asks, records and
shows. User text is always wrapped in ``rich.text.Text`` so ``[bold]`` in a hospital's name is
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
from ...interview.engine import ADD, Interview, Reading, Step, choice_list
from ...interview.session import Session
from ..strings import t
from ..widgets.answer_input import Answering, AnswerInput
from ..widgets.bubbles import Bubble, Chat, QuestionBubble
from ..widgets.choices import ChoiceList, Conversation, ListRoom, SetList, option_items
from ..widgets.clauses import ClauseList
from ..widgets.keybar import KeyBar
from ..widgets.status import OVERALL_STYLE
from ..widgets.topbar import TopBar
from .chat_commands import ChatCommands
from .chat_edit import ChatEditing
from .chat_turns import ChatTurns
from .clause import ClauseScreen
from .equipment import available, equipment_from_text, equipment_names


class ChatScreen(Answering, ChatCommands, ChatEditing, ChatTurns, Screen[None]):
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
        self.advance()

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
