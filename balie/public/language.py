"""The language switch of the public pages: Dutch by default, English by choice (?lang=en, remembered in a cookie).

The mechanism lives in core/language.py, because the queue pages (walkin) and the message check use it too.
"""

from __future__ import annotations

from balie.core.language import COOKIE, LANGUAGES, ONE_YEAR, chosen_language, public_language, switch_url

__all__ = ["COOKIE", "LANGUAGES", "ONE_YEAR", "chosen_language", "public_language", "switch_url"]
