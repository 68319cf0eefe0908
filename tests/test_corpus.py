"""Broken input never crashes medequip: each gets one clear message and exit code 2.

``tests/corpus/profiles/`` holds broken profiles (and one valid profile with a UTF-8 BOM);
``tests/corpus/expected.toml`` says, for each, the exact line ``medequip check`` prints on
stderr and its exit code. A user who typed the profile by hand must be able to fix it from
that one line: it names the file, the line (and column, for TOML syntax) or the field path,
and what was expected. Cases that cannot live in a repository (a 50 MB file, a directory, a
missing or unreadable file, a device) are made here at test time. Custom rulesets in
``tests/corpus/rulesets/`` are data from outside: absurd ones are refused with a message
naming the limit, quickly, and nothing in any ruleset is ever opened, run or expanded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import pytest
from cli_helpers import run_bytes
from conftest import EXAMPLES, ROOT

from assistant.core.io import exitcodes
from assistant.core.profile.document import ProfileError, load
from assistant.core.profile.read import MAX_PROFILE_BYTES
from assistant.core.rules.loader import RulesetError
from assistant.entry import main

CORPUS = ROOT / "tests" / "corpus"
PROFILES = CORPUS / "profiles"
RULESETS = CORPUS / "rulesets"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text("utf-8"))
MEDEQUIP = [sys.executable, "-m", "assistant"]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDEQUIP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_corpus_is_big_enough_and_every_file_has_an_expectation():
    files = sorted(p.name for p in PROFILES.iterdir())
    assert files == sorted(EXPECTED), "every corpus file needs an entry in expected.toml, and only those"
    assert sum(1 for e in EXPECTED.values() if e["code"] == exitcodes.USAGE) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_profile_gives_its_one_line_message_and_exit_2(name, capsys, monkeypatch):
    expected = EXPECTED[name]
    monkeypatch.chdir(PROFILES)  # messages name the file as it was given
    code, out, err = run_main(capsys, "check", name, "--format", "json")
    assert code == expected["code"], err
    assert "Traceback" not in err
    if expected["stderr"]:
        assert err == f"medequip: {expected['stderr']}\n"
        assert out == ""
    else:
        assert err == ""
        assert json.loads(out)["source"] == name


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["code"] == exitcodes.USAGE))
def test_the_loader_raises_only_profile_errors(name):
    """The library API fails the same clean way the CLI does."""
    with pytest.raises(ProfileError) as info:
        load((PROFILES / name).read_bytes(), name)
    assert str(info.value) == EXPECTED[name]["stderr"]


def test_a_batch_reports_every_broken_file_and_still_checks_the_others(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in EXPECTED:
        (folder / name).write_bytes((PROFILES / name).read_bytes())
    good = sorted(EXAMPLES.glob("*.toml"))
    for p in good:
        (folder / ("zz-" + p.name)).write_bytes(p.read_bytes())
    monkeypatch.chdir(folder)
    code, out, err = run_main(capsys, "check", ".", "--format", "jsonl")
    assert code == exitcodes.USAGE
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == len(EXPECTED) + len(good)
    checked = [o for o in lines if o["status"] != "error"]
    assert len(checked) == len(good) + 1  # the examples and the BOM file
    errors = err.splitlines()
    assert len(errors) == sum(1 for e in EXPECTED.values() if e["stderr"])
    for line in errors:
        name = line.removeprefix("medequip: ").split(":", 1)[0]
        assert line == f"medequip: {EXPECTED[name]['stderr']}"


def test_a_whole_corpus_run_in_a_fresh_process_shows_no_traceback(tmp_path):
    env = dict(os.environ, MEDEQUIP_CACHE_DIR=str(tmp_path / "cache"), NO_COLOR="1")
    files = [str(PROFILES / n) for n in sorted(EXPECTED)]
    r = subprocess.run(
        [*MEDEQUIP, "check", *files, "--format", "json"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert r.returncode == exitcodes.USAGE
    assert "Traceback" not in r.stderr
    assert len(r.stderr.splitlines()) == sum(1 for e in EXPECTED.values() if e["stderr"])


# --- cases made at test time ------------------------------------------------------------------


def test_a_50_mb_file_is_refused_quickly_naming_the_limit(tmp_path, capsys):
    big = tmp_path / "big.toml"
    with open(big, "wb") as f:
        f.write(b'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "')
        f.truncate(50 * 1024 * 1024)
    start = time.perf_counter()
    code, out, err = run_main(capsys, "check", str(big), "--format", "json")
    assert time.perf_counter() - start < 1.0
    assert code == exitcodes.USAGE
    assert (
        err
        == f"medequip: {big}: file is 52,428,800 bytes; profiles are limited to {MAX_PROFILE_BYTES:,} bytes\n"
    )


def test_a_huge_profile_on_stdin_is_refused_without_reading_it_all(tmp_path):
    env = dict(os.environ, MEDEQUIP_CACHE_DIR=str(tmp_path / "cache"))
    data = b'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "' + b"x" * (
        3 * MAX_PROFILE_BYTES
    )
    r = run_bytes("check", "-", "--format", "json", input=data, environ=env, cwd=ROOT)
    assert r.returncode == exitcodes.USAGE
    assert (
        r.stderr.decode()
        == f"medequip: <stdin>: file is over {MAX_PROFILE_BYTES:,} bytes, the limit for a profile\n"
    )


def test_a_device_that_never_ends_is_refused_before_a_byte_is_read(capsys):
    code, out, err = run_main(capsys, "check", "/dev/zero", "--format", "json")
    assert code == exitcodes.USAGE
    assert (
        err
        == "medequip: /dev/zero: is a character device, not a regular file; expected a profile file (.toml)\n"
    )


def test_a_missing_file(capsys, tmp_path):
    code, out, err = run_main(capsys, "check", str(tmp_path / "nope.toml"), "--format", "json")
    assert code == exitcodes.USAGE
    assert err == f"medequip: {tmp_path / 'nope.toml'}: no such file; expected a profile file (.toml)\n"


def test_a_directory_without_profiles(capsys, tmp_path):
    code, out, err = run_main(capsys, "check", str(tmp_path), "--format", "json")
    assert code == exitcodes.USAGE
    assert err == f"medequip: {tmp_path}: directory holds no *.toml profiles\n"


def test_a_directory_given_to_the_loader(tmp_path):
    from assistant.core.profile.read import read_source

    with pytest.raises(ProfileError, match="is a directory, expected a profile file"):
        read_source(str(tmp_path))


def test_a_directory_named_like_a_profile_inside_a_folder_is_skipped(capsys, tmp_path):
    (tmp_path / "dir.toml").mkdir()
    (tmp_path / "ok.toml").write_bytes(next(EXAMPLES.glob("*.toml")).read_bytes())
    code, out, err = run_main(capsys, "check", str(tmp_path), "--format", "jsonl")
    assert err == "" and len(out.splitlines()) == 1


def _unreadable(path: Path) -> None:
    path.write_text('schema_version = 1\nequipment = "pet_ct"\n[institution]\n', "utf-8")
    path.chmod(0)


def check_without_privileges(capsys, *argv: str) -> tuple[int, str]:
    """``medequip check`` as a user that permissions apply to. chmod does not stop root, and
    tests often run as root (CI, containers): then the check runs in a forked child that first
    drops to the ``nobody`` user, so the permission error is real either way. Only as root
    without a ``nobody`` user is the case skipped."""
    if os.geteuid() != 0:
        code, out, err = run_main(capsys, "check", *argv)
        return code, err
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to drop to")
    # Everything the check needs is imported before the fork, so the child reads no module.
    import assistant.cli.batch  # noqa: F401
    import assistant.cli.check  # noqa: F401
    import assistant.cli.main  # noqa: F401
    import assistant.core.evaluate  # noqa: F401
    import assistant.core.profile.document  # noqa: F401
    import assistant.reports.report  # noqa: F401

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            sys.stderr = os.fdopen(write_fd, "w")
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            code = main(["check", *argv])
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as f:
        err = f.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


@pytest.fixture()
def open_folder(request) -> Path:
    """A folder outside pytest's private (0700) tmp tree, which another user can reach."""
    folder = Path(tempfile.mkdtemp(prefix="medequip-test-"))
    folder.chmod(0o755)
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    return folder


def test_an_unreadable_file(capsys, open_folder):
    target = open_folder / "secret.toml"
    _unreadable(target)
    code, err = check_without_privileges(capsys, str(target), "--format", "json")
    assert (code, err) == (exitcodes.USAGE, f"medequip: {target}: permission denied: cannot read the file\n")


def test_a_file_in_a_folder_that_cannot_be_entered(capsys, open_folder):
    """Even finding out whether the path is a folder fails here; that must not crash."""
    locked = open_folder / "locked"
    locked.mkdir()
    target = locked / "p.toml"
    target.write_text("x = 1\n", "utf-8")
    locked.chmod(0)
    try:
        code, err = check_without_privileges(capsys, str(target), "--format", "json")
    finally:
        locked.chmod(0o755)
    assert (code, err) == (exitcodes.USAGE, f"medequip: {target}: permission denied: cannot read the file\n")


# --- custom rulesets --------------------------------------------------------------------------

PROFILE = (
    'schema_version = 1\nequipment = "pet_ct"\n[institution]\nname = "x"\n[pet_ct]\nsenior_physicians = 3\n'
)

# file -> what the one error says (after the file name) ; every one exits 2
RULESET_ERRORS = {
    "count_absurd.toml": ":31: a number with 101 digits; numbers are limited to 100 digits",
    "max_absurd.toml": "facts[0].max: a number with 60 digits is out of bounds",
    "decimal_value.toml": "rules[0].condition.value: 3.5 is a decimal number; rulesets use whole numbers",
    "deep_condition.toml": "nested more than 40 levels deep",
    "long_string.toml": "rules[0].text_zh: a string of 30,000 characters; at most 10,000 allowed",
    "unknown_key.toml": "invalid ruleset\n  rules.0.weight: Extra inputs are not permitted",
    "undeclared_fact.toml": "inconsistent ruleset\n  pet_ct/1: reads undeclared fact pet_ct.junior_physicians",
    "code_as_condition.toml": "invalid ruleset\n  rules.0.condition: Unable to extract tag",
    "wrong_equipment.toml": "inconsistent ruleset\n  pet_ct/1: equipment 'pet_ct' is not in ruleset.equipment",
    "bad_rule_id.toml": "rules.0.id: Value error, rule id 'pet_ct/one' must look like pet_ct/2.3",
    "syntax_error.toml": "invalid TOML: Expected ']]' at the end of an array declaration (at line 25, column 8)",
    "non_utf8.toml": "ruleset is not UTF-8 text (byte 195)",
    "equipment_not_described.toml": "ruleset.equipment names pet_ct, which has no [[equipment]] entry",
    "value_of_wrong_type.toml": "pet_ct/1: pet_ct.senior_physicians is a number: it cannot be compared with 'three' using >=",
    "giant_hex_number.toml": ":22: a number with 5,000 digits; numbers are limited to 100 digits",
    "giant_negative_decimal.toml": ":32: a number with 5,000 digits; numbers are limited to 100 digits",
    "dotted_key_50000_parts.toml": ":35: a dotted key of 50,000 parts; keys are limited to 32 parts",
    "control_char_in_title.toml": "ruleset.title_en: text contains the control character '\\x1b' at character 1",
    "newline_in_text.toml": "rules[0].text_en: text contains the control character '\\n' at character 9",
    "max_below_min.toml": "pet_ct.senior_physicians: min 5 is greater than max 4: no answer fits",
    "duplicate_fact.toml": "pet_ct.senior_physicians: fact declared twice",
    "empty_text_en.toml": "pet_ct/1: text: English text is empty",
    "count_of_a_number.toml": "pet_ct/1: count of pet_ct.senior_physicians, which is not a roster fact",
}


@pytest.fixture()
def profile_file(tmp_path) -> Path:
    p = tmp_path / "p.toml"
    p.write_text(PROFILE, "utf-8")
    return p


def test_every_bad_ruleset_in_the_corpus_has_an_expectation():
    assert sorted(p.name for p in RULESETS.glob("*.toml")) == sorted([*RULESET_ERRORS, "tiny.toml"])


@pytest.mark.parametrize("name", sorted(RULESET_ERRORS))
def test_a_bad_custom_ruleset_is_refused_with_a_clear_message(name, capsys, profile_file):
    code, out, err = run_main(
        capsys, "check", str(profile_file), "--format", "json", "--ruleset", str(RULESETS / name)
    )
    assert code == exitcodes.USAGE
    assert out == ""
    assert f"{RULESETS / name}:" in err
    assert RULESET_ERRORS[name] in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", sorted(RULESET_ERRORS))
def test_the_loader_refuses_bad_rulesets_by_itself(name):
    """The limits hold for the library too, not only behind the command line, in the same
    words: the command line's preflight is the loader's own reader and parser."""
    from assistant.core.rules.loader import load_path

    with pytest.raises(RulesetError) as info:
        load_path(RULESETS / name)
    assert RULESET_ERRORS[name].split("\n")[-1].strip() in str(info.value)


def test_the_loader_bounds_nesting_and_strings_itself(tmp_path):
    from assistant.core.rules.loader import load_path
    from assistant.core.rules.read import MAX_DEPTH, MAX_STRING

    tiny = (RULESETS / "tiny.toml").read_text("utf-8")
    deep = tmp_path / "deep.toml"
    cond = '{ fact = "pet_ct.senior_physicians", op = ">=", value = 3 }'
    deep.write_text(
        tiny.replace(
            f"condition = {cond}", "condition = " + "{ not = " * MAX_DEPTH + cond + " }" * MAX_DEPTH
        ),
        "utf-8",
    )
    with pytest.raises(RulesetError, match=f"nested more than {MAX_DEPTH} levels deep"):
        load_path(deep)
    long = tmp_path / "long.toml"
    long.write_text(tiny.replace('text_zh = "', 'text_zh = "' + "长" * MAX_STRING), "utf-8")
    with pytest.raises(RulesetError, match=f"at most {MAX_STRING:,} allowed"):
        load_path(long)


def test_a_ruleset_with_100k_rules_is_refused_quickly(tmp_path, capsys, profile_file):
    tiny = (RULESETS / "tiny.toml").read_text("utf-8")
    many = tmp_path / "many.toml"
    many.write_text(tiny + "\n" + "[[rules]]\n" * 100_000, "utf-8")
    start = time.perf_counter()
    code, out, err = run_main(capsys, "check", str(profile_file), "--format", "json", "--ruleset", str(many))
    assert time.perf_counter() - start < 3
    assert code == exitcodes.USAGE
    assert "refused" in err or "allowed" in err
    from assistant.core.rules.loader import load_path

    start = time.perf_counter()
    with pytest.raises(RulesetError, match="entries; at most 2,000 allowed"):
        load_path(many)
    assert time.perf_counter() - start < 3


def test_a_huge_ruleset_is_refused_before_it_is_parsed(tmp_path, capsys, profile_file):
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * (3 * 1024 * 1024))
    code, out, err = run_main(capsys, "check", str(profile_file), "--ruleset", str(huge))
    assert code == exitcodes.USAGE and "rulesets are limited to 2,097,152 bytes" in err


def test_missing_and_directory_rulesets(tmp_path, capsys, profile_file):
    code, out, err = run_main(capsys, "check", str(profile_file), "--ruleset", str(tmp_path / "none.toml"))
    assert code == exitcodes.USAGE and "none.toml: no such" in err
    code, out, err = run_main(capsys, "check", str(profile_file), "--ruleset", str(tmp_path))
    assert code == exitcodes.USAGE and "is a directory" in err


def test_a_ruleset_is_data_nothing_in_it_is_opened_run_or_expanded(capsys, profile_file, tmp_path):
    """The tiny ruleset's strings look like paths, shell commands, templates and markup. An
    audit hook records every file opened and every process started while it is used."""
    events: list[tuple[str, tuple]] = []
    active = {"on": True}

    def hook(event, args):
        if active["on"] and event in (
            "open",
            "subprocess.Popen",
            "os.system",
            "os.exec",
            "os.spawn",
            "exec",
            "compile",
        ):
            events.append((event, args))

    sys.addaudithook(hook)
    try:
        code, out, err = run_main(
            capsys, "check", str(profile_file), "--format", "json", "--ruleset", str(RULESETS / "tiny.toml")
        )
    finally:
        active["on"] = False
    assert (code, err) == (exitcodes.COMPLIANT, "")
    report = json.loads(out)
    assert report["rules"][0]["text"] == "至少 3 名。`rm -rf ~`" or report["rules"][0]["text"].startswith(
        "At least 3."
    )
    opened = {
        str(a[0]) for e, a in events if e == "open" and a and isinstance(a[0], str | bytes | os.PathLike)
    }
    for forbidden in ("/etc/shadow", "/etc/passwd", "../../../../etc/passwd", "/tmp/medequip-pwned"):
        assert not any(forbidden in p for p in opened), forbidden
    assert not [e for e, _ in events if e in ("subprocess.Popen", "os.system", "os.exec", "os.spawn")]
    assert not os.path.exists("/tmp/medequip-pwned")


# --- the last line of defence ------------------------------------------------------------------


def test_an_internal_error_prints_one_line_and_a_crash_log_never_a_traceback(capsys, monkeypatch, tmp_path):
    import assistant.core.evaluate

    def boom(*a, **k):
        raise RuntimeError("a bug in the evaluator")

    monkeypatch.setattr(assistant.core.evaluate, "evaluate", boom)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    code, out, err = run_main(capsys, "check", str(next(EXAMPLES.glob("*.toml"))), "--format", "json")
    assert code == exitcodes.INTERNAL == 70
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1
    log = Path(err.split("crash log ", 1)[1].strip())
    assert log.parent == tmp_path
    assert "RuntimeError: a bug in the evaluator" in log.read_text("utf-8")


def test_an_internal_error_in_a_fresh_process_exits_70(tmp_path):
    code = (
        "import sys, assistant.core.evaluate as e\n"
        "def boom(*a, **k): raise ZeroDivisionError('bug')\n"
        "e.evaluate = boom\n"
        "from assistant.entry import main\n"
        f"sys.exit(main(['check', {str(next(EXAMPLES.glob('*.toml')))!r}]))\n"
    )
    env = dict(os.environ, TMPDIR=str(tmp_path), MEDEQUIP_CACHE_DIR=str(tmp_path / "cache"))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 70
    assert "Traceback" not in r.stderr and "crash log" in r.stderr
    assert list(tmp_path.glob("medequip-crash-*.log"))


def test_a_closed_pipe_is_not_an_error(tmp_path):
    env = dict(os.environ, MEDEQUIP_CACHE_DIR=str(tmp_path / "cache"))
    r = subprocess.run(
        f"{sys.executable} -m assistant rules | head -c 10 > /dev/null",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert r.stderr == ""


def test_version_and_help_exit_0(capsys):
    assert main(["--version"]) == 0
    assert main(["check", "--help"]) == 0
    capsys.readouterr()


def test_user_text_is_shown_literally_on_a_rich_terminal(tmp_path):
    """Rich reads ``[...]`` as markup: an institution called ``[bold red]x`` must print as
    those characters, not as a red x, and must not break the table either."""
    from rich.console import Console

    from assistant.core.evaluate import evaluate
    from assistant.reports import report

    raw = next(EXAMPLES.glob("pet_ct*.toml")).read_text("utf-8")
    raw = raw.replace('name = "明德国际医院"', 'name = "[bold red]x[/bold red] [link=file:///etc/passwd]y"')
    profile, rs = load(raw.encode(), "p.toml")
    ev = evaluate(rs, profile.equipment, profile.answers)
    console = Console(
        force_terminal=True, color_system="truecolor", width=120, record=True, file=open(os.devnull, "w")
    )  # noqa: SIM115
    report.print_rich(report.build(profile, rs, ev, "en"), "en", console)
    text = console.export_text()
    assert "[bold red]x[/bold red] [link=file:///etc/passwd]y" in text
    ansi = console.export_text(styles=True)
    assert "\x1b]8;" not in ansi  # no hyperlink was made from the name


@pytest.mark.parametrize("op", ["==", "!=", ">=", ">", "<=", "<", "in", "contains", "intersects"])
@pytest.mark.parametrize("value", ["3", "true", '"three"', '["a"]', "[]", "-5"])
def test_any_operator_and_value_in_a_custom_ruleset_loads_and_evaluates_or_is_refused(
    op, value, tmp_path, capsys, profile_file
):
    """Whatever comparison a custom ruleset writes, check gives a verdict or a clean refusal,
    never an internal error."""
    tiny = (RULESETS / "tiny.toml").read_text("utf-8")
    rules = tmp_path / "r.toml"
    rules.write_text(tiny.replace('op = ">=", value = 3 }', f'op = "{op}", value = {value} }}'), "utf-8")
    code, out, err = run_main(capsys, "check", str(profile_file), "--format", "json", "--ruleset", str(rules))
    assert code in (0, 1, 2, 3), err
    assert "Traceback" not in err and "internal error" not in err
