"""The backup folder's format: its manifest, and the checks a backup must pass to be used.

Shared by making a backup (``backups``: read back before it is called done) and by
restoring one (``restore``: checked whole before anything is replaced). Qt-free.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import AppError
from app.i18n import N_, _
from app.services.tasks import CancelToken, ProgressSink, no_progress

FORMAT = "yaan-archive-kit-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
README = "README.txt"
DB_NAME = "archive.db"
STORE_DIR = "attachments"
PARTIAL_PREFIX = ".partial-"
CHUNK = 1024 * 1024
_HASH_NAME = re.compile(r"^[0-9a-f]{64}$")

REASONS: dict[str, str] = {
    "manual": N_("手动备份"),
    "import": N_("导入数据包前的自动备份"),
    "migration": N_("升级数据库结构前的自动备份"),
    "move": N_("更换数据文件夹"),
}
#: tables whose live rows a backup counts, to be shown before a restore
COUNTED: dict[str, str] = {
    "sub_projects": N_("子项目"),
    "guidance_visits": N_("现场指导"),
    "problems": N_("问题"),
    "acceptances": N_("档案验收"),
    "certificates": N_("证书"),
    "attachments": N_("附件"),
}


class BackupRefused(AppError):
    """A backup that is damaged, incomplete, of another program or of a newer version."""


class FolderUnavailable(AppError):
    """The folder a backup should go to cannot be created or written."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup's manifest says (checked only when it came from ``verify_backup``)."""

    path: Path
    #: local time, ISO 8601 to the microsecond (orders backups made within one second)
    created_at: str
    reason: str
    automatic: bool
    app_version: str
    schema_revision: str | None
    node_uid: str | None
    node_code: str
    division: str
    counts: dict[str, int]
    files: dict[str, dict[str, Any]]
    missing_attachments: tuple[str, ...]

    @property
    def created_text(self) -> str:
        """The time as a person reads it: ``2016-05-10 14:30:00``."""
        return self.created_at[:19].replace("T", " ")

    @property
    def database_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def size(self) -> int:
        return sum(int(f["size"]) for f in self.files.values())

    @property
    def attachment_files(self) -> list[str]:
        return [rel for rel in self.files if rel.startswith(STORE_DIR + "/")]

    def describe(self) -> str:
        """A few lines in words, for the restore question and the command line."""
        counts = "、".join(_("{label} {n}").format(label=_(label), n=self.counts[table])
                          for table, label in COUNTED.items() if table in self.counts)
        lines = [
            _("备份时间：{time}（{reason}）").format(time=self.created_text,
                                                  reason=_(REASONS.get(self.reason, self.reason))),
            _("本机：{division} {code}　程序版本 {version}　数据库结构 {schema}").format(
                division=self.division, code=self.node_code, version=self.app_version,
                schema=self.schema_revision or "-"),
            _("内容：{counts}；共 {files} 个文件，{size}").format(counts=counts or "-", files=len(self.files),
                                                            size=size_text(self.size)),
        ]
        if self.missing_attachments:
            lines.append(_("备份时已缺失或被改动、未能备份的附件：{n} 个").format(n=len(self.missing_attachments)))
        return "\n".join(lines)


def size_text(size: int) -> str:
    if size >= 1024 ** 3:
        return f"{size / 1024 ** 3:.1f} GB"
    if size >= 1024 ** 2:
        return f"{size / 1024 ** 2:.1f} MB"
    return f"{max(size, 0) / 1024:.0f} KB"


# -- small file helpers ----------------------------------------------------------------
def check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.check()


def hash_file(path: Path, cancel: CancelToken | None = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            check_cancel(cancel)
    return digest.hexdigest()


def copy_file(source: Path, target: Path, cancel: CancelToken | None = None) -> str:
    """Copy and fsync; returns the SHA-256 of what was read from ``source``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            check_cancel(cancel)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory (and need not)
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_tree(path: Path) -> None:
    """Delete a folder even where files are read-only (Windows refuses to delete those)."""
    def unlock(func, name, _exc):
        try:
            os.chmod(name, 0o700)
            func(name)
        except OSError:
            pass
    if not path.exists():
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=unlock)
    else:
        shutil.rmtree(path, onerror=unlock)


def store_files(store: Path) -> list[Path]:
    """The content-addressed files of an attachment store (``ab/ab12…``), temp files left out."""
    if not store.is_dir():
        return []
    return sorted(p for p in store.glob("??/*")
                  if p.is_file() and _HASH_NAME.match(p.name) and p.parent.name == p.name[:2])


# -- reading a database ------------------------------------------------------------
def open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)


def database_facts(con: sqlite3.Connection) -> dict[str, Any]:
    """Schema revision, node and counts of a database; absent tables give empty answers."""
    facts: dict[str, Any] = {"schema_revision": None, "node": {}, "counts": {}}
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" in tables:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        facts["schema_revision"] = row[0] if row else None
    if {"nodes", "divisions"} <= tables:
        try:
            row = con.execute("SELECT n.uid, n.code, d.name FROM nodes n JOIN divisions d ON d.uid = n.division_uid "
                              "WHERE n.is_local = 1").fetchone()
        except sqlite3.OperationalError:  # an old schema: nodes had no code yet
            row = con.execute("SELECT n.uid, '', d.name FROM nodes n JOIN divisions d ON d.uid = n.division_uid "
                              "WHERE n.is_local = 1").fetchone()
        if row:
            facts["node"] = {"uid": row[0], "code": row[1], "division": row[2]}
    for table in COUNTED:
        if table in tables:
            try:
                facts["counts"][table] = con.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]
            except sqlite3.OperationalError:  # an old schema without tombstones
                facts["counts"][table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return facts


def referenced_attachments(con: sqlite3.Connection) -> set[str]:
    """The hashes of the files the database's live attachment records point at."""
    try:
        return {r[0] for r in con.execute("SELECT DISTINCT sha256 FROM attachments WHERE deleted = 0")}
    except sqlite3.OperationalError:  # a schema from before attachments
        return set()


def integrity_problems(db_file: Path) -> list[str]:
    """``PRAGMA integrity_check`` of a database file, opened read-only: [] when sound."""
    try:
        con = open_read_only(db_file)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


# -- manifest --------------------------------------------------------------------------
def _info(path: Path, manifest: dict[str, Any]) -> BackupInfo:
    node = manifest.get("node") or {}
    return BackupInfo(path=path, created_at=str(manifest.get("created_at", "")), reason=str(manifest.get("reason", "")),
                      automatic=bool(manifest.get("automatic")), app_version=str(manifest.get("app_version", "")),
                      schema_revision=manifest.get("schema_revision"), node_uid=node.get("uid"),
                      node_code=str(node.get("code", "")), division=str(node.get("division", "")),
                      counts=dict(manifest.get("counts") or {}), files=dict(manifest.get("files") or {}),
                      missing_attachments=tuple(manifest.get("missing_attachments") or ()))


def read_manifest(path: Path) -> BackupInfo:
    """The manifest of backup folder ``path`` (or of the folder holding a chosen manifest file)."""
    path = Path(path)
    if path.is_file() and path.name == MANIFEST:
        path = path.parent
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupRefused(_("{path} 不是本程序的备份：其中没有备份清单 {manifest}。").format(
            path=path, manifest=MANIFEST)) from None
    except (OSError, ValueError) as exc:
        raise BackupRefused(_("备份 {path} 的清单已损坏，无法读取（{error}）。").format(path=path, error=exc)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupRefused(_("{path} 不是本程序的备份。").format(path=path))
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupRefused(_("备份 {path} 由更新版本的程序制作，请升级本程序后再恢复。").format(path=path))
    return _info(path, manifest)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups directly inside ``folder``, newest first (manifests read, not verified)."""
    found = []
    folder = Path(folder)
    if not folder.is_dir():
        return []
    for child in folder.iterdir():
        if child.is_dir() and not child.name.startswith(".") and (child / MANIFEST).is_file():
            try:
                found.append(read_manifest(child))
            except BackupRefused:
                continue
    return sorted(found, key=lambda i: (i.created_at, i.path.name), reverse=True)


# -- verification ----------------------------------------------------------------------
def _safe_member(root: Path, rel: str) -> Path | None:
    parts = Path(rel).parts
    if not parts or Path(rel).is_absolute() or ".." in parts or "\\" in rel or ":" in rel:
        return None
    return root.joinpath(*parts)


def _file_problems(root: Path, files: dict[str, dict[str, Any]], *, skip: frozenset[str] = frozenset(),
                   cancel: CancelToken | None, progress: ProgressSink) -> list[str]:
    problems: list[str] = []
    message = _("正在校验备份文件…")
    todo = [rel for rel in files if rel not in skip]
    for n, rel in enumerate(todo):
        progress(n, len(todo), message)
        check_cancel(cancel)
        meta = files[rel]
        member = _safe_member(root, rel)
        if member is None:
            problems.append(_("清单中的路径不安全：{name}").format(name=rel))
        elif not member.is_file():
            problems.append(_("缺少文件：{name}").format(name=rel))
        elif member.stat().st_size != meta.get("size") or hash_file(member, cancel) != meta.get("sha256"):
            problems.append(_("文件已损坏（与清单中的哈希值不符）：{name}").format(name=rel))
    progress(len(todo), len(todo), message)
    return problems


def _refusal(path: Path, problems: list[str]) -> BackupRefused:
    shown = "\n".join(problems[:8])
    more = _("\n……另有 {n} 处问题").format(n=len(problems) - 8) if len(problems) > 8 else ""
    return BackupRefused(_("备份 {path} 未通过校验，不能使用：\n{problems}{more}").format(
        path=path, problems=shown, more=more))


@functools.cache
def _known_revisions() -> frozenset[str]:
    from app.db.migrate import known_revisions  # reads every migration script: once per process

    return frozenset(known_revisions())


def verify_backup(path: Path, *, cancel: CancelToken | None = None, progress: ProgressSink = no_progress,
                  already_read: frozenset[str] = frozenset()) -> BackupInfo:
    """Every file against the manifest, ``PRAGMA integrity_check``, the schema known to this
    program, and every attachment the database points at present. Raises ``BackupRefused``."""
    info = read_manifest(path)
    if DB_NAME not in info.files:
        raise _refusal(info.path, [_("清单中没有数据库文件 {name}").format(name=DB_NAME)])
    problems = _file_problems(info.path, info.files, skip=already_read, cancel=cancel, progress=progress)
    if problems:
        raise _refusal(info.path, problems)
    progress(0, 0, _("正在检查数据库完整性…"))
    problems = integrity_problems(info.database_path)
    if problems:
        raise _refusal(info.path, [_("数据库完整性检查未通过：{finding}").format(finding=p) for p in problems])
    con = open_read_only(info.database_path)
    try:
        facts = database_facts(con)
        referenced = referenced_attachments(con)
    finally:
        con.close()
    if facts["schema_revision"] is not None and facts["schema_revision"] not in _known_revisions():
        raise BackupRefused(_("备份 {path} 的数据库由更新版本的程序创建（结构版本 {rev}），请升级本程序后再恢复。").format(
            path=info.path, rev=facts["schema_revision"]))
    held = {Path(rel).name for rel in info.attachment_files}
    absent = sorted(referenced - held - set(info.missing_attachments))
    if absent:
        raise _refusal(info.path, [_("数据库登记的附件不在备份中：{sha}").format(sha=sha) for sha in absent])
    return info
