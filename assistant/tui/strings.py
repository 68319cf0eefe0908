"""Every string the TUI shows, in both languages. ``t(lang, key, **fields)`` picks one.

Kept apart from the widgets so a translator reads one table, and so a test can check that no
key is missing a language. Fields are filled with ``str.format``; the result is plain text,
never markup (the widgets wrap it in ``rich.text.Text``).
"""

from __future__ import annotations

S: dict[str, tuple[str, str]] = {
    # conversation
    "choose_equipment": (
        "请选择拟配置的设备或拟开展的技术：",
        "Choose the equipment or technology you are applying for:",
    ),
    "choose_section": ("开始", "Start"),
    "no_questions_yet": ("（问题尚未提供）", "(questions not available yet)"),
    "cannot_start": ("无法开始：{error}", "Cannot start: {error}"),
    "welcome": (
        "逐题回答即可；随时可输入“返回”“跳过”“为什么”“进度”“帮助”，或用下方快捷键。每次回答后自动保存。",
        "Answer one question at a time; type back, skip, why, progress or help at any time, or use the keys below. "
        "Every answer is saved at once.",
    ),
    "resumed": (
        "已载入 {n} 项回答，接着只问还需要的问题。",
        "Loaded {n} answers; only what is still needed will be asked.",
    ),
    "placeholder": (
        "输入答案，或：返回 / 跳过 / 为什么 / 进度 / 帮助",
        "Type an answer, or: back / skip / why / progress / help",
    ),
    "placeholder_short": ("输入答案，或：返回/跳过/为什么/帮助", "Answer, or: back/skip/why/help"),
    "list_choice": (
        "输入编号或名称后回车 · 或 ↑↓ 选择、回车确认",
        "Type the number or name, Enter · or ↑↓ and Enter",
    ),
    "list_yes_no": (
        "输入 是 或 否 后回车 · 或 ↑↓ 选择、回车确认",
        "Type yes or no, Enter · or ↑↓ and Enter",
    ),
    "list_set": (
        "输入编号或名称（如 1 3）后回车 · 或 ↑↓ 移动、空格勾选、回车确认",
        "Type numbers or names (1 3), Enter · or ↑↓, Space ticks, Enter",
    ),
    "list_choice_short": ("输入编号或名称，回车 · ↑↓ 选择", "Number or name, Enter · ↑↓"),
    "list_yes_no_short": ("输入 是/否，回车 · ↑↓ 选择", "yes or no, Enter · ↑↓"),
    "list_set_short": ("输入编号（如 1 3）回车 · ↑↓ 空格勾选", "Numbers (1 3), Enter · ↑↓ Space ticks"),
    "nothing_ticked": (
        "还没有勾选：用空格勾选后回车，或输入编号；都没有请输入“无”",
        "Nothing is ticked: tick with Space and press Enter, or type the numbers; type none for none",
    ),
    "went_back": ("已返回上一题。", "Went back one question."),
    "nothing_to_undo": ("已经是第一题，没有可返回的回答。", "Nothing to go back to."),
    "skipped": (
        "已跳过；需要它的条款暂记为待定，之后可用“返回”补答。",
        "Skipped; the clauses that need it stay open. Use back to answer it later.",
    ),
    "skipped_cmd": ("跳过", "skip"),
    "back_cmd": ("返回", "back"),
    "why_cmd": ("为什么", "why"),
    "progress_cmd": ("进度", "progress"),
    "help_cmd": ("帮助", "help"),
    "why_none": (
        "此问题用于识别申请机构，只用于报告和文件名，不影响任何条款的结论。",
        "This identifies the applicant for the report and the file name; no clause depends on it.",
    ),
    "why_nothing": (
        "目前没有条款需要这项信息（可以跳过）。",
        "No clause needs this at the moment (you may skip it).",
    ),
    "why_ground": (
        "这项信息决定能否依{clause}（{id}）对{label}豁免以下条款：",
        "This decides whether {clause} ({id}) waives these clauses (ground: {label}):",
    ),
    "why_head": ("以下条款需要这项信息：", "These clauses need this answer:"),
    "why_waiver": ("可依{clause}（{id}）豁免：{labels}", "can be waived by {clause} ({id}) for: {labels}"),
    "why_no_waiver": ("不可豁免", "no exemption can remove it"),
    "progress": (
        "已回答 {done} 项，还需约 {left} 项。符合 {met}，不符合 {not_met}，豁免 {exempt}，待定 {unknown}。",
        "Answered {done}, about {left} still needed. Met {met}, not met {not_met}, exempt {exempt}, open {unknown}.",
    ),
    "done": ("全部问题已回答。结论：{status}。", "All questions answered. Result: {status}."),
    "done_more": (
        "按 Ctrl+R 查看报告，Ctrl+B 返回修改，Ctrl+Q 退出。",
        "Ctrl+R shows the report, Ctrl+B goes back, Ctrl+Q quits.",
    ),
    "already_done": (
        "问题已全部回答。按 Ctrl+R 查看报告，或输入“返回”修改上一题。",
        "All questions are answered. Press Ctrl+R for the report, or type back to change the last one.",
    ),
    "saved_to": ("已保存到 {path}", "Saved to {path}"),
    "autosave_failed": (
        "无法自动保存：{error}。按 Ctrl+S 另存到其他位置。",
        "Could not save: {error}. Press Ctrl+S to save elsewhere.",
    ),
    "save_title": ("保存档案", "Save the profile"),
    "save_label": ("保存到（回车确认，Esc 取消）：", "Save to (Enter saves, Esc cancels):"),
    "save_failed": ("保存失败：{error}", "Save failed: {error}"),
    "help": (
        "回答方式：数字可带单位、用全角或中文（如 １２８排、3名、一千二）；是/否 可答 是、否、有、没有、y、n；"
        "选项可输入编号或名称，多选用顿号、逗号或空格分隔，都没有输入“无”。"
        "打字总是进入输入框；列表中的选项用 ↑↓ 移到后在输入框为空时回车、或点击选中。\n"
        "对话中可输入：返回、跳过、为什么、进度、帮助；“修改”列出全部回答以修改任意一项，“修改 键或名称”直接修改一项"
        "（点击之前的回答也可以）；“人员”查看、添加、修改、删除人员。\n"
        "快捷键：Ctrl+B 返回 · Ctrl+N 跳过 · Ctrl+Y 为什么 · F2 修改 · F3 人员 · Ctrl+S 保存 · Ctrl+R 报告 · "
        "Ctrl+P 命令面板（修改、人员、报告、另存为、切换语言、主题） · Tab 切换到条款列表 · Ctrl+Q 退出",
        "Answers: numbers may carry units or be full-width (１２８ slices, 3 people); yes/no as yes, no, y, n, 是, 否; "
        "choices by number or name, several separated by commas or spaces, none for none. "
        "Typing always goes into the answer box; a list option is chosen by moving to it with ↑↓ and pressing "
        "Enter while the box is empty, or by a click.\n"
        "Type at any time: back, skip, why, progress, help; edit lists every answer to change any of them, "
        "edit KEY or part of its name changes one (so does a click on an earlier answer); staff shows the people, "
        "to add, change or remove someone.\n"
        "Keys: Ctrl+B back · Ctrl+N skip · Ctrl+Y why · F2 edit · F3 staff · Ctrl+S save · Ctrl+R report · "
        "Ctrl+P command palette (edit, staff, report, save as, language, themes) · Tab to the clause list · "
        "Ctrl+Q quit",
    ),
    "question_again": ("现在的问题", "The question"),
    "about_question": ("关于本题：", "About this question: "),
    # header and side panel
    "progress_short": ("已回答 {done} · 还需约 {left}", "answered {done} · about {left} to go"),
    "progress_done": ("已回答 {done} · 全部完成", "answered {done} · all done"),
    "no_name": ("（未填写机构名称）", "(institution name not given)"),
    "tally_title": ("结论", "Result"),
    "clauses_title": ("条款（Tab 选中，回车查看）", "Clauses (Tab, then Enter)"),
    "clauses_title_short": ("条款（Tab 查看）", "Clauses (Tab)"),
    "overall": ("总体结论", "Overall"),
    # bindings
    "b_back": ("返回", "Back"),
    "b_skip": ("跳过", "Skip"),
    "b_why": ("为什么", "Why"),
    "b_save": ("保存", "Save"),
    "b_report": ("报告", "Report"),
    "b_help": ("帮助", "Help"),
    "b_quit": ("退出", "Quit"),
    "b_close": ("关闭", "Close"),
    "b_chat": ("回到对话", "Chat"),
    "b_all": ("全部", "All"),
    "b_not_met": ("不符合", "Not met"),
    "b_open": ("待定", "Open"),
    "b_cancel": ("取消", "Cancel"),
    # report screen
    "report_title": ("评估报告", "Assessment"),
    "filter_all": ("全部 {n}", "All {n}"),
    "filter_not_met": ("不符合 {n}", "Not met {n}"),
    "filter_open": ("待定 {n}", "Open {n}"),
    "nothing_here": ("没有这类条款。", "No clauses of this kind."),
    "shortfall": ("差距", "Shortfall"),
    "waived_by": ("豁免依据", "Waived by"),
    "waived_line": ("{clause}（{exemption}）：{label}", "{clause} ({exemption}): {label}"),
    "missing": ("尚缺", "Still needed"),
    "advisory": ("推荐", "advisory"),
    "staff": ("人员资格", "Staff qualification"),
    "ruleset": ("规则集", "Ruleset"),
    "undated": ("未注明年份", "undated"),
    "edition_note": ("注意", "Note"),
    # clause screen
    "clause_text": ("条文", "Text"),
    "clause_status": ("结论", "Status"),
    "clause_reason": ("说明", "Reason"),
    "clause_could_waive": ("可豁免本条的情形", "Exemptions that could waive it"),
    "clause_evidence": ("证明材料", "Evidence"),
    "clause_interpretation": ("解读", "Interpretation"),
    "clause_advice": ("建议", "Advice"),
    "clause_persons": ("人员", "People"),
    # after the app closes
    "exit_saved": ("已保存到 {path}", "Saved to {path}"),
    "exit_nothing": ("尚无回答可保存。", "Nothing answered to save."),
    "exit_result": ("结论：{status}", "Result: {status}"),
    "exit_resume": (
        "继续作答：medequip interview --resume {path}",
        "To continue: medequip interview --resume {path}",
    ),
}


def colon(lang: str) -> str:
    """After a label: full width in Chinese."""
    return "：" if lang == "zh" else ": "


def paren(lang: str, text: str) -> str:
    """`` (text)`` in English, ``（text）`` in Chinese."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def t(lang: str, key: str, **fields: object) -> str:
    """The string ``key`` in ``lang`` with ``fields`` filled in. Fields come from outside
    (a file name, an error quoting one): their control characters are shown escaped."""
    from ..core.text.sanitize import escape_lines

    zh, en = S[key]
    text = zh if lang == "zh" else en
    return (
        text.format(**{k: escape_lines(v) if isinstance(v, str) else v for k, v in fields.items()})
        if fields
        else text
    )


def _more() -> None:
    from .strings_edit import MORE

    S.update(MORE)


_more()
