"""Profiles: the TOML file of an applicant's answers, validated against the fact catalogue.

A profile is ``schema_version``, ``equipment``, and one table per fact namespace
(``[institution]``, ``[pet_ct]`` ...). An unanswered fact is simply absent. Every problem is
reported as one ``ProfileError`` naming the file, the line (and column, for TOML syntax)
where it can be found, the field path, and what was expected.

A profile is data: nothing in it is executed, imported or expanded, and no path in it is ever
opened. Checking one is on the hot path of ``medequip check`` (thousands of files in a batch),
so it uses no pydantic: plain checks against the catalogue, and the line of a problem is only
looked up once there is a problem.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .model import EQUIPMENT_KEYS, Fact
from .profile_read import (  # noqa: F401 - the profile API in one place
    _CONTROL,
    MAX_PROFILE_BYTES,
    ProfileError,
    parse_bytes,
    printable,
    read_source,
    sha256,
)

SCHEMA_VERSION = 1
MAX_TEXT_CHARS = 500
MAX_ROSTER = 500


def _kind(value: Any) -> str:
    """What a TOML value is, in the words of an error message."""
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a boolean)"
    if isinstance(value, int):
        text = str(value) if len(str(value)) <= 24 else f"a {len(str(abs(value)))}-digit number"
        return f"{text} (a whole number)"
    if isinstance(value, float):
        return f"{value!r} (a decimal number)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"{shown!r} (text)"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__.replace('_', ' ')}"  # TOML dates and times


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
    if len(word) > 200:  # nothing that long is a typo of a key
        return ""
    same = [o for o in options if o.lower() == word.lower()]
    near = same or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


def short(text: str, limit: int = 60) -> str:
    """A key or value cut down for a message: a 20,000-character key is shown by its start."""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


class _Locator:
    """Finds the line of a table or key in the TOML text, for error messages."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def lines(self) -> list[str]:  # split only when a message needs a line number
        return self.text.splitlines()

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
        raise err(f"expected text, got {_kind(value)}")
    if len(value) > MAX_TEXT_CHARS:
        raise err(f"text is {len(value):,} characters; expected at most {MAX_TEXT_CHARS}")
    m = _CONTROL.search(value)
    if m:
        raise err(
            f"text contains the control character '{printable(m.group())}' at character {m.start() + 1}; expected plain text (no escape sequences, NUL or direction overrides)"
        )
    return unicodedata.normalize("NFC", value)


def check_value(fact: Fact, value: Any, err) -> Any:
    """Validate one value against its fact; ``err(msg)`` builds the exception to raise."""
    t = fact.type
    if t == "bool":
        if not isinstance(value, bool):
            raise err(f"expected true or false, got {_kind(value)}")
        return value
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise err(f"expected a whole number from {fact.min} to {fact.max}, got {_kind(value)}")
        if not (fact.min <= value <= fact.max):
            shown = value if len(str(value)) <= 24 else f"a {len(str(abs(value)))}-digit number"
            raise err(f"{shown} is out of range: expected a whole number from {fact.min} to {fact.max}")
        return value
    if t == "choice":
        keys = [c.key for c in fact.choices]
        if not isinstance(value, str) or value not in keys:
            hint = ""
            if isinstance(value, str):
                by_label = next((c.key for c in fact.choices if value in (c.zh, c.en)), None)
                hint = f" (did you mean {by_label!r}?)" if by_label else suggest(value, keys)
            raise err(f"expected one of {', '.join(keys)}, got {_kind(value)}{hint}")
        return value
    if t == "set":
        keys = [c.key for c in fact.choices]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            got = (
                _kind(value)
                if not isinstance(value, list)
                else "an array holding " + next(_kind(v) for v in value if not isinstance(v, str))
            )
            raise err(f"expected a list of: {', '.join(keys)}; got {got}")
        for v in value:
            if v not in keys:
                raise err(f"{short(v)!r} is not one of {', '.join(keys)}{suggest(v, keys)}")
        if len(set(value)) != len(value):
            twice = next(v for i, v in enumerate(value) if v in value[:i])
            raise err(f"the list repeats {twice!r}; expected each value at most once")
        return [k for k in keys if k in value]
    if t == "text":
        return _check_text(value, "", err)
    raise err(f"cannot check a {t} fact here")  # pragma: no cover


def validate_data(
    data: dict,
    facts: dict[str, Fact],
    source: str,
    text: str = "",
    known_equipment: dict[str, dict[str, Fact]] | None = None,
) -> Profile:
    """Turn parsed TOML into a Profile, or raise ProfileError."""
    loc = _Locator(text)
    equipment, edition = _envelope(data, source, loc)
    profile = Profile(equipment, {}, edition, source)
    catalogues = dict(known_equipment or {})
    catalogues[equipment] = facts
    namespaces = ["institution", *EQUIPMENT_KEYS]
    top_known = ["schema_version", "equipment", "ruleset_edition", *namespaces]
    if "institution" not in data:
        raise ProfileError(
            source,
            "missing table [institution]: expected an [institution] table describing the applicant (it may be empty)",
            None,
            "institution",
        )
    for ns, table in data.items():
        if ns in ("schema_version", "equipment", "ruleset_edition"):
            continue
        if ns not in namespaces:
            hint = (
                suggest(ns, top_known)
                or f"; expected schema_version, equipment, ruleset_edition, [institution] or [{equipment}]"
            )
            raise ProfileError(
                source, f"unknown key {short(ns)!r}{hint}", loc.line(ns) or loc.line(None, ns), short(ns)
            )
        if not isinstance(table, dict):
            raise ProfileError(source, f"expected a table [{ns}], got {_kind(table)}", loc.line(None, ns), ns)
        cat = facts if ns in ("institution", equipment) else catalogues.get(ns)
        if cat is None:
            continue
        for key, value in table.items():
            path = f"{ns}.{key}"
            fact = cat.get(path)
            if fact is None:
                options = [k.split(".", 1)[1] for k in cat if k.startswith(ns + ".")]
                listed = ns if ns in EQUIPMENT_KEYS else equipment
                hint = (
                    suggest(key, options)
                    or f"; expected one of the [{ns}] facts (`medequip questions {listed}` lists them)"
                )
                raise ProfileError(
                    source,
                    f"unknown key {short(key)!r} in [{ns}]{hint}",
                    loc.line(ns, key),
                    f"{ns}.{short(key)}",
                )

            def err(msg: str, path=path, key=key, ns=ns) -> ProfileError:
                return ProfileError(source, msg, loc.line(ns, key), path)

            if fact.type == "roster":
                value = _check_roster(fact, value, path, source, loc)
            else:
                value = check_value(fact, value, err)
            if ns in ("institution", equipment):
                profile.answers[path] = value
    from .consistency import conflicts

    for c in conflicts(facts, profile.answers):
        ns, key = c.part.split(".", 1)
        raise ProfileError(
            source,
            f"{c.part_value} is more than {c.whole} = {c.whole_value}: "
            f"it counts part of {c.whole} and cannot exceed it",
            loc.line(ns, key),
            c.part,
        )
    return profile


def _envelope(data: dict, source: str, loc: _Locator) -> tuple[str, str | None]:
    """The fixed keys: ``schema_version``, ``equipment``, optional ``ruleset_edition``."""
    version = data.get("schema_version")
    expected = f"expected schema_version = {SCHEMA_VERSION} (a whole number)"
    if "schema_version" not in data:
        raise ProfileError(
            source,
            f"missing required key 'schema_version': {expected} at the top of the file",
            None,
            "schema_version",
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise ProfileError(
            source, f"{expected}, got {_kind(version)}", loc.line(None, "schema_version"), "schema_version"
        )
    if version > SCHEMA_VERSION:
        shown = version if len(str(version)) <= 24 else "a newer version"
        raise ProfileError(
            source,
            f"schema_version {shown} is newer than this medequip understands ({SCHEMA_VERSION}); upgrade medequip",
            loc.line(None, "schema_version"),
            "schema_version",
        )
    if version < 1:
        raise ProfileError(
            source,
            f"schema_version must be {SCHEMA_VERSION}, got {_kind(version)}",
            loc.line(None, "schema_version"),
            "schema_version",
        )
    equipment = data.get("equipment")
    keys = ", ".join(EQUIPMENT_KEYS)
    if "equipment" not in data:
        raise ProfileError(
            source, f"missing required key 'equipment': expected one of {keys}", None, "equipment"
        )
    if not isinstance(equipment, str):
        raise ProfileError(
            source,
            f"expected one of {keys}, got {_kind(equipment)}",
            loc.line(None, "equipment"),
            "equipment",
        )
    if equipment not in EQUIPMENT_KEYS:
        raise ProfileError(
            source,
            f"unknown equipment {printable(equipment[:60])!r}: expected one of {keys}{suggest(equipment, list(EQUIPMENT_KEYS))}",
            loc.line(None, "equipment"),
            "equipment",
        )
    edition = data.get("ruleset_edition")
    if edition is not None:
        if not isinstance(edition, str):
            raise ProfileError(
                source,
                f'expected text such as "2022", got {_kind(edition)}',
                loc.line(None, "ruleset_edition"),
                "ruleset_edition",
            )
        _check_text(
            edition,
            "",
            lambda msg: ProfileError(source, msg, loc.line(None, "ruleset_edition"), "ruleset_edition"),
        )
    return equipment, edition


def _check_roster(fact: Fact, value: Any, path: str, source: str, loc: _Locator) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(p, dict) for p in value):
        got = (
            _kind(value)
            if not isinstance(value, list)
            else "an array holding " + next(_kind(p) for p in value if not isinstance(p, dict))
        )
        raise ProfileError(
            source,
            f"expected a list of people ([[{path}]] tables), got {got}",
            loc.line(None, path.split(".")[-1]) or loc.line(path),
            path,
        )
    if len(value) > MAX_ROSTER:
        raise ProfileError(
            source, f"{len(value)} people listed; at most {MAX_ROSTER} allowed", loc.line(path), path
        )
    fields = {f.key: f for f in fact.fields}
    people = []
    for i, person in enumerate(value):
        out = {}
        for key, v in person.items():
            p = f"{path}[{i}].{key}"
            fld = fields.get(key)
            if fld is None:
                hint = suggest(key, list(fields)) or f"; expected one of {', '.join(fields)}"
                raise ProfileError(
                    source,
                    f"unknown key {short(key)!r}{hint}",
                    loc.line(path, key, nth=i),
                    f"{path}[{i}].{short(key)}",
                )
            out[key] = check_value(
                fld,
                v,
                lambda msg, p=p, key=key, i=i: ProfileError(source, msg, loc.line(path, key, nth=i), p),
            )
        for required in ("role",):
            if required in fields and required not in out:
                choices = ", ".join(c.key for c in fields[required].choices)
                raise ProfileError(
                    source,
                    f"missing required key {required!r} for person {i + 1}: expected {required} = one of {choices}",
                    loc.line(path, nth=i),
                    f"{path}[{i}]",
                )
        people.append({k: out[k] for k in fields if k in out})
    return people


# --- writing ----------------------------------------------------------------------------------


def to_data(profile: Profile, facts: dict[str, Fact]) -> dict:
    """The TOML document of a profile, keys in catalogue order so output is stable."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "equipment": profile.equipment}
    if profile.ruleset_edition:
        data["ruleset_edition"] = profile.ruleset_edition
    tables: dict[str, dict] = {"institution": {}}
    for key, fact in facts.items():
        if key in profile.answers:
            ns, name = key.split(".", 1)
            value = profile.answers[key]
            if fact.type == "roster":
                order = [f.key for f in fact.fields]
                value = [{k: p[k] for k in order if k in p} for p in value]
            tables.setdefault(ns, {})[name] = value
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
