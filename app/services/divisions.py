"""Divisions (行政区划) as reference data: listing and resolving names people write."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.models import Division
from app.services.workspace import Workspace


#: statistical code of 雅安市, the city node
CITY_CODE = "511800"


@dataclass(frozen=True)
class DivisionInfo:
    uid: str
    code: str
    name: str
    short_name: str
    kind: str

    @property
    def is_city(self) -> bool:
        return self.kind == "city"


def list_divisions(ws: Workspace, *, include_city: bool = True) -> list[DivisionInfo]:
    with ws.db.read() as session:
        rows = session.scalars(
            select(Division).where(Division.deleted.is_(False)).order_by(Division.sort_order)
        ).all()
    result = [DivisionInfo(d.uid, d.code, d.name, d.short_name, d.kind) for d in rows]
    return result if include_city else [d for d in result if not d.is_city]


def find_division(ws: Workspace, text: str) -> DivisionInfo | None:
    """By full name, short name (芦山 -> 芦山县) or code."""
    text = text.strip()
    for d in list_divisions(ws):
        if text in (d.name, d.short_name, d.code):
            return d
    return None
