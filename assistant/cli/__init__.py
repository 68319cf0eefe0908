"""The command line: argument parsing and dispatch (``main``), one module per command
(``check``, ``checklist``, ``diff``, ``template``, ``schema``, ``rules``, ``explain``,
``interview``), the line-mode interview (``plain``), batch running (``batch``) and where
output goes (``output``).

May import: ``reports``, ``interview`` and ``core``; never ``tui`` (the entry point hands it a
launcher instead) and never Textual.
"""
