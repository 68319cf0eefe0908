"""The command palette's medequip commands, in the interview's language, and the
high-contrast theme (Textual's own themes stay selectable through "theme")."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.app import SystemCommand
from textual.theme import Theme

from ..interview.review import review
from .strings import t

HIGH_CONTRAST = "medequip-high-contrast"


def high_contrast_theme() -> Theme:
    """White and bright colours on black: every status colour and border stands out."""
    return Theme(
        name=HIGH_CONTRAST,
        primary="#FFFF00",
        secondary="#00FFFF",
        accent="#FF66FF",
        foreground="#FFFFFF",
        background="#000000",
        surface="#000000",
        panel="#303030",
        boost="#404040",
        warning="#FFD700",
        error="#FF5555",
        success="#55FF55",
        dark=True,
        variables={
            "text-muted": "#E0E0E0",
            "block-cursor-background": "#FFFF00",
            "block-cursor-foreground": "#000000",
        },
    )


def medequip_commands(app: Any) -> Iterator[SystemCommand]:
    lang, chat, session = app.lang, app.chat, app.session
    if session is not None and chat is not None:
        yield SystemCommand(t(lang, "cmd_review"), "修改 / edit · F2", chat.action_review)
        yield SystemCommand(t(lang, "cmd_roster"), "人员 / staff · F3", chat.action_roster)
        for it in review(session.iv):
            label = it.question.fact.label.get(lang)
            if it.person:
                label = f"{it.person} · {label}"
            # Found by typing part of a label; not listed when the search is empty.
            yield SystemCommand(
                t(lang, "cmd_edit", label=label), it.key, partial(chat.begin_edit, it.key), False
            )
        yield SystemCommand(t(lang, "cmd_report"), "Ctrl+R", app.action_report)
        yield SystemCommand(t(lang, "cmd_save"), "Ctrl+S", app.action_save_as)
    yield SystemCommand(t(lang, "cmd_lang"), "中文 / English", app.action_switch_language)
    yield SystemCommand(t(lang, "cmd_theme"), "Textual", app.action_change_theme)
    yield SystemCommand(t(lang, "cmd_contrast"), HIGH_CONTRAST, app.action_high_contrast)
