"""What people expect of a command line: shell completion, a manual page, JSON for every
command with machine output (validated against the shipped schemas), progress only on a
real terminal, cache directories where the platform keeps them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import resources

import pytest
from cli_helpers import EXAMPLES, ROOT, run
from jsonschema_check import errors

from assistant.core.rules.model import EQUIPMENT_KEYS


def _bash_complete(script: str, *words: str) -> list[str]:
    """What bash offers for ``words`` (the last one being completed) with ``script`` loaded."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    probe = (
        script
        + f"\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; COMPREPLY=();"
        + " _shtab_medequip; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    r = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    return [w for w in r.stdout.split("\n") if w]


@pytest.fixture(scope="module")
def bash_script() -> str:
    r = run("completion", "bash")
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_the_bash_completion_loads_in_bash(bash_script):
    r = subprocess.run(
        ["bash", "-c", 'source <(cat) && complete -p medequip'],
        input=bash_script, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "medequip" in r.stdout


def test_bash_completes_commands(bash_script):
    assert _bash_complete(bash_script, "medequip", "ch") == ["check", "checklist"]
    assert "completion" in _bash_complete(bash_script, "medequip", "")


def test_bash_completes_rule_ids_after_rules_show(bash_script):
    offered = _bash_complete(bash_script, "medequip", "rules", "show", "pet_")
    assert "pet_ct/2.3" in offered and "pet_mr/3.3" in offered
    assert all(w.startswith("pet_") for w in offered)
    assert not any(w.startswith("proton") for w in offered)


def test_bash_completes_equipment_keys_formats_and_options(bash_script):
    assert _bash_complete(bash_script, "medequip", "template", "") == list(EQUIPMENT_KEYS)
    assert _bash_complete(bash_script, "medequip", "check", "--format", "j") == ["json", "jsonl"]
    assert "--exit-zero" in _bash_complete(bash_script, "medequip", "check", "--e")
    assert _bash_complete(bash_script, "medequip", "rules", "") == ["show", "lint", *EQUIPMENT_KEYS]


def test_zsh_and_fish_scripts_are_generated():
    zsh = run("completion", "zsh")
    assert zsh.returncode == 0 and zsh.stdout.startswith("#compdef medequip")
    assert "_medequip_rule_ids" in zsh.stdout and "pet_ct/2.3" in zsh.stdout
    fish = run("completion", "fish")
    assert fish.returncode == 0 and "complete -c medequip" in fish.stdout and "pet_ct/2.3" in fish.stdout
    if shutil.which("fish"):
        r = subprocess.run(["fish", "-n"], input=fish.stdout, capture_output=True, text=True, check=False)
        assert r.returncode == 0, r.stderr
    if shutil.which("zsh"):
        r = subprocess.run(["zsh", "-n"], input=zsh.stdout, capture_output=True, text=True, check=False)
        assert r.returncode == 0, r.stderr


def test_the_man_page_covers_every_command_and_renders():
    r = run("man", LANG="en_US.UTF-8")
    assert r.returncode == 0, r.stderr
    page = r.stdout
    assert page.startswith(".TH MEDEQUIP 1")
    for command in (
        "check",
        "checklist",
        "diff",
        "template",
        "schema",
        "rules",
        "explain",
        "interview",
        "questions",
        "completion",
    ):
        assert f".SS {command}\n" in page
    assert "\\-\\-exit\\-zero" in page
    if shutil.which("groff"):
        out = subprocess.run(
            ["groff", "-k", "-man", "-Tutf8", "-ww"], input=page, capture_output=True, text=True, check=False
        )
        assert out.returncode == 0 and "warning" not in out.stderr, out.stderr
        text = re.sub(".\b", "", out.stdout)  # grotty's bold by overstriking
        assert "COMMANDS" in text and "ENVIRONMENT" in text
    zh = run("man", LANG="zh_CN.UTF-8").stdout
    assert ".SH 命令" in zh


# --- JSON for every command with machine output --------------------------------------------------


def _schema(name: str) -> dict:
    return json.loads(
        (resources.files("assistant.reports") / "schemas" / f"{name}.schema.json").read_text("utf-8")
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("rule", ["pet_ct/2.2", "pet_ct/3.1", "pet_ct/6"])
def test_explain_json_matches_the_shipped_schema(rule, lang):
    r = run("explain", str(EXAMPLES / "pet_ct_new_nonpublic.toml"), rule, "--format", "json", "--lang", lang)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert errors(_schema("explain"), doc) == []
    assert doc["id"] == rule and doc["lang"] == lang
    text = run("explain", str(EXAMPLES / "pet_ct_new_nonpublic.toml"), rule, "--lang", lang).stdout
    assert all(step["message"] in text for step in doc["steps"])


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_checklist_json_matches_the_shipped_schema(example):
    r = run("checklist", str(EXAMPLES / example), "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert errors(_schema("checklist"), doc) == []
    report = json.loads(run("check", str(EXAMPLES / example), "--format", "json", "--exit-zero").stdout)
    assert doc["items"] == report["checklist"]


def test_schema_command_prints_the_shipped_schemas():
    for name in ("explain", "checklist"):
        assert json.loads(run("schema", name).stdout) == _schema(name)


def test_a_broken_schema_document_fails_validation():
    doc = json.loads(
        run("explain", str(EXAMPLES / "pet_ct_new_nonpublic.toml"), "pet_ct/2.2", "--format", "json").stdout
    )
    doc["verdict"]["status"] = "fine"
    with pytest.raises(Exception):  # noqa: B017 - the validator's own error type
        assert errors(_schema("explain"), doc) == []


# --- progress and directories -------------------------------------------------------------------


class _Tty:
    def isatty(self):
        return True


@pytest.mark.parametrize(
    "term,quiet,expected",
    [("xterm-256color", False, True), ("dumb", False, False), ("xterm", True, False), (None, False, True)],
)
def test_progress_only_on_a_real_terminal_and_never_when_quiet(monkeypatch, term, quiet, expected):
    from assistant.cli.output import progress_wanted

    if term is None:
        monkeypatch.delenv("TERM", raising=False)
    else:
        monkeypatch.setenv("TERM", term)
    assert progress_wanted(_Tty(), quiet) is expected


def test_no_progress_when_stderr_is_not_a_terminal(monkeypatch):
    import io

    from assistant.cli.output import progress_wanted

    monkeypatch.setenv("TERM", "xterm")
    assert progress_wanted(io.StringIO(), False) is False


def test_the_cache_lives_where_platformdirs_says_unless_overridden(monkeypatch, tmp_path):
    import platformdirs

    from assistant.core.io.cache import cache_dir

    monkeypatch.delenv("MEDEQUIP_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == platformdirs.user_cache_path("medequip", appauthor=False)
    assert cache_dir() == tmp_path / "xdg" / "medequip"
    # Linux applies the XDG rule itself (no platformdirs import at start-up); elsewhere
    # platformdirs decides.
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(platformdirs, "user_cache_path", lambda *a, **k: tmp_path / "elsewhere")
    assert cache_dir() == tmp_path / "elsewhere"
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("MEDEQUIP_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("MEDEQUIP_CACHE_DIR", "off")
    assert cache_dir() is None


def test_the_readme_says_how_to_install_completion_and_the_man_page():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "medequip completion bash" in readme and "medequip man" in readme
