"""Answers as people type them: the one parser behind the TUI, the line mode and --answers.

The table below was written from how people answer these questions in a hurry, with a
Chinese input method or in English, and the value each answer must give; it is not read off
the parser. The property tests compare the parser with cn2an, an independent reader of
Chinese numerals, over every int fact's range.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import cn2an
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.profile.answers import NO, NONE_WORDS, YES, AnswerError, Hints, names, parse
from assistant.core.rules import loader
from assistant.core.rules.model import EQUIPMENT_KEYS, Fact
from assistant.core.text.numerals import NUMBER_CHARS
from assistant.interview import questions

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def _questions() -> dict[str, questions.Question]:
    out = {}
    for eq in EQUIPMENT_KEYS:
        rs = loader.for_equipment(eq)
        for q in questions.load(rs, eq):
            out[q.key] = q
    return out


def ask(key: str, text: str):
    q = _questions()[key]
    return parse(text, q.fact, q.hints)


DESIGNATIONS = ["national_medical_center", "national_regional_center", "provincial_medical_center"]
ALL_DESIGNATIONS = [*DESIGNATIONS, "provincial_regional_center"]

TYPED = [
    # counts of examinations, as written on a statistics sheet or said aloud
    ("pet_ct.existing_annual_volume", "1200", 1200),
    ("pet_ct.existing_annual_volume", "1,200", 1200),
    ("pet_ct.existing_annual_volume", "1，200", 1200),
    ("pet_ct.existing_annual_volume", "１２００", 1200),
    ("pet_ct.existing_annual_volume", "１，２００例", 1200),
    ("pet_ct.existing_annual_volume", "1200例", 1200),
    ("pet_ct.existing_annual_volume", "1200 例", 1200),
    ("pet_ct.existing_annual_volume", "一千二百", 1200),
    ("pet_ct.existing_annual_volume", "一千二", 1200),
    ("pet_ct.existing_annual_volume", "一千二百例", 1200),
    ("pet_ct.existing_annual_volume", "一二零零", 1200),
    ("pet_ct.existing_annual_volume", "一二〇〇", 1200),
    ("pet_ct.existing_annual_volume", "1.2千", 1200),
    ("pet_ct.existing_annual_volume", "两千五", 2500),
    ("pet_ct.existing_annual_volume", "2500例", 2500),
    ("pet_ct.existing_annual_volume", "二千五百", 2500),
    ("pet_ct.existing_annual_volume", "一万五", 15000),
    ("pet_ct.existing_annual_volume", "1.5万", 15000),
    ("pet_ct.existing_annual_volume", "1万5", 15000),
    ("pet_ct.existing_annual_volume", "1万5千", 15000),
    ("pet_ct.existing_annual_volume", "15,000", 15000),
    ("pet_ct.existing_annual_volume", "1万", 10000),
    ("pet_ct.existing_annual_volume", "一万", 10000),
    ("pet_ct.existing_annual_volume", "1.2万", 12000),
    ("pet_ct.existing_annual_volume", "1.2万例", 12000),
    ("pet_ct.existing_annual_volume", "1万2500", 12500),
    ("pet_ct.existing_annual_volume", "3千", 3000),
    ("pet_ct.existing_annual_volume", "２千", 2000),
    ("pet_ct.existing_annual_volume", "三千零五", 3005),
    ("pet_ct.existing_annual_volume", "三千零五十", 3050),
    ("pet_ct.existing_annual_volume", "一千零一", 1001),
    ("pet_ct.existing_annual_volume", "一百万", 1000000),
    ("pet_ct.existing_annual_volume", "1,000,000", 1000000),
    ("pet_ct.existing_annual_volume", "零", 0),
    ("pet_ct.existing_annual_volume", "〇", 0),
    ("pet_ct.existing_annual_volume", "0例", 0),
    ("pet_ct.existing_annual_volume", "壹仟贰佰", 1200),
    ("pet_ct.existing_annual_volume", "共1200例", 1200),
    ("pet_ct.existing_annual_volume", "1200 examinations", 1200),
    ("pet_ct.existing_annual_volume", "1200 exams", 1200),
    ("pet_ct.existing_annual_volume", "1200。", 1200),
    ("pet_ct.existing_annual_volume", " 1200 ", 1200),
    ("pet_ct.existing_annual_volume", "1 200", 1200),
    ("pet_ct.existing_annual_volume", "十二万", 120000),
    ("pet_ct.existing_annual_volume", "十万五", 105000),
    # years
    ("pet_ct.nuclear_medicine_years", "3", 3),
    ("pet_ct.nuclear_medicine_years", "三", 3),
    ("pet_ct.nuclear_medicine_years", "三年", 3),
    ("pet_ct.nuclear_medicine_years", "3年", 3),
    ("pet_ct.nuclear_medicine_years", "3 年", 3),
    ("pet_ct.nuclear_medicine_years", "十五", 15),
    ("pet_ct.nuclear_medicine_years", "十五年", 15),
    ("pet_ct.nuclear_medicine_years", "二十", 20),
    ("pet_ct.nuclear_medicine_years", "二十五年", 25),
    ("pet_ct.nuclear_medicine_years", "12 years", 12),
    ("pet_ct.nuclear_medicine_years", "1 year", 1),
    ("pet_ct.nuclear_medicine_years", "３０年", 30),
    ("pet_ct.nuclear_medicine_years", "一百", 100),
    # people
    ("pet_ct.senior_physicians", "5", 5),
    ("pet_ct.senior_physicians", "5名", 5),
    ("pet_ct.senior_physicians", "5人", 5),
    ("pet_ct.senior_physicians", "五个", 5),
    ("pet_ct.senior_physicians", "五位", 5),
    ("pet_ct.senior_physicians", "两名", 2),
    ("pet_ct.senior_physicians", "两个人", 2),
    ("pet_ct.senior_physicians", "3 people", 3),
    ("pet_ct.senior_physicians", "零", 0),
    ("laparoscopic_robot.clinicians", "12人", 12),
    # other units
    ("pet_ct.ct_slices", "128", 128),
    ("pet_ct.ct_slices", "128排", 128),
    ("pet_ct.ct_slices", "128 slices", 128),
    ("pet_ct.ct_slices", "64层", 64),
    ("pet_ct.ct_slices", "一百二十八排", 128),
    ("pet_mr.mr_3t_units", "2台", 2),
    ("laparoscopic_robot.annual_laparoscopic_operations", "800台", 800),
    ("laparoscopic_robot.annual_laparoscopic_operations", "800台次", 800),
    ("proton.clinical_staff.domestic_training_months", "6个月", 6),
    ("proton.clinical_staff.domestic_training_months", "六个月", 6),
    ("proton.base_ward_beds", "30张", 30),
    ("proton.base_ward_beds", "30张床", 30),
    ("proton.annual_tumour_patients", "一千万", 10000000),
    # yes / no
    ("pet_ct.spect_experience", "是", True),
    ("pet_ct.spect_experience", "否", False),
    ("pet_ct.spect_experience", "是的", True),
    ("pet_ct.spect_experience", "不是", False),
    ("pet_ct.spect_experience", "有", True),
    ("pet_ct.spect_experience", "有的", True),
    ("pet_ct.spect_experience", "没有", False),
    ("pet_ct.spect_experience", "没有的", False),
    ("pet_ct.spect_experience", "没", False),
    ("pet_ct.spect_experience", "对", True),
    ("pet_ct.spect_experience", "对的", True),
    ("pet_ct.spect_experience", "不对", False),
    ("pet_ct.spect_experience", "无", False),
    ("pet_ct.spect_experience", "y", True),
    ("pet_ct.spect_experience", "Y", True),
    ("pet_ct.spect_experience", "n", False),
    ("pet_ct.spect_experience", "yes", True),
    ("pet_ct.spect_experience", "Yes", True),
    ("pet_ct.spect_experience", "NO", False),
    ("pet_ct.spect_experience", "ｙｅｓ", True),
    ("pet_ct.spect_experience", "是的。", True),
    ("pet_ct.spect_experience", "有的呀", True),
    ("institution.new_build", "不是", False),
    # choices
    ("institution.ownership", "公立", "public"),
    ("institution.ownership", "公立医院", "public"),
    ("institution.ownership", "非公立", "non_public"),
    ("institution.ownership", "民营", "non_public"),
    ("institution.ownership", "私立", "non_public"),
    ("institution.ownership", "社会办", "non_public"),
    ("institution.ownership", "1", "public"),
    ("institution.ownership", "２", "non_public"),
    ("institution.ownership", "public", "public"),
    ("institution.ownership", "Non-public institution", "non_public"),
    ("institution.grade", "三级", "tertiary"),
    ("institution.grade", "三甲", "tertiary"),
    ("institution.grade", "三级甲等", "tertiary"),
    ("institution.grade", "三级乙等", "tertiary"),
    ("institution.grade", "3", "tertiary"),
    ("institution.grade", "3级", "tertiary"),
    ("institution.grade", "二甲", "secondary"),
    ("institution.grade", "二级", "secondary"),
    ("institution.grade", "2", "secondary"),
    ("institution.grade", "一级", "primary"),
    ("institution.grade", "0", "ungraded"),
    ("institution.grade", "未定级", "ungraded"),
    ("institution.grade", "Grade 3 (tertiary)", "tertiary"),
    ("institution.kind", "综合", "general"),
    ("institution.kind", "综合医院", "general"),
    ("institution.kind", "肿瘤医院", "oncology_specialty"),
    ("institution.kind", "诊所", "other"),
    ("pet_ct.nuclear_medicine_standing", "省重点", "provincial_key"),
    ("pet_ct.nuclear_medicine_standing", "市级重点学科", "municipal_key"),
    ("proton.clinical_staff.title", "主任医师", "senior"),
    ("proton.clinical_staff.title", "副主任医师", "associate_senior"),
    ("proton.clinical_staff.title", "主治医师", "intermediate"),
    ("proton.clinical_staff.title", "副高", "associate_senior"),
    ("proton.clinical_staff.role", "物理师", "physicist"),
    ("proton.clinical_staff.role", "医师", "physician"),
    # sets
    ("institution.designations", "无", []),
    ("institution.designations", "没有", []),
    ("institution.designations", "都没有", []),
    ("institution.designations", "否", []),
    ("institution.designations", "no", []),
    ("institution.designations", "none", []),
    ("institution.designations", "n", []),
    ("institution.designations", "None", []),
    ("institution.designations", "1 3", ["national_medical_center", "provincial_medical_center"]),
    ("institution.designations", "1、3", ["national_medical_center", "provincial_medical_center"]),
    ("institution.designations", "3，1", ["national_medical_center", "provincial_medical_center"]),
    ("institution.designations", "1;3", ["national_medical_center", "provincial_medical_center"]),
    ("institution.designations", "1/3", ["national_medical_center", "provincial_medical_center"]),
    ("institution.designations", "1和3", ["national_medical_center", "provincial_medical_center"]),
    ("institution.designations", "1, 2, 3", DESIGNATIONS),
    ("institution.designations", "全部", ALL_DESIGNATIONS),
    ("institution.designations", "都有", ALL_DESIGNATIONS),
    ("institution.designations", "all", ALL_DESIGNATIONS),
    ("institution.designations", "国家医学中心", ["national_medical_center"]),
    (
        "institution.designations",
        "国家医学中心和省级医学中心",
        ["national_medical_center", "provincial_medical_center"],
    ),
    ("institution.designations", "National medical centre", ["national_medical_center"]),
    ("pet_ct.departments", "核医学科和肿瘤科", ["nuclear_medicine", "oncology"]),
    ("pet_ct.departments", "核医学科、肿瘤科", ["nuclear_medicine", "oncology"]),
    ("pet_ct.departments", "核医学科及肿瘤科与影像科", ["nuclear_medicine", "oncology", "imaging"]),
    ("pet_ct.departments", "核医学 肿瘤 放疗", ["nuclear_medicine", "oncology", "radiotherapy"]),
    ("pet_ct.departments", "肿瘤科，核医学科", ["nuclear_medicine", "oncology"]),
    (
        "pet_ct.departments",
        "1 2 3 4 5 6",
        ["nuclear_medicine", "oncology", "imaging", "cardiology", "neurology", "radiotherapy"],
    ),
    ("proton.imaging_equipment", "MRI和CT", ["mri", "ct"]),
    ("proton.imaging_equipment", "核磁、CT", ["mri", "ct"]),
    ("proton.rt_equipment", "配套完整的质量保证和质量控制设备", ["qa_qc_equipment"]),
    ("proton.rt_equipment", "4D-CT 模拟定位机、TPS", ["ct_4d_simulator", "inverse_tps"]),
    ("laparoscopic_robot.imaging_systems", "CT MR PACS", ["ct", "mr", "pacs"]),
    # commands are not answers: "不知道" is a skip, never "no"
    ("pet_ct.spect_experience", "不知道", None),
    # refused whole
    ("pet_ct.spect_experience", "是否", None),
    ("pet_ct.spect_experience", "10", None),
    ("pet_ct.spect_experience", "1", None),
    ("pet_ct.spect_experience", "有没有", None),
    ("pet_ct.spect_experience", "maybe", None),
    ("pet_ct.existing_annual_volume", "约1200", None),
    ("pet_ct.existing_annual_volume", "1200左右", None),
    ("pet_ct.existing_annual_volume", "1200以上", None),
    ("pet_ct.existing_annual_volume", "1200多", None),
    ("pet_ct.existing_annual_volume", "about 1200", None),
    ("pet_ct.existing_annual_volume", "1000-1200", None),
    ("pet_ct.existing_annual_volume", "1000~1200", None),
    ("pet_ct.existing_annual_volume", "一千到一千二", None),
    ("pet_ct.existing_annual_volume", "-5", None),
    ("pet_ct.existing_annual_volume", "负五", None),
    ("pet_ct.existing_annual_volume", "1200.5", None),
    ("pet_ct.existing_annual_volume", "1,2", None),
    ("pet_ct.existing_annual_volume", "12 00", None),
    ("pet_ct.existing_annual_volume", "2000000", None),
    ("pet_ct.existing_annual_volume", "1200台", None),
    ("pet_ct.existing_annual_volume", "很多", None),
    ("pet_ct.nuclear_medicine_years", "3.5", None),
    ("pet_ct.nuclear_medicine_years", "3.5年", None),
    ("pet_ct.nuclear_medicine_years", "101", None),
    ("pet_ct.nuclear_medicine_years", "5例", None),
    ("pet_ct.nuclear_medicine_years", "三五", None),  # 三五年: three to five years
    ("pet_ct.senior_physicians", "七八个", None),
    ("pet_ct.senior_physicians", "一两个", None),
    ("pet_ct.ct_slices", "0", None),
    ("institution.grade", "4", None),
    ("institution.grade", "三", "tertiary"),
    ("institution.grade", "n", None),
    ("institution.grade", "128 slices", None),
    ("institution.grade", "1 3", None),
    ("institution.ownership", "no", None),
    ("institution.ownership", "n", None),
    ("institution.ownership", "p", None),
    ("institution.ownership", "非", None),
    ("institution.designations", "n 1", None),
    ("institution.designations", "13", None),
    ("institution.designations", "5", None),
    ("institution.designations", "国", None),
    ("institution.designations", "国家", None),
]


@pytest.mark.parametrize("key,text,value", TYPED, ids=[f"{k.rsplit('.', 1)[1]}:{t}" for k, t, _ in TYPED])
def test_a_typed_answer_gives_the_value_a_person_means(key, text, value):
    if value is None:
        with pytest.raises(AnswerError) as e:
            ask(key, text)
        assert e.value.msg.zh and e.value.msg.en
    else:
        got = ask(key, text)
        assert got == value and type(got) is type(value)


def test_the_table_is_large():
    assert len(TYPED) >= 100


@pytest.mark.parametrize(
    "key,text,says",
    [
        ("pet_ct.existing_annual_volume", "2000000", ("2,000,000", "1,000,000")),
        ("pet_ct.existing_annual_volume", "约1200", ("约", "1,000,000")),
        ("pet_ct.existing_annual_volume", "1000-1200", ("范围", "range")),
        ("pet_ct.nuclear_medicine_years", "3.5", ("3.5", "0–100")),
        ("pet_ct.nuclear_medicine_years", "5例", ("例", "年")),
        ("pet_ct.spect_experience", "是否", ("是", "否")),
        ("institution.designations", "13", ("13",)),
    ],
)
def test_a_refusal_says_what_was_understood_and_what_is_expected(key, text, says):
    with pytest.raises(AnswerError) as e:
        ask(key, text)
    both = e.value.msg.zh + " " + e.value.msg.en
    for word in says:
        assert word in both


# --- numbers against cn2an -------------------------------------------------------------------


def _int_facts() -> list[Fact]:
    seen: dict[tuple, Fact] = {}
    for q in _questions().values():
        f = q.fact
        if f.type == "int":
            seen.setdefault((f.min, f.max, f.unit.zh if f.unit else None), f)
    return list(seen.values())


INT_FACTS = _int_facts()


def _colloquial(s: str) -> list[str]:
    """Short forms people say: 一千二百 → 一千二, 一万五千 → 一万五, 二千 → 两千."""
    units = "十百千万"
    out = []
    if len(s) >= 4 and s[-1] in "百千" and s[-2] not in units and s[-3] == units[units.index(s[-1]) + 1]:
        out.append(s[:-1])
    if s.endswith("千") and len(s) >= 4 and s[-3] == "万" and s[-2] not in units:
        out.append(s[:-1])
    for form in [s, *out]:
        if form.startswith("二") and len(form) > 1 and form[1] in "百千万":
            out.append("两" + form[1:])
    return out


def _forms(n: int) -> list[str]:
    forms = [str(n), f"{n:,}", cn2an.an2cn(n), cn2an.an2cn(n, "up")]
    if n >= 100:  # 三五 is "three or five", not 35: digit by digit only from three digits on
        forms.append(cn2an.an2cn(n, "direct"))
    forms.append(
        unicodedata.normalize("NFKC", str(n)).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    )
    if n and n % 1000 == 0 and n < 10**5:
        forms.append(f"{n // 1000}千")
    if n and n % 1000 == 0 and n >= 10**4:
        wan, rest = divmod(n, 10**4)
        forms.append(f"{wan}万" if rest == 0 else f"{wan}.{rest // 1000}万")
    return forms + _colloquial(cn2an.an2cn(n))


@given(data=st.data())
@SETTINGS
def test_every_number_in_a_facts_range_reads_back_as_cn2an_reads_it(data):
    fact = data.draw(st.sampled_from(INT_FACTS))
    n = data.draw(st.one_of(st.integers(fact.min, min(fact.max, 3000)), st.integers(fact.min, fact.max)))
    for form in _forms(n):
        if form != f"{n:,}":  # cn2an does not take thousands separators
            assert cn2an.cn2an(form, "smart") == n, form  # the oracle agrees on what it means
        assert parse(form, fact) == n, form
        if fact.unit:
            for unit in (fact.unit.zh, " " + fact.unit.zh, " " + fact.unit.en):
                assert parse(form + unit, fact) == n, form + unit


@given(data=st.data())
@SETTINGS
def test_numbers_outside_a_facts_range_are_refused_and_the_message_gives_the_range(data):
    fact = data.draw(st.sampled_from(INT_FACTS))
    n = data.draw(st.one_of(st.integers(fact.max + 1, fact.max * 10), st.integers(-1000, fact.min - 1)))
    with pytest.raises(AnswerError) as e:
        parse(cn2an.an2cn(n) if n >= 0 else str(n), fact)
    assert f"{fact.max:,}" in e.value.msg.zh and f"{fact.max:,}" in e.value.msg.en


@given(st.integers(0, 100), st.integers(1, 9))
@SETTINGS
def test_a_decimal_is_never_taken_for_a_whole_number(whole, tenth):
    fact = _questions()["pet_ct.nuclear_medicine_years"].fact
    with pytest.raises(AnswerError):
        parse(f"{whole}.{tenth}", fact)


@given(st.text(alphabet="零〇一二两三四五六七八九", min_size=3, max_size=6))
@SETTINGS
def test_chinese_digits_in_a_row_read_place_by_place_never_as_zero(s):
    fact = _questions()["proton.annual_tumour_patients"].fact
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2}
    digits.update({c: i for i, c in enumerate("三四五六七八九", 3)})
    expected = int("".join(str(digits[c]) for c in s))
    if expected <= fact.max:
        assert parse(s, fact) == expected


# --- yes / no ---------------------------------------------------------------------------------


def _case_and_width(word: str, draw) -> str:
    word = "".join(c.upper() if draw(st.booleans()) else c for c in word)
    if draw(st.booleans()):
        word = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
    return draw(st.sampled_from(["", " "])) + word + draw(st.sampled_from(["", " ", "。", "."]))


@given(data=st.data())
@SETTINGS
def test_yes_and_no_words_in_any_case_and_width(data):
    fact = _questions()["pet_ct.spect_experience"].fact
    word, value = data.draw(
        st.sampled_from([(w, True) for w in sorted(YES)] + [(w, False) for w in sorted(NO)])
    )
    assert parse(_case_and_width(word, data.draw), fact) is value


@given(
    st.text(max_size=3), st.text(max_size=3), st.sampled_from(["是否", "有没有", "是不是", "对不对", "有无"])
)
@SETTINGS
def test_an_answer_with_both_yes_and_no_is_refused(before, after, both):
    fact = _questions()["pet_ct.spect_experience"].fact
    with pytest.raises(AnswerError):
        parse(before + both + after, fact)


@given(st.integers(0, 10**6))
@SETTINGS
def test_a_number_is_never_a_yes_or_no(n):
    fact = _questions()["pet_ct.spect_experience"].fact
    with pytest.raises(AnswerError):
        parse(str(n), fact)


# --- choices ----------------------------------------------------------------------------------

CHOICE_QUESTIONS = [q for q in _questions().values() if q.fact.type in ("choice", "set")]


@given(data=st.data())
@SETTINGS
def test_every_key_label_and_alias_selects_its_option(data):
    q = data.draw(st.sampled_from(CHOICE_QUESTIONS))
    c = data.draw(st.sampled_from(q.fact.choices))
    words = [c.key, c.zh, c.en] + [a for a, k in q.hints.aliases if k == c.key]
    word = data.draw(st.sampled_from(words))
    want = c.key if q.fact.type == "choice" else [c.key]
    assert parse(word, q.fact, q.hints) == want


@given(data=st.data())
@SETTINGS
def test_no_one_letter_prefix_ever_selects(data):
    q = data.draw(st.sampled_from(CHOICE_QUESTIONS))
    known = names(q.fact, q.hints)
    letters = {ch for c in q.fact.choices for label in (c.zh, c.en) for ch in label[:1].lower()}
    letter = data.draw(st.sampled_from(sorted(letters)))
    if letter in known or letter.isdigit() or letter in NUMBER_CHARS or letter in NONE_WORDS:
        return  # a whole name, a number (一 picks option 1 as 1 does), or "无"
    with pytest.raises(AnswerError):
        parse(letter, q.fact, q.hints)


def test_grades_are_numbered_so_that_three_is_tertiary():
    q = _questions()["institution.grade"]
    assert [parse(str(n), q.fact, q.hints) for n in range(4)] == [
        "ungraded",
        "primary",
        "secondary",
        "tertiary",
    ]


@given(data=st.data())
@SETTINGS
def test_sets_take_any_separator_and_any_order(data):
    q = _questions()["pet_ct.departments"]
    picked = data.draw(st.lists(st.sampled_from(q.fact.choices), min_size=1, unique=True))
    sep = data.draw(st.sampled_from(["、", "，", ",", ";", "；", "/", " ", "和", "及", "与", ", "]))
    word = data.draw(st.sampled_from(["zh", "number"]))
    numbers = {c.key: n for n, c in enumerate(q.fact.choices, 1)}
    parts = [c.zh if word == "zh" else str(numbers[c.key]) for c in picked]
    want = [c.key for c in q.fact.choices if c in picked]
    assert parse(sep.join(parts), q.fact, q.hints) == want


def test_aliases_that_collide_with_another_option_are_refused_when_questions_load():
    fact = _questions()["institution.grade"].fact
    bad = questions.QuestionData(
        fact="institution.grade",
        prompt=fact.label,
        help=fact.label,
        section=fact.label,
        aliases={"secondary": ["三级"], "nonexistent": ["x"]},
        numbers={"tertiary": 3},
    )
    problems = questions.hint_problems(bad, fact)
    assert any("三级" in p.en and "三级" in p.zh for p in problems)
    assert any("nonexistent" in p.en and "nonexistent" in p.zh for p in problems)
    assert any("numbers" in p.en and "numbers" in p.zh for p in problems)


def test_no_hints_means_options_numbered_from_one():
    fact = _questions()["institution.grade"].fact
    assert parse("3", fact, Hints()) == "secondary"


ALL_QUESTIONS = list(_questions().values())


@given(st.sampled_from(ALL_QUESTIONS), st.text(max_size=30))
@SETTINGS
def test_any_text_is_understood_or_refused_with_a_message_never_a_crash(q, text):
    if q.fact.type == "roster":
        return
    try:
        value = parse(text, q.fact, q.hints)
    except AnswerError as e:
        assert e.msg.zh.strip() and e.msg.en.strip()
        return
    if q.fact.type == "int":
        assert q.fact.min <= value <= q.fact.max
    elif q.fact.type == "choice":
        assert value in [c.key for c in q.fact.choices]
    elif q.fact.type == "set":
        assert set(value) <= {c.key for c in q.fact.choices}
