"""The reviewer's marks on an application package: ``application.review.toml``.

One file per package: the package's SHA-256 (a review belongs to one package, byte for
byte), the reviewer's name, the date of the last mark, and per clause id a mark (``accept``
认可, ``reject`` 不认可, ``more`` 需补充) with an optional note::

    schema_version = 1
    package_sha256 = "…64 hex digits…"
    reviewer = "王审核"
    date = "2026-03-02"

    [marks."pet_ct/3.2"]
    mark = "reject"
    note = "证书未显示 10 年工作经历"

Marks are read as people type them (:func:`parse_mark`): 认可 / 不认可 / 需补充, 1 / 2 / 3
(full-width digits too), accept / reject / more. The file is saved whole and atomically
after every mark, so a review stopped at any moment resumes where it was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..text.errors import LocalizedError
from ..text.i18n import Msg, Words
from ..text.messages import as_msg, msg, word

SCHEMA_VERSION = 1
MARKS = ("accept", "reject", "more")
MARK_LABEL = Words(
    {
        "accept": "profile.review.mark_label.accept",
        "reject": "profile.review.mark_label.reject",
        "more": "profile.review.mark_label.more",
    }
)
# What a person may type for each mark: the Chinese words, the number shown beside it, the
# English word (and a few spellings people use). Compared after NFKC (full-width digits and
# letters become ASCII) and lower-casing.
_TYPED = {
    "accept": ("认可", "1", "accept", "accepted", "a", "ok", "yes", "同意", "通过"),
    "reject": ("不认可", "2", "reject", "rejected", "r", "no", "不同意", "不通过"),
    "more": ("需补充", "3", "more", "m", "more needed", "补充", "需要补充", "待补充"),
}
MAX_NOTE_CHARS = 2000
MAX_NAME_CHARS = 100
_RULE = re.compile(r"^[a-z_]+/\d+(\.\d+)*$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def parse_mark(text: str) -> str | None:
    """The mark a typed answer means, or None."""
    t = unicodedata.normalize("NFKC", text).strip().strip("。.!！").lower()
    for mark, words in _TYPED.items():
        if t in words:
            return mark
    return None


@dataclass
class Mark:
    mark: str
    note: str = ""


@dataclass
class Review:
    package_sha256: str
    reviewer: str = ""
    date: str = ""
    marks: dict[str, Mark] = field(default_factory=dict)


class ReviewError(LocalizedError):
    """A review file that cannot be used: the message names the file (and line, field)."""


def default_path(package: str) -> str:
    """``application.zip`` -> ``application.review.toml`` (beside it)."""
    base = package[:-4] if package.lower().endswith(".zip") else package
    return base + ".review.toml"


def _text(value: Any, limit: int) -> str | None:
    from ..text.sanitize import first_unsafe

    if not isinstance(value, str) or len(value) > limit or first_unsafe(value.replace("\n", " ")):
        return None
    return value


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    return None


def loads(raw: bytes, source: str) -> Review:
    """Parse and check a review file; ReviewError naming ``source``, the line and the field."""
    import tomllib

    def fail(field_: str, message: Msg, needle: str | None = None) -> ReviewError:
        line = _line_of(text, needle) if needle else None
        where = f"{source}:{line}: " if line else f"{source}: "
        return ReviewError(as_msg(where) + msg("profile.review.field", field=field_) + message)

    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        text = ""
        raise fail("review", msg("review.not_utf8")) from None
    except tomllib.TOMLDecodeError as e:
        raise ReviewError(as_msg(f"{source}: ") + msg("review.not_toml", reason=str(e))) from None
    if data.get("schema_version") != SCHEMA_VERSION:
        raise fail("schema_version", msg("review.schema_version", want=SCHEMA_VERSION), "schema_version")
    sha = data.get("package_sha256")
    if not isinstance(sha, str) or not _HEX64.match(sha):
        raise fail("package_sha256", msg("review.sha"), "package_sha256")
    reviewer = _text(data.get("reviewer", ""), MAX_NAME_CHARS)
    if reviewer is None:
        raise fail("reviewer", msg("review.text", limit=MAX_NAME_CHARS), "reviewer")
    date = data.get("date", "")
    date = date.isoformat() if hasattr(date, "isoformat") else date
    if not isinstance(date, str):
        raise fail("date", msg("review.date"), "date")
    review = Review(sha, reviewer, date)
    marks = data.get("marks", {})
    if not isinstance(marks, dict):
        raise fail("marks", msg("review.marks"), "marks")
    for rule, entry in marks.items():
        review.marks[rule] = _mark(rule, entry, fail)
    unknown = sorted(set(data) - {"schema_version", "package_sha256", "reviewer", "date", "marks"})
    if unknown:
        raise fail(unknown[0], msg("review.unknown_key"), unknown[0])
    return review


def _mark(rule: str, entry: Any, fail) -> Mark:
    where = f"marks.{rule}"
    if not _RULE.match(rule):
        raise fail(where, msg("review.rule_form"), rule)
    if not isinstance(entry, dict):
        raise fail(where, msg("review.mark_table"), rule)
    mark = entry.get("mark")
    parsed = parse_mark(mark) if isinstance(mark, str) else None
    if parsed is None:
        raise fail(where + ".mark", msg("review.mark", marks=", ".join(MARKS)), rule)
    note = _text(entry.get("note", ""), MAX_NOTE_CHARS)
    if note is None:
        raise fail(where + ".note", msg("review.text", limit=MAX_NOTE_CHARS), rule)
    extra = sorted(set(entry) - {"mark", "note"})
    if extra:
        raise fail(f"{where}.{extra[0]}", msg("review.unknown_key"), rule)
    return Mark(parsed, note)


def check_rules(review: Review, known: dict, source: str) -> None:
    """Every marked clause is one of the package's clauses."""
    for rule in review.marks:
        if rule not in known:
            raise ReviewError(as_msg(f"{source}: ") + msg("review.unknown_rule", rule=rule))


def dumps(review: Review, lang: str = "en") -> str:
    import tomli_w

    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "package_sha256": review.package_sha256,
        "reviewer": review.reviewer,
        "date": review.date,
    }
    if review.marks:
        data["marks"] = {
            rule: ({"mark": m.mark, "note": m.note} if m.note else {"mark": m.mark})
            for rule, m in review.marks.items()
        }
    return word("profile.review.header", lang) + tomli_w.dumps(data)


def save(path: str, review: Review, lang: str = "en") -> None:
    """Replace ``path`` with ``review``, whole or not at all (OSError when it cannot)."""
    from ..io import atomic

    atomic.write_bytes(path, dumps(review, lang).encode("utf-8"))
