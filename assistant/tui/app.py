"""The chat interview: a Textual app over the pure interview engine.

The shape is Textual's ``examples/mother.py``: a ``VerticalScroll`` anchored to the bottom with
one widget per turn, and an ``Input`` docked below it. Choice questions add a list between the
two that takes arrow keys, the mouse and number keys; typing still works there. A side panel
shows the live tally and every clause with its status; the report screen shows them all with
filters. Every answer is saved at once (``Session.save``), so quitting, Ctrl+C, SIGTERM and
SIGHUP all leave a profile holding everything answered so far.

User text (the institution's name, answers) is always wrapped in ``rich.text.Text`` (or shown
through ``Content``) so that ``[bold]`` in a hospital's name is shown, not interpreted.
``make_app`` builds the app the same way for ``run_tui`` and for the tests.
"""

from __future__ import annotations

import asyncio
import shlex
import signal
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, SelectionList, Static, Tab, Tabs
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from ..core import exitcodes
from ..core.answers import AnswerError, command_of, hint, normalize
from ..core.answers import parse as parse_answer
from ..core.errors import UsageError
from ..core.i18n import LEVEL, OVERALL, STATUS, Msg
from ..core.model import EQUIPMENT_KEYS
from ..core.results import RuleResult, fmt_value
from ..interview.engine import ADD, Step, choice_list
from ..interview.session import Session, guard_output
from .strings import S, t
from .wrap import Wrapped

STATUS_STYLE = {
    "met": "green",
    "not_met": "bold red",
    "exempt": "cyan",
    "not_applicable": "dim",
    "unknown": "yellow",
}
OVERALL_STYLE = {"compliant": "bold green", "not_compliant": "bold red", "incomplete": "bold yellow"}
COMMAND_WORD = {
    "back": "back_cmd",
    "skip": "skipped_cmd",
    "why": "why_cmd",
    "progress": "progress_cmd",
    "help": "help_cmd",
}


def _localize(node: Any, lang: str) -> None:
    """Key-bar labels in the interview's language. BINDINGS carry keys into ``strings.S`` as
    their descriptions; each instance swaps them for the text in ``lang``."""
    keys = {
        key: [replace(b, description=t(lang, b.description)) if b.description in S else b for b in bindings]
        for key, bindings in node._bindings.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(keys)


SHORT_STATUS = {**STATUS, "not_applicable": Msg("不适用", "n/a")}


def _status_label(status: str, lang: str, width: int | None = None, short: bool = False) -> Text:
    label = (SHORT_STATUS if short else STATUS)[status].get(lang)
    if width is not None:
        label += " " * max(0, width - cell_len(label))
    return Text(label, style=STATUS_STYLE[status])


def _rule_name(rule: Any, lang: str) -> str:
    """（二）3 in Chinese; the rule id in English, where the Chinese numbering reads badly."""
    return f"{rule.clause} {rule.heading.zh}" if lang == "zh" else f"{rule.id} {rule.heading.en}"


def _clip(text: str, width: int) -> str:
    """Shorten to ``width`` terminal cells (CJK characters take two), ending in an ellipsis."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


class TopBar(Horizontal):
    """One line: what is being assessed on the left, progress on the right (never cut off)."""

    def __init__(self, **kwargs: Any) -> None:
        # Built here, not in compose(), so that a screen's on_mount can fill them in before
        # Textual has mounted this bar's children (a race seen on a loaded machine).
        self.title_static = Static(id="top-title", markup=False)
        self.progress_static = Static(id="top-progress", markup=False)
        super().__init__(self.title_static, self.progress_static, **kwargs)

    shown: tuple[str, str] | None = None

    def show(self, title: str, progress: str = "") -> None:
        old_title, old_progress = self.shown or ("", "")
        if title != old_title:
            self.title_static.update(Text(title, style="bold"))
        if progress != old_progress:
            # A layout pass (of the whole screen) only when the width changes.
            relayout = self.shown is None or cell_len(progress) != cell_len(old_progress)
            self.progress_static.update(Text(progress), layout=relayout)
        self.shown = (title, progress)


def _key_name(key: str) -> str:
    if key.startswith("ctrl+"):
        return "^" + key[5:].upper()
    return {"escape": "Esc", "enter": "Enter"}.get(
        key, key.upper() if key[:1] == "f" and key[1:].isdigit() else key
    )


class KeyBar(Static):
    """The keys of a screen and what they do, in the interview's language: one line that
    never changes while the screen is up. (Textual's Footer rebuilds itself whenever focus
    moves, which here is after nearly every answer.)"""

    def __init__(self, node: Any) -> None:
        self.node = node
        super().__init__(self.bar(), markup=False)

    def bar(self) -> Text:
        """The node's shown bindings whose actions are enabled now."""
        by_action: dict[str, list[str]] = {}
        described: dict[str, str] = {}
        for key, binding in self.node._bindings:
            if (
                binding.show
                and binding.description
                and self.node.check_action(binding.action, ()) is not False
            ):
                by_action.setdefault(binding.action, []).append(_key_name(key))
                described[binding.action] = binding.description
        bar = Text(no_wrap=True, overflow="ellipsis")
        for action, keys in sorted(by_action.items(), key=lambda item: item[0].endswith("quit")):
            bar.append(" " + "/".join(keys), style="bold")
            bar.append(f" {described[action]} ")
        return bar

    def renew(self) -> None:
        self.update(self.bar(), layout=False)


# --- conversation widgets ---------------------------------------------------------------------


class Bubble(Static):
    """One turn of the conversation. Content is always ``Text`` (never parsed as markup),
    wrapped so that Chinese breaks between characters."""

    def __init__(self, content: Text | str, *, classes: str = "") -> None:
        self.text = Text(content) if isinstance(content, str) else content
        super().__init__(Wrapped(self.text), classes=classes, markup=False)

    def set_text(self, content: Text) -> None:
        self.text = content
        self.update(Wrapped(content))


class QuestionBubble(Bubble):
    """The assistant asking one question: section as the border title, prompt, hint, help."""

    def __init__(self, step: Step, lang: str) -> None:
        body = Text(step.prompt(lang), style="bold")
        if step.fact.type in ("int", "bool"):
            body.append(
                f"\n（{hint(step.fact, lang)}）" if lang == "zh" else f"\n({hint(step.fact, lang)})",
                style="dim",
            )
        if step.fact.key != ADD:
            help_text = step.question.help.get(lang)
            if help_text:
                body.append("\n" + help_text, style="dim italic")
        super().__init__(body, classes="assistant question")
        self.step = step
        self.border_title = escape(step.question.section.get(lang))


class Chat(VerticalScroll, can_focus=False):
    """The conversation. Not in the Tab order, so Tab goes straight between the answer and
    the clause list; Page Up / Page Down scroll it from anywhere."""


class ChoiceList(OptionList):
    """Options of a choice or yes/no question. Number keys pick at once; any other printable
    key moves to the input, so typing an answer still works while the list has focus."""

    shown: list | None = None

    def set_choices(self, items: list[tuple[str, str]], disabled: set[str] | None = None) -> None:
        disabled = disabled or set()
        if self.shown == [items, disabled]:  # yes/no after yes/no: nothing to redraw
            self.highlighted = next((i for i, (key, _) in enumerate(items) if key not in disabled), None)
            return
        self.shown = [items, disabled]
        self.clear_options()
        self.add_options(
            [
                Option(Text(f"{i}. {label}"), id=key, disabled=key in disabled)
                for i, (key, label) in enumerate(items, 1)
            ]
        )
        self.highlighted = next((i for i, (key, _) in enumerate(items) if key not in disabled), None)

    def _digit(self, character: str | None) -> int | None:
        if not character:
            return None
        ch = unicodedata.normalize("NFKC", character)
        if len(ch) == 1 and ch in "123456789" and self.option_count <= 9:
            return int(ch)
        return None

    forwarding = False  # typing has begun to move to the input; focus follows shortly

    def on_focus(self) -> None:
        self.forwarding = False

    def on_key(self, event: events.Key) -> None:
        if self.forwarding and event.is_printable and event.character:
            # Keys typed in a burst (an input method commits several at once) arrive
            # before focus has moved: they belong to the input too.
            _forward(self, event, event.character)
            return
        n = self._digit(event.character)
        if n is not None:
            event.stop()
            event.prevent_default()
            if n <= self.option_count and not self.get_option_at_index(n - 1).disabled:
                self.highlighted = n - 1
                self.action_select()
            return
        if event.is_printable and event.character and event.character != " ":
            _forward(self, event, event.character)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.app.type_into_input(event.text)  # type: ignore[attr-defined]


def _forward(widget: ChoiceList | SetList, event: events.Key, text: str) -> None:
    """Send typing that arrived at a choice list on to the answer input."""
    event.stop()
    event.prevent_default()
    widget.forwarding = True
    widget.app.type_into_input(text)  # type: ignore[attr-defined]


class SetList(SelectionList[str]):
    """Options of a several-answers question: Space or a number key ticks, Enter confirms."""

    BINDINGS = [Binding("enter", "confirm", show=False)]

    class Confirmed(Message):
        def __init__(self, selection_list: SetList, values: list[str]) -> None:
            super().__init__()
            self.selection_list = selection_list
            self.values = values

        @property
        def control(self) -> SetList:
            return self.selection_list

    def set_choices(self, items: list[tuple[str, str]]) -> None:
        self.clear_options()
        self.add_options(
            [Selection(Text(f"{i}. {label}"), key, False) for i, (key, label) in enumerate(items, 1)]
        )
        self.highlighted = 0 if items else None

    def action_confirm(self) -> None:
        self.post_message(self.Confirmed(self, list(self.selected)))

    forwarding = False  # typing has begun to move to the input; focus follows shortly

    def on_focus(self) -> None:
        self.forwarding = False

    def on_key(self, event: events.Key) -> None:
        if self.forwarding and event.is_printable and event.character:
            _forward(self, event, event.character)
            return
        ch = unicodedata.normalize("NFKC", event.character or "")
        if len(ch) == 1 and ch in "123456789" and self.option_count <= 9:
            event.stop()
            event.prevent_default()
            n = int(ch)
            if n <= self.option_count:
                self.highlighted = n - 1
                self.toggle(self.get_option_at_index(n - 1).value)
            return
        if event.is_printable and event.character and event.character != " ":
            _forward(self, event, self.ticked_as_text(event.character) + event.character)

    def ticked_as_text(self, separator: str) -> str:
        """Someone typing "1、3" ticks option 1 with the first key; when the separator
        follows and typing moves to the input, the ticked numbers go with it."""
        if separator not in ",，、;； " or self.app.query_one("#answer", Input).value:
            return ""
        ticked = [
            str(i + 1) for i in range(self.option_count) if self.get_option_at_index(i).value in self.selected
        ]
        return separator.join(ticked)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.app.type_into_input(event.text)  # type: ignore[attr-defined]


class AnswerInput(Input):
    """The free-text answer. Up and down move into the choice list when one is shown."""

    BINDINGS = [Binding("up", "to_list(-1)", show=False), Binding("down", "to_list(1)", show=False)]

    def action_to_list(self, direction: int) -> None:
        self.app.focus_choices(direction)  # type: ignore[attr-defined]


class ClauseList(OptionList):
    """Every clause with its live status; Enter or a click opens it. Only the lines whose
    status changed are redrawn: after an answer most of them did not."""

    def show(self, results: Any, lang: str) -> None:
        width = max(cell_len(SHORT_STATUS[s].get(lang)) for s in SHORT_STATUS)
        shown = {self.get_option_at_index(i).id: i for i in range(self.option_count)}
        if list(shown) != [r.rule.id for r in results]:
            self.clear_options()
            self.add_options([Option(self.line(r, lang, width), id=r.rule.id) for r in results])
            self.statuses = {r.rule.id: r.status for r in results}
            return
        for r in results:
            if self.statuses.get(r.rule.id) != r.status:
                self.statuses[r.rule.id] = r.status
                self.replace_option_prompt(r.rule.id, self.line(r, lang, width))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.statuses: dict[str, str] = {}

    @staticmethod
    def line(r: RuleResult, lang: str, width: int) -> Text:
        return Text.assemble(_status_label(r.status, lang, width, short=True), " ", _rule_name(r.rule, lang))


# --- screens ----------------------------------------------------------------------------------


class ClauseScreen(ModalScreen[None]):
    """One clause: its text in the current language, status, reason, waivers, evidence."""

    BINDINGS = [Binding("escape,enter,q", "close", "b_close")]

    def __init__(self, result: RuleResult, rs: Any, lang: str) -> None:
        super().__init__()
        self.result = result
        self.rs = rs
        self.lang = lang
        _localize(self, lang)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="clause-dialog") as box:
            box.border_title = escape(f"{self.result.rule.clause} · {self.result.rule.id}")
            box.border_subtitle = "Esc"
            yield Static(Wrapped(self.body()), markup=False, id="clause-body")

    def body(self) -> Text:
        lang, r, rule = self.lang, self.result, self.result.rule
        out = Text()
        out.append(f"{rule.clause} {rule.heading.get(lang)}", style="bold")
        if rule.level == "advisory":
            out.append(f"  [{LEVEL['advisory'].get(lang)}]", style="dim")
        out.append(f"\n{t(lang, 'clause_status')}：" if lang == "zh" else f"\n{t(lang, 'clause_status')}: ")
        out.append_text(_status_label(r.status, lang))
        out.append(
            f"\n{t(lang, 'clause_reason')}：" if lang == "zh" else f"\n{t(lang, 'clause_reason')}: ",
            style="bold",
        )
        out.append(r.reason.get(lang))
        for m in r.shortfall:
            out.append(f"\n  · {m.get(lang)}", style="red")
        for m in r.advice:
            out.append(f"\n  · {m.get(lang)}", style="italic")
        if r.waived_by:
            out.append(
                f"\n{t(lang, 'waived_by')}：" if lang == "zh" else f"\n{t(lang, 'waived_by')}:", style="bold"
            )
            for w in r.waived_by:
                out.append(
                    "\n  · "
                    + t(lang, "waived_line", clause=w.clause, exemption=w.exemption, label=w.label.get(lang)),
                    style="cyan",
                )
        for p in r.persons:
            out.append(f"\n  {p.name}: ")
            out.append_text(_status_label(p.status, lang))
            out.append(f" {p.reason.get(lang)}")
        out.append(f"\n\n{t(lang, 'clause_text')}\n", style="bold")
        out.append(rule.text_zh if lang == "zh" else rule.text_en)
        could = self.rs.waivers_of(rule.id)
        if could:
            out.append(f"\n\n{t(lang, 'clause_could_waive')}\n", style="bold")
            for ex, gkey in could:
                label = next(g.label for g in ex.grounds if g.key == gkey)
                out.append(
                    f"  · {ex.clause}（{ex.id}）：{label.get(lang)}\n"
                    if lang == "zh"
                    else f"  · {ex.clause} ({ex.id}): {label.get(lang)}\n"
                )
        if rule.interpretation is not None:
            out.append(f"\n{t(lang, 'clause_interpretation')}\n", style="bold")
            out.append(rule.interpretation.get(lang), style="italic")
        if rule.evidence:
            out.append(f"\n\n{t(lang, 'clause_evidence')}\n", style="bold")
            out.append("\n".join(f"  · {e.get(lang)}" for e in rule.evidence))
        return out

    def action_close(self) -> None:
        self.dismiss(None)


class SaveScreen(ModalScreen[str | None]):
    """Ask where to save the profile; Enter saves there, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "b_cancel")]

    def __init__(self, default: str, lang: str) -> None:
        super().__init__()
        self.default = default
        self.lang = lang
        _localize(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog") as box:
            box.border_title = escape(t(self.lang, "save_title"))
            yield Label(Text(t(self.lang, "save_label")))
            yield Input(value=self.default, id="save-path", select_on_focus=False)

    @on(Input.Submitted, "#save-path")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RuleCard(Static):
    """One rule on the report screen."""

    def __init__(self, item: dict, lang: str) -> None:
        self.status = item["status"]
        self.text = self.render_item(item, lang)
        super().__init__(Wrapped(self.text), markup=False, classes=f"card -{self.status}")

    @staticmethod
    def render_item(r: dict, lang: str) -> Text:
        out = Text()
        out.append_text(_status_label(r["status"], lang))
        out.append(f"  {r['clause']}  {r['id']}  {r['heading']}", style="bold")
        if r["level"] != "required":
            out.append(f"  [{LEVEL['advisory'].get(lang)}]", style="dim")
        out.append("\n" + r["reason"])
        if (
            r["shortfall"]
            and "；".join(r["shortfall"]) != r["reason"]
            and "; ".join(r["shortfall"]) != r["reason"]
        ):
            for s in r["shortfall"]:
                out.append(f"\n  {t(lang, 'shortfall')}: {s}", style="red")
        for a in r["advice"]:
            out.append(f"\n  {a}", style="italic")
        return out


class ReportScreen(Screen[None]):
    """Every rule with its status, reason and shortfall, filterable to not met and open."""

    BINDINGS = [
        Binding("a,1", "filter('all')", "b_all"),
        Binding("n,2", "filter('not_met')", "b_not_met"),
        Binding("o,3", "filter('unknown')", "b_open"),
        Binding("ctrl+s", "app.save_as", "b_save"),
        Binding("escape", "app.pop_screen", "b_chat"),
        Binding("ctrl+q", "app.quit", "b_quit"),
    ]

    def __init__(self, report: dict, lang: str, saved: str | None) -> None:
        super().__init__()
        self.report = report
        self.lang = lang
        self.saved = saved
        self.filter = "all"
        _localize(self, lang)

    def compose(self) -> ComposeResult:
        r, lang = self.report, self.lang
        yield TopBar()
        yield Static(Wrapped(self.summary()), markup=False, id="summary")
        counts = r["counts"]
        yield Tabs(
            Tab(t(lang, "filter_all", n=len(r["rules"])), id="all"),
            Tab(t(lang, "filter_not_met", n=counts.get("not_met", 0)), id="not_met"),
            Tab(t(lang, "filter_open", n=counts.get("unknown", 0)), id="unknown"),
            id="filters",
        )
        with VerticalScroll(id="rules"):
            for item in r["rules"]:
                yield RuleCard(item, lang)
            yield Static(Text(t(lang, "nothing_here"), style="dim"), id="nothing", markup=False)
            if r["people"]:
                yield Static(Wrapped(self.people()), markup=False, id="people")
        yield KeyBar(self)

    def on_mount(self) -> None:
        self.query_one(TopBar).show(f"{t(self.lang, 'report_title')} · {self.report['equipment_name']}")
        self.apply_filter()
        self.query_one("#rules").focus()

    def summary(self) -> Text:
        r, lang = self.report, self.lang
        out = Text()
        out.append(r["institution"] or t(lang, "no_name"), style="bold")
        out.append(f" — {r['equipment_name']}")
        rs = r["ruleset"]
        out.append(
            f"\n{t(lang, 'ruleset')}: {rs['title']} ({rs['id']}, {rs['edition']}, sha256 {rs['sha256'][:12]})",
            style="dim",
        )
        if r.get("edition_note"):
            out.append(f"\n{t(lang, 'edition_note')}: {r['edition_note']}", style="yellow")
        out.append(f"\n{t(lang, 'overall')}: ", style="bold")
        out.append(r["status_label"], style=OVERALL_STYLE[r["status"]])
        out.append("  (")
        for i, s in enumerate(("met", "not_met", "exempt", "not_applicable", "unknown")):
            if i:
                out.append("，" if lang == "zh" else ", ")
            out.append(f"{STATUS[s].get(lang)} {r['counts'].get(s, 0)}", style=STATUS_STYLE[s])
        out.append(")")
        if self.saved:
            out.append("\n" + t(lang, "saved_to", path=self.saved), style="dim")
        return out

    def people(self) -> Text:
        out = Text(t(self.lang, "staff"), style="bold")
        for p in self.report["people"]:
            out.append(f"\n  {p['name']} ({p['role']}): ")
            out.append(
                p["route"],
                style="green" if p["qualified"] else "red" if p["qualified"] is False else "yellow",
            )
            for lack in p["lacks"]:
                out.append(f"\n      {lack}", style="dim")
        return out

    def action_filter(self, which: str) -> None:
        self.query_one(Tabs).active = which

    @on(Tabs.TabActivated, "#filters")
    def tab_changed(self, event: Tabs.TabActivated) -> None:
        self.filter = event.tab.id or "all"
        self.apply_filter()

    def apply_filter(self) -> None:
        shown = 0
        for card in self.query(RuleCard):
            card.display = self.filter == "all" or card.status == self.filter
            shown += card.display
        self.query_one("#nothing").display = shown == 0
        self.query_one("#rules").scroll_home(animate=False)

    def visible_rules(self) -> list[str]:
        return [c.status for c in self.query(RuleCard) if c.display]


# --- the app ----------------------------------------------------------------------------------


class MedequipApp(App[int]):
    """The chat interview. ``session`` is None until the equipment is chosen."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+b", "back", "b_back"),
        Binding("ctrl+n", "skip", "b_skip"),
        Binding("ctrl+y", "why", "b_why"),
        Binding("ctrl+s", "save_as", "b_save"),
        Binding("ctrl+r", "report", "b_report"),
        Binding("f1", "help", "b_help"),
        Binding("ctrl+q", "quit", "b_quit", priority=True),
        Binding("pageup", "scroll_chat(-1)", show=False),
        Binding("pagedown", "scroll_chat(1)", show=False),
        # Ctrl+C quits too (saving first): people press it by reflex in a terminal.
        Binding("ctrl+c", "interrupt", show=False, priority=True),
    ]

    def __init__(
        self,
        session: Session | None,
        *,
        lang: str,
        output: str | None = None,
        ruleset: Path | None = None,
        given: dict | None = None,
        force: bool = False,
        handle_signals: bool = False,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.output = output
        self.ruleset = ruleset
        self.given = dict(given or {})
        self.force = force
        self.handle_signals = handle_signals
        self.cursor_blink = cursor_blink
        self.step: Step | None = None
        self.saved_path: str | None = None
        self.save_error: str | None = None
        self.finished = False
        self._turns: list[Bubble] = []  # the user turn behind each history entry, for back
        self._signals: list[int] = []
        self._shown_tally: Text | None = None
        self._pending: list[Static] = []
        _localize(self, lang)

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Chat(id="chat")
                yield ChoiceList(id="choices")
                yield SetList(id="set-choices")
                yield AnswerInput(placeholder=t(self.lang, "placeholder"), id="answer", select_on_focus=False)
            with Vertical(id="side"):
                yield Static(id="tally", markup=False)
                yield ClauseList(id="clauses")
        yield KeyBar(self)

    def on_mount(self) -> None:
        self.title = "medequip"
        self.query_one(TopBar).show("medequip")
        self.query_one("#chat", VerticalScroll).anchor()
        answer = self.query_one("#answer", AnswerInput)
        answer.cursor_blink = self.cursor_blink
        self.query_one("#choices").border_title = escape(t(self.lang, "list_choice"))
        self.query_one("#set-choices").border_title = escape(t(self.lang, "list_set"))
        self.query_one("#clauses").border_title = escape(t(self.lang, "clauses_title"))
        self.hide_lists()
        if self.handle_signals:
            self.install_signal_handlers()
        if self.session is None:
            self.query_one("#side").display = False  # nothing to tally before the choice
            self.ask_equipment()
        else:
            self.start()

    def on_resize(self, event: events.Resize) -> None:
        # Below 100 columns the side panel and the bubbles' margins narrow (see app.tcss).
        self.query_one("#body").set_class(event.size.width < 100, "-narrow")

    def on_unmount(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover
            return
        for sig in self._signals:
            loop.remove_signal_handler(sig)
        self._signals.clear()

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP save and leave like Ctrl+C (the profile is current anyway)."""
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            try:
                loop.add_signal_handler(sig, self.on_signal)
                self._signals.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover - not main thread
                pass

    def on_signal(self) -> None:
        self.shutdown(exitcodes.INTERRUPTED)

    # --- equipment -----------------------------------------------------------------------

    def equipment_names(self) -> dict[str, str]:
        from ..core.loader import bundled

        names: dict[str, str] = {}
        for rs in bundled():
            for e in rs.data.equipment:
                names[e.key] = e.name.get(self.lang)
        return {k: names[k] for k in EQUIPMENT_KEYS if k in names}

    def available(self, equipment: str) -> bool:
        from ..interview.questions import question_files

        return all(p.exists() for p in question_files(equipment))

    def ask_equipment(self) -> None:
        names = self.equipment_names()
        bubble = Bubble(Text(t(self.lang, "choose_equipment"), style="bold"), classes="assistant question")
        bubble.border_title = escape(t(self.lang, "choose_section"))
        self.chat_mount(bubble)
        items = [
            (k, v if self.available(k) else f"{v} {t(self.lang, 'no_questions_yet')}")
            for k, v in names.items()
        ]
        choices = self.query_one("#choices", ChoiceList)
        choices.set_choices(items, disabled={k for k in names if not self.available(k)})
        self.show_list("choices")

    def pick_equipment(self, key: str, echo: bool = True) -> None:
        from ..core.loader import RulesetError

        if echo:
            self.user_says(self.equipment_names().get(key, key))
        try:
            self.session = Session(key, self.lang, self.output, self.ruleset, self.given, self.force)
        except (RulesetError, UsageError) as e:
            self.warn(t(self.lang, "cannot_start", error=str(e)))
            self.ask_equipment()
            return
        self.start()

    def equipment_from_text(self, text: str) -> str | None:
        names = self.equipment_names()
        keys = list(names)
        s = normalize(text).lower()
        if s.isdigit() and 1 <= int(s) <= len(keys):
            key = keys[int(s) - 1]
        else:
            found = [k for k, v in names.items() if s and (s == k or s in normalize(v).lower())]
            key = found[0] if len(found) == 1 else None
        return key if key is not None and self.available(key) else None

    # --- the conversation ----------------------------------------------------------------

    def start(self) -> None:
        assert self.session is not None
        s = self.session
        info = s.rs.equipment_info(s.equipment)
        self.title = f"medequip · {info.name.get(self.lang)}"
        self.query_one("#side").display = True
        self.query_one(KeyBar).renew()
        self.say(t(self.lang, "welcome"), classes="note")
        if s.iv.answers:
            self.say(t(self.lang, "resumed", n=len(s.iv.answers)), classes="note")
        self.advance()

    def advance(self, ask: bool = True) -> None:
        """Work out the next question, refresh header and side panel, and ask it."""
        assert self.session is not None
        self.step = self.session.iv.next()
        self.refresh_status()
        if self.step is None:
            self.hide_lists()
            self.query_one("#answer").focus()
            if not self.finished:
                self.finish()
            return
        self.finished = False
        if ask:
            self.ask(self.step)

    def ask(self, step: Step) -> None:
        self.chat_mount(QuestionBubble(step, self.lang))
        fact = step.fact
        if fact.type in ("bool", "choice"):
            self.query_one("#choices", ChoiceList).set_choices(
                [(c.key, c.label(self.lang)) for c in choice_list(fact)]
            )
            self.show_list("choices")
        elif fact.type == "set":
            self.query_one("#set-choices", SetList).set_choices(
                [(c.key, c.label(self.lang)) for c in fact.choices]
            )
            self.show_list("set-choices")
        else:
            self.hide_lists()
            self.query_one("#answer").focus()

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
        self._turns.append(bubble)
        self.autosave()
        self.advance()

    def answer_text(self, text: str) -> None:
        assert self.session is not None
        bubble = self.user_says(text)
        step = self.step
        if step is None:
            self.say(t(self.lang, "already_done"), classes="note")
            return
        try:
            value = self.parse(text, step)
        except AnswerError as e:
            bubble.add_class("rejected")
            self.warn(e.msg.get(self.lang))
            self.ask(step)
            return
        shown = fmt_value(step.fact, value).get(self.lang) if step.fact.type != "text" else None
        if shown and normalize(shown).replace(" ", "") != normalize(text).replace(" ", ""):
            bubble.set_text(Text.assemble(text, (f"  → {shown}", "dim")))
        self.record(step, value, bubble)

    def parse(self, text: str, step: Step) -> Any:
        """The engine's parser, plus the list numbers shown for yes/no questions."""
        if step.fact.type == "bool" and normalize(text) in ("1", "2"):
            return normalize(text) == "1"
        return parse_answer(text, step.fact)

    def command(self, name: str) -> None:
        assert self.session is not None
        iv, lang = self.session.iv, self.lang
        if name == "back":
            if iv.back():
                if self._turns:
                    self._turns.pop().add_class("undone")
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
            done, left = iv.progress()
            c = iv.tally()
            self.say(
                t(
                    lang,
                    "progress",
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

    def show_why(self) -> None:
        assert self.session is not None
        lang = self.lang
        if self.step is None:
            self.say(t(lang, "already_done"), classes="note")
            return
        rows = self.session.iv.why(self.step)
        grounds = self.grounds_reading(self.step)
        if not rows and not grounds:
            self.say(t(lang, "why_none" if self.step.fact.identity else "why_nothing"))
            return
        text = Text()
        for ex, g in grounds:
            if text:
                text.append("\n")
            waived = (
                "、".join(self.session.rs.waived[ex.id][g.key])
                if lang == "zh"
                else ", ".join(self.session.rs.waived[ex.id][g.key])
            )
            text.append(
                t(lang, "why_ground", clause=ex.clause, id=ex.id, label=g.label.get(lang)), style="bold"
            )
            text.append("\n  " + waived, style="cyan")
        if not rows:
            self.say(text)
            return
        if text:
            text.append("\n")
        text.append(t(lang, "why_head"), style="bold")
        for r in rows:
            text.append(f"\n{r['clause']} {r['id']} " if lang == "zh" else f"\n{r['id']} ")
            text.append_text(_status_label(r["status"], lang))
            text.append("\n  " + r["text"].get(lang), style="dim")
            if r["waivers"]:
                grouped: dict[tuple[str, str], list[str]] = {}
                for ex_id, clause, label in r["waivers"]:
                    grouped.setdefault((ex_id, clause), []).append(label.get(lang))
                for (ex_id, clause), labels in grouped.items():
                    joined = "、".join(labels) if lang == "zh" else "; ".join(labels)
                    text.append(
                        "\n  → " + t(lang, "why_waiver", clause=clause, id=ex_id, labels=joined), style="cyan"
                    )
            else:
                text.append("\n  → " + t(lang, "why_no_waiver"), style="dim")
        self.say(text)

    def grounds_reading(self, step: Step) -> list[tuple[Any, Any]]:
        """Exemption grounds that read this step's fact. ``Interview.why`` lists only the
        rules that read a fact, so for ownership or new-build it would find nothing."""
        from ..core.loader import facts_read

        assert self.session is not None
        out = []
        for ex in self.session.rs.exemptions_for(self.session.equipment):
            for g in ex.grounds:
                keys = facts_read(g.when)
                wanted = step.fact.key if (ex.scope == "person" and step.roster) else step.question.key
                if wanted in keys:
                    out.append((ex, g))
        return out

    # --- chat helpers --------------------------------------------------------------------

    chat_last_user: Bubble | None = None

    def chat_mount(self, widget: Static) -> None:
        """Queue a turn; the turns of one exchange are mounted together, in one layout pass
        (with a long conversation, each pass is what costs)."""
        if not self._pending:
            self.call_later(self.flush_chat)
        self._pending.append(widget)

    def flush_chat(self) -> None:
        if self._pending:
            widgets, self._pending = self._pending, []
            self.query_one("#chat", VerticalScroll).mount_all(widgets)

    def say(self, content: Text | str, classes: str = "assistant") -> Bubble:
        bubble = Bubble(content, classes=classes)
        self.chat_mount(bubble)
        return bubble

    def warn(self, message: str) -> Bubble:
        return self.say(Text("✗ " + message), classes="warning")

    def user_says(self, text: str) -> Bubble:
        bubble = self.say(Text(text), classes="user")
        self.chat_last_user = bubble
        return bubble

    def hide_lists(self) -> None:
        for wid in ("#choices", "#set-choices"):
            widget = self.query_one(wid)
            if widget.display:
                widget.display = False

    def show_list(self, which: str) -> None:
        other = self.query_one("#set-choices" if which == "choices" else "#choices")
        if other.display:
            other.display = False
        widget = self.query_one(f"#{which}")
        if not widget.display:
            widget.display = True
        widget.scroll_home(animate=False)
        widget.focus()

    def focus_choices(self, direction: int) -> None:
        for wid in ("#choices", "#set-choices"):
            widget = self.query_one(wid, OptionList)
            if widget.display:
                widget.focus()
                if direction < 0:
                    widget.action_cursor_up()
                return

    def type_into_input(self, text: str) -> None:
        answer = self.query_one("#answer", AnswerInput)
        answer.focus()
        answer.insert_text_at_cursor(text)

    def refresh_status(self) -> None:
        """Header progress, tally and clause list, after every change."""
        assert self.session is not None
        iv, lang = self.session.iv, self.lang
        done, left = iv.progress()
        name = iv.answers.get("institution.name")
        progress = (
            t(lang, "progress_short", done=done, left=left)
            if self.step is not None
            else t(lang, "progress_done", done=done)
        )
        self.query_one(TopBar).show(self.title, f"{_clip(name, 24)} · {progress}" if name else progress)
        ev = iv.ev
        tally = Text(
            f"{t(lang, 'tally_title')}：" if lang == "zh" else f"{t(lang, 'tally_title')}: ", style="bold"
        )
        tally.append(OVERALL[ev.status].get(lang), style=OVERALL_STYLE[ev.status])
        for i, s in enumerate(("met", "not_met", "exempt", "unknown", "not_applicable")):
            tally.append("\n" if i in (0, 2) else "  ")
            tally.append(f"{SHORT_STATUS[s].get(lang)} {ev.counts.get(s, 0)}", style=STATUS_STYLE[s])
        if tally != self._shown_tally:  # repainting costs more than comparing
            self._shown_tally = tally
            self.query_one("#tally", Static).update(Wrapped(tally), layout=False)  # always 3 lines
        self.query_one("#clauses", ClauseList).show(ev.results, lang)

    # --- events --------------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        event.input.value = ""
        if not text.strip():
            if self.session is not None and self.step is not None:
                self.answer_text(text)
            return
        if self.session is None:
            self.user_says(text)
            key = self.equipment_from_text(text)
            if key is None:
                self.warn(t(self.lang, "choose_equipment"))
                return
            self.pick_equipment(key, echo=False)
            return
        cmd = command_of(text)
        if cmd is not None:
            self.user_says(text)
            self.command(cmd)
        else:
            self.answer_text(text)
        self.refocus()

    def refocus(self) -> None:
        """Back to the choice list when one is shown (typing there still reaches the input)."""
        for wid in ("#choices", "#set-choices"):
            widget = self.query_one(wid)
            if widget.display:
                widget.focus()
                return

    @on(OptionList.OptionSelected, "#choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
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
        step = self.step
        if self.session is None or step is None or step.fact.type != "set":
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
            self.push_screen(ClauseScreen(result, self.session.rs, self.lang))

    # --- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("back", "skip", "why", "help", "report"):
            if self.session is None or len(self.screen_stack) > 1:
                return False
        if action == "save_as" and len(self.screen_stack) > 1 and isinstance(self.screen, ModalScreen):
            return False
        if action == "save_as" and self.session is None:
            return False
        return True

    def run_command_key(self, name: str) -> None:
        if self.session is None:
            return
        self.chat_last_user = None
        self.user_says(t(self.lang, COMMAND_WORD[name]))
        self.command(name)

    def action_scroll_chat(self, direction: int) -> None:
        chat = self.query_one(Chat)
        if direction < 0:
            chat.scroll_page_up()
        else:
            chat.scroll_page_down()

    def action_back(self) -> None:
        self.run_command_key("back")

    def action_skip(self) -> None:
        self.run_command_key("skip")

    def action_why(self) -> None:
        self.run_command_key("why")

    def action_help(self) -> None:
        self.run_command_key("help")

    def action_report(self) -> None:
        if self.session is None:
            return
        from ..core.profile import Profile
        from ..reports.report import build

        s = self.session
        profile = Profile(
            s.equipment, dict(s.iv.answers), s.rs.edition, source=self.saved_path or "<interview>"
        )
        report = build(profile, s.rs, s.iv.ev, self.lang)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(ReportScreen(report, self.lang, self.saved_path))

    def action_save_as(self) -> None:
        if self.session is None:
            return
        try:
            default = self.session.path()
        except UsageError:
            default = self.saved_path or ""

        def done(path: str | None) -> None:
            if path:
                self.save_to(path)

        self.push_screen(SaveScreen(default, self.lang), done)

    def save_to(self, path: str) -> bool:
        assert self.session is not None
        old = self.session.output
        try:
            guard_output(path, self.force)
            self.session.output = path
            self.saved_path = self.session.save()
        except (UsageError, OSError) as e:
            self.session.output = old
            self.notify(t(self.lang, "save_failed", error=str(e)), severity="error", markup=False)
            return False
        self.save_error = None
        self.notify(t(self.lang, "saved_to", path=self.saved_path), markup=False)
        return True

    def autosave(self) -> None:
        if self.session is None or (not self.session.iv.answers and self.saved_path is None):
            return
        try:
            self.saved_path = self.session.save()
            self.save_error = None
        except (UsageError, OSError) as e:
            if str(e) != self.save_error:
                self.warn(t(self.lang, "autosave_failed", error=str(e)))
            self.save_error = str(e)

    def shutdown(self, code: int) -> None:
        self.autosave()
        self.exit(code)

    async def action_quit(self) -> None:
        self.shutdown(exitcodes.COMPLIANT if self.finished else exitcodes.INCOMPLETE)

    def action_interrupt(self) -> None:
        # Nothing is interrupted once everything is answered: then Ctrl+C is just "quit".
        self.shutdown(exitcodes.COMPLIANT if self.finished else exitcodes.INTERRUPTED)


def make_app(
    equipment: str | None = None,
    lang: str = "zh",
    output: str | None = None,
    ruleset: Path | None = None,
    given: dict | None = None,
    force: bool = False,
    *,
    handle_signals: bool = False,
    cursor_blink: bool = True,
) -> MedequipApp:
    """Build the app as ``run_tui`` does. Raises UsageError for an output file that is not a
    profile, or a ruleset that cannot be loaded, before anything is drawn."""
    from ..core.loader import RulesetError

    if output:
        guard_output(output, force)
    session = None
    if equipment is not None:
        try:
            session = Session(equipment, lang, output, ruleset, given, force)
        except RulesetError as e:
            raise UsageError(str(e)) from None
    return MedequipApp(
        session,
        lang=lang,
        output=output,
        ruleset=ruleset,
        given=given,
        force=force,
        handle_signals=handle_signals,
        cursor_blink=cursor_blink,
    )


def run_tui(
    equipment: str | None,
    lang: str,
    output: str | None,
    ruleset: Path | None,
    given: dict | None,
    force: bool,
) -> int:
    """Run the chat interview on this terminal; returns the exit code."""
    app = make_app(equipment, lang, output, ruleset, given, force, handle_signals=True)
    try:
        code = app.run()
    except KeyboardInterrupt:  # pragma: no cover - Textual normally sees Ctrl+C as a key
        app.autosave()
        code = exitcodes.INTERRUPTED
    if code is None:
        # The app stopped without choosing a code: it crashed (Textual printed why).
        return exitcodes.INTERNAL if app.return_code not in (0, None) else exitcodes.INCOMPLETE
    _farewell(app)
    return code


def _farewell(app: MedequipApp) -> None:
    """After the screen is restored: where the answers are and how to continue."""
    lang = app.lang
    out = sys.stdout
    try:
        if app.saved_path:
            out.write(t(lang, "exit_saved", path=app.saved_path) + "\n")
            if app.session is not None:
                ev = app.session.iv.ev
                out.write(t(lang, "exit_result", status=OVERALL[ev.status].get(lang)) + "\n")
                if not app.finished:
                    out.write(t(lang, "exit_resume", path=shlex.quote(app.saved_path)) + "\n")
        else:
            out.write(t(lang, "exit_nothing") + "\n")
        out.flush()
    except OSError:  # the terminal went away (SIGHUP)
        pass
