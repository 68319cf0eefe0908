"""Every check in one place: the bounds on a ruleset before it is parsed (``preflight``), the
shape and text of its records (``validate``), references between them (``crosscheck``), and
the relations a profile's answers must keep (``consistency``). ``rules lint`` and the loader
run the same ones.

May import: ``core.text``, ``core.io`` and the rest of ``core.rules``.
"""
