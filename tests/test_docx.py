"""``--format docx``: the Word self-assessment and checklist, read back as Word reads them.

Each document is opened with python-docx and its XML: every clause of the report is a row,
Chinese text is intact, the header row is marked to repeat, the page is A4, and the fonts are
named for Chinese (``w:eastAsia``) as well as Latin text. Where LibreOffice is installed the
document is also converted to PDF and the PDF's text read back (``pdftotext``)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from cli_helpers import EXAMPLES, run

from assistant.reports.checklist import claim_text

docx = pytest.importorskip("docx", reason="python-docx is a dependency; installed with the package")
from docx.oxml.ns import qn  # noqa: E402

PROTON = EXAMPLES / "proton_existing_tertiary.toml"
PET_CT = EXAMPLES / "pet_ct_new_nonpublic.toml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _report(path: Path, lang: str) -> dict:
    p = run("check", str(path), "--format", "json", "--lang", lang)
    assert p.returncode in (0, 1, 3), p.stderr
    return json.loads(p.stdout)


def _docx(tmp_path: Path, *argv: str, name: str = "out.docx") -> Path:
    target = tmp_path / name
    p = run(*argv, "--format", "docx", "-o", str(target))
    assert p.returncode in (0, 1, 3), p.stderr
    assert p.stdout == "" and target.exists()
    return target


def _clause_table(doc):
    """The table whose header row starts with the clause column."""
    for table in doc.tables:
        if table.rows[0].cells[0].text in ("条款", "Clause"):
            return table
    raise AssertionError("no clause table")


def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", [PROTON, PET_CT], ids=["proton", "pet_ct"])
def test_every_clause_is_a_row_with_its_number_text_status_and_facts(tmp_path, example, lang):
    report = _report(example, lang)
    doc = docx.Document(str(_docx(tmp_path, "check", str(example), "--lang", lang)))
    table = _clause_table(doc)
    header = [c.text for c in table.rows[0].cells]
    if lang == "zh":
        assert header == ["条款", "要求", "结论", "档案所述", "已附证明材料"]
    else:
        assert header == ["Clause", "Requirement", "Status", "The profile says", "Evidence attached"]
    rows = table.rows[1:]
    assert len(rows) == len(report["rules"])
    for row, rule in zip(rows, report["rules"], strict=True):
        clause, requirement, status, facts, evidence = (_cell_text(c) for c in row.cells)
        assert clause.splitlines() == [rule["clause"], rule["id"]]
        assert rule["text"] in requirement  # the regulation's own words, whole
        assert status.startswith(rule["status_label"])
        for claim in rule["claims"]:
            # every answer behind the verdict, and every fact it still waits for
            if claim["value"] is not None or claim["fact"] in rule["missing"]:
                assert claim_text(claim, lang) in facts
        assert evidence  # "none attached" or a dash: never an empty cell
    body = "\n".join(p.text for p in doc.paragraphs)
    assert report["status_label"] in body
    assert (report["institution"] or "") in body


def test_facts_never_asked_are_not_listed_as_unanswered(tmp_path):
    """An existing hospital is never asked what kind of new institution it is: the
    new-build half of 一、（三） says nothing, rather than "not answered"."""
    text = PROTON.read_text("utf-8")
    for line in ('kind = "general"\n', "integrates_care_research_teaching = true\n"):
        text = text.replace(line, "")
    profile = tmp_path / "existing.toml"
    profile.write_text(text, "utf-8")
    report = _report(profile, "zh")
    rule = next(r for r in report["rules"] if r["id"] == "proton/1.3")
    assert rule["status"] == "met" and any(c["value"] is None for c in rule["claims"])
    doc = docx.Document(str(_docx(tmp_path, "check", str(profile), "--lang", "zh")))
    row = next(r for r in _clause_table(doc).rows[1:] if r.cells[0].text.endswith("proton/1.3"))
    facts = _cell_text(row.cells[3])
    assert "未回答" not in facts and "新建医疗机构：否" in facts


def test_chinese_survives_and_the_fonts_are_named_for_chinese(tmp_path):
    report = _report(PROTON, "zh")
    path = _docx(tmp_path, "check", str(PROTON), "--lang", "zh")
    with zipfile.ZipFile(path) as z:
        document = z.read("word/document.xml").decode("utf-8")
        styles = z.read("word/styles.xml")
    # Written as characters, not as escapes a viewer could show literally
    assert report["rules"][0]["text"][:20] in document
    assert "质子" in document
    from lxml import etree

    root = etree.fromstring(styles)
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults is not None
    normal = next(s for s in root.iter(f"{W}style") if s.get(f"{W}styleId") == "Normal")
    fonts = normal.find(f"{W}rPr/{W}rFonts")
    for el in (defaults, fonts):
        assert el.get(f"{W}eastAsia") in ("宋体", "SimSun")
        assert el.get(f"{W}ascii") and el.get(f"{W}hAnsi")
        # a theme font would override the names in Word
        assert not [a for a in el.attrib if a.endswith("Theme")]
    for sid in ("Heading1", "Title"):
        style = next(s for s in root.iter(f"{W}style") if s.get(f"{W}styleId") == sid)
        el = style.find(f"{W}rPr/{W}rFonts")
        assert el.get(f"{W}eastAsia") and not [a for a in el.attrib if a.endswith("Theme")]


def test_a4_and_the_header_row_repeats_on_every_page(tmp_path):
    doc = docx.Document(str(_docx(tmp_path, "check", str(PROTON), "--lang", "zh")))
    for section in doc.sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for table in doc.tables:
        first = table.rows[0]._tr
        trpr = first.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        # only the header: a body row marked so would repeat too
        for row in table.rows[1:]:
            assert row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_checklist_lists_every_item_with_its_documents(tmp_path, lang):
    report = _report(PROTON, lang)
    doc = docx.Document(str(_docx(tmp_path, "checklist", str(PROTON), "--lang", lang)))
    rows = [r for t in doc.tables for r in t.rows[1:]]
    assert len(rows) == len(report["checklist"])
    for row, item in zip(rows, report["checklist"], strict=True):
        clause, documents, *_ = (_cell_text(c) for c in row.cells)
        assert clause.splitlines()[1] == item["id"]
        for d in item["documents"]:
            assert d in documents
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_evidence_column_reads_the_files_attached_to_each_clause():
    """The one place the column is read: a checklist item's ``attached`` files (the
    evidence records' shape), a clause with nothing to prove, one with nothing attached."""
    from assistant.reports.docx import attached, evidence_lines

    sha = "ab" * 32
    report = {
        "checklist": [
            {
                "kind": "rule",
                "id": "proton/2.1.1",
                "attached": {
                    "status": "attached",
                    "files": [
                        {
                            "path": "证书/张医生 执业证.pdf",
                            "size": 1_258_291,
                            "sha256": sha,
                            "note": "2024 年换发",
                            "state": "ok",
                            "state_label": "已附",
                        }
                    ],
                },
            },
            {"kind": "rule", "id": "proton/1.1"},
        ]
    }
    lines = evidence_lines(attached(report, "proton/2.1.1"), "zh")
    assert lines == [f"证书/张医生 执业证.pdf（1.2 MB） · 已附\nSHA-256 {sha[:16]}…\n2024 年换发"]
    assert evidence_lines(attached(report, "proton/1.1"), "zh") == ["未附"]
    assert evidence_lines(attached(report, "proton/9.9"), "en") == ["—"]


def test_attached_files_appear_in_the_document(tmp_path):
    from assistant.reports.docx import report_docx

    report = _report(PROTON, "zh")
    item = next(i for i in report["checklist"] if i["kind"] == "rule")
    item["attached"] = {
        "status": "changed",
        "files": [
            {"path": "材料/放疗科核准.pdf", "size": 2048, "sha256": "cd" * 32, "state_label": "附上后已改动"}
        ],
    }
    doc = docx.Document(io.BytesIO(report_docx([report], "zh")))
    table = _clause_table(doc)
    row = next(r for r in table.rows[1:] if r.cells[0].text.splitlines()[1] == item["id"])
    assert "材料/放疗科核准.pdf（2.0 KB） · 附上后已改动" in _cell_text(row.cells[4])


def test_the_same_report_gives_the_same_bytes(tmp_path):
    a = _docx(tmp_path, "check", str(PET_CT), "--lang", "zh", name="a.docx").read_bytes()
    b = _docx(tmp_path, "check", str(PET_CT), "--lang", "zh", name="b.docx").read_bytes()
    assert a == b


def test_a_folder_gets_one_document_per_profile_and_an_index(tmp_path):
    out = tmp_path / "out"
    p = run("check", str(EXAMPLES), "--format", "docx", "-o", f"{out}/", "--lang", "zh")
    assert p.returncode in (0, 1, 3), p.stderr
    names = sorted(x.name for x in out.iterdir())
    want = sorted(f"{x.stem}.docx" for x in EXAMPLES.glob("*.toml")) + ["index.html"]
    assert names == sorted(want)
    index = (out / "index.html").read_text("utf-8")
    assert 'href="proton_existing_tertiary.docx"' in index
    doc = docx.Document(str(out / "proton_existing_tertiary.docx"))
    assert len(_clause_table(doc).rows) == len(_report(PROTON, "zh")["rules"]) + 1


def test_several_profiles_to_one_file_are_one_document(tmp_path):
    target = tmp_path / "all.docx"
    p = run("check", str(PROTON), str(PET_CT), "--format", "docx", "-o", str(target), "--lang", "en")
    assert p.returncode in (0, 1, 3), p.stderr
    doc = docx.Document(str(target))
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "Clause"]
    assert len(tables) == 2
    counts = [len(t.rows) - 1 for t in tables]
    assert counts == [len(_report(PROTON, "en")["rules"]), len(_report(PET_CT, "en")["rules"])]


def test_a_pipe_takes_the_document_and_a_terminal_is_refused(tmp_path):
    p = subprocess.run(
        [os.sys.executable, "-m", "assistant", "check", str(PROTON), "--format", "docx"],
        capture_output=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )
    assert p.returncode == 0 and p.stdout[:2] == b"PK"
    docx.Document(io.BytesIO(p.stdout))
    # On a terminal: refused with one line, before any work
    ptyprocess = pytest.importorskip("ptyprocess")
    child = ptyprocess.PtyProcessUnicode.spawn(
        [os.sys.executable, "-m", "assistant", "checklist", str(PROTON), "--format", "docx", "--lang", "en"],
        env={**os.environ, "TERM": "xterm", "NO_COLOR": ""},
    )
    out = ""
    while True:
        try:
            out += child.read(1000)
        except EOFError:
            break
    child.wait()
    assert child.exitstatus == 2
    assert "--format docx" in out and "-o FILE.docx" in out and "PK" not in out
    assert "Traceback" not in out


def test_an_output_onto_the_profile_is_refused(tmp_path):
    profile = tmp_path / "p.toml"
    profile.write_bytes(PROTON.read_bytes())
    before = profile.read_bytes()
    p = run("check", str(profile), "--format", "docx", "-o", str(profile))
    assert p.returncode == 2 and p.stderr.count("\n") == 1
    assert profile.read_bytes() == before


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: no PDF rendering")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_libreoffice_renders_the_chinese_clause_text(tmp_path):
    report = _report(PROTON, "zh")
    path = _docx(tmp_path, "check", str(PROTON), "--lang", "zh", name="自评表.docx")
    profile_dir = tmp_path / "lo-profile"  # a fresh user profile: no state shared with a desktop
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile_dir}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "自评表.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode(
        "utf-8"
    )
    flat = "".join(text.split())
    assert "大型医用设备配置准入自评表" in flat
    for rule in report["rules"][:5]:
        assert rule["clause"] in flat
        assert "".join(rule["text"].split())[:12] in flat  # the requirement, in Chinese
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert "(A4)" in info
