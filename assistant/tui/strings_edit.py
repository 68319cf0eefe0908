"""The strings of the review, roster and command palette (issue: change any answer at any
time), in both languages; merged into ``strings.S``."""

from __future__ import annotations

MORE: dict[str, tuple[str, str]] = {
    "you": ("你：", "You:"),
    "progress_short_more": ("已回答 {done} · 还需至少 {left}", "answered {done} · at least {left} to go"),
    "progress_more": (
        "已回答 {done} 项，还需至少 {left} 项。符合 {met}，不符合 {not_met}，豁免 {exempt}，待定 {unknown}。",
        "Answered {done}, at least {left} still needed. Met {met}, not met {not_met}, exempt {exempt}, open {unknown}.",
    ),
    # review screen
    "b_review": ("修改", "Edit"),
    "b_palette": ("命令", "Menu"),
    "b_roster": ("人员", "Staff"),
    "b_edit": ("修改", "Edit"),
    "b_add": ("添加", "Add"),
    "b_remove": ("删除", "Remove"),
    "review_title": ("全部回答（回车修改）", "All answers (Enter to change)"),
    "review_unused": ("未使用", "not used"),
    "review_none": ("还没有回答。", "Nothing answered yet."),
    "review_feeds": ("用于", "feeds"),
    "edit_title": ("修改：{label}", "Change: {label}"),
    "edit_now": ("当前：{value}", "Now: {value}"),
    "edited": ("已修改：{label} → {value}", "Changed: {label} → {value}"),
    "edited_unused": (
        "{n} 项回答现在用不到，已保留（改回即恢复）。",
        "{n} answers are not needed now; they are kept (changing back restores them).",
    ),
    "edit_nothing": (
        "找不到“{what}”；输入“修改”查看全部回答。",
        "No answer matches '{what}'; type 'edit' to list them all.",
    ),
    "edit_many": (
        "有多个回答符合“{what}”，请在列表中选择。",
        "Several answers match '{what}'; choose one in the list.",
    ),
    # roster screen
    "roster_title": ("人员名单", "Staff roster"),
    "roster_none": ("此设备没有人员名单。", "This equipment has no staff roster."),
    "roster_empty": ("还没有人员。按 a 添加。", "Nobody yet. Press a to add someone."),
    "roster_added": ("请回答这位人员的问题。", "Answer the questions about this person."),
    "roster_removed": ("已删除 {name}（Ctrl+B 可撤销）。", "Removed {name} (Ctrl+B undoes it)."),
    # command palette
    "cmd_review": ("查看并修改全部回答", "Review and change any answer"),
    "cmd_roster": ("人员名单：添加、修改、删除", "Staff roster: add, change, remove"),
    "cmd_report": ("评估报告", "Assessment report"),
    "cmd_save": ("另存为…", "Save as…"),
    "cmd_lang": ("切换语言（中文 / English）", "Switch language (中文 / English)"),
    "cmd_theme": ("更换主题（含高对比度）", "Change theme (high contrast included)"),
    "cmd_contrast": ("高对比度主题", "High-contrast theme"),
    "cmd_edit": ("修改：{label}", "Change: {label}"),
    "lang_switched": ("已切换为中文。", "Switched to English."),
}
