"""The rule for the central server's address, in one place: the settings check and the sync transport use it.

https:// anywhere; plain http:// only to this machine (127.0.0.0/8, ::1, "localhost"), where nothing crosses a
network (tests, or a local TLS-terminating proxy). Host names other than localhost are not resolved: what a
name points to can change after the check.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit


class AddressProblem(ValueError):
    """Why an address cannot be used; `insecure` when it is plain HTTP to another machine."""

    def __init__(self, message: str, *, insecure: bool = False) -> None:
        super().__init__(message)
        self.insecure = insecure


@dataclass(frozen=True)
class ServerAddress:
    """A checked address: the base URL requests are made against, its host, and whether it is plain HTTP."""

    base_url: str
    host: str
    insecure: bool


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the name localhost."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def parse_server_address(url: str) -> ServerAddress:
    """The address as it will be used, or AddressProblem saying what is wrong with it."""
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise AddressProblem(
            f"The server address '{text}' must start with https:// (for example https://kyc.bank.example:8443)."
        )
    try:
        host = parts.hostname
        _ = parts.port  # a malformed port raises ValueError here
    except ValueError:
        host = None
    if not host:
        raise AddressProblem(f"The server address '{text}' has no valid host name.")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise AddressProblem(f"The server address '{text}' must be a plain https://host[:port][/path] address.")
    if scheme == "http" and not is_loopback_host(host):
        raise AddressProblem(
            f"Plain http:// to {host} is refused: records would cross the network unencrypted. "
            "Use https:// with the bank's CA bundle; plain http is allowed only to this machine (127.0.0.1).",
            insecure=True,
        )
    return ServerAddress(f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}", host, insecure=scheme == "http")
