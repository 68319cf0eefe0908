"""Evidence per clause: ``medequip evidence add | list | remove``, the profile's ``[[evidence]]``
entries (validated on load with file, line and field), and the checklist's attached / missing /
changed in every format.

Commands run in this process through ``main(argv)`` (tests/cli_helpers.run_main); files are
real files in a temporary folder, hashed by the test itself with hashlib."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from cli_helpers import EXAMPLES, ROOT
from cli_helpers import run_in as main
from jsonschema_check import errors, shipped

PET_CT = EXAMPLES / "pet_ct_new_nonpublic.toml"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def hospital(tmp_path) -> Path:
    """A hospital's folder: its profile (with a comment of its own), two documents, and a
    shared document one folder up."""
    folder = tmp_path / "hospital"
    (folder / "docs").mkdir(parents=True)
    text = PET_CT.read_text("utf-8").replace("[pet_ct]", "# 我们自己的备注\n[pet_ct]", 1)
    (folder / "ours.toml").write_text(text, "utf-8")
    (folder / "docs" / "年报2025.pdf").write_bytes(b"%PDF-1.4 annual report")
    (folder / "docs" / "cert.pdf").write_bytes(b"%PDF-1.4 certificate")
    (tmp_path / "shared.xlsx").write_bytes(b"shared statistics")
    return folder


def evidence(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text("utf-8")).get("evidence", [])


def checklist_json(folder: Path) -> dict:
    code, out, err = main("checklist", "ours.toml", "--format", "json", cwd=folder)
    assert code == 0, err
    return json.loads(out)


def item(doc: dict, rule: str) -> dict:
    return next(i for i in doc["items"] if i["id"] == rule)


# --- add ---------------------------------------------------------------------------------------


def test_add_records_relative_path_size_hash_and_note_keeping_comments(hospital):
    code, out, err = main(
        "evidence",
        "add",
        "ours.toml",
        "pet_ct/2.3",
        "docs/年报2025.pdf",
        "../shared.xlsx",
        "--note",
        "近三年",
        cwd=hospital,
    )
    assert code == 0, err
    profile = hospital / "ours.toml"
    assert "# 我们自己的备注" in profile.read_text("utf-8")
    got = {e["path"]: e for e in evidence(profile)}
    assert set(got) == {"docs/年报2025.pdf", "../shared.xlsx"}
    report = (hospital / "docs" / "年报2025.pdf").read_bytes()
    assert got["docs/年报2025.pdf"] == {
        "rule": "pet_ct/2.3",
        "path": "docs/年报2025.pdf",
        "size": len(report),
        "sha256": sha(report),
        "note": "近三年",
    }
    assert got["../shared.xlsx"]["sha256"] == sha(b"shared statistics")
    assert "docs/年报2025.pdf" in out
    # The profile still checks, and the evaluator is not affected.
    assert main("check", str(profile), "--quiet")[0] == main("check", str(PET_CT), "--quiet")[0]


def test_a_path_given_from_another_folder_is_recorded_relative_to_the_profile(hospital):
    code, _, err = main(
        "evidence", "add", "hospital/ours.toml", "pet_ct/3.2", "hospital/docs/cert.pdf", cwd=hospital.parent
    )
    assert code == 0, err
    assert evidence(hospital / "ours.toml")[0]["path"] == "docs/cert.pdf"
    code, _, err = main(
        "evidence",
        "add",
        str(hospital / "ours.toml"),
        "pet_ct/3.1",
        str(hospital / "docs" / "." / "cert.pdf"),
    )
    assert code == 0, err
    assert {e["path"] for e in evidence(hospital / "ours.toml")} == {"docs/cert.pdf"}


def test_an_exemption_clause_takes_evidence_too(hospital):
    code, _, err = main("evidence", "add", "ours.toml", "pet_ct/6", "docs/cert.pdf", cwd=hospital)
    assert code == 0, err
    assert evidence(hospital / "ours.toml")[0]["rule"] == "pet_ct/6"


@pytest.mark.parametrize(
    "rule,wanted",
    [("pet_ct/2.33", "pet_ct/2.3"), ("pet_mr/2.3", "pet_ct/2.3"), ("nonsense", None)],
)
def test_an_unknown_clause_is_refused_with_the_nearest(hospital, rule, wanted):
    before = (hospital / "ours.toml").read_bytes()
    code, _, err = main("evidence", "add", "ours.toml", rule, "docs/cert.pdf", cwd=hospital)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert rule in err
    if wanted:
        assert f"'{wanted}'" in err
    assert (hospital / "ours.toml").read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_only_regular_files_are_attached(hospital):
    os.mkfifo(hospital / "pipe")
    before = (hospital / "ours.toml").read_bytes()
    for target, words in (
        ("docs", "directory"),
        ("pipe", "FIFO"),
        ("/dev/null", "character device"),
        ("nothere.pdf", "no such file"),
    ):
        code, _, err = main("evidence", "add", "ours.toml", "pet_ct/2.3", target, cwd=hospital)
        assert code == 2, target
        assert words in err and target in err, err
    assert (hospital / "ours.toml").read_bytes() == before


def test_a_duplicate_is_refused_and_replace_records_the_new_content(hospital):
    assert main("evidence", "add", "ours.toml", "pet_ct/2.3", "docs/cert.pdf", cwd=hospital)[0] == 0
    code, _, err = main("evidence", "add", "ours.toml", "pet_ct/2.3", "docs/cert.pdf", cwd=hospital)
    assert code == 2 and "already attached" in err and "unchanged" in err
    code, _, err = main(
        "evidence", "add", "ours.toml", "pet_ct/2.3", "docs/年报2025.pdf", "docs/年报2025.pdf", cwd=hospital
    )
    assert code == 2 and "named twice" in err
    (hospital / "docs" / "cert.pdf").write_bytes(b"a newer certificate")
    code, _, err = main("evidence", "add", "ours.toml", "pet_ct/2.3", "docs/cert.pdf", cwd=hospital)
    assert code == 2 and "--replace" in err
    code, _, err = main(
        "evidence", "add", "ours.toml", "pet_ct/2.3", "docs/cert.pdf", "--replace", cwd=hospital
    )
    assert code == 0, err
    [entry] = evidence(hospital / "ours.toml")
    assert entry["sha256"] == sha(b"a newer certificate") and entry["size"] == len(b"a newer certificate")
    # The same file under another clause is not a duplicate.
    assert main("evidence", "add", "ours.toml", "pet_ct/3.2", "docs/cert.pdf", cwd=hospital)[0] == 0
    assert len(evidence(hospital / "ours.toml")) == 2


def test_stdin_is_no_profile_for_evidence(hospital):
    code, _, err = main("evidence", "add", "-", "pet_ct/2.3", "docs/cert.pdf", cwd=hospital)
    assert code == 2 and "standard input" in err


def test_add_is_refused_while_an_interview_holds_the_profile(hospital):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; from assistant.core.io.lock import ProfileLock; "
            "l=ProfileLock(sys.argv[1]); l.acquire(); print('held', flush=True); time.sleep(60)",
            str(hospital / "ours.toml"),
        ],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout.readline().strip() == b"held"
        code, _, err = main("evidence", "add", "ours.toml", "pet_ct/2.3", "docs/cert.pdf", cwd=hospital)
        assert code == 2 and f"pid {holder.pid}" in err
    finally:
        holder.kill()
        holder.wait()
    assert evidence(hospital / "ours.toml") == []


# --- remove and list ---------------------------------------------------------------------------


def test_remove_one_file_or_every_file_of_a_clause(hospital):
    assert (
        main(
            "evidence", "add", "ours.toml", "pet_ct/2.3", "docs/cert.pdf", "docs/年报2025.pdf", cwd=hospital
        )[0]
        == 0
    )
    assert main("evidence", "add", "ours.toml", "pet_ct/3.2", "docs/cert.pdf", cwd=hospital)[0] == 0
    code, _, err = main("evidence", "remove", "ours.toml", "pet_ct/2.3", "docs/nothere.pdf", cwd=hospital)
    assert code == 2 and "not attached" in err
    code, _, err = main("evidence", "remove", "ours.toml", "pet_ct/2.3", "docs/cert.pdf", cwd=hospital)
    assert code == 0, err
    assert sorted((e["rule"], e["path"]) for e in evidence(hospital / "ours.toml")) == [
        ("pet_ct/2.3", "docs/年报2025.pdf"),
        ("pet_ct/3.2", "docs/cert.pdf"),
    ]
    assert main("evidence", "remove", "ours.toml", "pet_ct/2.3", cwd=hospital)[0] == 0
    assert [(e["rule"], e["path"]) for e in evidence(hospital / "ours.toml")] == [
        ("pet_ct/3.2", "docs/cert.pdf")
    ]
    assert main("evidence", "remove", "ours.toml", "pet_ct/3.2", cwd=hospital)[0] == 0
    text = (hospital / "ours.toml").read_text("utf-8")
    assert "[[evidence]]" not in text and "# 我们自己的备注" in text
    code, _, err = main("evidence", "remove", "ours.toml", "pet_ct/3.2", cwd=hospital)
    assert code == 2 and "nothing is attached" in err


def test_list_says_which_file_is_missing_or_changed(hospital):
    assert (
        main(
            "evidence",
            "add",
            "ours.toml",
            "pet_ct/2.3",
            "docs/cert.pdf",
            "docs/年报2025.pdf",
            "../shared.xlsx",
            cwd=hospital,
        )[0]
        == 0
    )
    code, out, _ = main("evidence", "list", "ours.toml", "--format", "json", cwd=hospital)
    assert code == 0
    assert {f["path"]: f["state"] for f in json.loads(out)["files"]} == dict.fromkeys(
        ("docs/cert.pdf", "docs/年报2025.pdf", "../shared.xlsx"), "ok"
    )
    (hospital / "docs" / "cert.pdf").write_bytes(b"tampered")
    (hospital.parent / "shared.xlsx").unlink()
    code, out, _ = main("evidence", "list", "ours.toml", "--format", "json", cwd=hospital)
    assert code == 1
    assert {f["path"]: f["state"] for f in json.loads(out)["files"]} == {
        "docs/cert.pdf": "changed",
        "docs/年报2025.pdf": "ok",
        "../shared.xlsx": "missing",
    }
    code, out, _ = main("evidence", "list", "ours.toml", "--lang", "zh", cwd=hospital)
    assert code == 1
    assert "附上后已改动" in out and "文件不见了" in out


# --- the checklist -------------------------------------------------------------------------------


def test_the_checklist_shows_attached_missing_and_changed_in_every_format(hospital):
    assert main("evidence", "add", "ours.toml", "pet_ct/2.3", "docs/年报2025.pdf", cwd=hospital)[0] == 0
    assert main("evidence", "add", "ours.toml", "pet_ct/3.2", "docs/cert.pdf", cwd=hospital)[0] == 0
    doc = checklist_json(hospital)
    assert errors(shipped("checklist"), doc) == []
    assert item(doc, "pet_ct/2.3")["attached"]["status"] == "attached"
    assert item(doc, "pet_ct/3.1")["attached"] == {
        "status": "missing",
        "status_label": "missing",
        "files": [],
    }
    (hospital / "docs" / "cert.pdf").write_bytes(b"changed since")
    doc = checklist_json(hospital)
    changed = item(doc, "pet_ct/3.2")["attached"]
    assert changed["status"] == "changed" and changed["files"][0]["state"] == "changed"
    assert changed["files"][0]["sha256"] == sha(b"%PDF-1.4 certificate")  # the record, not the file now
    (hospital / "docs" / "年报2025.pdf").unlink()
    assert item(checklist_json(hospital), "pet_ct/2.3")["attached"]["status"] == "missing"
    for fmt, words in (
        ("text", ["Attached: changed since attached", "docs/cert.pdf", "file missing"]),
        ("markdown", ["Attached: changed since attached", "docs/cert.pdf", "file missing"]),
        ("html", ["changed since attached", "<code>docs/cert.pdf</code>", "file missing"]),
    ):
        code, out, err = main("checklist", "ours.toml", "--format", fmt, cwd=hospital)
        assert code == 0, err
        for w in words:
            assert w in out, (fmt, w)
    code, out, _ = main("checklist", "ours.toml", "--lang", "zh", cwd=hospital)
    assert "已附文件：有改动" in out and "已附文件：未附" in out
    # The full report carries the same (JSON and its schema).
    code, out, _ = main("check", "ours.toml", "--format", "json", cwd=hospital)
    report = json.loads(out)
    assert errors(shipped("report"), report) == []
    assert next(i for i in report["checklist"] if i["id"] == "pet_ct/3.2")["attached"]["status"] == "changed"


# --- [[evidence]] on load --------------------------------------------------------------------------


ENTRY = 'rule = "pet_ct/2.3"\npath = "docs/a.pdf"\nsize = 3\nsha256 = "' + "a" * 64 + '"\n'


@pytest.mark.parametrize(
    "entry,at,field,words",
    [
        (ENTRY.replace("docs/a.pdf", "/etc/passwd"), "path =", "evidence[0].path", "absolute"),
        (ENTRY.replace("docs/a.pdf", "C:/x.pdf"), "path =", "evidence[0].path", "absolute"),
        (ENTRY.replace("docs/a.pdf", "docs\\\\a.pdf"), "path =", "evidence[0].path", "backslash"),
        (ENTRY.replace("docs/a.pdf", "docs/./a.pdf"), "path =", "evidence[0].path", "write it as docs/a.pdf"),
        (
            ENTRY.replace("docs/a.pdf", "docs/../../a.pdf"),
            "path =",
            "evidence[0].path",
            "write it as ../a.pdf",
        ),
        (ENTRY.replace("docs/a.pdf", "a\\u001b[31m.pdf"), "path =", "evidence[0].path", "ESC"),
        (ENTRY.replace('"' + "a" * 64 + '"', '"abc"'), "sha256 =", "evidence[0].sha256", "SHA-256"),
        (ENTRY.replace("size = 3", "size = -1"), "size =", "evidence[0].size", "size"),
        (ENTRY.replace("size = 3", 'size = "3"'), "size =", "evidence[0].size", "size"),
        (ENTRY + "colour = 1\n", "colour =", "evidence[0].colour", "unknown"),
        (ENTRY.replace('rule = "pet_ct/2.3"\n', ""), "[[evidence]]", "evidence[0]", "missing rule"),
        (
            ENTRY.replace("pet_ct/2.3", "pet_ct/9.9"),
            "rule =",
            "evidence[0].rule",
            "not a clause or exemption clause of pet_ct",
        ),
        (ENTRY + "\n[[evidence]]\n" + ENTRY, "[[evidence]]#2", "evidence[1]", "already attached"),
    ],
)
def test_a_bad_evidence_entry_names_file_line_and_field(tmp_path, entry, at, field, words):
    p = tmp_path / "p.toml"
    p.write_text('schema_version = 1\nequipment = "pet_ct"\n[institution]\n\n[[evidence]]\n' + entry, "utf-8")
    code, _, err = main("check", str(p))
    assert code == 2
    [message] = err.strip().splitlines()
    lines = p.read_text("utf-8").splitlines()
    text, _, nth = at.partition("#")
    where = [i + 1 for i, ln in enumerate(lines) if ln.startswith(text)][int(nth or 1) - 1]
    assert message.startswith(f"medequip: {p}:{where}: {field}: "), message
    assert words in message, message


def test_every_bad_entry_is_located_on_its_own_line(tmp_path):
    p = tmp_path / "p.toml"
    bad = ENTRY.replace("size = 3", "size = -1")
    p.write_text(
        'schema_version = 1\nequipment = "pet_ct"\n[institution]\n\n[[evidence]]\n'
        + ENTRY
        + "\n[[evidence]]\n"
        + bad.replace("a.pdf", "b.pdf"),
        "utf-8",
    )
    code, _, err = main("check", str(p))
    assert code == 2
    lines = p.read_text("utf-8").splitlines()
    at = int(err.split(f"{p}:", 1)[1].split(":", 1)[0])
    assert lines[at - 1] == "size = -1"
    assert "evidence[1].size" in err


def test_the_profile_schema_describes_evidence(hospital):
    assert (
        main(
            "evidence",
            "add",
            "ours.toml",
            "pet_ct/2.3",
            "docs/cert.pdf",
            "../shared.xlsx",
            "--note",
            "x",
            cwd=hospital,
        )[0]
        == 0
    )
    code, out, _ = main("schema", "profile", "--equipment", "pet_ct")
    schema = json.loads(out)
    data = tomllib.loads((hospital / "ours.toml").read_text("utf-8"))
    assert errors(schema, data) == []
    data["evidence"][0]["path"] = "/abs.pdf"
    assert errors(schema, data) != []
    data["evidence"][0]["path"] = "ok.pdf"
    data["evidence"][0]["sha256"] = "xyz"
    assert errors(schema, data) != []


def test_help_names_every_action_with_examples_in_both_languages():
    for lang in ("zh", "en"):
        for action in ("add", "list", "remove"):
            code, out, _ = main("evidence", action, "--help", "--lang", lang)
            assert code == 0
            assert "medequip evidence " + action in out
        code, out, _ = main("completion", "bash")
        assert "evidence" in out and "--replace" in out


def test_the_profile_is_not_its_own_evidence(hospital):
    before = (hospital / "ours.toml").read_bytes()
    code, _, err = main("evidence", "add", "ours.toml", "pet_ct/2.3", "./ours.toml", cwd=hospital)
    assert code == 2 and "the profile itself" in err
    assert (hospital / "ours.toml").read_bytes() == before
