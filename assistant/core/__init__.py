"""The engine: facts, rules and rulesets (``model``, ``loader``, ``cache``, ``preflight``,
``lint``), profiles (``profile``, ``profile_read``), the pure three-valued evaluator
(``evaluate/``, a package with one module per kind of condition; ``results``; ``memo``,
the ruleset's one memory; ``relations`` between facts), answer parsing (``answers``), bilingual messages
(``i18n``, ``describe``), errors and exit codes (``errors``, ``exitcodes``) and atomic writes.

May import: nothing of ours above it (not ``interview``, ``reports``, ``cli`` or ``tui``),
and never Textual or Rich.
"""
