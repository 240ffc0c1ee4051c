"""Which addresses a webhook may call: HTTPS to a public host, never an address inside a network
(private, loopback, link-local, multicast, reserved, unspecified, shared), in any spelling.

An IP host is read the way the C resolver reads it (``inet_aton``: ``2130706433``,
``0x7f.1``, ``0177.0.0.1`` are all 127.0.0.1) and an IPv6 host with the IPv4 address it carries
(mapped ``::ffff:``, 6to4, Teredo, NAT64) is judged by that one too. A name is judged by every
address it resolves to, when it is saved and again by the connection of each delivery, which
then goes to one of the addresses it checked (``webhook_client``: a name may be pointed elsewhere
in between, DNS rebinding). A name that does not resolve yet may be saved; a delivery to it
fails until it does.
"""

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
MAX_URL_CHARS = 500
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# Host spellings the C resolver takes for an IPv4 address: up to four dotted parts, each
# decimal, octal (leading 0) or hexadecimal (0x).
NUMERIC_HOST = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
SHARED = ipaddress.IPv4Network("100.64.0.0/10")


class WebhookRefused(ValueError):  # noqa: N818 - reads as the page's 422
    """An address Schakel does not call, with the reason in Dutch."""


def _embedded(address: IpAddress) -> list[IpAddress]:
    """The IPv4 addresses an IPv6 address carries (none for an IPv4 one)."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    carried: list[IpAddress] = []
    if address.ipv4_mapped is not None:
        carried.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        carried.append(address.sixtofour)
    if address.teredo is not None:
        carried.extend(address.teredo)
    if address in NAT64:
        carried.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return carried


def is_public(address: IpAddress) -> bool:
    """Whether ``address`` (and any IPv4 address it carries) is on the public internet."""
    inside = (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
        or (isinstance(address, ipaddress.IPv4Address) and address in SHARED)
    )
    return not inside and all(is_public(carried) for carried in _embedded(address))


def literal_address(host: str) -> IpAddress | None:
    """The IP address ``host`` spells, in any form the resolver accepts; ``None`` for a name.
    WebhookRefused for a numeric host that is no address (``1.2.3.4.5``, ``999``)."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if NUMERIC_HOST.fullmatch(host) or host.rstrip(".").rsplit(".", 1)[-1].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError as error:
            raise WebhookRefused("Dit is geen geldig adres voor een webhook.") from error
    return None


def checked_host(url: str) -> tuple[str, int]:
    """The host and port of a webhook ``url`` that passes the rules without resolving it:
    HTTPS, a host, no address inside a network, no local name. WebhookRefused otherwise."""
    if len(url) > MAX_URL_CHARS or any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise WebhookRefused(
            f"Geef een adres van hoogstens {MAX_URL_CHARS} tekens, zonder spaties."
        )
    if not url.isascii():
        raise WebhookRefused(
            "Gebruik alleen ASCII-tekens; schrijf een internationale domeinnaam als xn--…"
        )
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError as error:
        raise WebhookRefused("Dit is geen geldig webadres.") from error
    if parts.scheme.lower() != "https":
        raise WebhookRefused("Het adres moet met https:// beginnen.")
    host = (parts.hostname or "").lower()
    if not host:
        raise WebhookRefused("Het adres mist de naam van de server.")
    name = host.rstrip(".")
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        raise WebhookRefused("Schakel roept geen adres op deze computer zelf op (localhost).")
    address = literal_address(host)
    if address is not None:
        _refuse_inside([address])
    return host, port


def _refuse_inside(addresses: Iterable[IpAddress]) -> None:
    for address in addresses:
        if not is_public(address):
            raise WebhookRefused(
                f"Het adres wijst naar {address}, een adres binnen een netwerk (privé, lokaal of "
                "gereserveerd). Geef een adres dat vanop het internet bereikbaar is."
            )


async def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (an empty list when it does not resolve)."""
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return [str(sockaddr[0]) for *_, sockaddr in found]


async def checked_addresses(host: str, port: int, resolver: Resolver = resolve) -> list[IpAddress]:
    """The addresses ``host`` stands for now: the one an IP host spells, or every one a name
    resolves to (empty: it does not resolve). WebhookRefused when any is inside a network."""
    address = literal_address(host)
    if address is not None:
        addresses = [address]
    else:
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in await resolver(host, port)]
    _refuse_inside(addresses)
    return addresses


async def check(url: str, resolver: Resolver = resolve) -> list[IpAddress]:
    """Refuse ``url`` (WebhookRefused) by the rules and by every address its host stands for
    now; return those addresses (empty: it does not resolve now)."""
    return await checked_addresses(*checked_host(url), resolver)
