"""``--format csv``: the batch as a sheet Excel and WPS open with Chinese intact.

UTF-8 with a byte-order mark (without it Excel reads the bytes as the local code page) and
CRLF line ends, quoted by the ``csv`` module's rules. A cell that starts with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return, which some spreadsheets skip before looking) is
written with a leading apostrophe, so an institution named ``=HYPERLINK(...)`` is shown as
text and never evaluated as a formula (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = "" if value is None else str(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    return str(value)


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    """Rows (the first is the header) as CSV text, BOM first, CRLF line ends."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, lineterminator="\r\n")
    # Most cells are the same few words (a status, blank for another equipment's clause):
    # each distinct text is escaped once. 10,000 rows of 200 cells took a tenth of a batch.
    seen: dict[str, str] = {}
    for r in rows:
        out = []
        for v in r:
            if type(v) is str:
                c = seen.get(v)
                if c is None:
                    c = seen[v] = cell(v)
                out.append(c)
            else:
                out.append(cell(v))
        w.writerow(out)
    return buf.getvalue()


def batch_csv(batch, cat) -> str:
    """The batch sheet: a header, then one row per profile in input order."""
    from .table import header, rows

    return to_csv([header(cat), *rows(batch, cat)])
