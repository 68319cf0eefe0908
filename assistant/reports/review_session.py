"""One reviewer going through one package: the clauses in order, each with its requirement,
the applicant's facts and verdict and the evidence files, the marks made so far, and the
review file saved after every mark. The line mode (``cli/review.py``) and the chat screen
(``tui/screens/review.py``) are two faces of this one object, so they never differ.

Evidence is opened with the system's viewer (``open`` on macOS, ``os.startfile`` on Windows,
``xdg-open`` elsewhere) on a copy written to a private temporary folder, never waiting for
the viewer; where there is no viewer the copy's path is given instead."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any

from ..core.profile.review import Mark, Review, default_path, save
from ..core.text.errors import UsageError
from ..core.text.i18n import Words
from ..core.text.messages import msg
from ..core.text.sanitize import escape


@dataclass
class EvidenceFile:
    path: str  # as recorded in the profile
    entry: str  # its name in the package
    size: int
    present: bool


@dataclass
class Clause:
    rule: dict[str, Any]  # the report's clause (status, reason, text, claims, ...)
    evidence: list[EvidenceFile] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.rule["id"]


class ReviewSession:
    """Open with :meth:`open`; ``clauses`` in the report's order; :meth:`mark` saves."""

    def __init__(
        self, package: str, review_path: str, data: bytes, verified, report: dict, review: Review, lang: str
    ):
        self.package, self.review_path, self.lang = package, review_path, lang
        self.data, self.verified, self.report, self.review = data, verified, report, review
        self.clauses = _clauses(report, verified)
        self._tmp: str | None = None

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, package: str, review_path: str | None, lang: str, reviewer: str | None = None, ruleset=None
    ):
        """The session of ``package``: its review file (``review_path``, default beside the
        package) resumed when it exists. UsageError when the package cannot be read or
        re-evaluated, or the review file is another package's."""
        import json

        from ..core.rules.loader import RulesetError, load_path
        from .package import Unreadable, derived, sha256, verify

        raw = _read(package)
        extra = []
        if ruleset is not None:
            try:
                extra.append(load_path(ruleset))
            except RulesetError as e:
                raise UsageError(e) from None
        try:
            v = verify(raw, extra)
        except Unreadable as e:
            raise UsageError(msg("verify.package", path=escape(package), problem=e.msg)) from None
        if v.report is None:
            bad = next(f for f in v.findings if not f.ok)
            raise UsageError(
                msg("review.not_verified", package=escape(package), what=bad.what, problem=bad.text)
            )
        report = v.report
        if lang != v.manifest["lang"]:
            report = json.loads(
                derived(v.profile, v.ruleset, lang, v.manifest["date"], v.files)["report.json"]
            )
        sha = sha256(raw)
        path = review_path or default_path(package)
        review = load_review(path, package, sha, report, missing_ok=True) or Review(sha)
        if reviewer:
            review.reviewer = reviewer
        return cls(package, path, raw, v, report, review, lang)

    @property
    def mismatches(self) -> list:
        return [f for f in self.verified.findings if not f.ok]

    # --- marks ---------------------------------------------------------------------------------

    def mark_of(self, i: int) -> Mark | None:
        return self.review.marks.get(self.clauses[i].id)

    def first_unmarked(self) -> int:
        """Where to start (or resume): the first clause not marked, else the first."""
        for i, c in enumerate(self.clauses):
            if c.id not in self.review.marks:
                return i
        return 0

    def mark(self, i: int, mark: str, note: str = "") -> None:
        """Mark clause ``i`` and save the review at once (OSError when it cannot be saved:
        the mark is then not kept either)."""
        rule = self.clauses[i].id
        before = self.review.marks.get(rule)
        # A clause's marks keep the order of the clauses, whatever order they were made in.
        self.review.marks[rule] = Mark(mark, note)
        order = {c.id: n for n, c in enumerate(self.clauses)}
        self.review.marks = dict(sorted(self.review.marks.items(), key=lambda kv: order.get(kv[0], 1 << 30)))
        self.review.date = _today()
        try:
            save(self.review_path, self.review, self.lang)
        except OSError:
            if before is None:
                self.review.marks.pop(rule, None)
            else:
                self.review.marks[rule] = before
            raise

    def set_reviewer(self, name: str) -> None:
        self.review.reviewer = name
        self.review.date = self.review.date or _today()
        save(self.review_path, self.review, self.lang)

    def counts(self) -> dict[str, int]:
        out = {"accept": 0, "reject": 0, "more": 0, "unmarked": 0}
        for c in self.clauses:
            m = self.review.marks.get(c.id)
            out[m.mark if m else "unmarked"] += 1
        return out

    # --- evidence ------------------------------------------------------------------------------

    def open_evidence(self, f: EvidenceFile) -> tuple[bool, str]:
        """Open one evidence file with the system viewer, not waiting for it: (opened, the
        path of the copy). The copy is in a private folder removed when the session ends."""
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="medequip-review-")
        data = self.verified.files.get(f.entry)
        if data is None:
            return False, ""
        target = os.path.join(self._tmp, *f.entry.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(data)
        return _launch(target), target

    def close(self) -> None:
        """Nothing to undo: copies handed to a viewer stay in the temporary folder, since the
        viewer (started, not waited for) may open them only after the session has ended;
        the system's temporary clean-up removes them."""
        self._tmp = None


def _read(package: str) -> bytes:
    from ..core.io import safeio
    from .package import PACKAGE_LIMIT

    try:
        return safeio.read_limited(package, PACKAGE_LIMIT, "package")
    except safeio.Refused as e:
        problem = msg("evidence.no_file") if e.kind == "missing" else e.msg
        raise UsageError(msg("verify.package", path=escape(package), problem=problem)) from None


def load_review(path: str, package: str, sha: str, report: dict, missing_ok: bool = False) -> Review | None:
    """The review file ``path`` for the package ``package`` (SHA-256 ``sha``): UsageError when
    it cannot be read, is for another package, or marks a clause the package lacks; None when
    there is none yet and ``missing_ok`` (a review being resumed)."""
    from ..core.io import safeio
    from ..core.profile.review import ReviewError, check_rules, loads

    try:
        raw = safeio.read_limited(path, 4 * 1024 * 1024, "review")
    except safeio.Refused as e:
        if missing_ok and e.kind == "missing":
            return None
        raise UsageError(msg("evidence.cli_file", path=escape(path), problem=e.msg)) from None
    try:
        review = loads(raw, path)
        check_rules(review, {r["id"]: r for r in report["rules"]}, path)
    except ReviewError as e:
        raise UsageError(e) from None
    if review.package_sha256 != sha:
        raise UsageError(
            msg(
                "review.other_package",
                review=escape(path),
                theirs=review.package_sha256[:12],
                package=escape(package),
                ours=sha[:12],
            )
        )
    return review


def _clauses(report: dict, verified) -> list[Clause]:
    from .package import entry_name
    from .review import reviewable

    by_rule: dict[str, list[EvidenceFile]] = {}
    profile = verified.profile
    for e in profile.evidence if profile is not None else ():
        name = entry_name(e.path)
        by_rule.setdefault(e.rule, []).append(EvidenceFile(e.path, name, e.size, name in verified.files))
    return [Clause(r, by_rule.get(r["id"], [])) for r in reviewable(report)]


def _today() -> str:
    from .report import report_date

    return report_date()


def _launch(path: str) -> bool:
    """Hand ``path`` to the system viewer without waiting; False when there is none."""
    if sys.platform == "win32":
        try:
            os.startfile(path)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    exe = shutil.which(opener)
    if exe is None:
        return False
    try:
        subprocess.Popen(
            [exe, path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True


def size_text(n: int) -> str:
    from .attached import size_text as st

    return st(n, "en")


CLAUSE_WORDS = Words(
    {
        "requirement": "reports.review_session.clause_words.requirement",
        "verdict": "reports.review_session.clause_words.verdict",
        "facts": "reports.review_session.clause_words.facts",
        "evidence": "reports.review_session.clause_words.evidence",
        "no_evidence": "reports.review_session.clause_words.no_evidence",
        "absent": "reports.review_session.clause_words.absent",
        "mark": "reports.review_session.clause_words.mark",
        "none": "reports.review_session.clause_words.none",
    }
)


# --- what a typed line means (the line mode and the chat read it the same way) ----------------

# Navigation words, after NFKC and lower-casing (a full-width ｂ is b).
_WORDS = {
    "back": ("b", "back", "上一条", "上", "返回"),
    "next": ("", "n", "next", "下一条", "下", "跳过", "skip"),
    "quit": ("q", "quit", "exit", "退出", "结束"),
    "list": ("l", "list", "列表", "全部"),
    "help": ("?", "h", "help", "帮助"),
    "go": ("g", "go", "跳到", "转到"),
    "open": ("o", "open", "打开"),
}


def read_line(text: str) -> tuple[str, str]:
    """What a line typed at a clause asks for: ``("mark", MARK)``, ``("back" | "next" |
    "quit" | "list" | "help", "")``, ``("go" | "open", WHAT)``, or ``("unknown", text)``."""
    import unicodedata

    from ..core.profile.review import parse_mark

    mark = parse_mark(text)
    if mark is not None:
        return "mark", mark
    norm = unicodedata.normalize("NFKC", text).strip()
    head, _, rest = norm.partition(" ")
    head, rest = head.lower(), rest.strip()
    if not rest and head[:1].isalpha() and head[1:].isdigit():  # "o1", "g3" typed without a space
        head, rest = head[:1], head[1:]
    for kind, words in _WORDS.items():
        if head in words and (kind in ("go", "open") or not rest):
            return kind, rest
    return "unknown", text.strip()


def clause_index(session: ReviewSession, what: str) -> int | None:
    """The clause ``what`` names: its id, or its number in the list (from 1)."""
    ids = [c.id for c in session.clauses]
    if what in ids:
        return ids.index(what)
    if what.isdigit() and 1 <= int(what) <= len(ids):
        return int(what) - 1
    return None


def evidence_at(session: ReviewSession, i: int, what: str) -> EvidenceFile | None:
    """Evidence file number ``what`` (from 1) of clause ``i``, when it is in the package."""
    files = session.clauses[i].evidence
    if what.isdigit() and 1 <= int(what) <= len(files) and files[int(what) - 1].present:
        return files[int(what) - 1]
    return None


# What the review says, in the line mode and the chat alike.
WORDS = Words(
    {
        "head": "reports.review_session.words.head",
        "reviewer_q": "reports.review_session.words.reviewer_q",
        "note_q": "reports.review_session.words.note_q",
        "saved": "reports.review_session.words.saved",
        "help": "reports.review_session.words.help",
        "not_understood": "reports.review_session.words.not_understood",
        "no_such_clause": "reports.review_session.words.no_such_clause",
        "no_such_file": "reports.review_session.words.no_such_file",
        "opened": "reports.review_session.words.opened",
        "no_viewer": "reports.review_session.words.no_viewer",
        "summary": "reports.review_session.words.summary",
        "next_step": "reports.review_session.words.next_step",
        "mismatch": "reports.review_session.words.mismatch",
        "resumed": "reports.review_session.words.resumed",
        "placeholder": "reports.review_session.words.placeholder",
        "cannot_save": "reports.review_session.words.cannot_save",
    }
)
