"""One presenter for every error the UI meets, and the last-resort exception hook."""

from __future__ import annotations

import logging
import sys
import traceback

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
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, title or _("程序错误"),
                      _("发生了意外错误，操作未完成，数据未被修改。\n{error}").format(error=exc), parent=parent)
    box.setDetailedText(details)
    box.exec()


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
            show_error(None, exc)
        finally:
            _in_hook = False

    sys.excepthook = hook
