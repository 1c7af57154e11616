"""The user guide window (F1, 帮助 > 用户指南): a page list beside the rendered Markdown.

Offline: ``QTextBrowser`` renders the Markdown itself and finds the screenshots by their
relative paths (``../screenshots/x.png``) from the page's file; links between pages
open in the same window. Pictures wider than the reading column are shown scaled down.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QImageReader, QKeySequence, QShortcut, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import (QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTextBrowser,
                               QVBoxLayout, QWidget)

from app.errors import AppError
from app.i18n import _
from app.ui.errors import show_error
from app.ui.help import guide_pages
from app.ui.help.guide_pages import GuidePage

#: the widest a screenshot is drawn in the reading column, in pixels
MAX_IMAGE_WIDTH = 760
PAGE_ROLE = Qt.ItemDataRole.UserRole


class GuideBrowser(QTextBrowser):
    """Reads guide pages through ``guide_pages.display_text`` (comments out, Chinese lines joined)."""

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt's name
        if kind == QTextDocument.ResourceType.MarkdownResource.value and url.isLocalFile():
            try:
                return guide_pages.display_text(Path(url.toLocalFile()).read_text(encoding="utf-8"))
            except OSError:
                pass
        return super().loadResource(kind, url)


class HelpWindow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_("用户指南 — 档案现场工作包"))
        self.setObjectName("help_window")
        self.pages: list[GuidePage] = []
        self.page_list = QListWidget(self)
        self.page_list.setObjectName("guide_pages")
        self.browser = GuideBrowser(self)
        self.browser.setObjectName("guide_browser")
        self.browser.setOpenExternalLinks(True)
        self.back_button = QPushButton(_("后退"), self)
        self.forward_button = QPushButton(_("前进"), self)
        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self, self.browser.backward)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Forward), self, self.browser.forward)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.forward_button)
        buttons.addStretch(1)
        reader = QWidget(self)
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addLayout(buttons)
        reader_layout.addWidget(self.browser)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.page_list)
        splitter.addWidget(reader)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 860])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1100, 760)

        self.page_list.currentItemChanged.connect(self._page_chosen)
        self.browser.sourceChanged.connect(self._source_changed)
        self.load_pages()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(1100, 760)

    def load_pages(self) -> None:
        try:
            self.pages = guide_pages.pages()
        except AppError as exc:  # a broken install: say so instead of an empty window
            self.pages = []
            show_error(self, exc)
        self.page_list.blockSignals(True)
        self.page_list.clear()
        for page in self.pages:
            item = QListWidgetItem(page.title, self.page_list)
            item.setData(PAGE_ROLE, page.key)
        self.page_list.blockSignals(False)

    # -- navigation ------------------------------------------------------------------
    def show_topic(self, topic: str | None = None) -> GuidePage | None:
        """Open the page that explains ``topic`` (a module key), else the guide's first page."""
        page = guide_pages.page_for_topic(topic, self.pages)
        if page is not None:
            self.show_page(page.key)
        return page

    def show_page(self, key: str) -> None:
        page = next((p for p in self.pages if p.key == key), None)
        if page is None:
            return
        source = QUrl.fromLocalFile(str(page.path))
        if self.browser.source() != source:
            self.browser.setSource(source, QTextDocument.ResourceType.MarkdownResource)
        else:
            self._select(page.key)

    def current_key(self) -> str | None:
        item = self.page_list.currentItem()
        return item.data(PAGE_ROLE) if item is not None else None

    def _page_chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.show_page(item.data(PAGE_ROLE))

    def _source_changed(self, url: QUrl) -> None:
        self._fit_images(Path(url.toLocalFile()).parent)
        self._select(Path(url.toLocalFile()).stem)

    def _select(self, key: str) -> None:
        for row in range(self.page_list.count()):
            if self.page_list.item(row).data(PAGE_ROLE) == key:
                self.page_list.blockSignals(True)
                self.page_list.setCurrentRow(row)
                self.page_list.blockSignals(False)
                return

    def _fit_images(self, folder: Path) -> None:
        """Give every picture wider than the column a scaled width (Markdown has no sizes)."""
        document = self.browser.document()
        wide: list[tuple[int, int, QTextImageFormat]] = []
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.charFormat().isImageFormat():
                    image = fragment.charFormat().toImageFormat()
                    size = QImageReader(str(folder / image.name())).size()
                    if size.isValid() and size.width() > MAX_IMAGE_WIDTH:
                        image.setWidth(MAX_IMAGE_WIDTH)
                        image.setHeight(size.height() * MAX_IMAGE_WIDTH / size.width())
                        wide.append((fragment.position(), fragment.length(), image))
                it += 1
            block = block.next()
        cursor = QTextCursor(document)
        for position, length, image in wide:  # after the walk: formatting may merge fragments
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image)
        self.browser.document().setModified(False)
