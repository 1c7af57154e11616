"""New / edit a draft notice (通报) and its opinions; an issued notice opens read-only.

The signed and sealed scan of the notice is attached below the opinions. Attachments are
records of their own, so an issued notice still takes its scan (made after issue) while
its text stays as issued; removing a file from it asks for a reason.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.i18n import _
from app.models import NOTICE_STATUSES
from app.services import attachments, divisions, notices
from app.services.notices import LABELS, NoticeDetail
from app.services.workspace import Workspace
from app.ui.attachments_strip import AttachmentStrip
from app.ui.date_field import DateField
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors
from app.ui.item_views import commit_open_editor, size_columns
from app.ui.notices.opinions_model import (
    DIVISION,
    PROBLEMS,
    SEQ,
    TEXT,
    DivisionDelegate,
    OpinionsModel,
    TextDelegate,
)
from app.ui.notices.problem_picker import ProblemPicker

_ERROR_STYLE = "color: #c62828;"


class NoticeDialog(QDialog):
    """``saved`` holds the stored ``NoticeDetail`` once the dialog was accepted."""

    help_topic = "notices"

    def __init__(self, ws: Workspace, uid: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.uid = uid
        self.saved: NoticeDetail | None = None
        self.detail = notices.get(ws, uid) if uid else None
        self.read_only = self.detail is not None and not self.detail.editable
        self.errors = FormErrors()
        self._divisions = [(d.uid, d.name) for d in divisions.list_divisions(ws, include_city=False)]
        if self.detail is None:
            self.setWindowTitle(_("新建通报"))
        elif self.read_only:
            self.setWindowTitle(_("查看通报 — {number}").format(number=self.detail.number))
        else:
            self.setWindowTitle(_("编辑通报 — {number}").format(number=self.detail.number))
        self._build()
        if self.detail is not None:
            self._fill(self.detail.form_values())
            self.opinions.load(self.detail.items)
        else:
            self._fill(notices.defaults(ws))
        self._fit_rows()
        if self.read_only:
            self._lock()
        elif self.detail is not None and self.detail.supersedes_number:
            self.banner.setText(_("本稿是通报 {number} 的更正稿。印发后，原通报标记为“已更正”，两份都保留在记录中。").format(
                number=self.detail.supersedes_number))
            self.banner.show()
        self.number.setFocus()

    # -- layout ----------------------------------------------------------------
    def _slot(self, key: str, editor: QWidget) -> FieldSlot:
        return self.errors.add(key, FieldSlot(editor, self))

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4e5; border: 1px solid #f0c36d; padding: 6px;")
        self.banner.hide()
        self.number = QLineEdit()
        self.number.setPlaceholderText(_("如 雅重建委〔2016〕3号，年份也可用 [ ] 括起"))
        self.title_edit = QLineEdit()
        self.issue_date = DateField()
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText(_("联合发文时用顿号分隔，如 雅安市芦山地震灾后恢复重建委员会、雅安市档案局"))
        self.recipients = QLineEdit()
        self.recipients.setPlaceholderText(_("如 各县（区）灾后恢复重建委员会、档案局"))
        self.round = QComboBox()
        self.round.addItem(_("（不指定）"), None)
        for uid, name in notices.round_choices(self.ws):
            self.round.addItem(name, uid)
        self.preamble = QPlainTextEdit()
        self.preamble.setFixedHeight(80)
        self.preamble.setPlaceholderText(_("督导的依据、时间、范围和总体情况，如“……现将有关情况通报如下：”"))

        header = QGroupBox(_("通报"))
        form = QFormLayout(header)
        label = lambda key: _(LABELS[key]) + "："  # noqa: E731
        form.addRow(label("number"), self._slot("number", self.number))
        form.addRow(label("title"), self._slot("title", self.title_edit))
        form.addRow(label("issue_date"), self._slot("issue_date", self.issue_date))
        form.addRow(label("issuer"), self._slot("issuer", self.issuer))
        form.addRow(label("recipients"), self._slot("recipients", self.recipients))
        form.addRow(label("round_uid"), self._slot("round_uid", self.round))
        form.addRow(label("preamble"), self._slot("preamble", self.preamble))

        names = dict(self._divisions)
        self.opinions = OpinionsModel(names, self)
        self.table = QTableView()
        self.table.setModel(self.opinions)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegateForColumn(DIVISION, DivisionDelegate([(None, _("（不分县区）")), *self._divisions],
                                                                       self.table))
        self.table.setItemDelegateForColumn(TEXT, TextDelegate(self.table))
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        size_columns(self.table, {SEQ: 44, DIVISION: 130, PROBLEMS: 70})
        self.table.verticalHeader().hide()
        # rows grow with their text; refit once the layout has settled, not mid-resize
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_rows)
        for signal in (self.opinions.dataChanged, self.opinions.rowsInserted, self.opinions.modelReset,
                       head.sectionResized):
            signal.connect(lambda *_args: self._fit_timer.start())

        self.add_button = QPushButton(_("添加意见"))
        self.remove_button = QPushButton(_("删除"))
        self.up_button = QPushButton(_("上移"))
        self.down_button = QPushButton(_("下移"))
        self.problems_button = QPushButton(_("关联问题…"))
        self.add_button.setToolTip(_("在选中的意见之后添加一条（Alt+A）"))
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_item)
        self.up_button.clicked.connect(lambda: self.move_item(-1))
        self.down_button.clicked.connect(lambda: self.move_item(1))
        self.problems_button.clicked.connect(self.pick_problems)
        QShortcut(QKeySequence("Alt+A"), self, activated=self.add_item)
        row_buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button, self.problems_button):
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)
        self.item_message = QLabel()
        self.item_message.setStyleSheet(_ERROR_STYLE)
        self.item_message.setWordWrap(True)
        self.item_message.hide()
        opinions_box = QGroupBox(_("督导意见"))
        box_layout = QVBoxLayout(opinions_box)
        box_layout.addWidget(self.table, 1)
        box_layout.addWidget(self.item_message)
        box_layout.addLayout(row_buttons)

        self.attachments = AttachmentStrip(self.ws, "notices", self.uid, self,
                                           roles=attachments.roles_for("notices"))
        files_box = QGroupBox(_("附件（印发后签章的通报扫描件）"))
        files_layout = QVBoxLayout(files_box)
        files_layout.setContentsMargins(6, 4, 6, 4)
        files_layout.addWidget(self.attachments)

        self.message = QLabel()
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(header)
        layout.addWidget(opinions_box, 1)
        layout.addWidget(files_box)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(900, 860)

    def _lock(self) -> None:
        """Issued notices are part of the record: shown, never edited."""
        d = self.detail
        status = _(NOTICE_STATUSES.get(d.status, d.status))
        text = _("本通报{status}，属于正式记录，内容不能修改。如需改正，请在通报列表中使用“更正…”。").format(status=status)
        if d.superseded_by_number:
            text = _("本通报已由 {number} 更正，属于正式记录，内容不能修改。").format(number=d.superseded_by_number)
        text += "\n" + _("签章的通报扫描件仍可在下方添加为附件。")
        self.banner.setText(text)
        self.banner.show()
        for edit in (self.number, self.title_edit, self.issue_date.edit, self.issuer, self.recipients):
            edit.setReadOnly(True)
        self.issue_date.button.setEnabled(False)
        self.preamble.setReadOnly(True)
        self.round.setEnabled(False)
        self.opinions.read_only = True
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button, self.problems_button):
            button.hide()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("关闭"))

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()

    # -- values ------------------------------------------------------------------
    def _fill(self, values: dict[str, Any]) -> None:
        self.number.setText(values.get("number", ""))
        self.title_edit.setText(values.get("title", ""))
        self.issue_date.setText(values.get("issue_date", ""))
        self.issuer.setText(values.get("issuer", ""))
        self.recipients.setText(values.get("recipients", ""))
        self.round.setCurrentIndex(max(self.round.findData(values.get("round_uid")), 0))
        self.preamble.setPlainText(values.get("preamble", ""))

    def values(self) -> dict[str, Any]:
        return {"number": self.number.text(), "title": self.title_edit.text(), "issue_date": self.issue_date.text(),
                "issuer": self.issuer.text(), "recipients": self.recipients.text(),
                "round_uid": self.round.currentData(), "preamble": self.preamble.toPlainText()}

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    # -- opinions --------------------------------------------------------------------
    def add_item(self) -> None:
        if self.read_only:
            return
        commit_open_editor(self.table)
        current = self.current_row()
        division = self.opinions.rows[current]["division_uid"] if current >= 0 else None
        row = self.opinions.add_row(division, None if current < 0 else current + 1)
        index = self.opinions.index(row, TEXT)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_item(self) -> None:
        commit_open_editor(self.table)
        row = self.current_row()
        if row >= 0:
            self.opinions.remove_row(row)
            if self.opinions.rows:
                self.table.selectRow(min(row, len(self.opinions.rows) - 1))

    def move_item(self, offset: int) -> None:
        commit_open_editor(self.table)
        row = self.current_row()
        if row >= 0:
            self.table.selectRow(self.opinions.move_row(row, offset))

    def pick_problems(self) -> None:
        commit_open_editor(self.table)
        row = self.current_row()
        if row < 0:
            self.item_message.setText(_("请先选中一条督导意见。"))
            self.item_message.show()
            return
        picker = ProblemPicker(self.ws, division_uid=self.opinions.rows[row]["division_uid"],
                               selected=self.opinions.rows[row]["problems"],
                               division_choices=[(None, ""), *self._divisions], parent=self)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self.opinions.set_problems(row, picker.chosen)

    # -- save --------------------------------------------------------------------
    def accept(self) -> None:
        if self.read_only:
            super().reject()
            return
        commit_open_editor(self.table)
        self.message.hide()
        self.item_message.hide()
        try:
            if self.detail is None:
                self.saved = notices.create(self.ws, self.values(), self.opinions.items())
            else:
                self.saved = notices.update(self.ws, self.detail.uid, self.values(), self.opinions.items(),
                                            expected_rev=self.detail.rev)
        except ValidationError as exc:
            header = {k: v for k, v in exc.field_errors.items() if not k.startswith("item:")}
            rows: dict[int, list[str]] = {}
            for key, message in exc.field_errors.items():
                if key.startswith("item:"):
                    rows.setdefault(int(key.split(":")[1]) - 1, []).append(message)
            unplaced = self.errors.show(header)
            self.opinions.set_errors({row: "\n".join(messages) for row, messages in rows.items()})
            self.item_message.setText("\n".join(m for messages in rows.values() for m in messages))
            self.item_message.setVisible(bool(rows))
            if unplaced:
                self.message.setText("\n".join(unplaced))
                self.message.show()
            return
        except AppError as exc:
            show_error(self, exc)
            return
        self.errors.clear()
        if self.detail is None:
            # the notice exists now: the files chosen while it was typed are attached to it
            self.attachments.set_owner(self.saved.uid)
        super().accept()
