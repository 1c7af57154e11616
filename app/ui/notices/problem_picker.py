"""Choose the ledger problems an opinion points at (checked rows), filtered by division and text."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.models import PROBLEM_STATES
from app.services import notices
from app.services.notices import LinkedProblem
from app.services.workspace import Workspace
from app.ui.item_views import read_only_rows, size_columns

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_CHECK = int(Qt.ItemDataRole.CheckStateRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
COLUMNS = (N_("选择"), N_("县（区）"), N_("子项目"), N_("问题描述"), N_("状态"), N_("整改时限"))
WIDTHS = (44, 80, 220, 320, 70, 90)


class ProblemChoiceModel(QAbstractTableModel):
    def __init__(self, selected: list[LinkedProblem], parent=None) -> None:
        super().__init__(parent)
        self.rows: list[LinkedProblem] = []
        #: kept in the order chosen, including problems the current filter hides
        self.selected: dict[str, LinkedProblem] = {p.uid: p for p in selected}
        self._headers = [_(label) for label in COLUMNS]

    def set_rows(self, rows: list[LinkedProblem]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        p, column = self.rows[index.row()], index.column()
        if role == _CHECK and column == 0:
            return Qt.CheckState.Checked if p.uid in self.selected else Qt.CheckState.Unchecked
        if role == _DISPLAY:
            return ("", p.division_name, f"{p.sub_project_code} {p.sub_project_name}", p.description,
                    _(PROBLEM_STATES.get(p.state, p.state)), p.deadline.isoformat() if p.deadline else "")[column]
        if role == _TOOLTIP and column in (2, 3):
            return p.description if column == 3 else f"{p.sub_project_code} {p.sub_project_name}"
        return None

    def setData(self, index: QModelIndex, value, role: int = _CHECK) -> bool:  # noqa: N802
        if role != _CHECK or index.column() != 0 or not index.isValid():
            return False
        self.toggle(index.row(), Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def toggle(self, row: int, checked: bool | None = None) -> None:
        p = self.rows[row]
        if checked is None:
            checked = p.uid not in self.selected
        if checked:
            self.selected[p.uid] = p
        else:
            self.selected.pop(p.uid, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, 0))


class ProblemPicker(QDialog):
    """``chosen`` holds the checked problems once accepted."""

    help_topic = "notices"

    def __init__(self, ws: Workspace, *, division_uid: str | None, selected: list[LinkedProblem],
                 division_choices: list[tuple[str | None, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.chosen: list[LinkedProblem] = list(selected)
        self.setWindowTitle(_("关联问题台账中的问题"))
        self.division = QComboBox()
        for uid, name in division_choices:
            self.division.addItem(name if uid else _("全部县（区）"), uid)
        self.division.setCurrentIndex(max(self.division.findData(division_uid), 0))
        self.keyword = QLineEdit()
        self.keyword.setPlaceholderText(_("搜索问题描述或子项目"))
        self.keyword.setClearButtonEnabled(True)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("筛选：")))
        bar.addWidget(self.division)
        bar.addWidget(self.keyword, 1)
        bar.addWidget(self.count)

        self.model = ProblemChoiceModel(selected, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_rows(self.table)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        size_columns(self.table, WIDTHS)
        self.table.activated.connect(lambda index: self.model.toggle(index.row()))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 520)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)
        self.keyword.textChanged.connect(self._timer.start)
        self.division.currentIndexChanged.connect(self.refresh)
        self.model.dataChanged.connect(lambda *_args: self._count())
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(notices.problem_choices(self.ws, division_uid=self.division.currentData(),
                                                    keyword=self.keyword.text()))
        self._count()

    def _count(self) -> None:
        self.count.setText(_("共 {n} 个问题，已选 {k} 个").format(n=len(self.model.rows), k=len(self.model.selected)))

    def accept(self) -> None:
        self.chosen = list(self.model.selected.values())
        super().accept()
