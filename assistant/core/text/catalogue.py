"""The catalogue of error and warning messages: each key (as code names it) with its text in
zh and en; placeholders use str.format and must be the same in both. Looked up through
``core/text/messages.py`` (``msg("key", ...)``); new messages are added here, never built from
English f-strings at the call site."""

from __future__ import annotations

# The key (as it appears in code) and its text in both languages. Placeholders use str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- values, as error messages describe them -------------------------------------------
    "kind.true": ("true（布尔值）", "true (a boolean)"),
    "kind.false": ("false（布尔值）", "false (a boolean)"),
    "kind.int": ("{value}（整数）", "{value} (a whole number)"),
    "kind.digits": ("一个有 {n} 位数字的数（整数）", "a number with {n} digits (a whole number)"),
    "kind.float": ("{value}（小数）", "{value} (a decimal number)"),
    "kind.text": ("{value}（文字）", "{value} (text)"),
    "kind.table": ("一个表", "a table"),
    "kind.array": ("一个数组", "an array"),
    "kind.datetime": ("一个日期时间", "a datetime"),
    "kind.date": ("一个日期", "a date"),
    "kind.time": ("一个时间", "a time"),
    "kind.other": ("一个 {name} 值", "a {name}"),
    "kind.array_holding": ("含有{kind}的数组", "an array holding {kind}"),
    "digits": ("一个有 {n} 位数字的数", "a number with {n} digits"),
    "newer_version": ("一个更新的版本", "a newer version"),
    "suggest": ("（是不是 {word}？）", " (did you mean {word}?)"),
    "short": ("{start}…（共 {n} 个字符）", "{start}… ({n} characters)"),
    "top_level": ("顶层", "top level"),
    "at_line_column": ("（第 {line} 行，第 {column} 列）", " (at line {line}, column {column})"),
    # --- reading a profile -----------------------------------------------------------------
    "profile.too_big": (
        "文件超过 {limit} 字节，超出档案的大小上限",
        "file is over {limit} bytes, the limit for a profile",
    ),
    "profile.size": (
        "文件有 {size} 字节；档案最多 {limit} 字节",
        "file is {size} bytes; profiles are limited to {limit} bytes",
    ),
    "profile.nul": (
        "文件含有 NUL 字节（是二进制文件吗？）；需要 UTF-8 编码的 TOML 文本",
        "file contains NUL bytes (is it a binary file?); expected UTF-8 TOML text",
    ),
    "profile.not_utf8": (
        "不是有效的 UTF-8（第 {byte} 个字节是 0x{hex}）；需要 UTF-8 文本：请把文件另存为 UTF-8",
        "not valid UTF-8 (byte {byte} is 0x{hex}); expected UTF-8 text: save the file as UTF-8",
    ),
    "profile.empty": (
        "文件是空的：需要一个以 schema_version = 1 开头的 TOML 档案",
        "file is empty: expected a TOML profile starting with schema_version = 1",
    ),
    "profile.invalid_toml": ("TOML 格式错误：{detail}", "invalid TOML: {detail}"),
    "profile.too_deep": (
        "嵌套太深，不像是档案；需要由 [表] 和普通值组成",
        "nested too deeply to be a profile; expected [tables] of plain values",
    ),
    "profile.stdin": ("无法读取标准输入：{reason}", "cannot read standard input: {reason}"),
    "profile.is_dir": (
        "是一个目录，需要的是档案文件（.toml）",
        "is a directory, expected a profile file (.toml)",
    ),
    "profile.no_such_file": (
        "没有这个文件；需要一个档案文件（.toml）",
        "no such file; expected a profile file (.toml)",
    ),
    "profile.permission": ("没有权限：无法读取该文件", "permission denied: cannot read the file"),
    "profile.cannot_read": ("无法读取：{reason}", "cannot read: {reason}"),
    "profile.dir_empty": ("目录中没有 *.toml 档案", "directory holds no *.toml profiles"),
    "profile.cannot_read_profile": ("无法读取档案", "cannot read the profile"),
    # --- validating a profile --------------------------------------------------------------
    "profile.missing_institution": (
        "缺少 [institution] 表：需要一个描述申请机构的 [institution] 表（可以为空）",
        "missing table [institution]: expected an [institution] table describing the applicant (it may be empty)",
    ),
    "profile.expected_top": (
        "；应为 schema_version、equipment、ruleset_edition、[institution]、[{equipment}] 或 [set_aside]",
        "; expected schema_version, equipment, ruleset_edition, [institution], [{equipment}] or [set_aside]",
    ),
    "profile.unknown_key": ("未知的键 {key}{hint}", "unknown key {key}{hint}"),
    "profile.expected_table": ("[{ns}] 应当是一个表，实际是{got}", "expected a table [{ns}], got {got}"),
    "profile.expected_fact": (
        "；应为 [{ns}] 中的某个事实（`medequip questions {listed}` 会列出它们）",
        "; expected one of the [{ns}] facts (`medequip questions {listed}` lists them)",
    ),
    "profile.unknown_key_in": ("[{ns}] 中有未知的键 {key}{hint}", "unknown key {key} in [{ns}]{hint}"),
    "profile.expected_one_of_fields": ("；应为以下之一：{keys}", "; expected one of {keys}"),
    "profile.missing_schema_version": (
        "缺少必需的键 'schema_version'：文件开头需要 schema_version = {version}（整数）",
        "missing required key 'schema_version': expected schema_version = {version} (a whole number) at the top of the file",
    ),
    "profile.bad_schema_version": (
        "需要 schema_version = {version}（整数），实际是{got}",
        "expected schema_version = {version} (a whole number), got {got}",
    ),
    "profile.newer_schema": (
        "schema_version {shown} 比本版 medequip 能读的（{version}）更新；请升级 medequip",
        "schema_version {shown} is newer than this medequip understands ({version}); upgrade medequip",
    ),
    "profile.old_schema": (
        "schema_version 必须是 {version}，实际是{got}",
        "schema_version must be {version}, got {got}",
    ),
    "profile.missing_equipment": (
        "缺少必需的键 'equipment'：应为以下之一：{keys}",
        "missing required key 'equipment': expected one of {keys}",
    ),
    "expected_one_of_got": (
        "应为以下之一：{keys}，实际是{got}{hint}",
        "expected one of {keys}, got {got}{hint}",
    ),
    "unknown_equipment": (
        "未知的设备 {key}：应为以下之一：{keys}{hint}",
        "unknown equipment {key}: expected one of {keys}{hint}",
    ),
    "profile.edition": ('应为文字，例如 "2022"，实际是{got}', 'expected text such as "2022", got {got}'),
    "profile.expected_roster": (
        "应为人员名单（[[{path}]] 表），实际是{got}",
        "expected a list of people ([[{path}]] tables), got {got}",
    ),
    "profile.roster_size": (
        "列出了 {n} 人；最多允许 {limit} 人",
        "{n} people listed; at most {limit} allowed",
    ),
    "profile.missing_role": (
        "第 {n} 人缺少必需的键 '{key}'：需要 {key} = 以下之一：{choices}",
        "missing required key '{key}' for person {n}: expected {key} = one of {choices}",
    ),
    "value.text": ("应为文字，实际是{got}", "expected text, got {got}"),
    "value.text_long": (
        "文字有 {n} 个字符；最多 {limit} 个",
        "text is {n} characters; expected at most {limit}",
    ),
    "value.control": (
        "文字在第 {at} 个字符处含有控制字符 '{char}'；需要单行的普通文字（不能有换行、制表符、转义序列、NUL 或方向控制符）",
        "text contains the control character '{char}' at character {at}; expected plain text on one line (no line breaks, tabs, escape sequences, NUL or direction overrides)",
    ),
    "value.bool": ("应为 true 或 false，实际是{got}", "expected true or false, got {got}"),
    "value.int": (
        "应为 {min} 到 {max} 之间的整数，实际是{got}",
        "expected a whole number from {min} to {max}, got {got}",
    ),
    "value.range": (
        "{value} 超出范围：应为 {min} 到 {max} 之间的整数",
        "{value} is out of range: expected a whole number from {min} to {max}",
    ),
    "value.set": ("应为以下值组成的列表：{keys}；实际是{got}", "expected a list of: {keys}; got {got}"),
    "value.not_in_set": ("{value} 不是以下之一：{keys}{hint}", "{value} is not one of {keys}{hint}"),
    "value.repeats": (
        "列表中 {value} 重复了；每个值最多出现一次",
        "the list repeats {value}; expected each value at most once",
    ),
    "value.cannot_check": ("此处无法检查 {type} 类型的事实", "cannot check a {type} fact here"),
    # --- rulesets --------------------------------------------------------------------------
    "what.ruleset": ("规则集", "ruleset"),
    "what.questions": ("问题文件", "questions"),
    "what.facts": ("事实目录", "fact catalogue"),
    "ruleset.is_dir": (
        "是一个目录，需要的是{what}文件（.toml）",
        "is a directory, expected a {what} file (.toml)",
    ),
    "ruleset.size": (
        "{what}有 {size} 字节；上限是 {limit} 字节",
        "{what} is {size} bytes; the limit is {limit} bytes",
    ),
    "ruleset.no_such_file": ("没有这个{what}文件", "no such {what} file"),
    "ruleset.cannot_read": ("无法读取{what}：{reason}", "cannot read {what}: {reason}"),
    "ruleset.over": ("{what}超过 {limit} 字节的上限", "{what} is over {limit} bytes, the limit"),
    "ruleset.nul": (
        "{what}含有 NUL 字节；需要 UTF-8 编码的 TOML 文本",
        "{what} contains NUL bytes; expected UTF-8 TOML text",
    ),
    "ruleset.not_utf8": (
        "{what}不是 UTF-8 文本（第 {byte} 个字节）",
        "{what} is not UTF-8 text (byte {byte})",
    ),
    "ruleset.invalid_toml": ("TOML 格式错误：{detail}", "invalid TOML: {detail}"),
    "ruleset.depth": (
        "嵌套太深（表和数组最多 {limit} 层）",
        "nested too deeply (at most {limit} levels of tables and arrays)",
    ),
    "ruleset.depth_at": (
        "{where}：嵌套超过 {limit} 层；这么深的条件不是规则集",
        "{where}: nested more than {limit} levels deep; conditions this deep are not a ruleset",
    ),
    "ruleset.keys": ("{where}：{n} 个键；最多允许 {limit} 个", "{where}: {n} keys; at most {limit} allowed"),
    "ruleset.entries": (
        "{where}：{n} 项；最多允许 {limit} 项",
        "{where}: {n} entries; at most {limit} allowed",
    ),
    "ruleset.string": (
        "{where}：字符串有 {n} 个字符；最多允许 {limit} 个",
        "{where}: a string of {n} characters; at most {limit} allowed",
    ),
    "ruleset.int": (
        "{where}：{value} 超出界限；规则集中的数最大为 {limit}",
        "{where}: {value} is out of bounds; numbers in a ruleset are at most {limit}",
    ),
    "ruleset.float": (
        "{where}：{value} 是小数；规则集只用整数",
        "{where}: {value} is a decimal number; rulesets use whole numbers",
    ),
    "ruleset.invalid": ("规则集无效", "invalid ruleset"),
    "ruleset.more": ("……另有 {n} 处", "... and {n} more"),
    "ruleset.nested": ("嵌套太深", "nested too deeply"),
    "ruleset.inconsistent": ("规则集前后不一致", "inconsistent ruleset"),
    "ruleset.no_bundled": ("没有内置规则集涵盖 {equipment}", "no bundled ruleset covers {equipment}"),
    "ruleset.too_large": ("{detail}", "{detail}"),
    "preflight.no_such_file": ("没有这个文件", "no such file"),
    "preflight.cannot_read": ("无法读取：{reason}", "cannot read: {reason}"),
    "preflight.is_dir": ("是一个目录，需要的是规则集文件", "is a directory, expected a ruleset file"),
    "preflight.size": (
        "规则集有 {size} 字节；上限是 {limit} 字节",
        "ruleset is {size} bytes; the limit is {limit} bytes",
    ),
    "preflight.not_utf8": ("不是 UTF-8 文本（第 {byte} 个字节）", "not UTF-8 text (byte {byte})"),
    "preflight.too_deep": (
        "嵌套太深，不像是规则集（最多 {limit} 层）",
        "nested too deeply to be a ruleset (at most {limit} levels)",
    ),
    "preflight.nodes": (
        "超过 {limit} 个值；规则集超出此数即拒绝",
        "more than {limit} values; a ruleset is refused beyond that",
    ),
    "preflight.depth": (
        "嵌套超过 {limit} 层（条件套条件）；已拒绝",
        "nested more than {limit} levels deep (conditions inside conditions); refused",
    ),
    "preflight.list": (
        "列表有 {n} 项；条目内最多允许 {limit} 项",
        "a list of {n} items; at most {limit} allowed inside an entry",
    ),
    "preflight.text": (
        "文字有 {n} 个字符；最多允许 {limit} 个",
        "a text of {n} characters; at most {limit} allowed",
    ),
    "preflight.count": (
        "[[{key}]] 有 {n} 条；最多允许 {limit} 条",
        "{n} [[{key}]] entries; at most {limit} allowed",
    ),
    "preflight.patterns": (
        "一个豁免依据列出了 {n} 个条款模式；最多允许 {limit} 个",
        "an exemption ground names {n} rule patterns; at most {limit} allowed",
    ),
    "preflight.grounds": (
        "豁免依据共 {n} 个；最多允许 {limit} 个",
        "{n} exemption grounds in all; at most {limit} allowed",
    ),
    "preflight.combinations": (
        "{rules} 条条款 × {grounds} 个豁免依据；最多允许 {limit} 种组合",
        "{rules} rules x {grounds} exemption grounds; at most {limit} combinations allowed",
    ),
    "questions.missing": ("缺少问题文件", "question file missing"),
    "questions.unknown_fact": ("问题指向未知的事实 {fact}", "question for unknown fact {fact}"),
    "questions.cannot_read": ("无法读取问题文件：{reason}", "cannot read questions: {reason}"),
    # --- command line ----------------------------------------------------------------------
    "cli.error": ("medequip：错误：{message}", "medequip: error: {message}"),
    "cli.checking": ("检查中", "checking"),
    "cli.interrupted": ("medequip：已中断", "medequip: interrupted"),
    "cli.crash": (
        "medequip：内部错误（程序缺陷）；请连同崩溃日志 {path} 一起报告",
        "medequip: internal error (a bug); please report it with the crash log {path}",
    ),
    "cli.no_crash_log": ("（无法写入崩溃日志）", "(could not write a crash log)"),
    "cli.stdin_once": ("'-'（标准输入）只能给一次", "'-' (standard input) can be given only once"),
    "cli.jobs": ("--jobs 必须是 0（每个 CPU 一个）或更大", "--jobs must be 0 (one per CPU) or more"),
    "cli.summary_format": (
        "--summary 输出纯文本表格；脚本请用 --format jsonl 并读取 status 和 counts",
        "--summary prints a plain-text table; for scripts use --format jsonl and read status and counts",
    ),
    "cli.detail_format": (
        "--detail 只用于 --format json 和 jsonl（csv、xlsx 和 html 只有一种形式）",
        "--detail applies to --format json and jsonl (csv, xlsx and html have one shape)",
    ),
    "cli.xlsx_output": (
        "--format xlsx 生成工作簿：请用 -o 文件.xlsx 指定输出文件",
        "--format xlsx writes a workbook: give -o FILE.xlsx",
    ),
    "cli.docx_output": (
        "--format docx 生成 Word 文档，不能写到终端：请用 -o 文件.docx 指定输出文件（或重定向到文件）",
        "--format docx writes a Word document, not for a terminal: give -o FILE.docx (or redirect to a file)",
    ),
    "cli.reuse_institution": (
        "已从 {source}（{found} 档案）取用机构信息；其中 {found} 设备本身的回答不适用于 {equipment}，未采用",
        "took the institution's answers from {source} (a {found} profile); its {found} answers do not "
        "apply to {equipment} and are ignored",
    ),
    "cli.date": ("--date {value}：应为 YYYY-MM-DD", "--date {value}: expected YYYY-MM-DD"),
    "cli.epoch": (
        "SOURCE_DATE_EPOCH={value}：应为整数秒",
        "SOURCE_DATE_EPOCH={value}: expected a whole number of seconds",
    ),
    "cli.usage_rules_lint": ("用法：medequip rules lint 路径", "usage: medequip rules lint PATH"),
    "cli.usage_rules_show": ("用法：medequip rules show 条款编号", "usage: medequip rules show ID"),
    "cli.usage_rules": ("用法：medequip rules [设备]", "usage: medequip rules [EQUIPMENT]"),
    "cli.no_rule": ("没有条款 {id}{hint}", "no rule {id}{hint}"),
    "cli.no_rule_for": ("{equipment} 没有条款 {id}{hint}", "no rule {id} for {equipment}{hint}"),
    "cli.schema_equipment": (
        "--equipment 只用于 'schema profile'",
        "--equipment applies to 'schema profile' only",
    ),
    "cli.template_exists": (
        "{path} 已存在；模板会替换其中的回答（要覆盖请加 --force）",
        "{path} exists; a template would replace its answers (use --force to overwrite)",
    ),
    "cli.diff_equipment": (
        "{old} 是 {old_equipment} 档案，{new} 是 {new_equipment} 档案；diff 比较的是同一申请的两个版本",
        "{old} is a {old_equipment} profile and {new} a {new_equipment} one; diff compares two versions of one application",
    ),
    "cli.output_is_dir": ("{path} 是一个目录", "{path} is a directory"),
    "cli.output_not_profile": (
        "{path} 已存在且不是 medequip 档案；要覆盖请加 --force",
        "{path} exists and is not a medequip profile; use --force to overwrite it",
    ),
    "cli.resume_and_answers": (
        "--resume 和 --answers 只能给一个",
        "give either --resume or --answers, not both",
    ),
    "cli.wrong_equipment": (
        "{path} 是 {found} 档案，不是 {equipment}",
        "{path} is a {found} profile, not {equipment}",
    ),
    "cli.completion_shell": (
        "不支持的 shell {shell}：应为以下之一：{shells}",
        "unsupported shell {shell}: expected one of {shells}",
    ),
    "cli.saved_to": ("已保存到 {path}", "Saved to {path}"),
    "cli.nothing_saved": ("尚无回答可保存", "Nothing answered yet; nothing saved"),
    # --- argparse's own complaints, in our words (see cli/help.py) ------------------------------
    "argparse.invalid_choice": (
        "参数 {arg}：无效的选项 {value}（可选：{choices}）",
        "argument {arg}: invalid choice: {value} (choose from {choices})",
    ),
    "argparse.invalid_int": (
        "参数 {arg}：应为整数，实际是 {value}",
        "argument {arg}: invalid int value: {value}",
    ),
    "argparse.required": ("缺少以下参数：{args}", "the following arguments are required: {args}"),
    "argparse.unrecognized": ("无法识别的参数：{args}", "unrecognized arguments: {args}"),
    "argparse.expected_one": ("参数 {arg}：需要一个值", "argument {arg}: expected one argument"),
    "argparse.ambiguous": (
        "选项 {arg} 有歧义，可能是：{matches}",
        "ambiguous option: {arg} could match {matches}",
    ),
    "argparse.invalid_command": (
        "参数 {arg}：无效的命令 {value}（可选：{choices}）",
        "argument {arg}: invalid choice: {value} (choose from {choices})",
    ),
    "argparse.other": ("{message}", "{message}"),
    "argparse.argument": ("参数 {arg}：{message}", "argument {arg}: {message}"),
    "argparse.ruleset": ("参数 --ruleset：{detail}", "argument --ruleset: {detail}"),
    "usage.prefix": ("用法：", "usage: "),
    # --- the one way in (core/io/safeio.py) ---------------------------------------------------
    "node.directory": ("一个目录", "a directory"),
    "node.fifo": ("一个 FIFO（命名管道）", "a FIFO (named pipe)"),
    "node.char": ("一个字符设备", "a character device"),
    "node.block": ("一个块设备", "a block device"),
    "node.socket": ("一个套接字", "a socket"),
    "node.other": ("不是普通文件", "not a regular file"),
    "io.missing": (
        "没有这个文件；需要的是{what}文件（.toml）",
        "no such file; expected a {what} file (.toml)",
    ),
    "io.directory": (
        "是一个目录，需要的是{what}文件（.toml）",
        "is a directory, expected a {what} file (.toml)",
    ),
    "io.special": (
        "是{node}，不是普通文件；需要的是{what}文件（.toml）",
        "is {node}, not a regular file; expected a {what} file (.toml)",
    ),
    "io.permission": ("没有权限：无法读取该文件", "permission denied: cannot read the file"),
    "io.too_big": (
        "文件有 {size} 字节；{what}的上限是 {limit} 字节",
        "file is {size} bytes; {what}s are limited to {limit} bytes",
    ),
    "io.over": (
        "文件超过 {limit} 字节，这是{what}的上限",
        "file is over {limit} bytes, the limit for a {what}",
    ),
    "io.unreadable": ("无法读取：{reason}", "cannot read: {reason}"),
    "io.stdin": ("无法读取标准输入：{reason}", "cannot read standard input: {reason}"),
    "io.untrusted": ("{why}；不予使用", "{why}; not used"),
    "io.empty_name": (
        "空的名称不是文件；需要的是{what}文件（.toml）",
        "an empty name is not a file; expected a {what} file (.toml)",
    ),
    "what.profile": ("档案", "profile"),
    "what.question": ("问题", "question"),
    "what.cache": ("缓存", "cache"),
    "toml.number": (
        "一个有 {n} 位数字的数；数最多允许 {limit} 位",
        "a number with {n} digits; numbers are limited to {limit} digits",
    ),
    "toml.key": (
        "一个有 {n} 个字符的键；键最多允许 {limit} 个字符",
        "a key of {n} characters; keys are limited to {limit} characters",
    ),
    "toml.parts": (
        "一个有 {n} 段的点分键；键最多允许 {limit} 段",
        "a dotted key of {n} parts; keys are limited to {limit} parts",
    ),
    "toml.depth": (
        "嵌套超过 {limit} 层（数组和表互相嵌套）",
        "nested more than {limit} levels deep (arrays and tables inside each other)",
    ),
    # --- the one way out -------------------------------------------------------------------
    "out.not_regular": (
        "是{node}，不是普通文件；拒绝替换它（写到标准输出请用 -o -）",
        "is {node}, not a regular file; refusing to replace it (use -o - for standard output)",
    ),
    "out.cannot_examine": ("无法检查：{reason}", "cannot be examined: {reason}"),
    "out.write_failed": ("无法写入 {target}：{reason}", "cannot write to {target}: {reason}"),
    "out.stdout": ("标准输出", "standard output"),
    "out.stdout_closed": ("标准输出已关闭", "standard output is closed"),
    "cli.output_empty": (
        "-o ''：空的名称不是文件；请给出文件名，或用 - 表示标准输出",
        "-o '': an empty name is not a file; give a file name, or - for standard output",
    ),
    "cli.output_interview": (
        "-o：访谈把档案保存到文件；请给出文件名",
        "-o: the interview saves its profile to a file; give a file name",
    ),
    "cli.empty_path": (
        "空路径（''）不指向任何文件；请给出档案文件、文件夹，或用 - 表示标准输入",
        "an empty path ('') names no file; give profile files, folders, or - for standard input",
    ),
    "cli.ruleset_empty": (
        "--ruleset ''：空的名称不是文件；需要的是规则集文件（.toml）",
        "--ruleset '': an empty name is not a file; expected a ruleset file (.toml)",
    ),
    "cache.not_used": (
        "medequip：提示：不使用规则集缓存 {folder}：{why}",
        "medequip: note: not using the ruleset cache {folder}: {why}",
    ),
    "answer.digits_range": (
        "一个有 {n} 位数字的数超出范围：请输入 {min} 到 {max} 之间的整数",
        "a number with {n} digits is out of range: enter a whole number from {min} to {max}",
    ),
}


# The ruleset consistency check's findings (loader.check_ruleset, shown by the loader and by
# `rules lint`): English pattern, Chinese replacement.
PROBLEMS_ZH = [
    (r"^duplicate rule id (.+)$", r"条款编号 \1 重复"),
    (r"^equipment '(.+)' is not in ruleset\.equipment$", r"设备 \1 不在 ruleset.equipment 中"),
    (r"^roster (.+) is not a declared fact$", r"名单 \1 不是已声明的事实"),
    (r"^reads undeclared fact (.+)$", r"读取了未声明的事实 \1"),
    (r"^names (.+), which matches no rule$", r"所列的 \1 不对应任何条款"),
    (
        r"^(.+) is yes/no: compare it with == or != and true or false, not (.+)$",
        r"\1 为是/否事实，只能用 == 或 != 与 true/false 比较，而非 \2",
    ),
    (
        r"^(.+) is a number: it cannot be compared with (.+) using (.+)$",
        r"\1 为整数事实，不能与 \2 以 \3 比较",
    ),
    (r"^(.+) has no choice (.+) \(choices: (.+)\)$", r"\1 没有选项 \2（可选：\3）"),
    (r"^(.+)'s choices are not ordered: (.+) means nothing$", r"\1 的选项没有顺序，不能用 \2 比较"),
    (r"^(.+) holds one choice: use == or in, not (.+)$", r"\1 只取一个选项：请用 == 或 in，而非 \2"),
    (
        r"^(.+) holds several choices: use contains or intersects, not in$",
        r"\1 可取多个选项：请用 contains 或 intersects，而非 in",
    ),
    (r"^(.+): (.+) needs a list of choices$", r"\1：\2 需要一组选项"),
    (r"^(.+) is a (.+) fact: no condition can compare it$", r"\1 为 \2 类事实，条件不能比较它"),
    (r"^count of (.+), which is not a roster fact$", r"count 的对象 \1 不是名单事实"),
    # rules conditions and variants (issue 11)
    (r"^rules condition names (.+), which matches no (.+) rule$", r"rules 条件所列的 \1 不对应任何 \2 条款"),
    (r"^rules conditions form a cycle: (.+)$", r"rules 条件循环依赖：\1"),
    (r"^evidence reads undeclared fact (.+)$", r"证明材料的条件读取了未声明的事实 \1"),
    (r"^overrides: (.+) is not a rule of (.+)$", r"overrides 所改的 \1 不是 \2 的条款"),
    (r"^overrides: (.+) is overridden twice$", r"overrides 两次修改 \1"),
    (r"^drop_exemptions: (.+) is not an exemption of (.+)$", r"drop_exemptions 所列的 \1 不是 \2 的豁免条款"),
    (
        r"^drop_exemptions: (.+) has no ground (.+) \(grounds: (.+)\)$",
        r"drop_exemptions：\1 没有依据 \2（依据：\3）",
    ),
    (
        r"^rules: (.+) is already a rule of (.+); override it instead$",
        r"新增条款 \1 与 \2 的条款重号，应改用 overrides",
    ),
    (
        r"^ruleset\.equipment names (.+), which (.+) does not cover$",
        r"ruleset.equipment 列出 \1，但 \2 不覆盖该设备",
    ),
    (
        r"^effective_until (.+) must come after effective_from (.+)$",
        r"effective_until \1 必须晚于 effective_from \2",
    ),
    (
        r"^rules: a ruleset that extends nothing needs at least one rule$",
        r"rules：不扩展其他规则集的规则集至少需要一条条款",
    ),
    (
        r"^equipment: a ruleset that extends nothing describes its equipment$",
        r"equipment：不扩展其他规则集的规则集须描述其设备",
    ),
    (
        r"^overrides and drop_exemptions need ruleset\.extends \(the ruleset they change\)$",
        r"overrides 和 drop_exemptions 需要 ruleset.extends（所修改的规则集）",
    ),
    # the models' own checks (core/rules/model.py), shown by pydantic as "Value error, ..."
    (r"^fact key (.+) must be dotted lower_snake_case$", r"事实键 \1 必须是以点分隔的小写下划线形式"),
    (r"^(.+): a (.+) fact needs choices$", r"\1：\2 类事实需要 choices"),
    (r"^(.+): only roster facts have fields$", r"\1：只有名单事实才有 fields"),
    (r"^(.+): a roster fact needs fields$", r"\1：名单事实需要 fields"),
    (r"^(.+): an int fact needs min and max$", r"\1：整数事实需要 min 和 max"),
    (r"^(.+): duplicate choice keys$", r"\1：选项键重复"),
    (r"^rule id (.+) must look like (.+)$", r"条款编号 \1 应形如 \2"),
    (r"^exemption id (.+) must look like (.+)$", r"豁免编号 \1 应形如 \2"),
    (r"^(.+): a person-scope rule names its roster and role$", r"\1：针对人员的条款须写明 roster 和 role"),
    (r"^(.+): applies_when needs a not_applicable reason$", r"\1：applies_when 需要 not_applicable 理由"),
    (r"^ground (.+): names no rules to waive$", r"豁免依据 \1：没有列出要豁免的条款"),
    (r"^ground (.+): must_meet needs within$", r"豁免依据 \1：must_meet 需要 within"),
    (
        r"^ruleset\.equipment names (.+), which has no \[\[equipment\]\] entry \(its name and section\)$",
        r"ruleset.equipment 列出 \1，但没有对应的 [[equipment]] 条目（名称和章节）",
    ),
]

# pydantic's error types, for a ruleset's structural problems.
PYDANTIC_ZH = {
    "missing": "缺少必需字段",
    "missing_argument": "缺少必需字段",
    "extra_forbidden": "不允许的字段",
    "unexpected_keyword_argument": "不允许的字段",
    "union_tag_invalid": "无法识别的条件类型",
    "union_tag_not_found": "无法识别的条件类型",
    "model_attributes_type": "应为一个表",
    "dict_type": "应为一个表",
    "list_type": "应为一个数组",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "literal_error": "不是允许的取值之一",
}

# The answer parser's data checks and at_most (issue 9), kept apart for size.
from .catalogue_answers import ANSWER_MESSAGES, AT_MOST_PROBLEMS, SESSION_MESSAGES  # noqa: E402
from .catalogue_output import OUTPUT_MESSAGES  # noqa: E402

MESSAGES.update(ANSWER_MESSAGES | SESSION_MESSAGES | OUTPUT_MESSAGES)
PROBLEMS_ZH += AT_MOST_PROBLEMS

# Rulesets that do not cover an equipment, invisible characters, the lock and the cache's
# trust (issue 21), kept apart for size.
from .catalogue_edges import EDGE_MESSAGES  # noqa: E402

MESSAGES.update(EDGE_MESSAGES)

# The application file: evidence, the package, its verification, the review (issue 24).
from .catalogue_application import APPLICATION_MESSAGES  # noqa: E402

MESSAGES.update(APPLICATION_MESSAGES)
