"""Backups (备份): the database and its attachments, copied as one self-describing folder.

A backup is a folder ``backup-<date>-<time>-<reason>-<node code>`` holding:

- ``archive.db``: the database, copied with SQLite's backup API inside one read
  transaction, so it is the state at the moment the backup started even while the
  program keeps writing (a file copy of a WAL database would lose what is still in the
  WAL). The copy is switched to rollback-journal mode: one file, nothing beside it.
- ``attachments/``: the content-addressed files, laid out as in the data folder.
- ``manifest.json``: format, time, reason, app version, schema revision, node, record
  counts, and the SHA-256 and size of every file; ``README.txt`` says what the folder is.

It is written as ``.partial-…`` and renamed only once every file has been read back and
matched against the manifest and ``PRAGMA integrity_check`` passed: a folder with the
final name is whole. Attachment files that an earlier backup in the same folder already
holds are hard-linked from it when the disk allows (they never change: the name is the
hash), so keeping ten backups does not keep ten copies of every photo; an automatic
backup checks a linked file by its size (its bytes were hashed when the earlier backup
was written), a backup made by hand hashes it again.

Node private keys are never in a backup (``app.sync.keys``): whoever finds the stick
cannot sign packages in the county's name. A laptop restored from a backup makes a new
key, which the city enrols again.

Automatic backups, before a schema migration and before a package import, go to the
backup folder of the settings (when the database is the configured one; else to
``backups`` beside it). The newest N automatic backups of the node are kept there;
backups made by hand are never deleted by the program.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app import __version__
from app.errors import AppError
from app.i18n import _
from app.services import settings as app_settings
from app.services.backup_format import (DB_NAME, FORMAT, FORMAT_VERSION, MANIFEST, PARTIAL_PREFIX, README,
                                        STORE_DIR, BackupInfo, BackupRefused, FolderUnavailable, check_cancel,
                                        copy_file, database_facts, fsync_dir, hash_file, list_backups, read_manifest,
                                        referenced_attachments, remove_tree, store_files, verify_backup)
from app.services.tasks import CancelToken, ProgressSink, no_progress

__all__ = ["BackupInfo", "BackupRefused", "automatic_backup", "before_import", "create_backup", "list_backups",
           "prune", "verify_backup"]

log = logging.getLogger(__name__)

#: pages copied per backup step: progress and Cancel between steps (4 MiB at 4 KiB pages)
PAGES_PER_STEP = 1024


def copy_database(source: Path, target: Path, cancel: CancelToken | None = None,
                  progress: ProgressSink = no_progress) -> None:
    """A consistent copy of a live database through the backup API, as one rollback-journal file.

    The source connection holds one read transaction for the whole copy, so every step
    reads the same snapshot: writers carry on (WAL), the copy never restarts, and it holds
    exactly what was committed when the copy began.
    """
    message = _("正在复制数据库…")
    src = sqlite3.connect(source, isolation_level=None)
    try:
        src.execute("PRAGMA busy_timeout=10000")
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        dst = sqlite3.connect(target)
        try:
            # no journal and no syncs while copying into a fresh file (a failed copy is thrown
            # away whole); the file is synced once at the end
            dst.execute("PRAGMA journal_mode=OFF")
            dst.execute("PRAGMA synchronous=OFF")
            def step(_status: int, remaining: int, total: int) -> None:
                progress(total - remaining, total, message)
                check_cancel(cancel)  # raising here aborts the copy
            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        src.execute("COMMIT")
    finally:
        src.close()
    with open(target, "rb") as fh:
        os.fsync(fh.fileno())


# -- making a backup -------------------------------------------------------------------
def _unique_name(folder: Path, stem: str) -> Path:
    candidate, n = folder / stem, 2
    while candidate.exists():
        candidate, n = folder / f"{stem}-{n}", n + 1
    return candidate


def _link_sources(folder: Path) -> list[Path]:
    """Earlier backups in ``folder`` whose attachment files a new one may hard-link."""
    return [i.path for i in list_backups(folder)]


def _readme(info: dict[str, Any]) -> str:
    node = info.get("node") or {}
    return "\n".join([
        _("雅安灾后重建项目档案现场工作包 — 数据备份"),
        _("备份时间：{time}　本机：{division} {code}").format(time=info["created_at"][:19].replace("T", " "), division=node.get("division", ""),
                                                      code=node.get("code", "")),
        _("恢复：在程序中选择 文件 > 恢复…，选中本文件夹；或运行 python -m app restore 本文件夹。"),
        _("请不要修改、增删本文件夹中的文件：恢复前会逐一核对哈希值，任何改动都会使备份被拒绝。"),
        "",
    ])


def create_backup(db_path: Path, out_dir: Path, *, reason: str = "manual", automatic: bool = False,
                  cancel: CancelToken | None = None, progress: ProgressSink = no_progress) -> BackupInfo:
    """Back up the database at ``db_path`` and its attachment store into a new folder in
    ``out_dir``; returns the verified backup. Nothing with the final name exists on failure."""
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise AppError(_("找不到数据库文件 {path}。").format(path=db_path))
    stamp = datetime.now()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        partial = out_dir / f"{PARTIAL_PREFIX}{stamp:%Y%m%d-%H%M%S-%f}"
        partial.mkdir()
    except OSError as exc:
        raise FolderUnavailable(_("无法在 {folder} 中写入备份：{error}").format(folder=out_dir, error=exc)) from None
    try:
        return _write_backup(db_path, out_dir, partial, stamp, reason, automatic, cancel, progress)
    except OSError as exc:
        remove_tree(partial)
        raise AppError(_("备份未完成：{error}（磁盘已满或 U 盘被拔出？）").format(error=exc)) from None
    except sqlite3.Error as exc:
        remove_tree(partial)
        raise AppError(_("数据库 {path} 无法读取，备份未完成：{error}").format(path=db_path, error=exc)) from None
    except BaseException:
        remove_tree(partial)
        raise


def _write_backup(db_path: Path, out_dir: Path, partial: Path, stamp: datetime, reason: str, automatic: bool,
          cancel: CancelToken | None, progress: ProgressSink) -> BackupInfo:
    db_copy = partial / DB_NAME
    copy_database(db_path, db_copy, cancel, progress)
    con = sqlite3.connect(db_copy)
    try:
        facts = database_facts(con)
        referenced = referenced_attachments(con)
    finally:
        con.close()
    files: dict[str, dict[str, Any]] = {DB_NAME: {"sha256": hash_file(db_copy, cancel), "size": db_copy.stat().st_size}}
    read_back = {DB_NAME}
    sources = _link_sources(out_dir)
    stored = store_files(db_path.parent / STORE_DIR)
    message = _("正在复制附件…")
    held: set[str] = set()
    for n, source in enumerate(stored):
        progress(n, len(stored), message)
        check_cancel(cancel)
        rel = f"{STORE_DIR}/{source.parent.name}/{source.name}"
        target = partial / STORE_DIR / source.parent.name / source.name
        if _link_from(sources, rel, target, source, cancel, check_content=not automatic):
            read_back.add(rel)  # checked where it now lies
        elif copy_file(source, target, cancel) != source.name:
            # the store's copy was altered after it was stored: it is not this attachment
            target.unlink()
            log.warning("attachment %s altered in the store: left out of the backup", source.name)
            continue
        files[rel] = {"sha256": source.name, "size": target.stat().st_size}
        held.add(source.name)
    progress(len(stored), len(stored), message)
    missing = sorted(referenced - held)
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": stamp.isoformat(timespec="microseconds"),
                "reason": reason, "automatic": automatic, "app_version": __version__,
                "schema_revision": facts["schema_revision"], "node": facts["node"], "counts": facts["counts"],
                "source_database": str(db_path), "missing_attachments": missing}
    readme = partial / README
    readme.write_text(_readme(manifest), encoding="utf-8")
    files[README] = {"sha256": hash_file(readme), "size": readme.stat().st_size}
    manifest["files"] = files
    with open(partial / MANIFEST, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    verify_backup(partial, cancel=cancel, progress=progress, already_read=frozenset(read_back))
    code = facts["node"].get("code") or "new"
    final = _unique_name(out_dir, f"backup-{stamp:%Y%m%d-%H%M%S}-{reason}-{code}")
    os.replace(partial, final)
    fsync_dir(out_dir)
    return read_manifest(final)


def _link_from(sources: list[Path], rel: str, target: Path, source: Path, cancel: CancelToken | None, *,
               check_content: bool) -> bool:
    """Hard-link ``rel`` from an earlier backup whose copy is intact.

    A backup made by hand hashes the linked file again. An automatic one (before every
    import: it must stay quick with gigabytes of photos) checks the size only: the bytes
    were hashed when the earlier backup was written, and a restore hashes every file.
    """
    for backup in sources:
        candidate = backup.joinpath(*rel.split("/"))
        if not candidate.is_file() or candidate.stat().st_size != source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(candidate, target)
        except OSError:
            return False  # FAT32 sticks and some shares have no hard links: copy instead
        if not check_content or hash_file(target, cancel) == source.name:
            return True
        target.unlink()
    return False


# -- automatic backups -----------------------------------------------------------------
def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def automatic_folder(db_path: Path) -> Path:
    """Where automatic backups of ``db_path`` go: the settings' backup folder for the
    configured database, ``backups`` beside any other (a test or a ``--db`` file)."""
    configured = app_settings.load()
    if _same_file(Path(db_path), configured.database_path()):
        return configured.backup_dir()
    return Path(db_path).parent / app_settings.BACKUPS_DIR


def automatic_backup(db_path: Path, *, reason: str, cancel: CancelToken | None = None,
                     progress: ProgressSink = no_progress) -> BackupInfo:
    """A backup before a risky change, then the oldest automatic ones beyond the kept count
    removed. When a chosen folder is missing (the stick is not plugged in: creating its
    path would write to the laptop's own disk under the stick's mount point) or cannot be
    written, the backup goes beside the database: the change never proceeds without one."""
    db_path = Path(db_path)
    folder = automatic_folder(db_path)
    fallback = db_path.parent / app_settings.BACKUPS_DIR
    if not _same_file(folder, fallback) and not folder.is_dir():
        log.warning("backup folder %s missing: automatic backup written to %s", folder, fallback)
        folder = fallback
    try:
        info = create_backup(db_path, folder, reason=reason, automatic=True, cancel=cancel, progress=progress)
    except FolderUnavailable:
        if _same_file(folder, fallback):
            raise
        log.warning("backup folder %s not writable: automatic backup written to %s", folder, fallback)
        folder = fallback
        info = create_backup(db_path, folder, reason=reason, automatic=True, cancel=cancel, progress=progress)
    prune(folder, app_settings.load().backups_keep, info.node_uid)
    log.info("automatic backup (%s) written to %s", reason, info.path)
    return info


def before_import(ws, *, cancel: CancelToken | None = None, progress: ProgressSink = no_progress) -> BackupInfo:
    """The backup a package import takes before it merges anything."""
    return automatic_backup(ws.db.path, reason="import", cancel=cancel, progress=progress)


def prune(folder: Path, keep: int, node_uid: str | None) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups of ``node_uid`` in ``folder``,
    and partial folders a crash left there more than a day ago. Returns what was deleted."""
    removed = []
    automatic = [i for i in list_backups(folder) if i.automatic and i.node_uid == node_uid]
    for old in automatic[max(keep, 1):]:
        remove_tree(old.path)
        removed.append(old.path)
    limit = datetime.now() - timedelta(days=1)
    for child in Path(folder).glob(PARTIAL_PREFIX + "*"):
        if child.is_dir() and datetime.fromtimestamp(child.stat().st_mtime) < limit:
            remove_tree(child)
            removed.append(child)
    return removed
