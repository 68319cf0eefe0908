"""``medequip template KEY``: a commented TOML profile to fill in with an editor.

Every interview question of the equipment type is there as a comment (prompt, help, what to
type: unit and range, the choices and their keys) above its key, which is left commented out
and empty (``# nuclear_medicine_years =``). Remove the ``# `` and give a value; a key left
commented is simply unanswered, so the file checks at every stage of filling it in.
Facts that no question asks (possible with a custom ruleset) are listed too, from the fact
catalogue, so a filled template can always answer everything the rules read.
"""

from __future__ import annotations

from ..core.rules.model import Fact
from ..core.text.i18n import Words
from ..core.text.messages import tr

T = Words(
    {
        "title": "reports.template.t.title",
        "how": "reports.template.t.how",
        "roster": "reports.template.t.roster",
        "unasked": "reports.template.t.unasked",
        "unused": "reports.template.t.unused",
        "bool": "reports.template.t.bool",
        "int": "reports.template.t.int",
        "choice": "reports.template.t.choice",
        "set": "reports.template.t.set",
        "text": "reports.template.t.text",
        "ruleset": "reports.template.t.ruleset",
        "edition": "reports.template.t.edition",
        "set_aside": "reports.template.t.set_aside",
    }
)


def _t(key: str, lang: str) -> str:
    return T[key].get(lang)


def _comment(text: str) -> list[str]:
    return [("# " + line).rstrip() for line in text.splitlines() or [""]]


def _quoted(key: str) -> str:
    return f'"{key}"'


def type_hint(fact: Fact, lang: str) -> list[str]:
    if fact.type == "bool":
        return [_t("bool", lang)]
    if fact.type == "int":
        unit = f" {fact.unit.get(lang)}" if fact.unit else ""
        return [_t("int", lang).format(min=fact.min, max=fact.max, unit=unit)]
    if fact.type in ("choice", "set"):
        width = max(len(c.key) for c in fact.choices) + 2
        return [_t(fact.type, lang)] + [f"  {_quoted(c.key):<{width}}  {c.label(lang)}" for c in fact.choices]
    if fact.type == "text":
        return [_t("text", lang)]
    return []


def _block(
    key: str, fact: Fact, prompt: str | None, help_: str | None, note: str | None, lang: str
) -> list[str]:
    lines: list[str] = []
    lines += _comment(prompt if prompt else fact.label.get(lang))
    if help_:
        lines += _comment(help_)
    for h in type_hint(fact, lang):
        lines += _comment("  " + h)
    if note:
        lines += _comment("  " + note)
    lines.append(f"# {key} =")
    return lines


def render(rs, equipment: str, lang: str) -> str:
    from ..core.rules.loader import RulesetError
    from ..interview import questions

    try:
        qs = questions.load(rs, equipment)
    except RulesetError:
        qs = []  # no question file (yet): the fact catalogue alone still makes a usable template
    read = _facts_read(rs, equipment)
    asked = {q.key: q for q in qs}
    namespaces = ("institution", equipment)
    # Flat facts in question order, then the catalogue's unasked facts.
    flat: list[tuple[str, Fact, object]] = [
        (q.key, q.fact, q) for q in qs if q.roster is None and q.fact.type != "roster"
    ]
    extra = [
        (k, f, None)
        for k, f in rs.facts.items()
        if k.split(".", 1)[0] in namespaces and f.type != "roster" and k not in asked and not f.retired
    ]
    rosters = [k for k, f in rs.facts.items() if f.type == "roster" and k.split(".", 1)[0] == equipment]
    out = _heading(rs, equipment, lang)
    for ns in namespaces:
        out += _namespace(ns, flat, extra, read, lang)
    for roster in rosters:
        out += _roster(rs, roster, asked, lang)
    out += [""] + _comment(_t("set_aside", lang))
    return "\n".join(out) + "\n"


def _facts_read(rs, equipment: str) -> set[str]:
    """Every fact the equipment's clauses and exemption grounds read (through the nodes)."""
    from ..core.evaluate.plan import ground_roster, keys_read, rule_facts

    read: set[str] = set()
    for rule in rs.rules_for(equipment):
        read.update(rule_facts(rs, rule))
    for ex in rs.exemptions_for(equipment):
        for g in ex.grounds:
            roster = ground_roster(rs, ex, g.key)
            if ex.scope != "person" or roster is not None:
                read.update(keys_read(rs, g.when, roster))
    return read


def _heading(rs, equipment: str, lang: str) -> list[str]:
    """The comment at the top (equipment, ruleset, how to fill it in) and the envelope."""
    info = rs.equipment_info(equipment)
    out = _comment(
        f"{_t('title', lang)} · {info.name.get(lang)}"
        + (tr("reports.template.text_3", lang, equipment=equipment))
    )
    colon = tr("reports.template.text", lang)
    sep = tr("reports.template.text_2", lang)
    title = rs.data.ruleset.title_zh if lang == "zh" else rs.data.ruleset.title_en
    opening, closing = ("（", "）") if lang == "zh" else (" (", ")")
    out += _comment(
        f"{_t('ruleset', lang)}{colon}{title}{opening}{rs.id}{sep}{_t('edition', lang)} {rs.edition}{closing}"
    )
    out.append("#")
    out += _comment(_t("how", lang))
    out += ["", "schema_version = 1", f'equipment = "{equipment}"', f'ruleset_edition = "{rs.edition}"']
    return out


def _namespace(ns: str, flat: list, extra: list, read: set[str], lang: str) -> list[str]:
    """One table: its asked facts in question order (under their sections), then the rest."""
    out = ["", f"[{ns}]"]
    section = None
    for key, fact, q in flat:
        if not key.startswith(ns + "."):
            continue
        sec = q.section.get(lang) if q is not None else None
        if sec and sec != section:
            out += ["", f"# ── {sec} ──"]
            section = sec
        note = None if (key in read or fact.identity) else _t("unused", lang)
        out.append("")
        out += _block(
            key.split(".", 1)[1],
            fact,
            q.prompt.get(lang) if q else None,
            q.help.get(lang) if q else None,
            note,
            lang,
        )
    mine = [(k, f) for k, f, _ in extra if k.startswith(ns + ".")]
    if mine:
        out += ["", f"# ── {_t('unasked', lang)} ──"]
        for key, fact in mine:
            note = None if (key in read or fact.identity) else _t("unused", lang)
            out.append("")
            out += _block(key.split(".", 1)[1], fact, None, None, note, lang)
    return out


def _roster(rs, roster: str, asked: dict, lang: str) -> list[str]:
    """A roster: what it is, and one commented person entry with every field."""
    parent = rs.facts[roster]
    out = ["", f"# ── {parent.label.get(lang)} ──"]
    intro = asked.get(roster)
    if intro is not None:
        out += _comment(intro.prompt.get(lang)) + _comment(intro.help.get(lang))
    out += _comment(_t("roster", lang))
    out += ["", f"# [[{roster}]]"]
    for fld in parent.fields:
        q = asked.get(f"{roster}.{fld.key}")
        out.append("")
        out += _block(
            fld.key, fld, q.prompt.get(lang) if q else None, q.help.get(lang) if q else None, None, lang
        )
    return out
