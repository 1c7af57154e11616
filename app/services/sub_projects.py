"""Reconstruction sub-projects (重建子项目): validation, changes and the detail of one record.

Deleting: a sub-project that is part of the official record is refused, naming why (an
issued certificate, voided ones too; a concluded acceptance; a problem rectified or
verified, or cited by an issued notice). Otherwise its own records go with it, in the same
transaction: the retention schedule, the guidance visits, their open problems, and the
acceptances still in progress with their group and scores (attachments stay, as they do
when one visit is deleted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError, ValidationError
from app.i18n import N_, _
from app.models import (CONCLUSIONS, CONSTRUCTION_STATUSES, Acceptance, AcceptanceGroupMember, AcceptanceScore,
                        Certificate, Division, GuidanceVisit, MasterProject, Notice, NoticeItem, Problem,
                        RetentionSchedule, SubProject, SyncMixin)
from app.services import fields, records
from app.services.workspace import Workspace

#: Field labels by storage column; form keys are the same except ``investment`` (in 万元).
LABELS: dict[str, str] = {
    "code": N_("子项目编号"),
    "name": N_("子项目名称"),
    "division_uid": N_("县（区）"),
    "master_project_uid": N_("总规项目"),
    "sector": N_("行业（领域）"),
    "owner_unit": N_("项目业主（责任单位）"),
    "investment_yuan": N_("总投资（万元）"),
    "foreign_loan": N_("是否国外贷款项目"),
    "start_date": N_("开工日期"),
    "finish_date": N_("完工日期"),
    "completion_acceptance_date": N_("计划竣工验收日期"),
    "construction_status": N_("建设状态"),
    "demonstration_site": N_("是否示范点"),
    "archive_lead": N_("分管领导"),
    "archive_lead_phone": N_("分管领导电话"),
    "archivist": N_("档案人员"),
    "archivist_phone": N_("档案人员电话"),
    "remarks": N_("备注"),
}


@dataclass(frozen=True)
class SubProjectDetail:
    uid: str
    rev: str
    code: str
    name: str
    division_uid: str
    division_name: str
    master_project_uid: str
    master_project_label: str
    sector: str
    owner_unit: str
    investment_yuan: int | None
    foreign_loan: bool
    start_date: date | None
    finish_date: date | None
    #: 计划竣工验收日期: archive acceptance should come at least 3 months before it
    completion_acceptance_date: date | None
    construction_status: str
    demonstration_site: bool
    archive_lead: str
    archive_lead_phone: str
    archivist: str
    archivist_phone: str
    remarks: str

    def form_values(self) -> dict[str, Any]:
        """The record as the edit form's raw input (what ``parse`` accepts back unchanged)."""
        return {
            "code": self.code, "name": self.name, "division_uid": self.division_uid,
            "master_project_uid": self.master_project_uid, "sector": self.sector,
            "owner_unit": self.owner_unit, "investment": fields.wan_text(self.investment_yuan),
            "foreign_loan": self.foreign_loan,
            "start_date": self.start_date.isoformat() if self.start_date else "",
            "finish_date": self.finish_date.isoformat() if self.finish_date else "",
            "completion_acceptance_date": (self.completion_acceptance_date.isoformat()
                                           if self.completion_acceptance_date else ""),
            "construction_status": self.construction_status, "demonstration_site": self.demonstration_site,
            "archive_lead": self.archive_lead, "archive_lead_phone": self.archive_lead_phone,
            "archivist": self.archivist, "archivist_phone": self.archivist_phone, "remarks": self.remarks,
        }


def _status(value: Any, label: str) -> str:
    return fields.choice(value or "not_started", label, CONSTRUCTION_STATUSES)


#: form key -> (stored column, parser(value, label)); the rules of each single field
FIELD_RULES: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "code": ("code", fields.code),
    "name": ("name", lambda v, label: fields.text(v, label, required=True)),
    "sector": ("sector", lambda v, label: fields.text(v, label, max_length=64)),
    "owner_unit": ("owner_unit", lambda v, label: fields.text(v, label, required=True)),
    "investment": ("investment_yuan", fields.money_wan),
    "foreign_loan": ("foreign_loan", fields.flag),
    "start_date": ("start_date", fields.day),
    "finish_date": ("finish_date", fields.day),
    "completion_acceptance_date": ("completion_acceptance_date", fields.day),
    "construction_status": ("construction_status", _status),
    "demonstration_site": ("demonstration_site", fields.flag),
    "archive_lead": ("archive_lead", lambda v, label: fields.text(v, label, max_length=64)),
    "archive_lead_phone": ("archive_lead_phone", fields.phone),
    "archivist": ("archivist", lambda v, label: fields.text(v, label, max_length=64)),
    "archivist_phone": ("archivist_phone", fields.phone),
    "remarks": ("remarks", lambda v, label: fields.text(v, label, max_length=2000, multiline=True)),
}


#: the dates of a sub-project in the order they happen
DATE_ORDER = ("start_date", "finish_date", "completion_acceptance_date")


#: one field's rule ready to run: form key, stored column, parser, the label in the current language
FieldRule = tuple[str, str, Callable[[Any, str], Any], str]


def field_rules(keys: Iterable[str] | None = None) -> tuple[FieldRule, ...]:
    """The rules of ``keys`` (all by default) with their labels translated once.

    An import parses thousands of rows with the same columns: it takes these once and
    passes them to ``parse_fields`` (a label looked up per cell costs a fifth of the check).
    """
    wanted = FIELD_RULES.keys() if keys is None else set(keys)
    return tuple((key, column, rule, _(LABELS[column])) for key, (column, rule) in FIELD_RULES.items()
                 if key in wanted)


def parse_fields(raw: Mapping[str, Any], *, only_present: bool = False,
                 rules: tuple[FieldRule, ...] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The rules that need no database: typed values by column, and errors by form key.

    ``only_present`` parses just the keys ``raw`` has (an import updates only the columns
    its file holds). ``rules`` (from ``field_rules``) saves looking the rules up per call.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, column, rule, label in (field_rules() if rules is None else rules):
        if only_present and key not in raw:
            continue
        try:
            values[column] = rule(raw.get(key), label)
        except fields.FieldError as exc:
            errors[key] = exc.message
    # each date no earlier than the one before it: 开工 -> 完工 -> 竣工验收
    for n, later in enumerate(DATE_ORDER[1:], start=1):
        earlier = next((c for c in reversed(DATE_ORDER[:n]) if values.get(c)), None)
        after = values.get(later)
        if later in errors or earlier is None or after is None or after >= values[earlier]:
            continue
        errors[later] = _("“{later}”（{l}）不能早于“{earlier}”（{e}）。").format(
            later=_(LABELS[later]), l=after.isoformat(), earlier=_(LABELS[earlier]), e=values[earlier].isoformat())
    return values, errors


def parse(session: Session, raw: Mapping[str, Any], *, current_uid: str | None = None) -> dict[str, Any]:
    """Typed values from raw input, or one ``ValidationError`` naming every bad field."""
    values, errors = parse_fields(raw)

    def label(column: str) -> str:
        return _(LABELS[column])

    division_uid = raw.get("division_uid")
    if not division_uid or session.scalar(select(Division.id).where(Division.uid == division_uid)) is None:
        errors["division_uid"] = _("请选择“{label}”。").format(label=label("division_uid"))
    else:
        values["division_uid"] = division_uid

    master_uid = raw.get("master_project_uid")
    master = None
    if master_uid:
        master = session.scalar(select(MasterProject).where(MasterProject.uid == master_uid,
                                                            MasterProject.deleted.is_(False)))
    if master is None:
        errors["master_project_uid"] = _("请选择所属的“{label}”（可先在“编辑 > 新建总规项目”中登记）。").format(
            label=label("master_project_uid"))
    else:
        values["master_project_uid"] = master.uid

    code = values.get("code")
    if code:
        clash = session.scalar(select(SubProject).where(SubProject.code == code, SubProject.deleted.is_(False),
                                                        SubProject.uid != (current_uid or "")))
        if clash is not None:
            errors["code"] = _("“{label}”{code} 已被子项目“{name}”使用，编号不能重复。").format(
                label=label("code"), code=code, name=clash.name)
    if errors:
        raise ValidationError(errors)
    return values


def _live(session: Session, uid: str) -> SubProject:
    return records.live(session, SubProject, uid, _("找不到该子项目，可能已被删除。"))


def _detail(session: Session, s: SubProject) -> SubProjectDetail:
    division = session.scalar(select(Division.name).where(Division.uid == s.division_uid)) or ""
    master = session.scalar(select(MasterProject).where(MasterProject.uid == s.master_project_uid))
    return SubProjectDetail(
        uid=s.uid, rev=s.rev, code=s.code, name=s.name, division_uid=s.division_uid, division_name=division,
        master_project_uid=s.master_project_uid,
        master_project_label=f"{master.plan_code} {master.name}" if master else "",
        sector=s.sector, owner_unit=s.owner_unit, investment_yuan=s.investment_yuan, foreign_loan=s.foreign_loan,
        start_date=s.start_date, finish_date=s.finish_date, completion_acceptance_date=s.completion_acceptance_date,
        construction_status=s.construction_status,
        demonstration_site=s.demonstration_site, archive_lead=s.archive_lead,
        archive_lead_phone=s.archive_lead_phone, archivist=s.archivist, archivist_phone=s.archivist_phone,
        remarks=s.remarks,
    )


def validate(ws: Workspace, raw: Mapping[str, Any], *, current_uid: str | None = None) -> None:
    """Check input without saving (dialogs call this before they close)."""
    with ws.db.read() as session:
        parse(session, raw, current_uid=current_uid)


def create(ws: Workspace, raw: Mapping[str, Any]) -> SubProjectDetail:
    with ws.db.write() as session:
        values = parse(session, raw)
        record = records.create(session, ws, SubProject, values)
        return _detail(session, record)


def update(ws: Workspace, uid: str, raw: Mapping[str, Any], *, expected_rev: str | None = None) -> SubProjectDetail:
    """Save the form; a form opened on an older revision is refused (``StaleRecord``)."""
    with ws.db.write() as session:
        record = _live(session, uid)
        values = parse(session, raw, current_uid=uid)
        records.update(session, ws, record, values, expected_rev=expected_rev)
        return _detail(session, record)


class DeletionRefused(AppError):
    """A sub-project that is part of the official record is not deleted; ``refusals`` says
    why, one line per sub-project, of the ``selected`` ones asked for."""

    def __init__(self, refusals: Sequence[str], *, selected: int = 1) -> None:
        self.refusals = list(refusals)
        if selected <= 1:
            message = "\n".join(self.refusals)
        else:
            shown = self.refusals[:_SHOWN_REFUSALS]
            message = "\n".join([_("选中的 {m} 个子项目中有 {n} 个不能删除，未删除任何子项目：").format(
                m=selected, n=len(self.refusals)), *shown])
            if len(self.refusals) > len(shown):
                message += "\n" + _("……另有 {n} 个").format(n=len(self.refusals) - len(shown))
        super().__init__(message)


_SHOWN_REFUSALS = 10
#: uids per ``IN (...)``: far below SQLite's limit on bound parameters
_CHUNK = 500


@dataclass(frozen=True)
class DeletionPlan:
    """What deleting some sub-projects would do: refused (``refusals``), or what goes with them."""

    refusals: list[str] = field(default_factory=list)
    #: how many sub-projects were asked for
    selected: int = 0
    visits: int = 0
    problems: int = 0
    acceptances: int = 0

    @property
    def allowed(self) -> bool:
        return not self.refusals


def _chunks(uids: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(uids), _CHUNK):
        yield list(uids[start:start + _CHUNK])


def _refusals(session: Session, subs: Sequence[SubProject]) -> list[str]:
    """Why each of ``subs`` belongs to the official record (none: it may be deleted)."""
    uids = [s.uid for s in subs]
    reasons: dict[str, list[str]] = {uid: [] for uid in uids}
    valid: dict[str, list[str]] = {}
    void: dict[str, list[str]] = {}
    certified: set[str] = set()
    concluded: dict[str, list[str]] = {}
    problem_states: dict[str, dict[str, int]] = {}
    problem_owner: dict[str, str] = {}
    for chunk in _chunks(uids):
        for owner, acceptance_uid, number, status in session.execute(
                select(Acceptance.sub_project_uid, Acceptance.uid, Certificate.number, Certificate.status)
                .join(Certificate, Certificate.acceptance_uid == Acceptance.uid)
                .where(Acceptance.sub_project_uid.in_(chunk), Certificate.deleted.is_(False))
                .order_by(Certificate.id)):
            (valid if status == "valid" else void).setdefault(owner, []).append(number)
            certified.add(acceptance_uid)
        for owner, acceptance_uid, held, conclusion in session.execute(
                select(Acceptance.sub_project_uid, Acceptance.uid, Acceptance.acceptance_date, Acceptance.conclusion)
                .where(Acceptance.sub_project_uid.in_(chunk), Acceptance.deleted.is_(False),
                       Acceptance.status != "draft")
                .order_by(Acceptance.acceptance_date)):
            if acceptance_uid not in certified:
                concluded.setdefault(owner, []).append(_("{day}，结论“{conclusion}”").format(
                    day=held.isoformat(), conclusion=_(CONCLUSIONS.get(conclusion, conclusion))))
        for owner, problem_uid, state in session.execute(
                select(Problem.sub_project_uid, Problem.uid, Problem.state)
                .where(Problem.sub_project_uid.in_(chunk), Problem.deleted.is_(False))):
            counts = problem_states.setdefault(owner, {})
            counts[state] = counts.get(state, 0) + 1
            problem_owner[problem_uid] = owner
    cited: dict[str, set[str]] = {}
    if problem_owner:
        # notices are few (dozens a year): their opinions' problem lists are read whole
        for number, problem_uids in session.execute(
                select(Notice.number, NoticeItem.problem_uids).join(Notice, Notice.uid == NoticeItem.notice_uid)
                .where(Notice.status != "draft", Notice.deleted.is_(False), NoticeItem.deleted.is_(False))):
            for problem_uid in problem_uids or ():
                if problem_uid in problem_owner:
                    cited.setdefault(problem_owner[problem_uid], set()).add(number)
    for uid in uids:
        if uid in valid:
            reasons[uid].append(_("已签发验收合格证书 {numbers}号").format(numbers="、".join(valid[uid])))
        if uid in void:
            reasons[uid].append(_("签发过的验收合格证书 {numbers}号虽已作废，仍须保留").format(numbers="、".join(void[uid])))
        if uid in concluded:
            reasons[uid].append(_("已有作出结论的档案验收（{which}）").format(which="；".join(concluded[uid])))
        states = problem_states.get(uid, {})
        if states.get("verified"):
            reasons[uid].append(_("问题台账中有 {n} 个问题已复查销号").format(n=states["verified"]))
        if states.get("rectified"):
            reasons[uid].append(_("问题台账中有 {n} 个问题已有整改记录").format(n=states["rectified"]))
        if uid in cited:
            reasons[uid].append(_("有问题已被通报 {numbers} 引用").format(numbers="、".join(sorted(cited[uid]))))
    return [_("子项目“{code} {name}”{reasons}，属于正式档案记录，不能删除。").format(
                code=s.code, name=s.name, reasons="；".join(reasons[s.uid]))
            for s in subs if reasons[s.uid]]


def _children(session: Session, uids: Sequence[str]) -> tuple[list[SyncMixin], int, int, int]:
    """The live records that go with the sub-projects, and how many visits, problems and
    acceptances they are. Only called once nothing refuses the deletion."""
    found: list[SyncMixin] = []
    visits = problems = acceptances = 0
    for chunk in _chunks(uids):
        for model in (RetentionSchedule, GuidanceVisit, Problem, Acceptance):
            rows = session.scalars(select(model).where(model.sub_project_uid.in_(chunk),
                                                       model.deleted.is_(False))).all()
            found.extend(rows)
            if model is GuidanceVisit:
                visits += len(rows)
            elif model is Problem:
                problems += len(rows)
            elif model is Acceptance:
                acceptances += len(rows)
                drafts = [a.uid for a in rows]
                for part in (AcceptanceGroupMember, AcceptanceScore):
                    found.extend(session.scalars(select(part).where(part.acceptance_uid.in_(drafts),
                                                                    part.deleted.is_(False))))
    return found, visits, problems, acceptances


def _plan(session: Session, uids: Sequence[str]) -> tuple[list[SubProject], DeletionPlan, list[SyncMixin]]:
    subs = [_live(session, uid) for uid in dict.fromkeys(uids)]
    refusals = _refusals(session, subs)
    if refusals:
        return subs, DeletionPlan(refusals, len(subs)), []
    children, visits, problems, acceptances = _children(session, [s.uid for s in subs])
    return subs, DeletionPlan([], len(subs), visits, problems, acceptances), children


def deletion_plan(ws: Workspace, uids: Sequence[str]) -> DeletionPlan:
    """What deleting ``uids`` would do, for the question asked before it (nothing changes)."""
    with ws.db.read() as session:
        return _plan(session, uids)[1]


def _tombstone(session: Session, ws: Workspace, uids: Sequence[str], expected_rev: str | None = None) -> DeletionPlan:
    subs, plan, children = _plan(session, uids)
    if not plan.allowed:
        raise DeletionRefused(plan.refusals, selected=plan.selected)
    for record in subs:
        records.delete(session, ws, record, expected_rev=expected_rev)
    for child in children:
        records.delete(session, ws, child)
    return plan


def delete(ws: Workspace, uid: str, *, expected_rev: str | None = None) -> DeletionPlan:
    """Tombstone the sub-project and what belongs to it, or refuse (``DeletionRefused``)."""
    with ws.db.write() as session:
        return _tombstone(session, ws, [uid], expected_rev)


def delete_many(ws: Workspace, uids: list[str]) -> int:
    """Delete several sub-projects at once: all or nothing (one refusal keeps them all)."""
    with ws.db.write() as session:
        _tombstone(session, ws, uids)
    return len(uids)


def get(ws: Workspace, uid: str) -> SubProjectDetail:
    with ws.db.read() as session:
        return _detail(session, _live(session, uid))


def uid_for_code(ws: Workspace, code: str) -> str | None:
    with ws.db.read() as session:
        return session.scalar(select(SubProject.uid).where(SubProject.code == code.strip(),
                                                           SubProject.deleted.is_(False)))
