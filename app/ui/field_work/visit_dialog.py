"""A guidance visit and the problems found on it, entered without touching the mouse.

Tab walks the fields; Alt+A adds a problem and puts the cursor in its description; Tab
moves across the problem's cells; Ctrl+Enter saves. Everything is saved in one go.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
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
from app.models import VISIT_KINDS
from app.services import fields, sub_projects, visits
from app.services.visits import LABELS, VisitInfo
from app.services.workspace import Workspace
from app.ui.attachments_strip import AttachmentStrip
from app.ui.date_field import DateField
from app.ui.drafts import DraftKeeper
from app.ui.errors import show_error
from app.ui.field_work.problem_rows import KEYS, CategoryDelegate, ProblemRowsModel
from app.ui.forms import FieldSlot, FormErrors
from app.ui.item_views import commit_open_editor


class VisitDialog(QDialog):
    """New visit of ``sub_project_uid``; ``saved`` holds the VisitInfo after it closed with 保存."""

    help_topic = "visits"

    def __init__(self, ws: Workspace, sub_project_uid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.sub_project_uid = sub_project_uid
        self.saved: VisitInfo | None = None
        self.errors = FormErrors()
        sub = sub_projects.get(ws, sub_project_uid)
        self.setWindowTitle(_("新建现场指导 — {code} {name}").format(code=sub.code, name=sub.name))

        self.visit_date = DateField()
        self.visit_date.setText(date.today().isoformat())
        self.kind = QComboBox()
        for code, label in VISIT_KINDS.items():
            self.kind.addItem(_(label), code)
        self.kind.setCurrentIndex(self.kind.findData("mid_term_check"))
        self.archivists = QLineEdit(ws.operator)
        self.archivists.setPlaceholderText(_("多人用“、”分隔"))
        self.unit_people = QLineEdit(", ".join(p for p in (sub.archive_lead, sub.archivist) if p).replace(", ", "、"))
        self.content = QPlainTextEdit()
        self.content.setTabChangesFocus(True)
        self.content.setFixedHeight(80)
        form = QFormLayout()
        for key, editor in (("visit_date", self.visit_date), ("kind", self.kind), ("archivists", self.archivists),
                            ("unit_people", self.unit_people), ("content", self.content)):
            form.addRow(_(LABELS[key]) + "：", self.errors.add(key, FieldSlot(editor)))

        self.problems = ProblemRowsModel(self)
        self.table = QTableView()
        self.table.setModel(self.problems)
        self.table.setItemDelegateForColumn(KEYS.index("category"), CategoryDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setTabKeyNavigation(True)
        self.table.horizontalHeader().setSectionResizeMode(KEYS.index("description"), QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(KEYS.index("category"), 140)
        self.table.setColumnWidth(KEYS.index("responsible_person"), 90)
        self.table.setColumnWidth(KEYS.index("deadline"), 100)
        self.add_button = QPushButton(_("添加问题（Alt+A）"))
        self.remove_button = QPushButton(_("删除问题"))
        self.add_button.clicked.connect(self.add_problem)
        self.remove_button.clicked.connect(self.remove_problem)
        self.problem_message = QLabel()
        self.problem_message.setStyleSheet("color: #c62828;")
        self.problem_message.setWordWrap(True)
        self.problem_message.hide()
        found = QGroupBox(_("发现的问题（Alt+A 添加，Tab 在格间移动）"))
        found_layout = QVBoxLayout(found)
        found_layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        found_layout.addLayout(row)
        found_layout.addWidget(self.problem_message)

        self.attachments = AttachmentStrip(ws, "guidance_visits", None, self)
        photos = QGroupBox(_("现场照片和扫描件（签到表、签字表格）"))
        photos_layout = QVBoxLayout(photos)
        photos_layout.addWidget(self.attachments)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("保存（Ctrl+Enter）"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(keys), self, activated=self.accept)
        # an explicit shortcut rather than a mnemonic: it must work while a cell is being edited
        QShortcut(QKeySequence("Alt+A"), self, activated=self.add_problem)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(found, 1)
        layout.addWidget(photos)
        layout.addWidget(self.buttons)
        self.resize(880, 760)
        self.visit_date.setFocus()
        # what is typed is kept as a draft until saved or cancelled: a crash loses nothing
        self.draft = DraftKeeper(self, ws, "guidance_visit", context={"sub_project_uid": sub_project_uid})

    def _visit_day(self) -> date | None:
        try:
            return fields.day(self.visit_date.text(), "")
        except fields.FieldError:
            return None

    def add_problem(self) -> None:
        row = self.problems.add_row(self._visit_day())
        index = self.problems.index(row, KEYS.index("description"))
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_problem(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.problems.remove_row(index.row())

    def values(self) -> dict[str, str]:
        return {"visit_date": self.visit_date.text(), "kind": self.kind.currentData(),
                "archivists": self.archivists.text(), "unit_people": self.unit_people.text(),
                "content": self.content.toPlainText()}

    def draft_values(self) -> dict[str, Any]:
        return {"visit": self.values(), "problems": [dict(row) for row in self.problems.rows],
                "files": [str(path) for path in self.attachments.pending_files()]}

    def apply_draft(self, values: dict[str, Any]) -> None:
        from app.ui.attachments_strip import _Item  # a pending file of the strip

        visit = values.get("visit", {})
        self.visit_date.setText(visit.get("visit_date", ""))
        self.kind.setCurrentIndex(max(self.kind.findData(visit.get("kind")), 0))
        self.archivists.setText(visit.get("archivists", ""))
        self.unit_people.setText(visit.get("unit_people", ""))
        self.content.setPlainText(visit.get("content", ""))
        for problem in values.get("problems", []):
            row = self.problems.add_row(self._visit_day())
            for column, key in enumerate(KEYS):
                self.problems.setData(self.problems.index(row, column), problem.get(key, ""))
        files = [Path(f) for f in values.get("files", []) if Path(f).is_file()]
        if files:
            self.attachments.model.set_items(self.attachments.model.items + [_Item(None, f) for f in files])
            self.attachments.refresh()

    def accept(self) -> None:
        commit_open_editor(self.table)
        # a row added but left blank is no problem at all; the others keep their numbers
        kept = [(n, row) for n, row in enumerate(self.problems.rows)
                if row["description"].strip() or row["responsible_person"].strip()]
        try:
            self.saved = visits.create(self.ws, self.sub_project_uid, self.values(), [row for _n, row in kept])
        except ValidationError as exc:
            visit_errors = {k: v for k, v in exc.field_errors.items() if not k.startswith("problem:")}
            row_errors: dict[int, list[str]] = {}
            for key, message in exc.field_errors.items():
                if key.startswith("problem:"):
                    row_errors.setdefault(kept[int(key.split(":")[1]) - 1][0], []).append(message)
            self.errors.show(visit_errors)
            self.problems.set_errors({row: "\n".join(m) for row, m in row_errors.items()})
            self.problem_message.setText("\n".join(m for ms in row_errors.values() for m in ms))
            self.problem_message.setVisible(bool(row_errors))
            return
        except AppError as exc:
            show_error(self, exc)
            return
        # the visit exists now: the photos chosen while typing are attached to it
        self.attachments.set_owner(self.saved.uid)
        super().accept()
