"""``medequip check application.zip [--review application.review.toml]`` and
``medequip check DIR --review-dir REVIEWS``: the final verdict of application packages.

Each package is verified first (``reports/package.py``; one that does not verify is refused,
exit 2, naming the first mismatch), its profile evaluated under the ruleset edition it names,
and the reviewer's marks applied (``reports/review.py``). A review made for another package
(its ``package_sha256`` is not this zip's) is refused. In a folder every ``*.zip`` is a
package and ``REVIEWS/<name>.review.toml`` its review (none: not reviewed). Exit codes as
``check``: by the final verdict, the most severe of a batch."""

from __future__ import annotations

import os

from ..core.io import exitcodes
from ..core.text.errors import UsageError
from ..core.text.messages import msg
from ..core.text.sanitize import escape
from .output import Output, dump_json, err

FORMATS = ("text", "json", "markdown", "html", "csv", "xlsx")


def wanted(args) -> bool:
    """Whether ``check`` is given packages (a .zip, or --review / --review-dir)."""
    if getattr(args, "review", None) or getattr(args, "review_dir", None):
        return True
    return any(f.lower().endswith(".zip") for f in args.files)


def packages(items: list[str]) -> list[str]:
    out = []
    for item in items:
        if os.path.isdir(item):
            out += sorted(os.path.join(item, n) for n in os.listdir(item) if n.lower().endswith(".zip"))
        else:
            out.append(item)
    return out


def final_report(package: str, review_path: str | None, ruleset, lang: str) -> dict:
    """The reviewed report of one package (UsageError when it cannot be given)."""
    from ..reports.package import sha256
    from ..reports.review import apply
    from .verify import check_package

    data, v = check_package(package, ruleset)
    bad = next((f for f in v.findings if not f.ok), None)
    if bad is not None or v.report is None:
        what, problem = (bad.what, bad.text) if bad else ("report.json", msg("package.derived_differs"))
        raise UsageError(msg("review.not_verified", package=escape(package), what=what, problem=problem))
    sha = sha256(data)
    review = None
    if review_path is not None:
        from ..reports.review_session import load_review

        review = load_review(review_path, package, sha, v.report)
    report = v.report
    if lang != v.manifest["lang"]:  # the reader's language, not the package's
        import json

        from ..reports.package import derived

        report = json.loads(derived(v.profile, v.ruleset, lang, v.manifest["date"], v.files)["report.json"])
    out = apply(report, review, lang, sha)
    out["package"] = package
    return out


def _review_for(package: str, args) -> str | None:
    if args.review:
        return args.review
    if not args.review_dir:
        return None
    from ..core.profile.review import default_path

    path = os.path.join(args.review_dir, os.path.basename(default_path(package)))
    return path if os.path.exists(path) else None


def check_packages(args, lang: str) -> int:
    if args.format not in FORMATS or args.format == "jsonl":
        raise UsageError(msg("review.zip_format"))
    if args.format == "xlsx" and not args.output:
        raise UsageError(msg("cli.xlsx_output"))
    found = packages(args.files)
    if not found or any(not p.lower().endswith(".zip") for p in found):
        raise UsageError(msg("review.needs_package"))
    if args.review and len(found) > 1:
        raise UsageError(msg("review.one_package"))
    reports, codes = [], []
    for package in found:
        try:
            r = final_report(package, _review_for(package, args), args.ruleset, lang)
        except UsageError as e:
            if len(found) == 1:
                raise
            err(e, lang)
            codes.append(exitcodes.USAGE)
            continue
        reports.append(r)
        codes.append(exitcodes.BY_STATUS[r["status"]])
    if reports:
        _write(reports, args, lang)
    code = exitcodes.most_severe(codes)
    if getattr(args, "exit_zero", False) and code != exitcodes.USAGE:
        code = exitcodes.COMPLIANT
    return code


def _write(reports: list[dict], args, lang: str) -> None:
    from ..reports import review as rv

    fmt = args.format
    if fmt == "xlsx":
        data = _xlsx(reports)
    elif fmt == "csv":
        data = _csv(reports)
    elif fmt == "json":
        data = dump_json(reports[0] if len(reports) == 1 else reports)
    elif fmt == "html":
        data = rv.to_html(reports, lang)
    elif fmt == "markdown":
        data = "\n".join(rv.to_markdown(r, lang) for r in reports)
    else:
        data = "\n".join(rv.to_text(r, lang) for r in reports)
    with Output(args.output) as out:
        out.write(data)


def _csv(reports: list[dict]) -> str:
    import csv
    import io

    from ..reports.review import CSV_HEAD, rows

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEAD)
    for r in reports:
        w.writerows(rows(r, r["package"]))
    return buf.getvalue()


def _xlsx(reports: list[dict]) -> bytes:
    """One sheet, a row per clause of every package: the applicant's verdict, the
    reviewer's mark and note, the final verdict."""
    import io

    import xlsxwriter

    from ..reports.review import CSV_HEAD, rows

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("review")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, CSV_HEAD, bold)
    n = 1
    for r in reports:
        for row in rows(r, r["package"]):
            sheet.write_row(n, 0, row)
            n += 1
    sheet.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()


def cmd_stats(args, lang: str) -> int:
    """``medequip stats DIR --review-dir REVIEWS``: per-clause statistics of reviewed packages
    (final verdicts and the reviewers' marks). Exit 0, or 2 when a package could not be used
    (named on stderr; the others are still counted)."""
    from ..reports.review import statistics, stats_render

    found = packages(args.paths)
    if not found or any(not p.lower().endswith(".zip") for p in found):
        raise UsageError(msg("review.needs_package"))
    args.review = None
    reports, failed = [], False
    for package in found:
        try:
            reports.append(final_report(package, _review_for(package, args), args.ruleset, lang))
        except UsageError as e:
            err(e, lang)
            failed = True
    with Output(args.output) as out:
        out.write(stats_render(statistics(reports), args.format, lang))
    return exitcodes.USAGE if failed else exitcodes.COMPLIANT
