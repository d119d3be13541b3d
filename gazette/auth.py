"""Legal-office write tokens: generated once, stored only as hashes.

A token is a random URL-safe string handed to a person or system; settings keep
``{name: "sha256:<hex>"}``. :func:`verify` returns the token's name (recorded as the
actor of every write) or ``None``. Comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def verify(token: str | None, hashed_tokens: dict[str, str]) -> str | None:
    """Name of the token whose hash matches, else ``None``."""
    if not token:
        return None
    candidate = hash_token(token)
    found = None
    for name, stored in hashed_tokens.items():
        if hmac.compare_digest(candidate, stored.strip()):
            found = name
    return found
