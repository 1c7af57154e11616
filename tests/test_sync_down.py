"""What the city sends down: reference data and the county's own records, never another
county's; and the city's enrolled keys and revocations, which a county takes over."""

from __future__ import annotations

import random
import sqlite3

import pytest
from PIL import Image

from app.services import attachments, checklists, enrolment, history, packages, problems, sub_projects, visits
from app.sync import keys
from app.sync.package import PackageInfo, PackageRefused, write_package
from tests.sync_support import digest, enrol_each_other, make_node, register
from tests.test_sync_simulation import pass_acceptance


@pytest.fixture
def world(tmp_path):
    city = make_node(tmp_path, "city", "雅安市", "市局")
    lushan = make_node(tmp_path, "lushan", "芦山县", "张晓梅")
    baoxing = make_node(tmp_path, "baoxing", "宝兴县", "李建国")
    enrol_each_other(city, lushan)
    enrol_each_other(city, baoxing)
    yield city, lushan, baoxing
    for ws in (city, lushan, baoxing):
        ws.close()


def _send(source, target, path, **kwargs):
    out = packages.export_package(source, path, **kwargs)
    return out, packages.import_package(target, out.path)


def _field_work(ws, code: str, division: str, tmp_path):
    sub = register(ws, code, division=division)
    visit = visits.create(ws, sub.uid, {"visit_date": "2016-05-03", "kind": "mid_term_check", "archivists": "王芳",
                                        "unit_people": "刘洋", "content": "检查案卷整理"},
                          [{"category": "signature", "description": "竣工图签章不全", "responsible_person": "刘洋",
                            "deadline": "2016-06-30"}])
    photo = tmp_path / f"{code}.png"
    Image.new("RGB", (8, 8), (len(code) * 20 % 255, 90, 40)).save(photo)
    attachments.attach(ws, owner_entity="guidance_visits", owner_uid=visit.uid, source=photo, role="photo")
    pass_acceptance(ws, sub.uid, random.Random(code))
    return sub


def _count(ws, sql: str, *params) -> int:
    con = sqlite3.connect(ws.db.path)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def test_a_county_receives_reference_data_and_its_own_records_but_never_another_countys(world, tmp_path):
    city, lushan, baoxing = world
    draft = checklists.new_version(city, checklists.ensure_default(city))  # the city's next checklist
    _field_work(lushan, "LS-1", "芦山县", tmp_path)
    _field_work(baoxing, "BX-1", "宝兴县", tmp_path)
    _send(lushan, city, tmp_path / "lushan-1.zip")
    _send(baoxing, city, tmp_path / "baoxing-1.zip")
    # the city corrects 芦山县's sub-project: the edit must reach 芦山县
    ls_uid = sub_projects.uid_for_code(city, "LS-1")
    current = sub_projects.get(city, ls_uid)
    sub_projects.update(city, ls_uid, {**current.form_values(), "remarks": "市局核对"}, expected_rev=current.rev)

    out, result = _send(city, lushan, tmp_path / "down-lushan.zip", receiver=lushan.node_uid)

    assert result.report.refused == [] and not result.report.conflicts
    assert out.counts["sub_projects"] == 1  # the city's edit of 芦山县's own record, nothing of 宝兴县's
    assert sub_projects.get(lushan, ls_uid).remarks == "市局核对"
    assert sub_projects.uid_for_code(lushan, "BX-1") is None
    bx_visits = _count(baoxing, "SELECT count(*) FROM guidance_visits")
    assert bx_visits == 1
    for table in ("guidance_visits", "problems", "acceptances", "acceptance_scores", "acceptance_group_members",
                  "certificates", "attachments"):
        theirs = {r[0] for r in sqlite3.connect(baoxing.db.path).execute(f'SELECT uid FROM "{table}"')}
        mine = {r[0] for r in sqlite3.connect(lushan.db.path).execute(f'SELECT uid FROM "{table}"')}
        assert theirs and not theirs & mine, table
    # reference data: the city's new checklist version and the whole master list
    assert _count(lushan, "SELECT count(*) FROM checklist_templates WHERE uid = ?", draft.uid) == 1
    assert _count(lushan, "SELECT count(*) FROM master_projects WHERE plan_code = 'M-BX-1'") == 1


def test_the_city_sends_its_enrolled_keys_and_a_county_takes_them(world, tmp_path):
    city, lushan, baoxing = world
    _out, result = _send(city, lushan, tmp_path / "down-1.zip", receiver=lushan.node_uid)
    known = {n.uid: n for n in enrolment.list_nodes(lushan)}
    assert baoxing.node_uid in known
    assert known[baoxing.node_uid].fingerprint == enrolment.local_identity(baoxing).fingerprint
    assert known[baoxing.node_uid].revoked_at is None
    assert any("宝兴县" in line for line in result.node_changes)
    # the same directory again changes nothing
    _out, again = _send(city, lushan, tmp_path / "down-2.zip", receiver=lushan.node_uid)
    assert again.node_changes == []


def test_a_revocation_travels_down_and_the_county_then_refuses_that_key(world, tmp_path):
    city, lushan, baoxing = world
    _send(city, lushan, tmp_path / "down-1.zip", receiver=lushan.node_uid)
    enrolment.revoke(city, baoxing.node_uid, "笔记本电脑丢失")
    _out, result = _send(city, lushan, tmp_path / "down-2.zip", receiver=lushan.node_uid)
    revoked = {n.uid: n for n in enrolment.list_nodes(lushan)}[baoxing.node_uid]
    assert revoked.revoked_at is not None
    assert any("吊销" in line for line in result.node_changes)
    # a package signed with the revoked key is refused at the county, which stays as it was
    register(baoxing, "BX-9", division="宝兴县")
    forged = packages.export_package(baoxing, tmp_path / "from-baoxing.zip", receiver=lushan.node_uid)
    before = digest(lushan)
    with pytest.raises(PackageRefused, match="吊销"):
        packages.import_package(lushan, forged.path)
    assert digest(lushan) == before


def test_a_late_package_with_an_older_directory_undoes_nothing(world, tmp_path):
    city, lushan, baoxing = world
    early = packages.export_package(city, tmp_path / "down-1.zip", receiver=lushan.node_uid)
    # 宝兴县's laptop is replaced: the old key is revoked and a new one enrolled at the city
    enrolment.revoke(city, baoxing.node_uid, "更换电脑")
    keys.key_path(baoxing.db.path, baoxing.node_uid).unlink()
    enrolment.enrol(city, enrolment.local_identity(baoxing))
    new_fp = enrolment.local_identity(baoxing).fingerprint
    late = packages.export_package(city, tmp_path / "down-2.zip", receiver=lushan.node_uid)
    packages.import_package(lushan, late.path)
    packages.import_package(lushan, early.path)  # the lost stick turns up
    node = {n.uid: n for n in enrolment.list_nodes(lushan)}[baoxing.node_uid]
    assert (node.fingerprint, node.revoked_at) == (new_fp, None)


def test_a_county_learns_when_the_city_revoked_its_own_key(world, tmp_path):
    city, lushan, _baoxing = world
    enrolment.revoke(city, lushan.node_uid, "密钥泄露")
    _out, result = _send(city, lushan, tmp_path / "down.zip", receiver=lushan.node_uid)
    assert any("本机的密钥" in line and "密钥泄露" in line for line in result.node_changes)


def test_a_countys_package_carrying_a_directory_changes_no_trust_at_the_city(world, tmp_path):
    city, lushan, baoxing = world
    # 芦山县 tries to get the city to revoke 宝兴县 and trust a key of its own making
    fake = keys.public_hex(keys.load_or_create(tmp_path / "elsewhere" / "x.db", "fake"))
    with city.db.read() as session:
        entries = [entry | {"revoked_at": "2026-01-01T00:00:00", "revoked_reason": "伪造"}
                   for entry in enrolment.directory(session) if entry["uid"] == baoxing.node_uid]
    assert entries
    entries.append({"uid": "0190aaaa-0000-7000-8000-000000000001", "code": "5118269999", "division_code": "511826",
                    "label": "冒名节点", "public_key": fake, "fingerprint": keys.fingerprint(fake),
                    "enrolled_at": "2026-01-01T00:00:00", "revoked_at": None, "revoked_reason": ""})
    key = keys.load_or_create(lushan.db.path, lushan.node_uid)
    info = PackageInfo("0190aaaa-0000-7000-8000-00000000beef", lushan.node_uid, city.node_uid, 1, "",
                       keys.fingerprint(keys.public_hex(key)), "2026-12-01T00:00:00")
    path = tmp_path / "with-directory.zip"
    write_package(path, info, [], {}, {}, {}, lambda data: keys.sign(key, data), nodes=entries)
    result = packages.import_package(city, path)
    assert result.node_changes == []
    nodes = {n.uid: n for n in enrolment.list_nodes(city)}
    assert nodes[baoxing.node_uid].revoked_at is None
    assert "0190aaaa-0000-7000-8000-000000000001" not in nodes


def test_a_corrections_reason_and_step_reach_the_city(world, tmp_path):
    city, lushan, _baoxing = world
    sub = register(lushan, "LS-1", division="芦山县")
    visits.create(lushan, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"},
                  [{"category": "as_built", "description": "竣工图未签字", "responsible_person": "李建国",
                    "deadline": "2015-04-30"}])
    [p] = problems.for_sub_project(lushan, sub.uid)
    problems.rectify(lushan, p.uid, rectification="已补签", rectified_by="李建国", rectified_on="2015-04-02")
    p = problems.verify(lushan, p.uid, passed=True, note="到位")
    problems.correct(lushan, p.uid, {"category": "signature", "description": "竣工图未签字（设计单位）",
                                     "responsible_person": "李建国", "found_on": "2015-03-02",
                                     "deadline": "2015-04-30"}, reason="原记录漏写责任单位", expected_rev=p.rev)

    _send(lushan, city, tmp_path / "up.zip")

    at_city = history.for_record(city, "problems", p.uid).revisions
    assert [(r.action, r.note) for r in at_city] == [
        ("correct", "原记录漏写责任单位"), ("verify", ""), ("rectify", ""), ("create", "")]
