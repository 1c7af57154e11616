"""通报: the list of notices with their steps (new, edit, issue, correct, export as PDF)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.i18n import N_, _
from app.models import NOTICE_STATUSES
from app.services import notices
from app.services.notices import NoticeRow
from app.services.tasks import CancelToken, ProgressSink
from app.services.workspace import Workspace
from app.ui.dialogs.history_dialog import HistoryDialog, open_history
from app.ui.errors import show_error
from app.ui.item_views import read_only_rows, size_columns
from app.ui.notices.notice_dialog import NoticeDialog
from app.ui.page_shortcuts import PageShortcut
from app.ui.worker import Task, run_task

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_OLD = QColor("#8a8a8a")
_DRAFT = QColor("#8a5a00")
COLUMNS = (N_("文号"), N_("标题"), N_("日期"), N_("状态"), N_("意见数"))
WIDTHS = (230, 420, 100, 90)
_LAST_FOLDER = "notices/last_folder"
_PDF_FILTER = N_("PDF 文件 (*.pdf)")


class NoticesTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[NoticeRow] = []
        self.numbers: dict[str, str] = {}
        self._headers = [_(label) for label in COLUMNS]

    def set_rows(self, rows: list[NoticeRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.numbers = {r.uid: r.number for r in rows}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == _DISPLAY:
            if column == 0:
                return row.number
            if column == 1:
                return row.title
            if column == 2:
                return row.issue_date.isoformat()
            if column == 3:
                return _(NOTICE_STATUSES.get(row.status, row.status))
            return str(row.item_count)
        if role == _ALIGN and column >= 2:
            return _CENTER
        if role == _FOREGROUND:
            return _OLD if row.status == "superseded" else _DRAFT if row.status == "draft" else None
        if role == _TOOLTIP:
            if column == 1:
                return row.title
            if row.supersedes_uid:
                return _("更正 {number}").format(number=self.numbers.get(row.supersedes_uid, ""))
        return None


def pdf_name(number: str, title: str) -> str:
    """A file name from the notice: characters Windows refuses replaced."""
    return re.sub(r'[\\/:*?"<>|]+', "_", f"{number} {title}".strip())[:120] + ".pdf"


def export_pdfs(ws: Workspace, uids: list[str], folder: Path | None, single: Path | None):
    """Work for ``run_task`` (Qt-free): render the notices; returns the paths written."""
    def work(cancel: CancelToken, progress: ProgressSink) -> list[Path]:
        from app.reports.notice_pdf import (
            render_notice,  # reportlab loads on first export only
        )

        written = []
        for n, uid in enumerate(uids):
            cancel.check()
            detail = notices.get(ws, uid)
            progress(n, len(uids), _("正在生成 {number}…").format(number=detail.number))
            written.append(render_notice(detail, single or folder / pdf_name(detail.number, detail.title)))
        progress(len(uids), len(uids), "")
        return written
    return work


class NoticesPage(QWidget):
    """The notices screen; ``changed`` is emitted after a notice was saved, issued or corrected."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.year = QComboBox()
        self.status = QComboBox()
        self.status.addItem(_("全部状态"), None)
        for code, label in NOTICE_STATUSES.items():
            self.status.addItem(_(label), code)
        self.count = QLabel()
        bar = QHBoxLayout()
        for widget in (QLabel(_("筛选：")), self.year, self.status):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count)

        self.model = NoticesTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_rows(self.table, single=False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        size_columns(self.table, WIDTHS)
        self.table.activated.connect(lambda _index: self.open_current())

        self.new_button = QPushButton(_("新建通报…"))
        self.edit_button = QPushButton(_("编辑…"))
        self.delete_button = QPushButton(_("删除草稿"))
        self.issue_button = QPushButton(_("印发"))
        self.correct_button = QPushButton(_("更正…"))
        self.export_button = QPushButton(_("导出 PDF…"))
        self.history_button = QPushButton(_("变更历史…"))
        self.history_button.setToolTip(_("通报及其督导意见、附件的各个版本（Ctrl+H）"))
        self.issue_button.setToolTip(_("印发后通报成为正式记录，不能再修改"))
        self.correct_button.setToolTip(_("为已印发的通报生成更正稿；更正稿印发后，原通报标记为已更正"))
        self.export_button.setToolTip(_("选中多份时导出到一个文件夹"))
        self.message = QLabel()
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button, self.issue_button, self.correct_button,
                       self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.message)
        buttons.addWidget(self.export_button)
        self.new_button.clicked.connect(self.new_notice)
        self.edit_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.issue_button.clicked.connect(self.issue_current)
        self.correct_button.clicked.connect(self.correct_current)
        self.export_button.clicked.connect(self.export)
        self.history_button.clicked.connect(lambda _checked=False: self.show_history())
        # the main window binds Ctrl+H to the register's history: the page claims it while it has the focus
        PageShortcut(self, "Ctrl+H", self.show_history)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        self._reload_years()
        self.year.currentIndexChanged.connect(self.refresh)
        self.status.currentIndexChanged.connect(self.refresh)
        self.refresh()

    # -- data --------------------------------------------------------------------
    def _reload_years(self) -> None:
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem(_("全部年份"), None)
        for year in notices.years(self.ws):
            self.year.addItem(_("{year}年").format(year=year), year)
        self.year.setCurrentIndex(max(self.year.findData(current), 0))
        self.year.blockSignals(False)

    def refresh(self, select_uid: str | None = None) -> None:
        keep = select_uid or self.current_uid()
        self._reload_years()
        self.model.set_rows(notices.list_notices(self.ws, year=self.year.currentData(),
                                                 status=self.status.currentData()))
        self.count.setText(_("共 {n} 份通报，{k} 条督导意见").format(
            n=len(self.model.rows), k=sum(r.item_count for r in self.model.rows)))
        for row, notice in enumerate(self.model.rows):
            if notice.uid == keep:
                self.table.selectRow(row)
                break
        self._update_buttons()

    def selected_rows(self) -> list[NoticeRow]:
        return [self.model.rows[i.row()] for i in self.table.selectionModel().selectedRows()
                if i.row() < len(self.model.rows)]

    def current_row(self) -> NoticeRow | None:
        rows = self.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def current_uid(self) -> str | None:
        row = self.current_row()
        return row.uid if row else None

    def _update_buttons(self) -> None:
        row = self.current_row()
        draft = row is not None and row.status == "draft"
        self.edit_button.setEnabled(draft)
        self.delete_button.setEnabled(draft)
        self.issue_button.setEnabled(draft)
        self.correct_button.setEnabled(row is not None and row.status == "issued")
        self.history_button.setEnabled(row is not None)
        self.export_button.setEnabled(bool(self.selected_rows()))

    def _changed(self, uid: str | None) -> None:
        self.refresh(uid)
        self.changed.emit()

    # -- steps -------------------------------------------------------------------
    def new_notice(self) -> None:
        dialog = NoticeDialog(self.ws, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._changed(dialog.saved.uid)

    def open_current(self) -> None:
        """Drafts open for editing; issued and superseded notices open read-only."""
        row = self.current_row()
        if row is None:
            return
        try:
            dialog = NoticeDialog(self.ws, row.uid, parent=self)
        except AppError as exc:
            show_error(self, exc)
            self.refresh()
            return
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._changed(dialog.saved.uid)

    def delete_current(self) -> None:
        row = self.current_row()
        if row is None or row.status != "draft":
            return
        answer = QMessageBox.question(self, _("删除草稿"), _("删除通报草稿 {number}（{title}）？").format(
            number=row.number, title=row.title))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            notices.delete(self.ws, row.uid, expected_rev=row.rev)
        except AppError as exc:
            show_error(self, exc)
        self._changed(None)

    def issue_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        text = _("印发后，通报 {number} 及其 {n} 条督导意见成为正式记录，不能再修改或删除。").format(
            number=row.number, n=row.item_count)
        if row.supersedes_uid:
            text += "\n" + _("原通报 {old} 将标记为“已更正”。").format(old=self.model.numbers.get(row.supersedes_uid, ""))
        answer = QMessageBox.question(self, _("印发通报"), text + "\n" + _("确定印发吗？"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            notices.issue(self.ws, row.uid, expected_rev=row.rev)
        except AppError as exc:
            show_error(self, exc)
        self._changed(row.uid)

    def correct_current(self) -> None:
        """A correction draft (or the one already begun) opens for editing."""
        row = self.current_row()
        if row is None:
            return
        try:
            draft = notices.correct(self.ws, row.uid)
        except AppError as exc:
            show_error(self, exc)
            self.refresh()
            return
        self._changed(draft.uid)
        dialog = NoticeDialog(self.ws, draft.uid, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._changed(dialog.saved.uid)

    def show_history(self) -> HistoryDialog | None:
        """Every version of the selected notice, its opinions and its attachments."""
        return open_history(self, self.ws, "notices", self.current_uid())

    def export(self) -> None:
        rows = self.selected_rows()
        if not rows or (self.task is not None and self.task.running):
            return
        start = Path(QSettings().value(_LAST_FOLDER, str(Path.home())))
        folder = single = None
        if len(rows) == 1:
            chosen, _selected = QFileDialog.getSaveFileName(self, _("导出通报 PDF"),
                                                            str(start / pdf_name(rows[0].number, rows[0].title)),
                                                            _(_PDF_FILTER))
            if not chosen:
                return
            single = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
            QSettings().setValue(_LAST_FOLDER, str(single.parent))
        else:
            chosen = QFileDialog.getExistingDirectory(self, _("选择导出文件夹"), str(start))
            if not chosen:
                return
            folder = Path(chosen)
            QSettings().setValue(_LAST_FOLDER, chosen)
        work = export_pdfs(self.ws, [r.uid for r in rows], folder, single)
        self.task = run_task(self, _("导出通报 PDF"), work, on_done=self._exported)

    def _exported(self, paths: list[Path]) -> None:
        if len(paths) == 1:
            self.message.setText(_("已导出：{path}").format(path=paths[0]))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths[0])))
        elif paths:
            self.message.setText(_("已导出 {n} 份通报到 {folder}").format(n=len(paths), folder=paths[0].parent))
