"""Load rulesets and the fact catalogue from package data (or a file given with --ruleset).

Loading validates everything a ruleset says against the models and cross-checks it: every
fact a condition reads is declared, every rule an exemption names exists. A ruleset that
loads is one the evaluator can trust.

A ruleset is data from outside (``--ruleset``): before it is validated its size, nesting,
list lengths, string lengths and numbers are bounded, so a hostile file is refused with a
message instead of hanging or exhausting memory. Nothing in it is executed or imported, and
no path in it is ever opened.

Validating with pydantic costs more than everything else a ``check`` does, so a validated
ruleset is cached (see ``cache.py``): a pickle in the user's cache directory, keyed by the
SHA-256 of the ruleset file, of the fact catalogue, of this code and the medequip version,
written atomically and read back with an unpickler that can build nothing but ruleset
classes. A missing, unreadable, corrupt or stale entry is ignored and rebuilt; the cache can
never change a verdict, only how fast it comes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache as ruleset_cache
from .i18n import Msg
from .messages import at, msg, problem, pydantic_finding
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
from .sanitize import escape

if TYPE_CHECKING:
    from pydantic import ValidationError

from .ruleset_read import (  # noqa: F401 - the loader's API: its limits, errors and reader
    MAX_DEPTH,
    MAX_INT,
    MAX_ITEMS,
    MAX_RULESET_BYTES,
    MAX_STRING,
    RulesetError,
    parse,
    read_bytes,
)

_WHAT = {"ruleset": "what.ruleset", "questions": "what.questions", "fact catalogue": "what.facts"}


def data_dir(name: str) -> Path:
    """Folder of shipped data: inside the installed package, or the checkout's top level."""
    here = Path(__file__).resolve().parent.parent  # the assistant package
    packaged = here / "_data" / name
    if packaged.is_dir():
        return packaged
    return here.parent / name


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


def expand_patterns(patterns: tuple[str, ...], ids: list[str]) -> list[str]:
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
    # answers to the lookups below, filled as they are asked (a batch asks them per profile)
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self):  # the cache stores the ruleset, not what was looked up in it
        return {**self.__dict__, "_memo": {}}

    @property
    def id(self) -> str:
        return self.data.ruleset.id

    @property
    def edition(self) -> str:
        return self.data.ruleset.edition

    def rules_for(self, equipment: str) -> list[Rule]:
        key = ("rules_for", equipment)
        if key not in self._memo:
            self._memo[key] = tuple(r for r in self.data.rules if r.equipment == equipment)
        return list(self._memo[key])

    def exemptions_for(self, equipment: str) -> list[Exemption]:
        key = ("exemptions_for", equipment)
        if key not in self._memo:
            self._memo[key] = tuple(e for e in self.data.exemptions if e.equipment == equipment)
        return list(self._memo[key])

    def equipment_info(self, equipment: str):
        return next(e for e in self.data.equipment if e.key == equipment)

    def rule(self, rule_id: str) -> Rule | Exemption | None:
        for r in (*self.data.rules, *self.data.exemptions):
            if r.id == rule_id:
                return r
        return None

    def rule_facts(self, rule: Rule) -> list[str]:
        key = ("rule_facts", id(rule))
        hit = self._memo.get(key)
        if hit is None or hit[0] is not rule:  # keyed by identity; the rule is kept alive
            hit = self._memo[key] = (rule, tuple(self._rule_facts(rule)))
        return list(hit[1])

    def _rule_facts(self, rule: Rule) -> list[str]:
        roster = rule.roster if rule.scope == "person" else None
        keys = facts_read(rule.applies_when, roster) + facts_read(rule.condition, roster)
        keys += facts_read(rule.advice, roster)
        if rule.scope == "person":
            keys.insert(0, f"{rule.roster}.role")
            keys.insert(0, rule.roster)
        return list(dict.fromkeys(keys))

    def waivers_of(self, rule_id: str) -> list[tuple[Exemption, str]]:
        """(exemption, ground key) pairs that can waive ``rule_id``."""
        key = ("waivers_of", rule_id)
        if key not in self._memo:
            out = []
            for ex in self.data.exemptions:
                for g in ex.grounds:
                    if rule_id in self.waived[ex.id][g.key]:
                        out.append((ex, g.key))
            self._memo[key] = tuple(out)
        return list(self._memo[key])


def _read_toml(path: Path, what: str) -> dict:
    return parse(read_bytes(path, what), path, what)


# pydantic's words for a dataclass, put back to the words it uses for a model
_MESSAGES = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "missing_argument": "Field required",
}


def format_validation_error(path: Path, err: ValidationError) -> Msg:
    """pydantic's findings under a translated heading; each finding is pydantic's own words
    (for the ruleset's author, who reads the model's field names anyway)."""
    out = at(path, msg("ruleset.invalid"))
    for e in err.errors()[:10]:
        loc = ".".join(str(p) for p in e["loc"] if not str(p).startswith("function-"))
        head = f"\n  {loc or '(top level)'}: "
        out += Msg(head, head) + pydantic_finding(e["type"], _MESSAGES.get(e["type"], e["msg"]))
    if err.error_count() > 10:
        out += Msg("\n  ", "\n  ") + msg("ruleset.more", n=err.error_count() - 10)
    return out


def _validate(cls, data: dict, path: Path):
    from pydantic import ValidationError

    try:
        return cls.model_validate(data)
    except ValidationError as e:
        raise RulesetError(format_validation_error(path, e)) from None
    except RecursionError:
        raise RulesetError(at(path, msg("ruleset.nested"))) from None


def _facts_path() -> Path:
    return data_dir("rulesets") / "facts.toml"


@cache
def _facts_raw() -> bytes:
    return read_bytes(_facts_path(), "fact catalogue")


@cache
def institution_facts() -> dict[str, Fact]:
    path = _facts_path()
    cat = _validate(FactCatalogueFile, parse(_facts_raw(), path, "fact catalogue"), path)
    return {f.key: f for f in cat.facts}


def check_ruleset(data: RulesetFile, facts: dict[str, Fact]) -> list[str]:
    """Cross-reference problems in a parsed ruleset (empty when sound)."""
    problems: list[str] = []
    ids = [r.id for r in data.rules]
    all_ids = ids + [e.id for e in data.exemptions]
    seen: set[str] = set()
    dupes = {i for i in all_ids if i in seen or seen.add(i)}
    problems += [f"duplicate rule id {i}" for i in sorted(dupes)]
    covered = set(data.ruleset.equipment)
    described = {e.key for e in data.equipment}
    for key in data.ruleset.equipment:
        if key not in described:
            problems.append(
                f"ruleset.equipment names {key}, which has no [[equipment]] entry (its name and section)"
            )
    for r in (*data.rules, *data.exemptions):
        if r.equipment not in covered:
            problems.append(f"{r.id}: equipment {r.equipment!r} is not in ruleset.equipment")

    from .consistency import reference_problems

    problems += [f"{key}: {msg.en}" for key, msg in reference_problems(facts)]

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
        if roster is not None and facts[roster].type != "roster":
            problems.append(f"{r.id}: roster {roster} is a {facts[roster].type} fact, not a roster")
            continue
        for cond in (r.applies_when, r.condition, r.advice):
            undeclared = [key for key in facts_read(cond, roster) if not known(key)]
            problems += [f"{r.id}: reads undeclared fact {key}" for key in undeclared]
            if not undeclared:
                problems += [f"{r.id}: {p}" for p in _type_problems(cond, facts, roster)]
    for ex in data.exemptions:
        # A person-scope exemption reads the fields of the roster its rules are about.
        roster = None
        if ex.scope == "person":
            roster = next((r.roster for r in data.rules if r.scope == "person" and r.role == ex.role), None)
        for g in ex.grounds:
            undeclared = [key for key in facts_read(g.when, roster) if not known(key)]
            problems += [f"{ex.id}: reads undeclared fact {key}" for key in undeclared]
            if not undeclared:
                problems += [f"{ex.id}: {p}" for p in _type_problems(g.when, facts, roster)]
            for p in (*g.waives, *g.within, *g.must_meet):
                if not expand_patterns((p,), ids):
                    problems.append(f"{ex.id}: names {p}, which matches no rule")
    return problems


_ORDER = (">=", ">", "<=", "<")


def _type_problems(cond: Condition | None, facts: dict[str, Fact], roster: str | None) -> list[str]:
    """Comparisons the evaluator could not make: a number compared with text, an unknown
    choice, an order on unordered choices, a count over something that is not a roster. A
    ruleset that loads must never make evaluation fail."""
    out: list[str] = []

    def fact_of(key: str, scope: str | None) -> Fact | None:
        if scope is not None and "." not in key:
            parent = facts.get(scope)
            return next((f for f in parent.fields if f.key == key), None) if parent else None
        return facts.get(key)

    def visit(c: Condition | None, scope: str | None) -> None:
        match c:
            case None | Qualified():
                return
            case All(all=parts) | Any_(any=parts):
                for part in parts:
                    visit(part, scope)
            case Not(not_=inner):
                visit(inner, scope)
            case Implies(if_=a, then=b):
                visit(a, scope)
                visit(b, scope)
            case Count(count=key, where=where):
                target = facts.get(key)
                if target is None or target.type != "roster":
                    out.append(f"count of {key}, which is not a roster fact")
                    return
                visit(where, key)
            case Compare(fact=key, op=op, value=v):
                fact = fact_of(key, scope)
                if fact is not None:
                    out.extend(_compare_problem(key, fact, op, v))

    visit(cond, roster)
    return out


def _compare_problem(key: str, fact: Fact, op: str, v) -> list[str]:
    t = fact.type
    if t == "bool":
        if not isinstance(v, bool) or op not in ("==", "!="):
            return [f"{key} is yes/no: compare it with == or != and true or false, not {op} {v!r}"]
    elif t == "int":
        if isinstance(v, bool) or not isinstance(v, int) or op not in ("==", "!=", *_ORDER):
            return [f"{key} is a number: it cannot be compared with {v!r} using {op}"]
    elif t in ("choice", "set"):
        keys = [c.key for c in fact.choices]
        values = v if isinstance(v, list) else [v]
        bad = [x for x in values if not isinstance(x, str) or x not in keys]
        if bad:
            return [f"{key} has no choice {', '.join(map(repr, bad))} (choices: {', '.join(keys)})"]
        if op in _ORDER and (t == "set" or not fact.ordered):
            return [f"{key}'s choices are not ordered: {op} means nothing"]
        if t == "choice" and op in ("contains", "intersects"):
            return [f"{key} holds one choice: use == or in, not {op}"]
        if t == "set" and op == "in":
            return [f"{key} holds several choices: use contains or intersects, not in"]
        if op in ("in", "intersects") and not isinstance(v, list):
            return [f"{key}: {op} needs a list of choices"]
    else:  # text and roster facts are not compared
        return [f"{key} is a {t} fact: no condition can compare it"]
    return []


def build(data: RulesetFile, path: str, sha256: str) -> Ruleset:
    facts = dict(institution_facts())
    for f in data.facts:
        facts[f.key] = f
    from .validate import content_problems

    content = [p.as_msg() for p in content_problems(data, institution_facts())]
    problems = check_ruleset(data, facts)
    if content or problems:
        found = content + [problem(p) for p in problems]
        lines = Msg("".join(f"\n  {p.zh}" for p in found), "".join(f"\n  {p.en}" for p in found))
        raise RulesetError(at(path, msg("ruleset.inconsistent")) + lines)
    ids = [r.id for r in data.rules]
    waived: dict[str, dict[str, tuple[str, ...]]] = {}
    for ex in data.exemptions:
        waived[ex.id] = {}
        for g in ex.grounds:
            inside = set(expand_patterns(g.within, ids)) - set(expand_patterns(g.must_meet, ids))
            keep = set(expand_patterns(g.waives, ids)) | inside
            waived[ex.id][g.key] = tuple(i for i in ids if i in keep)
    return Ruleset(data=data, facts=facts, sha256=sha256, path=path, waived=waived)


def load_bytes(raw: bytes, path: Path) -> Ruleset:
    """Validate and cross-check a ruleset's bytes (no cache)."""
    from .validate import string_problems

    parsed = parse(raw, path, "ruleset")
    unsafe = string_problems(parsed)
    if unsafe:
        found = [p.as_msg() for p in unsafe[:10]]
        lines = Msg("".join(f"\n  {p.zh}" for p in found), "".join(f"\n  {p.en}" for p in found))
        raise RulesetError(at(escape(str(path)), msg("ruleset.invalid")) + lines)
    data = _validate(RulesetFile, parsed, path)
    return build(data, str(path), hashlib.sha256(raw).hexdigest())


# In-process memo: a --ruleset is loaded once per run, not once per profile checked.
_memo: dict[tuple, Ruleset] = {}


def load_path(path: Path) -> Ruleset:
    path = Path(path)
    try:
        st = path.stat()
        memo_key = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        memo_key = None
    if memo_key is not None and memo_key in _memo:
        return _memo[memo_key]
    raw = read_bytes(path, "ruleset")
    sha = hashlib.sha256(raw).hexdigest()
    key = _cache_key(sha)
    rs = ruleset_cache.get(key, lambda obj: _valid_cached(obj, sha))
    if rs is None:
        rs = load_bytes(raw, path)
        ruleset_cache.put(key, rs)
    else:
        # The report's SHA-256 is the source's, computed above, never what the entry says.
        rs = replace(rs, path=str(path), sha256=sha)
    if memo_key is not None:
        _memo[memo_key] = rs
    return rs


def _cache_key(sha: str) -> str:
    """The classes a cached ruleset is made of and the fact catalogue it was checked against:
    a change to either makes every entry stale."""
    from . import model

    try:
        facts = _facts_raw()
    except RulesetError:
        facts = b""  # reported when the ruleset is built
    return ruleset_cache.key(sha, (model.__file__, __file__), facts)


def _valid_cached(obj: object, sha: str) -> bool:
    return (
        isinstance(obj, Ruleset) and obj.sha256 == sha and isinstance(obj.data, RulesetFile) and _bounded(obj)
    )


# Condition nodes a cached ruleset may hold, counting a shared node each time it is reached
# (as the evaluator reaches it); the same bound as on a ruleset's source (preflight.MAX_NODES).
MAX_CACHED_NODES = 100_000


def _bounded(rs: Ruleset) -> bool:
    """Whether using a cached ruleset is bounded work, as using its source is. A pickle can
    share an object between two parents, so a 100 KB entry could describe a condition of
    2**80 paths (or a cycle), or a list of a million references to one rule: the counts are
    held to the source's limits and the walk of the conditions stops at a budget."""
    from .ruleset_read import MAX_COUNTS

    data = rs.data
    for key, limit in MAX_COUNTS.items():
        items = getattr(data, key, ())
        if not isinstance(items, tuple | list) or len(items) > limit:
            return False
    roots: list[object] = []
    for r in data.rules:
        roots += [r.applies_when, r.condition, r.advice]
    for ex in data.exemptions:
        if not isinstance(ex.grounds, tuple | list) or len(ex.grounds) > MAX_COUNTS["exemptions"]:
            return False
        roots += [g.when for g in ex.grounds]
    budget = MAX_CACHED_NODES
    stack = [c for c in roots if c is not None]
    while stack:
        budget -= 1
        if budget < 0:
            return False
        match stack.pop():
            case All(all=parts) | Any_(any=parts):
                stack.extend(parts)
            case Not(not_=inner):
                stack.append(inner)
            case Implies(if_=a, then=b):
                stack += [a, b]
            case Count(where=w) if w is not None:
                stack.append(w)
    return True


@cache
def bundled() -> tuple[Ruleset, ...]:
    folder = data_dir("rulesets")
    return tuple(load_path(p) for p in sorted(folder.glob("*.toml")) if p.name != "facts.toml")


def for_equipment(equipment: str, custom: Path | None = None) -> Ruleset:
    if custom is not None:
        rs = load_path(custom)
        if equipment not in rs.data.ruleset.equipment:
            raise RulesetError(at(custom, msg("ruleset.not_covering", equipment=equipment)))
        return rs
    for rs in bundled():
        if equipment in rs.data.ruleset.equipment:
            return rs
    raise RulesetError(msg("ruleset.no_bundled", equipment=equipment))
