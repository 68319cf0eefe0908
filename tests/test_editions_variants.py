"""Editions in force, `rules diff`, the re-check of a folder under two editions, and a
provincial variant that extends a bundled ruleset (through the real command line)."""

from __future__ import annotations

import json
import shutil

from cli_helpers import EXAMPLES, ROOT
from cli_helpers import run as medequip

FIXTURE = ROOT / "tests" / "editions" / "class-b-access-2030.toml"
VARIANT = EXAMPLES / "variants" / "example-province-pet-ct.toml"
PET_CT = EXAMPLES / "pet_ct_new_nonpublic.toml"


def _report(*args: str) -> dict:
    run = medequip("check", *args, "--format", "json", "--exit-zero")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _rule(report: dict, rule_id: str) -> dict:
    return next(r for r in report["rules"] if r["id"] == rule_id)


def test_as_of_picks_the_edition_in_force_on_that_day():
    # The fixture takes effect on 2030-01-01 and asks for 5 senior physicians instead of 3.
    before = _report(str(PET_CT), "--ruleset", str(FIXTURE), "--as-of", "2029-12-31")
    after = _report(str(PET_CT), "--ruleset", str(FIXTURE), "--as-of", "2030-01-01")
    assert before["ruleset"]["edition"] == "undated"
    assert after["ruleset"]["edition"] == "2030-test"
    assert after["ruleset"]["effective_from"] == "2030-01-01"
    zh = _report(str(PET_CT), "--ruleset", str(FIXTURE), "--as-of", "2030-01-01", "--lang", "zh")
    assert "不少于 5 名" in _rule(zh, "pet_ct/3.1")["text"]
    assert "effective_from" not in before["ruleset"]  # the bundled edition names no date


def test_without_as_of_a_ruleset_file_is_used_as_given_and_bundled_ones_for_today():
    assert _report(str(PET_CT), "--ruleset", str(FIXTURE))["ruleset"]["edition"] == "2030-test"
    assert _report(str(PET_CT))["ruleset"]["edition"] == "undated"


def test_a_profile_answered_under_another_edition_says_so(tmp_path):
    p = tmp_path / "p.toml"
    p.write_text(
        PET_CT.read_text("utf-8").replace(
            'equipment = "pet_ct"', 'equipment = "pet_ct"\nruleset_edition = "undated"', 1
        ),
        "utf-8",
    )
    r = _report(str(p), "--ruleset", str(FIXTURE), "--as-of", "2031-01-01", "--lang", "en")
    assert "undated" in r["edition_note"] and "2030-test" in r["edition_note"]


def test_no_edition_in_force_is_one_clear_error(tmp_path):
    only_future = tmp_path / "future.toml"
    text = FIXTURE.read_text("utf-8").replace('edition = "2030-test"', 'edition = "2040"')
    only_future.write_text(
        text.replace("effective_from = 2030-01-01", "effective_from = 2040-01-01"), "utf-8"
    )
    run = medequip(
        "check", str(PET_CT), "--ruleset", str(only_future), "--as-of", "1999-01-01", "--format", "json"
    )
    # the bundled undated edition is in force on any day, so 1999 still finds one
    assert run.returncode in (0, 1, 3), run.stderr
    bad = medequip("check", str(PET_CT), "--as-of", "2031-02-30")
    assert bad.returncode == 2 and "2031-02-30" in bad.stderr and "Traceback" not in bad.stderr


def test_rules_diff_lists_threshold_and_wording_changes():
    run = medequip("rules", "diff", "class-b-access", str(FIXTURE), "--lang", "en")
    assert run.returncode == 1, run.stderr
    out = run.stdout
    assert "pet_ct/3.1" in out and "pet_ct.senior_physicians >= 3 → 5" in out
    assert "pet_ct/4.2" in out and "reworded" in out
    assert "pet_ct/1 " not in out  # unchanged clauses are not listed
    js = json.loads(medequip("rules", "diff", "class-b-access", str(FIXTURE), "--format", "json").stdout)
    by_id = {c["id"]: c for c in js["changes"]}
    assert set(by_id) == {"pet_ct/3.1", "pet_ct/4.2"}
    assert by_id["pet_ct/3.1"]["thresholds"] == [
        {"fact": "pet_ct.senior_physicians", "op": ">=", "old": 3, "new": 5}
    ]
    assert "[-和临床需求-]" in by_id["pet_ct/4.2"]["text_diff"]
    same = medequip("rules", "diff", "class-b-access", "class-b-access@undated")
    assert same.returncode == 0


def test_rules_diff_of_a_variant_shows_added_rules_and_dropped_exemptions():
    js = json.loads(medequip("rules", "diff", "class-b-access", str(VARIANT), "--format", "json").stdout)
    by_id = {c["id"]: c for c in js["changes"]}
    assert by_id["pet_ct/7.1"]["kind"] == "added"
    assert by_id["pet_ct/3.1"]["thresholds"][0]["new"] == 4
    # non-public institutions are no longer waived from （一）（二）
    moved = by_id["pet_ct/2.2"]["waivable_by_old"], by_id["pet_ct/2.2"]["waivable_by_new"]
    assert "pet_ct/6:non_public" in moved[0] and "pet_ct/6:non_public" not in moved[1]
    # the variant covers only PET/CT: the base's other equipment is reported as removed,
    # once per equipment and with its clauses, never as a change of a PET/CT clause
    removed = {e["key"] for e in js["equipment"] if e["kind"] == "removed"}
    assert removed == {"pet_mr", "laparoscopic_robot", "conventional_rt"}
    assert all(c["kind"] == "removed" for c in js["changes"] if not c["id"].startswith("pet_ct/"))


def test_recheck_a_folder_against_the_old_edition_lists_the_profiles_that_move(tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    base = PET_CT.read_text("utf-8")
    import re

    def with_seniors(n: int) -> str:
        return re.sub(r"(?m)^senior_physicians = \d+", f"senior_physicians = {n}", base)

    (folder / "four.toml").write_text(with_seniors(4), "utf-8")  # met under 3, not met under 5
    (folder / "six.toml").write_text(with_seniors(6), "utf-8")  # met under both
    run = medequip(
        "check", str(folder), "--ruleset", str(FIXTURE), "--against", "class-b-access", "--lang", "en"
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "four.toml" in run.stdout and "six.toml" not in run.stdout
    assert "pet_ct/3.1" in run.stdout and "met → not met" in run.stdout
    js = json.loads(
        medequip(
            "check", str(folder), "--ruleset", str(FIXTURE), "--against", "class-b-access", "--format", "json"
        ).stdout
    )
    (moved,) = js["moved"]
    assert moved["source"].endswith("four.toml")
    assert moved["rules"] == [{"id": "pet_ct/3.1", "old": "met", "new": "not_met"}]
    assert js["profiles"] == 2
    none = medequip(
        "check", str(folder / "six.toml"), "--ruleset", str(FIXTURE), "--against", "class-b-access"
    )
    assert none.returncode == 0


def test_the_example_variant_lints_clean_and_marks_what_differs():
    lint = medequip("rules", "lint", str(VARIANT))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    show = medequip("rules", "show", "pet_ct/3.1", "--ruleset", str(VARIANT), "--lang", "zh")
    assert show.returncode == 0, show.stderr
    # both texts, with their references
    assert "不少于 4 名" in show.stdout and "不少于 3 名" in show.stdout
    assert "示例文件 第三条" in show.stdout and "附件：乙类大型医用设备配置准入标准" in show.stdout
    r = _report(str(PET_CT), "--ruleset", str(VARIANT), "--lang", "zh")
    assert r["ruleset"]["extends"] == {"id": "class-b-access", "edition": "undated"}
    differs = _rule(r, "pet_ct/3.1")["differs"]
    assert differs["kind"] == "override" and "不少于 3 名" in differs["base_text"]
    assert "不少于 4 名" in differs["text"]
    # the profile is a new, non-public institution: the province no longer waives non-public
    # institutions, but the new-build ground still waives pet_ct/2.2
    assert _rule(r, "pet_ct/2.2")["status"] == "exempt"
    assert "differs" in _rule(r, "pet_ct/2.2")
    assert "differs" not in _rule(r, "pet_ct/3.2")
    text = medequip("check", str(PET_CT), "--ruleset", str(VARIANT), "--lang", "zh", "--exit-zero").stdout
    assert "示例文件 第三条" in text


def test_lint_and_load_refuse_an_override_of_a_rule_that_does_not_exist(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(VARIANT.read_text("utf-8").replace('rule = "pet_ct/3.1"', 'rule = "pet_ct/3.9"'), "utf-8")
    lint = medequip("rules", "lint", str(bad))
    assert lint.returncode == 1 and "pet_ct/3.9" in lint.stdout + lint.stderr
    run = medequip("check", str(PET_CT), "--ruleset", str(bad))
    assert run.returncode == 2 and "pet_ct/3.9" in run.stderr and "Traceback" not in run.stderr


def test_a_variant_whose_base_is_unknown_is_refused(tmp_path):
    bad = tmp_path / "orphan.toml"
    bad.write_text(VARIANT.read_text("utf-8").replace('edition = "undated" }', 'edition = "1999" }'), "utf-8")
    run = medequip("check", str(PET_CT), "--ruleset", str(bad))
    assert run.returncode == 2 and "class-b-access" in run.stderr and "1999" in run.stderr


def test_a_variant_beside_its_base_file_finds_it_by_id_and_edition(tmp_path):
    # the base is found among the files next to the variant, not by a path written in it
    shutil.copy(FIXTURE, tmp_path / "base-2030.toml")
    v = tmp_path / "v.toml"
    v.write_text(
        VARIANT.read_text("utf-8").replace('edition = "undated" }', 'edition = "2030-test" }'), "utf-8"
    )
    r = _report(str(PET_CT), "--ruleset", str(v))
    assert r["ruleset"]["extends"]["edition"] == "2030-test"


def test_variant_and_dated_reports_validate_against_the_shipped_schema():
    from importlib import resources

    from jsonschema_check import errors

    schema = json.loads(
        (resources.files("assistant.reports") / "schemas" / "report.schema.json").read_text("utf-8")
    )
    for args in (("--ruleset", str(VARIANT)), ("--ruleset", str(FIXTURE), "--as-of", "2030-06-01")):
        report = _report(str(PET_CT), *args)
        assert errors(schema, report) == [], args


def test_every_report_format_marks_the_clauses_a_variant_changes():
    for fmt in ("text", "markdown", "html"):
        run = medequip(
            "check", str(PET_CT), "--ruleset", str(VARIANT), "--format", fmt, "--lang", "zh", "--exit-zero"
        )
        assert run.returncode == 0, run.stderr
        out = run.stdout
        assert "≠" in out and "示例文件 第三条" in out and "不少于 4 名" in out and "不少于 3 名" in out, fmt
    plain = medequip("check", str(PET_CT), "--format", "text", "--lang", "zh", "--exit-zero").stdout
    assert "≠" not in plain


def test_the_tui_report_card_quotes_both_texts_of_a_changed_clause():
    from assistant.tui.widgets.rule_card import RuleCard

    item = _rule(_report(str(PET_CT), "--ruleset", str(VARIANT), "--lang", "zh"), "pet_ct/3.1")
    text = RuleCard.render_item(item, "zh").plain
    assert "≠" in text and "示例文件 第三条" in text and "不少于 4 名" in text and "不少于 3 名" in text
