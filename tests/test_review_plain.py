"""``medequip review application.zip --plain``: clause by clause, marks typed as people type
them (认可, 不认可, 需补充, 1/2/3 in full width too, accept/reject/more), a note, going back
and changing a mark, saved after every mark, resumed where it stopped."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest
from cli_helpers import EXAMPLES
from cli_helpers import run_in as main

PET_CT = EXAMPLES / "pet_ct_new_nonpublic.toml"


@pytest.fixture
def packed(tmp_path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "ours.toml").write_text(PET_CT.read_text("utf-8"), "utf-8")
    (tmp_path / "docs" / "cert.pdf").write_bytes(b"certificate of dr zhang")
    assert main("evidence", "add", "ours.toml", "pet_ct/3.2", "docs/cert.pdf", cwd=tmp_path)[0] == 0
    code, _, err = main("pack", "ours.toml", "-o", "application.zip", "--date", "2026-03-01", cwd=tmp_path)
    assert code == 0, err
    return tmp_path


def marks(folder: Path) -> dict[str, dict]:
    return tomllib.loads((folder / "application.review.toml").read_text("utf-8")).get("marks", {})


def test_marks_typed_as_people_type_them_are_saved_as_they_go(packed):
    # 11 clauses apply (not the not-applicable 2.4 and 3.3); the first four marked in four spellings, the fifth skipped, then quit.
    typed = "王审核\n认可\n\n２\n证书不全\nmore\n缺盖章\nＲｅｊｅｃｔ\n\n\nq\n"
    code, out, err = main("review", "application.zip", "--plain", stdin=typed, cwd=packed)
    assert code == 0, err
    got = marks(packed)
    assert [(k, v["mark"], v.get("note", "")) for k, v in got.items()] == [
        ("pet_ct/1", "accept", ""),
        ("pet_ct/2.1", "reject", "证书不全"),
        ("pet_ct/2.2", "more", "缺盖章"),
        ("pet_ct/2.3", "reject", ""),
    ]
    doc = tomllib.loads((packed / "application.review.toml").read_text("utf-8"))
    assert doc["reviewer"] == "王审核"
    assert doc["package_sha256"] == hashlib.sha256((packed / "application.zip").read_bytes()).hexdigest()
    assert "[pet_ct/3.1]> " in out  # skipped with Enter, then q
    assert "medequip check application.zip --review application.review.toml" in out


def test_going_back_and_changing_a_mark_then_resuming(packed):
    typed = "王审核\n1\n\n1\n\nb\n不认可\n没有重点专科证明\nq\n"
    assert main("review", "application.zip", "--plain", stdin=typed, cwd=packed)[0] == 0
    assert marks(packed)["pet_ct/2.1"] == {"mark": "reject", "note": "没有重点专科证明"}
    # Resumed: the reviewer is not asked again, and the first unmarked clause comes first.
    code, out, _ = main(
        "review", "application.zip", "--plain", "--lang", "zh", stdin="需补充\n\n", cwd=packed
    )
    assert code == 0
    assert "继续上次的审核（已标记 2 条）" in out
    first_prompt = next(line for line in out.splitlines() if line.startswith("[pet_ct/"))
    assert first_prompt.startswith("[pet_ct/2.2]> ")
    assert marks(packed)["pet_ct/2.2"] == {"mark": "more"}
    # Going to a clause by number or id and changing its mark keeps the others.
    assert (
        main("review", "application.zip", "--plain", stdin="g pet_ct/1\n3\n要补材料\nq\n", cwd=packed)[0] == 0
    )
    got = marks(packed)
    assert got["pet_ct/1"] == {"mark": "more", "note": "要补材料"}
    assert got["pet_ct/2.1"]["mark"] == "reject" and list(got) == ["pet_ct/1", "pet_ct/2.1", "pet_ct/2.2"]


def test_the_clause_shows_requirement_facts_verdict_and_evidence(packed):
    code, out, _ = main(
        "review", "application.zip", "--plain", "--reviewer", "X", stdin="g pet_ct/3.2\nq\n", cwd=packed
    )
    assert code == 0
    end = out.index("[pet_ct/3.2]> ")
    card = out[out.rindex("Clause ", 0, end) : end]
    assert "pet_ct/3.2" in card and "Requirement: " in card and "Applicant's verdict: met" in card
    assert "1. docs/cert.pdf (23 B)" in card


def test_opening_evidence_without_a_viewer_gives_the_copy_s_path(packed):
    code, out, _ = main(
        "review",
        "application.zip",
        "--plain",
        "--reviewer",
        "X",
        stdin="g pet_ct/3.2\no 1\no 9\nq\n",
        cwd=packed,
        PATH="/nonexistent",
    )
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("no viewer here"))
    path = line.split("the file is at ", 1)[1]
    assert Path(path).read_bytes() == b"certificate of dr zhang"
    assert "no evidence file 9" in out


def test_nonsense_is_answered_with_help_and_nothing_saved(packed):
    code, out, _ = main(
        "review", "application.zip", "--plain", "--reviewer", "X", stdin="maybe\nq\n", cwd=packed
    )
    assert code == 0
    assert "Not understood: “maybe”." in out and "type accept, reject or more" in out
    assert marks(packed) == {}


def test_a_review_file_of_another_package_is_refused(packed):
    (packed / "application.review.toml").write_text(
        'schema_version = 1\npackage_sha256 = "' + "0" * 64 + '"\nreviewer = "X"\ndate = "2026-03-02"\n',
        "utf-8",
    )
    code, out, err = main("review", "application.zip", "--plain", stdin="1\n", cwd=packed)
    assert code == 2 and "another package" in err and len(err.strip().splitlines()) == 1


def test_end_of_input_mid_review_keeps_every_mark_made(packed):
    code, _, _ = main("review", "application.zip", "--plain", "--reviewer", "X", stdin="1\n\n2\n", cwd=packed)
    assert code == 0
    assert marks(packed) == {"pet_ct/1": {"mark": "accept"}, "pet_ct/2.1": {"mark": "reject"}}
