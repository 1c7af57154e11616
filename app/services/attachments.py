"""Attachments (附件): files kept once per content hash beside the database, and their records.

The store is ``attachments/`` next to the database file; each file lives at
``attachments/<first two hex>/<sha256>`` with no suffix, so the name alone proves the
content (the same naming the export package uses). Stored files are made read-only: a
photo viewer that "rotates and saves" must not silently change a file of record.
The original name, role and caption are in the ``Attachment`` record, written only
through ``records``.

Attachments are records of their own: adding a file never changes its owner. So the
signed and sealed scan of an issued notice, or the signed opinion letter of a concluded
acceptance (both made after the fact), can be attached to a record that is otherwise
frozen. Removing a file from such a record takes a stated reason, kept in the audit log;
the tombstoned record and the stored bytes stay, so the history still shows the file.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError, NotFound, ValidationError
from app.i18n import N_, _
from app.models import SYNC_MODELS, Acceptance, Attachment, Notice
from app.services import records
from app.services.backup_format import fsync_dir
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

STORE_DIR = "attachments"
CHUNK = 1024 * 1024
MAX_SIZE = 200 * 1024 * 1024
TEMP_PREFIX = ".tmp-"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff"})

ROLES: dict[str, str] = {
    "photo": N_("现场照片"),
    "scan": N_("扫描件"),
    "sign_in": N_("签到表"),
    "evidence": N_("整改佐证"),
    "opinion_letter": N_("签字的验收意见书"),
    "sample_photo": N_("抽查案卷照片"),
    "sealed_notice": N_("盖章通报扫描件"),
    "other": N_("其他"),
}

#: the roles that fit each kind of owner, the usual one first; an owner not listed takes any role
OWNER_ROLES: dict[str, tuple[str, ...]] = {
    "guidance_visits": ("photo", "scan", "sign_in", "other"),
    "problems": ("evidence", "photo", "scan", "other"),
    "trainings": ("sign_in", "photo", "scan", "other"),
    "acceptances": ("opinion_letter", "sign_in", "sample_photo", "scan", "other"),
    "notices": ("sealed_notice", "scan", "other"),
}
#: a guessed role that does not fit the owner, put in the owner's words
_GUESS_FOR_OWNER: dict[str, dict[str, str]] = {"acceptances": {"photo": "sample_photo"}}

#: owners that become part of the official record: (model, statuses that freeze it, what to say)
_SEALED: dict[str, tuple[type, frozenset[str], str]] = {
    "notices": (Notice, frozenset({"issued", "superseded"}), N_("该通报已印发，属于正式记录")),
    "acceptances": (Acceptance, frozenset({"concluded"}), N_("该验收已作出结论，属于正式记录")),
}

OK, MISSING, ALTERED = "ok", "missing", "altered"
STATUS_MESSAGES: dict[str, str] = {
    MISSING: N_("文件缺失"),
    ALTERED: N_("文件已被改动：内容与登记时的哈希值不符"),
}

#: A file modified this recently may change again within the same mtime tick, so its hash
#: is not cached (git's "racy" rule).
_RACY_NS = 2_000_000_000
_CACHE_LIMIT = 20_000
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
_hash_cache: dict[tuple[str, int, int], str] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class AttachmentInfo:
    uid: str
    rev: str
    owner_entity: str
    owner_uid: str
    role: str
    filename: str
    sha256: str
    size: int
    caption: str
    #: "" until checked; then ok / missing / altered
    status: str = ""

    @property
    def suffix(self) -> str:
        return Path(self.filename).suffix.lower()

    @property
    def is_image(self) -> bool:
        return self.suffix in IMAGE_SUFFIXES

    @property
    def role_label(self) -> str:
        return _(ROLES.get(self.role, self.role))

    @property
    def status_message(self) -> str:
        return _(STATUS_MESSAGES[self.status]) if self.status in STATUS_MESSAGES else ""


@dataclass(frozen=True)
class StoreProblem:
    """A live attachment record whose stored file is missing or no longer matches its hash."""

    info: AttachmentInfo
    status: str

    @property
    def message(self) -> str:
        return _(STATUS_MESSAGES[self.status])


def _info(a: Attachment) -> AttachmentInfo:
    return AttachmentInfo(a.uid, a.rev, a.owner_entity, a.owner_uid, a.role, a.filename, a.sha256, a.size,
                          a.caption)


def store_dir(ws: Workspace) -> Path:
    return ws.db.path.parent / STORE_DIR


def stored_path(ws: Workspace, sha256: str) -> Path:
    return store_dir(ws) / sha256[:2] / sha256


def path_of(ws: Workspace, info: AttachmentInfo) -> Path:
    return stored_path(ws, info.sha256)


def roles_for(owner_entity: str) -> tuple[str, ...]:
    """The roles a file attached to this kind of record may have, the usual one first."""
    return OWNER_ROLES.get(owner_entity, tuple(ROLES))


def guess_role(path: Path | str, owner_entity: str | None = None) -> str:
    suffix = Path(path).suffix.lower()
    role = "photo" if suffix in IMAGE_SUFFIXES else "scan" if suffix == ".pdf" else "other"
    if owner_entity is None:
        return role
    role = _GUESS_FOR_OWNER.get(owner_entity, {}).get(role, role)
    return role if role in roles_for(owner_entity) else "other"


def hash_file(path: Path, cancel: CancelToken | None = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            if cancel is not None:
                cancel.check()
    return digest.hexdigest()


def _cached_hash(path: Path, st: os.stat_result, cancel: CancelToken | None = None) -> str:
    key = (str(path), st.st_mtime_ns, st.st_size)
    with _cache_lock:
        known = _hash_cache.get(key)
    if known is not None:
        return known
    digest = hash_file(path, cancel)
    if time.time_ns() - st.st_mtime_ns > _RACY_NS:
        with _cache_lock:
            if len(_hash_cache) >= _CACHE_LIMIT:
                _hash_cache.clear()
            _hash_cache[key] = digest
    return digest


def _status_of(path: Path, sha256: str, size: int, cancel: CancelToken | None = None) -> str:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return MISSING
        if st.st_size != size:
            return ALTERED
        return OK if _cached_hash(path, st, cancel) == sha256 else ALTERED
    except FileNotFoundError:
        return MISSING
    except OSError:
        # unreadable counts as missing: the user cannot get the content back either way
        return MISSING


def check(ws: Workspace, info: AttachmentInfo) -> str:
    """ok / missing / altered for the stored file of ``info`` (hashes are cached per session)."""
    return _status_of(path_of(ws, info), info.sha256, info.size)


def _atomic_copy(source: Path, target: Path, sha256: str | None, cancel: CancelToken | None = None) -> None:
    """Copy to a temp file beside ``target``, fsync, verify, make read-only, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            while chunk := src.read(CHUNK):
                out.write(chunk)
                if cancel is not None:
                    cancel.check()
            out.flush()
            os.fsync(out.fileno())
        # what reached the file, not what we meant to write (and the source may have changed)
        if sha256 is not None and hash_file(temp) != sha256:
            raise AppError(_("附件“{name}”写入后校验不符（文件在复制过程中被改动或磁盘出错），未保存。").format(
                name=source.name))
        os.chmod(temp, _READ_ONLY)
        if target.exists():
            # replacing a damaged copy; Windows refuses to replace a read-only file
            os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
        try:
            os.replace(temp, target)
        except OSError:
            # another writer stored the same content a moment ago (Windows refuses the second rename)
            if sha256 is None or _status_of(target, sha256, temp.stat().st_size) != OK:
                raise
            _discard(temp)
        fsync_dir(target.parent)  # the rename itself must reach the disk
    except BaseException:
        _discard(temp)
        raise


def _discard(temp: Path) -> None:
    # Windows cannot delete a read-only file, and the original error matters more than this one
    try:
        os.chmod(temp, stat.S_IRUSR | stat.S_IWUSR)
        temp.unlink()
    except OSError:
        pass


def _store(ws: Workspace, source: Path, sha256: str, cancel: CancelToken | None = None) -> Path:
    """Put ``source`` (whose hash is ``sha256``) in the store, unless an intact copy is there."""
    target = stored_path(ws, sha256)
    if _status_of(target, sha256, source.stat().st_size) != OK:
        _atomic_copy(source, target, sha256, cancel)
    return target


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check_source(source: Path) -> str | None:
    """A Chinese refusal naming the file, or None when it can be attached."""
    name = source.name or str(source)
    try:
        st = source.stat()
    except FileNotFoundError:
        return _("找不到文件“{name}”。").format(name=name)
    except OSError as exc:
        return _("无法读取文件“{name}”：{error}").format(name=name, error=exc.strerror or exc)
    if stat.S_ISDIR(st.st_mode):
        return _("“{name}”是文件夹，不是文件。").format(name=name)
    if not stat.S_ISREG(st.st_mode):
        return _("“{name}”不是普通文件。").format(name=name)
    if st.st_size == 0:
        return _("文件“{name}”是空的（0 字节）。").format(name=name)
    if st.st_size > MAX_SIZE:
        return _("文件“{name}”太大（{size}），单个附件不能超过 {limit}。").format(
            name=name, size=_size_text(st.st_size), limit=_size_text(MAX_SIZE))
    if not os.access(source, os.R_OK):
        return _("没有读取文件“{name}”的权限。").format(name=name)
    return None


def _live_owner(session: Session, owner_entity: str, owner_uid: str | None) -> bool:
    model = SYNC_MODELS.get(owner_entity)
    if model is None or model is Attachment:
        raise ValueError(f"not an entity that can own attachments: {owner_entity!r}")
    if not owner_uid:
        return False
    owner = session.scalar(select(model).where(model.uid == owner_uid))
    return owner is not None and not owner.deleted


def _short_name(name: str, limit: int = 255) -> str:
    """The column holds 255 characters; keep the suffix, which tells what kind of file it is."""
    suffix = Path(name).suffix[:16]
    return name if len(name) <= limit else name[: limit - len(suffix)] + suffix


def _owner_refusal(names: Sequence[str]) -> ValidationError:
    return ValidationError({"owner": _("无法添加附件“{names}”：所属记录不存在或已被删除。").format(
        names="、".join(names))})


def _validate(ws: Workspace, owner_entity: str, owner_uid: str, sources: Sequence[Path], role: str | None,
              caption: str) -> None:
    """Everything that can be known before writing: a refusal leaves no trace."""
    errors: dict[str, str] = {}
    if role is not None and role not in ROLES:
        errors["role"] = _("附件类别“{role}”无效。").format(role=role)
    elif role is not None and role not in roles_for(owner_entity):
        model = SYNC_MODELS.get(owner_entity)
        errors["role"] = _("“{role}”不适用于{entity}的附件。").format(
            role=_(ROLES[role]), entity=_(model.entity_label) if model is not None else owner_entity)
    if len(caption) > 200:
        errors["caption"] = _("附件说明过长：最多 {max} 个字。").format(max=200)
    for n, source in enumerate(sources, start=1):
        problem = _check_source(source)
        if problem:
            errors[f"file:{n}"] = problem
    if errors:
        raise ValidationError(errors)
    with ws.db.read() as session:
        if not _live_owner(session, owner_entity, owner_uid):
            raise _owner_refusal([s.name for s in sources])


def attach(ws: Workspace, *, owner_entity: str, owner_uid: str, source: Path | str, role: str,
           caption: str = "") -> AttachmentInfo:
    """Store one file and record it as an attachment of the owner. Refusals write nothing."""
    return attach_many(ws, owner_entity=owner_entity, owner_uid=owner_uid, sources=[source], role=role,
                       caption=caption)[0]


def attach_many(ws: Workspace, *, owner_entity: str, owner_uid: str, sources: Sequence[Path | str],
                role: str | None = None, caption: str = "", cancel: CancelToken | None = None,
                progress: ProgressSink = no_progress) -> list[AttachmentInfo]:
    """Attach several files at once: all or none of the records are created.

    Safe to run on a worker thread. Every file is checked before any byte is written; a
    cancel (checked between and within files) leaves no record. Bytes already stored stay:
    they are named by their content and harm nothing. ``role`` None guesses it per file.
    """
    paths = [Path(s) for s in sources]
    caption = caption.strip()
    _validate(ws, owner_entity, owner_uid, paths, role, caption)
    staged: list[tuple[Path, str, int]] = []
    name = ""
    try:
        done, total = 0, sum(p.stat().st_size for p in paths)
        for path in paths:
            name = path.name
            progress(done, total, _("正在保存附件“{name}”…").format(name=name))
            sha256 = hash_file(path, cancel)
            size = _store(ws, path, sha256, cancel).stat().st_size
            staged.append((path, sha256, size))
            done += size
    except OSError as exc:
        raise AppError(_("无法保存附件“{name}”：{error}").format(name=name, error=exc.strerror or exc)) from exc
    progress(total, total, "")
    if cancel is not None:
        cancel.check()
    with ws.db.write() as session:
        # the owner may have been deleted while the files were copied
        if not _live_owner(session, owner_entity, owner_uid):
            raise _owner_refusal([p.name for p in paths])
        created = [records.create(session, ws, Attachment, {
            "owner_entity": owner_entity, "owner_uid": owner_uid, "role": role or guess_role(path, owner_entity),
            "filename": _short_name(path.name), "sha256": sha256, "size": size, "caption": caption,
        }) for path, sha256, size in staged]
        return [_info(a) for a in created]


def list_for(ws: Workspace, owner_entity: str, owner_uid: str, *, check_files: bool = False) -> list[AttachmentInfo]:
    """Live attachments of one record in creation order; ``check_files`` fills ``status``."""
    with ws.db.read() as session:
        rows = session.scalars(select(Attachment).where(
            Attachment.owner_uid == owner_uid, Attachment.owner_entity == owner_entity,
            Attachment.deleted.is_(False)).order_by(Attachment.uid)).all()
    infos = [_info(a) for a in rows]
    return [replace(i, status=check(ws, i)) for i in infos] if check_files else infos


def _sealed(session: Session, owner_entity: str, owner_uid: str) -> str:
    rule = _SEALED.get(owner_entity)
    if rule is None:
        return ""
    model, frozen, message = rule
    status = session.scalar(select(model.status).where(model.uid == owner_uid))
    return _(message) if status in frozen else ""


def sealed_reason(ws: Workspace, owner_entity: str, owner_uid: str | None) -> str:
    """Why removing an attachment of this record needs a stated reason, or "" when it does not.

    An issued notice and a concluded acceptance are part of the official record; files may
    still be added to them (the sealed scan is made after issue), removed only with a reason.
    """
    if not owner_uid:
        return ""
    with ws.db.read() as session:
        return _sealed(session, owner_entity, owner_uid)


def remove(ws: Workspace, uid: str, *, expected_rev: str | None = None, reason: str = "") -> None:
    """Tombstone the record. The bytes stay: other records and past revisions may use them.

    The attachment of an issued notice or a concluded acceptance is removed only with a
    ``reason``, which the audit log keeps beside the removal.
    """
    reason = " ".join(reason.split())
    if len(reason) > 500:
        raise ValidationError({"reason": _("删除原因过长：最多 {max} 个字。").format(max=500)})
    with ws.db.write() as session:
        row = session.scalar(select(Attachment).where(Attachment.uid == uid))
        if row is None:
            raise NotFound(_("附件不存在或已被删除。"))
        sealed = _sealed(session, row.owner_entity, row.owner_uid)
        if sealed and not row.deleted and not reason:
            raise ValidationError({"reason": _("{why}：删除其附件“{name}”须说明原因。").format(
                why=sealed, name=row.filename)})
        records.delete(session, ws, row, expected_rev=expected_rev, note=reason)


def verify_store(ws: Workspace, cancel: CancelToken | None = None,
                 progress: ProgressSink = no_progress) -> list[StoreProblem]:
    """Every live attachment whose file is missing or altered (each stored file hashed once)."""
    with ws.db.read() as session:
        infos = [_info(a) for a in session.scalars(
            select(Attachment).where(Attachment.deleted.is_(False)).order_by(Attachment.uid))]
    by_hash: dict[tuple[str, int], list[AttachmentInfo]] = {}
    for info in infos:
        by_hash.setdefault((info.sha256, info.size), []).append(info)
    problems: list[StoreProblem] = []
    message = _("正在检查附件…")
    for n, ((sha256, size), group) in enumerate(by_hash.items()):
        progress(n, len(by_hash), message)
        if cancel is not None:
            cancel.check()
        status = _status_of(stored_path(ws, sha256), sha256, size, cancel)
        if status != OK:
            problems += [StoreProblem(replace(i, status=status), status) for i in group]
    progress(len(by_hash), len(by_hash), message)
    return problems


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def viewing_copy(ws: Workspace, info: AttachmentInfo) -> Path:
    """A read-only copy under the original file name, for the system viewer.

    The stored file has no suffix (a viewer would not know what it is) and must not be
    edited in place, so viewers get a copy in the temporary folder.
    """
    source, status = path_of(ws, info), check(ws, info)
    if status == MISSING:
        raise NotFound(_("附件“{name}”的文件缺失：{path}").format(name=info.filename, path=source))
    name = _UNSAFE.sub("_", Path(info.filename).name).strip(" .") or info.sha256
    target = Path(tempfile.gettempdir()) / "yaan-archive-attachments" / info.sha256[:16] / name
    try:
        if status != OK or _status_of(target, info.sha256, info.size) != OK:
            _atomic_copy(source, target, info.sha256 if status == OK else None)
    except OSError as exc:
        raise AppError(_("无法打开附件“{name}”：{error}").format(name=info.filename, error=exc.strerror or exc)) from exc
    return target


def store_file(ws: Workspace, source: Path, sha256: str) -> Path:
    """Keep ``source`` (already known to hash to ``sha256``) in the store: packages bring files."""
    return _store(ws, Path(source), sha256)
