"""The evidence checklist: the documents a reviewer will ask for, clause by clause.

Built from the report dict (``report.build`` puts it under ``"checklist"``): every rule that
applies and is not waived, with its evidence and what the profile already claims for the
facts it reads, then the exemption grounds the verdicts rely on, which need proving too.
"""

from __future__ import annotations

from itertools import groupby

from ..core.text.i18n import Words
from ..core.text.messages import word

TEXT = Words(
    {
        "title": "reports.checklist.text.title",
        "intro": "reports.checklist.text.intro",
        "claims": "reports.checklist.text.claims",
        "none": "reports.checklist.text.none",
        "unanswered": "reports.checklist.text.unanswered",
        "exemptions": "reports.checklist.text.exemptions",
        "waives": "reports.checklist.text.waives",
        "empty": "reports.checklist.text.empty",
    }
)


CHECKLIST_VERSION = 1


def checklist_json(report: dict) -> dict:
    """``checklist --format json`` (schema ``reports/schemas/checklist.schema.json``): the
    report's checklist with the fields that say whose it is."""
    keep = ("tool", "date", "source", "institution", "equipment", "equipment_name", "ruleset", "edition_note")
    head = {k: report[k] for k in keep}
    return {
        "checklist_version": CHECKLIST_VERSION,
        **head,
        "lang": report["lang"],
        "status": report["status"],
        "status_label": report["status_label"],
        "items": report["checklist"],
    }


def t(key: str, lang: str) -> str:
    return TEXT[key].get(lang)


def claim_text(c: dict, lang: str) -> str:
    return f"{c['label']}{word('punct.colon', lang)}{c['answer'] if c['answer'] is not None else t('unanswered', lang)}"


def groups(report: dict, lang: str) -> list[tuple[str, list[dict]]]:
    """Checklist items grouped by section heading, exemption grounds last."""
    items = report["checklist"]
    rules = [i for i in items if i["kind"] == "rule"]
    out = [(heading, list(group)) for heading, group in groupby(rules, key=lambda i: i["heading"])]
    grounds = [i for i in items if i["kind"] == "exemption"]
    if grounds:
        out.append((t("exemptions", lang), grounds))
    return out


def item_title(item: dict, lang: str) -> str:
    if item["kind"] == "exemption":
        return f"{item['clause']} {item['id']} · {item['ground_label']} ({t('waives', lang)} {', '.join(item['waives'])})"
    return f"{item['clause']} {item['id']} [{item['status_label']}]"


def checklist_text(report: dict, lang: str) -> str:
    from .labels import colon, institution_name, label, plain, ruleset_line

    out = [f"{t('title', lang)}{colon(lang)}{institution_name(report, lang)} — {report['equipment_name']}"]
    out.append(f"{label('ruleset', lang)}{colon(lang)}{ruleset_line(report, lang)}")
    out.append(f"{label('date', lang)}{colon(lang)}{report['date']}")
    if report.get("edition_note"):
        out.append(f"! {report['edition_note']}")
    out.append(t("intro", lang))
    if has_evidence(report):
        out.append(how(lang))
    found = groups(report, lang)
    if not found:
        out += ["", t("empty", lang)]
    for heading, items in found:
        out += ["", f"== {heading} =="]
        for item in items:
            out.append(item_title(item, lang))
            for doc in item["documents"]:
                out.append(f"  [ ] {doc}")
            if not item["documents"]:
                out.append(f"  {t('none', lang)}")
            if item["claims"]:
                out.append(f"  {t('claims', lang)}{colon(lang).rstrip()}")
                out += [f"    - {claim_text(c, lang)}" for c in item["claims"]]
            if "attached" in item:
                out += [f"  {x}" for x in attached_lines(item, lang)]
    return plain("\n".join(out) + "\n")


def has_evidence(report: dict) -> bool:
    """Whether the profile has evidence attached (then every item says attached or not)."""
    return any("attached" in i for i in report.get("checklist", ()))


def how(lang: str) -> str:
    from .attached import TEXT

    return TEXT["how"].get(lang)


def attached_lines(item: dict, lang: str) -> list[str]:
    """The files attached to an item and its state (see ``attached.py``)."""
    from .attached import file_line, heading

    a = item["attached"]
    return [heading(item, lang)] + [f"  - {file_line(f, lang)}" for f in a["files"]]


def checklist_markdown(report: dict, lang: str, level: int = 1) -> str:
    """Markdown; ``level`` is the heading level of the checklist title (2 inside a report)."""
    from .labels import colon, institution_name, label, md, ruleset_line

    h = "#" * level
    out = []
    if level == 1:
        out += [
            f"# {md(t('title', lang))}{colon(lang)}{md(institution_name(report, lang))} · {md(report['equipment_name'])}",
            "",
        ]
        out.append(f"- {label('ruleset', lang)}{colon(lang)}{md(ruleset_line(report, lang))}")
        out.append(f"- {label('date', lang)}{colon(lang)}{md(report['date'])}")
        if report.get("edition_note"):
            out.append(f"- **!** {md(report['edition_note'])}")
        out.append("")
    else:
        out += [f"{h} {md(t('title', lang))}", ""]
    out += [md(t("intro", lang)), ""]
    if has_evidence(report):
        out += [md(how(lang)), ""]
    found = groups(report, lang)
    if not found:
        out += [md(t("empty", lang)), ""]
    for heading, items in found:
        out += [f"{h}# {md(heading)}", ""]
        for item in items:
            out.append(f"**{md(item_title(item, lang))}**")
            out.append("")
            for doc in item["documents"]:
                out.append(f"- [ ] {md(doc)}")
            if not item["documents"]:
                out.append(f"- {md(t('none', lang))}")
            if item["claims"]:
                out.append(f"- {md(t('claims', lang))}{colon(lang).rstrip()}")
                out += [f"  - {md(claim_text(c, lang))}" for c in item["claims"]]
            if "attached" in item:
                first, *rest = attached_lines(item, lang)
                out.append(f"- {md(first)}")
                out += [f"  - {md(x.strip().removeprefix('- '))}" for x in rest]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
