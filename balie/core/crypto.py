"""Encryption at rest for the little personal data Balie keeps (referral and course contact data, ADR 0009).

Fernet (AES-128-CBC + HMAC) from the `cryptography` package. The key comes from the environment
(settings.BALIE_PII_KEY); several comma-separated keys allow rotation: the first encrypts, all decrypt.
Callers never decrypt directly in views: the services that do so also write the audit event.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionFailed(Exception):
    """The stored value was encrypted with a key that is no longer configured."""


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def encrypt_json(data: dict[str, Any]) -> str:
    return _fernet(settings.BALIE_PII_KEY).encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def decrypt_json(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        return json.loads(_fernet(settings.BALIE_PII_KEY).decrypt(token.encode()))
    except InvalidToken as exc:
        raise DecryptionFailed("De gegevens zijn versleuteld met een sleutel die niet meer is ingesteld (BALIE_PII_KEY).") from exc


def seal_bytes(data: bytes) -> str:
    """Encrypt longer content (an uploaded file waiting for the worker, an e-mail and its attachment waiting to be sent).

    Compressed first: a CSV shrinks several times, so the token (base64) stays smaller than the content itself.
    """
    return _fernet(settings.BALIE_PII_KEY).encrypt(zlib.compress(data, 6)).decode()


def open_bytes(token: str) -> bytes:
    if not token:
        return b""
    try:
        return zlib.decompress(_fernet(settings.BALIE_PII_KEY).decrypt(token.encode()))
    except InvalidToken as exc:
        raise DecryptionFailed("De gegevens zijn versleuteld met een sleutel die niet meer is ingesteld (BALIE_PII_KEY).") from exc


def seal_text(text: str) -> str:
    return seal_bytes(text.encode())


def open_text(token: str) -> str:
    return open_bytes(token).decode()
