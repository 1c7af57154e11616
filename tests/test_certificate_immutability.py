"""An issued certificate never changes: not through the generic record paths either.

The certificate service offers no update or delete; these tests take the paths that
exist for every record (``records.update``, ``records.delete``, ``records.restore``,
a conflict being resolved) and show each refused with a message, the database unchanged.
The database's own triggers are tested in ``test_acceptances``.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.models import Certificate
from app.services import certificates, records, sub_projects
from app.services.records import RecordFrozen
from tests.conftest import sub_project_input
from tests.db_snapshot import db_snapshot
from tests.test_acceptances import certify


@pytest.fixture
def cert(ws, master, lushan):
    return certify(ws, sub_projects.create(ws, sub_project_input(master, lushan)))


def _through_records(ws, uid, action, values=None):
    with ws.db.write() as session:
        record = session.scalar(select(Certificate).where(Certificate.uid == uid))
        if action == "update":
            records.update(session, ws, record, values)
        elif action == "delete":
            records.delete(session, ws, record)
        else:
            records.restore(session, ws, record)


@pytest.mark.parametrize(("action", "values"), [
    ("update", {"facts": {"sub_project_name": "改过的名称"}}),
    ("update", {"number": "2016-000000-99999"}),
    ("update", {"issued_on": date(2015, 1, 1)}),
    ("update", {"content_hash": "0" * 64}),
    ("update", {"status": "void"}),  # voided without a reason or a date
    ("update", {"void_reason": "随便写的"}),
    ("delete", None),
])
def test_an_issued_certificate_is_not_changed_through_the_record_layer(ws, cert, action, values):
    before = db_snapshot(ws)
    with pytest.raises(RecordFrozen) as info:
        _through_records(ws, cert.uid, action, values)
    assert cert.number in info.value.message
    assert "正式档案记录" in info.value.message or "只能整体作废" in info.value.message
    assert db_snapshot(ws) == before
    assert certificates.verify(ws, cert.qr_text).ok


def test_the_refusal_names_the_certificate_and_the_way_to_correct_it(ws, cert):
    with pytest.raises(RecordFrozen) as info:
        _through_records(ws, cert.uid, "delete")
    assert info.value.message == (f"证书 {cert.number} 已签发，属于正式档案记录，不能修改或删除；"
                                  "如有错误，请作废后补发新证书。")


def test_a_voided_certificate_accepts_no_change_at_all(ws, cert):
    certificates.void(ws, cert.uid, reason="项目业主名称有误")
    before = db_snapshot(ws)
    for action, values in (("update", {"void_reason": "另一个原因"}), ("update", {"status": "valid"}),
                           ("update", {"pdf_sha256": "a" * 64}), ("delete", None)):
        with pytest.raises(RecordFrozen) as info:
            _through_records(ws, cert.uid, action, values)
        assert cert.number in info.value.message
    assert db_snapshot(ws) == before
    assert certificates.get(ws, cert.uid).void_reason == "项目业主名称有误"


def test_what_the_certificate_service_does_still_goes_through(ws, cert):
    certificates.record_pdf_hash(ws, cert.uid, "b" * 64)
    certificates.record_pdf_hash(ws, cert.uid, "c" * 64)  # kept as first produced, silently
    assert certificates.get(ws, cert.uid).pdf_sha256 == "b" * 64
    with pytest.raises(RecordFrozen):  # but a second hash forced through the record layer is refused
        _through_records(ws, cert.uid, "update", {"pdf_sha256": "c" * 64})
    new = certificates.reissue(ws, cert.uid, reason="原证书项目业主名称有误")
    assert certificates.get(ws, cert.uid).status == "void" and certificates.verify(ws, new.qr_text).ok


def test_resolving_a_conflict_cannot_rewrite_an_issued_certificate(ws, cert):
    """A conflict is the other generic path that writes any record: it is refused the same way."""
    from app.models import Conflict
    from app.services import conflicts

    with ws.db.write() as session:
        record = session.scalar(select(Certificate).where(Certificate.uid == cert.uid))
        conflict = Conflict(entity="certificates", record_uid=cert.uid, base_rev=record.rev, local_rev=record.rev,
                            remote_rev=record.rev, merged_rev=record.rev,
                            fields={"void_reason": {"local": "", "remote": "对方写的原因"}},
                            detected_at=records.utcnow())
        session.add(conflict)
        session.flush()
        conflict_id = conflict.id
    before = db_snapshot(ws)
    with pytest.raises(RecordFrozen):
        conflicts.resolve(ws, conflict_id, {"void_reason": "remote"})
    assert db_snapshot(ws) == before
