"""`extends` is followed without recursion, at most 32 links deep, each file of a folder
parsed once per run; a cycle is named link by link (issue 21, problems 7 and 14)."""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from pathlib import Path

import pytest
from cli_helpers import EXAMPLES

from assistant.cli.main import main
from assistant.core.rules import extends, loader

PET_CT = EXAMPLES / "pet_ct_new_nonpublic.toml"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv])
    return code, out.getvalue(), err.getvalue()


def variant(folder: Path, name: str, extends: tuple[str, str], threshold: int | None = None) -> Path:
    """A PET/CT variant ``name`` (edition 1) of ``extends``; with ``threshold`` it asks for that
    many senior physicians, so the level that decides can be told from the verdict."""
    text = f"""[ruleset]
id = "{name}"
title_zh = "变体 {name}"
title_en = "Variant {name}"
edition = "1"
issuing_document = "文件 {name}"
source_file = "none"
equipment = ["pet_ct"]
extends = {{ id = "{extends[0]}", edition = "{extends[1]}" }}
"""
    if threshold is not None:
        text += f"""
[[overrides]]
rule = "pet_ct/3.1"
reference = "{name} 第一条"
text_zh = "高级职称医师不少于 {threshold} 名。"
text_en = "At least {threshold} senior physicians."
condition = {{ fact = "pet_ct.senior_physicians", op = ">=", value = {threshold} }}
"""
    path = folder / f"{name}.toml"
    path.write_text(text, "utf-8")
    return path


def chain(folder: Path, n: int) -> list[Path]:
    """v1 extends the bundled class-b-access, v2 extends v1, … vN: vN is N links from it."""
    folder.mkdir(exist_ok=True)
    out = [variant(folder, "v1", ("class-b-access", "undated"), threshold=40)]
    for i in range(2, n + 1):
        out.append(variant(folder, f"v{i}", (f"v{i - 1}", "1")))
    return out


def test_a_chain_of_32_links_loads_and_inherits_from_the_first(tmp_path):
    files = chain(tmp_path / "c", 32)
    rs = loader.load_path(files[-1])
    assert rs.id == "v32"
    rule = rs.rule("pet_ct/3.1")
    assert "40" in rule.text_zh  # v1's override, 31 links down
    code, out, err = cli(
        "check", str(PET_CT), "--ruleset", str(files[-1]), "--lang", "en", "--format", "json"
    )
    assert code == 1, err  # the example has fewer than 40 senior physicians


def test_33_links_are_refused_naming_the_file_and_the_limit(tmp_path):
    files = chain(tmp_path / "c", 33)
    code, out, err = cli("rules", "pet_ct", "--ruleset", str(files[-1]), "--lang", "en")
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"medequip: {files[-1]}: ")
    assert "longer than 32" in line and "v33 1 → v32 1" in line and "at most 32" in line
    assert "Traceback" not in err and "internal error" not in err
    code, out, err = cli("rules", "lint", str(files[-1]), "--lang", "zh")
    assert code == 1 and "extends 链超过 32 层" in out


def test_a_chain_of_260_is_refused_and_each_file_parsed_once(tmp_path, monkeypatch):
    files = chain(tmp_path / "c", 260)
    parsed = Counter()
    real = loader.parse

    def counting(raw, path, what):
        parsed[Path(path).resolve()] += 1
        return real(raw, path, what)

    monkeypatch.setattr(loader, "parse", counting)  # a ruleset's load
    monkeypatch.setattr(extends, "parse", counting)  # a folder's files looked at
    code, out, err = cli("check", str(PET_CT), "--ruleset", str(files[-1]), "--lang", "en")
    assert code == 2
    assert "longer than 32" in err and "RecursionError" not in err and "internal error" not in err
    assert parsed and max(parsed.values()) == 1, parsed.most_common(3)
    # a chain that fits, in a folder of 260 files: still each file once
    parsed.clear()
    code, _, err = cli("rules", "pet_ct", "--ruleset", str(files[31]), "--lang", "en")
    assert code == 0, err
    assert max(parsed.values()) == 1, parsed.most_common(3)


def test_a_cycle_is_named_link_by_link(tmp_path):
    a = variant(tmp_path, "a", ("b", "1"))
    variant(tmp_path, "b", ("a", "1"))
    code, out, err = cli("rules", "pet_ct", "--ruleset", str(a), "--lang", "en")
    assert code == 2
    assert f"{a}: " in err and "a 1 extends b 1, which extends a 1" in err
    assert "extends itself" not in err
    code, out, err = cli("rules", "pet_ct", "--ruleset", str(a), "--lang", "zh")
    assert "a 1 扩展 b 1，后者扩展 a 1" in err
    # three links, and a circle that does not pass through the file loaded
    variant(tmp_path, "b", ("c", "1"))
    variant(tmp_path, "c", ("b", "1"))
    code, out, err = cli("rules", "lint", str(a), "--lang", "en")
    assert code == 1 and "a 1 extends b 1, which extends c 1, which extends b 1" in out


def test_a_ruleset_that_extends_itself_says_so(tmp_path):
    me = variant(tmp_path, "me", ("me", "1"))
    code, out, err = cli("rules", "pet_ct", "--ruleset", str(me), "--lang", "en")
    assert code == 2 and "me 1 extends me 1" in err


@pytest.mark.parametrize("missing_at", [1, 5])
def test_a_missing_link_names_the_file_that_names_it(tmp_path, missing_at):
    files = chain(tmp_path / "c", 6)
    files[missing_at - 1].unlink()
    code, out, err = cli("rules", "pet_ct", "--ruleset", str(files[-1]), "--lang", "en")
    assert code == 2
    assert (
        f"{files[missing_at]}: extends v{missing_at} edition 1, which is neither bundled nor beside it" in err
    )


def test_a_ruleset_of_an_earlier_run_in_the_process_is_not_searched_for_a_base(tmp_path):
    """Runs in one process (a test suite, a library caller) are separate: a broken copy of
    class-b-access given with --ruleset before must not become the next run's base."""
    broken = tmp_path / "broken.toml"
    text = (EXAMPLES.parent / "rulesets" / "class-b-access.toml").read_text("utf-8")
    broken.write_text(text.replace('title_zh = "', 'title_zh = "\\u001b', 1), "utf-8")
    assert cli("check", str(PET_CT), "--ruleset", str(broken))[0] == 2
    variant_file = EXAMPLES / "variants" / "example-province-pet-ct.toml"
    code, out, err = cli("rules", "show", "pet_ct/3.1", "--ruleset", str(variant_file), "--lang", "en")
    assert code == 0 and "pet_ct/3.1" in out, err
