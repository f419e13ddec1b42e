"""Failed-login rate limit, counted per account and per client address.

Fixed-window counters with atomic increments (cache.add + cache.incr), so parallel attempts
cannot slip past a read-then-write race. Counters live in the platform-wide cache (not per
schema), so spreading attempts over several municipalities' hosts does not multiply the
allowance.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the
    X-Forwarded-For entry the nearest trusted proxy saw."""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= trusted:
            return hops[-trusted]
    return str(request.META.get("REMOTE_ADDR", ""))


def _counters(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    window = int(time.time() // settings.LOGIN_RATE_LIMIT_WINDOW)
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [
        (f"login-fail:{window}:acct:{account}", settings.LOGIN_RATE_LIMIT_ATTEMPTS),
        (f"login-fail:{window}:addr:{client_address(request)}", settings.LOGIN_RATE_LIMIT_ADDRESS_ATTEMPTS),
    ]


def _seconds_to_window_end() -> int:
    window = settings.LOGIN_RATE_LIMIT_WINDOW
    return max(1, math.ceil(window - time.time() % window))


def retry_after(request: HttpRequest, username: str) -> int:
    """Seconds until another attempt is allowed, or 0 if allowed now."""
    cache = caches["platform"]
    for key, limit in _counters(request, username):
        if (cache.get(key) or 0) >= limit:
            return _seconds_to_window_end()
    return 0


def record_failure(request: HttpRequest, username: str) -> None:
    cache = caches["platform"]
    for key, _limit in _counters(request, username):
        cache.add(key, 0, settings.LOGIN_RATE_LIMIT_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: start again
            cache.add(key, 1, settings.LOGIN_RATE_LIMIT_WINDOW)


def clear_account(request: HttpRequest, username: str) -> None:
    caches["platform"].delete(_counters(request, username)[0][0])
