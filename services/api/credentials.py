"""Secrets of sign-in, pure: argon2 password hashes, random bearer tokens and session ids."""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verified when the e-mail address is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
SESSION_COOKIE = "schakel_session"


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; parameters stored in the hash)."""
    return _HASHER.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` fits ``password_hash``; ``None`` (no such user) costs the same time."""
    try:
        _HASHER.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


def new_token() -> str:
    """A fresh bearer token, session id or CSRF token (256 random bits); only a token's or
    session id's hash is kept."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The stored form of a bearer token or session id: SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()
