"""The SSRF guard: nothing a feed, a page, a sitemap or a redirect says may turn newsetl against
its own network or disk.

Every request of a Fetcher, each redirect hop and robots.txt included, passes ``Guard.refusal``
in the transport (flows/fetch.py), with the host's addresses as resolved once per run by
``Resolver``; the connection then goes to one of those very addresses, so a name that resolves
to a public address when checked and to an internal one a moment later (DNS rebinding) never
reaches the internal one. Loopback, private, link-local, multicast and reserved addresses are
refused, except for the origins (scheme, host and port) the user listed and the hosts or
networks of the ``allow_hosts`` setting. ``file://`` is read only below the folder of the local
feed the user listed (or of the config that lists it).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

if TYPE_CHECKING:
    from newsetl.flows.config import FeedSpec

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Origin = tuple[str, str, int]
"""(scheme, lower-case host, port): what a listed URL's trust extends to"""
Resolve = Callable[[str], list[str]]
"""host name -> its addresses as strings (the seam tests point at 127.0.0.x)"""

_DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(Exception):
    """A request the guard does not let through; ``reason`` says why."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url} refused: {reason}")


@dataclass(frozen=True)
class Guard:
    """What a fetch may reach: public addresses, plus the origins, hosts and networks trusted."""

    trusted: frozenset[Origin] = field(default_factory=frozenset)
    """origins the user listed (a feed, a sitemap, a URL of a list): their scheme and port only"""
    hosts: frozenset[str] = field(default_factory=frozenset)
    """``allow_hosts`` entries naming a host (any port) or ``host:port``"""
    networks: tuple[Network, ...] = ()
    """``allow_hosts`` entries that are addresses or networks (10.1.0.0/16)"""
    local_roots: frozenset[str] = field(default_factory=frozenset)
    """folders ``file://`` URLs may be read below (a listed local feed's, or its config's)"""

    @classmethod
    def allowing(cls, allow_hosts: str) -> Guard:
        """A guard trusting the entries of the ``allow_hosts`` setting (comma separated: host
        names, ``host:port``, addresses or networks)."""
        hosts: set[str] = set()
        networks: list[Network] = []
        for raw in allow_hosts.split(","):
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(entry)
        return cls(hosts=frozenset(hosts), networks=tuple(networks))

    def with_hosts(self, urls: Iterable[str], root: str | None = None) -> Guard:
        """This guard trusting the origins of ``urls`` too; a local (file:) URL lets its own
        folder (and ``root``, its config's) be read."""
        origins, roots = set(self.trusted), set(self.local_roots)
        for url in urls:
            if url.startswith("file:"):
                roots.update(r for r in (str(local_path(url).parent), root) if r)
                continue
            found = origin(url)
            if found:
                origins.add(found)
        return Guard(frozenset(origins), self.hosts, self.networks, frozenset(roots))

    def for_feeds(self, feeds: Iterable[FeedSpec]) -> Guard:
        """This guard trusting listed feeds: their origins, and a local feed's folder (its
        config's, when a config lists it)."""
        guard = self
        for feed in feeds:
            guard = guard.with_hosts([feed.url], feed.root)
        return guard

    def refusal(self, scheme: str, host: str, port: int | None,
                addresses: Iterable[str] = ()) -> str | None:
        """Why a request to ``scheme://host:port`` whose host has ``addresses`` may not be
        sent, or None when it may."""
        if scheme not in ("http", "https"):
            return f"{scheme or 'no'} scheme: only http and https are fetched"
        host = host.lower().strip("[]")
        port = port or _DEFAULT_PORTS[scheme]
        if (scheme, host, port) in self.trusted or host in self.hosts \
                or f"{host}:{port}" in self.hosts:
            return None
        for text in addresses:
            address = ipaddress.ip_address(text)
            if is_internal(address) and not any(address in net for net in self.networks):
                shown = host if host == text else f"{host} resolves to {text}, which"
                return (f"{shown} is an internal address (add it to the allow_hosts setting "
                        "if newsetl should reach it)")
        return None

    def file_refusal(self, path: Path) -> str | None:
        """Why a local file may not be read, or None: only below a listed local feed's folder."""
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            return f"{path} cannot be resolved"
        for root in self.local_roots:
            if target.is_relative_to(Path(root).resolve()):
                return None
        if not self.local_roots:
            return "file:// is read only for a local feed the user listed"
        return (f"{path} lies outside {', '.join(sorted(self.local_roots))}: a local feed's "
                "links are read only below its folder")


def origin(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL, None for others or a malformed one."""
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    return scheme, host, port or _DEFAULT_PORTS[scheme]


def local_path(url: str) -> Path:
    """The file a file:// URL names (file:///p and file://localhost/p alike)."""
    # url2pathname decodes %XX itself: decoding first too would turn a file named
    # "100%25.xml" (URL ...100%2525.xml) into "100%.xml"
    return Path(url2pathname(urlsplit(url).path))


def is_internal(address: Address) -> bool:
    """Loopback, private, link-local, multicast, reserved or unspecified (IPv4-mapped too)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (address.is_loopback or address.is_private or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified)


def system_resolve(host: str) -> list[str]:
    """The host's addresses from the system resolver, in its order, each once.

    Raises:
        OSError: the name does not resolve.
    """
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except UnicodeError as error:
        raise OSError(f"getaddrinfo failed: {error}") from None
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


class Resolver:
    """Resolves each host once for the life of a Fetcher (one run) and pins the answer: the
    guard checks, and the connection uses, the same addresses."""

    def __init__(self, resolve: Resolve = system_resolve) -> None:
        self._resolve = resolve
        self._pinned: dict[str, list[str] | str] = {}
        self._lock = threading.Lock()

    def addresses(self, host: str) -> list[str]:
        """The host's pinned addresses (an address literal is its own).

        Raises:
            OSError: the name does not resolve (its message names getaddrinfo, so the fetch
                reports it as ``dns``).
        """
        host = host.lower().strip("[]")
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        with self._lock:
            known = self._pinned.get(host)
        if known is None:
            try:
                found: list[str] | str = [str(ipaddress.ip_address(a)) for a in self._resolve(host)]
            except (OSError, ValueError) as error:
                found = str(error) or type(error).__name__
            if not found:
                found = "no address"
            with self._lock:
                # two threads may have asked at once: the first answer is the one kept
                known = self._pinned.setdefault(host, found)
        if isinstance(known, str):
            raise OSError(f"getaddrinfo failed for {host}: {known}")
        return known
