"""A strip of attachment thumbnails under a record: add, open with the system viewer, delete.

The list comes from one quick query; thumbnails and the file checks (a re-hash) arrive
from quiet background jobs, so a dialog with twenty photos opens at once and fills in.
A missing or altered file carries a red badge and says why in its tooltip. A record of
the official record (an issued notice, a concluded acceptance) takes new files; removing
one asks for the reason, which the service keeps in the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QMimeDatabase,
    QModelIndex,
    QSettings,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QIcon,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.services import attachments
from app.services.attachments import AttachmentInfo
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.worker import Task, run_task

log = logging.getLogger(__name__)

THUMB = 96
#: above this many bytes, adding or opening runs on the worker with a progress dialog
INLINE_LIMIT = 8 * 1024 * 1024
_LAST_FOLDER = "attachments/last_folder"
_FILTERS = (N_("图片和扫描件 (*.jpg *.jpeg *.png *.gif *.bmp *.webp *.tif *.tiff *.pdf)"), N_("所有文件 (*)"))
_BAD = frozenset({attachments.MISSING, attachments.ALTERED})
_RED = QColor("#c62828")
_ENTER_KEYS = (int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter))

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)

#: thumbnails by content hash (or source path while pending): content-addressed, so never stale
_thumbs: dict[str, QImage] = {}
_THUMB_CACHE_LIMIT = 600


def load_thumbnail(path: Path) -> QImage | None:
    """Decode at thumbnail size (a JPEG decoder then skips most of the work); thread-safe."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # phone photos are stored sideways with an EXIF rotation
    size = reader.size()
    if size.isValid() and (size.width() > THUMB or size.height() > THUMB):
        reader.setScaledSize(size.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    if image.width() > THUMB or image.height() > THUMB:
        image = image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


@dataclass
class _Item:
    info: AttachmentInfo | None  # None while pending: chosen before the record was saved
    source: Path | None = None
    status: str = ""
    icon: QIcon | None = None

    @property
    def filename(self) -> str:
        return self.info.filename if self.info else self.source.name

    @property
    def key(self) -> str:
        return self.info.sha256 if self.info else str(self.source)

    @property
    def is_image(self) -> bool:
        return self.info.is_image if self.info else self.source.suffix.lower() in attachments.IMAGE_SUFFIXES


class AttachmentListModel(QAbstractListModel):
    InfoRole = int(Qt.ItemDataRole.UserRole) + 1
    StatusRole = int(Qt.ItemDataRole.UserRole) + 2

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[_Item] = []
        #: name each file's role above its name (where the owner offers a choice of roles)
        self.show_roles = False

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def set_items(self, items: list[_Item]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def item(self, row: int) -> _Item | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def update(self, statuses: dict[str, str], thumbnails: frozenset[str] = frozenset()) -> None:
        """New statuses (by uid) or new thumbnails (by key): redraw only the rows concerned."""
        for row, item in enumerate(self.items):
            status = statuses.get(item.info.uid, item.status) if item.info else item.status
            if status != item.status or item.key in thumbnails:
                item.status, item.icon = status, None
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == _DISPLAY:
            if self.show_roles and item.info is not None:
                return f"{item.info.role_label}\n{item.filename}"
            return item.filename
        if role == _DECORATION:
            if item.icon is None:
                item.icon = _icon_for(item)
            return item.icon
        if role == _TOOLTIP:
            return _tooltip(item)
        if role == _FOREGROUND and item.status in _BAD:
            return _RED
        if role == self.InfoRole:
            return item.info
        if role == self.StatusRole:
            return item.status
        return None


def _tooltip(item: _Item) -> str:
    lines = [item.filename]
    if item.info is None:
        lines.append(_("尚未保存：保存记录时一并添加"))
    else:
        lines.append(_("{role}，{size} KB").format(role=item.info.role_label, size=max(1, item.info.size // 1024)))
        if item.info.caption:
            lines.append(item.info.caption)
        if item.status in _BAD:
            lines.append("⚠ " + _(attachments.STATUS_MESSAGES[item.status]))
    return "\n".join(lines)


def _file_icon(filename: str) -> QIcon:
    mime = QMimeDatabase().mimeTypeForFile(filename, QMimeDatabase.MatchMode.MatchExtension)
    fallback = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    return QIcon.fromTheme(mime.iconName(), QIcon.fromTheme(mime.genericIconName(), fallback))


def _icon_for(item: _Item) -> QIcon:
    canvas = QPixmap(THUMB, THUMB)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    image = _thumbs.get(item.key)
    if image is not None:
        painter.drawImage((THUMB - image.width()) // 2, (THUMB - image.height()) // 2, image)
    else:
        painter.drawPixmap((THUMB - 64) // 2, (THUMB - 64) // 2, _file_icon(item.filename).pixmap(64, 64))
    if item.status in _BAD:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_RED)
        painter.drawEllipse(THUMB - 30, 2, 28, 28)
        painter.setPen(Qt.GlobalColor.white)
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(20)
        painter.setFont(font)
        painter.drawText(THUMB - 30, 2, 28, 28, Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    return QIcon(canvas)


class AttachmentStrip(QWidget):
    """Attachments of one record. ``changed`` is emitted after files are added or deleted.

    Without an owner (a record not saved yet) chosen files wait as pending items; the
    dialog calls ``set_owner(uid)`` after its first save and they are attached then.
    ``role`` None lets the service guess per file (photo, scan, other). ``roles`` offers a
    choice (a combo box beside the buttons) among roles that fit the owner, the first preselected.
    """

    changed = Signal()

    def __init__(self, ws: Workspace, owner_entity: str, owner_uid: str | None = None, parent: QWidget | None = None,
                 *, role: str | None = None, roles: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.ws, self.owner_entity, self.owner_uid, self.role = ws, owner_entity, owner_uid, role
        self.role_combo: QComboBox | None = None
        if roles:
            self.role_combo = QComboBox()
            for code in roles:
                self.role_combo.addItem(_(attachments.ROLES.get(code, code)), code)
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(role), 0))
            self.role_combo.setToolTip(_("新添加的文件归入此类别"))
        #: background loaders (cancelled by a refresh) and the user's own jobs (never cancelled by one)
        self._loaders: list[Task] = []
        self._jobs: list[Task] = []
        self.model = AttachmentListModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.model.show_roles = bool(roles)
        self.view.setGridSize(QSize(THUMB + 24, THUMB + (48 if roles else 30)))
        self.view.setUniformItemSizes(True)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setMinimumHeight(THUMB + (58 if roles else 40))
        self.view.activated.connect(self.open_index)  # double-click (Enter: see eventFilter)
        self.view.installEventFilter(self)
        self.add_action = QAction(_("添加附件…"), self)
        self.open_action = QAction(_("打开"), self)
        self.remove_action = QAction(_("删除"), self)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.add_action.triggered.connect(self.add_files)
        self.open_action.triggered.connect(lambda: self.open_index(self.view.currentIndex()))
        self.remove_action.triggered.connect(self.remove_current)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.addActions([self.add_action, self.open_action, self.remove_action])
        buttons = QHBoxLayout()
        if self.role_combo is not None:
            buttons.addWidget(QLabel(_("类别：")))
            buttons.addWidget(self.role_combo)
        for action in (self.add_action, self.open_action, self.remove_action):
            button = QPushButton(action.text())
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.refresh()

    def eventFilter(self, watched, event) -> bool:
        # QListView passes Enter on after opening, so a dialog would also take it as "save"
        if watched is self.view and event.type() == QEvent.Type.KeyPress and event.key() in _ENTER_KEYS:
            self.open_index(self.view.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def refresh(self) -> None:
        """Reload the list (one query), then fetch thumbnails and check files in the background."""
        for task in self._loaders:
            task.token.cancel()
        self._loaders.clear()
        pending = [i for i in self.model.items if i.info is None]
        stored = attachments.list_for(self.ws, self.owner_entity, self.owner_uid) if self.owner_uid else []
        self.model.set_items([_Item(info) for info in stored] + pending)
        wanted = {i.key: (attachments.path_of(self.ws, i.info) if i.info else i.source)
                  for i in self.model.items if i.is_image and i.key not in _thumbs}
        if wanted:
            self._start(_("正在读取缩略图"), _map_work(wanted, load_thumbnail), self._thumbnails_ready)
        if stored:
            ws = self.ws
            self._start(_("正在检查附件"), _map_work({i.uid: i for i in stored}, lambda i: attachments.check(ws, i)),
                        self.model.update)

    def _start(self, title: str, work, on_done) -> None:
        self._loaders.append(run_task(self, title, work, on_done=on_done, quiet=True))

    def _thumbnails_ready(self, images: dict[str, QImage]) -> None:
        while len(_thumbs) + len(images) > _THUMB_CACHE_LIMIT and _thumbs:
            del _thumbs[next(iter(_thumbs))]  # the oldest first
        _thumbs.update(images)
        self.model.update({}, frozenset(images))

    def set_owner(self, owner_uid: str) -> None:
        """The record now exists: attach the files chosen while it was new."""
        self.owner_uid = owner_uid
        pending = self.pending_files()
        if pending:
            self._attach(pending)
        else:
            self.refresh()

    def pending_files(self) -> list[Path]:
        return [i.source for i in self.model.items if i.info is None]

    def add_files(self) -> None:
        folder = QSettings().value(_LAST_FOLDER, str(Path.home()))
        chosen, _selected = QFileDialog.getOpenFileNames(self, _("添加附件"), str(folder),
                                                         ";;".join(_(f) for f in _FILTERS))
        if not chosen:
            return
        paths = [Path(c) for c in chosen]
        QSettings().setValue(_LAST_FOLDER, str(paths[0].parent))
        if self.owner_uid is None:
            known = {i.source for i in self.model.items}
            self.model.set_items(self.model.items + [_Item(None, p) for p in paths if p not in known])
            self.refresh()
            self.changed.emit()
            return
        self._attach(paths)

    def current_role(self) -> str | None:
        """The role new files get: the one chosen, else the fixed one (None: guessed per file)."""
        return self.role_combo.currentData() if self.role_combo is not None else self.role

    def _attach(self, paths: list[Path]) -> None:
        ws, entity, owner, role = self.ws, self.owner_entity, self.owner_uid, self.current_role()

        def work(cancel: CancelToken, progress: ProgressSink) -> list[AttachmentInfo]:
            return attachments.attach_many(ws, owner_entity=entity, owner_uid=owner, sources=paths, role=role,
                                           cancel=cancel, progress=progress)

        self._run(_("正在添加附件"), work, self._attached, len(paths) > 1 or _total_size(paths) > INLINE_LIMIT)

    def _attached(self, _result: object = None) -> None:
        self.model.set_items([i for i in self.model.items if i.info is not None])  # pending ones are in now
        self.refresh()
        self.changed.emit()

    def _run(self, title: str, work, on_done, in_background: bool) -> None:
        """Small jobs run inline (no flicker of a progress dialog); big ones on the worker."""
        if in_background:
            self._jobs = [t for t in self._jobs if t.running]
            self._jobs.append(run_task(self, title, work, on_done=on_done))
            return
        try:
            result = work(CancelToken(), no_progress)
        except Exception as exc:  # noqa: BLE001 - the one presenter explains it
            show_error(self, exc, title=title)
            return
        on_done(result)

    def open_index(self, index: QModelIndex) -> None:
        item = self.model.item(index.row()) if index.isValid() else None
        if item is None:
            return
        if item.info is None:
            self._open_path(item.source)
            return
        ws, info = self.ws, item.info
        self._run(_("正在打开附件"), lambda cancel, progress: attachments.viewing_copy(ws, info), self._open_path,
                  info.size > INLINE_LIMIT)

    def _open_path(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(self, _("无法打开附件"), _("没有可以打开“{name}”的程序。").format(name=path.name))

    def remove_current(self) -> None:
        row = self.view.currentIndex().row()
        item = self.model.item(row)
        if item is None:
            return
        if item.info is None:
            self.model.set_items([i for i in self.model.items if i is not item])
            self.changed.emit()
            return
        sealed = attachments.sealed_reason(self.ws, self.owner_entity, self.owner_uid)
        reason = ""
        if sealed:
            reason, ok = QInputDialog.getText(
                self, _("删除附件"), _("{why}。删除附件“{name}”须说明原因（记入变更历史，文件本身仍保留）：").format(
                    why=sealed, name=item.filename))
            if not ok:
                return
        else:
            answer = QMessageBox.question(
                self, _("删除附件"), _("删除附件“{name}”？").format(name=item.filename),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            attachments.remove(self.ws, item.info.uid, expected_rev=item.info.rev, reason=reason)
        except Exception as exc:  # noqa: BLE001 - the one presenter explains it
            show_error(self, exc, title=_("删除附件"))
            self.refresh()
            return
        self.refresh()
        self.changed.emit()


def _total_size(paths: list[Path]) -> int:
    try:
        return sum(p.stat().st_size for p in paths)
    except OSError:
        return 0  # the service reports the missing file by name


def _map_work(inputs: dict, fn):
    """A worker job computing ``fn(value)`` per key (None results left out), cancellable between items."""
    def work(cancel: CancelToken, progress: ProgressSink) -> dict:
        results = {}
        for n, (key, value) in enumerate(inputs.items()):
            cancel.check()
            progress(n, len(inputs), "")
            try:
                result = fn(value)
            except Exception:  # a quiet loader shows no error; the item keeps its placeholder
                log.warning("attachment loader failed for %s", key, exc_info=True)
                continue
            if result is not None:
                results[key] = result
        return results
    return work
