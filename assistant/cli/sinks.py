"""One sink per batch format: what the parent does with each block of outputs the pool sends
back, in input order, and what it writes once the batch is done. Every byte goes to the
command's :class:`~assistant.cli.output.Output` (standard output, or the ``-o`` file replaced
atomically); the folder of HTML reports writes each file through the same atomic writer."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.text.messages import msg, tr
from .batch import Job, Meta
from .output import Output


class Sink:
    """Takes blocks as they come (``add``) and ends the output (``finish``)."""

    def __init__(self, out: Output):
        self.out = out

    def add(self, outputs: list, metas: list[Meta]) -> None:
        pass

    def finish(self) -> None:
        pass


class Nothing(Sink):
    """``--quiet``: the exit code says it all."""


class JsonArray(Sink):
    """A JSON array, written element by element: memory stays flat however many profiles."""

    first = True

    def add(self, outputs, metas) -> None:
        self.out.write((b"[\n" if self.first else b",\n") + b",\n".join(outputs))
        self.first = False

    def finish(self) -> None:
        self.out.write(b"[]\n" if self.first else b"\n]\n")


class Concatenated(Sink):
    """JSON Lines: each output as it is."""

    def add(self, outputs, metas) -> None:
        self.out.write(b"".join(outputs))


class Joined(Sink):
    """Reports one after the other with ``sep`` between them (Markdown, plain text, the one
    JSON object of a single file); an unreadable profile adds nothing, and a batch with no
    report writes nothing (no empty file)."""

    def __init__(self, out: Output, sep: bytes):
        super().__init__(out)
        self.sep, self.first = sep, True

    def add(self, outputs, metas) -> None:
        parts = [o for o in outputs if o]
        if not parts:
            return
        self.out.write((b"" if self.first else self.sep) + self.sep.join(parts))
        self.first = False


class HtmlDocument(Sink):
    """One HTML document of every report: its title needs the count, so the articles (made
    by the workers) are kept until the end."""

    def __init__(self, out: Output, lang: str):
        super().__init__(out)
        self.lang, self.articles, self.title = lang, [], ""

    def add(self, outputs, metas) -> None:
        for a, m in zip(outputs, metas, strict=True):
            if a:
                self.articles.append(a)
                self.title = self.title or m.title

    def finish(self) -> None:
        if self.articles:
            from ..reports.html import assemble

            self.out.write(assemble(self.articles, self.title, self.lang))


class DocxDocument(Sink):
    """One Word document of every report (each from a new page): made once all are in."""

    def __init__(self, out: Output, lang: str):
        super().__init__(out)
        self.lang, self.reports = lang, []

    def add(self, outputs, metas) -> None:
        self.reports += [r for r in outputs if r]

    def finish(self) -> None:
        if self.reports:
            from ..reports.docx import report_docx

            self.out.write(report_docx(self.reports, self.lang))


class Terminal(Sink):
    """Reports drawn for a person at a terminal (Rich, in colour, to the width)."""

    def __init__(self, out: Output, lang: str):
        super().__init__(out)
        self.lang, self.console, self.first = lang, None, True

    def add(self, outputs, metas) -> None:
        from ..reports import report as rep

        for r in outputs:
            if not r:
                continue
            if self.console is None:
                from rich.console import Console

                # sys.stdout is the run's sink: Rich's writes take the one way out too.
                self.console = Console(highlight=False)
            if not self.first:
                self.console.print()
            self.first = False
            rep.print_rich(r, self.lang, self.console)


class Summary(Sink):
    """``--summary``: one tab-separated line per profile, then the totals."""

    def __init__(self, out: Output, lang: str):
        super().__init__(out)
        self.lang, self.metas = lang, []

    def add(self, outputs, metas) -> None:
        self.metas += metas

    def finish(self) -> None:
        self.out.write(summary_text(self.metas, self.lang))


def summary_text(metas: list[Meta], lang: str) -> str:
    """One tab-separated line per profile, then the totals. Every cell from outside (a file
    name, an institution, an error quoting either) is escaped: a tab or a newline in it
    cannot make a cell or a row of its own, nor an escape sequence reach the terminal."""
    from ..core.text.i18n import OVERALL
    from ..core.text.sanitize import escape

    lines = []
    totals = {"compliant": 0, "not_compliant": 0, "incomplete": 0, "error": 0}
    for m in metas:
        if m.error is not None:
            totals["error"] += 1
            lines.append(f"{escape(m.source)}\t{tr('cli.sinks.error', lang)}\t{escape(m.error)}")
            continue
        totals[m.status] += 1
        c = m.counts
        name = escape(m.institution or "-")
        counts = tr("cli.sinks.not_met_open", lang, c_not_met=c["not_met"], c_unknown=c["unknown"])
        lines.append(f"{escape(m.source)}\t{name}\t{m.equipment}\t{OVERALL[m.status].get(lang)}\t{counts}")
    t = totals
    lines.append(
        tr(
            "cli.sinks.total",
            lang,
            n=len(metas),
            compliant=t["compliant"],
            not_compliant=t["not_compliant"],
            incomplete=t["incomplete"],
            error=t["error"],
        )
    )
    return "\n".join(lines) + "\n"


class Table(Sink):
    """CSV, XLSX and statistics: lean results folded into one compact batch (see
    ``reports/table.py``), rendered once every profile is in."""

    def __init__(self, out: Output, fmt: str, lang: str, ruleset: Path | None, stats: bool = False):
        super().__init__(out)
        from ..reports.table import Batch

        self.fmt, self.lang, self.ruleset, self.stats = fmt, lang, ruleset, stats
        self.batch = Batch()

    def add(self, outputs, metas) -> None:
        import orjson

        add = self.batch.add
        for data in outputs:
            add(orjson.loads(data))

    def finish(self) -> None:
        from ..reports.table import Catalogue, statistics

        cat = Catalogue.for_equipment(self.batch.present, self.lang, self.ruleset)
        if self.stats:
            from ..reports.stats import render

            self.out.write(render(statistics(self.batch, cat), self.fmt, self.lang).encode("utf-8"))
        elif self.fmt == "csv":
            from ..reports.csv import batch_csv

            # bytes, so that no text layer can turn the CRLF line ends into anything else
            self.out.write(batch_csv(self.batch, cat).encode("utf-8"))
        else:
            from ..reports.xlsx import to_xlsx

            self.out.write(to_xlsx(self.batch, cat, statistics(self.batch, cat)))


class HtmlFolder(Sink):
    """``check DIR --format html -o OUTDIR/`` (or ``--format docx``, ``ext`` ``.docx``): one
    report per profile in OUTDIR and an ``index.html`` linking them. OUTDIR may exist already: each of these files is replaced atomically, and
    nothing else in the folder is touched. The folder is held open while it is written (and
    opened without following a link), so every file lands in it and nowhere else: a link
    standing where a report goes is replaced, not written through."""

    def __init__(self, outdir: str, sources: list[str], lang: str, ext: str = ".html", guard=None):
        super().__init__(Output(None))
        self.guard = guard
        from ..core.io.atomic import name_max
        from ..reports.index import report_names

        self.outdir, self.lang = outdir, lang
        self.entries: list = []
        self.dir_fd = _open_folder(outdir)
        self.names = iter(report_names(sources, name_max(outdir), ext))

    def add(self, outputs, metas) -> None:
        from ..reports.index import Entry

        for data, m in zip(outputs, metas, strict=True):
            name = next(self.names)
            if m.error:
                self.entries.append(Entry(m.source, "error", error=m.error))
                continue
            self._write(name, data)
            self.entries.append(Entry(m.source, m.status, m.institution, m.equipment, name))

    def finish(self) -> None:
        from .. import __version__
        from ..reports.index import index_html

        self._write("index.html", index_html(self.entries, self.lang, __version__).encode("utf-8"))

    def close(self) -> None:
        if self.dir_fd is not None:
            os.close(self.dir_fd)
            self.dir_fd = None

    def _write(self, name: str, data: bytes) -> None:
        from ..core.io.atomic import replacing
        from . import output

        path = os.path.join(self.outdir, name)
        dfd = self.dir_fd
        inputs = self.guard or output.NO_INPUTS

        def guard(target) -> None:
            inputs.check(path, dir_fd=dfd)

        try:
            with replacing(path, follow=False, dir_fd=dfd, before_commit=guard) as f:
                f.write(data)
        except OSError as e:
            raise output.write_failed(path, e) from None


def _open_folder(outdir: str) -> int | None:
    """Create OUTDIR if needed and open it for writing files into, refusing a link; None
    where the platform cannot write relative to an open folder (each file is then written
    by its path, replacing rather than following a link in its place)."""
    from ..core.text.errors import UsageError
    from ..core.text.sanitize import escape
    from .output import write_failed

    bare = outdir.rstrip("/" + os.sep) or outdir  # a trailing slash would follow a link
    if os.path.islink(bare):
        raise UsageError(msg("cli.output_dir_link", path=escape(outdir)))
    if os.path.lexists(bare) and not os.path.isdir(bare):
        raise UsageError(msg("cli.output_not_dir", path=escape(outdir)))
    try:
        os.makedirs(outdir, exist_ok=True)
    except OSError as e:
        raise write_failed(outdir, e) from None
    if not (
        os.open in os.supports_dir_fd and os.replace in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
    ):
        return None
    try:
        return os.open(
            bare, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError as e:
        import errno

        if e.errno == errno.ELOOP:  # swapped for a link since
            raise UsageError(msg("cli.output_dir_link", path=escape(outdir))) from None
        raise write_failed(outdir, e) from None


def for_check(args, lang: str, job: Job, out: Output, sources: list[str], terminal: bool) -> Sink:
    """The sink of a ``check`` run's format."""
    if args.quiet:
        return Nothing(out)
    if args.summary:
        return Summary(out, lang)
    kind = job.kind
    if kind == "json":
        return JsonArray(out)
    if kind == "jsonl" and job.detail != "lean_no_words":
        return Concatenated(out)
    if kind == "json1":
        return Joined(out, b"")
    if kind == "markdown":
        return Joined(out, b"\n---\n\n")
    if kind == "text":
        return Joined(out, b"\n")
    if kind == "article":
        return HtmlDocument(out, lang)
    if kind == "report" and args.format == "docx":
        return DocxDocument(out, lang)
    if kind == "report" and terminal:
        return Terminal(out, lang)
    return Table(out, args.format, lang, args.ruleset)
