"""The address a request comes from, as the sign-in throttle counts it.

``X-Forwarded-For`` is believed only when the direct peer is a trusted proxy: the header is then
walked from the right, past the trusted hops, and the first other address is the client. Anyone
can write the header's left end, so nothing left of that is read. IPv6 clients count per /64, the
block one subscriber holds.
"""

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def trusted_networks(cidrs: str) -> tuple[Network, ...]:
    """The networks of a comma-separated list of CIDRs (``API_TRUSTED_PROXIES``)."""
    return tuple(ipaddress.ip_network(cidr.strip()) for cidr in cidrs.split(",") if cidr.strip())


def client_address(
    peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]
) -> str:
    """The client of a request from ``peer`` carrying the ``X-Forwarded-For`` header values
    ``forwarded_for``, as the key the throttle counts it under."""
    address = _parsed(peer)
    if address is None:  # not over IP (a test client, a socket): one key for all of them
        return "unknown"
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
    while _is_trusted(address, trusted) and hops:
        forwarded = _parsed(hops.pop())
        if forwarded is None:  # garbage a trusted proxy passed on: its sender is the client
            break
        address = forwarded
    return _key(address)


def _parsed(text: str | None) -> Address | None:
    try:
        return ipaddress.ip_address(text or "")
    except ValueError:
        return None


def _is_trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address in network for network in trusted)


def _key(address: Address) -> str:
    if not isinstance(address, ipaddress.IPv6Address):
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.IPv6Network((address, 64), strict=False))
