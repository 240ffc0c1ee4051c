"""Webhook signatures, Stripe-style: ``X-Schakel-Signature: t=<unix seconds>,v1=<hex>``.

``v1`` is HMAC-SHA256 under the endpoint's secret over ``<t>.`` followed by the exact body bytes, so
the time is signed with the body and a receiver refuses a delivery replayed outside the tolerance
window. ``verify`` is what a receiving organisation runs (standard library only: copy it).
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Schakel-Signature"
TOLERANCE_SECONDS = 300


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for ``body`` sent at ``timestamp`` (now if not given): ``t=…,v1=…``."""
    sent_at = int(time.time()) if timestamp is None else timestamp
    return f"t={sent_at},v1={_digest(secret, sent_at, body)}"


def verify(
    secret: str,
    body: bytes,
    header_value: str,
    now: float | None = None,
    tolerance_seconds: int = TOLERANCE_SECONDS,
) -> bool:
    """True when ``header_value`` signs ``body`` with ``secret`` at a time within
    ``tolerance_seconds`` of ``now`` (constant-time comparison; any ``v1`` may match)."""
    pairs = [item.strip().partition("=") for item in header_value.split(",")]
    timestamps = [value for key, _, value in pairs if key == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        return False
    sent_at = int(timestamps[0])
    if abs((time.time() if now is None else now) - sent_at) > tolerance_seconds:
        return False
    expected = _digest(secret, sent_at, body)
    return any(hmac.compare_digest(expected, value) for key, _, value in pairs if key == "v1")
