"""The dialog of an unexpected error: drafts saved first, a report written, its folder offered."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPlainTextEdit,
                               QPushButton, QStyle, QVBoxLayout, QWidget)

from app.i18n import _
from app.services import logs
from app.ui.drafts import flush_open_drafts

log = logging.getLogger(__name__)


class CrashDialog(QDialog):
    """Says what happened in Chinese, where the report is, and opens its folder on request."""

    help_topic = "backup"

    def __init__(self, message: str, report: str, report_path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report_path = report_path
        self.setWindowTitle(_("程序错误"))
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where = (_("错误报告已保存到：\n{path}\n请把这个文件交给技术人员（市档案局）。").format(path=report_path)
                 if report_path else _("错误报告未能保存（日志文件夹不可写入）。"))
        self.where = QLabel(where)
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(report)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(220)
        buttons = QDialogButtonBox()
        self.open_folder_button = QPushButton(_("打开报告所在文件夹"))
        self.open_folder_button.setEnabled(bool(report_path))
        self.details_button = QPushButton(_("详细信息"))
        self.details_button.setCheckable(True)
        self.copy_button = QPushButton(_("复制报告"))
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(_("关闭"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.details_button.toggled.connect(self.details.setVisible)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        self.close_button.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.where)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(620, 240)

    def open_folder(self) -> None:
        if self.report_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report_path.parent)))


def _details() -> dict[str, str]:
    facts = {"qt": qVersion(), "pyside": PySide6.__version__}
    app = QApplication.instance()
    window = (app.activeModalWidget() or app.activeWindow()) if app else None
    if window is not None:
        facts["window"] = f"{type(window).__name__} {window.windowTitle()!r}"
    return facts


def report_crash(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, *,
                 message: str | None = None, title: str | None = None, parent: QWidget | None = None) -> CrashDialog:
    """Save every open draft, write the report, then show the dialog (modal). Returns it."""
    saved = flush_open_drafts()
    details = _details()
    details["drafts saved"] = str(saved)
    try:
        path = logs.write_crash_report(exc_type, exc, tb, details=details)
        report = path.read_text(encoding="utf-8")
    except OSError:
        log.exception("crash report could not be written")
        path, report = None, "".join(traceback.format_exception(exc_type, exc, tb))
    if message is None:
        message = _("程序发生了意外错误：{error}").format(error=exc)
        if saved:
            message += "\n" + _("正在编辑的内容已保存为草稿：可以继续保存；如果程序退出，下次启动时会提示恢复。")
    dialog = CrashDialog(message, report, path, parent)
    if title:
        dialog.setWindowTitle(title)
    dialog.exec()
    return dialog
