"""An interview bound to the profile it autosaves to: what the TUI and the line mode share."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import UsageError
from ..core.messages import msg


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
        from ..core import loader
        from ..interview import questions
        from ..interview.engine import Interview

        self.rs = loader.for_equipment(equipment, ruleset)
        self.equipment = equipment
        self.lang = lang
        self.questions = questions.load(self.rs, equipment)
        self.iv = Interview(self.rs, equipment, self.questions, answers=dict(given or {}))
        self.output = output
        self.force = force
        # What medequip itself would have written for the given answers: a file still exactly
        # that holds nothing of a person's, so it keeps being written fresh (catalogue order).
        self._ours = self._fresh(dict(given)) if given else None
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

    def _fresh(self, answers: dict) -> str:
        from ..core.profile import Profile, dumps

        return dumps(Profile(self.equipment, answers, self.rs.edition), self.rs.facts)

    def save(self) -> str:
        """Write the answers. A file a person has edited (a filled-in template, their notes)
        is updated in place, keeping every comment; otherwise it is written from scratch."""
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
        atomic.write_text(path, text)
        self._ours = fresh if text == fresh else None
        return path


def guard_output(path: str, force: bool) -> None:
    """Refuse to overwrite a file that is not one of our profiles, unless forced."""
    import os

    p = Path(path)
    if force or not os.path.lexists(p):
        return
    if os.path.isdir(p):
        raise UsageError(msg("cli.output_is_dir", path=path))
    try:
        import tomllib

        from ..core.profile import MAX_PROFILE_BYTES

        if p.stat().st_size > MAX_PROFILE_BYTES:
            raise ValueError("too large to be a profile")
        data = tomllib.loads(p.read_text("utf-8-sig"))
        if "schema_version" in data and "equipment" in data:
            return
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    raise UsageError(msg("cli.output_not_profile", path=path))
