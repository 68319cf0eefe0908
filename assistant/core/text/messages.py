"""Texts in zh and en looked up in the string catalogue (``strings/*.toml``, read by
``core/text/catalogue.py``), and the pieces error messages share.

``msg("profile.not_utf8", ...)`` gives a ``Msg`` holding both languages, formatted with the
keyword arguments (a ``Msg`` argument is formatted per language too), so an exception can be
raised before anyone knows the reader's language and rendered later in the right one, the way
reports are. ``str()`` of an exception stays English: that is the library contract. A new text
is a new catalogue entry, never an English f-string at the call site; file names, keys, values
and commands stay as typed.
"""

from __future__ import annotations

import re
from typing import Any

from .catalogue import entries, finding_patterns, lookup, pydantic_zh, toml_patterns
from .i18n import Msg


def _in(value: Any, lang: str) -> Any:
    """A message argument in ``lang``: a ``Msg`` or a ruleset's bilingual text (a label, a
    unit, a choice: anything with ``zh`` and ``en``) gives its text, anything else itself."""
    if isinstance(value, Msg):
        return value.get(lang)
    if value is None or isinstance(value, str | int | float):
        return value
    text = getattr(value, lang, None)
    return text if isinstance(text, str) else value


_PLAIN = (str, int, float, type(None))


def msg(key: str, /, **kw: Any) -> Msg:
    """The catalogue entry ``key`` in both languages, formatted with ``kw``. The evaluator
    words every finding through here (tens per profile, a batch's thousands), so arguments
    that read the same in both languages are passed as they are, not copied per language."""
    zh, en = lookup(key)
    zh_kw = en_kw = kw  # formatted even when empty: "{{" is a brace
    for name, value in kw.items():
        if type(value) not in _PLAIN:
            if zh_kw is kw:
                zh_kw, en_kw = dict(kw), dict(kw)
            zh_kw[name], en_kw[name] = _in(value, "zh"), _in(value, "en")
    return Msg(zh.format_map(zh_kw), en.format_map(en_kw))


def tr(key: str, lang: str, /, **kw: Any) -> str:
    """The catalogue entry ``key`` in ``lang``, formatted with ``kw``."""
    zh, en = lookup(key)
    text = zh if lang == "zh" else en
    return text.format_map({name: _in(value, lang) for name, value in kw.items()} if kw else kw)


def word(key: str, lang: str, /) -> str:
    """The catalogue's text ``key`` in ``lang`` as it stands (a word, punctuation): no
    placeholders to fill, so nothing to format."""
    zh, en = lookup(key)
    return zh if lang == "zh" else en


def listed(items) -> Msg:
    """Items one after another, "a、b" / "a, b": each a str (the same in both languages) or a
    bilingual text (a Msg, a ruleset's label or choice)."""
    items = list(items)
    sep_zh, sep_en = lookup("punct.list")
    return Msg(sep_zh.join([_in(i, "zh") for i in items]), sep_en.join([_in(i, "en") for i in items]))


def keys() -> list[str]:
    return list(entries())


def entry(key: str) -> tuple[str, str]:
    return lookup(key)


def localized(error: BaseException | Msg | str, lang: str) -> str:
    """The message of ``error`` in ``lang``: exceptions that carry a ``Msg`` (``.msg``, or a
    ``localized(lang)`` method) render in it, anything else as it is."""
    if isinstance(error, Msg):
        return error.get(lang)
    if isinstance(error, str):
        return error
    render = getattr(error, "localized", None)
    if callable(render):
        return render(lang)
    m = getattr(error, "msg", None)
    if isinstance(m, Msg):
        return m.get(lang)
    return str(error)


def as_msg(text: str | Msg) -> Msg:
    return text if isinstance(text, Msg) else Msg(text, text)


# --- pieces shared by several messages ----------------------------------------------------


def kind(value: Any) -> Msg:
    """What a TOML value is, in the words of an error message."""
    import datetime as dt

    if isinstance(value, bool):
        return msg("kind.true" if value else "kind.false")
    if isinstance(value, int):
        from .numbers import digits  # never str() of an integer that may have 5,000 digits

        if digits(value) <= 24:
            return msg("kind.int", value=value)
        return msg("kind.digits", n=f"{digits(value):,}")
    if isinstance(value, float):
        return msg("kind.float", value=repr(value))
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return msg("kind.text", value=repr(shown))
    if isinstance(value, dict):
        return msg("kind.table")
    if isinstance(value, list):
        return msg("kind.array")
    if isinstance(value, dt.datetime):
        return msg("kind.datetime")
    if isinstance(value, dt.date):
        return msg("kind.date")
    if isinstance(value, dt.time):
        return msg("kind.time")
    return msg("kind.other", name=type(value).__name__.replace("_", " "))


def suggest(word: str, options: list[str]) -> Msg:
    """`` (did you mean 'x'?)`` when ``word`` looks like a typo of one of ``options``."""
    import difflib  # here: only a mistake needs it, and every start-up imports this module

    if len(word) > 200:  # nothing that long is a typo of a key
        return as_msg("")
    same = [o for o in options if o.lower() == word.lower()]
    near = same or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return msg("suggest", word=repr(near[0])) if near else as_msg("")


def short(text: str, limit: int = 60) -> Msg:
    """A key or value cut down for a message: a 20,000-character key is shown by its start."""
    if len(text) <= limit:
        return Msg(text, text)
    return msg("short", start=text[:limit], n=f"{len(text):,}")


def quoted_short(text: str, limit: int = 60) -> Msg:
    """``short(text)`` in quotes, the way messages show a key as typed."""
    m = short(text, limit)
    if len(text) <= limit:
        return Msg(repr(text), repr(text))
    return Msg(repr(m.zh), repr(m.en))


def unknown_equipment(key: str, equipment_keys: list[str] | tuple[str, ...]) -> Msg:
    return msg(
        "unknown_equipment",
        key=repr(key),
        keys=", ".join(equipment_keys),
        hint=suggest(key, list(equipment_keys)),
    )


# --- argparse's messages ----------------------------------------------------------------------

_ARGPARSE = [
    (
        re.compile(
            r"argument (?P<arg>\S+?): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.*)\)$"
        ),
        "argparse.invalid_choice",
    ),
    (re.compile(r"argument (?P<arg>\S+?): invalid int value: (?P<value>.+)$"), "argparse.invalid_int"),
    (re.compile(r"the following arguments are required: (?P<args>.+)$"), "argparse.required"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)$"), "argparse.unrecognized"),
    (re.compile(r"argument (?P<arg>\S+?): expected one argument$"), "argparse.expected_one"),
    (re.compile(r"ambiguous option: (?P<arg>\S+) could match (?P<matches>.+)$"), "argparse.ambiguous"),
    (re.compile(r"argument (?P<arg>\S+?): (?P<message>.+)$", re.S), "argparse.argument"),
]


def toml_detail(detail: str) -> Msg:
    """tomllib's description of a syntax error, in both languages."""
    for pattern, zh, en in toml_patterns():
        m = re.fullmatch(pattern, detail)
        if m:
            kw = m.groupdict()
            return Msg(zh.format(**kw), en.format(**kw))
    return Msg(detail, detail)


def toml_error(e: Exception) -> Msg:
    """tomllib's ``what (at line L, column C)`` as ``invalid TOML: …``, in both languages."""
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", str(e))
    detail = toml_detail(str(e)[: m.start()] if m else str(e))
    if m:
        detail += msg("at_line_column", line=m.group(1), column=m.group(2))
    return msg("ruleset.invalid_toml", detail=detail)


def languages(langs) -> Msg:
    """ "中文、英文" / "Chinese and English": the languages a text is missing in."""
    names = {"zh": "lang_name.chinese", "en": "lang_name.english"}
    return Msg.join([msg(names[lang]) for lang in langs], *lookup("punct.and"))


def at(path: Any, message: Msg) -> Msg:
    """``PATH: message`` in both languages."""
    return as_msg(f"{path}: ") + message


def problem_zh(en: str) -> str:
    """A ruleset consistency finding (English, from the loader's check) in Chinese."""
    for pat, rep in finding_patterns():
        if re.match(pat, en):
            return re.sub(pat, rep, en)
    return en


def problem(text: str) -> Msg:
    """``WHERE: finding`` in both languages."""
    where, sep, rest = text.partition(": ")
    if sep and problem_zh(rest) != rest:
        return Msg(f"{where}: {problem_zh(rest)}", text)
    return Msg(problem_zh(text), text)


def pydantic_finding(error_type: str, en: str) -> Msg:
    """One of pydantic's validation findings; a model's own ``Value error, …`` is looked up
    among the consistency findings."""
    if error_type == "value_error":
        return Msg(problem_zh(en.removeprefix("Value error, ")), en)
    return Msg(pydantic_zh().get(error_type, en), en)


def argparse_message(message: str) -> Msg:
    """argparse reports a bad command line in fixed English sentences (through its gettext
    hook); each known form becomes the catalogue's message, its values kept as typed."""
    for pattern, key in _ARGPARSE:
        m = pattern.match(message)
        if m:
            return msg(key, **m.groupdict())
    return msg("argparse.other", message=message)
