"""Attachments: stored once per content hash, written atomically, damage reported, never silent."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from sqlalchemy import func, select

from app.errors import AppError, Cancelled, ValidationError
from app.models import Attachment, AuditEntry, RecordRevision
from app.services import attachments, sub_projects, visits
from app.services.tasks import CancelToken
from app.sync.revision import generation
from tests.conftest import sub_project_input

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 5000  # about 1.2 MiB: more than one hash chunk


pytestmark = pytest.mark.usefixtures("private_temp")

@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


@pytest.fixture
def visit(ws, sub):
    return visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"})


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "incoming" / "古城村现场.jpg"
    path.parent.mkdir()
    path.write_bytes(PHOTO)
    return path


def attach(ws, owner_uid, source, role="photo", entity="guidance_visits"):
    return attachments.attach(ws, owner_entity=entity, owner_uid=owner_uid, source=source, role=role)


def store_files(ws):
    store = attachments.store_dir(ws)
    return sorted(p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file()) if store.exists() else []


def attachment_count(ws):
    with ws.db.read() as session:
        return session.scalar(select(func.count()).select_from(Attachment))


def make_writable(path):
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_the_same_file_attached_to_two_records_is_stored_once(ws, sub, visit, photo):
    other = visits.create(ws, sub.uid, {"visit_date": "2015-04-10", "kind": "supervision", "archivists": "王芳"})
    first = attach(ws, visit.uid, photo)
    second = attach(ws, other.uid, photo)
    digest = hashlib.sha256(PHOTO).hexdigest()
    assert first.sha256 == second.sha256 == digest and first.uid != second.uid
    assert store_files(ws) == [f"{digest[:2]}/{digest}"]
    stored = attachments.path_of(ws, first)
    assert stored.name == digest and stored.read_bytes() == PHOTO
    assert stored.parent.parent == ws.db.path.parent / "attachments"
    assert [a.uid for a in attachments.list_for(ws, "guidance_visits", visit.uid)] == [first.uid]
    assert [a.uid for a in attachments.list_for(ws, "guidance_visits", other.uid)] == [second.uid]
    assert first.filename == "古城村现场.jpg" and first.size == len(PHOTO) and first.is_image
    assert first.role_label == "现场照片"


def test_attach_many_keeps_order_guesses_roles_and_checks_files(ws, visit, photo, tmp_path):
    scan = tmp_path / "签到表.pdf"
    scan.write_bytes(b"%PDF-1.4 sign-in sheet")
    seen = []
    made = attachments.attach_many(ws, owner_entity="guidance_visits", owner_uid=visit.uid, sources=[photo, scan],
                                   progress=lambda done, total, msg: seen.append((done, total)))
    assert [a.role for a in made] == ["photo", "scan"]
    listed = attachments.list_for(ws, "guidance_visits", visit.uid, check_files=True)
    assert [a.filename for a in listed] == ["古城村现场.jpg", "签到表.pdf"]
    assert [a.status for a in listed] == ["ok", "ok"]
    assert seen[-1] == (len(PHOTO) + scan.stat().st_size,) * 2


@pytest.mark.parametrize("case", ["missing", "empty", "directory"])
def test_a_bad_source_is_refused_with_its_name_and_writes_nothing(ws, visit, tmp_path, case):
    source = tmp_path / "现场记录.jpg"
    if case == "empty":
        source.write_bytes(b"")
    elif case == "directory":
        source.mkdir()
    with pytest.raises(ValidationError) as refused:
        attach(ws, visit.uid, source)
    message = refused.value.message
    assert "现场记录.jpg" in message
    assert {"missing": "找不到文件", "empty": "是空的", "directory": "是文件夹"}[case] in message
    assert attachment_count(ws) == 0 and store_files(ws) == []


def test_a_missing_or_deleted_owner_is_refused_and_writes_nothing(ws, visit, photo):
    with pytest.raises(ValidationError) as refused:
        attach(ws, "00000000-0000-7000-8000-000000000000", photo)
    assert "古城村现场.jpg" in refused.value.message and "所属记录不存在" in refused.value.message
    visits.delete(ws, visit.uid)
    with pytest.raises(ValidationError):
        attach(ws, visit.uid, photo)
    assert attachment_count(ws) == 0 and store_files(ws) == []


def test_a_file_above_the_size_limit_or_a_bad_role_is_refused(ws, visit, photo, monkeypatch):
    with pytest.raises(ValidationError) as refused:
        attach(ws, visit.uid, photo, role="selfie")
    assert "selfie" in refused.value.message
    monkeypatch.setattr(attachments, "MAX_SIZE", 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        attach(ws, visit.uid, photo)
    assert "太大" in refused.value.message and "1.0 MB" in refused.value.message
    assert attachment_count(ws) == 0 and store_files(ws) == []


def test_one_bad_file_in_a_batch_refuses_the_batch(ws, visit, photo, tmp_path):
    empty = tmp_path / "空白.png"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError) as refused:
        attachments.attach_many(ws, owner_entity="guidance_visits", owner_uid=visit.uid, sources=[photo, empty])
    assert "空白.png" in refused.value.message
    assert attachment_count(ws) == 0 and store_files(ws) == []


def test_altered_and_missing_files_are_detected_by_check_and_verify_store(ws, sub, visit, photo, tmp_path):
    kept = attach(ws, visit.uid, photo)
    other = tmp_path / "整改后.png"
    other.write_bytes(b"\x89PNG rectified")
    gone = attach(ws, visit.uid, other)
    assert attachments.check(ws, kept) == "ok" and attachments.verify_store(ws) == []

    stored = attachments.path_of(ws, kept)
    make_writable(stored)
    flipped = bytearray(PHOTO)
    flipped[len(PHOTO) // 2] ^= 0x01  # same size: only the hash can tell
    stored.write_bytes(bytes(flipped))
    attachments.path_of(ws, gone).unlink()

    assert attachments.check(ws, kept) == "altered"
    assert attachments.check(ws, gone) == "missing"
    problems = {p.info.uid: p.status for p in attachments.verify_store(ws)}
    assert problems == {kept.uid: "altered", gone.uid: "missing"}
    listed = attachments.list_for(ws, "guidance_visits", visit.uid, check_files=True)
    assert [a.status_message for a in listed] == ["文件已被改动：内容与登记时的哈希值不符", "文件缺失"]


def test_an_unchanged_file_is_not_hashed_again(ws, visit, photo, monkeypatch):
    info = attach(ws, visit.uid, photo)
    stored = attachments.path_of(ws, info)
    old = stored.stat().st_mtime_ns - 10_000_000_000  # settled: older than the racy window
    os.utime(stored, ns=(old, old))
    calls = []
    real = attachments.hash_file
    monkeypatch.setattr(attachments, "hash_file", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert [attachments.check(ws, info) for _ in range(3)] == ["ok"] * 3
    assert len(calls) == 1


def test_attaching_the_same_content_again_repairs_an_altered_copy(ws, visit, photo):
    info = attach(ws, visit.uid, photo)
    stored = attachments.path_of(ws, info)
    make_writable(stored)
    stored.write_bytes(b"x" * len(PHOTO))
    assert attachments.check(ws, info) == "altered"
    attach(ws, visit.uid, photo)
    assert stored.read_bytes() == PHOTO and attachments.check(ws, info) == "ok"


def test_remove_tombstones_the_record_and_keeps_the_bytes(ws, visit, photo):
    info = attach(ws, visit.uid, photo)
    attachments.remove(ws, info.uid, expected_rev=info.rev)
    assert attachments.list_for(ws, "guidance_visits", visit.uid) == []
    with ws.db.read() as session:
        row = session.scalar(select(Attachment).where(Attachment.uid == info.uid))
        revisions = session.scalars(select(RecordRevision).where(RecordRevision.record_uid == info.uid)
                                    .order_by(RecordRevision.id)).all()
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.record_uid == info.uid)
                                  .order_by(AuditEntry.id)).all()
    assert row.deleted and generation(row.rev) == 2
    assert [r.deleted for r in revisions] == [False, True]
    assert actions == ["create", "delete"]
    assert attachments.path_of(ws, info).read_bytes() == PHOTO
    assert attachments.verify_store(ws) == []  # a deleted record is no longer checked


def test_an_interrupted_write_leaves_no_temp_file_and_no_record(ws, visit, photo, monkeypatch):
    def power_cut(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(AppError) as failed:
        attach(ws, visit.uid, photo)
    assert "古城村现场.jpg" in failed.value.message
    assert attachment_count(ws) == 0 and store_files(ws) == []


def test_a_cancelled_batch_leaves_no_record_and_no_temp_file(ws, visit, photo):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        attachments.attach_many(ws, owner_entity="guidance_visits", owner_uid=visit.uid, sources=[photo],
                                cancel=token)
    assert attachment_count(ws) == 0
    assert not any(name.rsplit("/", 1)[-1].startswith(attachments.TEMP_PREFIX) for name in store_files(ws))


def test_a_source_that_changes_while_copied_is_refused(ws, visit, photo, monkeypatch):
    real = attachments.hash_file

    def hash_then_edit(path, cancel=None):
        digest = real(path, cancel)
        if path == photo:  # someone saves the photo again between the hash and the copy
            photo.write_bytes(b"edited!" + PHOTO[7:])
        return digest

    monkeypatch.setattr(attachments, "hash_file", hash_then_edit)
    with pytest.raises(AppError) as failed:
        attach(ws, visit.uid, photo)
    assert "校验不符" in failed.value.message
    assert attachment_count(ws) == 0 and store_files(ws) == []


def test_the_viewing_copy_has_the_original_name_and_the_same_bytes(ws, visit, photo, private_temp):
    info = attach(ws, visit.uid, photo)
    copy = attachments.viewing_copy(ws, info)
    assert copy.is_relative_to(private_temp)
    assert copy.name == "古城村现场.jpg" and copy.read_bytes() == PHOTO
    assert attachments.viewing_copy(ws, info) == copy
