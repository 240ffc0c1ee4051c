"""Which webhook addresses Schakel calls: HTTPS to a public host only, whatever the spelling of
an address inside a network, and judged again by what a name resolves to at the time."""

import pytest

from services.notifier.webhook_urls import WebhookRefused, check

INSIDE = [
    "https://127.0.0.1/hook",
    "https://127.1/hook",  # the resolver's short form
    "https://2130706433/hook",  # decimal
    "https://0x7f000001/hook",  # hexadecimal
    "https://0x7f.0.0.1/hook",
    "https://0177.0.0.1/hook",  # octal
    "https://017700000001/hook",
    "https://10.0.0.8/hook",
    "https://172.16.3.4/hook",
    "https://192.168.1.1:8443/hook",
    "https://169.254.169.254/latest/meta-data",  # link-local: a cloud's metadata service
    "https://100.64.0.1/hook",  # shared address space (carrier NAT)
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",  # multicast
    "https://240.0.0.1/hook",  # reserved
    "https://255.255.255.255/hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[fe80::1%25eth0]/hook",
    "https://[fc00::1]/hook",  # unique local
    "https://[ff02::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped
    "https://[::ffff:7f00:1]/hook",
    "https://[::ffff:10.1.2.3]/hook",
    "https://[2002:7f00:1::]/hook",  # 6to4 around 127.0.0.1
    "https://[64:ff9b::a00:1]/hook",  # NAT64 around 10.0.0.1
    "https://localhost/hook",
    "https://LOCALHOST./hook",
    "https://api.localhost/hook",
    "https://localhost.localdomain/hook",
]
NOT_A_WEBHOOK = [
    "http://hooks.example.com/schakel",
    "ftp://hooks.example.com/",
    "https:///no-host",
    "hooks.example.com/schakel",
    "https://hooks.example.com/with space",
    "https://hooks.example.com/\x00",
    "https://hooks.exämple.com/",
    "https://1.2.3.4.5/hook",
    "https://999.1.1.1/hook",
    "https://hooks.example.com:99999/",
    "https://" + "a" * 500 + ".example.com/",
    "",
]


async def nothing(host: str, port: int) -> list[str]:
    return []


@pytest.mark.parametrize("url", INSIDE + NOT_A_WEBHOOK)
async def test_an_address_inside_a_network_or_not_https_is_refused_in_dutch(url: str) -> None:
    with pytest.raises(WebhookRefused) as refused:
        await check(url, nothing)
    assert any(word in str(refused.value) for word in ("adres", "Adres", "https", "ASCII"))


async def test_a_public_https_address_passes() -> None:
    async def public(host: str, port: int) -> list[str]:
        assert (host, port) == ("hooks.example.com", 8443)
        return ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]

    assert len(await check("https://hooks.example.com:8443/schakel?x=1", public)) == 2
    assert [str(a) for a in await check("https://8.8.8.8/hook", nothing)] == ["8.8.8.8"]
    v6 = await check("https://[2606:4700:4700::1111]/hook", nothing)
    assert [str(a) for a in v6] == ["2606:4700:4700::1111"]


@pytest.mark.parametrize("inside", ["127.0.0.1", "10.0.0.1", "::1", "::ffff:192.168.0.1"])
async def test_a_name_is_refused_for_any_address_inside_it_resolves_to(inside: str) -> None:
    async def rebinding(host: str, port: int) -> list[str]:
        return ["93.184.215.14", inside]

    with pytest.raises(WebhookRefused, match="binnen een netwerk"):
        await check("https://hooks.example.com/schakel", rebinding)


async def test_a_name_that_does_not_resolve_yet_may_be_saved() -> None:
    assert await check("https://hooks.not-yet.example/schakel", nothing) == []
