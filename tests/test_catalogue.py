"""The string catalogue (strings/*.toml): complete in both languages, every entry used, the
same placeholders in zh and en, read lazily and the same by both TOML parsers."""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
import rtoml
import tomli

from assistant.core.text import catalogue
from assistant.core.text.catalogue import CatalogueError, entries

ROOT = Path(__file__).resolve().parents[1]
CODE = ROOT / "assistant"


def _fields(text: str) -> set[str]:
    """The placeholders of ``text`` with their conversion and format (one may appear twice)."""
    return {
        f"{name}!{conv}:{spec}" for _, name, spec, conv in string.Formatter().parse(text) if name is not None
    }


@pytest.mark.parametrize("key", list(entries()))
def test_every_entry_has_both_languages_and_the_same_placeholders(key):
    zh, en = entries()[key]
    assert zh.strip() or en.strip() == "", key  # only a deliberately empty pair may be blank
    assert bool(zh.strip()) == bool(en.strip()), key
    assert _fields(zh) == _fields(en), key


def _used_strings() -> tuple[set[str], list[re.Pattern]]:
    """Every string constant in the code, and every f-string whose fixed parts could spell a
    key (``f"{hint}_short"``, ``f"errno.{name}"``) as a pattern."""
    constants: set[str] = set()
    templates: list[re.Pattern] = []
    for path in CODE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # A docstring that mentions a key does not use it.
        docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                constants.add(node.value)
                # cli/helptext.h("check.jobs") and the man page's s("see") add their prefix.
                constants.update((f"help.{node.value}", f"man.{node.value}"))
            elif isinstance(node, ast.JoinedStr):
                fixed = [v.value for v in node.values if isinstance(v, ast.Constant)]
                # A template names a family of keys only through a fixed part of its own
                # ("_short", "errno."): "{a}.{b}" would match anything.
                if fixed and all(re.fullmatch(r"[\w.]*", f) for f in fixed) and sum(map(len, fixed)) >= 3:
                    parts = [
                        re.escape(v.value) if isinstance(v, ast.Constant) else r"[\w.]+" for v in node.values
                    ]
                    templates.append(re.compile("".join(parts)))
    return constants, templates


def test_every_entry_is_used_by_the_code():
    constants, templates = _used_strings()
    unused = [k for k in entries() if k not in constants and not any(t.fullmatch(k) for t in templates)]
    assert unused == []


def test_the_used_check_sees_a_key_that_nothing_names():
    constants, templates = _used_strings()
    assert "no.such.key_anywhere" not in constants
    assert not any(t.fullmatch("no.such.key_anywhere") for t in templates)
    assert "profile.not_utf8" in constants
    assert "profile.not_utf8" not in _used_strings.__doc__  # a docstring is not a use (this one)


def test_every_file_of_the_folder_is_read():
    names = {p.stem for p in catalogue.strings_dir().glob("*.toml")}
    assert names == {*catalogue.TEXT_FILES, catalogue.FINDINGS_FILE}


@pytest.mark.parametrize("path", sorted((ROOT / "strings").glob("*.toml")), ids=lambda p: p.name)
def test_both_parsers_read_each_file_the_same(path):
    text = path.read_text(encoding="utf-8")
    assert rtoml.loads(text) == tomli.loads(text)


def test_findings_rewrite_to_chinese_with_the_groups_their_patterns_have():
    patterns = catalogue.finding_patterns()
    assert len(patterns) > 10
    for en, zh in patterns:
        groups = re.compile(en).groups
        assert all(int(g) <= groups for g in re.findall(r"\\(\d)", zh)), en
        assert re.search(r"[\u4e00-\u9fff]", zh), zh


def test_a_malformed_entry_is_named(tmp_path):
    out: dict = {}
    with pytest.raises(CatalogueError, match=r"x\.toml: a\.b needs a zh and an en text"):
        catalogue._flatten({"a": {"b": {"zh": "甲"}}}, "", out, "x.toml")
    with pytest.raises(CatalogueError, match=r"a\.c is neither"):
        catalogue._flatten({"a": {"zh": "甲", "en": "a", "c": 3}}, "", out, "x.toml")
    catalogue._flatten({"k": {"zh": "甲", "en": "a"}}, "", out, "x.toml")
    with pytest.raises(CatalogueError, match="k is defined twice"):
        catalogue._flatten({"k": {"zh": "乙", "en": "b"}}, "", out, "y.toml")


def test_a_run_that_shows_no_text_reads_no_catalogue():
    # Importing everything the check command needs must not read the files: the lookups are
    # lazy, so an import-time lookup would cost every run its parse.
    code = (
        "import assistant.cli.main, assistant.reports.report, assistant.core.profile.document\n"
        "from assistant.core.text import catalogue\n"
        "print(catalogue.files_read())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_json_check_reads_only_the_words_it_shows():
    # A check's JSON holds status words and nothing else from the catalogue: the files are
    # read in order until a key is found, so it reads words.toml (the first, and small) and
    # help.toml, which argparse's options need whether or not --help is asked (read on its own,
    # not after the files before it: about a millisecond).
    code = (
        "import sys, io, contextlib\n"
        "from assistant.core.text import catalogue\n"
        "from assistant.entry import main\n"
        f"sys.argv = ['medequip', 'check', {str(ROOT / 'examples' / 'pet_ct_new_nonpublic.toml')!r}, '--format', 'json']\n"
        "out = io.StringIO()\n"
        "try:\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert out.getvalue().startswith('{'), out.getvalue()[:200]\n"
        "print(catalogue.files_read())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['words', 'help']", out.stderr


def test_toml_errors_fill_their_texts_from_the_groups_their_patterns_name():
    patterns = catalogue.toml_patterns()
    assert len(patterns) > 10
    for pattern, zh, en in patterns:
        groups = set(re.compile(pattern).groupindex)
        assert {f.split("!")[0] for f in _fields(zh)} == {f.split("!")[0] for f in _fields(en)} <= groups, (
            pattern
        )
        assert re.search(r"[\u4e00-\u9fff]", zh), zh
