"""Finding acceptances (档案验收) across the county or city for the acceptance list.

Filtering and sorting happen in SQL and return ordered ids; the table then fetches the
rows it draws a page at a time. Each row carries the acceptance's newest certificate
(after a reissue that is the valid one; after a plain void it is the void one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, func, select

from app.models import Acceptance, Certificate, ChecklistTemplate, Division, Problem, SubProject
from app.services.workspace import Workspace

_a = Acceptance.__table__
_s = SubProject.__table__
_d = Division.__table__
_t = ChecklistTemplate.__table__
_c = Certificate.__table__
_p = Problem.__table__
#: ``deleted = 0`` exactly as the partial indexes state it
_LIVE = _a.c.deleted == false()


@dataclass(frozen=True)
class AcceptanceFilter:
    division_uid: str | None = None
    #: an ACCEPTANCE_STATUSES code (draft / concluded)
    status: str | None = None
    #: a CONCLUSIONS code (pass / fail)
    conclusion: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    #: matched as a substring of the sub-project's code or name, or a certificate number
    keyword: str = ""
    sub_project_uid: str | None = None


@dataclass(frozen=True)
class AcceptanceRow:
    id: int
    uid: str
    sub_project_uid: str
    previous_uid: str | None
    acceptance_date: date
    division_name: str
    sub_project_code: str
    sub_project_name: str
    template_name: str
    template_version: int
    status: str
    conclusion: str
    total_score: float | None
    grade: str
    certificate_uid: str | None
    certificate_number: str
    certificate_status: str


SORT_KEYS = {
    "acceptance_date": _a.c.acceptance_date,
    "division": _d.c.sort_order,
    "sub_project": _s.c.code,
    "status": _a.c.status,
    "conclusion": _a.c.conclusion,
    "total_score": _a.c.total_score,
    "grade": _a.c.grade,
}


def _newest_certificate_id():
    """The id of an acceptance's newest certificate (correlated), or NULL."""
    return (select(func.max(_c.c.id)).where(_c.c.acceptance_uid == _a.c.uid, _c.c.deleted == false())
            .correlate(_a).scalar_subquery())


def _where(query, flt: AcceptanceFilter):
    query = query.where(_LIVE)
    if flt.division_uid:
        query = query.where(_s.c.division_uid == flt.division_uid)
    if flt.status:
        query = query.where(_a.c.status == flt.status)
    if flt.conclusion:
        query = query.where(_a.c.conclusion == flt.conclusion)
    if flt.date_from:
        query = query.where(_a.c.acceptance_date >= flt.date_from)
    if flt.date_to:
        query = query.where(_a.c.acceptance_date <= flt.date_to)
    if flt.sub_project_uid:
        query = query.where(_a.c.sub_project_uid == flt.sub_project_uid)
    keyword = flt.keyword.strip()
    if keyword:
        numbered = (select(_c.c.id).where(_c.c.acceptance_uid == _a.c.uid, _c.c.deleted == false(),
                                          _c.c.number.contains(keyword, autoescape=True))
                    .correlate(_a).exists())
        query = query.where(_s.c.code.contains(keyword, autoescape=True)
                            | _s.c.name.contains(keyword, autoescape=True) | numbered)
    return query


def search_ids(ws: Workspace, flt: AcceptanceFilter, *, sort: str = "acceptance_date",
               descending: bool = True) -> list[int]:
    """Ids of the live acceptances matching ``flt`` in display order (ties by id)."""
    query = select(_a.c.id).join(_s, _s.c.uid == _a.c.sub_project_uid)
    if sort == "division":
        query = query.join(_d, _d.c.uid == _s.c.division_uid)
    key = SORT_KEYS[sort]
    order = (key.desc(), _a.c.id.desc()) if descending else (key.asc(), _a.c.id.asc())
    with ws.db.read() as session:
        return list(session.scalars(_where(query, flt).order_by(*order)))


def count(ws: Workspace, flt: AcceptanceFilter) -> int:
    query = select(func.count()).select_from(_a).join(_s, _s.c.uid == _a.c.sub_project_uid)
    with ws.db.read() as session:
        return session.scalar(_where(query, flt)) or 0


def fetch_rows(ws: Workspace, ids: Sequence[int]) -> dict[int, AcceptanceRow]:
    """The display rows of ``ids`` (ids deleted elsewhere since the search are left out)."""
    if not ids:
        return {}
    newest = _newest_certificate_id()
    query = (
        select(_a.c.id, _a.c.uid, _a.c.sub_project_uid, _a.c.previous_uid, _a.c.acceptance_date, _d.c.name,
               _s.c.code, _s.c.name, _t.c.name, _t.c.version, _a.c.status, _a.c.conclusion, _a.c.total_score,
               _a.c.grade, _c.c.uid, func.coalesce(_c.c.number, ""), func.coalesce(_c.c.status, ""))
        .join(_s, _s.c.uid == _a.c.sub_project_uid)
        .join(_d, _d.c.uid == _s.c.division_uid)
        .join(_t, _t.c.uid == _a.c.template_uid)
        .outerjoin(_c, _c.c.id == newest)
        .where(_a.c.id.in_(list(ids)))
    )
    with ws.db.read() as session:
        return {row[0]: AcceptanceRow(*row) for row in session.execute(query)}


def id_of(ws: Workspace, uid: str) -> int | None:
    with ws.db.read() as session:
        return session.scalar(select(_a.c.id).where(_a.c.uid == uid))


def certificate_uids(ws: Workspace, flt: AcceptanceFilter, *, include_void: bool = False) -> list[str]:
    """The certificates of the acceptances matching ``flt`` (valid ones unless asked), in
    acceptance-date then number order: what a batch print of the filter prints."""
    query = (select(_c.c.uid).join(_a, _a.c.uid == _c.c.acceptance_uid)
             .join(_s, _s.c.uid == _a.c.sub_project_uid).where(_c.c.deleted == false()))
    if not include_void:
        query = query.where(_c.c.status == "valid")
    with ws.db.read() as session:
        return list(session.scalars(_where(query, flt).order_by(_a.c.acceptance_date, _c.c.number)))


def reinspection_of(ws: Workspace, failed_uid: str) -> str | None:
    """The live re-inspection that follows ``failed_uid``, if one was started."""
    with ws.db.read() as session:
        return session.scalar(select(_a.c.uid).where(_LIVE, _a.c.previous_uid == failed_uid)
                              .order_by(_a.c.id.desc()).limit(1))


def rectification_opinions(ws: Workspace, acceptance_uid: str) -> list[str]:
    """The rectification opinions a failed acceptance wrote into the ledger, in order."""
    with ws.db.read() as session:
        return list(session.scalars(select(_p.c.description).where(_p.c.acceptance_uid == acceptance_uid,
                                                                   _p.c.deleted == false()).order_by(_p.c.id)))
