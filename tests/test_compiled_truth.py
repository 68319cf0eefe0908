"""Compiled truth equals the walked evaluation.

``truth`` runs each condition as closures compiled once per ruleset (counting people calls it
once per person); ``evaluate_condition`` walks the model and builds the messages. Over the
examples and generated profiles, every condition of every rule, and every count's ``where``
for every person on the roster, must get the same value and the same missing facts from both.
"""

from __future__ import annotations

from cli_helpers import loaded_profiles

from assistant.core.conditions import evaluate_condition, truth
from assistant.core.evaluate import _Evaluator
from assistant.core.loader import walk
from assistant.core.model import Count


def _walked(cond, ctx):
    out = evaluate_condition(cond, ctx)
    return out.value, out.missing if out.value is None else []


def test_compiled_truth_equals_walked_evaluation():
    checked = {"institution": 0, "person": 0, "false": 0, "open": 0}
    for prof, rs in loaded_profiles(300, 7):
        ev = _Evaluator(rs, prof.equipment, prof.answers)
        for rule in ev.rules:
            conds = [rule.applies_when, rule.condition, rule.advice]
            if rule.scope == "institution":
                for cond in conds:
                    if cond is None:
                        continue
                    ctx = ev.ctx()
                    got = truth(cond, ctx)
                    assert got == _walked(cond, ctx), (prof.equipment, rule.id)
                    checked["institution"] += 1
                    checked["false"] += got[0] is False
                    checked["open"] += got[0] is None
            for node in (n for c in conds if c is not None for n in walk(c)):
                if not isinstance(node, Count) or node.where is None:
                    continue
                for i, person in enumerate(prof.answers.get(node.count) or []):
                    ctx = ev.ctx(person, node.count, i)
                    got = truth(node.where, ctx)
                    assert got == _walked(node.where, ctx), (prof.equipment, rule.id, i)
                    checked["person"] += 1
                    checked["false"] += got[0] is False
                    checked["open"] += got[0] is None
    # The comparison covered both scopes and every truth value, not only the easy cases.
    assert all(v > 50 for v in checked.values()), checked
