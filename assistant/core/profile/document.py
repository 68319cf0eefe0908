"""Profiles: the TOML file of an applicant's answers, validated against the fact catalogue.

A profile is ``schema_version``, ``equipment``, and one table per fact namespace
(``[institution]``, ``[pet_ct]`` ...). An unanswered fact is simply absent. ``[set_aside]``
holds answers an edit in the interview made irrelevant, keyed by fact key (or
``roster[i].field``): validated like answers, never evaluated, put back by the interview when
their question matters again. Every problem is
reported as one ``ProfileError`` naming the file, the line (and column, for TOML syntax)
where it can be found, the field path, and what was expected.

A profile is data: nothing in it is executed, imported or expanded, and no path in it is ever
opened. Checking one is on the hot path of ``medequip check`` (thousands of files in a batch),
so it uses no pydantic: plain checks against the catalogue, and the line of a problem is only
looked up once there is a problem.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from ..io.safeio import digits, magnitude
from ..rules.model import EQUIPMENT_KEYS, Fact
from ..text.i18n import Msg
from ..text.messages import as_msg, entry, msg, quoted_short, word
from ..text.messages import kind as _kind
from ..text.messages import short as _short
from ..text.messages import suggest as _suggest
from ..text.sanitize import UNSAFE as _CONTROL
from ..text.sanitize import describe as describe_char
from ..text.sanitize import is_control
from .read import (
    ProfileError,
    parse_bytes,
    printable,
    sha256,
)

SCHEMA_VERSION = 1
MAX_TEXT_CHARS = 500
MAX_ROSTER = 500
SET_ASIDE = "set_aside"
EVIDENCE = "evidence"
_PERSON_KEY = re.compile(r"^(?P<roster>[^\[\]]+)\[(?P<i>0|[1-9][0-9]{0,5})\]\.(?P<field>[^.\[\]]+)$")


class Profile:
    """A profile read (or built by the interview): its equipment, answers and edition, where
    it came from, answers kept but not used (``set_aside``: flat key -> value, never
    evaluated), the files attached per clause (``evidence``: ``[[evidence]]``, never
    evaluated), what a recorded evidence path holds now (``evidence_lookup``: the profile's
    folder on disk unless set; a package sets its own files), and what was accepted but said
    (``warnings``: shown by ``check`` on stderr and by the interview)."""

    __slots__ = ("equipment", "answers", "ruleset_edition", "source", "sha256", "set_aside", "evidence")
    __slots__ += ("evidence_lookup", "warnings")

    def __init__(
        self,
        equipment: str,
        answers: dict[str, Any] | None = None,
        ruleset_edition: str | None = None,
        source: str = "<profile>",
        sha256: str = "",
        set_aside: dict[str, Any] | None = None,
        evidence: tuple = (),
        evidence_lookup: Any = None,
        warnings: list | None = None,
    ):
        self.equipment = equipment
        self.answers = {} if answers is None else answers
        self.ruleset_edition, self.source, self.sha256 = ruleset_edition, source, sha256
        self.set_aside = {} if set_aside is None else set_aside
        self.evidence, self.evidence_lookup = evidence, evidence_lookup
        self.warnings = [] if warnings is None else warnings

    def replace(self, **changes: Any) -> Profile:
        return Profile(**{name: getattr(self, name) for name in self.__slots__} | changes)

    def __repr__(self) -> str:
        return f"Profile({self.equipment!r}, source={self.source!r}, {len(self.answers)} answers)"

    @property
    def name(self) -> str:
        return self.answers.get("institution.name") or ""


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
        raise err(msg("value.text", got=_kind(value)))
    if len(value) > MAX_TEXT_CHARS:
        raise err(msg("value.text_long", n=f"{len(value):,}", limit=MAX_TEXT_CHARS))
    m = _CONTROL.search(value)
    if m:
        if is_control(m.group()):
            raise err(msg("value.control", char=printable(m.group()), at=m.start() + 1))
        raise err(msg("value.invisible", char=describe_char(m.group()), at=m.start() + 1))
    return unicodedata.normalize("NFC", value)


def _plainly_valid(fact: Fact, value: Any) -> bool:
    """The commonest answers (yes/no, a count in range, a listed choice), accepted exactly as
    ``check_value`` accepts them but without building its error callback: a batch checks tens
    of answers per profile."""
    t = fact.type
    if t == "bool":
        return value is True or value is False
    if t == "int":
        return type(value) is int and fact.min <= value <= fact.max
    if t == "choice":
        return type(value) is str and value in fact.choice_keys
    return False


def check_value(fact: Fact, value: Any, err) -> Any:
    """Validate one value against its fact; ``err(msg)`` builds the exception to raise."""
    check = _CHECKS.get(fact.type)
    if check is None:  # pragma: no cover - every fact type has its check
        raise err(msg("value.cannot_check", type=fact.type))
    return check(fact, value, err)


def _check_bool(fact: Fact, value: Any, err) -> bool:
    if not isinstance(value, bool):
        raise err(msg("value.bool", got=_kind(value)))
    return value


def _check_int(fact: Fact, value: Any, err) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise err(msg("value.int", min=fact.min, max=fact.max, got=_kind(value)))
    if not (fact.min <= value <= fact.max):
        raise err(msg("value.range", value=magnitude(value), min=fact.min, max=fact.max))
    return value


def _check_choice(fact: Fact, value: Any, err) -> str:
    keys = fact.choice_keys
    if isinstance(value, str) and value in keys:
        return value
    hint = as_msg("")
    if isinstance(value, str):
        by_label = next((c.key for c in fact.choices if value in (c.zh, c.en)), None)
        hint = msg("suggest", word=repr(by_label)) if by_label else _suggest(value, keys)
    raise err(msg("expected_one_of_got", keys=", ".join(keys), got=_kind(value), hint=hint))


def _check_set(fact: Fact, value: Any, err) -> list[str]:
    keys = fact.choice_keys
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        got = (
            _kind(value)
            if not isinstance(value, list)
            else msg("kind.array_holding", kind=next(_kind(v) for v in value if not isinstance(v, str)))
        )
        raise err(msg("value.set", keys=", ".join(keys), got=got))
    for v in value:
        if v not in keys:
            raise err(
                msg("value.not_in_set", value=quoted_short(v), keys=", ".join(keys), hint=_suggest(v, keys))
            )
    if len(set(value)) != len(value):
        twice = next(v for i, v in enumerate(value) if v in value[:i])
        raise err(msg("value.repeats", value=repr(twice)))
    return [k for k in keys if k in value]


_CHECKS = {
    "bool": _check_bool,
    "int": _check_int,
    "choice": _check_choice,
    "set": _check_set,
    "text": lambda fact, value, err: _check_text(value, "", err),
}


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
    if "institution" not in data:
        raise ProfileError(source, msg("profile.missing_institution"), None, "institution")
    for ns, table in data.items():
        if ns in ("schema_version", "equipment", "ruleset_edition", SET_ASIDE, EVIDENCE):
            continue
        _check_namespace(ns, table, equipment, source, loc)
        if ns not in ("institution", equipment) and table:
            # Validated (a typo is still an error) but not read: said, so nobody thinks it counts.
            profile.warnings.append(
                Warning(msg("profile.other_table", ns=ns, equipment=equipment), loc.line(ns), ns)
            )
        cat = facts if ns in ("institution", equipment) else catalogues.get(ns)
        if cat is None:
            continue
        for key, value in table.items():
            value = _checked_answer(ns, key, value, cat, equipment, source, loc)
            if ns in ("institution", equipment):
                profile.answers[f"{ns}.{key}"] = value
    if SET_ASIDE in data:
        profile.set_aside = _check_set_aside(data[SET_ASIDE], facts, equipment, profile.answers, source, loc)
    if EVIDENCE in data:
        from .evidence import check_table

        profile.evidence = check_table(
            data[EVIDENCE],
            source,
            lambda i, key: loc.line(EVIDENCE, key, nth=i) if key else loc.line(EVIDENCE, nth=i),
            _check_text,
        )
    _check_relations(profile, facts, source, loc)
    return profile


def _check_namespace(ns: str, table: Any, equipment: str, source: str, loc: _Locator) -> None:
    """A top-level table is the institution's or an equipment type's."""
    namespaces = ["institution", *EQUIPMENT_KEYS]
    if ns not in namespaces:
        top_known = ["schema_version", "equipment", "ruleset_edition", *namespaces, SET_ASIDE, EVIDENCE]
        hint = _suggest(ns, top_known) or msg("profile.expected_top", equipment=equipment)
        raise ProfileError(
            source,
            msg("profile.unknown_key", key=quoted_short(ns), hint=hint),
            loc.line(ns) or loc.line(None, ns),
            _short(ns),
        )
    if not isinstance(table, dict):
        raise ProfileError(
            source, msg("profile.expected_table", ns=ns, got=_kind(table)), loc.line(None, ns), ns
        )


def _checked_answer(
    ns: str, key: str, value: Any, cat: dict[str, Fact], equipment: str, source: str, loc: _Locator
) -> Any:
    """One answer of table ``ns``: a fact of its catalogue, with a value the fact accepts."""
    path = f"{ns}.{key}"
    fact = cat.get(path)
    if fact is None:
        options = [k.split(".", 1)[1] for k in cat if k.startswith(ns + ".")]
        listed = ns if ns in EQUIPMENT_KEYS else equipment
        hint = _suggest(key, options) or msg("profile.expected_fact", ns=ns, listed=listed)
        raise ProfileError(
            source,
            msg("profile.unknown_key_in", key=quoted_short(key), ns=ns, hint=hint),
            loc.line(ns, key),
            as_msg(f"{ns}.") + _short(key),
        )
    if _plainly_valid(fact, value):
        return value
    if fact.type == "roster":
        return _check_roster(fact, value, path, source, loc)
    return check_value(fact, value, lambda message: ProfileError(source, message, loc.line(ns, key), path))


def _path_line(path: str, loc: _Locator) -> int | None:
    """The line of a profile path: ``ns.key``, ``roster[i].field`` or ``roster[i]``."""
    m = re.match(r"^(?P<roster>[^\[\]]+)\[(?P<i>\d+)\](?:\.(?P<field>.+))?$", path)
    if m is None:
        ns, key = path.split(".", 1)
        return loc.line(ns, key)
    return loc.line(m["roster"], m["field"], nth=int(m["i"]))


def _check_relations(profile: Profile, facts: dict[str, Fact], source: str, loc: _Locator) -> None:
    """Refuse a profile that breaks a refusing relation between facts (both named, with their
    lines); note the warning ones and answers to retired facts in ``profile.warnings``."""
    from ..rules.checks.consistency import breaches

    for b in breaches(facts, profile.answers, profile.equipment):
        lines = [(p, _path_line(p, loc)) for p in b.paths]
        on_lines = [msg("profile.document.on_line", path=p, line=n) for p, n in lines if n]
        where = msg("punct.paren", text=Msg.join(on_lines, *entry("punct.comma")))
        if b.refuses:
            raise ProfileError(source, b.message + where, lines[0][1], b.paths[0])
        profile.warnings.append(Warning(b.message + where, lines[0][1], b.paths[0]))
    for key in profile.answers:
        fact = facts.get(key)
        if fact is not None and fact.retired:
            ns, name = key.split(".", 1)
            profile.warnings.append(Warning(msg("profile.retired", key=key), loc.line(ns, name), key))


class Warning(NamedTuple):  # noqa: A001 - a profile's warning, not the builtin category
    """Something a profile holds that is accepted but said: a warning relation broken, an
    answer to a retired fact (ignored)."""

    message: Msg
    line: int | None
    path: str

    def render(self, source: str) -> Msg:
        where = printable(source) + (f":{self.line}" if self.line else "")
        return msg("profile.document.warning", where=where, path=self.path) + self.message


def _check_set_aside(
    table: Any, facts: dict[str, Fact], equipment: str, answers: dict[str, Any], source: str, loc: _Locator
) -> dict[str, Any]:
    """``[set_aside]``: each key a fact of this equipment or the institution, or one field
    of a person on the roster, with a value its fact accepts. An entry the answers make
    moot (the same fact answered, or a person the roster does not list) is passed over: the
    answer in use wins, and nothing could ever bring the entry back."""
    if not isinstance(table, dict):
        raise ProfileError(
            source,
            msg("profile.expected_table", ns=SET_ASIDE, got=_kind(table)),
            loc.line(None, SET_ASIDE),
            SET_ASIDE,
        )
    out: dict[str, Any] = {}
    for key, value in table.items():
        where = loc.line(SET_ASIDE, key)
        path = as_msg(f"{SET_ASIDE}.") + _short(key)

        def err(message: Msg, where=where, path=path) -> ProfileError:
            return ProfileError(source, message, where, path)

        m = _PERSON_KEY.match(key)
        fact = facts.get(m["roster"] if m else key)
        if fact is None or key.split(".", 1)[0] not in ("institution", equipment):
            raise err(msg("profile.set_aside_unknown", key=quoted_short(key)))
        if m:
            fld = fact.fields_by_key.get(m["field"]) if fact.type == "roster" else None
            if fld is None:
                raise err(msg("profile.set_aside_unknown", key=quoted_short(key)))
            value = check_value(fld, value, err)
            people = answers.get(m["roster"]) or []
            i = int(m["i"])
            if i < len(people) and m["field"] not in people[i]:
                out[key] = value
            continue
        if fact.type == "roster":
            value = _check_roster(fact, value, f"{SET_ASIDE}.{key}", source, loc)
        else:
            value = check_value(fact, value, err)
        if key not in answers:
            out[key] = value
    return out


def _envelope(data: dict, source: str, loc: _Locator) -> tuple[str, str | None]:
    """The fixed keys: ``schema_version``, ``equipment``, optional ``ruleset_edition``."""
    version = data.get("schema_version")
    if "schema_version" not in data:
        raise ProfileError(
            source, msg("profile.missing_schema_version", version=SCHEMA_VERSION), None, "schema_version"
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise ProfileError(
            source,
            msg("profile.bad_schema_version", version=SCHEMA_VERSION, got=_kind(version)),
            loc.line(None, "schema_version"),
            "schema_version",
        )
    if version > SCHEMA_VERSION:
        shown = version if digits(version) <= 24 else msg("newer_version")
        raise ProfileError(
            source,
            msg("profile.newer_schema", shown=shown, version=SCHEMA_VERSION),
            loc.line(None, "schema_version"),
            "schema_version",
        )
    if version < 1:
        raise ProfileError(
            source,
            msg("profile.old_schema", version=SCHEMA_VERSION, got=_kind(version)),
            loc.line(None, "schema_version"),
            "schema_version",
        )
    equipment = data.get("equipment")
    keys = ", ".join(EQUIPMENT_KEYS)
    if "equipment" not in data:
        raise ProfileError(source, msg("profile.missing_equipment", keys=keys), None, "equipment")
    if not isinstance(equipment, str):
        raise ProfileError(
            source,
            msg("expected_one_of_got", keys=keys, got=_kind(equipment), hint=""),
            loc.line(None, "equipment"),
            "equipment",
        )
    if equipment not in EQUIPMENT_KEYS:
        raise ProfileError(
            source,
            msg(
                "unknown_equipment",
                key=repr(printable(equipment[:60])),
                keys=keys,
                hint=_suggest(equipment, list(EQUIPMENT_KEYS)),
            ),
            loc.line(None, "equipment"),
            "equipment",
        )
    edition = data.get("ruleset_edition")
    if edition is not None:
        if not isinstance(edition, str):
            raise ProfileError(
                source,
                msg("profile.edition", got=_kind(edition)),
                loc.line(None, "ruleset_edition"),
                "ruleset_edition",
            )
        _check_text(
            edition,
            "",
            lambda message: ProfileError(
                source, message, loc.line(None, "ruleset_edition"), "ruleset_edition"
            ),
        )
    return equipment, edition


def _check_roster(fact: Fact, value: Any, path: str, source: str, loc: _Locator) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(p, dict) for p in value):
        got = (
            _kind(value)
            if not isinstance(value, list)
            else msg("kind.array_holding", kind=next(_kind(p) for p in value if not isinstance(p, dict)))
        )
        raise ProfileError(
            source,
            msg("profile.expected_roster", path=path, got=got),
            loc.line(None, path.split(".")[-1]) or loc.line(path),
            path,
        )
    if len(value) > MAX_ROSTER:
        raise ProfileError(
            source, msg("profile.roster_size", n=len(value), limit=MAX_ROSTER), loc.line(path), path
        )
    fields = fact.fields_by_key
    people = []
    for i, person in enumerate(value):
        out = {}
        for key, v in person.items():
            fld = fields.get(key)
            if fld is not None and _plainly_valid(fld, v):
                out[key] = v
                continue
            p = f"{path}[{i}].{key}"
            if fld is None:
                hint = _suggest(key, list(fields)) or msg(
                    "profile.expected_one_of_fields", keys=", ".join(fields)
                )
                raise ProfileError(
                    source,
                    msg("profile.unknown_key", key=quoted_short(key), hint=hint),
                    loc.line(path, key, nth=i),
                    as_msg(f"{path}[{i}].") + _short(key),
                )
            out[key] = check_value(
                fld,
                v,
                lambda message, p=p, key=key, i=i: ProfileError(
                    source, message, loc.line(path, key, nth=i), p
                ),
            )
        for required in ("role",):
            if required in fields and required not in out:
                choices = ", ".join(c.key for c in fields[required].choices)
                raise ProfileError(
                    source,
                    msg("profile.missing_role", key=required, n=i + 1, choices=choices),
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
    if profile.set_aside:
        data[SET_ASIDE] = set_aside_data(profile.set_aside, facts)
    return data


def set_aside_data(kept: dict[str, Any], facts: dict[str, Fact]) -> dict[str, Any]:
    """The ``[set_aside]`` table: keys in catalogue order (a person's fields by person, then
    in the roster's field order), so the file reads like the answers above it."""
    order = {k: n for n, k in enumerate(facts)}

    def rank(key: str) -> tuple:
        m = _PERSON_KEY.match(key)
        if m is None:
            return (order.get(key, len(order)), -1, -1, key)
        fact = facts.get(m["roster"])
        fields = [f.key for f in fact.fields] if fact is not None and fact.type == "roster" else []
        pos = fields.index(m["field"]) if m["field"] in fields else len(fields)
        return (order.get(m["roster"], len(order)), int(m["i"]), pos, key)

    out: dict[str, Any] = {}
    for key in sorted(kept, key=rank):
        value = kept[key]
        fact = facts.get(key)
        if fact is not None and fact.type == "roster":
            fields = [f.key for f in fact.fields]
            value = [{k: p[k] for k in fields if k in p} for p in value]
        out[key] = value
    return out


def dumps(profile: Profile, facts: dict[str, Fact], lang: str = "en") -> str:
    """A profile written from scratch: the header comment in ``lang``, the answers in
    catalogue order, then ``[set_aside]`` (when anything is) under a note saying what it is."""
    import tomli_w

    text = tomli_w.dumps(to_data(profile, facts))
    if profile.set_aside:
        at = re.search(r"^\[\[?set_aside[\].]", text, re.M)
        if at is not None:
            text = text[: at.start()] + word("profile.document.set_aside_note", lang) + text[at.start() :]
    return word("profile.document.header", lang) + text


def load(raw: bytes, source: str, ruleset_path: Path | None = None, as_of=None):
    """Parse and validate a profile; returns (profile, ruleset): ``ruleset_path`` as given,
    or with ``as_of`` the edition in force that day. Raises ProfileError or
    loader.RulesetError."""
    from ..rules import loader

    data, text = parse_bytes(raw, source)
    equipment = data.get("equipment") if isinstance(data, dict) else None
    if not isinstance(equipment, str) or equipment not in EQUIPMENT_KEYS:
        # Let the envelope produce the precise message.
        validate_data(data, {}, source, text)
    try:
        rs = loader.for_equipment(equipment, ruleset_path, as_of)
    except loader.NotCovering as e:  # in a batch, the line must say which profile
        raise loader.NotCovering(as_msg(f"{printable(source)}: ") + e.msg) from None
    others = {}
    for key in EQUIPMENT_KEYS:
        if key != equipment and key in data:
            other = loader.for_equipment(key)
            others[key] = {k: f for k, f in other.facts.items() if k.startswith(key + ".")}
    profile = validate_data(data, rs.facts, source, text, others)
    if profile.evidence:
        from .evidence import check_rules

        check_rules(profile.evidence, rs, equipment, source)
    profile.sha256 = sha256(raw)
    return profile, rs
