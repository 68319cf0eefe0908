"""The line mode's review and roster: ``修改`` / ``edit`` lists every answer by section with the
clauses it feeds, ``edit KEY`` changes one in place, ``人员`` / ``staff`` lists the people and
adds, changes or removes one. The prompts are ``[edit]> ``, ``[edit KEY]> `` and
``[staff]> ``, so a script can drive them like any question.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.profile.answers import AnswerError, hint, normalize
from ..core.text.i18n import STATUS
from ..core.text.messages import tr, word
from ..interview.review import ReviewItem, find, review, shown_value
from ..interview.session import Session
from .output import say

Ask = Callable[[str], "str | None"]


def _feeds_line(s: Session, item: ReviewItem, lang: str) -> str:
    rows = s.iv.feeds(item.question.key)
    if not rows:
        return ""
    shown = [f"{r['id']} {STATUS[r['status']].get(lang)}" for r in rows[:4]]
    more = len(rows) - len(shown)
    if more > 0:
        shown.append(tr("cli.plain_edit.and_more", lang, more=more))
    return "  → " + word("punct.comma", lang).join(shown)


def list_answers(s: Session, lang: str, items: list[ReviewItem] | None = None) -> list[ReviewItem]:
    """Every answer, numbered, by section; unused ones marked."""
    items = review(s.iv) if items is None else items
    section = None
    for n, it in enumerate(items, 1):
        sec = it.question.section.get(lang)
        if sec != section:
            say(f"== {sec} ==")
            section = sec
        label = it.question.fact.label.get(lang)
        who = f"{it.person} · " if it.person else ""
        unused = "" if it.used else (tr("cli.plain_edit.not_used", lang))
        say(
            tr(
                "cli.plain_edit.text",
                lang,
                n=n,
                key=it.key,
                who=who,
                label=label,
                shown_value_it_lang=shown_value(it, lang),
                unused=unused,
            )
        )
        feeds = _feeds_line(s, it, lang)
        if feeds and it.used:
            say("     " + feeds.strip())
    return items


def review_and_edit(s: Session, lang: str, target: str, ask: Ask) -> bool:
    """``修改`` alone lists the answers and asks which; ``修改 KEY`` goes straight to it.
    Returns True when an answer was changed."""
    if not target:
        items = list_answers(s, lang)
        if not items:
            say(tr("cli.plain_edit.nothing_answered_yet_to_change", lang))
            return False
        say(tr("cli.plain_edit.type_number_key_or_part", lang))
        line = ask("edit")
        if line is None or not line.strip():
            return False
        pick = normalize(line)
        if pick.isdigit() and 1 <= int(pick) <= len(items):
            return edit_one(s, lang, items[int(pick) - 1].key, ask)
        target = pick
    keys = find(s.iv, target)
    if not keys:
        say(tr("cli.plain_edit.no_answer_matches_type_edit", lang, target=target))
        return False
    if len(keys) > 1:
        say(tr("cli.plain_edit.several_answers_match_choose_one", lang))
        items = [it for it in review(s.iv) if it.key in keys]
        list_answers(s, lang, items)
        line = ask("edit")
        pick = normalize(line or "")
        if pick.isdigit() and 1 <= int(pick) <= len(items):
            return edit_one(s, lang, items[int(pick) - 1].key, ask)
        return False
    return edit_one(s, lang, keys[0], ask)


def edit_one(s: Session, lang: str, key: str, ask: Ask) -> bool:
    step = s.iv.step_for(key)
    if step is None:
        say(tr("cli.plain_edit.nothing_to_edit_at", lang, key=key))
        return False
    current = next((it for it in review(s.iv) if it.key == key), None)
    say(step.prompt(lang))
    if current is not None:
        say((tr("cli.plain_edit.now", lang)) + shown_value(current, lang))
    say(
        tr(
            "cli.plain_edit.enter_keeps_it",
            lang,
            hint_step_fact_lang_step=hint(step.fact, lang, step.hints),
        )
    )
    while True:
        line = ask(f"edit {key}")
        if line is None or not line.strip():
            return False
        before = set(s.iv.kept)
        try:
            warned = s.iv.edit(key, line)
        except AnswerError as e:
            say("✗ " + e.msg.get(lang))
            continue
        for w in warned:
            say("! " + w.get(lang))
        unused = [k for k in s.iv.kept if k not in before]
        say(tr("cli.plain_edit.changed", lang))
        if unused:
            say(tr("cli.plain_edit.answers_are_not_needed_now", lang, n_unused=len(unused)))
        return True


def list_people(s: Session, lang: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    summaries = {(p.roster, p.index): p for p in s.iv.ev.people}
    for q in s.iv.rosters():
        say(f"== {q.fact.label.get(lang)} ==")
        people = s.iv.answers.get(q.key) or []
        if not people:
            say(tr("cli.plain_edit.nobody_yet", lang))
        for i, person in enumerate(people):
            out.append((q.key, i))
            p = summaries.get((q.key, i))
            name = person.get("name") or f"#{i + 1}"
            role = p.role_label.get(lang) if p and p.role else "?"
            title_f = next((f for f in q.fact.fields if f.key == "title"), None)
            title = ""
            if title_f is not None and "title" in person:
                title = " · " + next(
                    (c.label(lang) for c in title_f.choices if c.key == person["title"]), person["title"]
                )
            status = p.route.get(lang) if p else (tr("cli.plain_edit.open", lang))
            say(f"  {len(out)}. {name} · {role}{title} · {status}")
    return out


def staff(s: Session, lang: str, ask: Ask, save: Callable[[], object] | None = None) -> bool:
    """The roster: list, then add / change / remove. Returns True when something changed
    (a person added: the caller's loop then asks about them). ``save`` saves after each
    change (the line mode's autosave, which says when it cannot)."""
    save = save or s.save
    if not s.iv.rosters():
        say(tr("cli.plain_edit.this_equipment_has_no_staff", lang))
        return False
    while True:
        people = list_people(s, lang)
        say(tr("cli.plain_edit.type_add_edit_n_or", lang))
        line = ask("staff")
        if line is None or not line.strip():
            return False
        word, _, rest = normalize(line).partition(" ")
        if not rest and word[:2] in ("修改", "删除") and word[2:].isdigit():
            word, rest = word[:2], word[2:]
        word = word.lower()
        roster = s.iv.rosters()[0].key
        if word in ("add", "添加", "新增", "加"):
            s.iv.add_person(roster)
            say(tr("cli.plain_edit.answer_questions_about_this_person", lang))
            return True
        n = int(rest) if rest.strip().isdigit() else 0
        if not 1 <= n <= len(people):
            say(tr("cli.plain_edit.give_number_from_list", lang))
            continue
        roster, i = people[n - 1]
        if word in ("remove", "delete", "删除", "删"):
            name = (s.iv.answers[roster][i].get("name")) or f"#{i + 1}"
            s.iv.remove_person(roster, i)
            say(tr("cli.plain_edit.removed_type_back_to_undo", lang, name=name))
            save()
            continue
        if word in ("edit", "修改", "改"):
            items = [it for it in review(s.iv) if it.key.startswith(f"{roster}[{i}].")]
            list_answers(s, lang, items)
            line = ask("edit")
            pick = normalize(line or "")
            if pick.isdigit() and 1 <= int(pick) <= len(items):
                if edit_one(s, lang, items[int(pick) - 1].key, ask):
                    save()
            continue
        say(tr("cli.plain_edit.type_add_edit_n_or_2", lang))
