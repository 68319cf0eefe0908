"""The evidence attached to each checklist item: attached, missing or changed since attached,
with its files, in every format the checklist has (text, Markdown, HTML, JSON, Word).

``annotate`` adds ``attached`` to each item of a report's checklist, from the profile's
``[[evidence]]`` records and what their paths hold now (the profile's folder, or a package's
own files); the renderers below draw it."""

from __future__ import annotations

from typing import Any

from ..core.profile.evidence import ITEM_LABEL, STATE_LABEL, disk_lookup, item_state, profile_folder, state
from ..core.text.i18n import Words
from ..core.text.messages import word

TEXT = Words(
    {
        "evidence": "reports.attached.text.evidence",
        "how": "reports.attached.text.how",
    }
)


def annotate(items: list[dict], profile, lang: str) -> None:
    """Add ``attached`` to every checklist item: its state and its files (path, size, the
    SHA-256 recorded, the note, each file's own state)."""
    by_rule: dict[str, list] = {}
    for e in profile.evidence:
        by_rule.setdefault(e.rule, []).append(e)
    lookup = profile.evidence_lookup
    if lookup is None and profile.evidence:
        lookup = disk_lookup(profile_folder(profile.source))
    states: dict[str, str] = {}
    for item in items:
        files = []
        for e in by_rule.get(item["id"], ()):
            st = states.get(e.path)
            if st is None or st == "?":
                st = states[e.path] = state(e, lookup)
            files.append(
                {
                    "path": e.path,
                    "size": e.size,
                    "sha256": e.sha256,
                    "note": e.note,
                    "state": st,
                    "state_label": STATE_LABEL[st].get(lang),
                }
            )
        overall = item_state([f["state"] for f in files])
        item["attached"] = {"status": overall, "status_label": ITEM_LABEL[overall].get(lang), "files": files}


def size_text(n: int, lang: str) -> str:
    """A file's size as people read it: 980 B, 12.3 KB, 4.5 MB."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def file_line(f: dict[str, Any], lang: str) -> str:
    """``docs/cert.pdf (1.2 MB) · attached — note``."""
    line = f"{f['path']} ({size_text(f['size'], lang)}) · {f['state_label']}"
    if f.get("note"):
        line += f" — {f['note']}"
    return line


def heading(item: dict, lang: str) -> str:
    """``Attached: missing`` / ``已附文件：未附``."""
    a = item["attached"]
    return f"{TEXT['evidence'].get(lang)}{word('punct.colon', lang)}{a['status_label']}"


def evidence_schema(rs, equipment: str) -> dict[str, Any]:
    """The profile's ``[[evidence]]`` array, for ``medequip schema profile``: as tight as the
    loader, save for the one rule a schema cannot state (a clause and path appear once)."""
    from ..core.profile.evidence import (
        MAX_ENTRIES,
        MAX_FILE_BYTES,
        MAX_NOTE_CHARS,
        MAX_PATH_CHARS,
        known_clauses,
    )
    from ..core.text.sanitize import schema_class

    # A normalised relative path without lookaheads (they make drawing from the schema slow):
    # parts that are neither "." nor "..", any number of leading "../", no drive letter first.
    bad = "/\\\\" + schema_class()
    c = "[^" + bad + "]"
    part = "(?:[^." + bad + "]" + c + "{0,62}|\\.[^." + bad + "]" + c + "{0,61}|\\.\\." + c + "{1,61})"
    first = (
        "(?:[^A-Za-z." + bad + "]" + c + "{0,62}|[A-Za-z](?:[^:" + bad + "]" + c + "{0,61})?"
        "|\\.[^." + bad + "]" + c + "{0,61}|\\.\\." + c + "{1,61})"
    )
    path = "^(?:(?:\\.\\./)+" + part + "|" + first + ")(?:/" + part + ")*$"
    return {
        "type": "array",
        "maxItems": MAX_ENTRIES,
        "description": "Files attached per clause (medequip evidence add): never evaluated. A clause and path "
        "appear once (medequip refuses a second entry).",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["rule", "path", "size", "sha256"],
            "properties": {
                "rule": {
                    "enum": list(known_clauses(rs, equipment)),
                    "description": "A clause or exemption clause of this equipment.",
                },
                "path": {
                    "type": "string",
                    "maxLength": MAX_PATH_CHARS,
                    "pattern": path,
                    "description": "Relative to the profile's folder, / separated, normalised (may start with ../).",
                },
                "size": {"type": "integer", "minimum": 0, "maximum": MAX_FILE_BYTES},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "note": {
                    "type": "string",
                    "maxLength": MAX_NOTE_CHARS,
                    "pattern": "^[^" + schema_class() + "]*$",
                },
            },
        },
    }
