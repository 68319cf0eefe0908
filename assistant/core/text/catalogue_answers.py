"""Catalogue entries of the answer parser's data checks and the part-of-a-count rule (see
``core/text/catalogue.py`` for the conventions)."""

from __future__ import annotations

from .catalogue_session import SESSION_MESSAGES  # noqa: F401 - catalogue.py takes both from here

ANSWER_MESSAGES: dict[str, tuple[str, str]] = {
    "questions.bad_hints": ("{fact} 的别名或编号有误：{problems}", "question for {fact}: {problems}"),
    "questions.hints_need_choices": (
        "别名和编号只用于单选或多选事实，而不是 {type}",
        "aliases and numbers need a choice or set fact, not {type}",
    ),
    "questions.alias_unknown_choice": ("aliases 指向不存在的选项 {key}", "aliases name unknown choice {key}"),
    "questions.alias_number": (
        "别名 {alias} 为空或是数字（数字按编号选择选项）",
        "alias {alias} is empty or a number (numbers pick options by their number)",
    ),
    "questions.alias_taken": (
        "{key} 的别名 {alias} 已是 {other} 的名称",
        "alias {alias} of {key} already names {other}",
    ),
    "questions.alias_twice": (
        "别名 {alias} 同时给了 {first} 和 {key}",
        "alias {alias} is given to both {first} and {key}",
    ),
    "questions.numbers_cover": (
        "numbers 须为 {keys} 各给一个编号",
        "numbers must give each of {keys} exactly one number",
    ),
    "questions.numbers_distinct": (
        "numbers 的编号须互不相同且不为负",
        "numbers must be different and not negative",
    ),
    "questions.help_wording": (
        "帮助文字说“{wording}”即 {option}，但输入它得到的是 {got}：请在 aliases 中加上它",
        "the help text gives '{wording}' for {option}, but typing it gives {got}: add it to aliases",
    ),
    "profile.other_table": (
        "[{ns}] 是另一种设备的回答，本档案（{equipment}）不读取它们，对判定没有影响",
        "[{ns}] holds another equipment type's answers; this {equipment} profile does not read them and no verdict depends on them",
    ),
    "profile.retired": (
        "{key} 已停用，这里的回答不再被读取，对判定没有影响；可以删去这一行",
        "{key} is retired: this answer is no longer read and changes no verdict; the line can be removed",
    ),
}

AT_MOST_PROBLEMS = [
    (r"^at_most names an undeclared fact (.+)$", r"at_most 指向未声明的事实 \1"),
    (r"^at_most names (.+), which is not an int fact$", r"at_most 指向的 \1 不是整数事实"),
    (r"^at_most and (.+) name each other$", r"at_most 与 \1 互相引用"),
    (
        r"^(.+): at_most is for an int fact that is part of another int fact$",
        r"\1：at_most 只用于作为另一整数事实一部分的整数事实",
    ),
]
