"""Nothing raw reaches a terminal: text from outside, shown safely.

File names, profile values, ruleset strings and typed answers are data from outside. Printed
as they are, an ESC starts a terminal escape sequence (``\\e]0;…\\a`` retitles the window,
``\\e[2J`` clears it), a newline or a tab forges a line or a cell of a table, and a
bidirectional override makes text display as something it is not. :func:`escape` shows each
such character as a Python-style escape (``\\x1b``, ``\\n``, ``\\u202e``), so what is printed
is what the data holds, readable and inert. Every place that prints such text to a terminal,
a TSV line or a CSV cell goes through here.
"""

from __future__ import annotations

import re

# C0 controls (tab and newline included), DEL, C1 controls, the bidirectional marks, embeddings,
# overrides and isolates, and the Unicode line and paragraph separators.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSAFE_KEEP_NEWLINES = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _show(m: re.Match) -> str:
    ch = m.group()
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every control and bidirectional character shown as an escape: safe on a
    terminal and as one TSV or CSV cell."""
    if not isinstance(text, str):
        text = str(text)
    return UNSAFE.sub(_show, text)


def escape_lines(text: str) -> str:
    """Like :func:`escape` but keeps line breaks: for a message of several lines whose parts
    were already escaped one by one (a ruleset error listing its problems)."""
    return _UNSAFE_KEEP_NEWLINES.sub(_show, text)


def first_unsafe(text: str) -> re.Match | None:
    """The first character :func:`escape` would change, or None: for validators that refuse
    such text rather than show it."""
    return UNSAFE.search(text)
