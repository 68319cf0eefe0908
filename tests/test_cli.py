"""The command line as scripts use it (run in-process): exit codes, JSON shape, stdin, and
one clean message (never a traceback) on bad input."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from cli_helpers import run_bytes
from conftest import EXAMPLES, ROOT

from assistant.core.rules import loader
from assistant.core.rules.model import EQUIPMENT_KEYS


def medequip(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_bytes(*args, input=stdin, cwd=ROOT, environ={**os.environ, **(env or {})})


def as_json(run: subprocess.CompletedProcess):
    assert b"Traceback" not in run.stderr
    return json.loads(run.stdout)


# Verdicts a careful reviewer gives each bundled example, with the clauses that decide them.
EXAMPLE_VERDICTS = {
    "pet_ct_new_nonpublic.toml": (
        "compliant",
        0,
        {"pet_ct/1": "exempt", "pet_ct/2.2": "exempt", "pet_ct/2.3": "met", "pet_ct/3.3": "not_applicable"},
    ),
    "pet_mr_independent_center.toml": (
        "not_compliant",
        1,
        {
            "pet_mr/1": "exempt",
            "pet_mr/2.1": "exempt",
            "pet_mr/2.2": "exempt",
            "pet_mr/2.3": "met",
            "pet_mr/3.3": "not_met",
        },
    ),
    "laparoscopic_robot_tertiary.toml": ("compliant", 0, {"laparoscopic_robot/2.2": "met"}),
    "conventional_rt_county.toml": ("compliant", 0, {"conventional_rt/2.2": "met"}),
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_VERDICTS))
def test_examples_check_with_the_verdicts_a_reviewer_gives(name):
    status, code, rules = EXAMPLE_VERDICTS[name]
    run = medequip("check", str(EXAMPLES / name), "--format", "json")
    assert run.returncode == code, run.stderr.decode()
    report = as_json(run)
    assert report["status"] == status
    got = {r["id"]: r["status"] for r in report["rules"]}
    for rid, want in rules.items():
        assert got[rid] == want, rid
    if status == "not_compliant":
        assert [r["id"] for r in report["rules"] if r["status"] == "not_met"] == [
            k for k, v in rules.items() if v == "not_met"
        ]


def test_every_example_profile_is_checked_and_no_equipment_lacks_one():
    files = sorted(p.name for p in EXAMPLES.glob("*.toml"))
    covered = set()
    for name in files:
        report = as_json(medequip("check", str(EXAMPLES / name), "--format", "json"))
        covered.add(report["equipment"])
    assert covered == set(EQUIPMENT_KEYS)


def test_json_report_shape_and_traceability():
    run = medequip("check", str(EXAMPLES / "pet_ct_new_nonpublic.toml"), "--format", "json", "--lang", "zh")
    report = as_json(run)
    for key in ("equipment", "status", "ruleset", "rules", "report_version", "profile_sha256"):
        assert key in report
    rs = loader.for_equipment("pet_ct")
    assert report["ruleset"]["id"] == rs.id and report["ruleset"]["edition"] == rs.edition
    assert report["ruleset"]["sha256"] == rs.sha256
    for rule in report["rules"]:
        assert {"id", "clause", "status", "level", "reason"} <= set(rule)
    waived = next(r for r in report["rules"] if r["id"] == "pet_ct/2.2")
    assert waived["waived_by"] and waived["waived_by"][0]["exemption"] == "pet_ct/6"
    assert "（六）" in waived["reason"]


def test_several_files_give_a_list_and_the_most_severe_exit_code(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\nequipment = "pet_ct"\n[institution]\nownership = "privat"\n', "utf-8")
    incomplete = tmp_path / "incomplete.toml"
    incomplete.write_text('schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "x"\n', "utf-8")
    failing = EXAMPLES / "pet_mr_independent_center.toml"
    ok = EXAMPLES / "pet_ct_new_nonpublic.toml"
    run = medequip("check", str(ok), str(incomplete), "--format", "json")
    assert run.returncode == 3
    assert isinstance(as_json(run), list)
    assert medequip("check", str(ok), str(incomplete), str(failing), "--format", "json").returncode == 1
    run = medequip("check", str(ok), str(bad), str(failing), "--format", "json")
    assert run.returncode == 2
    assert b"bad.toml" in run.stderr and b"ownership" in run.stderr
    assert b"Traceback" not in run.stderr
    results = json.loads(run.stdout)
    # The other files were still checked; the broken one is reported in place.
    assert [r["status"] for r in results] == ["compliant", "error", "not_compliant"]


def test_stdin_is_read_with_a_dash():
    data = (EXAMPLES / "pet_ct_new_nonpublic.toml").read_bytes()
    run = medequip("check", "-", "--format", "json", stdin=data)
    assert run.returncode == 0
    assert as_json(run)["equipment"] == "pet_ct"


def test_text_output_is_plain_when_piped():
    run = medequip("check", str(EXAMPLES / "pet_ct_new_nonpublic.toml"), "--lang", "zh")
    out = run.stdout.decode()
    assert "\x1b[" not in out
    assert "明德国际医院" in out and "符合" in out


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"schema_version = 1\nequipment = \n", b".toml:2:"),
        (b'schema_version = 1\nequipment = "pet_ct"\n[institution]\nnew_bulid = true\n', b"new_build"),
        (b'schema_version = 1\nequipment = "pet-ct"\n[institution]\n', b"pet_ct"),
        (
            b'schema_version = 1\nequipment = "pet_ct"\n[institution]\n[pet_ct]\nnuclear_medicine_years = -1\n',
            b"pet_ct.nuclear_medicine_years",
        ),
        (
            b'schema_version = 1\nequipment = "pet_ct"\n[institution]\n[pet_ct]\nnuclear_medicine_years = "3"\n',
            b"whole number",
        ),
        (b'schema_version = 1\nequipment = "pet_ct"\n', b"[institution]"),
    ],
)
def test_broken_profiles_get_one_clear_message_and_exit_2(tmp_path, content, needle):
    path = tmp_path / "p.toml"
    path.write_bytes(content)
    run = medequip("check", str(path))
    assert run.returncode == 2
    assert b"Traceback" not in run.stderr
    assert str(path).encode() in run.stderr
    assert needle in run.stderr, run.stderr


def test_missing_file_and_bad_invocation_exit_2():
    run = medequip("check", "does-not-exist.toml")
    assert run.returncode == 2 and b"no such file" in run.stderr
    assert medequip("check").returncode == 2
    assert medequip("rules", "pet_cat").returncode == 2
    assert medequip("rules", "show", "pet_ct/9.9").returncode == 2


def test_rules_json_lists_every_clause_with_exemptions():
    rules = as_json(medequip("rules", "--format", "json"))
    ids = {r["id"] for r in rules}
    for rs in loader.bundled():
        assert {r.id for r in (*rs.data.rules, *rs.data.exemptions)} <= ids
    for r in rules:
        assert {"id", "equipment", "clause", "level", "text_zh", "text_en", "facts", "kind"} <= set(r)
    kinds = {r["id"]: r["kind"] for r in rules}
    assert kinds["pet_ct/6"] == "exemption" and kinds["pet_ct/2.3"] == "rule"
    only = as_json(medequip("rules", "pet_mr", "--format", "json"))
    assert {r["equipment"] for r in only} == {"pet_mr"}


def test_rules_show_prints_both_languages_and_what_can_waive_it():
    run = medequip("rules", "show", "pet_ct/2.2", "--lang", "en")
    out = run.stdout.decode()
    assert run.returncode == 0
    assert "核医学科（组）成立时间 3 年以上。" in out
    assert "pet_ct/6" in out and "pet_ct.nuclear_medicine_years" in out


def test_explain_walks_through_the_facts():
    run = medequip("explain", str(EXAMPLES / "pet_mr_independent_center.toml"), "pet_mr/3.3", "--lang", "zh")
    out = run.stdout.decode()
    assert run.returncode == 0
    assert "✗" in out and "不符合" in out


def test_language_follows_the_locale_and_lang_overrides():
    path = str(EXAMPLES / "pet_ct_new_nonpublic.toml")
    zh = as_json(medequip("check", path, "--format", "json", env={"LANG": "zh_CN.UTF-8", "LC_ALL": ""}))
    en = as_json(medequip("check", path, "--format", "json", env={"LANG": "en_US.UTF-8", "LC_ALL": ""}))
    assert zh["lang"] == "zh" and en["lang"] == "en"
    forced = as_json(
        medequip("check", path, "--format", "json", "--lang", "en", env={"LANG": "zh_CN.UTF-8", "LC_ALL": ""})
    )
    assert forced["lang"] == "en"


def test_python_dash_m_and_version():
    run = medequip("--version")
    assert run.returncode == 0 and b"medequip" in run.stdout


def test_explain_an_exemption_clause_shows_each_ground_and_what_it_waives():
    run = medequip("explain", str(EXAMPLES / "pet_ct_new_nonpublic.toml"), "pet_ct/6", "--lang", "zh")
    out = run.stdout.decode()
    assert run.returncode == 0
    assert "✓ [新建医疗机构]" in out and "✗ [独立医学影像中心]" in out
    assert "豁免 pet_ct/1, pet_ct/2.1, pet_ct/2.2, pet_ct/2.4" in out
