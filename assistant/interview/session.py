"""An interview bound to the profile it autosaves to: what the TUI and the line mode share."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import UsageError


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
        from ..core import atomic
        from ..core.profile import Profile, dumps

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

        from ..core.profile import MAX_PROFILE_BYTES

        if p.stat().st_size > MAX_PROFILE_BYTES:
            raise ValueError("too large to be a profile")
        data = tomllib.loads(p.read_text("utf-8-sig"))
        if "schema_version" in data and "equipment" in data:
            return
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    raise UsageError(f"{path} exists and is not a medequip profile; use --force to overwrite it")
