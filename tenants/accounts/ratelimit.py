"""Failed-login rate limit, counted per account and per client address.

Counters live in the platform-wide cache (not per schema), so spreading attempts over
several municipalities' hosts does not multiply the allowance.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:acct:{account}", f"login-fail:addr:{address}"]


def retry_after(request: HttpRequest, username: str) -> int:
    """Seconds until another attempt is allowed, or 0 if allowed now."""
    cache = caches["platform"]
    now = time.time()
    waits = [0.0]
    for key in _keys(request, username):
        failures: list[float] = [t for t in cache.get(key, []) if t > now - settings.LOGIN_RATE_LIMIT_WINDOW]
        if len(failures) >= settings.LOGIN_RATE_LIMIT_ATTEMPTS:
            waits.append(failures[-settings.LOGIN_RATE_LIMIT_ATTEMPTS] + settings.LOGIN_RATE_LIMIT_WINDOW - now)
    return math.ceil(max(waits))


def record_failure(request: HttpRequest, username: str) -> None:
    cache = caches["platform"]
    now = time.time()
    for key in _keys(request, username):
        failures = [t for t in cache.get(key, []) if t > now - settings.LOGIN_RATE_LIMIT_WINDOW]
        failures.append(now)
        cache.set(key, failures[-settings.LOGIN_RATE_LIMIT_ATTEMPTS * 2 :], settings.LOGIN_RATE_LIMIT_WINDOW)


def clear_account(request: HttpRequest, username: str) -> None:
    caches["platform"].delete(_keys(request, username)[0])
