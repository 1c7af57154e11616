"""督导: the rounds and their groups on the left, the problems the selected round re-checks on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.i18n import _
from app.services import supervision
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.item_views import read_only_rows, size_columns
from app.ui.rows_model import RowsModel
from app.ui.supervision.dialogs import GroupDialog, RecheckDialog, RoundDialog
from app.ui.supervision.models import GroupsModel, RechecksModel, RoundsModel

_ROUND_WIDTHS = (60, 85, 85, 50, 60, 50, 50)
_GROUP_WIDTHS = (95, 65, 150, 140, 120)
_RECHECK_WIDTHS = (60, 180, 220, 85, 65, 85, 85, 180, 65)


def _table(model: RowsModel, widths: tuple[int, ...]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    read_only_rows(view, single=True)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    size_columns(view, widths)
    return view


def _selected_row(view: QTableView) -> int:
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else -1


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; padding: 4px 0 2px 0;")
    return label


class SupervisionPage(QWidget):
    """``changed`` is emitted after this page saved something (rounds, groups, re-checks)."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rounds = RoundsModel(self)
        self.groups = GroupsModel(self)
        self.rechecks = RechecksModel(self)
        self.rounds_view = _table(self.rounds, _ROUND_WIDTHS)
        self.groups_view = _table(self.groups, _GROUP_WIDTHS)
        self.rechecks_view = _table(self.rechecks, _RECHECK_WIDTHS)

        self.start_button = QPushButton(_("开始新一轮督导…"))
        self.group_button = QPushButton(_("新建督导组…"))
        self.edit_button = QPushButton(_("编辑…"))
        self.edit_button.setToolTip(_("编辑选中的督导组；未选中督导组时编辑督导轮次"))
        self.recheck_button = QPushButton(_("登记复查结果…"))
        buttons = QHBoxLayout()
        for button in (self.start_button, self.group_button, self.edit_button, self.recheck_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.rechecks_title = _heading("")
        self.rechecks_summary = QLabel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(_heading(_("督导轮次")))
        left_layout.addWidget(self.rounds_view, 1)
        left_layout.addWidget(_heading(_("本轮督导组")))
        left_layout.addWidget(self.groups_view, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.rechecks_title)
        title_row.addStretch(1)
        title_row.addWidget(self.rechecks_summary)
        right_layout.addLayout(title_row)
        right_layout.addWidget(self.rechecks_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([470, 830])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

        self.start_button.clicked.connect(self.start_round)
        self.group_button.clicked.connect(self.new_group)
        self.edit_button.clicked.connect(self.edit)
        self.recheck_button.clicked.connect(self.record_recheck)
        self.rounds_view.selectionModel().selectionChanged.connect(lambda *_: self._round_changed())
        self.rounds_view.clicked.connect(lambda _index: self.groups_view.clearSelection())
        self.groups_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.rechecks_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.rounds_view.activated.connect(lambda _index: self.edit_round())
        self.groups_view.activated.connect(lambda _index: self.edit_group())
        self.rechecks_view.activated.connect(lambda _index: self.record_recheck())
        self.refresh()

    # -- data --------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload everything, keeping the selected round (the newest one the first time)."""
        keep = self.current_round()
        self._load_rounds(keep.uid if keep else None)

    def _load_rounds(self, select_uid: str | None = None) -> None:
        rows = supervision.list_rounds(self.ws)
        self.rounds.set_rows(rows)
        row = self.rounds.row_of(select_uid)
        if row < 0 and rows:
            row = len(rows) - 1
        if row >= 0:
            self.rounds_view.selectRow(row)
        else:
            self._round_changed()

    def current_round(self) -> supervision.RoundInfo | None:
        return self.rounds.row_at(_selected_row(self.rounds_view))

    def current_group(self) -> supervision.GroupInfo | None:
        return self.groups.row_at(_selected_row(self.groups_view))

    def current_recheck(self) -> supervision.RecheckInfo | None:
        return self.rechecks.row_at(_selected_row(self.rechecks_view))

    def _round_changed(self, *, group_uid: str | None = None, recheck_uid: str | None = None) -> None:
        current = self.current_round()
        self.groups.set_rows(supervision.list_groups(self.ws, current.uid) if current else [])
        self.rechecks.set_rows(supervision.carried_over(self.ws, current.uid) if current else [])
        for view, model, uid in ((self.groups_view, self.groups, group_uid),
                                 (self.rechecks_view, self.rechecks, recheck_uid)):
            if model.row_of(uid) >= 0:
                view.selectRow(model.row_of(uid))
        if current is None:
            self.rechecks_title.setText(_("尚未开始督导。点击“开始新一轮督导…”开始首轮督导。"))
            self.rechecks_summary.clear()
        elif current.number == 1:
            self.rechecks_title.setText(_("{name}：首轮督导没有需要复查的上一轮问题").format(name=current.name))
            self.rechecks_summary.clear()
        else:
            self.rechecks_title.setText(_("{name}：复查上一轮未复查完毕的问题").format(name=current.name))
            self.rechecks_summary.setText(_("共 {n} 个，待复查 {pending} 个，已复查 {done} 个").format(
                n=current.rechecks_total, pending=current.rechecks_pending, done=current.rechecks_done))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_round = self.current_round() is not None
        self.group_button.setEnabled(has_round)
        self.edit_button.setEnabled(has_round)
        self.recheck_button.setEnabled(self.current_recheck() is not None)

    def _saved(self, *, round_uid: str | None = None, group_uid: str | None = None,
               recheck_uid: str | None = None) -> None:
        """Reload after a save (counts change too), selecting what was saved."""
        if round_uid is None:
            current = self.current_round()
            round_uid = current.uid if current else None
        self.rounds_view.selectionModel().blockSignals(True)
        self._load_rounds(round_uid)
        self.rounds_view.selectionModel().blockSignals(False)
        self._round_changed(group_uid=group_uid, recheck_uid=recheck_uid)
        self.changed.emit()

    def _run(self, dialog: QDialog) -> object | None:
        try:
            return dialog.saved if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    # -- actions -------------------------------------------------------------------
    def start_round(self) -> None:
        saved = self._run(RoundDialog(self.ws, parent=self))
        if saved is not None:
            self._saved(round_uid=saved.uid)

    def new_group(self) -> None:
        current = self.current_round()
        if current is None:
            return
        saved = self._run(GroupDialog(self.ws, current.uid, parent=self))
        if saved is not None:
            self._saved(group_uid=saved.uid)

    def edit(self) -> None:
        """The selected group, or the round when no group is selected."""
        if self.current_group() is not None:
            self.edit_group()
        else:
            self.edit_round()

    def edit_round(self) -> None:
        current = self.current_round()
        if current is None:
            return
        try:
            dialog = RoundDialog(self.ws, uid=current.uid, parent=self)
        except AppError as exc:
            show_error(self, exc)
            self.refresh()
            return
        if self._run(dialog) is not None:
            self._saved(round_uid=current.uid)

    def edit_group(self) -> None:
        current, group = self.current_round(), self.current_group()
        if current is None or group is None:
            return
        try:
            dialog = GroupDialog(self.ws, current.uid, uid=group.uid, parent=self)
        except AppError as exc:
            show_error(self, exc)
            self.refresh()
            return
        if self._run(dialog) is not None:
            self._saved(group_uid=group.uid)

    def record_recheck(self) -> None:
        recheck = self.current_recheck()
        if recheck is None:
            return
        try:
            dialog = RecheckDialog(self.ws, recheck.uid, parent=self)
        except AppError as exc:
            show_error(self, exc)
            self.refresh()
            return
        if self._run(dialog) is not None:
            self._saved(recheck_uid=recheck.uid)
