"""Load rulesets and the fact catalogue from package data (or a file given with --ruleset).

Loading validates everything a ruleset says against the models and cross-checks it: every
fact a condition reads is declared, every rule an exemption names exists. A ruleset that
loads is one the evaluator can trust.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from .model import (
    All,
    Any_,
    Compare,
    Condition,
    Count,
    Exemption,
    Fact,
    FactCatalogueFile,
    Implies,
    Not,
    Qualified,
    Rule,
    RulesetFile,
)

# A custom ruleset is data from outside: refuse absurd sizes before parsing them.
MAX_RULESET_BYTES = 2 * 1024 * 1024


class RulesetError(Exception):
    """A ruleset that cannot be used; the message names the file and what is wrong."""


def data_dir(name: str) -> Path:
    """Folder of shipped data: inside the installed package, or the checkout's top level."""
    packaged = resources.files("assistant") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def walk(cond: Condition | None) -> Iterator[Condition]:
    """Every node of a condition tree, depth first."""
    if cond is None:
        return
    yield cond
    match cond:
        case All(all=parts) | Any_(any=parts):
            for p in parts:
                yield from walk(p)
        case Not(not_=inner):
            yield from walk(inner)
        case Implies(if_=a, then=b):
            yield from walk(a)
            yield from walk(b)
        case Count(where=w):
            yield from walk(w)


def facts_read(cond: Condition | None, scope_roster: str | None = None) -> list[str]:
    """Fact keys a condition reads, in order of appearance. Person fields are returned as
    ``roster.field`` so that every key is global."""
    out: list[str] = []

    def visit(c: Condition | None, roster: str | None) -> None:
        if c is None:
            return
        match c:
            case Compare(fact=f):
                out.append(f if roster is None else f"{roster}.{f}")
            case All(all=parts) | Any_(any=parts):
                for p in parts:
                    visit(p, roster)
            case Not(not_=inner):
                visit(inner, roster)
            case Implies(if_=a, then=b):
                visit(a, roster)
                visit(b, roster)
            case Count(count=r, where=w):
                out.append(r)
                visit(w, r)
            case Qualified():
                pass

    visit(cond, scope_roster)
    return list(dict.fromkeys(out))


def _expand(patterns: tuple[str, ...], ids: list[str]) -> list[str]:
    out: list[str] = []
    for p in patterns:
        if p.endswith(".*"):
            stem = p[:-1]
            out += [i for i in ids if i.startswith(stem)]
        else:
            out += [i for i in ids if i == p]
    return out


@dataclass(frozen=True)
class Ruleset:
    """A loaded, cross-checked ruleset plus the shared institution facts."""

    data: RulesetFile
    facts: dict[str, Fact]
    sha256: str
    path: str
    # exemption id -> ground key -> rule ids it waives (patterns expanded)
    waived: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.data.ruleset.id

    @property
    def edition(self) -> str:
        return self.data.ruleset.edition

    def rules_for(self, equipment: str) -> list[Rule]:
        return [r for r in self.data.rules if r.equipment == equipment]

    def exemptions_for(self, equipment: str) -> list[Exemption]:
        return [e for e in self.data.exemptions if e.equipment == equipment]

    def equipment_info(self, equipment: str):
        return next(e for e in self.data.equipment if e.key == equipment)

    def rule(self, rule_id: str) -> Rule | Exemption | None:
        for r in (*self.data.rules, *self.data.exemptions):
            if r.id == rule_id:
                return r
        return None

    def rule_facts(self, rule: Rule) -> list[str]:
        roster = rule.roster if rule.scope == "person" else None
        keys = facts_read(rule.applies_when, roster) + facts_read(rule.condition, roster)
        keys += facts_read(rule.advice, roster)
        if rule.scope == "person":
            keys.insert(0, f"{rule.roster}.role")
            keys.insert(0, rule.roster)
        return list(dict.fromkeys(keys))

    def waivers_of(self, rule_id: str) -> list[tuple[Exemption, str]]:
        """(exemption, ground key) pairs that can waive ``rule_id``."""
        out = []
        for ex in self.data.exemptions:
            for g in ex.grounds:
                if rule_id in self.waived[ex.id][g.key]:
                    out.append((ex, g.key))
        return out


def _read_toml(path: Path, what: str) -> dict:
    try:
        size = path.stat().st_size
        if size > MAX_RULESET_BYTES:
            raise RulesetError(
                f"{path}: {what} is {size:,} bytes; the limit is {MAX_RULESET_BYTES:,} bytes"
            )
        raw = path.read_bytes()
    except OSError as e:
        raise RulesetError(f"{path}: cannot read {what}: {e.strerror or e}") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise RulesetError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise RulesetError(f"{path}: invalid TOML: {e}") from None
    except RecursionError:
        raise RulesetError(f"{path}: nested too deeply") from None


def _fmt_validation(path: Path, err: ValidationError) -> str:
    lines = [f"{path}: invalid ruleset"]
    for e in err.errors()[:10]:
        loc = ".".join(str(p) for p in e["loc"] if not str(p).startswith("function-"))
        lines.append(f"  {loc}: {e['msg']}")
    if err.error_count() > 10:
        lines.append(f"  ... and {err.error_count() - 10} more")
    return "\n".join(lines)


@cache
def institution_facts() -> dict[str, Fact]:
    path = data_dir("rulesets") / "facts.toml"
    try:
        cat = FactCatalogueFile.model_validate(_read_toml(path, "fact catalogue"))
    except ValidationError as e:
        raise RulesetError(_fmt_validation(path, e)) from None
    return {f.key: f for f in cat.facts}


def check_ruleset(data: RulesetFile, facts: dict[str, Fact]) -> list[str]:
    """Cross-reference problems in a parsed ruleset (empty when sound)."""
    problems: list[str] = []
    ids = [r.id for r in data.rules]
    all_ids = ids + [e.id for e in data.exemptions]
    dupes = {i for i in all_ids if all_ids.count(i) > 1}
    problems += [f"duplicate rule id {i}" for i in sorted(dupes)]
    covered = set(data.ruleset.equipment)
    for r in (*data.rules, *data.exemptions):
        if r.equipment not in covered:
            problems.append(f"{r.id}: equipment {r.equipment!r} is not in ruleset.equipment")

    def known(key: str) -> bool:
        if key in facts:
            return True
        roster, _, fld = key.rpartition(".")
        parent = facts.get(roster)
        return parent is not None and any(f.key == fld for f in parent.fields)

    for r in data.rules:
        roster = r.roster if r.scope == "person" else None
        if roster is not None and facts.get(roster, None) is None:
            problems.append(f"{r.id}: roster {roster} is not a declared fact")
            continue
        for cond in (r.applies_when, r.condition, r.advice):
            for key in facts_read(cond, roster):
                if not known(key):
                    problems.append(f"{r.id}: reads undeclared fact {key}")
    for ex in data.exemptions:
        for g in ex.grounds:
            for key in facts_read(g.when):
                if ex.scope == "institution" and not known(key):
                    problems.append(f"{ex.id}: reads undeclared fact {key}")
            for p in (*g.waives, *g.within, *g.must_meet):
                if not _expand((p,), ids):
                    problems.append(f"{ex.id}: names {p}, which matches no rule")
    return problems


def build(data: RulesetFile, path: str, sha256: str) -> Ruleset:
    facts = dict(institution_facts())
    for f in data.facts:
        facts[f.key] = f
    problems = check_ruleset(data, facts)
    if problems:
        raise RulesetError(f"{path}: inconsistent ruleset\n  " + "\n  ".join(problems))
    ids = [r.id for r in data.rules]
    waived: dict[str, dict[str, tuple[str, ...]]] = {}
    for ex in data.exemptions:
        waived[ex.id] = {}
        for g in ex.grounds:
            inside = set(_expand(g.within, ids)) - set(_expand(g.must_meet, ids))
            keep = set(_expand(g.waives, ids)) | inside
            waived[ex.id][g.key] = tuple(i for i in ids if i in keep)
    return Ruleset(data=data, facts=facts, sha256=sha256, path=path, waived=waived)


def load_path(path: Path) -> Ruleset:
    raw = _read_toml(path, "ruleset")
    try:
        data = RulesetFile.model_validate(raw)
    except ValidationError as e:
        raise RulesetError(_fmt_validation(path, e)) from None
    except RecursionError:
        raise RulesetError(f"{path}: nested too deeply") from None
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return build(data, str(path), sha)


@cache
def bundled() -> tuple[Ruleset, ...]:
    folder = data_dir("rulesets")
    return tuple(load_path(p) for p in sorted(folder.glob("*.toml")) if p.name != "facts.toml")


def for_equipment(equipment: str, custom: Path | None = None) -> Ruleset:
    if custom is not None:
        rs = load_path(custom)
        if equipment not in rs.data.ruleset.equipment:
            raise RulesetError(f"{custom}: this ruleset does not cover {equipment}")
        return rs
    for rs in bundled():
        if equipment in rs.data.ruleset.equipment:
            return rs
    raise RulesetError(f"no bundled ruleset covers {equipment}")
