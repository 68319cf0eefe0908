"""Catalogue entries of the interview's saves and the answers it sets aside (see
``core/text/catalogue.py`` for the conventions): a hand edit made while the interview runs, a save
the disk refuses, and the profile's ``[set_aside]`` table."""

from __future__ import annotations

SESSION_MESSAGES: dict[str, tuple[str, str]] = {
    "profile.set_aside_unknown": (
        "[set_aside] 中有未知的键 {key}：应为本设备或 [institution] 的事实键，或 名单[序号].字段",
        "unknown key {key} in [set_aside]: expected a fact key of this equipment or [institution], or roster[index].field",
    ),
    "session.write_failed": (
        "无法保存到 {path}：{reason}。回答都还在内存中，没有丢失；请另存到别的位置",
        "cannot save to {path}: {reason}. Every answer is still kept in memory; save to another place",
    ),
    "session.hand_edit_invalid": (
        "{path} 在访谈期间被改动，现在不是可用的档案：{error}。没有覆盖它，回答都还在内存中；"
        "改好该文件后会继续自动保存，也可以另存为其他文件",
        "{path} was changed while the interview ran and is no longer a usable profile: {error}. It was "
        "not overwritten and every answer is kept in memory; autosave resumes once the file is fixed, "
        "or save to another file",
    ),
    "session.hand_edit_equipment": (
        "它现在是 {found} 的档案，不是 {equipment} 的",
        "it is now a profile for {found}, not {equipment}",
    ),
    "session.merged": (
        "{path} 在访谈期间被改动：文件中的修改已保留（{keys}）",
        "{path} was changed while the interview ran: its changes are kept ({keys})",
    ),
    "session.conflicts": (
        "{path} 在访谈期间被改动，有 {n} 项与本次的回答不同，请逐项选择保留哪一个",
        "{path} was changed while the interview ran: {n} answers differ from this session's; choose which to keep for each",
    ),
    "errno.ENOSPC": ("磁盘已满", "no space left on the device"),
    "errno.EROFS": ("文件系统是只读的", "the file system is read-only"),
    "errno.EACCES": ("没有写入权限", "permission denied"),
    "errno.EDQUOT": ("超出磁盘配额", "disk quota exceeded"),
    "errno.ENAMETOOLONG": ("文件名太长", "the file name is too long"),
    "errno.ENOENT": ("所在的文件夹不存在", "its folder does not exist"),
}
