"""考核细则: the rule sets and their versions, one version's items, grade bands and departments.

A version that is active, retired or used by an assessment is shown read-only: editing
makes a new draft version (另存为新版本), activated when ready. Only the city writes rule
sets; a county's node shows them read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout,
                               QWidget)

from app.errors import AppError, ValidationError
from app.i18n import N_, _, pgettext
from app.services import assessment_excel
from app.services import assessment_rules as rules
from app.services.assessment_rules import RuleSetView
from app.services.workspace import Workspace
from app.services.assessment_excel import parse_params_text
from app.ui.assessment.rule_models import (CHOICES, DEPARTMENT_FIELDS, ITEM_FIELDS, ChoiceDelegate, RuleRowsModel,
                                           VersionsModel)
from app.ui.checklists.editor_models import BAND_FIELDS, RowButtons, RowsModel, make_table
from app.ui.errors import show_error
from app.ui.file_dialogs import ask_save_path
from app.ui.item_views import commit_open_editor

_IMPORT_FOLDER = "assessment_rules/import_folder"
_OPEN_FILTER = N_("Excel 工作簿 (*.xlsx)")


class RuleSetsDialog(QDialog):
    help_topic = "assessment"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.is_city = rules.is_city(ws)
        self.shown: RuleSetView | None = None
        self.setWindowTitle(_("考核细则"))
        self.resize(1280, 760)
        self.versions_model = VersionsModel(self)
        self.versions = QTableView()
        self.versions.setModel(self.versions_model)
        self.versions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions.verticalHeader().hide()
        self.versions.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.name = QLineEdit()
        self.notes = QLineEdit()
        self.total = QLabel()
        self.total.setStyleSheet("font-weight: bold;")
        self.items_model = RuleRowsModel(ITEM_FIELDS, self)
        self.bands_model = RowsModel(BAND_FIELDS, self)
        self.departments_model = RuleRowsModel(DEPARTMENT_FIELDS, self)
        self.items_view = make_table(self.items_model, self, "title")
        for key, choices in CHOICES.items():
            self.items_view.setItemDelegateForColumn(self.items_model.column_of(key),
                                                     ChoiceDelegate(choices, self.items_view))
        self.bands_view = make_table(self.bands_model, self, "grade")
        self.departments_view = make_table(self.departments_model, self, "sectors")
        self.row_buttons = {}
        tabs = QTabWidget()
        for title, view, model in ((_("考核项目"), self.items_view, self.items_model),
                                   (_("等次"), self.bands_view, self.bands_model),
                                   (_("市级部门"), self.departments_view, self.departments_model)):
            page = QWidget()
            row = QHBoxLayout(page)
            row.addWidget(view, 1)
            buttons = RowButtons(move=model is self.items_model)
            self.row_buttons[title] = buttons
            row.addLayout(buttons)
            self._wire_rows(buttons, view, model)
            tabs.addTab(page, title)
        self.error_area = QLabel()
        self.error_area.setWordWrap(True)
        self.error_area.setStyleSheet("color: #c62828;")
        self.error_area.hide()

        form = QFormLayout()
        form.addRow(_("名称："), self.name)
        form.addRow(_("说明："), self.notes)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.note)
        column.addLayout(form)
        column.addWidget(self.total)
        column.addWidget(tabs, 1)
        column.addWidget(self.error_area)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.versions)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 980])

        self.new_version_button = QPushButton(_("另存为新版本（编辑）"))
        self.save_button = QPushButton(_("保存草稿"))
        self.activate_button = QPushButton(pgettext("button", "启用"))  # a verb here, a status elsewhere
        self.discard_button = QPushButton(_("删除草稿"))
        self.export_button = QPushButton(_("导出 Excel…"))
        self.import_button = QPushButton(_("导入 Excel…"))
        close = QPushButton(_("关闭"))
        bar = QHBoxLayout()
        for button in (self.new_version_button, self.save_button, self.activate_button, self.discard_button):
            bar.addWidget(button)
        bar.addStretch(1)
        for button in (self.export_button, self.import_button, close):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bar)

        self.new_version_button.clicked.connect(self.new_version)
        self.save_button.clicked.connect(self.save)
        self.activate_button.clicked.connect(self.activate)
        self.discard_button.clicked.connect(self.discard)
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_workbook)
        close.clicked.connect(self.reject)
        self.versions.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        for model in (self.items_model, self.bands_model, self.departments_model):
            model.edited.connect(self._update_total)
        self.refresh()

    def _wire_rows(self, buttons: RowButtons, view: QTableView, model: RowsModel) -> None:
        def current() -> int:
            return view.currentIndex().row() if view.currentIndex().isValid() else -1

        blank = {id(self.items_model): {"section": "", "code": "", "title": "", "points": "", "scope": "division",
                                        "kind": "manual", "metric": "", "params": {}, "guide": ""},
                 id(self.bands_model): {"min": "", "grade": ""},
                 id(self.departments_model): {"code": "", "name": "", "sectors": ""}}[id(model)]
        add, remove, *moves = buttons.buttons
        add.clicked.connect(lambda: view.setCurrentIndex(model.index(model.insert_row(current() + 1, dict(blank)), 0)))
        remove.clicked.connect(lambda: model.remove_row(current()))
        if moves:
            moves[0].clicked.connect(lambda: view.selectRow(model.move_row(current(), -1)))
            moves[1].clicked.connect(lambda: view.selectRow(model.move_row(current(), 1)))

    # -- data ----------------------------------------------------------------------
    def refresh(self, select_uid: str | None = None) -> None:
        uid = select_uid or (self.shown.uid if self.shown else None)
        self.versions_model.set_versions(rules.list_rule_sets(self.ws), rules.usage_counts(self.ws))
        row = self.versions_model.row_of(uid)
        self.versions.selectRow(max(row, 0))
        self._show_current()

    def _show_current(self) -> None:
        index = self.versions.currentIndex()
        version = self.versions_model.rows[index.row()] if index.isValid() else None
        self.shown = rules.get(self.ws, version.uid) if version else None
        content = rules.content_of(self.shown) if self.shown else {"name": "", "notes": "", "grade_bands": [],
                                                                   "departments": [], "items": []}
        editable = self.editable
        for model in (self.items_model, self.bands_model, self.departments_model):
            model.read_only = not editable
        self.items_model.set_rows(content["items"])
        self.bands_model.set_rows(content["grade_bands"])
        self.departments_model.set_rows(content["departments"])
        for view, model in ((self.items_view, self.items_model), (self.bands_view, self.bands_model),
                            (self.departments_view, self.departments_model)):
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if not editable else
                                 QAbstractItemView.EditTrigger.DoubleClicked
                                 | QAbstractItemView.EditTrigger.EditKeyPressed
                                 | QAbstractItemView.EditTrigger.AnyKeyPressed)
        for buttons in self.row_buttons.values():
            for button in buttons.buttons:
                button.setEnabled(editable)
        self.name.setText(content["name"])
        self.notes.setText(content["notes"])
        for widget in (self.name, self.notes):
            widget.setReadOnly(not editable)
        self.note.setText(self._note())
        self.note.setStyleSheet("color: #555555;" if editable else "color: #8a5a00;")
        self.error_area.hide()
        self._update_total()
        self._update_buttons()

    @property
    def editable(self) -> bool:
        shown = self.shown
        return (self.is_city and shown is not None and shown.status == "draft"
                and not self.versions_model.uses.get(shown.uid))

    def _note(self) -> str:
        if not self.is_city:
            return _("考核细则由市档案局制定，随参考数据下发；本机只能查看。")
        if self.shown is None or self.editable:
            return _("草稿：双击单元格修改，保存后仍是草稿；“启用”后新的考核使用它。计算参数写作“每项扣分=1；最多扣分=15”。")
        return _("该版本已启用、停用或已被考核使用，不能修改；要修改请“另存为新版本（编辑）”，已做的考核仍按原版本。")

    def _update_total(self) -> None:
        def points(scopes: tuple[str, ...]) -> str:
            rows = [r for r in self.items_model.rows if r.get("scope") in scopes]
            try:
                return f"{sum(float(r.get('points') or 0) for r in rows):g}"
            except ValueError:  # a cell being typed is not a number yet
                return "?"
        self.total.setText(_("共 {n} 项；县（区）满分 {county} 分，市级部门满分 {department} 分").format(
            n=len(self.items_model.rows), county=points(("division", "both")),
            department=points(("department", "both"))))

    def _update_buttons(self) -> None:
        shown, city = self.shown, self.is_city
        self.new_version_button.setEnabled(city and shown is not None)
        self.save_button.setEnabled(self.editable)
        self.discard_button.setEnabled(self.editable)
        self.activate_button.setEnabled(city and shown is not None and shown.status == "draft")
        self.export_button.setEnabled(shown is not None)
        self.import_button.setEnabled(city)

    # -- actions -------------------------------------------------------------------
    def content(self) -> dict[str, Any]:
        """What the tables hold, as typed, in the shape ``assessment_rules.parse_content`` reads."""
        for view in (self.items_view, self.bands_view, self.departments_view):
            commit_open_editor(view)
        items = [{**row, "params": parse_params_text(row.get("metric") or "", row.get("params"))}
                 for row in self.items_model.rows]
        return {"name": self.name.text(), "notes": self.notes.text(),
                "grade_bands": [dict(b) for b in self.bands_model.rows],
                "departments": [dict(d) for d in self.departments_model.rows], "items": items}

    def show_errors(self, field_errors: Mapping[str, str]) -> None:
        marks: dict[str, dict[int, str]] = {"item": {}, "band": {}, "department": {}}
        for key, message in field_errors.items():
            kind, _sep, where = key.partition(":")
            if kind in marks and where.isdigit():
                marks[kind][int(where) - 1] = message
        self.items_model.set_errors(marks["item"])
        self.bands_model.set_errors(marks["band"])
        self.departments_model.set_errors(marks["department"])
        lines = [_("未保存。请修改标红处（鼠标停在标红的行上可看原因）：")] + list(field_errors.values())[:8]
        self.error_area.setText("\n".join(lines))
        self.error_area.setVisible(bool(field_errors))

    def _run(self, action, message: str) -> RuleSetView | None:
        try:
            result = action()
        except ValidationError as exc:
            self.show_errors(exc.field_errors)
            return None
        except AppError as exc:
            show_error(self, exc)
            return None
        self.refresh(select_uid=result.uid if result is not None else None)
        self.note.setText(message)
        return result

    def new_version(self) -> RuleSetView | None:
        if self.shown is None:
            return None
        content = self.content() if self.editable else None
        return self._run(lambda: rules.new_version(self.ws, self.shown.uid, content), _("已建立新的草稿版本，可以修改。"))

    def save(self) -> RuleSetView | None:
        if not self.editable:
            return None
        return self._run(lambda: rules.save_draft(self.ws, self.shown.uid, self.content()), _("已保存草稿。"))

    def activate(self) -> RuleSetView | None:
        if self.shown is None:
            return None
        if QMessageBox.question(self, _("启用考核细则"), _(
                "启用第 {version} 版？此后新的考核使用这一版；原来启用的版本停用，已做的考核仍按原版本。").format(
                version=self.shown.version)) != QMessageBox.StandardButton.Yes:
            return None
        return self._run(lambda: rules.activate(self.ws, self.shown.uid), _("已启用。"))

    def discard(self) -> None:
        if self.shown is None or QMessageBox.question(self, _("删除草稿"), _("删除该草稿版本？")) \
                != QMessageBox.StandardButton.Yes:
            return
        uid = self.shown.uid
        self.shown = None
        self._run(lambda: rules.discard_draft(self.ws, uid), _("已删除草稿。"))

    def export(self) -> None:
        if self.shown is None:
            return
        path = ask_save_path(self, _("导出考核细则"), assessment_excel.default_file_name(self.shown))
        if path is None:
            return
        try:
            assessment_excel.export_rule_set(self.ws, self.shown.uid, path)
        except (AppError, OSError) as exc:
            show_error(self, exc)
            return
        self.note.setText(_("已导出：{path}").format(path=path))

    def import_workbook(self) -> RuleSetView | None:
        settings = QSettings()
        folder = str(settings.value(_IMPORT_FOLDER, ""))
        chosen, _selected = QFileDialog.getOpenFileName(self, _("导入考核细则"), folder, _(_OPEN_FILTER))
        if not chosen:
            return None
        settings.setValue(_IMPORT_FOLDER, str(Path(chosen).parent))
        try:
            imported = assessment_excel.import_rule_set(self.ws, chosen)
        except ValidationError as exc:
            # the rows named are the workbook's, not the tables shown here
            box = QMessageBox(QMessageBox.Icon.Warning, _("无法导入"), _("{name} 有 {n} 处需要修改，未导入任何内容：").format(
                name=Path(chosen).name, n=len(exc.field_errors)), parent=self)
            box.setDetailedText("\n".join(exc.field_errors.values()))
            box.setInformativeText("\n".join(list(exc.field_errors.values())[:10]))
            box.exec()
            return None
        except AppError as exc:
            show_error(self, exc, title=_("无法导入"))
            return None
        self.refresh(select_uid=imported.uid)
        self.note.setText(_("已导入为新的草稿版本（第 {version} 版），检查无误后请“启用”。").format(version=imported.version))
        return imported
