"""Language and messages: bilingual text (``i18n.Msg``), the message catalogue and its
lookups (``catalogue``, ``messages``), numbers written for people (``numbers``, ``numerals``),
the sanitiser for anything shown on a terminal (``sanitize``) and errors that carry a message
(``errors``).

May import: nothing else of ours; it is the bottom of the engine.
"""
