"""The conversation: one widget per turn, in a scroll anchored to the bottom."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from ...core.profile.answers import hint
from ...core.text.messages import tr
from ...interview.engine import ADD, Step
from ..wrap import Wrapped


class Bubble(Static):
    """One turn of the conversation. Content is always ``Text`` (never parsed as markup),
    wrapped so that Chinese breaks between characters."""

    def __init__(self, content: Text | str, *, classes: str = "") -> None:
        self.text = Text(content) if isinstance(content, str) else content
        super().__init__(Wrapped(self.text), classes=classes, markup=False)

    def set_text(self, content: Text) -> None:
        self.text = content
        self.update(Wrapped(content))

    def on_unmount(self) -> None:
        # Textual keeps a widget's line cache reachable after removal (an lru_cache on a
        # method of the cache holds the instance): drop the rendered lines, so that folded
        # turns do not grow the heap every collection walks.
        self._styles_cache.clear()


class QuestionBubble(Bubble):
    """The assistant asking one question: section as the border title, prompt, hint, help."""

    def __init__(self, step: Step, lang: str) -> None:
        body = Text(step.prompt(lang), style="bold")
        if step.fact.type in ("int", "bool"):
            body.append(
                tr("widgets.bubbles.text", lang, hint_step_fact_lang=hint(step.fact, lang)),
                style="dim",
            )
        if step.fact.key != ADD:
            help_text = step.question.help.get(lang)
            if help_text:
                body.append("\n" + help_text, style="dim italic")
        super().__init__(body, classes="assistant question")
        self.step = step
        self.border_title = escape(step.question.section.get(lang))


class Reminder(Bubble):
    """The question asked, said again in short (prompt and hint) under a long answer."""

    def __init__(self, step: Step, lang: str) -> None:
        from ..strings import t

        body = Text(step.prompt(lang), style="bold")
        if step.fact.type in ("int", "bool"):
            body.append(
                tr("widgets.bubbles.text_2", lang, hint_step_fact_lang=hint(step.fact, lang)),
                style="dim",
            )
        super().__init__(body, classes="assistant question")
        self.border_title = escape(t(lang, "question_again"))


class Chat(VerticalScroll, can_focus=False):
    """The conversation. Not in the Tab order, so Tab goes straight between the answer and
    the clause list; Page Up / Page Down scroll it from anywhere."""
