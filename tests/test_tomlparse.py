"""The TOML fast path (rtoml, tomli for the rest) must read every document exactly as tomli
does: the same values, types and key order, or tomli's own error. Checked on every TOML file
of the project, on hand-picked edges where the two parsers are known to part, on mutated
profiles, and on profiles written from generated answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import answers_for

from assistant.core.io import tomlparse
from assistant.core.profile import document as profile

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[tuple[str, str]]:
    """Every TOML file of the project as text (the few that are not UTF-8 on purpose are
    refused before any parser sees them)."""
    out = []
    for p in sorted(p for d in ("examples", "rulesets", "tests") for p in (ROOT / d).rglob("*.toml")):
        try:
            out.append((str(p.relative_to(ROOT)), p.read_bytes().decode("utf-8")))
        except UnicodeDecodeError:
            pass
    return out


FILES = _texts()


def shape(x):
    """A value with its types and key order spelled out (dict equality ignores order, and
    True == 1). An offset date-time compares by its instant and offset, whatever tzinfo
    class holds the offset."""
    if isinstance(x, dict):
        return ("table", [(k, shape(v)) for k, v in x.items()])
    if isinstance(x, list):
        return ("array", [shape(v) for v in x])
    if isinstance(x, dt.datetime) and x.tzinfo is not None:
        return ("datetime", x.replace(tzinfo=None), x.utcoffset())
    if isinstance(x, float) and x != x:
        return ("nan",)
    return (type(x).__name__, x)


def outcome(parse, text: str):
    try:
        return shape(parse(text))
    except tomli.TOMLDecodeError:
        return "refused"
    except (ValueError, RecursionError) as e:  # tomli's own limits (digits, key parts)
        return type(e).__name__


def same_as_tomli(text: str) -> None:
    assert outcome(tomlparse.loads, text) == outcome(tomli.loads, text), repr(text[:300])


EDGES = [
    # carriage returns: a multi-line string keeps \r\n in rtoml and reads \n in tomli
    'a = """x\r\ny"""\n',
    "a = 1\r\nb = 2\r\n",
    "a = 1\rb = 2\n",
    # byte-order marks: rtoml skips one, tomli refuses it
    "\ufeffa = 1\n",
    "a = 1\n\ufeffb = 2\n",
    'a = "\ufeff"\n',
    # TOML 1.1
    "a = { b = 1,\n c = 2 }\n",
    'g = { h = "", n\n= "" }\n',  # a line break before "=": rtoml reads it, tomli refuses
    's = [{ y = "", h\n= "" }]\n',
    'a = "\\e"\n',
    'a = "\\x41"\n',
    "a = 07:32\n",
    "é = 1\n",
    # date-times, integers past 64 bits, floats
    "a = 1979-05-27T07:32:00+08:00\nb = 1979-05-27\nc = 07:32:00.999999999\nd = 1979-05-27 07:32:00Z\n",
    "a = 9223372036854775807\nb = 9223372036854775808\nc = -9223372036854775809\n",
    "a = 1e400\nb = -0.0\nc = nan\nd = -inf\ne = 0.1\nf = 1_000.5e-3\n",
    "a = 0x_1\nb = 0o8\nc = 00\nd = 1__0\n",
    # tables redefined, dotted keys, duplicates, arrays of tables, order
    "[a]\nb = 1\n[a]\nc = 2\n",
    "a.b = 1\n[a]\nc = 2\n",
    "[a.b]\nx = 1\n[a]\ny = 2\n",
    "a = 1\na = 2\n",
    "a = []\n[[a]]\n",
    "[[a]]\nb = 1\n[a]\n",
    "[[a.b]]\nc = 1\n[[a.b]]\nc = 2\n[a]\nd = 3\n",
    "z = 1\ny = 2\n[x]\nw = 1\n[b]\na = 1\n",
    "a = { b = 1, b = 2 }\n",
    "a = { b.c = 1 }\n[a.b]\n",
    # strings and escapes
    'a = "\\u0000"\nb = "\\ud800"\nc = "\\U0010FFFF"\nd = "\\U00110000"\n',
    "a = '''\nx'''\nb = \"\"\"\\\n   y\"\"\"\n",
    'a = "tab\there"\nb = "nul\x00"\nc = "del\x7f"\n',
    "# comment with \x7f\na = 1\n",
    "a = 1 # \x00\n",
    '"" = 1\n',
    "'a.b' = 1\na.b = 2\n",
    "a = [1, 'x', [2], {b = 3}]\n",
    "a = [\n  1,\n  2,\n]\n",
    "a = [1,,2]\n",
    "",
    "\n\n",
]


@pytest.mark.parametrize("text", EDGES)
def test_edges_where_the_parsers_part(text):
    same_as_tomli(text)


@pytest.mark.parametrize("text", [t for _, t in FILES], ids=[n for n, _ in FILES])
def test_every_toml_file_of_the_project(text):
    same_as_tomli(text)


SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.toml"))]
TOKENS = [
    *"[]{}=\",.#'\\\n\r\t 0123456789+-_:eEx",
    '"""',
    "'''",
    "\ufeff",
    "\x7f",
    "\x1f",
    "true",
    "false",
    "inf",
    "nan",
    "1979-05-27",
    "T07:32:00",
    "+08:00",
    "\\u00e9",
    "\\e",
    "é",
    "中",
    "0x1F",
    "1_000",
    "1e5",
    "a.b",
    "[[x]]",
    "[x]",
    "x = {a = 1,\n b = 2}",
    "9223372036854775808",
    "\r\n",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(["insert", "delete", "copy"]), st.sampled_from(TOKENS)),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_profiles(seed, edits):
    text = seed
    for where, how, token in edits:
        i = int(where * len(text))
        if how == "insert":
            text = text[:i] + token + text[i:]
        elif how == "delete":
            text = text[:i] + text[i + len(token) :]
        else:
            text = text[:i] + text[i // 2 : i // 2 + 12] + text[i:]
    same_as_tomli(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), equipment=st.sampled_from(["proton", "pet_ct", "conventional_rt"]))
def test_profiles_written_by_medequip(data, equipment):
    from assistant.core.rules import loader

    rs = loader.for_equipment(equipment)
    answers = data.draw(answers_for(equipment))
    answers["institution.name"] = data.draw(st.text(min_size=1, max_size=20).filter(str.strip))
    text = profile.dumps(profile.Profile(equipment, answers, rs.edition), rs.facts)
    same_as_tomli(text)


def test_the_fast_path_is_taken_and_tomli_has_the_last_word(monkeypatch):
    """A plain profile never reaches tomli; what rtoml refuses or must not read does, and
    tomli's error is the one raised."""
    calls = []

    def tomli_loads(text):
        calls.append(text)
        return tomli.loads(text)

    monkeypatch.setattr(tomlparse, "_tomli_loads", tomli_loads)
    assert tomlparse._fast_loads is not None
    tomlparse.loads(SEEDS[0])
    assert calls == []
    for text in ("a = 1\r\n", 'a = "\ufeff"\n'):
        tomlparse.loads(text)
    assert len(calls) == 2
    with pytest.raises(tomli.TOMLDecodeError, match=r"Invalid value \(at line 2, column 5\)"):
        tomlparse.loads("a = 1\nb = \n")
    assert len(calls) == 3


# Tables in any order: a table after its sub-table ([a.b], [c], [a]) is where rtoml and tomli
# part on key order (rtoml moves [a] to its header; tomli keeps it where [a.b] made it),
# which changed which problem of a profile was reported first and the line it named.
_PART = st.sampled_from(["a", "b", "c"])
_PATH = st.lists(_PART, min_size=1, max_size=3).map(tuple)


@st.composite
def tables_in_any_order(draw) -> str:
    """Table headers (and arrays of tables) over a few names, each with a key, in a drawn
    order, with some of their parents and dotted keys mixed in: most documents are valid TOML
    and many define a table after one of its sub-tables."""
    paths = draw(st.lists(_PATH, min_size=1, max_size=6, unique=True))
    if draw(st.booleans()):  # parents of the drawn tables, so that a parent may come late
        paths += [p[:i] for p in paths for i in range(1, len(p)) if p[:i] not in paths]
        paths = list(dict.fromkeys(paths))
    paths = draw(st.permutations(paths))
    lines = []
    if draw(st.booleans()):
        lines.append(f"{draw(_PART)}{draw(st.sampled_from(['', '.x', '.y.z']))} = 0")
    for i, p in enumerate(paths):
        name = draw(st.sampled_from([".", " . ", ". "])).join(p)
        array = draw(st.integers(0, 4)) == 0
        pad = draw(st.sampled_from(["", " ", "\t"]))
        lines.append(f"{pad}[[{name}]]" if array else f"{pad}[{name}]")
        key = draw(st.sampled_from(["k", "x.k", p[-1], f"k{i}"]))
        lines.append(f"{key} = {i}")
    return "\n".join(lines) + "\n"


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=tables_in_any_order())
def test_tables_in_any_order(text):
    same_as_tomli(text)


def test_a_table_after_its_sub_table_keeps_tomli_order_and_line(tmp_path):
    """The profile's first problem is the one on line 4 (tomli's order), not one further down."""
    from assistant.cli.main import main

    p = tmp_path / "late.toml"
    p.write_text(
        'schema_version = 1\nequipment = "proton"\n[[proton.clinical_staff]]\nbogus = 1\n'
        '[institution]\nname = "x"\nbogus2 = 2\n[proton]\nfoo = 3\n',
        encoding="utf-8",
    )
    assert tomlparse.loads(p.read_text("utf-8")) == tomli.loads(p.read_text("utf-8"))
    assert list(tomlparse.loads(p.read_text("utf-8"))) == [
        "schema_version",
        "equipment",
        "proton",
        "institution",
    ]
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["check", str(p), "--lang", "en"])
    assert code == 2
    assert f"{p}:4: proton.clinical_staff[0].bogus: unknown key 'bogus'" in err.getvalue()
