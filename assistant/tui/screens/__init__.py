"""The chat interview's screens, one a file: the chat itself, the report, one clause's detail,
and the save-as dialog. The App (``tui/app.py``) owns the session and wires them together.

May import: ``tui.widgets``, ``reports``, ``interview`` and ``core``; never ``cli``.
"""
