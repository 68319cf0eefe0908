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
    "review_title": ("全部回答", "All answers"),
    "review_unused": ("未使用", "not used"),
    "review_none": ("还没有回答。", "Nothing answered yet."),
    "review_feeds": ("用于", "feeds"),
    "edit_title": ("修改：{label}", "Change: {label}"),
    "edit_now": ("当前：{value}", "Now: {value}"),
    "edit_same": ("未改变：{label} 仍为 {value}", "Unchanged: {label} is still {value}"),
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
    "roster_empty": ("还没有人员。输入“添加”添加一位。", "Nobody yet. Type add to add someone."),
    "roster_add_row": ("{n}. ＋ 添加一位人员", "{n}. + Add a person"),
    "roster_placeholder": (
        "编号或姓名：修改 · 添加 · 删除 编号",
        "Number or name: change · add · remove N",
    ),
    "roster_how": (
        "输入人员的编号或姓名后回车修改；“添加”添加一位；“删除 编号”删除；或 ↑↓ 选择、回车确认。",
        "Type a person's number or name and Enter to change them; add to add someone; remove N to "
        "remove one; or ↑↓ and Enter.",
    ),
    "roster_no_person": (
        "名单中没有“{what}”：请输入编号或姓名。",
        "No one on the roster matches '{what}': type a number or a name.",
    ),
    "review_placeholder": ("输入编号或名称后回车修改", "Type a number or name, Enter to change it"),
    "review_how": (
        "输入要修改的回答的编号、键或名称的一部分后回车；或 ↑↓ 选择、回车确认；Esc 关闭。",
        "Type the number, key or part of the name of the answer to change, Enter; or ↑↓ and Enter; "
        "Esc closes.",
    ),
    "review_no_number": ("没有第 {n} 项：编号为 1–{most}。", "There is no number {n}: numbers are 1–{most}."),
    "edit_placeholder": ("输入新的回答后回车", "Type the new answer, Enter"),
    "edit_hint": ("回答：{hint}", "Answer: {hint}"),
    "edit_empty": (
        "请输入新的回答后回车（或 ↑↓ 选择、回车确认）；Esc 不修改。",
        "Type the new answer and press Enter (or ↑↓ and Enter); Esc keeps the answer as it is.",
    ),
    "edit_command": (
        "这里只修改这一项回答：请输入新的回答，或按 Esc 取消。",
        "This changes one answer: type the new answer, or press Esc to cancel.",
    ),
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
    "cmd_review_help": ("或输入“修改” · F2", "or type edit · F2"),
    "cmd_roster_help": ("或输入“人员” · F3", "or type staff · F3"),
    "cmd_theme_help": ("Textual 自带的主题", "Textual's own themes"),
    "cmd_contrast_help": ("黑底亮色，边框和状态更醒目", "Bright on black: borders and statuses stand out"),
    "cmd_quit": ("退出（已保存）", "Quit (everything is saved)"),
    "cmd_help": ("帮助：回答方式与按键", "Help: how to answer, and the keys"),
    "cmd_maximize": ("最大化", "Maximize"),
    "cmd_maximize_help": ("放大当前选中的部分", "Enlarge the focused part"),
    "cmd_minimize": ("还原", "Restore"),
    "cmd_minimize_help": ("恢复原来的大小", "Back to the usual size"),
    "cmd_screenshot": ("截图", "Screenshot"),
    "screenshot_saved": ("截图已保存到 {path}", "Screenshot saved to {path}"),
    "palette_search": ("搜索命令…", "Search for commands…"),
    "palette_themes": ("搜索主题…", "Search for themes…"),
    "theme_dark": ("深色", "dark"),
    "theme_light": ("浅色", "light"),
    "palette_no_match": ("没有匹配的命令", "No matches found"),
    "cmd_edit": ("修改：{label}", "Change: {label}"),
    "lang_switched": ("已切换为中文。", "Switched to English."),
}
