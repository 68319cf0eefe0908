"""The application package: a zip a reviewer can check against itself.

It holds the profile (``profile.toml``, the bytes the hospital saved), what medequip makes
from it (``report.html``, ``report.json``, ``checklist.txt``, ``checklist.html``), every
evidence file (``evidence/`` + its path as recorded, a ``..`` part written ``_parent_``),
and ``manifest.json``: the tool's version, the ruleset (id, edition, SHA-256), the report's
language and date, the profile's SHA-256 and every other file's name, size and SHA-256, and
the evidence the package lacks (``--allow-missing``).

Everything derived is made by :func:`derived` from the profile and the package's own evidence
files, in ``pack`` and again in ``verify``: the same bytes when nothing changed. The zip is
:func:`~assistant.core.io.ziparchive.build`'s, so the same inputs give the same package.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ..core.text.i18n import Msg
from ..core.text.messages import msg

FORMAT = "medequip-application"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PROFILE = "profile.toml"
EVIDENCE_DIR = "evidence/"
DERIVED = ("report.html", "report.json", "checklist.txt", "checklist.html")
PACKAGE_LIMIT = 2 * 1024 * 1024 * 1024 + 128 * 1024 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_name(path: str) -> str:
    """Where the evidence file recorded as ``path`` sits in the package: under ``evidence/``,
    a ``..`` part (a file beside the profile's folder) as ``_parent_``, so no name climbs
    out of the folder it is extracted to."""
    return EVIDENCE_DIR + "/".join("_parent_" if p == ".." else p for p in path.split("/"))


def dumps_json(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


# --- what is made from the profile -------------------------------------------------------------


def package_lookup(files: dict[str, bytes]):
    """What a recorded evidence path holds in the package: (size, sha256) or None."""
    cache: dict[str, tuple[int, str] | None] = {}

    def lookup(path: str):
        if path not in cache:
            data = files.get(entry_name(path))
            cache[path] = None if data is None else (len(data), sha256(data))
        return cache[path]

    return lookup


def derived(profile, rs, lang: str, date: str, files: dict[str, bytes]) -> dict[str, bytes]:
    """The report (HTML, JSON) and the checklist (text, HTML) of ``profile`` under ``rs``,
    its evidence as the package ``files`` hold it."""
    from ..core.evaluate import evaluate
    from . import checklist
    from . import report as rep
    from .html import checklist_document, to_html

    # The report names the profile as the package holds it, wherever it was packed from.
    profile = profile.replace(source=PROFILE, evidence_lookup=package_lookup(files))
    ev = evaluate(rs, profile.equipment, profile.answers, say=True)
    r = rep.build(profile, rs, ev, lang, date=date)
    return {
        "report.html": to_html([r], lang).encode("utf-8"),
        "report.json": dumps_json(r),
        "checklist.txt": checklist.checklist_text(r, lang).encode("utf-8"),
        "checklist.html": checklist_document([r], lang).encode("utf-8"),
    }


# --- the manifest --------------------------------------------------------------------------------


def manifest(
    profile, rs, lang: str, date: str, files: dict[str, bytes], missing: list[dict], allow_missing: bool
) -> dict[str, Any]:
    from .. import __version__

    by_name: dict[str, list[str]] = {}
    for e in profile.evidence:
        by_name.setdefault(entry_name(e.path), []).append(e.rule)
    listed = []
    for name in sorted(files):
        item: dict[str, Any] = {"name": name, "size": len(files[name]), "sha256": sha256(files[name])}
        if name in by_name:
            item["rules"] = sorted(set(by_name[name]))
        listed.append(item)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "medequip", "version": __version__},
        "ruleset": {"id": rs.id, "edition": rs.edition, "sha256": rs.sha256},
        "equipment": profile.equipment,
        "institution": profile.name,
        "lang": lang,
        "date": date,
        "profile": {"name": PROFILE, "sha256": sha256(files[PROFILE])},
        "files": listed,
        "allow_missing": allow_missing,
        "evidence_missing": missing,
    }


@dataclass
class Packed:
    """A package made: its bytes, and the evidence left out (``--allow-missing``)."""

    data: bytes
    manifest: dict[str, Any]
    missing: list[dict] = field(default_factory=list)


def evidence_files(profile, folder: str) -> tuple[dict[str, bytes], list[dict]]:
    """The evidence files as recorded (entry name -> bytes), and those missing or changed
    since attached (rule, path, state): a file is packed only as it was attached."""
    from ..core.io import safeio
    from ..core.profile.evidence import MAX_FILE_BYTES, on_disk

    files: dict[str, bytes] = {}
    missing: list[dict] = []
    for e in profile.evidence:
        name = entry_name(e.path)
        if name in files:
            continue
        try:
            data = safeio.read_limited(on_disk(folder, e.path), MAX_FILE_BYTES, "evidence")
        except safeio.Refused:
            data = None
        state = (
            "missing"
            if data is None
            else ("ok" if (len(data), sha256(data)) == (e.size, e.sha256) else "changed")
        )
        if state == "ok":
            files[name] = data
        else:
            missing.append({"rule": e.rule, "path": e.path, "state": state})
    # One file attached to two clauses is one entry: the later clause reads the same state.
    gone = {m["path"] for m in missing}
    for e in profile.evidence:
        if e.path in gone and not any(m["path"] == e.path and m["rule"] == e.rule for m in missing):
            state = next(m["state"] for m in missing if m["path"] == e.path)
            missing.append({"rule": e.rule, "path": e.path, "state": state})
    return files, sorted(missing, key=lambda m: (m["rule"], m["path"]))


def pack(raw: bytes, profile, rs, folder: str, lang: str, date: str, allow_missing: bool) -> Packed:
    """The package of the profile ``raw`` (loaded as ``profile`` under ``rs``), its evidence
    read from ``folder``. With missing or changed evidence and no ``allow_missing`` the
    ``Packed`` has no data and lists them."""
    files, missing = evidence_files(profile, folder)
    if missing and not allow_missing:
        return Packed(b"", {}, missing)
    files[PROFILE] = raw
    files.update(derived(profile, rs, lang, date, files))
    man = manifest(profile, rs, lang, date, files, missing, allow_missing)
    from ..core.io.ziparchive import build

    return Packed(build({**files, MANIFEST: dumps_json(man)}), man, missing)


# --- verify --------------------------------------------------------------------------------------


@dataclass
class Finding:
    """One thing verify found: ``ok`` False is a mismatch; ``what`` names the file or clause."""

    ok: bool
    what: str
    text: Msg


@dataclass
class Verified:
    manifest: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    profile: Any = None
    ruleset: Any = None
    report: dict | None = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def consistent(self) -> bool:
        return all(f.ok for f in self.findings)


class Unreadable(ValueError):
    """A package that cannot be checked at all (not a zip, refused, no valid manifest)."""

    def __init__(self, message: Msg):
        super().__init__(message.en)
        self.msg = message


def open_package(data: bytes) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The files of a package (hardened read) and its manifest; Unreadable otherwise."""
    from ..core.io.ziparchive import Unsafe, read

    try:
        files = read(data)
    except Unsafe as e:
        raise Unreadable(e.msg) from None
    raw = files.get(MANIFEST)
    if raw is None:
        raise Unreadable(msg("package.no_manifest"))
    try:
        man = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise Unreadable(msg("package.bad_manifest", reason=str(e))) from None
    problem = _manifest_problem(man)
    if problem is not None:
        raise Unreadable(msg("package.bad_manifest", reason=problem))
    return files, man


def _manifest_problem(man: Any) -> str | None:
    """What is wrong with a manifest's shape (English: it names JSON fields), or None."""
    if not isinstance(man, dict) or man.get("format") != FORMAT:
        return f'"format" is not "{FORMAT}"'
    if man.get("format_version") != FORMAT_VERSION:
        return f'"format_version" is not {FORMAT_VERSION}'
    shapes = {
        "ruleset": dict,
        "profile": dict,
        "files": list,
        "lang": str,
        "date": str,
        "evidence_missing": list,
        "tool": dict,
    }
    for key, kind in shapes.items():
        if not isinstance(man.get(key), kind):
            return f'"{key}" is missing or not a {kind.__name__}'
    for item in man["files"]:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("sha256"), str)
        ):
            return '"files" holds an entry without a name and a sha256'
    if man["lang"] not in ("zh", "en"):
        return '"lang" is not zh or en'
    for key in ("id", "edition", "sha256"):
        if not isinstance(man["ruleset"].get(key), str):
            return f'"ruleset.{key}" is missing'
    return None


def package_sha256(data: bytes) -> str:
    return sha256(data)


def verify(data: bytes, extra_rulesets=()) -> Verified:
    """Check a package: every hash, the profile re-evaluated under the named ruleset edition,
    the packaged report and checklist against fresh ones, the evidence. Raises Unreadable."""
    files, man = open_package(data)
    v = Verified(man, files=files)
    _check_hashes(v)
    rs = _find_ruleset(v, extra_rulesets)
    if rs is None:
        return v
    v.ruleset = rs
    _reevaluate(v, rs)
    return v


def _check_hashes(v: Verified) -> None:
    listed = {item["name"]: item for item in v.manifest["files"]}
    for name, item in sorted(listed.items()):
        data = v.files.get(name)
        if data is None:
            v.findings.append(Finding(False, name, msg("package.file_absent")))
        elif sha256(data) != item["sha256"]:
            v.findings.append(Finding(False, name, msg("package.hash_differs")))
    for name in sorted(set(v.files) - set(listed) - {MANIFEST}):
        v.findings.append(Finding(False, name, msg("package.not_listed")))
    profile = v.files.get(PROFILE)
    if profile is not None and sha256(profile) != v.manifest["profile"].get("sha256"):
        v.findings.append(Finding(False, PROFILE, msg("package.hash_differs")))
    if all(f.ok for f in v.findings):
        v.findings.append(Finding(True, MANIFEST, msg("package.hashes_ok", n=len(listed))))


def _find_ruleset(v: Verified, extra_rulesets):
    from ..core.rules import loader

    want = v.manifest["ruleset"]
    name = f"{want['id']}@{want['edition']}"
    candidates = [
        rs
        for rs in (*extra_rulesets, *loader.bundled())
        if (rs.id, rs.edition) == (want["id"], want["edition"])
    ]
    if not candidates:
        v.findings.append(Finding(False, name, msg("package.no_ruleset")))
        return None
    same = next((rs for rs in candidates if rs.sha256 == want["sha256"]), None)
    if same is None:
        v.findings.append(Finding(False, name, msg("package.ruleset_differs")))
        return None
    v.findings.append(Finding(True, name, msg("package.ruleset_ok")))
    return same


def _reevaluate(v: Verified, rs) -> None:
    """Load the packaged profile under ``rs``, make the report again, and compare."""
    from pathlib import Path

    from ..core.profile.document import ProfileError, load
    from ..core.rules.loader import RulesetError

    raw = v.files.get(PROFILE)
    if raw is None:
        return
    try:
        profile, rs = load(raw, PROFILE, Path(rs.path))
    except (ProfileError, RulesetError) as e:
        v.findings.append(Finding(False, PROFILE, e.msg))
        return
    v.profile = profile
    _check_evidence(v, profile)
    fresh = derived(profile, rs, v.manifest["lang"], v.manifest["date"], v.files)
    v.report = json.loads(fresh["report.json"])
    same_tool = v.manifest["tool"].get("version") == _version()
    for name in DERIVED:
        packed = v.files.get(name)
        if packed is None or packed == fresh[name]:
            continue
        if name == "report.json":
            _compare_verdicts(v, packed, v.report)
        elif same_tool:
            v.findings.append(Finding(False, name, msg("package.derived_differs")))
    if not any(not f.ok and f.what in (*DERIVED, PROFILE) for f in v.findings):
        v.findings.append(
            Finding(True, "report.json", msg("package.report_ok", status=_status(v.report["status"])))
        )


def _status(status) -> Msg:
    """A verdict in both languages (a status the package made up is shown as it is)."""
    from ..core.text.i18n import OVERALL, STATUS

    for table in (STATUS, OVERALL):
        if status in table:
            return table[status]
    return Msg(str(status or "—"), str(status or "—"))


def _version() -> str:
    from .. import __version__

    return __version__


def _compare_verdicts(v: Verified, packed: bytes, fresh: dict) -> None:
    """Name each clause whose packaged verdict is not the fresh one (or the whole report)."""
    try:
        old = json.loads(packed)
        old_rules = {r["id"]: r["status"] for r in old["rules"]}
    except (ValueError, KeyError, TypeError):
        v.findings.append(Finding(False, "report.json", msg("package.derived_differs")))
        return
    moved = False
    for r in fresh["rules"]:
        before = old_rules.get(r["id"])
        if before != r["status"]:
            moved = True
            v.findings.append(
                Finding(
                    False,
                    r["id"],
                    msg("package.verdict_differs", packed=_status(before), fresh=_status(r["status"])),
                )
            )
    if old.get("status") != fresh["status"]:
        moved = True
        v.findings.append(
            Finding(
                False,
                "report.json",
                msg(
                    "package.status_differs",
                    packed=_status(old.get("status")),
                    fresh=_status(fresh["status"]),
                ),
            )
        )
    if not moved and v.manifest["tool"].get("version") == _version():
        v.findings.append(Finding(False, "report.json", msg("package.derived_differs")))


def _check_evidence(v: Verified, profile) -> None:
    """Every evidence record of the profile is in the package as recorded, or declared
    missing by the manifest (then listed, not a mismatch)."""
    declared = {(m.get("rule"), m.get("path")) for m in v.manifest["evidence_missing"] if isinstance(m, dict)}
    lookup = package_lookup(v.files)
    for e in profile.evidence:
        found = lookup(e.path)
        if found == (e.size, e.sha256):
            continue
        state = "missing" if found is None else "changed"
        v.missing.append({"rule": e.rule, "path": e.path, "state": state})
        if (e.rule, e.path) not in declared:
            v.findings.append(
                Finding(False, entry_name(e.path), msg(f"package.evidence_{state}", rule=e.rule))
            )
