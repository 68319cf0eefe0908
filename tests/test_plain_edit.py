"""Changing answers and the staff in the line mode: ``edit KEY`` / ``修改`` and ``人员`` / ``staff``,
during the interview, after the last question and after ``--resume``."""

from __future__ import annotations

import tomllib

from cli_helpers import drive_prompts


def drive(args: list[str], answer, cwd) -> tuple[int, list[str], str]:
    """Answer each prompt with ``answer(key, transcript)``, the way an expect script does."""
    proc, asked, out = drive_prompts(args, answer, cwd)
    return proc.returncode, asked, out


def scripted(steps: list[tuple[str, str]], default):
    """Answer the listed prompts in order (each once), everything else by ``default``."""
    queue = list(steps)

    def answer(key: str, text: str) -> str:
        if queue and queue[0][0] == key:
            return queue.pop(0)[1]
        return default(key)

    answer.queue = queue  # type: ignore[attr-defined]
    return answer


def test_edit_key_changes_an_earlier_answer_in_place_and_asks_only_what_it_opens(tmp_path):
    out_file = tmp_path / "p.toml"

    def default(key):
        known = {
            "institution.name": "甲医院",
            "institution.new_build": "是",
            "institution.ownership": "1",
            "institution.independent_imaging_center": "否",
            "done": "",
        }
        return known.get(key, "跳过")

    # Answer as a new build, then say it is not: the questions that opens are asked, and
    # nothing answered before is asked again.
    answer = scripted(
        [("pet_ct.ct_slices", "edit institution.new_build"), ("edit institution.new_build", "否")],
        default,
    )
    code, asked, out = drive(
        ["--plain", "--equipment", "pet_ct", "--lang", "zh", "-o", str(out_file)], answer, tmp_path
    )
    assert not answer.queue, out[-2000:]
    assert code == 3, out[-2000:]  # finished with questions skipped: incomplete, as check says
    i = asked.index("edit institution.new_build")
    before, after = asked[:i], asked[i + 1 :]
    answered_before = [k for k in before if not k.startswith("edit")]
    assert not set(answered_before) & set(after) - {"pet_ct.ct_slices"}
    assert "pet_ct.nuclear_medicine_years" in after  # no longer waived
    saved = tomllib.loads(out_file.read_text("utf-8"))
    assert saved["institution"]["new_build"] is False
    assert saved["institution"]["name"] == "甲医院"


def test_edit_by_part_of_the_label_after_the_last_question(tmp_path):
    out_file = tmp_path / "p.toml"
    answer = scripted(
        [("done", "修改 机构名称"), ("edit institution.name", "乙医院"), ("done", "")],
        lambda key: {"institution.name": "甲医院", "done": ""}.get(key, "跳过"),
    )
    code, asked, out = drive(
        ["--plain", "--equipment", "pet_ct", "--lang", "zh", "-o", str(out_file)], answer, tmp_path
    )
    assert code == 3, out[-2000:]  # finished with questions skipped: incomplete, as check says
    assert not answer.queue
    assert tomllib.loads(out_file.read_text("utf-8"))["institution"]["name"] == "乙医院"


def proton_default(key: str) -> str:
    if key == "institution.name":
        return "质子医院"
    if key.endswith(".role"):
        return "1"
    if key.endswith(".name"):
        # Each person their own name: one name twice in one role is one person listed twice,
        # which the interview refuses (and would ask again for ever).
        return "张医生" if "[0]" in key else "王医生"
    if key == "proton.clinical_staff.add":
        return "否"
    if key in ("done", "staff", "edit"):
        return ""
    return "跳过"


def test_staff_added_and_removed_after_resume_and_after_finishing(tmp_path):
    path = tmp_path / "p.toml"
    first = scripted(
        [("proton.clinical_staff.add", "是"), ("proton.clinical_staff.add", "是")], proton_default
    )
    code, asked, out = drive(
        ["--plain", "--equipment", "proton", "--lang", "zh", "-o", str(path)], first, tmp_path
    )
    assert code in (1, 3), out[-2000:]  # finished: as check says (skips leave it open or not met)
    assert len(tomllib.loads(path.read_text("utf-8"))["proton"]["clinical_staff"]) == 2

    # Resumed after the end: add a third person from the staff list, then remove the first.
    def names(key):
        return "李医生" if key.endswith(".name") else proton_default(key)

    again = scripted(
        [("done", "人员"), ("staff", "添加"), ("done", "staff"), ("staff", "删除 1"), ("staff", "")], names
    )
    code, asked, out = drive(["--plain", "--resume", str(path), "--lang", "zh"], again, tmp_path)
    assert code in (1, 3), out[-2000:]  # finished: as check says (skips leave it open or not met)
    assert not again.queue, out[-3000:]
    assert "proton.clinical_staff[2].role" in asked
    staff = tomllib.loads(path.read_text("utf-8"))["proton"]["clinical_staff"]
    assert [p["name"] for p in staff] == ["王医生", "李医生"]
    assert "李医生" in out and "放射治疗医师" in out  # the list shows name and role
