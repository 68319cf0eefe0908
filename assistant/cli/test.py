"""``medequip test PATH... [--ruleset FILE] [--coverage] [--format text|json]``: run clause
cases (see ``core/profile/cases.py``) and print every disagreement with the rule's own reason.

Exit 0 when every case passes, 1 when one fails, 2 when a case file or the ruleset cannot
be read. Coverage is reported, never enforced: a ruleset author decides when it is enough.
"""

from __future__ import annotations

from pathlib import Path

from ..core.io import exitcodes
from ..core.text.i18n import Words
from ..core.text.messages import tr
from .output import dump_json, emit, err

STATUS_KEYS = ("met", "not_met", "exempt", "not_applicable", "unknown")

# A case's statuses as medequip test prints them (an open case is "open", not "unknown").
_LABEL = Words(
    {k: f"cli.test.status.{k}" for k in (*STATUS_KEYS, "compliant", "not_compliant", "incomplete")}
)


def _label(status: str, lang: str) -> str:
    return _LABEL[status].get(lang) if status in _LABEL else status


def _ruleset_for(custom: Path | None):
    from ..core.rules import loader

    def get(equipment: str):
        return loader.for_equipment(equipment, custom)

    return get


def _failure_json(f) -> dict:
    return {
        "file": f.case.path,
        "line": f.case.line,
        "case": f.case.index + 1,
        "equipment": f.case.equipment,
        "what": f.what,
        "expected": f.expected,
        "actual": f.actual,
        "reason_zh": f.reason.zh if hasattr(f.reason, "zh") else None,
        "reason_en": f.reason.en if hasattr(f.reason, "en") else None,
        "why": f.case.why,
    }


def render_text(run, cov: list[dict] | None, lang: str) -> str:
    """The failures, the count and the coverage, for a terminal: every piece from a case
    file or a ruleset (where, why, a rule id, a reason) is shown through the sanitiser, so
    an escape sequence or a direction override in one is printed inert."""
    from ..core.text.sanitize import escape

    lines = []
    for f in run.failures:
        where = escape(f.case.where)
        if f.what == "profile":
            lines.append(f"{where}: " + (tr("cli.test.profile_not_readable", lang)) + escape(str(f.actual)))
            continue
        what = (tr("cli.test.overall", lang)) if f.what == "overall" else escape(f.what)
        exp, act = escape(_label(f.expected, lang)), escape(_label(f.actual, lang))
        lines.append(f"{where}: {what}: " + (tr("cli.test.expected_got", lang, exp=exp, act=act)))
        if f.reason is not None and hasattr(f.reason, "get"):
            lines.append((tr("cli.test.reason", lang)) + escape(f.reason.get(lang)))
        lines.append((tr("cli.test.clause", lang)) + escape(f.case.why))
    n, bad = len(run.cases), run.failed_cases
    lines.append(tr("cli.test.cases_passed_failed", lang, n=n, n_bad=n - bad, bad=bad))
    if cov is not None:
        lines.append("")
        lines.append(tr("cli.test.clause_coverage", lang))
        width = max((len(escape(c["rule"])) for c in cov), default=0)
        for c in cov:
            marks = "  ".join(f"{_label(s, lang)} {'✓' if s in c['reached'] else '✗'}" for s in c["needed"])
            lines.append(f"  {escape(c['rule']):<{width}}  {marks}")
        full = sum(1 for c in cov if not c["missing"])
        lines.append(tr("cli.test.clauses_fully_covered", lang, full=full, n_cov=len(cov)))
    return "\n".join(lines) + "\n"


def cmd_test(args, lang: str) -> int:
    from ..core.profile.cases import CaseError, collect, coverage, run
    from ..core.rules.loader import RulesetError

    try:
        cases = collect([Path(p) for p in args.paths])
        result = run(cases, _ruleset_for(args.ruleset))
    except (CaseError, RulesetError) as e:
        err(e, lang)
        return exitcodes.USAGE
    cov = coverage(result) if args.coverage else None
    if args.format == "json":
        obj = {
            "cases": len(result.cases),
            "passed": len(result.cases) - result.failed_cases,
            "failed": result.failed_cases,
            "failures": [_failure_json(f) for f in result.failures],
            "rulesets": sorted(
                {f"{rs.id} {rs.edition}" for rs in result.rulesets.values()},
            ),
        }
        if cov is not None:
            obj["coverage"] = cov
            obj["coverage_complete"] = all(not c["missing"] for c in cov)
        emit(dump_json(obj), None)
    else:
        emit(render_text(result, cov, lang), None)
    return exitcodes.NOT_COMPLIANT if result.failures else exitcodes.COMPLIANT
