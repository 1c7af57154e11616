"""One translation mechanism for the core and the UI, without Qt.

Message ids are the Simplified Chinese text users see first; other languages are
gettext catalogs in ``app/i18n/locale/<lang>/LC_MESSAGES/messages.mo``. Qt's own
strings (button boxes, context menus) are translated separately by the UI through
``qtbase`` translators.

Strings built at import time are marked with ``N_`` and translated where shown.
"""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path

DOMAIN = "messages"
LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT_LANGUAGE = "zh_CN"

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Switch the catalog for every later ``_()`` call; unknown languages fall back to Chinese."""
    global _translations, _language
    _language = language
    if language.startswith("zh"):
        _translations = _gettext.NullTranslations()
        return
    _translations = _gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True
    )


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


def NC_(context: str, message: str) -> str:  # noqa: N802 - gettext's naming
    """``N_`` with a context: translated later by ``pgettext(context, message)``."""
    return message
