"""Finding guidance visits across the county or city for the visit list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, func, select

from app.models import Division, GuidanceVisit, Problem, SubProject
from app.services.workspace import Workspace

_v = GuidanceVisit.__table__
_s = SubProject.__table__
_d = Division.__table__
_p = Problem.__table__


@dataclass(frozen=True)
class VisitFilter:
    division_uid: str | None = None
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    keyword: str = ""


@dataclass(frozen=True)
class VisitRow:
    id: int
    uid: str
    sub_project_uid: str
    visit_date: date
    kind: str
    sub_project_code: str
    sub_project_name: str
    division_name: str
    archivists: str
    unit_people: str
    content: str
    problem_count: int


SORT_KEYS = {"visit_date": _v.c.visit_date, "kind": _v.c.kind, "sub_project": _s.c.code,
             "division": _d.c.sort_order, "archivists": _v.c.archivists}


def search_ids(ws: Workspace, flt: VisitFilter, *, sort: str = "visit_date", descending: bool = True) -> list[int]:
    query = select(_v.c.id).join(_s, _s.c.uid == _v.c.sub_project_uid).where(_v.c.deleted == false())
    if sort == "division":
        query = query.join(_d, _d.c.uid == _s.c.division_uid)
    if flt.division_uid:
        query = query.where(_s.c.division_uid == flt.division_uid)
    if flt.kind:
        query = query.where(_v.c.kind == flt.kind)
    if flt.date_from:
        query = query.where(_v.c.visit_date >= flt.date_from)
    if flt.date_to:
        query = query.where(_v.c.visit_date <= flt.date_to)
    keyword = flt.keyword.strip()
    if keyword:
        query = query.where(_s.c.code.contains(keyword, autoescape=True) | _s.c.name.contains(keyword, autoescape=True)
                            | _v.c.archivists.contains(keyword, autoescape=True)
                            | _v.c.content.contains(keyword, autoescape=True))
    key = SORT_KEYS[sort]
    order = (key.desc(), _v.c.id.desc()) if descending else (key.asc(), _v.c.id.asc())
    with ws.db.read() as session:
        return list(session.scalars(query.order_by(*order)))


def fetch_rows(ws: Workspace, ids: Sequence[int]) -> dict[int, VisitRow]:
    if not ids:
        return {}
    found = (select(func.count()).where(_p.c.visit_uid == _v.c.uid, _p.c.deleted == false())
             .correlate(_v).scalar_subquery())
    query = (select(_v.c.id, _v.c.uid, _v.c.sub_project_uid, _v.c.visit_date, _v.c.kind, _s.c.code, _s.c.name,
                    _d.c.name, _v.c.archivists, _v.c.unit_people, _v.c.content, found)
             .join(_s, _s.c.uid == _v.c.sub_project_uid).join(_d, _d.c.uid == _s.c.division_uid)
             .where(_v.c.id.in_(list(ids))))
    with ws.db.read() as session:
        return {row[0]: VisitRow(*row) for row in session.execute(query)}
