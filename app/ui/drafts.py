"""Drafts in the UI: a dialog keeps its unsaved input as a draft; the next start offers it.

A dialog opts in with one line at the end of its constructor and two methods::

    self.draft = DraftKeeper(self, ws, "guidance_visit", context={"sub_project_uid": uid})
    def draft_values(self) -> dict: ...          # the form, JSON-able, invalid text included
    def apply_draft(self, values: dict) -> None: ...

and an opener registered here under the same kind, which makes the dialog again from a
draft. Every editor inside the dialog is watched: a change saves the draft a moment
later, ``flush_open_drafts`` (the crash hook) saves every open one at once, and closing
the dialog with 保存 or 取消 deletes it. A form still showing what it opened with writes
nothing. GUI thread only.
"""

from __future__ import annotations

import json
import logging
import weakref
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox, QDialog,
                               QDialogButtonBox, QLabel, QLineEdit, QListWidget, QMessageBox, QPlainTextEdit,
                               QTextEdit, QVBoxLayout, QWidget)

from app.errors import AppError
from app.i18n import N_, _
from app.services.drafts import Draft, DraftStore, new_draft
from app.services.workspace import Workspace

log = logging.getLogger(__name__)

#: a pause in typing this long saves the draft
SAVE_DELAY_MS = 1000
KIND_LABELS = {"guidance_visit": N_("现场指导"), "sub_project": N_("子项目")}

_open_keepers: weakref.WeakSet[DraftKeeper] = weakref.WeakSet()
_session_guard = False


def _normalised(values: Any) -> Any:
    # what a draft file will hold (tuples become lists ...), so "unchanged" compares alike
    return json.loads(json.dumps(values, ensure_ascii=False, default=str))


class DraftKeeper(QObject):
    """Saves ``dialog.draft_values()`` as a draft of ``kind`` while the dialog is open."""

    def __init__(self, dialog: QDialog, ws: Workspace, kind: str, *, record_uid: str | None = None,
                 base_rev: str | None = None, context: dict[str, Any] | None = None) -> None:
        super().__init__(dialog)
        self._dialog = weakref.ref(dialog)
        self.store = DraftStore(ws.db.path)
        self.draft: Draft = new_draft(kind, record_uid, context=context, title=dialog.windowTitle(),
                                      base_rev=base_rev, operator=ws.operator)
        self._initial = self._values()
        self.restored = False
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self._watch(dialog)
        dialog.finished.connect(self._finished)
        _open_keepers.add(self)
        _guard_session_end()

    def _values(self) -> Any:
        dialog = self._dialog()
        return _normalised(dialog.draft_values()) if dialog is not None else None

    def _watch(self, dialog: QDialog) -> None:
        changed = self.changed
        for widget in dialog.findChildren(QWidget):
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(changed)
            elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
                widget.textChanged.connect(changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(changed)
                widget.editTextChanged.connect(changed)
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                widget.toggled.connect(changed)
            elif isinstance(widget, QAbstractSpinBox):
                widget.editingFinished.connect(changed)
            elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
                model = widget.model()
                for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved, model.modelReset):
                    signal.connect(changed)

    def changed(self, *_args) -> None:
        if not self._closed:
            self._timer.start()

    def save_now(self) -> bool:
        """Write the draft now (True), or delete it when the form is back to how it opened."""
        self._timer.stop()
        dialog = self._dialog()
        if self._closed or dialog is None:
            return False
        values = self._values()
        if values == self._initial and not self.restored:
            self.store.discard(self.draft.id)
            return False
        self.draft = self.store.save(replace(self.draft, title=dialog.windowTitle()), values)
        return True

    def restore(self, draft: Draft) -> None:
        """Fill the dialog from ``draft`` and carry on under its id (one draft, not two)."""
        dialog = self._dialog()
        self.store.discard(self.draft.id)
        dialog.apply_draft(draft.values)
        self.draft = replace(draft, operator=self.draft.operator or draft.operator)
        self.restored = True
        self._timer.stop()

    def _finished(self, _result: int) -> None:
        # 保存 or 取消 ends the edit on purpose: the draft has served
        self._timer.stop()
        self._closed = True
        self.store.discard(self.draft.id)
        _open_keepers.discard(self)


def flush_open_drafts() -> int:
    """Save the draft of every open dialog now (the crash hook); returns how many were saved."""
    saved = 0
    for keeper in list(_open_keepers):
        try:
            saved += keeper.save_now()
        except Exception:  # noqa: BLE001 - one broken dialog must not cost the others their drafts
            log.exception("draft of %s could not be saved", keeper.draft.kind)
    return saved


def _guard_session_end() -> None:
    """When the system logs out or shuts down, Qt closes the dialogs (as 取消): save first,
    and keep the drafts, so the person finds the form again next time."""
    global _session_guard
    app = QApplication.instance()
    if _session_guard or app is None:
        return
    _session_guard = True

    def keep_all(_manager) -> None:
        flush_open_drafts()
        for keeper in list(_open_keepers):
            keeper._closed = True  # the coming close is not the person's choice
            _open_keepers.discard(keeper)
    app.commitDataRequest.connect(keep_all)


# -- reopening at the next start -----------------------------------------------------------
Opener = Callable[[QWidget, Workspace, Draft], QDialog]
OPENERS: dict[str, Opener] = {}


def opener(kind: str) -> Callable[[Opener], Opener]:
    def register(fn: Opener) -> Opener:
        OPENERS[kind] = fn
        return fn
    return register


@opener("guidance_visit")
def _open_visit(parent: QWidget, ws: Workspace, draft: Draft) -> QDialog:
    from app.ui.field_work.visit_dialog import VisitDialog

    return VisitDialog(ws, draft.context["sub_project_uid"], parent)


@opener("sub_project")
def _open_sub_project(parent: QWidget, ws: Workspace, draft: Draft) -> QDialog:
    from app.ui.dialogs.sub_project_dialog import SubProjectDialog

    return SubProjectDialog(ws, uid=draft.record_uid, parent=parent)


def _label(draft: Draft) -> str:
    return _("{kind}：{title}（{time} 保存）").format(kind=_(KIND_LABELS.get(draft.kind, draft.kind)),
                                                 title=draft.title, time=draft.saved_at.replace("T", " "))


class DraftOfferDialog(QDialog):
    """Lists the drafts a crash left and offers 恢复 (reopen each) or 丢弃 (delete them).
    Closing it any other way keeps them for the next start."""

    help_topic = "backup"

    def __init__(self, ws: Workspace, drafts: list[Draft], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.drafts = drafts
        self.store = DraftStore(ws.db.path)
        self.opened: list[QDialog] = []
        self.setWindowTitle(_("恢复未保存的编辑"))
        intro = QLabel(_("程序上次没有正常结束，以下编辑尚未保存，已作为草稿保留。\n"
                         "“恢复”逐个重新打开它们（内容已填好，核对后保存）；“丢弃”删除这些草稿。"))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.addItems([_label(d) for d in drafts])
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(_("恢复"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = buttons.addButton(_("丢弃"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.later_button = buttons.addButton(_("以后再说"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.restore_all)
        self.discard_button.clicked.connect(self.discard_all)
        self.later_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def discard_all(self) -> None:
        for draft in self.drafts:
            self.store.discard(draft.id)
        self.done(QDialog.DialogCode.Rejected)

    def restore_all(self) -> None:
        self.accept()
        self._queue = list(self.drafts)
        self._next()

    def _next(self, *_args) -> None:
        """One dialog at a time: the next opens when the last one closes."""
        parent = self.parentWidget()
        while self._queue:
            draft = self._queue.pop(0)
            dialog = self._open(parent, draft)
            if dialog is None:
                continue
            self.opened.append(dialog)
            if parent is not None and hasattr(parent, "refresh"):
                dialog.accepted.connect(parent.refresh)
            dialog.finished.connect(self._next)
            dialog.open()
            return

    def _open(self, parent: QWidget | None, draft: Draft) -> QDialog | None:
        make = OPENERS.get(draft.kind)
        try:
            if make is None:
                raise AppError(_("不认识的草稿类型：{kind}").format(kind=draft.kind))
            dialog = make(parent, self.ws, draft)
        except (AppError, KeyError) as exc:
            # the record is gone (deleted, or a restore went back before it): say so and show the text
            box = QMessageBox(QMessageBox.Icon.Warning, _("草稿无法恢复"), _(
                "“{title}”的草稿无法重新打开：{error}\n草稿内容见“详细信息”，可复制后另行录入。草稿已删除。").format(
                title=draft.title, error=getattr(exc, "message", exc)), parent=parent)
            box.setDetailedText(json.dumps(draft.values, ensure_ascii=False, indent=2))
            box.exec()
            self.store.discard(draft.id)
            return None
        dialog.draft.restore(draft)
        current = dialog.draft.draft
        now_rev = getattr(getattr(dialog, "detail", None), "rev", None)
        if draft.base_rev and now_rev and now_rev != draft.base_rev:
            QMessageBox.information(dialog, _("记录已有更新"), _(
                "这条记录在草稿保存之后又被修改过（可能来自导入的数据包）。草稿内容已填入，保存将以它为准，请先核对。"))
        log.info("draft %s (%s) reopened", current.id, current.kind)
        return dialog


def offer_drafts(parent: QWidget, ws: Workspace) -> DraftOfferDialog | None:
    """At start: when drafts were left behind, show the offer (window-modal, not blocking)."""
    drafts = [d for d in DraftStore(ws.db.path).list() if d.kind in OPENERS]
    if not drafts:
        return None
    dialog = DraftOfferDialog(ws, drafts, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog
