"""The one way in, the one way out, the sanitiser and the profile lock, as building blocks.

Every file medequip reads goes through ``safeio.read_limited`` and every TOML text through
``safeio.prescan_toml``; these tests pin what those refuse and that they refuse it at once,
whatever sits at the path. The command-line behaviour built on them is tested in
``test_hardening.py``.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
import tomllib

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.io import safeio
from assistant.core.io.lock import Locked, ProfileLock, lock_path
from assistant.core.text.sanitize import UNSAFE, escape

# --- reading ------------------------------------------------------------------------------------


def _refused(path, limit=1024, what="profile") -> safeio.Refused:
    start = time.perf_counter()
    with pytest.raises(safeio.Refused) as info:
        safeio.read_limited(path, limit, what)
    assert time.perf_counter() - start < 1.0
    return info.value


def test_a_fifo_without_a_writer_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    e = _refused(fifo)
    assert (e.kind, e.reason) == (
        "special",
        "is a FIFO (named pipe), not a regular file; expected a profile file (.toml)",
    )


def test_a_symlink_to_a_fifo_is_refused_too(tmp_path):
    os.mkfifo(tmp_path / "f")
    (tmp_path / "link.toml").symlink_to(tmp_path / "f")
    assert _refused(tmp_path / "link.toml").kind == "special"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_before_a_byte_is_read(device):
    e = _refused(device, what="ruleset")
    assert e.reason == "is a character device, not a regular file; expected a ruleset file (.toml)"


def test_a_directory_and_a_socket_are_refused(tmp_path):
    assert _refused(tmp_path).reason == "is a directory, expected a profile file (.toml)"
    sock_path = tmp_path / "s.toml"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(sock_path))
        e = _refused(sock_path)
    finally:
        s.close()
    assert e.reason == "is a socket, not a regular file; expected a profile file (.toml)"


def test_missing_and_too_big_files(tmp_path):
    assert _refused(tmp_path / "none.toml").kind == "missing"
    big = tmp_path / "big.toml"
    big.write_bytes(b"x" * 1025)
    assert _refused(big).reason == "file is 1,025 bytes; profiles are limited to 1,024 bytes"
    exact = tmp_path / "exact.toml"
    exact.write_bytes(b"x" * 1024)
    assert safeio.read_limited(exact, 1024) == b"x" * 1024


def test_files_whose_size_says_little_are_read_whole(tmp_path):
    # The first read asks for the size fstat gave: a file reporting none (/proc) or one
    # longer than a read returns must still come back whole, and the limit still holds.
    status = safeio.read_limited("/proc/self/status", 1 << 20)
    assert status.startswith(b"Name:") and status.endswith(b"\n")
    body = bytes(range(256)) * 1000  # several reads' worth
    (tmp_path / "long.toml").write_bytes(body)
    assert safeio.read_limited(tmp_path / "long.toml", len(body)) == body
    with pytest.raises(safeio.Refused):
        safeio.read_limited("/proc/self/status", 10)


def test_a_symlink_to_a_regular_file_is_read(tmp_path):
    (tmp_path / "real.toml").write_bytes(b"a = 1\n")
    (tmp_path / "link.toml").symlink_to(tmp_path / "real.toml")
    assert safeio.read_limited(tmp_path / "link.toml", 100) == b"a = 1\n"


def test_standard_input_is_bounded_by_length_only():
    import io

    assert safeio.read_stream(io.BytesIO(b"abc"), 3) == b"abc"
    with pytest.raises(safeio.Refused, match="file is over 3 bytes, the limit for a profile"):
        safeio.read_stream(io.BytesIO(b"abcd"), 3)


# --- the TOML pre-scan --------------------------------------------------------------------------


def _prescan(text: str) -> str:
    start = time.perf_counter()
    try:
        safeio.prescan_toml(text)
        outcome = "ok"
    except safeio.TomlRefused as e:
        outcome = f"{e.line}: {e.reason}"
    assert time.perf_counter() - start < 1.0
    return outcome


GIANT = "a number with 5,000 digits; numbers are limited to 100 digits"


@pytest.mark.parametrize(
    "literal",
    [
        "0x" + "f" * 5000,
        "-0x" + "F" * 5000,
        "+0x" + "f" * 5000,
        "0o" + "7" * 5000,
        "0b" + "1" * 5000,
        "9" * 5000,
        "-" + "9" * 5000,
        "+" + "9" * 5000,
        "1." + "9" * 5000,
    ],
)
def test_giant_numbers_in_every_base_and_sign_are_refused_by_their_size(literal):
    assert _prescan(f"x = 1\nvalue = {literal}\n") == f"2: {GIANT}"


def test_numbers_and_keys_at_the_limit_pass_and_one_over_does_not():
    assert _prescan("v = " + "9" * 100) == "ok"
    assert _prescan("v = " + "9" * 101) == "1: a number with 101 digits; numbers are limited to 100 digits"
    assert _prescan("k" * 200 + " = 1") == "ok"
    assert _prescan("k" * 201 + " = 1") == "1: a key of 201 characters; keys are limited to 200 characters"


@pytest.mark.parametrize("sep", [".", " . ", "\t.\t"])
def test_dotted_keys_at_the_limit_pass_and_over_it_are_refused(sep):
    assert _prescan(sep.join(["a"] * 32) + " = 1") == "ok"
    assert (
        _prescan(sep.join(["a"] * 33) + " = 1") == "1: a dotted key of 33 parts; keys are limited to 32 parts"
    )
    assert (
        _prescan("[" + sep.join(['"q"'] * 40) + "]")
        == "1: a dotted key of 40 parts; keys are limited to 32 parts"
    )


def test_a_dotted_key_of_50000_parts_is_refused_in_linear_time():
    text = "x = 1\n" + ".".join(["a"] * 50_000) + " = 1\n"
    assert len(text) < 1024 * 1024
    assert _prescan(text) == "2: a dotted key of 50,000 parts; keys are limited to 32 parts"


def test_nesting_at_the_limit_passes_and_deeper_is_refused():
    assert _prescan("a = " + "[" * 40 + "]" * 40) == "ok"
    deep = "None: nested more than 40 levels deep (arrays and tables inside each other)"
    assert _prescan("a = " + "[" * 41 + "]" * 41) == deep
    assert _prescan("a = " + "{b = " * 41 + "1" + "}" * 41) == deep


def test_strings_and_comments_are_not_mistaken_for_keys_or_numbers():
    text = (
        'a = "' + "9" * 5000 + '"\n'
        "b = '" + ".x" * 100 + "'\n"
        "# " + "[" * 100 + "9" * 5000 + "\n"
        'c = """\n' + "[" * 100 + '\n"""\n'
        "d = '''" + "a." * 100 + "'''\n"
        'e = "quote \\" then # not a comment ' + "{" * 60 + '"\n'
    )
    assert _prescan(text) == "ok"
    tomllib.loads(text)  # and it is valid TOML


def test_the_bundled_data_passes_the_prescan():
    for path in [
        *ROOT.glob("rulesets/*.toml"),
        *ROOT.glob("interviews/*.toml"),
        *ROOT.glob("examples/*.toml"),
    ]:
        assert _prescan(path.read_text("utf-8")) == "ok", path


def test_two_megabytes_of_anything_is_scanned_within_a_second():
    for text in ("k" * 2_000_000, "[]" * 1_000_000, "a." * 1_000_000, 'a = ["x",' + '"x",' * 400_000 + "]"):
        _prescan(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**3000), max_value=10**3000))
def test_digits_agrees_with_str_where_str_works(n):
    assert safeio.digits(n) == len(str(abs(n)))


def test_magnitude_never_calls_str_on_a_giant():
    giant = 16**5000
    assert safeio.magnitude(giant).en == "a number with 6,021 digits"
    assert safeio.magnitude(-(10**30)).en == "a number with 31 digits"
    assert safeio.magnitude(1024) == "1024"


# --- the one way out ----------------------------------------------------------------------------


def test_output_problem_refuses_anything_but_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "file")
    (tmp_path / "fifolink").symlink_to(tmp_path / "fifo")
    assert safeio.output_problem(tmp_path / "new") is None
    assert safeio.output_problem(tmp_path / "file") is None
    assert safeio.output_problem(tmp_path / "link") is None
    assert "is a FIFO (named pipe), not a regular file" in safeio.output_problem(tmp_path / "fifo").en
    assert "is a FIFO" in safeio.output_problem(tmp_path / "fifolink").en
    assert "is a directory" in safeio.output_problem(tmp_path).en
    assert "is a character device" in safeio.output_problem("/dev/null").en
    assert safeio.is_stdout("-") and safeio.is_stdout("/dev/stdout") and not safeio.is_stdout("x")


def test_the_atomic_writer_never_replaces_a_fifo_or_a_directory(tmp_path):
    from assistant.core.io.atomic import NotRegularFile, write_text

    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotRegularFile, match="FIFO"):
        write_text(tmp_path / "fifo", "x")
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode)
    (tmp_path / "d").mkdir()
    with pytest.raises(NotRegularFile, match="directory"):
        write_text(tmp_path / "d", "x")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_atomic_writer_never_replaces_a_device_node(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("making a device node with mknod needs root (CI runs as root)")
    from assistant.core.io.atomic import NotRegularFile, write_text

    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    with pytest.raises(NotRegularFile, match="character device"):
        write_text(node, "x")
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_a_write_error_on_standard_output_becomes_one_clear_error():
    full = open("/dev/full", "w")  # noqa: SIM115 - closing it fails too, on purpose
    guarded = safeio.StdoutSink(full)
    with pytest.raises(safeio.OutputError) as info:
        guarded.write("x")
        guarded.flush()
    try:
        full.close()
    except OSError:
        pass
    assert str(info.value) == "cannot write to standard output: No space left on device"


# --- the sanitiser ------------------------------------------------------------------------------

UNSAFE_CHARS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]] + [
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u2028",
    "\u2029",
]


@pytest.mark.parametrize("ch", UNSAFE_CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_control_and_bidi_character_is_shown_escaped(ch):
    shown = escape(f"a{ch}b.toml")
    assert ch not in shown and shown.isprintable()
    assert shown.startswith("a\\") and shown.endswith("b.toml")


@given(st.text())
def test_escaped_text_is_printable_and_escaping_twice_changes_nothing(text):
    once = escape(text)
    assert UNSAFE.search(once) is None
    assert escape(once) == once


def test_ordinary_text_is_left_alone():
    assert escape("明德国际医院 [bold] café\\x") == "明德国际医院 [bold] café\\x"


# --- the profile lock ---------------------------------------------------------------------------


def _lock_in_child(target, alias=None) -> str:
    """Try the lock from another process; what it says."""
    code = (
        "from assistant.core.io.lock import Locked, ProfileLock\n"
        f"try:\n    ProfileLock({str(alias or target)!r}).acquire()\n    print('acquired')\n"
        "except Locked as e:\n    print(e)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def test_a_second_lock_on_the_same_profile_is_refused_naming_the_holder(tmp_path):
    target = tmp_path / "p.toml"
    first = ProfileLock(target)
    first.acquire()
    try:
        said = _lock_in_child(target)
        assert said.startswith(f"{target} is being edited by another interview (pid {os.getpid()} on ")
        (tmp_path / "alias.toml").symlink_to(target)  # another name for the same file
        assert _lock_in_child(target, tmp_path / "alias.toml").startswith(
            f"{tmp_path / 'alias.toml'} is being"
        )
        # the same process is the same writer: a second session shares the lock
        again = ProfileLock(target)
        again.acquire()
        again.release()
        assert _lock_in_child(target) != "acquired"
    finally:
        first.release()
    assert not lock_path(target).exists()
    assert _lock_in_child(target) == "acquired"


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    target = tmp_path / "p.toml"
    code = (
        "import sys, time\n"
        "from assistant.core.io.lock import ProfileLock\n"
        f"ProfileLock({str(target)!r}).acquire()\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(Locked, match=f"pid {child.pid} "):
            ProfileLock(target).acquire()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
        child.wait()
    assert lock_path(target).exists()  # left behind, and stale
    lock = ProfileLock(target)
    lock.acquire()
    assert f"pid {os.getpid()} " in lock_path(target).read_text()
    lock.release()


# The pre-scan runs its exact scans (strings and comments stripped first) only where the raw
# text could hold something to refuse. Texts made of the pieces that decide it (long runs,
# dotted keys, nesting, and strings and comments holding dots, digits and long words) must get
# the same answer either way; strings holding brackets are left out, as they are the one way
# to hide nesting from the raw count (bounded by the parser's RecursionError instead).
_PIECES = st.sampled_from(
    [
        "a = 1\n",
        "n = " + "7" * 99 + "\n",
        "n = " + "7" * 100 + "\n",
        "n = " + "7" * 101 + "\n",
        "m = -" + "7" * 101 + "\n",
        "k" * 199 + " = 1\n",
        "k" * 201 + " = 1\n",
        "# " + "9" * 150 + "\n",
        's = "' + "x" * 250 + '"\n',
        "t = '" + "a." * 40 + "'\n",
        "# " + "a." * 40 + "\n",
        ".".join(["p"] * 31) + " = 1\n",
        ".".join(["p"] * 33) + " = 1\n",
        " . ".join(['""'] * 34) + " = 1\n",
        "v = " + "[" * 9 + "1" + "]" * 9 + "\n",
        "v = " + "[" * 11 + "1" + "]" * 11 + "\n",
        "w = " + "{a=" * 6 + "1" + "}" * 6 + "\n",
        "[[r.s]]\n",
        '"""\n' + "z" * 120 + "\n" + "q." * 40 + '"""\n',
        "x = 1.5\n",
        "[p.q.r]\ny = 0.25 # 1.2.3\n",
        ".".join(["p"] * 32) + " = 1\n",
        "名 = '医院'\n",
        "长 = '" + "医" * 120 + "'\n",
        "数 = " + "7" * 101 + " # 医院\n",
    ]
)


@given(st.lists(_PIECES, max_size=12), st.sampled_from([safeio.TomlLimits(), safeio.TomlLimits(depth=10)]))
def test_the_quick_prescan_decides_as_the_exact_one(pieces, limits):
    text = "".join(pieces)

    def outcome(fn):
        try:
            fn(text, limits)
        except safeio.TomlRefused as e:
            return (e.reason, e.line)
        return "ok"

    exact = outcome(safeio._prescan_exact)
    assert outcome(safeio.prescan_toml) == exact
    # Given the bytes it was read from (with a byte-order mark, as Windows editors write).
    raw = b"\xef\xbb\xbf" + text.encode("utf-8")
    assert outcome(lambda t, lim: safeio.prescan_toml(t, lim, raw)) == exact
