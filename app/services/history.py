"""The change history (变更历史) of any synchronised record, readable by a person.

Built from ``record_revisions``, which hold every version of every record, including the
versions that came from other nodes in export packages; each version is compared with
its parent, so a line says which field went from what to what. The local audit log adds
what the revision alone cannot tell: the step taken (整改, 复查, 更正, 印发 ...) and the
reason a correction or a removal gave. A record's history takes in the records that
belong to it: a sub-project's its schedule, visits, problems and acceptances (with their
group, scores and certificates); a notice's its opinions; every record's attachments.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.i18n import N_, _
from app.models import (ACCEPTANCE_STATUSES, CERTIFICATE_STATUSES, CONCLUSIONS, MEMBER_ROLES, MEMBER_UNITS,
                        NOTICE_STATUSES, PROBLEM_CATEGORIES, PROBLEM_SOURCES, PROBLEM_STATES, RECHECK_RESULTS,
                        SYNC_MODELS, TEMPLATE_STATUSES, TRAINING_LEVELS, VISIT_KINDS, VOTES, Acceptance,
                        AcceptanceGroupMember, AcceptanceScore, Attachment, AuditEntry, Certificate, ChecklistItem,
                        ChecklistTemplate, Division, GuidanceVisit, MasterProject, Node, Notice, NoticeItem,
                        Problem, RecordRevision, RetentionSchedule, RoundRecheck, SubProject, SupervisionRound)
from app.services import acceptances, attachments, master_projects, notices, problems, sub_projects
from app.services import supervision, trainings, visits
from app.services.display import format_value
from app.services.workspace import Workspace
from app.sync.hlc import unpack

ACTIONS = {
    "create": N_("新建"), "update": N_("修改"), "delete": N_("删除"), "restore": N_("恢复"),
    "rectify": N_("登记整改"), "verify": N_("复查通过"), "reject": N_("复查退回"), "correct": N_("更正"),
    "issue": N_("印发"), "supersede": N_("被更正"), "conclude": N_("作出结论"), "void": N_("作废"),
    "record_pdf": N_("生成PDF"), "activate": N_("启用"), "retire": N_("停用"), "recheck": N_("督导复查"),
    "resolve": N_("冲突裁决"), "merge": N_("合并"),
}
#: field labels by entity: the services' own, so the history names fields as the forms do
_LABELS: dict[str, dict[str, str]] = {
    "sub_projects": sub_projects.LABELS, "master_projects": master_projects.LABELS,
    "guidance_visits": visits.LABELS, "problems": problems.LABELS, "acceptances": acceptances.LABELS,
    "notices": notices.LABELS, "notice_items": notices.LABELS, "trainings": trainings.LABELS,
    "supervision_rounds": supervision.LABELS, "supervision_groups": supervision.LABELS,
    "round_rechecks": supervision.LABELS,
}
_ENTITY_LABELS: dict[tuple[str, str], str] = {
    ("notices", "status"): N_("状态"), ("notices", "supersedes_uid"): N_("更正的通报"),
    ("notice_items", "seq"): N_("序号"), ("notice_items", "notice_uid"): N_("通报"),
    ("acceptances", "status"): N_("状态"), ("acceptances", "conclusion"): N_("验收结论"),
    ("acceptances", "grade"): N_("等级"), ("acceptances", "total_score"): N_("总分"),
    ("acceptances", "template_uid"): N_("检查表"), ("acceptances", "previous_uid"): N_("复验的验收"),
    ("acceptance_group_members", "name"): N_("姓名"), ("acceptance_group_members", "unit_kind"): N_("单位类别"),
    ("acceptance_group_members", "unit_name"): N_("单位"), ("acceptance_group_members", "role"): N_("职务"),
    ("acceptance_group_members", "vote"): N_("表决"), ("acceptance_group_members", "seq"): N_("序号"),
    ("acceptance_scores", "item_uid"): N_("检查项"), ("acceptance_scores", "self_score"): N_("自检得分"),
    ("acceptance_scores", "group_score"): N_("验收赋分"), ("acceptance_scores", "passed"): N_("是否合格"),
    ("acceptance_scores", "remark"): N_("说明"),
    ("certificates", "number"): N_("证书编号"), ("certificates", "issued_on"): N_("签发日期"),
    ("certificates", "status"): N_("状态"), ("certificates", "void_reason"): N_("作废原因"),
    ("certificates", "voided_on"): N_("作废日期"), ("certificates", "replaces_uid"): N_("替代的证书"),
    ("certificates", "content_hash"): N_("内容哈希"), ("certificates", "pdf_sha256"): N_("PDF 哈希"),
    ("certificates", "facts"): N_("证书内容"), ("certificates", "year"): N_("年度"),
    ("certificates", "node_code"): N_("节点代码"), ("certificates", "sequence"): N_("流水号"),
    ("attachments", "role"): N_("附件类别"), ("attachments", "filename"): N_("文件名"),
    ("attachments", "sha256"): N_("内容哈希"), ("attachments", "size"): N_("大小"),
    ("attachments", "caption"): N_("说明"), ("supervision_rounds", "name"): N_("轮次"),
    ("retention_schedules", "items"): N_("文件类别及保管期限"),
}
_COMMON_LABELS = {"deleted": N_("已删除"), "sub_project_uid": N_("子项目"), "acceptance_uid": N_("档案验收"),
                  "visit_uid": N_("现场指导"), "round_uid": N_("督导轮次"), "problem_uid": N_("问题"),
                  "division_uid": N_("县（区）"), "status": N_("状态"), "notes": N_("备注")}
#: coded values, shown by their labels
_CHOICES: dict[tuple[str, str], dict[str, str]] = {
    ("problems", "state"): PROBLEM_STATES, ("problems", "category"): PROBLEM_CATEGORIES,
    ("problems", "source"): PROBLEM_SOURCES, ("guidance_visits", "kind"): VISIT_KINDS,
    ("notices", "status"): NOTICE_STATUSES, ("acceptances", "status"): ACCEPTANCE_STATUSES,
    ("acceptances", "conclusion"): CONCLUSIONS, ("acceptance_group_members", "role"): MEMBER_ROLES,
    ("acceptance_group_members", "unit_kind"): MEMBER_UNITS, ("acceptance_group_members", "vote"): VOTES,
    ("certificates", "status"): CERTIFICATE_STATUSES, ("attachments", "role"): attachments.ROLES,
    ("round_rechecks", "result"): RECHECK_RESULTS, ("trainings", "level"): TRAINING_LEVELS,
    ("checklist_templates", "status"): TEMPLATE_STATUSES,
}
#: columns that say nothing in a history (the attachment's owner is the record being shown)
_HIDDEN = {("attachments", "owner_entity"), ("attachments", "owner_uid")}
#: records that belong to a record, by the column that points at it
_CHILDREN: dict[str, tuple[tuple[type, str], ...]] = {
    "sub_projects": ((RetentionSchedule, "sub_project_uid"), (GuidanceVisit, "sub_project_uid"),
                     (Problem, "sub_project_uid"), (Acceptance, "sub_project_uid")),
    "problems": ((RoundRecheck, "problem_uid"),),
    "acceptances": ((AcceptanceGroupMember, "acceptance_uid"), (AcceptanceScore, "acceptance_uid"),
                    (Certificate, "acceptance_uid")),
    "notices": ((NoticeItem, "notice_uid"),),
}
_SHORT = 24


@dataclass(frozen=True)
class HistoryLine:
    """One changed field of one revision: the rows of the history table."""

    at: datetime
    operator: str
    node: str
    action: str
    entity: str
    field: str
    old: str
    new: str
    rev: str
    #: why (the reason of a correction or a removal), from the audit log
    note: str = ""
    #: which record, when the history shows several (a problem's description, a file name)
    record: str = ""
    record_uid: str = ""
    #: the step's code (create, correct ...), for colouring
    action_code: str = ""


@dataclass(frozen=True)
class FieldChange:
    column: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Revision:
    """One version of one record and what it changed from the version before."""

    entity: str
    entity_label: str
    record_uid: str
    record: str
    rev: str
    parent_rev: str | None
    #: local time
    at: datetime
    operator: str
    node: str
    action: str
    action_label: str
    note: str
    deleted: bool
    changes: tuple[FieldChange, ...]
    #: the record's content as of this version (storage form)
    data: dict[str, Any]

    def lines(self) -> list[HistoryLine]:
        base = dict(at=self.at, operator=self.operator, node=self.node, action=self.action_label,
                    entity=self.entity_label, rev=self.rev, note=self.note, record=self.record,
                    record_uid=self.record_uid, action_code=self.action)
        if not self.changes:  # a step that kept the content (a decision) is still a step
            return [HistoryLine(field="", old="", new="", **base)]
        return [HistoryLine(field=c.field, old=c.old, new=c.new, **base) for c in self.changes]


@dataclass(frozen=True)
class RecordHistory:
    entity: str
    uid: str
    entity_label: str
    #: the record as people name it (a sub-project's code and name, a notice's number ...)
    title: str
    #: newest first
    revisions: tuple[Revision, ...]

    def lines(self) -> list[HistoryLine]:
        return [line for revision in self.revisions for line in revision.lines()]

    def of(self, record_uid: str) -> list[Revision]:
        return [r for r in self.revisions if r.record_uid == record_uid]


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)


def _hlc_time(hlc: int) -> datetime:
    return datetime.fromtimestamp(unpack(hlc)[0] / 1000)


def _short(text: str, limit: int = _SHORT) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(value: Any) -> str:
    return str(value or "")[:10]


class _Formatter:
    """Stored values as people read them; references to other records by their names."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.divisions = dict(session.execute(select(Division.uid, Division.name)).all())
        self.nodes = dict(session.execute(select(Node.uid, Node.label)).all())
        self._refs: dict[tuple[str, str], str] = {}

    def node(self, uid: str) -> str:
        label = self.nodes.get(uid)
        return f"{label}（{uid[-6:]}）" if label else uid[-6:]

    def ref(self, model: type, uid: str) -> str:
        key = (model.__tablename__, uid)
        if key not in self._refs:
            row = self.session.scalar(select(model).where(model.uid == uid))
            self._refs[key] = _REF_LABELS[model](row) if row is not None else uid[-6:]
        return self._refs[key]

    def value(self, entity: str, column: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return ""
        choices = _CHOICES.get((entity, column))
        if choices is not None:
            return _(choices.get(value, value))
        if column in _REF_COLUMNS and isinstance(value, str):
            return self.ref(_REF_COLUMNS[column], value)
        if column == "problem_uids" and isinstance(value, list):
            return "；".join(self.ref(Problem, uid) for uid in value)
        if column == "division_uids" and isinstance(value, list):
            return "、".join(self.divisions.get(uid, uid) for uid in value)
        if entity == "attachments" and column == "size" and isinstance(value, int):
            return f"{max(1, value // 1024):,} KB"
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, dict) or (isinstance(value, list) and column != "items"):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return format_value(column, value, division_names=self.divisions,
                            master_label=lambda uid: self.ref(MasterProject, uid),
                            sub_project_label=lambda uid: self.ref(SubProject, uid))

    @staticmethod
    def label(entity: str, column: str) -> str:
        text = (_ENTITY_LABELS.get((entity, column)) or _LABELS.get(entity, {}).get(column)
                or _COMMON_LABELS.get(column) or column)
        return _(text)

    def record(self, entity: str, data: dict[str, Any]) -> str:
        """A short name of one record, from its latest content."""
        if entity == "guidance_visits":
            return f"{_day(data.get('visit_date'))} {_(VISIT_KINDS.get(data.get('kind'), data.get('kind') or ''))}"
        if entity == "problems":
            return _short(data.get("description", ""))
        if entity == "acceptances":
            return _day(data.get("acceptance_date"))
        if entity == "acceptance_group_members":
            return str(data.get("name", ""))
        if entity == "acceptance_scores" and data.get("item_uid"):
            return self.ref(ChecklistItem, data["item_uid"])
        if entity == "certificates":
            return str(data.get("number", ""))
        if entity == "notice_items":
            return _("第 {n} 条").format(n=data.get("seq", ""))
        if entity == "notices":
            return str(data.get("number", ""))
        if entity == "attachments":
            return str(data.get("filename", ""))
        if entity == "round_rechecks" and data.get("round_uid"):
            return self.ref(SupervisionRound, data["round_uid"])
        if entity == "trainings":
            return f"{_day(data.get('held_on'))} {_short(data.get('topic', ''))}"
        return ""


def _visit_label(v: GuidanceVisit) -> str:
    return f"{v.visit_date.isoformat()} {_(VISIT_KINDS.get(v.kind, v.kind))}"


_REF_LABELS: dict[type, Callable[[Any], str]] = {
    SubProject: lambda r: f"{r.code} {r.name}",
    MasterProject: lambda r: f"{r.plan_code} {r.name}",
    GuidanceVisit: _visit_label,
    SupervisionRound: lambda r: r.name,
    Acceptance: lambda r: _("{day} 档案验收").format(day=r.acceptance_date.isoformat()),
    ChecklistTemplate: lambda r: _("{name}（第 {version} 版）").format(name=r.name, version=r.version),
    ChecklistItem: lambda r: f"{r.code} {_short(r.text, 16)}",
    Notice: lambda r: r.number,
    Certificate: lambda r: r.number,
    Problem: lambda r: _short(r.description),
}
_REF_COLUMNS: dict[str, type] = {
    "sub_project_uid": SubProject, "visit_uid": GuidanceVisit, "round_uid": SupervisionRound,
    "acceptance_uid": Acceptance, "previous_uid": Acceptance, "template_uid": ChecklistTemplate,
    "item_uid": ChecklistItem, "notice_uid": Notice, "supersedes_uid": Notice, "replaces_uid": Certificate,
    "problem_uid": Problem,
}


def _model(entity: str) -> type:
    model = SYNC_MODELS.get(entity)
    if model is None:
        raise ValueError(f"not a synchronised entity: {entity!r}")
    return model


def _members(session: Session, entity: str, uid: str) -> list[str]:
    """The record and every record that belongs to it (deleted ones too: their history stays)."""
    found = [uid]
    frontier = [(entity, [uid])]
    while frontier:
        parent, uids = frontier.pop()
        for model, column in _CHILDREN.get(parent, ()):
            children = list(session.scalars(select(model.uid).where(getattr(model, column).in_(uids))))
            if children:
                found += children
                frontier.append((model.__tablename__, children))
    found += session.scalars(select(Attachment.uid).where(Attachment.owner_uid.in_(found)))
    return found


def _changes(fmt: _Formatter, entity: str, data: dict[str, Any], parent: dict[str, Any] | None,
             deleted: bool, parent_deleted: bool) -> tuple[FieldChange, ...]:
    """Fields that differ from the parent version; a first version's non-empty values."""
    out: list[FieldChange] = []
    for column, new in data.items():
        if (entity, column) in _HIDDEN:
            continue
        if parent is None:
            if new is None or new is False or new == "" or new == []:
                continue
            old = None
        else:
            old = parent.get(column)
            if old == new:
                continue
        out.append(FieldChange(column, fmt.label(entity, column), fmt.value(entity, column, old),
                               fmt.value(entity, column, new)))
    if parent is not None and deleted != parent_deleted:
        out.append(FieldChange("deleted", fmt.label(entity, "deleted"), fmt.value(entity, "deleted", parent_deleted),
                               fmt.value(entity, "deleted", deleted)))
    return tuple(out)


#: state changes that name the step which made them (for revisions without a local audit row)
_STEPS: dict[tuple[str, str, str, str], str] = {
    ("problems", "state", "open", "rectified"): "rectify",
    ("problems", "state", "rectified", "verified"): "verify",
    ("problems", "state", "rectified", "open"): "reject",
    ("notices", "status", "draft", "issued"): "issue",
    ("notices", "status", "issued", "superseded"): "supersede",
    ("acceptances", "status", "draft", "concluded"): "conclude",
    ("certificates", "status", "valid", "void"): "void",
}


def _inferred_action(row: RecordRevision, parent: RecordRevision | None) -> str:
    """The step of a revision that came from another node: the audit log is local, so the
    step is read from what changed (the services allow each state change in one step only)."""
    if row.parent_rev is None:
        return "create"
    if row.merge_parent_rev:
        return "merge"
    if parent is None:
        return "update"
    if row.deleted != parent.deleted:
        return "delete" if row.deleted else "restore"
    for column in ("state", "status"):
        step = _STEPS.get((row.entity, column, parent.data.get(column), row.data.get(column)))
        if step:
            return step
    if row.entity == "problems" and parent.data.get("state") == row.data.get("state") == "verified":
        return "correct"  # a verified problem changes by a correction only
    return "update"


def _revisions(session: Session, fmt: _Formatter, uids: Iterable[str], own_uid: str) -> list[Revision]:
    """Revisions of ``uids``, newest first; those of ``own_uid`` (the record shown) go unnamed."""
    uids = list(uids)
    rows = session.scalars(select(RecordRevision).where(RecordRevision.record_uid.in_(uids))
                           .order_by(RecordRevision.hlc.desc(), RecordRevision.id.desc())).all()
    audits = {(a.record_uid, a.rev): a for a in session.scalars(
        select(AuditEntry).where(AuditEntry.record_uid.in_(uids)).order_by(AuditEntry.id))}
    by_rev = {(r.record_uid, r.rev): r for r in rows}
    names: dict[str, str] = {own_uid: ""}
    for r in rows:  # newest first: the first seen is the latest content
        if r.record_uid not in names:
            names[r.record_uid] = fmt.record(r.entity, r.data)
    out: list[Revision] = []
    for r in rows:
        parent = by_rev.get((r.record_uid, r.parent_rev)) if r.parent_rev else None
        audit = audits.get((r.record_uid, r.rev))
        # the revision says its step and why (older ones only in the local audit log)
        action = r.action or (audit.action if audit is not None else _inferred_action(r, parent))
        model = SYNC_MODELS.get(r.entity)
        out.append(Revision(
            entity=r.entity, entity_label=_(model.entity_label) if model is not None else r.entity,
            record_uid=r.record_uid, record=names.get(r.record_uid, ""), rev=r.rev, parent_rev=r.parent_rev,
            at=_local(audit.at) if audit is not None else _hlc_time(r.hlc), operator=r.operator,
            node=fmt.node(r.node), action=action, action_label=_(ACTIONS.get(action, action)),
            note=r.note or (audit.note if audit is not None else ""), deleted=r.deleted,
            changes=_changes(fmt, r.entity, r.data, parent.data if parent is not None else None, r.deleted,
                             parent.deleted if parent is not None else False),
            data=dict(r.data),
        ))
    return out


def _title(session: Session, fmt: _Formatter, entity: str, record: Any) -> str:
    if entity == "sub_projects":
        return f"{record.code} {record.name}"
    sub_uid = getattr(record, "sub_project_uid", None)
    prefix = fmt.ref(SubProject, sub_uid) + "：" if sub_uid else ""
    if entity == "problems":
        return prefix + _short(record.description, 40)
    if entity == "guidance_visits":
        return prefix + _visit_label(record)
    if entity == "acceptances":
        return prefix + record.acceptance_date.isoformat()
    if entity == "notices":
        return f"{record.number} {record.title}"
    if entity == "certificates":
        return record.number
    if entity == "trainings":
        return f"{record.held_on.isoformat()} {record.topic}"
    name = fmt.record(entity, {c: getattr(record, c) for c in record.content_columns()})
    return prefix + (name or record.uid[-6:])


def for_record(ws: Workspace, entity: str, uid: str) -> RecordHistory:
    """The history of one record and of the records that belong to it, newest first.

    ``entity`` is the table name (``problems``, ``notices`` ...). Raises ``NotFound`` when
    no such record was ever stored here; a deleted record still has its history.
    """
    model = _model(entity)
    with ws.db.read() as session:
        record = session.scalar(select(model).where(model.uid == uid))
        if record is None:
            raise NotFound(_("找不到该记录。"))
        fmt = _Formatter(session)
        revisions = _revisions(session, fmt, _members(session, entity, uid), uid)
        return RecordHistory(entity=entity, uid=uid, entity_label=_(model.entity_label),
                             title=_title(session, fmt, entity, record), revisions=tuple(revisions))


def for_sub_project(ws: Workspace, uid: str) -> list[HistoryLine]:
    """Every change of the sub-project and of what belongs to it, newest first."""
    return for_record(ws, "sub_projects", uid).lines()
