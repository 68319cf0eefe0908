"""The package layout is the architecture: imports only point down (entry > cli | tui >
reports > interview > core), the two front ends never import each other, and no module of
ours is part of an import cycle. import-linter checks the contracts in pyproject.toml; grimp
(which import-linter is built on) finds cycles. A future import that climbs fails here, not in
a code review."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assistant"


def test_import_linter_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "BROKEN" not in r.stdout and r.stdout.count("KEPT") >= 3


def test_every_function_is_within_the_complexity_budget():
    """The budget in pyproject (ruff's C901 and PLR0912) instead of a cap on module length:
    a function over it is a knot to untie, named here with its measure."""
    ruff = Path(sys.executable).with_name("ruff")
    r = subprocess.run(
        [str(ruff), "check", "--select", "C901,PLR0912", "--output-format", "concise", "assistant"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_import_cycle_among_our_modules():
    graph = grimp.build_graph("assistant")
    modules = sorted(graph.modules)
    cycles = []
    for m in modules:
        for other in graph.find_modules_directly_imported_by(m):
            if other != m and graph.chain_exists(importer=other, imported=m):
                cycles.append((m, other))
    assert not cycles, f"import cycles: {cycles}"


def test_each_package_says_what_lives_there_and_what_it_may_import():
    for init in PACKAGE.rglob("__init__.py"):
        doc = init.read_text("utf-8").lstrip()
        assert doc.startswith('"""'), f"{init} has no docstring"
        if init.parent != PACKAGE:
            assert "import" in doc.split('"""')[1], f"{init} does not say what it may import"
