"""API keys: what one looks like and what is kept of it.

A key is `amends_` followed by 43 URL-safe characters (256 random bits), shown once when it is
created. The store keeps only its SHA-256, under the key's name: a key that random cannot be
guessed from its hash, so a slow password hash would only add latency to every request.
"""

from __future__ import annotations

import hashlib
import re
import secrets

PREFIX = "amends_"
NAME_RULE = "1-100 letters, digits, '.', '_', '-' or '@', starting with a letter or digit"
"""A key's name is written in logs, audit records and `amends keys list` lines as it is."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")


def is_key_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
