"""Answers an edit makes irrelevant are set aside in the profile (``[set_aside]``), never
evaluated, listed by ``check`` as kept and not used, and put back, without asking, when the
answer that set them aside is changed back: in the same session or any later one.

The round trip runs the real line mode in separate processes (answer, edit, quit,
``--resume``, change back), and reads the file between the steps.
"""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest
from cli_helpers import EXAMPLES, drive_prompts, run
from jsonschema_check import errors, shipped

from assistant.core.profile.document import Profile, ProfileError, dumps, load
from assistant.core.rules import loader
from assistant.interview import questions
from assistant.interview.engine import resume
from assistant.reports.schema import profile_schema

PROTON = EXAMPLES / "proton_existing_tertiary.toml"
# The new-build half of 一、（三） and 一、（六）1 does not read these; an existing institution's does.
EXISTING_ONLY = {
    "imrt_years": 15,
    "annual_tumour_patients": 38000,
    "igrt_years": 7,
    "annual_rt_patients": 4600,
}


def answering(steps: list[tuple[str, str]]):
    """Answer the listed prompts in order; Enter at ``done``; anything else is a failure
    (the round trip must not be asked anything it was not told to expect)."""
    queue = list(steps)
    asked_other: list[str] = []

    def answer(key: str, text: str) -> str:
        if queue and queue[0][0] == key:
            return queue.pop(0)[1]
        if key == "done":
            return ""
        asked_other.append(key)
        return "跳过"

    answer.queue = queue  # type: ignore[attr-defined]
    answer.other = asked_other  # type: ignore[attr-defined]
    return answer


def interview(path, steps, lang="zh"):
    answer = answering(steps)
    proc, asked, out = drive_prompts(["--plain", "--resume", str(path), "--lang", lang], answer, path.parent)
    assert not answer.queue, out[-3000:]
    assert not answer.other, (answer.other, out[-3000:])
    return proc.returncode, asked, out


def test_set_aside_round_trip_across_processes(tmp_path):
    path = tmp_path / "proton.toml"
    shutil.copy(PROTON, path)

    # 1. Change 新建医疗机构 to 是: four answers of the existing-institution half are set aside.
    code, asked, out = interview(
        path, [("done", "修改 institution.new_build"), ("edit institution.new_build", "是")]
    )
    assert "4 个回答现在用不到" in out
    saved = tomllib.loads(path.read_text("utf-8"))
    assert saved["institution"]["new_build"] is True
    for key, value in EXISTING_ONLY.items():
        assert key not in saved["proton"], key
        assert saved["set_aside"][f"proton.{key}"] == value
    # The person's comments at the top of the file are still there.
    assert path.read_text("utf-8").startswith("# An existing public tertiary general hospital")
    # It quit on the finished state: the exit code is check's on the same file.
    checked = run("check", str(path), "--lang", "zh")
    assert code == checked.returncode

    # 2. check lists them as kept and not used, in every format that lists answers.
    assert "保留未用的回答" in checked.stdout
    assert "年收治肿瘤患者数：38,000 例" in checked.stdout.split("保留未用的回答")[1]
    report = json.loads(run("check", str(path), "--format", "json").stdout)
    assert {c["fact"]: c["value"] for c in report["set_aside"]} == {
        f"proton.{k}": v for k, v in EXISTING_ONLY.items()
    }
    assert errors(shipped("report"), report) == []
    assert "Kept, not used" in run("check", str(path), "--format", "markdown", "--lang", "en").stdout
    assert 'class="set-aside"' in run("check", str(path), "--format", "html").stdout
    # Never evaluated: a rule that reads one of those facts sees it unanswered.
    for rule in report["rules"]:
        for claim in rule["claims"]:
            if claim["fact"].split(".", 1)[1] in EXISTING_ONLY:
                assert claim["value"] is None, (rule["id"], claim)

    # 3. A new process: change it back. The four come back and are not asked again.
    code, asked, out = interview(
        path, [("done", "修改 institution.new_build"), ("edit institution.new_build", "否")]
    )
    assert not any(k.endswith(tuple(EXISTING_ONLY)) for k in asked), asked
    saved = tomllib.loads(path.read_text("utf-8"))
    assert saved["institution"]["new_build"] is False
    for key, value in EXISTING_ONLY.items():
        assert saved["proton"][key] == value
        assert f"proton.{key}" not in saved.get("set_aside", {})
    assert code == run("check", str(path)).returncode == 0


def plain_answer(key: str, text: str) -> str:
    """A plausible answer to any prompt, read off the prompt's own hint line."""
    hint = text.rsplit("\n", 2)[-2] if text.count("\n") >= 2 else ""
    if key == "institution.name":
        return "甲医院"
    if key in ("institution.new_build", "institution.independent_imaging_center"):
        return "否"  # an existing hospital: ownership is asked
    if "是 / 否" in hint:
        return "是"
    if "可多选" in hint:
        return "全部"
    if "1." in hint:
        return "1"
    if "–" in hint:
        return "5"
    return "跳过"


def test_answers_typed_then_set_aside_come_back_in_a_later_session(tmp_path):
    """The same from a profile the interview itself wrote: answer everything as a public
    hospital, change to non-public at the end (answers set aside), quit; a new process
    changes it back: they return, and none is asked again."""
    path = tmp_path / "p.toml"
    state = {"edited": False}

    def first(key, text):
        if key == "done" and not state["edited"]:
            state["edited"] = True
            return "修改 institution.ownership"
        if key == "edit institution.ownership":
            return "2"
        return "" if key == "done" else plain_answer(key, text)

    proc, asked, out = drive_prompts(
        ["--plain", "--equipment", "pet_ct", "--lang", "zh", "-o", str(path)], first, tmp_path
    )
    assert proc.returncode in (0, 1, 3), out[-2000:]
    saved = tomllib.loads(path.read_text("utf-8"))
    assert saved["institution"]["ownership"] == "non_public"
    aside = saved.get("set_aside", {})
    assert aside, "a non-public institution is waived some clauses: their answers are set aside"
    before = {k: v for k, v in aside.items()}

    state2 = {"edited": False, "after": []}

    def second(key, text):
        if not state2["edited"]:
            state2["edited"] = True
            return "修改 institution.ownership"
        if key == "edit institution.ownership":
            return "1"
        state2["after"].append(key)
        return "" if key == "done" else plain_answer(key, text)

    proc, asked, out = drive_prompts(["--plain", "--resume", str(path), "--lang", "zh"], second, tmp_path)
    assert not set(state2["after"]) & set(before), out[-2000:]
    saved = tomllib.loads(path.read_text("utf-8"))
    assert saved["institution"]["ownership"] == "public"
    for key, value in before.items():
        ns, name = key.split(".", 1)
        assert saved[ns][name] == value, key
    assert not set(saved.get("set_aside", {})) & set(before)


# --- the profile's [set_aside] table -------------------------------------------------------------

HEAD = 'schema_version = 1\nequipment = "proton"\n\n[institution]\nname = "x"\n'
PERSON = '\n[[proton.clinical_staff]]\nname = "甲"\nrole = "physicist"\n'


def loaded(text: str) -> Profile:
    return load(text.encode("utf-8"), "p.toml")[0]


def test_set_aside_loads_and_is_never_evaluated():
    p = loaded(
        HEAD
        + PERSON
        + '\n[set_aside]\n"proton.imrt_years" = 15\n"proton.clinical_staff[0].work_years" = 12\n'
    )
    assert p.set_aside == {"proton.imrt_years": 15, "proton.clinical_staff[0].work_years": 12}
    assert "proton.imrt_years" not in p.answers
    assert "work_years" not in p.answers["proton.clinical_staff"][0]


@pytest.mark.parametrize(
    "table,line,says",
    [
        ('"proton.no_such_fact" = 1', 8, "unknown key"),
        ('"pet_ct.senior_physicians" = 3', 8, "unknown key"),  # another equipment's fact
        ('"proton.imrt_years" = "ten"', 8, "expected a whole number"),
        ('"proton.imrt_years" = 15000', 8, "out of range"),
        ('"proton.clinical_staff[0].no_field" = 1', 8, "unknown key"),
        ('"proton.clinical_staff[0].work_years" = -1', 8, "out of range"),
    ],
)
def test_a_bad_set_aside_entry_is_one_clear_message_with_its_line(table, line, says):
    text = HEAD + "\n[set_aside]\n" + table + "\n"
    with pytest.raises(ProfileError) as e:
        loaded(text)
    assert says in str(e.value)
    assert e.value.line == line
    assert "set_aside" in str(e.value)


def test_a_set_aside_entry_the_answers_make_moot_is_passed_over():
    """What JSON Schema cannot say (the schema describes it): a fact both answered and set
    aside keeps its answer; a person the roster does not list has nothing to come back to."""
    p = loaded(
        HEAD
        + PERSON
        + '\n[set_aside]\n"institution.name" = "y"\n"proton.clinical_staff[3].work_years" = 12\n'
        + '"proton.clinical_staff[0].name" = "乙"\n"proton.imrt_years" = 15\n'
    )
    assert p.answers["institution.name"] == "x"
    assert p.set_aside == {"proton.imrt_years": 15}


def test_set_aside_written_from_scratch_reads_back_with_a_note_in_the_language():
    rs = loader.for_equipment("proton")
    profile = Profile(
        "proton",
        {"institution.name": "x", "proton.clinical_staff": [{"role": "physician", "name": "甲"}]},
        rs.edition,
        set_aside={"proton.imrt_years": 15, "proton.clinical_staff[0].work_years": 3},
    )
    for lang, note in (("zh", "暂时用不到的回答"), ("en", "Answers set aside")):
        text = dumps(profile, rs.facts, lang)
        assert note in text
        assert text.startswith("# medequip 档案" if lang == "zh" else "# medequip profile")
        assert loaded(text).set_aside == profile.set_aside


def test_the_profile_schema_describes_set_aside():
    schema = profile_schema("proton")
    ok = {
        "schema_version": 1,
        "equipment": "proton",
        "institution": {},
        "proton": {"clinical_staff": [{"role": "physician"}]},
        "set_aside": {"proton.imrt_years": 15, "proton.clinical_staff[0].work_years": 3},
    }
    assert errors(schema, ok) == []
    for bad in ({"proton.no_such": 1}, {"proton.imrt_years": "x"}, {"proton.clinical_staff[0].nope": 1}):
        assert errors(schema, {**ok, "set_aside": bad}), bad
    # What the schema accepts, the loader accepts.
    import tomli_w

    assert loaded(tomli_w.dumps(ok)).set_aside == ok["set_aside"]


def test_the_template_mentions_set_aside_in_both_languages():
    for lang in ("zh", "en"):
        out = run("template", "proton", "--lang", lang).stdout
        assert "[set_aside]" in out


# --- in the engine ------------------------------------------------------------------------------


def test_resume_with_set_aside_answers_puts_them_back_when_their_question_matters_again():
    p, rs = load(PROTON.read_bytes(), PROTON.name)
    qs = questions.load(rs, "proton")
    given = {k: v for k, v in p.answers.items() if k.split(".", 1)[1] not in EXISTING_ONLY}
    given["institution.new_build"] = True
    kept = {f"proton.{k}": v for k, v in EXISTING_ONLY.items()}
    iv = resume(rs, "proton", qs, given, kept)
    assert iv.kept == kept  # a new build does not need them: kept, unused
    iv.edit("institution.new_build", "否")
    # Back in use; what is set aside now is what only the new-build half read.
    assert not set(iv.kept) & set(kept)
    assert all(given[k] == v for k, v in iv.kept.items())
    for key, value in EXISTING_ONLY.items():
        assert iv.answers[f"proton.{key}"] == value
    assert iv.next() is None  # nothing asked again


def test_a_hand_edit_that_makes_a_set_aside_answer_relevant_restores_it_on_resume():
    p, rs = load(PROTON.read_bytes(), PROTON.name)
    qs = questions.load(rs, "proton")
    given = {k: v for k, v in p.answers.items() if k.split(".", 1)[1] not in EXISTING_ONLY}
    iv = resume(rs, "proton", qs, given, {f"proton.{k}": v for k, v in EXISTING_ONLY.items()})
    assert iv.kept == {}
    assert all(iv.answers[f"proton.{k}"] == v for k, v in EXISTING_ONLY.items())
