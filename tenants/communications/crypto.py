"""Channel credentials encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from CREDENTIALS_KEYS: one or more Fernet keys separated by commas, the first
encrypts and all decrypt, so a key can be rotated without losing stored credentials. Without
it the key is derived from SECRET_KEY, which is enough for development but ties the stored
credentials to that secret."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    configured = [k.strip() for k in str(getattr(settings, "CREDENTIALS_KEYS", "")).split(",") if k.strip()]
    if not configured:
        derived = hashlib.sha256(b"sigobito-channel-credentials:" + str(settings.SECRET_KEY).encode()).digest()
        configured = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(k.encode()) for k in configured])


def encrypt(data: dict[str, Any]) -> str:
    if not data:
        return ""
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


class UnreadableCredentials(Exception):
    """Stored with a key that is no longer configured."""


def decrypt(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        value = json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError) as exc:
        raise UnreadableCredentials from exc
    return value if isinstance(value, dict) else {}
