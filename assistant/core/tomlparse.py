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
  ``=``, which tomli refuses (medequip writes none; a person may, and tomli reads it).

What rtoml is left to accept, it reads as tomli does: the same values, types and key order, but
for the class of an offset date-time's tzinfo, which no profile admits. tests/test_tomlparse.py
checks that on every TOML file of the project, on the edges above, and on mutated and generated
profiles.
"""

from __future__ import annotations

from tomli import TOMLDecodeError, load
from tomli import loads as _tomli_loads

__all__ = ["TOMLDecodeError", "load", "loads"]

try:
    from rtoml import loads as _fast_loads
except ImportError:  # pragma: no cover - a dependency; tomli alone reads everything the same
    _fast_loads = None


def loads(text: str) -> dict:
    """``tomli.loads(text)``, faster."""
    if _fast_loads is not None and "\r" not in text and "\ufeff" not in text and "{" not in text:
        try:
            return _fast_loads(text)
        except Exception:
            pass  # tomli says what is wrong, in its words
        except BaseException as e:  # a Rust panic arrives as a BaseException: tomli decides
            if type(e).__name__ != "PanicException":
                raise
    return _tomli_loads(text)
