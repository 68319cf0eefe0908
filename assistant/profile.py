"""Profiles: the TOML file of an applicant's answers, validated against the fact catalogue.

A profile is ``schema_version``, ``equipment``, and one table per fact namespace
(``[institution]``, ``[pet_ct]`` ...). An unanswered fact is simply absent. Every problem is
reported as one ``ProfileError`` naming the file, the line where it can be found, the field
path, and what was expected.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .model import EQUIPMENT_KEYS, Fact

SCHEMA_VERSION = 1
MAX_PROFILE_BYTES = 1024 * 1024
MAX_TEXT_CHARS = 500
MAX_ROSTER = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ProfileError(Exception):
    """An unusable profile. ``str()`` is the one-line message shown to the user."""

    def __init__(self, source: str, message: str, line: int | None = None, path: str | None = None):
        self.source, self.message, self.line, self.path = source, message, line, path
        where = source + (f":{line}" if line else "")
        super().__init__(f"{where}: {path + ': ' if path else ''}{message}")


class Envelope(BaseModel):
    """The fixed part of a profile; fact tables are checked against the catalogue."""

    model_config = ConfigDict(extra="allow", strict=True)
    schema_version: int
    equipment: str
    ruleset_edition: str | None = None


@dataclass
class Profile:
    equipment: str
    answers: dict[str, Any] = field(default_factory=dict)
    ruleset_edition: str | None = None
    source: str = "<profile>"
    sha256: str = ""

    @property
    def name(self) -> str:
        return self.answers.get("institution.name") or ""


def suggest(word: str, options: list[str]) -> str:
    near = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


class _Locator:
    """Finds the line of a table or key in the TOML text, for error messages."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def line(self, table: str | None, key: str | None = None, nth: int = 0) -> int | None:
        start = 0
        if table is not None:
            seen = -1
            pat = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?\s*(#.*)?$")
            for i, ln in enumerate(self.lines):
                if pat.match(ln):
                    seen += 1
                    if seen == nth:
                        start = i
                        break
            else:
                start = 0
                if key is None:
                    return None
        if key is None:
            return start + 1
        kpat = re.compile(r"^\s*\"?" + re.escape(key) + r"\"?\s*=")
        for i in range(start, len(self.lines)):
            if i > start and table is not None and self.lines[i].lstrip().startswith("["):
                break
            if kpat.match(self.lines[i]):
                return i + 1
        return start + 1 if table is not None else None


def _check_text(value: Any, where: str, err) -> str:
    if not isinstance(value, str):
        raise err(f"expected text, got {type(value).__name__}")
    if len(value) > MAX_TEXT_CHARS:
        raise err(f"text is {len(value):,} characters; at most {MAX_TEXT_CHARS} allowed")
    if _CONTROL.search(value):
        raise err("text contains control characters (such as ESC or NUL), which are not allowed")
    return unicodedata.normalize("NFC", value)


def check_value(fact: Fact, value: Any, err) -> Any:
    """Validate one value against its fact; ``err(msg)`` builds the exception to raise."""
    t = fact.type
    if t == "bool":
        if not isinstance(value, bool):
            raise err(f"expected true or false, got {value!r}")
        return value
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise err(f"expected a whole number from {fact.min} to {fact.max}, got {value!r}")
        if not (fact.min <= value <= fact.max):
            raise err(f"{value} is out of range: expected a whole number from {fact.min} to {fact.max}")
        return value
    if t == "choice":
        keys = [c.key for c in fact.choices]
        if not isinstance(value, str) or value not in keys:
            hint = ""
            if isinstance(value, str):
                by_label = next((c.key for c in fact.choices if value in (c.zh, c.en)), None)
                hint = f" (did you mean {by_label!r}?)" if by_label else suggest(value, keys)
            raise err(f"expected one of {', '.join(keys)}, got {value!r}{hint}")
        return value
    if t == "set":
        keys = [c.key for c in fact.choices]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise err(f"expected a list of: {', '.join(keys)}")
        for v in value:
            if v not in keys:
                raise err(f"{v!r} is not one of {', '.join(keys)}{suggest(v, keys)}")
        if len(set(value)) != len(value):
            raise err("the list repeats a value")
        return [k for k in keys if k in value]
    if t == "text":
        return _check_text(value, "", err)
    raise err(f"cannot check a {t} fact here")  # pragma: no cover


def validate_data(data: dict, facts: dict[str, Fact], source: str, text: str = "", known_equipment: dict[str, dict[str, Fact]] | None = None) -> Profile:
    """Turn parsed TOML into a Profile, or raise ProfileError."""
    loc = _Locator(text)
    try:
        env = Envelope.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        expected = {
            "schema_version": f"an integer ({SCHEMA_VERSION})",
            "equipment": "one of " + ", ".join(EQUIPMENT_KEYS),
        }.get(key, first["msg"])
        if first["type"] == "missing":
            raise ProfileError(source, f"missing required key {key!r}: expected {expected}", None, key) from None
        raise ProfileError(source, f"expected {expected}", loc.line(None, key), key) from None
    if env.schema_version > SCHEMA_VERSION:
        raise ProfileError(source, f"schema_version {env.schema_version} is newer than this medequip understands ({SCHEMA_VERSION}); upgrade medequip", loc.line(None, "schema_version"), "schema_version")
    if env.schema_version < 1:
        raise ProfileError(source, f"schema_version must be {SCHEMA_VERSION}", loc.line(None, "schema_version"), "schema_version")
    if env.equipment not in EQUIPMENT_KEYS:
        raise ProfileError(source, f"unknown equipment {env.equipment!r}: expected one of {', '.join(EQUIPMENT_KEYS)}{suggest(env.equipment, list(EQUIPMENT_KEYS))}", loc.line(None, "equipment"), "equipment")
    profile = Profile(env.equipment, {}, env.ruleset_edition, source)
    catalogues = dict(known_equipment or {})
    catalogues[env.equipment] = facts
    namespaces = ["institution", *EQUIPMENT_KEYS]
    top_known = ["schema_version", "equipment", "ruleset_edition", *namespaces]
    if "institution" not in data:
        raise ProfileError(source, "missing table [institution]: every profile describes the applicant institution", None, "institution")
    for ns, table in data.items():
        if ns in ("schema_version", "equipment", "ruleset_edition"):
            continue
        if ns not in namespaces:
            raise ProfileError(source, f"unknown key {ns!r}{suggest(ns, top_known)}", loc.line(ns) or loc.line(None, ns), ns)
        if not isinstance(table, dict):
            raise ProfileError(source, f"expected a table [{ns}]", loc.line(None, ns), ns)
        cat = facts if ns in ("institution", env.equipment) else catalogues.get(ns)
        if cat is None:
            continue
        for key, value in table.items():
            path = f"{ns}.{key}"
            fact = cat.get(path)
            if fact is None:
                options = [k.split(".", 1)[1] for k in cat if k.startswith(ns + ".")]
                raise ProfileError(source, f"unknown key {key!r} in [{ns}]{suggest(key, options)}", loc.line(ns, key), path)

            def err(msg: str, path=path, key=key, ns=ns) -> ProfileError:
                return ProfileError(source, msg, loc.line(ns, key), path)

            if fact.type == "roster":
                value = _check_roster(fact, value, path, source, loc)
            else:
                value = check_value(fact, value, err)
            if ns in ("institution", env.equipment):
                profile.answers[path] = value
    return profile


def _check_roster(fact: Fact, value: Any, path: str, source: str, loc: _Locator) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(p, dict) for p in value):
        raise ProfileError(source, f"expected a list of people ([[{path}]] tables)", loc.line(None, path.split(".")[-1]) or loc.line(path), path)
    if len(value) > MAX_ROSTER:
        raise ProfileError(source, f"{len(value)} people listed; at most {MAX_ROSTER} allowed", loc.line(path), path)
    fields = {f.key: f for f in fact.fields}
    people = []
    for i, person in enumerate(value):
        out = {}
        for key, v in person.items():
            p = f"{path}[{i}].{key}"
            fld = fields.get(key)
            if fld is None:
                raise ProfileError(source, f"unknown key {key!r}{suggest(key, list(fields))}", loc.line(path, key, nth=i), p)
            out[key] = check_value(fld, v, lambda msg, p=p, key=key: ProfileError(source, msg, loc.line(path, key, nth=i), p))
        for required in ("role",):
            if required in fields and required not in out:
                raise ProfileError(source, f"missing required key {required!r} for person {i + 1}", loc.line(path, nth=i), f"{path}[{i}]")
        people.append({k: out[k] for k in fields if k in out})
    return people


def parse_bytes(raw: bytes, source: str) -> tuple[dict, str]:
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(source, f"file is {len(raw):,} bytes; profiles are limited to {MAX_PROFILE_BYTES:,} bytes")
    if b"\x00" in raw:
        raise ProfileError(source, "file contains NUL bytes; expected UTF-8 TOML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ProfileError(source, f"not valid UTF-8 (byte {e.start}); save the file as UTF-8", line) from None
    if not text.strip():
        raise ProfileError(source, "file is empty: expected a TOML profile starting with schema_version = 1")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        if m:
            raise ProfileError(source, f"column {m.group(2)}: invalid TOML: {msg}", int(m.group(1))) from None
        raise ProfileError(source, f"invalid TOML: {msg}") from None
    except RecursionError:
        raise ProfileError(source, "nested too deeply to be a profile") from None


def read_source(path: str) -> tuple[bytes, str]:
    """Bytes of a profile file, or of standard input for ``-``."""
    import sys

    if path == "-":
        return sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1), "<stdin>"
    p = Path(path)
    try:
        if p.is_dir():
            raise ProfileError(path, "is a directory, expected a profile file")
        size = p.stat().st_size
        if size > MAX_PROFILE_BYTES:
            raise ProfileError(path, f"file is {size:,} bytes; profiles are limited to {MAX_PROFILE_BYTES:,} bytes")
        return p.read_bytes(), path
    except FileNotFoundError:
        raise ProfileError(path, "no such file") from None
    except PermissionError:
        raise ProfileError(path, "permission denied: cannot read the file") from None
    except OSError as e:
        raise ProfileError(path, f"cannot read: {e.strerror or e}") from None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# --- writing ----------------------------------------------------------------------------------


def to_data(profile: Profile, facts: dict[str, Fact]) -> dict:
    """The TOML document of a profile, keys in catalogue order so output is stable."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "equipment": profile.equipment}
    if profile.ruleset_edition:
        data["ruleset_edition"] = profile.ruleset_edition
    tables: dict[str, dict] = {"institution": {}}
    for key in facts:
        if key in profile.answers:
            ns, name = key.split(".", 1)
            tables.setdefault(ns, {})[name] = profile.answers[key]
    data.update({ns: t for ns, t in tables.items() if t or ns == "institution"})
    return data


def dumps(profile: Profile, facts: dict[str, Fact]) -> str:
    import tomli_w

    head = "# medequip profile: answers for one equipment application. Unanswered facts are absent.\n"
    return head + tomli_w.dumps(to_data(profile, facts))


def load(raw: bytes, source: str, ruleset_path: Path | None = None):
    """Parse and validate a profile; returns (profile, ruleset). Raises ProfileError or
    loader.RulesetError."""
    from . import loader

    data, text = parse_bytes(raw, source)
    equipment = data.get("equipment") if isinstance(data, dict) else None
    if not isinstance(equipment, str) or equipment not in EQUIPMENT_KEYS:
        # Let the envelope produce the precise message.
        validate_data(data, {}, source, text)
    rs = loader.for_equipment(equipment, ruleset_path)
    others = {}
    for key in EQUIPMENT_KEYS:
        if key != equipment and key in data:
            other = loader.for_equipment(key)
            others[key] = {k: f for k, f in other.facts.items() if k.startswith(key + ".")}
    profile = validate_data(data, rs.facts, source, text, others)
    profile.sha256 = sha256(raw)
    return profile, rs
