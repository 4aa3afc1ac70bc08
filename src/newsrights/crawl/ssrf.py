"""The address guard: a watched URL must not be turned against the machine that fetches it.

Rule (server-side request forgery defence, after OWASP's SSRF prevention cheat sheet):

1. Resolve the host name with ``getaddrinfo`` and check **every** address it
   returns. An address is refused when it is private, loopback, link-local,
   multicast, reserved, unspecified or site-local (IPv4 and IPv6, including
   IPv4-mapped IPv6 such as ``::ffff:127.0.0.1``), unless the host name is in
   ``allow_hosts`` or the address lies in one of ``allow_networks``.
2. Connect to the address that was checked, never resolve again (a second
   lookup could answer differently: DNS rebinding). :class:`GuardedBackend`
   does that inside httpcore, so every connection — the first request and
   every redirect hop — passes through the guard.

Tests and the demo allow their loopback servers explicitly
(``allow_networks=("127.0.0.1/32",)``); nothing is allowed by default.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore

from newsrights.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Blocks that the ``is_*`` flags of :mod:`ipaddress` do not all cover on every Python.
_EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT (RFC 6598)
        "192.0.0.0/24",
        "198.18.0.0/15",  # benchmarking (RFC 2544)
        "64:ff9b::/96",  # NAT64 can reach IPv4 private space
        "fc00::/7",
        "fec0::/10",
    )
)


class BlockedAddress(FetchError):
    """The host resolves to an address the guard refuses (``reason = "blocked_address"``)."""

    reason = "blocked_address"


class ResolveError(FetchError):
    """The host name does not resolve (``reason = "dns_error"``)."""

    reason = "dns_error"


def is_public(ip: IPAddress) -> bool:
    """True when ``ip`` is a globally routable unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return is_public(ip.ipv4_mapped)
    if (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)
    ):
        return False
    return not any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version)


Resolver = typing.Callable[[str, int], list[str]]


def system_resolve(host: str, port: int) -> list[str]:
    """All addresses of ``host`` (``getaddrinfo``), in the order the system gives them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ResolveError(f"cannot resolve {host!r}: {exc}") from exc
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0]).split("%", 1)[0]
        if addr not in out:
            out.append(addr)
    return out


@dataclass(frozen=True)
class AddressGuard:
    """Decides which hosts and addresses may be connected to (see the module docstring)."""

    allow_hosts: tuple[str, ...] = ()
    allow_networks: tuple[str, ...] = ()
    resolver: Resolver = field(default=system_resolve, compare=False)

    def _networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(n, strict=False) for n in self.allow_networks]

    def allowed(self, host: str, ip: IPAddress) -> bool:
        if host.lower().rstrip(".") in {h.lower().rstrip(".") for h in self.allow_hosts}:
            return True
        if any(ip.version == net.version and ip in net for net in self._networks()):
            return True
        return is_public(ip)

    def resolve(self, host: str, port: int) -> list[str]:
        """The checked addresses of ``host``; raises :class:`BlockedAddress` if any is refused."""
        host = host.strip("[]")
        addrs = self.resolver(host, port)
        if not addrs:
            raise ResolveError(f"{host!r} has no address")
        for addr in addrs:
            ip = ipaddress.ip_address(addr)
            if not self.allowed(host, ip):
                raise BlockedAddress(
                    f"{host} resolves to {ip}, a non-public address; "
                    "allow it explicitly (allow_hosts / allow_networks) if you mean it"
                )
        return addrs

    @classmethod
    def from_config(cls, allow_hosts: Iterable[str] = (), allow_networks: Iterable[str] = ()) -> AddressGuard:
        nets = tuple(allow_networks)
        for n in nets:
            ipaddress.ip_network(n, strict=False)  # validate early
        return cls(allow_hosts=tuple(allow_hosts), allow_networks=nets)


#: Per-thread deadline (``time.monotonic()`` value) of the request the thread is making; see
#: :class:`DeadlineStream`. The fetcher sets it around each attempt.
request_deadline = threading.local()


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read and write ends by the thread's request deadline.

    httpx has connect/read/write timeouts per socket operation only; a server that
    sends one byte of its *headers* every few seconds would never trip them. Each
    operation here gets ``min(its timeout, time left)`` and fails with
    ``httpcore.ReadTimeout``/``WriteTimeout`` once the deadline has passed.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    @staticmethod
    def _left(timeout: float | None) -> float | None:
        deadline = getattr(request_deadline, "value", None)
        if deadline is None:
            return timeout
        left = deadline - time.monotonic()
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = self._left(timeout)
        if left is not None and left <= 0:
            raise httpcore.ReadTimeout("total deadline of the request passed")
        return self.inner.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        left = self._left(timeout)
        if left is not None and left <= 0:
            raise httpcore.WriteTimeout("total deadline of the request passed")
        self.inner.write(buffer, left)

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, self._left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore network backend that connects only to guard-checked addresses.

    The host is resolved once, every address checked, and the socket opened to
    the checked IP itself; TLS still uses the original host name for SNI and
    certificate checks (httpcore passes it separately to ``start_tls``).
    """

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard

    def connect_tcp(  # type: ignore[override]
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        addrs = self.guard.resolve(host, port)
        last: Exception | None = None
        for addr in addrs:
            try:
                return DeadlineStream(super().connect_tcp(addr, port, timeout, local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last
