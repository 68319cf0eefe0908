"""The line mode of ``medequip interview``: questions on stdout, answers from stdin, one per line.

It never imports Textual. Each question ends with the prompt ``[<key>]> `` at the start of a
line, flushed at once, so an expect-style script can answer by fact key.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from ..core.io import exitcodes
from ..core.profile.answers import command_of, hint, normalize, typed, understood
from ..core.rules.model import EQUIPMENT_KEYS
from ..core.text.errors import UsageError
from ..core.text.messages import tr
from ..interview.review import estimate, request_of
from ..interview.session import Session
from .output import say
from .plain_edit import review_and_edit, staff
from .plain_save import Saver


class _Stop(Exception):
    def __init__(self, signum: int = 0) -> None:
        super().__init__(signum)
        self.signum = signum


def reading_of(iv, step, text: str):
    """What a typed line does here: the engine's reading, nothing added, so that the chat
    (which uses the same) and the line mode never differ."""
    return iv.read(step, text)


def _prompt(key: str) -> str | None:
    sys.stdout.write(f"[{key}]> ")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if line == "":
        return None
    line = line.rstrip("\r\n")
    if not sys.stdin.isatty():
        # Piped answers are not echoed by a terminal; show them so the transcript reads
        # (escaped: a typed escape sequence is shown, never sent to the terminal).
        from ..core.text.sanitize import escape

        sys.stdout.write(escape(line) + "\n")
    return line


def _choose_equipment(lang: str) -> str | None:
    from ..core.rules.loader import bundled

    names = {}
    for rs in bundled():
        for e in rs.data.equipment:
            names[e.key] = e.name.get(lang)
    keys = [k for k in EQUIPMENT_KEYS if k in names]
    say(tr("cli.plain.choose_equipment_or_technology", lang))
    for i, k in enumerate(keys, 1):
        say(f"  {i}. {names[k]} ({k})")
    while True:
        line = _prompt("equipment")
        if line is None:
            return None
        s = line.strip()
        if s.isdigit() and 1 <= int(s) <= len(keys):
            return keys[int(s) - 1]
        if s in keys:
            return s
        say(tr("cli.plain.enter_number_or_equipment_key", lang))


def plain(
    equipment: str | None, lang: str, output: str | None, ruleset: Path | None, given: dict, force: bool
) -> int:
    if equipment is None:
        equipment = _choose_equipment(lang)
        if equipment is None:
            return exitcodes.INCOMPLETE
    from ..core.rules.loader import RulesetError

    try:
        s = Session(equipment, lang, output, ruleset, given, force)
    except RulesetError as e:
        raise UsageError(e) from None

    # SIGTERM and SIGHUP (a closed terminal, a killed session) end the interview the way
    # Ctrl+C does: what was answered is saved first. Every answer is also saved as it is
    # given, atomically, so even SIGKILL loses at most the answer being typed.
    stopping: list[int] = []

    def on_signal(signum, frame):
        if stopping:  # once: a hang-up often comes twice (the kernel's and the terminal's)
            return
        stopping.append(signum)
        raise _Stop(signum)

    previous = _set_handlers(_STOP_SIGNALS, on_signal)
    try:
        return _plain_loop(s, equipment, lang)
    finally:
        _restore(previous)
        s.close()


_STOP_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None
)


def _set_handlers(signals, handler) -> dict:
    previous = {}
    for sig in signals:
        try:
            previous[sig] = signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread: signals stay as they were
            pass
    return previous


def _restore(previous: dict) -> None:
    for sig, handler in previous.items():
        try:
            signal.signal(sig, handler)
        except (ValueError, OSError, TypeError):
            pass


def _save_uninterrupted(saver: Saver) -> str | None:
    """Save once more with further stop signals ignored, so a second SIGTERM or Ctrl+C
    cannot cut the last save short. Nobody is asked anything now: a conflict with a hand
    edit leaves the file as it is and writes these answers beside it."""
    blocked = _set_handlers((*_STOP_SIGNALS, signal.SIGINT), signal.SIG_IGN)
    saver.interactive = False
    try:
        return saver.save(final=True) if saver.s.iv.answers else None
    finally:
        _restore(blocked)


def _offer_to_drop_retired(s: Session, lang: str, saver: Saver) -> None:
    """Say which answers the file holds for retired facts (ignored) and offer to remove
    them; ``[retired]>`` yes removes them and saves the file at once (atomically)."""
    from ..core.profile.answers import AnswerError, parse
    from ..core.text.messages import msg
    from ..interview.engine import add_fact

    keys = s.retired()
    if not keys:
        return
    for key in keys:
        say("! " + msg("profile.retired", key=key).get(lang))
    say(tr("cli.plain.remove_these_answers_from_file", lang))
    line = _prompt("retired")
    try:
        drop = line is not None and parse(line, add_fact()) is True
    except AnswerError:
        drop = False
    if drop:
        s.drop_retired()
        saver.save()
        say((tr("cli.plain.removed", lang)) + ", ".join(keys))


def _plain_loop(s: Session, equipment: str, lang: str) -> int:
    info = s.rs.equipment_info(equipment)
    say(f"medequip · {info.name.get(lang)}")
    say(tr("cli.plain.type_at_any_time_back", lang))
    saver = Saver(s, lang, _prompt)
    _offer_to_drop_retired(s, lang, saver)
    section = None
    try:
        while (step := s.iv.next()) is not None or _after_the_end(s, lang, saver):
            if step is None:
                section = None
                saver.save()
                continue
            section = _show_question(step, lang, section)
            line = _prompt(step.key)
            if line is None:
                return _end_of_input(s, saver, lang)
            section, refused = _take(s, step, line, lang, saver, section)
            if not refused and s.iv.answers:
                saver.save()
    except (_Stop, KeyboardInterrupt) as e:
        return _stopped(s, saver, lang, e)
    return _all_answered(s, saver, lang)


def _show_question(step, lang: str, section):
    """The question (under its section's heading when the section changes): the section."""
    sec = step.question.section.get(lang)
    if sec != section:
        say("")
        say(f"== {sec} ==")
    say(step.prompt(lang))
    say(f"  ({hint(step.fact, lang, step.hints)})")
    return sec


def _take(s: Session, step, line: str, lang: str, saver, section) -> tuple[object, bool]:
    """Do what a typed line says: (the section shown now, whether the answer was refused)."""
    request = request_of(line)
    if request is not None:
        if request[0] == "edit":
            changed = review_and_edit(s, lang, request[1], _prompt)
        else:
            changed = staff(s, lang, _prompt, saver.save)
        return (None if changed else section), False
    reading = reading_of(s.iv, step, line)
    if reading.refusal is not None:
        say("✗ " + reading.refusal.get(lang))
        return section, True
    if reading.accepted:
        s.iv.set(step, reading.value)
        if reading.warning is not None:
            say("! " + reading.warning.get(lang))
        if step.fact.type != "text":
            # What was understood, so that a misreading shows at once.
            say("  " + understood(step.fact, reading.value).get(lang))
        return section, False
    command = _COMMANDS.get(reading.command)
    if command is not None:
        command(s, step, lang)
    return section, False


def _back(s: Session, step, lang: str) -> None:
    say(
        (tr("cli.plain.went_back_one_question", lang))
        if s.iv.back()
        else (tr("cli.plain.nothing_to_go_back_to", lang))
    )


def _progress(s: Session, step, lang: str) -> None:
    done, _ = s.iv.progress()
    left, more = estimate(s.iv)
    t = s.iv.tally()
    about = tr("cli.plain.at_least" if more else "cli.plain.about", lang)
    say(
        tr(
            "cli.plain.answered_still_needed_met_not",
            lang,
            done=done,
            about=about,
            left=left,
            t_met=t["met"],
            t_not_met=t["not_met"],
            t_exempt=t["exempt"],
            t_unknown=t["unknown"],
        )
    )


# The line mode's words besides an answer (``reading.command``): what each does.
_COMMANDS = {
    "back": _back,
    "skip": lambda s, step, lang: s.iv.skip(),
    "why": lambda s, step, lang: _why(s, step, lang),
    "progress": _progress,
    "help": lambda s, step, lang: say(step.question.help.get(lang)),
}


def _end_of_input(s: Session, saver, lang: str) -> int:
    """Input ended before the last question: save what was answered and say so."""
    if s.iv.answers:
        saver.interactive = False  # input has ended: nothing more can be asked
        saver.save(final=True)
    say("")
    if saver.saved:
        say((tr("cli.plain.end_of_input_saved_to", lang)) + saver.saved)
    elif s.iv.answers:
        say(tr("cli.plain.end_of_input_answers_could", lang))
    else:
        say(tr("cli.plain.end_of_input_nothing_answered", lang))
    _summary(s, lang)
    return exitcodes.WRITE_FAILED if s.iv.answers and not saver.saved else exitcodes.INCOMPLETE


def _stopped(s: Session, saver, lang: str, e: BaseException) -> int:
    """Ctrl+C, SIGTERM or SIGHUP: save everything answered, say where, exit as the signal
    says (an interview already complete just quits with its verdict)."""
    finished = s.iv.next() is None
    saved = _save_uninterrupted(saver)
    hung_up = isinstance(e, _Stop) and e.signum == getattr(signal, "SIGHUP", None)
    try:
        if saved:
            print("\n" + tr("cli.saved_to", lang, path=saved), file=sys.stderr)
        elif not s.iv.answers:
            print("\n" + tr("cli.nothing_saved", lang), file=sys.stderr)
    except OSError:  # the terminal is gone (SIGHUP): the save is what matters
        pass
    if s.iv.answers and not saved:
        return exitcodes.WRITE_FAILED
    if hung_up:  # the terminal went away: 129, as the chat exits
        return exitcodes.HANGUP
    # Nothing is interrupted once everything is answered: then it is just "quit".
    return exitcodes.BY_STATUS[s.iv.ev.status] if finished else exitcodes.INTERRUPTED


def _all_answered(s: Session, saver, lang: str) -> int:
    saver.save(final=True)
    say("")
    if saver.saved:
        say((tr("cli.plain.all_questions_answered_saved_to", lang)) + saver.saved)
    else:
        say(tr("cli.plain.all_questions_answered_but_answers", lang))
    _summary(s, lang)
    if not saver.saved:
        return exitcodes.WRITE_FAILED
    # As `medequip check` would exit on the saved profile: a script learns the verdict.
    return exitcodes.BY_STATUS[s.iv.ev.status]


# What finishes at the closing prompt besides Enter: "no more changes", said plainly.
FINISH_WORDS = frozenset(
    "结束 完成 完毕 好了 可以了 没有了 没了 不用了 不用 没有 否 不 无 done finish finished quit exit no n".split()
)


def _after_the_end(s: Session, lang: str, saver: Saver) -> bool:
    """Everything is answered: offer one last chance to change an answer or the staff.
    True when something changed and the interview goes on (new questions may follow).
    Anything else typed here is refused with a hint, never taken as "finish"."""
    say("")
    say(tr("cli.plain.all_questions_answered_type_edit", lang))
    while True:
        line = _prompt("done")
        if line is None or not line.strip() or normalize(line).lower().strip("。.!！") in FINISH_WORDS:
            return False
        request = request_of(line)
        if request is None:
            cmd = command_of(line)
            if cmd == "skip":  # nothing to change: on to the end
                return False
            if cmd == "back" and s.iv.back():
                say(tr("cli.plain.went_back_one_question", lang))
                return True
            if cmd == "progress":
                t = s.iv.tally()
                say(
                    tr(
                        "cli.plain.all_questions_answered_met_not",
                        lang,
                        t_met=t["met"],
                        t_not_met=t["not_met"],
                        t_exempt=t["exempt"],
                        t_unknown=t["unknown"],
                    )
                )
                continue
            say(tr("cli.plain.is_not_understood_here_type", lang, typed_line=typed(line)))
            continue
        if request[0] == "edit":
            changed = review_and_edit(s, lang, request[1], _prompt)
        else:
            changed = staff(s, lang, _prompt, saver.save)
        if changed:
            saver.save()
            if s.iv.next() is not None:
                return True


def _summary(s: Session, lang: str) -> None:
    from ..core.text.i18n import OVERALL, STATUS

    ev = s.iv.ev
    say((tr("cli.plain.result", lang)) + OVERALL[ev.status].get(lang))
    for r in ev.results:
        if r.status in ("not_met", "unknown"):
            colon = tr("cli.plain.text", lang)
            say(f"  [{STATUS[r.status].get(lang)}] {r.rule.clause} {r.rule.id}{colon}{r.reason.get(lang)}")


def _why(s: Session, step, lang: str) -> None:
    from ..core.text.i18n import STATUS

    rows = s.iv.why(step)
    if not rows:
        say(tr("cli.plain.this_only_identifies_no_clause", lang))
        return
    say(tr("cli.plain.clauses_that_need_this", lang))
    for r in rows:
        say(f"  {r['clause']} {r['id']} [{STATUS[r['status']].get(lang)}] {r['text'].get(lang)}")
        if r.get("via"):
            say(tr("cli.plain.matters_through_exemption", lang, r_via=r["via"]))
        for ex_id, clause, label in r["waivers"]:
            say(tr("cli.plain.can_be_waived", lang, clause=clause, ex_id=ex_id, label=label))


# --- questions ------------------------------------------------------------------------------
