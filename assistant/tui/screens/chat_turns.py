"""The chat's conversation list and status line: turns mounted in batches, the oldest folded
into text once there are many (see widgets/earlier.py), and the header, tally and clause list
refreshed after every change. A mixin of ``ChatScreen``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...interview.review import estimate
from ..strings import t
from ..widgets.bubbles import Bubble
from ..widgets.choices import ListRoom
from ..widgets.clauses import ClauseList
from ..widgets.earlier import BLOCK, LIVE, EarlierTurns, fold
from ..widgets.status import clip, tally_text
from ..widgets.topbar import TopBar
from ..wrap import Wrapped


class ChatTurns:
    session: Any
    lang: str
    app: Any
    step: Any
    _pending: list[Static]
    _turns: list[Bubble | None]
    _shown_tally: Text | None

    _parts: dict[tuple, Any]
    query_one: Any

    chat_last_user: Bubble | None = None

    def part(self, selector: Any, expect_type: Any = None) -> Any:
        """One of the screen's own widgets, found once: they are composed once and never
        replaced, and each search walks every turn in the chat (a dozen searches a turn)."""
        key = (selector, expect_type)
        found = self._parts.get(key)
        if found is None:
            found = self._parts[key] = self.query_one(selector, expect_type)
        return found

    def chat_mount(self, widget: Static) -> None:
        """Queue a turn; the turns of one exchange are mounted together, in one layout pass
        (with a long conversation, each pass is what costs)."""
        if not self._pending:
            self.call_later(self.flush_chat)
        self._pending.append(widget)

    def flush_chat(self) -> None:
        if self._pending:
            widgets, self._pending = self._pending, []
            chat = self.part("#chat", VerticalScroll)
            # Folding in the same pass as mounting the new turns: one layout for both.
            self.fold_earlier()
            chat.mount_all(widgets, before=self.part(ListRoom))

    _fold_pending = False

    def fold_earlier(self) -> None:
        """Replace the oldest bubbles with one block of text (see widgets/earlier.py)."""
        self._fold_pending = False
        chat = self.part("#chat", VerticalScroll)
        bubbles = [w for w in chat.children if isinstance(w, Bubble)]
        if len(bubbles) <= LIVE + BLOCK:
            return
        old = bubbles[:BLOCK]
        block = EarlierTurns(fold(old, t(self.lang, "you")))
        with self.app.batch_update():
            chat.mount(block, before=old[0])
            chat.remove_children(old)
        # Back can no longer strike a folded bubble through: let the removed widgets go
        # rather than keeping each one (and its rendered lines) alive for the whole session.
        folded = {id(b) for b in old}
        self._turns[:] = [None if b is not None and id(b) in folded else b for b in self._turns]
        if self.chat_last_user is not None and id(self.chat_last_user) in folded:
            self.chat_last_user = None

    def refresh_status(self) -> None:
        """Header progress, tally and clause list, after every change."""
        assert self.session is not None
        iv, lang = self.session.iv, self.lang
        done, _ = iv.progress()
        left, more = estimate(iv)
        name = iv.answers.get("institution.name")
        progress = (
            t(lang, "progress_short_more" if more else "progress_short", done=done, left=left)
            if self.step is not None
            else t(lang, "progress_done", done=done)
        )
        self.part(TopBar).show(self.app.title, f"{clip(name, 24)} · {progress}" if name else progress)
        ev = iv.ev
        tally = tally_text(ev, lang)
        if tally != self._shown_tally:  # repainting costs more than comparing
            self._shown_tally = tally
            self.part("#tally", Static).update(Wrapped(tally), layout=False)  # always 3 lines
        self.part("#clauses", ClauseList).show(ev.results, lang)
