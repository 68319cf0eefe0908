"""One clause in a dialog: its text in the current language, status, reason, waivers and the
evidence a reviewer asks for."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core.evaluate.results import RuleResult
from ...core.text.i18n import LEVEL
from ...core.text.messages import tr
from ..strings import colon, t
from ..widgets.status import not_said, status_label
from ..wrap import Wrapped
from .dialog import DismissOnce


class ClauseScreen(DismissOnce, ModalScreen[None]):
    """One clause: its text in the current language, status, reason, waivers, evidence."""

    BINDINGS = [Binding("escape,enter,q", "close", "b_close"), Binding("e", "evidence", "b_evidence")]

    def __init__(self, result: RuleResult, rs: Any, lang: str) -> None:
        super().__init__()
        self.result = result
        self.rs = rs
        self.lang = lang

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
        out.append(tr("screens.clause.text", lang, t_lang_clause_status=t(lang, "clause_status")))
        out.append_text(status_label(r.status, lang))
        out.append(
            tr("screens.clause.text_2", lang, t_lang_clause_reason=t(lang, "clause_reason")),
            style="bold",
        )
        reason = r.reason.get(lang)
        out.append(reason)
        for m in not_said(reason, [m.get(lang) for m in r.shortfall]):
            out.append(f"\n  · {m}", style="red")
        for m in not_said(reason, [m.get(lang) for m in r.advice]):
            out.append(f"\n  · {m}", style="italic")
        if r.waived_by:
            out.append(tr("screens.clause.text_3", lang, t_lang_waived_by=t(lang, "waived_by")), style="bold")
            for w in r.waived_by:
                out.append(
                    "\n  · "
                    + t(lang, "waived_line", clause=w.clause, exemption=w.exemption, label=w.label.get(lang)),
                    style="cyan",
                )
        for p in r.persons:
            out.append(f"\n  {p.name}{colon(lang)}")
            out.append_text(status_label(p.status, lang))
            out.append(f" {p.reason.get(lang)}")
        out.append(f"\n\n{t(lang, 'clause_text')}\n", style="bold")
        out.append(rule.text_zh if lang == "zh" else rule.text_en)
        could = self.rs.waivers_of(rule.id)
        if could:
            out.append(f"\n\n{t(lang, 'clause_could_waive')}\n", style="bold")
            for ex, gkey in could:
                label = next(g.label for g in ex.grounds if g.key == gkey)
                out.append(
                    tr(
                        "screens.clause.text_4",
                        lang,
                        clause=ex.clause,
                        id=ex.id,
                        label_get_lang=label.get(lang),
                    )
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

    def action_evidence(self) -> None:
        rule = self.result.rule
        self.app.open_evidence(rule.id, f"{rule.clause} {rule.heading.get(self.lang)}")
