"""Finding, sorting and fetching sub-projects for the register table.

Filtering and sorting happen in SQL and return ordered ids; the table model then asks for
the rows it is about to draw, a page at a time (never 40,000 rows at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, func, select

from app.models import Division, MasterProject, Node, SubProject
from app.services.workspace import Workspace


@dataclass(frozen=True)
class SubProjectFilter:
    division_uid: str | None = None
    construction_status: str | None = None
    demonstration_site: bool | None = None
    #: matched as a substring of code, name or owner unit
    keyword: str = ""


@dataclass(frozen=True)
class SubProjectRow:
    id: int
    uid: str
    code: str
    name: str
    division_name: str
    plan_code: str
    sector: str
    owner_unit: str
    investment_yuan: int | None
    construction_status: str
    start_date: date | None
    finish_date: date | None
    demonstration_site: bool
    archivist: str
    archivist_phone: str
    #: where the record was made (the node's division): at the city, which county sent it
    origin: str


_t = SubProject.__table__

#: sort keys the table offers -> SQL expression (each has an index, or is a 10-row join)
SORT_KEYS = {
    "code": _t.c.code,
    "name": _t.c.name,
    "division": Division.__table__.c.sort_order,
    "plan_code": MasterProject.__table__.c.plan_code,
    "sector": _t.c.sector,
    "owner_unit": _t.c.owner_unit,
    "investment": _t.c.investment_yuan,
    "construction_status": _t.c.construction_status,
    "start_date": _t.c.start_date,
    "finish_date": _t.c.finish_date,
    "demonstration_site": _t.c.demonstration_site,
    "archivist": _t.c.archivist,
    "origin": Node.__table__.c.code,
}


#: ``deleted = 0`` exactly as the partial indexes state it, so SQLite can use them
_LIVE = _t.c.deleted == false()


def _where(query, flt: SubProjectFilter):
    query = query.where(_LIVE)
    if flt.division_uid:
        query = query.where(_t.c.division_uid == flt.division_uid)
    if flt.construction_status:
        query = query.where(_t.c.construction_status == flt.construction_status)
    if flt.demonstration_site is not None:
        query = query.where(_t.c.demonstration_site.is_(flt.demonstration_site))
    keyword = flt.keyword.strip()
    if keyword:
        query = query.where(
            _t.c.code.contains(keyword, autoescape=True)
            | _t.c.name.contains(keyword, autoescape=True)
            | _t.c.owner_unit.contains(keyword, autoescape=True)
        )
    return query


def search_ids(ws: Workspace, flt: SubProjectFilter, *, sort: str = "code", descending: bool = False) -> list[int]:
    """Ids of the live sub-projects matching ``flt``, in display order (ties by code)."""
    key = SORT_KEYS[sort]
    query = select(_t.c.id)
    if sort == "division":
        query = query.join(Division.__table__, Division.__table__.c.uid == _t.c.division_uid)
    elif sort == "plan_code":
        query = query.join(MasterProject.__table__, MasterProject.__table__.c.uid == _t.c.master_project_uid)
    elif sort == "origin":  # the seed's records have no node: they sort first
        query = query.outerjoin(Node.__table__, Node.__table__.c.uid == _t.c.origin_node)
    # ties broken by code in the same direction: the whole order is one backward index scan
    order = (key.desc(), _t.c.code.desc()) if descending else (key.asc(), _t.c.code.asc())
    query = _where(query, flt).order_by(*order)
    with ws.db.read() as session:
        return list(session.scalars(query))


def count_live(ws: Workspace) -> int:
    with ws.db.read() as session:
        return session.scalar(select(func.count()).select_from(_t).where(_LIVE)) or 0


def fetch_rows(ws: Workspace, ids: Sequence[int]) -> dict[int, SubProjectRow]:
    """The display rows of ``ids`` (missing ids, e.g. just deleted elsewhere, are left out)."""
    if not ids:
        return {}
    d, m, n = Division.__table__, MasterProject.__table__, Node.__table__
    query = (
        select(_t.c.id, _t.c.uid, _t.c.code, _t.c.name, d.c.name, m.c.plan_code, _t.c.sector, _t.c.owner_unit,
               _t.c.investment_yuan, _t.c.construction_status, _t.c.start_date, _t.c.finish_date,
               _t.c.demonstration_site, _t.c.archivist, _t.c.archivist_phone, func.coalesce(n.c.label, ""))
        .join(d, d.c.uid == _t.c.division_uid)
        .join(m, m.c.uid == _t.c.master_project_uid)
        .outerjoin(n, n.c.uid == _t.c.origin_node)
        .where(_t.c.id.in_(list(ids)))
    )
    with ws.db.read() as session:
        return {row[0]: SubProjectRow(*row) for row in session.execute(query)}


def id_of(ws: Workspace, uid: str) -> int | None:
    """The local row id of a sub-project (the table keeps ids, the rest of the app uids)."""
    with ws.db.read() as session:
        return session.scalar(select(_t.c.id).where(_t.c.uid == uid))


def distinct_sectors(ws: Workspace) -> list[str]:
    """Sectors already in use, offered as choices when typing a new one."""
    with ws.db.read() as session:
        return [s for s in session.scalars(select(_t.c.sector).where(_LIVE, _t.c.sector != "")
                                           .distinct().order_by(_t.c.sector))]


def counts_by_division(ws: Workspace) -> dict[str, int]:
    with ws.db.read() as session:
        return dict(session.execute(select(_t.c.division_uid, func.count()).where(_LIVE)
                                    .group_by(_t.c.division_uid)).all())
