"""Acceptance certificates (合格证书): numbered offline without collisions, never changed.

Number: year, this node's code, and a sequence per node taken inside the transaction
that issues the certificate (BEGIN IMMEDIATE serialises it). The facts printed are
frozen in the record with their hash; the QR code carries number, sub-project code,
date and the first hash digits so a printed copy can be checked against the database.
A reissue voids the old certificate with a reason and issues a new number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import AppError, NotFound, ValidationError
from app.i18n import _
from app.models import (CONCLUSIONS, MEMBER_ROLES, MEMBER_UNITS, VOTES, Acceptance, AcceptanceGroupMember,
                        Certificate, Division, MasterProject, Node, SubProject)
from app.services import fields, records
from app.services.workspace import Workspace
from app.sync.revision import canonical_json

QR_PREFIX = "YAAC1"
QR_HASH_CHARS = 16


@dataclass(frozen=True)
class CertificateView:
    uid: str
    number: str
    acceptance_uid: str
    issued_on: date
    status: str
    void_reason: str
    voided_on: date | None
    replaces_uid: str | None
    content_hash: str
    pdf_sha256: str
    facts: dict[str, Any]

    @property
    def qr_text(self) -> str:
        return qr_text(self.number, self.facts["sub_project_code"], self.issued_on, self.content_hash)


def qr_text(number: str, sub_project_code: str, issued_on: date, content_hash: str) -> str:
    return "|".join((QR_PREFIX, number, sub_project_code, issued_on.isoformat(), content_hash[:QR_HASH_CHARS]))


def facts_hash(facts: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(facts)).hexdigest()


def _view(c: Certificate) -> CertificateView:
    return CertificateView(c.uid, c.number, c.acceptance_uid, c.issued_on, c.status, c.void_reason, c.voided_on,
                           c.replaces_uid, c.content_hash, c.pdf_sha256, dict(c.facts))


def _node_code(session: Session) -> str:
    code = session.scalar(select(Node.code).where(Node.is_local.is_(True)))
    if not code:
        raise AppError(_("本机尚未完成初始设置，不能签发证书。"))
    return code


def _facts(session: Session, acceptance: Acceptance, template, evaluation, number: str, issued_on: date) -> dict:
    sub = session.scalar(select(SubProject).where(SubProject.uid == acceptance.sub_project_uid))
    master = session.scalar(select(MasterProject).where(MasterProject.uid == sub.master_project_uid))
    division = session.scalar(select(Division.name).where(Division.uid == sub.division_uid))
    members = session.scalars(select(AcceptanceGroupMember).where(
        AcceptanceGroupMember.acceptance_uid == acceptance.uid, AcceptanceGroupMember.deleted.is_(False))
        .order_by(AcceptanceGroupMember.seq)).all()
    return {
        "number": number, "issued_on": issued_on.isoformat(),
        "sub_project_code": sub.code, "sub_project_name": sub.name, "division": division,
        "master_project": f"{master.plan_code} {master.name}" if master else "", "owner_unit": sub.owner_unit,
        "acceptance_date": acceptance.acceptance_date.isoformat(),
        "application_date": acceptance.application_date.isoformat() if acceptance.application_date else "",
        "accepted_volumes": acceptance.accepted_volumes, "accepted_items": acceptance.accepted_items,
        "accepted_drawings": acceptance.accepted_drawings,
        "sampled_volumes": acceptance.sampled_volumes, "total_volumes": acceptance.total_volumes,
        "sampled_drawings": acceptance.sampled_drawings, "total_drawings": acceptance.total_drawings,
        "checklist": _("{name}（第 {version} 版）").format(name=template.name, version=template.version),
        "sections": [{"title": t, "score": s, "max": m} for t, s, m, _floor in evaluation.section_scores],
        "total_score": evaluation.total, "grade": evaluation.grade,
        "conclusion": CONCLUSIONS[evaluation.conclusion],
        "votes": {VOTES[k]: v for k, v in evaluation.votes.items() if k},
        "members": [{"name": m.name, "unit": m.unit_name or MEMBER_UNITS.get(m.unit_kind, m.unit_kind),
                     "role": MEMBER_ROLES.get(m.role, m.role)} for m in members],
        "opinion": acceptance.opinion,
    }


def _issue(session: Session, ws: Workspace, acceptance_uid: str, facts_for, *, replaces_uid: str | None = None
           ) -> Certificate:
    node_code = _node_code(session)
    issued_on = date.today()
    # the next number of this node: every number ever issued here counts, voided ones too
    last = session.scalar(select(func.max(Certificate.sequence)).where(Certificate.node_code == node_code)) or 0
    number = f"{issued_on.year}-{node_code}-{last + 1:05d}"
    facts = facts_for(number, issued_on)
    return records.create(session, ws, Certificate, {
        "number": number, "year": issued_on.year, "node_code": node_code, "sequence": last + 1,
        "acceptance_uid": acceptance_uid, "issued_on": issued_on, "content_hash": facts_hash(facts), "facts": facts,
        "pdf_sha256": "", "status": "valid", "void_reason": "", "voided_on": None, "replaces_uid": replaces_uid,
    })


def issue(session: Session, ws: Workspace, acceptance: Acceptance, template, evaluation) -> Certificate:
    """Issue the certificate of a passed acceptance, inside the caller's (conclusion) transaction."""
    return _issue(session, ws, acceptance.uid,
                  lambda number, day: _facts(session, acceptance, template, evaluation, number, day))


def _live(session: Session, uid: str) -> Certificate:
    record = session.scalar(select(Certificate).where(Certificate.uid == uid, Certificate.deleted.is_(False)))
    if record is None:
        raise NotFound(_("找不到该证书。"))
    return record


def get(ws: Workspace, uid: str) -> CertificateView:
    with ws.db.read() as session:
        return _view(_live(session, uid))


def for_acceptance(ws: Workspace, acceptance_uid: str) -> list[CertificateView]:
    with ws.db.read() as session:
        return [_view(c) for c in session.scalars(select(Certificate).where(Certificate.acceptance_uid == acceptance_uid)
                                                  .order_by(Certificate.id))]


def _reason(reason: str) -> str:
    try:
        return fields.text(reason, _("作废原因"), required=True, max_length=500)
    except fields.FieldError as exc:
        raise ValidationError({"reason": exc.message}) from None


def _void(session: Session, ws: Workspace, record: Certificate, reason: str, *, hint: str) -> None:
    if record.status == "void":
        raise AppError(hint.format(number=record.number))
    records.update(session, ws, record, {"status": "void", "void_reason": reason, "voided_on": date.today()},
                   action="void", note=reason)


def void(ws: Workspace, uid: str, *, reason: str) -> CertificateView:
    reason = _reason(reason)
    with ws.db.write() as session:
        record = _live(session, uid)
        _void(session, ws, record, reason, hint=_("证书 {number} 已经作废。"))
        return _view(record)


def reissue(ws: Workspace, uid: str, *, reason: str) -> CertificateView:
    """Void ``uid`` with ``reason`` and issue the same facts under a new number."""
    reason = _reason(reason)
    with ws.db.write() as session:
        old = _live(session, uid)
        _void(session, ws, old, reason, hint=_("证书 {number} 已经作废，请从其后的新证书补发。"))

        def facts_for(number: str, day: date) -> dict[str, Any]:
            return {**old.facts, "number": number, "issued_on": day.isoformat(), "replaces": old.number}

        new = _issue(session, ws, old.acceptance_uid, facts_for, replaces_uid=old.uid)
        return _view(new)


def record_pdf_hash(ws: Workspace, uid: str, sha256: str) -> None:
    """Keep the hash of the PDF as first produced (later prints are compared with it)."""
    with ws.db.write() as session:
        record = _live(session, uid)
        if not record.pdf_sha256:
            records.update(session, ws, record, {"pdf_sha256": sha256}, action="record_pdf")


@dataclass(frozen=True)
class Verification:
    ok: bool
    message: str
    certificate: CertificateView | None = None


def verify(ws: Workspace, text: str) -> Verification:
    """Check the text of a certificate's QR code against the database."""
    parts = (text or "").strip().split("|")
    if len(parts) != 5 or parts[0] != QR_PREFIX:
        return Verification(False, _("二维码内容不是本系统签发的证书信息。"))
    _prefix, number, code, day, digest = parts
    with ws.db.read() as session:
        record = session.scalar(select(Certificate).where(Certificate.number == number))
        if record is None:
            return Verification(False, _("数据库中没有编号为 {number} 的证书。").format(number=number))
        view = _view(record)
    if facts_hash(view.facts) != view.content_hash:
        return Verification(False, _("证书 {number} 的登记内容与其哈希值不符，数据库记录可能被改动。").format(number=number), view)
    if (code, day, digest) != (view.facts["sub_project_code"], view.issued_on.isoformat(),
                               view.content_hash[:QR_HASH_CHARS]):
        return Verification(False, _("证书 {number} 的二维码内容与登记不符（子项目、日期或校验码被改动）。").format(number=number), view)
    if view.status == "void":
        return Verification(False, _("证书 {number} 已于 {day} 作废：{reason}").format(
            number=number, day=view.voided_on.isoformat() if view.voided_on else "", reason=view.void_reason), view)
    return Verification(True, _("证书 {number} 真实有效：{code} {name}，{day} 签发，结论“{conclusion}”。").format(
        number=number, code=view.facts["sub_project_code"], name=view.facts["sub_project_name"], day=day,
        conclusion=view.facts["conclusion"]), view)
