"""Backups and restore: a consistent copy while the program writes, every file checked,
corrupted backups refused with nothing replaced, a good one bringing everything back."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app import cli
from app.db.migrate import alembic_config, upgrade_database
from app.errors import Cancelled
from app.services import attachments, backups, packages, restore, sub_project_search, sub_projects, visits
from app.services import settings as app_settings
from app.services.backup_format import BackupRefused
from app.services.tasks import CancelToken
from app.services.workspace import Workspace
from tests.conftest import sub_project_input
from tests.sync_support import digest, enrol_each_other, make_node, register


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    """Settings and logs of these tests live in the test's folder, never the user's."""
    monkeypatch.setenv(app_settings.HOME_ENV, str(tmp_path / "home"))


def _photo(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _fill(ws, master, lushan, tmp_path, n=3):
    """n sub-projects, one visit each with a photo and a scan."""
    made = []
    for i in range(n):
        sub = sub_projects.create(ws, sub_project_input(master, lushan, code=f"511826-ZG-0001-{i:02d}"))
        visit = visits.create(ws, sub.uid, {"visit_date": "2016-05-10", "kind": "mid_term_check", "archivists": "王芳",
                                            "unit_people": "李建国", "content": f"第{i}次检查"})
        for name, content in ((f"现场{i}.jpg", b"\xff\xd8photo" + bytes([i]) * 5000), (f"签到表{i}.pdf", b"%PDF-" + bytes([i]))):
            attachments.attach(ws, owner_entity="guidance_visits", owner_uid=visit.uid,
                               source=_photo(tmp_path, name, content), role="photo")
        made.append(sub)
    return made


def _store_state(ws) -> dict[str, str]:
    store = attachments.store_dir(ws)
    return {str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(store.rglob("*")) if p.is_file()}


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- making a backup -----------------------------------------------------------------------
def test_a_backup_taken_while_the_program_writes_holds_every_row_committed_before_it_began(ws, master, lushan,
                                                                                        tmp_path, monkeypatch):
    for i in range(150):  # enough pages that the copy takes many steps
        sub_projects.create(ws, sub_project_input(master, lushan, code=f"BASE-{i:04d}", remarks="备注" * 200))
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 4)
    stop = threading.Event()
    committed: list[str] = []
    errors: list[BaseException] = []

    def writer() -> None:
        n = 0
        while not stop.is_set():
            try:
                committed.append(sub_projects.create(ws, sub_project_input(master, lushan, code=f"LIVE-{n:05d}")).code)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    while len(committed) < 5:
        time.sleep(0.01)
    steps = []

    def slow_progress(done, total, message):
        steps.append(len(committed))
        time.sleep(0.002)  # let the writer commit between copy steps

    before = set(committed)  # every one of these was committed before the backup began
    info = backups.create_backup(ws.db.path, tmp_path / "out", progress=slow_progress)
    stop.set()
    thread.join()
    assert not errors
    assert steps[-1] > len(before), "the writer kept committing while the backup ran"

    con = sqlite3.connect(info.database_path)
    codes = {r[0] for r in con.execute("SELECT code FROM sub_projects")}
    assert before <= codes
    live = sorted(c for c in codes if c.startswith("LIVE-"))
    assert live == [f"LIVE-{n:05d}" for n in range(len(live))], "a prefix of the commits: no gap, no torn write"
    # internally consistent: every record with its revision and audit row, foreign keys sound
    assert con.execute("SELECT count(*) FROM record_revisions WHERE entity='sub_projects'").fetchone()[0] == len(codes)
    assert con.execute("SELECT count(*) FROM audit_log WHERE entity='sub_projects'").fetchone()[0] >= len(codes)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file, nothing beside it
    con.close()
    assert info.counts["sub_projects"] == len(codes)


def test_a_backup_is_one_folder_with_every_file_listed_and_attachments_shared_with_the_last(ws, master, lushan,
                                                                                          tmp_path):
    _fill(ws, master, lushan, tmp_path)
    first = backups.create_backup(ws.db.path, tmp_path / "stick")
    second = backups.create_backup(ws.db.path, tmp_path / "stick")

    assert first.path != second.path and first.path.name.startswith("backup-")
    assert not list((tmp_path / "stick").glob(".partial-*"))
    manifest = json.loads((first.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "yaan-archive-kit-backup" and manifest["node"]["division"] == "芦山县"
    assert manifest["schema_revision"] and manifest["app_version"]
    assert len(first.attachment_files) == 6 and first.missing_attachments == ()
    for rel, meta in manifest["files"].items():
        assert _file_hash(first.path / rel) == meta["sha256"]
    # the second backup holds its own entry for every photo, but the bytes once (hard links)
    rel = first.attachment_files[0]
    assert (first.path / rel).stat().st_ino == (second.path / rel).stat().st_ino
    assert "现场指导" in first.describe() and "附件 6" in first.describe()
    assert not (first.path / "keys").exists()  # the node's private key never leaves the laptop


def test_a_cancelled_backup_leaves_nothing_behind(ws, master, lushan, tmp_path):
    _fill(ws, master, lushan, tmp_path, n=1)
    token = CancelToken()

    def cancel_on_attachments(done, total, message):
        if "附件" in message:
            token.cancel()

    with pytest.raises(Cancelled):
        backups.create_backup(ws.db.path, tmp_path / "out", cancel=token, progress=cancel_on_attachments)
    assert list((tmp_path / "out").iterdir()) == []


def test_an_attachment_missing_from_the_store_is_named_in_the_backup(ws, master, lushan, tmp_path):
    _fill(ws, master, lushan, tmp_path, n=1)
    victim = next(p for p in attachments.store_dir(ws).rglob("*") if p.is_file())
    os.chmod(victim, 0o600)
    victim.unlink()

    info = backups.create_backup(ws.db.path, tmp_path / "out")

    assert info.missing_attachments == (victim.name,)
    assert backups.verify_backup(info.path).path == info.path  # still a usable backup
    assert "未能备份的附件：1 个" in info.describe()


# -- automatic backups -----------------------------------------------------------------------
def test_automatic_backups_keep_the_last_n_and_never_delete_one_made_by_hand(ws, tmp_path):
    backup_folder = tmp_path / "stick" / "备份"
    backup_folder.mkdir(parents=True)
    app_settings.save(app_settings.Settings(data_folder=str(ws.db.path.parent), backup_folder=str(backup_folder),
                                            backups_keep=3))
    manual = backups.create_backup(ws.db.path, backup_folder)
    made = [backups.automatic_backup(ws.db.path, reason="import") for _ in range(5)]

    kept = backups.list_backups(backup_folder)
    assert {i.path for i in kept} == {manual.path} | {i.path for i in made[-3:]}
    assert all(i.automatic and i.reason == "import" for i in kept if i.path != manual.path)


def test_an_automatic_backup_whose_stick_is_not_plugged_in_goes_beside_the_database(ws, tmp_path):
    absent = tmp_path / "media" / "STICK" / "backups"
    app_settings.save(app_settings.Settings(data_folder=str(ws.db.path.parent), backup_folder=str(absent)))
    info = backups.automatic_backup(ws.db.path, reason="import")
    assert info.path.parent == ws.db.path.parent / "backups"
    assert not absent.parent.exists()  # nothing written under the stick's mount point


def test_a_migration_backs_up_through_the_same_mechanism(tmp_path):
    path = tmp_path / "old.db"
    command.upgrade(alembic_config(path), "0001")
    result = upgrade_database(path)
    info = backups.verify_backup(result.backup_path.parent)
    assert info.reason == "migration" and info.automatic and info.schema_revision == "0001"


def test_a_package_import_backs_up_first_and_a_dry_run_does_not(tmp_path):
    county = make_node(tmp_path / "county", "county", "芦山县")
    city = make_node(tmp_path / "city", "city", "雅安市")
    enrol_each_other(county, city)
    register(county, "511826-A-01")
    package = tmp_path / "p1.zip"
    packages.export_package(county, package)
    folder = city.db.path.parent / "backups"

    packages.import_package(city, package, dry_run=True)
    assert backups.list_backups(folder) == []
    packages.import_package(city, package)
    made = backups.list_backups(folder)
    assert [(i.reason, i.automatic, i.counts["sub_projects"]) for i in made] == [("import", True, 0)]
    county.close()
    city.close()


# -- restore ------------------------------------------------------------------------------
def test_restore_of_a_good_backup_brings_every_record_and_attachment_back(ws, master, lushan, tmp_path):
    made = _fill(ws, master, lushan, tmp_path)
    before_digest, before_store = digest(ws), _store_state(ws)
    info = backups.create_backup(ws.db.path, tmp_path / "stick")
    # afterwards: a record deleted, another added, two stored files lost from the disk
    sub_projects.delete_many(ws, [made[0].uid])
    sub_projects.create(ws, sub_project_input(master, lushan, code="AFTER-THE-BACKUP"))
    lost = [p for p in attachments.store_dir(ws).rglob("*") if p.is_file()][:2]
    for path in lost:
        os.chmod(path, 0o600)
        path.unlink()
    db_path = ws.db.path
    ws.close()

    result = restore.restore_backup(info.path, db_path)

    assert result.attachments_added == 2
    assert result.replaced is not None and result.replaced.name.startswith("archive.replaced-")
    reopened = Workspace.open(db_path)
    try:
        assert digest(reopened) == before_digest
        assert _store_state(reopened) == before_store
        assert sub_project_search.count_live(reopened) == 3
        assert attachments.verify_store(reopened) == []
    finally:
        reopened.close()
    # the replaced database is kept aside, whole, with what was typed after the backup
    aside = sqlite3.connect(result.replaced)
    assert aside.execute("SELECT count(*) FROM sub_projects WHERE code='AFTER-THE-BACKUP'").fetchone() == (1,)
    aside.close()


def _corrupt_database_byte(backup: Path) -> None:
    db = backup / "archive.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db.write_bytes(bytes(data))


def _corrupt_database_and_fix_manifest(backup: Path) -> None:
    """A damaged database whose manifest was made to match: only integrity_check can tell."""
    db = backup / "archive.db"
    con = sqlite3.connect(db)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='sub_projects'").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    data[start + 8:start + 40] = b"\x00" * 32  # the table's b-tree page: cell pointers gone
    db.write_bytes(bytes(data))
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"]["archive.db"] = {"sha256": _file_hash(db), "size": db.stat().st_size}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def _alter_attachment(backup: Path) -> None:
    victim = next(p for p in (backup / "attachments").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"!")


def _remove_attachment(backup: Path) -> None:
    next(p for p in (backup / "attachments").rglob("*") if p.is_file()).unlink()


def _drop_attachment_from_manifest(backup: Path) -> None:
    """File and manifest line both gone: the database still points at it."""
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    rel = next(r for r in manifest["files"] if r.startswith("attachments/"))
    del manifest["files"][rel]
    (backup / rel).unlink()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def _garble_manifest(backup: Path) -> None:
    (backup / "manifest.json").write_text("{not json", encoding="utf-8")


def _truncate_database(backup: Path) -> None:
    db = backup / "archive.db"
    db.write_bytes(db.read_bytes()[:4096])


CORRUPTIONS = {
    "byte flipped in the database": (_corrupt_database_byte, "文件已损坏"),
    "damaged database with a matching manifest": (_corrupt_database_and_fix_manifest, "数据库完整性检查未通过"),
    "attachment altered": (_alter_attachment, "文件已损坏"),
    "attachment missing": (_remove_attachment, "缺少文件"),
    "attachment dropped from the manifest too": (_drop_attachment_from_manifest, "数据库登记的附件不在备份中"),
    "manifest garbled": (_garble_manifest, "清单已损坏"),
    "database truncated": (_truncate_database, "文件已损坏"),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_a_corrupted_backup_is_refused_and_nothing_is_replaced(ws, master, lushan, tmp_path, kind):
    _fill(ws, master, lushan, tmp_path, n=2)
    info = backups.create_backup(ws.db.path, tmp_path / "stick")
    sub_projects.create(ws, sub_project_input(master, lushan, code="AFTER-THE-BACKUP"))
    corrupt, expected = CORRUPTIONS[kind]
    corrupt(info.path)
    db_path = ws.db.path
    ws.close()
    db_bytes, store = _file_hash(db_path), _store_state(ws)
    folder_before = sorted(p.name for p in db_path.parent.iterdir())

    with pytest.raises(BackupRefused) as refused:
        restore.restore_backup(info.path, db_path)

    assert expected in refused.value.message and "当前数据库和附件未作任何改动" in refused.value.message
    assert _file_hash(db_path) == db_bytes and _store_state(ws) == store
    assert sorted(p.name for p in db_path.parent.iterdir()) == folder_before


def test_restore_waits_until_nobody_has_the_database_open(ws, tmp_path):
    info = backups.create_backup(ws.db.path, tmp_path / "stick")
    with ws.db.read() as session:  # the program still has it open
        session.execute(text("SELECT count(*) FROM sub_projects")).all()
        before = _file_hash(ws.db.path)
        with pytest.raises(restore.DatabaseInUse):
            restore.restore_backup(info.path, ws.db.path)
    assert _file_hash(ws.db.path) == before
    assert not list(ws.db.path.parent.glob("archive.replaced-*"))


def test_a_restore_onto_a_new_laptop_needs_no_database_there(ws, master, lushan, tmp_path):
    _fill(ws, master, lushan, tmp_path, n=1)
    info = backups.create_backup(ws.db.path, tmp_path / "stick")
    new_db = tmp_path / "new-laptop" / "archive.db"
    result = restore.restore_backup(info.path, new_db)
    assert result.replaced is None and result.attachments_added == 2
    restored = Workspace.open(new_db)
    assert sub_project_search.count_live(restored) == 1 and attachments.verify_store(restored) == []
    restored.close()


def test_moving_the_data_folder_copies_database_attachments_and_key_and_leaves_the_old_one(ws, master, lushan,
                                                                                        tmp_path):
    from app.services import enrolment

    _fill(ws, master, lushan, tmp_path, n=1)
    enrolment.ensure_local_key(ws)
    old_digest, old_files = digest(ws), sorted(p.name for p in ws.db.path.parent.iterdir())
    target = restore.copy_data_folder(ws.db.path, tmp_path / "D盘" / "档案数据")
    moved = Workspace.open(target)
    try:
        assert digest(moved) == old_digest
        assert attachments.verify_store(moved) == []
        assert enrolment.local_identity(moved).fingerprint == enrolment.local_identity(ws).fingerprint
    finally:
        moved.close()
    assert sorted(p.name for p in ws.db.path.parent.iterdir() if p.name != "D盘") == old_files
    assert not list(target.parent.glob(".moving-*"))


# -- command line ---------------------------------------------------------------------------
def test_backup_and_restore_from_the_command_line(ws, master, lushan, tmp_path, capsys):
    _fill(ws, master, lushan, tmp_path, n=1)
    db_path = ws.db.path
    ws.close()
    assert cli.main(["--db", str(db_path), "backup", str(tmp_path / "stick")]) == 0
    made = backups.list_backups(tmp_path / "stick")
    assert len(made) == 1 and "已备份并读回校验" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "backups", str(tmp_path / "stick")]) == 0
    assert made[0].path.name in capsys.readouterr().out

    broken = tmp_path / "broken"
    shutil.copytree(made[0].path, broken)
    _corrupt_database_byte(broken)
    assert cli.main(["--db", str(db_path), "restore", str(broken)]) == 1
    assert "未通过校验" in capsys.readouterr().err
    assert not list(db_path.parent.glob("archive.replaced-*"))

    assert cli.main(["--db", str(db_path), "restore", str(made[0].path)]) == 0
    assert "原数据库已改名保留为" in capsys.readouterr().out
    assert len(list(db_path.parent.glob("archive.replaced-*"))) == 1
