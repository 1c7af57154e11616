"""One presenter for every error the UI meets, and the last-resort exception hook."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import AppError, Cancelled, ValidationError
from app.i18n import _

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException, *, title: str | None = None) -> None:
    """Cancelled: nothing. Known errors: their Chinese message. Anything else: message + details."""
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, ValidationError):
        QMessageBox.warning(parent, title or _("输入有误"), "\n".join(exc.field_errors.values()))
        return
    if isinstance(exc, AppError):
        QMessageBox.warning(parent, title or _("无法完成操作"), exc.message)
        return
    from app.ui.crash_dialog import report_crash

    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    report_crash(type(exc), exc, exc.__traceback__, parent=parent, title=title,
                 message=_("发生了意外错误，操作未完成，数据未被修改。\n{error}").format(error=exc))


_in_hook = False


def install_excepthook() -> None:
    """Unexpected errors in slots become one dialog instead of a silent failure or a storm."""

    def hook(exc_type, exc, tb) -> None:
        global _in_hook
        log.error("uncaught", exc_info=(exc_type, exc, tb))
        if _in_hook:
            return
        _in_hook = True
        try:
            if isinstance(exc, (AppError, Cancelled)):
                show_error(None, exc)
            else:
                # drafts of open dialogs saved, a report written, its folder offered
                from app.ui.crash_dialog import report_crash

                report_crash(exc_type, exc, tb)
        finally:
            _in_hook = False

    sys.excepthook = hook
