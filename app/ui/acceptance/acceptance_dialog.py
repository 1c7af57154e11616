"""One acceptance (档案验收), typed from the keyboard: header, group, scores, conclusion.

Ctrl+Enter saves what is typed; Ctrl+Shift+Enter (作出结论…) saves, shows the conclusion the
service reaches and why, and records it after a confirmation. Every change re-runs the
service's pure ``evaluate`` on the values in memory, so the total, grade and conclusion
follow the typing. A concluded acceptance opens read-only, except its attachments (附件):
the signed opinion letter, the sign-in sheet and the photos of sampled volumes are often
scanned after the meeting, so they can still be added (removing one asks for a reason).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.errors import AppError, ValidationError
from app.i18n import _
from app.models import ACCEPTANCE_STATUSES, CERTIFICATE_STATUSES, CONCLUSIONS
from app.services import acceptance_result, acceptance_search, acceptances, attachments, certificates, checklists, sub_projects
from app.services.acceptance_result import Evaluation
from app.services.acceptances import AcceptanceDetail
from app.services.workspace import Workspace
from app.ui.acceptance.conclusion_tab import ConclusionTab, verdict_text
from app.ui.acceptance.group_tab import GroupTab
from app.ui.acceptance.header_tab import HeaderTab
from app.ui.acceptance.score_model import COL_GROUP
from app.ui.acceptance.scoring_tab import ScoringTab
from app.ui.attachments_strip import AttachmentStrip
from app.ui.dialogs.history_dialog import HistoryDialog, open_history
from app.ui.errors import show_error
from app.ui.forms import FormErrors
from app.ui.item_views import commit_open_editor

HEADER_TAB, GROUP_TAB, SCORING_TAB, CONCLUSION_TAB, FILES_TAB = range(5)
#: the header fields shown on the 结论 tab rather than on 基本情况
_CONCLUSION_KEYS = {"opinion", "rectification_deadline", "opinions", "conclusion"}


class AcceptanceDialog(QDialog):
    """``changed`` is emitted after anything was saved or concluded (the list refreshes)."""

    help_topic = "acceptances"

    changed = Signal()

    def __init__(self, ws: Workspace, uid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.detail: AcceptanceDetail = acceptances.get(ws, uid)
        self.template = checklists.get(ws, self.detail.template_uid)
        self.sub = sub_projects.get(ws, self.detail.sub_project_uid)
        self.evaluation: Evaluation | None = None
        self.errors = FormErrors()
        self.setWindowTitle(_("档案验收 — {code} {name}").format(code=self.sub.code, name=self.sub.name))

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #333; background: #f4f6f8; padding: 6px;")
        self.header = HeaderTab(self.errors)
        self.group = GroupTab()
        self.scoring = ScoringTab(self.template)
        self.conclusion = ConclusionTab(self.errors)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.header, _("基本情况"))
        self.tabs.addTab(self.group, _("验收小组"))
        self.tabs.addTab(self.scoring, _("评分"))
        self.tabs.addTab(self.conclusion, _("结论"))
        self.attachments = AttachmentStrip(ws, "acceptances", uid, roles=attachments.roles_for("acceptances"))
        self.tabs.addTab(self._files_tab(), _("附件"))

        self.save_button = QPushButton(_("保存（Ctrl+Enter）"))
        self.conclude_button = QPushButton(_("作出结论…（Ctrl+Shift+Enter）"))
        self.history_button = QPushButton(_("变更历史…"))
        self.history_button.setToolTip(_("验收及其小组、评分、证书、附件的各个版本（Ctrl+H）"))
        self.close_button = QPushButton(_("关闭"))
        self.history_button.clicked.connect(lambda _checked=False: self.show_history())
        self.save_button.clicked.connect(self.save)
        self.conclude_button.clicked.connect(self.conclude)
        self.close_button.clicked.connect(self.reject)
        self.saved_note = QLabel()
        self.saved_note.setStyleSheet("color: #2e7d32;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_note, 1)
        for button in (self.history_button, self.save_button, self.conclude_button, self.close_button):
            buttons.addWidget(button)
            button.setAutoDefault(False)
        # explicit shortcuts: they must work while a cell is being edited
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(keys), self, activated=self.save)
        for keys in ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.conclude)
        QShortcut(QKeySequence("Alt+A"), self, activated=self._add_member)
        QShortcut(QKeySequence("Ctrl+H"), self, activated=self.show_history)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.group.model.edited.connect(self.evaluate)
        self.scoring.model.edited.connect(self.evaluate)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.resize(1180, 780)
        self._load()

    def _files_tab(self) -> QWidget:
        tab = QWidget()
        hint = QLabel(_("验收意见书签字盖章后的扫描件、验收会签到表、抽查案卷的照片。作出结论后仍可添加；"
                        "删除须说明原因。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(tab)
        layout.addWidget(hint)
        layout.addWidget(self.attachments, 1)
        return tab

    def show_history(self) -> HistoryDialog | None:
        return open_history(self, self.ws, "acceptances", self.detail.uid)

    # -- loading -------------------------------------------------------------------
    def _load(self) -> None:
        detail = self.detail
        self.header.load(detail.values)
        self.conclusion.opinion.setPlainText(detail.values.get("opinion") or "")
        deadline = detail.values.get("rectification_deadline")
        self.conclusion.deadline.setText(deadline.isoformat() if deadline else "")
        if detail.conclusion == "fail":  # what was written into the ledger, shown as the record
            opinions = acceptance_search.rectification_opinions(self.ws, detail.uid)
            self.conclusion.opinions.setPlainText("\n".join(opinions))
        self.group.model.load(detail.members)
        self.scoring.model.load(detail.scores)
        read_only = self.read_only
        for part in (self.header, self.group, self.conclusion):
            part.set_read_only(read_only)
        self.scoring.model.set_read_only(read_only)
        self.save_button.setVisible(not read_only)
        self.conclude_button.setVisible(not read_only)
        self._show_summary()
        self._show_record()
        self.evaluate()

    @property
    def read_only(self) -> bool:
        return self.detail.status != "draft"

    def _show_summary(self) -> None:
        detail, template = self.detail, self.template
        status = _(ACCEPTANCE_STATUSES.get(detail.status, detail.status))
        text = _("{code} {name}　{division}　业主：{owner}\n"
                 "检查表：{checklist}（第 {version} 版）　状态：{status}").format(
            code=self.sub.code, name=self.sub.name, division=self.sub.division_name, owner=self.sub.owner_unit,
            checklist=template.name, version=template.version, status=status)
        if detail.previous_uid:
            try:
                previous = acceptances.get(self.ws, detail.previous_uid)
                text += "\n" + _("复验：上次验收 {day}，结论“{conclusion}”。").format(
                    day=previous.values["acceptance_date"].isoformat(),
                    conclusion=_(CONCLUSIONS.get(previous.conclusion, previous.conclusion)))
            except AppError:
                pass
        self.summary.setText(text)

    def _show_record(self) -> None:
        """For a concluded acceptance: what was recorded, and its certificates."""
        if not self.read_only:
            self.conclusion.show_record("")
            return
        detail = self.detail
        lines = [_("已于 {day} 作出结论：{conclusion}。").format(
            day=detail.values["acceptance_date"].isoformat(),
            conclusion=_(CONCLUSIONS.get(detail.conclusion, detail.conclusion)))]
        for cert in certificates.for_acceptance(self.ws, detail.uid):
            lines.append(_("合格证书 {number}（{status}，{day} 签发）").format(
                number=cert.number, status=_(CERTIFICATE_STATUSES.get(cert.status, cert.status)),
                day=cert.issued_on.isoformat()))
        if detail.conclusion == "fail" and detail.values.get("rectification_deadline"):
            lines.append(_("整改期限：{day}；整改意见已记入问题台账。").format(
                day=detail.values["rectification_deadline"].isoformat()))
        self.conclusion.show_record("\n".join(lines))

    # -- live evaluation -------------------------------------------------------------
    def evaluate(self) -> Evaluation:
        """Run the service's pure evaluation over what is typed, and show it everywhere."""
        scores = self.scoring.model.live_scores()
        evaluation = acceptance_result.evaluate(self.template, scores, self.group.model.members())
        self.scoring.model.set_evaluation(evaluation)
        self.evaluation = evaluation
        self.scoring.show_evaluation(evaluation)
        self.group.show_checks(evaluation)
        self.conclusion.show_evaluation(evaluation, concluded=self.detail.conclusion if self.read_only else None)
        self.saved_note.clear()
        return evaluation

    # -- keyboard --------------------------------------------------------------------
    def _tab_shown(self, index: int) -> None:
        current = self.scoring.table.currentIndex()
        if index == SCORING_TAB and (not current.isValid() or self.scoring.model.is_section(current.row())):
            self.scoring.table.start_scoring()
        elif index == HEADER_TAB:
            self.header.first_editor().setFocus()

    def _add_member(self) -> None:
        if self.read_only:
            return
        self.tabs.setCurrentIndex(GROUP_TAB)
        self.group.add_member()

    def start_scoring(self) -> None:
        self.tabs.setCurrentIndex(SCORING_TAB)
        self.scoring.table.start_scoring()

    # -- saving ------------------------------------------------------------------------
    def _commit_editors(self) -> None:
        commit_open_editor(self.scoring.table)
        commit_open_editor(self.group.table)

    def save(self) -> bool:
        """Save header, group and scores in one go; each part's errors are shown where they belong."""
        if self.read_only:
            return True
        self._commit_editors()
        field_errors: dict[str, str] = {}
        member_errors: dict[int, str] = {}
        item_errors: dict[str, str] = {}
        raw = {**self.header.values(), "opinion": self.conclusion.opinion.toPlainText(),
               "rectification_deadline": self.conclusion.deadline.text()}
        kept = self.group.model.filled()
        try:
            self.detail = acceptances.save(self.ws, self.detail.uid, header=raw, members=[row for _n, row in kept],
                                           scores=self.scoring.model.raw_scores(self.detail.scores),
                                           expected_rev=self.detail.rev)
        except ValidationError as exc:
            for key, message in exc.field_errors.items():
                if key.startswith("member:"):
                    member_errors[kept[int(key.split(":")[1]) - 1][0]] = message
                elif key.startswith("item:"):
                    item_errors[key] = message
                else:
                    field_errors[key] = message
        except AppError as exc:
            show_error(self, exc)
            return False
        finally:
            self.changed.emit()
        self.errors.show(field_errors)
        self.group.show_errors(member_errors)
        self.scoring.model.set_errors(item_errors)
        self.scoring.show_errors(list(item_errors.values()))
        if field_errors or member_errors or item_errors:
            self._show_first_error(field_errors, member_errors, item_errors)
            return False
        self.saved_note.setText(_("已保存。"))
        return True

    def _show_first_error(self, field_errors, member_errors, item_errors) -> None:
        if any(key not in _CONCLUSION_KEYS for key in field_errors):
            self.tabs.setCurrentIndex(HEADER_TAB)
        elif member_errors:
            self.tabs.setCurrentIndex(GROUP_TAB)
        elif item_errors:
            self.tabs.setCurrentIndex(SCORING_TAB)
            code = next(iter(item_errors)).split(":", 1)[1]
            model = self.scoring.model
            uid = next((u for u, i in model.items.items() if i.code == code), None)
            if uid is not None:
                self.scoring.table.setCurrentIndex(model.index(model.row_of_item(uid), COL_GROUP))
        else:
            self.tabs.setCurrentIndex(CONCLUSION_TAB)
        first = self.errors.slots.get(next(iter(field_errors), ""))
        if first is not None:
            first.editor.setFocus()

    # -- the conclusion ------------------------------------------------------------------
    def conclude(self) -> bool:
        """Save, confirm the conclusion and why, and record it (a pass issues the certificate)."""
        if self.read_only or not self.save():
            return False
        evaluation = self.evaluate()
        if not evaluation.conclusion:
            self.errors.show({"conclusion": _("还不能作出结论，请先完成下列各项。")})
            self.tabs.setCurrentIndex(CONCLUSION_TAB)
            return False
        effect = (_("将签发合格证书，验收记录此后不能再修改。") if evaluation.conclusion == "pass"
                  else _("整改意见将记入问题台账，验收记录此后不能再修改；整改后发起复验。"))
        reasons = "\n".join(f"· {reason}" for reason in evaluation.reasons)
        question = _("验收结论：{verdict}\n\n依据：\n{reasons}\n\n{effect}\n确定作出此结论吗？").format(
            verdict=verdict_text(evaluation), reasons=reasons, effect=effect)
        answer = QMessageBox.question(self, _("作出结论"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.detail = acceptances.conclude(self.ws, self.detail.uid, opinions=self.conclusion.opinion_lines(),
                                               rectification_deadline=self.conclusion.deadline.text(),
                                               expected_rev=self.detail.rev)
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            self.tabs.setCurrentIndex(CONCLUSION_TAB)
            first = self.errors.slots.get(next(iter(exc.field_errors), ""))
            if first is not None:
                first.editor.setFocus()
            return False
        except AppError as exc:
            show_error(self, exc)
            return False
        self.errors.clear()
        self._load()
        self.tabs.setCurrentIndex(CONCLUSION_TAB)
        self.changed.emit()
        return True
