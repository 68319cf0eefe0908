"""The interview without a user interface: which question comes next, derived from what the
evaluator still needs (``engine``), how answers change and are undone (``changes``: edits in
place, answers kept while unused, people added and removed), what the review and roster show
(``review``), the question data under ``interviews/`` (``questions``), and an interview bound
to the profile it autosaves (``session``). The TUI and the line mode are thin layers over this.

May import: ``core``. Never Textual or Rich.
"""
