"""A profile a person edited keeps their comments, order and formatting through every command
that writes it back: ``interview --resume``, ``interview --answers F -o F``, and the library's
``profile_edit.update``. New answers land where the template asked their question."""

from __future__ import annotations

import difflib
import json
import re
import tomllib

import pytest
from cli_helpers import run

NOTE = "# 自己的笔记：人员名单 3 月前由院办确认（王主任）"


def _filled_template(tmp_path, lang: str):
    """A template filled in by hand: a name with an inline comment, one answer, own notes."""
    text = run("template", "pet_ct", "--lang", lang).stdout
    assert text.count("\n# name =\n") == 1
    text = text.replace("\n# name =\n", '\nname = "明德医院"  # 院长签字的全称\n', 1)
    text = text.replace("\n# new_build =\n", "\nnew_build = false\n", 1)
    text = text.replace("[institution]\n", f"[institution]\n{NOTE}\n", 1)
    path = tmp_path / "mine.toml"
    path.write_text(text, "utf-8")
    return path, text


# Typed answers that suit any question: "1" picks the first choice, is a whole number and a
# text; "y" answers yes. A line that does not fit is refused and the next one is tried.
ANSWERS = "1\ny\n" * 4


def _new_keys(before: str, after: str) -> list[str]:
    """Keys (outside rosters) answered in ``after`` that ``before`` left open."""
    old, new = tomllib.loads(before), tomllib.loads(after)
    out = []
    for ns in ("institution", "pet_ct"):
        for k, v in new.get(ns, {}).items():
            roster = isinstance(v, list) and v and isinstance(v[0], dict)
            if k not in old.get(ns, {}) and not roster:
                out.append(k)
    return out


def _only_placeholders_replaced(before: str, after: str, keys: list[str]) -> None:
    """Every line of ``before`` is in ``after`` byte for byte, except the placeholders of the
    answered keys, each replaced in place by its key = value."""
    a, b = before.split("\n"), after.split("\n")
    replaced = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        assert op == "replace" and i2 - i1 == j2 - j1, (op, a[i1:i2], b[j1:j2])
        for old, new in zip(a[i1:i2], b[j1:j2], strict=True):
            m = re.fullmatch(r"# (\w+) =", old)
            assert m and new.startswith(f"{m.group(1)} = "), (old, new)
            replaced.append(m.group(1))
    assert sorted(replaced) == sorted(keys)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_resuming_a_hand_commented_template_keeps_every_comment_line(tmp_path, lang):
    path, before = _filled_template(tmp_path, lang)
    r = run("interview", "--plain", "--resume", str(path), "--lang", lang, input=ANSWERS)
    assert r.returncode in (0, 1, 3), r.stderr
    after = path.read_text("utf-8")
    keys = _new_keys(before, after)
    assert len(keys) >= 3
    _only_placeholders_replaced(before, after, keys)
    comments = [ln for ln in before.split("\n") if ln.startswith("#") and not re.fullmatch(r"# \w+ =", ln)]
    assert comments == [
        ln for ln in after.split("\n") if ln.startswith("#") and not re.fullmatch(r"# \w+ =", ln)
    ]
    assert NOTE in after and 'name = "明德医院"  # 院长签字的全称' in after
    assert before.count("\n#") - len(keys) == after.count("\n#")


def test_answers_written_onto_the_same_file_keep_its_comments(tmp_path):
    path, before = _filled_template(tmp_path, "zh")
    r = run("interview", "--plain", "--answers", str(path), "-o", str(path), "--lang", "zh", input=ANSWERS)
    assert r.returncode in (0, 1, 3), r.stderr
    after = path.read_text("utf-8")
    keys = _new_keys(before, after)
    assert len(keys) >= 3
    _only_placeholders_replaced(before, after, keys)


def test_a_resumed_file_still_checks_with_the_same_answers(tmp_path):
    path, _ = _filled_template(tmp_path, "en")
    run("interview", "--plain", "--resume", str(path), input=ANSWERS)
    report = json.loads(run("check", str(path), "--format", "json", "--exit-zero").stdout)
    assert report["institution"] == "明德医院"


# --- the editor itself --------------------------------------------------------------------------


def test_update_changes_a_value_in_place_and_keeps_its_inline_comment():
    from assistant.core.profile.edit import update

    text = (
        'schema_version = 1\nequipment = "pet_ct"\n\n[institution]\n# who we are\nname = "A"  # legal name\n'
    )
    data = {"schema_version": 1, "equipment": "pet_ct", "institution": {"name": "B"}}
    assert update(text, data) == text.replace('"A"', '"B"')


def test_update_removes_an_answer_taken_back_and_adds_one_with_no_placeholder():
    from assistant.core.profile.edit import update

    text = 'schema_version = 1\nequipment = "pet_ct"\n\n[institution]\nname = "A"\nnew_build = true\n# end note\n'
    data = {"schema_version": 1, "equipment": "pet_ct", "institution": {"name": "A", "ownership": "public"}}
    out = update(text, data)
    assert "new_build" not in out
    assert "# end note" in out and 'ownership = "public"' in out
    import tomllib

    assert tomllib.loads(out)["institution"] == {"name": "A", "ownership": "public"}


def test_update_edits_roster_people_one_by_one():
    from assistant.core.profile.edit import update

    text = (
        'schema_version = 1\nequipment = "proton"\n\n[institution]\n\n'
        '[[proton.staff]]\n# 第一位\nrole = "physicist"\nyears = 3\n\n'
        '[[proton.staff]]\n# 第二位：待补证书\nrole = "physician"\n'
    )
    people = [{"role": "physicist", "years": 4}, {"role": "physician"}]
    out = update(
        text, {"schema_version": 1, "equipment": "proton", "institution": {}, "proton": {"staff": people}}
    )
    assert "# 第一位" in out and "# 第二位：待补证书" in out and "years = 4" in out


# --- property: whatever is answered, the file says exactly that and keeps every comment ---------


def _flat_facts():
    from assistant.core.rules import loader

    rs = loader.for_equipment("pet_ct")
    return rs, {
        k: f
        for k, f in rs.facts.items()
        if f.type in ("bool", "int", "choice", "set", "text") and k.split(".")[0] in ("institution", "pet_ct")
    }


def _value(fact):
    from hypothesis import strategies as st

    if fact.type == "bool":
        return st.booleans()
    if fact.type == "int":
        return st.integers(fact.min, fact.max)
    keys = [c.key for c in fact.choices]
    if fact.type == "choice":
        return st.sampled_from(keys)
    if fact.type == "set":
        return st.lists(st.sampled_from(keys), unique=True)
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30)


def _answers():
    from hypothesis import strategies as st

    _, facts = _flat_facts()
    return st.fixed_dictionaries({}, optional={k: _value(f) for k, f in facts.items()})


@pytest.fixture(scope="module")
def template_zh():
    return run("template", "pet_ct", "--lang", "zh").stdout


def test_any_answers_saved_twice_into_a_template_read_back_exactly_and_keep_its_comments(template_zh):
    from hypothesis import HealthCheck, given, settings

    from assistant.core.profile.document import Profile, to_data
    from assistant.core.profile.edit import update

    rs, _ = _flat_facts()
    comments = [
        ln for ln in template_zh.split("\n") if ln.startswith("#") and not re.fullmatch(r"# \w+ =", ln)
    ]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_answers(), _answers())
    def check(first, second):
        text = template_zh
        for answers in (first, second):
            data = to_data(Profile("pet_ct", answers, rs.edition), rs.facts)
            text = update(text, data)
            got = tomllib.loads(text)
            for ns in ("institution", "pet_ct"):
                want = {k.split(".", 1)[1]: v for k, v in answers.items() if k.startswith(ns + ".")}
                assert got.get(ns, {}) == want
        kept = [ln for ln in text.split("\n") if ln.startswith("#") and not re.fullmatch(r"# \w+ =", ln)]
        assert kept == comments

    check()
