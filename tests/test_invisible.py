"""Invisible and format characters (issue 21, problem 10): escaped wherever text is shown,
refused in a profile's names and free text, in a ruleset (loader and lint alike) and in a typed
answer, with one message naming the field and the character (U+200B ZERO WIDTH SPACE).
Chinese text keeps everything it is written with."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import unicodedata

import pytest
from cli_helpers import EXAMPLES, ROOT

from assistant.cli.main import main
from assistant.core.profile import answers
from assistant.core.profile.document import ProfileError, load
from assistant.core.rules import loader
from assistant.core.text.sanitize import UNSAFE, describe, escape

# What the issue names, and one of each kind beyond: Cf (format), Co (private use), the fillers.
NAMED = {
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "\u00ad": "U+00AD SOFT HYPHEN",
    "\u2060": "U+2060 WORD JOINER",
    "\u3164": "U+3164 HANGUL FILLER",
    "\u115f": "U+115F HANGUL CHOSEONG FILLER",
    "\u1160": "U+1160 HANGUL JUNGSEONG FILLER",
    "\uffa0": "U+FFA0 HALFWIDTH HANGUL FILLER",
    "\u200d": "U+200D ZERO WIDTH JOINER",
    "\u2061": "U+2061 FUNCTION APPLICATION",
    "\U000e0041": "U+E0041 TAG LATIN CAPITAL LETTER A",
    "\ue000": "U+E000 PRIVATE USE",
    "\U000f0000": "U+F0000 PRIVATE USE",
}
GOOD = EXAMPLES / "pet_ct_new_nonpublic.toml"
CLASS_B = ROOT / "rulesets" / "class-b-access.toml"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv])
    return code, out.getvalue(), err.getvalue()


def every(categories: tuple[str, ...]) -> list[str]:
    return [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in categories]


def test_every_format_and_private_use_character_of_this_python_is_escaped():
    """The list is written out (building it at start-up would cost a tenth of a second): it
    must cover every Cf and Co character the running interpreter knows."""
    missed = [f"U+{ord(c):04X}" for c in every(("Cf", "Co", "Cs")) if not UNSAFE.fullmatch(c)]
    assert missed == []
    for ch in "\u3164\u115f\u1160\uffa0":
        assert UNSAFE.fullmatch(ch)


def test_what_chinese_text_is_written_with_is_left_alone():
    """Ideographs (the rare ones of names beyond the BMP too), full-width punctuation and
    digits, the ideographic space, Latin letters, and a variation sequence picking a glyph."""
    text = "明德国际医院（分院）：第１号，“甲”、乙；丙。\u3000𠀀𪚥 ABC-12 葛\U000e0100 é"
    assert escape(text) == text
    for ch in set(text):
        assert UNSAFE.search(ch) is None, describe(ch)


@pytest.mark.parametrize("ch", NAMED, ids=lambda c: f"U+{ord(c):04X}")
def test_each_is_shown_as_an_escape_and_named(ch):
    shown = escape(f"医院{ch}甲")
    assert ch not in shown and shown.isprintable() and shown.startswith("医院\\")
    assert describe(ch) == NAMED[ch]


@pytest.mark.parametrize("ch", NAMED, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", ["institution.name", "roster name"])
def test_profile_names_refuse_it_naming_field_and_character(ch, field):
    if field == "institution.name":
        raw = GOOD.read_text("utf-8").replace('name = "', f'name = "甲{ch}', 1)
        where = "institution.name"
        source = "p.toml"
    else:
        raw = (EXAMPLES / "proton_existing_tertiary.toml").read_text("utf-8")
        head, sep, rest = raw.partition("[[proton.clinical_staff]]")
        raw = head + sep + rest.replace('name = "', f'name = "甲{ch}', 1)
        where = "proton.clinical_staff[0].name"
        source = "p.toml"
    with pytest.raises(ProfileError) as info:
        load(raw.encode("utf-8"), source)
    text = str(info.value)
    assert f"{where}: text contains {NAMED[ch]} at character 2" in text
    assert ch not in text
    assert f"含有 {NAMED[ch]}" in info.value.localized("zh")


def test_check_refuses_the_profile_with_one_line_and_exit_2(tmp_path):
    p = tmp_path / "p.toml"
    p.write_text(GOOD.read_text("utf-8").replace('name = "', 'name = "明德\u200b', 1), "utf-8")
    code, out, err = cli("check", str(p), "--lang", "en")
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert "institution.name: text contains U+200B ZERO WIDTH SPACE at character 3" in line


@pytest.mark.parametrize("ch", ["\u200b", "\u00ad", "\u3164", "\ue000"], ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", ["title_zh", "id"])
def test_a_ruleset_holding_it_is_refused_at_load_and_by_lint(tmp_path, ch, field):
    text = CLASS_B.read_text("utf-8")
    needle = f'{field} = "'
    rules = tmp_path / "r.toml"
    rules.write_text(text.replace(needle, needle + "甲" + ch, 1), "utf-8")
    code, out, err = cli("check", str(GOOD), "--ruleset", str(rules), "--lang", "en")
    assert code == 2 and f"ruleset.{field}: text contains {NAMED[ch]} at character 2" in err
    assert ch not in out + err
    code, out, err = cli("rules", "lint", str(rules), "--lang", "en")
    assert code == 1 and f"ruleset.{field}: text contains {NAMED[ch]} at character 2" in out
    assert ch not in out + err


@pytest.mark.parametrize("ch", NAMED, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(
    "key,answer",
    [
        ("institution.name", "明德{}医院"),
        ("pet_ct.senior_physicians", "3{}"),
        ("institution.grade", "三级{}"),
    ],
)
def test_a_typed_answer_holding_it_is_refused_naming_it(ch, key, answer):
    fact = loader.for_equipment("pet_ct").facts[key]
    with pytest.raises(answers.AnswerError) as info:
        answers.parse(answer.format(ch), fact)
    assert NAMED[ch] in info.value.msg.en and NAMED[ch] in info.value.msg.zh


def test_a_typed_name_with_a_tab_is_refused_as_the_loader_would_refuse_it():
    fact = loader.for_equipment("pet_ct").facts["institution.name"]
    with pytest.raises(answers.AnswerError, match="U\\+0009 CHARACTER TABULATION"):
        answers.parse("明德\t医院", fact)
    # a pasted number with a trailing tab is still a number
    assert answers.parse("3\t", loader.for_equipment("pet_ct").facts["pet_ct.senior_physicians"]) == 3
    assert answers.parse("明德\u3000医院", fact) == "明德\u3000医院"


def test_the_line_mode_refuses_it_and_asks_again(tmp_path, monkeypatch):
    out_file = tmp_path / "p.toml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("明德\u200b医院\n明德医院\n"))
    code, out, err = cli("interview", "--plain", "--equipment", "pet_ct", "--lang", "en", "-o", str(out_file))
    assert code == 3, err  # input ended before the last question
    assert "✗ contains U+200B ZERO WIDTH SPACE" in out
    assert "\u200b" not in out and "明德\\u200b医院" in out  # the echo shows it escaped
    assert 'name = "明德医院"' in out_file.read_text("utf-8")


def test_a_file_name_holding_it_is_shown_escaped(tmp_path):
    p = tmp_path / "甲\u200b乙.toml"
    p.write_text("not toml = = =\n", "utf-8")
    code, out, err = cli("check", str(p), "--lang", "en")
    assert code == 2 and "\u200b" not in err and "甲\\u200b乙.toml" in err


def test_the_profile_schema_refuses_what_the_loader_refuses():
    from jsonschema_check import errors

    from assistant.reports.schema import profile_schema

    base = json.loads(json.dumps({"schema_version": 1, "equipment": "pet_ct", "institution": {"name": "x"}}))
    schema = profile_schema("pet_ct")
    assert errors(schema, base) == []
    for ch in NAMED:
        assert errors(schema, {**base, "institution": {"name": f"甲{ch}"}}) != [], describe(ch)
    assert errors(schema, {**base, "institution": {"name": "葛\U000e0100𠀀\u3000甲"}}) == []
