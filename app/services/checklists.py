"""Acceptance checklists (验收检查表): versioned templates of sections and items.

A version in use is never changed: editing means a new draft version, activated when
ready; each acceptance keeps the version it was scored on. The default checklist is
installed with fixed uids, so every node holds the very same records.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import _
from app.models import Acceptance, ChecklistItem, ChecklistSection, ChecklistTemplate
from app.services import checklist_default, fields, records, versions
from app.services.workspace import Workspace

DEFAULT_NAMESPACE = uuid.UUID("4a1f7c36-0b5e-4f7c-9a0e-2b8d6f1c3e55")


@dataclass(frozen=True)
class ItemView:
    uid: str
    code: str
    text: str
    evidence: str
    kind: str
    max_score: float | None
    deduction_guide: str
    veto: bool


@dataclass(frozen=True)
class SectionView:
    uid: str
    seq: int
    title: str
    floor: float | None
    items: tuple[ItemView, ...]

    @property
    def max_score(self) -> float:
        return sum(i.max_score or 0 for i in self.items)


@dataclass(frozen=True)
class TemplateView:
    uid: str
    rev: str
    lineage_uid: str
    version: int
    name: str
    status: str
    total_score: float
    grade_bands: tuple[dict[str, Any], ...]
    sections: tuple[SectionView, ...] = field(default=())

    @property
    def items(self) -> list[ItemView]:
        return [item for section in self.sections for item in section.items]

    def grade_for(self, total: float) -> str:
        """The band the total reaches; '' below the lowest band (a fail)."""
        for band in sorted(self.grade_bands, key=lambda b: b["min"], reverse=True):
            if total >= band["min"]:
                return band["grade"]
        return ""


def _view(session: Session, template: ChecklistTemplate) -> TemplateView:
    sections = session.scalars(select(ChecklistSection).where(ChecklistSection.template_uid == template.uid,
                                                              ChecklistSection.deleted.is_(False))
                               .order_by(ChecklistSection.seq)).all()
    items = session.scalars(select(ChecklistItem).where(ChecklistItem.template_uid == template.uid,
                                                        ChecklistItem.deleted.is_(False))
                            .order_by(ChecklistItem.seq)).all()
    by_section: dict[str, list[ItemView]] = {}
    for i in items:
        by_section.setdefault(i.section_uid, []).append(ItemView(i.uid, i.code, i.text, i.evidence, i.kind,
                                                                 i.max_score, i.deduction_guide, i.veto))
    return TemplateView(template.uid, template.rev, template.lineage_uid, template.version, template.name,
                        template.status, template.total_score, tuple(template.grade_bands),
                        tuple(SectionView(s.uid, s.seq, s.title, s.floor, tuple(by_section.get(s.uid, ())))
                              for s in sections))


def _template(session: Session, uid: str) -> ChecklistTemplate:
    return records.live(session, ChecklistTemplate, uid, _("找不到该验收检查表，可能已被删除。"))


def get(ws: Workspace, uid: str) -> TemplateView:
    with ws.db.read() as session:
        return _view(session, _template(session, uid))


def list_templates(ws: Workspace) -> list[TemplateView]:
    """Every live version, newest first within each checklist (sections not loaded)."""
    with ws.db.read() as session:
        rows = session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.deleted.is_(False))
                               .order_by(ChecklistTemplate.name, ChecklistTemplate.version.desc())).all()
        return [TemplateView(t.uid, t.rev, t.lineage_uid, t.version, t.name, t.status, t.total_score,
                             tuple(t.grade_bands)) for t in rows]


def active_templates(ws: Workspace) -> list[TemplateView]:
    ensure_default(ws)
    return [t for t in list_templates(ws) if t.status == "active"]


def in_use(session: Session, uid: str) -> bool:
    return (session.scalar(select(func.count()).select_from(Acceptance)
                           .where(Acceptance.template_uid == uid, Acceptance.deleted.is_(False))) or 0) > 0


# -- the content of a version ------------------------------------------------------

def parse_content(content: dict[str, Any]) -> dict[str, Any]:
    """Check a checklist's name, grade bands, sections and items; errors name where.

    ``content``: {"name", "grade_bands": [{"min", "grade"}], "sections": [{"title", "floor",
    "items": [{"code", "text", "evidence", "kind", "max_score", "deduction_guide", "veto"}]}]}
    """
    errors: dict[str, str] = {}
    try:
        name = fields.text(content.get("name"), _("检查表名称"), required=True)
    except fields.FieldError as exc:
        errors["name"], name = exc.message, ""
    bands = versions.parse_grade_bands(
        content.get("grade_bands"), errors, min_label=_("第 {n} 个等级的最低分"), name_label=_("第 {n} 个等级的名称"),
        empty_message=_("至少需要一个合格等级（如 70 分以上为“合格”）。"), number=_number)
    sections, codes = [], {}
    for s_no, section in enumerate(content.get("sections") or [], start=1):
        where = _("第 {n} 部分").format(n=s_no)
        try:
            title = fields.text(section.get("title"), _("{where}的标题").format(where=where), required=True)
            floor = _number(section.get("floor"), _("{where}的最低分").format(where=where))
        except fields.FieldError as exc:
            errors[f"section:{s_no}"] = exc.message
            continue
        items = []
        for i_no, item in enumerate(section.get("items") or [], start=1):
            key = f"item:{s_no}:{i_no}"
            try:
                parsed = _parse_item(item, _("{where}第 {n} 项").format(where=where, n=i_no))
            except fields.FieldError as exc:
                errors[key] = exc.message
                continue
            if parsed["code"] in codes:
                errors[key] = _("检查项编号 {code} 重复（另见{other}）。").format(code=parsed["code"],
                                                                          other=codes[parsed["code"]])
                continue
            codes[parsed["code"]] = _("{where}第 {n} 项").format(where=where, n=i_no)
            items.append(parsed)
        if not items and f"section:{s_no}" not in errors:
            errors[f"section:{s_no}"] = _("{where}没有检查项。").format(where=where)
        section_max = sum(i["max_score"] or 0 for i in items)
        if floor is not None and floor > section_max:
            errors[f"section:{s_no}"] = _("{where}的最低分 {floor} 超过了该部分总分 {total}。").format(
                where=where, floor=floor, total=section_max)
        sections.append({"title": title, "floor": floor, "items": items})
    if not sections and not any(k.startswith("section:") for k in errors):
        errors["sections"] = _("检查表至少需要一个部分。")
    if errors:
        raise ValidationError(errors)
    total = sum(i["max_score"] or 0 for s in sections for i in s["items"])
    return {"name": name, "grade_bands": sorted(bands, key=lambda b: -b["min"]), "sections": sections,
            "total_score": total}


def _number(value: Any, label: str, *, required: bool = False) -> float | None:
    number = fields.number(value, label, required=required)
    if number is not None and (number < 0 or number != number or number in (float("inf"),)):
        raise fields.FieldError(_("“{label}”应为不小于 0 的数字：{value}。").format(
            label=label, value=fields.normalize(value)))
    return number


def _parse_item(item: dict[str, Any], where: str) -> dict[str, Any]:
    code = fields.code(item.get("code"), _("{where}的编号").format(where=where), max_length=16)
    text = fields.text(item.get("text"), _("{where}的检查内容").format(where=where), required=True, max_length=1000)
    kind = item.get("kind") or "score"
    if kind not in ("score", "pass_fail"):
        raise fields.FieldError(_("{where}的类型应为“计分”或“合格/不合格”。").format(where=where))
    max_score = _number(item.get("max_score"), _("{where}的分值").format(where=where), required=kind == "score")
    if kind == "score" and not max_score:
        raise fields.FieldError(_("{where}是计分项，分值应大于 0。").format(where=where))
    return {"code": code, "text": text, "kind": kind, "max_score": max_score if kind == "score" else None,
            "evidence": fields.text(item.get("evidence"), _("{where}的备查材料").format(where=where), max_length=1000),
            "deduction_guide": fields.text(item.get("deduction_guide"), _("{where}的扣分标准").format(where=where),
                                           max_length=1000),
            "veto": bool(item.get("veto"))}


def content_of(view: TemplateView) -> dict[str, Any]:
    return {"name": view.name, "grade_bands": [dict(b) for b in view.grade_bands], "sections": [
        {"title": s.title, "floor": s.floor, "items": [
            {"code": i.code, "text": i.text, "evidence": i.evidence, "kind": i.kind, "max_score": i.max_score,
             "deduction_guide": i.deduction_guide, "veto": i.veto} for i in s.items]} for s in view.sections]}


def _write_version(session: Session, ws: Workspace, parsed: dict[str, Any], *, lineage_uid: str | None,
                   version: int, status: str, uid_for=None) -> ChecklistTemplate:
    uid_for = uid_for or (lambda _kind, _key: None)
    template_uid = uid_for("template", "") or records.new_uid()
    # a new checklist is its own lineage: its later versions point back at this first one
    template = records.create(session, ws, ChecklistTemplate, {
        "lineage_uid": lineage_uid or template_uid, "version": version, "name": parsed["name"],
        "status": status, "total_score": parsed["total_score"], "grade_bands": parsed["grade_bands"], "notes": "",
    }, uid=template_uid)
    seq = 0
    for s_no, section in enumerate(parsed["sections"], start=1):
        record = records.create(session, ws, ChecklistSection, {
            "template_uid": template.uid, "seq": s_no, "title": section["title"], "floor": section["floor"]},
            uid=uid_for("section", str(s_no)))
        for item in section["items"]:
            seq += 1
            records.create(session, ws, ChecklistItem, {**item, "template_uid": template.uid,
                                                        "section_uid": record.uid, "seq": seq},
                           uid=uid_for("item", item["code"]))
    return template


def ensure_default(ws: Workspace) -> str:
    """Install the default checklist (fixed uids, same records on every node) if absent."""
    def uid_for(kind: str, key: str) -> str:
        return str(uuid.uuid5(DEFAULT_NAMESPACE, f"{kind}:{key}"))

    template_uid = uid_for("template", "")
    with ws.db.read() as session:
        if session.scalar(select(ChecklistTemplate.id).where(ChecklistTemplate.uid == template_uid)) is not None:
            return template_uid
    content = {"name": _(checklist_default.NAME),
               "grade_bands": [{"min": b["min"], "grade": b["grade"]} for b in checklist_default.GRADE_BANDS],
               "sections": [{"title": title, "floor": floor, "items": [
                   {"code": c, "text": t, "evidence": e, "kind": k, "max_score": m, "deduction_guide": g, "veto": v}
                   for c, t, e, k, m, g, v in items]} for title, floor, items in checklist_default.SECTIONS]}
    parsed = parse_content(content)
    with ws.db.write() as session:
        if session.scalar(select(ChecklistTemplate.id).where(ChecklistTemplate.uid == template_uid)) is None:
            _write_version(session, ws, parsed, lineage_uid=template_uid, version=1, status="active",
                           uid_for=uid_for)
    return template_uid


def new_version(ws: Workspace, uid: str, content: dict[str, Any] | None = None) -> TemplateView:
    """A draft next version of the checklist ``uid`` belongs to (a copy, or ``content``)."""
    with ws.db.write() as session:
        base = _template(session, uid)
        parsed = parse_content(content or content_of(_view(session, base)))
        draft = _write_version(session, ws, parsed, lineage_uid=base.lineage_uid,
                               version=versions.next_number(session, ChecklistTemplate, base.lineage_uid),
                               status="draft")
        return _view(session, draft)


def create(ws: Workspace, content: dict[str, Any]) -> TemplateView:
    """A new checklist (version 1, draft), e.g. one the city sent down in Excel."""
    parsed = parse_content(content)
    with ws.db.write() as session:
        return _view(session, _write_version(session, ws, parsed, lineage_uid=None, version=1, status="draft"))


def save_draft(ws: Workspace, uid: str, content: dict[str, Any]) -> TemplateView:
    """Replace a draft's content. Active or used versions are refused: make a new version."""
    parsed = parse_content(content)
    with ws.db.write() as session:
        template = _template(session, uid)
        versions.require_unused_draft(template, in_use(session, uid),
                                      _("该检查表版本已启用或已被验收使用，不能修改；请“另存为新版本”后修改。"))
        for model in (ChecklistItem, ChecklistSection):
            for record in session.scalars(select(model).where(model.template_uid == uid, model.deleted.is_(False))):
                records.delete(session, ws, record)
        replacement = _write_version(session, ws, parsed, lineage_uid=template.lineage_uid,
                                     version=template.version, status="draft")
        records.delete(session, ws, template)
        return _view(session, replacement)


def activate(ws: Workspace, uid: str) -> TemplateView:
    """Put a draft in use; the version it replaces is retired (kept for old acceptances)."""
    with ws.db.write() as session:
        template = _template(session, uid)
        versions.put_in_use(session, ws, ChecklistTemplate, template)
        return _view(session, template)


def discard_draft(ws: Workspace, uid: str) -> None:
    """Throw away a draft version nobody has used (an edit the person gave up on)."""
    with ws.db.write() as session:
        template = _template(session, uid)
        versions.require_unused_draft(template, in_use(session, uid), _("只能删除未使用的草稿版本。"))
        for model in (ChecklistItem, ChecklistSection):
            for record in session.scalars(select(model).where(model.template_uid == uid, model.deleted.is_(False))):
                records.delete(session, ws, record)
        records.delete(session, ws, template)
