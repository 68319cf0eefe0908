"""Attaching a file from the report, typed into a real terminal at 80×24: a path with spaces
and Chinese characters, as UTF-8 keystrokes."""

from __future__ import annotations

import hashlib
import sys

import pytest

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminals are POSIX", allow_module_level=True)

from ptyterm import Terminal  # noqa: E402
from test_tui_pty import NARROW, pet_ct, quit_with, saved  # noqa: E402


def test_a_path_with_spaces_and_chinese_is_attached_from_the_report(tmp_path):
    profile = pet_ct(tmp_path)
    (tmp_path / "资料 文件").mkdir()
    doc = tmp_path / "资料 文件" / "许可证 副本.pdf"
    doc.write_bytes(b"%PDF-1.4 licence copy\n")
    with Terminal(["interview", "--lang", "zh", "--resume", str(profile)], size=NARROW, cwd=tmp_path) as term:
        term.show("评估报告")  # a complete profile opens on the report
        term.send("e")
        term.show("尚未附文件")
        term.type("资料 文件/许可证 副本.pdf")
        term.send("enter")
        term.show("备注")
        term.type("复印件")
        term.send("enter")
        term.wait(lambda: saved(profile).get("evidence"), "the evidence saved")
        term.show("已附上")
        [entry] = saved(profile)["evidence"]
        assert entry["path"] == "资料 文件/许可证 副本.pdf"
        assert entry["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
        assert entry["note"] == "复印件"
        term.send("escape")
        term.show("评估报告")
        assert quit_with(term) in (0, 1, 3)
    assert saved(profile)["evidence"] == [entry]  # the save on quitting kept it
