"""问题台账: every problem of the county (or city) with filters, and the steps on each."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.i18n import _
from app.models import PROBLEM_STATES
from app.reports.ledger_xlsx import default_name, export_ledger
from app.services import divisions, fields, ledger
from app.services.ledger import LedgerFilter
from app.services.workspace import Workspace
from app.ui.date_field import DateField
from app.ui.dialogs.history_dialog import HistoryDialog, open_history
from app.ui.errors import show_error
from app.ui.file_dialogs import ask_save_path
from app.ui.item_views import read_only_rows, size_columns
from app.ui.ledger.step_dialogs import ProblemDialog, RectifyDialog, VerifyDialog
from app.ui.ledger.table_model import COLUMN_KEYS, LedgerTableModel
from app.ui.page_shortcuts import PageShortcut
from app.ui.worker import Task, run_task

HISTORY_KEY = "Ctrl+H"
WIDTHS = {"division": 80, "sub_project": 240, "category": 110, "description": 300, "responsible_person": 70,
          "found_on": 90, "deadline": 90, "state": 90, "rectification": 200, "verification": 160, "round": 70}


class LedgerFilterBar(QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.division = QComboBox()
        self.division.addItem(_("全部县（区）"), None)
        for d in divisions.list_divisions(ws, include_city=False):
            self.division.addItem(d.name, d.uid)
        self.state = QComboBox()
        self.state.addItem(_("全部状态"), None)
        self.state.addItem(_("未复查完毕"), "unverified")
        for code, label in PROBLEM_STATES.items():
            self.state.addItem(_(label), code)
        self.overdue = QCheckBox(_("仅超期"))
        self.round = QComboBox()
        self.deadline_from = DateField()
        self.deadline_to = DateField()
        for field in (self.deadline_from, self.deadline_to):
            field.edit.setPlaceholderText(_("不限"))
            field.setMaximumWidth(130)
        self.keyword = QLineEdit()
        self.keyword.setPlaceholderText(_("搜索问题描述、子项目或责任人"))
        self.keyword.setClearButtonEnabled(True)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.reload_rounds(ws)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel(_("筛选：")), self.division, self.state, self.overdue, self.round,
                       QLabel(_("整改时限")), self.deadline_from, QLabel("—"), self.deadline_to):
            row.addWidget(widget)
        row.addWidget(self.keyword, 1)
        row.addWidget(self.message)

        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.changed)
        for combo in (self.division, self.state, self.round):
            combo.currentIndexChanged.connect(self.changed)
        self.overdue.toggled.connect(self.changed)
        self.keyword.textChanged.connect(self._timer.start)
        for field in (self.deadline_from, self.deadline_to):
            field.edit.editingFinished.connect(self.changed)

    def reload_rounds(self, ws: Workspace) -> None:
        current = self.round.currentData()
        self.round.blockSignals(True)
        self.round.clear()
        self.round.addItem(_("全部轮次"), None)
        for uid, name in ledger.round_choices(ws):
            self.round.addItem(name, uid)
        self.round.setCurrentIndex(max(self.round.findData(current), 0))
        self.round.blockSignals(False)

    def current(self) -> LedgerFilter:
        """The filter as typed; a date that is not a date is named and ignored until fixed."""
        bounds, problems_found = [], []
        for field, label in ((self.deadline_from, _("起始整改时限")), (self.deadline_to, _("截止整改时限"))):
            try:
                bounds.append(fields.day(field.text(), label))
                field.setStyleSheet("")
            except fields.FieldError as exc:
                bounds.append(None)
                problems_found.append(exc.message)
                field.setStyleSheet("border: 1px solid #c62828;")
        self.message.setText(" ".join(problems_found))
        return LedgerFilter(division_uid=self.division.currentData(), state=self.state.currentData(),
                            overdue=self.overdue.isChecked(), round_uid=self.round.currentData(),
                            deadline_from=bounds[0], deadline_to=bounds[1], keyword=self.keyword.text(),
                            today=date.today())


class LedgerPage(QWidget):
    """The ledger screen; ``changed`` is emitted after a step changed a problem."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.filter_bar = LedgerFilterBar(ws, self)
        self.model = LedgerTableModel(ws, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        size_columns(self.table, [WIDTHS[key] for key in COLUMN_KEYS])
        self.table.horizontalHeader().setSortIndicator(COLUMN_KEYS.index("deadline"), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(lambda _index: self.step())

        self.rectify_button = QPushButton(_("登记整改…"))
        self.verify_button = QPushButton(_("复查…"))
        self.edit_button = QPushButton(_("编辑 / 更正…"))
        self.history_button = QPushButton(_("变更历史…"))
        self.history_button.setToolTip(_("选中问题的各个版本：谁在何时改了什么，更正的原因（{key}）").format(
            key=HISTORY_KEY))
        self.export_button = QPushButton(_("导出台账…"))
        self.counts = QLabel()
        # on the table's context menu too; the key is claimed by the page (the main window binds it as well)
        self.history_action = QAction(_("变更历史…"), self)
        self.history_action.setShortcut(QKeySequence(HISTORY_KEY))
        self.history_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.history_action.triggered.connect(lambda _checked=False: self.show_history())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addAction(self.history_action)
        PageShortcut(self, HISTORY_KEY, self.show_history)
        buttons = QHBoxLayout()
        for button in (self.rectify_button, self.verify_button, self.edit_button, self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.counts)
        buttons.addWidget(self.export_button)
        self.rectify_button.clicked.connect(self.rectify)
        self.verify_button.clicked.connect(self.verify)
        self.edit_button.clicked.connect(self.edit)
        self.history_button.clicked.connect(lambda _checked=False: self.show_history())
        self.export_button.clicked.connect(self.export)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
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
        self.filter_bar.reload_rounds(self.ws)
        self.apply_filter()

    def show_division(self, division_uid: str | None) -> None:
        self.filter_bar.division.setCurrentIndex(max(self.filter_bar.division.findData(division_uid), 0))

    def current_uid(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.uid_at(rows[0].row()) if rows else None

    def current_row(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def select_uid(self, uid: str) -> None:
        row = self.model.row_of_uid(uid)
        if row >= 0:
            self.table.selectRow(row)

    def _update(self) -> None:
        flt = self.model.filter
        late = ledger.overdue_count(self.ws, flt)
        self.counts.setText(_("显示 {n} 条，其中超期 {late} 条").format(n=f"{self.model.rowCount():,}",
                                                                   late=f"{late:,}"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current_row()
        state = row.state if row is not None else None
        self.rectify_button.setEnabled(state == "open")
        self.verify_button.setEnabled(state == "rectified")
        self.edit_button.setEnabled(row is not None)
        self.history_button.setEnabled(row is not None)
        self.history_action.setEnabled(row is not None)
        self.export_button.setEnabled(self.task is None)

    # -- steps ---------------------------------------------------------------------
    def _run(self, dialog_class) -> None:
        uid = self.current_uid()
        if not uid:
            return
        try:
            dialog = dialog_class(self.ws, uid, self)
        except AppError as exc:
            show_error(self, exc)
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_filter()
            self.select_uid(uid)
            self.changed.emit()

    def step(self) -> None:
        """Enter / double-click: the next step of the problem's life."""
        row = self.current_row()
        if row is None:
            return
        self._run({"open": RectifyDialog, "rectified": VerifyDialog}.get(row.state, ProblemDialog))

    def rectify(self) -> None:
        self._run(RectifyDialog)

    def verify(self) -> None:
        self._run(VerifyDialog)

    def edit(self) -> None:
        self._run(ProblemDialog)

    def show_history(self) -> HistoryDialog | None:
        """Ctrl+H: every version of the selected problem, with the reason of a correction."""
        return open_history(self, self.ws, "problems", self.current_uid())

    def export(self) -> Task | None:
        path = ask_save_path(self, _("导出问题台账"), default_name())
        if path is None:
            return None
        flt, ws, model = self.model.filter, self.ws, self.model

        def work(cancel, progress):
            return export_ledger(ws, path, flt, sort=model.sort_key, descending=model.descending,
                                 cancel=cancel, progress=progress)

        def finished(_result=None) -> None:
            self.task = None
            self._update_buttons()

        self.task = run_task(self, _("导出问题台账"), work, on_done=finished, on_cancelled=finished)
        self.task.error.connect(lambda _exc: finished())
        self._update_buttons()
        return self.task
