"""设置 (Ctrl+,): node and operator, data folder, language, printer and paper, backups.

The dialog checks everything before it closes: a bad value is named beside its field and
what was typed stays. What a change of the data folder will do is said under the field
before it is saved:

- the folder already holds a database: the program switches to it at once; the current
  one stays where it is, untouched;
- it does not: the current database, its attachments and the node's key are copied there
  through a verified backup, then the program switches to the copy. The old folder is
  left as it was, for the person to delete once satisfied. Nothing is ever moved away.

When the program runs on a database given with ``--db``, the data folder is only stored
for the next start without ``--db``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget)

from app.errors import ValidationError
from app.i18n import _, current_language
from app.services import enrolment, fields, node, restore
from app.services import settings as app_settings
from app.services.workspace import Workspace
from app.ui.forms import FieldSlot, FormErrors
from app.ui.help.dialog_help import open_guide
from app.ui.printing import available_printers
from app.ui.worker import run_task

NOTE_STYLE = "color: #555555;"


def _same(a: Path, b: Path) -> bool:
    try:
        return a.expanduser().resolve() == b.expanduser().resolve()
    except OSError:
        return False


class SettingsDialog(QDialog):
    """``result_settings`` holds the saved settings after 保存; the caller applies a new data folder."""

    help_topic = "settings"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.settings = app_settings.load()
        self.result_settings: app_settings.Settings | None = None
        self.errors = FormErrors()
        self.setWindowTitle(_("设置"))
        local = next((n for n in enrolment.list_nodes(ws) if n.is_local), None)
        layout = QVBoxLayout(self)
        layout.addWidget(self._identity_group(local))
        layout.addWidget(self._data_group())
        layout.addWidget(self._backup_group())
        layout.addWidget(self._print_group())
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.Help)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        self.buttons.button(QDialogButtonBox.StandardButton.Help).setText(_("帮助"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # the guide's page on settings (F1 too: the Help button carries the HelpContents key)
        self.buttons.helpRequested.connect(self._show_help)
        layout.addWidget(self.buttons)
        self.data_folder.textChanged.connect(self._explain_data_folder)
        self._explain_data_folder()
        self.setMinimumWidth(720)
        self.operator.setFocus()

    # -- layout ----------------------------------------------------------------------
    def _slot(self, key: str, editor: QWidget) -> FieldSlot:
        return self.errors.add(key, FieldSlot(editor, self))

    @staticmethod
    def _note(text: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(NOTE_STYLE)
        return label

    def _folder_row(self, editor: QLineEdit, key: str, title: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._slot(key, editor), 1)
        browse = QPushButton(_("浏览…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(lambda: self._browse(editor, title))
        layout.addWidget(browse, 0)
        setattr(self, f"{key}_browse", browse)
        return row

    def _identity_group(self, local) -> QGroupBox:
        box = QGroupBox(_("本机"))
        form = QFormLayout(box)
        self.division_label = QLabel(node.local_division_name(self.ws) or _("（尚未设置）"))
        self.node_code_label = QLabel(local.code if local else "")
        self.fingerprint_label = QLabel(local.fingerprint if local and local.fingerprint
                                        else _("（尚未生成：第一次导出数据包或本机身份时生成）"))
        for label in (self.node_code_label, self.fingerprint_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.operator = QLineEdit(self.ws.operator)
        form.addRow(_("服务单位："), self.division_label)
        form.addRow(_("节点代码："), self.node_code_label)
        form.addRow(_("密钥指纹："), self.fingerprint_label)
        form.addRow("", self._note(_("本机服务的单位在初始设置时确定，之后不能更改（它决定本机记录和证书编号的归属）。")))
        form.addRow(_("操作员姓名："), self._slot("operator", self.operator))
        return box

    def _data_group(self) -> QGroupBox:
        box = QGroupBox(_("数据和界面"))
        form = QFormLayout(box)
        self.data_folder = QLineEdit(str(self.settings.data_dir()))
        self.data_note = self._note()
        form.addRow(_("数据文件夹："), self._folder_row(self.data_folder, "data_folder", _("选择数据文件夹")))
        form.addRow("", self.data_note)
        self.language = QComboBox()
        for code, name in app_settings.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(self.settings.language), 0))
        form.addRow(_("界面语言："), self._slot("language", self.language))
        self.language_note = self._note(_("更改语言在下次启动程序时生效。"))
        form.addRow("", self.language_note)
        return box

    def _backup_group(self) -> QGroupBox:
        box = QGroupBox(_("备份"))
        form = QFormLayout(box)
        self.backup_folder = QLineEdit(self.settings.backup_folder)
        self.backup_folder.setPlaceholderText(_("默认：数据文件夹中的 backups"))
        form.addRow(_("备份文件夹："), self._folder_row(self.backup_folder, "backup_folder", _("选择备份文件夹")))
        self.backups_keep = QLineEdit(str(self.settings.backups_keep))
        self.backups_keep.setMaximumWidth(80)
        form.addRow(_("保留自动备份份数："), self._slot("backups_keep", self.backups_keep))
        form.addRow("", self._note(_(
            "升级数据库结构和导入数据包之前程序自动备份到这里，只保留最近的这么多份；手动备份（文件 > 备份…）"
            "不会被自动删除。备份文件夹若在 U 盘上而 U 盘未插入，自动备份改存数据文件夹中的 backups。")))
        return box

    def _print_group(self) -> QGroupBox:
        box = QGroupBox(_("打印"))
        form = QFormLayout(box)
        self.printer = QComboBox()
        self.printer.addItem(_("（系统默认打印机）"), "")
        for name in available_printers():
            self.printer.addItem(name, name)
        if self.settings.printer and self.printer.findData(self.settings.printer) < 0:
            self.printer.addItem(_("{name}（未连接）").format(name=self.settings.printer), self.settings.printer)
        self.printer.setCurrentIndex(max(self.printer.findData(self.settings.printer), 0))
        self.paper = QComboBox()
        for code, label in app_settings.PAPER_SIZES.items():
            self.paper.addItem(_(label), code)
        self.paper.setCurrentIndex(max(self.paper.findData(self.settings.paper_size), 0))
        form.addRow(_("默认打印机："), self._slot("printer", self.printer))
        form.addRow(_("纸张："), self._slot("paper_size", self.paper))
        return box

    def _browse(self, editor: QLineEdit, title: str) -> None:
        chosen = QFileDialog.getExistingDirectory(self, title, editor.text() or str(Path.home()))
        if chosen:
            editor.setText(chosen)

    def _fit_height(self) -> None:
        # a dialog's first size ignores how tall its wrapped notes are at its width
        if self.isVisible():
            self.resize(self.width(), max(self.height(), self.heightForWidth(self.width())))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit_height()

    # -- what a new data folder means -------------------------------------------------
    @property
    def runs_on_configured_database(self) -> bool:
        return _same(self.ws.db.path, self.settings.database_path())

    def data_folder_change(self) -> str:
        """"" (unchanged), "store" (only remembered), "switch" (a database is there) or "copy"."""
        text = self.data_folder.text().strip()
        if not text or _same(Path(text), self.settings.data_dir()):
            return ""
        if not self.runs_on_configured_database:
            return "store"
        return "switch" if (Path(text).expanduser() / self.ws.db.path.name).is_file() else "copy"

    def _explain_data_folder(self) -> None:
        change = self.data_folder_change()
        if not self.runs_on_configured_database:
            text = _("本次使用启动时 --db 指定的数据库 {path}；这里的设置在不带 --db 启动时生效。").format(
                path=self.ws.db.path)
        elif change == "switch":
            text = _("该文件夹中已有数据库：保存后程序立即改用它。当前数据库留在原处，不作任何改动。")
        elif change == "copy":
            text = _("保存后，当前数据库、附件和本机密钥会复制到该文件夹并逐一校验，然后程序改用新文件夹。"
                     "原文件夹保持不动，确认无误后可自行删除。")
        else:
            text = _("数据库和附件存放在这里：{path}").format(path=self.ws.db.path)
        self.data_note.setText(text)
        self._fit_height()

    # -- values and saving -----------------------------------------------------------
    def values(self) -> dict[str, str]:
        folder = self.data_folder.text().strip()
        return {"data_folder": "" if folder and _same(Path(folder), app_settings.default_data_folder()) else folder,
                "backup_folder": self.backup_folder.text(), "backups_keep": self.backups_keep.text(),
                "language": self.language.currentData(), "printer": self.printer.currentData(),
                "paper_size": self.paper.currentData()}

    def accept(self) -> None:
        self.message.hide()
        errors: dict[str, str] = {}
        new = None
        try:
            new = app_settings.validate(self.values(), base=self.settings)
        except ValidationError as exc:
            errors.update(exc.field_errors)
        try:
            fields.text(self.operator.text(), _("操作员姓名"), required=True, max_length=64)
        except fields.FieldError as exc:
            errors["operator"] = exc.message
        if errors:
            unplaced = self.errors.show(errors)
            if unplaced:
                self.message.setText("\n".join(unplaced))
                self.message.show()
            return
        self.errors.clear()
        if self.operator.text().strip() != self.ws.operator:
            node.set_operator(self.ws, self.operator.text())
        if self.data_folder_change() not in ("switch", "copy"):
            app_settings.save(new)  # a switch or a copy is saved by open_settings once the new folder is in use
        self.result_settings = new
        super().accept()


    def _show_help(self) -> None:
        open_guide(self, self.help_topic)


def open_settings(window) -> SettingsDialog:
    """Show 设置; after 保存, switch to or copy into a new data folder and reopen the window."""
    from app.ui.backup_actions import reopen_window

    dialog = SettingsDialog(window.ws, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_settings is None:
        return dialog
    new = dialog.result_settings
    change = dialog.data_folder_change()
    if hasattr(window, "refresh"):
        window.refresh()
    if change == "switch":
        app_settings.save(new)
        reopen_window(window, new.database_path())
    elif change == "copy":
        db_path = window.ws.db.path

        def work(cancel, progress) -> Path:
            return restore.copy_data_folder(db_path, new.data_dir(), cancel=cancel, progress=progress)

        def copied(target: Path) -> None:
            app_settings.save(new)
            reopened = reopen_window(window, target)
            if reopened is not None:
                QMessageBox.information(reopened, _("数据文件夹已更换"), _(
                    "数据已复制到 {folder} 并校验无误，程序现在使用它。\n原文件夹 {old} 未作改动。").format(
                    folder=new.data_dir(), old=db_path.parent))

        window.settings_task = run_task(window, _("复制数据到新文件夹"), work, on_done=copied)
    if new.language != current_language() and new.language != dialog.settings.language:
        window.statusBar().showMessage(_("界面语言将在下次启动时更改。"), 8000)
    return dialog
