"""First start: which division this installation serves, and who operates it."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from app.errors import ValidationError
from app.i18n import _
from app.services import divisions, node
from app.services.workspace import Workspace
from app.ui.forms import FieldSlot, FormErrors

DEMO_SUB_PROJECTS = 4055


class SetupDialog(QDialog):
    help_topic = "setup"

    def __init__(self, ws: Workspace, *, offer_demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.errors = FormErrors()
        self.setWindowTitle(_("初始设置"))
        intro = QLabel(_("欢迎使用雅安灾后重建项目档案现场工作包。\n请选择本机服务的单位，并填写操作员姓名。"
                         "此设置决定本机创建的记录属于哪个节点，设置后不能更改。"))
        intro.setWordWrap(True)
        self.division = QComboBox()
        self.division.addItem(_("请选择…"), None)
        for d in divisions.list_divisions(ws):
            label = d.name + (_("（市级汇总）") if d.is_city else "")
            self.division.addItem(label, d.uid)
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(_("如 张晓梅"))
        self.demo = QCheckBox(_("载入演示数据（{n} 个子项目，供培训和试用）").format(n=f"{DEMO_SUB_PROJECTS:,}"))
        self.demo.setChecked(offer_demo)
        form = QFormLayout()
        form.addRow(_("本机服务单位："), self.errors.add("division", FieldSlot(self.division)))
        form.addRow(_("操作员姓名："), self.errors.add("operator", FieldSlot(self.operator)))
        form.addRow("", self.demo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("开始使用"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("退出"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    @property
    def load_demo(self) -> bool:
        return self.demo.isChecked()

    def accept(self) -> None:
        try:
            node.setup_node(self.ws, division_uid=self.division.currentData() or "", operator=self.operator.text())
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return
        super().accept()
