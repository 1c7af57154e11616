"""Edit a draft checklist version: name, grade bands, sections and their items.

A version that is active, retired or used by an acceptance opens read-only: it is a
record of what acceptances were scored on, and changing it means a new version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.i18n import _
from app.services import checklist_excel, checklists
from app.services.checklists import TemplateView
from app.services.workspace import Workspace
from app.ui.checklists.editor_models import (
    BAND_FIELDS,
    ITEM_FIELDS,
    SECTION_FIELDS,
    KindDelegate,
    RowButtons,
    RowsModel,
    make_table,
    number_text,
    section_subtotal,
)
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors
from app.ui.item_views import commit_open_editor

_SELECT = QItemSelectionModel.SelectionFlag


class ChecklistEditorDialog(QDialog):
    """After ``accept`` the saved draft is in ``result_view`` (saving gives the draft a new uid).

    The constructor raises ``NotFound`` when the version is gone.
    """

    help_topic = "checklists"

    def __init__(self, ws: Workspace, uid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.view: TemplateView = checklists.get(ws, uid)
        self.uses = checklist_excel.usage_counts(ws).get(uid, 0)
        self.read_only = self.view.status != "draft" or self.uses > 0
        self.result_view: TemplateView | None = None
        content = checklists.content_of(self.view)
        self.sections: list[dict[str, Any]] = content["sections"]  # edited in place by the models
        self.section_errors: dict[int, str] = {}
        self.item_errors: dict[tuple[int, int], str] = {}  # (section row, item row) -> message
        self.resize(1180, 760)
        title = _("查看检查表") if self.read_only else _("编辑检查表草稿")
        self.setWindowTitle(_("{title} — {name}（第 {version} 版）").format(title=title, name=self.view.name,
                                                                      version=self.view.version))
        self.note = QLabel(self._note(), self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00;" if self.read_only else "color: #555555;")
        self.errors = FormErrors()
        self.name = QLineEdit(content["name"], self)
        self.name.setReadOnly(self.read_only)

        self.bands_model = RowsModel(BAND_FIELDS, self)
        self.sections_model = RowsModel(SECTION_FIELDS, self, computed=self._section_cell)
        self.items_model = RowsModel(ITEM_FIELDS, self)
        for model in (self.bands_model, self.sections_model, self.items_model):
            model.read_only = self.read_only
        self.bands_model.set_rows([{"min": b["min"], "grade": b["grade"]} for b in content["grade_bands"]])
        self.sections_model.set_rows(self.sections)
        self.bands_view = make_table(self.bands_model, self, "grade")
        self.bands_view.setFixedHeight(self.bands_view.verticalHeader().defaultSectionSize() * 4 + 8)
        self.sections_view = make_table(self.sections_model, self, "title")
        self.items_view = make_table(self.items_model, self, "text")
        self.items_view.setItemDelegateForColumn(self.items_model.column_of("kind"), KindDelegate(self.items_view))
        self.items_label = QLabel(self)
        self.total = QLabel(self)
        self.total.setStyleSheet("font-weight: bold;")
        self.error_area = QLabel(self)
        self.error_area.setWordWrap(True)
        self.error_area.setTextFormat(Qt.TextFormat.PlainText)
        self.error_area.setStyleSheet("color: #c62828;")
        self.error_area.hide()

        self.band_buttons, self.section_buttons, self.item_buttons = (
            RowButtons(move=False), RowButtons(), RowButtons())
        self.buttons = QDialogButtonBox(self)
        if self.read_only:
            self.buttons.addButton(_("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
            for group in (self.band_buttons, self.section_buttons, self.item_buttons):
                for button in group.buttons:
                    button.hide()
        else:
            self.save_button = self.buttons.addButton(_("保存草稿"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setDefault(True)
            self.buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._connect()
        self.select_section(0)
        self._update_total()

    def _note(self) -> str:
        if not self.read_only:
            return _("草稿：保存后仍是草稿；在“验收检查表”页面“启用”后，新的验收才使用它。")
        if self.uses:
            why = _("该版本已被 {n} 次验收使用，不能修改。").format(n=self.uses)
        elif self.view.status == "active":
            why = _("该版本正在使用（已启用），不能修改。")
        else:
            why = _("该版本已停用，不能修改。")
        return why + _("要修改，请在“验收检查表”页面选中它，点“另存为新版本（编辑）…”：修改的是新的版本，"
                       "启用后用于新的验收，已做的验收仍按原版本。")

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(_("名称："), self.errors.add("name", FieldSlot(self.name, self)))
        bands = QHBoxLayout()
        bands.addWidget(self.errors.add("grade_bands", FieldSlot(self.bands_view, self)), 1)
        bands.addLayout(self.band_buttons)
        hint = QLabel(_("总分达到某等级的最低分即为该等级；低于最低一档为不合格。"), self)
        hint.setStyleSheet("color: #555555;")
        hint.setWordWrap(True)
        bands_row = QHBoxLayout()
        bands_row.addLayout(bands, 2)
        side = QVBoxLayout()
        for widget in (hint, self.total):
            side.addWidget(widget)
        side.addStretch(1)
        bands_row.addLayout(side, 3)
        form.addRow(_("等级："), bands_row)

        sections_box = QGroupBox(_("部分"), self)
        row = QHBoxLayout(sections_box)
        row.addWidget(self.sections_view, 1)
        row.addLayout(self.section_buttons)
        items_box = QGroupBox(_("检查项"), self)
        column = QVBoxLayout(items_box)
        column.addWidget(self.items_label)
        row = QHBoxLayout()
        row.addWidget(self.items_view, 1)
        row.addLayout(self.item_buttons)
        column.addLayout(row, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(sections_box)
        splitter.addWidget(items_box)
        splitter.setSizes([170, 430])

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_area)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        add, remove = self.band_buttons.buttons
        add.clicked.connect(self.add_band)
        remove.clicked.connect(lambda: self.bands_model.remove_row(self._row(self.bands_view)))
        add, remove, up, down = self.section_buttons.buttons
        add.clicked.connect(self.add_section)
        remove.clicked.connect(self.remove_section)
        up.clicked.connect(lambda: self.move_section(-1))
        down.clicked.connect(lambda: self.move_section(1))
        add, remove, up, down = self.item_buttons.buttons
        add.clicked.connect(self.add_item)
        remove.clicked.connect(self.remove_item)
        up.clicked.connect(lambda: self.move_item(-1))
        down.clicked.connect(lambda: self.move_item(1))
        if not self.read_only:
            QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.items_view, self.remove_item,
                      context=Qt.ShortcutContext.WidgetShortcut)
            QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)
        self.sections_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_items(current.row()))
        self.items_model.edited.connect(self._items_edited)
        self.sections_model.edited.connect(self._sections_edited)
        self.bands_model.edited.connect(self._update_total)

    # -- sections -----------------------------------------------------------------------
    def _section_cell(self, section: dict[str, Any], key: str) -> str:
        if key == "count":
            return str(len(section.get("items") or ()))
        subtotal = section_subtotal(section)
        return "?" if subtotal is None else number_text(subtotal)

    @staticmethod
    def _row(view: QTableView) -> int:
        return view.currentIndex().row() if view.currentIndex().isValid() else -1

    def current_section(self) -> int:
        return self._row(self.sections_view)

    def select_section(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self.sections_view.selectionModel().setCurrentIndex(
                self.sections_model.index(row, 0), _SELECT.ClearAndSelect | _SELECT.Rows)
        self._show_items(row)

    def _show_items(self, row: int) -> None:
        if not 0 <= row < len(self.sections):
            self.items_model.set_rows([])
            self.items_label.setText(_("先在上面选择一个部分。"))
            return
        if self.items_model.rows is not self.sections[row]["items"]:
            errors = {i: m for (s, i), m in self.item_errors.items() if s == row}
            self.items_model.set_rows(self.sections[row]["items"], errors)
            self._select_item(0)  # the keyboard starts on the section's first item
        title = self.sections[row]["title"] or _("（未命名）")
        self.items_label.setText(_("第 {n} 部分“{title}”的检查项（双击单元格修改；鼠标停在标红的行上可看原因）").format(
            n=row + 1, title=title))

    def add_section(self) -> None:
        row = self.sections_model.insert_row(self.current_section() + 1 if self.sections else 0,
                                             {"title": "", "floor": None, "items": []})
        self._structure_changed()
        self.select_section(row)
        self.sections_view.edit(self.sections_model.index(row, 0))

    def remove_section(self) -> None:
        row = self.current_section()
        if not 0 <= row < len(self.sections):
            return
        count = len(self.sections[row]["items"])
        if count and QMessageBox.question(self, _("删除部分"), _("删除该部分及其 {n} 个检查项？").format(n=count)) \
                != QMessageBox.StandardButton.Yes:
            return
        self.sections_model.remove_row(row)
        self._structure_changed()
        self.select_section(min(row, len(self.sections) - 1))

    def move_section(self, delta: int) -> None:
        row = self.sections_model.move_row(self.current_section(), delta)
        self._structure_changed()
        self.select_section(row)

    def _structure_changed(self) -> None:
        # section numbers in the messages no longer hold
        self.section_errors.clear()
        self.item_errors.clear()
        self.items_model.set_rows([])
        self._remark_sections()
        self._update_total()

    def _sections_edited(self) -> None:
        self.section_errors = {r: m for r, m in self.section_errors.items() if r in self.sections_model.errors}
        self._show_items(self.current_section())  # the title shown above the items
        self._remark_sections()
        self._update_total()

    def _remark_sections(self) -> None:
        marks = dict(self.section_errors)
        for s, _i in self.item_errors:
            count = sum(1 for key in self.item_errors if key[0] == s)
            marks.setdefault(s, _("本部分有 {n} 个检查项需要修改（标红）。").format(n=count))
        self.sections_model.set_errors(marks)

    # -- items --------------------------------------------------------------------------
    def add_item(self) -> None:
        section = self.current_section()
        if not 0 <= section < len(self.sections):
            return
        items = self.sections[section]["items"]
        codes = {str(i.get("code")) for s in self.sections for i in s["items"]}
        code = next(c for n in range(len(items) + 1, 1000) if (c := f"{section + 1}.{n}") not in codes)
        row = self.items_model.insert_row(self._row(self.items_view) + 1 if items else 0, {
            "code": code, "text": "", "evidence": "", "kind": "score", "max_score": "", "deduction_guide": "",
            "veto": False})
        self._select_item(row, "text")
        self.items_view.edit(self.items_model.index(row, self.items_model.column_of("text")))

    def remove_item(self) -> None:
        row = self._row(self.items_view)
        if 0 <= row < self.items_model.rowCount():
            self.items_model.remove_row(row)
            self._select_item(min(row, self.items_model.rowCount() - 1))

    def move_item(self, delta: int) -> None:
        self._select_item(self.items_model.move_row(self._row(self.items_view), delta))

    def _select_item(self, row: int, key: str = "code", *, select: bool = True) -> None:
        if 0 <= row < self.items_model.rowCount():
            index = self.items_model.index(row, self.items_model.column_of(key))
            # a marked row is made current, not selected: selection would hide its red
            flags = (_SELECT.ClearAndSelect | _SELECT.Rows) if select else _SELECT.Clear
            self.items_view.selectionModel().setCurrentIndex(index, flags)
            self.items_view.scrollTo(index)

    def _items_edited(self) -> None:
        section = self.current_section()
        self.item_errors = {k: m for k, m in self.item_errors.items() if k[0] != section}
        self.item_errors.update({(section, i): m for i, m in self.items_model.errors.items()})
        self._remark_sections()
        if 0 <= section < len(self.sections):
            self.sections_model.dataChanged.emit(self.sections_model.index(section, 0),
                                                 self.sections_model.index(section, len(SECTION_FIELDS) - 1))
        self._update_total()

    def _update_total(self) -> None:
        subtotals = [section_subtotal(s) for s in self.sections]
        count = sum(len(s["items"]) for s in self.sections)
        total = "?" if None in subtotals else number_text(sum(subtotals))
        self.total.setText(_("共 {sections} 部分、{items} 项，总分 {total} 分").format(
            sections=len(self.sections), items=count, total=total))

    # -- bands ----------------------------------------------------------------------------
    def add_band(self) -> None:
        row = self.bands_model.insert_row(self.bands_model.rowCount(), {"min": "", "grade": ""})
        self.bands_view.setCurrentIndex(self.bands_model.index(row, 0))
        self.bands_view.edit(self.bands_model.index(row, 0))

    # -- saving ---------------------------------------------------------------------------
    def content(self) -> dict[str, Any]:
        """What the tables hold, as typed, in the shape ``checklists.parse_content`` reads."""
        return {"name": self.name.text(),
                "grade_bands": [{"min": b.get("min"), "grade": b.get("grade")} for b in self.bands_model.rows],
                "sections": [{"title": s.get("title"), "floor": s.get("floor"), "items": [dict(i) for i in s["items"]]}
                             for s in self.sections]}

    def show_errors(self, field_errors: Mapping[str, str]) -> None:
        """Put each message where it belongs: the name, a band, a section, an item row."""
        bands: dict[int, str] = {}
        self.section_errors, self.item_errors = {}, {}
        for key, message in field_errors.items():
            kind, _sep, where = key.partition(":")
            numbers = [int(n) - 1 for n in where.split(":") if n.isdigit()]
            if kind == "band" and numbers:
                bands[numbers[0]] = message
            elif kind == "section" and numbers:
                self.section_errors[numbers[0]] = message
            elif kind == "item" and len(numbers) == 2:
                self.item_errors[numbers[0], numbers[1]] = message
        self.errors.show({k: m for k, m in field_errors.items() if k in ("name", "grade_bands")})
        self.bands_model.set_errors(bands)
        self._remark_sections()
        first = min(self.item_errors) if self.item_errors else None
        section = first[0] if first else min(self.section_errors) if self.section_errors else self.current_section()
        self.items_model.set_rows([])  # so the current section's marks are loaded afresh
        self.select_section(section)
        if first is not None:
            self.items_view.setFocus()
            self._select_item(first[1], select=False)
        if field_errors:
            lines = [_("未保存。请修改标红处（鼠标停在标红的行上可看原因）：")]
            lines += [_("• {message}").format(message=m) for m in field_errors.values()]
            self.error_area.setText("\n".join(lines[:9] + ([_("……另有 {n} 处").format(n=len(lines) - 9)]
                                                           if len(lines) > 9 else [])))
        self.error_area.setVisible(bool(field_errors))

    def accept(self) -> None:
        if self.read_only:
            return
        for view in (self.bands_view, self.sections_view, self.items_view):
            commit_open_editor(view)
        try:
            saved = checklists.save_draft(self.ws, self.view.uid, self.content())
        except ValidationError as exc:
            self.show_errors(exc.field_errors)
            return
        except AppError as exc:
            show_error(self, exc)
            return
        self.result_view = saved
        self.show_errors({})
        super().accept()
