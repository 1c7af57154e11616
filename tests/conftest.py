"""Shared fixtures. A migrated, set-up database is built once and copied for each test."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# settings, logs and automatic backups of the tests never touch the user's own folders,
# and a user's saved language never changes what the tests read
os.environ["YAAN_ARCHIVE_KIT_HOME"] = tempfile.mkdtemp(prefix="yaan-test-home-")

from app.services import divisions, master_projects, node  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    ws = Workspace.open(path)
    lushan = divisions.find_division(ws, "芦山县")
    node.setup_node(ws, division_uid=lushan.uid, operator="张晓梅")
    ws.close()
    return path


@pytest.fixture
def ws(template_db, tmp_path) -> Workspace:
    path = tmp_path / "archive.db"
    shutil.copy(template_db, path)
    workspace = Workspace.open(path)
    yield workspace
    workspace.close()


@pytest.fixture
def lushan(ws):
    return divisions.find_division(ws, "芦山县")


@pytest.fixture
def master(ws, lushan):
    return master_projects.create(ws, {
        "plan_code": "511826-ZG-0001", "name": "芦山县龙门乡古城村农房重建", "division_uid": lushan.uid,
        "sector": "城乡住房", "owner_unit": "龙门乡人民政府", "investment": "1200",
    })


def sub_project_input(master, lushan, **overrides) -> dict:
    values = {
        "code": "511826-ZG-0001-01", "name": "古城村农房重建一期", "division_uid": lushan.uid,
        "master_project_uid": master.uid, "sector": "城乡住房", "owner_unit": "龙门乡人民政府",
        "investment": "356.5", "foreign_loan": False, "start_date": "2014-03-01", "finish_date": "2015-06-30",
        "construction_status": "completed", "demonstration_site": False, "archive_lead": "李建国",
        "archive_lead_phone": "13881612345", "archivist": "王芳", "archivist_phone": "0835-6522123", "remarks": "",
    }
    values.update(overrides)
    return values


@pytest.fixture(scope="session")
def city_db(tmp_path_factory) -> Path:
    """The small city database whose dashboard figures were counted by hand (dashboard_support)."""
    from tests.dashboard_support import build

    path = tmp_path_factory.mktemp("dashboard") / "city.db"
    build(path)
    return path


@pytest.fixture
def city_ws(city_db, tmp_path) -> Workspace:
    path = tmp_path / "city.db"
    shutil.copy(city_db, path)
    workspace = Workspace.open(path)
    yield workspace
    workspace.close()


#: an acceptance group that passes: five members, one leader, every vote "agree"
UNANIMOUS_GROUP = [
    {"name": "杨建华", "unit_kind": "reconstruction_committee", "role": "leader", "vote": "agree"},
    {"name": "陈丽", "unit_kind": "archives_bureau", "role": "deputy", "vote": "agree"},
    {"name": "刘强", "unit_kind": "finance_bureau", "vote": "agree"},
    {"name": "周敏", "unit_kind": "development_commission", "vote": "agree"},
    {"name": "吴刚", "unit_kind": "housing_bureau", "vote": "agree"},
]


@pytest.fixture
def private_temp(tmp_path, monkeypatch) -> Path:
    """Viewing copies of attachments go to the temporary folder: this test's own."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def county_and_city(tmp_path):
    """芦山县's laptop and the city's, enrolled with each other (for sync tests)."""
    from tests.sync_support import city_and_counties

    city, (county,) = city_and_counties(tmp_path, ("lushan", "芦山县", "张晓梅"))
    yield county, city
    county.close()
    city.close()
