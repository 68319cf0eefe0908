"""Every word of ``--help`` for the application file's commands (issue 24), in zh and en: the
entries ``helptext.py`` merges into its tables (see there for the conventions)."""

from __future__ import annotations

from ..core.text.i18n import Msg

H: dict[str, Msg] = {
    "actions": Msg("操作", "actions"),
    "mv.action": Msg("操作", "ACTION"),
    "mv.profile": Msg("档案", "PROFILE"),
    "mv.text": Msg("文字", "TEXT"),
    # --- evidence -------------------------------------------------------------------------------
    "evidence.help": Msg(
        "为条款附上证明材料文件（记录在档案中：相对路径、大小、SHA-256、备注）",
        "attach evidence files to clauses (recorded in the profile: relative path, size, SHA-256, note)",
    ),
    "evidence.add.help": Msg(
        "把文件附在一条条款（或豁免条款）下", "attach files to a clause (or an exemption clause)"
    ),
    "evidence.list.help": Msg(
        "逐条列出已附的文件，以及是否缺失或附上后有改动",
        "list the attached files by clause, and whether one is missing or has changed since",
    ),
    "evidence.remove.help": Msg(
        "从一条条款下移除文件（不写文件名则移除该条全部文件）",
        "remove files from a clause (no FILE: every file of that clause)",
    ),
    "evidence.profile": Msg(
        "档案文件（路径相对于它所在的文件夹记录）",
        "the profile file (paths are recorded relative to its folder)",
    ),
    "evidence.rule": Msg(
        "条款或豁免条款编号，例如 pet_ct/3.2、pet_ct/6",
        "a clause or exemption clause id such as pet_ct/3.2, pet_ct/6",
    ),
    "evidence.files": Msg("要附上的文件（普通文件）", "the files to attach (regular files)"),
    "evidence.remove_files": Msg(
        "要移除的文件（按磁盘上的路径或记录的路径）", "the files to remove (as on disk, or as recorded)"
    ),
    "evidence.note": Msg("给这些文件的备注", "a note on these files"),
    "evidence.replace": Msg(
        "文件已附在该条下时，记录它现在的内容（大小和 SHA-256）",
        "where a file is already attached to the clause, record its content now (size and SHA-256)",
    ),
    "evidence.exit": Msg(
        "退出码：0 成功，2 输入无效（未知条款、文件不存在或不是普通文件、重复附上）；"
        "medequip evidence list：0 全部文件与附上时一致，1 有文件缺失或有改动。",
        "exit codes: 0 done, 2 bad input (an unknown clause, a file missing or not a regular file,\n"
        "one attached twice); evidence list: 0 every file as attached, 1 one missing or changed.",
    ),
    "evidence.list_exit": Msg(
        "退出码：0 全部文件与附上时一致，1 有文件缺失或附上后有改动，2 档案无效。",
        "exit codes: 0 every file as attached, 1 a file missing or changed since attached, 2 bad profile.",
    ),
    "mv.package": Msg("申请包", "PACKAGE"),
    "check.review": Msg(
        "审核记录（medequip review 保存的 .review.toml）：给申请包最终结论（不认可→不符合，需补充→待定）",
        "the reviewer's marks (the .review.toml medequip review saves): the package's final verdict "
        "(rejected → not met, more needed → open)",
    ),
    "stats.review_dir": Msg(
        "审核记录所在的文件夹（每个 名称.zip 对应 名称.review.toml）：按最终结论统计，并计入审核意见",
        "a folder of reviews (NAME.review.toml for each NAME.zip): statistics of the final verdicts and the marks",
    ),
    "check.review_dir": Msg(
        "审核记录所在的文件夹：每个 名称.zip 对应 名称.review.toml",
        "a folder of reviews: NAME.review.toml for each NAME.zip",
    ),
    # --- pack -----------------------------------------------------------------------------------
    "pack.help": Msg(
        "把档案、报告、核对清单和全部证明材料打成一个可复核的申请包（zip，附清单和 SHA-256）",
        "pack the profile, report, checklist and every evidence file into one package a reviewer can verify "
        "(a zip with a manifest of SHA-256s)",
    ),
    "pack.profile": Msg("档案文件", "the profile file"),
    "pack.output": Msg(
        "写入的申请包（zip）；- 表示标准输出", "the package to write (a zip); - for standard output"
    ),
    "pack.date": Msg(
        "报告上的日期（YYYY-MM-DD；默认今天）", "the date on the report (YYYY-MM-DD; default today)"
    ),
    "pack.allow_missing": Msg(
        "证明材料缺失或附上后有改动时仍然打包（不放入这些文件，清单中注明）",
        "pack even when evidence is missing or changed since attached (those files are left out and the manifest says so)",
    ),
    "pack.exit": Msg(
        "同样的档案、证明材料、规则集、日期和语言，打出的包逐字节相同。\n退出码：0 已写入，2 输入无效或证明材料缺失/有改动，74 无法写入。",
        "The same profile, evidence, ruleset, date and language give the same bytes.\n"
        "exit codes: 0 written, 2 bad input or evidence missing/changed, 74 cannot write the file.",
    ),
    # --- verify ---------------------------------------------------------------------------------
    "verify.help": Msg(
        "复核申请包：全部 SHA-256、按所列规则集版本重新评估、报告是否一致、缺少哪些证明材料",
        "verify a package: every SHA-256, the profile re-evaluated under its ruleset edition, the report compared, "
        "the evidence missing",
    ),
    "verify.package": Msg("申请包（medequip pack 生成的 zip）", "the package (a zip made by medequip pack)"),
    "verify.exit": Msg(
        "退出码：0 全部一致，1 有不一致（逐条列出），2 申请包无法读取或被拒绝（路径穿越、链接、过大、zip 炸弹等）。",
        "exit codes: 0 all consistent, 1 a mismatch (each named), 2 the package cannot be read or is refused\n"
        "(path traversal, links, too large, a zip bomb, ...).",
    ),
    # --- review ---------------------------------------------------------------------------------
    "review.help": Msg(
        "审核申请包：逐条查看要求、事实、结论和证明材料，标记 认可 / 不认可 / 需补充 并写意见（随时保存，可继续）",
        "review a package clause by clause (requirement, facts, verdict, evidence) and mark each "
        "accept / reject / more with a note (saved as you go, resumable)",
    ),
    "review.file": Msg(
        "审核记录文件（默认：申请包旁的 名称.review.toml）",
        "the review file (default: NAME.review.toml beside the package)",
    ),
    "review.reviewer": Msg("审核人姓名（不写则询问）", "the reviewer's name (asked when not given)"),
    "review.plain": Msg("逐行模式（不用全屏界面）", "line mode (no full-screen chat)"),
    "review.keys": Msg(
        "每条输入：认可 / 不认可 / 需补充（或 1 / 2 / 3，英文词也可），再输入意见；\n"
        "b 上一条，n 或回车 下一条，g 编号 跳到某条，o 序号 用系统查看器打开证明材料，l 列出全部意见，q 退出。",
        "At each clause: accept / reject / more (or 1 / 2 / 3, or the Chinese words), then a note;\n"
        "b back, n or Enter next, g N go to a clause, o N open an evidence file with the system viewer,\n"
        "l list the marks, q quit.",
    ),
    "review.exit": Msg(
        "每次标记后即保存；退出码：0 已保存退出，2 申请包无法读取或审核记录属于另一个申请包。",
        "Every mark is saved at once. exit codes: 0 saved and ended, 2 the package cannot be read or the review\n"
        "file belongs to another package.",
    ),
}

EXAMPLES: dict[str, list[tuple[str, Msg | None]]] = {
    "evidence": [
        (
            "medequip evidence add ours.toml pet_ct/3.2 certificates/dr-zhang.pdf --note 'chief physician'",
            None,
        ),
        ("medequip evidence add ours.toml pet_ct/2.3 stats/2025.xlsx stats/2024.xlsx", None),
        ("medequip evidence list ours.toml", None),
        ("medequip evidence remove ours.toml pet_ct/2.3 stats/2024.xlsx", None),
    ],
    "evidence.add": [
        (
            "medequip evidence add ours.toml pet_ct/3.2 certificates/dr-zhang.pdf --note 'chief physician'",
            None,
        ),
        (
            "medequip evidence add ours.toml pet_ct/6 approvals/filing.pdf",
            Msg("豁免条款的证明", "proof of an exemption ground"),
        ),
        (
            "medequip evidence add ours.toml pet_ct/2.3 stats/2025.xlsx --replace",
            Msg("文件更新后重新记录", "record a file again after it changed"),
        ),
    ],
    "evidence.list": [
        ("medequip evidence list ours.toml", None),
        ("medequip evidence list ours.toml --format json", None),
    ],
    "evidence.remove": [
        ("medequip evidence remove ours.toml pet_ct/2.3 stats/2024.xlsx", None),
        (
            "medequip evidence remove ours.toml pet_ct/2.3",
            Msg("移除该条全部文件", "every file of the clause"),
        ),
    ],
    "pack": [
        ("medequip pack ours.toml -o application.zip", None),
        (
            "medequip pack ours.toml -o application.zip --allow-missing",
            Msg("缺少的材料在清单中注明", "the manifest names what is missing"),
        ),
    ],
    "verify": [
        ("medequip verify application.zip", None),
        ("medequip verify application.zip --format json", None),
    ],
    "check": [
        (
            "medequip check application.zip --review application.review.toml",
            Msg("审核后的最终结论", "the final verdict after review"),
        ),
        ("medequip check packages/ --review-dir reviews/ --format xlsx -o final.xlsx", None),
    ],
    "review": [
        ("medequip review application.zip --reviewer 王审核", None),
        ("medequip review application.zip --plain", Msg("逐行模式", "line mode")),
    ],
}
