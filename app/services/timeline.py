"""One sub-project's story in date order: visits, problems and their steps, trainings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, or_, select

from app.i18n import _
from app.models import (CONCLUSIONS, PROBLEM_CATEGORIES, PROBLEM_STATES, TRAINING_LEVELS, VISIT_KINDS, Acceptance,
                        Certificate, Division, SubProject, Training)
from app.services import problems, visits
from app.services.divisions import CITY_CODE
from app.services.workspace import Workspace


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    #: visit / problem / rectification / verification / training / acceptance
    kind: str
    label: str
    summary: str
    state: str
    #: the record to open: a visit or problem uid (trainings: the training uid)
    uid: str
    overdue: bool = False
    #: the problem's state code, for problem entries
    problem_state: str = ""


def for_sub_project(ws: Workspace, sub_project_uid: str, *, today: date | None = None,
                    trainings: bool = False) -> list[TimelineEntry]:
    """Newest first. With ``trainings``, the county's and the city's trainings held while
    the sub-project was being built are woven in (they are many: off by default)."""
    today = today or date.today()
    entries: list[TimelineEntry] = []
    for visit in visits.for_sub_project(ws, sub_project_uid):
        found = _("，发现 {n} 个问题").format(n=visit.problem_count) if visit.problem_count else _("，未发现问题")
        entries.append(TimelineEntry(visit.visit_date, "visit", _("现场指导·{kind}").format(
            kind=_(VISIT_KINDS.get(visit.kind, visit.kind))),
            (visit.content.rstrip("。；;，, ") or _("（未填写内容）")) + found,
            _("指导人员：{who}").format(who=visit.archivists), visit.uid))
    for p in problems.for_sub_project(ws, sub_project_uid):
        late = p.is_overdue(today)
        state = _(PROBLEM_STATES[p.state]) + (_("（超期）") if late else "")
        entries.append(TimelineEntry(p.found_on, "problem", _("问题·{category}").format(
            category=_(PROBLEM_CATEGORIES.get(p.category, p.category))),
            _("{text}（整改时限 {deadline}）").format(text=p.description, deadline=p.deadline.isoformat()),
            state, p.uid, late, p.state))
        if p.rectified_on:
            entries.append(TimelineEntry(p.rectified_on, "rectification", _("整改"), p.rectification,
                                         _("整改人：{who}").format(who=p.rectified_by), p.uid))
        if p.verified_on:
            label = _("复查通过") if p.state == "verified" else _("复查未通过")
            entries.append(TimelineEntry(p.verified_on, "verification", label, p.verification_note,
                                         _("复查人：{who}").format(who=p.verified_by), p.uid))
    with ws.db.read() as session:
        sub = session.scalar(select(SubProject).where(SubProject.uid == sub_project_uid))
        city_uid = session.scalar(select(Division.uid).where(Division.code == CITY_CODE))
        held = (select(Training).where(Training.deleted == false(),
                                       or_(Training.division_uid == sub.division_uid, Training.division_uid == city_uid))
                .where(Training.held_on >= (sub.start_date or date.min), Training.held_on <= (sub.finish_date or today)))
        for t in (session.scalars(held) if trainings else ()):
            entries.append(TimelineEntry(t.held_on, "training", _("培训·{level}").format(
                level=_(TRAINING_LEVELS.get(t.level, t.level))), t.topic,
                _("{n} 人次").format(n=t.attendance), t.uid))
        for a in session.scalars(select(Acceptance).where(Acceptance.sub_project_uid == sub_project_uid,
                                                          Acceptance.deleted == false())):
            numbers = session.scalars(select(Certificate.number).where(Certificate.acceptance_uid == a.uid,
                                                                       Certificate.status == "valid")).all()
            if a.status == "concluded":
                state = _("{conclusion}，{score:g} 分").format(conclusion=_(CONCLUSIONS[a.conclusion]),
                                                             score=a.total_score or 0)
            else:
                state = _("进行中")
            summary = _("证书编号 {numbers}").format(numbers="、".join(numbers)) if numbers else a.opinion
            entries.append(TimelineEntry(a.acceptance_date, "acceptance",
                                         _("复验") if a.previous_uid else _("档案验收"), summary, state, a.uid))
    order = {"visit": 0, "problem": 1, "rectification": 2, "verification": 3, "training": 4, "acceptance": 5}
    # newest first; on one day, what follows from a thing (its problems, their steps) sits above it
    return sorted(entries, key=lambda e: (e.day, order[e.kind]), reverse=True)
