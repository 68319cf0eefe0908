"""One status per situation, and answers that are read by nothing are said to be.

- A clause for another kind of device (PET/CT （二）4 and （三）3: "申请配置 128 排及以上 CT 的
  PET/CT") is not applicable to a 64-slice applicant, whether or not （六） would waive it.
- A waived clause is exempt whatever its own facts, the reason saying whether they were met.
- A recommendation (宜) says "recommended", never "required".
- An answer to a retired fact, or a table of another equipment's answers, is accepted and said
  (``check``: a warning on stderr; the interview offers to remove retired answers).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cli_helpers import run_main
from conftest import ROOT

PET_CT = (
    'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "甲医院"\n'
    'ownership = "{ownership}"\nnew_build = {new_build}\nindependent_imaging_center = false\n'
    "[pet_ct]\nct_slices = {slices}\nsenior_physicians = 3\ntechnicians = 2\n"
    "radiopharmaceutical_staff = 0\nnuclear_medicine_years = 5\n"
)


def _rules(tmp_path, text: str, lang: str = "en") -> tuple[dict, str]:
    path = tmp_path / "p.toml"
    path.write_text(text, "utf-8")
    code, out, err = run_main("--lang", lang, "check", str(path), "--format", "json")
    assert code in (0, 1, 3), err
    return {r["id"]: r for r in json.loads(out)["rules"]}, err


@pytest.mark.parametrize(
    "ownership,new_build", [("public", "true"), ("non_public", "false"), ("public", "false")]
)
def test_the_128_slice_clauses_are_not_applicable_to_a_64_slice_ct_waived_or_not(
    tmp_path, ownership, new_build
):
    rules, _ = _rules(tmp_path, PET_CT.format(ownership=ownership, new_build=new_build, slices=64))
    assert rules["pet_ct/2.4"]["status"] == "not_applicable"
    assert rules["pet_ct/3.3"]["status"] == "not_applicable"
    assert rules["pet_ct/2.4"]["waived_by"] == []


@pytest.mark.parametrize(
    "lang,said", [("en", "its own conditions are met too"), ("zh", "本条自身条件亦已满足")]
)
def test_a_waived_clause_is_exempt_and_says_its_own_conditions_were_met(tmp_path, lang, said):
    rules, _ = _rules(tmp_path, PET_CT.format(ownership="public", new_build="true", slices=128), lang)
    assert rules["pet_ct/2.2"]["status"] == "exempt"  # （二）2 "成立时间 3 年以上": 5 years
    assert said in rules["pet_ct/2.2"]["reason"]
    assert rules["pet_ct/2.4"]["status"] == "exempt"  # 128 slices: it applies, and is waived


@pytest.mark.parametrize("lang,word,never", [("en", "recommended", "required"), ("zh", "宜", "需")])
def test_a_recommendation_says_recommended_never_required(tmp_path, lang, word, never):
    rules, _ = _rules(tmp_path, PET_CT.format(ownership="public", new_build="false", slices=64), lang)
    advice = " ".join(rules["pet_ct/3.1"]["advice"])
    assert word in advice and never not in advice


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_reason_starts_with_does_not_arise(tmp_path, lang):
    text = (ROOT / "examples" / "proton_existing_tertiary.toml").read_text("utf-8")
    rules, _ = _rules(tmp_path, text, lang)
    for r in rules.values():
        assert not r["reason"].startswith(("(does not arise)", "（不涉及）")), r


RETIRED = (
    '# notes\nschema_version = 1\nequipment = "proton"\n[institution]\nname = "甲医院"\n'
    "[proton]\nbase_meets_specification = false  # answered under the earlier reading\nimrt_years = 12\n"
)


@pytest.mark.parametrize("lang,word", [("en", "warning"), ("zh", "警告")])
def test_check_warns_of_a_retired_answer_naming_it_and_its_line(tmp_path, lang, word):
    _, err = _rules(tmp_path, RETIRED, lang)
    assert word in err and "proton.base_meets_specification" in err and "p.toml:7:" in err
    assert ("is retired" in err) if lang == "en" else ("已停用" in err)


@pytest.mark.parametrize("lang,word", [("en", "another equipment"), ("zh", "另一种设备")])
def test_check_warns_of_another_equipments_table(tmp_path, lang, word):
    text = PET_CT.format(ownership="public", new_build="false", slices=64) + "[pet_mr]\nmr_years = 3\n"
    _, err = _rules(tmp_path, text, lang)
    assert word in err and "pet_mr" in err


def _resume(tmp_path, typed: str, lang: str) -> str:
    p = subprocess.run(
        [sys.executable, "-m", "assistant", "--lang", lang, "interview", "--plain", "--resume", "p.toml"],
        input=typed.encode("utf-8"),
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    return p.stdout.decode("utf-8")


@pytest.mark.parametrize("lang,yes", [("zh", "是"), ("en", "yes")])
def test_the_interview_offers_to_remove_a_retired_answer_and_saves_without_it(tmp_path, lang, yes):
    (tmp_path / "p.toml").write_text(RETIRED, "utf-8")
    out = _resume(tmp_path, yes + "\n", lang)
    assert "[retired]> " in out and "proton.base_meets_specification" in out
    saved = (tmp_path / "p.toml").read_text("utf-8")
    assert "base_meets_specification" not in saved
    assert "# notes" in saved and "imrt_years = 12" in saved


@pytest.mark.parametrize("lang,no", [("zh", "否"), ("en", "no")])
def test_the_interview_keeps_a_retired_answer_when_told_no(tmp_path, lang, no):
    (tmp_path / "p.toml").write_text(RETIRED, "utf-8")
    out = _resume(tmp_path, no + "\n", lang)
    assert "[retired]> " in out
    assert "base_meets_specification = false" in (tmp_path / "p.toml").read_text("utf-8")
