"""The ``medequip`` program: the command line, with the chat interview plugged in.

This is the one module above both front ends. ``cli`` and ``tui`` never import each other;
the CLI is handed a launcher for the TUI, which imports Textual only when it is called.
"""

from __future__ import annotations


def launch_tui(**kwargs) -> int:
    if "session" in kwargs:  # medequip review: the reviewer's chat
        from .tui.review_app import run_review_tui

        return run_review_tui(**kwargs)
    from .tui.app import run_tui

    return run_tui(**kwargs)


def _keep_ctrl_c() -> None:
    """Ctrl+C that lands while Python runs a callback it cannot raise from (seen: the import
    machinery's weakref callback for a module lock, on a cold start) is "ignored": printed as
    a traceback, and the run goes on. It is sent again instead, from another thread so that it
    arrives after the callback (raised from this hook, it would be ignored too)."""
    import _thread
    import sys

    default = sys.unraisablehook
    if getattr(default, "keeps_ctrl_c", False):
        return  # main() run again in one process (the tests): one hook is enough
    main_thread = _thread.get_ident()

    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            try:
                import signal  # builtin and loaded already: nothing is imported from disk here

                # A real signal to the main thread where threads can be signalled (it also ends
                # a wait: a read, a sleep); elsewhere (Windows) the interpreter's own interrupt.
                kill = getattr(signal, "pthread_kill", None)
                if kill is not None:
                    _thread.start_new_thread(kill, (main_thread, signal.SIGINT))
                else:
                    _thread.start_new_thread(_thread.interrupt_main, ())
                return
            except RuntimeError:  # the interpreter is shutting down: nothing left to stop
                pass
        default(unraisable)

    hook.keeps_ctrl_c = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook


def main(argv: list[str] | None = None, ctx=None) -> int:
    """``medequip ARGV``; ``ctx``: the run's context (``cli/context.py``), the process's by
    default."""
    _keep_ctrl_c()
    try:
        from .cli.main import main as cli_main
    except KeyboardInterrupt:  # Ctrl+C while the program itself is still being imported
        import sys

        sys.stderr.write("medequip: interrupted\n")
        return 130
    return cli_main(argv, launch_tui=launch_tui, ctx=ctx)
