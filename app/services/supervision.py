"""Supervision (督导): numbered rounds, their groups, and the re-check of what the last round left.

Each round re-checks the problems of the previous one (每轮督导都对上一轮存在的问题进行重点督导):
``start_round`` creates the round and, in the same transaction, one ``RoundRecheck`` per
problem still not verified that the previous round raised or carried. A re-check records
what the group found; it never moves the problem itself (the ledger's verification does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationError
from app.i18n import N_, _
from app.models import (
    RECHECK_RESULTS,
    Division,
    Problem,
    RoundRecheck,
    SubProject,
    SupervisionGroup,
    SupervisionRound,
)
from app.services import fields, records
from app.services.workspace import Workspace

LABELS: dict[str, str] = {
    "start_date": N_("开始日期"),
    "end_date": N_("结束日期"),
    "notes": N_("备注"),
    "name": N_("督导组名称"),
    "leader": N_("组长"),
    "members": N_("成员"),
    "division_uids": N_("督导县（区）"),
    "sectors": N_("督导行业"),
    "result": N_("复查结果"),
    "note": N_("复查说明"),
    "checked_on": N_("复查日期"),
}

#: Round names are official text (they are quoted in notices) and stored in Chinese whatever
#: the interface language; N_ keeps them visible to translators.
FIRST_ROUND = N_("首轮")
ROUND_NAME = N_("第{n}轮")
GROUP_NAME = N_("第{n}督导组")
_DIGITS = N_("〇一二三四五六七八九")
_TEN = N_("十")
_MEMBER_SEPARATORS = re.compile(r"[、,，;；/\s]+")
#: problems a round re-checks: not yet verified by the ledger
_UNVERIFIED = ("open", "rectified")


def chinese_number(n: int) -> str:
    """1..99 as written in official names (二, 十, 十一, 二十三); larger numbers in digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else (_TEN if tens == 1 else _DIGITS[tens] + _TEN)
    return head + (_DIGITS[ones] if ones else "")


def round_name(number: int) -> str:
    return FIRST_ROUND if number == 1 else ROUND_NAME.format(n=chinese_number(number))


@dataclass(frozen=True)
class RoundInfo:
    uid: str
    rev: str
    number: int
    name: str
    start_date: date
    end_date: date | None
    notes: str
    group_count: int = 0
    problems_raised: int = 0
    rechecks_pending: int = 0
    rechecks_done: int = 0

    @property
    def rechecks_total(self) -> int:
        return self.rechecks_pending + self.rechecks_done


@dataclass(frozen=True)
class GroupInfo:
    uid: str
    rev: str
    round_uid: str
    name: str
    leader: str
    members: str
    division_uids: tuple[str, ...]
    division_names: tuple[str, ...]
    sectors: str

    def form_values(self) -> dict[str, Any]:
        return {"name": self.name, "leader": self.leader, "members": self.members,
                "division_uids": list(self.division_uids), "sectors": self.sectors}


@dataclass(frozen=True)
class RecheckInfo:
    uid: str
    rev: str
    round_uid: str
    problem_uid: str
    result: str
    note: str
    checked_on: date | None
    sub_project_uid: str
    sub_project_code: str
    sub_project_name: str
    division_name: str
    description: str
    deadline: date
    problem_state: str
    #: the round that raised the problem ("" for a problem found on a visit)
    raised_in: str


def _label(key: str) -> str:
    return _(LABELS[key])


def _collect(rules: Mapping[str, Any], raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, rule in rules.items():
        try:
            values[key] = rule(raw.get(key), _label(key))
        except fields.FieldError as exc:
            errors[key] = exc.message
    return values, errors


def _required(values: dict[str, Any], errors: dict[str, str], key: str) -> None:
    if key in values and values[key] is None:
        errors[key] = _("“{label}”不能为空。").format(label=_label(key))


# -- rounds ----------------------------------------------------------------------------
def _parse_round(raw: Mapping[str, Any], previous: SupervisionRound | None,
                 following: SupervisionRound | None = None) -> dict[str, Any]:
    values, errors = _collect({
        "start_date": fields.day, "end_date": fields.day,
        "notes": lambda v, label: fields.text(v, label, max_length=2000, multiline=True),
    }, raw)
    _required(values, errors, "start_date")
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors["end_date"] = _("“{end}”（{e}）不能早于“{start}”（{s}）。").format(
            end=_label("end_date"), e=end.isoformat(), start=_label("start_date"), s=start.isoformat())
    if start and previous is not None and start < previous.start_date and "start_date" not in errors:
        errors["start_date"] = _("“{label}”（{s}）不能早于上一轮“{name}”的开始日期（{p}）。").format(
            label=_label("start_date"), s=start.isoformat(), name=previous.name, p=previous.start_date.isoformat())
    if start and following is not None and start > following.start_date and "start_date" not in errors:
        errors["start_date"] = _("“{label}”（{s}）不能晚于下一轮“{name}”的开始日期（{p}）。").format(
            label=_label("start_date"), s=start.isoformat(), name=following.name,
            p=following.start_date.isoformat())
    if errors:
        raise ValidationError(errors)
    return values


def _live_rounds():
    return select(SupervisionRound).where(SupervisionRound.deleted == false())


def _live_round(session: Session, uid: str) -> SupervisionRound:
    return records.live(session, SupervisionRound, uid, _("找不到该督导轮次，可能已被删除。"))


def _latest_round(session: Session, *, before: int | None = None) -> SupervisionRound | None:
    query = _live_rounds()
    if before is not None:
        query = query.where(SupervisionRound.number < before)
    return session.scalar(query.order_by(SupervisionRound.number.desc()).limit(1))


def _carry_uids(session: Session, previous: SupervisionRound) -> list[str]:
    """Problems not verified that ``previous`` raised, or carried without finding them rectified."""
    carried = select(RoundRecheck.problem_uid).where(
        RoundRecheck.round_uid == previous.uid, RoundRecheck.deleted == false(), RoundRecheck.result != "rectified")
    return list(session.scalars(
        select(Problem.uid).where(Problem.deleted == false(), Problem.state.in_(_UNVERIFIED),
                                  or_(Problem.round_uid == previous.uid, Problem.uid.in_(carried)))
        .order_by(Problem.deadline, Problem.uid)))


def carry_over_preview(ws: Workspace) -> tuple[str, int]:
    """What a new round would start with: (name of the new round, problems it would re-check)."""
    with ws.db.read() as session:
        previous = _latest_round(session)
        if previous is None:
            return round_name(1), 0
        return round_name(previous.number + 1), len(_carry_uids(session, previous))


def _round_infos(session: Session, rounds: list[SupervisionRound]) -> list[RoundInfo]:
    uids = [r.uid for r in rounds]

    def counted(query) -> dict[str, int]:
        return dict(session.execute(query).all())

    groups = counted(select(SupervisionGroup.round_uid, func.count()).where(
        SupervisionGroup.deleted == false(), SupervisionGroup.round_uid.in_(uids)).group_by(SupervisionGroup.round_uid))
    raised = counted(select(Problem.round_uid, func.count()).where(
        Problem.deleted == false(), Problem.round_uid.in_(uids)).group_by(Problem.round_uid))
    rechecks = session.execute(select(RoundRecheck.round_uid, RoundRecheck.result == "pending", func.count()).where(
        RoundRecheck.deleted == false(), RoundRecheck.round_uid.in_(uids))
        .group_by(RoundRecheck.round_uid, RoundRecheck.result == "pending")).all()
    pending = {uid: n for uid, is_pending, n in rechecks if is_pending}
    done = {uid: n for uid, is_pending, n in rechecks if not is_pending}
    return [RoundInfo(r.uid, r.rev, r.number, r.name, r.start_date, r.end_date, r.notes, groups.get(r.uid, 0),
                      raised.get(r.uid, 0), pending.get(r.uid, 0), done.get(r.uid, 0)) for r in rounds]


def list_rounds(ws: Workspace) -> list[RoundInfo]:
    """Every live round, 首轮 first, with its counts of groups, problems and re-checks."""
    with ws.db.read() as session:
        rounds = list(session.scalars(_live_rounds().order_by(SupervisionRound.number)))
        return _round_infos(session, rounds)


def get_round(ws: Workspace, uid: str) -> RoundInfo:
    with ws.db.read() as session:
        return _round_infos(session, [_live_round(session, uid)])[0]


def start_round(ws: Workspace, *, start_date: Any, notes: str = "", end_date: Any = None) -> RoundInfo:
    """The next round (首轮, 第二轮 …) with a pending re-check for each problem the last one left."""
    with ws.db.write() as session:
        new = begin_round(session, ws, start_date=start_date, end_date=end_date, notes=notes)
        return _round_infos(session, [new])[0]


def begin_round(session: Session, ws: Workspace, *, start_date: Any, end_date: Any = None, notes: str = "",
                uid: str | None = None) -> SupervisionRound:
    """``start_round`` inside the caller's write transaction (the demo builds its rounds with it).

    ``uid`` lets a caller that planned rows pointing at the round name it beforehand.
    """
    previous = _latest_round(session)
    values = _parse_round({"start_date": start_date, "end_date": end_date, "notes": notes}, previous)
    number = previous.number + 1 if previous else 1
    new = records.create(session, ws, SupervisionRound, {**values, "number": number, "name": round_name(number)},
                         uid=uid)
    if previous is not None:
        records.bulk_create(session, ws, RoundRecheck, (
            {"round_uid": new.uid, "problem_uid": problem_uid, "result": "pending", "note": "", "checked_on": None}
            for problem_uid in _carry_uids(session, previous)))
    return new


def update_round(ws: Workspace, uid: str, *, start_date: Any, end_date: Any = None, notes: str = "",
                 expected_rev: str | None = None) -> RoundInfo:
    """Dates and notes; the number and name follow the order rounds were started in and never change."""
    with ws.db.write() as session:
        record = _live_round(session, uid)
        following = session.scalar(_live_rounds().where(SupervisionRound.number > record.number)
                                   .order_by(SupervisionRound.number).limit(1))
        values = _parse_round({"start_date": start_date, "end_date": end_date, "notes": notes},
                              _latest_round(session, before=record.number), following)
        records.update(session, ws, record, values, expected_rev=expected_rev)
        return _round_infos(session, [record])[0]


# -- groups ----------------------------------------------------------------------------
def _members(value: Any, label: str) -> str:
    names = [n for n in _MEMBER_SEPARATORS.split(fields.text(value, label, max_length=400)) if n]
    return "、".join(names)


def _parse_group(session: Session, raw: Mapping[str, Any], round_uid: str, current_uid: str | None) -> dict[str, Any]:
    values, errors = _collect({
        "name": lambda v, label: fields.text(v, label, required=True, max_length=64),
        "leader": lambda v, label: fields.text(v, label, required=True, max_length=64),
        "members": _members,
        "sectors": lambda v, label: fields.text(v, label, max_length=200),
    }, raw)
    wanted = list(dict.fromkeys(raw.get("division_uids") or ()))
    known = set(session.scalars(select(Division.uid).where(Division.deleted == false(), Division.uid.in_(wanted))))
    if len(known) != len(wanted):
        errors["division_uids"] = _("“{label}”中有不存在的县（区），请重新选择。").format(label=_label("division_uids"))
    values["division_uids"] = wanted
    if values.get("name"):
        clash = session.scalar(select(SupervisionGroup.id).where(
            SupervisionGroup.round_uid == round_uid, SupervisionGroup.deleted == false(),
            SupervisionGroup.name == values["name"], SupervisionGroup.uid != (current_uid or "")))
        if clash is not None:
            errors["name"] = _("本轮已有名为“{name}”的督导组，“{label}”不能重复。").format(
                name=values["name"], label=_label("name"))
    if errors:
        raise ValidationError(errors)
    return values


def _live_group(session: Session, uid: str) -> SupervisionGroup:
    return records.live(session, SupervisionGroup, uid, _("找不到该督导组，可能已被删除。"))


def _group_infos(session: Session, groups: list[SupervisionGroup]) -> list[GroupInfo]:
    names = dict(session.execute(select(Division.uid, Division.name)).all())
    order = dict(session.execute(select(Division.uid, Division.sort_order)).all())
    result = []
    for g in groups:
        uids = tuple(sorted(g.division_uids or (), key=lambda u: order.get(u, 0)))
        result.append(GroupInfo(g.uid, g.rev, g.round_uid, g.name, g.leader, g.members, uids,
                                tuple(names.get(u, "") for u in uids), g.sectors))
    return result


def list_groups(ws: Workspace, round_uid: str) -> list[GroupInfo]:
    with ws.db.read() as session:
        groups = list(session.scalars(select(SupervisionGroup).where(
            SupervisionGroup.round_uid == round_uid, SupervisionGroup.deleted == false())
            .order_by(SupervisionGroup.id)))
        return _group_infos(session, groups)


def get_group(ws: Workspace, uid: str) -> GroupInfo:
    with ws.db.read() as session:
        return _group_infos(session, [_live_group(session, uid)])[0]


def suggest_group_name(ws: Workspace, round_uid: str) -> str:
    """第一督导组, 第二督导组 …: the first such name the round does not use yet."""
    with ws.db.read() as session:
        used = set(session.scalars(select(SupervisionGroup.name).where(
            SupervisionGroup.round_uid == round_uid, SupervisionGroup.deleted == false())))
    n = 1
    while GROUP_NAME.format(n=chinese_number(n)) in used:
        n += 1
    return GROUP_NAME.format(n=chinese_number(n))


def create_group(ws: Workspace, round_uid: str, raw: Mapping[str, Any]) -> GroupInfo:
    with ws.db.write() as session:
        return _group_infos(session, [add_group(session, ws, round_uid, raw)])[0]


def add_group(session: Session, ws: Workspace, round_uid: str, raw: Mapping[str, Any]) -> SupervisionGroup:
    """``create_group`` inside the caller's write transaction."""
    _live_round(session, round_uid)
    values = _parse_group(session, raw, round_uid, None)
    return records.create(session, ws, SupervisionGroup, {**values, "round_uid": round_uid})


def update_group(ws: Workspace, uid: str, raw: Mapping[str, Any], *, expected_rev: str | None = None) -> GroupInfo:
    with ws.db.write() as session:
        record = _live_group(session, uid)
        values = _parse_group(session, raw, record.round_uid, uid)
        records.update(session, ws, record, values, expected_rev=expected_rev)
        return _group_infos(session, [record])[0]


def delete_group(ws: Workspace, uid: str, *, expected_rev: str | None = None) -> None:
    with ws.db.write() as session:
        records.delete(session, ws, _live_group(session, uid), expected_rev=expected_rev)


# -- re-checks -------------------------------------------------------------------------
def _recheck_query():
    raised = SupervisionRound.__table__.alias("raised")
    return (select(RoundRecheck, Problem, SubProject.code, SubProject.name, Division.name, raised.c.name)
            .join(Problem, Problem.uid == RoundRecheck.problem_uid)
            .join(SubProject, SubProject.uid == Problem.sub_project_uid)
            .join(Division, Division.uid == SubProject.division_uid)
            .outerjoin(raised, raised.c.uid == Problem.round_uid)
            .where(RoundRecheck.deleted == false()))


def _recheck_info(row) -> RecheckInfo:
    c, p, code, name, division, raised_in = row
    return RecheckInfo(c.uid, c.rev, c.round_uid, p.uid, c.result, c.note, c.checked_on, p.sub_project_uid, code,
                       name, division, p.description, p.deadline, p.state, raised_in or "")


def carried_over(ws: Workspace, round_uid: str) -> list[RecheckInfo]:
    """The problems this round re-checks, by county, sub-project and deadline."""
    with ws.db.read() as session:
        rows = session.execute(_recheck_query().where(RoundRecheck.round_uid == round_uid)
                               .order_by(Division.sort_order, SubProject.code, Problem.deadline, Problem.uid)).all()
        return [_recheck_info(row) for row in rows]


def get_recheck(ws: Workspace, uid: str) -> RecheckInfo:
    with ws.db.read() as session:
        row = session.execute(_recheck_query().where(RoundRecheck.uid == uid)).first()
        if row is None:
            raise NotFound(_("找不到该复查记录，可能已被删除。"))
        return _recheck_info(row)


def _parse_recheck(raw: Mapping[str, Any], round_: SupervisionRound) -> dict[str, Any]:
    values, errors = _collect({
        "result": lambda v, label: fields.choice(v, label, RECHECK_RESULTS),
        "note": lambda v, label: fields.text(v, label, max_length=2000, multiline=True),
        "checked_on": fields.day,
    }, raw)
    if values.get("result") == "pending":
        errors["result"] = _("请选择“{label}”：{a}或{b}。").format(
            label=_label("result"), a=_(RECHECK_RESULTS["rectified"]), b=_(RECHECK_RESULTS["not_rectified"]))
    if values.get("result") == "not_rectified" and "note" in values and not values["note"]:
        errors["note"] = _("复查结果为“{result}”时，请在“{label}”中写明仍存在的问题。").format(
            result=_(RECHECK_RESULTS["not_rectified"]), label=_label("note"))
    _required(values, errors, "checked_on")
    checked = values.get("checked_on")
    if checked and checked < round_.start_date:
        errors["checked_on"] = _("“{label}”（{d}）不能早于{name}督导的开始日期（{s}）。").format(
            label=_label("checked_on"), d=checked.isoformat(), name=round_.name, s=round_.start_date.isoformat())
    elif checked and checked > date.today():
        errors["checked_on"] = _("“{label}”不能晚于今天：{d}。").format(label=_label("checked_on"), d=checked.isoformat())
    if errors:
        raise ValidationError(errors)
    return values


def record_recheck(ws: Workspace, recheck_uid: str, *, result: Any, note: str = "", checked_on: Any = None,
                   expected_rev: str | None = None) -> RecheckInfo:
    """What the group found on re-checking one problem: a new revision, audited as ``recheck``.

    The problem's own state is left to the ledger (rectify / verify): a group's finding is
    evidence for the archivist, not a verification.
    """
    with ws.db.write() as session:
        record = session.scalar(select(RoundRecheck).where(RoundRecheck.uid == recheck_uid,
                                                           RoundRecheck.deleted == false()))
        if record is None:
            raise NotFound(_("找不到该复查记录，可能已被删除。"))
        write_recheck(session, ws, record, result=result, note=note, checked_on=checked_on, expected_rev=expected_rev)
        return _recheck_info(session.execute(_recheck_query().where(RoundRecheck.uid == recheck_uid)).one())


def write_recheck(session: Session, ws: Workspace, record: RoundRecheck, *, result: Any, note: str = "",
                  checked_on: Any = None, expected_rev: str | None = None) -> None:
    """``record_recheck`` on a loaded live re-check, inside the caller's write transaction."""
    values = _parse_recheck({"result": result, "note": note, "checked_on": checked_on},
                            _live_round(session, record.round_uid))
    records.update(session, ws, record, values, expected_rev=expected_rev, action="recheck")
