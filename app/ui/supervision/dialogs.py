"""Small forms of the supervision page: start or edit a round, a group, a re-check result.

Each saves through the supervision service and stays open, with the message beside the
field, until the service accepts the input.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.i18n import _
from app.models import PROBLEM_STATES, RECHECK_RESULTS
from app.services import divisions, supervision
from app.services.supervision import LABELS
from app.services.workspace import Workspace
from app.ui.date_field import DateField
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors

_CHECKED = Qt.CheckState.Checked
_UNCHECKED = Qt.CheckState.Unchecked


def _text_box(height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setFixedHeight(height)
    return box


class _FormDialog(QDialog):
    """``save()`` calls the service; ``saved`` holds its result once the dialog was accepted."""

    help_topic = "supervision"

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.saved: Any = None
        self.errors = FormErrors()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: #333; background: #f4f6f8; padding: 6px;")
        self.intro.hide()
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def show_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def row(self, key: str, editor: QWidget, label: str | None = None) -> Any:
        text = label if label is not None else _(LABELS[key]) + "："
        self.form.addRow(text, self.errors.add(key, FieldSlot(editor)))
        return editor

    def save(self) -> Any:
        raise NotImplementedError

    def accept(self) -> None:
        self.message.hide()
        try:
            self.saved = self.save()
        except ValidationError as exc:
            unplaced = self.errors.show(exc.field_errors)
            if unplaced:
                self.message.setText("\n".join(unplaced))
                self.message.show()
            return
        except AppError as exc:
            show_error(self, exc)
            return
        self.errors.clear()
        super().accept()


class RoundDialog(_FormDialog):
    """Start the next round (``uid`` None) or edit a round's dates and notes."""

    def __init__(self, ws: Workspace, *, uid: str | None = None, parent: QWidget | None = None) -> None:
        current = supervision.get_round(ws, uid) if uid else None
        super().__init__(_("编辑督导轮次 — {name}").format(name=current.name) if current
                         else _("开始新一轮督导"), parent)
        self.ws = ws
        self.round_info = current
        if current is None:
            name, carried = supervision.carry_over_preview(ws)
            self.show_intro(_("将开始“{name}”督导，并列出上一轮未复查完毕的问题 {n} 个，供本轮复查。").format(
                name=name, n=carried) if carried else _("将开始“{name}”督导。").format(name=name))
        self.start_date = self.row("start_date", DateField())
        self.end_date = self.row("end_date", DateField())
        self.end_date.edit.setPlaceholderText(_("未结束可不填"))
        self.notes = self.row("notes", _text_box())
        if current:
            self.start_date.setText(current.start_date.isoformat())
            self.end_date.setText(current.end_date.isoformat() if current.end_date else "")
            self.notes.setPlainText(current.notes)
        else:
            self.start_date.setText(date.today().isoformat())
        self.start_date.setFocus()

    def save(self) -> supervision.RoundInfo:
        values = {"start_date": self.start_date.text(), "end_date": self.end_date.text(),
                  "notes": self.notes.toPlainText()}
        if self.round_info:
            return supervision.update_round(self.ws, self.round_info.uid, **values,
                                            expected_rev=self.round_info.rev)
        return supervision.start_round(self.ws, **values)


class GroupDialog(_FormDialog):
    """New group of ``round_uid`` (``uid`` None) or edit one."""

    def __init__(self, ws: Workspace, round_uid: str, *, uid: str | None = None,
                 parent: QWidget | None = None) -> None:
        group = supervision.get_group(ws, uid) if uid else None
        round_name = supervision.get_round(ws, round_uid).name
        super().__init__(_("编辑督导组 — {name}").format(name=group.name) if group
                         else _("新建督导组 — {round}").format(round=round_name), parent)
        self.ws = ws
        self.round_uid = round_uid
        self.group = group
        self.name = self.row("name", QLineEdit())
        self.leader = self.row("leader", QLineEdit())
        self.members = self.row("members", QLineEdit())
        self.members.setPlaceholderText(_("以顿号分隔，如 刘洋、王芳、赵磊"))
        self.division_model = QStandardItemModel(self)
        for d in divisions.list_divisions(ws, include_city=False):
            item = QStandardItem(d.name)
            item.setData(d.uid, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            self.division_model.appendRow(item)
        self.division_view = QListView()
        self.division_view.setModel(self.division_model)
        self.division_view.setFixedHeight(150)
        self.row("division_uids", self.division_view)
        self.sectors = self.row("sectors", QLineEdit())
        self.sectors.setPlaceholderText(_("分行业督导时填写，如 城乡住房、公共服务"))
        values = self.group.form_values() if self.group else {
            "name": supervision.suggest_group_name(ws, round_uid), "leader": "", "members": "",
            "division_uids": [], "sectors": ""}
        self.name.setText(values["name"])
        self.leader.setText(values["leader"])
        self.members.setText(values["members"])
        self.set_division_uids(values["division_uids"])
        self.sectors.setText(values["sectors"])
        (self.leader if not self.group else self.name).setFocus()

    def set_division_uids(self, uids: list[str]) -> None:
        for n in range(self.division_model.rowCount()):
            item = self.division_model.item(n)
            item.setCheckState(_CHECKED if item.data(Qt.ItemDataRole.UserRole) in uids else _UNCHECKED)

    def division_uids(self) -> list[str]:
        items = (self.division_model.item(n) for n in range(self.division_model.rowCount()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == _CHECKED]

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "leader": self.leader.text(), "members": self.members.text(),
                "division_uids": self.division_uids(), "sectors": self.sectors.text()}

    def save(self) -> supervision.GroupInfo:
        if self.group:
            return supervision.update_group(self.ws, self.group.uid, self.values(), expected_rev=self.group.rev)
        return supervision.create_group(self.ws, self.round_uid, self.values())


class RecheckDialog(_FormDialog):
    """登记复查结果: what the group found on one carried-over problem."""

    def __init__(self, ws: Workspace, recheck_uid: str, parent: QWidget | None = None) -> None:
        r = supervision.get_recheck(ws, recheck_uid)
        super().__init__(_("登记复查结果"), parent)
        self.ws = ws
        self.recheck = r
        self.show_intro(_("{code} {name}（{division}）\n问题：{description}\n整改时限：{deadline}　台账状态：{state}").format(
            code=r.sub_project_code, name=r.sub_project_name, division=r.division_name, description=r.description,
            deadline=r.deadline.isoformat(), state=_(PROBLEM_STATES.get(r.problem_state, r.problem_state))))
        self.rectified = QRadioButton(_(RECHECK_RESULTS["rectified"]))
        self.not_rectified = QRadioButton(_(RECHECK_RESULTS["not_rectified"]))
        self.choice = QButtonGroup(self)
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.rectified, self.not_rectified):
            self.choice.addButton(button)
            results_layout.addWidget(button)
        self.row("result", results)
        self.errors.slots["result"].editor = self.rectified  # focus the first choice on an error
        self.note = self.row("note", _text_box())
        self.checked_on = self.row("checked_on", DateField())
        (self.not_rectified if r.result == "not_rectified" else self.rectified).setChecked(True)
        self.note.setPlainText(r.note)
        self.checked_on.setText((r.checked_on or date.today()).isoformat())
        hint = QLabel(_("复查结果是督导组的意见，不改变问题台账中的状态；问题的复查销号仍在“问题台账”中办理。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.form.addRow(hint)
        self.rectified.setFocus()

    def result_code(self) -> str:
        return "not_rectified" if self.not_rectified.isChecked() else "rectified"

    def save(self) -> supervision.RecheckInfo:
        return supervision.record_recheck(self.ws, self.recheck.uid, result=self.result_code(),
                                          note=self.note.toPlainText(), checked_on=self.checked_on.text(),
                                          expected_rev=self.recheck.rev)
