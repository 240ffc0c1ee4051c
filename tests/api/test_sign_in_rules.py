"""Pure rules around signing in, no I/O: where the sign-in page may send one back to (never
another site, whatever the ``volgende`` value holds), which client the throttle counts and how
the page says how long to wait."""

import ipaddress
import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from services.api.client_address import client_address, trusted_networks
from services.api.pages.access import safe_next
from services.api.pages.auth import waiting_time
from tests.api.builders import OTHER_SITE_TARGETS

APP = "https://schakel.example"
# Pieces an attacker builds redirect targets from: separators and what browsers strip or rewrite
# (drawn half the time), and encodings, hosts, schemes and look-alike characters.
SEPARATORS = st.sampled_from(["/", "\\", "\t", "\n", "\r", " ", "\x00", "%2F", "%5C", "%09"])
OTHERS = st.sampled_from(
    ["%", "2f", "25", "@", ":", "?", "#", ".", "evil.example", "https:", "javascript:", "a",
     "\u3002", "\uff0f", "\u2215", "\u00a0", "\x1f"]
)  # fmt: skip
PIECES = st.lists(st.one_of(SEPARATORS, OTHERS), max_size=10).map("".join)
TARGETS = st.one_of(PIECES, PIECES.map("/".__add__), st.text(max_size=40))
C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def as_browser_reads(location: str) -> str:
    """A Location value as a browser's URL parser takes it: tabs and newlines dropped, C0
    controls and spaces trimmed at the ends, backslashes read as slashes."""
    return re.sub("[\t\n\r]", "", location).strip(C0_AND_SPACE).replace("\\", "/")


def lands_on_the_app(location: str) -> bool:
    """Whether a browser on the sign-in page, sent to ``location``, stays on the app."""
    url = urlsplit(urljoin(f"{APP}/aanmelden", as_browser_reads(location)))
    return (url.scheme, url.netloc) == ("https", "schakel.example")


@settings(max_examples=500)
@given(TARGETS)
@example("/\t/evil.example")
@example("/%2F%2Fevil.example")
def test_whatever_safe_next_returns_stays_on_the_app_even_decoded(target: str) -> None:
    back = safe_next(target)
    if back is not None:
        assert lands_on_the_app(back)
        assert lands_on_the_app(unquote(back))


@pytest.mark.parametrize("target", OTHER_SITE_TARGETS)
def test_every_way_to_another_site_is_refused(target: str) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize(
    "target", ["/school", "/beoordelen?status=open&sort=score", "/aanbieder/aanbod/nieuw",
               "/inbox", "/school/behoeften/vti-2027%2F014"],
)  # fmt: skip
def test_the_app_s_own_pages_are_kept(target: str) -> None:
    assert safe_next(target) == target


TRUSTED = trusted_networks("10.9.0.0/16, fd00::/8")


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() -> None:
    assert client_address("198.51.100.1", ["203.0.113.5"], TRUSTED) == "198.51.100.1"
    assert client_address("198.51.100.1", ["203.0.113.5"], ()) == "198.51.100.1"
    assert client_address("10.9.0.1", [], TRUSTED) == "10.9.0.1"


def test_behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() -> None:
    assert client_address("10.9.0.1", ["203.0.113.5"], TRUSTED) == "203.0.113.5"
    assert client_address("10.9.0.1", ["1.2.3.4, 203.0.113.5"], TRUSTED) == "203.0.113.5"
    assert client_address("10.9.0.1", ["1.2.3.4", "203.0.113.5, 10.9.4.4"], TRUSTED) == (
        "203.0.113.5"
    )
    assert client_address("fd00::1", ["203.0.113.5"], TRUSTED) == "203.0.113.5"
    assert client_address("10.9.0.1", ["not an address"], TRUSTED) == "10.9.0.1"
    assert client_address("10.9.0.1", ["10.9.7.7"], TRUSTED) == "10.9.7.7"  # all trusted


def test_an_ipv6_client_counts_per_64_block_and_a_mapped_ipv4_as_itself() -> None:
    one, other = client_address("2001:db8::1", [], ()), client_address("2001:db8::ff:1", [], ())
    assert one == other == "2001:db8::/64"
    assert client_address("2001:db8:0:1::1", [], ()) != one
    assert client_address("::ffff:203.0.113.5", [], ()) == "203.0.113.5"
    assert client_address(None, [], TRUSTED) == client_address("testclient", [], ()) == "unknown"


def test_the_sign_in_page_says_how_long_to_wait_in_dutch() -> None:
    assert [waiting_time(s) for s in ("1", "30", "119", "120", "121", "900")] == [
        "1 seconde", "30 seconden", "119 seconden", "2 minuten", "3 minuten", "15 minuten",
    ]  # fmt: skip


def test_trusted_proxies_are_cidrs_and_a_wrong_one_stops_the_start() -> None:
    assert trusted_networks("") == ()
    assert trusted_networks("10.0.0.0/8,fd00::/8") == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("fd00::/8"),
    )
    for wrong in ("proxy.internal", "10.0.0.1/8", "10.0.0.0/33"):
        with pytest.raises(ValueError, match=re.escape(wrong.split("/")[0])):
            trusted_networks(f"192.168.0.0/16, {wrong}")
