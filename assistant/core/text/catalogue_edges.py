"""Catalogue entries of the edges of input (see ``core/text/catalogue.py`` for the conventions): a
ruleset that does not cover a profile's equipment, invisible characters in text, the profile
lock and whether the ruleset cache can be trusted."""

from __future__ import annotations

EDGE_MESSAGES: dict[str, tuple[str, str]] = {
    "ruleset.not_covering": (
        "{ruleset} 不涵盖 {equipment}（它涵盖：{covers}）",
        "{ruleset} does not cover {equipment} (it covers {covers})",
    ),
    "value.invisible": (
        "文字在第 {at} 个字符处含有 {char}：这是不可见或非标准的字符，会让两段不同的文字看起来一样；只能使用可见的普通文字",
        "text contains {char} at character {at}: an invisible or non-standard character, which makes two different texts look the same; expected visible text only",
    ),
    "lock.held": (
        "{path} 正由另一个访谈编辑（{holder}）；请先结束那个访谈，或用 -o 文件 另存",
        "{path} is being edited by another interview ({holder}); finish that one first, or save this one elsewhere with -o FILE",
    ),
    "lock.starting": ("一个仍在启动的进程", "a process that is still starting"),
    "trust.other_user": ("它属于另一个用户", "it belongs to another user"),
    "trust.writable": ("其他用户可以写入它", "other users may write to it"),
    "trust.not_folder": ("它不是文件夹", "it is not a folder"),
}
