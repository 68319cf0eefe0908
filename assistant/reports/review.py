"""The final verdict: a package's report with the reviewer's marks applied.

A clause the reviewer rejected (不认可) is ``not_met`` with the reviewer's note as its reason,
one that needs more (需补充) is open (``unknown``), an accepted one (认可) keeps its verdict;
the overall verdict and the counts follow as the evaluator decides them (a required clause
not met: not compliant; else one open: incomplete). Each marked clause keeps the applicant's
view beside the reviewer's (``applicant``, ``review``), and the report says who reviewed it
(``reviewed``), so every format shows both."""

from __future__ import annotations

import copy
from typing import Any

from ..core.profile.review import MARK_LABEL, Review
from ..core.text.i18n import OVERALL, STATUS, Words
from ..core.text.messages import msg, tr, word

TEXT = Words(
    {
        "title": "reports.review.text.title",
        "by": "reports.review.text.by",
        "applicant": "reports.review.text.applicant",
        "reviewer": "reports.review.text.reviewer",
        "final": "reports.review.text.final",
        "none": "reports.review.text.none",
        "unmarked": "reports.review.text.unmarked",
    }
)

# What a mark makes of a clause's status (None: the applicant's verdict stands).
_STATUS_OF = {"accept": None, "reject": "not_met", "more": "unknown"}


def reviewable(report: dict) -> list[dict]:
    """The clauses a reviewer marks: every clause that applies (not ``not_applicable``)."""
    return [r for r in report["rules"] if r["status"] != "not_applicable"]


def apply(report: dict, review: Review | None, lang: str, package_sha256: str) -> dict[str, Any]:
    """A copy of ``report`` with ``review`` applied (None: not reviewed, the report as is,
    marked so)."""
    out = copy.deepcopy(report)
    out["applicant_status"] = report["status"]
    if review is None:
        out["reviewed"] = None
        return out
    out["reviewed"] = {
        "reviewer": review.reviewer,
        "date": review.date,
        "package_sha256": package_sha256,
        "marks": len(review.marks),
    }
    for r in out["rules"]:
        m = review.marks.get(r["id"])
        if m is None:
            continue
        r["applicant"] = {"status": r["status"], "status_label": r["status_label"], "reason": r["reason"]}
        r["review"] = {"mark": m.mark, "mark_label": MARK_LABEL[m.mark].get(lang), "note": m.note}
        status = _STATUS_OF[m.mark]
        if status is not None:
            r["status"] = status
            r["status_label"] = STATUS[status].get(lang)
            r["reason"] = m.note or msg(f"review.reason_{m.mark}").get(lang)
    _recount(out, lang)
    return out


def _recount(report: dict, lang: str) -> None:
    counts = {s: 0 for s in ("met", "not_met", "exempt", "not_applicable", "unknown")}
    for r in report["rules"]:
        counts[r["status"]] += 1
    required = [r for r in report["rules"] if r.get("level") == "required"]
    if any(r["status"] == "not_met" for r in required):
        overall = "not_compliant"
    elif any(r["status"] == "unknown" for r in required):
        overall = "incomplete"
    else:
        overall = "compliant"
    report["counts"] = counts
    report["status"] = overall
    report["status_label"] = OVERALL[overall].get(lang)


def section_lines(report: dict, lang: str) -> list[str]:
    """The review as lines of text: who, then each marked clause with both views."""
    t = {k: v.get(lang) for k, v in TEXT.items()}
    rv = report.get("reviewed")
    out = [t["title"]]
    if rv is None:
        out.append(msg("review.no_review").get(lang))
        return out
    out.append(
        t["by"].format(reviewer=rv["reviewer"] or "—", date=rv["date"] or "—", sha=rv["package_sha256"])
    )
    marked = [r for r in report["rules"] if "review" in r]
    if not marked:
        out.append(t["none"])
    colon = tr("reports.review.text", lang)
    for r in marked:
        a, v = r["applicant"], r["review"]
        line = (
            f"- {r['clause']} {r['id']}{colon}{t['applicant']} {a['status_label']} → "
            f"{t['reviewer']} {v['mark_label']} → {t['final']} {r['status_label']}"
        )
        if v["note"]:
            line += f" — {v['note']}"
        out.append(line)
    left = len(reviewable(report)) - len(marked)
    if left:
        out.append(t["unmarked"].format(n=left))
    return out


def applicant_overall(report: dict, lang: str) -> str:
    return OVERALL[report["applicant_status"]].get(lang)


def section_html(report: dict, lang: str) -> str:
    """The review as an HTML section: a table of the marked clauses with both views."""
    from html import escape as e

    t = {k: v.get(lang) for k, v in TEXT.items()}
    lines = section_lines(report, lang)
    rv = report.get("reviewed")
    out = [f'<section class="review">\n<h2>{e(t["title"])}</h2>', f"<p>{e(lines[1])}</p>"]
    marked = [r for r in report["rules"] if "review" in r]
    if rv is not None and marked:
        head = "".join(
            f"<th>{e(x)}</th>"
            for x in (
                "",
                "",
                t["applicant"],
                t["reviewer"],
                t["final"],
                word("reports.review.text_note", lang),
            )
        )
        out.append(f'<table class="counts"><thead><tr>{head}</tr></thead><tbody>')
        for r in marked:
            a, v = r["applicant"], r["review"]
            cells = (r["clause"], r["id"], a["status_label"], v["mark_label"], r["status_label"], v["note"])
            out.append("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
    out += [f"<p>{e(x)}</p>" for x in lines[2 + len(marked) :]]
    out.append("</section>")
    return "\n".join(out)


def summary_line(report: dict, lang: str) -> str:
    """``applicant: compliant → final: not compliant``."""
    t = {k: v.get(lang) for k, v in TEXT.items()}
    colon = tr("reports.review.text", lang)
    return f"{t['applicant']}{colon}{applicant_overall(report, lang)} → {t['final']}{colon}{report['status_label']}"


def to_text(report: dict, lang: str) -> str:
    from .report import to_text as base

    lines = section_lines(report, lang)
    return (
        base(report, lang).rstrip("\n")
        + "\n\n"
        + "\n".join([lines[0], summary_line(report, lang), *lines[1:]])
        + "\n"
    )


def to_markdown(report: dict, lang: str) -> str:
    from .labels import md
    from .report import to_markdown as base

    lines = section_lines(report, lang)
    body = [f"## {md(lines[0])}", "", md(summary_line(report, lang)), "", md(lines[1]), ""]
    body += [md(x) if x.startswith("- ") else md(x) for x in lines[2:]]
    return base(report, lang).rstrip("\n") + "\n\n" + "\n".join(body).rstrip("\n") + "\n"


def article(report: dict, lang: str) -> str:
    from html import escape as e

    from .html import article as base

    art = base(report, lang)
    extra = f'<p class="muted">{e(summary_line(report, lang))}</p>\n' + section_html(report, lang) + "\n"
    at = art.rfind("<footer>")
    return art[:at] + extra + art[at:]


def to_html(reports: list[dict], lang: str) -> str:
    from .html import assemble, title_of

    return assemble(
        [article(r, lang) for r in reports], title_of(reports[0], lang) if len(reports) == 1 else "", lang
    )


CSV_HEAD = (
    "package",
    "institution",
    "equipment",
    "clause",
    "rule",
    "applicant",
    "mark",
    "note",
    "final",
    "overall",
)


def rows(report: dict, package: str) -> list[tuple]:
    """One row per clause that applies: the applicant's verdict, the mark, the final one."""
    out = []
    for r in reviewable(report):
        a = r.get("applicant", {"status": r["status"]})
        v = r.get("review", {"mark": "", "note": ""})
        out.append(
            (
                package,
                report["institution"],
                report["equipment"],
                r["clause"],
                r["id"],
                a["status"],
                v["mark"],
                v["note"],
                r["status"],
                report["status"],
            )
        )
    return out


# --- statistics of reviewed packages (``medequip stats DIR --review-dir``) ------------------

STAT_KEYS = ("met", "not_met", "unknown", "exempt", "not_applicable", "accept", "reject", "more")
STAT_LABEL = Words(
    {
        **{k: f"status.{k}" for k in ("met", "not_met", "unknown", "exempt", "not_applicable")},
        **{k: f"profile.review.mark_label.{k}" for k in ("accept", "reject", "more")},
        "clause": "reports.review.stat_label.clause",
        "heading": "reports.review.stat_label.heading",
        "title": "reports.review.stat_label.title",
        "totals": "reports.review.stat_label.totals",
    }
)


def statistics(reports: list[dict]) -> dict[str, Any]:
    """Per clause: how many packages end met, not met, open, exempt, not applicable (the final
    verdicts), and how many the reviewers accepted, rejected, or asked more of."""
    clauses: dict[str, dict[str, Any]] = {}
    overall = {"compliant": 0, "not_compliant": 0, "incomplete": 0}
    for rep in reports:
        overall[rep["status"]] += 1
        for r in rep["rules"]:
            c = clauses.setdefault(
                r["id"],
                {
                    "id": r["id"],
                    "clause": r["clause"],
                    "heading": r["heading"],
                    **dict.fromkeys(STAT_KEYS, 0),
                },
            )
            c[r["status"]] += 1
            if "review" in r:
                c[r["review"]["mark"]] += 1
    return {
        "packages": len(reports),
        "reviewed": sum(1 for r in reports if r.get("reviewed")),
        **overall,
        "clauses": list(clauses.values()),
    }


def stats_render(stats: dict[str, Any], fmt: str, lang: str) -> str:
    import json

    if fmt == "json":
        return json.dumps(stats, ensure_ascii=False, indent=2) + "\n"
    heads = [STAT_LABEL[k].get(lang) for k in STAT_KEYS]
    rows = [
        [f"{c['id']} {c['clause']}", *(str(c[k]) for k in STAT_KEYS), c["heading"]] for c in stats["clauses"]
    ]
    first = [STAT_LABEL["clause"].get(lang), *heads, STAT_LABEL["heading"].get(lang)]
    totals = (
        STAT_LABEL["totals"]
        .get(lang)
        .format(
            n=stats["packages"],
            **{k: stats[k] for k in ("reviewed", "compliant", "not_compliant", "incomplete")},
        )
    )
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["rule", "clause", *STAT_KEYS, "heading"])
        for c in stats["clauses"]:
            w.writerow([c["id"], c["clause"], *(c[k] for k in STAT_KEYS), c["heading"]])
        return buf.getvalue()
    if fmt in ("markdown", "html"):
        from .labels import md

        out = [f"# {STAT_LABEL['title'].get(lang)}", "", md(totals), ""]
        out.append("| " + " | ".join(md(x) for x in first) + " |")
        out.append("|---|" + "---:|" * len(STAT_KEYS) + "---|")
        out += ["| " + " | ".join(md(x) for x in row) + " |" for row in rows]
        text = "\n".join(out) + "\n"
        return (
            text
            if fmt == "markdown"
            else _html_table(STAT_LABEL["title"].get(lang), totals, first, rows, lang)
        )
    from .labels import plain

    return plain("\n".join([totals, "", "\t".join(first), *("\t".join(r) for r in rows)]) + "\n")


def _html_table(title: str, totals: str, head: list[str], rows: list[list[str]], lang: str) -> str:
    from html import escape as e

    from .. import __version__
    from .html import document

    body = [f"<article>\n<h1>{e(title)}</h1>", f"<p>{e(totals)}</p>", '<table class="counts"><thead><tr>']
    body.append("".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>")
    body += ["<tr>" + "".join(f"<td>{e(x)}</td>" for x in row) + "</tr>" for row in rows]
    body.append("</tbody></table>\n</article>\n")
    return document(title, ["\n".join(body)], lang, __version__)
