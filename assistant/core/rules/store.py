"""The rulesets of one run and everything remembered about them.

A run (one command) reads its rulesets through one :class:`Store`: the files loaded (each
once, by file identity), the ``extends`` links found and the files parsed while finding
them, the day whose edition is in force (``check --as-of``) and the ``--ruleset`` files a
variant's base may be found among. Each loaded ruleset carries the evaluator's memos
(``memo.py``), so a store owns every memo of its run: a new store starts from nothing, and
two runs in one process (the tests, a long-lived caller) never see each other's state.

The store in use is a context variable, set for the length of a run (:func:`using`) rather
than written into module globals; outside any run (a library caller, the chat) one store
for the process is used. Forked batch workers inherit the parent's; a worker started
afresh (Windows) is handed what it needs by its job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not imported at start-up: --help loads this module too
    import datetime as dt
    from pathlib import Path


class Store:
    """One run's rulesets: ``as_of`` (None: today) and ``extra_files`` are its settings, the
    rest is what it has remembered."""

    def __init__(self, as_of: dt.date | None = None, extra_files: Iterable = ()):
        self.as_of = as_of
        self.extra_files: tuple[Path, ...] = ()
        if extra_files:
            from pathlib import Path

            self.extra_files = tuple(Path(f) for f in extra_files)
        self.loaded: dict[tuple, Any] = {}  # loader.load_path: file identity -> Ruleset
        self.known_base: dict[str, Path] = {}  # a chain being loaded: variant -> its base
        self.peeked: dict[tuple, tuple | None] = {}  # extends: file identity -> (id, edition, link)
        self.parsed: dict[str, dict] = {}  # extends: sha256 -> parsed data, until loaded
        self.bundled: tuple | None = None  # the shipped rulesets, once loaded
        self._tables: dict[str, dict] = {}

    def table(self, kind: str, limit: int = 64) -> dict:
        """A memo of what is worked out from the run's data by identity (the relations of a
        fact catalogue, a file's hash by its identity and change time): emptied when it
        holds ``limit`` entries, so a long run (the chat) never grows it without end."""
        t = self._tables.get(kind)
        if t is None or len(t) >= limit:
            t = self._tables[kind] = {}
        return t


_process = Store()
_current: ContextVar[Store] = ContextVar("medequip_ruleset_store")


def process_store() -> Store:
    """The store used outside any run."""
    return _process


def current() -> Store:
    """The store of the run in progress, else the process's."""
    return _current.get(_process)


@contextmanager
def using(store: Store) -> Iterator[Store]:
    """``store`` is the current one inside the block (and in what the block starts)."""
    token = _current.set(store)
    try:
        yield store
    finally:
        _current.reset(token)
