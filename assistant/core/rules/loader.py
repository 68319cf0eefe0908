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

import datetime as dt
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..io import cache as ruleset_cache
from ..io.digest import sha256_hex
from ..text.i18n import Msg
from ..text.messages import as_msg, at, listed, msg, problem, pydantic_finding
from ..text.sanitize import escape
from .checks.crosscheck import (
    check_ruleset,
    expand_patterns,
    facts_read,
)
from .extends import chain as _chain
from .extends import remember, take_parsed
from .memo import Memo
from .model import (
    All,
    Any_,
    Count,
    Exemption,
    Fact,
    FactCatalogueFile,
    Implies,
    Not,
    Rule,
    RulesetFile,
)
from .relations import Relation, relations_of
from .store import current

if TYPE_CHECKING:
    from pydantic import ValidationError

from .read import (
    RulesetError,
    parse,
    read_bytes,
)

_WHAT = {"ruleset": "what.ruleset", "questions": "what.questions", "fact catalogue": "what.facts"}


def data_dir(name: str) -> Path:
    """Folder of shipped data: inside the installed package, or the checkout's top level."""
    here = Path(__file__).resolve().parents[2]  # the assistant package (core/rules/loader.py)
    packaged = here / "_data" / name
    if packaged.is_dir():
        return packaged
    return here.parent / name


class Ruleset:
    """A loaded, cross-checked ruleset plus the shared institution facts. Frozen; compared
    by everything but its memo."""

    _FIELDS = ("data", "facts", "sha256", "path", "waived", "base", "differences")

    def __init__(
        self,
        data: RulesetFile,
        facts: dict[str, Fact],
        sha256: str,
        path: str,
        # exemption id -> ground key -> rule ids it waives (patterns expanded)
        waived: dict[str, dict[str, tuple[str, ...]]] | None = None,
        # A variant: the (id, edition) it extends, and every clause that differs from it
        # (rule or exemption id -> variant.Difference).
        base: tuple[str, str] | None = None,
        differences: dict | None = None,
        # Every memo of this ruleset, the lookups below and the evaluator's (see memo.py).
        memo: Memo | None = None,
    ):
        self.__dict__.update(
            data=data,
            facts=facts,
            sha256=sha256,
            path=path,
            waived={} if waived is None else waived,
            base=base,
            differences={} if differences is None else differences,
            memo=Memo() if memo is None else memo,
        )

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}: a Ruleset is frozen")

    def replace(self, **changes) -> Ruleset:
        """A copy with ``changes``; it shares the memo unless given one."""
        return Ruleset(**{name: self.__dict__[name] for name in (*self._FIELDS, "memo")} | changes)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Ruleset:
            return NotImplemented
        return all(self.__dict__[n] == other.__dict__[n] for n in self._FIELDS)  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # its fields are dicts

    def __repr__(self) -> str:
        return f"Ruleset(id={self.id!r}, edition={self.edition!r}, path={self.path!r})"

    def __getstate__(self):  # the cache stores the ruleset, not what was looked up in it
        return {k: v for k, v in self.__dict__.items() if k != "memo"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__["memo"] = Memo()

    @property
    def id(self) -> str:
        return self.data.ruleset.id

    @property
    def edition(self) -> str:
        return self.data.ruleset.edition

    def rules_for(self, equipment: str) -> list[Rule]:
        memo = self.memo.table("rules_for")
        if equipment not in memo:
            memo[equipment] = tuple(r for r in self.data.rules if r.equipment == equipment)
        return list(memo[equipment])

    def exemptions_for(self, equipment: str) -> list[Exemption]:
        memo = self.memo.table("exemptions_for")
        if equipment not in memo:
            memo[equipment] = tuple(e for e in self.data.exemptions if e.equipment == equipment)
        return list(memo[equipment])

    def equipment_info(self, equipment: str):
        return next(e for e in self.data.equipment if e.key == equipment)

    def rule(self, rule_id: str) -> Rule | Exemption | None:
        for r in (*self.data.rules, *self.data.exemptions):
            if r.id == rule_id:
                return r
        return None

    def rule_facts(self, rule: Rule) -> list[str]:
        memo = self.memo.table("rule_facts")
        hit = memo.get(id(rule))
        if hit is None or hit[0] is not rule:  # keyed by identity; the rule is kept alive
            hit = memo[id(rule)] = (rule, tuple(self._rule_facts(rule)))
        return list(hit[1])

    def _rule_facts(self, rule: Rule) -> list[str]:
        roster = rule.roster if rule.scope == "person" else None
        keys = facts_read(rule.applies_when, roster) + facts_read(rule.condition, roster)
        keys += facts_read(rule.advice, roster)
        if rule.scope == "person":
            keys.insert(0, f"{rule.roster}.role")
            keys.insert(0, rule.roster)
        return list(dict.fromkeys(keys))

    def rules_named(self, patterns: tuple[str, ...], equipment: str) -> list[str]:
        """Rule ids of ``equipment`` matching ids or section patterns (``proton/1.*``)."""
        memo = self.memo.table("rules_named")
        key = (patterns, equipment)
        if key not in memo:
            ids = [r.id for r in self.rules_for(equipment)]
            found = set(expand_patterns(patterns, ids))
            memo[key] = tuple(i for i in ids if i in found)
        return list(memo[key])

    def waivers_of(self, rule_id: str) -> list[tuple[Exemption, str]]:
        """(exemption, ground key) pairs that can waive ``rule_id``."""
        memo = self.memo.table("waivers_of")
        if rule_id not in memo:
            out = []
            for ex in self.data.exemptions:
                for g in ex.grounds:
                    if rule_id in self.waived[ex.id][g.key]:
                        out.append((ex, g.key))
            memo[rule_id] = tuple(out)
        return list(memo[rule_id])

    def relations(self, equipment: str) -> tuple[Relation, ...]:
        """The relations every real profile of ``equipment`` keeps between its facts (see
        relations.py): the evaluator's exact check never completes a profile against them."""
        memo = self.memo.table("relations")
        if equipment not in memo:
            memo[equipment] = relations_of(self.facts, equipment)
        return memo[equipment]


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
        out += as_msg("\n  ") + msg("ruleset.more", n=err.error_count() - 10)
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


def build(data: RulesetFile, path: str, sha256: str) -> Ruleset:
    facts = dict(institution_facts())
    for f in data.facts:
        facts[f.key] = f
    from .checks.validate import content_problems

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
    """Validate and cross-check a ruleset's bytes (no cache). A variant (``extends``) is
    resolved against its base, found by id and edition (see variant.py)."""
    from .checks.validate import string_problems

    sha = sha256_hex(raw)
    parsed = take_parsed(sha)  # read already while a variant searched its folder
    if parsed is None:
        parsed = parse(raw, path, "ruleset")
        remember(path, parsed)  # and not again when a variant searches its folder later
    unsafe = string_problems(parsed)
    if unsafe:
        found = [p.as_msg() for p in unsafe[:10]]
        lines = Msg("".join(f"\n  {p.zh}" for p in found), "".join(f"\n  {p.en}" for p in found))
        raise RulesetError(at(escape(str(path)), msg("ruleset.invalid")) + lines)
    data = _validate(RulesetFile, parsed, path)
    if data.ruleset.extends is not None:
        return load_variant(data, Path(path), sha)
    return build(data, str(path), sha)


# --- variants: a ruleset that extends another, found by id and edition --------------------

# The chain of extends is found in extends.py (without recursion, each file parsed once).
# The base each variant of a chain being loaded extends, found once by the outermost load:
# the inner loads take it from the run's store instead of searching again.


def find_base(data: RulesetFile, path):
    """The loaded ruleset a variant extends, found by id and edition. The whole chain is
    found first, then loaded from the ruleset that extends nothing up, so that no level
    loads the next by recursion however long the chain."""
    known_base = current().known_base
    known = known_base.get(str(Path(path).resolve()))
    if known is not None:
        return load_path(known)
    chain = _chain(data, path, data_dir("rulesets"))
    links = list(zip([Path(path), *chain[:-1]], chain, strict=True))
    for variant, base in links:
        known_base[str(variant.resolve())] = base
    try:
        for f in reversed(chain):
            rs = load_path(f)
    finally:
        for variant, _ in links:
            known_base.pop(str(variant.resolve()), None)
    return rs


def resolve_file(data: RulesetFile, path) -> tuple[RulesetFile, list[str]]:
    """For lint: the variant as a complete ruleset, and its problems."""
    from .variant import resolve

    merged, _, problems = resolve(data, find_base(data, path).data)
    return merged, problems


def load_variant(data: RulesetFile, path, sha256: str):
    """Resolve a variant against its base and build it as a plain ruleset."""
    from .variant import mark_waivers, resolve

    want = data.ruleset.extends
    base = find_base(data, path)
    merged, diffs, problems = resolve(data, base.data)
    if problems:
        found = [problem(p) for p in problems]
        lines = Msg.join(found, "\n  ", "\n  ")
        raise RulesetError(
            msg("ruleset.inconsistent_variant", path=path, base=want.id, edition=want.edition, problems=lines)
        )
    rs = build(merged, str(path), sha256)
    ids = [r.id for r in merged.rules]
    mark_waivers(
        diffs,
        {rid: {(e.id, g) for e, g in base.waivers_of(rid)} for rid in ids},
        {rid: {(e.id, g) for e, g in rs.waivers_of(rid)} for rid in ids},
        ids,
    )
    # Differences of the base from its own base stay visible in a chain of variants.
    inherited = {k: v for k, v in base.differences.items() if k not in diffs and k in {*ids, *rs.waived}}
    return rs.replace(base=(want.id, want.edition), differences={**inherited, **diffs})


def load_path(path: Path) -> Ruleset:
    """The ruleset in the file ``path``, loaded once per run (the run's store remembers it by
    the file's identity), not once per profile checked."""
    path = Path(path)
    loaded = current().loaded
    try:
        st = path.stat()
        memo_key = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        memo_key = None
    if memo_key is not None and memo_key in loaded:
        return loaded[memo_key]
    raw = read_bytes(path, "ruleset")
    sha = sha256_hex(raw)
    key = _cache_key(sha)
    rs = ruleset_cache.get(key, lambda obj: _valid_cached(obj, sha))
    if rs is None:
        rs = load_bytes(raw, path)
        if rs.base is None:  # a variant depends on another file too: never cached
            ruleset_cache.put(key, rs)
    else:
        # The report's SHA-256 is the source's, computed above, never what the entry says.
        rs = rs.replace(path=str(path), sha256=sha)
    if memo_key is not None:
        loaded[memo_key] = rs
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
    from .read import MAX_COUNTS

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


def bundled() -> tuple[Ruleset, ...]:
    """The shipped rulesets, loaded once per run."""
    store = current()
    if store.bundled is None:
        folder = data_dir("rulesets")
        store.bundled = tuple(load_path(p) for p in sorted(folder.glob("*.toml")) if p.name != "facts.toml")
    return store.bundled


def for_equipment(equipment: str, custom: Path | None = None, as_of: dt.date | None = None) -> Ruleset:
    """The ruleset to evaluate ``equipment`` with. A ``custom`` file is used as given unless
    ``as_of`` is set; otherwise the edition in force on ``as_of`` (default: today) among the
    bundled editions and ``custom``: the latest ``effective_from`` not after that day, a
    custom file winning a tie. ``as_of`` None: the run's (``check --as-of``)."""
    as_of = as_of or current().as_of
    if custom is not None and as_of is None:
        rs = load_path(custom)
        if equipment not in rs.data.ruleset.equipment:
            raise NotCovering(not_covering(rs, equipment, escape(str(custom))))
        return rs
    pool = [*bundled(), *([load_path(custom)] if custom is not None else [])]
    covering = [(i, rs) for i, rs in enumerate(pool) if equipment in rs.data.ruleset.equipment]
    if not covering:
        raise RulesetError(msg("ruleset.no_bundled", equipment=equipment))
    if all(
        rs.data.ruleset.effective_from is None and rs.data.ruleset.effective_until is None
        for _, rs in covering
    ):
        return covering[-1][1]  # in force every day: the rule below picks the last, without a clock
    day = as_of or today()
    in_force = [(i, rs) for i, rs in covering if rs.data.ruleset.in_force(day)]
    if not in_force:
        editions = ", ".join(f"{rs.id} {rs.edition} ({_span(rs)})" for _, rs in covering)
        raise RulesetError(
            msg("ruleset.no_edition_in_force", equipment=equipment, day=day.isoformat(), editions=editions)
        )
    return max(in_force, key=lambda t: (t[1].data.ruleset.effective_from or dt.date.min, t[0]))[1]


class NotCovering(RulesetError):
    """A ruleset asked for an equipment it does not cover (``--ruleset`` of another kind)."""


def not_covering(rs: Ruleset, equipment: str, path: str | None = None) -> Msg:
    """The words "class-b-access undated does not cover proton (it covers pet_mr, …)", the ruleset
    named by its file too when one was given."""
    name = f"{rs.id} {rs.edition}" if path is None else f"{path} ({rs.id} {rs.edition})"
    keys = rs.data.ruleset.equipment
    covers = listed(keys)
    return msg("ruleset.not_covering", ruleset=name, equipment=equipment, covers=covers)


def _span(rs: Ruleset) -> str:
    m = rs.data.ruleset
    start = m.effective_from.isoformat() if m.effective_from else "…"
    end = m.effective_until.isoformat() if m.effective_until else "…"
    return f"{start} – {end}"


def today() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()
