"""What every dialog shares: it is dismissed once.

Textual's ``Screen.dismiss`` pops whatever screen is on top. Keys already queued for a
dialog when it closes (a second Enter or Escape typed in a hurry) would dismiss it again,
and so close the screen under it, or fail when that is the last one."""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete


class DismissOnce:
    app: Any
    _dismissed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._dismissed or self.app.screen is not self:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)  # type: ignore[misc]
