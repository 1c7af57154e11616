"""Rule sets and published assessments travel down to the counties with the reference data."""

from __future__ import annotations

import sqlite3

import pytest

from app.services import assessment_rules, assessments, attachments, packages
from tests.assessment_support import AS_OF, PUBLICATION, score_manual_items
from tests.sync_support import enrol_each_other, make_node, register


@pytest.fixture
def world(tmp_path):
    city = make_node(tmp_path, "city", "雅安市", "市局")
    lushan = make_node(tmp_path, "lushan", "芦山县", "张晓梅")
    enrol_each_other(city, lushan)
    yield city, lushan
    for ws in (city, lushan):
        ws.close()


def _send(source, target, path, **kwargs):
    out = packages.export_package(source, path, **kwargs)
    result = packages.import_package(target, out.path)
    assert result.report.refused == [] and not result.report.conflicts
    return result


def test_a_published_assessment_its_evidence_and_a_new_rule_set_reach_the_county(world, tmp_path):
    city, lushan = world
    register(lushan, "LS-1")
    _send(lushan, city, tmp_path / "up-1.zip")
    view = assessments.compute(city, 2016, as_of=AS_OF)
    # the city's rules for the next year: a new version, activated (2016 stays on version 1)
    next_year = assessment_rules.activate(city, assessment_rules.new_version(city, view.rule_set.uid).uid)
    score_manual_items(city, view, {("芦山县", "1.1"): (4, "领导小组未纳入目标考核")})
    scored = next(s for s in view.scores if s.subject_name == "芦山县" and s.item.code == "1.1")
    minutes = tmp_path / "纪要.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes of the county's leading group")
    attachments.attach(city, owner_entity=assessments.ATTACHMENT_OWNER, owner_uid=scored.uid, source=minutes,
                       role="scan")
    published = assessments.publish(city, view.uid, PUBLICATION)

    _send(city, lushan, tmp_path / "down-1.zip", receiver=lushan.node_uid)

    [row] = assessments.list_assessments(lushan)
    there = assessments.get(lushan, row.uid)
    assert (there.status, there.number) == ("published", "雅重建委〔2017〕2号")
    assert there.standings == published.standings and len(there.scores) == len(published.scores)
    files = attachments.list_for(lushan, assessments.ATTACHMENT_OWNER, scored.uid, check_files=True)
    assert [(f.filename, f.status) for f in files] == [("纪要.pdf", "ok")]
    assert [r.uid for r in assessment_rules.active_rule_sets(lushan)] == [next_year.uid]
    assert assessments.current(lushan, 2016).uid == published.uid

    # a correction: while it is a draft the county lists only what was published
    fixed = assessments.correct(city, published.uid, reason="核对佐证材料")
    _send(city, lushan, tmp_path / "down-2.zip", receiver=lushan.node_uid)
    assert [r.uid for r in assessments.list_assessments(lushan)] == [published.uid]
    # the draft itself stays at the city: not hidden at the county, never sent
    assert _rows(lushan, "SELECT count(*) FROM assessments WHERE uid = ?", fixed.uid) == 0
    assert _rows(lushan, "SELECT count(*) FROM assessment_scores WHERE assessment_uid = ?", fixed.uid) == 0
    _send(lushan, city, tmp_path / "up-2.zip")  # the county acknowledges what it received
    assessments.publish(city, fixed.uid, assessments.publish_defaults(city, fixed.uid))
    _send(city, lushan, tmp_path / "down-3.zip", receiver=lushan.node_uid)
    assert [(r.uid, r.status) for r in assessments.list_assessments(lushan)] == [
        (fixed.uid, "published"), (published.uid, "superseded")]
    assert assessments.get(lushan, published.uid).standings == published.standings
    # once published, all of it went, the evidence carried into the correction included
    assert _rows(lushan, "SELECT count(*) FROM assessment_scores WHERE assessment_uid = ?", fixed.uid) == \
        _rows(city, "SELECT count(*) FROM assessment_scores WHERE assessment_uid = ?", fixed.uid) > 0
    carried = [s.uid for s in assessments.get(city, fixed.uid).scores
               if attachments.list_for(city, assessments.ATTACHMENT_OWNER, s.uid)]
    assert carried and all(attachments.list_for(lushan, assessments.ATTACHMENT_OWNER, uid, check_files=True)
                           for uid in carried)


def _rows(ws, sql: str, *params) -> int:
    con = sqlite3.connect(ws.db.path)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()
