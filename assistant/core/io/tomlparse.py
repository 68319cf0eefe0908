"""TOML parsing for everything medequip reads.

``tomli`` is the parser of record: the project the standard library's ``tomllib`` was taken
from, with the same error messages (line and column), compiled with mypyc. Since 2.4 it reads
TOML 1.1 (as ``tomllib`` will from Python 3.15): a profile may use 1.1's additions (an inline
table over several lines, ``\\e``). tomlkit, which rewrites a profile in place to keep a
person's comments, reads them too; a file it could not keep is saved afresh, as any such file
always was (``profile_edit.rewrite``).

A document is first given to ``rtoml`` (the Rust ``toml`` crate), which parses a profile in
about a third of tomli's time: parsing was a fifth of what a batch of 10,000 profiles costs.
The two were run side by side on the 777 documents of toml-test (valid and invalid, TOML 1.0
and 1.1) and on a few hundred thousand mutated profiles and rulesets. Where they read a text
differently, it goes to tomli, which gives the document's meaning or the error the user sees:
- what rtoml refuses (it reads TOML 1.1 too, but for non-ASCII bare keys);
- a carriage return anywhere: in a multi-line string rtoml keeps ``\\r\\n`` where tomli
  reads ``\\n``;
- a byte-order mark anywhere: rtoml skips one that tomli refuses;
- a brace anywhere: rtoml reads an inline table with a line break between a key and its
  ``=``, which tomli refuses (medequip writes none; a person may, and tomli reads it);
- a table defined after one of its sub-tables (``[a.b]``, ``[c]``, ``[a]``): rtoml moves the
  table to where its header is, tomli keeps it where ``[a.b]`` first made it. Key order
  decides which problem of a profile is reported first (and so the line a message names), so
  such a text goes to tomli; so does a header with a quoted key, whose parts are not worth
  reading here (:func:`_tables_in_order`).

What rtoml is left to accept, it reads as tomli does: the same values, types and key order, but
for the class of an offset date-time's tzinfo, which no profile admits. tests/test_tomlparse.py
checks that on every TOML file of the project, on the edges above, and on mutated and generated
profiles.
"""

from __future__ import annotations

import re

__all__ = ["loads"]  # and, imported from tomli when first named: TOMLDecodeError, load


def __getattr__(name: str):
    # tomli is imported when it is needed (a text rtoml does not read, an error being caught),
    # not by every start-up: most runs parse with rtoml alone.
    if name in ("TOMLDecodeError", "load"):
        import tomli

        return getattr(tomli, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


try:
    from rtoml import loads as _fast_loads
except ImportError:  # pragma: no cover - a dependency; tomli alone reads everything the same
    _fast_loads = None


# A table header: at the start of a line, after spaces or tabs (TOML allows nothing else
# before one). Lines of a multi-line string or of an array that look like one are read too:
# that only sends a text to tomli that rtoml would have read the same.
_HEADER = re.compile(r"^[ \t]*\[\[?([^\]\n]*)", re.M)


def _tables_in_order(text: str) -> bool:
    """Whether no table header names a table one of whose sub-tables an earlier header named
    (``[a.b]`` … ``[a]``), nor holds a quote: then rtoml keeps tomli's key order."""
    if "[" not in text:
        return True
    below: set[tuple[str, ...]] = set()  # tables some earlier header named a sub-table of
    for m in _HEADER.finditer(text):
        name = m.group(1)
        if '"' in name or "'" in name:
            return False
        parts = tuple(p.strip(" \t") for p in name.split("."))
        if parts in below:
            return False
        below.update(parts[:i] for i in range(1, len(parts)))
    return True


def loads(text: str) -> dict:
    """``tomli.loads(text)``, faster."""
    if (
        _fast_loads is not None
        and "\r" not in text
        and "\ufeff" not in text
        and "{" not in text
        and _tables_in_order(text)
    ):
        try:
            return _fast_loads(text)
        except Exception:
            pass  # tomli says what is wrong, in its words
        except BaseException as e:  # a Rust panic arrives as a BaseException: tomli decides
            if type(e).__name__ != "PanicException":
                raise
    return _tomli_loads(text)


def _tomli_loads(text: str) -> dict:
    from tomli import loads

    return loads(text)
