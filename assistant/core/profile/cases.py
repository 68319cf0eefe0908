"""Clause cases: a profile plus the verdicts a reader of the regulation expects for it.

The format is published (``medequip test``, rulesets/README.md) so that whoever maintains a
ruleset (a provincial adaptation, the next edition) can state what the text means, case by
case, and see at once where the ruleset disagrees. A case file is TOML::

    equipment = "pet_ct"                  # optional: else from each case, else the file name
    [[cases]]
    rule = "pet_ct/2.2"                   # the clause the case is about
    expect = "exempt"                     # met | not_met | exempt | not_applicable | unknown
    exemption = "pet_ct/6"                # with exempt: the clause that waives it (optional)
    overall = "compliant"                 # optional: compliant | not_compliant | incomplete
    why = "（六）…新建医疗机构…"           # required: the words of the clause that decide it
    expect_rules = { "pet_ct/1" = "met" } # optional: more clauses of the same profile
    profile_file = "../examples/x.toml"   # optional: start from a profile file (relative path)
    [cases.profile.institution]           # the answers (merged over profile_file, table by table)
    new_build = true

Nothing here prints; ``assistant/cli/test.py`` is the command.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io import safeio, tomlparse
from ..rules.model import EQUIPMENT_KEYS
from ..text.errors import LocalizedError
from ..text.i18n import Msg
from ..text.messages import as_msg, at, listed, msg

STATUSES = ("met", "not_met", "exempt", "not_applicable", "unknown")
OVERALL = ("compliant", "not_compliant", "incomplete")
_CASE_KEYS = {
    "rule",
    "expect",
    "exemption",
    "overall",
    "why",
    "expect_rules",
    "profile",
    "profile_file",
    "equipment",
}
MAX_CASE_FILE_BYTES = 8 * 1024 * 1024


class CaseError(LocalizedError):
    """A case file that cannot be run: the message names the file, the case and the field."""


def _m(where, key: str, /, **kw) -> Msg:
    """``WHERE: message`` (the catalogue's ``key``)."""
    return at(where, msg(key, **kw))


@dataclass(frozen=True)
class Case:
    path: str
    line: int
    index: int
    equipment: str
    why: str
    # rule id -> expected status; the first entry is the case's own ``rule``, if any
    expect: dict[str, str]
    exemption: str | None
    overall: str | None
    data: dict

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def rule(self) -> str | None:
        return next(iter(self.expect), None)


@dataclass(frozen=True)
class Disagreement:
    case: Case
    what: str  # a rule id, or "overall", or "profile"
    expected: str
    actual: str
    reason: Any = None  # Msg: the rule's own reason, as reports give it


@dataclass
class Run:
    cases: list[Case] = field(default_factory=list)
    failures: list[Disagreement] = field(default_factory=list)
    # (ruleset id, edition, equipment) -> rule id -> statuses the passing expectations reached
    reached: dict[tuple[str, str, str], dict[str, set[str]]] = field(default_factory=dict)
    rulesets: dict[str, Any] = field(default_factory=dict)  # equipment -> Ruleset

    @property
    def failed_cases(self) -> int:
        return len({id(f.case) for f in self.failures})


def _case_lines(text: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if re.match(r"\s*\[\[\s*cases\s*\]\]", line)]


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = {**out[k], **v}
        else:
            out[k] = v
    return out


class _Unparsed(Exception):
    def __init__(self, message: Msg):
        super().__init__(message.en)
        self.msg = message


def _parse(text: str) -> dict:
    """TOML text read as profiles and rulesets are: first scanned for what the parser does
    not bound (a number of thousands of digits, nesting hundreds deep), which it would
    otherwise answer with an exception no caller expects. Raises ``_Unparsed``."""
    try:
        safeio.prescan_toml(text)
        return tomlparse.loads(text)
    except safeio.TomlRefused as e:
        where = msg("cases.at_line", line=e.line) if e.line else as_msg("")
        raise _Unparsed(where + e.msg) from None
    except tomlparse.TOMLDecodeError as e:
        raise _Unparsed(Msg(str(e), str(e))) from None
    except RecursionError:  # nesting the pre-scan could not see (brackets inside strings)
        raise _Unparsed(msg("cases.too_deep")) from None


def _read_text(path: Path) -> str:
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(st.st_mode):  # a FIFO would wait for a writer forever
            raise CaseError(_m(path, "cases.not_regular", kind=safeio.node_kind(st.st_mode)))
        if st.st_size > MAX_CASE_FILE_BYTES:
            raise CaseError(_m(path, "cases.too_big", limit=f"{MAX_CASE_FILE_BYTES:,}"))
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CaseError(_m(path, "cases.no_such_file")) from None
    except IsADirectoryError:
        raise CaseError(_m(path, "cases.is_dir")) from None
    except UnicodeDecodeError as e:
        raise CaseError(_m(path, "cases.not_utf8", byte=e.start)) from None
    except OSError as e:
        raise CaseError(_m(path, "cases.cannot_read", reason=e.strerror or e)) from None


def _cases_of(path: Path, text: str) -> tuple[dict, list]:
    try:
        doc = _parse(text)
    except _Unparsed as e:
        raise CaseError(_m(path, "cases.invalid_toml", detail=e.msg)) from None
    raw = doc.get("cases")
    if not isinstance(raw, list) or not raw:
        raise CaseError(_m(path, "cases.none"))
    unknown_top = set(doc) - {"cases", "equipment"}
    if unknown_top:
        raise CaseError(_m(path, "cases.unknown_top", key=repr(sorted(unknown_top)[0])))
    return doc, raw


def _expectations(c: dict, where: str) -> dict[str, str]:
    """Rule id -> expected status, from ``rule`` + ``expect`` and ``expect_rules``."""
    statuses = listed(STATUSES)
    expect: dict[str, str] = {}
    if "rule" in c or "expect" in c:
        if not isinstance(c.get("rule"), str) or c.get("expect") not in STATUSES:
            raise CaseError(_m(where, "cases.rule_and_expect", statuses=statuses))
        expect[c["rule"]] = c["expect"]
    more = c.get("expect_rules", {})
    if not isinstance(more, dict) or any(v not in STATUSES for v in more.values()):
        raise CaseError(_m(where, "cases.expect_rules", statuses=statuses))
    for k, v in more.items():
        if k in expect and expect[k] != v:
            raise CaseError(_m(where, "cases.expected_both", rule=k, first=expect[k], second=v))
        expect[k] = v
    return expect


def _profile_data(c: dict, path: Path, where: str) -> dict:
    """The case's answers: its ``profile_file`` (beside the case file), then ``profile``."""
    data: dict = {}
    if "profile_file" in c:
        pf = c["profile_file"]
        if not isinstance(pf, str):
            raise CaseError(_m(where, "cases.profile_file"))
        try:
            # the one reader: a FIFO or a device is refused, not waited on
            raw = safeio.read_limited(path.parent / pf, MAX_CASE_FILE_BYTES, "profile")
            data = _parse(raw.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, _Unparsed, safeio.Refused) as e:
            reason = Msg(str(e), str(e)) if isinstance(e, OSError | UnicodeDecodeError) else e.msg
            raise CaseError(_m(where, "cases.profile_file_unreadable", file=pf, reason=reason)) from None
    profile = c.get("profile", {})
    if not isinstance(profile, dict):
        raise CaseError(_m(where, "cases.profile"))
    return _merge(data, profile)


def _case(c, path: Path, where: str, line: int, index: int, default_eq: str | None) -> Case:
    if not isinstance(c, dict):
        raise CaseError(_m(where, "cases.not_table"))
    extra = set(c) - _CASE_KEYS
    if extra:
        raise CaseError(
            _m(where, "cases.unknown_key", key=repr(sorted(extra)[0]), keys=", ".join(sorted(_CASE_KEYS)))
        )
    eq = c.get("equipment") or default_eq
    if eq not in EQUIPMENT_KEYS:
        raise CaseError(_m(where, "cases.equipment", keys=", ".join(EQUIPMENT_KEYS), got=repr(eq)))
    why = c.get("why")
    if not isinstance(why, str) or not why.strip():
        raise CaseError(_m(where, "cases.why"))
    expect = _expectations(c, where)
    overall = c.get("overall")
    if overall is not None and overall not in OVERALL:
        raise CaseError(_m(where, "cases.overall", keys=", ".join(OVERALL), got=repr(overall)))
    if not expect and overall is None:
        raise CaseError(_m(where, "cases.expects_nothing"))
    exemption = c.get("exemption")
    if exemption is not None and not isinstance(exemption, str):
        raise CaseError(_m(where, "cases.exemption"))
    data = _profile_data(c, path, where)
    data.update({"schema_version": 1, "equipment": eq})
    data.setdefault("institution", {})
    return Case(str(path), line, index, eq, why.strip(), expect, exemption, overall, data)


def load(path: Path) -> list[Case]:
    """Read one case file; raise CaseError for anything that is not a well-formed case."""
    path = Path(path)
    text = _read_text(path)
    doc, raw = _cases_of(path, text)
    lines = _case_lines(text)
    default_eq = doc.get("equipment") or (path.stem if path.stem in EQUIPMENT_KEYS else None)
    out = []
    for i, c in enumerate(raw):
        line = lines[i] if i < len(lines) else 0
        where = f"{path}:{line}" if line else f"{path}: case {i + 1}"
        out.append(_case(c, path, where, line, i, default_eq))
    return out


def collect(paths: list[Path]) -> list[Case]:
    """Cases from files and folders (every *.toml in a folder, sorted)."""
    cases: list[Case] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files = sorted(p.glob("*.toml"))
            if not files:
                raise CaseError(_m(p, "cases.dir_empty"))
            for f in files:
                cases += load(f)
        else:
            cases += load(p)
    return cases


def required(rs, equipment: str) -> dict[str, tuple[str, ...]]:
    """Per rule, the statuses the cases must reach for complete coverage: met and not met,
    exempt where an exemption can waive it, not applicable where it applies conditionally."""
    out = {}
    for rule in rs.rules_for(equipment):
        need = ["met", "not_met"]
        if rs.waivers_of(rule.id):
            need.append("exempt")
        if rule.applies_when is not None:
            need.append("not_applicable")
        out[rule.id] = tuple(need)
    return out


def run(cases: list[Case], ruleset_for) -> Run:
    """Evaluate every case with ``ruleset_for(equipment)`` and compare. A profile the ruleset
    cannot read, or a rule it does not have, is a disagreement of that case (the ruleset
    under test may have renamed a fact), never a crash."""
    from ..evaluate import Statuses, evaluate
    from .document import ProfileError, validate_data

    result = Run(cases=list(cases))
    for case in cases:
        rs = result.rulesets.get(case.equipment)
        if rs is None:
            rs = result.rulesets[case.equipment] = ruleset_for(case.equipment)
        key = (rs.id, rs.edition, case.equipment)
        reached = result.reached.setdefault(key, {})
        try:
            profile = validate_data(case.data, rs.facts, case.where)
        except ProfileError as e:
            result.failures.append(Disagreement(case, "profile", "a readable profile", str(e)))
            continue
        seen = Statuses()  # the statuses the evaluator reached, as it tells them
        ev = evaluate(rs, case.equipment, profile.answers, sink=seen)
        by_id = {r.id: r for r in ev.results}
        for rule_id, want in case.expect.items():
            r = by_id.get(rule_id)
            if r is None:
                result.failures.append(Disagreement(case, rule_id, want, "no such rule in this ruleset"))
                continue
            ok = want in seen.reached.get(rule_id, ())
            if ok and want == "exempt" and case.exemption and rule_id == case.rule:
                waived = {w.exemption for w in r.waived_by}
                if case.exemption not in waived:
                    result.failures.append(
                        Disagreement(
                            case,
                            rule_id,
                            f"exempt by {case.exemption}",
                            "exempt by " + (", ".join(sorted(waived)) or "nothing"),
                            r.reason,
                        )
                    )
                    continue
            if ok:
                reached.setdefault(rule_id, set()).add(want)
            else:
                result.failures.append(Disagreement(case, rule_id, want, r.status, r.reason))
        if case.overall is not None and ev.status != case.overall:
            failing = [
                r for r in ev.results if r.status in ("not_met", "unknown") and r.rule.level == "required"
            ]

            reason = Msg.join([as_msg(f"{r.id} {r.status}") for r in failing[:8]])
            result.failures.append(Disagreement(case, "overall", case.overall, ev.status, reason))
    return result


def coverage(run_: Run) -> list[dict]:
    """Per rule of every equipment the cases touch: what is needed and what was reached."""
    out = []
    for (rs_id, edition, equipment), reached in sorted(run_.reached.items()):
        rs = run_.rulesets[equipment]
        for rule_id, need in required(rs, equipment).items():
            got = reached.get(rule_id, set())
            out.append(
                {
                    "ruleset": rs_id,
                    "edition": edition,
                    "equipment": equipment,
                    "rule": rule_id,
                    "needed": list(need),
                    "reached": [s for s in STATUSES if s in got],
                    "missing": [s for s in need if s not in got],
                }
            )
    return out
