"""The line mode's autosave: every answer saved at once, and what happens when a save cannot
be made as usual.

- Someone changed the file (an editor) since the last save: their changes are merged and
  said; where they changed an answer this session changed too, each is asked at a
  ``[conflict KEY]> `` prompt (1 = this session's answer, 2 = the file's).
- The file was changed into something that is not a usable profile, or the disk is full or
  read-only: said once, every answer stays in memory, and another path is offered at a
  ``[save-as]> `` prompt (Enter: carry on, the next answer tries again).
- Input ends while a choice is pending: nothing is decided for the person; the file is left
  as it is and this session's answers go to a new file beside it, named on stderr.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.profile.answers import command_of
from ..core.text.errors import UsageError
from ..core.text.i18n import Msg
from ..core.text.messages import listed, localized, msg, tr
from ..interview.session import EditConflict, HandEditInvalid, Session, write_problem
from .output import say

Ask = Callable[[str], "str | None"]
_CARRY_ON = frozenset("否 不 不用 不用了 no n 继续 continue".split())


class Saver:
    """Saves a session for the line mode, asking what only the person can decide."""

    def __init__(self, s: Session, lang: str, ask: Ask):
        self.s = s
        self.lang = lang
        self.ask = ask
        self.problem: str | None = None  # the trouble last said (said once, not per answer)
        self.interactive = True  # False once input has ended or a signal stops the interview
        self.saved: str | None = None  # where the answers were last saved, None: not yet or not now

    def _say(self, text: Msg) -> None:
        say(text.get(self.lang))

    def save(self, final: bool = False) -> str | None:
        """Save now. Returns the path saved to, or None when the answers are (for now) only
        in memory. ``final``: the last save before exit (a failure is said even if said)."""
        choices: dict[str, str] = {}
        while True:
            try:
                path = self.s.save(choices=choices)
            except EditConflict as c:
                decided = self._resolve(c)
                if decided is None:
                    return self._side_copy(conflict=True)
                choices.update(decided)
                continue
            except HandEditInvalid as e:
                if self._trouble(e.msg, final):
                    continue
                return self._side_copy(conflict=False) if final and not self.interactive else None
            except OSError as e:
                if self._trouble(write_problem(e, self.s.output or self.s.path()), final):
                    continue
                return self._side_copy(conflict=False) if final and not self.interactive else None
            if self.s.merged:
                keys = listed(self.s.merged)
                say("  " + msg("session.merged", path=path, keys=keys).get(self.lang))
            if self.problem is not None:
                self._say(msg("cli.plain_save.saved_again_to", path=path))
                self.problem = None
            self.saved = path
            return path

    def _trouble(self, message: Msg, final: bool) -> bool:
        """Say what stops the save (once per problem) and offer another path. True when the
        person gave one and the save should be tried there."""
        text = message.get(self.lang)
        if text == self.problem and not final:
            return False
        self.problem = text
        self.saved = None
        say("✗ " + text)
        return self._save_as()

    def _save_as(self) -> bool:
        while self.interactive:
            self._say(msg("cli.plain_save.type_file_name_to_save"))
            line = self.ask("save-as")
            if line is None or not line.strip() or command_of(line) or line.strip().lower() in _CARRY_ON:
                return False  # "skip", "no": carry on (a file named 跳过 is not what was meant)
            try:
                self.s.move_to(line.strip())
            except UsageError as e:
                say("✗ " + localized(e, self.lang))
                continue
            self.problem = None
            return True
        return False

    def _resolve(self, c: EditConflict) -> dict[str, str] | None:
        """Ask, for each answer both sides changed, which to keep. None when input ended."""
        from ..interview.review import label_of

        say("")
        say("! " + c.msg.get(self.lang))
        out: dict[str, str] = {}
        for conflict in c.conflicts:
            label = label_of(self.s.iv, conflict.key, self.lang)
            ours = _shown(self.s, conflict.key, conflict.ours, self.lang)
            theirs = _shown(self.s, conflict.key, conflict.theirs, self.lang)
            say(f"  [{conflict.key}] {label}")
            self._say(msg("cli.plain_save.1_this_session_s_answer", ours=ours, theirs=theirs))
            while True:
                line = self.ask(f"conflict {conflict.key}") if self.interactive else None
                if line is None:
                    return None
                pick = line.strip().lower()
                if pick in ("1", "本次", "mine", "ours", "this"):
                    out[conflict.ident] = "ours"
                    break
                if pick in ("2", "文件", "file", "theirs"):
                    out[conflict.ident] = "theirs"
                    break
                self._say(msg("cli.plain_save.type_1_or_2"))
        return out

    def _side_copy(self, conflict: bool) -> str | None:
        """Nobody can be asked any more (input ended, a stop signal) and the file cannot take
        this session's answers (another edit conflicts, or it cannot be saved): the file is
        left as it is, and the answers are written to a new file beside it."""
        original = self.s.output or self.s.path()
        try:
            path = self.s.save_beside()
        except (UsageError, OSError, EditConflict, HandEditInvalid) as e:
            say("✗ " + (localized(e, self.lang) if not isinstance(e, EditConflict) else str(e)))
            self.saved = None
            return None
        if conflict:
            self._say(msg("cli.plain_save.conflict_was_not_decided_is", original=original, path=path))
        else:
            self._say(msg("cli.plain_save.could_not_be_saved_this", original=original, path=path))
        self.saved = path
        return path


def _shown(s: Session, key: str, value, lang: str) -> str:
    from ..interview.review import value_text

    if value is None:
        return tr("cli.plain_save.none", lang)
    return value_text(s.iv, key, value, lang)
