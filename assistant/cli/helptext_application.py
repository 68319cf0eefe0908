"""The ``--help`` examples of the application file's commands (issue 24), which ``helptext.py``
merges into its table; their texts are ``help.*`` entries of ``strings/help.toml``."""

from __future__ import annotations

EXAMPLES: dict[str, list[tuple[str, str | None]]] = {
    "evidence": [
        (
            "medequip evidence add ours.toml pet_ct/3.2 certificates/dr-zhang.pdf --note 'chief physician'",
            None,
        ),
        ("medequip evidence add ours.toml pet_ct/2.3 stats/2025.xlsx stats/2024.xlsx", None),
        ("medequip evidence list ours.toml", None),
        ("medequip evidence remove ours.toml pet_ct/2.3 stats/2024.xlsx", None),
    ],
    "evidence.add": [
        (
            "medequip evidence add ours.toml pet_ct/3.2 certificates/dr-zhang.pdf --note 'chief physician'",
            None,
        ),
        (
            "medequip evidence add ours.toml pet_ct/6 approvals/filing.pdf",
            "help.note.proof_of_exemption_ground",
        ),
        (
            "medequip evidence add ours.toml pet_ct/2.3 stats/2025.xlsx --replace",
            "help.note.record_file_again_after",
        ),
    ],
    "evidence.list": [
        ("medequip evidence list ours.toml", None),
        ("medequip evidence list ours.toml --format json", None),
    ],
    "evidence.remove": [
        ("medequip evidence remove ours.toml pet_ct/2.3 stats/2024.xlsx", None),
        (
            "medequip evidence remove ours.toml pet_ct/2.3",
            "help.note.every_file_of_clause",
        ),
    ],
    "pack": [
        ("medequip pack ours.toml -o application.zip", None),
        (
            "medequip pack ours.toml -o application.zip --allow-missing",
            "help.note.manifest_names_what_is",
        ),
    ],
    "verify": [
        ("medequip verify application.zip", None),
        ("medequip verify application.zip --format json", None),
    ],
    "check": [
        (
            "medequip check application.zip --review application.review.toml",
            "help.note.final_verdict_after_review",
        ),
        ("medequip check packages/ --review-dir reviews/ --format xlsx -o final.xlsx", None),
    ],
    "review": [
        ("medequip review application.zip --reviewer 王审核", None),
        ("medequip review application.zip --plain", "help.note.line_mode"),
    ],
}
