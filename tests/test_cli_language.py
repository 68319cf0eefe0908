"""Help and errors in the reader's language: a Chinese reader (LANG=zh_CN.UTF-8, or --lang zh)
never meets an English sentence in ``--help`` or an error, an English reader never meets Chinese.

The catalogue is checked on its own (each entry's zh has no English sentence, its en no Chinese),
then real output is checked against it: every help screen of every command, every error the
broken-profile corpus produces, argparse's own complaints, and a handful of usage errors.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from cli_helpers import ROOT, run

from assistant.core.text import messages

COMMANDS = [
    "check", "checklist", "diff", "template", "schema", "rules", "explain", "interview",
    "questions", "completion", "man",
]  # fmt: skip
CORPUS = ROOT / "tests" / "corpus"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text("utf-8"))
BROKEN = sorted(n for n, e in EXPECTED.items() if e["stderr"])

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Proper names that are English in Chinese text too.
NAMES = ("JSON Schema", "JSON Lines")


def english_sentences(text: str) -> list[str]:
    """Runs of two or more English words left once what is not prose is taken out: quoted
    values (as the user typed them), commands (``medequip …``), options, identifiers
    (keys, file names, ids), placeholders in braces."""
    t = text
    for name in NAMES:
        t = t.replace(name, " ")
    t = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`", " ", t)
    t = re.sub(r"medequip(\s+[a-z$<~.>-][\w./<>~$*=-]*)*", " ", t)
    t = re.sub(r"\{[^}\n]*\}|\[[^\]\n]*\]", " ", t)
    t = re.sub(r"(?<![\w-])-{1,2}[\w-]+", " ", t)
    t = re.sub(r"[\w.~/$*-]*[_./\d][\w.~/$*-]*", " ", t)  # identifiers, paths, numbers
    return re.findall(r"\b[A-Za-z]{2,}(?:[ ]+[A-Za-z]{2,})+\b", t)


def chinese(text: str) -> list[str]:
    return CJK.findall(re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", " ", text))


ZH = {"LANG": "zh_CN.UTF-8"}
EN = {"LANG": "en_US.UTF-8"}


def test_the_detectors_see_what_they_must():
    assert english_sentences("medequip: x.toml:3: no such file; expected profile text") == [
        "no such file",
        "expected profile text",
    ]
    assert english_sentences("应为 true 或 false，实际是'not a bool'（文字）") == []
    assert english_sentences("用法：medequip check [-h] [--format {text,json}] 文件") == []
    assert chinese("expected one of public, non_public, got '公立医疗机构' (text)") == []
    assert chinese("应为整数") != []


# --- the catalogue itself ---------------------------------------------------------------------


# English texts that show Chinese on purpose: the answers one may type (是, 否, １２８, 三五) and
# the language one may switch to (中文).
SHOWS_CHINESE = {"help", "cmd_lang", "answer.not_yes_no", "answer.approximate"}


def _all_entries():
    for key in messages.keys():
        if key not in SHOWS_CHINESE:
            yield key, messages.entry(key)


@pytest.mark.parametrize("key,texts", list(_all_entries()), ids=lambda v: v if isinstance(v, str) else "")
def test_each_catalogue_entry_is_chinese_in_zh_and_english_in_en(key, texts):
    zh, en = texts
    assert zh.strip() and en.strip()
    assert english_sentences(zh) == [], zh
    assert chinese(en) == [], en


def test_the_catalogue_has_the_same_placeholders_in_both_languages():
    for key in messages.keys():
        zh, en = messages.entry(key)
        assert set(re.findall(r"\{(\w+)\}", zh)) == set(re.findall(r"\{(\w+)\}", en)), key


# --- --help -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_chinese_under_a_chinese_lang(command):
    args = ["--help"] if command is None else [command, "--help"]
    r = run(*args, **ZH)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("用法：")
    assert english_sentences(r.stdout) == []
    # Every described line comes from the catalogue: its Chinese help text is there.
    if command:
        assert messages.entry(f"help.{command}.help")[0] in r.stdout


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_english_under_an_english_lang(command):
    args = ["--help"] if command is None else [command, "--help"]
    r = run(*args, **EN)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("usage: ")
    assert chinese(r.stdout) == []
    if command:
        assert messages.entry(f"help.{command}.help")[1] in r.stdout


def test_lang_chooses_the_language_of_help_wherever_it_is_given():
    assert run("--lang", "en", "check", "--help", **ZH).stdout.startswith("usage: ")
    assert run("check", "--help", "--lang", "zh", **EN).stdout.startswith("用法：")
    assert run("check", "--lang=zh", "--help", **EN).stdout.startswith("用法：")


def test_examples_in_help_are_one_per_line_never_joined_with_a_pipe():
    out = run("interview", "--help", **EN).stdout
    examples = out.split("examples:", 1)[1].strip().splitlines()
    assert len([e for e in examples if "medequip interview" in e]) == 3
    assert not any(" | medequip interview" in e and "printf" not in e for e in examples)


# --- errors -----------------------------------------------------------------------------------


def _message(line: str) -> str:
    """An error line without ``medequip: FILE[:LINE[:COL]]: [FIELD: ]``."""
    line = re.sub(r"^medequip[:：]\s*", "", line)
    return re.sub(r"^[^\s:：]+(:\d+)*(:|：)\s*([\w.\[\]]+:\s)?", "", line)


@pytest.mark.parametrize("env,check", [(ZH, "zh"), (EN, "en")])
def test_every_corpus_error_is_in_the_readers_language(env, check):
    r = run("check", *BROKEN, "--format", "json", cwd=CORPUS / "profiles", **env)
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert len(lines) == len(BROKEN)
    for line in lines:
        assert "Traceback" not in line
        text = _message(line)
        if check == "zh":
            assert english_sentences(text) == [], line
            assert chinese(text), line  # said in words, not only keys
        else:
            assert chinese(text) == [], line


def test_chinese_errors_keep_file_line_and_field():
    r = run("check", "bool_as_text.toml", cwd=CORPUS / "profiles", **ZH)
    assert r.stderr == (
        "medequip: bool_as_text.toml:7: institution.independent_imaging_center: "
        "应为 true 或 false，实际是'yes'（文字）\n"
    )


def test_english_errors_are_the_documented_ones():
    r = run("check", "bool_as_text.toml", cwd=CORPUS / "profiles", **EN)
    assert r.stderr == f"medequip: {EXPECTED['bool_as_text.toml']['stderr']}\n"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "nonexist.toml"],
        ["check", "--format", "yaml", "x.toml"],
        ["check"],
        ["check", "x.toml", "--jobs", "many"],
        ["frobnicate"],
        ["rules", "show", "pet_ct/99"],
        ["rules", "nuclear"],
        ["template", "petct"],
        ["explain", "examples/pet_ct_new_nonpublic.toml", "pet_ct/99"],
        ["interview", "--equipment", "petct", "--plain"],
        ["check", "examples/pet_ct_new_nonpublic.toml", "--summary", "--format", "json"],
        ["check", "examples/pet_ct_new_nonpublic.toml", "--date", "tomorrow"],
        ["diff", "examples/pet_ct_new_nonpublic.toml", "examples/pet_mr_independent_center.toml"],
        ["schema", "report", "--equipment", "pet_ct"],
    ],
    ids=lambda a: " ".join(a),
)
def test_usage_errors_follow_the_language(args):
    zh, en = run(*args, **ZH), run(*args, **EN)
    assert zh.returncode == en.returncode == 2
    for line in zh.stderr.splitlines():
        assert english_sentences(line.replace("medequip：错误：", "")) == [], line
    assert chinese(en.stderr) == [], en.stderr
    assert chinese(zh.stderr), zh.stderr


def test_rules_show_prints_labels_not_keys():
    zh = run("rules", "show", "pet_ct/2.3", **ZH).stdout
    assert "级别: 必备" in zh or "级别：必备" in zh
    assert "required" not in zh
    en = run("rules", "show", "pet_ct/2.3", **EN).stdout
    assert "Level: required" in en
    listing = run("rules", "pet_mr", **ZH).stdout
    assert "advisory" not in listing and "exemption" not in listing


BAD_RULESETS = sorted(p.name for p in (CORPUS / "rulesets").glob("*.toml") if p.name != "tiny.toml")


@pytest.mark.parametrize("name", BAD_RULESETS)
def test_every_bad_ruleset_in_the_corpus_is_refused_in_the_readers_language(name):
    args = ("check", "examples/pet_ct_new_nonpublic.toml", "--ruleset", str(CORPUS / "rulesets" / name))
    zh, en = run(*args, **ZH), run(*args, **EN)
    assert zh.returncode == en.returncode == 2
    said = [ln for ln in zh.stderr.splitlines() if not ln.startswith(("用法：", "    "))]
    assert said and all(chinese(_message(ln)) for ln in said), zh.stderr
    for line in said:
        assert english_sentences(_message(line)) == [], line
    assert chinese(en.stderr) == [], en.stderr


def test_questions_shows_fact_types_as_words_and_json_keeps_keys():
    zh = run("questions", "pet_ct", **ZH).stdout
    assert "institution.new_build  (是/否)" in zh and "(bool)" not in zh
    en = run("questions", "pet_ct", **EN).stdout
    assert "institution.new_build  (yes/no)" in en
    assert '"type": "bool"' in run("questions", "pet_ct", "--format", "json", **ZH).stdout
