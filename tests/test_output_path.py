"""Every byte written or an error: the one output path, for every command and format, on
standard output and with ``-o``, against descriptors that take a few bytes at a time, a full
disk (a real 24 KiB tmpfs, and /dev/full), a reader that went away, and an ``-o`` that names
an input. Runs are in-process (``run_main``) over real descriptors; the exit codes of real
processes are checked where the issue saw them."""

from __future__ import annotations

import errno
import fcntl
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cli_helpers import EXAMPLES, ROOT, run, run_main

from assistant.core.io import atomic

PET_CT = str(EXAMPLES / "pet_ct_new_nonpublic.toml")
PROTON = str(EXAMPLES / "proton_existing_tertiary.toml")
CASES = [
    str(ROOT / "tests" / "cases" / f"{e}.toml")
    for e in ("pet_ct", "pet_mr", "conventional_rt", "laparoscopic_robot")
]
FULL_LINE = "cannot write to {target}: No space left on device"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """A folder of 30 generated profiles (every equipment in turn)."""
    from tests.benchmarks.generate import generate

    folder = tmp_path_factory.mktemp("batch")
    generate(folder, 30, seed=3)
    return folder


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> str:
    """The PET/CT example with one answer changed, for ``diff``."""
    p = tmp_path_factory.mktemp("diff") / "after.toml"
    p.write_text(Path(PET_CT).read_text("utf-8").replace("= 2", "= 1", 1), "utf-8")
    return str(p)


# (id, argv with {dir} and {after} for the batch folder and the edited profile, takes -o)
COMMANDS = [
    *[
        (f"check-one-{f}", ["check", PROTON, "--format", f], True)
        for f in ("text", "json", "jsonl", "markdown", "html", "csv", "docx")
    ],
    ("check-one-json-lean", ["check", PET_CT, "--format", "json", "--detail", "lean"], True),
    *[
        (f"check-dir-{f}", ["check", "{dir}", "--format", f], True)
        for f in ("text", "json", "jsonl", "markdown", "html", "csv", "docx")
    ],
    ("check-dir-summary", ["check", "{dir}", "--summary"], True),
    ("check-dir-xlsx", ["check", "{dir}", "--format", "xlsx"], "only"),
    *[
        (f"stats-{f}", ["stats", "{dir}", "--format", f], True)
        for f in ("text", "markdown", "html", "json", "csv")
    ],
    *[
        (f"checklist-{f}", ["checklist", PROTON, "--format", f], True)
        for f in ("text", "json", "markdown", "html", "docx")
    ],
    ("man", ["man"], True),
    *[(f"completion-{s}", ["completion", s], False) for s in ("bash", "zsh", "fish")],
    *[(f"schema-{w}", ["schema", w], True) for w in ("profile", "report", "explain", "checklist", "stats")],
    ("template", ["template", "proton"], True),
    ("rules", ["rules"], False),
    ("rules-json", ["rules", "--format", "json"], False),
    ("rules-show", ["rules", "show", "pet_ct/3.1"], False),
    ("rules-lint", ["rules", "lint", str(ROOT / "rulesets" / "class-b-access.toml")], False),
    ("rules-diff", ["rules", "diff", "class-b-access", "class-b-access"], False),
    *[(f"explain-{f}", ["explain", PET_CT, "pet_ct/3.1", "--format", f], False) for f in ("text", "json")],
    *[(f"diff-{f}", ["diff", PET_CT, "{after}", "--format", f], False) for f in ("text", "json")],
    # Four of the five case files: the proton one alone takes 0.8 s of coverage search per run,
    # and adds nothing the output path does not already see in the other four.
    *[(f"test-{f}", ["test", *CASES, "--format", f, "--coverage"], False) for f in ("text", "json")],
    *[(f"questions-{f}", ["questions", "proton", "--format", f], False) for f in ("text", "json")],
    *[
        (f"against-{f}", ["check", PET_CT, "--against", "class-b-access", "--format", f], True)
        for f in ("text", "json")
    ],
]
IDS = [c[0] for c in COMMANDS]
TO_STDOUT = [c for c in COMMANDS if c[2] != "only"]
TO_FILE = [c for c in COMMANDS if c[2]]


def _argv(argv: list[str], batch: Path, edited: str) -> list[str]:
    return [a.format(dir=batch, after=edited) for a in argv]


_reference: dict[tuple, tuple[int, bytes]] = {}


def reference(argv: list[str], tmp_path: Path, to_file: bool) -> tuple[int, bytes]:
    """Exit code and bytes of a run with room to write (computed once per command)."""
    key = (tuple(argv), to_file)
    if key not in _reference:
        if to_file:
            target = tmp_path / "reference.out"
            code, _, err = run_main(*argv, "-o", str(target))
            _reference[key] = (code, target.read_bytes() if target.exists() else b"")
            # Gone once read: the next command's reference (a template refuses to replace a
            # file) must not depend on which tests of this worker ran before.
            target.unlink(missing_ok=True)
        else:
            code, out, err = run_main(*argv)
            _reference[key] = (code, out)
        assert code in (0, 1, 3), err
    return _reference[key]


def same_output(got: bytes, want: bytes) -> bool:
    """Equal bytes; a workbook is compared member by member, its creation time aside."""
    if want[:2] != b"PK":
        return got == want
    a, b = zipfile.ZipFile(io.BytesIO(got)), zipfile.ZipFile(io.BytesIO(want))
    names = [n for n in b.namelist() if n != "docProps/core.xml"]
    return a.namelist() == b.namelist() and all(a.read(n) == b.read(n) for n in names)


# --- the writer itself --------------------------------------------------------------------


class FewBytes:
    """A descriptor that takes at most ``n`` bytes a call (really written), optionally
    failing with ``fail`` once ``limit`` bytes are in, or being interrupted or full at
    first."""

    def __init__(self, n: int = 3, limit: int | None = None, fail: int = errno.ENOSPC, hiccups: tuple = ()):
        self.n, self.limit, self.fail = n, limit, fail
        self.hiccups = list(hiccups)
        self.calls = self.written = 0

    def __call__(self, fd: int, data) -> int:
        self.calls += 1
        if self.hiccups:
            raise self.hiccups.pop(0)
        if self.limit is not None and self.written >= self.limit:
            raise OSError(self.fail, os.strerror(self.fail))
        take = self.n if self.limit is None else min(self.n, self.limit - self.written)
        n = os.write(fd, bytes(data[:take]))
        self.written += n
        return n


def test_write_all_loops_until_every_byte_is_written(tmp_path, monkeypatch):
    double = FewBytes(3, hiccups=(InterruptedError(), BlockingIOError()))
    monkeypatch.setattr(atomic, "_os_write", double)
    data = bytes(range(256)) * 40
    with open(tmp_path / "f", "wb") as f:
        atomic.write_all(f.fileno(), data)
    assert (tmp_path / "f").read_bytes() == data
    assert double.calls >= len(data) // 3


def test_write_all_raises_what_stopped_it_after_the_bytes_that_went(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_os_write", FewBytes(5, limit=12))
    with open(tmp_path / "f", "wb") as f, pytest.raises(OSError) as info:
        atomic.write_all(f.fileno(), b"x" * 100)
    assert info.value.errno == errno.ENOSPC
    assert (tmp_path / "f").read_bytes() == b"x" * 12
    monkeypatch.setattr(atomic, "_os_write", FewBytes(5, limit=0, fail=errno.EPIPE))
    with open(tmp_path / "g", "wb") as f, pytest.raises(BrokenPipeError):
        atomic.write_all(f.fileno(), b"y")


def test_a_write_that_takes_nothing_is_an_error_not_a_loop(monkeypatch):
    monkeypatch.setattr(atomic, "_os_write", lambda fd, data: 0)
    with pytest.raises(OSError):
        atomic.write_all(1, b"z")


@pytest.mark.parametrize("length", [1, 200, 242, 245, 250, 255])
@pytest.mark.parametrize("char", ["a", "中", "é"])
def test_a_temporary_name_fits_the_limit_and_never_splits_a_character(length, char):
    name = (char * length).encode("utf-8")[:length].decode("utf-8", "ignore") or char
    tmp = atomic.temp_name(name, 255)
    assert len(os.fsencode(tmp)) <= 255
    assert tmp.startswith(".") and tmp.endswith(".tmp")
    tmp.encode("utf-8")  # whole characters only


@pytest.mark.parametrize("length", [242, 246, 250, 255])
def test_a_target_name_up_to_the_folder_limit_is_written(tmp_path, length):
    target = tmp_path / ("n" * length)
    code, _, err = run_main("check", PET_CT, "--format", "json", "-o", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(b"{")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# --- through every command: a few bytes at a time, and the output fd failing -----------------


@pytest.mark.parametrize("name,argv,o", TO_STDOUT, ids=[c[0] for c in TO_STDOUT])
def test_every_command_writes_all_of_its_output_a_few_bytes_at_a_time(
    name, argv, o, batch, edited, tmp_path, monkeypatch
):
    argv = _argv(argv, batch, edited)
    code, want = reference(argv, tmp_path, False)
    monkeypatch.setattr(atomic, "_os_write", FewBytes(7))
    with open(tmp_path / "out", "w", encoding="utf-8", newline="") as f:
        got_code, _, err = run_main(*argv, stdout=f)
    assert (got_code, err) == (code, "")
    assert same_output((tmp_path / "out").read_bytes(), want)


@pytest.mark.parametrize("name,argv,o", TO_FILE, ids=[c[0] for c in TO_FILE])
def test_every_file_output_is_written_whole_a_few_bytes_at_a_time(
    name, argv, o, batch, edited, tmp_path, monkeypatch
):
    argv = _argv(argv, batch, edited)
    code, want = reference(argv, tmp_path, True)
    monkeypatch.setattr(atomic, "_os_write", FewBytes(7))
    target = tmp_path / "new.out"
    got_code, _, err = run_main(*argv, "-o", str(target))
    assert (got_code, err) == (code, "")
    assert same_output(target.read_bytes(), want)


@pytest.mark.parametrize("name,argv,o", TO_STDOUT, ids=[c[0] for c in TO_STDOUT])
def test_a_stdout_that_fails_part_way_is_exit_74_and_one_line(
    name, argv, o, batch, edited, tmp_path, monkeypatch
):
    argv = _argv(argv, batch, edited)
    monkeypatch.setattr(atomic, "_os_write", FewBytes(7, limit=20))
    with open(tmp_path / "out", "w", encoding="utf-8") as f:
        code, _, err = run_main(*argv, stdout=f)
    assert code == 74
    assert err.splitlines() == ["medequip: " + FULL_LINE.format(target="standard output")]
    assert (tmp_path / "out").read_bytes() == reference(argv, tmp_path, False)[1][:20]


@pytest.mark.parametrize("name,argv,o", TO_FILE, ids=[c[0] for c in TO_FILE])
def test_a_file_that_fails_part_way_is_exit_74_naming_it_and_left_as_it_was(
    name, argv, o, batch, edited, tmp_path, monkeypatch
):
    argv = _argv(argv, batch, edited)
    target = tmp_path / "old.out"
    target.write_bytes(b"the previous report\n")
    force = ["--force"] if argv[0] == "template" else []
    monkeypatch.setattr(atomic, "_os_write", FewBytes(7, limit=20))
    code, _, err = run_main(*argv, *force, "-o", str(target))
    assert code == 74
    assert err.splitlines() == ["medequip: " + FULL_LINE.format(target=target)]
    assert target.read_bytes() == b"the previous report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "reference.out"] == ["old.out"]


@pytest.mark.parametrize("name,argv,o", TO_STDOUT, ids=[c[0] for c in TO_STDOUT])
def test_a_reader_that_went_away_ends_every_command_quietly_with_141(name, argv, o, batch, edited):
    argv = _argv(argv, batch, edited)
    r, w = os.pipe()
    os.close(r)  # the reader is gone before the first byte
    with os.fdopen(w, "w", encoding="utf-8") as f:
        code, _, err = run_main(*argv, stdout=f)
        try:
            f.close()
        except BrokenPipeError:
            pytest.fail("something was left in the stream's buffer")
    assert (code, err) == (141, "")


@pytest.mark.parametrize("name,argv,o", TO_STDOUT, ids=[c[0] for c in TO_STDOUT])
def test_dev_full_on_stdout_is_exit_74_and_one_line(name, argv, o, batch, edited):
    argv = _argv(argv, batch, edited)
    with open("/dev/full", "w", encoding="utf-8") as f:
        code, _, err = run_main(*argv, stdout=f)
    assert code == 74
    assert err.splitlines() == ["medequip: " + FULL_LINE.format(target="standard output")]


def test_the_issue_s_dev_full_cases_as_real_processes(batch):
    for argv in (
        ["check", str(batch), "--format", "csv"],
        ["check", str(batch), "--format", "json"],
        *(["stats", str(batch), "--format", f] for f in ("text", "markdown", "html", "json", "csv")),
    ):
        with open("/dev/full", "wb") as full:
            p = subprocess.run(
                [sys.executable, "-m", "assistant", *argv],
                stdout=full,
                stderr=subprocess.PIPE,
                cwd=ROOT,
                env=_env(),
            )
        assert p.returncode == 74, argv
        assert p.stderr.decode().splitlines() == ["medequip: " + FULL_LINE.format(target="standard output")]


def _env() -> dict[str, str]:
    from cli_helpers import env

    return env()


# --- a real small disk ----------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 24 KiB tmpfs, mounted for the test and unmounted after it."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    disk = tmp_path / "disk"
    disk.mkdir()
    p = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if p.returncode:
        pytest.skip(f"this machine cannot mount a tmpfs: {p.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def _empty(disk: Path) -> None:
    for p in disk.iterdir():
        p.unlink()


def test_every_command_on_a_nearly_full_disk_writes_everything_or_says_so(
    small_disk, batch, edited, tmp_path
):
    """Standard output redirected to a file on the small disk, and ``-o`` onto it: all bytes
    (what a run with room writes), or exit 74 with one line naming the target and, for
    ``-o``, nothing left on the disk."""
    outcomes = {"written": 0, "refused": 0}
    for name, argv, o in COMMANDS:
        argv = _argv(argv, batch, edited)
        if o != "only":
            _empty(small_disk)
            code, want = reference(argv, tmp_path, False)
            with open(small_disk / "out", "w", encoding="utf-8", newline="") as f:
                got, _, err = run_main(*argv, stdout=f)
            if got == 74:
                assert err.splitlines() == ["medequip: " + FULL_LINE.format(target="standard output")], name
                outcomes["refused"] += 1
            else:
                assert (got, err) == (code, ""), name
                assert same_output((small_disk / "out").read_bytes(), want), name
                outcomes["written"] += 1
        if o:
            _empty(small_disk)
            code, want = reference(argv, tmp_path, True)
            target = small_disk / "report.out"
            got, _, err = run_main(*argv, "-o", str(target))
            if got == 74:
                assert err.splitlines() == ["medequip: " + FULL_LINE.format(target=target)], name
                assert list(small_disk.iterdir()) == [], name  # no half file, no temporary
                outcomes["refused"] += 1
            else:
                assert (got, err) == (code, ""), name
                assert same_output(target.read_bytes(), want), name
                outcomes["written"] += 1
    assert outcomes["written"] > 10 and outcomes["refused"] > 10  # both sides of 24 KiB were tried


def test_a_folder_of_html_reports_on_a_full_disk_is_exit_74_naming_the_file(small_disk, batch):
    code, _, err = run_main("check", str(batch), "--format", "html", "-o", f"{small_disk}/reports/")
    assert code == 74
    [line] = err.splitlines()
    assert (
        line.startswith(f"medequip: cannot write to {small_disk}/reports/")
        and "No space left on device" in line
    )
    assert not [p for p in (small_disk / "reports").iterdir() if p.name.endswith(".tmp")]


# --- pipes closed by a real reader --------------------------------------------------------------


@pytest.mark.parametrize("name,argv,o", TO_STDOUT, ids=[c[0] for c in TO_STDOUT])
def test_head_c_1_ends_every_format_with_141_and_no_traceback(name, argv, o, batch, edited, tmp_path):
    """``medequip … | head -c 1`` with the pipe at its smallest (one page): an output larger
    than that is still being written when the reader leaves, which must end medequip with
    141 and nothing on stderr; a smaller one is written whole first (as ``cat``'s would be)."""
    argv = _argv(argv, batch, edited)
    code, want = reference(argv, tmp_path, False)
    r, w = os.pipe()
    fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ
    p = subprocess.Popen(
        [sys.executable, "-m", "assistant", *argv], stdout=w, stderr=subprocess.PIPE, cwd=ROOT, env=_env()
    )
    os.close(w)
    head = subprocess.run(["head", "-c", "1"], stdin=r, capture_output=True)
    os.close(r)
    err = p.stderr.read().decode()
    p.wait(timeout=60)
    assert head.stdout == want[:1]
    assert "Traceback" not in err
    if len(want) > 2 * 4096:
        assert (p.returncode, err) == (141, "")
    else:
        assert p.returncode in (code, 141)


# --- never an input -----------------------------------------------------------------------------


def _inputs(tmp_path: Path) -> list[tuple[str, list[str], str]]:
    """(what, argv with {out} for the -o target, the input it must not replace)."""
    profile = tmp_path / "p.toml"
    profile.write_bytes(Path(PET_CT).read_bytes())
    folder = tmp_path / "batch"
    folder.mkdir()
    member = folder / "m.toml"
    member.write_bytes(Path(PROTON).read_bytes())
    rules = tmp_path / "rules.toml"
    rules.write_bytes((ROOT / "rulesets" / "class-b-access.toml").read_bytes())
    p, f, m, r = str(profile), str(folder), str(member), str(rules)
    return [
        *[
            (f"check {fmt}", ["check", p, "--format", fmt, "-o", "{out}"], p)
            for fmt in ("text", "json", "html", "csv", "xlsx", "markdown", "docx")
        ],
        ("check folder", ["check", f, "--format", "jsonl", "-o", "{out}"], m),
        ("check --ruleset", ["check", p, "--ruleset", r, "-o", "{out}"], r),
        ("check --against", ["check", p, "--against", r, "-o", "{out}"], r),
        ("stats", ["stats", f, "--format", "csv", "-o", "{out}"], m),
        *[
            (f"checklist {fmt}", ["checklist", p, "--format", fmt, "-o", "{out}"], p)
            for fmt in ("text", "html", "json", "docx")
        ],
        ("template --ruleset", ["template", "pet_ct", "--ruleset", r, "--force", "-o", "{out}"], r),
        (
            "interview --ruleset",
            ["interview", "--plain", "--equipment", "pet_ct", "--ruleset", r, "--force", "-o", "{out}"],
            r,
        ),
    ]


@pytest.mark.parametrize("how", ["itself", "symlink", "hard link"])
def test_no_output_ever_replaces_a_file_the_run_reads(tmp_path, how):
    for what, argv, source in _inputs(tmp_path):
        before = Path(source).read_bytes()
        if how == "itself":
            out = source
        else:
            out = str(tmp_path / f"out-{len(os.listdir(tmp_path))}.toml")
            (os.symlink if how == "symlink" else os.link)(source, out)
        code, _, err = run_main(*[a.format(out=out) for a in argv])
        assert code == 2, (what, err)
        assert f"-o {out}: is the same file as the input " in err, (what, err)
        assert Path(source).read_bytes() == before, what
        assert not [p for p in Path(source).parent.iterdir() if p.name.endswith(".tmp")], what


def test_a_file_read_on_the_way_is_an_input_too(tmp_path):
    """A ruleset read while the run works (a base a variant extends, a bundled one) is known
    by the file it was read from: an output reaching it through a hard link is refused."""
    from assistant.cli.output import InputGuard
    from assistant.core.io import safeio
    from assistant.core.text.errors import UsageError

    base = tmp_path / "base.toml"
    base.write_text("x = 1\n", "utf-8")
    other = tmp_path / "other.toml"
    os.link(base, other)
    guard = InputGuard([])
    guard.check(other)  # not read yet: nothing to protect
    safeio.read_limited(base, 100, "ruleset")
    with pytest.raises(UsageError, match="other.toml: is the same file as the input .*base.toml"):
        guard.check(other)


def test_an_interview_may_still_write_its_answers_back_to_their_file(tmp_path):
    """``interview --answers P -o P`` edits P in place (as --resume does), by design."""
    p = tmp_path / "p.toml"
    p.write_bytes(Path(PET_CT).read_bytes())
    r = run("interview", "--plain", "--answers", str(p), "-o", str(p), input="")
    assert r.returncode in (0, 1, 3), r.stderr


# --- a folder of HTML reports ---------------------------------------------------------------


def test_a_folder_of_reports_is_written_into_an_existing_folder_again_and_again(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for ex in ("pet_ct_new_nonpublic", "proton_existing_tertiary"):
        (src / f"{ex}.toml").write_bytes((EXAMPLES / f"{ex}.toml").read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    (out / "proton_existing_tertiary.html").write_text("an old report", "utf-8")
    first = run_main("check", str(src), "--format", "html", "-o", str(out))
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    second = run_main("check", str(src), "--format", "html", "-o", f"{out}/")
    assert first[0] == second[0] == 0, first[2] + second[2]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == files
    assert sorted(files) == [
        "index.html",
        "notes.txt",
        "pet_ct_new_nonpublic.html",
        "proton_existing_tertiary.html",
    ]
    assert files["notes.txt"] == b"mine" and files["proton_existing_tertiary.html"].startswith(
        b"<!DOCTYPE html>"
    )


def test_names_that_collide_or_are_long_get_their_own_report(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    names = [
        "a b.toml",
        "a_b.toml",
        "A_B.toml",
        "index.toml",
        "x" * 241 + ".toml",
        "中" * 83 + ".toml",
        "y" * 250 + ".toml",
    ]
    for n in names:
        (src / n).write_bytes(Path(PET_CT).read_bytes())
    out = tmp_path / "out"
    code, _, err = run_main("check", str(src), "--format", "html", "-o", f"{out}/")
    assert code == 0, err
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == len(names) + 1 and "index.html" in written
    assert all(len(os.fsencode(n)) <= 255 for n in written)
    assert len({n.lower() for n in written}) == len(written)
    index = (out / "index.html").read_text("utf-8")
    assert all(f'href="{n}"' in index for n in written if n != "index.html")


def test_a_symlinked_output_folder_is_refused_and_a_link_in_it_is_replaced_not_followed(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "p.toml").write_bytes(Path(PET_CT).read_bytes())
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    for spelled in (f"{tmp_path}/link", f"{tmp_path}/link/"):
        code, _, err = run_main("check", str(src), "--format", "html", "-o", spelled)
        assert code == 2 and "symbolic link" in err
    assert list(real.iterdir()) == []
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", "utf-8")
    (real / "p.html").symlink_to(outside)
    code, _, err = run_main("check", str(src), "--format", "html", "-o", str(real))
    assert code == 0, err
    assert outside.read_text("utf-8") == "keep"
    assert not (real / "p.html").is_symlink() and (real / "p.html").read_bytes().startswith(b"<!DOCTYPE")


# --- what reaches a terminal --------------------------------------------------------------------

EVIL = "evil\x1b]0;owned\x07\u202e"


def test_source_paths_are_escaped_in_csv_and_in_the_html_index(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / f"{EVIL}.toml").write_bytes(Path(PET_CT).read_bytes())
    (src / f"{EVIL}broken.toml").write_text("not toml [", "utf-8")
    code, out, _ = run_main("check", str(src), "--format", "csv")
    text = out.decode("utf-8")
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b]0;owned\\x07\\u202e" in text
    run_main("check", str(src), "--format", "html", "-o", f"{tmp_path}/out/")
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "\x1b" not in index and "\u202e" not in index and "\\x1b]0;owned" in index


def test_check_against_shows_a_profile_s_name_escaped(tmp_path):
    p = tmp_path / f"{EVIL}.toml"
    p.write_bytes(Path(PET_CT).read_bytes())
    stricter = tmp_path / "stricter.toml"  # an edition asking one more senior physician
    text = (ROOT / "rulesets" / "class-b-access.toml").read_text("utf-8")
    stricter.write_text(
        text.replace(
            'fact = "pet_ct.senior_physicians", op = ">=", value = 3',
            'fact = "pet_ct.senior_physicians", op = ">=", value = 4',
        ),
        "utf-8",
    )
    code, out, err = run_main("check", str(p), "--ruleset", str(stricter), "--against", "class-b-access")
    shown = out.decode("utf-8") + err
    assert code == 1, err
    assert "\x1b" not in shown and "\u202e" not in shown and "\\x1b]0;owned\\x07\\u202e" in shown


def test_medequip_test_shows_why_and_rule_ids_escaped(tmp_path):
    cases = tmp_path / "cases.toml"
    cases.write_text(
        'equipment = "pet_ct"\n\n[[cases]]\nrule = "pet_ct/3.1"\nexpect = "met"\n'
        'why = "\\u001b]0;owned\\u0007 \\u202e reversed"\n[cases.profile.pet_ct]\nsenior_physicians = 1\n'
        '\n[[cases]]\nrule = "pet_ct/\\u001b[2J"\nexpect = "met"\nwhy = "x"\n[cases.profile.pet_ct]\nsenior_physicians = 1\n',
        "utf-8",
    )
    code, out, err = run_main("test", str(cases), "--lang", "en")
    text = out.decode("utf-8") + err
    assert code in (1, 2)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    if code == 1:
        assert "\\x1b]0;owned\\x07 \\u202e reversed" in text


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "markdown", "html", "csv", "xlsx", "docx"])
def test_quiet_writes_nothing_whatever_the_format(batch, tmp_path, fmt):
    target = f"{tmp_path}/out/" if fmt in ("html", "docx") else str(tmp_path / "out")
    code, out, err = run_main("check", str(batch), "--format", fmt, "--quiet", "-o", target)
    assert code in (0, 1, 3) and (out, err) == (b"", "")
    assert list(tmp_path.iterdir()) == []
