"""``medequip interview`` and ``medequip questions``: choosing the TUI or the line mode, and
the line mode itself (questions on stdout, answers from stdin, one per line).

The line mode never imports Textual. Each question ends with the prompt ``[<key>]> `` at the
start of a line, flushed at once, so an expect-style script can answer by fact key.
"""

from __future__ import annotations

import json
import re
import signal
import sys
from pathlib import Path
from typing import Any

from . import exitcodes
from .answers import AnswerError, command_of, hint
from .cli import UsageError
from .model import EQUIPMENT_KEYS


class Session:
    """An interview bound to the file it autosaves to."""

    def __init__(
        self,
        equipment: str,
        lang: str,
        output: str | None,
        ruleset: Path | None,
        given: dict | None,
        force: bool,
    ):
        from . import loader, questions
        from .interview import Interview

        self.rs = loader.for_equipment(equipment, ruleset)
        self.equipment = equipment
        self.lang = lang
        self.questions = questions.load(self.rs, equipment)
        self.iv = Interview(self.rs, equipment, self.questions, answers=dict(given or {}))
        self.output = output
        self.force = force
        if output:
            guard_output(output, force)

    def path(self) -> str:
        if self.output:
            return self.output
        name = self.iv.answers.get("institution.name") or "medequip"
        safe = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", name).strip("._") or "medequip"
        candidate = f"{safe[:60]}-{self.equipment}.toml"
        if self.iv.answers.get("institution.name") is None:
            return candidate
        # A name derived for this session never overwrites an earlier session's file.
        n = 2
        while Path(candidate).exists():
            candidate = f"{safe[:60]}-{self.equipment}-{n}.toml"
            n += 1
        self.output = candidate
        return candidate

    def save(self) -> str:
        from . import atomic
        from .profile import Profile, dumps

        answers = dict(self.iv.answers)
        for key, value in list(answers.items()):
            if isinstance(value, list) and value and isinstance(value[0], dict):
                # A person just added has answered nothing until their role is known.
                answers[key] = [p for p in value if "role" in p]
        profile = Profile(self.equipment, answers, self.rs.edition)
        path = self.path()
        atomic.write_text(path, dumps(profile, self.rs.facts))
        return path


def guard_output(path: str, force: bool) -> None:
    """Refuse to overwrite a file that is not one of our profiles, unless forced."""
    import os

    p = Path(path)
    if force or not os.path.lexists(p):
        return
    if os.path.isdir(p):
        raise UsageError(f"{path} is a directory")
    try:
        import tomllib

        from .profile import MAX_PROFILE_BYTES

        if p.stat().st_size > MAX_PROFILE_BYTES:
            raise ValueError("too large to be a profile")
        data = tomllib.loads(p.read_text("utf-8-sig"))
        if "schema_version" in data and "equipment" in data:
            return
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    raise UsageError(f"{path} exists and is not a medequip profile; use --force to overwrite it")


def _load_given(path: str) -> tuple[str, dict]:
    from .loader import RulesetError
    from .profile import ProfileError, load, read_source

    try:
        raw, name = read_source(path)
        profile, _ = load(raw, name)
    except (ProfileError, RulesetError) as e:
        raise UsageError(str(e)) from None
    return profile.equipment, profile.answers


def run(args, lang: str) -> int:
    given: dict[str, Any] = {}
    equipment = args.equipment
    if equipment is not None and equipment not in EQUIPMENT_KEYS:
        from .profile import suggest

        raise UsageError(
            f"unknown equipment {equipment!r}: expected one of {', '.join(EQUIPMENT_KEYS)}{suggest(equipment, list(EQUIPMENT_KEYS))}"
        )
    source = args.resume or args.answers
    if args.resume and args.answers:
        raise UsageError("give either --resume or --answers, not both")
    if source:
        found, given = _load_given(source)
        if equipment and equipment != found:
            raise UsageError(f"{source} is a {found} profile, not {equipment}")
        equipment = found
    output = args.output or args.resume
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if args.plain or not interactive:
        return plain(equipment, lang, output, args.ruleset, given, args.force)
    from .tui.app import run_tui

    return run_tui(
        equipment=equipment, lang=lang, output=output, ruleset=args.ruleset, given=given, force=args.force
    )


# --- line mode ----------------------------------------------------------------------------------


class _Stop(Exception):
    pass


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _prompt(key: str) -> str | None:
    sys.stdout.write(f"[{key}]> ")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if line == "":
        return None
    line = line.rstrip("\r\n")
    if not sys.stdin.isatty():
        # Piped answers are not echoed by a terminal; show them so the transcript reads.
        sys.stdout.write(line + "\n")
    return line


def _choose_equipment(lang: str) -> str | None:
    from .loader import bundled

    names = {}
    for rs in bundled():
        for e in rs.data.equipment:
            names[e.key] = e.name.get(lang)
    keys = [k for k in EQUIPMENT_KEYS if k in names]
    _say("请选择设备或技术：" if lang == "zh" else "Choose the equipment or technology:")
    for i, k in enumerate(keys, 1):
        _say(f"  {i}. {names[k]} ({k})")
    while True:
        line = _prompt("equipment")
        if line is None:
            return None
        s = line.strip()
        if s.isdigit() and 1 <= int(s) <= len(keys):
            return keys[int(s) - 1]
        if s in keys:
            return s
        _say("请输入编号或设备代码" if lang == "zh" else "enter a number or an equipment key")


def plain(
    equipment: str | None, lang: str, output: str | None, ruleset: Path | None, given: dict, force: bool
) -> int:
    if equipment is None:
        equipment = _choose_equipment(lang)
        if equipment is None:
            return exitcodes.INCOMPLETE
    from .loader import RulesetError

    try:
        s = Session(equipment, lang, output, ruleset, given, force)
    except RulesetError as e:
        raise UsageError(str(e)) from None

    # SIGTERM and SIGHUP (a closed terminal, a killed session) end the interview the way
    # Ctrl+C does: what was answered is saved first. Every answer is also saved as it is
    # given, atomically, so even SIGKILL loses at most the answer being typed.
    def on_signal(signum, frame):
        raise _Stop()

    previous = _set_handlers(_STOP_SIGNALS, on_signal)
    try:
        return _plain_loop(s, equipment, lang)
    finally:
        _restore(previous)


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


def _save_uninterrupted(s: Session) -> str | None:
    """Save once more with further stop signals ignored, so a second SIGTERM or Ctrl+C
    cannot cut the last save short."""
    blocked = _set_handlers((*_STOP_SIGNALS, signal.SIGINT), signal.SIG_IGN)
    try:
        return s.save() if s.iv.answers else None
    finally:
        _restore(blocked)


def _plain_loop(s: Session, equipment: str, lang: str) -> int:
    zh = lang == "zh"
    info = s.rs.equipment_info(equipment)
    _say(f"medequip · {info.name.get(lang)}")
    _say(
        "（随时可输入：返回、跳过、为什么、进度、帮助）"
        if zh
        else "(type at any time: back, skip, why, progress, help)"
    )
    section = None
    saved: str | None = None
    try:
        while (step := s.iv.next()) is not None:
            sec = step.question.section.get(lang)
            if sec != section:
                _say("")
                _say(f"== {sec} ==")
                section = sec
            _say(step.prompt(lang))
            _say(f"  ({hint(step.fact, lang)})")
            line = _prompt(step.key)
            if line is None:
                if s.iv.answers:
                    saved = s.save()
                _say("")
                _say(
                    ("输入结束，已保存到 " if zh else "End of input; saved to ") + str(saved)
                    if saved
                    else ("输入结束，尚无回答可保存" if zh else "End of input; nothing answered to save")
                )
                _summary(s, lang)
                return exitcodes.INCOMPLETE
            cmd = command_of(line)
            if cmd == "back":
                _say(
                    ("已返回上一题" if zh else "Went back one question")
                    if s.iv.back()
                    else ("已经是第一题" if zh else "Nothing to go back to")
                )
            elif cmd == "skip":
                s.iv.skip()
            elif cmd == "why":
                _why(s, step, lang)
            elif cmd == "progress":
                done, left = s.iv.progress()
                t = s.iv.tally()
                _say(
                    f"已回答 {done}，还需约 {left}；符合 {t['met']}，不符合 {t['not_met']}，豁免 {t['exempt']}，待定 {t['unknown']}"
                    if zh
                    else f"answered {done}, about {left} still needed; met {t['met']}, not met {t['not_met']}, exempt {t['exempt']}, open {t['unknown']}"
                )
            elif cmd == "help":
                _say(step.question.help.get(lang))
            else:
                try:
                    s.iv.answer(line)
                except AnswerError as e:
                    _say(("✗ " if zh else "✗ ") + e.msg.get(lang))
                    continue
            if s.iv.answers:
                saved = s.save()
    except (_Stop, KeyboardInterrupt):
        saved = _save_uninterrupted(s) or saved
        if saved:
            print(("\n已保存到 " if zh else "\nSaved to ") + str(saved), file=sys.stderr)
        else:
            print("\n尚无回答可保存" if zh else "\nNothing answered yet; nothing saved", file=sys.stderr)
        return exitcodes.INTERRUPTED
    saved = s.save()
    _say("")
    _say(("全部问题已回答，已保存到 " if zh else "All questions answered; saved to ") + saved)
    _summary(s, lang)
    return exitcodes.COMPLIANT


def _summary(s: Session, lang: str) -> None:
    from .i18n import OVERALL, STATUS

    ev = s.iv.ev
    _say(("结论：" if lang == "zh" else "Result: ") + OVERALL[ev.status].get(lang))
    for r in ev.results:
        if r.status in ("not_met", "unknown"):
            _say(f"  [{STATUS[r.status].get(lang)}] {r.rule.clause} {r.rule.id}: {r.reason.get(lang)}")


def _why(s: Session, step, lang: str) -> None:
    from .i18n import STATUS

    zh = lang == "zh"
    rows = s.iv.why(step)
    if not rows:
        _say(
            "此问题只用于识别，不影响任何条款的结论。"
            if zh
            else "This only identifies; no clause depends on it."
        )
        return
    _say("需要此信息的条款：" if zh else "Clauses that need this:")
    for r in rows:
        _say(f"  {r['clause']} {r['id']} [{STATUS[r['status']].get(lang)}] {r['text'].get(lang)}")
        if r.get("via"):
            _say(
                f"    （通过豁免条款 {r['via']} 起作用）"
                if zh
                else f"    (matters through the exemption {r['via']})"
            )
        for ex_id, clause, label in r["waivers"]:
            if zh:
                _say(f"    可依{clause}（{ex_id}）豁免：{label.zh}")
            else:
                _say(f"    can be waived by {clause} ({ex_id}) for: {label.en}")


# --- questions ------------------------------------------------------------------------------


def questions(args, lang: str) -> int:
    from . import loader
    from . import questions as qmod
    from .describe import describe

    if args.equipment not in EQUIPMENT_KEYS:
        from .profile import suggest

        raise UsageError(
            f"unknown equipment {args.equipment!r}: expected one of {', '.join(EQUIPMENT_KEYS)}{suggest(args.equipment, list(EQUIPMENT_KEYS))}"
        )
    try:
        rs = loader.for_equipment(args.equipment, args.ruleset)
        qs = qmod.load(rs, args.equipment)
    except loader.RulesetError as e:
        raise UsageError(str(e)) from None
    rules = rs.rules_for(args.equipment)
    exemptions = rs.exemptions_for(args.equipment)
    items = []
    for q in qs:
        readers = [r for r in rules if q.key in rs.rule_facts(r)]
        grounds = [ex for ex in exemptions if any(q.key in _ground_keys(rs, g, ex) for g in ex.grounds)]
        if not readers and not grounds and not q.fact.identity:
            continue
        conds = []
        for r in readers:
            if r.applies_when is not None:
                conds.append(
                    describe(rs, r.applies_when, r.roster if r.scope == "person" else None).get(lang)
                )
        f = q.fact
        items.append(
            {
                "fact": q.key,
                "type": f.type,
                "prompt": q.prompt.get(lang),
                "help": q.help.get(lang),
                "section": q.section.get(lang),
                "unit": f.unit.get(lang) if f.unit else None,
                "min": f.min,
                "max": f.max,
                "choices": [{"key": c.key, "label": c.label(lang)} for c in f.choices],
                "roster": q.roster,
                "rules": [r.id for r in readers],
                "exemptions": [ex.id for ex in grounds],
                "condition": "; ".join(dict.fromkeys(conds)) or None,
            }
        )
    if args.format == "json":
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return exitcodes.COMPLIANT
    zh = lang == "zh"
    for it in items:
        spec = it["type"]
        if it["unit"] or it["min"] is not None:
            spec += f" {it['min']}–{it['max']} {it['unit'] or ''}".rstrip()
        if it["choices"]:
            spec += " [" + ", ".join(f"{c['key']}={c['label']}" for c in it["choices"]) + "]"
        _say(f"{it['fact']}  ({spec})")
        _say(f"    {it['prompt']}")
        if it["condition"]:
            _say(f"    {'仅当' if zh else 'only when'}: {it['condition']}")
        used = ", ".join(it["rules"] + it["exemptions"])
        if used:
            _say(f"    {'用于' if zh else 'used by'}: {used}")
    return exitcodes.COMPLIANT


def _ground_keys(rs, g, ex) -> list[str]:
    from .loader import facts_read

    roster = None
    if ex.scope == "person":
        # A person-scope exemption reads the fields of the roster its rules are about.
        waived = [rs.rule(rid) for rid in rs.waived[ex.id][g.key]]
        roster = next((r.roster for r in waived if getattr(r, "roster", None)), None)
    return facts_read(g.when, roster)
