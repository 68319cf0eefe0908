"""Issue 21's rules edges, through the command line in-process: `rules diff` and
`check --against` compare every equipment either ruleset covers (one side only: added or
removed with its clauses), a ruleset that does not cover a profile's equipment says so, and a
file name reaches the terminal escaped."""

from __future__ import annotations

import contextlib
import io
import json
import tomllib
from pathlib import Path

import tomlkit
from cli_helpers import EXAMPLES, ROOT

from assistant.cli.main import main

CLASS_B = ROOT / "rulesets" / "class-b-access.toml"
PROTON = EXAMPLES / "proton_existing_tertiary.toml"
RT = EXAMPLES / "conventional_rt_county.toml"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv])
    return code, out.getvalue(), err.getvalue()


def without(equipment: str, folder: Path) -> Path:
    """An edition of class-b-access that no longer covers ``equipment``: its entry, facts,
    clauses and exemptions taken out, nothing else changed."""
    doc = tomlkit.parse(CLASS_B.read_text("utf-8"))
    doc["ruleset"]["edition"] = f"no-{equipment}"
    doc["ruleset"]["equipment"] = [e for e in doc["ruleset"]["equipment"] if e != equipment]
    for table, field in (("equipment", "key"), ("facts", "key"), ("rules", "id"), ("exemptions", "id")):
        kept = tomlkit.aot()
        for entry in doc[table]:
            if not str(entry[field]).startswith(equipment):
                kept.append(entry)
        doc[table] = kept
    path = folder / f"no-{equipment}.toml"
    path.write_text(tomlkit.dumps(doc), "utf-8")
    return path


def rule_ids(path: Path, equipment: str) -> list[str]:
    data = tomllib.loads(path.read_text("utf-8"))
    return [r["id"] for r in data["rules"] if r["id"].startswith(equipment + "/")]


def test_an_edition_without_an_equipment_diffs_as_its_clauses_removed(tmp_path):
    edition = without("conventional_rt", tmp_path)
    code, out, _ = cli("rules", "lint", str(edition), "--lang", "en")
    assert code == 0 and "no problems found" in out
    removed = rule_ids(CLASS_B, "conventional_rt")
    assert len(removed) == 15  # 四、常规放射治疗类设备 （一）…（四）5

    code, out, err = cli("rules", "diff", "class-b-access", str(edition), "--lang", "en")
    assert code == 1, err
    assert "no clause changed" not in out
    assert "equipment removed: conventional_rt" in out and "15 clauses" in out
    for rid in removed:
        assert f"- {rid} " in out and f"{rid} " in out
    assert sum(line.endswith("(removed)") for line in out.splitlines()) == 15

    code, out, _ = cli("rules", "diff", "class-b-access", str(edition), "--format", "json")
    assert code == 1
    js = json.loads(out)
    assert sorted(c["id"] for c in js["changes"] if c["kind"] == "removed") == sorted(removed)
    assert all(c["kind"] == "removed" for c in js["changes"])
    (eq,) = js["equipment"]
    assert (eq["key"], eq["kind"], sorted(eq["rules"])) == ("conventional_rt", "removed", sorted(removed))

    # and the other way round: the full edition adds them back
    code, out, _ = cli("rules", "diff", str(edition), "class-b-access", "--lang", "zh")
    assert code == 1
    assert "新增设备：conventional_rt" in out
    assert sum(line.endswith("（新增）") for line in out.splitlines()) == 15


def test_two_rulesets_of_different_equipment_differ_in_every_clause():
    code, out, err = cli("rules", "diff", "class-b-access", "proton-2022", "--format", "json")
    assert code == 1, err
    js = json.loads(out)
    kinds = {c["id"]: c["kind"] for c in js["changes"]}
    proton = rule_ids(ROOT / "rulesets" / "proton-2022.toml", "proton")
    class_b = [
        i for e in ("pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt") for i in rule_ids(CLASS_B, e)
    ]
    assert {i for i, k in kinds.items() if k == "added"} == set(proton)
    assert {i for i, k in kinds.items() if k == "removed"} == set(class_b)
    assert {(e["key"], e["kind"]) for e in js["equipment"]} == {
        ("pet_mr", "removed"),
        ("pet_ct", "removed"),
        ("laparoscopic_robot", "removed"),
        ("conventional_rt", "removed"),
        ("proton", "added"),
    }
    code, out, _ = cli("rules", "diff", "class-b-access", "proton-2022", "--lang", "en")
    assert code == 1 and "no clause changed" not in out
    assert "equipment added: proton" in out and "equipment removed: pet_mr" in out
    # the same ruleset twice: nothing to report
    assert cli("rules", "diff", "proton-2022", "proton-2022")[0] == 0


def test_check_against_an_edition_without_the_equipment_moves_every_clause(tmp_path):
    edition = without("conventional_rt", tmp_path)
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "rt.toml").write_bytes(RT.read_bytes())
    (folder / "pet_ct.toml").write_bytes((EXAMPLES / "pet_ct_new_nonpublic.toml").read_bytes())
    removed = rule_ids(CLASS_B, "conventional_rt")

    code, out, err = cli(
        "check", str(folder), "--ruleset", str(edition), "--against", "class-b-access", "--lang", "en"
    )
    assert code == 1, err
    assert "1 of 2 profiles move" in out
    assert "does not cover conventional_rt" in out
    assert "pet_ct.toml" not in out
    for rid in removed:
        assert f"  {rid}: " in out and "→ (no such clause)" in out

    code, out, _ = cli(
        "check", str(folder), "--ruleset", str(edition), "--against", "class-b-access", "--format", "json"
    )
    (m,) = json.loads(out)["moved"]
    assert m["source"].endswith("rt.toml") and m["new_status"] is None and m["not_covered_by"] == "new"
    assert sorted(r["id"] for r in m["rules"] if r["new"] is None) == sorted(removed)


def test_check_against_a_ruleset_of_other_equipment_says_it_does_not_cover_it():
    code, out, err = cli("check", str(PROTON), "--against", "class-b-access", "--lang", "en")
    assert "unknown key" not in out + err
    assert "class-b-access undated does not cover proton" in out
    assert code == 1  # every proton clause is new against class-b-access
    code, out, err = cli("check", str(PROTON), "--against", "class-b-access", "--lang", "zh")
    assert "class-b-access undated 不涵盖 proton" in out and "unknown key" not in err


def test_a_ruleset_file_that_does_not_cover_the_profile_names_both(tmp_path):
    code, out, err = cli("check", str(PROTON), "--ruleset", str(CLASS_B), "--lang", "en")
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"medequip: {PROTON}: ")
    assert "class-b-access undated" in line and "does not cover proton" in line
    # in a folder, the line names the profile it is about
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "p.toml").write_bytes(PROTON.read_bytes())
    (folder / "rt.toml").write_bytes(RT.read_bytes())
    code, out, err = cli("check", str(folder), "--ruleset", str(CLASS_B), "--summary", "--lang", "en")
    assert code == 2
    assert f"{folder / 'p.toml'}: " in err and "does not cover proton" in err
    # neither side covers it: one error naming both
    code, out, err = cli(
        "check", str(PROTON), "--ruleset", str(CLASS_B), "--against", "class-b-access", "--lang", "en"
    )
    assert code == 2 and "does not cover proton" in err and "nor does class-b-access undated" in err


def test_check_against_shows_a_file_name_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = "\x1b]0;owned\x07\x1b[2J\u202e.toml"
    (folder / hostile).write_bytes(RT.read_bytes())
    for args in (["--ruleset", str(without("conventional_rt", tmp_path))], []):
        code, out, err = cli("check", str(folder), *args, "--against", "class-b-access", "--lang", "en")
        assert "\x1b" not in out + err and "\x07" not in out + err and "\u202e" not in out + err
    code, out, _ = cli(
        "check",
        str(folder),
        "--ruleset",
        str(tmp_path / "no-conventional_rt.toml"),
        "--against",
        "class-b-access",
    )
    assert "\\x1b]0;owned\\x07\\x1b[2J\\u202e.toml" in out
