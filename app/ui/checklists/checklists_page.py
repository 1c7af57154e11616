"""验收检查表: the checklists and their versions, one version's sections and items, and the
ways a new version comes about (edit a copy, or import the workbook the city sent)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.i18n import N_, _, pgettext
from app.models import TEMPLATE_STATUSES
from app.services import checklist_excel, checklists
from app.services.checklist_excel import ImportedTemplate, bands_text, points
from app.services.checklists import TemplateView
from app.services.workspace import Workspace
from app.ui.checklists.editor_dialog import ChecklistEditorDialog
from app.ui.checklists.tree_models import ContentModel, VersionsModel
from app.ui.errors import show_error
from app.ui.file_dialogs import ask_save_path
from app.ui.item_views import read_only_rows, size_columns

_IMPORT_FOLDER = "checklists/import_folder"
_OPEN_FILTER = N_("Excel 或 ODS 表格 (*.xlsx *.xlsm *.xls *.ods)")
VERSION_WIDTHS = (190, 70, 56, 70)
CONTENT_WIDTHS = (86, 420, 200, 96, 50, 56)
#: a refused workbook's messages shown in the box; the rest are under "details"
SHOWN_REFUSALS = 12


class ChecklistsPage(QWidget):
    """``changed`` is emitted after a version was made, saved, imported or put in use."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.shown: TemplateView | None = None  # the selected version, with its sections
        self.versions_model = VersionsModel(self)
        self.versions_view = self._tree(self.versions_model, VERSION_WIDTHS, stretch=0)
        self.content_model = ContentModel(self)
        self.content_view = self._tree(self.content_model, CONTENT_WIDTHS, stretch=1)
        self.content_view.setAlternatingRowColors(True)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.title.setWordWrap(True)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #555555;")

        self.edit_button = QPushButton(_("编辑草稿…"))
        self.new_version_button = QPushButton(_("另存为新版本（编辑）…"))
        self.activate_button = QPushButton(pgettext("button", "启用"))  # a verb here, a status elsewhere
        self.discard_button = QPushButton(_("删除草稿"))
        self.export_button = QPushButton(_("导出 Excel…"))
        self.import_button = QPushButton(_("导入 Excel…"))
        self.new_version_button.setToolTip(_("复制所选版本为新的草稿版本并打开编辑；原版本不变。"))
        self.activate_button.setToolTip(_("新的验收使用此版本；同一检查表原来启用的版本停用（已做的验收仍按原版本）。"))
        self.import_button.setToolTip(_("导入市里下发的检查表：同名检查表导入为新的草稿版本，否则新建检查表。"))
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.new_version_button, self.activate_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        for button in (self.export_button, self.import_button):
            buttons.addWidget(button)

        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.info)
        column.addWidget(self.content_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.versions_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([sum(VERSION_WIDTHS) + 24, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.edit_button.clicked.connect(self.edit_draft)
        self.new_version_button.clicked.connect(self.new_version)
        self.activate_button.clicked.connect(self.activate)
        self.discard_button.clicked.connect(self.discard)
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_workbook)
        self.versions_view.selectionModel().currentChanged.connect(lambda *_: self._show_current())
        self.versions_view.activated.connect(lambda _index: self.open_current())
        self.refresh()

    def _tree(self, model, widths: tuple[int, ...], *, stretch: int) -> QTreeView:
        view = QTreeView(self)
        view.setModel(model)
        view.setUniformRowHeights(True)
        read_only_rows(view)
        view.setIndentation(14)
        size_columns(view, widths)
        view.header().setStretchLastSection(False)
        view.header().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return view

    # -- data --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the versions (keeping the selection) and the version shown."""
        uid = self.current_uid()
        default_uid = checklists.ensure_default(self.ws)
        self.versions_model.set_versions(checklists.list_templates(self.ws), checklist_excel.usage_counts(self.ws))
        for row in range(self.versions_model.rowCount()):
            self.versions_view.setFirstColumnSpanned(row, QModelIndex(), True)
        self.versions_view.expandAll()
        index = self.versions_model.index_of(uid) if uid else self.versions_model.index_of(
            next((c.current.uid for c in self.versions_model.checklists if c.lineage_uid == default_uid),
                 default_uid))
        if not index.isValid() and self.versions_model.rowCount():
            index = self.versions_model.index(0, 0)
        self.versions_view.setCurrentIndex(index)
        self._show_current()

    def current_uid(self) -> str | None:
        view = self.versions_model.view_at(self.versions_view.currentIndex())
        return view.uid if view is not None else None

    def select_uid(self, uid: str) -> None:
        index = self.versions_model.index_of(uid)
        if index.isValid():
            self.versions_view.setCurrentIndex(index)

    def _show_current(self) -> None:
        uid = self.current_uid()
        try:
            self.shown = checklists.get(self.ws, uid) if uid else None
        except AppError:
            self.shown = None
        self.content_model.set_template(self.shown)
        self.content_view.expandAll()
        view = self.shown
        if view is None:
            self.title.clear()
            self.info.clear()
        else:
            uses = self.versions_model.counts.get(view.uid, 0)
            self.title.setText(_("{name}（第 {version} 版，{status}）").format(
                name=view.name, version=view.version, status=_(TEMPLATE_STATUSES.get(view.status, view.status))))
            self.info.setText(_("总分 {total} 分，{sections} 部分、{items} 项　　等级：{bands}　　已用于 {uses} 次验收").format(
                total=points(view.total_score), sections=len(view.sections), items=len(view.items),
                bands=bands_text(view.grade_bands, translate=True), uses=uses))
        self._update_buttons()

    def _update_buttons(self) -> None:
        view = self.shown
        editable = view is not None and view.status == "draft" and not self.versions_model.counts.get(view.uid)
        self.edit_button.setEnabled(editable)
        for button in (self.new_version_button, self.export_button):
            button.setEnabled(view is not None)
        self.activate_button.setEnabled(view is not None and view.status == "draft")
        self.discard_button.setEnabled(editable)

    def _changed(self, uid: str, message: str) -> None:
        self.refresh()
        self.select_uid(uid)
        self.status.setText(message)
        self.changed.emit()

    # -- actions -----------------------------------------------------------------------
    def open_editor(self, uid: str) -> TemplateView | None:
        """The editor on ``uid`` (read-only unless an unused draft); the saved draft, or None."""
        try:
            dialog = ChecklistEditorDialog(self.ws, uid, self)
        except AppError as exc:
            show_error(self, exc)
            return None
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_view is None:
                return None
            saved = dialog.result_view
        finally:
            dialog.deleteLater()
        self._changed(saved.uid, _("已保存第 {version} 版草稿。").format(version=saved.version))
        return saved

    def open_current(self) -> None:
        if self.shown is not None:
            self.open_editor(self.shown.uid)

    def edit_draft(self) -> None:
        if self.edit_button.isEnabled():
            self.open_current()

    def new_version(self) -> TemplateView | None:
        """A draft copy of the selected version, opened in the editor."""
        if self.shown is None:
            return None
        try:
            draft = checklists.new_version(self.ws, self.shown.uid)
        except AppError as exc:
            show_error(self, exc)
            return None
        self._changed(draft.uid, _("已建立第 {version} 版草稿。").format(version=draft.version))
        return self.open_editor(draft.uid) or draft

    def discard(self) -> None:
        view = self.shown
        if view is None or view.status != "draft":
            return
        answer = QMessageBox.question(self, _("删除草稿"), _("删除第 {version} 版草稿？此操作记入变更历史。").format(
            version=view.version))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            checklists.discard_draft(self.ws, view.uid)
        except AppError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.status.setText(_("已删除第 {version} 版草稿。").format(version=view.version))

    def activate(self) -> None:
        view = self.shown
        if view is None or view.status != "draft":
            return
        answer = QMessageBox.question(self, _("启用检查表"), _(
            "启用第 {version} 版？此后新的验收使用这一版；原来启用的版本停用，已做的验收仍按原版本。").format(
            version=view.version))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            active = checklists.activate(self.ws, view.uid)
        except AppError as exc:
            show_error(self, exc)
            return
        self._changed(active.uid, _("已启用第 {version} 版。").format(version=active.version))

    def export(self) -> None:
        view = self.shown
        if view is None:
            return
        path = ask_save_path(self, _("导出验收检查表"), checklist_excel.default_file_name(view))
        if path is None:
            return
        try:
            checklist_excel.export_template(self.ws, view.uid, path)
        except (AppError, OSError) as exc:
            show_error(self, exc)
            return
        self.status.setText(_("已导出：{path}").format(path=path))

    def import_workbook(self) -> TemplateView | None:
        settings = QSettings()
        folder = str(settings.value(_IMPORT_FOLDER, "") or str(Path.home()))
        chosen, _selected = QFileDialog.getOpenFileName(self, _("导入验收检查表"), folder, _(_OPEN_FILTER))
        if not chosen:
            return None
        settings.setValue(_IMPORT_FOLDER, str(Path(chosen).parent))
        try:
            imported = checklist_excel.import_template(self.ws, chosen)
        except ValidationError as exc:
            self._show_refusals(Path(chosen).name, list(exc.field_errors.values()))
            return None
        except AppError as exc:
            show_error(self, exc, title=_("无法导入"))
            return None
        if QMessageBox.question(self, _("导入验收检查表"), self._preview(imported)) != QMessageBox.StandardButton.Yes:
            return None
        try:
            draft = checklist_excel.install_imported(self.ws, imported)
        except AppError as exc:
            show_error(self, exc)
            return None
        self._changed(draft.uid, _("已导入为第 {version} 版草稿，检查无误后请“启用”。").format(version=draft.version))
        return draft

    @staticmethod
    def _preview(imported: ImportedTemplate) -> str:
        sections = len(imported.content["sections"])
        lines = [_("“{name}”：{sections} 部分、{items} 项，总分 {total} 分；等级 {bands}。").format(
            name=imported.content["name"], sections=sections, items=imported.item_count,
            total=points(imported.total_score), bands=bands_text(imported.content["grade_bands"], translate=True))]
        if imported.target_uid is None:
            lines.append(_("将新建这份检查表（第 1 版，草稿）。"))
        else:
            lines.append(_("已有同名检查表：将导入为它的第 {version} 版（草稿），已有的各版本不变。").format(
                version=imported.next_version))
        if imported.same_as_version is not None:
            lines.append(_("注意：内容与已有的第 {version} 版完全相同。").format(version=imported.same_as_version))
        lines.append(_("导入吗？"))
        return "\n\n".join(lines)

    def _show_refusals(self, name: str, messages: list[str]) -> None:
        shown = messages[:SHOWN_REFUSALS]
        text = _("{name} 有 {n} 处需要修改，未导入任何内容：").format(name=name, n=len(messages))
        text += "\n\n" + "\n".join(shown)
        if len(messages) > len(shown):
            text += "\n" + _("……另有 {n} 处，见“详细信息”。").format(n=len(messages) - len(shown))
        box = QMessageBox(QMessageBox.Icon.Warning, _("无法导入"), text, parent=self)
        if len(messages) > len(shown):
            box.setDetailedText("\n".join(messages))
        box.exec()
