"""Preview, print and save a PDF (certificates, opinion letters) with pypdfium2.

pdfium renders one page to an image in ~40 ms, so pages are rendered on the GUI thread,
one at a time, when shown (pdfium is not thread-safe: every call stays on this thread).
The document is read into memory, so no file handle stays open on the PDF (a later
render may replace the file). Printing draws each page image over the whole sheet at
the printer's resolution (capped at 300 dpi: enough for text and the QR code).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSettings, Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.ui.printing import apply_print_settings

#: PDF units are points (1/72 in); 100% shows the page at its size on a 96 dpi screen
POINTS_TO_PIXELS = 96 / 72
ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
PRINT_DPI_CAP = 300
_LAST_FOLDER = "pdf/last_folder"
_PDF_FILTER = N_("PDF 文件 (*.pdf)")


def render_page(document: pdfium.PdfDocument, index: int, scale: float) -> QImage:
    """Page ``index`` at ``scale`` pixels per point, as a QImage that owns its pixels."""
    page = document[index]
    try:
        bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)  # RGBX, any byte order
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
        return image.copy()  # the bitmap's buffer is freed with it
    finally:
        page.close()


def load_document(path: Path | str) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(Path(path).read_bytes())


def ask_pdf_path(parent: QWidget | None, title: str, name: str) -> Path | None:
    """Where to save a PDF, starting in the folder used last."""
    folder = QSettings().value(_LAST_FOLDER, str(Path.home()))
    chosen, _selected = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / name), _(_PDF_FILTER))
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    QSettings().setValue(_LAST_FOLDER, str(path.parent))
    return path


def paint_documents(printer: QPrinter, paths: Sequence[Path | str], parent: QWidget | None = None) -> int:
    """Print every page of ``paths`` (within the printer's page range) on ``printer``.

    Each page is scaled to the sheet, keeping its proportions. Returns the pages printed;
    a Cancel in the progress dialog stops after the current page.
    """
    documents = [load_document(path) for path in paths]
    try:
        total = sum(len(d) for d in documents)
        first, last = printer.fromPage(), printer.toPage()
        wanted = [(d, i) for d in documents for i in range(len(d))]
        if first or last:
            wanted = wanted[max(first, 1) - 1:(last or total)]
        dpi = min(printer.resolution(), PRINT_DPI_CAP)
        progress = QProgressDialog(_("正在打印…"), _("取消"), 0, len(wanted), parent)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(600)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        printed = 0
        try:
            for n, (document, index) in enumerate(wanted):
                if progress.wasCanceled():
                    break
                if n:
                    printer.newPage()
                image = render_page(document, index, dpi / 72)
                sheet = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
                sheet.moveTo(0, 0)
                scale = min(sheet.width() / image.width(), sheet.height() / image.height())
                target = QRectF(0, 0, image.width() * scale, image.height() * scale)
                target.moveCenter(sheet.center())
                painter.drawImage(target, image)
                printed += 1
                progress.setValue(n + 1)
        finally:
            painter.end()
            progress.close()
        return printed
    finally:
        for document in documents:
            document.close()


def new_printer() -> QPrinter:
    """A printer with the default printer and paper of 设置 preselected."""
    printer = apply_print_settings(QPrinter(QPrinter.PrinterMode.HighResolution))
    printer.setFullPage(True)  # the PDF page has its own margins: it is drawn over the whole sheet
    return printer


def print_with_dialog(parent: QWidget | None, paths: Sequence[Path | str], printer: QPrinter | None = None) -> int:
    """The system print dialog, then the pages; returns the pages printed (0: not printed)."""
    printer = printer or new_printer()
    total = 0
    for path in paths:
        document = load_document(path)
        total += len(document)
        document.close()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("打印"))
    dialog.setMinMax(1, max(total, 1))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 0
    return paint_documents(printer, paths, parent)


class PdfPreviewDialog(QDialog):
    """Pages one at a time; zoom in / out / fit width; 打印… and 另存为… the file shown."""

    help_topic = "acceptances"

    def __init__(self, pdf_path: Path | str, parent: QWidget | None = None, *, title: str = "") -> None:
        super().__init__(parent)
        self.path = Path(pdf_path)
        self.document = load_document(self.path)
        self.page = 0
        self.zoom = 1.0
        self.fit_width = True
        self.printer: QPrinter | None = None
        self._closed = False
        self.setWindowTitle(title or _("预览 — {name}").format(name=self.path.name))

        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("background: #ffffff; border: 1px solid #bbbbbb;")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll.setStyleSheet("QScrollArea { background: #7f7f7f; }")
        self.scroll.viewport().setStyleSheet("background: #7f7f7f;")

        self.previous_button = QPushButton(_("上一页"))
        self.next_button = QPushButton(_("下一页"))
        self.page_label = QLabel()
        self.zoom_out_button = QPushButton(_("缩小"))
        self.zoom_in_button = QPushButton(_("放大"))
        self.fit_button = QPushButton(_("适合宽度"))
        self.zoom_label = QLabel()
        self.print_button = QPushButton(_("打印…"))
        self.save_button = QPushButton(_("另存为…"))
        self.close_button = QPushButton(_("关闭"))
        self.previous_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(1))
        self.fit_button.clicked.connect(self.fit)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        bar = QHBoxLayout()
        for widget in (self.previous_button, self.page_label, self.next_button, self.zoom_out_button, self.zoom_label,
                       self.zoom_in_button, self.fit_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(button)
            button.setAutoDefault(False)
        for keys, slot in (("Ctrl++", lambda: self.step_zoom(1)), ("Ctrl+=", lambda: self.step_zoom(1)),
                           ("Ctrl+-", lambda: self.step_zoom(-1)), ("Ctrl+0", self.fit),
                           ("PgDown", lambda: self.show_page(self.page + 1)),
                           ("PgUp", lambda: self.show_page(self.page - 1)),
                           ("Ctrl+P", self.print_document), ("Ctrl+S", self.save_as)):
            QShortcut(QKeySequence(keys), self, activated=slot)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        screen = QApplication.primaryScreen()
        height = int(screen.availableGeometry().height() * 0.9) if screen else 900
        self.resize(820, max(600, min(height, 1100)))
        self.show_page(0)

    @property
    def page_count(self) -> int:
        return len(self.document)

    def _fit_zoom(self) -> float:
        width_points = self.document.get_page_size(self.page)[0]
        room = self.scroll.viewport().width() - 24
        return max(ZOOMS[0], room / (width_points * POINTS_TO_PIXELS)) if width_points else 1.0

    def show_page(self, page: int) -> None:
        if self._closed or not 0 <= page < self.page_count:
            return
        self.page = page
        if self.fit_width:
            self.zoom = self._fit_zoom()
        ratio = self.devicePixelRatioF()
        image = render_page(self.document, page, self.zoom * POINTS_TO_PIXELS * ratio)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.image.setPixmap(pixmap)
        self.image.resize(pixmap.deviceIndependentSize().toSize())
        self.page_label.setText(_("第 {n} / {total} 页").format(n=page + 1, total=self.page_count))
        self.zoom_label.setText(f"{self.zoom:.0%}")
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < self.page_count)
        self.zoom_out_button.setEnabled(self.zoom > ZOOMS[0] + 1e-6)
        self.zoom_in_button.setEnabled(self.zoom < ZOOMS[-1] - 1e-6)

    def step_zoom(self, step: int) -> None:
        self.fit_width = False
        if step > 0:
            self.zoom = next((z for z in ZOOMS if z > self.zoom + 1e-6), ZOOMS[-1])
        else:
            self.zoom = next((z for z in reversed(ZOOMS) if z < self.zoom - 1e-6), ZOOMS[0])
        self.show_page(self.page)

    def fit(self) -> None:
        self.fit_width = True
        self.show_page(self.page)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.fit_width:
            self.show_page(self.page)

    def print_document(self) -> int:
        self.printer = self.printer or new_printer()
        return print_with_dialog(self, [self.path], self.printer)

    def save_as(self) -> Path | None:
        target = ask_pdf_path(self, _("另存为 PDF"), self.path.name)
        if target is None:
            return None
        if target.resolve() != self.path.resolve():
            shutil.copyfile(self.path, target)
        return target

    def done(self, result: int) -> None:
        if not self._closed:
            self._closed = True
            self.document.close()
        super().done(result)
