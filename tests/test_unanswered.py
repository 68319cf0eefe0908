"""A fact never given is never stated as a value: a count over people some of whom have not
answered the attribute counted says how many are unanswered, in every report format, in
explain and in the interview's own lines. And a resumed complete profile is finished: no
question is asked, and the line mode exits with check's code."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from cli_helpers import EXAMPLES, drive_prompts, run

PROTON = EXAMPLES / "proton_existing_tertiary.toml"


def physicist_without_years(tmp_path):
    """The proton example with one more physicist whose years (and training) were never
    answered: she cannot be counted among the 10-year physicists, nor excluded."""
    path = tmp_path / "p.toml"
    path.write_text(
        PROTON.read_text("utf-8")
        + '\n[[proton.clinical_staff]]\nname = "吴物理师"\nrole = "physicist"\ntitle = "senior"\n',
        "utf-8",
    )
    return path


def physicists_only_unanswered(tmp_path):
    """Four physicians, and one physicist whose years were never given: the 10-year count is
    decided (not met) without her, and must still not read as a plain '0'."""
    text = PROTON.read_text("utf-8")
    cut = text.index('[[proton.clinical_staff]]\nname = "赵物理师"')
    path = tmp_path / "p.toml"
    path.write_text(
        text[:cut]
        + '[[proton.clinical_staff]]\nname = "赵物理师"\nrole = "physicist"\ntitle = "intermediate"\n',
        "utf-8",
    )
    return path


ZH = re.compile(r"10 年以上工作经验的医学物理师：(\d+) 名（另 (\d+) 名未回答）")
EN = re.compile(r"medical physicists with 10 years or more of experience: (\d+) \((\d+) more not answered\)")


@pytest.mark.parametrize("make", [physicist_without_years, physicists_only_unanswered])
@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_every_report_format_says_how_many_are_unanswered(tmp_path, make, fmt):
    path = make(tmp_path)
    for lang, pattern in (("zh", ZH), ("en", EN)):
        out = run("check", str(path), "--format", fmt, "--lang", lang).stdout
        found = pattern.findall(out)
        assert found, out[:3000]
        assert all(int(unknown) == 1 for _, unknown in found)
        # The bare count never appears without the unanswered one beside it.
        bare = "10 年以上工作经验的医学物理师：" if lang == "zh" else "10 years or more of experience: "
        assert out.count(bare) == len(found) or fmt == "json"


def test_the_json_shortfall_and_reason_say_it_too(tmp_path):
    report = json.loads(
        run("check", str(physicists_only_unanswered(tmp_path)), "--format", "json", "--lang", "zh").stdout
    )
    rule = next(r for r in report["rules"] if r["id"] == "proton/2.2.2")
    assert rule["status"] == "not_met"  # short even if she qualified
    assert ZH.search(rule["reason"]) and any(ZH.search(s) for s in rule["shortfall"])


def test_explain_says_how_many_are_unanswered(tmp_path):
    path = physicist_without_years(tmp_path)
    out = run("explain", str(path), "proton/2.2.2", "--lang", "zh").stdout
    assert ZH.search(out), out
    data = json.loads(run("explain", str(path), "proton/2.2.2", "--format", "json", "--lang", "en").stdout)
    assert any(EN.search(s["message"]) for s in data["steps"])


def test_the_interview_summary_says_how_many_are_unanswered(tmp_path):
    path = physicists_only_unanswered(tmp_path)
    proc, asked, out = drive_prompts(
        ["--plain", "--resume", str(path), "--lang", "zh"],
        lambda key, text: "" if key == "done" else "跳过",
        tmp_path,
    )
    assert ZH.search(out), out[-3000:]


# --- resume of a complete profile -----------------------------------------------------------


@pytest.mark.parametrize(
    "change", [None, ("imrt_years = 16", "imrt_years = 9")], ids=["compliant", "not_compliant"]
)
@pytest.mark.parametrize("how", ["enter", "eof", "quit_word"])
def test_resume_of_a_complete_profile_asks_nothing_and_exits_with_checks_code(tmp_path, change, how):
    path = tmp_path / "p.toml"
    shutil.copy(PROTON, path)
    if change:
        path.write_text(path.read_text("utf-8").replace(*change), "utf-8")
    expected = run("check", str(path)).returncode
    assert expected == (0 if change is None else 1)
    if how == "eof":
        p = run("interview", "--plain", "--resume", str(path), "--lang", "zh", input="")
        assert p.returncode == expected, p.stdout
        assert "再添加一位吗" not in p.stdout and "还需" not in p.stdout
        return
    typed = {"enter": "", "quit_word": "结束"}[how]
    proc, asked, out = drive_prompts(
        ["--plain", "--resume", str(path), "--lang", "zh"], lambda key, text: typed, tmp_path
    )
    assert asked == ["done"], out
    assert "再添加一位吗" not in out
    assert proc.returncode == expected


def test_unknown_text_at_the_closing_prompt_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "p.toml"
    shutil.copy(PROTON, path)
    replies = iter(["2", "嗯嗯", ""])
    proc, asked, out = drive_prompts(
        ["--plain", "--resume", str(path), "--lang", "zh"], lambda key, text: next(replies), tmp_path
    )
    assert asked == ["done", "done", "done"], out
    assert out.count("看不懂") == 2 and "修改" in out
    assert proc.returncode == 0
