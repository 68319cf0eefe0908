"""Profiles: parsing, validating and writing a profile (``document``, ``read``, ``edit``),
answers as people type them (``answers``, ``answer_forms``) and clause cases
(``cases``, for ``medequip test``).

May import: the rest of ``assistant.core``; nothing above it.
"""
