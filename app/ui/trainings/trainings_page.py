"""培训: the trainings of the county (or city), with year and level filters and the totals line."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
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
from app.models import TRAINING_LEVELS
from app.services import trainings
from app.services.trainings import TrainingInfo
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.item_views import read_only_rows, size_columns
from app.ui.lazy_table import ALIGN, CENTER, DISPLAY, RIGHT, TOOLTIP, UID_ROLE
from app.ui.rows_model import RowsModel
from app.ui.trainings.training_dialog import TrainingDialog

COLUMNS = [("held_on", N_("日期")), ("level", N_("级别")), ("organiser", N_("组织单位")), ("topic", N_("主题")),
           ("attendance", N_("人次")), ("location", N_("地点"))]
WIDTHS = (95, 60, 180, 320, 70, 160)


class TrainingsModel(RowsModel[TrainingInfo]):
    """The filtered trainings, newest first (a few hundred rows: held in a list)."""

    COLUMNS = COLUMNS

    def cell_data(self, t: TrainingInfo, key: str, role: int):
        if role == DISPLAY:
            if key == "held_on":
                return t.held_on.isoformat()
            if key == "level":
                return _(TRAINING_LEVELS.get(t.level, t.level))
            if key == "attendance":
                return f"{t.attendance:,}"
            return getattr(t, key)
        if role == UID_ROLE:
            return t.uid
        if role == ALIGN:
            return RIGHT if key == "attendance" else CENTER if key in ("held_on", "level") else None
        if role == TOOLTIP and key in ("organiser", "topic"):
            return _("{topic}\n{organiser}（{division}）").format(topic=t.topic, organiser=t.organiser,
                                                                 division=t.division_name)
        return None


class TrainingsPage(QWidget):
    """``changed`` is emitted after a training was added, edited or deleted."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.year = QComboBox()
        self.level = QComboBox()
        self.level.addItem(_("全部级别"), None)
        for code, label in TRAINING_LEVELS.items():
            self.level.addItem(_(label), code)
        self.totals = QLabel()
        self.totals.setStyleSheet("font-weight: bold;")
        bar = QHBoxLayout()
        for widget in (QLabel(_("筛选：")), self.year, self.level):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.totals)

        self.model = TrainingsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        size_columns(self.table, WIDTHS)

        self.new_button = QPushButton(_("新建培训…"))
        self.edit_button = QPushButton(_("编辑…"))
        self.delete_button = QPushButton(_("删除"))
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._reload_years()
        self.year.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.level.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.new_button.clicked.connect(self.new_training)
        self.edit_button.clicked.connect(self.edit_training)
        self.delete_button.clicked.connect(self.delete_training)
        self.table.activated.connect(lambda _index: self.edit_training())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.apply_filter()

    # -- data --------------------------------------------------------------------
    def _reload_years(self) -> None:
        keep = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem(_("全部年份"), None)
        for year in trainings.years(self.ws):
            self.year.addItem(_("{year}年").format(year=year), year)
        self.year.setCurrentIndex(max(self.year.findData(keep), 0) if keep is not None else 0)
        self.year.blockSignals(False)

    def refresh(self) -> None:
        self._reload_years()
        self.apply_filter()

    def apply_filter(self, select_uid: str | None = None) -> None:
        current = self.current()
        select_uid = select_uid or (current.uid if current else None)
        flt = {"year": self.year.currentData(), "level": self.level.currentData()}
        self.model.set_rows(trainings.list_trainings(self.ws, **flt))
        self.totals.setText(trainings.summary_line(trainings.totals(self.ws, **flt)))
        row = self.model.row_of(select_uid)
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def current(self) -> TrainingInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        selected = self.current() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    # -- actions -------------------------------------------------------------------
    def _run(self, dialog: TrainingDialog) -> None:
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
                self._reload_years()
                self.apply_filter(dialog.saved.uid)
                self.changed.emit()
        finally:
            if dialog.attaching:
                dialog.sign_in.changed.connect(dialog.deleteLater)  # once the scans are in
            else:
                dialog.deleteLater()

    def new_training(self) -> None:
        self._run(TrainingDialog(self.ws, parent=self))

    def edit_training(self) -> None:
        current = self.current()
        if current is None:
            return
        try:
            dialog = TrainingDialog(self.ws, uid=current.uid, parent=self)
        except AppError as exc:
            show_error(self, exc)
            self.refresh()
            return
        self._run(dialog)

    def delete_training(self) -> None:
        current = self.current()
        if current is None:
            return
        answer = QMessageBox.question(self, _("删除培训"), _("确定删除 {day} 的培训“{topic}”吗？").format(
            day=current.held_on.isoformat(), topic=current.topic))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            trainings.delete(self.ws, current.uid, expected_rev=current.rev)
        except AppError as exc:
            show_error(self, exc)
        self.refresh()
        self.changed.emit()
