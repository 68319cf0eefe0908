"""How many questions an interview asks: the interview answered from a profile (what the
profile does not hold is skipped, as a person who does not know yet would), counting every
question put. ``python -m tests.benchmarks.questions`` prints, per example and per equipment
for generated profiles, the number asked."""

from __future__ import annotations

import random
import statistics
from pathlib import Path

from assistant.core.profile import document as profile
from assistant.core.rules.model import EQUIPMENT_KEYS
from assistant.interview import questions
from assistant.interview.engine import ADD, Interview

ROOT = Path(__file__).resolve().parents[2]


def asked(rs, equipment: str, given: dict) -> int:
    return len(asked_keys(rs, equipment, given))


def asked_keys(rs, equipment: str, given: dict) -> list[str]:
    """The keys of the questions put, in order, answering each from ``given``."""
    iv = Interview(rs, equipment, questions.load(rs, equipment))
    keys: list[str] = []
    while (step := iv.next()) is not None and len(keys) < 5_000:
        keys.append(step.key)
        if step.fact.key == ADD:
            if step.roster not in given:
                iv.skipped.add(step.key)
            else:
                have, now = given.get(step.roster) or [], len(iv.answers.get(step.roster) or [])
                iv.set(step, now < len(have))
        elif step.index is not None:
            person = (given.get(step.roster) or [])[step.index]
            if step.fact.key in person:
                iv.set(step, person[step.fact.key])
            else:
                iv.skipped.add(step.key)
        elif step.key in given:
            iv.set(step, given[step.key])
        else:
            iv.skipped.add(step.key)
    return keys


# The reviewers' cases of the issue "decided when no answer can change it": an example with
# one question its hospital cannot answer yet, which no verdict depends on.
REVIEWERS = (
    ("proton_existing_tertiary", "new-build unknown", {"institution.new_build": None}),
    (
        "proton_existing_tertiary",
        "a training base, whether it is one unknown",
        {
            "proton.training_base_applicant": None,
            "proton.training_base_filed": True,
            "proton.base_practice_years": 6,
            "proton.base_ward_beds": 30,
            "proton.base_min_annual_cases_last3": 250,
            "proton.base_instructing_physicians": 4,
            "proton.base_instructing_chief_physicians": 2,
            "proton.base_physicists": 3,
            "proton.base_researcher_physicists": 1,
            "proton.base_training_conditions": ["staff", "technology", "equipment", "facilities"],
            "proton.base_materials_syllabus": True,
            "proton.base_curriculum": ["clinical", "physics", "technology", "nursing"],
            "proton.base_training_formats": ["theory", "clinical_practice"],
            "proton.base_on_time_completion": True,
            "proton.base_exams_conclusions": True,
            "proton.base_trainee_archives": True,
            "proton.base_academic_participation": True,
        },
    ),
    (
        "pet_ct_new_nonpublic",
        "an existing public hospital meeting the 128-slice clauses, slice count unknown",
        {
            "institution.new_build": False,
            "institution.ownership": "public",
            "pet_ct.ct_slices": None,
            "pet_ct.nuclear_medicine_standing": "national_leading",
            "pet_ct.national_guiding_role": True,
            "pet_ct.advanced_capabilities": True,
            "pet_ct.licensed_nm_imaging_staff": 9,
            "pet_ct.senior_nm_imaging_staff_trained": 4,
        },
    ),
)


def scenarios(generated: int = 20, seed: int = 11) -> list[tuple[str, float]]:
    """(scenario, questions asked): each example, the reviewers' cases, then the mean over
    generated profiles of each equipment (a tenth of their facts unanswered)."""
    from tests.benchmarks.generate import profile_text

    out = []
    for path in sorted((ROOT / "examples").glob("*.toml")):
        prof, rs = profile.load(path.read_bytes(), path.name)
        out.append((path.stem, asked(rs, prof.equipment, prof.answers)))
    for example, what, changes in REVIEWERS:
        path = ROOT / "examples" / f"{example}.toml"
        prof, rs = profile.load(path.read_bytes(), path.name)
        given = {k: v for k, v in {**prof.answers, **changes}.items() if v is not None}
        out.append((f"{example}, {what}", asked(rs, prof.equipment, given)))
    rnd = random.Random(seed)
    for equipment in EQUIPMENT_KEYS:
        counts = []
        for i in range(generated):
            prof, rs = profile.load(profile_text(equipment, rnd).encode("utf-8"), f"gen{i}.toml")
            counts.append(asked(rs, equipment, prof.answers))
        out.append((f"generated {equipment} (mean of {generated})", statistics.mean(counts)))
    return out


if __name__ == "__main__":
    for name, n in scenarios():
        print(f"{name}: {n:g}")
