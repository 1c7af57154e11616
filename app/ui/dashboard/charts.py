"""The dashboard's charts, drawn by pyqtgraph: bars per division (clickable) and monthly lines.

Every chart is a panel: a title, the plot and a legend, all in the application's font,
so Chinese labels render crisp and the same in a saved PNG (``save_png`` renders the
panel at twice its size).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import (QApplication, QGraphicsOpacityEffect, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout,
                               QWidget)

#: colours that stay apart for colour-blind readers and in grey print
PALETTE = ("#3B6FB6", "#5BA345", "#E08A2E", "#8E5BB5", "#C0392B", "#7F8C8D")
_TEXT = "#333333"
_GRID_ALPHA = 0.25


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str
    values: Sequence[int]
    dashed: bool = False


def _font(point_delta: int = 0, *, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSize(max(font.pointSize() + point_delta, 6))
    font.setBold(bold)
    return font


def nice_step(top: float, ticks: int = 6) -> int:
    """A whole 1, 2 or 5 times a power of ten giving about ``ticks`` ticks up to ``top``: counts are
    whole, so an axis never shows 0.5 of a sub-project."""
    rough = max(top / ticks, 1)
    power = 1
    while power * 10 <= rough:
        power *= 10
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


def _swatch(color: str, text: str, *, line: bool = False, dashed: bool = False) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 10, 0)
    row.setSpacing(4)
    mark = QLabel()
    mark.setFixedSize(14, 3 if line else 10)
    mark.setStyleSheet(f"border-top: 3px dashed {color};" if dashed else f"background: {color};")
    label = QLabel(text)
    label.setFont(_font(-1))
    row.addWidget(mark, 0, Qt.AlignmentFlag.AlignVCenter)
    row.addWidget(label)
    return box


class ChartPanel(QWidget):
    """Title, plot and legend; ``save_png`` writes what is shown, at twice the pixels."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # white behind title and legend too, on screen and in the saved PNG
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("ChartPanel { background: white; }")
        self.title = QLabel(title)
        self.title.setFont(_font(1, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_row = QHBoxLayout()
        self.title_row.addWidget(self.title, 1)
        self._controls: list[QWidget] = []
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setStyle(tickFont=_font(-1))
            axis.setTextPen(_TEXT)
            axis.setPen("#999999")
        self.legend = QWidget()
        self._legend_row = QHBoxLayout(self.legend)
        self._legend_row.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(self.title_row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignHCenter)

    def add_control(self, widget: QWidget) -> None:
        """A control at the right of the title (left out of a saved PNG)."""
        self._controls.append(widget)
        self.title_row.addWidget(widget)

    def set_legend(self, series: Sequence[Series], *, line: bool = False) -> None:
        while self._legend_row.count():
            item = self._legend_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for s in series:
            self._legend_row.addWidget(_swatch(s.color, s.label, line=line, dashed=s.dashed))

    def save_png(self, path: Path | str, *, scale: float = 2.0) -> Path:
        """The panel as shown, rendered at ``scale`` times its pixels (crisp text when printed)."""
        target = Path(path)
        shown = [w for w in self._controls if w.isVisible()]
        for widget in shown:
            # keep its room, so the title stays where it was, but draw nothing there
            widget.setGraphicsEffect(_Invisible(widget))
        try:
            return self._render(target, scale)
        finally:
            for widget in shown:
                widget.setGraphicsEffect(None)

    def _render(self, target: Path, scale: float) -> Path:
        image = QPixmap(self.size() * scale)
        image.setDevicePixelRatio(scale)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.render(painter, QPoint(0, 0))
        painter.end()
        if not image.save(str(target), "PNG"):
            raise OSError(str(target))
        return target


class _Invisible(QGraphicsOpacityEffect):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setOpacity(0.0)


class ClickableBars(pg.BarGraphItem):
    """Horizontal bars that say which one was clicked (pyqtgraph's bars have no click signal)."""

    bar_clicked = Signal(int)

    def mouseClickEvent(self, event) -> None:  # noqa: N802 - pyqtgraph's name
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        index = self.bar_at(event.pos())
        if index is None:
            event.ignore()
            return
        event.accept()
        self.bar_clicked.emit(index)

    def bar_at(self, pos: QPointF) -> int | None:
        height = self.opts["height"]
        for i, (y, width) in enumerate(zip(self.opts["y"], self.opts["width"])):
            # a zero bar still answers across a sliver, so an empty county can be opened too
            if abs(pos.y() - y) <= height / 2 and -0.5 <= pos.x() <= max(width, 0.5):
                return i
        return None


class DivisionBars(ChartPanel):
    """Grouped horizontal bars, one group per division (first at the top)."""

    #: (division uid, series key)
    bar_clicked = Signal(object, str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=_GRID_ALPHA)
        self.uids: list[str | None] = []
        self.series: list[Series] = []
        self.items: dict[str, ClickableBars] = {}
        self.group_height = 0.8

    def set_data(self, names: Sequence[str], uids: Sequence[str | None], series: Sequence[Series]) -> None:
        self.plot.clear()
        self.items.clear()
        self.uids, self.series = list(uids), list(series)
        n = max(len(series), 1)
        height = self.group_height / n
        for i, s in enumerate(series):
            offset = -self.group_height / 2 + height * (i + 0.5)
            item = ClickableBars(x0=[0] * len(s.values), y=[k + offset for k in range(len(s.values))],
                                 width=list(s.values), height=height * 0.92, brush=s.color, pen=pg.mkPen(None))
            item.bar_clicked.connect(lambda index, key=s.key: self.bar_clicked.emit(self.uids[index], key))
            item.setToolTip(s.label)
            self.plot.addItem(item)
            self.items[s.key] = item
        self.plot.getAxis("left").setTicks([[(k, name) for k, name in enumerate(names)], []])
        largest = max((max(s.values, default=0) for s in series), default=0)
        self.plot.setYRange(-0.6, len(names) - 0.4, padding=0)
        self.plot.setXRange(0, max(largest, 1) * 1.05, padding=0)
        self.plot.getAxis("bottom").setTickSpacing(levels=[(nice_step(max(largest, 1)), 0)])
        self.set_legend(series)

    def bar_position(self, key: str, uid: str | None) -> QPointF:
        """Where the bar of ``uid`` in series ``key`` is drawn, in the plot widget's coordinates
        (its middle): what a click on it hits."""
        item = self.items[key]
        index = self.uids.index(uid)
        width = item.opts["width"][index]
        scene = self.plot.getPlotItem().getViewBox().mapViewToScene(QPointF(max(width, 0.5) / 2, item.opts["y"][index]))
        return QPointF(self.plot.mapFromScene(scene))


class ProgressLines(ChartPanel):
    """Cumulative lines by month."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.plot.showGrid(x=False, y=True, alpha=_GRID_ALPHA)
        self.months: list[str] = []

    def set_data(self, months: Sequence[str], series: Sequence[Series]) -> None:
        self.plot.clear()
        self.months = list(months)
        xs = list(range(len(months)))
        for s in series:
            # a dashed line is drawn thinner over the others, so a line it follows stays visible
            pen = pg.mkPen(s.color, width=2, style=Qt.PenStyle.DashLine) if s.dashed else pg.mkPen(s.color, width=3)
            self.plot.plot(xs, list(s.values), pen=pen, antialias=True)
        step = max(1, round(len(months) / 6))
        # January of each year where the range is long, else every ``step``-th month
        ticks = [(i, m) for i, m in enumerate(months) if (m.endswith("-01") if len(months) > 24 else i % step == 0)]
        if months and len(months) > 24 and months[0] not in {m for _i, m in ticks}:
            ticks.insert(0, (0, months[0]))
        self.plot.getAxis("bottom").setTicks([ticks, []])
        top = max((max(s.values, default=0) for s in series), default=0)
        self.plot.setXRange(0, max(len(months) - 1, 1), padding=0.02)
        self.plot.setYRange(0, max(top, 1) * 1.08, padding=0)
        self.plot.getAxis("left").setTickSpacing(levels=[(nice_step(max(top, 1)), 0)])
        self.set_legend(series, line=True)
