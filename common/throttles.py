"""Per-address rate limits read the client's address as common.proxies does."""

from typing import Any

from rest_framework import throttling
from rest_framework.request import Request

from common.proxies import client_address


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle (per user when signed in, else per address), with the address read
    through the trusted proxies only (`STRIDE_NUM_PROXIES`), never a client's own
    `X-Forwarded-For`."""

    def get_ident(self, request: Request) -> Any:
        return client_address(request) or "unknown"
