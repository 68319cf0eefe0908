"""Everything built from an evaluation for people and scripts to read: the report in each
format (``report`` for the data, text, Markdown and the Rich table; ``html``; ``docx``, the
Word self-assessment), the evidence checklist, the diff of two profiles, the JSON Schemas (``schema``, ``schemas/``) and the
commented profile template.

May import: ``interview`` and ``core``. Rich only inside the function that draws on a
terminal, python-docx only inside ``docx``'s functions; never Textual.
"""
