"""Webhook signatures verify the exact body with the organisation's secret only."""

import hashlib
import hmac

from services.notifier.signing import sign, verify

BODY = b'{"type":"accepted","match_id":"m-1"}'


def test_signature_is_hmac_sha256_hex_of_the_body() -> None:
    expected = hmac.new(b"s3cret", BODY, hashlib.sha256).hexdigest()
    assert sign("s3cret", BODY) == f"sha256={expected}"


def test_verify_accepts_the_right_secret_and_body_only() -> None:
    header = sign("s3cret", BODY)
    assert verify("s3cret", BODY, header)
    assert not verify("other", BODY, header)
    assert not verify("s3cret", BODY + b" ", header)
    assert not verify("s3cret", BODY, header.replace("sha256=", "sha1="))
