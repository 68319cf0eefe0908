"""An interview bound to the profile it autosaves to: what the TUI and the line mode share."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import UsageError
from ..core.messages import at, msg


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

        from ..core import (
            atomic,  # noqa: F401
            loader,
        )
        from ..core.profile import dumps  # noqa: F401
        from ..interview import questions
        from ..interview.engine import resume

        self.lock = None
        self.rs = loader.for_equipment(equipment, ruleset)
        self.equipment = equipment
        self.lang = lang
        self.questions = questions.load(self.rs, equipment)
        self.iv = resume(self.rs, equipment, self.questions, dict(given or {}))
        self.output = output
        self.force = force
        # What medequip itself would have written for the given answers: a file still exactly
        # that holds nothing of a person's, so it keeps being written fresh (catalogue order).
        self._ours = self._fresh(dict(given)) if given else None
        if output:
            guard_output(output, force)
            self._lock(output)

    def _lock(self, path: str) -> None:
        """One writer per profile: a second interview on the same file is refused, naming
        the first (the lock goes with the process, so a killed one leaves nothing stale)."""
        import atexit

        from ..core.lock import Locked, ProfileLock

        lock = ProfileLock(path)
        try:
            lock.acquire()
        except Locked as e:
            raise UsageError(e.msg) from None
        self.lock = lock
        atexit.register(self.close)

    def move_to(self, path: str) -> None:
        """Save to ``path`` from now on ("save as"): guarded and locked as ``-o`` is, and the
        lock on the file saved to before is let go."""
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

    def _fresh(self, answers: dict) -> str:
        from ..core.profile import Profile, dumps

        return dumps(Profile(self.equipment, answers, self.rs.edition), self.rs.facts)

    def save(self, debounce: bool = False) -> str:
        """Write the answers. A file a person has edited (a filled-in template, their notes)
        is updated in place, keeping every comment; otherwise it is written from scratch.
        ``debounce``: flushed to the disk at most once a second (see ``FSYNC_EVERY``)."""
        import time

        from ..core import atomic
        from ..core.profile import Profile, to_data
        from ..core.profile_edit import rewrite

        answers = dict(self.iv.answers)
        for key, value in list(answers.items()):
            if isinstance(value, list) and value and isinstance(value[0], dict):
                # A person just added has answered nothing until their role is known.
                answers[key] = [p for p in value if "role" in p]
        path = self.path()
        fresh = self._fresh(answers)
        data = to_data(Profile(self.equipment, answers, self.rs.edition), self.rs.facts)
        text = rewrite(path, data, fresh, untouched=self._ours)
        now = time.monotonic()
        durable = not debounce or now - self._last_fsync >= self.FSYNC_EVERY
        atomic.write_bytes(path, text.encode("utf-8"), fsync=durable)
        if durable:
            self._last_fsync = now
        self._ours = fresh if text == fresh else None
        return path


def guard_output(path: str, force: bool) -> None:
    """Refuse to overwrite a file that is not one of our profiles, unless forced."""
    import os

    from ..core import safeio
    from ..core.sanitize import escape

    p = Path(path)
    if force or not os.path.lexists(p):
        return
    if os.path.isdir(p):
        raise UsageError(msg("cli.output_is_dir", path=escape(path)))
    try:
        from ..core import safeio, tomlparse
        from ..core.profile import MAX_PROFILE_BYTES

        raw = safeio.read_limited(path, MAX_PROFILE_BYTES, "profile")
        data = tomlparse.loads(raw.decode("utf-8-sig"))
        if "schema_version" in data and "equipment" in data:
            return
    except safeio.Refused as e:
        raise UsageError(at(escape(path), e.msg)) from None
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    raise UsageError(msg("cli.output_not_profile", path=escape(path)))
