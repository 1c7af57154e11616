"""Demo data: exact counts, valid fields, full sync metadata, reruns, cancel, reproducibility.

The ``ws`` fixture (conftest) is a copy of a set-up database whose node serves 芦山县.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import Cancelled
from app.i18n import _
from app.models import CONSTRUCTION_STATUSES, AuditEntry, MasterProject, RecordRevision, SubProject
from app.services import demo, fields, records, sub_projects
from app.services.divisions import list_divisions
from app.services.tasks import CancelToken
from app.services.workspace import Workspace


@pytest.fixture
def workspace_at(template_db: Path, tmp_path: Path):
    """A fresh set-up database per name, for comparing separate runs."""
    opened: list[Workspace] = []

    def open_copy(name: str) -> Workspace:
        path = tmp_path / name
        shutil.copy(template_db, path)
        opened.append(Workspace.open(path))
        return opened[-1]

    yield open_copy
    for workspace in opened:
        workspace.close()


def _counts(ws: Workspace) -> tuple[int, int, int, int]:
    with ws.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(MasterProject)),
            session.scalar(select(func.count()).select_from(SubProject)),
            session.scalar(select(func.count()).select_from(RecordRevision)),
            session.scalar(select(func.count()).select_from(AuditEntry)),
        )


def _subs(ws: Workspace) -> list[SubProject]:
    with ws.db.read() as session:
        return list(session.scalars(select(SubProject).where(SubProject.deleted.is_(False)).order_by(SubProject.code)))


def _masters(ws: Workspace) -> dict[str, MasterProject]:
    with ws.db.read() as session:
        return {m.uid: m for m in session.scalars(select(MasterProject).where(MasterProject.deleted.is_(False)))}


def test_generate_creates_exactly_the_asked_sub_projects_with_valid_fields(ws: Workspace) -> None:
    result = demo.generate(ws, sub_projects=300)

    subs, masters = _subs(ws), _masters(ws)
    assert result.sub_projects == len(subs) == 300
    assert result.master_projects == len(masters)
    assert 300 / 4 <= len(masters) < 300
    assert result.seconds > 0
    assert len({s.code for s in subs}) == 300
    assert len({m.plan_code for m in masters.values()}) == len(masters)
    for sub in subs:
        for phone in (sub.archive_lead_phone, sub.archivist_phone):
            assert phone and fields.phone(phone, "电话") == phone
        assert sub.archive_lead and sub.archivist and sub.owner_unit and sub.name
        if sub.start_date and sub.finish_date:
            assert sub.finish_date >= sub.start_date
        if sub.finish_date:
            assert sub.construction_status == "completed"
        assert sub.construction_status in CONSTRUCTION_STATUSES
        assert sub.investment_yuan is not None and sub.investment_yuan >= 20 * fields.YUAN_PER_WAN
        assert sub.investment_yuan % 100 == 0  # at most two decimals in 万元
        master = masters[sub.master_project_uid]
        assert sub.code.startswith(master.plan_code + "-")
        assert sub.division_uid == master.division_uid
        assert sub.foreign_loan == master.foreign_loan
    totals = Counter()
    for sub in subs:
        totals[sub.master_project_uid] += sub.investment_yuan
    assert all(m.investment_yuan == totals[uid] for uid, m in masters.items())
    assert sum(s.demonstration_site for s in subs) == round(300 * 28 / 4055)
    assert all(s.construction_status == "completed" for s in subs if s.demonstration_site)


def test_generated_sub_projects_pass_the_edit_form_validation(ws: Workspace) -> None:
    demo.generate(ws, sub_projects=100)
    for sub in _subs(ws):
        detail = sub_projects.get(ws, sub.uid)
        sub_projects.validate(ws, detail.form_values(), current_uid=sub.uid)


def test_every_generated_record_has_a_revision_and_an_audit_row(ws: Workspace) -> None:
    demo.generate(ws, sub_projects=300)
    with ws.db.read() as session:
        for model in (MasterProject, SubProject):
            rows = session.execute(select(model.uid, model.rev)).all()
            revisions = set(session.execute(
                select(RecordRevision.record_uid, RecordRevision.rev)
                .where(RecordRevision.entity == model.__tablename__)).all())
            audited = Counter(session.scalars(
                select(AuditEntry.record_uid)
                .where(AuditEntry.entity == model.__tablename__, AuditEntry.action == "create")))
            assert {(uid, rev) for uid, rev in rows} <= revisions
            assert all(audited[uid] == 1 for uid, _rev in rows)


def test_second_run_adds_more_without_code_collisions(ws: Workspace) -> None:
    demo.generate(ws, sub_projects=300)
    demo.generate(ws, sub_projects=200)
    subs, masters = _subs(ws), _masters(ws)
    assert len(subs) == 500
    assert len({s.code for s in subs}) == 500
    assert len({m.plan_code for m in masters.values()}) == len(masters)
    assert len({m.name for m in masters.values()}) == len(masters)


def test_codes_entered_by_hand_are_skipped(ws: Workspace) -> None:
    lushan = next(d for d in list_divisions(ws, include_city=False) if d.name == "芦山县")
    with ws.db.write() as session:
        master = records.create(session, ws, MasterProject, {
            "plan_code": f"{lushan.code}-ZG-0002", "name": "手工登记的总规项目", "division_uid": lushan.uid})
        records.create(session, ws, SubProject, {
            "code": f"{lushan.code}-ZG-0001-01", "name": "编号与演示数据相同的子项目", "owner_unit": "芦山县教育局",
            "master_project_uid": master.uid, "division_uid": lushan.uid})
    demo.generate(ws, sub_projects=50, division_uids=[lushan.uid])
    subs = _subs(ws)
    assert len(subs) == 51
    assert len({s.code for s in subs}) == 51


def test_division_filter_keeps_every_record_in_the_given_division(ws: Workspace) -> None:
    baoxing = next(d for d in list_divisions(ws, include_city=False) if d.name == "宝兴县")
    demo.generate(ws, sub_projects=40, division_uids=[baoxing.uid])
    subs = _subs(ws)
    assert len(subs) == 40
    assert {s.division_uid for s in subs} == {baoxing.uid}
    assert all(s.code.startswith(f"{baoxing.code}-ZG-") for s in subs)
    assert all(m.name.startswith(("宝兴", "四川宝兴", "S210线宝兴")) for m in _masters(ws).values())


def test_a_county_laptop_gets_its_own_county_by_default(ws: Workspace) -> None:
    demo.generate(ws, sub_projects=25)
    assert {s.division_uid for s in _subs(ws)} == {ws.division_uid}


def test_sub_projects_are_spread_by_damage(ws: Workspace) -> None:
    names = {d.uid: d.name for d in list_divisions(ws, include_city=False)}
    demo.generate(ws, sub_projects=1000, division_uids=list(names))
    per_division = Counter(names[s.division_uid] for s in _subs(ws))
    assert set(per_division) == set(names.values())
    assert per_division["芦山县"] == max(per_division.values())
    assert per_division["石棉县"] < per_division["宝兴县"]


def test_cancel_before_the_call_changes_nothing(ws: Workspace) -> None:
    demo.generate(ws, sub_projects=30)
    before = _counts(ws)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        demo.generate(ws, sub_projects=300, cancel=token)
    assert _counts(ws) == before


def test_cancel_during_the_work_rolls_everything_back(ws: Workspace) -> None:
    before = _counts(ws)
    token = CancelToken()
    calls: list[tuple[int, int, str]] = []

    def cancel_after_first_batch(done: int, total: int, message: str) -> None:
        calls.append((done, total, message))
        if done > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        demo.generate(ws, sub_projects=3000, cancel=token, progress=cancel_after_first_batch)
    assert any(done > 0 for done, _total, _message in calls)  # rows were written, then undone
    assert _counts(ws) == before


def test_progress_runs_over_masters_and_sub_projects(ws: Workspace) -> None:
    calls: list[tuple[int, int, str]] = []
    result = demo.generate(ws, sub_projects=300, progress=lambda *call: calls.append(call))
    total = result.master_projects + result.sub_projects
    assert calls[0][0] == 0
    assert calls[-1] == (total, total, _("正在生成演示数据…"))
    assert [done for done, _total, _message in calls] == sorted(done for done, _total, _message in calls)


def test_same_seed_gives_the_same_data(workspace_at) -> None:
    def content(name: str, seed: int) -> list[tuple]:
        workspace = workspace_at(name)
        demo.generate(workspace, sub_projects=120, seed=seed)
        return [(s.code, s.name, s.owner_unit, s.investment_yuan, s.start_date, s.archivist, s.archivist_phone)
                for s in _subs(workspace)]

    first = content("a.db", 7)
    assert first == content("b.db", 7)
    assert [row[1] for row in first] != [row[1] for row in content("c.db", 8)]


def test_refuses_bad_arguments(ws: Workspace) -> None:
    with pytest.raises(ValueError):
        demo.generate(ws, sub_projects=-1)
    city = next(d for d in list_divisions(ws) if d.is_city)
    with pytest.raises(ValueError):
        demo.generate(ws, sub_projects=10, division_uids=[city.uid])
    assert _counts(ws)[1] == 0
