"""Parse answers the way people type them, Chinese input methods included.

``１２``, ``12年``, ``1,500例``, ``三``, ``十五``, ``是``/``否``/``有``/``没有``, ``y``/``no``, a
choice by its number or by its label in either language. A rejected answer comes back as a
bilingual one-line reason; the caller asks the same question again.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .i18n import Msg
from .model import Fact

YES = {
    "是",
    "是的",
    "有",
    "对",
    "对的",
    "具备",
    "具有",
    "符合",
    "已",
    "已经",
    "y",
    "yes",
    "true",
    "t",
    "ok",
    "好",
    "嗯",
}
NO = {"否", "不", "不是", "没有", "没", "无", "不对", "不具备", "不符合", "未", "n", "no", "false", "f"}
NONE_WORDS = {"无", "没有", "none", "nothing", "-"}
UNIT_WORDS = (
    "年",
    "例",
    "台",
    "名",
    "人",
    "位",
    "排",
    "个",
    "张",
    "次",
    "台次",
    "月",
    "个月",
    "%",
    "％",
    "years",
    "year",
    "yrs",
    "yr",
    "cases",
    "case",
    "people",
    "persons",
    "units",
    "unit",
    "slices",
    "examinations",
    "exams",
    "months",
    "month",
    "beds",
    "plans",
)
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
MAX_ANSWER_CHARS = 500


class AnswerError(ValueError):
    def __init__(self, msg: Msg):
        super().__init__(msg.en)
        self.msg = msg


def normalize(text: str) -> str:
    """NFKC folds full-width digits, letters and punctuation to their ASCII forms."""
    return unicodedata.normalize("NFKC", text).strip()


def _cn_number(s: str) -> int | None:
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
    return total + section + (digit or 0)


def _shown(value: int, typed: str) -> Msg:
    """An out-of-range answer in a message: by its size when it is long (never str() of it)."""
    from .messages import msg
    from .numbers import digits

    n = len(typed) if re.fullmatch(r"\d+", typed) else digits(value)
    if n > 24:
        return msg("digits", n=f"{n:,}")
    return Msg(str(value), str(value))


def parse_int(text: str, fact: Fact) -> int:
    s = normalize(text).lower().replace(" ", "")
    for unit in sorted(
        {*UNIT_WORDS, *(u for u in ((fact.unit.zh, fact.unit.en.lower()) if fact.unit else ()) if u)},
        key=len,
        reverse=True,
    ):
        if s.endswith(unit) and len(s) > len(unit):
            s = s[: -len(unit)]
            break
    s = s.lstrip("约大概").rstrip("多余+")
    if re.fullmatch(r"-?\d{1,3}([,，]\d{3})+", s):
        s = s.replace(",", "").replace("，", "")
    if re.fullmatch(r"-\d+", s):
        raise AnswerError(Msg("不能是负数", "cannot be negative"))
    if re.fullmatch(r"\d+", s):
        # Typed digits are bounded before int() (which refuses over 4,300 of them) and before
        # anything prints the number.
        value = int(s) if len(s) <= 30 else fact.max + 1 + 10 ** len(s)
    elif (cn := _cn_number(s)) is not None:
        value = cn
    elif re.fullmatch(r"\d+\.\d+", s):
        raise AnswerError(Msg("请输入整数", "please enter a whole number"))
    else:
        raise AnswerError(
            Msg(
                f"请输入 {fact.min} 到 {fact.max} 之间的整数",
                f"please enter a whole number from {fact.min} to {fact.max}",
            )
        )
    if not (fact.min <= value <= fact.max):
        shown = _shown(value, s)
        raise AnswerError(
            Msg(
                f"{shown.zh} 超出范围：请输入 {fact.min} 到 {fact.max} 之间的整数",
                f"{shown.en} is out of range: enter a whole number from {fact.min} to {fact.max}",
            )
        )
    return value


def parse_bool(text: str) -> bool:
    s = normalize(text).lower().rstrip("。.!！")
    if s in YES:
        return True
    if s in NO:
        return False
    raise AnswerError(Msg("请回答 是 或 否（也可输入 y / n）", "please answer yes or no (y / n, 是 / 否)"))


def _match_choice(token: str, fact: Fact) -> str | None:
    t = normalize(token).lower()
    if re.fullmatch(r"\d+", t):
        i = int(t)
        return fact.choices[i - 1].key if 1 <= i <= len(fact.choices) else None
    for c in fact.choices:
        if t in (c.key.lower(), normalize(c.zh).lower(), normalize(c.en).lower()):
            return c.key
    # A part of a label: a unique prefix wins ("公立" is 公立医疗机构, not 非公立医疗机构),
    # then a unique substring.
    labels = [(c.key, normalize(c.zh).lower(), normalize(c.en).lower()) for c in fact.choices]
    for test in (lambda lab: lab.startswith(t), lambda lab: t in lab):
        hits = [k for k, zh, en in labels if t and (test(zh) or test(en))]
        if len(hits) == 1:
            return hits[0]
    return None


def parse_choice(text: str, fact: Fact) -> str:
    key = _match_choice(text, fact)
    if key is None:
        n = len(fact.choices)
        raise AnswerError(
            Msg(f"请输入 1–{n} 的编号或选项名称", f"enter a number from 1 to {n} or the option's name")
        )
    return key


def parse_set(text: str, fact: Fact) -> list[str]:
    s = normalize(text)
    if s.lower() in NONE_WORDS:
        return []
    tokens = [t for t in re.split(r"[,，、;；\s]+", s) if t]
    keys = []
    for t in tokens:
        key = _match_choice(t, fact)
        if key is None:
            n = len(fact.choices)
            raise AnswerError(
                Msg(
                    f"无法识别“{t}”：请输入 1–{n} 的编号，用逗号或空格分隔；都没有请输入“无”",
                    f"cannot read '{t}': enter numbers from 1 to {n} separated by commas or spaces, or 'none'",
                )
            )
        keys.append(key)
    return [c.key for c in fact.choices if c.key in keys]


def parse_text(text: str) -> str:
    s = unicodedata.normalize("NFC", text).strip()
    if not s:
        raise AnswerError(Msg("不能为空", "cannot be empty"))
    if len(s) > MAX_ANSWER_CHARS:
        raise AnswerError(
            Msg(f"太长：最多 {MAX_ANSWER_CHARS} 个字符", f"too long: at most {MAX_ANSWER_CHARS} characters")
        )
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", s):
        raise AnswerError(Msg("不能包含控制字符", "control characters are not allowed"))
    return s


def parse(text: str, fact: Fact) -> Any:
    if not normalize(text) and fact.type != "text":
        raise AnswerError(Msg("请输入答案，或输入“跳过”", "please type an answer, or 'skip'"))
    match fact.type:
        case "bool":
            return parse_bool(text)
        case "int":
            return parse_int(text, fact)
        case "choice":
            return parse_choice(text, fact)
        case "set":
            return parse_set(text, fact)
        case "text":
            return parse_text(text)
    raise AnswerError(Msg("无法直接回答此问题", "this question cannot be answered directly"))


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


def hint(fact: Fact, lang: str) -> str:
    """A short hint of what to type: unit and range, yes/no, or the numbered choices."""
    zh = lang == "zh"
    if fact.type == "bool":
        return "是 / 否" if zh else "yes / no"
    if fact.type == "int":
        unit = (fact.unit.zh if zh else fact.unit.en) if fact.unit else ""
        return (
            f"{unit}，{fact.min}–{fact.max}"
            if zh and unit
            else f"{unit}, {fact.min}–{fact.max}"
            if unit
            else f"{fact.min}–{fact.max}"
        )
    if fact.type in ("choice", "set"):
        opts = "  ".join(f"{i}. {c.label(lang)}" for i, c in enumerate(fact.choices, 1))
        if fact.type == "set":
            opts += (
                "（可多选，用逗号分隔；都没有输入“无”）"
                if zh
                else " (several allowed, comma separated; 'none' for none)"
            )
        return opts
    return "文字" if zh else "text"
