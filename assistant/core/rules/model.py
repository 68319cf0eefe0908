"""The rule data: facts, conditions, rules, exemption clauses, rulesets.

Everything under ``rulesets/`` is validated into these classes when loaded, so a typo in the
data fails loudly at load time (and in ``medequip rules lint``) instead of silently deciding a
verdict. Conditions are plain data; nothing in a ruleset is ever executed.

The classes are frozen, keyword-only records that pydantic validates input into. Pydantic is
imported only when something is validated (``Cls.model_validate(data)``), never to use the
objects: a ruleset already validated is read back from a cache (see loader.py) without
importing pydantic at all, which keeps ``medequip check`` quick to start. For the same reason
they become standard-library dataclasses (the shape pydantic reads) only when pydantic is
first asked to validate: making some thirty dataclasses at import compiled six methods each
and was a sixth of ``check``'s start-up.
"""

from __future__ import annotations

import _thread  # the lock below; threading is not otherwise imported by check
import datetime
import functools
import re
from functools import cache
from typing import Annotated, Any, Literal, Union

EQUIPMENT_KEYS = ("proton", "pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt")
Equipment = Literal["proton", "pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt"]
FactType = Literal["bool", "int", "choice", "set", "text", "roster"]
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
RULE_ID_RE = re.compile(r"^[a-z_]+/\d+(\.\d+)*$")


def _alias(name: str) -> str:
    """TOML keys that are Python keywords: ``not_`` is read from ``not``, ``if_`` from ``if``."""
    return name[:-1] if name in ("not_", "if_") else name


class _After:
    """``Annotated`` marker: check a value after pydantic has validated its type. Pydantic is
    imported only when a validator is built, never when the classes are defined or used."""

    def __init__(self, fn):
        self.fn = fn

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.fn, handler(source))


@cache
def _adapter(cls):
    from pydantic import TypeAdapter

    with _CONVERTING:  # the chat validates in worker threads too
        _as_dataclasses()
        return TypeAdapter(cls)


# Every record class, bases first, until pydantic needs them as dataclasses.
_PENDING: list[type] = []
_CONVERTING = _thread.RLock()


def _as_dataclasses() -> None:
    """Mark every record class a dataclass, for pydantic. Nothing is generated: the methods
    are Strict's own, and pydantic builds instances without calling ``__init__``."""
    import dataclasses

    while _PENDING:
        dataclasses.dataclass(kw_only=True, init=False, repr=False, eq=False)(_PENDING.pop(0))


class Value:
    """A record compared and hashed by its fields (``_fields``), shown as ``Name(field=…)``: a
    frozen dataclass's equality, hash and ``repr``, written once instead of generated per class
    (making dataclasses costs every start-up the dataclass machinery's import)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({inner})"


class Strict(Value):
    """Base of every record: frozen and keyword-only, validated by pydantic with unknown keys
    forbidden. A subclass's annotated names are its fields, after its bases' (a class value is
    the field's default), as a dataclass would have them."""

    __pydantic_config__ = {"extra": "forbid", "alias_generator": _alias, "populate_by_name": True}
    _defaults: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__annotations__", {})
        defaults = dict(cls._defaults)
        for name in own:
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
            else:
                defaults.pop(name, None)
        cls._fields = (*(n for n in cls._fields if n not in own), *own)
        cls._defaults = defaults
        _PENDING.append(cls)

    def __init__(self, **values: Any) -> None:
        put = object.__setattr__
        for name in self._fields:
            if name in values:
                put(self, name, values.pop(name))
            elif name in self._defaults:
                put(self, name, self._defaults[name])
            else:
                raise TypeError(f"{type(self).__name__}() missing required keyword argument: {name!r}")
        if values:
            raise TypeError(
                f"{type(self).__name__}() got an unexpected keyword argument: {next(iter(values))!r}"
            )
        post = getattr(self, "__post_init__", None)
        if post is not None:
            post()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")

    def replace(self, **changes: Any):
        """A copy with ``changes`` (as ``dataclasses.replace``: checked again)."""
        return type(self)(**{name: getattr(self, name) for name in self._fields} | changes)

    @classmethod
    def model_validate(cls, data: Any):
        """Validate ``data`` (parsed TOML) into an instance; raises pydantic.ValidationError."""
        return _adapter(cls).validate_python(data)

    def model_dump(self) -> dict[str, Any]:
        return _adapter(type(self)).dump_python(self, by_alias=True)


class Text(Strict):
    """A user-facing string in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Choice(Strict):
    key: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _fact_key(v: str) -> str:
    if not KEY_RE.match(v):
        raise ValueError(f"fact key {v!r} must be dotted lower_snake_case")
    return v


class Needs(Strict):
    """What a fact's "yes" (or a count above 0) needs of another fact of the same scope: a
    share of operations "≥ 1/3" needs some operations (``{ fact = "…", op = ">=", value = 1 }``),
    a certificate of training abroad needs months abroad."""

    fact: str
    op: Literal[">=", ">", "=="] = ">="
    value: bool | int = 1


class People(Strict):
    """How a roster's entries are told apart: ``name`` (a text field) names a person; two
    entries of one name are one person unless ``told_apart_by`` (a text field, a staff
    number) differs and is given on both. One person listed twice in the same ``role`` is
    refused; in two roles (counted in two counts), warned."""

    name: str
    told_apart_by: str | None = None
    role: str | None = None


class Fact(Strict):
    """One answerable fact. Roster facts hold a list of people, each with ``fields``."""

    key: Annotated[str, _After(_fact_key)]
    type: FactType
    label: Text
    unit: Text | None = None
    min: int | None = None
    max: int | None = None
    choices: tuple[Choice, ...] = ()
    # For choice facts whose choices are ranked (professional titles): comparisons with
    # >= use the order in which the choices are listed.
    ordered: bool = False
    fields: tuple[Fact, ...] = ()
    # Identity facts (the institution's name) are asked but read by no rule.
    identity: bool = False
    # A count that is part of another ("其中主任医师 … 名" within the instructing physicians):
    # the key of that whole. An answer above the whole is refused, in the interview and in
    # a profile.
    at_most: str | None = None
    # A yes (or a count above 0) that needs something of another fact (see ``Needs``).
    requires: Needs | None = None
    # A roster only: how its entries are told apart (see ``People``).
    people: People | None = None
    # A fact a later reading no longer asks (a clause now decided from other verdicts): still
    # accepted in profiles answered before, so they keep loading, but asked by no question,
    # read by no rule and left out of templates.
    retired: bool = False

    def __post_init__(self) -> None:
        if self.type in ("choice", "set") and not self.choices:
            raise ValueError(f"{self.key}: a {self.type} fact needs choices")
        if self.type != "roster" and self.fields:
            raise ValueError(f"{self.key}: only roster facts have fields")
        if self.type == "roster" and not self.fields:
            raise ValueError(f"{self.key}: a roster fact needs fields")
        if self.type == "int" and (self.min is None or self.max is None):
            raise ValueError(f"{self.key}: an int fact needs min and max")
        if self.at_most is not None and (self.type != "int" or self.at_most == self.key):
            raise ValueError(f"{self.key}: at_most is for an int fact that is part of another int fact")
        if self.requires is not None and (self.type not in ("bool", "int") or self.requires.fact == self.key):
            raise ValueError(f"{self.key}: requires is for a yes/no or count fact that needs another fact")
        if self.people is not None and self.type != "roster":
            raise ValueError(f"{self.key}: people is for a roster fact")
        keys = [c.key for c in self.choices]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.key}: duplicate choice keys")

    # Looked up for every answer of every profile in a batch: built once per fact.
    @functools.cached_property
    def choice_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.choices)

    @functools.cached_property
    def _choices_by_key(self) -> dict[str, tuple[int, Choice]]:
        return {c.key: (i, c) for i, c in enumerate(self.choices)}

    @functools.cached_property
    def fields_by_key(self) -> dict[str, Fact]:
        """A roster's fields by key (looked up for every person's every answer)."""
        return {f.key: f for f in self.fields}

    def choice(self, key: str) -> Choice | None:
        hit = self._choices_by_key.get(key) if isinstance(key, str) else None
        return hit[1] if hit else None

    def rank(self, key: str) -> int:
        hit = self._choices_by_key.get(key) if isinstance(key, str) else None
        if hit is None:
            raise ValueError(f"{key!r} is not a choice of {self.key}")
        return hit[0]


# --- conditions -----------------------------------------------------------------------------
# A condition is one of: a comparison of a fact with a value, all / any / not, an implication
# (if / then), a count of roster people matching a condition, or (inside a person scope) the
# person's derived qualification. Each is a TOML inline table distinguished by its keys.

CompareOp = Literal["==", "!=", ">=", ">", "<=", "<", "in", "contains", "intersects"]


class Compare(Strict):
    fact: str
    op: CompareOp = "=="
    value: bool | int | str | list[str]


class All(Strict):
    all: tuple[Condition, ...]


class Any_(Strict):
    any: tuple[Condition, ...]


class Not(Strict):
    not_: Condition  # TOML key "not"


class Implies(Strict):
    """``if`` holds → ``then`` must hold; when ``if`` is false the part is vacuously met."""

    if_: Condition  # TOML key "if"
    then: Condition


class Count(Strict):
    """Number of people in a roster fact matching ``where``, compared with ``value``."""

    count: str
    where: Condition | None = None
    op: Literal[">=", ">"] = ">="
    value: int
    label: Text


class Qualified(Strict):
    """Inside a count: the person passes every person-scope rule of their role."""

    qualified: bool = True


class Rules(Strict):
    """Decided by other rules' verdicts: holds when every named required rule passes (met,
    exempt or not applicable), fails when one is not met, and is open otherwise. For clauses
    such as proton 四（三）1（1） "医院符合……管理规范要求", which the text makes depend on the
    rest of the specification. Patterns are rule ids or sections (``proton/1.*``); the
    evaluator orders the dependency and the loader refuses cycles."""

    rules: tuple[str, ...]
    label: Text


def _cond_tag(v: Any) -> str | None:
    if isinstance(v, Strict):
        return type(v).__name__.rstrip("_").lower()
    if not isinstance(v, dict):
        return None
    for key, tag in (
        ("all", "all"),
        ("any", "any"),
        ("not", "not"),
        ("if", "implies"),
        ("count", "count"),
        ("qualified", "qualified"),
        ("rules", "rules"),
        ("fact", "compare"),
    ):
        if key in v:
            return tag
    return None


class _ConditionUnion:
    """``Annotated`` marker: validate a condition as a union discriminated by its keys, so an
    error names the one shape the input was meant to be instead of all seven."""

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic import Discriminator, Tag

        tagged = Union[tuple(Annotated[cls, Tag(tag)] for tag, cls in _CONDITIONS)]  # noqa: UP007
        return handler.generate_schema(Annotated[tagged, Discriminator(_cond_tag)])


_CONDITIONS = (
    ("compare", Compare),
    ("all", All),
    ("any", Any_),
    ("not", Not),
    ("implies", Implies),
    ("count", Count),
    ("qualified", Qualified),
    ("rules", Rules),
)

Condition = Annotated[Union[Compare, All, Any_, Not, Implies, Count, Qualified, Rules], _ConditionUnion()]  # noqa: UP007


# --- rules and exemptions -------------------------------------------------------------------


class Evidence(Text):
    """A document a reviewer will ask for. ``when``: only in the situation it describes (the
    new-build half of a clause); the checklist leaves it out when ``when`` is false."""

    when: Condition | None = None


def _rule_id(v: str) -> str:
    if not RULE_ID_RE.match(v):
        raise ValueError(f"rule id {v!r} must look like pet_ct/2.3")
    return v


def _exemption_id(v: str) -> str:
    if not RULE_ID_RE.match(v):
        raise ValueError(f"exemption id {v!r} must look like pet_ct/6")
    return v


class Rule(Strict):
    id: Annotated[str, _After(_rule_id)]
    clause: str
    heading: Text
    text_zh: str
    text_en: str
    level: Literal["required", "advisory"] = "required"
    # Person-scope rules are checked for every person of ``role`` in ``roster``.
    scope: Literal["institution", "person"] = "institution"
    roster: str | None = None
    role: str | None = None
    applies_when: Condition | None = None
    not_applicable: Text | None = None
    condition: Condition
    # A recommendation (宜) inside a required clause: reported, never fails the rule.
    advice: Condition | None = None
    evidence: tuple[Evidence, ...] = ()
    interpretation: Text | None = None
    # Where the clause is printed, when it is not the ruleset's own source document (a rule a
    # provincial variant adds cites the variant's document here).
    reference: str | None = None

    def __post_init__(self) -> None:
        if self.scope == "person" and not (self.roster and self.role):
            raise ValueError(f"{self.id}: a person-scope rule names its roster and role")
        if self.applies_when is not None and self.not_applicable is None:
            raise ValueError(f"{self.id}: applies_when needs a not_applicable reason")

    @property
    def equipment(self) -> str:
        return self.id.split("/", 1)[0]


class Ground(Strict):
    """One condition of an exemption clause and the rules it waives.

    The waived set is ``waives`` plus everything in ``within`` that is not in ``must_meet``:
    the second form mirrors clauses that list what an institution must still meet.
    Patterns are rule ids or section prefixes such as ``pet_ct/2.*``.
    """

    key: str
    label: Text
    when: Condition
    waives: tuple[str, ...] = ()
    within: tuple[str, ...] = ()
    must_meet: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.waives and not self.within:
            raise ValueError(f"ground {self.key}: names no rules to waive")
        if self.must_meet and not self.within:
            raise ValueError(f"ground {self.key}: must_meet needs within")


class Exemption(Strict):
    id: Annotated[str, _After(_exemption_id)]
    clause: str
    heading: Text
    text_zh: str
    text_en: str
    # Person-scope exemptions waive rules for one person of ``role`` (the proton training
    # exemptions); institution-scope ones waive institution rules.
    scope: Literal["institution", "person"] = "institution"
    role: str | None = None
    grounds: tuple[Ground, ...]
    interpretation: Text | None = None
    evidence: tuple[Text, ...] = ()

    @property
    def equipment(self) -> str:
        return self.id.split("/", 1)[0]


class EquipmentInfo(Strict):
    key: Equipment
    name: Text
    section: str


class Extends(Strict):
    """The ruleset a variant adapts, named by id and edition (never by path)."""

    id: str
    edition: str


class Meta(Strict):
    id: str
    title_zh: str
    title_en: str
    edition: str
    issuing_document: str
    source_file: str
    equipment: tuple[Equipment, ...]
    note: Text | None = None
    # The dates the edition is in force: from ``effective_from`` (unknown: in force as far
    # back as anyone asks) up to the day before ``effective_until`` (unset: still in force).
    effective_from: datetime.date | None = None
    effective_until: datetime.date | None = None
    extends: Extends | None = None

    def __post_init__(self) -> None:
        if self.effective_from and self.effective_until and self.effective_until <= self.effective_from:
            raise ValueError(
                f"effective_until {self.effective_until} must come after effective_from {self.effective_from}"
            )

    def in_force(self, day: datetime.date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_until is None or day < self.effective_until


# --- provincial variants ----------------------------------------------------------------------
# A variant ``extends`` another ruleset and changes it clause by clause. Every change carries
# the variant's own text and where that text is printed, so a report can quote both texts.


class Override(Strict):
    """A clause of the extended ruleset as the variant words it: a new condition (a stricter
    threshold is a new condition), applicability or level. Fields left out are inherited."""

    rule: str
    text_zh: str
    text_en: str
    reference: str
    clause: str | None = None
    condition: Condition | None = None
    applies_when: Condition | None = None
    not_applicable: Text | None = None
    level: Literal["required", "advisory"] | None = None
    interpretation: Text | None = None
    evidence: tuple[Evidence, ...] | None = None


class DropExemption(Strict):
    """An exemption ground (or a whole exemption clause) the variant does not grant."""

    exemption: str
    # Empty: every ground of the clause.
    grounds: tuple[str, ...] = ()
    text_zh: str
    text_en: str
    reference: str


class RulesetFile(Strict):
    """The shape of one ``rulesets/*.toml`` file."""

    ruleset: Meta
    # A variant inherits the equipment, facts, rules and exemptions of the ruleset it extends;
    # what it lists here is added (rules, facts) or changed (overrides, drop_exemptions).
    equipment: tuple[EquipmentInfo, ...] = ()
    facts: tuple[Fact, ...] = ()
    rules: tuple[Rule, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    overrides: tuple[Override, ...] = ()
    drop_exemptions: tuple[DropExemption, ...] = ()

    def __post_init__(self) -> None:
        if self.ruleset.extends is None:
            if not self.rules:
                raise ValueError("rules: a ruleset that extends nothing needs at least one rule")
            if not self.equipment:
                raise ValueError("equipment: a ruleset that extends nothing describes its equipment")
            if self.overrides or self.drop_exemptions:
                raise ValueError(
                    "overrides and drop_exemptions need ruleset.extends (the ruleset they change)"
                )


class FactCatalogueFile(Strict):
    """``rulesets/facts.toml``: institution facts shared by every ruleset."""

    facts: tuple[Fact, ...]
