"""The command palette in the interview's language: medequip's commands, Textual's own ones
(quit, maximize, screenshot, theme) said in it too, the palette's prompts, and the
high-contrast theme (Textual's own themes stay selectable through "theme").

Textual's "Keys" panel is left out: it lists every binding in English by its internal
description; F1 (help) says the same in the interview's language."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.theme import Theme
from textual.widgets.option_list import Option

from ..interview.review import review
from .screens.dialog import DismissOnce
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


# Textual's themes by their own names, said in the interview's language: the names of colour
# schemes (Nord, Dracula ...) are kept as people know them, the generic ones are translated
# (a theme_name.* key of strings/tui.toml),
# and each says whether it is dark or light. A theme not listed here (a later Textual's)
# shows its own name with its brightness.
THEME_NAMES: dict[str, str] = {
    HIGH_CONTRAST: "theme_name.high_contrast",
    "textual-dark": "theme_name.default",
    "textual-light": "theme_name.default",
    "ansi-dark": "theme_name.terminal",
    "ansi-light": "theme_name.terminal",
    "atom-one-dark": "Atom One",
    "atom-one-light": "Atom One",
    "catppuccin-frappe": "Catppuccin Frappé",
    "catppuccin-latte": "Catppuccin Latte",
    "catppuccin-macchiato": "Catppuccin Macchiato",
    "catppuccin-mocha": "Catppuccin Mocha",
    "dracula": "Dracula",
    "flexoki": "Flexoki",
    "gruvbox": "Gruvbox",
    "monokai": "Monokai",
    "nord": "Nord",
    "rose-pine": "Rosé Pine",
    "rose-pine-dawn": "Rosé Pine Dawn",
    "rose-pine-moon": "Rosé Pine Moon",
    "solarized-dark": "Solarized",
    "solarized-light": "Solarized",
    "tokyo-night": "Tokyo Night",
}


def theme_label(theme: Theme, lang: str) -> str:
    """``Nord（深色）`` / ``Nord (dark)``: what the theme picker lists."""
    name = THEME_NAMES.get(theme.name, theme.name)
    tone = t(lang, "theme_dark" if theme.dark else "theme_light")
    return t(
        lang, "theme_name.label", name=t(lang, name) if name.startswith("theme_name.") else name, tone=tone
    )


class ThemeCommands(Provider):
    """Textual's theme picker (``ThemeProvider``) in the interview's language: every theme
    the app has, by its label, found by typing part of the label or of its internal name
    (``nord``, ``dark``)."""

    def _themes(self) -> list[tuple[str, str, Any]]:
        app: Any = self.app
        lang = getattr(app, "lang", "en")

        def choose(name: str) -> None:
            app.theme = name

        # the default and high-contrast themes first, then the others by name
        first = ("textual-dark", "textual-light", HIGH_CONTRAST)
        themes = sorted(
            app.available_themes.values(),
            key=lambda th: (first.index(th.name) if th.name in first else len(first), th.name),
        )
        return [(theme_label(th, lang), th.name, partial(choose, th.name)) for th in themes]

    async def discover(self) -> Hits:
        for label, _, choose in self._themes():
            yield DiscoveryHit(label, choose)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, name, choose in self._themes():
            score = max(matcher.match(label), matcher.match(name))
            if score > 0:
                yield Hit(score, matcher.highlight(label), choose, text=label)


def medequip_commands(app: Any) -> Iterator[SystemCommand]:
    lang, chat, session = app.lang, app.chat, app.session
    if session is not None and chat is not None:
        yield SystemCommand(t(lang, "cmd_review"), t(lang, "cmd_review_help"), chat.action_review)
        yield SystemCommand(t(lang, "cmd_roster"), t(lang, "cmd_roster_help"), chat.action_roster)
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
    yield SystemCommand(t(lang, "cmd_theme"), t(lang, "cmd_theme_help"), app.action_change_theme)
    yield SystemCommand(t(lang, "cmd_contrast"), t(lang, "cmd_contrast_help"), app.action_high_contrast)


def textual_commands(app: Any, screen: Any) -> Iterator[SystemCommand]:
    """What Textual's ``App.get_system_commands`` offers, in the interview's language."""
    lang = app.lang
    yield SystemCommand(t(lang, "cmd_quit"), "Ctrl+Q", app.action_quit)
    chat = app.chat
    if chat is not None and screen is chat and chat.session is not None:
        yield SystemCommand(t(lang, "cmd_help"), "F1", chat.action_help)
    if screen.maximized is not None:
        yield SystemCommand(t(lang, "cmd_minimize"), t(lang, "cmd_minimize_help"), screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(t(lang, "cmd_maximize"), t(lang, "cmd_maximize_help"), screen.action_maximize)
    yield SystemCommand(t(lang, "cmd_screenshot"), "SVG", lambda: app.set_timer(0.1, app.take_screenshot))


class Palette(DismissOnce, CommandPalette):
    """Textual's command palette with its one fixed English line ("No matches found") said in
    the interview's language. (The line is added by a private method of Textual 8; a test
    types a search that matches nothing and reads the screen.)"""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t(self.lang, "palette_no_match"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)
