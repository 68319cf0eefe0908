"""The chat interview's screens, one a file: the chat itself (its steering words, editing and
conversation list included), the review of every answer and the dialog that changes one, the staff roster, the report, one clause's detail, and the save-as
dialog. The App (``tui/app.py``) owns the session and wires them together.

May import: ``tui.widgets``, ``reports``, ``interview`` and ``core``; never ``cli``.
"""
