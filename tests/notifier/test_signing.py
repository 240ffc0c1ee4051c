"""Webhook signatures verify the exact body, the organisation's secret and a recent time only."""

import hashlib
import hmac
import time

from services.notifier.signing import TOLERANCE_SECONDS, sign, verify

BODY = b'{"type":"accepted","match_id":"m-1"}'


def test_signature_is_hmac_sha256_of_the_timestamp_dot_body() -> None:
    sent_at = int(time.time())
    expected = hmac.new(b"s3cret", f"{sent_at}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign("s3cret", BODY, sent_at) == f"t={sent_at},v1={expected}"


def test_sign_stamps_the_current_time() -> None:
    before = int(time.time())
    stamp = int(sign("s3cret", BODY).split(",")[0].removeprefix("t="))
    assert before <= stamp <= int(time.time())


def test_verify_accepts_the_right_secret_and_body_only() -> None:
    header = sign("s3cret", BODY)
    assert verify("s3cret", BODY, header)
    assert not verify("other", BODY, header)
    assert not verify("s3cret", BODY + b" ", header)
    assert not verify("s3cret", BODY, header.replace("v1=", "v0="))


def test_a_delivery_replayed_after_the_tolerance_window_is_refused() -> None:
    now = time.time()
    old = sign("s3cret", BODY, int(now) - TOLERANCE_SECONDS - 1)
    recent = sign("s3cret", BODY, int(now) - TOLERANCE_SECONDS + 5)
    assert not verify("s3cret", BODY, old, now=now)
    assert verify("s3cret", BODY, recent, now=now)
    assert not verify("s3cret", BODY, sign("s3cret", BODY, int(now) + TOLERANCE_SECONDS + 1))


def test_a_timestamp_moved_forward_breaks_the_signature() -> None:
    now = int(time.time())
    stale = sign("s3cret", BODY, now - 3600)
    digest = stale.split(",v1=")[1]
    assert not verify("s3cret", BODY, f"t={now},v1={digest}")


def test_malformed_headers_are_refused() -> None:
    good = sign("s3cret", BODY)
    for header in (
        "",
        "sha256=abc",
        good.split(",")[1],
        f"t=abc,{good.split(',')[1]}",
        f"{good},t=1",
        f"t=-5,{good.split(',')[1]}",
    ):
        assert not verify("s3cret", BODY, header), header


def test_any_of_several_v1_signatures_may_match() -> None:
    sent_at = int(time.time())
    mine = sign("s3cret", BODY, sent_at).split(",")[1]
    assert verify("s3cret", BODY, f"t={sent_at},v1={'0' * 64},{mine}")
