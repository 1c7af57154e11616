"""节点与数据包: the nodes this installation trusts, their keys, and the last package from each.

On the city this is the overview of the nine counties: who is enrolled, since when, and
what arrived from each and when. Enrolment is done by a person comparing fingerprints
read out over the phone; the page never enrols without that confirmation.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.i18n import N_, _
from app.services import enrolment, sync_overview
from app.services.enrolment import NodeIdentity
from app.services.sync_overview import NODE_STATUSES, NodeRow
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.item_views import read_only_rows
from app.ui.sync.widgets import fingerprint_label, monospace_font

# Cached role ints: comparing enums in data() costs half of each repaint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)

COLUMNS = (N_("县（区）"), N_("节点代码"), N_("密钥指纹"), N_("登记时间"), N_("状态"),
           N_("最近收到的包"), N_("收到时间"), N_("记录数"))
COL_DIVISION, COL_CODE, COL_FINGERPRINT, COL_ENROLLED, COL_STATUS, COL_SEQUENCE, COL_RECEIVED, COL_RECORDS = range(8)
#: widths in Chinese characters (the fingerprint is sized by its font)
WIDTHS = {COL_DIVISION: 8, COL_CODE: 7, COL_ENROLLED: 9, COL_STATUS: 4, COL_SEQUENCE: 6, COL_RECEIVED: 9,
          COL_RECORDS: 5}
_STATUS_COLORS = {"local": QColor("#1d5fa8"), "revoked": QColor("#c0282d")}
_QUIET = QColor("#8a8a8a")
SETTINGS_FOLDER = "sync/identity_folder"
IDENTITY_FILTER = N_("节点身份文件 (*.json)")


class NodesModel(QAbstractTableModel):
    UID_ROLE = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = [_(h) for h in COLUMNS]
        self.rows: list[NodeRow] = []
        self._mono = monospace_font()

    def set_rows(self, rows: list[NodeRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self.rows) or not 0 <= column < len(COLUMNS):
            return None
        node = self.rows[row]
        if role == _DISPLAY:
            return self._text(node, column)
        if role == self.UID_ROLE:
            return node.uid
        if role == _TOOLTIP:
            return self._tooltip(node, column)
        if role == _FONT and column == COL_FINGERPRINT:
            return self._mono
        if role == _ALIGN and column in (COL_SEQUENCE, COL_RECORDS):
            return _RIGHT
        if role == _ALIGN and column == COL_STATUS:
            return _CENTER
        if role == _FOREGROUND:
            if column == COL_STATUS:
                return _STATUS_COLORS.get(node.status)
            if node.status == "revoked" or (column >= COL_SEQUENCE and node.last_sequence is None):
                return _QUIET
        return None

    @staticmethod
    def _text(node: NodeRow, column: int) -> str:
        if column == COL_DIVISION:
            return node.division
        if column == COL_CODE:
            return node.code
        if column == COL_FINGERPRINT:
            return node.fingerprint or _("（导出身份时生成）")
        if column == COL_ENROLLED:
            return sync_overview.local_time_text(node.enrolled_at)
        if column == COL_STATUS:
            return _(NODE_STATUSES.get(node.status, node.status))
        if node.status == "local":
            return ""  # nothing is received from oneself
        if node.last_sequence is None:
            return _("尚未收到") if column == COL_SEQUENCE else ""
        if column == COL_SEQUENCE:
            return _("第 {n} 号").format(n=node.last_sequence)
        if column == COL_RECEIVED:
            return sync_overview.local_time_text(node.last_received_at)
        if column == COL_RECORDS:
            return f"{node.last_records:,}"
        return ""

    @staticmethod
    def _tooltip(node: NodeRow, column: int) -> str | None:
        if column == COL_STATUS and node.status == "revoked":
            return _("{at} 吊销：{reason}").format(at=sync_overview.local_time_text(node.revoked_at),
                                                 reason=node.revoked_reason)
        if column == COL_RECORDS and node.last_counts:
            return "\n".join(_("{label}：{n}").format(label=sync_overview.entity_label(e), n=f"{n:,}")
                             for e, n in sorted(node.last_counts.items(), key=lambda item: -item[1]))
        if column in (COL_SEQUENCE, COL_RECEIVED) and node.last_sequence is not None:
            return _("生成于 {made}；至今共收到 {n} 个包").format(
                made=sync_overview.local_time_text(node.last_created_at), n=node.packages_received)
        if column == COL_FINGERPRINT and node.fingerprint:
            return node.fingerprint
        return None


class FingerprintDialog(QDialog):
    """This node's identity, its fingerprint big enough to read out group by group on the phone."""

    help_topic = "nodes"

    def __init__(self, identity: NodeIdentity, saved_to: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.identity = identity
        self.setWindowTitle(_("本机节点身份"))
        self.setMinimumWidth(640)
        form = QFormLayout()
        form.addRow(_("县（区）："), QLabel(identity.division_name))
        form.addRow(_("节点代码："), QLabel(identity.node_code))
        if saved_to is not None:
            path = QLabel(str(saved_to))
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(_("身份文件："), path)
        intro = QLabel(_("请把身份文件交给对方（U 盘或电子邮件），再打电话逐组读出下面的指纹，"
                         "请对方与其屏幕上显示的指纹逐组核对。"))
        intro.setWordWrap(True)
        self.fingerprint = fingerprint_label(identity.fingerprint, self)
        warn = QLabel(_("指纹只能通过电话或当面核对，不要只靠随文件一起传来的文字。"))
        warn.setWordWrap(True)
        warn.setStyleSheet("color: #8a5a00;")
        buttons = QDialogButtonBox(self)
        copy = buttons.addButton(_("复制指纹"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(_("关闭"), QDialogButtonBox.ButtonRole.RejectRole).setDefault(True)
        copy.setAutoDefault(False)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(identity.fingerprint))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(intro)
        layout.addWidget(self.fingerprint)
        layout.addWidget(warn)
        layout.addWidget(buttons)


class EnrolDialog(QDialog):
    """Shows the fingerprint of an identity file; 登记 is enabled only once the person ticks
    that it matches what the other side read out. Accepting enrols nothing by itself."""

    help_topic = "nodes"

    def __init__(self, identity: NodeIdentity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.identity = identity
        self.setWindowTitle(_("登记节点 — {division}").format(division=identity.division_name))
        self.setMinimumWidth(640)
        form = QFormLayout()
        form.addRow(_("县（区）："), QLabel(identity.division_name))
        form.addRow(_("节点代码："), QLabel(identity.node_code))
        intro = QLabel(_("请打电话给{division}，请对方打开“节点与数据包 > 导出本机身份…”，逐组读出其屏幕上的指纹，"
                         "与下面逐组核对：").format(division=identity.division_name))
        intro.setWordWrap(True)
        self.fingerprint = fingerprint_label(identity.fingerprint, self)
        warn = QLabel(_("只要有一组不同，就说明文件在传递中被替换或改动：请不要登记，请对方重新导出身份文件。"))
        warn.setWordWrap(True)
        warn.setStyleSheet("color: #c0282d;")
        self.confirm = QCheckBox(_("对方读出的指纹与上面逐组一致"), self)
        buttons = QDialogButtonBox(self)
        self.enrol_button = buttons.addButton(_("登记"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.enrol_button.setEnabled(False)
        self.confirm.toggled.connect(self.enrol_button.setEnabled)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(intro)
        layout.addWidget(self.fingerprint)
        layout.addWidget(warn)
        layout.addWidget(self.confirm)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.confirm.isChecked():
            super().accept()


class NodesPage(QWidget):
    """Nodes and their last package; ``changed`` after a node was enrolled or revoked."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.model = NodesModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # no stretched last column: a count pushed to the far right loses its row
        header.setStretchLastSection(False)
        em = self.table.fontInfo().pixelSize()
        for column, chars in WIDTHS.items():
            header.resizeSection(column, chars * em + 16)
        header.resizeSection(COL_FINGERPRINT, QFontMetrics(monospace_font()).horizontalAdvance("0000-" * 7 + "0000") + 24)
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet("color: #8a5a00;")

        self.export_button = QPushButton(_("导出本机身份…"))
        self.export_button.setToolTip(_("保存本机公钥的身份文件，并显示指纹供电话核对"))
        self.enrol_button = QPushButton(_("登记节点…"))
        self.enrol_button.setToolTip(_("读入对方的身份文件，电话核对指纹后登记"))
        self.revoke_button = QPushButton(_("吊销…"))
        self.revoke_button.setToolTip(_("吊销选中节点的密钥：之后由它签名的数据包都将被拒绝"))
        self.export_button.clicked.connect(self.export_identity)
        self.enrol_button.clicked.connect(self.enrol_node)
        self.revoke_button.clicked.connect(self.revoke_selected)
        buttons = QHBoxLayout()
        for button in (self.export_button, self.enrol_button, self.revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.waiting)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        self.refresh()

    def refresh(self) -> None:
        keep = self.current_node()
        self.model.set_rows(sync_overview.node_rows(self.ws))
        if sync_overview.local_is_city(self.ws):
            missing = sync_overview.unenrolled_divisions(self.ws)
            self.waiting.setText(_("尚未登记节点的县（区）：{names}").format(names="、".join(missing)) if missing else "")
        self.waiting.setVisible(bool(self.waiting.text()))
        if keep is not None:
            self.select_node(keep.uid)
        self._update_buttons()

    def current_node(self) -> NodeRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def select_node(self, uid: str) -> None:
        for row, node in enumerate(self.model.rows):
            if node.uid == uid:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        node = self.current_node()
        self.revoke_button.setEnabled(node is not None and node.status == "enrolled")

    # -- actions -----------------------------------------------------------------
    def export_identity(self) -> FingerprintDialog | None:
        """Save this node's identity file, then show the fingerprint to read out."""
        try:
            identity = enrolment.local_identity(self.ws)
        except AppError as exc:
            show_error(self, exc)
            return None
        folder = str(QSettings().value(SETTINGS_FOLDER, str(Path.home())) or Path.home())
        name = _("{division}-节点身份-{code}.json").format(division=identity.division_name, code=identity.node_code)
        chosen, _selected = QFileDialog.getSaveFileName(self, _("导出本机身份"), str(Path(folder) / name),
                                                        _(IDENTITY_FILTER))
        if not chosen:
            return None
        path = Path(chosen) if chosen.lower().endswith(".json") else Path(chosen + ".json")
        QSettings().setValue(SETTINGS_FOLDER, str(path.parent))
        try:
            enrolment.export_identity(self.ws, path)
        except (AppError, OSError) as exc:
            show_error(self, exc if isinstance(exc, AppError) else AppError(
                _("无法保存身份文件 {path}：{error}").format(path=path, error=exc)))
            return None
        self.refresh()  # the key may have been made just now
        dialog = FingerprintDialog(identity, path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def enrol_node(self) -> bool:
        """Read an identity file, have the person confirm the fingerprint, then enrol it."""
        folder = str(QSettings().value(SETTINGS_FOLDER, str(Path.home())) or Path.home())
        chosen, _selected = QFileDialog.getOpenFileName(self, _("登记节点"), folder, _(IDENTITY_FILTER))
        if not chosen:
            return False
        QSettings().setValue(SETTINGS_FOLDER, str(Path(chosen).parent))
        try:
            identity = enrolment.read_identity(Path(chosen))
        except AppError as exc:
            show_error(self, exc, title=_("登记节点"))
            return False
        dialog = EnrolDialog(identity, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        try:
            enrolment.enrol(self.ws, identity)
        except AppError as exc:
            show_error(self, exc, title=_("登记节点"))
            return False
        self.refresh()
        self.select_node(identity.node_uid)
        self.changed.emit()
        QMessageBox.information(self, _("登记节点"), _("已登记{division}的节点 {code}，密钥指纹 {fp}。").format(
            division=identity.division_name, code=identity.node_code, fp=identity.fingerprint))
        return True

    def revoke_selected(self) -> bool:
        node = self.current_node()
        if node is None or node.status != "enrolled":
            return False
        reason, ok = QInputDialog.getText(self, _("吊销节点密钥"), _(
            "吊销{division}（节点 {code}）的密钥后，本机将拒绝由这把密钥签名的数据包。\n"
            "对方换了新电脑或密钥可能泄露时才需要吊销。\n\n吊销原因：").format(division=node.division, code=node.code))
        if not ok:
            return False
        if not reason.strip():
            QMessageBox.warning(self, _("吊销节点密钥"), _("请填写吊销原因：它会留在记录里，供以后查证。"))
            return False
        try:
            enrolment.revoke(self.ws, node.uid, reason.strip())
        except AppError as exc:
            show_error(self, exc, title=_("吊销节点密钥"))
            return False
        self.refresh()
        self.changed.emit()
        return True

