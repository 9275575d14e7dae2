"""The client's address, read through the trusted reverse proxies (`STRIDE_NUM_PROXIES`).

One reading for everything that keys on or records an address: the per-address rate limits
(common.throttles), the sign-in lockout (django-axes, AXES_CLIENT_IP_CALLABLE) and the audit
trail. With `STRIDE_NUM_PROXIES = 0` (the default) it is the address of the TCP peer
(`REMOTE_ADDR`) and `X-Forwarded-For` is ignored: any client can write that header, so it is
believed only when that many proxies we run stand in front of the app. With N proxies, each of
which appends the address it received the request from, the client is the N-th address from
the right; anything further left was written by the client and is never read.
"""

import ipaddress
from typing import Any

from django.conf import settings


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: Any) -> str | None:
    """The address of the client of this request (a Django or DRF request), or None."""
    meta = request.META
    remote = _address(meta.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "STRIDE_NUM_PROXIES", 0))
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return _address(hops[-min(proxies, len(hops))]) or remote
