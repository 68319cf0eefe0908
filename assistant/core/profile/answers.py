"""The one answer parser: text as people type it, Chinese input methods included, into a fact's
value, or a refusal that says what was understood and what is expected.

The TUI, the line mode and anything else that turns typed text into a fact call ``parse``, so
the same text always gives the same value or the same refusal.

- Numbers: ``1200``, ``１２００``, ``1,200``, ``1，200``, ``一千二``, ``两千五``, ``一万五``,
  ``一二零零``, ``1.2万``, ``3千``, with the fact's unit words (``例``, ``名``, ``years`` …).
  Ranges, decimals, negative numbers and estimates (约, 左右, 以上, 多 …) are refused: a verdict
  against a threshold needs the exact figure, and guessing which end of "1000–1200" or what
  "1200 多" means would record a value nobody gave.
- Yes/no: ``是``, ``有的``, ``没有``, ``对``, ``无``, ``y``, ``No`` …; text holding both (``是否``) or
  neither (``10``) is refused whole.
- Choices and sets: the number shown beside the option, its key, its label, an alias from the
  interview data (``三甲`` → 三级) or a unique label prefix of at least two characters (three
  for Latin letters, so ``no`` never selects "Non-public"). Sets also take separators
  ``、，,;；/`` space ``和 及 与``, ``无``/``都没有``/``none`` and ``全部``/``all``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..rules.model import Choice, Fact
from ..text import numerals
from ..text.i18n import Msg
from ..text.messages import as_msg, msg, tr
from .answer_forms import counts_patients, forms_of, years_in_months

YES = frozenset(
    "是 是的 有 有的 对 对的 具备 具有 符合 已 已经 要 需要 好的 可以 行 继续 还有 y yes yeah yep true t ok 好 嗯".split()
)
# Everyday ways of saying no, "add another?" included (不用了, 没有了).
NO = frozenset(
    "否 不 不是 没有 没有的 没 无 不对 不具备 不具有 不符合 未 不用 不用了 不要 不要了 不需要 不必 不了 "
    "没了 没有了 算了 n no nope false f".split()
)
# The empty set; "否"/"n" count too, since a set question reads as "which of these?".
NONE_WORDS = {"无", "没有", "都没有", "都不是", "全无", "否", "没", "none", "no", "n", "nothing", "-"}
ALL_WORDS = {"全部", "都有", "全都有", "都是", "以上都有", "以上全部", "全选", "all", "all of them"}
# Words that make a number an estimate. Longer ones first, so the message names what was typed.
QUALIFIERS = tuple(
    "差不多 大约 大概 估计 左右 上下 以上 以下 以内 超过 不到 不足 不少于 不低于 至少 最少 最多 将近 接近 好几 约 多 余 来 几 近".split()
)
EN_QUALIFIERS = re.compile(
    r"\b(about|approx(?:imately)?|around|roughly|nearly|almost|over|more than|less than|at least|at most|under)\b"
)
# Unit words accepted after a number, by the fact's Chinese unit.
_PEOPLE = ("名", "人", "位", "个", "个人", "people", "persons", "person", "staff")
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "年": ("年", "年了", "周年", "years", "year", "yrs", "yr"),
    "例": ("例", "例次", "人次", "个", "cases", "case", "examinations", "examination", "exams", "exam"),
    "名": _PEOPLE,
    "人": _PEOPLE,
    "排": ("排", "层", "slices", "slice", "排ct", "层ct"),
    "台": ("台", "units", "unit", "machines", "machine"),
    "台次": ("台次", "台", "例", "次", "operations", "operation", "surgeries"),
    "个月": ("个月", "月", "months", "month"),
    "张": ("张", "张床", "床", "beds", "bed"),
}
ALL_UNITS = {w for words in UNIT_WORDS.values() for w in words}
_LEADING = ("一共", "总共", "合计", "共计", "共", "有")
_TRAILING = "。.!！?？ "
_SEPARATORS = re.compile(r"[,，、;；/\s]+|以及|和|及|与|\band\b|&|\+")
MAX_ANSWER_CHARS = 500


class AnswerError(ValueError):
    def __init__(self, msg: Msg):
        super().__init__(msg.en)
        self.msg = msg


@dataclass(frozen=True)
class Hints:
    """What the interview data adds to a choice fact: aliases people type (``三甲``) and the
    numbers shown beside the options when 1, 2, 3 … would mislead (grades: 3 is 三级)."""

    aliases: tuple[tuple[str, str], ...] = ()  # (alias, choice key)
    numbers: tuple[tuple[int, str], ...] = ()  # (number, choice key); empty: 1, 2, 3 … in order


NO_HINTS = Hints()


def typed(text: str, limit: int = 24) -> str:
    """What was typed, for a message: folded, and cut short when long."""
    s = normalize(text)
    return s if len(s) <= limit else s[:limit] + "…"


def normalize(text: str) -> str:
    """NFKC folds full-width digits, letters and punctuation to their ASCII forms."""
    return unicodedata.normalize("NFKC", text).strip()


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", normalize(text).lower()).strip(_TRAILING)


def _cjk(s: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in s)


# --- numbers ---------------------------------------------------------------------------------


def _unit_text(fact: Fact) -> Msg:
    return Msg(fact.unit.zh, fact.unit.en) if fact.unit else as_msg("")


def expected(fact: Fact) -> Msg:
    """What a number question wants, in words: "0–100 之间的整数（年）"."""
    lo, hi = f"{fact.min:,}", f"{fact.max:,}"
    if fact.unit:
        return msg("answer.expected_in", lo=lo, hi=hi, unit=fact.unit)
    return msg("answer.expected", lo=lo, hi=hi)


def _units_of(fact: Fact) -> list[str]:
    words = set(UNIT_WORDS.get(fact.unit.zh, ())) if fact.unit else set()
    if fact.unit:
        en = fact.unit.en.lower()
        words |= {fact.unit.zh.lower(), en, en.removesuffix("s")}
        if fact.unit.zh == "例" and counts_patients(fact):
            words |= {"人", "名", "位", "名患者", "例患者", "个患者", "patients", "patient"}
    return sorted((w for w in words if w), key=len, reverse=True)


def _strip_unit(s: str, fact: Fact, shown: str) -> str:
    for unit in _units_of(fact):
        if s.endswith(unit) and len(s) > len(unit):
            return s[: -len(unit)].strip()
    for unit in sorted(ALL_UNITS, key=len, reverse=True):
        if s.endswith(unit) and len(s) > len(unit) and not s[: -len(unit)].strip().isalpha():
            u = _unit_text(fact)
            asked = u if u else msg("answer.a_count")
            raise AnswerError(
                msg("answer.wrong_unit", shown=shown, unit=unit, asked=asked, want=expected(fact))
            )
    return s


def _without_leading_word(s: str) -> str:
    for word in _LEADING:
        if s.startswith(word) and len(s) > len(word):
            return s[len(word) :].strip()
    return s


def _estimate_word(s: str) -> str | None:
    """The qualifier that makes a number an estimate ("约", "about", "~", "+"), if any. Without
    any number ("很多") it is no estimate but unreadable."""
    if not any(ch.isdigit() or ch in numerals.NUMBER_CHARS for ch in s):
        return None
    for q in QUALIFIERS:
        if q in s:
            return q
    m = EN_QUALIFIERS.search(s)
    if m:
        return m[0]
    if s.startswith(("~", ">", "<", "≥", "≤")):
        return s[0]
    return "+" if s.endswith("+") else None


_RANGE = re.compile(r"[%s]\s*(-|~|—|–|到|至|或|or)\s*[%s]" % ((numerals.DIGITS_CLASS,) * 2))


def _one_number(s: str, shown: str, want: Msg) -> str:
    """``s`` as one number's characters: refused when it is a range or several numbers, its
    thousands separators (1,200 or 1 200) taken out."""
    if _RANGE.search(s):
        raise AnswerError(msg("answer.range", shown=shown, want=want))
    if re.fullmatch(r"\d{1,3}( \d{3})+", s):
        s = s.replace(" ", "")
    if re.search(r"\d\s+\d", s):
        raise AnswerError(msg("answer.several_numbers", shown=shown, want=want))
    s = s.replace(" ", "")
    for run in re.findall(r"\d[\d,]*\d", s):
        if "," in run and not re.fullmatch(r"\d{1,3}(,\d{3})+", run):
            raise AnswerError(msg("answer.comma", shown=shown, want=want))
    return s.replace(",", "")


def _refuse_too_long(s: str, want: Msg) -> None:
    """Bounded before any int() (which refuses over 4,300 digits) or printing of it."""
    longest = max((len(run) for run in re.findall(r"\d+", s)), default=0)
    if longest > 24:
        raise AnswerError(msg("answer.digits_out_of_range", size=msg("digits", n=f"{longest:,}"), want=want))
    if len(s) > 24 and all(ch in numerals.NUMBER_CHARS or ch.isdigit() or ch == "." for ch in s):
        raise AnswerError(msg("answer.too_long_number", n=len(s), want=want))


def _whole(s: str, shown: str, want: Msg) -> int:
    value = numerals.read(s)
    if value is None and len(s) == 2 and all(ch in numerals.DIGITS for ch in s):
        raise AnswerError(msg("answer.approximate", shown=shown, want=want))
    if value is None:
        raise AnswerError(msg("answer.not_a_number", shown=shown, want=want))
    if value.denominator != 1:
        raise AnswerError(msg("answer.not_whole", shown=shown, value=float(value), want=want))
    return int(value)


def parse_int(text: str, fact: Fact) -> int:
    shown = typed(text)
    s = _without_leading_word(fold(text))
    want = expected(fact)
    q = _estimate_word(s)
    if q is not None:
        raise AnswerError(msg("answer.estimate", q=q, want=want))
    if s.startswith(("-", "−", "负")):
        raise AnswerError(msg("answer.negative", shown=shown, want=want))
    as_months = years_in_months(s, fact)
    if as_months is not None:
        s = str(as_months)
    s = _one_number(_strip_unit(s, fact, shown), shown, want)
    _refuse_too_long(s, want)
    n = _whole(s, shown, want)
    if not (fact.min <= n <= fact.max):
        u = _unit_text(fact)
        unit = Msg(" " + u.zh if u.zh else "", " " + u.en if u.en else "")
        raise AnswerError(msg("answer.out_of_range", shown=shown, n=n, unit=unit, want=want))
    return n


# --- yes / no ---------------------------------------------------------------------------------


def parse_bool(text: str) -> bool:
    s = fold(text)
    s2 = s.rstrip("啊呀吧呢哦嘛")
    for cand in (s, s2):
        if cand in YES:
            return True
        if cand in NO:
            return False
    shown = typed(text)
    has_yes = any(w in s for w in ("是", "有", "对")) or s in ("yes", "y")
    has_no = any(w in s for w in ("否", "不", "没", "无"))
    if has_yes and has_no:
        raise AnswerError(msg("answer.both_yes_no", shown=shown))
    raise AnswerError(msg("answer.not_yes_no", shown=shown))


# --- choices and sets ------------------------------------------------------------------------


def numbering(fact: Fact, hints: Hints = NO_HINTS) -> list[tuple[int, Choice]]:
    """The number shown beside each option, as the interview data says or 1, 2, 3 …"""
    if hints.numbers:
        by_key = dict((k, n) for n, k in hints.numbers)
        return sorted(((by_key[c.key], c) for c in fact.choices), key=lambda p: p[0])
    return list(enumerate(fact.choices, 1))


_EXAMPLE_LEAD = re.compile(r"^(?:如|例如|比如|e\.g\.?|eg|such as)\s*")
_EXAMPLE_TAIL = re.compile(r"\s*(?:等|etc\.?)$")
_EXAMPLE_SPLIT = re.compile(r"\s*(?:、|,|，|/|;|；|\bor\b|或)\s*")


def _label_names(c: Choice) -> set[str]:
    """A label, its part before a parenthesis, and what the parenthesis names: another name
    (MRI, CT) or the examples the label gives (“中级（主治医师等）”: 主治医师; “正高级（主任医师、
    研究员等）”: 主任医师, 研究员). A wording the option's own label offers is an answer."""
    out = set()
    for label in (c.zh, c.en):
        f = fold(label)
        out |= {f, f.replace(" ", "")}
        m = re.fullmatch(r"(.+?)\s*\((.+)\)", f)
        if m:
            out.add(m[1].strip())
            inner = _EXAMPLE_TAIL.sub("", _EXAMPLE_LEAD.sub("", m[2].strip()))
            out |= {part for part in _EXAMPLE_SPLIT.split(inner) if part}
    return out


def names(fact: Fact, hints: Hints = NO_HINTS) -> dict[str, str]:
    """Every exact name of every option (folded) → its key; a name two options share is dropped."""
    found: dict[str, set[str]] = {}
    for c in fact.choices:
        for n in {c.key.lower(), *_label_names(c)}:
            found.setdefault(n, set()).add(c.key)
    for alias, key in hints.aliases:
        found.setdefault(fold(alias), set()).add(key)
    return {n: next(iter(keys)) for n, keys in found.items() if len(keys) == 1 and n}


def _prefix(token: str, fact: Fact) -> str | None:
    if len(token) < (2 if _cjk(token) else 3):
        return None
    hits = {
        c.key
        for c in fact.choices
        for label in (fold(c.zh), fold(c.en), fold(c.zh).replace(" ", ""))
        if label.startswith(token)
    }
    return hits.pop() if len(hits) == 1 else None


def _number_token(token: str) -> int | None:
    if not token or not all(ch.isdigit() or ch in numerals.NUMBER_CHARS for ch in token):
        return None
    v = numerals.read(token)
    return int(v) if v is not None and v.denominator == 1 else None


def match_choice(token: str, fact: Fact, hints: Hints = NO_HINTS) -> str | None:
    t = fold(token)
    known = names(fact, hints)
    if t in known:
        return known[t]
    n = _number_token(t)
    if n is not None:
        return dict(numbering(fact, hints)).get(n, Choice(key="", zh="", en="")).key or None
    hit = _prefix(t, fact)
    if hit is not None or not _cjk(t):
        return hit
    # An everyday form (公立医院, 副高职称, 主任医生, 放疗科): the nearest round of forms that
    # names an option exactly decides, when its readings agree; else a unique prefix of one.
    rounds = forms_of(t)
    for forms in rounds:
        found = {known[f] for f in forms if f in known}
        if found:
            return found.pop() if len(found) == 1 else None
    found = {_prefix(f, fact) for forms in rounds for f in forms} - {None}
    return found.pop() if len(found) == 1 else None


def _options(fact: Fact, hints: Hints) -> Msg:
    nums = numbering(fact, hints)
    return Msg("  ".join(f"{n}. {c.zh}" for n, c in nums), "  ".join(f"{n}. {c.en}" for n, c in nums))


def _tokens(text: str, fact: Fact, hints: Hints) -> list[str]:
    """Split at separators, keeping whole any option name that contains one."""
    s = fold(text)
    protected: dict[str, str] = {}
    for i, name in enumerate(sorted(names(fact, hints), key=len, reverse=True)):
        if _SEPARATORS.search(name) and name in s:
            mark = f"\x00{i}\x00"
            protected[mark] = name
            s = s.replace(name, mark)
    parts = [p for p in _SEPARATORS.split(s) if p and p.strip()]
    return [protected.get(p, p).strip() for p in parts]


def parse_choice(text: str, fact: Fact, hints: Hints = NO_HINTS) -> str:
    key = match_choice(text, fact, hints)
    if key is not None:
        return key
    shown = typed(text)
    opts = _options(fact, hints)
    tokens = _tokens(text, fact, hints)
    if len(tokens) > 1 and all(match_choice(t, fact, hints) for t in tokens):
        raise AnswerError(msg("answer.picks_several", shown=shown, opts=opts))
    raise AnswerError(msg("answer.not_an_option", shown=shown, opts=opts))


def parse_set(text: str, fact: Fact, hints: Hints = NO_HINTS) -> list[str]:
    s = fold(text)
    shown = typed(text)
    least = fact.min or 0
    if s in NONE_WORDS:
        if least > 0:
            raise AnswerError(msg("answer.pick_at_least", least=least))
        return []
    if s in ALL_WORDS:
        return [c.key for c in fact.choices]
    whole = match_choice(s, fact, hints)
    tokens = [s] if whole is not None else _tokens(s, fact, hints)
    keys = set()
    opts = _options(fact, hints)
    for t in tokens:
        if t in NONE_WORDS or t in ALL_WORDS:
            raise AnswerError(msg("answer.alone", shown=shown, t=t))
        key = match_choice(t, fact, hints)
        if key is None:
            raise AnswerError(msg("answer.unreadable_options", t=t, opts=opts))
        keys.add(key)
    if len(keys) < least:
        raise AnswerError(msg("answer.pick_at_least", least=least))
    return [c.key for c in fact.choices if c.key in keys]


def parse_text(text: str) -> str:
    s = unicodedata.normalize("NFC", text).strip()
    if not s:
        raise AnswerError(msg("answer.empty"))
    if len(s) > MAX_ANSWER_CHARS:
        raise AnswerError(msg("answer.too_long", limit=MAX_ANSWER_CHARS))
    _refuse_unsafe(s, spaces=False)  # kept as typed: what the profile's loader refuses
    return s


def _refuse_unsafe(text: str, spaces: bool) -> None:
    """Refuse a control, direction or invisible character (U+200B, U+FEFF, U+3164 …) in a
    typed answer, naming it: the loader refuses them in a profile, and two answers that look
    the same must be the same. ``spaces``: a tab or line break only separates words here."""
    from ..text.sanitize import describe, escape, first_unsafe, is_control

    m = first_unsafe(text)
    while m is not None and spaces and m.group().isspace():
        m = first_unsafe(text, m.end())
    if m is None:
        return
    ch, name = m.group(), describe(m.group())
    if is_control(ch):
        raise AnswerError(msg("answer.control", char=escape(ch), name=name))
    raise AnswerError(msg("answer.invisible", name=name))


def parse(text: str, fact: Fact, hints: Hints = NO_HINTS) -> Any:
    if not normalize(text) and fact.type != "text":
        raise AnswerError(msg("answer.type_or_skip"))
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError(msg("answer.too_long", limit=MAX_ANSWER_CHARS))
    if fact.type != "text":
        _refuse_unsafe(text, spaces=True)
    match fact.type:
        case "bool":
            return parse_bool(text)
        case "int":
            return parse_int(text, fact)
        case "choice":
            return parse_choice(text, fact, hints)
        case "set":
            return parse_set(text, fact, hints)
        case "text":
            return parse_text(text)
    raise AnswerError(msg("answer.not_directly"))


def understood(fact: Fact, value: Any) -> Msg:
    """The value as it was understood, for the echo after an answer: "→ 1,200 例"."""
    from ..evaluate.results import fmt_value

    return as_msg("→ ") + fmt_value(fact, value)


# Words that steer the conversation instead of answering it.
COMMANDS = {
    "back": {"back", "返回", "上一步", "后退", "undo", "撤销"},
    "skip": {"skip", "跳过", "不知道", "不清楚", "?", "？"},
    "why": {"why", "为什么", "为何", "为啥"},
    "progress": {"progress", "进度"},
    "help": {"help", "帮助", "h"},
}


def command_of(text: str) -> str | None:
    s = normalize(text).lower()
    for name, words in COMMANDS.items():
        if s in words:
            return name
    return None


def hint(fact: Fact, lang: str, hints: Hints = NO_HINTS) -> str:
    """A short hint of what to type: unit and range, yes/no, or the numbered choices."""
    if fact.type == "bool":
        return tr("hint.yes_no", lang)
    if fact.type == "int":
        lo, hi = fact.min, fact.max
        return tr("hint.range_in", lang, unit=fact.unit, lo=lo, hi=hi) if fact.unit else f"{lo}–{hi}"
    if fact.type in ("choice", "set"):
        opts = "  ".join(f"{n}. {c.label(lang)}" for n, c in numbering(fact, hints))
        return opts + tr("hint.several", lang) if fact.type == "set" else opts
    return tr("hint.text", lang)
