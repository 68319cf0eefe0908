"""Reports: one evaluation turned into a JSON-ready dict, plain text or Markdown.

The dict is the single source every format renders from, so formats never disagree. Rich is
imported only for the coloured terminal table; JSON and piped text never touch it.
"""

from __future__ import annotations

from typing import Any

from . import __version__
from .evaluate import Evaluation, fmt_value
from .i18n import LEVEL, OVERALL, STATUS, Msg
from .loader import Ruleset
from .profile import Profile

REPORT_VERSION = 1
STATUS_ORDER = ("not_met", "unknown", "met", "exempt", "not_applicable")


def build(profile: Profile, rs: Ruleset, ev: Evaluation, lang: str) -> dict[str, Any]:
    info = rs.equipment_info(profile.equipment)
    rules = []
    for r in ev.results:
        rule = r.rule
        item: dict[str, Any] = {
            "id": rule.id,
            "kind": "rule",
            "clause": rule.clause,
            "heading": rule.heading.get(lang),
            "level": rule.level,
            "status": r.status,
            "status_label": STATUS[r.status].get(lang),
            "reason": r.reason.get(lang),
            "shortfall": [m.get(lang) for m in r.shortfall],
            "advice": [m.get(lang) for m in r.advice],
            "waived_by": [
                {"exemption": w.exemption, "clause": w.clause, "ground": w.ground, "label": w.label.get(lang)}
                for w in r.waived_by
            ],
            "missing": list(r.missing),
            "text": rule.text_zh if lang == "zh" else rule.text_en,
            "evidence": [e.get(lang) for e in rule.evidence],
        }
        if r.persons:
            item["persons"] = [
                {"index": p.index, "name": p.name, "status": p.status, "reason": p.reason.get(lang)}
                for p in r.persons
            ]
        rules.append(item)
    people = [
        {
            "roster": p.roster,
            "index": p.index,
            "name": p.name,
            "role": p.role,
            "qualified": p.qualified,
            "route": p.route.get(lang),
            "lacks": [m.get(lang) for m in p.lacks],
        }
        for p in ev.people
    ]
    edition_note = None
    if profile.ruleset_edition and profile.ruleset_edition != rs.edition:
        edition_note = Msg(
            f"本档案按规则集版本 {profile.ruleset_edition} 填写，现按 {rs.edition} 评估",
            f"this profile was answered under ruleset edition {profile.ruleset_edition}; evaluated against {rs.edition}",
        ).get(lang)
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": "medequip", "version": __version__},
        "source": profile.source,
        "profile_sha256": profile.sha256,
        "institution": profile.name,
        "equipment": profile.equipment,
        "equipment_name": info.name.get(lang),
        "ruleset": {
            "id": rs.id,
            "title": rs.data.ruleset.title_zh if lang == "zh" else rs.data.ruleset.title_en,
            "edition": rs.edition,
            "sha256": rs.sha256,
        },
        "edition_note": edition_note,
        "lang": lang,
        "status": ev.status,
        "status_label": OVERALL[ev.status].get(lang),
        "counts": dict(ev.counts),
        "rules": rules,
        "people": people,
    }


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def counts_line(report: dict, lang: str) -> str:
    c = report["counts"]
    parts = [f"{STATUS[s].get(lang)} {c.get(s, 0)}" for s in ("met", "not_met", "exempt", "not_applicable", "unknown")]
    return ("，" if lang == "zh" else ", ").join(parts)


def to_text(report: dict, lang: str) -> str:
    """Plain text for pipes and files: no colour, no alignment that CJK would break."""
    out = []
    title = _t(lang, "medequip 评估报告", "medequip assessment")
    name = report["institution"] or _t(lang, "（未填写机构名称）", "(institution name not given)")
    out.append(f"{title}: {name} — {report['equipment_name']}")
    rs = report["ruleset"]
    out.append(f"{_t(lang, '规则集', 'Ruleset')}: {rs['title']} ({rs['id']}, {rs['edition']}, sha256 {rs['sha256'][:12]})")
    if report.get("edition_note"):
        out.append(f"! {report['edition_note']}")
    out.append(f"{_t(lang, '总体结论', 'Overall')}: {report['status_label']} ({counts_line(report, lang)})")
    out.append("")
    for r in report["rules"]:
        level = "" if r["level"] == "required" else f" [{LEVEL['advisory'].get(lang)}]"
        out.append(f"[{r['status_label']}] {r['clause']} {r['id']}{level} {r['heading']}")
        out.append(f"    {r['reason']}")
        for s in r["advice"]:
            out.append(f"    {s}")
    if report["people"]:
        out.append("")
        out.append(_t(lang, "人员资格：", "Staff qualification:"))
        for p in report["people"]:
            out.append(f"  - {p['name']} ({p['role']}): {p['route']}")
            for lack in p["lacks"]:
                out.append(f"      {lack}")
    return "\n".join(out) + "\n"


def to_markdown(report: dict, lang: str) -> str:
    def esc(s: str) -> str:
        for ch in "\\`*_{}[]<>()#+-.!|":
            s = s.replace(ch, "\\" + ch)
        return s

    out = [f"# {esc(report['institution'] or '—')} · {esc(report['equipment_name'])}", ""]
    rs = report["ruleset"]
    out.append(f"- {_t(lang, '规则集', 'Ruleset')}: {esc(rs['title'])} (`{rs['id']}`, {esc(rs['edition'])}, sha256 `{rs['sha256'][:12]}`)")
    out.append(f"- {_t(lang, '总体结论', 'Overall')}: **{report['status_label']}** ({counts_line(report, lang)})")
    out.append("")
    out.append(f"| {_t(lang, '条款', 'Clause')} | {_t(lang, '编号', 'Id')} | {_t(lang, '结论', 'Status')} | {_t(lang, '说明', 'Reason')} |")
    out.append("|---|---|---|---|")
    for r in report["rules"]:
        reason = esc(r["reason"]).replace("\n", " ")
        out.append(f"| {r['clause']} | `{r['id']}` | {r['status_label']} | {reason} |")
    return "\n".join(out) + "\n"


STYLE = {"met": "green", "not_met": "bold red", "exempt": "cyan", "not_applicable": "dim", "unknown": "yellow"}


def print_rich(report: dict, lang: str, console) -> None:
    """Coloured table for a terminal; user text is passed as Text so it is never markup."""
    from rich.table import Table
    from rich.text import Text

    name = report["institution"] or _t(lang, "（未填写机构名称）", "(institution name not given)")
    head = Text()
    head.append(name, style="bold")
    head.append(f" — {report['equipment_name']}")
    console.print(head)
    rs = report["ruleset"]
    console.print(Text(f"{rs['title']} ({rs['id']}, {rs['edition']}, sha256 {rs['sha256'][:12]})", style="dim"))
    if report.get("edition_note"):
        console.print(Text(report["edition_note"], style="yellow"))
    table = Table(show_lines=False, expand=True)
    table.add_column(_t(lang, "条款", "Clause"), no_wrap=True)
    table.add_column(_t(lang, "结论", "Status"), no_wrap=True)
    table.add_column(_t(lang, "说明", "Reason"), overflow="fold", ratio=1)
    for r in report["rules"]:
        clause = Text(f"{r['clause']}\n{r['id']}")
        status = Text(r["status_label"], style=STYLE[r["status"]])
        reason = Text(r["reason"])
        for a in r["advice"]:
            reason.append("\n" + a, style="italic")
        table.add_row(clause, status, reason)
    console.print(table)
    overall = Text(f"{_t(lang, '总体结论', 'Overall')}: ")
    overall.append(report["status_label"], style={"compliant": "bold green", "not_compliant": "bold red"}.get(report["status"], "bold yellow"))
    overall.append(f"  ({counts_line(report, lang)})")
    console.print(overall)
    for p in report["people"]:
        line = Text(f"  {p['name']} ({p['role']}): ")
        line.append(p["route"], style="green" if p["qualified"] else "red" if p["qualified"] is False else "yellow")
        console.print(line)


def value_text(rs: Ruleset, key: str, value: Any, lang: str) -> str:
    fact = rs.facts.get(key)
    return fmt_value(fact, value).get(lang) if fact else str(value)
