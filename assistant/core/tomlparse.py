"""TOML parsing for everything medequip reads.

``tomli`` is the project the standard library's ``tomllib`` was taken from: the same parser
and the same error messages, but its wheels are compiled with mypyc and parse a profile in
about a third of ``tomllib``'s time, which is most of what a batch of 10,000 profiles costs.
Since 2.4 it reads TOML 1.1 (as ``tomllib`` will from Python 3.15): a profile may use 1.1's
additions (an inline table over several lines, ``\\e``). tomlkit, which rewrites a profile in
place to keep a person's comments, reads them too; a file it could not keep is saved afresh, as
any such file always was (``profile_edit.rewrite``).
"""

from __future__ import annotations

from tomli import TOMLDecodeError, load, loads

__all__ = ["TOMLDecodeError", "load", "loads"]
