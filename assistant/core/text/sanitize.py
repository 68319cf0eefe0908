"""Nothing raw reaches a terminal: text from outside, shown safely.

File names, profile values, ruleset strings and typed answers are data from outside. Printed
as they are, an ESC starts a terminal escape sequence (``\\e]0;…\\a`` retitles the window,
``\\e[2J`` clears it), a newline or a tab forges a line or a cell of a table, a bidirectional
override makes text display as something it is not, and an invisible character (a zero-width
space, a soft hyphen, a Hangul filler) makes two different names look the same.
:func:`escape` shows each such character as a Python-style escape (``\\x1b``, ``\\n``,
``\\u202e``, ``\\u200b``), so what is printed is what the data holds, readable and inert.
Every place that prints such text to a terminal, a TSV line or a CSV cell goes through here,
and the readers refuse the same characters in names and free text (:func:`first_unsafe`,
:func:`describe`), so what is refused and what is escaped are one list.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# C0 controls (tab and newline included), DEL, C1 controls, the bidirectional marks, embeddings,
# overrides and isolates, and the Unicode line and paragraph separators.
_CONTROL_REST = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_CONTROL = "\x00-\x1f" + _CONTROL_REST

# Invisible and format characters: every code point of Unicode's category Cf (format), Co
# (private use) and Cs (surrogates: an undecodable byte of a file name, which no terminal
# can show), and the Hangul fillers, which are letters (Lo) that draw nothing.
#
# What Chinese text needs, and why none of this is it: Chinese is written with CJK ideographs
# (Lo), full-width punctuation (Ps/Pe/Po), digits and Latin letters, and spaces (Zs, the
# ideographic space U+3000 among them). None of those is Cf or Co. Chinese needs no joiners
# (U+200C/U+200D shape Arabic and Indic scripts and emoji sequences), no soft hyphen (it has no
# hyphenation), no word joiner or zero-width space (it has no spaces between words to control),
# and no byte-order mark inside text. Private-use code points are ones whose meaning only a
# particular font knows (some legacy input methods put rare characters there); a name relying
# on one would print differently on every machine, so it is refused too: the character exists
# in Unicode's CJK extensions. Kept: spaces (Zs: U+3000 and the no-break space a word
# processor pastes are visible as a space), combining marks and variation selectors (Mn: an
# ideographic variation sequence picks the glyph of a rare surname, U+E0100…), and unassigned
# code points (what Unicode adds next is not ours to refuse).
#
# The Cf list is Unicode 15.1's (the Egyptian format controls U+13439-1343F are new in 15.0),
# a superset of what this Python knows; tests/test_safeio.py checks it against the running
# interpreter's unicodedata, so a later Unicode that adds a format character fails a test.
_CF = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_CO = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_CS = "\ud800-\udfff"
HANGUL_FILLERS = "\u115f\u1160\u3164\uffa0"
_INVISIBLE = _CF + _CO + _CS + HANGUL_FILLERS


# Compiled when first used, each on its own: classes this large take a millisecond or more
# each, which --help and most failures never need.
@functools.cache
def _unsafe() -> re.Pattern:
    return re.compile(f"[{_CONTROL}{_INVISIBLE}]")


@functools.cache
def _unsafe_keep_newlines() -> re.Pattern:
    return re.compile(f"[\x00-\x09\x0b-\x1f{_CONTROL_REST}{_INVISIBLE}]")


@functools.cache
def _control() -> re.Pattern:
    return re.compile(f"[{_CONTROL}]")


def __getattr__(name: str) -> re.Pattern:
    # ``UNSAFE`` (what a text may not hold) and ``CONTROL``, as module constants.
    if name == "UNSAFE":
        return _unsafe()
    if name == "CONTROL":
        return _control()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def schema_class() -> str:
    """What a profile's text may not hold (controls, direction and invisible characters) as
    the body of a JSON Schema character class: ``\\uXXXX`` escapes in the Basic Multilingual
    Plane (the same in ECMA-262 and Python regular expressions) and the characters themselves
    beyond it, where the two dialects have no common escape. Surrogates are left out: a TOML
    text cannot hold one, and in a JavaScript class they would exclude every character
    written with a pair, the rare CJK ideographs of names among them."""
    out = []
    for ch in _CONTROL + _CF + _CO + HANGUL_FILLERS:
        code = ord(ch)
        out.append("-" if ch == "-" else f"\\u{code:04x}" if code <= 0xFFFF else ch)
    return "".join(out)


def _show(m: re.Match) -> str:
    ch = m.group()
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape(text: str) -> str:
    """``text`` with every control, bidirectional and invisible character shown as an escape:
    safe on a terminal and as one TSV or CSV cell."""
    if not isinstance(text, str):
        text = str(text)
    return _unsafe().sub(_show, text)


def escape_lines(text: str) -> str:
    """Like :func:`escape` but keeps line breaks: for a message of several lines whose parts
    were already escaped one by one (a ruleset error listing its problems)."""
    return _unsafe_keep_newlines().sub(_show, text)


def first_unsafe(text: str, start: int = 0) -> re.Match | None:
    """The first character :func:`escape` would change (from ``start``), or None: for
    validators that refuse such text rather than show it."""
    return _unsafe().search(text, start)


def is_control(ch: str) -> bool:
    """Whether ``ch`` (one that :func:`first_unsafe` found) is a control or direction
    character, rather than an invisible or format one."""
    return _control().match(ch) is not None


# Names Unicode gives no control character (unicodedata.name has none for them).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
}


def describe(ch: str) -> str:
    """A character by its code point and Unicode name, for a message: ``U+200B ZERO WIDTH
    SPACE``; one without a name by what it is (``U+E000 PRIVATE USE``)."""
    code = ord(ch)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(ch, "")
    if not name:
        category = unicodedata.category(ch)
        name = {"Co": "PRIVATE USE", "Cs": "SURROGATE", "Cc": "CONTROL"}.get(category, category)
    return f"U+{code:04X} {name}"
