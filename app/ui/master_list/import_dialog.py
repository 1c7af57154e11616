"""导入总规表: read a county's workbook, show exactly what would change, then commit or cancel.

Reading, committing and saving the rejected rows all run through ``app.ui.worker.run_task``;
the dialog holds at most one task at a time and disables its buttons while it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QLabel,
                               QMessageBox, QStackedWidget, QTableView, QTabWidget, QVBoxLayout, QWidget)

from app.errors import StaleRecord
from app.i18n import N_, _
from app.services import divisions
from app.services.master_list.importer import ImportResult, commit_import, plan_import
from app.services.master_list.plan import ImportPlan
from app.services.workspace import Workspace
from app.ui.item_views import read_only_rows
from app.ui.master_list.preview_model import Preview, PreviewTableModel, build_preview
from app.ui.worker import Task, release_task, run_task

_COUNT_COLORS = {"created": "#1b7a3a", "updated": "#a85a00", "rejected": "#c0282d"}
_ZERO_COLOR = "#8a8a8a"

NEW_COLUMNS = (N_("行号"), N_("子项目编号"), N_("子项目名称"), N_("县（区）"))
CHANGED_COLUMNS = (N_("行号"), N_("编号"), N_("字段"), N_("原值"), N_("新值"))
REJECTED_COLUMNS = (N_("行号"), N_("列"), N_("值"), N_("原因"))
FILE_FILTER = N_("Excel/ODS 表格 (*.xlsx *.xls *.ods)")
SETTINGS_FOLDER = "master_list/last_folder"


def _plain_label(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _has_changes(plan: ImportPlan) -> bool:
    return bool(plan.created or plan.updated or plan.masters_created or plan.masters_updated)


def _counts(plan: ImportPlan) -> list[tuple[str, int, str]]:
    """(caption with ``{n}``, count, colour key) in the order the counts row shows them."""
    return [(_("新增 {n}"), len(plan.created), "created"), (_("修改 {n}"), len(plan.updated), "updated"),
            (_("未变 {n}"), len(plan.unchanged), ""), (_("退回 {n} 行"), len(plan.rejected_row_numbers), "rejected"),
            (_("跳过 {n} 行"), len(plan.skipped), ""),
            (_("新增总规项目 {n}"), len(plan.masters_created), "created"),
            (_("修改总规项目 {n}"), len(plan.masters_updated), "updated")]


class ImportDialog(QDialog):
    """Reads ``path`` on open, previews the import, and commits it on 导入.

    Reading starts in the constructor and reports while the dialog runs (``exec()``, or an
    event loop in tests). A file that cannot be read is reported and the dialog rejects;
    cancelling the reading rejects too. ``plan`` holds the ``ImportPlan`` once
    ``plan_ready`` is emitted; ``result`` the ``ImportResult`` once ``imported`` is.
    ``result`` shadows ``QDialog.result()``: use the value ``exec()`` returns for the code.
    """

    help_topic = "master-list"

    plan_ready = Signal()
    imported = Signal(object)

    def __init__(self, ws: Workspace, path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.path = ws, Path(path)
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None  # type: ignore[assignment]
        self.task: Task | None = None
        self._writing = self._stale = self._closed = False
        self.setWindowTitle(_("导入总规表 — {name}").format(name=self.path.name))
        self.resize(1000, 640)

        # plain text: sheet names and column headers come from the file and may look like markup
        self.file_label, self.ignored_label, self.status_label = (_plain_label(self) for _i in range(3))
        self.file_label.setToolTip(str(self.path))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setStyleSheet(f"color: {_COUNT_COLORS['rejected']};")
        self.counts_label = QLabel(self)
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setWordWrap(True)
        font = self.counts_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        self.counts_label.setFont(font)

        self.new_model, self.changed_model, self.rejected_model = self.models = tuple(
            PreviewTableModel(columns, self) for columns in (NEW_COLUMNS, CHANGED_COLUMNS, REJECTED_COLUMNS))
        self.tabs = QTabWidget(self)
        self.new_page = self._page(self.new_model, {0: 5, 1: 13, 3: 7}, (2,), _("没有新增的子项目。"))
        self.changed_page = self._page(self.changed_model, {0: 5, 1: 13, 2: 9}, (3, 4), _("没有需要修改的记录。"))
        self.rejected_page = self._page(self.rejected_model, {0: 5, 1: 11, 2: 10}, (3,),
                                        _("没有退回的行：每一行都通过了检查。"))
        self.pages = (self.new_page, self.changed_page, self.rejected_page)
        for page, title in zip(self.pages, (_("新增"), _("修改"), _("退回"))):
            self.tabs.addTab(page, title)

        buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole
        self.import_button = buttons.addButton(_("导入"), role.AcceptRole)
        self.save_button = buttons.addButton(_("保存退回行…"), role.ActionRole)
        self.reload_button = buttons.addButton(_("重新预览"), role.ActionRole)
        self.cancel_button = buttons.addButton(_("取消"), role.RejectRole)
        for button, slot in ((self.import_button, self.start_import), (self.save_button, self.save_rejections),
                             (self.reload_button, self.start_reading), (self.cancel_button, self.reject)):
            button.clicked.connect(slot)
        self.import_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (self.file_label, self.counts_label, self.ignored_label, self.status_label, self.tabs, buttons):
            layout.addWidget(widget, 1 if widget is self.tabs else 0)
        self.start_reading()

    def _page(self, model: PreviewTableModel, widths: dict[int, int], stretch: Sequence[int],
              empty: str) -> QStackedWidget:
        """The table, or a hint in its place when it has no rows. Widths are in Chinese characters."""
        view = QTableView(self)
        view.setModel(model)
        view.setAlternatingRowColors(model is not self.rejected_model)
        read_only_rows(view)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        em = view.fontInfo().pixelSize()  # a Chinese character is one em wide
        for column, chars in widths.items():
            header.resizeSection(column, chars * em + 16)
        for column in stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        hint = _plain_label(self, empty)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet(f"color: {_ZERO_COLOR};")
        stack = QStackedWidget(self)
        stack.addWidget(view)
        stack.addWidget(hint)
        return stack

    def start_reading(self) -> None:
        """Read and check the file in the worker; nothing is written."""
        if self.task is not None:
            return
        ws, path = self.ws, self.path
        self.plan, self._stale = None, False
        self.file_label.setText(_("正在读取 {name}…").format(name=path.name))
        self.ignored_label.hide()
        self.status_label.hide()

        def work(cancel, progress) -> Preview:
            plan = plan_import(ws, path, cancel=cancel, progress=progress)
            return build_preview(plan, {d.uid: d.name for d in divisions.list_divisions(ws)})

        self.task = run_task(self, _("读取总规表"), work, on_done=self._show_preview,
                             on_cancelled=self._reading_stopped)
        self.task.error.connect(self._reading_stopped)
        self._update_buttons()

    def _reading_stopped(self, _error: object = None) -> None:
        # an unreadable file has been reported by the one presenter; there is nothing to preview
        self._drop_task()
        self.reject()

    def _show_preview(self, preview: Preview) -> None:
        self._drop_task()
        if self._closed:
            return  # closed while reading: the plan is not wanted any more
        plan = self.plan = preview.plan
        self.file_label.setText(_("文件：{file}　　工作表：{sheet}　　表头：第 {row} 行").format(
            file=self.path.name, sheet=plan.sheet, row=plan.header_row))
        parts = []
        for caption, count, kind in _counts(plan):
            color = _COUNT_COLORS.get(kind, "") if count else _ZERO_COLOR
            style = f" style='color:{color}'" if color else ""
            parts.append(caption.format(n=f"<b{style}>{count:,}</b>"))
        self.counts_label.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))
        # screen readers (and tests) get the counts without the markup
        self.counts_label.setAccessibleName(" · ".join(c.format(n=f"{n:,}") for c, n, _kind in _counts(plan)))
        self.ignored_label.setText(_("已忽略的列：{columns}").format(columns="、".join(plan.ignored_columns)))
        self.ignored_label.setVisible(bool(plan.ignored_columns))

        self.new_model.set_rows(preview.created)
        self.changed_model.set_rows(preview.changed)
        self.rejected_model.set_rows(preview.rejected, preview.rejected_tints)
        titles = (_("新增（{n}）").format(n=len(plan.created)),
                  _("修改（{n}）").format(n=len(plan.updated) + len(plan.masters_updated)),
                  _("退回（{n} 行）").format(n=len(plan.rejected_row_numbers)))
        for index, (title, page, model) in enumerate(zip(titles, self.pages, self.models)):
            self.tabs.setTabText(index, title)
            page.setCurrentIndex(0 if model.rowCount() else 1)
        self.tabs.setCurrentIndex(next((i for i, m in enumerate(self.models) if m.rowCount()), 0))
        self._update_buttons()
        self.plan_ready.emit()

    def start_import(self) -> None:
        """Write every accepted row in one transaction (the worker's Cancel rolls it back)."""
        plan = self.plan
        if plan is None or self.task is not None or self._stale or not _has_changes(plan):
            return
        ws = self.ws
        self._writing = True
        self.task = run_task(self, _("导入总规表"),
                             lambda cancel, progress: commit_import(ws, plan, cancel=cancel, progress=progress),
                             on_done=self._committed, on_cancelled=self._write_ended)
        self.task.error.connect(self._commit_failed)
        self._update_buttons()

    def _write_ended(self, _result: object = None) -> None:
        self._drop_task()
        self._writing = False
        self._update_buttons()

    def _commit_failed(self, error: object) -> None:
        if isinstance(error, StaleRecord):
            # the preview no longer describes the database: importing it again would be refused anyway
            self._stale = True
            self.status_label.setText(_("数据在预览之后已有变化，本次没有导入任何数据。请点击“重新预览”。"))
            self.status_label.show()
        self._write_ended()

    def _committed(self, result: ImportResult) -> None:
        self._write_ended()
        self.result = result
        self.imported.emit(result)
        text = _("已新增子项目 {created} 个，修改 {updated} 个；"
                 "新增总规项目 {masters_created} 个，修改 {masters_updated} 个。").format(
            created=result.created, updated=result.updated, masters_created=result.masters_created,
            masters_updated=result.masters_updated)
        rejected = len(self.plan.rejected_row_numbers) if self.plan else 0
        if rejected:
            text += "\n" + _("退回的 {n} 行没有导入。").format(n=rejected)
        QMessageBox.information(self, _("导入完成"), text)
        self.accept()

    def save_rejections(self) -> None:
        """Save the rejected rows, with their reasons, as a workbook the office can correct."""
        plan = self.plan
        if plan is None or not plan.rejected or self.task is not None:
            return
        # imported here: the exporter (xlsxwriter) is only needed when someone saves
        from app.services.master_list.exporter import write_rejections

        default = self.path.with_name(_("{stem}-退回行.xlsx").format(stem=self.path.stem))
        chosen, _selected = QFileDialog.getSaveFileName(self, _("保存退回行"), str(default), _("Excel 表格 (*.xlsx)"))
        if not chosen:
            return
        target = Path(chosen) if chosen.lower().endswith(".xlsx") else Path(chosen + ".xlsx")
        if target.resolve() == self.path.resolve():
            QMessageBox.warning(self, _("保存退回行"), _("不能覆盖正在导入的原文件，请换一个文件名。"))
            return
        self._writing = True
        self.task = run_task(self, _("保存退回行"), lambda cancel, progress: write_rejections(plan, target),
                             on_done=lambda rows: self._rejections_saved(target, rows),
                             on_cancelled=self._write_ended)
        self.task.error.connect(self._write_ended)
        self._update_buttons()

    def _rejections_saved(self, target: Path, rows: int) -> None:
        self._write_ended()
        QMessageBox.information(self, _("已保存退回行"), _("已把 {n} 行退回行及原因保存到：\n{path}").format(
            n=rows, path=target))

    def _drop_task(self) -> None:
        task, self.task = self.task, None
        release_task(task)

    def _update_buttons(self) -> None:
        idle, plan = self.task is None, self.plan
        self.import_button.setEnabled(idle and plan is not None and not self._stale and _has_changes(plan))
        self.save_button.setEnabled(idle and plan is not None and bool(plan.rejected))
        self.reload_button.setVisible(self._stale)
        # a write stops through its progress dialog's Cancel (which rolls it back), not by closing
        self.cancel_button.setEnabled(not self._writing)

    def reject(self) -> None:
        """取消: nothing is written. Stops a running read; ignored while a write runs."""
        if self._closed or self._writing:
            return
        if self.task is not None:
            self.task.cancel()
        super().reject()

    def done(self, code: int) -> None:
        self._closed = True
        super().done(code)


def choose_and_import(parent: QWidget | None, ws: Workspace) -> ImportResult | None:
    """Ask for a workbook, preview and (if the user says so) import it; the result, or None."""
    settings = QSettings()
    folder = str(settings.value(SETTINGS_FOLDER, "") or "")
    chosen, _selected = QFileDialog.getOpenFileName(parent, _("导入总规表"), folder, _(FILE_FILTER))
    if not chosen:
        return None
    settings.setValue(SETTINGS_FOLDER, str(Path(chosen).parent))
    dialog = ImportDialog(ws, chosen, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.result if accepted else None
    finally:
        dialog.deleteLater()
