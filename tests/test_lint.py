"""``medequip rules lint`` and custom rulesets given with ``--ruleset``.

A ruleset adapted by someone else is data from outside. Lint finds what would silently
decide a verdict wrongly (exit 1), warns about what is merely odd (exit 0, 1 with
--strict), and refuses files it cannot read or that are absurd (exit 2). A hostile file is
refused quickly with a message, by every command that takes --ruleset.
"""

from __future__ import annotations

import time

import pytest
from cli_helpers import ROOT, examples, run, write

BUNDLED = ROOT / "rulesets" / "class-b-access.toml"
RULE_53 = 'id = "pet_ct/5.3"'


def adapted(tmp_path, change) -> str:
    text = BUNDLED.read_text("utf-8")
    path = write(tmp_path / "custom.toml", change(text))
    return str(path)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "rulesets").glob("*.toml")))
def test_bundled_rulesets_lint_clean(name):
    p = run("rules", "lint", f"rulesets/{name}", "--lang", "en", "--strict")
    assert p.returncode == 0, p.stdout
    assert p.stdout.strip().endswith("no problems found")


DUP_RULE = """
[[rules]]
id = "pet_ct/5.3"
clause = "（五）3"
heading = { zh = "质量保障", en = "Quality assurance" }
text_zh = "重复"
text_en = "Duplicate"
condition = { fact = "pet_ct.maintenance_capability", value = true }
"""

NEW_FACT_RULE = """
[[facts]]
key = "pet_ct.cyclotron"
type = "bool"
label = { zh = "回旋加速器", en = "Cyclotron on site" }

[[rules]]
id = "pet_ct/5.4"
clause = "（五）4"
heading = { zh = "质量保障", en = "Quality assurance" }
text_zh = "有回旋加速器。"
text_en = "Has a cyclotron."
condition = { fact = "pet_ct.cyclotron", value = true }
"""

OVERLAP = """
[[exemptions]]
id = "pet_ct/7"
clause = "（七）"
heading = { zh = "补充", en = "Supplement" }
text_zh = "新建医疗机构不考察（二）2。"
text_en = "Newly built institutions are not assessed on (2)2."
grounds = [
  { key = "new", label = { zh = "新建医疗机构", en = "newly built institution" }, when = { fact = "institution.new_build", value = true }, waives = ["pet_ct/2.2"] },
]
"""

# Two clauses decided by each other's verdicts: neither can be decided first.
CYCLE = """
[[rules]]
id = "pet_ct/5.4"
clause = "（五）4"
heading = { zh = "质量保障", en = "Quality assurance" }
text_zh = "符合（五）5。"
text_en = "Meets (5)5."
condition = { rules = ["pet_ct/5.5"], label = { zh = "（五）5", en = "(5)5" } }

[[rules]]
id = "pet_ct/5.5"
clause = "（五）5"
heading = { zh = "质量保障", en = "Quality assurance" }
text_zh = "符合（五）4。"
text_en = "Meets (5)4."
condition = { rules = ["pet_ct/5.*"], label = { zh = "（五）各条", en = "the items of (5)" } }
"""

RULES_OF_NOTHING = """
[[rules]]
id = "pet_ct/5.4"
clause = "（五）4"
heading = { zh = "质量保障", en = "Quality assurance" }
text_zh = "符合（九）各条。"
text_en = "Meets (9)."
condition = { rules = ["pet_ct/9.*"], label = { zh = "（九）各条", en = "the items of (9)" } }
"""

MISSING_RULE = (
    OVERLAP.replace('id = "pet_ct/7"', 'id = "pet_ct/8"')
    .replace('"pet_ct/2.2"', '"pet_ct/2.9"')
    .replace("institution.new_build", "institution.independent_imaging_center")
)


@pytest.mark.parametrize(
    "change,severity,needle",
    [
        (lambda t: t + DUP_RULE, "error", "duplicate rule id pet_ct/5.3"),
        (
            lambda t: t.replace('text_en = "Able to maintain and repair the equipment."', 'text_en = ""'),
            "error",
            "pet_ct/5.3: text: English text is empty",
        ),
        (
            lambda t: t.replace(
                'heading = { zh = "质量保障", en = "Quality assurance" }',
                'heading = { zh = "", en = "Quality assurance" }',
                1,
            ),
            "error",
            "heading: Chinese text is empty",
        ),
        (
            lambda t: t.replace('value = "tertiary"', 'value = "tertary"', 1),
            "error",
            "institution.grade has no choice 'tertary'",
        ),
        (
            lambda t: t.replace(
                'condition = { fact = "pet_ct.maintenance_capability"',
                'condition = { fact = "pet_ct.maintenance_capabilty"',
            ),
            "error",
            "reads undeclared fact pet_ct.maintenance_capabilty",
        ),
        (lambda t: t + MISSING_RULE, "error", "pet_ct/8: names pet_ct/2.9, which matches no rule"),
        (
            lambda t: t.replace("[[rules]]\n" + RULE_53, "[[rules]]\nident = 1\n" + RULE_53),
            "error",
            "does not match the ruleset schema",
        ),
        (
            lambda t: t + CYCLE,
            "error",
            "rules conditions form a cycle: pet_ct/5.4 -> pet_ct/5.5 -> pet_ct/5.4",
        ),
        (
            lambda t: t + RULES_OF_NOTHING,
            "error",
            "rules condition names pet_ct/9.*, which matches no pet_ct rule",
        ),
        (lambda t: t + OVERLAP, "warning", "waive the same rules on the same condition: pet_ct/2.2"),
        (
            lambda t: t + NEW_FACT_RULE,
            "warning",
            "pet_ct/5.4: reads pet_ct.cyclotron, which no interview question asks",
        ),
    ],
    ids=[
        "duplicate-id",
        "empty-text-en",
        "empty-heading-zh",
        "unknown-choice",
        "undeclared-fact",
        "waives-missing-rule",
        "schema",
        "rules-cycle",
        "rules-of-nothing",
        "overlapping-exemptions",
        "unasked-fact",
    ],
)
def test_lint_finds(tmp_path, change, severity, needle):
    path = adapted(tmp_path, change)
    p = run("rules", "lint", path, "--lang", "en")
    assert needle in p.stdout, p.stdout
    assert f": {severity}: " in next(line for line in p.stdout.splitlines() if needle in line)
    assert p.returncode == (1 if severity == "error" else 0)
    assert run("rules", "lint", path, "--strict").returncode == 1
    zh = run("rules", "lint", path, "--lang", "zh")
    assert ("错误" if severity == "error" else "警告") in zh.stdout


def test_lint_points_at_the_line(tmp_path):
    path = adapted(
        tmp_path,
        lambda t: t.replace('text_en = "Able to maintain and repair the equipment."', 'text_en = ""'),
    )
    line = next(i for i, s in enumerate(BUNDLED.read_text("utf-8").splitlines(), 1) if s.startswith(RULE_53))
    assert f"custom.toml:{line}: error: pet_ct/5.3" in run("rules", "lint", path, "--lang", "en").stdout


@pytest.mark.parametrize(
    "content,needle",
    [
        (None, "no such file"),
        (b"[ruleset\n", "invalid TOML"),
        (b"\xff\xfe bad", "not UTF-8"),
    ],
)
def test_lint_exits_2_on_unreadable_files(tmp_path, content, needle):
    path = tmp_path / "r.toml"
    if content is not None:
        path.write_bytes(content)
    p = run("rules", "lint", str(path))
    assert p.returncode == 2 and needle in p.stderr and "Traceback" not in p.stderr


def _hostile(kind: str) -> str:
    head = BUNDLED.read_text("utf-8").split("# ===")[0]
    if kind == "huge":
        return head + "\n# " + "x" * (3 * 1024 * 1024) + "\n"
    if kind == "deep":
        cond = '{ fact = "institution.new_build", value = true }'
        for _ in range(60):
            cond = "{ not = " + cond + " }"
        return (
            head
            + f'\n[[rules]]\nid = "pet_ct/1"\nclause = "x"\nheading = {{ zh = "x", en = "x" }}\ntext_zh = "x"\ntext_en = "x"\ncondition = {cond}\n'
        )
    if kind == "counts":
        rules = "".join(
            f'\n[[rules]]\nid = "pet_ct/1.{i}"\nclause = "x"\nheading = {{ zh = "x", en = "x" }}\ntext_zh = "x"\ntext_en = "x"\n'
            'condition = { fact = "institution.new_build", value = true }\n'
            for i in range(400)
        )
        ground = '{ key = "g%d", label = { zh = "x", en = "x" }, when = { fact = "institution.new_build", value = true }, within = ["pet_ct/1.*"] }'
        exemptions = "".join(
            f'\n[[exemptions]]\nid = "pet_ct/9.{e}"\nclause = "x"\nheading = {{ zh = "x", en = "x" }}\ntext_zh = "x"\ntext_en = "x"\n'
            f"grounds = [{', '.join(ground % g for g in range(2))}]\n"
            for e in range(60)
        )
        return head + rules + exemptions
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind,needle", [("huge", "bytes"), ("deep", "nested"), ("counts", "exemption grounds")]
)
def test_hostile_rulesets_are_refused_quickly_everywhere(tmp_path, kind, needle):
    path = write(tmp_path / f"{kind}.toml", _hostile(kind))
    profile = str(next(iter(examples())))
    for args in (
        ("rules", "lint", str(path)),
        ("check", profile, "--ruleset", str(path)),
        ("rules", "pet_ct", "--ruleset", str(path)),
        ("template", "pet_ct", "--ruleset", str(path)),
        ("interview", "--plain", "--equipment", "pet_ct", "--ruleset", str(path)),
    ):
        start = time.monotonic()
        p = run(*args, input="", timeout=60)
        assert p.returncode == 2, (args, p.stdout[-500:], p.stderr[-500:])
        assert needle in p.stderr and "Traceback" not in p.stderr, p.stderr
        assert time.monotonic() - start < 20


def test_custom_ruleset_with_another_edition_is_named_in_the_report(tmp_path):
    path = adapted(tmp_path, lambda t: t.replace('edition = "undated"', 'edition = "2099-draft"', 1))
    assert run("rules", "lint", path).returncode == 0
    ex = next(p for p in examples() if 'equipment = "pet_ct"' in p.read_text("utf-8"))
    profile = write(
        tmp_path / "p.toml",
        ex.read_text("utf-8").replace(
            "schema_version = 1", 'schema_version = 1\nruleset_edition = "undated"', 1
        ),
    )
    p = run("check", str(profile), "--ruleset", path, "--lang", "en")
    assert p.returncode == 0
    assert "answered under ruleset edition undated; evaluated against 2099-draft" in p.stdout
    md = run("check", str(profile), "--ruleset", path, "--format", "markdown", "--lang", "zh")
    assert "本档案按规则集版本 undated 填写，现按 2099-draft 评估" in md.stdout
    rules = run("rules", "pet_ct", "--ruleset", path)
    assert rules.returncode == 0 and "pet_ct/5.3" in rules.stdout
    template = run("template", "pet_ct", "--ruleset", path)
    assert 'ruleset_edition = "2099-draft"' in template.stdout


def test_a_cycle_of_rules_conditions_is_refused_when_the_ruleset_is_loaded(tmp_path):
    path = adapted(tmp_path, lambda t: t + CYCLE)
    p = run("check", str(ROOT / "examples" / "pet_ct_new_nonpublic.toml"), "--ruleset", path)
    assert p.returncode == 2 and "form a cycle" in p.stderr and "Traceback" not in p.stderr
