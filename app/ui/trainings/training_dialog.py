"""New / edit a training. Saves through the service and stays open until the input is valid.

The sign-in sheet scan is an attachment; the strip that shows it comes from
``app.ui.attachments_strip`` when that module is installed (see ``make_sign_in_strip``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.i18n import _
from app.models import TRAINING_LEVELS
from app.services import divisions, trainings
from app.services.trainings import LABELS, TrainingInfo
from app.services.workspace import Workspace
from app.ui.date_field import DateField
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors


def make_sign_in_strip(ws: Workspace, owner_uid: str | None, parent: QWidget) -> QWidget | None:
    """Hook for the sign-in sheet scan: the shared attachment strip, or None while it is not installed.

    Imported lazily so this dialog works before (and without) the attachments module.
    """
    try:
        from app.ui.attachments_strip import AttachmentStrip
    except ImportError:
        return None
    return AttachmentStrip(ws, trainings.ATTACHMENT_OWNER, owner_uid, parent, role=trainings.SIGN_IN_ROLE)


class TrainingDialog(QDialog):
    """``saved`` holds the stored ``TrainingInfo`` once the dialog was accepted."""

    help_topic = "trainings"

    def __init__(self, ws: Workspace, *, uid: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.uid = uid
        self.saved: TrainingInfo | None = None
        #: files chosen while the training was new are still being attached on a worker
        self.attaching = False
        self.detail = trainings.get(ws, uid) if uid else None
        self.errors = FormErrors()
        self.setWindowTitle(_("编辑培训 — {topic}").format(topic=self.detail.topic) if self.detail
                            else _("新建培训"))
        self._build()
        if self.detail:
            self._fill(self.detail.form_values())
        else:
            # a city node mostly records city trainings, a county node its own
            level = "city" if ws.division_uid == self.city_uid else "county"
            self._fill({"held_on": date.today().isoformat(), "level": level, "division_uid": ws.division_uid})
        self.held_on.setFocus()

    def _row(self, key: str, editor: Any) -> Any:
        self.form.addRow(_(LABELS[key]) + "：", self.errors.add(key, FieldSlot(editor, self)))
        return editor

    def _build(self) -> None:
        self.form = QFormLayout()
        self.held_on = self._row("held_on", DateField())
        self.level = QComboBox()
        for code, label in TRAINING_LEVELS.items():
            self.level.addItem(_(label), code)
        self._row("level", self.level)
        self.division = QComboBox()
        self.city_uid: str | None = None
        for d in divisions.list_divisions(self.ws):
            self.division.addItem(d.name, d.uid)
            if d.is_city:
                self.city_uid = d.uid
        self._row("division_uid", self.division)
        self.organiser = self._row("organiser", QLineEdit())
        self.organiser.setPlaceholderText(_("如 雅安市档案局、芦山县档案局"))
        self.topic = self._row("topic", QLineEdit())
        self.attendance = self._row("attendance", QLineEdit())
        self.attendance.setPlaceholderText(_("人数，如 45"))
        self.location = self._row("location", QLineEdit())
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        self._row("notes", self.notes)

        self.sign_in = make_sign_in_strip(self.ws, self.uid, self)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        if self.sign_in is not None:
            box = QGroupBox(_("签到表扫描件"))
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(self.sign_in)
            layout.addWidget(box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.level.currentIndexChanged.connect(lambda _i: self._level_changed())
        self.setMinimumWidth(520)

    def _level_changed(self) -> None:
        # A 市级 training belongs to the city: the choice is made for the user, not left to refuse.
        city = self.level.currentData() == "city"
        if city and self.city_uid:
            self.division.setCurrentIndex(self.division.findData(self.city_uid))
        elif not city and self.division.currentData() == self.city_uid:
            own = self.division.findData(self.ws.division_uid)
            first_county = next(n for n in range(self.division.count()) if self.division.itemData(n) != self.city_uid)
            self.division.setCurrentIndex(own if own >= 0 and self.ws.division_uid != self.city_uid else first_county)
        self.division.setEnabled(not city)

    def _fill(self, values: dict[str, Any]) -> None:
        self.held_on.setText(values.get("held_on", ""))
        self.division.setCurrentIndex(max(self.division.findData(values.get("division_uid")), 0))
        self.level.setCurrentIndex(max(self.level.findData(values.get("level")), 0))
        self._level_changed()
        self.organiser.setText(values.get("organiser", ""))
        self.topic.setText(values.get("topic", ""))
        self.attendance.setText(values.get("attendance", ""))
        self.location.setText(values.get("location", ""))
        self.notes.setPlainText(values.get("notes", ""))

    def values(self) -> dict[str, Any]:
        return {"held_on": self.held_on.text(), "level": self.level.currentData(),
                "division_uid": self.division.currentData(), "organiser": self.organiser.text(),
                "topic": self.topic.text(), "attendance": self.attendance.text(), "location": self.location.text(),
                "notes": self.notes.toPlainText()}

    def accept(self) -> None:
        self.message.hide()
        try:
            if self.uid:
                self.saved = trainings.update(self.ws, self.uid, self.values(), expected_rev=self.detail.rev)
            else:
                self.saved = trainings.create(self.ws, self.values())
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
        if self.sign_in is not None and self.uid is None:
            # files chosen before the training existed are attached to it now; several or large
            # ones go on a worker that the strip owns, so whoever deletes this dialog must wait
            self.sign_in.set_owner(self.saved.uid)
            self.attaching = bool(self.sign_in.pending_files())
        super().accept()
