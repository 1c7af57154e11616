"""Nodes for sync tests: databases set up as a county or the city, enrolled with each other."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from app.services import divisions, enrolment, master_projects, node, sub_projects
from app.services.workspace import Workspace
from tests.conftest import sub_project_input


def make_node(tmp_path: Path, name: str, division: str, operator: str = "操作员") -> Workspace:
    ws = Workspace.open(tmp_path / f"{name}.db")
    node.setup_node(ws, division_uid=divisions.find_division(ws, division).uid, operator=operator)
    return ws


def enrol_each_other(*nodes: Workspace) -> None:
    identities = [enrolment.local_identity(ws) for ws in nodes]
    for ws in nodes:
        for identity in identities:
            if identity.node_uid != ws.node_uid:
                enrolment.enrol(ws, identity)


def city_and_counties(tmp_path: Path, *counties: tuple[str, str, str]) -> tuple[Workspace, list[Workspace]]:
    """The city and the ``(name, division, operator)`` counties, all enrolled with each other."""
    city = make_node(tmp_path, "city", "雅安市", "市局")
    nodes = [make_node(tmp_path, name, division, operator) for name, division, operator in counties]
    enrol_each_other(city, *nodes)
    return city, nodes


def register(ws: Workspace, code: str, **overrides):
    division = divisions.find_division(ws, overrides.pop("division", None) or "芦山县")
    plan = f"M-{code}"
    master = master_projects.find_by_code(ws, plan) or master_projects.create(
        ws, {"plan_code": plan, "name": f"总规{code}", "division_uid": division.uid})
    return sub_projects.create(ws, sub_project_input(master, division, code=code, **overrides))


def digest(ws: Workspace) -> str:
    """Every row of every table: equal digests mean an unchanged database."""
    con = sqlite3.connect(ws.db.path)
    try:
        h = hashlib.sha256()
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        con.close()
