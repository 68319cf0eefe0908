"""Shared fixtures and the test tiers.

Every test file belongs to one tier, named here and nowhere else (a file not listed is
``unit``); run one tier with ``pytest -m TIER`` (see README, "Tests"):

- ``unit``: functions and classes called directly, no command run;
- ``cli``: commands run in-process with a run context of their own (``cli_helpers.run``),
  plus the few real processes a command-line test needs (start-up, a closed pipe, a full
  disk, the exit status itself);
- ``tui``: the chat, through Textual's pilot and in a real pseudo-terminal;
- ``property``: Hypothesis properties over generated profiles, rulesets and answers;
- ``slow``: fuzzing, signals and kills of whole process groups, real browsers.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
EXAMPLES = ROOT / "examples"
os.environ.setdefault("NO_COLOR", "1")
sys.path.insert(0, str(ROOT / "tests"))

TIERS = ("unit", "cli", "tui", "property", "slow")

# Test file (without .py) -> tier. One place: a new file is unit until it is named here.
TIER_OF = {
    **dict.fromkeys(
        (
            "test_autosave",
            "test_batch",
            "test_cache_trust",
            "test_clause_cases",
            "test_cli",
            "test_cli_conventions",
            "test_cli_language",
            "test_corpus",
            "test_diff_template",
            "test_editions_variants",
            "test_explain_all",
            "test_extends_chain",
            "test_hardening",
            "test_invisible",
            "test_lint",
            "test_medequip_test",
            "test_output_path",
            "test_plain",
            "test_plain_edit",
            "test_portable",
            "test_profile_comments",
            "test_reports",
            "test_reviewer",
            "test_rules_edges",
            "test_set_aside",
            "test_typed_answers",
            "test_unanswered",
        ),
        "cli",
    ),
    **dict.fromkeys(
        (
            "test_tui",
            "test_tui_autosave",
            "test_tui_collect",
            "test_tui_edit",
            "test_tui_keys",
            "test_tui_language",
            "test_tui_lists",
            "test_tui_pty",
            "test_tui_retired",
            "test_tui_sizes",
            "test_tui_snapshots",
            "test_tui_typing",
        ),
        "tui",
    ),
    **dict.fromkeys(("test_properties", "test_exact", "test_schema_fuzz"), "property"),
    **dict.fromkeys(
        (
            "test_fuzz",
            "test_durability",
            "test_batch_signals",
            "test_html_chromium",
            "test_reviewer_chromium",
        ),
        "slow",
    ),
}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        tier = TIER_OF.get(Path(str(item.fspath)).stem, "unit")
        item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture()
def cli_run():
    """``cli_run(*argv, ...)``: a command run in-process with a run context of its own
    (``cli_helpers.run``): a finished process's ``returncode``, ``stdout`` and ``stderr``."""
    from cli_helpers import run

    return run
