"""Full garbage collections between turns, not in the middle of one.

Python's collector walks every tracked object of the process in a full (oldest-generation)
collection, and it starts one whenever enough young collections have passed: in a long
interview that is every ten turns or so, 60-130 ms each with Textual's caches and the ruleset
in the heap, and always in the middle of a turn (between Enter and the next question on
screen). So, once the chat is up:

- what exists then (modules, the ruleset, the app and its screens) is frozen out of every
  later collection, after one collection of its garbage (``gc.freeze``);
- young collections stay automatic, but start after ``YOUNG`` new objects rather than 700,
  so that a turn rarely holds one;
- full collections no longer start by themselves: right after the frame showing the next
  question, while the person reads it, ``after_turn`` runs one when one is due by the
  default rule, and a young one otherwise (a few milliseconds). ``when_idle`` is the fallback for long stays on other screens (the report),
  where no question is asked: it collects only when the collection is long overdue.

``stop`` restores the collector as it was (tests run many apps in one process).
"""

from __future__ import annotations

import gc

NEVER = 1 << 30  # a threshold no count reaches: the oldest generation is collected here only
YOUNG = 20_000  # young collections start after this many new objects: rarely inside a turn
OVERDUE = 5  # the fallback collects after this many times the usual interval


class IdleCollector:
    def __init__(self) -> None:
        self._thresholds: tuple[int, int, int] | None = None
        self._stopped = False  # a start queued before the app closed must not run after

    @property
    def active(self) -> bool:
        return self._thresholds is not None

    def start(self) -> None:
        if self._thresholds is not None or self._stopped:
            return
        self._thresholds = gc.get_threshold()
        gc.collect()
        gc.freeze()
        young, middle, _ = self._thresholds
        gc.set_threshold(max(young, YOUNG), middle, NEVER)

    def _due(self, factor: int) -> bool:
        # The oldest generation's count is the number of middle collections since the last
        # full one: the default rule collects once it passes the third threshold.
        return self._thresholds is not None and gc.get_count()[2] > factor * self._thresholds[2]

    def after_turn(self) -> None:
        if self._thresholds is None:
            return
        if self._due(1):
            gc.collect()
        else:
            gc.collect(1)  # a few milliseconds, here rather than in the next turn

    def when_idle(self) -> None:
        if self._due(OVERDUE):
            gc.collect()

    def stop(self) -> None:
        self._stopped = True
        if self._thresholds is None:
            return
        gc.set_threshold(*self._thresholds)
        self._thresholds = None
        gc.unfreeze()
