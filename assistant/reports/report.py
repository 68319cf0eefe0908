"""Reports: one evaluation turned into a JSON-ready dict, plain text or Markdown.

The dict is the single source every format renders from, so formats never disagree. Rich is
imported only for the coloured terminal table; JSON and piped text never touch it.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..core.evaluate.results import Evaluation, fmt_value
from ..core.profile.document import Profile
from ..core.rules.loader import Ruleset
from ..core.rules.model import Exemption, Fact, Rule
from ..core.text.i18n import LEVEL, OVERALL, STATUS
from ..core.text.messages import msg, tr
from .labels import colon, counts_line, institution_name, label, md, plain, ruleset_line
from .lean import REPORT_VERSION


def report_date(explicit: str | None = None) -> str:
    """The date printed on a report: ``--date``, else ``SOURCE_DATE_EPOCH`` (reproducible
    builds' convention, so golden files and archived reports are stable), else today."""
    import datetime as dt
    import os

    from ..core.text.errors import BadValue
    from ..core.text.messages import msg

    if explicit is not None:  # an empty --date is a mistake, not "today"
        try:
            return dt.date.fromisoformat(explicit).isoformat()
        except ValueError:
            raise BadValue(msg("cli.date", value=repr(explicit))) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise BadValue(msg("cli.epoch", value=repr(epoch))) from None
    return dt.date.today().isoformat()


def _answer(fact: Fact, value: Any, lang: str) -> str | None:
    return None if value is None else fmt_value(fact, value).get(lang)


def _person_claims(
    rs: Ruleset,
    roster: str,
    fields: list[str],
    people: list | None,
    who: set[int] | None,
    role: str | None,
    lang: str,
) -> list[dict]:
    """Answers of roster people, one line per person and field read."""
    parent = rs.facts[roster]
    if people is None:
        return [{"fact": roster, "label": parent.label.get(lang), "value": None, "answer": None}]
    by_key = {f.key: f for f in parent.fields}
    out = []
    for i, p in enumerate(people):
        if (role is not None and p.get("role") != role) or (who is not None and i not in who):
            continue
        name = p.get("name") or f"#{i + 1}"
        for key in fields:
            fld = by_key.get(key)
            if fld is None or key in ("name", "role"):
                continue
            v = p.get(key)
            out.append(
                {
                    "fact": f"{roster}[{i}].{key}",
                    "label": f"{name} · {fld.label.get(lang)}",
                    "value": v,
                    "answer": _answer(fld, v, lang),
                }
            )
    return out


def _claims(rs: Ruleset, keys: list[str], answers: dict, lang: str) -> list[dict]:
    """What the profile says for each fact in ``keys`` (roster fields read inside a count
    are summed up by the roster's own line)."""
    out = []
    for key in keys:
        fact = rs.facts.get(key)
        if fact is None or fact.identity:
            continue
        v = answers.get(key)
        out.append({"fact": key, "label": fact.label.get(lang), "value": v, "answer": _answer(fact, v, lang)})
    return out


def set_aside_claims(rs: Ruleset, kept: dict, answers: dict, lang: str) -> list[dict]:
    """The answers a profile keeps set aside (``[set_aside]``), as claims: shown as kept and
    not used, never as facts the verdicts rest on. A person's field is named by the person."""
    import re

    from ..core.profile.document import set_aside_data

    out = []
    for key, value in set_aside_data(kept, rs.facts).items():
        m = re.match(r"^(.+)\[(\d+)\]\.([^.]+)$", key)
        if m:
            parent = rs.facts.get(m[1])
            fact = parent.fields_by_key.get(m[3]) if parent is not None and parent.type == "roster" else None
            people = answers.get(m[1]) or []
            i = int(m[2])
            name = (people[i].get("name") if i < len(people) else None) or f"#{i + 1}"
            shown = f"{name} · {fact.label.get(lang)}" if fact is not None else key
        else:
            fact = rs.facts.get(key)
            shown = fact.label.get(lang) if fact is not None else key
        answer = fmt_value(fact, value).get(lang) if fact is not None else str(value)
        out.append({"fact": key, "label": shown, "value": value, "answer": answer})
    return out


def rule_claims(rs: Ruleset, rule: Rule, answers: dict, lang: str) -> list[dict]:
    from ..core.evaluate.plan import rule_facts

    keys = rule_facts(rs, rule)
    if rule.scope == "person" and rule.roster:
        prefix = rule.roster + "."
        fields = [k[len(prefix) :] for k in keys if k.startswith(prefix)]
        return _person_claims(rs, rule.roster, fields, answers.get(rule.roster), None, rule.role, lang)
    return _claims(rs, keys, answers, lang)


def _evidence_applies(rs: Ruleset, evidence, answers: dict) -> bool:
    """A document for one situation only (``when``) is listed unless that situation is
    known not to arise."""
    when = getattr(evidence, "when", None)
    if when is None:
        return True
    from ..core.evaluate import holds

    return holds(rs, when, answers) is not False


def _checklist(rs: Ruleset, ev: Evaluation, answers: dict, lang: str) -> list[dict]:
    """Documents to prepare: every rule that applies and is not waived, then the evidence
    behind each exemption ground the verdicts rely on."""
    from ..core.evaluate.plan import facts_read

    items: list[dict[str, Any]] = []
    used: dict[tuple[str, str], set[int] | None] = {}
    for r in ev.results:
        rule = r.rule
        for w in r.waived_by:
            used.setdefault((w.exemption, w.ground), None)
        for p in r.persons:
            for w in p.waived_by:
                who = used.setdefault((w.exemption, w.ground), set())
                if who is not None:
                    who.add(p.index)
        if r.status in ("exempt", "not_applicable"):
            continue
        # Only facts that were answered or are still asked: a fact never asked because it
        # cannot matter (the new-build half of a clause, for an existing hospital) is noise.
        asked = set(r.missing)
        items.append(
            {
                "kind": "rule",
                "id": rule.id,
                "clause": rule.clause,
                "heading": rule.heading.get(lang),
                "level": rule.level,
                "status": r.status,
                "status_label": STATUS[r.status].get(lang),
                "documents": [e.get(lang) for e in rule.evidence if _evidence_applies(rs, e, answers)],
                "claims": [
                    c
                    for c in rule_claims(rs, rule, answers, lang)
                    if c["value"] is not None or c["fact"] in asked
                ],
            }
        )
    for (ex_id, gkey), who in used.items():
        ex = rs.rule(ex_id)
        if not isinstance(ex, Exemption):  # pragma: no cover - waivers always name exemptions
            continue
        g = next(g for g in ex.grounds if g.key == gkey)
        if ex.scope == "person":
            roster = next(
                (
                    rs.rule(rid).roster
                    for rid in rs.waived[ex.id][gkey]
                    if getattr(rs.rule(rid), "roster", None)
                ),
                None,
            )
            fields = [k.rsplit(".", 1)[1] for k in facts_read(rs, g.when, roster)] if roster else []
            claims = (
                _person_claims(rs, roster, fields, answers.get(roster), who, None, lang) if roster else []
            )
        else:
            claims = _claims(rs, facts_read(rs, g.when), answers, lang)
        items.append(
            {
                "kind": "exemption",
                "id": ex.id,
                "clause": ex.clause,
                "heading": ex.heading.get(lang),
                "ground": gkey,
                "ground_label": g.label.get(lang),
                "waives": list(rs.waived[ex.id][gkey]),
                "documents": [e.get(lang) for e in ex.evidence],
                "claims": claims,
            }
        )
    return items


def build(
    profile: Profile, rs: Ruleset, ev: Evaluation, lang: str, date: str | None = None
) -> dict[str, Any]:
    """The report as plain data. ``date`` defaults to :func:`report_date`."""
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
            "claims": rule_claims(rs, rule, profile.answers, lang),
        }
        if rs.differences:  # a variant (variant.py, imported only then)
            from ..core.rules.variant import difference_json

            differs = difference_json(rs, rule.id, lang)
            if differs is not None:
                item["differs"] = differs
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
            "role_label": p.role_label.get(lang),
            "qualified": p.qualified,
            "route": p.route.get(lang),
            "lacks": [m.get(lang) for m in p.lacks],
        }
        for p in ev.people
    ]
    edition_note = None
    if profile.ruleset_edition and profile.ruleset_edition != rs.edition:
        edition_note = msg(
            "reports.report.this_profile_was_answered_under",
            ruleset_edition=profile.ruleset_edition,
            edition=rs.edition,
        ).get(lang)
    report: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "detail": "full",
        "tool": {"name": "medequip", "version": __version__},
        "date": date or report_date(),
        "source": profile.source,
        "profile_sha256": profile.sha256,
        "profile_ruleset_edition": profile.ruleset_edition,
        "institution": profile.name,
        "equipment": profile.equipment,
        "equipment_name": info.name.get(lang),
        "ruleset": {
            "id": rs.id,
            "title": rs.data.ruleset.title_zh if lang == "zh" else rs.data.ruleset.title_en,
            "edition": rs.edition,
            "sha256": rs.sha256,
            **_edition_fields(rs),
        },
        "edition_note": edition_note,
        "lang": lang,
        "status": ev.status,
        "status_label": OVERALL[ev.status].get(lang),
        "counts": dict(ev.counts),
        "rules": rules,
        "people": people,
        "checklist": _checklist(rs, ev, profile.answers, lang),
    }
    if profile.set_aside:  # only then: reports of profiles without any keep their shape
        report["set_aside"] = set_aside_claims(rs, profile.set_aside, profile.answers, lang)
    if profile.evidence:  # only then, as set_aside: reports of profiles without any keep their shape
        from .attached import annotate

        annotate(report["checklist"], profile, lang)
    return report


def _edition_fields(rs: Ruleset) -> dict[str, Any]:
    """Dates in force and the ruleset extended, only when the ruleset says them (so that
    reports under the bundled, undated rulesets keep their shape)."""
    m = rs.data.ruleset
    out: dict[str, Any] = {}
    if m.effective_from is not None:
        out["effective_from"] = m.effective_from.isoformat()
    if m.effective_until is not None:
        out["effective_until"] = m.effective_until.isoformat()
    if rs.base is not None:
        out["extends"] = {"id": rs.base[0], "edition": rs.base[1]}
    return out


def to_text(report: dict, lang: str) -> str:
    """Plain text for pipes and files: no colour, no alignment that CJK would break."""
    out = []
    title = tr("reports.report.medequip_assessment", lang)
    out.append(f"{title}{colon(lang)}{institution_name(report, lang)} — {report['equipment_name']}")
    out.append(f"{label('ruleset', lang)}{colon(lang)}{ruleset_line(report, lang)}")
    out.append(f"{label('date', lang)}{colon(lang)}{report['date']}")
    if report.get("edition_note"):
        out.append(f"! {report['edition_note']}")
    out.append(f"{label('overall', lang)}{colon(lang)}{report['status_label']} ({counts_line(report, lang)})")
    out.append("")
    for r in report["rules"]:
        level = "" if r["level"] == "required" else f" [{LEVEL['advisory'].get(lang)}]"
        out.append(f"[{r['status_label']}] {r['clause']} {r['id']}{level} {r['heading']}")
        out.append(f"    {r['reason']}")
        for s in r["advice"]:
            out.append(f"    {s}")
        if r.get("differs"):
            from ..core.rules.variant import difference_lines

            out += difference_lines(r["differs"], lang)
    if report["people"]:
        out.append("")
        out.append(tr("reports.report.staff_qualification", lang))
        for p in report["people"]:
            out.append(f"  - {p['name']} ({p['role_label']}){colon(lang)}{p['route']}")
            for lack in p["lacks"]:
                out.append(f"      {lack}")
    if report.get("set_aside"):
        out.append("")
        out.append(f"{label('set_aside', lang)}{colon(lang)}{label('set_aside_note', lang)}")
        for c in report["set_aside"]:
            out.append(f"  - {c['label']}{colon(lang)}{c['answer']}")
    return plain("\n".join(out) + "\n")


def to_markdown(report: dict, lang: str) -> str:
    from .checklist import checklist_markdown

    out = _markdown_head(report, lang)
    out += _markdown_summary(report, lang)
    out += ["", f"## {label('clauses', lang)}", ""]
    for r in report["rules"]:
        out += _markdown_clause(r, lang)
    out += _markdown_people(report, lang)
    out.append(checklist_markdown(report, lang, level=2))
    return "\n".join(out).rstrip("\n") + "\n"


def _markdown_head(report: dict, lang: str) -> list[str]:
    """The title, the table of who, what, under which ruleset and when, and the edition note."""
    L = lambda k: label(k, lang)  # noqa: E731
    out = [f"# {md(institution_name(report, lang))} · {md(report['equipment_name'])}", ""]
    out.append(f"| {L('institution')} | {md(institution_name(report, lang))} |")
    out.append("|---|---|")
    out.append(f"| {L('equipment')} | {md(report['equipment_name'])} (`{report['equipment']}`) |")
    out.append(f"| {L('ruleset')} | {md(ruleset_line(report, lang))} |")
    out.append(f"| {L('date')} | {md(report['date'])} |")
    out.append(f"| {L('profile')} | {md(report['source'])} (sha256 {report['profile_sha256'][:12]}) |")
    out.append(f"| {L('tool')} | medequip {md(report['tool']['version'])} |")
    out.append("")
    if report.get("edition_note"):
        out += [f"> **!** {md(report['edition_note'])}", ""]
    return out


def _level_note(r: dict, lang: str) -> str:
    return "" if r["level"] == "required" else f" ({label('level_advisory', lang)})"


def _markdown_summary(report: dict, lang: str) -> list[str]:
    """The overall verdict and one table row per clause."""
    L = lambda k: label(k, lang)  # noqa: E731
    out = [f"## {L('summary')}", ""]
    out.append(
        f"{L('overall')}{colon(lang)}**{md(report['status_label'])}** ({md(counts_line(report, lang))})"
    )
    out.append("")
    out.append(f"| {L('clause')} | {L('id')} | {L('status')} | {L('reason')} |")
    out.append("|---|---|---|---|")
    for r in report["rules"]:
        out.append(
            f"| {md(r['clause'])}{_level_note(r, lang)} | `{r['id']}` | {md(r['status_label'])} | {md(r['reason'])} |"
        )
    return out


def _markdown_clause(r: dict, lang: str) -> list[str]:
    """One clause: its text, status, reason, shortfall, advice, waivers, people, differences."""
    L, c = (lambda k: label(k, lang)), colon(lang)  # noqa: E731
    out = [f"### {md(r['clause'])} `{r['id']}` {md(r['heading'])}{_level_note(r, lang)}", ""]
    out += [f"> {md(r['text'])}", ""]
    out.append(f"- {L('status')}{c}**{md(r['status_label'])}**")
    out.append(f"- {L('reason')}{c}{md(r['reason'])}")
    out += [f"- {L('shortfall')}{c}{md(s)}" for s in r["shortfall"]]
    out += [f"- {L('advice')}{c}{md(a)}" for a in r["advice"]]
    out += [
        f"- {L('waived_by')}{c}{md(w['clause'])} `{w['exemption']}` {md(w['label'])}" for w in r["waived_by"]
    ]
    out += [
        f"- {md(p['name'])}{c}{md(STATUS[p['status']].get(lang))} — {md(p['reason'])}"
        for p in r.get("persons", [])
    ]
    if r.get("differs"):
        from ..core.rules.variant import difference_lines

        out += [f"- {md(line.strip())}" for line in difference_lines(r["differs"], lang, "")]
    out.append("")
    return out


def _markdown_people(report: dict, lang: str) -> list[str]:
    """The roster people (qualified or not, and how), then the answers set aside."""
    L = lambda k: label(k, lang)  # noqa: E731
    out: list[str] = []
    if report["people"]:
        out += [f"## {L('people')}", ""]
        for p in report["people"]:
            out.append(f"- {md(p['name'])} ({md(p['role_label'])}){colon(lang)}{md(p['route'])}")
            out += [f"  - {md(lack)}" for lack in p["lacks"]]
        out.append("")
    if report.get("set_aside"):
        out += [f"## {L('set_aside')}", "", md(L("set_aside_note")), ""]
        out += [f"- {md(c['label'])}{colon(lang)}{md(c['answer'])}" for c in report["set_aside"]]
        out.append("")
    return out


STYLE = {
    "met": "green",
    "not_met": "bold red",
    "exempt": "cyan",
    "not_applicable": "dim",
    "unknown": "yellow",
}


def print_rich(report: dict, lang: str, console) -> None:
    """Coloured table for a terminal; user text is passed as Text so it is never markup."""
    from rich.table import Table
    from rich.text import Text

    name = report["institution"] or tr("reports.report.institution_name_not_given", lang)
    head = Text()
    head.append(name, style="bold")
    head.append(f" — {report['equipment_name']}")
    console.print(head)
    console.print(Text(f"{ruleset_line(report, lang)} · {report['date']}", style="dim"))
    if report.get("edition_note"):
        console.print(Text(report["edition_note"], style="yellow"))
    table = Table(show_lines=False, expand=True)
    table.add_column(tr("reports.report.clause", lang), no_wrap=True)
    table.add_column(tr("reports.report.status", lang), no_wrap=True)
    table.add_column(tr("reports.report.reason", lang), overflow="fold", ratio=1)
    for r in report["rules"]:
        clause = Text(f"{r['clause']}\n{r['id']}")
        status = Text(r["status_label"], style=STYLE[r["status"]])
        reason = Text(r["reason"])
        for a in r["advice"]:
            reason.append("\n" + a, style="italic")
        table.add_row(clause, status, reason)
    console.print(table)
    overall = Text(f"{tr('reports.report.overall', lang)}{colon(lang)}")
    overall.append(
        report["status_label"],
        style={"compliant": "bold green", "not_compliant": "bold red"}.get(report["status"], "bold yellow"),
    )
    overall.append(f"  ({counts_line(report, lang)})")
    console.print(overall)
    for p in report["people"]:
        line = Text(f"  {p['name']} ({p['role_label']}){colon(lang)}")
        line.append(
            p["route"], style="green" if p["qualified"] else "red" if p["qualified"] is False else "yellow"
        )
        console.print(line)
    if report.get("set_aside"):
        console.print(
            Text(f"{label('set_aside', lang)}{colon(lang)}{label('set_aside_note', lang)}", style="dim")
        )
        for c in report["set_aside"]:
            console.print(Text(f"  {c['label']}{colon(lang)}{c['answer']}", style="dim"))
