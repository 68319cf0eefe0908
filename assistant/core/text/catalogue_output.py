"""Catalogue entries of the output path: a run stopped by a signal, an output that would
replace an input, a folder of reports (see ``core/text/catalogue.py`` for the conventions)."""

from __future__ import annotations

OUTPUT_MESSAGES: dict[str, tuple[str, str]] = {
    "cli.terminated": ("medequip：收到 {signal}，已停止", "medequip: stopped by {signal}"),
    "cli.output_is_input": (
        "-o {output}：与本次读取的输入文件 {input} 是同一个文件；拒绝覆盖它",
        "-o {output}: is the same file as the input {input} read by this run; refusing to overwrite it",
    ),
    "cli.output_not_dir": (
        "-o {path}：已存在且不是文件夹；HTML 报告文件夹需要一个文件夹",
        "-o {path}: exists and is not a folder; a folder of HTML reports needs a folder",
    ),
    "cli.output_dir_link": (
        "-o {path}：是指向别处的符号链接；请直接给出目标文件夹（不会经由链接写入）",
        "-o {path}: is a symbolic link; give the folder it points to (reports are not written through a link)",
    ),
}
