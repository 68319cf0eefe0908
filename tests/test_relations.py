"""Relations between facts the two texts imply, enforced where answers come in.

Each row below is read from the texts (the README's table of relations says where), not from
the ruleset: a pair of answers that cannot both be true. Every one is refused by ``check``
(exit 2, both facts and both lines named), refused by the interview (both values named), in
Chinese and in English; the one warning relation (a person in two counted roles) is said and
the profile accepted. ``rules lint`` refuses a ruleset whose relation data names the wrong
facts.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from cli_helpers import run_main
from conftest import ROOT

from assistant.core.rules import loader
from assistant.core.rules.relations import OnePersonOneRole, OnePersonPerName, all_relations

# (equipment, fact A, value A, fact B, value B that contradicts A, value B that does not)
# Flat facts: the table they live in is the equipment's (or the institution's).
FLAT = [
    # 三（二）2 "腔镜手术量占 1/3 以上或年腔镜手术超过 5000 台次": a share of no operations is none
    ("laparoscopic_robot", "laparoscopy_share_third", "true", "annual_laparoscopic_operations", "0", "900"),
    # 二（一） "原则上已装备 PET/CT 的医疗机构……原设备年平均检查量": the volume of a unit one has
    ("pet_ct", "existing_annual_volume", "1500", "has_existing_pet_ct", "false", "true"),
    # 一（六）1 "IMRT 工作 10 年以上，三维图像引导调强适形放射治疗技术在 3 年以上": IGRT is IMRT
    ("proton", "igrt_years", "5", "imrt_years", "3", "12"),
    # 四（三）1.（2） "近 3 年每年开展……病例不少于 200 例": cases every year need years of practice
    ("proton", "base_min_annual_cases_last3", "200", "base_practice_years", "0", "4"),
    # the 其中 counts (at_most)
    ("proton", "base_instructing_chief_physicians", "4", "base_instructing_physicians", "3", "5"),
    ("proton", "base_researcher_physicists", "2", "base_physicists", "1", "2"),
    ("pet_ct", "senior_nm_imaging_staff_trained", "5", "licensed_nm_imaging_staff", "4", "7"),
    ("pet_mr", "experienced_radiopharmaceutical_staff", "2", "radiopharmaceutical_staff", "1", "3"),
    ("laparoscopic_robot", "senior_clinicians", "4", "clinicians", "3", "10"),
]

# One person's fields (proton.clinical_staff): the same columns.
PERSON = [
    # 二（一）2 "超过 10 年 IMRT 工作经验" within 四（一）4 "从事临床工作满 15 年"
    ("imrt_years", "11", "work_years", "8", "15"),
    # 四（一）2 "应当接受至少 6 个月的系统培训。在指导医师指导下，参与……各 5 例以上": during that training
    ("domestic_cases_head_neck", "5", "domestic_training_months", "0", "6"),
    ("domestic_cases_thorax", "5", "domestic_training_months", "0", "6"),
    ("domestic_cases_abdomen", "5", "domestic_training_months", "0", "6"),
    ("domestic_full_process_assessed", "true", "domestic_training_months", "0", "6"),
    # 四（二）2 "参与质子或重离子放射治疗计划 30 例以上"
    ("domestic_plans", "30", "domestic_training_months", "0", "6"),
    # 四（一）3 / 四（二）3 "在境外接受……培训 6 个月以上，有境外培训机构的培训证明，并经……考核合格"
    ("overseas_certificate", "true", "overseas_training_months", "0", "6"),
    ("overseas_assessed_by_filed_base", "true", "overseas_training_months", "0", "6"),
]


def _toml_value(v: str) -> str:
    return v if v in ("true", "false") or v.isdigit() else f'"{v}"'


def _flat_profile(eq: str, a: str, va: str, b: str, vb: str) -> str:
    return (
        f'schema_version = 1\nequipment = "{eq}"\n[institution]\nname = "甲医院"\n'
        f"[{eq}]\n{a} = {_toml_value(va)}\n{b} = {_toml_value(vb)}\n"
    )


def _person_profile(a: str, va: str, b: str, vb: str, extra: str = "") -> str:
    return (
        'schema_version = 1\nequipment = "proton"\n[institution]\nname = "甲医院"\n'
        f'[[proton.clinical_staff]]\nname = "张伟"\nrole = "physician"\n{a} = {_toml_value(va)}\n'
        f"{b} = {_toml_value(vb)}\n{extra}"
    )


def test_every_relation_of_the_table_is_in_the_data():
    """The data declares each row (a relation missing from the data fails here)."""
    for eq, a, _, b, _, _ in FLAT:
        keys = {r.keys for r in all_relations(loader.for_equipment(eq).facts, eq) if r.roster is None}
        assert (f"{eq}.{a}", f"{eq}.{b}") in keys
    rels = all_relations(loader.for_equipment("proton").facts, "proton")
    person = {r.keys for r in rels if r.roster == "proton.clinical_staff" and not r.across}
    for a, _, b, _, _ in PERSON:
        assert (a, b) in person
    assert {type(r) for r in rels if r.across} == {OnePersonPerName, OnePersonOneRole}


# --- check --------------------------------------------------------------------------------


def _check(tmp_path, text: str, lang: str) -> tuple[int, str]:
    path = tmp_path / "p.toml"
    path.write_text(text, "utf-8")
    code, _, err = run_main("--lang", lang, "check", str(path), "--summary")
    return code, err


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("eq,a,va,b,bad,good", FLAT, ids=[r[1] for r in FLAT])
def test_check_refuses_a_profile_breaking_a_relation_naming_both_facts_and_lines(
    tmp_path, lang, eq, a, va, b, bad, good
):
    code, err = _check(tmp_path, _flat_profile(eq, a, va, b, bad), lang)
    assert code == 2, err
    assert f"{eq}.{a}" in err and f"{eq}.{b}" in err
    line = "第 6 行" if lang == "zh" else "line 6"
    other = "第 7 行" if lang == "zh" else "line 7"
    assert line in err and other in err
    assert ("矛盾" in err or "多于" in err) if lang == "zh" else ("contradicts" in err or "more than" in err)
    code, err = _check(tmp_path, _flat_profile(eq, a, va, b, good), lang)
    assert code != 2, err


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("a,va,b,bad,good", PERSON, ids=[r[0] for r in PERSON])
def test_check_refuses_a_person_breaking_a_relation(tmp_path, lang, a, va, b, bad, good):
    code, err = _check(tmp_path, _person_profile(a, va, b, bad), lang)
    assert code == 2, err
    assert f"proton.clinical_staff[0].{a}" in err and f"proton.clinical_staff[0].{b}" in err
    assert ("第 8 行" in err and "第 9 行" in err) if lang == "zh" else ("line 8" in err and "line 9" in err)
    code, err = _check(tmp_path, _person_profile(a, va, b, good), lang)
    assert code != 2, err


def _two(role2: str, staff1: str = "", staff2: str = "") -> str:
    return (
        'schema_version = 1\nequipment = "proton"\n[institution]\nname = "甲医院"\n'
        f'[[proton.clinical_staff]]\nname = "张伟"\nrole = "physician"\n{staff1}'
        f'[[proton.clinical_staff]]\nname = "张伟"\nrole = "{role2}"\n{staff2}'
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_refuses_one_person_listed_twice_and_accepts_namesakes_told_apart(tmp_path, lang):
    code, err = _check(tmp_path, _two("physician"), lang)
    assert code == 2 and "张伟" in err
    assert "proton.clinical_staff[0]" in err and "proton.clinical_staff[1]" in err
    assert ("第 5 行" in err and "第 8 行" in err) if lang == "zh" else ("line 5" in err and "line 8" in err)
    assert "staff_no" in err
    # a staff number on one of them only does not tell them apart
    code, err = _check(tmp_path, _two("physician", 'staff_no = "1001"\n'), lang)
    assert code == 2, err
    code, err = _check(tmp_path, _two("physician", 'staff_no = "1001"\n', 'staff_no = "1002"\n'), lang)
    assert code != 2 and err == "", err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_warns_of_one_person_in_two_roles_and_accepts_the_profile(tmp_path, lang):
    code, err = _check(tmp_path, _two("physicist"), lang)
    assert code != 2
    assert (
        ("警告" in err and "两个岗位" in err) if lang == "zh" else ("warning" in err and "both roles" in err)
    )
    assert "proton.clinical_staff[0]" in err and "proton.clinical_staff[1]" in err
    code, err = _check(tmp_path, _two("physicist", 'staff_no = "1"\n', 'staff_no = "2"\n'), lang)
    assert code != 2 and err == "", err


# --- the interview (line mode: the engine both front ends use) ------------------------------

PROMPT = re.compile(r"^\[(.+?)\]> ", re.M)


def _interview(tmp_path, given: str, lines: list[str], lang: str) -> str:
    """``interview --plain --answers GIVEN`` fed ``lines``, then end of input (saves, exit 3)."""
    (tmp_path / "given.toml").write_text(given, "utf-8")
    p = subprocess.run(
        [sys.executable, "-m", "assistant", "--lang", lang, "interview", "--plain", "--answers", "given.toml"]
        + ["-o", "out.toml"],
        input="\n".join(lines).encode("utf-8") + b"\n",
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    return p.stdout.decode("utf-8")


def _refusals(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.startswith("✗")]


@pytest.mark.parametrize(
    "eq,a,va,b,bad,good,lang",
    [(*row, lang) for row, lang in zip(FLAT[:4], ["zh", "en", "zh", "en"], strict=True)]
    + [(*row, lang) for row, lang in zip(FLAT[:4], ["en", "zh", "en", "zh"], strict=True)],
)
def test_the_interview_refuses_an_answer_breaking_a_relation_naming_both_values(
    tmp_path, eq, a, va, b, bad, good, lang
):
    given = _flat_profile(eq, a, va, b, good)
    bad_typed = {"true": "是" if lang == "zh" else "yes", "false": "否" if lang == "zh" else "no"}.get(
        bad, bad
    )
    good_typed = {"true": "是" if lang == "zh" else "yes", "false": "否" if lang == "zh" else "no"}.get(
        good, good
    )
    out = _interview(tmp_path, given, [f"edit {eq}.{b}", bad_typed, good_typed], lang)
    refused = _refusals(out)
    assert len(refused) == 1, out[-3000:]
    said = refused[0]
    assert f"{eq}.{a}" in said and f"{eq}.{b}" in said
    shown_a = {"true": "是" if lang == "zh" else "yes"}.get(va, f"{int(va):,}" if va.isdigit() else va)
    shown_b = {"false": "否" if lang == "zh" else "no"}.get(bad, bad)
    assert f"= {shown_a}" in said and f"= {shown_b}" in said
    assert (
        ("矛盾" in said or "多于" in said) if lang == "zh" else ("contradicts" in said or "more than" in said)
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("a,va,b,bad,good", PERSON, ids=[r[0] for r in PERSON])
def test_the_interview_refuses_a_person_field_breaking_a_relation(tmp_path, lang, a, va, b, bad, good):
    out = _interview(
        tmp_path, _person_profile(a, va, b, good), [f"edit proton.clinical_staff[0].{b}", bad, good], lang
    )
    refused = _refusals(out)
    assert len(refused) == 1, out[-3000:]
    assert f"({a})" in refused[0] or f"（{a}）" in refused[0]
    assert f"({b})" in refused[0] or f"（{b}）" in refused[0]
    assert f"= {bad}" in refused[0]
    assert ("第 1 位人员" in refused[0]) if lang == "zh" else ("person 1" in refused[0])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_interview_refuses_a_name_already_listed_in_the_same_role(tmp_path, lang):
    given = (
        'schema_version = 1\nequipment = "proton"\n[institution]\nname = "甲医院"\n'
        '[[proton.clinical_staff]]\nname = "张伟"\nrole = "physician"\n'
        '[[proton.clinical_staff]]\nname = "李娜"\nrole = "physician"\n'
    )
    out = _interview(tmp_path, given, ["edit proton.clinical_staff[1].name", "张伟", "王芳"], lang)
    refused = _refusals(out)
    assert len(refused) == 1, out[-3000:]
    assert "张伟" in refused[0] and (
        "同一人不能列两次" in refused[0] if lang == "zh" else "counted twice" in refused[0]
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_interview_warns_of_a_name_listed_in_the_other_role_and_keeps_it(tmp_path, lang):
    given = (
        'schema_version = 1\nequipment = "proton"\n[institution]\nname = "甲医院"\n'
        '[[proton.clinical_staff]]\nname = "张伟"\nrole = "physician"\n'
        '[[proton.clinical_staff]]\nname = "李娜"\nrole = "physicist"\n'
    )
    out = _interview(tmp_path, given, ["edit proton.clinical_staff[1].name", "张伟"], lang)
    assert not _refusals(out)
    warned = [ln for ln in out.splitlines() if ln.startswith("! ")]
    assert warned and ("两个岗位" in warned[0] if lang == "zh" else "both roles" in warned[0])
    saved = (tmp_path / "out.toml").read_text("utf-8")
    assert saved.count('name = "张伟"') == 2


def test_a_repeated_name_asks_the_staff_number_that_tells_them_apart():
    from assistant.interview import questions
    from assistant.interview.engine import Interview

    rs = loader.for_equipment("proton")
    people = [{"role": "physician", "name": "张伟", "staff_no": "1001"}, {"role": "physician"}]
    iv = Interview(
        rs,
        "proton",
        questions.load(rs, "proton"),
        answers={"institution.name": "甲", "proton.clinical_staff": people},
    )
    step = iv.next()
    assert step.key == "proton.clinical_staff[1].name"
    iv.set(step, iv.parse(step, "张伟"))  # one side's number given: the other's is still to come
    step = iv.next()
    assert step.key == "proton.clinical_staff[1].staff_no"
    assert iv.read(step, "1001").refusal is not None  # the same number: the same person
    assert iv.read(step, "1002").refusal is None


# --- lint ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old,new,said",
    [
        (
            'requires = { fact = "laparoscopic_robot.annual_laparoscopic_operations", op = ">=", value = 1 }',
            'requires = { fact = "laparoscopic_robot.annual_operations", op = ">=", value = 1 }',
            "requires names an undeclared fact laparoscopic_robot.annual_operations",
        ),
        (
            'requires = { fact = "laparoscopic_robot.annual_laparoscopic_operations", op = ">=", value = 1 }',
            'requires = { fact = "laparoscopic_robot.annual_laparoscopic_operations", op = "==", value = true }',
            "requires compares laparoscopic_robot.annual_laparoscopic_operations (int)",
        ),
        (
            'at_most = "laparoscopic_robot.clinicians"',
            'at_most = "laparoscopic_robot.clinician"',
            "at_most names an undeclared fact laparoscopic_robot.clinician",
        ),
    ],
)
def test_lint_refuses_relations_that_name_the_wrong_fact(tmp_path, old, new, said):
    text = (ROOT / "rulesets" / "class-b-access.toml").read_text("utf-8")
    assert old in text
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    code, out, err = run_main("--lang", "en", "rules", "lint", str(path))
    assert code == 1, (out, err)
    assert said in out.decode("utf-8") + err


def test_lint_refuses_people_naming_a_field_the_roster_lacks(tmp_path):
    text = (ROOT / "rulesets" / "proton-2022.toml").read_text("utf-8")
    old = 'people = { name = "name", told_apart_by = "staff_no", role = "role" }'
    assert old in text
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, old.replace('"staff_no"', '"badge"'), 1), "utf-8")
    code, out, err = run_main("--lang", "zh", "rules", "lint", str(path))
    assert code == 1
    assert "people.told_apart_by" in out.decode("utf-8") + err
