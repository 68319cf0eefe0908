"""Catalogue entries of the application file (issue 24): evidence per clause, the package,
its verification, the reviewer's marks (see ``core/catalogue.py`` for the conventions)."""

from __future__ import annotations

APPLICATION_MESSAGES: dict[str, tuple[str, str]] = {
    # --- [[evidence]] in a profile ---------------------------------------------------------
    "evidence.expected_array": (
        "应为证明材料记录的数组（[[evidence]] 表），实际是{got}",
        "expected an array of evidence entries ([[evidence]] tables), got {got}",
    ),
    "evidence.too_many": (
        "有 {n} 条证明材料记录；最多 {limit} 条",
        "{n} evidence entries; at most {limit} are allowed",
    ),
    "evidence.expected_keys": ("（可用的键：{keys}）", " (the keys are: {keys})"),
    "evidence.missing_key": ("缺少 {key}", "missing {key}"),
    "evidence.rule_form": (
        "应为条款编号（如 pet_ct/2.3），实际是{got}",
        "expected a clause id such as pet_ct/2.3, got {got}",
    ),
    "evidence.size": (
        "应为文件大小（0–{limit} 的整数，单位字节），实际是{got}",
        "expected the file's size (a whole number of bytes, 0–{limit}), got {got}",
    ),
    "evidence.sha256": (
        "应为 64 位小写十六进制的 SHA-256，实际是{got}",
        "expected a SHA-256 as 64 lowercase hexadecimal digits, got {got}",
    ),
    "evidence.duplicate": (
        "条款 {rule} 已附过 {path}（第 {first} 行）：同一文件只记录一次",
        "{path} is already attached to {rule} (line {first}): a file is recorded once per clause",
    ),
    "evidence.unknown_rule": (
        "{rule} 不是 {equipment} 的条款或豁免条款{hint}",
        "{rule} is not a clause or exemption clause of {equipment}{hint}",
    ),
    "evidence.path_empty": ("路径为空", "the path is empty"),
    "evidence.path_long": (
        "路径有 {n} 个字符；最多 {limit} 个",
        "the path is {n} characters long; at most {limit} are allowed",
    ),
    "evidence.path_char": ("路径中含有 {char}", "the path contains {char}"),
    "evidence.path_backslash": (
        "路径中含有反斜杠：记录的路径用 / 分隔",
        "the path contains a backslash: recorded paths are separated by /",
    ),
    "evidence.path_absolute": (
        "是绝对路径：记录的路径相对于档案所在的文件夹",
        "is an absolute path: recorded paths are relative to the profile's folder",
    ),
    "evidence.path_normal": (
        "路径不是规范写法：应写作 {normal}",
        "the path is not in its normal form: write it as {normal}",
    ),
    "evidence.path_segment": (
        "路径中有一段超过 {limit} 字节",
        "a part of the path is over {limit} bytes",
    ),
    # --- reading an attached file ---------------------------------------------------------
    "evidence.no_file": ("没有这个文件", "no such file"),
    "evidence.not_regular": (
        "是{node}，不是普通文件；只能附上普通文件",
        "is {node}, not a regular file; only regular files can be attached",
    ),
    "evidence.too_big": (
        "文件有 {size} 字节；附上的文件最多 {limit} 字节",
        "the file is {size} bytes; an attached file may be at most {limit} bytes",
    ),
    "evidence.other_drive": (
        "与档案不在同一个驱动器上，无法记录相对路径",
        "is on another drive than the profile: no relative path leads there",
    ),
    # --- medequip evidence ---------------------------------------------------------------
    "evidence.cli_stdin": (
        "evidence 需要档案文件（记录的路径相对于它所在的文件夹），不能用标准输入",
        "evidence needs a profile file (recorded paths are relative to its folder), not standard input",
    ),
    "evidence.cli_unknown_rule": (
        "{rule} 不是 {equipment} 的条款或豁免条款{hint}；medequip rules {equipment} 列出全部条款",
        "{rule} is not a clause or exemption clause of {equipment}{hint}; "
        "medequip rules {equipment} lists them",
    ),
    "evidence.cli_file": ("{path}：{problem}", "{path}: {problem}"),
    "evidence.cli_same": (
        "{path}：已附在 {rule} 下，内容未变",
        "{path}: is already attached to {rule}, unchanged",
    ),
    "evidence.cli_changed": (
        "{path}：已附在 {rule} 下，之后内容有改动；加 --replace 记录它现在的内容",
        "{path}: is already attached to {rule} and has changed since; --replace records its content now",
    ),
    "evidence.cli_twice": ("{path}：在命令中出现了两次", "{path}: is named twice"),
    "evidence.cli_not_attached": (
        "{path}：没有附在 {rule} 下",
        "{path}: is not attached to {rule}",
    ),
    "evidence.cli_none_for_rule": ("{rule} 下没有附任何文件", "nothing is attached to {rule}"),
    "evidence.cli_total": (
        "附上后证明材料共 {size} 字节；一份申请最多 {limit} 字节",
        "the evidence would total {size} bytes; an application may hold at most {limit} bytes",
    ),
    "evidence.cli_changed_meanwhile": (
        "{path} 在读取后被改动过，本次未写入；请再运行一次",
        "{path} was changed by someone else while this ran; nothing was written: run the command again",
    ),
    "evidence.cli_added": ("已附上 {path}（{size}）→ {rule}", "attached {path} ({size}) to {rule}"),
    "evidence.cli_removed": ("已从 {rule} 移除 {path}", "removed {path} from {rule}"),
    "evidence.cli_empty": ("{profile} 还没有附上任何文件", "nothing is attached to {profile} yet"),
}
