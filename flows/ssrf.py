"""The SSRF guard: links found in feeds (and redirects) must not turn newsetl against its own
network. Loopback, private, link-local, multicast and reserved addresses are refused, except
on the host of the feed the user listed and on hosts the config allows."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Guard:
    """Which hosts a fetch may reach although they resolve to internal addresses."""

    trusted: frozenset[str] = field(default_factory=frozenset)
    """host names (lower case) the user named: the listed feed's host, the allow-list"""
    local: bool = False
    """file:// links are allowed: the user listed a local feed, whose pages are local too"""

    @classmethod
    def allowing(cls, allow_hosts: str) -> Guard:
        """A guard trusting the hosts of the ``allow_hosts`` setting (comma separated)."""
        return cls(frozenset(h.strip().lower() for h in allow_hosts.split(",") if h.strip()))

    def with_hosts(self, urls: Iterable[str]) -> Guard:
        """This guard trusting the hosts of ``urls`` too (and file:// for a local feed)."""
        urls = list(urls)
        hosts = {(urlsplit(u).hostname or "").lower() for u in urls}
        local = self.local or any(u.startswith("file:") for u in urls)
        return Guard(self.trusted | frozenset(h for h in hosts if h), local)

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched, or None when it may."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return None  # not a URL: the fetch says so itself
        if parts.scheme == "file" and self.local:
            return None
        if parts.scheme not in ("http", "https"):
            return f"{parts.scheme or 'no'} scheme: only http and https links are followed"
        if host in self.trusted:
            return None
        for address in _addresses(host):
            if _internal(address):
                return f"{host} resolves to {address}, an internal address"
        return None


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []  # unresolvable: the fetch reports it as dns
    found = []
    for info in infos:
        try:
            found.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        except ValueError:
            continue
    return found


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (address.is_loopback or address.is_private or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified)
