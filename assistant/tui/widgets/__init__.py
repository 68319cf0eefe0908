"""The chat interview's widgets, one kind a file: conversation bubbles (and the earlier turns
folded into text in a long conversation), the lists and the answer box with the one input rule
every screen follows (``answer_input``), the clause list, the top bar and the key bar, and the
status styles they share. They hold no interview state: screens tell them what to show.

May import: ``core``, ``interview`` and ``tui.strings`` / ``tui.wrap``; never a screen or the App.
"""
