"""统计概览: the figures per division in a table, bars per division and the monthly progress.

The figures come from ``app.services.dashboard.collect`` on a worker thread (a city's
database takes a few hundred milliseconds); the page shows the last figures meanwhile.
The main window calls ``refresh()`` when the page is shown again and after an import, so
the figures follow the data without a restart. A click on a division's bar opens the
register filtered to it, or the ledger for the problem bars.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.services import dashboard
from app.services.dashboard import SERIES_LABELS, Dashboard
from app.services.workspace import Workspace
from app.ui.dashboard.table_model import DashboardTableModel
from app.ui.item_views import read_only_rows
from app.ui.lazy_table import UID_ROLE
from app.ui.worker import Task, run_task

#: the register's module key (app.ui.navigation.REGISTER), without importing the window's modules
REGISTER = "register"
LEDGER = "ledger"
_PNG_FOLDER = "dashboard/png_folder"
#: progress bars: what a click opens is the register
PROGRESS_BARS = (("sub_projects", N_("登记子项目")), ("visited", N_("已现场指导")), ("accepted", N_("验收合格")),
                 ("certificates", N_("有效证书")))
#: problem bars: a click opens the ledger, filtered to the bar's state
PROBLEM_BARS = (("problems_open", N_("待整改问题")), ("problems_overdue", N_("超期问题")))
_PROBLEM_COLORS = ("#E08A2E", "#C0392B")


class DashboardPage(QWidget):
    """``loaded`` is emitted each time new figures are shown."""

    loaded = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.board: Dashboard | None = None
        self.task: Task | None = None
        self._generation = 0
        self._table_fitted = False

        heading = QLabel(_("统计概览"))
        heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.as_of = QLabel()
        self.as_of.setStyleSheet("color: #555;")
        self.busy = QLabel(_("正在统计…"))
        self.busy.setStyleSheet("color: #1d5fa8;")
        self.busy.hide()
        # count first: the worker runs while the charts' library loads (~0.25 s, on first use only)
        self.refresh()
        from app.ui.dashboard.charts import DivisionBars, ProgressLines

        self.save_button = QToolButton()
        self.save_button.setText(_("保存图表为 PNG"))
        self.save_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bar = QHBoxLayout()
        for widget in (heading, self.as_of, self.busy):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.report_button = QToolButton()
        self.report_button.setText(_("导出统计报表…"))
        self.report_button.setToolTip(_("按县（区）和行业（领域）的年度统计表（Excel），可直接打印上报"))
        self.report_button.clicked.connect(lambda _checked=False: self.export_report())
        self.report_task: Task | None = None
        bar.addWidget(self.report_button)
        bar.addWidget(self.save_button)

        self.model = DashboardTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._row_activated)
        self.table.activated.connect(self._row_activated)

        self.progress_bars = DivisionBars(_("各县（区）进度（点击柱条打开登记册）"))
        self.problem_bars = DivisionBars(_("问题整改（点击柱条打开问题台账）"))
        self.lines = ProgressLines(_("月度累计进度"))
        self.line_scope = QComboBox()
        self.line_scope.setToolTip(_("月度进度的范围"))
        self.line_scope.currentIndexChanged.connect(lambda _i: self._draw_lines())
        self.lines.add_control(self.line_scope)
        self.progress_bars.bar_clicked.connect(lambda uid, _key: self.open_register(uid))
        self.problem_bars.bar_clicked.connect(
            lambda uid, key: self.open_ledger(uid, overdue=key == "problems_overdue"))
        #: panel -> what the save menu and the file name call it
        self.chart_names = {self.progress_bars: _("各县（区）进度"), self.problem_bars: _("问题整改"),
                            self.lines: _("月度累计进度")}
        menu = QMenu(self.save_button)
        for panel, name in self.chart_names.items():
            action = menu.addAction(_("{chart}…").format(chart=name))
            action.triggered.connect(lambda _checked=False, p=panel: self.save_chart(p))
        self.save_button.setMenu(menu)

        charts = QSplitter(Qt.Orientation.Horizontal)
        for widget, stretch in ((self.progress_bars, 4), (self.problem_bars, 3), (self.lines, 4)):
            charts.addWidget(widget)
            charts.setStretchFactor(charts.indexOf(widget), stretch)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(charts)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

    # -- loading ----------------------------------------------------------------------------
    def refresh(self) -> Task:
        """Recount on a worker; the figures on screen stay until the new ones arrive."""
        if self.task is not None and self.task.running:
            self.task.cancel()
        self._generation += 1
        generation, ws = self._generation, self.ws
        self.busy.show()
        self.task = run_task(self, _("统计概览"), lambda _cancel, _progress: dashboard.collect(ws),
                             on_done=lambda board: self._loaded(generation, board), quiet=True)
        self.task.error.connect(lambda _exc: self.busy.hide())
        return self.task

    def _loaded(self, generation: int, board: Dashboard) -> None:
        if generation != self._generation:
            return  # an older count finished after a newer one was asked for
        self.busy.hide()
        self.set_dashboard(board)

    def set_dashboard(self, board: Dashboard) -> None:
        from app.ui.dashboard.charts import PALETTE, Series

        self.board = board
        self.as_of.setText(_("数据截至 {day}（超期按当日判断）").format(day=board.as_of.isoformat()))
        self.model.set_dashboard(board)
        self._fit_table()
        # the bars are per county: the city's own row (its trainings only) has none
        counties = [r for r in board.rows if not r.is_city]
        names, uids = [r.name for r in counties], [r.uid for r in counties]
        self.progress_bars.set_data(names, uids, [
            Series(key, _(label), PALETTE[i], [r.value(key) for r in counties])
            for i, (key, label) in enumerate(PROGRESS_BARS)])
        self.problem_bars.set_data(names, uids, [
            Series(key, _(label), _PROBLEM_COLORS[i], [r.value(key) for r in counties])
            for i, (key, label) in enumerate(PROBLEM_BARS)])
        chosen = self.line_scope.currentData()
        self.line_scope.blockSignals(True)
        self.line_scope.clear()
        self.line_scope.addItem(board.total.name, None)
        for row in board.rows:
            if row.counts.sub_projects:
                self.line_scope.addItem(row.name, row.uid)
        self.line_scope.setCurrentIndex(max(self.line_scope.findData(chosen), 0))
        self.line_scope.blockSignals(False)
        self._draw_lines()
        self.loaded.emit()

    def _fit_table(self) -> None:
        """Once: give the table the height of its rows, the charts the rest."""
        total = self.splitter.height()
        if self._table_fitted or total <= 0:
            return
        self._table_fitted = True
        wanted = (self.table.horizontalHeader().height() + self.table.verticalHeader().length()
                  + 2 * self.table.frameWidth() + 2)
        wanted = min(wanted, total // 2)
        self.splitter.setSizes([wanted, total - wanted])

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.board is not None:
            self._fit_table()

    def _draw_lines(self) -> None:
        from app.ui.dashboard.charts import PALETTE, Series

        if self.board is None:
            return
        uid = self.line_scope.currentData()
        values = self.board.progress if uid is None else self.board.progress_by_division.get(uid, {})
        # the title names the scope, so a saved PNG says whose progress it shows
        self.lines.title.setText(_("月度累计进度（{scope}）").format(scope=self.line_scope.currentText()))
        empty = [0] * len(self.board.months)
        # certificates follow acceptances closely: dashed, so neither line hides the other
        self.lines.set_data(self.board.months, [
            Series(key, _(label), PALETTE[i], values.get(key, empty), dashed=key == "certificates")
            for i, (key, label) in enumerate(SERIES_LABELS.items())])

    # -- going to the records behind a figure --------------------------------------------------
    def _row_activated(self, index) -> None:
        uid = self.model.index(index.row(), 0).data(UID_ROLE)
        key = self.model.key_at(index.column())
        if key in ("problems_open", "problems_overdue", "with_open_problems", "with_overdue_problems"):
            self.open_ledger(uid, overdue="overdue" in key)
        else:
            self.open_register(uid)

    def open_register(self, division_uid: str | None) -> QWidget | None:
        """The register, filtered to the division (the whole register for the total)."""
        show = getattr(self.window(), "show_module", None)
        return show(REGISTER, division_uid) if show is not None else None

    def open_ledger(self, division_uid: str | None, *, overdue: bool) -> QWidget | None:
        """The ledger, filtered to the division's open (or overdue) problems."""
        show = getattr(self.window(), "show_module", None)
        if show is None:
            return None
        page = show(LEDGER)
        bar = getattr(page, "filter_bar", None)
        if bar is not None:
            bar.blockSignals(True)
            bar.division.setCurrentIndex(max(bar.division.findData(division_uid), 0))
            bar.state.setCurrentIndex(max(bar.state.findData("open"), 0))
            bar.overdue.setChecked(overdue)
            bar.blockSignals(False)
            page.apply_filter()
        return page

    # -- saving ------------------------------------------------------------------------------
    def export_report(self) -> Task | None:
        """The statistics workbook of a year the user picks (the figures' year by default)."""
        from app.ui.dashboard.report_actions import export_statistics_dialog

        if self.report_task is not None and self.report_task.running:
            return None

        def done(path: Path) -> None:
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(_("已导出统计报表：{path}").format(path=path), 8000)

        default = self.board.as_of.year if self.board is not None else None
        self.report_task = export_statistics_dialog(self, self.ws, default_year=default, on_done=done)
        return self.report_task

    def save_chart(self, panel, path: Path | str | None = None) -> Path | None:
        """Write ``panel`` (a ``charts.ChartPanel``) as PNG at ``path``, or where the user chooses."""
        if path is None:
            folder = QSettings().value(_PNG_FOLDER, str(Path.home()))
            scope = self.line_scope.currentText() if panel is self.lines else ""
            name = _("{chart}{scope}-{day}.png").format(
                chart=self.chart_names.get(panel, _("图表")), scope=scope,
                day=self.board.as_of.isoformat() if self.board else "")
            chosen, _selected = QFileDialog.getSaveFileName(self, _("保存图表"), str(Path(folder) / name),
                                                            _("PNG 图片 (*.png)"))
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() != ".png":
                path = path.with_suffix(".png")
            QSettings().setValue(_PNG_FOLDER, str(path.parent))
        return panel.save_png(path)


