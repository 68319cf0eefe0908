"""Attaching files to a clause from the chat's report: written through the interview's
session (it holds the profile's lock and autosaves), so a later answer's save keeps them."""

from __future__ import annotations

import hashlib
import tomllib

from test_tui import aio, settle, type_text, where  # noqa: F401 - fixtures

from assistant.tui.app import make_app
from assistant.tui.screens.evidence import EvidenceScreen
from assistant.tui.screens.report import ReportScreen

SIZE = (100, 32)


def evidence(path) -> list[dict]:
    return tomllib.loads(path.read_text("utf-8")).get("evidence", [])


@aio
async def test_attach_from_the_report_in_chinese_kept_by_autosave_then_removed(where):  # noqa: F811
    out = where / "档案.toml"
    folder = where / "资料 文件"
    folder.mkdir()
    doc = folder / "证书 甲.pdf"
    doc.write_bytes(b"%PDF-1.4 licence\n")
    app = make_app("pet_ct", "zh", str(out), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "附件医院")
        await type_text(pilot, "是")
        await settle(pilot, lambda: app.step.key == "pet_ct.ct_slices", "slices")
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        report = app.screen
        first = report.current.rule
        await pilot.press("down")
        rule = report.current.rule
        assert rule != first  # ↓ moved to the next clause
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, EvidenceScreen), "the files dialog")
        dialog = app.screen
        assert dialog.rule == rule
        dialog.type_into_input(str(doc))
        await pilot.press("enter")
        dialog.type_into_input("原件在档案室")
        await pilot.press("enter")
        await settle(pilot, lambda: evidence(out), "the evidence saved")
        [entry] = evidence(out)
        assert entry["rule"] == rule
        assert entry["path"] == "资料 文件/证书 甲.pdf"  # relative to the profile's folder
        assert entry["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
        assert entry["size"] == doc.stat().st_size
        assert entry["note"] == "原件在档案室"
        listed = " ".join(r[1].plain for r in dialog.files.rows)
        assert "证书 甲.pdf" in listed and "已附" in listed

        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "back to the report")
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is app.chat, "back to the chat")
        await type_text(pilot, "128")
        await settle(pilot, lambda: "ct_slices" in out.read_text("utf-8"), "the next answer saved")
        data = tomllib.loads(out.read_text("utf-8"))
        assert data["pet_ct"]["ct_slices"] == 128
        assert evidence(out) == [entry]  # the autosave kept it

        doc.write_bytes(b"%PDF-1.4 licence, renewed\n")
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: isinstance(app.screen, ReportScreen), "the report again")
        await pilot.press("down", "e")
        await settle(pilot, lambda: isinstance(app.screen, EvidenceScreen), "the files dialog again")
        dialog = app.screen
        assert "附上后已改动" in " ".join(r[1].plain for r in dialog.files.rows)
        await pilot.press("down", "delete")
        await settle(pilot, lambda: not evidence(out), "the record removed")
        assert doc.exists()  # only the record goes
        assert "此条款尚未附文件" in " ".join(r[1].plain for r in dialog.files.rows)
        dialog.type_into_input(str(where / "没有这个文件.pdf"))
        await pilot.press("enter", "enter")
        assert "没有这个文件.pdf" in dialog.said and dialog.said_error
        assert dialog.answer_box().value.endswith("没有这个文件.pdf")  # kept to correct
        assert not evidence(out)
