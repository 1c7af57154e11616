"""Archive acceptances (档案验收): the group, the scores, the computed result, the conclusion.

The service computes everything a conclusion rests on (section scores, total, vetoes and
floors hit, the grade band, the vote) and says why in Chinese; a pass issues the
certificate and a fail writes the rectification opinions into the problem ledger, in the
same transaction as the conclusion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError, NotFound, ValidationError
from app.i18n import N_, _
from app.models import (MEMBER_ROLES, MEMBER_UNITS, VOTES, Acceptance, AcceptanceGroupMember, AcceptanceScore,
                        SubProject)
from app.services import certificates, checklists, fields, problems, records
from app.services.acceptance_result import Evaluation, Member, Score, evaluate
from app.services.workspace import Workspace

#: archive acceptance comes at least this long before the completion acceptance
LEAD_TIME = relativedelta(months=3)

LABELS: dict[str, str] = {
    "acceptance_date": N_("验收日期"),
    "application_date": N_("申请受理日期"),
    # not typed here: the sub-project's plan, copied (see ``_planned_completion``)
    "completion_acceptance_date": N_("计划竣工验收日期"),
    "total_volumes": N_("案卷总数"),
    "sampled_volumes": N_("抽查案卷数"),
    "total_drawings": N_("竣工图总张数"),
    "sampled_drawings": N_("抽查竣工图张数"),
    "accepted_volumes": N_("验收案卷（卷）"),
    "accepted_items": N_("验收文件（件）"),
    "accepted_drawings": N_("验收竣工图（张）"),
    "opinion": N_("验收意见"),
    "rectification_deadline": N_("整改期限"),
}
_COUNTS = ("total_volumes", "sampled_volumes", "total_drawings", "sampled_drawings", "accepted_volumes",
           "accepted_items", "accepted_drawings")


@dataclass(frozen=True)
class AcceptanceDetail:
    uid: str
    rev: str
    sub_project_uid: str
    template_uid: str
    previous_uid: str | None
    status: str
    conclusion: str
    grade: str
    total_score: float | None
    values: dict[str, Any]
    members: tuple[Member, ...]
    scores: dict[str, Score]


def _live(session: Session, uid: str) -> Acceptance:
    return records.live(session, Acceptance, uid, _("找不到该验收记录，可能已被删除。"))


def _draft(session: Session, uid: str) -> Acceptance:
    record = _live(session, uid)
    if record.status != "draft":
        raise AppError(_("该验收已作出结论，不能再修改；如需复查，请发起复验。"))
    return record


def _members(session: Session, uid: str) -> list[AcceptanceGroupMember]:
    return list(session.scalars(select(AcceptanceGroupMember).where(
        AcceptanceGroupMember.acceptance_uid == uid, AcceptanceGroupMember.deleted.is_(False))
        .order_by(AcceptanceGroupMember.seq)))


def _scores(session: Session, uid: str) -> dict[str, AcceptanceScore]:
    return {s.item_uid: s for s in session.scalars(select(AcceptanceScore).where(
        AcceptanceScore.acceptance_uid == uid, AcceptanceScore.deleted.is_(False)))}


def _planned_completion(session: Session, a: Acceptance) -> date | None:
    """The completion acceptance (竣工验收) date the 3-month rule checks this acceptance against.

    The plan is the sub-project's; each save of a draft copies it onto the acceptance, so a
    concluded acceptance keeps the date it was judged against. A date typed on an
    acceptance before the sub-project held one is used while the sub-project has none.
    """
    planned = session.scalar(select(SubProject.completion_acceptance_date)
                             .where(SubProject.uid == a.sub_project_uid))
    if a.status == "draft":
        return planned or a.completion_acceptance_date
    return a.completion_acceptance_date or planned


def _detail(session: Session, a: Acceptance) -> AcceptanceDetail:
    values = {key: getattr(a, key) for key in LABELS}
    values["completion_acceptance_date"] = _planned_completion(session, a)
    members = tuple(Member(m.uid, m.name, m.unit_kind, m.unit_name, m.role, m.vote) for m in _members(session, a.uid))
    scores = {k: Score(k, s.self_score, s.group_score, s.passed, s.remark) for k, s in _scores(session, a.uid).items()}
    return AcceptanceDetail(a.uid, a.rev, a.sub_project_uid, a.template_uid, a.previous_uid, a.status,
                            a.conclusion, a.grade, a.total_score, values, members, scores)


def get(ws: Workspace, uid: str) -> AcceptanceDetail:
    with ws.db.read() as session:
        return _detail(session, _live(session, uid))


def for_sub_project(ws: Workspace, sub_project_uid: str) -> list[AcceptanceDetail]:
    with ws.db.read() as session:
        rows = session.scalars(select(Acceptance).where(Acceptance.sub_project_uid == sub_project_uid,
                                                        Acceptance.deleted.is_(False))
                               .order_by(Acceptance.acceptance_date, Acceptance.id)).all()
        return [_detail(session, a) for a in rows]


# -- header --------------------------------------------------------------------------

def parse_header(raw: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    # the planned completion acceptance is the sub-project's, never typed on the acceptance
    for key in ("acceptance_date", "application_date", "rectification_deadline"):
        if key in raw:
            try:
                values[key] = fields.day(raw.get(key), _(LABELS[key]))
            except fields.FieldError as exc:
                errors[key] = exc.message
    if "acceptance_date" in values and values["acceptance_date"] is None:
        errors["acceptance_date"] = _("“{label}”不能为空。").format(label=_(LABELS["acceptance_date"]))
    for key in _COUNTS:
        if key in raw:
            text = fields.normalize(raw.get(key))
            if not text:
                values[key] = None
            elif not text.isdigit():
                errors[key] = _("“{label}”应为不小于 0 的整数，不能是“{value}”。").format(label=_(LABELS[key]), value=text)
            else:
                values[key] = int(text)
    for sample, whole in (("sampled_volumes", "total_volumes"), ("sampled_drawings", "total_drawings")):
        if values.get(sample) is not None and values.get(whole) is not None and values[sample] > values[whole]:
            errors[sample] = _("“{sample}”（{n}）不能多于“{whole}”（{m}）。").format(
                sample=_(LABELS[sample]), n=values[sample], whole=_(LABELS[whole]), m=values[whole])
    if "opinion" in raw:
        try:
            values["opinion"] = fields.text(raw.get("opinion"), _(LABELS["opinion"]), max_length=5000, multiline=True)
        except fields.FieldError as exc:
            errors["opinion"] = exc.message
    applied, held = values.get("application_date"), values.get("acceptance_date")
    if applied and held and held < applied:
        errors["acceptance_date"] = _("“验收日期”（{d}）不能早于“申请受理日期”（{a}）。").format(
            d=held.isoformat(), a=applied.isoformat())
    if errors:
        raise ValidationError(errors)
    return values


def sample_shares(values: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """The share of volumes and of drawing sheets the group pulled (e.g. 0.08 and 0.10)."""
    def share(part: int | None, whole: int | None) -> float | None:
        return part / whole if part is not None and whole else None
    return (share(values.get("sampled_volumes"), values.get("total_volumes")),
            share(values.get("sampled_drawings"), values.get("total_drawings")))


def timing_warning(values: Mapping[str, Any]) -> str:
    """A warning when the acceptance is planned less than 3 months before completion acceptance.

    ``completion_acceptance_date`` is the sub-project's planned date (as ``get`` returns it).
    """
    held, completion = values.get("acceptance_date"), values.get("completion_acceptance_date")
    if held and completion and held + LEAD_TIME > completion:
        return _("档案验收（{held}）距竣工验收（{completion}）不足 3 个月：按规定档案验收应在竣工验收 3 个月前完成。").format(
            held=held.isoformat(), completion=completion.isoformat())
    return ""


def create(ws: Workspace, sub_project_uid: str, raw: Mapping[str, Any], *, template_uid: str | None = None,
           previous_uid: str | None = None) -> AcceptanceDetail:
    """A new acceptance (in progress) on the active checklist unless one is named."""
    values = parse_header({"acceptance_date": raw.get("acceptance_date"), **raw})
    template_uid = template_uid or checklists.active_templates(ws)[0].uid
    with ws.db.write() as session:
        sub = session.scalar(select(SubProject).where(SubProject.uid == sub_project_uid,
                                                      SubProject.deleted.is_(False)))
        if sub is None:
            raise NotFound(_("找不到该子项目，可能已被删除。"))
        content = {key: values.get(key) for key in LABELS}
        content["opinion"] = content["opinion"] or ""
        content["completion_acceptance_date"] = sub.completion_acceptance_date
        record = records.create(session, ws, Acceptance, {
            **content, "sub_project_uid": sub_project_uid, "template_uid": template_uid, "previous_uid": previous_uid,
            "status": "draft", "conclusion": "", "grade": "", "total_score": None})
        return _detail(session, record)


def update(ws: Workspace, uid: str, raw: Mapping[str, Any], *, expected_rev: str | None = None) -> AcceptanceDetail:
    values = parse_header(raw)
    with ws.db.write() as session:
        record = _draft(session, uid)
        values["completion_acceptance_date"] = _planned_completion(session, record)
        records.update(session, ws, record, values, expected_rev=expected_rev)
        return _detail(session, record)


# -- group -----------------------------------------------------------------------------

def _parse_members(raw_members: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    errors: dict[str, str] = {}
    parsed = []
    for n, raw in enumerate(raw_members, start=1):
        where = _("第 {n} 位成员").format(n=n)
        try:
            parsed.append({
                "seq": n,
                "name": fields.text(raw.get("name"), _("{where}的姓名").format(where=where), required=True,
                                    max_length=64),
                "unit_kind": fields.choice(raw.get("unit_kind") or "other", _("{where}的单位").format(where=where),
                                           MEMBER_UNITS),
                "unit_name": fields.text(raw.get("unit_name"), _("{where}的单位名称").format(where=where), max_length=100),
                "role": fields.choice(raw.get("role") or "member", _("{where}的职务").format(where=where), MEMBER_ROLES),
                "vote": fields.choice(raw.get("vote") or "", _("{where}的表决").format(where=where), VOTES),
            })
        except fields.FieldError as exc:
            errors[f"member:{n}"] = exc.message
    if errors:
        raise ValidationError(errors)
    return parsed


def _write_members(session: Session, ws: Workspace, uid: str, parsed: list[dict[str, Any]]) -> None:
    existing = _members(session, uid)
    for n, values in enumerate(parsed):
        if n < len(existing):
            records.update(session, ws, existing[n], values)
        else:
            records.create(session, ws, AcceptanceGroupMember, {**values, "acceptance_uid": uid})
    for extra in existing[len(parsed):]:
        records.delete(session, ws, extra)


def set_members(ws: Workspace, uid: str, raw_members: Sequence[Mapping[str, Any]]) -> AcceptanceDetail:
    """Replace the group (验收小组): name, unit, role, vote. Errors keyed ``member:<n>``."""
    parsed = _parse_members(raw_members)
    with ws.db.write() as session:
        record = _draft(session, uid)
        _write_members(session, ws, uid, parsed)
        return _detail(session, record)


# -- scores ------------------------------------------------------------------------------

def _parse_scores(ws: Workspace, uid: str, raw_scores: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    with ws.db.read() as session:
        record = _live(session, uid)
        template = checklists.get(ws, record.template_uid)
    items = {i.uid: i for i in template.items}
    errors: dict[str, str] = {}
    parsed: dict[str, dict[str, Any]] = {}
    for item_uid, raw in raw_scores.items():
        item = items.get(item_uid)
        if item is None:
            raise ValueError(f"item {item_uid} is not on checklist {template.uid}")
        try:
            parsed[item_uid] = _parse_score(item, raw)
        except fields.FieldError as exc:
            errors[f"item:{item.code}"] = exc.message
    if errors:
        raise ValidationError(errors)
    return parsed


def _write_scores(session: Session, ws: Workspace, uid: str, parsed: dict[str, dict[str, Any]]) -> None:
    existing = _scores(session, uid)
    for item_uid, values in parsed.items():
        if item_uid in existing:
            records.update(session, ws, existing[item_uid], values)
        else:
            records.create(session, ws, AcceptanceScore, {**values, "acceptance_uid": uid, "item_uid": item_uid})


def set_scores(ws: Workspace, uid: str, raw_scores: Mapping[str, Mapping[str, Any]]) -> AcceptanceDetail:
    """Scores by item uid: self_score, group_score (0..max), passed (pass/fail items), remark.

    Errors are keyed ``item:<code>`` and name the item and its maximum.
    """
    parsed = _parse_scores(ws, uid, raw_scores)
    with ws.db.write() as session:
        record = _draft(session, uid)
        _write_scores(session, ws, uid, parsed)
        return _detail(session, record)


def save(ws: Workspace, uid: str, *, header: Mapping[str, Any], members: Sequence[Mapping[str, Any]],
         scores: Mapping[str, Mapping[str, Any]], expected_rev: str | None = None) -> AcceptanceDetail:
    """The whole form in one transaction; one ValidationError carries the errors of all
    three parts (header keys, ``member:<n>``, ``item:<code>``), and nothing is saved then."""
    errors: dict[str, str] = {}
    parts: list[Any] = []
    for parse in (lambda: parse_header(header), lambda: _parse_members(members),
                  lambda: _parse_scores(ws, uid, scores)):
        try:
            parts.append(parse())
        except ValidationError as exc:
            errors.update(exc.field_errors)
            parts.append(None)
    if errors:
        raise ValidationError(errors)
    values, parsed_members, parsed_scores = parts
    with ws.db.write() as session:
        record = _draft(session, uid)
        values["completion_acceptance_date"] = _planned_completion(session, record)
        records.update(session, ws, record, values, expected_rev=expected_rev)
        _write_members(session, ws, uid, parsed_members)
        _write_scores(session, ws, uid, parsed_scores)
        return _detail(session, record)


def _parse_score(item: checklists.ItemView, raw: Mapping[str, Any]) -> dict[str, Any]:
    label = _("第 {code} 项").format(code=item.code)
    remark = fields.text(raw.get("remark"), _("{label}的说明").format(label=label), max_length=1000, multiline=True)
    if item.kind == "pass_fail":
        passed = raw.get("passed")
        if isinstance(passed, str):
            passed = None if not passed.strip() else fields.flag(passed, label)
        return {"self_score": None, "group_score": None, "passed": passed, "remark": remark}
    values: dict[str, Any] = {"passed": None, "remark": remark}
    for key, what in (("self_score", _("自检得分")), ("group_score", _("验收赋分"))):
        text = fields.normalize(raw.get(key))
        if not text:
            values[key] = None
            continue
        try:
            score = float(text)
        except ValueError:
            raise fields.FieldError(_("{label}的{what}应为数字，不能是“{value}”。").format(
                label=label, what=what, value=text)) from None
        if not 0 <= score <= (item.max_score or 0):
            raise fields.FieldError(_("{label}的{what}应在 0 到 {max:g} 分之间，不能是 {value}。").format(
                label=label, what=what, max=item.max_score, value=text))
        if round(score * 2) != score * 2:
            raise fields.FieldError(_("{label}的{what}以 0.5 分为单位：{value}。").format(label=label, what=what,
                                                                                   value=text))
        values[key] = score
    return values


# -- the result (computed in acceptance_result) ------------------------------------------

def evaluation_of(ws: Workspace, uid: str) -> Evaluation:
    detail = get(ws, uid)
    return evaluate(checklists.get(ws, detail.template_uid), detail.scores, detail.members)


def conclude(ws: Workspace, uid: str, *, opinions: Sequence[str] = (), rectification_deadline: Any = None,
             expected_rev: str | None = None) -> AcceptanceDetail:
    """Record the conclusion the evaluation reaches; a pass issues the certificate, a fail
    writes ``opinions`` into the ledger with the rectification deadline."""
    detail = get(ws, uid)
    template = checklists.get(ws, detail.template_uid)
    result = evaluate(template, detail.scores, detail.members)
    if not result.conclusion:
        raise ValidationError({"conclusion": _("还不能作出结论：") + "；".join(result.reasons)})
    deadline = None
    texts: list[str] = []
    if result.conclusion == "fail":
        try:
            deadline = fields.day(rectification_deadline, _(LABELS["rectification_deadline"]))
        except fields.FieldError as exc:
            raise ValidationError({"rectification_deadline": exc.message}) from None
        texts = [t.strip() for t in opinions if t and t.strip()]
        errors = {}
        if deadline is None:
            errors["rectification_deadline"] = _("验收不合格时必须规定整改期限。")
        elif deadline <= detail.values["acceptance_date"]:
            errors["rectification_deadline"] = _("整改期限应晚于验收日期。")
        if not texts:
            errors["opinions"] = _("验收不合格时请至少写一条整改意见，它们将记入问题台账。")
        if errors:
            raise ValidationError(errors)
    with ws.db.write() as session:
        record = _draft(session, uid)
        records.update(session, ws, record, {
            "status": "concluded", "conclusion": result.conclusion, "grade": result.grade,
            "total_score": result.total, "rectification_deadline": deadline,
            "completion_acceptance_date": _planned_completion(session, record),
        }, expected_rev=expected_rev, action="conclude", note="；".join(result.reasons))
        if result.conclusion == "pass":
            certificates.issue(session, ws, record, template, result)
        else:
            for text in texts:
                problems.add(session, ws, {"category": "other", "description": text, "responsible_person": "",
                                           "found_on": record.acceptance_date, "deadline": deadline},
                             sub_project_uid=record.sub_project_uid, source="acceptance", acceptance_uid=record.uid)
        return _detail(session, record)


def reinspect(ws: Workspace, failed_uid: str, raw: Mapping[str, Any]) -> AcceptanceDetail:
    """A re-inspection: a new acceptance linked to the failed one, with the same group."""
    failed = get(ws, failed_uid)
    if failed.conclusion != "fail":
        raise AppError(_("只有验收不合格的项目需要复验。"))
    created = create(ws, failed.sub_project_uid, raw, previous_uid=failed_uid)
    return set_members(ws, created.uid, [{"name": m.name, "unit_kind": m.unit_kind, "unit_name": m.unit_name,
                                          "role": m.role} for m in failed.members])
