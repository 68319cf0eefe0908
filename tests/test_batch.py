"""Checking many profiles at once, the way a script or a regional review would.

A folder holds good, failing, incomplete and broken profiles: the broken one is reported
and the others are still checked; the exit code is the most severe (2, then 1, then 3);
``--jobs`` changes only how fast, never what is printed.
"""

from __future__ import annotations

import io
import json
import shutil
from importlib import resources

import pytest
from cli_helpers import examples, run, write
from jsonschema_check import errors

INCOMPLETE = 'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "半途医院"\n'
BROKEN = 'schema_version = 1\nequipment = "pet_ct"\n[institution\nname = "x"\n'


def _pet_ct_example():
    return next(p for p in examples() if "pet_ct" in p.read_text("utf-8"))


@pytest.fixture
def folder(tmp_path):
    """a_good (compliant), b_broken, c_failing (not compliant), d_incomplete."""
    d = tmp_path / "profiles"
    d.mkdir()
    good = _pet_ct_example().read_text("utf-8")
    assert run("check", str(_pet_ct_example())).returncode == 0, (
        "the PET/CT example is expected to be compliant"
    )
    write(d / "a_good.toml", good)
    write(d / "b_broken.toml", BROKEN)
    write(d / "c_failing.toml", good.replace("senior_physicians = 3", "senior_physicians = 1"))
    write(d / "d_incomplete.toml", INCOMPLETE)
    write(d / "notes.txt", "not a profile")
    return d


def test_summary_lists_every_profile_and_totals(folder):
    p = run("check", str(folder), "--summary", "--lang", "en")
    assert p.returncode == 2
    lines = p.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].split("\t")[3:] == ["compliant", "not met 0", "open 0"]
    assert "b_broken.toml" in lines[1] and "\terror\t" in lines[1] and ":3" in lines[1]
    assert lines[2].split("\t")[3:5] == ["not compliant", "not met 1"]
    assert lines[3].split("\t")[1:4] == ["半途医院", "pet_ct", "incomplete"]
    assert lines[4] == "total 4: compliant 1, not compliant 1, incomplete 1, errors 1"
    assert "b_broken.toml:3" in p.stderr


def test_summary_in_chinese(folder):
    p = run("check", str(folder), "--summary", "--lang", "zh")
    assert p.stdout.splitlines()[-1] == "合计 4：符合 1，不符合 1，信息不全 1，错误 1"


@pytest.mark.parametrize(
    "keep,code",
    [
        (["a_good"], 0),
        (["a_good", "d_incomplete"], 3),
        (["a_good", "c_failing", "d_incomplete"], 1),
        (["a_good", "b_broken", "c_failing", "d_incomplete"], 2),
        (["b_broken", "d_incomplete"], 2),
    ],
)
def test_exit_code_is_the_most_severe(folder, keep, code):
    files = [str(folder / f"{k}.toml") for k in keep]
    assert run("check", *files, "--quiet").returncode == code
    assert run("check", *files, "--quiet", "--exit-zero").returncode == (2 if code == 2 else 0)


def test_per_file_results_in_json_lines(folder):
    p = run("check", str(folder), "--format", "jsonl", "--lang", "en")
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert [(r["source"].rsplit("/", 1)[1], r["status"]) for r in rows] == [
        ("a_good.toml", "compliant"),
        ("b_broken.toml", "error"),
        ("c_failing.toml", "not_compliant"),
        ("d_incomplete.toml", "incomplete"),
    ]
    assert "b_broken.toml:3" in rows[1]["error"]
    schema = json.loads(
        (resources.files("assistant.reports") / "schemas" / "report.schema.json").read_text("utf-8")
    )
    for r in rows:
        assert errors(schema, r) == []


def test_json_for_a_folder_is_an_array_with_errors_in_place(folder):
    p = run("check", str(folder), "--format", "json")
    data = json.loads(p.stdout)
    assert isinstance(data, list) and len(data) == 4
    assert data[1]["status"] == "error"
    single = json.loads(run("check", str(folder / "a_good.toml"), "--format", "json").stdout)
    assert isinstance(single, dict)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text", "markdown", "html"])
def test_jobs_give_byte_identical_output(tmp_path, fmt):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(4):
        for ex in examples():
            shutil.copy(ex, d / f"{i}-{ex.name}")
    write(d / "5-broken.toml", BROKEN)
    write(d / "6-incomplete.toml", INCOMPLETE)
    one = run("check", str(d), "--format", fmt, "--jobs", "1")
    two = run("check", str(d), "--format", fmt, "--jobs", "2")
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert len(one.stdout) > 1000


def test_summary_with_jobs_is_identical(folder):
    assert (
        run("check", str(folder), "--summary", "-j", "3").stdout
        == run("check", str(folder), "--summary").stdout
    )


def test_batch_recipe_from_the_readme(folder, tmp_path):
    """medequip check profiles/ --format jsonl --jobs 2 > results.jsonl"""
    p = run("check", "profiles/", "--format", "jsonl", "--jobs", "2", cwd=folder.parent)
    assert len(p.stdout.splitlines()) == 4


def test_standard_input(folder):
    text = (folder / "a_good.toml").read_text("utf-8")
    p = run("check", "-", "--format", "json", input=text)
    assert p.returncode == 0 and json.loads(p.stdout)["source"] == "<stdin>"
    mixed = run(
        "check", str(folder / "d_incomplete.toml"), "-", "--format", "jsonl", "--jobs", "2", input=text
    )
    assert [json.loads(x)["status"] for x in mixed.stdout.splitlines()] == ["incomplete", "compliant"]
    twice = run("check", "-", "-", input=text)
    assert twice.returncode == 2 and "only once" in twice.stderr


def test_quiet_prints_only_errors(folder):
    p = run("check", str(folder), "--quiet")
    assert p.stdout == "" and "b_broken.toml" in p.stderr and p.returncode == 2


def test_a_folder_without_profiles_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    p = run("check", str(tmp_path / "empty"))
    assert p.returncode == 2 and "no *.toml" in p.stderr


def test_unreadable_single_profile_leaves_output_file_alone(tmp_path):
    out = write(tmp_path / "out.json", "previous")
    p = run("check", str(write(tmp_path / "b.toml", BROKEN)), "--format", "json", "-o", str(out))
    assert p.returncode == 2 and out.read_text() == "previous"


def test_summary_is_text_only(folder):
    p = run("check", str(folder), "--summary", "--format", "json")
    assert p.returncode == 2 and "jsonl" in p.stderr


def test_progress_bar_only_after_a_moment_and_cleared(monkeypatch):
    from assistant.cli import batch

    err = io.StringIO()
    monkeypatch.setattr(batch.sys, "stderr", err)
    quick = batch.Progress(10, enabled=True)
    for _ in range(10):
        quick.step()
    quick.close()
    assert err.getvalue() == "", "a quick run shows no bar"
    monkeypatch.setattr(batch.Progress, "DELAY", 0)
    slow = batch.Progress(4, enabled=True)
    for _ in range(4):
        slow.step()
    slow.close()
    out = err.getvalue()
    assert "4/4" in out and out.endswith("\r\x1b[K")
    off = io.StringIO()
    monkeypatch.setattr(batch.sys, "stderr", off)
    piped = batch.Progress(4, enabled=False)
    piped.step()
    piped.close()
    assert off.getvalue() == ""


def test_a_folder_lists_its_toml_files_as_glob_would(tmp_path, monkeypatch):
    """The folder listing reads directory entries instead of statting each file: what it
    lists (hidden files, links, case, a folder named like a profile) must stay glob's."""
    import os
    from pathlib import Path

    from assistant.cli.batch import expand_inputs

    d = tmp_path / "in"
    d.mkdir()
    for name in ("b.toml", "a.toml", ".hidden.toml", "upper.TOML", "notes.txt", "a.toml.bak"):
        (d / name).write_text("x = 1\n")
    (d / "sub.toml").mkdir()  # a folder, not a profile
    (d / "sub.toml" / "inner.toml").write_text("x = 1\n")  # not searched: one level only
    os.symlink(d / "a.toml", d / "link.toml")
    os.symlink(d / "gone", d / "dangling.toml")
    monkeypatch.chdir(tmp_path)
    for spelled in (str(d), str(d) + "/", "in", "./in", "in/"):
        glob = sorted(str(f) for f in Path(spelled).glob("*.toml") if f.is_file())
        assert expand_inputs([spelled]) == glob
    assert [os.path.basename(p) for p in expand_inputs(["in"])] == [
        ".hidden.toml",
        "a.toml",
        "b.toml",
        "link.toml",
    ]
    monkeypatch.chdir(d)
    assert expand_inputs(["."]) == [".hidden.toml", "a.toml", "b.toml", "link.toml"]


def test_runs_cover_every_file_once_and_shrink_towards_the_end():
    from hypothesis import given
    from hypothesis import strategies as st

    from assistant.cli.batch import MAX_RUN, run_sizes

    @given(st.integers(0, 30_000), st.integers(1, 16))
    def check(files, workers):
        sizes = run_sizes(files, workers)
        assert sum(sizes) == files and all(1 <= s <= MAX_RUN for s in sizes)
        assert sizes == sorted(sizes, reverse=True)  # the big runs first, the small last
        if files >= workers:
            assert len(sizes) >= workers  # every worker has work
        if files > 2_000:
            assert sizes[-1] <= 8 < MAX_RUN  # the last runs are short: nobody waits long

    check()
