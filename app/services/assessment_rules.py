"""Assessment rule sets (考核细则): versioned items, grade bands and the departments scored.

The same life as a checklist template (``app.services.checklists``): a version in use by
an assessment, or active, is never changed; editing makes a draft next version, put in use
by ``activate`` (the version it replaces is retired). The city writes rule sets; they have
no division, so they travel down to every county with the reference data. The default
rule set is installed with fixed uids, so every node holds the very same records.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import AppError, ValidationError
from app.i18n import _
from app.models import RULE_KINDS, RULE_SCOPES, Assessment, AssessmentRuleItem, AssessmentRuleSet, Division
from app.services import assessment_default, fields, records, versions
from app.services.assessment_metrics import METRICS
from app.services.divisions import CITY_CODE
from app.services.workspace import Workspace

DEFAULT_NAMESPACE = uuid.UUID("7d3c2a90-5e1b-4c8e-b6f4-1a9e0c2d7b31")
_LIST_SPLIT = ("、", ",", "，", ";", "；")


@dataclass(frozen=True)
class RuleItemView:
    uid: str
    seq: int
    section: str
    code: str
    title: str
    points: float
    scope: str
    kind: str
    metric: str
    params: dict[str, Any]
    guide: str

    def scores(self, subject_kind: str) -> bool:
        return self.scope == "both" or self.scope == subject_kind


@dataclass(frozen=True)
class RuleSetView:
    uid: str
    rev: str
    lineage_uid: str
    version: int
    name: str
    status: str
    total_points: float
    grade_bands: tuple[dict[str, Any], ...]
    departments: tuple[dict[str, Any], ...]
    notes: str
    items: tuple[RuleItemView, ...] = field(default=())

    def full_points(self, subject_kind: str) -> float:
        return sum(i.points for i in self.items if i.scores(subject_kind))

    def grade_for(self, score: float, full: float) -> str:
        """The band the score reaches on a 100-point scale (score × 100 / full)."""
        percent = score * 100 / full if full else 0.0
        for band in sorted(self.grade_bands, key=lambda b: b["min"], reverse=True):
            if percent >= band["min"] - 1e-9:
                return band["grade"]
        return ""


def is_city(ws: Workspace) -> bool:
    with ws.db.read() as session:
        return session.scalar(select(Division.code).where(Division.uid == ws.division_uid)) == CITY_CODE


def require_city(ws: Workspace, message: str) -> None:
    """Only the city assesses and writes rule sets: a county's node is refused with ``message``."""
    if not is_city(ws):
        raise AppError(message)


def _refuse_county(ws: Workspace) -> None:
    require_city(ws, _("考核细则由市档案局制定，随参考数据下发；县（区）节点只能查看，不能修改。"))


def _item_view(i: AssessmentRuleItem) -> RuleItemView:
    return RuleItemView(i.uid, i.seq, i.section, i.code, i.title, i.points, i.scope, i.kind, i.metric,
                        dict(i.params or {}), i.guide)


def _view(session: Session, r: AssessmentRuleSet, *, with_items: bool = True) -> RuleSetView:
    items: tuple[RuleItemView, ...] = ()
    if with_items:
        items = tuple(_item_view(i) for i in session.scalars(select(AssessmentRuleItem).where(
            AssessmentRuleItem.rule_set_uid == r.uid, AssessmentRuleItem.deleted.is_(False))
            .order_by(AssessmentRuleItem.seq)))
    return RuleSetView(r.uid, r.rev, r.lineage_uid, r.version, r.name, r.status, r.total_points,
                       tuple(r.grade_bands), tuple(r.departments), r.notes, items)


def _rule_set(session: Session, uid: str) -> AssessmentRuleSet:
    return records.live(session, AssessmentRuleSet, uid, _("找不到该考核细则，可能已被删除。"))


def get(ws: Workspace, uid: str) -> RuleSetView:
    with ws.db.read() as session:
        return _view(session, _rule_set(session, uid))


def view_in(session: Session, uid: str) -> RuleSetView:
    return _view(session, _rule_set(session, uid))


def list_rule_sets(ws: Workspace) -> list[RuleSetView]:
    """Every live version, newest first within each rule set (items not loaded)."""
    ensure_default(ws)
    with ws.db.read() as session:
        rows = session.scalars(select(AssessmentRuleSet).where(AssessmentRuleSet.deleted.is_(False))
                               .order_by(AssessmentRuleSet.name, AssessmentRuleSet.version.desc())).all()
        return [_view(session, r, with_items=False) for r in rows]


def active_rule_sets(ws: Workspace) -> list[RuleSetView]:
    return [r for r in list_rule_sets(ws) if r.status == "active"]


def usage_counts(ws: Workspace) -> dict[str, int]:
    """Live assessments per rule-set version uid (versions never used are absent)."""
    with ws.db.read() as session:
        return dict(session.execute(select(Assessment.rule_set_uid, func.count()).where(
            Assessment.deleted.is_(False)).group_by(Assessment.rule_set_uid)).all())


def in_use(session: Session, uid: str) -> bool:
    return (session.scalar(select(func.count()).select_from(Assessment).where(
        Assessment.rule_set_uid == uid, Assessment.deleted.is_(False))) or 0) > 0


# -- the content of a version ------------------------------------------------------

def _number(value: Any, label: str, *, required: bool = False) -> float | None:
    number = fields.number(value, label, required=required)
    if number is not None and not 0 <= number < 10_000:
        raise fields.FieldError(_("“{label}”应为 0 到 10000 之间的数字：{value}。").format(
            label=label, value=fields.normalize(value)))
    return number


def text_list(value: Any) -> list[str]:
    """A list as typed ("城乡住房、城镇建设") or as stored (a list)."""
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    else:
        parts = [fields.normalize(value)]
        for mark in _LIST_SPLIT:
            parts = [p for part in parts for p in part.split(mark)]
    return [p.strip() for p in parts if p and p.strip()]


def _choice(value: Any, label: str, choices: dict[str, str]) -> str:
    """A code from ``choices``, its label accepted in full- or half-width form ("县(区)" from Excel)."""
    raw = fields.normalize(value)
    for code, name in choices.items():
        if raw in (code, fields.normalize(name), fields.normalize(_(name))):
            return code
    return fields.choice(value, label, choices)  # raises, naming the choices


def _parse_params(metric: str, raw: Any, where: str) -> dict[str, Any]:
    spec = METRICS[metric].params
    raw = dict(raw or {})
    unknown = set(raw) - set(spec)
    if unknown:
        raise fields.FieldError(_("{where}的计算参数“{names}”无效。").format(where=where, names="、".join(sorted(unknown))))
    params: dict[str, Any] = {}
    for key, param in spec.items():
        value = raw.get(key, param.default)
        label = _("{where}的“{param}”").format(where=where, param=_(param.label))
        if param.kind == "number":
            params[key] = _number(value, label) if value not in (None, "") else param.default
        elif param.kind == "choice":
            params[key] = _choice(value, label, param.vocabulary)
        else:
            params[key] = [_choice(v, label, param.vocabulary) if param.vocabulary else v
                           for v in text_list(value)]
    return params


def _parse_item(item: dict[str, Any], where: str) -> dict[str, Any]:
    code = fields.code(item.get("code"), _("{where}的编号").format(where=where), max_length=16)
    title = fields.text(item.get("title"), _("{where}的考核内容").format(where=where), required=True, max_length=1000)
    section = fields.text(item.get("section"), _("{where}的类别").format(where=where), required=True, max_length=100)
    points = _number(item.get("points"), _("{where}的分值").format(where=where), required=True)
    if not points:
        raise fields.FieldError(_("{where}的分值应大于 0。").format(where=where))
    scope = _choice(item.get("scope") or "division", _("{where}的考核对象").format(where=where), RULE_SCOPES)
    kind = _choice(item.get("kind") or "manual", _("{where}的评分方式").format(where=where), RULE_KINDS)
    metric, params = "", {}
    if kind == "computed":
        metric = fields.normalize(item.get("metric"))
        if metric not in METRICS:
            names = "、".join(f"{key}（{_(m.label)}）" for key, m in METRICS.items())
            raise fields.FieldError(_("{where}按数据计算，计算方法应为以下之一：{names}。").format(where=where, names=names))
        wanted = {"division"} if scope == "division" else {"department"} if scope == "department" else {
            "division", "department"}
        if not wanted <= METRICS[metric].subjects:
            raise fields.FieldError(_("{where}的计算方法“{metric}”只能考核县（区），不能用于市级部门。").format(
                where=where, metric=_(METRICS[metric].label)))
        params = _parse_params(metric, item.get("params"), where)
    guide = fields.text(item.get("guide"), _("{where}的评分标准").format(where=where), max_length=1000)
    return {"section": section, "code": code, "title": title, "points": points, "scope": scope, "kind": kind,
            "metric": metric, "params": params, "guide": guide}


def parse_content(content: dict[str, Any]) -> dict[str, Any]:
    """Check a rule set's name, bands, departments and items; errors are keyed by where
    (``name``, ``band:<n>``, ``department:<n>``, ``item:<n>``) and name the place in Chinese.

    ``content``: {"name", "notes", "grade_bands": [{"min", "grade"}], "departments":
    [{"code", "name", "sectors"}], "items": [{"section", "code", "title", "points", "scope",
    "kind", "metric", "params", "guide"}]}
    """
    errors: dict[str, str] = {}
    try:
        name = fields.text(content.get("name"), _("考核细则名称"), required=True)
    except fields.FieldError as exc:
        errors["name"], name = exc.message, ""
    try:
        notes = fields.text(content.get("notes"), _("说明"), max_length=2000, multiline=True)
    except fields.FieldError as exc:
        errors["notes"], notes = exc.message, ""
    bands = versions.parse_grade_bands(
        content.get("grade_bands"), errors, min_label=_("第 {n} 个等次的最低分"), name_label=_("第 {n} 个等次的名称"),
        empty_message=_("至少需要一个等次（如 90 分以上为“优秀”）。"), number=_number)
    departments, department_codes = [], set()
    for n, department in enumerate(content.get("departments") or [], start=1):
        where = _("第 {n} 个市级部门").format(n=n)
        try:
            code = fields.code(department.get("code"), _("{where}的代码").format(where=where), max_length=32)
            dept_name = fields.text(department.get("name"), _("{where}的名称").format(where=where), required=True,
                                    max_length=100)
            sectors = text_list(department.get("sectors"))
            if not sectors:
                raise fields.FieldError(_("{where}至少负责一个行业（领域）。").format(where=where))
            if code in department_codes:
                raise fields.FieldError(_("{where}的代码 {code} 重复。").format(where=where, code=code))
            department_codes.add(code)
            departments.append({"code": code, "name": dept_name, "sectors": sectors})
        except fields.FieldError as exc:
            errors[f"department:{n}"] = exc.message
    items, codes = [], set()
    for n, item in enumerate(content.get("items") or [], start=1):
        where = _("第 {n} 项").format(n=n)
        try:
            parsed = _parse_item(item, where)
            if parsed["code"] in codes:
                raise fields.FieldError(_("{where}的编号 {code} 重复。").format(where=where, code=parsed["code"]))
            codes.add(parsed["code"])
            items.append(parsed)
        except fields.FieldError as exc:
            errors[f"item:{n}"] = exc.message
    if not items and not any(k.startswith("item:") for k in errors):
        errors["items"] = _("考核细则至少需要一个考核项目。")
    if errors:
        raise ValidationError(errors)
    total = sum(i["points"] for i in items if i["scope"] in ("division", "both"))
    return {"name": name, "notes": notes, "grade_bands": sorted(bands, key=lambda b: -b["min"]),
            "departments": departments, "items": items, "total_points": total}


def content_of(view: RuleSetView) -> dict[str, Any]:
    return {"name": view.name, "notes": view.notes, "grade_bands": [dict(b) for b in view.grade_bands],
            "departments": [dict(d) for d in view.departments],
            "items": [{"section": i.section, "code": i.code, "title": i.title, "points": i.points, "scope": i.scope,
                       "kind": i.kind, "metric": i.metric, "params": dict(i.params), "guide": i.guide}
                      for i in view.items]}


def _write_version(session: Session, ws: Workspace, parsed: dict[str, Any], *, lineage_uid: str | None,
                   version: int, status: str, uid_for=None) -> AssessmentRuleSet:
    uid_for = uid_for or (lambda _kind, _key: None)
    rule_set_uid = uid_for("rule_set", "") or records.new_uid()
    # a new rule set is its own lineage: later versions point back at this first one
    rule_set = records.create(session, ws, AssessmentRuleSet, {
        "lineage_uid": lineage_uid or rule_set_uid, "version": version, "name": parsed["name"], "status": status,
        "total_points": parsed["total_points"], "grade_bands": parsed["grade_bands"],
        "departments": parsed["departments"], "notes": parsed["notes"]}, uid=rule_set_uid)
    for seq, item in enumerate(parsed["items"], start=1):
        records.create(session, ws, AssessmentRuleItem, {**item, "rule_set_uid": rule_set.uid, "seq": seq},
                       uid=uid_for("item", item["code"]))
    return rule_set


def default_content() -> dict[str, Any]:
    """The shipped rule set as stored: the Chinese text itself, the same on every node."""
    d = assessment_default
    return {"name": d.NAME, "notes": d.NOTES, "grade_bands": [dict(b) for b in d.GRADE_BANDS],
            "departments": [{"code": c, "name": n, "sectors": list(s)} for c, n, s in d.DEPARTMENTS],
            "items": [{"section": sec, "code": code, "title": title, "points": pts, "scope": scope, "kind": kind,
                       "metric": metric, "params": dict(params), "guide": guide}
                      for sec, code, title, pts, scope, kind, metric, params, guide in d.ITEMS]}


def default_uid() -> str:
    return str(uuid.uuid5(DEFAULT_NAMESPACE, "rule_set:"))


def ensure_default(ws: Workspace) -> str:
    """Install the default rule set (fixed uids, same records on every node) if absent."""
    def uid_for(kind: str, key: str) -> str:
        return str(uuid.uuid5(DEFAULT_NAMESPACE, f"{kind}:{key}"))

    uid = default_uid()
    with ws.db.read() as session:
        if session.scalar(select(AssessmentRuleSet.id).where(AssessmentRuleSet.uid == uid)) is not None:
            return uid
    if ws.node_uid is None:
        return uid
    parsed = parse_content(default_content())
    with ws.db.write() as session:
        if session.scalar(select(AssessmentRuleSet.id).where(AssessmentRuleSet.uid == uid)) is None:
            _write_version(session, ws, parsed, lineage_uid=uid, version=1, status="active", uid_for=uid_for)
    return uid


def new_version(ws: Workspace, uid: str, content: dict[str, Any] | None = None) -> RuleSetView:
    """A draft next version of the rule set ``uid`` belongs to (a copy, or ``content``)."""
    _refuse_county(ws)
    with ws.db.write() as session:
        base = _rule_set(session, uid)
        parsed = parse_content(content or content_of(_view(session, base)))
        draft = _write_version(session, ws, parsed, lineage_uid=base.lineage_uid,
                               version=versions.next_number(session, AssessmentRuleSet, base.lineage_uid),
                               status="draft")
        return _view(session, draft)


def create(ws: Workspace, content: dict[str, Any]) -> RuleSetView:
    """A new rule set (version 1, draft)."""
    _refuse_county(ws)
    parsed = parse_content(content)
    with ws.db.write() as session:
        return _view(session, _write_version(session, ws, parsed, lineage_uid=None, version=1, status="draft"))


def _tombstone_version(session: Session, ws: Workspace, record: AssessmentRuleSet) -> None:
    for item in session.scalars(select(AssessmentRuleItem).where(AssessmentRuleItem.rule_set_uid == record.uid,
                                                                 AssessmentRuleItem.deleted.is_(False))):
        records.delete(session, ws, item)
    records.delete(session, ws, record)


def save_draft(ws: Workspace, uid: str, content: dict[str, Any]) -> RuleSetView:
    """Replace a draft's content (the draft gets a new uid). Active or used versions are refused."""
    _refuse_county(ws)
    parsed = parse_content(content)
    with ws.db.write() as session:
        record = _rule_set(session, uid)
        versions.require_unused_draft(record, in_use(session, uid),
                                      _("该考核细则版本已启用或已被考核使用，不能修改；请“另存为新版本”后修改。"))
        replacement = _write_version(session, ws, parsed, lineage_uid=record.lineage_uid, version=record.version,
                                     status="draft")
        _tombstone_version(session, ws, record)
        return _view(session, replacement)


def activate(ws: Workspace, uid: str) -> RuleSetView:
    """Put a draft in use; the version it replaces is retired (kept for the assessments made on it)."""
    _refuse_county(ws)
    with ws.db.write() as session:
        record = _rule_set(session, uid)
        versions.put_in_use(session, ws, AssessmentRuleSet, record)
        return _view(session, record)


def discard_draft(ws: Workspace, uid: str) -> None:
    """Throw away a draft version no assessment used."""
    _refuse_county(ws)
    with ws.db.write() as session:
        record = _rule_set(session, uid)
        versions.require_unused_draft(record, in_use(session, uid), _("只能删除未使用的草稿版本。"))
        _tombstone_version(session, ws, record)
