"""API keys: what one looks like and what is kept of it.

A key is `amends_` followed by 43 URL-safe characters (256 random bits), shown once when it is
created. The store keeps only its SHA-256, under the key's name: a key that random cannot be
guessed from its hash, so a slow password hash would only add latency to every request.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "amends_"


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
