"""Counts for the command line's ``stats`` and the status bar: per entity, division, status."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import distinct, func, select

from app.models import (
    PROBLEM_STATES,
    RECHECK_RESULTS,
    SYNC_MODELS,
    TRAINING_LEVELS,
    Division,
    GuidanceVisit,
    Notice,
    NoticeItem,
    Problem,
    RoundRecheck,
    SubProject,
    SupervisionGroup,
    SupervisionRound,
    Training,
)
from app.services.workspace import Workspace


def collect(ws: Workspace, *, today: date | None = None) -> dict[str, Any]:
    """Live (not deleted) records per entity; sub-projects per division and per status; field work.

    Field work as the seed reports it: visits and the sub-projects visited at least once,
    problems by state and overdue ``today``, trainings and attendance (人次) by level,
    supervision rounds, the groups a round sends out and per round its groups, problems
    raised and re-checks by result, notices and their opinions.
    """
    today = today or date.today()
    with ws.db.read() as session:
        entities = {
            name: session.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False))) or 0
            for name, model in sorted(SYNC_MODELS.items())
        }
        tombstones = {
            name: session.scalar(select(func.count()).select_from(model).where(model.deleted.is_(True))) or 0
            for name, model in sorted(SYNC_MODELS.items())
        }
        live = SubProject.deleted.is_(False)
        per_division = dict(session.execute(
            select(Division.name, func.count(SubProject.id))
            .join(SubProject, (SubProject.division_uid == Division.uid) & live, isouter=True)
            .group_by(Division.uid).order_by(Division.sort_order)
        ).all())
        per_status = dict(session.execute(
            select(SubProject.construction_status, func.count()).where(live)
            .group_by(SubProject.construction_status).order_by(SubProject.construction_status)
        ).all())
        demonstration = session.scalar(
            select(func.count()).select_from(SubProject).where(live, SubProject.demonstration_site.is_(True))
        ) or 0
        field_work = _field_work(session, today)
    return {
        "entities": entities,
        "deleted": tombstones,
        "sub_projects_by_division": per_division,
        "sub_projects_by_status": per_status,
        "demonstration_sites": demonstration,
        **field_work,
        "node": ws.node_uid,
    }


def _field_work(session, today: date) -> dict[str, Any]:
    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False), *where)) or 0

    visited = session.scalar(
        select(func.count(distinct(GuidanceVisit.sub_project_uid)))
        .join(SubProject, SubProject.uid == GuidanceVisit.sub_project_uid)
        .where(GuidanceVisit.deleted.is_(False), SubProject.deleted.is_(False))
    ) or 0
    by_state = dict.fromkeys(PROBLEM_STATES, 0)
    by_state.update(session.execute(
        select(Problem.state, func.count()).where(Problem.deleted.is_(False)).group_by(Problem.state)).all())
    trainings = {level: {"sessions": 0, "attendance": 0} for level in TRAINING_LEVELS}
    for level, sessions, attendance in session.execute(
            select(Training.level, func.count(), func.coalesce(func.sum(Training.attendance), 0))
            .where(Training.deleted.is_(False)).group_by(Training.level)):
        trainings[level] = {"sessions": sessions, "attendance": attendance}
    by_round = _supervision_by_round(session)
    opinions = session.scalar(
        select(func.count()).select_from(NoticeItem).join(Notice, Notice.uid == NoticeItem.notice_uid)
        .where(NoticeItem.deleted.is_(False), Notice.deleted.is_(False))
    ) or 0
    return {
        "visits": count(GuidanceVisit),
        "sub_projects_visited": visited,
        "problems_by_state": by_state,
        # the ledger's rule (problems.is_overdue): open and past its deadline
        "overdue_problems": count(Problem, Problem.state == "open", Problem.deadline < today),
        "trainings_by_level": trainings,
        "supervision_rounds": count(SupervisionRound),
        # groups are records of their round, so the seed's 3 groups going out in 3 rounds are
        # 9 rows (entities["supervision_groups"]); this is how many groups a round sends out
        "supervision_groups": max((r["groups"] for r in by_round.values()), default=0),
        "supervision_by_round": by_round,
        "notices": count(Notice),
        "notice_opinions": opinions,
    }


def _supervision_by_round(session) -> dict[str, dict[str, Any]]:
    """Per live round, in order: its groups, the problems it raised, its re-checks by result."""
    rounds = session.execute(select(SupervisionRound.uid, SupervisionRound.name)
                             .where(SupervisionRound.deleted.is_(False)).order_by(SupervisionRound.number)).all()

    def per_round(model) -> dict[str, int]:
        return dict(session.execute(select(model.round_uid, func.count()).where(
            model.deleted.is_(False), model.round_uid.is_not(None)).group_by(model.round_uid)).all())

    groups, raised = per_round(SupervisionGroup), per_round(Problem)
    rechecks: dict[str, dict[str, int]] = {uid: dict.fromkeys(RECHECK_RESULTS, 0) for uid, _name in rounds}
    for uid, result, n in session.execute(
            select(RoundRecheck.round_uid, RoundRecheck.result, func.count()).where(RoundRecheck.deleted.is_(False))
            .group_by(RoundRecheck.round_uid, RoundRecheck.result)):
        if uid in rechecks:
            rechecks[uid][result] = n
    return {name: {"groups": groups.get(uid, 0), "problems_raised": raised.get(uid, 0), "rechecks": rechecks[uid]}
            for uid, name in rounds}
