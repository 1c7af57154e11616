"""档案验收: every acceptance of the county (or city) with filters, and its paperwork.

PDFs are made in the shared worker (reportlab loads its font on first use); previews and
printing then run here (pdfium is quick and must stay on one thread).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.i18n import _
from app.models import ACCEPTANCE_STATUSES, CONCLUSIONS
from app.services import acceptance_search, divisions, fields
from app.services.acceptance_search import AcceptanceFilter, AcceptanceRow
from app.services.workspace import Workspace
from app.ui.acceptance.acceptance_dialog import AcceptanceDialog
from app.ui.acceptance.acceptances_model import COLUMN_KEYS, AcceptancesTableModel
from app.ui.acceptance.certificate_actions import (
    ReinspectDialog,
    VoidDialog,
    render_certificate_file,
    render_letter_file,
)
from app.ui.acceptance.pdf_preview import PdfPreviewDialog, ask_pdf_path, print_with_dialog
from app.ui.acceptance.sub_project_chooser import SubProjectChooser
from app.ui.date_field import DateField
from app.ui.errors import show_error
from app.ui.item_views import read_only_rows, size_columns
from app.ui.worker import Task, run_task

WIDTHS = {"acceptance_date": 95, "division": 80, "sub_project": 360, "checklist": 80, "status": 100,
          "conclusion": 60, "total_score": 60, "grade": 60, "certificate": 210}
_BATCH_FOLDER = "pdf/batch_folder"


class AcceptanceFilterBar(QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.division = QComboBox()
        self.division.addItem(_("全部县（区）"), None)
        for d in divisions.list_divisions(ws, include_city=False):
            self.division.addItem(d.name, d.uid)
        self.status = QComboBox()
        self.status.addItem(_("全部状态"), None)
        for code, label in ACCEPTANCE_STATUSES.items():
            self.status.addItem(_(label), code)
        self.conclusion = QComboBox()
        self.conclusion.addItem(_("全部结论"), None)
        for code, label in CONCLUSIONS.items():
            self.conclusion.addItem(_(label), code)
        self.date_from, self.date_to = DateField(), DateField()
        for field in (self.date_from, self.date_to):
            field.edit.setPlaceholderText(_("不限"))
            field.setMaximumWidth(130)
            field.edit.editingFinished.connect(self.changed)
        self.keyword = QLineEdit()
        self.keyword.setPlaceholderText(_("搜索子项目编号、名称或证书编号"))
        self.keyword.setClearButtonEnabled(True)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel(_("筛选：")), self.division, self.status, self.conclusion, QLabel(_("验收日期")),
                       self.date_from, QLabel("—"), self.date_to):
            row.addWidget(widget)
        row.addWidget(self.keyword, 1)
        row.addWidget(self.message)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.changed)
        self.keyword.textChanged.connect(self._timer.start)
        for combo in (self.division, self.status, self.conclusion):
            combo.currentIndexChanged.connect(self.changed)

    def current(self) -> AcceptanceFilter:
        """The filter as typed; a date that is not a date is named and ignored until fixed."""
        bounds, problems_found = [], []
        for field, label in ((self.date_from, _("起始验收日期")), (self.date_to, _("截止验收日期"))):
            try:
                bounds.append(fields.day(field.text(), label))
                field.setStyleSheet("")
            except fields.FieldError as exc:
                bounds.append(None)
                problems_found.append(exc.message)
                field.setStyleSheet("border: 1px solid #c62828;")
        self.message.setText(" ".join(problems_found))
        return AcceptanceFilter(division_uid=self.division.currentData(), status=self.status.currentData(),
                                conclusion=self.conclusion.currentData(), date_from=bounds[0], date_to=bounds[1],
                                keyword=self.keyword.text())


class AcceptancesPage(QWidget):
    """The acceptance list; ``changed`` after an acceptance or certificate changed."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self._temp = tempfile.TemporaryDirectory(prefix="yaan-pdf-")
        self.filter_bar = AcceptanceFilterBar(ws, self)
        self.model = AcceptancesTableModel(ws, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        size_columns(self.table, [WIDTHS[key] for key in COLUMN_KEYS])
        # the sub-project's name takes the room there is; the other columns keep their widths
        self.table.horizontalHeader().setSectionResizeMode(COLUMN_KEYS.index("sub_project"),
                                                           QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(lambda _index: self.open_current())

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, label, slot in (
                ("new", _("新建验收…"), self.new_acceptance), ("open", _("打开…"), self.open_current),
                ("reinspect", _("复验…"), self.reinspect), ("preview", _("预览证书…"), self.preview_certificate),
                ("letter", _("验收意见书…"), self.preview_letter), ("print", _("打印…"), self.print_certificate),
                ("save", _("另存为 PDF…"), self.save_certificate), ("void", _("作废/补发…"), self.void_or_reissue),
                ("batch", _("批量打印…"), self.batch_print)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
            if key in ("reinspect", "void"):
                bar.addSpacing(12)
        bar.addStretch(1)
        self.count = QLabel()
        bar.addWidget(self.count)
        self.note = QLabel()
        self.note.setStyleSheet("color: #2e7d32;")
        self.note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        self.filter_bar.changed.connect(self.apply_filter)
        self.model.modelReset.connect(self._update)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.apply_filter()

    # -- data --------------------------------------------------------------------
    def apply_filter(self) -> None:
        uid = self.current_uid()
        self.model.set_filter(self.filter_bar.current())
        if uid:
            self.select_uid(uid)

    def refresh(self) -> None:
        self.apply_filter()

    def current_row(self) -> AcceptanceRow | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        return self.model.record(rows[0].row()) if rows else None

    def current_uid(self) -> str | None:
        row = self.current_row()
        return row.uid if row is not None else None

    def select_uid(self, uid: str) -> None:
        row = self.model.row_of_uid(uid)
        if row >= 0:
            self.table.selectRow(row)

    def _update(self) -> None:
        self.count.setText(_("共 {n} 次验收").format(n=f"{self.model.rowCount():,}"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current_row()
        certified = row is not None and row.certificate_uid is not None
        can_reinspect = (row is not None and row.conclusion == "fail"
                         and acceptance_search.reinspection_of(self.ws, row.uid) is None)
        states = {"new": True, "open": row is not None, "reinspect": can_reinspect, "preview": certified,
                  "letter": row is not None, "print": certified, "save": certified,
                  "void": certified and row.certificate_status == "valid",
                  "batch": self.model.rowCount() > 0 and self.task is None}
        for key, enabled in states.items():
            self.buttons[key].setEnabled(enabled and (self.task is None or key in ("new", "open")))

    def _changed(self, uid: str | None = None) -> None:
        self.apply_filter()
        if uid:
            self.select_uid(uid)
        self.changed.emit()

    # -- acceptances -------------------------------------------------------------
    def new_acceptance(self) -> None:
        chooser = SubProjectChooser(self.ws, self)
        if chooser.exec() == QDialog.DialogCode.Accepted and chooser.created is not None:
            self._changed(chooser.created.uid)
            self._open(chooser.created.uid)

    def open_current(self) -> None:
        uid = self.current_uid()
        if uid:
            self._open(uid)

    def _open(self, uid: str) -> None:
        try:
            dialog = AcceptanceDialog(self.ws, uid, self)
        except AppError as exc:
            show_error(self, exc)
            return
        dialog.changed.connect(lambda: self._changed(uid))
        dialog.exec()

    def reinspect(self) -> None:
        uid = self.current_uid()
        if not uid:
            return
        dialog = ReinspectDialog(self.ws, uid, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created is not None:
            self._changed(dialog.created.uid)
            self._open(dialog.created.uid)

    def void_or_reissue(self) -> None:
        row = self.current_row()
        if row is None or row.certificate_uid is None:
            return
        dialog = VoidDialog(self.ws, row.certificate_uid, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_view is not None:
            view = dialog.result_view
            self.note.setText(_("已补发新证书 {number}，原证书已作废。").format(number=view.number)
                              if view.uid != row.certificate_uid
                              else _("证书 {number} 已作废。").format(number=view.number))
            self._changed(row.uid)

    # -- paperwork ------------------------------------------------------------------
    def _render(self, title: str, make: Callable[[], Path], then: Callable[[Path], None]) -> Task | None:
        """``make`` (Qt-free) in the worker, ``then(path)`` here; one job at a time."""
        if self.task is not None:
            return None

        def finished(result=None) -> None:
            self.task = None
            self._update_buttons()
            if result is not None:
                then(result)

        self.task = run_task(self, title, lambda cancel, progress: make(), on_done=finished,
                             on_cancelled=finished)
        self.task.error.connect(lambda _exc: finished())
        self._update_buttons()
        return self.task

    def _certificate_job(self, then: Callable[[Path], None], path: Path | None = None) -> Task | None:
        row = self.current_row()
        if row is None or row.certificate_uid is None:
            return None
        ws, uid = self.ws, row.certificate_uid
        target = path or Path(self._temp.name) / f"{row.certificate_number}.pdf"
        return self._render(_("生成合格证书"), lambda: render_certificate_file(ws, uid, target), then)

    def preview_certificate(self) -> Task | None:
        return self._certificate_job(lambda path: self._preview(path, _("合格证书 {name}").format(name=path.stem)))

    def preview_letter(self) -> Task | None:
        row = self.current_row()
        if row is None:
            return None
        ws, uid = self.ws, row.uid
        target = Path(self._temp.name) / _("验收意见书-{code}.pdf").format(code=row.sub_project_code)
        return self._render(_("生成验收意见书"), lambda: render_letter_file(ws, uid, target),
                            lambda path: self._preview(path, _("验收意见书 {code}").format(code=row.sub_project_code)))

    def _preview(self, path: Path, title: str) -> None:
        PdfPreviewDialog(path, self, title=title).exec()

    def print_certificate(self) -> Task | None:
        def printed(path: Path) -> None:
            pages = print_with_dialog(self, [path])
            if pages:
                self.note.setText(_("已送打印：{name}").format(name=path.stem))
        return self._certificate_job(printed)

    def save_certificate(self) -> Task | None:
        row = self.current_row()
        if row is None or row.certificate_uid is None:
            return None
        path = ask_pdf_path(self, _("另存为 PDF"), f"{row.certificate_number}.pdf")
        if path is None:
            return None
        return self._certificate_job(lambda saved: self.note.setText(_("已保存：{path}").format(path=saved)), path)

    def batch_print(self) -> Task | None:
        """The valid certificates of the current filter, rendered on both cores into a folder."""
        if self.task is not None:
            return None
        uids = acceptance_search.certificate_uids(self.ws, self.model.filter)
        if not uids:
            QMessageBox.information(self, _("批量打印"), _("当前筛选下没有有效的合格证书。"))
            return None
        start = QSettings().value(_BATCH_FOLDER, str(Path.home()))
        folder = QFileDialog.getExistingDirectory(self, _("合格证书 PDF 保存到"), start)
        if not folder:
            return None
        QSettings().setValue(_BATCH_FOLDER, folder)
        ws = self.ws

        def work(cancel, progress):
            from app.reports.batch import render_batch  # reportlab loads on first use
            return render_batch(ws, uids, folder, processes=2, cancel=cancel, progress=progress)

        def finished(paths=None) -> None:
            self.task = None
            self._update_buttons()
            if paths is not None:
                self._batch_summary(list(paths), Path(folder))

        self.task = run_task(self, _("批量生成合格证书"), work, on_done=finished, on_cancelled=finished)
        self.task.error.connect(lambda _exc: finished())
        self._update_buttons()
        return self.task

    def _batch_summary(self, paths: list[Path], folder: Path) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _("批量打印"),
                          _("已生成 {n} 份合格证书，保存在：\n{folder}").format(n=len(paths), folder=folder),
                          parent=self)
        print_all = box.addButton(_("全部打印…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        self.note.setText(_("已生成 {n} 份合格证书：{folder}").format(n=len(paths), folder=folder))
        if box.clickedButton() is print_all:
            print_with_dialog(self, paths)
