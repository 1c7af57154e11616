"""验收小组: the members typed into a table, with the group rules checked live."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.acceptance_result import Evaluation
from app.ui.acceptance.conclusion_tab import votes_text
from app.ui.acceptance.group_model import CHOICES, KEYS, ChoiceDelegate, MemberRowsModel
from app.ui.acceptance.page_keys import turn_pages_from
from app.ui.item_views import size_columns

WIDTHS = {"name": 110, "unit_kind": 110, "unit_name": 260, "role": 90, "vote": 90}
_OK = "color: #2e7d32;"
_BAD = "color: #c62828;"


class GroupTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = MemberRowsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        for key, choices in CHOICES.items():
            self.table.setItemDelegateForColumn(KEYS.index(key), ChoiceDelegate(choices, self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setTabKeyNavigation(True)
        turn_pages_from(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        size_columns(self.table, {KEYS.index(key): width for key, width in WIDTHS.items()})
        self.table.horizontalHeader().setSectionResizeMode(KEYS.index("unit_name"), QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("添加成员（Alt+A）"))
        self.remove_button = QPushButton(_("删除成员"))
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_member)
        self.checks = QLabel()
        self.checks.setWordWrap(True)
        self.checks.setTextFormat(Qt.TextFormat.RichText)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(_BAD)
        self.errors.hide()
        hint = QLabel(_("验收小组至少 5 人且为单数，设组长一名；过半数同意方可通过。"
                        "Tab 在格间移动，单位、职务和表决用上下键选择。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.checks)
        layout.addWidget(self.errors)

    def add_member(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, KEYS.index("name"))
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_member(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())

    def set_read_only(self, read_only: bool) -> None:
        self.model.set_read_only(read_only)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)

    def show_checks(self, evaluation: Evaluation) -> None:
        """The group rules as they stand, and the vote."""
        count = len(self.model.members())
        lines = [f"<span style='{_BAD}'>✗ {escape(problem)}</span>" for problem in evaluation.group_problems]
        if not evaluation.group_problems:
            fine = _("验收小组 {n} 人，符合人数和组长要求。").format(n=count)
            lines.append(f"<span style='{_OK}'>✓ {escape(fine)}</span>")
        tally = votes_text(evaluation)
        pending = evaluation.votes.get("", 0)
        if pending:
            tally = _("{tally}　未表决 {n} 人").format(tally=tally, n=pending)
        majority = evaluation.votes.get("agree", 0) * 2 > count
        style = _OK if majority and not pending else _BAD if pending == 0 else "color: #666;"
        lines.append(f"<span style='{style}'>{escape(_('表决：{tally}').format(tally=tally))}</span>")
        self.checks.setText("<br>".join(lines))

    def show_errors(self, rows: dict[int, str]) -> None:
        self.model.set_errors(rows)
        self.errors.setText("\n".join(rows.values()))
        self.errors.setVisible(bool(rows))
