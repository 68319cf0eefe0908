"""The application package: ``medequip pack`` (reproducible bytes, refused evidence, the one
output path) and ``medequip verify`` (hashes, re-evaluation, the zip hardening).

Packages are tampered with the way a person or an attacker would: an entry rewritten with
Python's own zipfile, hashes in the manifest recomputed to match, links, ``..`` names, a
bomb, a flood of entries. Expected hashes are computed here with hashlib."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from cli_helpers import EXAMPLES
from cli_helpers import run_in as main

PET_CT = EXAMPLES / "pet_ct_new_nonpublic.toml"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def hospital(tmp_path) -> Path:
    folder = tmp_path / "hospital"
    (folder / "docs").mkdir(parents=True)
    (folder / "ours.toml").write_text(PET_CT.read_text("utf-8"), "utf-8")
    (folder / "docs" / "证书.pdf").write_bytes(b"%PDF-1.4 certificate of dr zhang")
    (folder / "docs" / "stats.xlsx").write_bytes(b"volume statistics 2025")
    (tmp_path / "shared.pdf").write_bytes(b"shared approval")
    for rule, files in (
        ("pet_ct/3.2", ["docs/证书.pdf"]),
        ("pet_ct/2.3", ["docs/stats.xlsx", "../shared.pdf"]),
    ):
        code, _, err = main("evidence", "add", "ours.toml", rule, *files, cwd=folder)
        assert code == 0, err
    return folder


def pack(folder: Path, out: str = "app.zip", *extra: str) -> tuple[int, str, str]:
    return main("pack", "ours.toml", "-o", out, "--date", "2026-03-01", *extra, cwd=folder)


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rewrite(path: Path, files: dict[str, bytes], fix_manifest: bool = False) -> None:
    """The package with ``files`` as its entries; with ``fix_manifest`` the manifest's hashes
    are made to match (what someone would do to hide a change)."""
    if fix_manifest:
        man = json.loads(files["manifest.json"])
        for item in man["files"]:
            item["sha256"] = sha(files[item["name"]])
            item["size"] = len(files[item["name"]])
        man["profile"]["sha256"] = sha(files["profile.toml"])
        files = {**files, "manifest.json": json.dumps(man).encode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


# --- pack ------------------------------------------------------------------------------------


def test_pack_twice_gives_the_same_bytes_and_holds_everything(hospital):
    assert pack(hospital, "a.zip")[0] == 0
    assert pack(hospital, "b.zip")[0] == 0
    a, b = (hospital / "a.zip").read_bytes(), (hospital / "b.zip").read_bytes()
    assert a == b
    files = entries(hospital / "a.zip")
    assert files["profile.toml"] == (hospital / "ours.toml").read_bytes()
    assert files["evidence/docs/证书.pdf"] == b"%PDF-1.4 certificate of dr zhang"
    assert files["evidence/_parent_/shared.pdf"] == b"shared approval"
    assert {"report.html", "report.json", "checklist.txt", "checklist.html", "manifest.json"} <= set(files)
    man = json.loads(files["manifest.json"])
    assert man["profile"]["sha256"] == sha((hospital / "ours.toml").read_bytes())
    assert man["ruleset"]["id"] and man["ruleset"]["edition"] and len(man["ruleset"]["sha256"]) == 64
    assert man["tool"]["version"]
    listed = {i["name"]: i["sha256"] for i in man["files"]}
    assert listed == {n: sha(d) for n, d in files.items() if n != "manifest.json"}
    with zipfile.ZipFile(hospital / "a.zip") as z:
        for info in z.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert stat.S_IMODE(info.external_attr >> 16) == 0o644
        assert [i.filename for i in z.infolist()] == sorted(i.filename for i in z.infolist())


def test_pack_refuses_missing_or_changed_evidence_unless_allowed(hospital):
    (hospital / "docs" / "stats.xlsx").write_bytes(b"edited after attaching")
    (hospital.parent / "shared.pdf").unlink()
    code, _, err = pack(hospital)
    assert code == 2
    assert "docs/stats.xlsx" in err and "changed" in err and "../shared.pdf" in err and "missing" in err
    assert "--allow-missing" in err
    assert not (hospital / "app.zip").exists()
    code, out, err = pack(hospital, "app.zip", "--allow-missing")
    assert code == 0, err
    files = entries(hospital / "app.zip")
    assert "evidence/docs/stats.xlsx" not in files and "evidence/_parent_/shared.pdf" not in files
    man = json.loads(files["manifest.json"])
    assert man["allow_missing"] is True
    assert {(m["path"], m["state"]) for m in man["evidence_missing"]} == {
        ("docs/stats.xlsx", "changed"),
        ("../shared.pdf", "missing"),
    }
    # Consistent with itself: verify lists what is missing and exits 0.
    code, out, err = main("verify", "app.zip", cwd=hospital)
    assert code == 0, out
    assert "docs/stats.xlsx" in out and "../shared.pdf" in out


def test_pack_never_writes_over_an_input(hospital):
    before = (hospital / "ours.toml").read_bytes()
    code, _, err = main("pack", "ours.toml", "-o", "ours.toml", cwd=hospital)
    assert code == 2 and "ours.toml" in err
    assert (hospital / "ours.toml").read_bytes() == before
    code, _, err = main("pack", "ours.toml", "-o", "docs/证书.pdf", cwd=hospital)
    assert code == 2 and "evidence" in err
    assert (hospital / "docs" / "证书.pdf").read_bytes() == b"%PDF-1.4 certificate of dr zhang"


def test_pack_needs_an_output(hospital):
    code, _, err = main("pack", "ours.toml", cwd=hospital)
    assert code == 2 and "-o" in err


def test_a_package_that_cannot_be_written_is_exit_74_and_the_old_one_kept(hospital, monkeypatch):
    """A disk that fills part way: exit 74 naming the file, the previous package untouched."""
    import errno

    from assistant.core.io import atomic

    (hospital / "app.zip").write_bytes(b"the previous package")
    written = [0]

    def full(fd, data):
        if written[0] > 100:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = os.write(fd, bytes(data[:50]))
        written[0] += n
        return n

    monkeypatch.setattr(atomic, "_os_write", full)
    code, _, err = pack(hospital)
    assert code == 74, err
    assert err.splitlines() == ["medequip: cannot write to app.zip: No space left on device"]
    assert (hospital / "app.zip").read_bytes() == b"the previous package"
    assert sorted(p.name for p in hospital.iterdir()) == ["app.zip", "docs", "ours.toml"]


# --- verify ------------------------------------------------------------------------------------


def test_round_trip_verify_then_tampering_is_named(hospital):
    assert pack(hospital)[0] == 0
    code, out, err = main("verify", "app.zip", cwd=hospital)
    assert code == 0, out + err
    files = entries(hospital / "app.zip")

    # One evidence file changed in the package: its name, exit 1.
    rewrite(hospital / "bad1.zip", {**files, "evidence/docs/证书.pdf": b"forged"})
    code, out, _ = main("verify", "bad1.zip", cwd=hospital)
    assert code == 1
    assert any("evidence/docs/证书.pdf" in ln and "SHA-256" in ln for ln in out.splitlines()), out

    # Even with the manifest's hashes recomputed, the evidence no longer matches the profile.
    rewrite(hospital / "bad2.zip", {**files, "evidence/docs/证书.pdf": b"forged"}, fix_manifest=True)
    code, out, _ = main("verify", "bad2.zip", cwd=hospital)
    assert code == 1 and "evidence/docs/证书.pdf" in out and "pet_ct/3.2" in out, out

    # One answer changed, hashes recomputed: re-evaluation names the clause that moved.
    text = files["profile.toml"].decode()
    assert "\nsenior_physicians = 3\n" in text
    changed = text.replace("\nsenior_physicians = 3\n", "\nsenior_physicians = 0\n")
    changed_files = {**files, "profile.toml": changed.encode()}
    rewrite(hospital / "bad3.zip", changed_files, fix_manifest=True)
    code, out, _ = main("verify", "bad3.zip", cwd=hospital)
    assert code == 1
    moved = [ln for ln in out.splitlines() if ln.startswith("✗")]
    assert any("pet_ct/3.1" in ln and "re-evaluation gives not met" in ln for ln in moved), out

    # The answer changed without fixing the manifest: the profile's hash is named.
    rewrite(hospital / "bad4.zip", changed_files)
    code, out, _ = main("verify", "bad4.zip", cwd=hospital)
    assert code == 1 and "✗ profile.toml" in out

    # An entry the manifest does not list.
    rewrite(hospital / "bad5.zip", {**files, "evidence/extra.pdf": b"x"})
    code, out, _ = main("verify", "bad5.zip", cwd=hospital)
    assert code == 1 and "evidence/extra.pdf" in out and "not listed" in out


def test_verify_in_chinese_and_json(hospital):
    assert pack(hospital)[0] == 0
    code, out, _ = main("verify", "app.zip", "--lang", "zh", cwd=hospital)
    assert code == 0 and "一致" in out
    code, out, _ = main("verify", "app.zip", "--format", "json", cwd=hospital)
    doc = json.loads(out)
    assert doc["consistent"] is True and doc["sha256"] == sha((hospital / "app.zip").read_bytes())


def _zip_with(path: Path, build) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        build(z)
    return path


def _link(z: zipfile.ZipFile) -> None:
    info = zipfile.ZipInfo("evidence/passwd")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    z.writestr(info, "/etc/passwd")


def _bomb(z: zipfile.ZipFile) -> None:
    z.writestr("evidence/zeros.bin", b"\0" * (20 * 1024 * 1024))


def _many(z: zipfile.ZipFile) -> None:
    for i in range(5000):
        z.writestr(f"evidence/{i}.txt", b"")


@pytest.mark.parametrize(
    "name,build,words",
    [
        ("traversal", lambda z: z.writestr("../../etc/cron.d/x", b"x"), ".. part"),
        ("absolute", lambda z: z.writestr("/etc/x", b"x"), "absolute"),
        ("backslash", lambda z: z.writestr("..\\..\\x", b"x"), "backslash"),
        ("symlink", _link, "symbolic link"),
        ("bomb", _bomb, "zip bomb"),
        ("count", _many, "5,000 entries"),
    ],
)
def test_hostile_zips_are_refused_with_one_line(tmp_path, name, build, words):
    path = _zip_with(tmp_path / f"{name}.zip", build)
    code, out, err = main("verify", str(path))
    assert code == 2, (out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert words in lines[0] and str(path) in lines[0], lines[0]


def test_not_a_zip_and_no_manifest_are_unreadable(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"this is not a zip")
    code, _, err = main("verify", str(tmp_path / "x.zip"))
    assert code == 2 and "not a readable zip" in err and len(err.strip().splitlines()) == 1
    _zip_with(tmp_path / "y.zip", lambda z: z.writestr("hello.txt", b"x"))
    code, _, err = main("verify", str(tmp_path / "y.zip"))
    assert code == 2 and "manifest.json" in err
    code, _, err = main("verify", str(tmp_path / "nothere.zip"))
    assert code == 2 and "nothere.zip" in err


def test_an_entry_lying_about_its_size_stops_at_the_declared_size():
    """A header that declares a small size for a large entry: never inflated past it."""
    from assistant.core.io.ziparchive import Unsafe, read

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.bin", b"\0" * 100_000)
    data = bytearray(buf.getvalue())
    # The central directory's uncompressed size (offset 24 in its record) set to 10 bytes.
    at = data.rfind(b"PK\x01\x02")
    data[at + 24 : at + 28] = (10).to_bytes(4, "little")
    with pytest.raises(Unsafe) as e:
        read(bytes(data))
    assert "a.bin" in str(e.value)
