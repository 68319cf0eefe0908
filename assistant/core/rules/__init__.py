"""The rule data: facts, conditions, rules and exemptions as validated records (``model``),
reading and loading rulesets with their editions, variants and ``extends`` chains
(``read``, ``loader``, ``extends``, ``variant``), relations between facts (``relations``),
the ruleset's one memory (``memo``), clause descriptions and edition diffs (``describe``,
``diff``); ``checks`` holds every check a ruleset or a profile's answers must pass.

May import: ``core.text`` and ``core.io``; nothing above it.
"""
