"""What ``medequip rules lint PATH`` finds in a ruleset file before anyone relies on it.

Errors (exit 1): the file does not match the ruleset schema; duplicate rule, exemption, fact
or equipment entries; conditions that read undeclared facts or compare a fact with a value it
cannot take; exemptions naming rules that do not exist; text missing in one language.
Warnings (exit 0, or 1 with ``--strict``): facts that no interview question asks, a wording
a question's help text gives that the answer parser would refuse, two
exemption grounds waiving the same rule on the same condition, waivers across equipment
types, facts no rule reads. Exit 2 when the file cannot be read as TOML at all or is refused
as absurd (``preflight.py``). The command that prints the findings is ``cli/rules.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.rules.checks.preflight import read_toml
from ..core.rules.checks.validate import content_problems, string_problems
from ..core.rules.checks.validate import texts as _texts
from ..core.rules.read import check_counts, measure
from ..core.text.i18n import Msg
from ..core.text.messages import msg as message
from ..core.text.messages import problem_zh as _zh_problem

# --- findings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    where: str  # a rule / exemption / fact id, or "" for the whole file
    msg: Msg
    line: int | None = None
    # "ruleset": the loader refuses the ruleset for this very reason (lint and the loader are
    # one validator); "interview": the ruleset loads, but the interview cannot use it.
    about: str = "ruleset"

    def render(self, path: Path, lang: str) -> str:
        loc = f"{path}:{self.line}" if self.line else str(path)
        sev = {"error": Msg("错误", "error"), "warning": Msg("警告", "warning")}[self.severity].get(lang)
        where = f"{self.where}: " if self.where else ""
        return f"{loc}: {sev}: {where}{self.msg.get(lang)}"


class _Lines:
    def __init__(self, text: str):
        self.lines = text.splitlines()

    def of(self, ident: str) -> int | None:
        pat = re.compile(r'^\s*(id|key)\s*=\s*"' + re.escape(ident) + r'"')
        for i, ln in enumerate(self.lines):
            if pat.match(ln):
                return i + 1
        return None


def findings(path: Path) -> list[Finding]:
    """Everything lint has to say about ``path``. Raises Unreadable or RulesetTooLarge."""
    from pydantic import ValidationError

    from ..core.rules import loader
    from ..core.rules.model import RulesetFile
    from . import questions

    data, text = read_toml(path)
    measure(data, path)
    check_counts(data, path)
    lines = _Lines(text)
    out: list[Finding] = []

    def err(where: str, msg: Msg, severity: str = "error", about: str = "ruleset") -> None:
        out.append(Finding(severity, where, msg, lines.of(where) if where else None, about))

    for p in string_problems(data):
        err("", Msg(f"{p.where}：{p.msg.zh}", f"{p.where}: {p.msg.en}"))
    if set(data) == {"facts"}:
        return _catalogue_findings(data, err, out)
    try:
        rf = RulesetFile.model_validate(data)
    except ValidationError as e:
        return out + _schema_findings(e, "规则集", "ruleset")
    except RecursionError:
        return [Finding("error", "", Msg("嵌套过深", "nested too deeply"))]
    if rf.ruleset.extends is not None:
        # A variant: lint what it resolves to, after checking that every override, dropped
        # exemption and added rule fits the ruleset it extends.
        try:
            rf, problems = loader.resolve_file(rf, path)
        except loader.RulesetError as e:
            return out + [Finding("error", "", e.msg)]
        for problem in problems:
            err("", Msg(_zh_problem(problem), problem))
        if problems:
            return out

    # The loader's own checks, through the same code (core/rules/checks/validate.py and check_ruleset):
    # a ruleset with none of these errors is one the loader loads.
    base = loader.institution_facts()
    for p in content_problems(rf, base):
        err(p.where, p.msg)
    eq_keys = [e.key for e in rf.equipment]
    for k in rf.ruleset.equipment:
        if k not in eq_keys:
            err(
                "",
                Msg(
                    f"ruleset.equipment 列出 {k}，但没有对应的 [[equipment]] 条目",
                    f"ruleset.equipment lists {k} but no [[equipment]] entry describes it",
                ),
            )
    facts = dict(base)
    for f in rf.facts:
        facts[f.key] = f
    for problem in loader.check_ruleset(rf, facts):
        if problem.startswith("ruleset.equipment names "):
            continue  # said above, with its line
        where, _, rest = problem.partition(": ")
        if rest and (lines.of(where) or "/" in where):
            err(where, Msg(_zh_problem(rest), rest))
        else:
            err("", Msg(_zh_problem(problem), problem))

    # overlapping and cross-equipment exemptions
    ids = [r.id for r in rf.rules]
    grounds = []
    for ex in rf.exemptions:
        for g in ex.grounds:
            inside = set(loader.expand_patterns(g.within, ids)) - set(
                loader.expand_patterns(g.must_meet, ids)
            )
            waived = set(loader.expand_patterns(g.waives, ids)) | inside
            grounds.append((ex, g, waived))
            other = sorted(i for i in waived if i.split("/", 1)[0] != ex.equipment)
            if other:
                err(
                    ex.id,
                    Msg(
                        f"依据 {g.key} 豁免了其他设备的条款：{', '.join(other)}",
                        f"ground {g.key} waives rules of another equipment type: {', '.join(other)}",
                    ),
                    "warning",
                )
    for i, (ex1, g1, w1) in enumerate(grounds):
        for ex2, g2, w2 in grounds[i + 1 :]:
            same = sorted(w1 & w2)
            if not same or g1.when != g2.when:
                continue
            if ex1.id != ex2.id:
                msg = Msg(
                    f"{ex1.clause}（{g1.key}）与 {ex2.clause}（{g2.key}，{ex2.id}）以相同条件豁免同一条款：{', '.join(same)}",
                    f"{ex1.clause} ({g1.key}) and {ex2.clause} ({g2.key}, {ex2.id}) waive the same rules on the same condition: {', '.join(same)}",
                )
            else:
                msg = Msg(
                    f"依据 {g1.key} 与 {g2.key} 条件相同且豁免同一条款：{', '.join(same)}",
                    f"grounds {g1.key} and {g2.key} have the same condition and waive the same rules: {', '.join(same)}",
                )
            err(ex1.id, msg, "warning")

    # facts and questions
    for eq in rf.ruleset.equipment:
        read: dict[str, str] = {}
        for r in rf.rules:
            if r.equipment != eq:
                continue
            roster = r.roster if r.scope == "person" else None
            for cond in (r.applies_when, r.condition, r.advice):
                for k in loader.facts_read(cond, roster):
                    read.setdefault(k, r.id)
            if roster:
                read.setdefault(roster, r.id)
        for ex in rf.exemptions:
            if ex.equipment != eq:
                continue
            roster = _roster_for(rf, ex) if ex.scope == "person" else None
            for g in ex.grounds:
                for k in loader.facts_read(g.when, roster):
                    read.setdefault(k, ex.id)
        files = questions.question_files(eq)
        if not files[1].exists():
            err(
                "",
                Msg(
                    f"没有 {eq} 的问题文件（interviews/{eq}.toml）：访谈无法询问其事实，可用 medequip template {eq} 手工填写",
                    f"no question file for {eq} (interviews/{eq}.toml): the interview cannot ask its facts; profiles can still be filled in from medequip template {eq}",
                ),
                "warning",
            )
            continue
        asked: set[str] = set()
        for qf in files:
            try:
                qs = questions.read_file(qf).questions
            except loader.RulesetError as e:
                err("", Msg(f"问题文件无法读取：{e}", f"question file unreadable: {e}"), about="interview")
                continue
            unknown = []
            for q in qs:
                asked.add(q.fact)
                fact = questions.lookup_fact(_FactsOnly(facts), q.fact)[0]
                if fact is None:
                    unknown.append(q.fact)
                    continue
                for problem in questions.hint_problems(q, fact):
                    where = Msg(f"interviews/{qf.name}：", f"interviews/{qf.name}: ")
                    err("", where + message("questions.bad_hints", fact=q.fact, problems=problem))
                if not questions.hint_problems(q, fact):
                    # A wording the help text offers that typing it would refuse: the question
                    # contradicts itself (warned, as the interview still works).
                    for problem in questions.help_problems(q, fact):
                        where = Msg(f"interviews/{qf.name}：{q.fact}：", f"interviews/{qf.name}: {q.fact}: ")
                        err("", where + problem, "warning", about="interview")
            if unknown:
                shown = ", ".join(unknown[:5]) + (f" … (+{len(unknown) - 5})" if len(unknown) > 5 else "")
                err(
                    "",
                    Msg(
                        f"interviews/{qf.name} 询问了本规则集未声明的 {len(unknown)} 个事实（{shown}）：{eq} 的访谈将无法启动",
                        f"interviews/{qf.name} asks for {len(unknown)} fact(s) this ruleset does not declare ({shown}): the {eq} interview will not start",
                    ),
                    about="interview",
                )
        asked_rosters = {k.rpartition(".")[0] for k in asked}
        for key, user in read.items():
            if (
                key in asked
                or key in asked_rosters
                or questions.lookup_fact(_FactsOnly(facts), key)[0] is None
            ):
                continue  # asked, or undeclared (an error above)
            err(
                user,
                Msg(
                    f"读取的事实 {key} 没有任何访谈问题询问", f"reads {key}, which no interview question asks"
                ),
                "warning",
            )

    used = set()
    for r in rf.rules:
        roster = r.roster if r.scope == "person" else None
        for cond in (r.applies_when, r.condition, r.advice):
            used.update(loader.facts_read(cond, roster))
        if roster:
            used.add(roster)
    for ex in rf.exemptions:
        for g in ex.grounds:
            used.update(loader.facts_read(g.when, _roster_for(rf, ex) if ex.scope == "person" else None))
    for f in rf.facts:
        if f.retired:
            if f.key in used:
                err(f.key, Msg("已停用的事实仍被条款读取", "a retired fact is still read by a rule"))
            continue
        if f.key not in used and not f.identity and not any(u.startswith(f.key + ".") for u in used):
            err(f.key, Msg("没有任何条款读取此事实", "no rule or exemption reads this fact"), "warning")
    return out


def _schema_findings(e, what_zh: str, what_en: str) -> list[Finding]:
    """One finding per pydantic error (the first 50), in both languages."""
    from ..core.rules import loader

    out = []
    for x in e.errors()[:50]:
        loc = ".".join(str(p) for p in x["loc"] if not str(p).startswith("function-"))
        text = getattr(loader, "_MESSAGES", {}).get(x["type"], x["msg"])
        out.append(
            Finding(
                "error",
                "",
                Msg(
                    f"不符合{what_zh}格式：{loc or '（顶层）'}: {text}",
                    f"does not match the {what_en} schema: {loc or '(top level)'}: {text}",
                ),
            )
        )
    return out


def _catalogue_findings(data: dict, err, out: list[Finding]) -> list[Finding]:
    """``rulesets/facts.toml``: the institution facts every ruleset shares."""
    from pydantic import ValidationError

    from ..core.rules.model import FactCatalogueFile

    try:
        cat = FactCatalogueFile.model_validate(data)
    except ValidationError as e:
        return out + _schema_findings(e, "事实目录", "fact catalogue")
    seen: set[str] = set()
    for f in cat.facts:
        if f.key in seen:
            err(f.key, Msg("事实重复定义", "fact declared twice"))
        seen.add(f.key)
        if not f.key.startswith("institution."):
            err(
                f.key,
                Msg(
                    "共享事实目录只应包含 institution.* 事实",
                    "the shared catalogue holds institution.* facts only",
                ),
            )
        for where, zh, en in _texts(f, ""):
            missing = [lang for lang, s in (("zh", zh), ("en", en)) if not s.strip()]
            if missing:
                err(
                    f.key,
                    Msg(
                        f"{where} 缺少{'、'.join('中文' if m == 'zh' else '英文' for m in missing)}文本",
                        f"{where}: {' and '.join('Chinese' if m == 'zh' else 'English' for m in missing)} text is empty",
                    ),
                )
    return out


class _FactsOnly:
    """Just enough of a Ruleset for questions.lookup_fact."""

    def __init__(self, facts: dict):
        self.facts = facts


def _roster_for(rf, ex) -> str | None:
    from ..core.rules import loader

    ids = [r.id for r in rf.rules]
    for g in ex.grounds:
        for rid in loader.expand_patterns((*g.waives, *g.within), ids):
            rule = next(r for r in rf.rules if r.id == rid)
            if rule.roster:
                return rule.roster
    return None
