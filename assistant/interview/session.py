"""An interview bound to the profile it autosaves to: what the TUI and the line mode share.

The file is the person's as much as ours: an editor may change it while the interview runs.
Before every save the file is compared with what this session last wrote (its hash, with the
size and modification time): when someone else changed it, their changes are merged with the
answers in memory (their keys and comments stay), and where both changed the same answer the
front end asks which to keep (``EditConflict``). A hand edit that leaves the file unusable is
never overwritten (``HandEditInvalid``). A save that fails (a full disk, a read-only file
system) raises ``OSError`` and loses nothing: every answer stays in memory for the next save
or a save to another place (``move_to``).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.text.errors import LocalizedError, UsageError
from ..core.text.i18n import Msg
from ..core.text.messages import at, msg

_ABSENT = object()


@dataclass(frozen=True)
class Conflict:
    """One answer both this session and someone editing the file changed, differently.
    ``key`` is flat (``fact`` or ``roster[i].field``); ``kept``: a set-aside answer.
    ``ours`` / ``theirs`` are None when that side removed it."""

    key: str
    kept: bool
    ours: Any
    theirs: Any

    @property
    def ident(self) -> str:
        return ("k:" if self.kept else "a:") + self.key


class EditConflict(Exception):
    """The file was changed by someone else where this session changed it too: ask which to
    keep, then ``save(choices={conflict.ident: "ours" | "theirs"})``."""

    def __init__(self, path: str, conflicts: list[Conflict]):
        super().__init__(f"{path}: {len(conflicts)} conflicting change(s)")
        self.path = path
        self.conflicts = conflicts

    @property
    def msg(self) -> Msg:
        return msg("session.conflicts", path=_shown(self.path), n=len(self.conflicts))


class HandEditInvalid(LocalizedError):
    """The file was changed by someone else into something that is not a usable profile: it
    is left as it is; the answers stay in memory."""

    def __init__(self, path: str, error: Msg):
        super().__init__(msg("session.hand_edit_invalid", path=_shown(path), error=error))
        self.path = path


def write_problem(e: OSError, path: str) -> Msg:
    """What a failed save says: the file and the reason in words (disk full, read-only)."""
    import errno

    from ..core.text.messages import entry

    reason = Msg(e.strerror or str(e), e.strerror or str(e))
    name = errno.errorcode.get(e.errno or 0, "")
    if name == "EPERM":
        name = "EACCES"
    try:
        zh, en = entry(f"errno.{name}")
        reason = Msg(zh, en)
    except KeyError:
        if not e.strerror:  # NotRegularFile and friends carry their words in args[1]
            text = e.args[1] if len(e.args) > 1 else str(e)
            reason = Msg(text, text)
    return msg("session.write_failed", path=_shown(path), reason=reason)


def _shown(path: str) -> str:
    from ..core.text.sanitize import escape

    return escape(str(path))


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _read_regular(path: str) -> bytes | None:
    """The file's bytes, or None when there is no regular file to read (a FIFO is never
    opened; the save refuses to replace it) or it cannot be read (the save will say why).
    Read one byte past the profile limit, so that an edit that grew it is seen as one."""
    import stat

    from ..core.profile.read import MAX_PROFILE_BYTES

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as f:
            return f.read(MAX_PROFILE_BYTES + 1)
    except OSError:
        return None


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
        # Everything a save needs is imported now, not at the first save: Ctrl+C during an
        # import there once lost the first answer.
        import tomli_w  # noqa: F401

        from ..core.io import atomic  # noqa: F401
        from ..core.profile.document import dumps  # noqa: F401
        from ..core.rules import loader
        from ..interview import questions

        self.lock = None
        self.rs = loader.for_equipment(equipment, ruleset)
        self.ruleset = ruleset
        self.equipment = equipment
        self.lang = lang
        self.questions = questions.load(self.rs, equipment)
        self.output = output
        self.force = force
        # What the file held when this session last read or wrote it: its hash, and the
        # answers (flat, set-aside ones too) it held. None: no file yet.
        self._disk: str | None = None
        self._base: dict[str, Any] = {}
        self.merged: list[str] = []  # keys the last save took from the file (someone's edit)
        # The files attached per clause (``[[evidence]]``): every save writes exactly these, so
        # an autosave never drops one; ``_base_evidence`` is what the file held when last read
        # or written (a hand edit of them is merged as answers are).
        self.evidence: list = []
        self._base_evidence: list = []
        given = dict(given or {})
        kept: dict[str, Any] = {}
        if output:
            guard_output(output, force)
            on_disk = self._read_profile(output)
            if on_disk is not None and on_disk.answers == given:
                # Resuming this very file: its set-aside answers come back into the interview.
                kept = dict(on_disk.set_aside)
        from ..interview.engine import resume

        self.iv = resume(self.rs, equipment, self.questions, given, kept)
        # What medequip itself would have written for the given answers: a file still exactly
        # that holds nothing of a person's, so it keeps being written fresh (catalogue order).
        self._ours = self._fresh(given, kept) if given else None
        if output:
            self._lock(output)

    def retired(self) -> list[str]:
        """Answers to retired facts the profile still holds: read by no rule, asked by no
        question (``proton.base_meets_specification``, now decided from other clauses)."""
        facts = self.rs.facts
        return [k for k in self.iv.answers if k in facts and facts[k].retired]

    def drop_retired(self) -> list[str]:
        """Remove the answers to retired facts (the next save writes the file without them,
        atomically, keeping its comments); returns the keys removed."""
        keys = self.retired()
        if keys:
            self.iv.forget(keys)
        return keys

    def _read_profile(self, path: str):
        """The profile at ``path`` as the base later hand edits are compared with (None when
        there is none, or it is not a usable profile: then it is simply replaced)."""
        from ..core.profile.document import load

        raw = _read_regular(path)
        if raw is None:
            return None
        self._disk = _sha(raw)
        try:
            profile, _ = load(raw, str(path), self.ruleset)
        except Exception:  # noqa: BLE001 - anything unusable (guarded, or forced) is just replaced
            return None
        if profile.equipment != self.equipment:
            return None
        self._base = _flat(profile.answers, profile.set_aside)
        self.evidence = [_plain_entry(e) for e in profile.evidence]
        self._base_evidence = list(self.evidence)
        return profile

    def _lock(self, path: str) -> None:
        """One writer per profile: a second interview on the same file is refused, naming
        the first (the lock goes with the process, so a killed one leaves nothing stale)."""
        import atexit

        from ..core.io.lock import Locked, ProfileLock

        lock = ProfileLock(path)
        try:
            lock.acquire()
        except Locked as e:
            raise UsageError(e.msg) from None
        self.lock = lock
        atexit.register(self.close)

    def move_to(self, path: str) -> None:
        """Save to ``path`` from now on ("save as"): guarded and locked as ``-o`` is, and the
        lock on the file saved to before is let go. What the new file holds now is replaced
        by the answers (it was chosen to be written), its comments kept."""
        guard_output(path, self.force)
        old = self.lock
        self.lock = None
        try:
            self._lock(path)
        except UsageError:
            self.lock = old
            raise
        if old is not None:
            old.release()
        self.output = path
        self._base = {}
        self._ours = None
        raw = _read_regular(path)
        self._disk = None if raw is None else _sha(raw)

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

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
        while True:
            while Path(candidate).exists():
                candidate = f"{safe[:60]}-{self.equipment}-{n}.toml"
                n += 1
            try:
                self._lock(candidate)
                break
            except UsageError:  # another interview is about to create it: take the next name
                candidate = f"{safe[:60]}-{self.equipment}-{n}.toml"
                n += 1
        self.output = candidate
        return candidate

    # The answers are written and renamed into place before the next question is shown, so
    # a killed process (even SIGKILL) loses nothing: the kernel has the file. Flushing it to
    # the disk (fsync, which can take tens of milliseconds) is what protects against a power
    # cut; a debounced save does that at most once a second, and every final save does it.
    FSYNC_EVERY = 1.0
    _last_fsync = 0.0

    def _fresh(self, answers: dict, kept: dict | None = None) -> str:
        from ..core.profile.document import Profile, dumps

        return dumps(
            Profile(self.equipment, answers, self.rs.edition, set_aside=dict(kept or {})),
            self.rs.facts,
            self.lang,
        )

    def saved_answers(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(answers, set-aside answers) as a save writes them: a person just added has
        answered nothing until their role is known, and is not written yet."""
        answers = dict(self.iv.answers)
        for key, value in list(answers.items()):
            if isinstance(value, list) and value and isinstance(value[0], dict):
                answers[key] = [p for p in value if "role" in p]
        kept = {}
        for key, value in self.iv.kept.items():
            m = _INDEXED.match(key)
            if m and int(m["i"]) >= len(answers.get(m["roster"]) or []):
                continue  # a field of that person, written with them
            kept[key] = value
        return answers, kept

    def save(self, debounce: bool = False, choices: dict[str, str] | None = None) -> str:
        """Write the answers. A file a person has edited (a filled-in template, their notes)
        is updated in place, keeping every comment; otherwise it is written from scratch.
        ``debounce``: flushed to the disk at most once a second (see ``FSYNC_EVERY``).
        Raises EditConflict (answer with ``choices``), HandEditInvalid or OSError; in each
        case nothing in memory is lost and the file is left as it was."""
        import time

        from ..core.io import atomic
        from ..core.profile.document import Profile, to_data
        from ..core.profile.edit import rewrite

        path = self.path()
        self.merged = []
        raw = _read_regular(path)
        old_text = None
        if raw is not None and _sha(raw) != self._disk:
            # Someone else wrote the file since this session last did: keep what they did.
            old_text = self._merge(path, raw, choices or {})
        answers, kept = self.saved_answers()
        fresh = self._fresh(answers, kept)
        data = to_data(Profile(self.equipment, answers, self.rs.edition, set_aside=kept), self.rs.facts)
        if old_text is not None:
            text = rewrite(path, data, fresh, untouched=None, old=old_text, lang=self.lang)
        else:
            text = rewrite(path, data, fresh, untouched=self._ours, lang=self.lang)
        text = self._with_evidence(text)
        now = time.monotonic()
        durable = not debounce or now - self._last_fsync >= self.FSYNC_EVERY
        encoded = text.encode("utf-8")
        atomic.write_bytes(path, encoded, fsync=durable)
        if durable:
            self._last_fsync = now
        self._disk = _sha(encoded)
        self._base = _flat(answers, kept)
        self._base_evidence = list(self.evidence)
        self._ours = fresh if text == fresh else None
        return path

    # --- evidence ------------------------------------------------------------------------

    def _with_evidence(self, text: str) -> str:
        """``text`` whose ``[[evidence]]`` entries are exactly ``self.evidence`` (a profile
        written fresh has none; one updated in place keeps the file's)."""
        if not self.evidence and "evidence" not in text:
            return text
        from ..core.io import tomlparse
        from ..core.profile.evidence import TABLE, edit_text

        have = tomlparse.loads(text).get(TABLE) or []
        have = {(str(d.get("rule")), str(d.get("path"))): d for d in have if isinstance(d, dict)}
        want = {(e.rule, e.path): e for e in self.evidence}
        remove = set(have) - set(want)
        add = [e for k, e in want.items() if have.get(k) != e.as_data()]
        if not remove and not add:
            return text
        return edit_text(text, add, remove, replace=True, lang=self.lang)

    def folder(self) -> str:
        from ..core.profile.evidence import profile_folder

        return profile_folder(self.path())

    def attached(self, rule: str) -> list[tuple[Any, str]]:
        """The files attached to ``rule`` with their state now (ok, missing, changed)."""
        from ..core.profile.evidence import disk_lookup, state

        lookup = disk_lookup(self.folder())
        return [(e, state(e, lookup)) for e in self.evidence if e.rule == rule]

    def attach(self, rule: str, file: str, note: str = ""):
        """Record ``file`` as evidence for ``rule`` (as ``medequip evidence add`` does; a
        file attached again after it changed has its record renewed). The next save writes
        it, under the lock this session holds. Raises UsageError saying what is wrong."""
        from ..core.io import safeio
        from ..core.profile.document import _check_text
        from ..core.profile.evidence import (
            MAX_TOTAL_BYTES,
            Entry,
            EvidenceProblem,
            digest,
            known_clauses,
            path_problem,
            relative_to,
        )
        from ..core.text.sanitize import escape

        if rule not in known_clauses(self.rs, self.equipment):
            raise UsageError(
                msg("evidence.cli_unknown_rule", rule=repr(rule), equipment=self.equipment, hint="")
            )
        file = os.path.expanduser(file)
        shown = escape(file)
        profile = self.path()
        try:
            if os.path.exists(profile) and os.path.samefile(file, profile):
                raise UsageError(msg("evidence.cli_file", path=shown, problem=msg("evidence.is_profile")))
        except (OSError, ValueError):
            pass
        try:
            size, sha = digest(file)
            path = relative_to(file, self.folder())
        except (safeio.Refused, EvidenceProblem) as e:
            raise UsageError(msg("evidence.cli_file", path=shown, problem=e.msg)) from None
        problem = path_problem(path)
        if problem:
            raise UsageError(msg("evidence.cli_file", path=shown, problem=problem))
        if note:
            note = _check_text(note, "", lambda m: UsageError(m))
        old = next((e for e in self.evidence if (e.rule, e.path) == (rule, path)), None)
        if old is not None and (old.size, old.sha256) == (size, sha) and (not note or note == old.note):
            raise UsageError(msg("evidence.cli_same", path=shown, rule=rule))
        sizes = {e.path: e.size for e in self.evidence}
        sizes[path] = size
        if sum(sizes.values()) > MAX_TOTAL_BYTES:
            total = f"{sum(sizes.values()):,}"
            raise UsageError(msg("evidence.cli_total", size=total, limit=f"{MAX_TOTAL_BYTES:,}"))
        entry = Entry(rule, path, size, sha, note or (old.note if old else ""))
        self.evidence = [e for e in self.evidence if e is not old] + [entry]
        return entry

    def detach(self, rule: str, path: str) -> None:
        """Take the record of ``path`` off ``rule`` (the file itself is left alone)."""
        self.evidence = [e for e in self.evidence if (e.rule, e.path) != (rule, path)]

    def save_beside(self) -> str:
        """Save to a new file beside the current one (``NAME.medequip-N.toml``) and go on
        saving there: for when nobody can be asked (input ended, the app is closing) and the
        current file holds someone else's edit that conflicts. Raises OSError or
        UsageError."""
        p = Path(self.output or self.path())
        n = 1
        while (candidate := p.with_name(f"{p.stem}.medequip-{n}{p.suffix or '.toml'}")).exists():
            n += 1
        self.move_to(str(candidate))
        return self.save()

    # --- someone else's edit -------------------------------------------------------------

    def _merge(self, path: str, raw: bytes, choices: dict[str, str]) -> str:
        """Merge the file's answers (someone else's edit) into the interview. Their change
        wins where this session left an answer as it was; this session's where they left it;
        where both changed it differently, ``choices`` decides or EditConflict is raised.
        Returns the file's text, to be updated in place (their comments stay)."""
        from ..core.profile.document import ProfileError, load
        from ..core.rules.loader import RulesetError

        try:
            profile, _ = load(raw, str(path), self.ruleset)
        except (ProfileError, RulesetError) as e:
            raise HandEditInvalid(path, e.msg) from None
        if profile.equipment != self.equipment:
            raise HandEditInvalid(
                path, msg("session.hand_edit_equipment", found=profile.equipment, equipment=self.equipment)
            )
        text = raw.decode("utf-8-sig")
        theirs = _flat(profile.answers, profile.set_aside)
        answers, kept = self.saved_answers()
        ours = _flat(answers, kept)
        base = self._base
        merged: dict[str, Any] = {}
        taken: list[str] = []
        conflicts: list[Conflict] = []
        for key in dict.fromkeys([*ours, *theirs, *base]):
            b, o, t = base.get(key, _ABSENT), ours.get(key, _ABSENT), theirs.get(key, _ABSENT)
            if t == b or t == o:
                pick = o
            elif o == b:
                pick = t
                taken.append(key)
            else:
                kind = choices.get(key)
                if kind is None:
                    conflicts.append(
                        Conflict(
                            key[2:],
                            key.startswith("k:"),
                            None if o is _ABSENT else o,
                            None if t is _ABSENT else t,
                        )
                    )
                    continue
                pick = t if kind == "theirs" else o
                if kind == "theirs":
                    taken.append(key)
            if pick is not _ABSENT:
                merged[key] = pick
        if conflicts:
            raise EditConflict(path, conflicts)
        self.evidence = _merge_evidence(self._base_evidence, self.evidence, profile.evidence)
        if taken:
            self._apply(merged)
            self.merged = [k[2:] for k in taken]
        return text

    def _apply(self, merged: dict[str, Any]) -> None:
        """Make the interview hold ``merged`` (flat answers and set-aside answers), keeping
        people still being added. The undo history is dropped: it records changes to the
        answers as they were, which someone else has since changed."""
        from ..interview.changes import copy_value

        iv = self.iv
        pending = {
            key: [p for p in value if "role" not in p]
            for key, value in iv.answers.items()
            if isinstance(value, list) and value and isinstance(value[0], dict)
        }
        answers, kept = _unflat(merged)
        for key, people in pending.items():
            if people:
                answers.setdefault(key, [])
                if isinstance(answers[key], list):
                    answers[key].extend(dict(p) for p in people)
        iv.answers.clear()
        iv.answers.update({k: copy_value(v) for k, v in answers.items()})
        iv.kept.clear()
        iv.kept.update(kept)
        iv.history.clear()
        if iv.open_roster is not None and not iv.answers.get(iv.open_roster):
            iv.open_roster = None
        iv._reevaluate()
        iv._begin("merge")
        iv._settle()
        iv._op = None


def _plain_entry(e):
    """An entry without where a file held it: entries compare by what they record."""
    from dataclasses import replace

    return replace(e, line=None)


def _merge_evidence(base: list, ours: list, theirs) -> list:
    """The file's entries (someone's edit) with this session's own changes since ``base``."""
    key = lambda e: (e.rule, e.path)  # noqa: E731
    was = {key(e): e for e in base}
    out = {key(e): _plain_entry(e) for e in theirs}
    for k in set(was) - {key(e) for e in ours}:
        out.pop(k, None)
    for e in ours:
        if was.get(key(e)) != e:
            out[key(e)] = e
    return list(out.values())


_INDEXED = re.compile(r"^(?P<roster>.+)\[(?P<i>\d+)\]\.(?P<field>[a-z0-9_]+)$")


def _flat(answers: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
    """Answers (``a:`` + flat key, one per person's field) and set-aside answers (``k:``)."""
    from ..interview.changes import flat

    out = {f"a:{k}": v for k, v in flat(answers).items()}
    out.update({f"k:{k}": v for k, v in kept.items()})
    return out


def _unflat(merged: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    answers: dict[str, Any] = {}
    people: dict[str, dict[int, dict]] = {}
    kept: dict[str, Any] = {}
    for key, value in merged.items():
        kind, flat_key = key[:2], key[2:]
        if kind == "k:":
            kept[flat_key] = value
            continue
        m = _INDEXED.match(flat_key)
        if m:
            people.setdefault(m["roster"], {}).setdefault(int(m["i"]), {})[m["field"]] = value
        else:
            answers[flat_key] = value
    for roster, by_index in people.items():
        answers[roster] = [by_index[i] for i in sorted(by_index)]
    for key in list(kept):
        m = _INDEXED.match(key)
        if m and int(m["i"]) >= len(answers.get(m["roster"]) or []):
            del kept[key]  # its person is gone (the file no longer lists them)
    return answers, kept


def guard_output(path: str, force: bool) -> None:
    """Refuse to overwrite a file that is not one of our profiles, unless forced."""
    from ..core.io import safeio
    from ..core.text.sanitize import escape

    p = Path(path)
    if force or not os.path.lexists(p):
        return
    if os.path.isdir(p):
        raise UsageError(msg("cli.output_is_dir", path=escape(path)))
    try:
        from ..core.io import safeio, tomlparse
        from ..core.profile.read import MAX_PROFILE_BYTES

        raw = safeio.read_limited(path, MAX_PROFILE_BYTES, "profile")
        data = tomlparse.loads(raw.decode("utf-8-sig"))
        if "schema_version" in data and "equipment" in data:
            return
    except safeio.Refused as e:
        raise UsageError(at(escape(path), e.msg)) from None
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    raise UsageError(msg("cli.output_not_profile", path=escape(path)))
