"""Every word of ``--help``, in zh and en: descriptions, options, examples, exit codes.

Data only; ``cli/parser.py`` builds the argparse parser from it in the chosen language.
Commands in examples are shell text and stay as typed; what they do is said in the reader's
language. A new option or command adds its entries here (both languages) and looks them up
by key in the parser.
"""

from __future__ import annotations

from ..core.text.i18n import Msg

H: dict[str, Msg] = {
    # --- argparse's fixed words, given through its public hooks ---------------------------------
    "commands": Msg("命令", "commands"),
    "positional": Msg("参数", "arguments"),
    "options": Msg("选项", "options"),
    "help": Msg("显示本帮助并退出", "show this help and exit"),
    "version": Msg("显示版本号并退出", "show the version number and exit"),
    "examples": Msg("示例：", "examples:"),
    "example": Msg("示例：", "example:"),
    # --- metavariables --------------------------------------------------------------------------
    "mv.command": Msg("命令", "COMMAND"),
    "mv.file": Msg("文件", "FILE"),
    "mv.path": Msg("路径", "PATH"),
    "mv.key": Msg("设备代码", "KEY"),
    "mv.n": Msg("N", "N"),
    "mv.date": Msg("年-月-日", "YYYY-MM-DD"),
    "mv.rule_id": Msg("条款编号", "RULE_ID"),
    "mv.old": Msg("旧档案", "OLD"),
    "mv.new": Msg("新档案", "NEW"),
    "mv.rules_args": Msg(
        "设备 | show 条款编号 | lint 路径 | diff 旧版 新版", "EQUIPMENT | show ID | lint PATH | diff OLD NEW"
    ),
    "mv.old_rules": Msg("旧版", "OLD"),
    "mv.shell": Msg("shell", "SHELL"),
    # --- the program ----------------------------------------------------------------------------
    "prog.description": Msg(
        "逐条对照国家大型医用设备标准自评（《乙类大型医用设备配置准入标准》；"
        "《质子和重离子加速器放射治疗技术临床应用管理规范（2022 年版）》）。",
        "Clause-by-clause self-assessment against China's standards for large medical equipment "
        "(class B configuration admission standards; the 2022 proton and heavy-ion radiotherapy rules).",
    ),
    "prog.exit": Msg(
        "退出码：0 符合，1 不符合，3 信息不全，2 调用方式错误或输入无效，70 内部错误（会打印崩溃日志路径），"
        "74 无法写出输出（磁盘已满），130 已中断，141 读取方关闭了管道（| head）。",
        "exit codes: 0 compliant, 1 not compliant, 3 incomplete, 2 bad invocation or invalid input,\n"
        "70 internal error (a crash log path is printed), 74 output could not be written (disk full),\n"
        "130 interrupted, 141 the reader closed the pipe (| head).",
    ),
    "opt.lang": Msg("输出语言：zh 或 en（默认按 LANG）", "output language: zh or en (default: from LANG)"),
    "opt.ruleset": Msg("改用这个规则集文件", "use this ruleset file instead of the bundled ones"),
    "opt.format": Msg("输出格式", "output format"),
    "opt.date": Msg(
        "报告上印的日期（默认：SOURCE_DATE_EPOCH，否则今天）",
        "date printed on the report (default: SOURCE_DATE_EPOCH, else today)",
    ),
    "opt.force": Msg("覆盖已有的输出文件", "overwrite an existing output file"),
    "opt.quiet": Msg(
        "除错误外什么都不输出，只设置退出码", "print nothing but errors; only set the exit code"
    ),
    # --- check ----------------------------------------------------------------------------------
    "check.help": Msg("评估已保存的档案，不提问", "evaluate saved profiles without asking anything"),
    "check.files": Msg(
        "档案文件、含 *.toml 的目录，或 - 表示标准输入",
        "profile files, directories of *.toml, or - for stdin",
    ),
    "check.output": Msg(
        "把报告写入 文件（原子写入）；html 也可写入 目录/",
        "write the report to FILE (atomically); for html, DIR/ too",
    ),
    "check.jobs": Msg(
        "并行评估 N 个档案（0：每个 CPU 一个；最多为文件数和每个 CPU 4 个）；输出完全相同",
        "evaluate N profiles in parallel (0: one per CPU; at most the number of files and 4 per CPU); "
        "output is identical",
    ),
    "check.detail": Msg(
        "（json、jsonl）精简结果或完整报告；默认：单个文件的 json 为完整报告，其余为精简结果",
        "(json, jsonl) lean results or full reports; default: full for one FILE as json, else lean",
    ),
    "check.batch": Msg(
        "jsonl 以及多个文件的 json 输出精简结果（不含条文和证明材料，它们由 medequip rules --format json\n"
        "一次给出）；--detail full 输出完整报告。html 加 -o 目录/（以斜杠结尾或已存在的目录）为每个档案\n"
        "写一份报告，并写 index.html。",
        "jsonl, and json over several files, give lean results (no clause texts or evidence:\n"
        "'medequip rules --format json' has them once); --detail full gives whole reports.\n"
        "html with -o DIR/ (a trailing slash or an existing folder) writes one report per profile\n"
        "and an index.html.",
    ),
    # --- stats ----------------------------------------------------------------------------------
    "stats.help": Msg(
        "一批档案的逐条统计：符合、不符合、待定、豁免、不适用",
        "per-clause statistics of a batch: met, not met, open, exempt, not applicable",
    ),
    "stats.paths": Msg(
        "档案文件、含 *.toml 的目录，或 - 表示标准输入",
        "profile files, directories of *.toml, or - for stdin",
    ),
    "stats.output": Msg("把统计写入 文件（原子写入）", "write the statistics to FILE (atomically)"),
    "stats.jobs": Msg("并行评估 N 个档案（同 check）", "evaluate N profiles in parallel (as for check)"),
    "stats.exit": Msg(
        "退出码：0；有档案无法读取时为 2（在标准错误中列出，计为错误）。",
        "exit codes: 0, or 2 when a profile could not be read (named on stderr, counted as an error).",
    ),
    "check.summary": Msg("每个档案一行，最后是合计", "one line per profile and totals"),
    "check.as_of": Msg(
        "按该日有效的版本评估（内置各版及 --ruleset 中选取）",
        "use the edition in force on this day (among the bundled editions and --ruleset)",
    ),
    "check.against": Msg(
        "同时按 旧版（规则集文件或内置 id[@版本]）评估，列出结论有变化的档案，逐条列明",
        "re-check under OLD too (a ruleset file or a bundled id[@edition]) and list the profiles "
        "whose verdicts move, clause by clause",
    ),
    "check.exit_zero": Msg(
        "不论结论如何都以 0 退出（错误仍为 2）", "exit 0 whatever the verdict (errors still exit 2)"
    ),
    "check.exit": Msg(
        "退出码：0 符合，1 不符合，3 信息不全，2 输入无效；多个档案时取最严重的（依次为 2、1、3）。",
        "exit codes: 0 compliant, 1 not compliant, 3 incomplete, 2 invalid input; with several\n"
        "profiles the most severe wins (2, then 1, then 3).",
    ),
    # --- checklist ------------------------------------------------------------------------------
    "checklist.help": Msg(
        "逐条列出需准备的材料，以及档案中已声明的内容",
        "the documents to prepare, clause by clause, with what the profile already claims",
    ),
    "checklist.file": Msg("一个档案文件，或 - 表示标准输入", "a profile file, or - for stdin"),
    "checklist.output": Msg("把清单写入 文件（原子写入）", "write the checklist to FILE (atomically)"),
    "checklist.date": Msg("清单上印的日期", "date printed on the checklist"),
    # --- diff -----------------------------------------------------------------------------------
    "diff.help": Msg(
        "两个档案之间哪些回答变了、哪些结论随之改变",
        "which answers changed between two profiles and which verdicts moved",
    ),
    "diff.old": Msg("较早的档案", "the earlier profile"),
    "diff.new": Msg("较新的档案", "the later profile"),
    "diff.exit": Msg(
        "退出码：0 没有结论改变，1 有结论改变，2 输入无效。",
        "exit codes: 0 no verdict changed, 1 some verdict changed, 2 invalid input.",
    ),
    # --- template -------------------------------------------------------------------------------
    "template.help": Msg(
        "生成带注释的 TOML 档案模板，每个问题都写成注释，用编辑器填写",
        "a commented TOML profile to fill in by hand, every question as a comment",
    ),
    "template.equipment": Msg("设备代码：{keys}", "equipment key: {keys}"),
    "template.output": Msg("把模板写入 文件（原子写入）", "write the template to FILE (atomically)"),
    # --- schema ---------------------------------------------------------------------------------
    "schema.help": Msg(
        "档案或报告（含 explain、checklist）的 JSON Schema",
        "JSON Schema of the profile or of a JSON output (report, explain, checklist)",
    ),
    "schema.which": Msg("哪一种：{choices}", "which one: {choices}"),
    "schema.equipment": Msg(
        "（仅 profile）只输出一种设备，而不是全部", "(profile) one equipment type instead of all of them"
    ),
    "schema.output": Msg("把 schema 写入 文件（原子写入）", "write the schema to FILE (atomically)"),
    # --- rules ----------------------------------------------------------------------------------
    "rules.help": Msg(
        "列出条款；'rules show 条款编号' 显示一条；'rules lint 路径' 检查规则集",
        "list rules; 'rules show ID' prints one; 'rules lint PATH' validates a ruleset",
    ),
    "rules.args": Msg(
        "设备代码，或 show 条款编号，或 lint 路径，或 diff 旧版 新版（文件，或内置规则集 id[@版本]）",
        "an equipment key, or show ID, or lint PATH, or diff OLD NEW (files, or bundled id[@edition])",
    ),
    "rules.diff_exit": Msg("退出码 0 无变化，1 有条款变化", "exit 0 nothing changed, 1 clauses differ"),
    "rules.strict": Msg("（lint）警告也算作问题", "(lint) warnings count as problems too"),
    "rules.lint_exit": Msg(
        "退出码 0 无问题，1 发现问题，2 无法读取", "exit 0 clean, 1 problems found, 2 unreadable"
    ),
    # --- test -----------------------------------------------------------------------------------
    "test.help": Msg(
        "运行条款案例（档案及条文要求的结论）检验规则集",
        "run clause cases (a profile and the verdicts the text calls for) against a ruleset",
    ),
    "test.paths": Msg("案例文件，或含 *.toml 案例文件的目录", "case files, or folders of *.toml case files"),
    "test.ruleset": Msg("按此规则集文件运行案例", "run the cases against this ruleset file"),
    "test.coverage": Msg(
        "逐条说明案例是否覆盖符合、不符合、豁免（可豁免时）和不适用（有条件适用时）",
        "per clause: whether the cases reach met, not met, exempt (where waivable) and not applicable "
        "(where conditional)",
    ),
    "test.exit": Msg(
        "退出码：0 全部通过，1 有案例不通过，2 案例文件或规则集无法读取",
        "exit codes: 0 every case passes, 1 a case fails, 2 a case file or ruleset cannot be read",
    ),
    # --- explain --------------------------------------------------------------------------------
    "explain.help": Msg("逐项事实说明一个结论是怎么得出的", "show how one verdict was reached, fact by fact"),
    "explain.file": Msg("一个档案文件，或 - 表示标准输入", "a profile file, or - for stdin"),
    "explain.rule_id": Msg("条款编号，例如 pet_ct/2.2", "a rule id such as pet_ct/2.2"),
    # --- interview ------------------------------------------------------------------------------
    "interview.help": Msg(
        "回答一种设备的问题（终端上打开对话界面，否则逐行问答）",
        "answer the questions for one equipment type (TUI on a terminal, line mode otherwise)",
    ),
    "interview.equipment": Msg("设备代码：{keys}", "equipment key: {keys}"),
    "interview.output": Msg(
        "回答保存到 文件（每答一题就保存）", "save the answers to FILE (after every answer)"
    ),
    "interview.resume": Msg(
        "继续一个已保存的档案（保留其中的注释）", "continue a saved profile (its comments are kept)"
    ),
    "interview.answers": Msg(
        "从档案读取回答，只问缺少的；若是另一种设备的档案，只取其中的机构信息",
        "take answers from a profile and ask only what is missing; from a profile of another "
        "equipment type, only its institution answers",
    ),
    "interview.plain": Msg(
        "逐行模式：问题写到标准输出，回答从标准输入读", "line mode: questions on stdout, answers from stdin"
    ),
    "interview.force": Msg(
        "覆盖不是 medequip 档案的输出文件", "overwrite an output file that is not a medequip profile"
    ),
    # --- questions ------------------------------------------------------------------------------
    "questions.help": Msg("列出一种设备的全部问题", "list the questions of one equipment type"),
    "questions.equipment": Msg("设备代码：{keys}", "equipment key: {keys}"),
    # --- completion and man ---------------------------------------------------------------------
    "completion.help": Msg(
        "输出 shell 补全脚本（bash、zsh 或 fish）", "print a shell completion script (bash, zsh or fish)"
    ),
    "completion.shell": Msg("哪种 shell：{choices}", "which shell: {choices}"),
    "completion.install": Msg(
        "安装：bash 在 ~/.bashrc 中加入 source <(medequip completion bash)；"
        "zsh 把输出存为 $fpath 中的 _medequip；fish 存为 ~/.config/fish/completions/medequip.fish。",
        "install: bash: add source <(medequip completion bash) to ~/.bashrc; zsh: save the output\n"
        "as _medequip in a directory on $fpath; fish: save it as ~/.config/fish/completions/medequip.fish.",
    ),
    "man.help": Msg("输出 man 手册页（roff 格式）", "print the manual page (roff)"),
    "man.output": Msg("把手册页写入 文件（原子写入）", "write the manual page to FILE (atomically)"),
    "man.install": Msg(
        "安装：medequip man -o ~/.local/share/man/man1/medequip.1，然后 man medequip。",
        "install: medequip man -o ~/.local/share/man/man1/medequip.1, then man medequip.",
    ),
}

# Examples: the command as typed, and what it does (None: the command says it).
EXAMPLES: dict[str, list[tuple[str, Msg | None]]] = {
    "prog": [
        ("medequip check examples/pet_ct_new_nonpublic.toml", Msg("检查示例档案", "check a bundled example")),
        (
            "medequip check profiles/ --format jsonl --jobs 4 > results.jsonl",
            Msg("整个目录，每行一个结果", "a whole folder, one result per line"),
        ),
        ("medequip check my.toml --format html -o report.html", Msg("可打印的报告", "the report to print")),
        ("medequip checklist my.toml --format markdown", Msg("要准备的材料", "documents to prepare")),
        ("medequip diff before.toml after.toml", Msg("两版之间的变化", "what changed between versions")),
        ("medequip template pet_ct -o my.toml", Msg("用编辑器填写的模板", "a template to fill in")),
        ("medequip schema report", None),
        ("medequip rules pet_ct", Msg("列出条款", "list the clauses")),
        ("medequip rules lint my-ruleset.toml", Msg("检查自改的规则集", "check an adapted ruleset")),
        ("medequip rules show pet_ct/2.3", Msg("显示一条条款", "show one clause")),
        (
            "medequip rules diff class-b-access new.toml",
            Msg("两版规则集的差异", "what changed between editions"),
        ),
        ("medequip test tests/cases/ --coverage", Msg("运行条款案例", "run clause cases")),
        (
            "medequip explain examples/pet_ct_new_nonpublic.toml pet_ct/3.1",
            Msg("结论是怎么得出的", "how a verdict was reached"),
        ),
        ("medequip interview --equipment pet_ct", Msg("对话式问答", "the chat interview")),
        ("medequip completion bash", Msg("shell 补全", "shell completion")),
    ],
    "check": [
        ("medequip check examples/pet_ct_new_nonpublic.toml", None),
        ("medequip check examples/pet_ct_new_nonpublic.toml --format html -o report.html", None),
        ("medequip check my.toml --format docx -o report.docx --lang zh", None),
        ("medequip check profiles/ --format jsonl --jobs 4 > results.jsonl", None),
        ("medequip check profiles/ --summary --exit-zero", None),
        ("medequip check my.toml --as-of 2031-01-01", None),
        ("medequip check profiles/ --ruleset new.toml --against class-b-access", None),
        ("medequip check profiles/ --format csv -o review.csv", None),
        ("medequip check profiles/ --format xlsx -o review.xlsx", None),
        ("medequip check profiles/ --format html -o reports/", None),
        ("cat my.toml | medequip check - --format json", None),
    ],
    "stats": [
        ("medequip stats profiles/", None),
        ("medequip stats profiles/ --format html -o stats.html", None),
        ("medequip stats a.toml b.toml --format json", None),
    ],
    "checklist": [
        ("medequip checklist examples/pet_ct_new_nonpublic.toml", None),
        ("medequip checklist my.toml --format html -o checklist.html --lang zh", None),
        ("medequip checklist my.toml --format docx -o checklist.docx", None),
        ("medequip checklist my.toml --format json", None),
    ],
    "diff": [
        ("medequip diff before.toml after.toml", None),
        ("medequip diff before.toml after.toml --format json", None),
    ],
    "template": [
        ("medequip template pet_ct --lang zh -o my.toml", None),
        ("medequip template proton > proton.toml && $EDITOR proton.toml && medequip check proton.toml", None),
    ],
    "schema": [
        ("medequip schema report > report.schema.json", None),
        ("medequip schema profile --equipment pet_ct", None),
        ("medequip schema explain", None),
        ("medequip schema stats", None),
    ],
    "rules": [
        ("medequip rules pet_mr --format json", None),
        ("medequip rules show proton/4.1.4", None),
        ("medequip rules lint my-ruleset.toml", H["rules.lint_exit"]),
        ("medequip rules diff class-b-access new-edition.toml", H["rules.diff_exit"]),
    ],
    "test": [
        ("medequip test tests/cases/", None),
        ("medequip test my-cases.toml --ruleset my-rules.toml --coverage", None),
        ("medequip test tests/cases/ --coverage --format json", None),
    ],
    "explain": [
        ("medequip explain examples/pet_ct_new_nonpublic.toml pet_ct/2.2", None),
        ("medequip explain my.toml pet_ct/2.2 --format json", None),
    ],
    "interview": [
        ("medequip interview --equipment pet_ct -o my.toml", None),
        ("medequip interview --resume my.toml", None),
        ("printf 'y\\n' | medequip interview --plain --equipment pet_ct", None),
    ],
    "questions": [("medequip questions pet_ct --format json", None)],
    "completion": [
        ("source <(medequip completion bash)", None),
        ("medequip completion fish > ~/.config/fish/completions/medequip.fish", None),
    ],
    "man": [("medequip man | man -l -", None)],
}


def h(key: str, lang: str, **kw) -> str:
    text = H[key].get(lang)
    return text.format(**kw) if kw else text


def epilog(command: str, lang: str, extra: tuple[str, ...] = ()) -> str:
    """Examples (one per line, never joined with ``|``), then the command's closing notes."""
    items = EXAMPLES.get(command, [])
    lines = [h("examples" if len(items) > 1 else "example", lang)] if items else []
    width = max((len(c) for c, note in items if note), default=0)
    for cmd, note in items:
        lines.append(f"  {cmd:<{width}}  # {note.get(lang)}" if note else f"  {cmd}")
    for key in extra:
        lines += ["", h(key, lang)]
    return "\n".join(lines)


# The application file's commands (issue 24), kept apart for size.
from .helptext_application import EXAMPLES as _APP_EXAMPLES  # noqa: E402
from .helptext_application import H as _APP_H  # noqa: E402

H.update(_APP_H)
EXAMPLES["check"] = EXAMPLES["check"] + _APP_EXAMPLES.pop("check")
EXAMPLES.update(_APP_EXAMPLES)
