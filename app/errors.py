"""The core's exception tree. User-facing errors carry translated Chinese text."""

from __future__ import annotations

from collections.abc import Mapping

from app.i18n import _


class AppError(Exception):
    """Base of every error the application expects and can explain to a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(AppError):
    """Input refused. ``field_errors`` maps a field name to its Chinese message."""

    def __init__(self, field_errors: Mapping[str, str]) -> None:
        self.field_errors = dict(field_errors)
        lines = "\n".join(self.field_errors.values())
        super().__init__(_("输入有误：\n{lines}").format(lines=lines))


class NotFound(AppError):
    pass


class StaleRecord(AppError):
    """The record changed since the caller read it (another window or an import)."""


class SchemaTooNew(AppError):
    pass


class Cancelled(Exception):
    """Raised by long work when the user pressed Cancel; presenters ignore it silently."""
