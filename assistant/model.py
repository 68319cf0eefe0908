"""Pydantic models of the rule data: facts, conditions, rules, exemption clauses, rulesets.

Everything under ``rulesets/`` is parsed into these models when loaded, so a typo in the data
fails loudly at load time (and in ``medequip rules lint``) instead of silently deciding a
verdict. Conditions are plain data; nothing in a ruleset is ever executed.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

EQUIPMENT_KEYS = ("proton", "pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt")
Equipment = Literal["proton", "pet_mr", "pet_ct", "laparoscopic_robot", "conventional_rt"]
FactType = Literal["bool", "int", "choice", "set", "text", "roster"]
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
RULE_ID_RE = re.compile(r"^[a-z_]+/\d+(\.\d+)*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class Fact(Strict):
    """One answerable fact. Roster facts hold a list of people, each with ``fields``."""

    key: str
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

    @field_validator("key")
    @classmethod
    def _key_shape(cls, v: str) -> str:
        if not KEY_RE.match(v):
            raise ValueError(f"fact key {v!r} must be dotted lower_snake_case")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.type in ("choice", "set") and not self.choices:
            raise ValueError(f"{self.key}: a {self.type} fact needs choices")
        if self.type != "roster" and self.fields:
            raise ValueError(f"{self.key}: only roster facts have fields")
        if self.type == "roster" and not self.fields:
            raise ValueError(f"{self.key}: a roster fact needs fields")
        if self.type == "int" and (self.min is None or self.max is None):
            raise ValueError(f"{self.key}: an int fact needs min and max")
        keys = [c.key for c in self.choices]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.key}: duplicate choice keys")
        return self

    def choice(self, key: str) -> Choice | None:
        return next((c for c in self.choices if c.key == key), None)

    def rank(self, key: str) -> int:
        return [c.key for c in self.choices].index(key)


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
    not_: Condition = Field(alias="not")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Implies(Strict):
    """``if`` holds → ``then`` must hold; when ``if`` is false the part is vacuously met."""

    if_: Condition = Field(alias="if")
    then: Condition
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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


def _cond_tag(v: Any) -> str | None:
    if isinstance(v, BaseModel):
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
        ("fact", "compare"),
    ):
        if key in v:
            return tag
    return None


Condition = Annotated[
    Union[
        Annotated[Compare, Tag("compare")],
        Annotated[All, Tag("all")],
        Annotated[Any_, Tag("any")],
        Annotated[Not, Tag("not")],
        Annotated[Implies, Tag("implies")],
        Annotated[Count, Tag("count")],
        Annotated[Qualified, Tag("qualified")],
    ],
    Discriminator(_cond_tag),
]

for _m in (All, Any_, Not, Implies, Count):
    _m.model_rebuild()


# --- rules and exemptions -------------------------------------------------------------------


class Rule(Strict):
    id: str
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
    evidence: tuple[Text, ...] = ()
    interpretation: Text | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not RULE_ID_RE.match(v):
            raise ValueError(f"rule id {v!r} must look like pet_ct/2.3")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.scope == "person" and not (self.roster and self.role):
            raise ValueError(f"{self.id}: a person-scope rule names its roster and role")
        if self.applies_when is not None and self.not_applicable is None:
            raise ValueError(f"{self.id}: applies_when needs a not_applicable reason")
        return self

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

    @model_validator(mode="after")
    def _some(self) -> Ground:
        if not self.waives and not self.within:
            raise ValueError(f"ground {self.key}: names no rules to waive")
        if self.must_meet and not self.within:
            raise ValueError(f"ground {self.key}: must_meet needs within")
        return self


class Exemption(Strict):
    id: str
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

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not RULE_ID_RE.match(v):
            raise ValueError(f"exemption id {v!r} must look like pet_ct/6")
        return v

    @property
    def equipment(self) -> str:
        return self.id.split("/", 1)[0]


class EquipmentInfo(Strict):
    key: Equipment
    name: Text
    section: str


class Meta(Strict):
    id: str
    title_zh: str
    title_en: str
    edition: str
    issuing_document: str
    source_file: str
    equipment: tuple[Equipment, ...]
    note: Text | None = None


class RulesetFile(Strict):
    """The shape of one ``rulesets/*.toml`` file."""

    ruleset: Meta
    equipment: tuple[EquipmentInfo, ...]
    facts: tuple[Fact, ...] = ()
    rules: tuple[Rule, ...]
    exemptions: tuple[Exemption, ...] = ()


class FactCatalogueFile(Strict):
    """``rulesets/facts.toml``: institution facts shared by every ruleset."""

    facts: tuple[Fact, ...]
