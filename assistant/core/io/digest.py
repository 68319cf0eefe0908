"""SHA-256 of what a run reads (a profile, a ruleset, the cache's key), without OpenSSL.

``hashlib`` loads OpenSSL's bindings on import, a few milliseconds of every ``check``'s
start-up, to hash some hundred kilobytes. CPython's own SHA-256 module (``_sha2`` from 3.12,
``_sha256`` before; the one ``hashlib`` itself falls back to) gives the same digests and loads
in a fraction of that; ``hashlib`` is used where neither exists. Large files (evidence,
packages) are hashed with ``hashlib``, whose OpenSSL code is several times faster per byte.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module


@cache
def _sha256():
    for name in ("_sha2", "_sha256"):
        try:
            return import_module(name).sha256
        except (ImportError, AttributeError):
            continue
    from hashlib import sha256

    return sha256


def sha256(data: bytes = b""):
    """A SHA-256 hash object of ``data`` (``update``, ``hexdigest`` as ``hashlib``'s)."""
    return _sha256()(data)


def sha256_hex(data: bytes) -> str:
    return _sha256()(data).hexdigest()
