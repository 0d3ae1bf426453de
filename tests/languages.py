"""A staff member who reads Balie in one language: the account's setting, and a client logged in as them."""

from __future__ import annotations

from typing import Any

from django.test import Client


def speak(user: Any, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def client_in(user: Any, language: str) -> Client:
    speak(user, language)
    client = Client()
    client.force_login(user)
    return client
