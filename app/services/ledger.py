"""The problem ledger across a county or the city: filter, sort, fetch a page of rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import false, func, select

from app.models import Division, Problem, SubProject, SupervisionRound
from app.services.problems import is_overdue
from app.services.workspace import Workspace

_p = Problem.__table__
_s = SubProject.__table__
_d = Division.__table__
_r = SupervisionRound.__table__
#: ``deleted = 0`` exactly as the partial indexes state it
_LIVE = _p.c.deleted == false()


@dataclass(frozen=True)
class LedgerFilter:
    division_uid: str | None = None
    #: a PROBLEM_STATES code, or "unverified" for open and rectified together
    state: str | None = None
    overdue: bool = False
    round_uid: str | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    keyword: str = ""
    sub_project_uid: str | None = None
    #: the day "overdue" is judged on (today unless a report asks for another day)
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class LedgerRow:
    id: int
    uid: str
    sub_project_uid: str
    sub_project_code: str
    sub_project_name: str
    division_name: str
    category: str
    description: str
    responsible_person: str
    found_on: date
    deadline: date
    state: str
    rectification: str
    rectified_on: date | None
    verification_note: str
    verified_on: date | None
    round_name: str
    overdue: bool


SORT_KEYS = {
    "deadline": _p.c.deadline,
    "found_on": _p.c.found_on,
    "state": _p.c.state,
    "category": _p.c.category,
    "responsible_person": _p.c.responsible_person,
    "sub_project": _s.c.code,
    "division": _d.c.sort_order,
}


def filtered(query, flt: LedgerFilter):
    """``query`` over ``problems`` narrowed to the ledger's filter: the one definition of what
    the ledger and the dashboard count as open, overdue, in a division ..."""
    query = query.where(_LIVE)
    # "overdue" narrows whatever state was chosen (problems.is_overdue): past the deadline
    # and still open, so 已复查 + 仅超期 is empty rather than every overdue problem
    if flt.overdue:
        query = query.where(_p.c.state == "open", _p.c.deadline < flt.today)
    if flt.state == "unverified":
        query = query.where(_p.c.state.in_(("open", "rectified")))
    elif flt.state:
        query = query.where(_p.c.state == flt.state)
    if flt.round_uid:
        query = query.where(_p.c.round_uid == flt.round_uid)
    if flt.deadline_from:
        query = query.where(_p.c.deadline >= flt.deadline_from)
    if flt.deadline_to:
        query = query.where(_p.c.deadline <= flt.deadline_to)
    if flt.sub_project_uid:
        query = query.where(_p.c.sub_project_uid == flt.sub_project_uid)
    if flt.division_uid:
        query = query.where(_s.c.division_uid == flt.division_uid)
    keyword = flt.keyword.strip()
    if keyword:
        query = query.where(_p.c.description.contains(keyword, autoescape=True)
                            | _s.c.code.contains(keyword, autoescape=True)
                            | _s.c.name.contains(keyword, autoescape=True)
                            | _p.c.responsible_person.contains(keyword, autoescape=True))
    return query


def _needs_sub_project(flt: LedgerFilter, sort: str) -> bool:
    return bool(flt.division_uid or flt.keyword.strip()) or sort in ("sub_project", "division")


def search_ids(ws: Workspace, flt: LedgerFilter, *, sort: str = "deadline", descending: bool = False) -> list[int]:
    """Ids of the live problems matching ``flt`` in display order (ties by id)."""
    query = select(_p.c.id)
    if _needs_sub_project(flt, sort):
        query = query.join(_s, _s.c.uid == _p.c.sub_project_uid)
    if sort == "division":
        query = query.join(_d, _d.c.uid == _s.c.division_uid)
    key = SORT_KEYS[sort]
    order = (key.desc(), _p.c.id.desc()) if descending else (key.asc(), _p.c.id.asc())
    with ws.db.read() as session:
        return list(session.scalars(filtered(query, flt).order_by(*order)))


def count(ws: Workspace, flt: LedgerFilter) -> int:
    query = select(func.count()).select_from(_p)
    if _needs_sub_project(flt, "deadline"):
        query = query.join(_s, _s.c.uid == _p.c.sub_project_uid)
    with ws.db.read() as session:
        return session.scalar(filtered(query, flt)) or 0


def overdue_count(ws: Workspace, flt: LedgerFilter) -> int:
    """How many of the problems ``flt`` shows are overdue (the ledger's "其中超期 N 条")."""
    return count(ws, replace(flt, overdue=True))


def fetch_rows(ws: Workspace, ids: Sequence[int], *, today: date | None = None) -> dict[int, LedgerRow]:
    if not ids:
        return {}
    today = today or date.today()
    query = (
        select(_p.c.id, _p.c.uid, _p.c.sub_project_uid, _s.c.code, _s.c.name, _d.c.name, _p.c.category,
               _p.c.description, _p.c.responsible_person, _p.c.found_on, _p.c.deadline, _p.c.state,
               _p.c.rectification, _p.c.rectified_on, _p.c.verification_note, _p.c.verified_on,
               func.coalesce(_r.c.name, ""))
        .join(_s, _s.c.uid == _p.c.sub_project_uid)
        .join(_d, _d.c.uid == _s.c.division_uid)
        .outerjoin(_r, _r.c.uid == _p.c.round_uid)
        .where(_p.c.id.in_(list(ids)))
    )
    with ws.db.read() as session:
        return {row[0]: LedgerRow(*row, overdue=is_overdue(row[11], row[10], today)) for row in session.execute(query)}


def id_of(ws: Workspace, uid: str) -> int | None:
    with ws.db.read() as session:
        return session.scalar(select(_p.c.id).where(_p.c.uid == uid))


def round_choices(ws: Workspace) -> list[tuple[str, str]]:
    """(uid, name) of the live supervision rounds, in order, for the ledger's filter."""
    with ws.db.read() as session:
        return [(uid, name) for uid, name in session.execute(
            select(_r.c.uid, _r.c.name).where(_r.c.deleted == false()).order_by(_r.c.number))]
