"""The chat interview's screens, one a file: the chat itself (with ``chat_edit``,
``chat_commands`` and ``chat_turns``: its editing, steering words and conversation-list parts), the review of every answer and the
dialog that changes one, the staff roster, the report, one clause's detail, and the save-as
dialog. The App (``tui/app.py``) owns the session and wires them together.

May import: ``tui.widgets``, ``reports``, ``interview`` and ``core``; never ``cli``.
"""
