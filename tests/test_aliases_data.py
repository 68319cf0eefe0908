"""Every wording the questions themselves offer is an answer, to the option it names: the
wordings a help text gives (工程师为中级, 全国领先学科如国家临床重点专科, e.g. neurosurgery), the
examples an option's label gives (中级（主治医师等）), the aliases in interviews/; and the
everyday forms hospitals write (a trailing 的 or 医院, 职称, 医生 for 医师, a department with or
without 科, 人 for patients, years for months). Cases are derived from the question data, so a
question added tomorrow is covered; a few named cases from the issue are checked too."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pytest

from assistant.core.profile.answers import AnswerError, parse
from assistant.core.rules import loader
from assistant.core.rules.model import EQUIPMENT_KEYS
from assistant.interview import questions
from assistant.interview.engine import add_fact


@cache
def all_questions() -> dict[str, questions.Question]:
    out = {}
    for eq in EQUIPMENT_KEYS:
        rs = loader.for_equipment(eq)
        for q in questions.load(rs, eq):
            out[q.key] = q
    return out


@cache
def question_data() -> list[tuple[questions.QuestionData, questions.Question]]:
    qs = all_questions()
    out = []
    for eq in EQUIPMENT_KEYS:
        for path in questions.question_files(eq):
            for qd in questions.read_file(path).questions:
                if qd.fact in qs and (qd, qs[qd.fact]) not in out:
                    out.append((qd, qs[qd.fact]))
    return out


CHOICE = [(qd, q) for qd, q in question_data() if q.fact.type in ("choice", "set")]


def reads(q, text):
    """The option ``text`` gives for question ``q`` (one key), or None when refused."""
    try:
        value = parse(text, q.fact, q.hints)
    except AnswerError:
        return None
    if isinstance(value, list):
        return value[0] if len(value) == 1 else tuple(value)
    return value


def cjk(s: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in s)


# --- what the question data offers --------------------------------------------------------------


def help_cases():
    for qd, q in CHOICE:
        for lang in ("zh", "en"):
            for wording, key in questions.help_wordings(qd.help.get(lang), q.fact, q.hints, lang):
                yield pytest.param(q, wording, key, id=f"{q.key}:{wording}")


@pytest.mark.parametrize("q,wording,key", list(help_cases()))
def test_every_wording_a_help_text_gives_names_the_option_it_names(q, wording, key):
    got = reads(q, wording)
    assert got is not None, f"the help text of {q.key} says {wording!r}; typing it is refused"
    if key is not None:
        assert got == key


def test_the_help_wordings_found_include_the_ones_the_issue_names():
    title = all_questions()["proton.clinical_staff.title"]
    qd = next(d for d, q in CHOICE if q is title)
    found = dict(questions.help_wordings(qd.help.zh, title.fact, title.hints, "zh"))
    assert {"工程师", "高级工程师", "正高级工程师"} <= set(found)


def label_examples():
    """Each option label's parenthesised examples, read here independently of the parser."""
    for _, q in CHOICE:
        for c in q.fact.choices:
            for label in (c.zh, c.en):
                m = re.search(r"[（(](.+)[）)]\s*$", label)
                if not m:
                    continue
                inner = re.sub(r"^(如|例如|e\.g\.)\s*", "", m[1].strip())
                inner = re.sub(r"\s*(等|etc\.?)$", "", inner)
                for word in re.split(r"\s*(?:、|,|，|/|\bor\b|或)\s*", inner):
                    if word:
                        yield pytest.param(q, word, c.key, id=f"{q.key}:{word}")


@pytest.mark.parametrize("q,word,key", list(label_examples()))
def test_every_example_an_option_label_gives_is_that_option(q, word, key):
    assert reads(q, word) == key


def alias_cases():
    for qd, q in CHOICE:
        for key, words in qd.aliases.items():
            for w in words:
                yield pytest.param(q, w, key, id=f"{q.key}:{w}")


@pytest.mark.parametrize("q,word,key", list(alias_cases()))
def test_every_alias_is_its_option(q, word, key):
    assert reads(q, word) == key


def test_lint_finds_no_help_wording_the_parser_refuses():
    for qd, q in CHOICE:
        assert questions.help_problems(qd, q.fact) == [], q.key


# --- everyday forms, as a class --------------------------------------------------------------------


def exact_names():
    """(question, name, option, from a label) for every name an option has in the data:
    labels, their part before a parenthesis, and aliases — when it reads as that option."""
    for qd, q in CHOICE:
        seen = set()
        for c in q.fact.choices:
            for label in (c.zh, c.en):
                for name in (label, re.split(r"[（(]", label)[0].strip()):
                    seen.add((name, c.key, True))
        for key, words in qd.aliases.items():
            seen |= {(w, key, False) for w in words}
        for name, key, labelled in sorted(seen):
            if cjk(name) and reads(q, name) == key:
                yield q, name, key, labelled


NAMES = list(exact_names())
FORMS = [f[:3] for f in NAMES]
DEPARTMENTS = [f for f in NAMES if any(c.zh.endswith("科") for c in f[0].fact.choices)]


@pytest.mark.parametrize("q,name,key", [pytest.param(*f, id=f"{f[0].key}:{f[1]}") for f in FORMS])
def test_a_trailing_de_or_hospital_or_title_word_changes_nothing(q, name, key):
    assert reads(q, name + "的") == key
    if q.key.startswith("institution.") and not name.endswith(("医院", "机构")):
        assert reads(q, name + "医院") == key
    if q.key.endswith(".title") and not name.endswith("职称"):
        assert reads(q, name + "职称") == key


@pytest.mark.parametrize(
    "q,name,key", [pytest.param(*f, id=f"{f[0].key}:{f[1]}") for f in FORMS if "医师" in f[1]]
)
def test_yisheng_for_yishi(q, name, key):
    assert reads(q, name.replace("医师", "医生")) == key


@pytest.mark.parametrize(
    "q,name,key",
    [
        pytest.param(*f[:3], id=f"{f[0].key}:{f[1]}")
        for f in DEPARTMENTS
        if f[3] and f[1].endswith("科") and len(f[1]) >= 3
    ],
)
def test_a_department_label_reads_the_same_without_ke(q, name, key):
    assert reads(q, name[:-1]) == key


@pytest.mark.parametrize(
    "q,name,key",
    [pytest.param(*f[:3], id=f"{f[0].key}:{f[1]}") for f in DEPARTMENTS if not f[1].endswith("科")],
)
def test_a_department_reads_the_same_with_ke(q, name, key):
    got = reads(q, name + "科")
    assert got in (key, None)  # never another department; refused only when 科 makes it ambiguous


# --- units ---------------------------------------------------------------------------------------


def facts_with(unit: str):
    for q in all_questions().values():
        if q.fact.type == "int" and q.fact.unit and q.fact.unit.zh == unit:
            yield pytest.param(q, id=q.key)


@pytest.mark.parametrize("q", list(facts_with("个月")))
def test_a_months_question_takes_years(q):
    for text, months in (
        ("一年", 12),
        ("1年", 12),
        ("两年", 24),
        ("半年", 6),
        ("1年半", 18),
        ("一年零三个月", 15),
    ):
        if q.fact.min <= months <= q.fact.max:
            assert reads(q, text) == months, text


@pytest.mark.parametrize("q", list(facts_with("例")))
def test_ren_is_the_unit_of_a_patient_count(q):
    patients = any(w in q.fact.label.zh for w in ("患者", "病人", "病例"))
    if patients:
        assert reads(q, "4600人") == 4600
        assert reads(q, "4,600 名患者") == 4600
    else:  # examinations or operations: 人 is not their unit, and is refused as such
        assert reads(q, "1200人") is None


def test_everyday_no_and_yes_at_add_another():
    fact = add_fact()
    for word in ("不用了", "不用", "没有了", "不要了", "不需要"):
        assert parse(word, fact) is False, word
    for word in ("要", "需要", "好的", "还有"):
        assert parse(word, fact) is True, word


# --- the cases the issue names ---------------------------------------------------------------------

NAMED = [
    ("proton.clinical_staff.title", "高级工程师", "associate_senior"),
    ("proton.clinical_staff.title", "工程师", "intermediate"),
    ("proton.clinical_staff.title", "正高级工程师", "senior"),
    ("proton.clinical_staff.title", "副高职称", "associate_senior"),
    ("proton.clinical_staff.title", "中级职称", "intermediate"),
    ("proton.clinical_staff.title", "主任医生", "senior"),
    ("proton.clinical_staff.role", "医生", "physician"),
    ("proton.registered_departments", "放疗", "radiotherapy"),
    ("proton.registered_departments", "放疗科", "radiotherapy"),
    ("proton.registered_departments", "影像科", "medical_imaging"),
    ("proton.registered_departments", "普外科", "surgery"),
    ("proton.registered_departments", "心外科", "surgery"),
    ("pet_ct.departments", "心外科", "cardiology"),
    ("institution.ownership", "公立医院", "public"),
    ("institution.grade", "三级甲等医院", "tertiary"),
]


@pytest.mark.parametrize("key,text,value", NAMED, ids=[f"{k}:{t}" for k, t, _ in NAMED])
def test_the_named_cases(key, text, value):
    assert reads(all_questions()[key], text) == value


def test_ambiguous_everyday_forms_stay_refused():
    title = all_questions()["proton.clinical_staff.title"]
    assert reads(title, "高级职称") is None  # 副高 or 正高: the person must say which
    kind = all_questions()["institution.kind"]
    assert reads(kind, "专科医院") is None  # oncology or another specialty
