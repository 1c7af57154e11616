"""Every record carries sync metadata, gets a new revision on each edit and leaves an audit row."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.errors import StaleRecord
from app.models import AuditEntry, RecordRevision, SubProject
from app.services import sub_projects
from app.sync.revision import generation, next_rev
from tests.conftest import sub_project_input


def revisions_of(ws, uid):
    with ws.db.read() as session:
        return session.scalars(select(RecordRevision).where(RecordRevision.record_uid == uid)
                               .order_by(RecordRevision.id)).all()


def audit_of(ws, uid):
    with ws.db.read() as session:
        return session.scalars(select(AuditEntry).where(AuditEntry.record_uid == uid).order_by(AuditEntry.id)).all()


def test_new_record_gets_uuid7_origin_node_and_first_revision(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    parsed = uuid.UUID(created.uid)
    assert parsed.version == 7
    with ws.db.read() as session:
        row = session.scalar(select(SubProject).where(SubProject.uid == created.uid))
    assert row.origin_node == ws.node_uid
    assert generation(row.rev) == 1 and row.parent_rev is None
    assert row.updated_by == "张晓梅"
    assert row.hlc > 0 and row.deleted is False


def test_each_edit_makes_a_newer_revision_whose_parent_is_the_old_one(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    first = created.rev
    edited = sub_projects.update(ws, created.uid, sub_project_input(master, lushan, name="古城村农房重建（一期）"),
                                 expected_rev=first)
    again = sub_projects.update(ws, created.uid, sub_project_input(master, lushan, name="古城村农房重建二期"),
                                expected_rev=edited.rev)
    assert [generation(r) for r in (first, edited.rev, again.rev)] == [1, 2, 3]
    revisions = revisions_of(ws, created.uid)
    assert [r.rev for r in revisions] == [first, edited.rev, again.rev]
    assert [r.parent_rev for r in revisions] == [None, first, edited.rev]
    # past revisions keep the content as it was
    assert revisions[0].data["name"] == "古城村农房重建一期"
    assert revisions[2].data["name"] == "古城村农房重建二期"
    assert revisions[1].hlc < revisions[2].hlc


def test_saving_unchanged_form_makes_no_revision_and_no_audit(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    same = sub_projects.update(ws, created.uid, created.form_values(), expected_rev=created.rev)
    assert same.rev == created.rev
    assert len(revisions_of(ws, created.uid)) == 1
    assert len(audit_of(ws, created.uid)) == 1


def test_audit_rows_carry_old_and_new_values_operator_and_node(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    sub_projects.update(ws, created.uid, sub_project_input(master, lushan, investment="400", archivist="赵敏"),
                        expected_rev=created.rev)
    sub_projects.delete(ws, created.uid)
    create, update, delete = audit_of(ws, created.uid)
    # a creation's values are its first revision's content, which the history view shows
    assert create.action == "create" and create.changes == {} and create.rev == revisions_of(ws, created.uid)[0].rev
    assert revisions_of(ws, created.uid)[0].data["name"] == "古城村农房重建一期"
    assert update.action == "update"
    assert update.changes == {"investment_yuan": [3565000, 4000000], "archivist": ["王芳", "赵敏"]}
    assert delete.action == "delete" and delete.changes == {"deleted": [False, True]}
    for entry in (create, update, delete):
        assert entry.operator == "张晓梅" and entry.node == ws.node_uid and entry.entity == "sub_projects"


def test_delete_leaves_a_tombstone_not_a_gap(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    sub_projects.delete(ws, created.uid, expected_rev=created.rev)
    with ws.db.read() as session:
        row = session.scalar(select(SubProject).where(SubProject.uid == created.uid))
    assert row is not None and row.deleted is True
    assert generation(row.rev) == 2
    assert revisions_of(ws, created.uid)[-1].deleted is True
    # the code is free again for a new record
    again = sub_projects.create(ws, sub_project_input(master, lushan))
    assert again.uid != created.uid


def test_edit_from_a_stale_form_is_refused_and_changes_nothing(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    sub_projects.update(ws, created.uid, sub_project_input(master, lushan, name="新名称"), expected_rev=created.rev)
    with pytest.raises(StaleRecord) as info:
        sub_projects.update(ws, created.uid, sub_project_input(master, lushan, name="旧窗口的名称"),
                            expected_rev=created.rev)
    assert "刷新" in info.value.message
    assert sub_projects.get(ws, created.uid).name == "新名称"


def test_revision_id_is_deterministic_from_content_and_parent():
    content = {"name": "甲", "n": 1}
    assert next_rev(None, content, False) == next_rev(None, dict(reversed(content.items())), False)
    assert next_rev(None, content, False) != next_rev(None, content, True)
    child = next_rev(next_rev(None, content, False), content, False)
    assert generation(child) == 2


def test_every_revision_row_matches_its_record(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    sub_projects.update(ws, created.uid, sub_project_input(master, lushan, sector="公共服务"))
    with ws.db.read() as session:
        row = session.scalar(select(SubProject).where(SubProject.uid == created.uid))
        head = session.scalar(select(RecordRevision).where(RecordRevision.rev == row.rev))
        count = session.scalar(select(func.count()).select_from(RecordRevision)
                               .where(RecordRevision.record_uid == created.uid))
    assert count == 2
    assert head.data["sector"] == "公共服务"
    assert next_rev(head.parent_rev, head.data, head.deleted) == head.rev
