"""Fetching an article by URL, safely: http/https only, no private addresses, bounded.

A URL whose host resolves to a loopback, private, link-local, multicast or reserved address is
refused unless its host (or host:port) is allow-listed (``KG_FETCH_ALLOW``). Redirects are
followed by hand, each hop checked the same way; there is a timeout and a size limit.

>>> check_url("ftp://example.org/a", ())
Traceback (most recent call last):
...
kg.extract.fetch.FetchError: only http and https URLs can be fetched, not 'ftp'
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from kg import __version__

MAX_REDIRECTS = 5
USER_AGENT = f"kg-diplovisit/{__version__} (article fetcher)"


class FetchError(ValueError):
    """The URL may not be fetched, or fetching it failed."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    media_type: str


def _allowed(host: str, port: int | None, allow: tuple[str, ...]) -> bool:
    names = {host.lower(), f"{host.lower()}:{port}" if port else host.lower()}
    return any(a.lower() in names for a in allow)


def check_url(url: str, allow: tuple[str, ...]) -> None:
    """Raise FetchError unless ``url`` is http(s) and its host is public or allow-listed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {parts.scheme!r}")
    host = parts.hostname
    if not host:
        raise FetchError(f"the URL {url!r} has no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"the URL {url!r} has a bad port") from exc
    if _allowed(host, port, allow):
        return
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror}") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global or addr.is_multicast:
            raise FetchError(
                f"{host} resolves to the non-public address {addr}; "
                "add the host to KG_FETCH_ALLOW to fetch it"
            )


def fetch(
    url: str,
    *,
    allow: tuple[str, ...] = (),
    timeout_s: float = 10.0,
    max_bytes: int = 2 * 1024 * 1024,
) -> Fetched:
    """GET ``url`` (checking every redirect hop) and return at most ``max_bytes`` of it.

    ``timeout_s`` bounds the whole fetch, redirects and body included: httpx's own timeout
    is per read, which a server trickling one byte at a time never trips.
    """
    deadline = time.monotonic() + timeout_s
    with httpx.Client(
        timeout=timeout_s, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, allow)
            if time.monotonic() > deadline:
                raise FetchError(f"{url} took longer than {timeout_s:g} s")
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{url} answered {response.status_code}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(
                            f"{url} is {declared} bytes, over the limit of {max_bytes}"
                        )
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if time.monotonic() > deadline:
                            raise FetchError(f"{url} took longer than {timeout_s:g} s")
                        if len(body) > max_bytes:
                            raise FetchError(f"{url} is over the size limit of {max_bytes} bytes")
                    media = response.headers.get("content-type", "").split(";")[0].strip()
                    return Fetched(str(response.url), bytes(body), media)
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {url}: {exc}") from exc
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
