"""The TUI's lookups in the string catalogue (``strings/tui.toml``): ``t(lang, key, **fields)``.

Fields are filled with ``str.format``; the result is plain text, never markup (the widgets wrap
it in ``rich.text.Text``).
"""

from __future__ import annotations

from ..core.text.catalogue import lookup
from ..core.text.messages import word


def has(key: str) -> bool:
    """Whether ``key`` is a catalogue entry (a binding's description may be a plain word)."""
    try:
        lookup(key)
    except KeyError:
        return False
    return True


def colon(lang: str) -> str:
    """After a label: full width in Chinese."""
    return word("punct.colon", lang)


def paren(lang: str, text: str) -> str:
    """`` (text)`` in English, ``（text）`` in Chinese."""
    return word("punct.paren", lang).format(text=text)


def t(lang: str, key: str, **fields: object) -> str:
    """The string ``key`` in ``lang`` with ``fields`` filled in. Fields come from outside
    (a file name, an error quoting one): their control characters are shown escaped."""
    from ..core.text.sanitize import escape_lines

    zh, en = lookup(key)
    text = zh if lang == "zh" else en
    return (
        text.format(**{k: escape_lines(v) if isinstance(v, str) else v for k, v in fields.items()})
        if fields
        else text
    )
