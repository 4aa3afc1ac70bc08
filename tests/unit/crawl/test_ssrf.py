"""The address guard refuses non-public addresses, checks every address, and connects to the checked one."""

from __future__ import annotations

import ipaddress

import pytest

from newsrights.crawl.ssrf import AddressGuard, BlockedAddress, GuardedBackend, is_public


@pytest.mark.parametrize(
    "addr",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
     "100.64.0.1", "::1", "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "240.0.0.1"],
)
def test_non_public_addresses_are_refused(addr: str) -> None:
    assert not is_public(ipaddress.ip_address(addr))


@pytest.mark.parametrize("addr", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_pass(addr: str) -> None:
    assert is_public(ipaddress.ip_address(addr))


def test_every_address_of_a_host_is_checked() -> None:
    guard = AddressGuard(resolver=lambda host, port: ["93.184.216.34", "10.0.0.5"])
    with pytest.raises(BlockedAddress, match="10.0.0.5"):
        guard.resolve("rebind.example", 80)


def test_explicit_allow_by_network_and_by_host() -> None:
    by_net = AddressGuard(allow_networks=("127.0.0.0/8",), resolver=lambda h, p: ["127.0.0.1"])
    assert by_net.resolve("localhost", 80) == ["127.0.0.1"]
    by_host = AddressGuard(allow_hosts=("intranet.local",), resolver=lambda h, p: ["10.0.0.9"])
    assert by_host.resolve("intranet.local", 80) == ["10.0.0.9"]
    with pytest.raises(BlockedAddress):
        by_host.resolve("other.local", 80)


def test_backend_connects_to_the_checked_address_not_a_second_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # a rebinding resolver answers differently the 2nd time
    guard = AddressGuard(resolver=lambda h, p: next(answers))
    backend = GuardedBackend(guard)
    seen: list[str] = []

    def fake_connect(self, host, port, timeout=None, local_address=None, socket_options=None):  # type: ignore[no-untyped-def]
        seen.append(host)
        return object()

    import httpcore

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", fake_connect)
    backend.connect_tcp("rebind.example", 80)
    assert seen == ["93.184.216.34"]
    with pytest.raises(BlockedAddress):
        backend.connect_tcp("rebind.example", 80)
    assert seen == ["93.184.216.34"]
