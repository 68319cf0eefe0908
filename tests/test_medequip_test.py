"""``medequip test``: clause cases as a user feature, through the real command line."""

from __future__ import annotations

import json
import os

from cli_helpers import ROOT
from cli_helpers import run as medequip

PASSING = """
equipment = "pet_ct"

[[cases]]
rule = "pet_ct/3.1"
expect = "not_met"
why = "（三）1 医学影像和放射治疗高级专业技术职称医师不少于 3 名：只有 2 名"
[cases.profile.pet_ct]
senior_physicians = 2
technicians = 2

[[cases]]
rule = "pet_ct/3.1"
expect = "met"
why = "（三）1 不少于 3 名医师、2 名技师；“宜”只给建议"
[cases.profile.pet_ct]
senior_physicians = 3
technicians = 2
radiopharmaceutical_staff = 0
"""

# Written as a careless author might: "不少于 3 名" read as more than 3.
FAILING = """
equipment = "pet_ct"

[[cases]]
rule = "pet_ct/3.1"
expect = "not_met"
why = "（三）1 高级专业技术职称医师不少于 3 名"
[cases.profile.pet_ct]
senior_physicians = 3
technicians = 2
"""


def test_passing_cases_exit_0(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(PASSING, "utf-8")
    run = medequip("test", str(f), "--lang", "en")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 cases, 2 passed, 0 failed" in run.stdout


def test_a_failing_case_prints_the_disagreement_with_the_rules_reason(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(FAILING, "utf-8")
    run = medequip("test", str(f), "--lang", "en")
    assert run.returncode == 1
    # where, what was expected, what the ruleset says and why, and the author's own quote
    assert f"{f}:4: pet_ct/3.1: expected not met, got met" in run.stdout
    assert "Senior-titled" in run.stdout and "3 people" in run.stdout
    assert "（三）1 高级专业技术职称医师不少于 3 名" in run.stdout
    js = json.loads(medequip("test", str(f), "--format", "json").stdout)
    assert js["failed"] == 1 and js["failures"][0]["actual"] == "met"
    assert js["failures"][0]["line"] == 4 and js["failures"][0]["reason_zh"]


def test_an_overall_verdict_and_more_clauses_can_be_expected(tmp_path):
    f = tmp_path / "all.toml"
    f.write_text(
        """
[[cases]]
equipment = "pet_ct"
overall = "compliant"
why = "a profile answering nothing cannot be compliant"
expect_rules = { "pet_ct/3.1" = "unknown" }
[cases.profile.institution]
""",
        "utf-8",
    )
    run = medequip("test", str(f), "--format", "json")
    assert run.returncode == 1
    (fail,) = json.loads(run.stdout)["failures"]
    assert (fail["what"], fail["expected"], fail["actual"]) == ("overall", "compliant", "incomplete")


def test_malformed_cases_exit_2_with_one_message(tmp_path):
    bad = {
        "syntax.toml": ("[[cases]\n", "invalid TOML"),
        "no_why.toml": ('[[cases]]\nequipment = "pet_ct"\nrule = "pet_ct/1"\nexpect = "met"\n', "why"),
        "bad_status.toml": (
            '[[cases]]\nequipment = "pet_ct"\nrule = "pet_ct/1"\nexpect = "passes"\nwhy = "x"\n',
            "expect",
        ),
        "no_equipment.toml": ('[[cases]]\nrule = "pet_ct/1"\nexpect = "met"\nwhy = "x"\n', "equipment"),
        "typo.toml": ('[[cases]]\nequipment = "pet_ct"\nrul = "pet_ct/1"\nwhy = "x"\n', "unknown key 'rul'"),
        # What the TOML parser itself does not bound: refused as profiles and rulesets are.
        "huge_number.toml": ("[[cases]]\nn = " + "9" * 5000 + "\n", "5,000 digits"),
        "deep.toml": ("[[cases]]\nn = " + "[" * 3000 + "]" * 3000 + "\n", "nested more than"),
        "deep_in_strings.toml": ('x = "' + "]" * 50 + '"\nn = ' + "[" * 600 + "]" * 600 + "\n", "nested"),
        "profile_file.toml": (
            '[[cases]]\nequipment = "pet_ct"\nrule = "pet_ct/1"\nexpect = "met"\nwhy = "x"\n'
            'profile_file = "huge_profile.toml"\n',
            "profile_file huge_profile.toml: cannot read it as TOML (line 1: a number with 5,000 digits",
        ),
    }
    (tmp_path / "huge_profile.toml").write_text("n = " + "9" * 5000 + "\n", "utf-8")
    for name in ("fifo.toml", "fifo_profile.toml"):
        os.mkfifo(tmp_path / name)  # nobody writes to them: reading would wait forever
    bad["fifo.toml"] = ("", "is a FIFO (named pipe), not a regular file")
    bad["profile_fifo.toml"] = (
        bad["profile_file.toml"][0].replace("huge_profile", "fifo_profile"),
        "profile_file fifo_profile.toml: cannot read it as TOML (is a FIFO (named pipe), not a regular file",
    )
    for name, (text, word) in bad.items():
        f = tmp_path / name
        if name != "fifo.toml":
            f.write_text(text, "utf-8")
        run = medequip("test", str(f))
        assert run.returncode == 2, (name, run.stdout, run.stderr)
        assert word in run.stderr and "Traceback" not in run.stderr, (name, run.stderr)
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert medequip("test", str(tmp_path / "absent.toml")).returncode == 2


def test_a_profile_the_ruleset_cannot_read_is_a_failed_case_not_a_crash(tmp_path):
    f = tmp_path / "unknown_fact.toml"
    f.write_text(
        '[[cases]]\nequipment = "pet_ct"\nrule = "pet_ct/3.1"\nexpect = "met"\nwhy = "x"\n'
        "[cases.profile.pet_ct]\nsenior_doctors = 3\n",
        "utf-8",
    )
    run = medequip("test", str(f), "--lang", "en")
    assert run.returncode == 1
    assert "senior_doctors" in run.stdout


def test_coverage_reports_what_the_cases_do_not_reach(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(PASSING, "utf-8")
    js = json.loads(medequip("test", str(f), "--coverage", "--format", "json").stdout)
    row = next(c for c in js["coverage"] if c["rule"] == "pet_ct/3.1")
    assert row["reached"] == ["met", "not_met"] and row["missing"] == []
    # pet_ct/2.2 is waivable by （六） and has no case here
    row = next(c for c in js["coverage"] if c["rule"] == "pet_ct/2.2")
    assert row["needed"] == ["met", "not_met", "exempt"] and row["missing"] == row["needed"]
    # 2.4 applies only to 128-slice CTs: not applicable is needed too
    row = next(c for c in js["coverage"] if c["rule"] == "pet_ct/2.4")
    assert "not_applicable" in row["needed"]
    assert js["coverage_complete"] is False
    text = medequip("test", str(f), "--coverage", "--lang", "en").stdout
    assert "pet_ct/3.1" in text and "clauses fully covered: 1/" in text


def test_cases_run_against_another_ruleset(tmp_path):
    """The same cases against the illustrative provincial variant, which asks for 4 senior
    physicians: the met case at 3 now disagrees."""
    f = tmp_path / "mine.toml"
    f.write_text(PASSING, "utf-8")
    variant = ROOT / "examples" / "variants" / "example-province-pet-ct.toml"
    run = medequip("test", str(f), "--ruleset", str(variant), "--lang", "en")
    assert run.returncode == 1
    assert "expected met, got not met" in run.stdout
