"""Counts for the command line's ``stats`` and the status bar: per entity, division, status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.models import SYNC_MODELS, Division, SubProject
from app.services.workspace import Workspace


def collect(ws: Workspace) -> dict[str, Any]:
    """Live (not deleted) records per entity; sub-projects per division and per status."""
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
    return {
        "entities": entities,
        "deleted": tombstones,
        "sub_projects_by_division": per_division,
        "sub_projects_by_status": per_status,
        "demonstration_sites": demonstration,
        "node": ws.node_uid,
    }
