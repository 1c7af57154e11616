"""文件 > 备份… / 恢复…: the backup service in the worker, and the window reopened after a restore.

A restore runs in two jobs: the backup is verified while the database stays open (a
damaged backup is refused and nothing changes), then, once the person agreed, the
window's workspace is closed, the restore replaces the database (verifying again: the
folder may have changed meanwhile), and a new window opens on the restored database.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from app.errors import AppError
from app.i18n import _
from app.services import backups, restore
from app.services import settings as app_settings
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.worker import Task, run_task, wait_for_workers

log = logging.getLogger(__name__)

_LAST_FOLDER = "backup/last_folder"
#: windows opened by a reopen, kept referenced (a parentless window is Python's to keep)
_windows: list[QWidget] = []


def _start_folder() -> str:
    return str(QSettings().value(_LAST_FOLDER, str(app_settings.load().backup_dir())))


def choose_backup_folder(parent: QWidget) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, _("选择存放备份的文件夹（可以是 U 盘）"), _start_folder())
    if not chosen:
        return None
    QSettings().setValue(_LAST_FOLDER, chosen)
    return Path(chosen)


def backup(window, folder: Path | None = None) -> Task | None:
    """Back up the open database into ``folder`` (asked for when None), with progress and Cancel."""
    folder = folder or choose_backup_folder(window)
    if folder is None:
        return None
    db_path = window.ws.db.path

    def work(cancel, progress) -> backups.BackupInfo:
        return backups.create_backup(db_path, folder, cancel=cancel, progress=progress)

    def done(info: backups.BackupInfo) -> None:
        text = _("备份已写入，并已逐一读回核对：\n{path}\n\n{describe}").format(path=info.path, describe=info.describe())
        if info.missing_attachments:
            QMessageBox.warning(window, _("备份完成，但有附件缺失"), text + "\n\n" + _(
                "这些附件在备份之前就已缺失或被改动（工具 > 检查附件 可查看是哪些）。"))
        else:
            QMessageBox.information(window, _("备份完成"), text)
        window.statusBar().showMessage(_("已备份到 {path}").format(path=info.path), 8000)

    window.backup_task = run_task(window, _("备份"), work, on_done=done)
    return window.backup_task


def choose_backup(parent: QWidget) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, _("选择要恢复的备份（以 backup- 开头的文件夹）"), _start_folder())
    return Path(chosen) if chosen else None


def restore_from(window, backup_path: Path | None = None, *, confirm: bool = True) -> Task | None:
    """Verify ``backup_path`` (asked for when None); on success ask, then replace and reopen."""
    backup_path = backup_path or choose_backup(window)
    if backup_path is None:
        return None

    def work(cancel, progress) -> backups.BackupInfo:
        return backups.verify_backup(backup_path, cancel=cancel, progress=progress)

    def verified(info: backups.BackupInfo) -> None:
        if confirm and not _agree(window, info):
            return
        replace_database(window, info.path)

    window.backup_task = run_task(window, _("检查备份"), work, on_done=verified)
    return window.backup_task


def _agree(window, info: backups.BackupInfo) -> bool:
    question = _(
        "确定用这份备份替换当前数据库吗？\n\n{describe}\n\n"
        "当前数据库会改名保留在 {folder}，不会删除。备份之后录入或导入的内容不在备份中："
        "已报送市局的，恢复后可再次导入市局的数据包补回；本机签发的证书编号可能与已签发的重复，"
        "市局导入时会提示。").format(describe=info.describe(), folder=window.ws.db.path.parent)
    answer = QMessageBox.question(window, _("恢复备份"), question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def replace_database(window, backup_path: Path) -> Task:
    """Close the window's workspace, restore in the worker, reopen the window on the result."""
    db_path = window.ws.db.path
    if getattr(window, "task", None) is not None:
        window.task.cancel()
    wait_for_workers()
    window.ws.close()

    def work(cancel, progress) -> restore.RestoreResult:
        return restore.restore_backup(backup_path, db_path, cancel=cancel, progress=progress)

    def done(result: restore.RestoreResult) -> None:
        new = reopen_window(window, db_path)
        if new is None:
            return
        lines = [_("已从备份恢复（{time}）。").format(time=result.backup.created_text)]
        if result.replaced is not None:
            lines.append(_("原数据库已改名保留为：{path}").format(path=result.replaced))
        QMessageBox.information(new, _("恢复完成"), "\n".join(lines))

    window.backup_task = run_task(window, _("恢复备份"), work, on_done=done)
    return window.backup_task


def reopen_window(old, db_path: Path):
    """Open ``db_path`` (migrated if older) in a new main window and close ``old``.

    Returns the new window, or None when the database cannot be opened (``old`` stays).
    """
    from app.ui.dialogs.setup_dialog import SetupDialog
    from app.ui.main_window import MainWindow

    try:
        ws = Workspace.open(db_path)
    except AppError as exc:
        show_error(old, exc, title=_("无法打开数据库"))
        return None
    if ws.needs_setup and SetupDialog(ws).exec() != QDialog.DialogCode.Accepted:
        ws.close()
        return None
    window = MainWindow(ws)
    _windows.append(window)
    QApplication.instance().aboutToQuit.connect(ws.close)
    window.show()
    window.start_integrity_check()
    old.close()
    if old in _windows:
        _windows.remove(old)
    log.info("window reopened on %s", db_path)
    return window
