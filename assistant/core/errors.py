"""Errors every layer may raise. They live at the bottom so that no lower module imports a
front end to report a problem: the CLI and the TUI catch them and choose the exit code
(``exitcodes``) and the wording."""


class UsageError(Exception):
    """A bad invocation or an unusable argument; the message says what was expected."""
