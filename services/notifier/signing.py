"""Webhook signatures: HMAC-SHA256 over the exact body bytes, sent as ``X-Schakel-Signature``."""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Schakel-Signature"
_PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    """The header value for ``body``: ``sha256=<hex digest>``."""
    return _PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header_value: str) -> bool:
    """True when ``header_value`` signs ``body`` with ``secret`` (constant-time comparison).

    What a receiving organisation runs before trusting a webhook.
    """
    return hmac.compare_digest(sign(secret, body), header_value.strip())
