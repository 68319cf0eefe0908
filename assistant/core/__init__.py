"""The engine, in five packages along the data flow, each importing only those below it:

- ``text``: language and messages (``Msg``, the message catalogue, numbers in words, the
  sanitiser for what reaches a terminal, errors that carry a message);
- ``io``: bytes in and out (the one bounded reader, atomic writes, the profile lock, the
  ruleset cache, the TOML parser, platform fallbacks, exit codes);
- ``rules``: the rule data (the model, reading and loading rulesets, variants and their
  ``extends`` chains, relations between facts, the ruleset's memory) and, in ``checks``,
  every check a ruleset or a profile's answers must pass;
- ``evaluate``: the pure evaluator and its results;
- ``profile``: profiles (reading, validating, writing, editing), answers as people type them,
  and clause cases.

May import: nothing of ours above it (not ``interview``, ``reports``, ``cli`` or ``tui``),
and never Textual or Rich.
"""
