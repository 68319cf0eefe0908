"""Bytes in and out: the one bounded reader for every input (``safeio``), atomic writes and
the one output path (``atomic``), the profile lock (``lock``), the validated-ruleset cache
(``cache``), the TOML parser (``tomlparse``), fallbacks where a platform lacks a POSIX call
(``portable``) and the exit codes (``exitcodes``).

May import: ``core.text``; nothing above it.
"""
