"""Restore (恢复) a backup in place of the database, and move the data to another folder.

A restore checks before it replaces, in an order that leaves the data as it was when
anything is refused or fails part-way:

1. the whole backup is verified: every file against its hash, ``PRAGMA integrity_check``,
   a schema this program knows, every attachment the database points at present. A
   damaged backup is refused with the reason and nothing is touched;
2. the live database must be closed by every program (an exclusive lock says so), and
   its WAL is folded into the file while the lock is held;
3. the backup's attachments are added to the store. The store is content-addressed:
   adding a file changes no other, and intact files are left alone;
4. the backup's database is copied beside the live one under a temporary name and the
   copy's hash checked;
5. the live database is renamed aside with a timestamp
   (``archive.replaced-20160510-143000.db``, with its ``-wal``/``-shm`` if any) and the copy
   renamed into its place. If that last rename fails the old one is put back.

The replaced database is never deleted by the program.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.errors import AppError
from app.i18n import _
from app.services.backup_format import (STORE_DIR, BackupInfo, BackupRefused, check_cancel, copy_file, fsync_dir,
                                        hash_file, remove_tree, verify_backup)
from app.services.tasks import CancelToken, ProgressSink, no_progress

log = logging.getLogger(__name__)

KEYS_DIR = "keys"
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


class DatabaseInUse(AppError):
    pass


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupInfo
    database: Path
    #: where the database that was replaced now is (None: there was none)
    replaced: Path | None
    attachments_added: int


def _in_use_message(db_path: Path) -> str:
    return _("数据库 {path} 正在被使用（程序窗口或另一个命令还开着它），请先关闭后再试。未作任何改动。").format(
        path=db_path)


def settle_database(db_path: Path) -> None:
    """Make sure nobody has ``db_path`` open and fold its WAL into the file.

    Raises ``DatabaseInUse`` when another connection holds it. A database too damaged to
    lock is let through: it is what a restore replaces.
    """
    if not db_path.exists():
        return
    try:
        con = sqlite3.connect(db_path, timeout=0.5, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        # In WAL mode an exclusive locking mode is refused while any other connection is open.
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseInUse(_in_use_message(db_path)) from None
        log.warning("database %s could not be settled (%s): replaced as it is", db_path, exc)
    except sqlite3.DatabaseError as exc:
        log.warning("database %s damaged (%s): replaced as it is", db_path, exc)
    finally:
        con.close()


def _place_attachment(source: Path, target: Path, sha256: str, cancel: CancelToken | None) -> bool:
    """Put one file in the store unless an intact copy is there; True when it was added."""
    if target.is_file() and target.stat().st_size == source.stat().st_size and hash_file(target, cancel) == sha256:
        return False
    temp = target.with_name(f".tmp-restore-{sha256[:16]}")
    try:
        if copy_file(source, temp, cancel) != sha256 or hash_file(temp, cancel) != sha256:
            raise BackupRefused(_("附件 {sha} 在恢复过程中读出的内容与清单不符（磁盘或 U 盘出错？），未作替换。").format(
                sha=sha256))
        os.chmod(temp, _READ_ONLY)  # files of record are read-only in the store
        if target.exists():
            os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)  # Windows refuses to replace a read-only file
        os.replace(temp, target)
    except BaseException:
        if temp.exists():
            os.chmod(temp, stat.S_IRUSR | stat.S_IWUSR)
            temp.unlink()
        raise
    return True


def restore_backup(backup: Path, db_path: Path, *, cancel: CancelToken | None = None,
                   progress: ProgressSink = no_progress) -> RestoreResult:
    """Replace the database at ``db_path`` (and fill its attachment store) from ``backup``.

    The caller has closed its own workspace on ``db_path``. Raises ``BackupRefused`` for a
    backup that fails any check, ``DatabaseInUse`` while the database is open elsewhere.
    """
    db_path = Path(db_path)
    try:
        info = verify_backup(Path(backup), cancel=cancel, progress=progress)
    except BackupRefused as exc:
        raise BackupRefused(exc.message + "\n" + _("当前数据库和附件未作任何改动。")) from None
    db_path.parent.mkdir(parents=True, exist_ok=True)
    settle_database(db_path)
    store = db_path.parent / STORE_DIR
    added = 0
    message = _("正在恢复附件…")
    files = info.attachment_files
    for n, rel in enumerate(files):
        progress(n, len(files), message)
        check_cancel(cancel)
        source = info.path.joinpath(*rel.split("/"))
        sha = source.name
        target = store / sha[:2] / sha
        target.parent.mkdir(parents=True, exist_ok=True)
        added += _place_attachment(source, target, sha, cancel)
    progress(0, 0, _("正在恢复数据库…"))
    temp = db_path.with_name(f".restoring-{db_path.name}")
    try:
        expected = info.files[info.database_path.name]["sha256"]
        if copy_file(info.database_path, temp, cancel) != expected or hash_file(temp, cancel) != expected:
            raise BackupRefused(_("备份的数据库在恢复过程中读出的内容与清单不符（磁盘或 U 盘出错？），未作替换。"))
        check_cancel(cancel)
        settle_database(db_path)  # once more: nobody may have opened it meanwhile
        replaced = _swap(temp, db_path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    log.info("restored %s from %s; replaced database kept as %s", db_path, info.path, replaced)
    return RestoreResult(info, db_path, replaced, added)


def _swap(new: Path, db_path: Path) -> Path | None:
    """Rename the live database aside with a timestamp and ``new`` into its place."""
    if not db_path.exists():
        os.replace(new, db_path)
        fsync_dir(db_path.parent)
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}.replaced-{stamp}{db_path.suffix}")
    n = 2
    while aside.exists():
        aside = db_path.with_name(f"{db_path.stem}.replaced-{stamp}-{n}{db_path.suffix}")
        n += 1
    os.replace(db_path, aside)
    moved = []
    try:
        for suffix in ("-wal", "-shm"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
                moved.append(suffix)
        os.replace(new, db_path)
    except BaseException:
        for suffix in moved:
            os.replace(aside.with_name(aside.name + suffix), db_path.with_name(db_path.name + suffix))
        os.replace(aside, db_path)
        raise
    fsync_dir(db_path.parent)
    return aside


# -- another data folder ---------------------------------------------------------------
def copy_data_folder(db_path: Path, folder: Path, *, cancel: CancelToken | None = None,
                     progress: ProgressSink = no_progress) -> Path:
    """Copy the database, its attachments and the node's keys into ``folder``; returns the
    new database's path. The copy goes through a verified backup; the old folder stays."""
    from app.services.backups import create_backup

    db_path, folder = Path(db_path), Path(folder)
    target = folder / db_path.name
    if target.exists():
        raise AppError(_("{folder} 中已有数据库文件，未作复制。").format(folder=folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AppError(_("无法创建文件夹 {folder}：{error}").format(folder=folder, error=exc)) from None
    staging = folder / f".moving-{datetime.now():%Y%m%d-%H%M%S}"
    try:
        info = create_backup(db_path, staging, reason="move", cancel=cancel, progress=progress)
        restore_backup(info.path, target, cancel=cancel, progress=progress)
        _copy_keys(db_path.parent / KEYS_DIR, folder / KEYS_DIR)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        remove_tree(staging)
    return target


def _copy_keys(source: Path, target: Path) -> None:
    """The node's private keys go with the data on the same laptop (never into a backup)."""
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for key in source.glob("*.pem"):
        dest = target / key.name
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.read_bytes())
            fh.flush()
            os.fsync(fh.fileno())
