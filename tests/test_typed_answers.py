"""Issue 9 through the real program: answers typed in a hurry, in the line mode, and what the
saved profile holds afterwards; what ``check``, ``questions`` and ``rules lint`` say.

The chat interview gets the same inputs in test_tui_typing.py; the property at the end says
the chat and the line mode read any text alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import tomllib

import pytest
import tomli_w
from cli_helpers import run_bytes
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.rules import loader
from assistant.interview import questions
from assistant.interview.engine import Interview


def medequip(*args: str, stdin: str = "", cwd=None) -> subprocess.CompletedProcess:
    return run_bytes(*args, input=stdin, cwd=cwd or ROOT, environ={**os.environ, "NO_COLOR": "1"})


def full_pet_ct() -> dict:
    """A public, long-established PET/CT applicant that answers everything well."""
    rs = loader.for_equipment("pet_ct")
    answers = {}
    for q in questions.load(rs, "pet_ct"):
        f = q.fact
        if f.type == "bool":
            answers[q.key] = True
        elif f.type == "int":
            answers[q.key] = min(f.max, 2000)
        elif f.type == "choice":
            answers[q.key] = f.choices[-1].key
        elif f.type == "set":
            answers[q.key] = [c.key for c in f.choices]
        elif f.type == "text":
            answers[q.key] = "测试医院"
    answers.update(
        {
            "institution.new_build": False,
            "institution.ownership": "public",
            "institution.independent_imaging_center": False,
            "pet_ct.ct_slices": 64,
        }
    )
    return answers


def as_profile(answers: dict) -> str:
    doc: dict = {"schema_version": 1, "equipment": "pet_ct", "institution": {}, "pet_ct": {}}
    for key, value in answers.items():
        ns, name = key.split(".", 1)
        doc[ns][name] = value
    return tomli_w.dumps(doc)


def saved(path) -> dict:
    data = tomllib.loads(path.read_text("utf-8"))
    return {f"{ns}.{k}": v for ns in ("institution", "pet_ct") for k, v in data.get(ns, {}).items()}


MISSING = ("pet_ct.nuclear_medicine_years", "pet_ct.spect_experience", "pet_ct.senior_physicians")


def test_ten_at_a_yes_no_question_is_refused_whole_and_nothing_else_is_recorded(tmp_path):
    full = full_pet_ct()
    given_ = {k: v for k, v in full.items() if k not in MISSING}
    path = tmp_path / "p.toml"
    path.write_text(as_profile(given_), "utf-8")
    run = medequip("interview", "--plain", "--resume", str(path), "--lang", "zh", stdin="3\n10\n是\n4\n")
    out = run.stdout.decode()
    asked = [line.split("]>")[0][1:] for line in out.splitlines() if line.startswith("[") and "]> " in line]
    assert asked == [  # then "done" (a last chance to change answers), which ends the input
        "pet_ct.nuclear_medicine_years",
        "pet_ct.spect_experience",
        "pet_ct.spect_experience",  # "10" refused: asked again
        "pet_ct.senior_physicians",
        "done",
    ]
    assert "✗ “10”" in out
    assert saved(path) == {
        **given_,
        "pet_ct.nuclear_medicine_years": 3,
        "pet_ct.spect_experience": True,
        "pet_ct.senior_physicians": 4,
    }
    check = medequip("check", str(path))
    assert run.returncode == check.returncode  # a finished interview exits as check does


def test_every_accepted_answer_is_echoed_as_understood(tmp_path):
    full = full_pet_ct()
    # Two open questions, both able to move their clause: the existing unit's volume （一）
    # and the departments （二）1 (a set answered "none").
    given_ = {
        k: v for k, v in full.items() if k not in ("pet_ct.existing_annual_volume", "pet_ct.departments")
    }
    given_["pet_ct.has_existing_pet_ct"] = True
    path = tmp_path / "p.toml"
    path.write_text(as_profile(given_), "utf-8")
    run = medequip("interview", "--plain", "--resume", str(path), "--lang", "zh", stdin="一千二\nn\n")
    out = run.stdout.decode()
    assert "→ 无" in out
    assert "→ 1,200 例" in out
    assert saved(path)["pet_ct.departments"] == []
    assert saved(path)["pet_ct.existing_annual_volume"] == 1200


@pytest.mark.parametrize(
    "answers,code",
    [
        ({}, 0),  # everything met
        ({"pet_ct.senior_physicians": "0"}, 1),  # (三)1 not met
    ],
)
def test_a_finished_interview_exits_0_or_1_like_check(tmp_path, answers, code):
    full = full_pet_ct()
    given_ = {k: v for k, v in full.items() if k != "pet_ct.senior_physicians"}
    path = tmp_path / "p.toml"
    path.write_text(as_profile(given_), "utf-8")
    run = medequip(
        "interview",
        "--plain",
        "--resume",
        str(path),
        stdin=answers.get("pet_ct.senior_physicians", "10") + "\n",
    )
    assert run.returncode == code
    assert medequip("check", str(path)).returncode == code


def test_check_refuses_a_part_larger_than_its_whole_naming_both(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        'schema_version = 1\nequipment = "proton"\n[institution]\n[proton]\n'
        "base_instructing_physicians = 3\nbase_instructing_chief_physicians = 5\n",
        "utf-8",
    )
    run = medequip("check", str(path))
    assert run.returncode == 2
    err = run.stderr.decode()
    assert "proton.base_instructing_chief_physicians" in err and "proton.base_instructing_physicians" in err
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_rules_lint_checks_at_most_references(tmp_path):
    text = (ROOT / "rulesets" / "proton-2022.toml").read_text("utf-8")
    bad = text.replace('at_most = "proton.base_physicists"', 'at_most = "proton.base_physicist"')
    assert bad != text
    path = tmp_path / "rules.toml"
    path.write_text(bad, "utf-8")
    run = medequip("rules", "lint", str(path), "--lang", "en")
    assert run.returncode == 1
    assert "proton.base_researcher_physicists" in run.stdout.decode() + run.stderr.decode()
    assert "proton.base_physicist" in run.stdout.decode() + run.stderr.decode()


def test_questions_json_lists_every_prompt_a_script_can_meet():
    run = medequip("questions", "proton", "--format", "json", "--lang", "en")
    items = json.loads(run.stdout)
    keys = {it["prompt_key"] for it in items}
    assert "proton.clinical_staff.add" in keys
    assert "proton.clinical_staff[i].role" in keys
    assert "proton.clinical_staff[i].title" in keys
    add = next(it for it in items if it["prompt_key"] == "proton.clinical_staff.add")
    assert add["type"] == "bool" and add["prompt"] and add["prompt_again"]
    grade = next(
        it
        for it in json.loads(medequip("questions", "pet_ct", "--format", "json").stdout)
        if it["fact"] == "institution.grade"
    )
    assert {c["key"]: c["number"] for c in grade["choices"]}["tertiary"] == 3
    assert "三甲" in next(c for c in grade["choices"] if c["key"] == "tertiary")["aliases"]


# --- the chat and the line mode read any text alike -------------------------------------------


def _steps():
    out = []
    for eq in ("pet_ct", "proton"):
        rs = loader.for_equipment(eq)
        iv = Interview(rs, eq, questions.load(rs, eq))
        from assistant.interview.engine import Step

        for q in iv.questions:
            if q.fact.type != "roster":
                out.append((iv, Step(q.key, q, q.fact)))
    return out


STEPS = _steps()
TYPED = st.one_of(
    st.text(max_size=12),
    st.text(alphabet="0123456789 ,，、和是否有没无一二两三千万百十零.-约yYnN", max_size=8),
    st.sampled_from(
        ["10", "1 3", "128 slices", "是否", "三甲", "n", "no", "全部", "一千二", "1.2万", "返回"]
    ),
)


@given(st.sampled_from(STEPS), TYPED)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_chat_and_the_line_mode_read_any_text_alike(pair, text):
    from assistant.cli import plain
    from assistant.tui.screens.chat import ChatScreen

    iv, step = pair
    line = plain.reading_of(iv, step, text)
    chat = ChatScreen.reading_of(iv, step, text)
    assert line == chat
