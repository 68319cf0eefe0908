"""The chat interview: a Textual app over the pure interview engine.

The App owns the session (the interview and the profile it autosaves to), the keys that work
on every screen (save as, report, quit, Ctrl+C) and the signals; the conversation is
``screens/chat.py``, the report, clause and save-as dialogs are the other ``screens/``, and
the widgets they are built of are in ``widgets/``. Every answer is saved at once
(``Session.save``), so quitting, Ctrl+C, SIGTERM and SIGHUP all leave a profile holding
everything answered so far. ``make_app`` builds the app the same way for ``run_tui`` and for
the tests.
"""

from __future__ import annotations

import asyncio
import errno
import io
import os
import shlex
import signal
import sys
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen

from ..core.io import exitcodes
from ..core.io.safeio import OutputError
from ..core.text.errors import UsageError
from ..core.text.i18n import OVERALL
from ..core.text.messages import localized, msg, tr
from ..interview.engine import Step
from ..interview.session import Session, guard_output
from .collect import IdleCollector
from .palette import (
    HIGH_CONTRAST,
    Palette,
    ThemeCommands,
    high_contrast_theme,
    medequip_commands,
    textual_commands,
)
from .screens.chat import ChatScreen
from .screens.report import ReportScreen
from .screens.save_as import SaveScreen
from .strings import t
from .widgets.answer_input import Answering


class MedequipApp(App[int]):
    """The chat interview. ``session`` is None until the equipment is chosen."""

    CSS_PATH = "app.tcss"
    # Ctrl+P: medequip's commands (review, edit an answer, roster, report, save as, language,
    # theme) before Textual's own.
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+s", "save_as", "b_save"),
        Binding("ctrl+r", "report", "b_report"),
        Binding("ctrl+q", "quit", "b_quit", priority=True),
        # Ctrl+C quits too (saving first): people press it by reflex in a terminal.
        Binding("ctrl+c", "interrupt", show=False, priority=True),
    ]

    def __init__(
        self,
        session: Session | None,
        *,
        lang: str,
        output: str | None = None,
        ruleset: Path | None = None,
        given: dict | None = None,
        force: bool = False,
        handle_signals: bool = False,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.output = output
        self.ruleset = ruleset
        self.given = dict(given or {})
        self.force = force
        self.handle_signals = handle_signals
        self.cursor_blink = cursor_blink
        self.saved_path: str | None = None
        self.save_error: str | None = None
        self.finished = False
        self._signals: list[int] = []
        self.chat: ChatScreen | None = None
        self.collector = IdleCollector()  # full collections between turns (see collect.py)
        self.register_theme(high_contrast_theme())

    def get_system_commands(self, screen):  # type: ignore[override]
        # Textual's own commands (Keys, Maximize, Quit, Screenshot, Theme) are English
        # only: they are offered again in the interview's language instead.
        for command in (*medequip_commands(self), *textual_commands(self, screen)):
            yield command._replace(callback=self._once(command.callback))

    _palettes = 0  # palettes opened
    _palette_ran = -1  # the last palette whose command ran

    def _once(self, callback):
        """A command runs once per palette: a second Enter typed in a hurry reaches the palette
        after it chose (Textual then runs the chosen command again)."""
        serial = self._palettes

        def run() -> None:
            if self._palette_ran != serial:
                self._palette_ran = serial
                callback()

        return run

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self._palettes += 1
            self.push_screen(
                Palette(self.lang, placeholder=t(self.lang, "palette_search"), id="--command-palette")
            )

    def search_themes(self) -> None:
        self.push_screen(
            Palette(self.lang, providers=[ThemeCommands], placeholder=t(self.lang, "palette_themes"))
        )

    def take_screenshot(self) -> None:
        try:
            path = self.save_screenshot()
        except OSError as e:
            self.notify(t(self.lang, "save_failed", error=str(e)), severity="error", markup=False)
            return
        self.notify(t(self.lang, "screenshot_saved", path=path), markup=False)

    def action_high_contrast(self) -> None:
        self.theme = HIGH_CONTRAST

    def action_switch_language(self) -> None:
        """中文 <-> English: the chat goes on in the other language from the next turn."""
        self.lang = "en" if self.lang == "zh" else "zh"
        if self.chat is not None:
            self.chat.language_changed()

    def get_default_screen(self) -> ChatScreen:
        # Built here, inside the running app, not in __init__: a screen composes against the
        # app that is active when it is created.
        self.chat = ChatScreen()
        return self.chat

    @property
    def step(self) -> Step | None:
        """The question being asked, or None before the equipment is chosen and when done."""
        return self.chat.step if self.chat is not None else None

    def type_into_input(self, text: str) -> None:
        """Text into the answer box of the screen on top (the chat or a dialog), as an input
        method commits a phrase."""
        screen = self.screen
        if isinstance(screen, Answering):
            screen.type_into_input(text)
        elif self.chat is not None:
            self.chat.type_into_input(text)

    async def on_mount(self) -> None:
        if self.handle_signals:
            self.install_signal_handlers()
        # The App counts as ready (for a person's first keystroke, and for a test's pilot)
        # only once the chat has asked its first question: the default screen mounts its
        # widgets in its own tasks, after the App's Mount.
        assert self.chat is not None
        await self.chat.ready.wait()
        self.set_interval(10, self.collector.when_idle)

    def on_unmount(self) -> None:
        self.collector.stop()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover
            return
        for sig in self._signals:
            loop.remove_signal_handler(sig)
        self._signals.clear()

    def install_signal_handlers(self) -> None:
        """SIGTERM saves and leaves like Ctrl+C; SIGHUP (the terminal gone: its window or
        tmux server killed) saves and ends the process with 129 (see ``hang_up``). A terminal
        that goes away without a SIGHUP reaching us (a shell that traps it) is noticed too:
        reading its settings fails once it is gone."""
        loop = asyncio.get_running_loop()
        for name, handler in (("SIGTERM", self.on_signal), ("SIGHUP", self.hang_up)):
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            try:
                loop.add_signal_handler(sig, self._guarded, handler)
                self._signals.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover - not main thread
                pass
        if terminal_alive() is not None:
            self.set_interval(0.25, self._check_terminal, name="terminal-alive")

    def _guarded(self, handler) -> None:
        # A loop signal handler runs outside Textual's message handlers: an exception there
        # would be printed by asyncio over the screen instead of ending as a crash.
        try:
            handler()
        except Exception as e:  # noqa: BLE001 - any bug: the crash path
            self._handle_exception(e)

    def _check_terminal(self) -> None:
        if terminal_alive() is False:
            self.hang_up()

    def on_signal(self) -> None:
        if terminal_alive() is False:  # SIGTERM after the terminal went: as a hang-up
            self.hang_up(exitcodes.INTERRUPTED)
            return
        self.shutdown(exitcodes.INTERRUPTED)

    _hung_up = False
    tty_state: tuple[int, list] | None = None  # the terminal's settings before the app (run_tui)

    def hang_up(self, code: int = exitcodes.HANGUP) -> None:
        """The terminal went away: save, and end with 129 at once. Textual's own way out
        restores the terminal through its writer thread, which waits for ever on a terminal
        that is gone; so the process ends here, after the save, having put back what it can
        of the terminal's state (for a SIGHUP sent while the terminal is still there)."""
        if self._hung_up:
            return
        self._hung_up = True
        self.autosave()
        restore_terminal(self.tty_state)
        os._exit(code)

    # --- crashes ---------------------------------------------------------------------------

    crash: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        """An exception no handler caught (Textual's hook for it, private in Textual 8; the
        tests drive a real crash through it). Textual would print the traceback after the
        screen is restored; instead ``run_tui`` raises it again, and the entry point writes it
        to a crash log and prints one line, as every other command does. Nothing is saved
        here: the profile stays as last saved, before whatever went wrong."""
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def panic(self, *renderables) -> None:
        """Textual's own fatal errors (its input thread failing, with a traceback to show)."""
        if terminal_alive() is False:
            self.hang_up()
            return
        if self.crash is None:
            from rich.console import Console

            console = Console(width=100, no_color=True, file=io.StringIO())
            for r in renderables:
                console.print(r)
            self.crash = RuntimeError("Textual stopped the app:\n" + console.file.getvalue())
        super().panic()

    # --- actions on every screen -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "report":
            if self.session is None or len(self.screen_stack) > 1:
                return False
        if action == "save_as" and len(self.screen_stack) > 1 and isinstance(self.screen, ModalScreen):
            return False
        if action == "save_as" and self.session is None:
            return False
        return True

    def action_report(self) -> None:
        if self.session is None:
            return
        from ..core.profile.document import Profile
        from ..reports.report import build

        s = self.session
        profile = Profile(
            s.equipment,
            dict(s.iv.answers),
            s.rs.edition,
            source=self.saved_path or "<interview>",
            set_aside=dict(s.iv.kept),
        )
        report = build(profile, s.rs, s.iv.ev, self.lang)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(ReportScreen(report, self.lang, self.saved_path))

    def open_evidence(self, rule: str, title: str) -> None:
        """The files attached to clause ``rule`` (from the report or a clause's dialog)."""
        if self.session is None:
            return
        from .screens.evidence import EvidenceScreen

        self.push_screen(EvidenceScreen(self.session, rule, title, self.lang, self.save_evidence))

    def save_evidence(self) -> str | None:
        """Save now, as an answer does, whether or not anything is answered yet; what went
        wrong, or None."""
        self.save_error = None
        self.autosave(always=True)
        return self.save_error

    def action_save_as(self) -> None:
        if self.session is None:
            return
        try:
            default = self.session.path()
        except UsageError:
            default = self.saved_path or ""

        def done(path: str | None) -> None:
            if path:
                self.save_to(path)

        self.push_screen(SaveScreen(default, self.lang), done)

    def save_to(self, path: str) -> bool:
        assert self.session is not None
        old = self.session.output
        try:
            self.session.move_to(path)  # guarded and locked as -o is
            self.saved_path = self.session.save()
        except (UsageError, OSError) as e:
            self.session.output = old
            self.notify(
                t(self.lang, "save_failed", error=localized(e, self.lang)), severity="error", markup=False
            )
            return False
        self.save_error = None
        self.notify(t(self.lang, "saved_to", path=self.saved_path), markup=False)
        return True

    _flush_pending = False
    _conflict_open = False

    def autosave(self, debounce: bool = False, final: bool = False, always: bool = False) -> None:
        """Save now. ``debounce`` (after each answer): written atomically at once, flushed to
        the disk at most once a second (see ``Session.save``), the last one by a timer.
        Someone else's edit of the file is merged; where it conflicts, the person is asked
        (``ConflictScreen``), or with ``final`` (closing: nobody to ask) these answers go to a
        new file beside it. A save that fails is said once; the answers stay in memory."""
        from ..interview.session import EditConflict, HandEditInvalid, write_problem

        if self.session is None or (not always and not self.session.iv.answers and self.saved_path is None):
            return
        try:
            try:
                self.saved_path = self.session.save(debounce=debounce)
            except EditConflict as c:
                if not final:
                    self._ask_conflicts(c)
                    return
                self.saved_path = self.session.save_beside()
            if debounce and not self._flush_pending:
                self._flush_pending = True
                self.set_timer(Session.FSYNC_EVERY, self._flush)
            if self.session.merged and self.chat is not None:
                keys = (tr("tui.app.text", self.lang)).join(self.session.merged)
                self.chat.say(msg("session.merged", path=self.saved_path, keys=keys).get(self.lang), "note")
            self.save_error = None
        except (UsageError, OSError, HandEditInvalid, EditConflict) as e:
            if final and isinstance(e, (OSError, HandEditInvalid)) and self._saved_beside():
                return
            if isinstance(e, OSError):
                said = write_problem(e, self.session.output or "").get(self.lang)
            else:
                said = localized(e, self.lang) if not isinstance(e, EditConflict) else str(e)
            if said != self.save_error:
                if self.chat is not None:
                    self.chat.warn(t(self.lang, "autosave_failed", error=said))
            self.save_error = said

    def _saved_beside(self) -> bool:
        """Closing with the file unusable or unwritable: the answers go to a new file beside
        it if they can (the farewell names it). True when they did."""
        assert self.session is not None
        try:
            self.saved_path = self.session.save_beside()
        except Exception:  # noqa: BLE001 - the folder refuses too: the usual message says why
            return False
        self.save_error = None
        return True

    def _ask_conflicts(self, c) -> None:
        """Ask which answers to keep where the file and this session both changed one; save
        with the choices made. Asked once at a time, whatever else tries to save meanwhile."""
        from .screens.conflict import ConflictScreen

        if self._conflict_open or self.session is None:
            return
        self._conflict_open = True
        session = self.session

        def chosen(choices: dict[str, str] | None) -> None:
            self._conflict_open = False
            if self.session is not session or not choices:
                return
            try:
                self.saved_path = session.save(choices=choices)
            except Exception:  # noqa: BLE001 - changed again meanwhile, or a failing disk: the usual path says it
                self.autosave()
                return
            if session.merged and self.chat is not None:
                keys = (tr("tui.app.text", self.lang)).join(session.merged)
                self.chat.say(msg("session.merged", path=self.saved_path, keys=keys).get(self.lang), "note")
            self.save_error = None
            if self.chat is not None:
                self.chat.advance(ask=self.chat.step != session.iv.next())

        self.push_screen(ConflictScreen(session, c.msg.get(self.lang), c.conflicts, self.lang), chosen)

    def _flush(self) -> None:
        self._flush_pending = False
        self.autosave()

    def shutdown(self, code: int) -> None:
        self.autosave(final=True)
        if self.save_error is not None and self.session is not None and self.session.iv.answers:
            code = exitcodes.WRITE_FAILED  # the answers could not be kept on disk: said on exit
        self.exit(code)

    def finished_code(self) -> int:
        """A finished interview exits as ``check`` would on the saved profile: 0, 1 or 3."""
        assert self.session is not None
        return exitcodes.BY_STATUS[self.session.iv.ev.status]

    async def action_quit(self) -> None:
        self.shutdown(self.finished_code() if self.finished else exitcodes.INCOMPLETE)

    def action_interrupt(self) -> None:
        # Nothing is interrupted once everything is answered: then Ctrl+C is just "quit".
        self.shutdown(self.finished_code() if self.finished else exitcodes.INTERRUPTED)


def make_app(
    equipment: str | None = None,
    lang: str = "zh",
    output: str | None = None,
    ruleset: Path | None = None,
    given: dict | None = None,
    force: bool = False,
    *,
    handle_signals: bool = False,
    cursor_blink: bool = True,
) -> MedequipApp:
    """Build the app as ``run_tui`` does. Raises UsageError for an output file that is not a
    profile, or a ruleset that cannot be loaded, before anything is drawn."""
    from ..core.rules.loader import RulesetError

    if output:
        guard_output(output, force)
    session = None
    if equipment is not None:
        try:
            session = Session(equipment, lang, output, ruleset, given, force)
        except RulesetError as e:
            raise UsageError(e) from None
    return MedequipApp(
        session,
        lang=lang,
        output=output,
        ruleset=ruleset,
        given=given,
        force=force,
        handle_signals=handle_signals,
        cursor_blink=cursor_blink,
    )


def run_tui(
    equipment: str | None,
    lang: str,
    output: str | None,
    ruleset: Path | None,
    given: dict | None,
    force: bool,
) -> int:
    """Run the chat interview on this terminal; returns the exit code."""
    app = make_app(equipment, lang, output, ruleset, given, force, handle_signals=True)
    app.tty_state = tty_state()
    try:
        code = app.run()
    except KeyboardInterrupt:  # pragma: no cover - Textual normally sees Ctrl+C as a key
        app.autosave()
        code = exitcodes.INTERRUPTED
    if app.crash is not None:
        # The screen is restored: the entry point writes the crash log and says where.
        raise app.crash
    if code is None:
        return exitcodes.INTERNAL if app.return_code not in (0, None) else exitcodes.INCOMPLETE
    _farewell(app)
    return code


# Leave the alternate screen, show the cursor, stop mouse reports, bracketed paste and the
# kitty keyboard protocol: what Textual sends when it stops.
RESTORE = "\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l"


def tty_state() -> tuple[int, list] | None:
    """Standard input's terminal settings, to put back on a hang-up (None: no terminal)."""
    try:
        import termios

        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
        return (fd, termios.tcgetattr(fd)) if fd >= 0 else None
    except Exception:  # noqa: BLE001 - no termios, no terminal (termios.error, OSError)
        return None


def restore_terminal(state: tuple[int, list] | None) -> None:
    """Best effort and never blocking (nobody may be reading the terminal any more)."""
    if state is None:
        return
    fd, attrs = state
    try:
        import fcntl
        import termios

        termios.tcsetattr(fd, termios.TCSANOW, attrs)
        out = sys.__stdout__.fileno() if sys.__stdout__ is not None else -1
        if out >= 0 and os.isatty(out):
            flags = fcntl.fcntl(out, fcntl.F_GETFL)
            fcntl.fcntl(out, fcntl.F_SETFL, flags | os.O_NONBLOCK)
            try:
                os.write(out, RESTORE.encode())
            finally:
                # The open file is shared with the shell: leave it as it was.
                fcntl.fcntl(out, fcntl.F_SETFL, flags)
    except Exception:  # noqa: BLE001 - no termios, or a terminal that is gone
        pass


def terminal_alive() -> bool | None:
    """False once the terminal of standard input is gone (hung up: reading its settings
    fails); None when standard input is no terminal or this platform has no termios."""
    try:
        import termios

        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
    except (ImportError, ValueError, OSError):
        return None
    if fd < 0:
        return None
    try:
        termios.tcgetattr(fd)
    except termios.error as e:
        return False if e.args and e.args[0] == errno.EIO else None
    return True


def _farewell(app: MedequipApp) -> None:
    """After the screen is restored: where the answers are and how to continue."""
    lang = app.lang
    out = sys.stdout
    try:
        if app.save_error is not None and app.session is not None and app.session.iv.answers:
            out.write("✗ " + app.save_error + "\n")
        elif app.saved_path:
            out.write(t(lang, "exit_saved", path=app.saved_path) + "\n")
            if app.session is not None:
                ev = app.session.iv.ev
                out.write(t(lang, "exit_result", status=OVERALL[ev.status].get(lang)) + "\n")
                if not app.finished:
                    out.write(t(lang, "exit_resume", path=shlex.quote(app.saved_path)) + "\n")
        else:
            out.write(t(lang, "exit_nothing") + "\n")
        out.flush()
    except (OSError, OutputError):  # the terminal went away
        pass
