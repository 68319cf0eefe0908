"""The final verdict: ``medequip check application.zip --review application.review.toml``
and batches with ``--review-dir``: rejected -> not met with the reviewer's note, 需补充 ->
open, accepted keeps its verdict; both views shown; a review of another package refused."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from cli_helpers import EXAMPLES
from cli_helpers import run_in as main

PET_CT = EXAMPLES / "pet_ct_new_nonpublic.toml"


@pytest.fixture
def packed(tmp_path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "ours.toml").write_text(PET_CT.read_text("utf-8"), "utf-8")
    (tmp_path / "docs" / "cert.pdf").write_bytes(b"certificate")
    assert main("evidence", "add", "ours.toml", "pet_ct/3.2", "docs/cert.pdf", cwd=tmp_path)[0] == 0
    code, _, err = main("pack", "ours.toml", "-o", "application.zip", "--date", "2026-03-01", cwd=tmp_path)
    assert code == 0, err
    return tmp_path


def review_file(folder: Path, marks: str, package: str = "application.zip", name: str | None = None) -> Path:
    sha = hashlib.sha256((folder / package).read_bytes()).hexdigest()
    path = folder / (name or package.replace(".zip", ".review.toml"))
    path.write_text(
        f'schema_version = 1\npackage_sha256 = "{sha}"\nreviewer = "王审核"\ndate = "2026-03-02"\n' + marks,
        "utf-8",
    )
    return path


MARKS = (
    '[marks."pet_ct/3.2"]\nmark = "不认可"\nnote = "证书未显示 5 年工作经历"\n'
    '[marks."pet_ct/3.1"]\nmark = "需补充"\nnote = "缺少技师名单"\n'
    '[marks."pet_ct/2.3"]\nmark = "accept"\n'
)


def test_the_reviewer_s_marks_make_the_final_verdict(packed):
    code, out, _ = main("check", "application.zip", "--format", "json", cwd=packed)
    assert code == 0 and json.loads(out)["status"] == "compliant"
    review_file(packed, MARKS)
    code, out, err = main(
        "check", "application.zip", "--review", "application.review.toml", "--format", "json", cwd=packed
    )
    assert code == 1, err
    doc = json.loads(out)
    rules = {r["id"]: r for r in doc["rules"]}
    assert rules["pet_ct/3.2"]["status"] == "not_met"
    assert rules["pet_ct/3.2"]["reason"] == "证书未显示 5 年工作经历"
    assert rules["pet_ct/3.2"]["applicant"]["status"] == "met"
    assert rules["pet_ct/3.1"]["status"] == "unknown"
    assert rules["pet_ct/2.3"]["status"] == "met" and rules["pet_ct/2.3"]["review"]["mark"] == "accept"
    assert doc["status"] == "not_compliant" and doc["applicant_status"] == "compliant"
    assert doc["reviewed"]["reviewer"] == "王审核"
    assert doc["counts"]["not_met"] == 1 and doc["counts"]["unknown"] == 1


def test_more_needed_alone_leaves_it_open(packed):
    review_file(packed, '[marks."pet_ct/3.1"]\nmark = "3"\n')
    code, out, _ = main("check", "application.zip", "--review", "application.review.toml", cwd=packed)
    assert code == 3
    assert "applicant: compliant → final: incomplete" in out


def test_both_views_in_text_and_html_in_both_languages(packed):
    review_file(packed, MARKS)
    code, out, _ = main(
        "check", "application.zip", "--review", "application.review.toml", "--lang", "zh", cwd=packed
    )
    assert code == 1
    assert "申请方：符合 → 最终：不符合" in out
    assert "pet_ct/3.2：申请方 符合 → 审核人 不认可 → 最终 不符合 — 证书未显示 5 年工作经历" in out
    code, out, _ = main("check", "application.zip", "--review", "application.review.toml", cwd=packed)
    assert "pet_ct/3.2: applicant met → reviewer rejected → final not met" in out
    code, out, _ = main(
        "check", "application.zip", "--review", "application.review.toml", "--format", "html", cwd=packed
    )
    assert '<section class="review">' in out and "证书未显示 5 年工作经历" in out


def test_a_review_of_another_package_is_refused(packed):
    review_file(packed, MARKS)
    text = (packed / "application.review.toml").read_text("utf-8")
    sha = hashlib.sha256(b"another package").hexdigest()
    (packed / "other.review.toml").write_text(
        text.replace(text.split('package_sha256 = "')[1][:64], sha), "utf-8"
    )
    code, out, err = main("check", "application.zip", "--review", "other.review.toml", cwd=packed)
    assert code == 2 and out == ""
    assert "another package" in err and sha[:12] in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "marks,words",
    [
        ('[marks."pet_ct/3.2"]\nmark = "maybe"\n', "marks.pet_ct/3.2.mark"),
        ('[marks."pet_ct/9.9"]\nmark = "accept"\n', "pet_ct/9.9 is not a clause"),
        ('[marks."pet_ct/3.2"]\nmark = "accept"\ncolour = 1\n', "unknown key"),
    ],
)
def test_a_bad_review_file_is_one_line(packed, marks, words):
    review_file(packed, marks)
    code, _, err = main("check", "application.zip", "--review", "application.review.toml", cwd=packed)
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err


def test_a_folder_of_packages_with_a_folder_of_reviews(packed):
    (packed / "packages").mkdir()
    (packed / "reviews").mkdir()
    for name in ("a.zip", "b.zip"):
        (packed / "packages" / name).write_bytes((packed / "application.zip").read_bytes())
    review_file(packed / "packages", MARKS, "a.zip")
    os.replace(packed / "packages" / "a.review.toml", packed / "reviews" / "a.review.toml")
    code, out, err = main("check", "packages", "--review-dir", "reviews", "--format", "csv", cwd=packed)
    assert code == 1, err
    rows = list(csv.DictReader(io.StringIO(out)))
    a = {r["rule"]: r for r in rows if r["package"].endswith("a.zip")}
    b = {r["rule"]: r for r in rows if r["package"].endswith("b.zip")}
    assert a["pet_ct/3.2"]["mark"] == "reject" and a["pet_ct/3.2"]["final"] == "not_met"
    assert a["pet_ct/3.2"]["note"] == "证书未显示 5 年工作经历"
    assert b["pet_ct/3.2"]["mark"] == "" and b["pet_ct/3.2"]["final"] == "met"
    code, _, err = main(
        "check", "packages", "--review-dir", "reviews", "--format", "xlsx", "-o", "final.xlsx", cwd=packed
    )
    assert code == 1, err
    import openpyxl

    sheet = openpyxl.load_workbook(packed / "final.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:9] == [
        "package",
        "institution",
        "equipment",
        "clause",
        "rule",
        "applicant",
        "mark",
        "note",
        "final",
    ]
    assert any(v[4] == "pet_ct/3.2" and v[6] == "reject" and v[8] == "not_met" for v in values[1:])


def test_stats_of_reviewed_packages_count_final_verdicts_and_marks(packed):
    (packed / "packages").mkdir()
    (packed / "reviews").mkdir()
    for name in ("a.zip", "b.zip", "c.zip"):
        (packed / "packages" / name).write_bytes((packed / "application.zip").read_bytes())
    for name in ("a.zip", "b.zip"):
        review_file(packed / "packages", MARKS, name)
        os.replace(
            packed / "packages" / name.replace(".zip", ".review.toml"),
            packed / "reviews" / name.replace(".zip", ".review.toml"),
        )
    code, out, err = main("stats", "packages", "--review-dir", "reviews", "--format", "json", cwd=packed)
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["packages"], doc["reviewed"], doc["compliant"], doc["not_compliant"]) == (3, 2, 1, 2)
    c = {x["id"]: x for x in doc["clauses"]}
    assert (c["pet_ct/3.2"]["met"], c["pet_ct/3.2"]["not_met"], c["pet_ct/3.2"]["reject"]) == (1, 2, 2)
    assert (c["pet_ct/3.1"]["unknown"], c["pet_ct/3.1"]["more"]) == (2, 2)
    assert c["pet_ct/2.3"]["accept"] == 2
    code, out, _ = main("stats", "packages", "--review-dir", "reviews", "--lang", "zh", cwd=packed)
    assert code == 0 and "3 个申请包（已审核 2）" in out and "不认可" in out
