"""Secrets of sign-in, pure: argon2 password hashes, bearer tokens, signed session cookies."""

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

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
    """A fresh bearer token (256 random bits); shown once, only its hash is kept."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The stored form of a bearer token: SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class BrowserSession:
    """What the session cookie carries: the user and the session's CSRF token."""

    user_id: int
    csrf_token: str


class SessionSigner:
    """Signs and checks session cookies (itsdangerous, timestamped, expiring after max age)."""

    def __init__(self, secret_key: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="schakel-session")
        self._max_age = max_age_seconds

    def issue(self, user_id: int) -> tuple[str, BrowserSession]:
        """A new cookie value for ``user_id`` with a fresh CSRF token."""
        session = BrowserSession(user_id, secrets.token_urlsafe(24))
        return self._serializer.dumps([session.user_id, session.csrf_token]), session

    def read(self, cookie: str) -> BrowserSession | None:
        """The session of a cookie, or ``None`` when it is forged, malformed or expired."""
        try:
            user_id, csrf_token = self._serializer.loads(cookie, max_age=self._max_age)
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(user_id, int) or not isinstance(csrf_token, str):
            return None
        return BrowserSession(user_id, csrf_token)
