"""``diff`` between two versions of an application, ``template`` for people who would rather
edit a file, and ``schema profile`` that describes what the loader accepts."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from cli_helpers import ROOT, examples, run, write
from jsonschema_check import errors

from assistant.core.rules import loader
from assistant.core.rules.model import EQUIPMENT_KEYS
from assistant.interview import questions

WITH_QUESTIONS = [k for k in EQUIPMENT_KEYS if (ROOT / "interviews" / f"{k}.toml").exists()]


def _pet_ct_example():
    return next(p for p in examples() if 'equipment = "pet_ct"' in p.read_text("utf-8"))


# --- diff --------------------------------------------------------------------------------------


def test_diff_of_identical_profiles_exits_0():
    ex = str(_pet_ct_example())
    p = run("diff", ex, ex, "--lang", "en")
    assert p.returncode == 0
    assert "Answers changed (0)" in p.stdout and "Verdicts moved (0)" in p.stdout


def test_diff_names_the_answer_and_the_clause_that_moved(tmp_path):
    old = _pet_ct_example()
    new = write(
        tmp_path / "new.toml",
        old.read_text("utf-8").replace("senior_physicians = 3", "senior_physicians = 1"),
    )
    p = run("diff", str(old), str(new), "--lang", "en")
    assert p.returncode == 1
    assert "pet_ct.senior_physicians" in p.stdout and "- 3 people" in p.stdout and "+ 1 person" in p.stdout
    assert "（三）1 pet_ct/3.1" in p.stdout and "met → not met" in p.stdout
    assert "Overall: compliant → not compliant" in p.stdout
    data = json.loads(run("diff", str(old), str(new), "--format", "json").stdout)
    assert [a["fact"] for a in data["answers"]] == ["pet_ct.senior_physicians"]
    assert [(v["id"], v["old"], v["new"]) for v in data["verdicts"]] == [("pet_ct/3.1", "met", "not_met")]
    zh = run("diff", str(old), str(new), "--lang", "zh")
    assert "结论变化（1）：" in zh.stdout and "符合 → 不符合" in zh.stdout


def test_diff_of_an_answer_that_moves_no_verdict_exits_0(tmp_path):
    old = _pet_ct_example()
    new = write(
        tmp_path / "new.toml",
        old.read_text("utf-8").replace("senior_physicians = 3", "senior_physicians = 9"),
    )
    p = run("diff", str(old), str(new), "--lang", "en")
    assert p.returncode == 0
    assert "Answers changed (1)" in p.stdout and "Verdicts moved (0)" in p.stdout


def test_diff_added_and_removed_answers(tmp_path):
    old = write(
        tmp_path / "old.toml",
        'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "A"\n[pet_ct]\nct_slices = 64\n',
    )
    new = write(
        tmp_path / "new.toml",
        'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "A"\n[pet_ct]\ntechnicians = 2\n',
    )
    data = json.loads(run("diff", str(old), str(new), "--format", "json", "--lang", "en").stdout)
    by = {a["fact"]: a for a in data["answers"]}
    assert by["pet_ct.ct_slices"]["new"] is None and by["pet_ct.ct_slices"]["old_text"] == "64 slices"
    assert by["pet_ct.technicians"]["old"] is None and by["pet_ct.technicians"]["new"] == 2


def test_diff_compares_roster_people_field_by_field(tmp_path):
    head = 'schema_version = 1\nequipment = "proton"\n[institution]\nname = "A"\n\n[[proton.clinical_staff]]\nname = "王医生"\nrole = "physician"\n'
    old = write(tmp_path / "old.toml", head + 'title = "senior"\n')
    new = write(tmp_path / "new.toml", head + 'title = "junior"\n')
    data = json.loads(run("diff", str(old), str(new), "--format", "json", "--lang", "en").stdout)
    assert [a["fact"] for a in data["answers"]] == ["proton.clinical_staff[0].title"]


def test_diff_refuses_bad_input(tmp_path):
    ex = str(_pet_ct_example())
    broken = write(tmp_path / "b.toml", "schema_version = [")
    p = run("diff", ex, str(broken))
    assert p.returncode == 2 and "b.toml" in p.stderr and p.stdout == ""
    other = write(tmp_path / "mr.toml", 'schema_version = 1\nequipment = "pet_mr"\n[institution]\n')
    p = run("diff", ex, str(other))
    assert p.returncode == 2 and "pet_mr" in p.stderr


# --- template ------------------------------------------------------------------------------------


def _value(fact, how: str):
    """A valid TOML value for a fact: the low end of everything, or the high end."""
    low = how == "low"
    if fact.type == "bool":
        return "false" if low else "true"
    if fact.type == "int":
        return str(fact.min if low else fact.max)
    if fact.type == "choice":
        return json.dumps(fact.choices[0 if low else -1].key)
    if fact.type == "set":
        return "[]" if low else json.dumps([c.key for c in fact.choices])
    if fact.type == "text":
        return json.dumps("测试医院 Test Hospital")
    raise AssertionError(fact.type)


def fill(template: str, rs, how: str, people: int = 2) -> str:
    """Uncomment every key with a valid value, as a person with an editor would."""
    out: list[str] = []
    table = None
    roster_block: list[str] = []
    for line in template.splitlines():
        if m := re.fullmatch(r"\[([a-z_.]+)\]", line):
            table = m.group(1)
        if m := re.fullmatch(r"# \[\[([a-z_.]+)\]\]", line):
            table = m.group(1)
            roster_block = [f"[[{table}]]"]
            out.append(roster_block[0])
            continue
        m = re.fullmatch(r"# ([a-z_][a-z0-9_]*) =\s*", line)
        if m and table:
            fact, _ = questions.lookup_fact(rs, f"{table}.{m.group(1)}")
            assert fact is not None, line
            line = f"{m.group(1)} = {_value(fact, how)}"
            if roster_block:
                roster_block.append(line)
        out.append(line)
    for n in range(people - 1):
        if roster_block:
            # Another person, as a person filling it in lists one: not the first one again
            # (one name twice is one person listed twice, which check refuses).
            out += ["", *(re.sub(r'^(name = ".*)"$', rf'\1 {n + 2}"', ln) for ln in roster_block)]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("equipment", WITH_QUESTIONS)
def test_template_asks_every_question_with_its_key_left_empty(equipment):
    rs = loader.for_equipment(equipment)
    for lang in ("zh", "en"):
        p = run("template", equipment, "--lang", lang)
        assert p.returncode == 0, p.stderr
        text = p.stdout
        for q in questions.load(rs, equipment):
            assert q.prompt.get(lang) in text
            if q.fact.type == "int":
                assert f"{q.fact.min}–{q.fact.max}" in text
            for c in q.fact.choices:
                assert f'"{c.key}"' in text
        keys = re.findall(r"^# ([a-z_][a-z0-9_]*) =$", text, flags=re.M)
        assert keys, "keys are present, commented out and empty"
        assert not re.search(r"^[a-z_]+ = .", text.split("[institution]")[1], flags=re.M), (
            "no answer is pre-filled"
        )


@pytest.mark.parametrize("how", ["low", "high"])
@pytest.mark.parametrize("equipment", WITH_QUESTIONS)
def test_a_filled_template_checks_without_further_changes(tmp_path, equipment, how):
    rs = loader.for_equipment(equipment)
    template = run("template", equipment).stdout
    empty = write(tmp_path / "empty.toml", template)
    p = run("check", str(empty))
    assert p.returncode == 3, p.stderr  # nothing answered yet: incomplete, never invalid
    filled_text = fill(template, rs, how)
    filled = write(tmp_path / "filled.toml", filled_text)
    p = run("check", str(filled), "--format", "json")
    assert p.returncode in (0, 1, 3), p.stderr
    report = json.loads(p.stdout)
    read = {k for r in rs.rules_for(equipment) for k in rs.rule_facts(r)}
    assert not any(m in read for r in report["rules"] for m in r["missing"]), (
        "every fact a rule reads was filled in"
    )
    schema = json.loads(run("schema", "profile", "--equipment", equipment).stdout)
    assert errors(schema, tomllib.loads(filled_text)) == []


def test_template_for_an_unknown_equipment_suggests_one():
    p = run("template", "pet_cx")
    assert p.returncode == 2 and "pet_ct" in p.stderr


def test_template_does_not_overwrite_a_file(tmp_path):
    target = write(tmp_path / "mine.toml", "answers")
    p = run("template", "pet_ct", "-o", str(target))
    assert p.returncode == 2 and target.read_text() == "answers"
    assert run("template", "pet_ct", "-o", str(target), "--force").returncode == 0
    assert target.read_text("utf-8").startswith("# ")


# --- schema profile ---------------------------------------------------------------------------------


def test_examples_validate_against_the_profile_schema():
    union = json.loads(run("schema", "profile").stdout)
    for ex in examples():
        data = tomllib.loads(ex.read_text("utf-8"))
        assert errors(union, data) == [], ex.name
        one = json.loads(run("schema", "profile", "--equipment", data["equipment"]).stdout)
        assert errors(one, data) == [], ex.name


@pytest.mark.parametrize(
    "bad",
    [
        {"pet_ct": {"ct_slices": 0}},
        {"pet_ct": {"ct_slice": 64}},
        {"institution": {"ownership": "private"}},
        {"institution": {"name": "a\x1bb"}},
        {"institution": {"new_build": "yes"}},
    ],
)
def test_profile_schema_and_loader_refuse_the_same_mistakes(tmp_path, bad):
    import tomli_w

    data = {"schema_version": 1, "equipment": "pet_ct", "institution": {}, **bad}
    schema = json.loads(run("schema", "profile", "--equipment", "pet_ct").stdout)
    assert errors(schema, data)
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    assert run("check", str(path)).returncode == 2
