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
    "evidence.is_profile": (
        "是档案本身，不能作为证明材料",
        "is the profile itself, which cannot be its own evidence",
    ),
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
    # --- zip archives read from outside (core/io/ziparchive.py) ---------------------------------
    "zip.not_zip": ("不是可读的 zip 文件（{reason}）", "not a readable zip file ({reason})"),
    "zip.too_many": ("有 {n} 个条目；最多 {limit} 个", "{n} entries; at most {limit} are allowed"),
    "zip.entry": ("条目 {name}：{problem}", "entry {name}: {problem}"),
    "zip.name_control": ("名称中含有控制字符", "the name contains a control character"),
    "zip.name_backslash": ("名称中含有反斜杠", "the name contains a backslash"),
    "zip.name_absolute": ("是绝对路径", "is an absolute path"),
    "zip.name_traversal": (
        "名称含 ..，会解压到目标文件夹之外",
        "the name has a .. part: it would land outside the folder",
    ),
    "zip.name_odd": ("名称中有空的或为 . 的部分", "the name has an empty or . part"),
    "zip.link": ("是符号链接；申请包里不能有链接", "is a symbolic link; a package holds no links"),
    "zip.encrypted": ("已加密；申请包不加密", "is encrypted; a package is never encrypted"),
    "zip.entry_big": (
        "解压后 {size} 字节；一个条目最多 {limit} 字节",
        "{size} bytes uncompressed; an entry may be at most {limit} bytes",
    ),
    "zip.bomb": (
        "压缩比 {ratio}:1，超过 {limit}:1（疑似 zip 炸弹）",
        "compression ratio {ratio}:1, above {limit}:1 (a zip bomb?)",
    ),
    "zip.total_big": ("解压后合计超过 {limit} 字节", "over {limit} bytes uncompressed in all"),
    "zip.twice": ("名称出现了两次", "the name appears twice"),
    "zip.lies": ("解压出的内容比声明的大小多", "inflates to more than its declared size"),
    "zip.corrupt": ("已损坏（{reason}）", "is corrupt ({reason})"),
    # --- the package (reports/package.py) -----------------------------------------------------
    "what.package": ("申请包", "package"),
    "what.evidence": ("证明材料文件", "evidence file"),
    "what.review": ("审核记录", "review"),
    "package.no_manifest": (
        "没有 manifest.json：不是 medequip 申请包",
        "no manifest.json: not a medequip application package",
    ),
    "package.bad_manifest": ("manifest.json 无效：{reason}", "manifest.json is not valid: {reason}"),
    "package.file_absent": ("清单中列出，但包里没有", "listed in the manifest but not in the package"),
    "package.hash_differs": (
        "SHA-256 与清单不符（内容被改动过）",
        "SHA-256 differs from the manifest (changed since packed)",
    ),
    "package.not_listed": ("包里有，但清单中没有列出", "in the package but not listed in the manifest"),
    "package.hashes_ok": (
        "{n} 个文件的 SHA-256 与清单一致",
        "the SHA-256 of all {n} files matches the manifest",
    ),
    "package.no_ruleset": (
        "本机没有这个规则集版本，无法重新评估；用 --ruleset 指定它的文件",
        "this ruleset edition is not installed here, so the profile cannot be re-evaluated; name its file with --ruleset",
    ),
    "package.ruleset_differs": (
        "本机的同名同版本规则集与打包时的 SHA-256 不同",
        "the ruleset of that id and edition here has another SHA-256 than the one packed",
    ),
    "package.ruleset_ok": (
        "规则集与打包时一致（SHA-256 相同）",
        "the ruleset is the one packed (same SHA-256)",
    ),
    "package.derived_differs": (
        "与按档案重新生成的不一致",
        "differs from the one made afresh from the profile",
    ),
    "package.verdict_differs": (
        "包中的结论是 {packed}，重新评估是 {fresh}",
        "the package says {packed}, re-evaluation gives {fresh}",
    ),
    "package.status_differs": (
        "包中的总体结论是 {packed}，重新评估是 {fresh}",
        "the package's overall verdict is {packed}, re-evaluation gives {fresh}",
    ),
    "package.report_ok": (
        "重新评估的结论与包中报告一致：{status}",
        "re-evaluation agrees with the packaged report: {status}",
    ),
    "package.evidence_missing": (
        "{rule} 的证明材料不在包里，清单也未说明",
        "evidence of {rule} is not in the package, and the manifest does not say so",
    ),
    "package.evidence_changed": (
        "{rule} 的证明材料与档案中的记录不符",
        "evidence of {rule} differs from the profile's record",
    ),
    # --- medequip pack / verify -------------------------------------------------------------
    "pack.refused": (
        "有证明材料缺失或附上后有改动（见上）；重新附上（medequip evidence add --replace），或加 --allow-missing 打包并在清单中注明",
        "evidence is missing or changed since attached (above); attach it again (medequip evidence add --replace), "
        "or pack with --allow-missing and the manifest says so",
    ),
    "pack.missing_line": ("{rule}：{path}（{state}）", "{rule}: {path} ({state})"),
    "pack.done": (
        "已写入 {output}：{n} 个文件，SHA-256 {sha}",
        "wrote {output}: {n} files, SHA-256 {sha}",
    ),
    "pack.left_out": (
        "未打包（清单已注明）：{rule} {path}（{state}）",
        "left out (the manifest says so): {rule} {path} ({state})",
    ),
    "pack.output_required": ("pack 需要 -o 申请包.zip", "pack needs -o application.zip"),
    "pack.output_evidence": (
        "-o {output} 是一个证明材料文件；不会覆盖它",
        "-o {output} is an evidence file; it is never replaced",
    ),
    "verify.ok": ("一致：{path}", "consistent: {path}"),
    "verify.mismatch": ("不一致：{path}（{n} 处）", "MISMATCH: {path} ({n} found)"),
    "verify.missing_head": ("缺少的证明材料：", "evidence missing:"),
    "verify.package": ("申请包 {path}：{problem}", "package {path}: {problem}"),
    "state.missing": ("缺失", "missing"),
    "state.changed": ("有改动", "changed"),
    # --- the review file (core/profile/review.py) ------------------------------------------
    "review.not_utf8": ("不是 UTF-8 文本", "is not UTF-8 text"),
    "review.not_toml": ("不是有效的 TOML（{reason}）", "is not valid TOML ({reason})"),
    "review.schema_version": ("应为 {want}", "expected {want}"),
    "review.sha": (
        "应为申请包的 SHA-256（64 位小写十六进制）",
        "expected the package's SHA-256 (64 lowercase hexadecimal digits)",
    ),
    "review.text": (
        "应为不超过 {limit} 字的文字，不含控制字符",
        "expected text of at most {limit} characters, without control characters",
    ),
    "review.date": ("应为日期（YYYY-MM-DD）", "expected a date (YYYY-MM-DD)"),
    "review.marks": (
        '应为按条款编号的表（[marks."pet_ct/3.2"]）',
        'expected a table by clause id ([marks."pet_ct/3.2"])',
    ),
    "review.mark_table": ("应为含 mark 和 note 的表", "expected a table with mark and note"),
    "review.rule_form": ("应为条款编号（如 pet_ct/3.2）", "expected a clause id such as pet_ct/3.2"),
    "review.mark": (
        "应为 {marks}（或 认可、不认可、需补充）",
        "expected {marks} (or the Chinese words for them)",
    ),
    "review.unknown_key": ("未知的键", "unknown key"),
    "review.unknown_rule": ("{rule} 不是申请包中的条款", "{rule} is not a clause of the package"),
    "review.other_package": (
        "{review} 是对另一个申请包的审核（SHA-256 {theirs}…，而 {package} 是 {ours}…）",
        "{review} is a review of another package (SHA-256 {theirs}…; {package} is {ours}…)",
    ),
    "review.not_verified": (
        "{package} 复核未通过（{what}：{problem}）；先运行 medequip verify {package}",
        "{package} does not verify ({what}: {problem}); run medequip verify {package}",
    ),
    "review.reason_reject": ("审核人不认可", "rejected by the reviewer"),
    "review.reason_more": ("审核人要求补充材料", "the reviewer asks for more"),
    "review.no_review": ("（未审核）", "(not reviewed)"),
    "review.dir_missing": ("{dir} 中没有 {name}：按未审核处理", "no {name} in {dir}: taken as not reviewed"),
    "review.needs_package": (
        "--review 和 --review-dir 用于申请包（medequip pack 生成的 .zip）",
        "--review and --review-dir take application packages (.zip made by medequip pack)",
    ),
    "review.one_package": (
        "--review 只用于一个申请包；多个请用 --review-dir",
        "--review is for one package; use --review-dir for several",
    ),
    "review.zip_format": (
        "申请包的结论可输出为 text、json、markdown、html、csv",
        "a package's verdict is written as text, json, markdown, html or csv",
    ),
}
