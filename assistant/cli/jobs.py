"""What a batch job is (:class:`Job`) and what the parent learns of each profile besides its
output (:class:`Meta`): plain records shared by the runner (``batch.py``), the sinks and the
per-profile functions of other commands (``editions.recheck_one``)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Job(NamedTuple):
    """What each profile of a batch becomes. ``kind``:

    ``verdicts``: only the verdicts (``--summary``, ``--quiet``): decided, nothing said, no report;
    ``report``: the full report as a dict (drawn on a terminal, or a checklist);
    ``json1``: one JSON object (a single file); ``json``: an element of a JSON array;
    ``jsonl``: one JSON line (``detail`` ``lean_no_words``: the lean result without its words, for
    CSV, XLSX and statistics); ``html``: a whole HTML document (a folder of reports);
    ``docx``: a whole Word document (a folder of them);
    ``article``: one report's part of an HTML document of several; ``markdown``, ``text``;
    ``recheck``: what moves between two editions (``check --against``, ``editions.py``).
    """

    kind: str
    detail: str = "lean"  # "lean" | "full" | "lean_no_words"
    lang: str = "en"
    ruleset: Path | None = None
    date: str | None = None  # the report's date (None: report_date()'s)
    as_of: object = None  # check --as-of: the day whose edition is in force
    against: str | None = None  # recheck: the old ruleset (a path, id or id@edition)


class Meta(NamedTuple):
    """What the parent needs about one profile besides its output."""

    source: str
    code: int
    error: str | None = None
    institution: str = ""
    equipment: str = ""  # the key; an HTML document's meta carries the equipment's name
    status: str = "error"
    counts: dict[str, int] = {}  # noqa: RUF012 - verdicts: the verdicts by status; never changed
    title: str = ""  # article: the document's title were this report alone in it
    warnings: tuple[str, ...] = ()  # accepted but said (document.Warning), for stderr
