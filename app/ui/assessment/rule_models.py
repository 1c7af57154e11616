"""Editable tables of the rule-set editor: items (with choices shown by label and the
metric's parameters as one line of text), departments, and the versions list.

What is typed stays as typed; ``assessment_rules.parse_content`` is the one judge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QComboBox, QStyledItemDelegate, QWidget

from app.i18n import N_, _
from app.models import RULE_KINDS, RULE_SCOPES, RULE_SET_STATUSES
from app.services.assessment_excel import params_text
from app.services.assessment_metrics import METRICS
from app.services.assessment_rules import RuleSetView
from app.ui.checklists.editor_models import Field, RowsModel
from app.ui.lazy_table import ALIGN, CENTER, DISPLAY

_EDIT = int(Qt.ItemDataRole.EditRole)
METRIC_LABELS: dict[str, str] = {"": N_("（人工评分）"), **{key: m.label for key, m in METRICS.items()}}
CHOICES: dict[str, dict[str, str]] = {"scope": RULE_SCOPES, "kind": RULE_KINDS, "metric": METRIC_LABELS}

ITEM_FIELDS = (Field("section", N_("类别"), "text", 110), Field("code", N_("编号"), "text", 46),
               Field("title", N_("考核内容"), "text", 280), Field("points", N_("分值"), "number", 46),
               Field("scope", N_("考核对象"), "text", 110), Field("kind", N_("评分方式"), "text", 90),
               Field("metric", N_("计算方法"), "text", 220), Field("params", N_("计算参数"), "text", 200),
               Field("guide", N_("评分标准"), "text", 300))
DEPARTMENT_FIELDS = (Field("code", N_("代码"), "text", 70), Field("name", N_("部门名称"), "text", 200),
                     Field("sectors", N_("负责的行业（领域），用、分隔"), "text", 320))


class RuleRowsModel(RowsModel):
    """Items or departments: choice columns show labels and store codes."""

    def _data(self, values: dict[str, Any], row: int, field: Field, role: int):
        if field.key in CHOICES and role in (DISPLAY, _EDIT):
            code = values.get(field.key) or ""
            return code if role == _EDIT else _(CHOICES[field.key].get(code, code))
        if field.key == "params" and role in (DISPLAY, _EDIT):
            return params_text(values.get("metric") or "", values.get("params"))
        if field.key == "sectors" and role in (DISPLAY, _EDIT) and isinstance(values.get("sectors"), list):
            return "、".join(values["sectors"])
        if field.key in ("scope", "kind", "metric") and role == ALIGN:
            return CENTER
        return super()._data(values, row, field, role)

    def setData(self, index, value, role: int = _EDIT) -> bool:
        field = self.fields[index.column()] if index.isValid() else None
        if field is not None and field.key in CHOICES and role == _EDIT and not self.read_only:
            values = self.rows[index.row()]
            values[field.key] = value
            if field.key == "metric":
                values["kind"] = "computed" if value else "manual"
                values["params"] = {}
            elif field.key == "kind" and value == "manual":
                values["metric"], values["params"] = "", {}
            self.errors.pop(index.row(), None)
            self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.fields) - 1))
            self.edited.emit()
            return True
        return super().setData(index, value, role)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of labels for a column that stores codes."""

    def __init__(self, choices: Mapping[str, str], parent=None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option, index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for code, label in self.choices.items():
            combo.addItem(_(label), code)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def setEditorData(self, editor: QWidget, index) -> None:  # noqa: N802
        editor.setCurrentIndex(max(editor.findData(index.data(_EDIT)), 0))

    def setModelData(self, editor: QWidget, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), _EDIT)

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)


class VersionsModel(QAbstractTableModel):
    COLUMNS = ((N_("考核细则")), (N_("版本")), (N_("状态")), (N_("已用于")))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[RuleSetView] = []
        self.uses: dict[str, int] = {}
        self._headers = [_(label) for label in self.COLUMNS]

    def set_versions(self, rows: Sequence[RuleSetView], uses: Mapping[str, int]) -> None:
        self.beginResetModel()
        self.rows, self.uses = list(rows), dict(uses)
        self.endResetModel()

    def row_of(self, uid: str | None) -> int:
        return next((n for n, r in enumerate(self.rows) if r.uid == uid), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == DISPLAY:
            return (r.name, _("第 {n} 版").format(n=r.version), _(RULE_SET_STATUSES.get(r.status, r.status)),
                    _("{n} 次考核").format(n=self.uses.get(r.uid, 0)))[index.column()]
        if role == ALIGN and index.column():
            return CENTER
        return None
