"""Reports people file and scripts consume: every format, both languages, golden files.

Golden files under tests/golden/ pin the exact output for every example profile, format
and language, so a change to wording or layout is seen in review. They hold no volatile
data: the date comes from SOURCE_DATE_EPOCH and the tool version is replaced by <VERSION>.
Regenerate them on purpose only: ``MEDEQUIP_UPDATE_GOLDEN=1 python -m pytest tests/test_reports.py``.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import sys
from importlib import resources

import pytest
from cli_helpers import DATE, GOLDEN, ROOT, examples, run, scrub, write
from jsonschema_check import errors

from assistant import __version__

UPDATE = os.environ.get("MEDEQUIP_UPDATE_GOLDEN") == "1"
FORMATS = {"text": "txt", "json": "json", "jsonl": "jsonl", "markdown": "md", "html": "html"}
EVIL = "<script>alert(1)</script> [bold]x[/bold]"


def _golden_cases():
    out = []
    for ex in examples():
        for lang in ("zh", "en"):
            for fmt, ext in FORMATS.items():
                out.append(
                    pytest.param(
                        ex,
                        lang,
                        ["check", "--format", fmt],
                        f"{ex.stem}.{lang}.{ext}",
                        id=f"{ex.stem}-{lang}-{fmt}",
                    )
                )
            out.append(
                pytest.param(
                    ex,
                    lang,
                    ["checklist"],
                    f"{ex.stem}.{lang}.checklist.txt",
                    id=f"{ex.stem}-{lang}-checklist",
                )
            )
    return out


@pytest.mark.parametrize("example,lang,command,name", _golden_cases())
def test_output_matches_golden_file(example, lang, command, name):
    p = run(*command, str(example.relative_to(ROOT)), "--lang", lang)
    assert p.returncode in (0, 1, 3), p.stderr
    assert p.stderr == ""
    got = scrub(p.stdout)
    path = GOLDEN / name
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    assert path.exists(), (
        f"no golden file {name}: run MEDEQUIP_UPDATE_GOLDEN=1 python -m pytest tests/test_reports.py"
    )
    assert got == path.read_text(encoding="utf-8"), (
        f"{name} differs; if the change is intended, regenerate with MEDEQUIP_UPDATE_GOLDEN=1"
    )


def test_golden_files_hold_no_volatile_data():
    import datetime as dt

    today = dt.date.today().isoformat()
    for path in (p for p in GOLDEN.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        assert f"medequip {__version__}" not in text and f'"version": "{__version__}"' not in text, path.name
        if today != DATE:
            assert today not in text, path.name


def test_every_example_has_golden_files():
    """Examples are added by several people; each needs its golden files generated once."""
    missing = [f"{ex.stem}.*" for ex in examples() if not (GOLDEN / f"{ex.stem}.zh.txt").exists()]
    assert not missing, (
        f"no golden files for {missing}: run MEDEQUIP_UPDATE_GOLDEN=1 python -m pytest tests/test_reports.py"
    )


# --- JSON: schema, versioning, no Rich --------------------------------------------------------


def _report_schema() -> dict:
    return json.loads(
        (resources.files("assistant.reports") / "schemas" / "report.schema.json").read_text("utf-8")
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", examples(), ids=lambda p: p.stem)
def test_json_report_validates_against_the_shipped_schema(example, lang):
    p = run("check", str(example), "--format", "json", "--lang", lang)
    report = json.loads(p.stdout)
    assert errors(_report_schema(), report) == []
    assert report["report_version"] == 2 and report["detail"] == "full"
    assert report["tool"] == {"name": "medequip", "version": __version__}
    assert re.fullmatch(r"[0-9a-f]{64}", report["ruleset"]["sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", report["profile_sha256"])
    assert report["date"] == DATE
    for rule in report["rules"]:
        assert rule["status"] in ("met", "not_met", "exempt", "not_applicable", "unknown")
        if rule["status"] == "exempt":
            assert rule["waived_by"], rule["id"]


def test_schema_catches_a_report_that_drifted():
    """The validator is strict: a renamed or extra field fails, so schema and code move together."""
    p = run("check", str(examples()[0]), "--format", "json")
    report = json.loads(p.stdout)
    report["surprise"] = 1
    assert errors(_report_schema(), report)
    del report["surprise"]
    report["rules"][0]["status"] = "fine"
    assert errors(_report_schema(), report)


def test_schema_report_command_prints_the_shipped_file():
    p = run("schema", "report")
    assert p.returncode == 0
    assert json.loads(p.stdout) == _report_schema()


def test_json_output_never_imports_rich_or_textual():
    code = (
        "import sys, io; from assistant.entry import main; "
        f"rc = main(['check', {str(examples()[0])!r}, '--format', 'json']); "
        "bad = [m for m in ('rich', 'textual') if m in sys.modules]; "
        "print('IMPORTED', bad, file=sys.stderr)"
    )
    import subprocess

    from cli_helpers import env

    p = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env(), timeout=60
    )
    assert "IMPORTED []" in p.stderr, p.stderr
    json.loads(p.stdout)


def test_text_through_a_pipe_has_no_colour_codes():
    p = run("check", str(examples()[0]), "--lang", "zh", NO_COLOR="")
    assert "\x1b" not in p.stdout
    assert p.stdout.startswith("medequip 评估报告")


# --- escaping user text -----------------------------------------------------------------------


@pytest.fixture
def evil_profile(tmp_path):
    return write(
        tmp_path / "evil.toml", f'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "{EVIL}"\n'
    )


def test_text_shows_markup_like_names_literally(evil_profile):
    p = run("check", str(evil_profile), "--lang", "en")
    assert p.returncode == 3
    assert EVIL in p.stdout.splitlines()[0]


def test_rich_terminal_output_shows_markup_like_names_literally(evil_profile):
    from rich.console import Console

    from assistant.cli.batch import check_one
    from assistant.reports.report import print_rich

    report = check_one(str(evil_profile), "en", None, DATE).report
    console = Console(record=True, width=100, force_terminal=True, color_system="truecolor")
    print_rich(report, "en", console)
    assert EVIL in console.export_text()


def test_markdown_renders_markup_like_names_as_text(evil_profile):
    from markdown_it import MarkdownIt

    p = run("check", str(evil_profile), "--format", "markdown", "--lang", "en")
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(p.stdout)
    assert "<script>" not in rendered
    assert html_unescape_text(rendered).count(EVIL) >= 2  # the title and the table


def html_unescape_text(markup: str) -> str:
    class Text(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    t = Text()
    t.feed(markup)
    return "".join(t.parts)


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag):
        self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def test_html_escapes_every_user_string(evil_profile):
    p = run("check", str(evil_profile), "--format", "html", "--lang", "en")
    doc = p.stdout
    parser = _Elements()
    parser.feed(doc)
    assert "script" not in parser.tags
    assert parser.h1 == EVIL
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold]x[/bold]" in doc


def test_escape_characters_in_a_name_are_refused_cleanly(tmp_path):
    path = write(
        tmp_path / "esc.toml",
        f'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "{EVIL} \\u001b[31m"\n',
    )
    for fmt in ("text", "json", "html"):
        p = run("check", str(path), "--format", fmt)
        assert p.returncode == 2
        assert p.stdout == ""
        assert "Traceback" not in p.stderr
        assert "esc.toml:4" in p.stderr and "control character" in p.stderr


# --- HTML: one self-contained printable file ----------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_self_contained_and_prints_on_a4(lang):
    ex = examples()[0]
    p = run("check", str(ex), "--format", "html", "--lang", lang)
    doc = p.stdout
    assert doc.startswith("<!DOCTYPE html>")
    for banned in ("<script", "<link", "<img", "<iframe", "src=", "url(", "@import", "http://", "https://"):
        assert banned not in doc, banned
    assert "@page" in doc and "size: A4" in doc
    assert "default-src 'none'" in doc
    report = json.loads(run("check", str(ex), "--format", "json", "--lang", lang).stdout)
    text = html_unescape_text(doc)
    assert report["institution"] in text and report["equipment_name"] in text
    assert report["ruleset"]["title"] in text and DATE in text
    for rule in report["rules"]:
        assert rule["text"] in text and rule["reason"] in text and rule["id"] in text
    for item in report["checklist"]:
        for d in item["documents"]:
            assert d in text


def test_html_for_several_profiles_is_one_document(tmp_path):
    p = run("check", *[str(e) for e in examples()[:3]], "--format", "html")
    assert p.stdout.count("<!DOCTYPE html>") == 1
    assert p.stdout.count("<article>") == min(3, len(examples()))


def test_html_date_comes_from_the_date_option():
    p = run("check", str(examples()[0]), "--format", "html", "--date", "2024-02-29")
    assert "2024-02-29" in p.stdout and DATE not in p.stdout
    bad = run("check", str(examples()[0]), "--date", "yesterday")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


# --- editions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt,lang",
    [("text", "en"), ("markdown", "en"), ("html", "en"), ("text", "zh"), ("html", "zh"), ("json", "en")],
)
def test_profile_answered_under_another_edition_says_so(tmp_path, fmt, lang):
    src = (
        examples()[0]
        .read_text("utf-8")
        .replace("schema_version = 1", 'schema_version = 1\nruleset_edition = "1999-old"', 1)
    )
    path = write(tmp_path / "old.toml", src)
    p = run("check", str(path), "--format", fmt, "--lang", lang)
    assert "1999-old" in p.stdout
    if fmt == "json":
        assert "1999-old" in json.loads(p.stdout)["edition_note"]


# --- writing files, terminals --------------------------------------------------------------------


def test_output_file_is_written_whole_and_nothing_printed(tmp_path):
    out = tmp_path / "report.html"
    p = run("check", str(examples()[0]), "--format", "html", "-o", str(out))
    assert p.stdout == ""
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert [f.name for f in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


def test_rich_table_fits_narrow_terminals_measured_in_cells():
    from rich.cells import cell_len
    from rich.console import Console

    from assistant.cli.batch import check_one
    from assistant.reports.report import print_rich

    for ex in examples():
        report = check_one(str(ex), "zh", None, DATE).report
        for width in (60, 100):
            console = Console(record=True, width=width, force_terminal=True)
            print_rich(report, "zh", console)
            lines = console.export_text().splitlines()
            assert max(cell_len(line) for line in lines) <= width
            assert any(re.search(r"[\u4e00-\u9fff]", line) for line in lines)


@pytest.mark.parametrize(
    "command",
    ["check", "checklist", "diff", "template", "schema", "rules", "explain", "interview", "questions"],
)
def test_every_command_has_help_with_an_example(command):
    p = run(command, "--help")
    assert p.returncode == 0
    assert "example" in p.stdout and "medequip " + command in p.stdout


def test_cli_equipment_list_matches_the_model():
    from assistant.cli.parser import EQUIPMENT
    from assistant.core.rules.model import EQUIPMENT_KEYS

    assert EQUIPMENT == EQUIPMENT_KEYS


# --- evidence checklist --------------------------------------------------------------------------


@pytest.mark.parametrize("example", examples(), ids=lambda p: p.stem)
def test_checklist_covers_exactly_the_rules_that_apply_and_are_not_waived(example):
    report = json.loads(run("check", str(example), "--format", "json", "--lang", "en").stdout)
    listed = [i["id"] for i in report["checklist"] if i["kind"] == "rule"]
    expected = [r["id"] for r in report["rules"] if r["status"] not in ("exempt", "not_applicable")]
    assert listed == expected
    waivers = {(w["exemption"], w["ground"]) for r in report["rules"] for w in r["waived_by"]}
    grounds = {(i["id"], i["ground"]) for i in report["checklist"] if i["kind"] == "exemption"}
    assert waivers <= grounds
    text = run("checklist", str(example), "--lang", "en").stdout
    for item in report["checklist"]:
        assert item["id"] in text
        for doc in item["documents"]:
            assert f"[ ] {doc}" in text


def test_checklist_shows_what_the_profile_claims(tmp_path):
    path = write(
        tmp_path / "p.toml",
        'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "A"\nownership = "public"\nnew_build = false\n'
        "independent_imaging_center = false\n[pet_ct]\nsenior_physicians = 2\n",
    )
    text = run("checklist", str(path), "--lang", "en").stdout
    assert "Senior-titled imaging and radiotherapy physicians working on PET/CT: 2 people" in text
    assert "Technologists working on PET/CT: not answered" in text
    zh = run("checklist", str(path), "--lang", "zh").stdout
    assert "从事 PET/CT 的技师：未回答" in zh


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_checklist_other_formats(fmt, evil_profile):
    p = run("checklist", str(evil_profile), "--format", fmt, "--lang", "en")
    assert p.returncode == 0
    assert "<script>" not in p.stdout
    if fmt == "html":
        assert p.stdout.startswith("<!DOCTYPE html>") and "@page" in p.stdout


def test_checklist_of_a_broken_profile_is_an_error(tmp_path):
    p = run("checklist", str(write(tmp_path / "b.toml", "schema_version = [")))
    assert p.returncode == 2 and p.stdout == "" and "b.toml" in p.stderr


def test_terminal_gets_a_coloured_table_that_fits_its_width():
    """On a real (pseudo) terminal of 70 columns: colour, and no line wider than 70 cells."""
    import pty
    import subprocess

    from cli_helpers import env
    from rich.cells import cell_len

    master, slave = pty.openpty()
    e = env(COLUMNS="70", LINES="40", TERM="xterm-256color")
    e.pop("NO_COLOR")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "check", str(examples()[0]), "--lang", "zh"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=e,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) in (0, 1, 3)
    out = b"".join(chunks).decode("utf-8")
    assert "\x1b[" in out, "colour on a terminal"
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out).replace("\r", "")
    lines = [line for line in plain.split("\n") if line]
    assert max(cell_len(line) for line in lines) <= 70
    assert any("┃" in line or "│" in line for line in lines), "a table"
