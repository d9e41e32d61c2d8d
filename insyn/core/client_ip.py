"""The visitor's address, as one rule for every limiter (the login lockout of django-axes, the public forms).

Behind the reverse proxy (nginx on 127.0.0.1, docs/deployment.md) REMOTE_ADDR is the proxy's: counting by it
would let one visitor lock a user name, or a public form, for everyone. The proxies trusted to set
X-Forwarded-For are those gunicorn trusts (INSYN_FORWARDED_ALLOW_IPS); of that header only the right-most
entry, the one the proxy itself wrote, is believed.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] | None:
    """gunicorn's --forwarded-allow-ips syntax: addresses or networks, comma-separated; "*" trusts everyone."""
    items = [item.strip() for item in spec.split(",") if item.strip()]
    if "*" in items:
        return None
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue  # a unix socket name or a typo trusts nobody
    return tuple(networks)


def _trusted_proxy(remote: str) -> bool:
    # The same list gunicorn is started with (`insyn serve`): the proxies allowed to set forwarded headers.
    spec = getattr(settings, "FORWARDED_ALLOW_IPS", None) or os.environ.get(
        "INSYN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"
    )
    networks = _networks(str(spec)[:2000])
    if networks is None:
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the X-Forwarded-For that a trusted proxy (nginx on 127.0.0.1)
    wrote. Its right-most entry is the one the proxy itself saw; what a client put before it is not trusted."""
    remote = str(request.META.get("REMOTE_ADDR", ""))[:64]
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))[-200:]
    if forwarded and _trusted_proxy(remote):
        try:
            return str(ipaddress.ip_address(forwarded.split(",")[-1].strip()))
        except ValueError:
            return remote
    return remote
