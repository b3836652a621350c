"""Interface strings through gettext, one translator per locale, chosen per call.

Nothing here installs a process-wide `_`: a conversation asks `translator(locale)` for the
merchant it is answering, so two merchants in two languages can be served at the same time.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

from bot.engine.catalogue import DEFAULT_LOCALE, LOCALES
from bot.resources import locales_dir

DOMAIN = "negobot"


def N_(message: str) -> str:
    """Marks a string for extraction where it is translated later."""
    return message


@lru_cache(maxsize=None)
def translator(locale: str) -> gettext.NullTranslations:
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    try:
        return gettext.translation(DOMAIN, localedir=str(locales_dir()), languages=[locale])
    except FileNotFoundError:
        return gettext.NullTranslations()


def locale_for_language_code(code: str | None) -> str:
    """Telegram's IETF language_code → a negobot locale (unknown languages get Simplified Chinese)."""
    if not code:
        return DEFAULT_LOCALE
    code = code.lower().replace("_", "-")
    if code.startswith("zh"):
        if any(tag in code for tag in ("hant", "-tw", "-hk", "-mo")):
            return "zh_TW"
        return "zh_CN"
    if code == "en" or code.startswith("en-"):
        return "en"
    return DEFAULT_LOCALE
