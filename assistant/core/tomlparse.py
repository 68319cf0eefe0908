"""TOML parsing for everything medequip reads.

``tomli`` is the project the standard library's ``tomllib`` was taken from: the same parser,
the same TOML 1.0 grammar and the same error messages, but its wheels are compiled with mypyc
and parse a profile about 1.8x faster, which is most of what a batch of 10,000 profiles
costs. It is held below 2.4, the first release that reads TOML 1.1: profiles are rewritten in
place with tomlkit and written with tomli-w, both TOML 1.0, and a file ``check`` accepts must
stay one ``edit`` can keep.
"""

from __future__ import annotations

from tomli import TOMLDecodeError, load, loads

__all__ = ["TOMLDecodeError", "load", "loads"]
