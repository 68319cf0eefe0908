"""Errors every layer may raise. They live at the bottom so that no lower module imports a
front end to report a problem: the CLI and the TUI catch them and choose the exit code
(``exitcodes``) and the wording.

A message is a ``Msg`` from the catalogue (``core/text/messages.py``), both languages at once,
because the reader's language is known only where the error is shown; ``str()`` is the
English text (the library's contract), ``localized(lang)`` the reader's."""

from __future__ import annotations

from .i18n import Msg


class LocalizedError(Exception):
    """An exception whose message exists in zh and en (a plain str is taken as both)."""

    def __init__(self, message: str | Msg | BaseException = ""):
        if isinstance(message, BaseException):  # re-raised as another kind: keep both languages
            message = (
                getattr(message, "msg", None)
                if isinstance(getattr(message, "msg", None), Msg)
                else str(message)
            )
        self.msg = message if isinstance(message, Msg) else Msg(message, message)
        super().__init__(self.msg.en)

    def localized(self, lang: str) -> str:
        return self.msg.get(lang)


class BadValue(LocalizedError, ValueError):
    """A value given on the command line or in the environment that cannot be used."""


class UsageError(LocalizedError):
    """A bad invocation or an unusable argument; the message says what was expected."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: the run ends as cleanly as on Ctrl+C (temporary files
    removed, workers stopped) and exits 128 + the signal's number. A BaseException, like
    KeyboardInterrupt, so that no handler of ordinary errors swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
