"""The printer and paper chosen in 设置, applied to every printer the print paths make."""

from __future__ import annotations

from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.services import settings as app_settings


def available_printers() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def page_size(name: str) -> QPageSize:
    """A paper name of the settings (``PAPER_SIZES``) as Qt's page size; A4 when unknown."""
    return QPageSize(getattr(QPageSize.PageSizeId, name, QPageSize.PageSizeId.A4))


def apply_print_settings(printer: QPrinter, settings: app_settings.Settings | None = None) -> QPrinter:
    """Preselect the default printer (when it is connected) and the paper; the print dialog
    still lets the person change both for one job."""
    settings = settings or app_settings.load()
    if settings.printer and settings.printer in available_printers():
        printer.setPrinterName(settings.printer)
    # after the printer: choosing a printer resets the page size to that printer's default
    printer.setPageSize(page_size(settings.paper_size))
    return printer
