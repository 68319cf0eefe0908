"""The report: every rule with its status, reason and shortfall, filterable to not met and open."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, Tab, Tabs

from ...core.text.i18n import STATUS
from ...core.text.messages import tr
from ..strings import colon, paren, t
from ..widgets.keybar import KeyBar
from ..widgets.rule_card import RuleCard
from ..widgets.status import OVERALL_STYLE, STATUS_STYLE
from ..widgets.topbar import TopBar
from ..wrap import Wrapped


class ReportScreen(Screen[None]):
    """Every rule with its status, reason and shortfall, filterable to not met and open."""

    BINDINGS = [
        Binding("a,1", "filter('all')", "b_all"),
        Binding("n,2", "filter('not_met')", "b_not_met"),
        Binding("o,3", "filter('unknown')", "b_open"),
        Binding("e", "evidence", "b_evidence"),
        # The clause files are attached to: ↑↓ move it (over the scroll's own keys).
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("down", "move(1)", show=False, priority=True),
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
        self.current: RuleCard | None = None

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
        # Kept as attributes, not queried: the screen's Mount can come before the scroll has
        # mounted its children (a race seen under load), and filtering must not depend on it.
        self.cards = [RuleCard(item, lang) for item in r["rules"]]
        self.nothing = Static(Text(t(lang, "nothing_here"), style="dim"), id="nothing", markup=False)
        self.rules = VerticalScroll(*self.cards, self.nothing, id="rules")
        if r["people"]:
            self.rules.compose_add_child(Static(Wrapped(self.people()), markup=False, id="people"))
        if r.get("set_aside"):  # as `check` shows them: kept, not used
            self.rules.compose_add_child(Static(Wrapped(self.set_aside()), markup=False, id="set-aside"))
        yield self.rules
        yield KeyBar(self)

    def on_mount(self) -> None:
        self.query_one(TopBar).show(f"{t(self.lang, 'report_title')} · {self.report['equipment_name']}")
        self.apply_filter()
        self.rules.focus()

    def summary(self) -> Text:
        r, lang = self.report, self.lang
        out = Text()
        out.append(r["institution"] or t(lang, "no_name"), style="bold")
        out.append(f" — {r['equipment_name']}")
        rs = r["ruleset"]
        sep = tr("screens.report.text", lang)
        edition = t(lang, "undated") if rs["edition"] == "undated" else rs["edition"]
        about = sep.join([rs["id"], edition, f"sha256 {rs['sha256'][:12]}"])
        out.append(f"\n{t(lang, 'ruleset')}{colon(lang)}{rs['title']}{paren(lang, about)}", style="dim")
        if r.get("edition_note"):
            out.append(f"\n{t(lang, 'edition_note')}{colon(lang)}{r['edition_note']}", style="yellow")
        out.append(f"\n{t(lang, 'overall')}{colon(lang)}", style="bold")
        out.append(r["status_label"], style=OVERALL_STYLE[r["status"]])
        out.append(tr("screens.report.text_2", lang))
        for i, s in enumerate(("met", "not_met", "exempt", "not_applicable", "unknown")):
            if i:
                out.append(tr("screens.report.text", lang))
            out.append(f"{STATUS[s].get(lang)} {r['counts'].get(s, 0)}", style=STATUS_STYLE[s])
        out.append(tr("screens.report.text_3", lang))
        if self.saved:
            out.append("\n" + t(lang, "saved_to", path=self.saved), style="dim")
        return out

    def people(self) -> Text:
        out = Text(t(self.lang, "staff"), style="bold")
        for p in self.report["people"]:
            out.append(f"\n  {p['name']}{paren(self.lang, p['role_label'])}{colon(self.lang)}")
            out.append(
                p["route"],
                style="green" if p["qualified"] else "red" if p["qualified"] is False else "yellow",
            )
            for lack in p["lacks"]:
                out.append(f"\n      {lack}", style="dim")
        return out

    def set_aside(self) -> Text:
        from ...reports.labels import label

        lang = self.lang
        out = Text(label("set_aside", lang), style="bold")
        out.append(f"\n  {label('set_aside_note', lang)}", style="dim")
        for c in self.report["set_aside"]:
            out.append(f"\n  {c['label']}{colon(lang)}{c['answer']}")
        return out

    def action_filter(self, which: str) -> None:
        self.query_one(Tabs).active = which

    @on(Tabs.TabActivated, "#filters")
    def tab_changed(self, event: Tabs.TabActivated) -> None:
        self.filter = event.tab.id or "all"
        self.apply_filter()

    def apply_filter(self) -> None:
        shown = 0
        for card in self.cards:
            card.display = self.filter == "all" or card.status == self.filter
            shown += card.display
        self.nothing.display = shown == 0
        self.rules.scroll_home(animate=False)
        shown_cards = [c for c in self.cards if c.display]
        self.highlight(shown_cards[0] if shown_cards else None)

    def highlight(self, card: RuleCard | None) -> None:
        if self.current is not None:
            self.current.remove_class("-current")
        self.current = card
        if card is not None:
            card.add_class("-current")
            self.rules.scroll_to_widget(card, animate=False)

    def action_move(self, step: int) -> None:
        shown = [c for c in self.cards if c.display]
        if not shown:
            return
        i = shown.index(self.current) if self.current in shown else -step
        self.highlight(shown[max(0, min(len(shown) - 1, i + step))])

    def action_evidence(self) -> None:
        if self.current is not None:
            self.app.open_evidence(self.current.rule, self.current.title)

    def visible_rules(self) -> list[str]:
        return [c.status for c in self.cards if c.display]
