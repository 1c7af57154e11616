"""Notices (通报): numbers, drafts, the immutability of issued notices, corrections, the PDF."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.errors import AppError, StaleRecord, ValidationError
from app.models import AuditEntry, Notice, NoticeItem, Problem, RecordRevision
from app.reports import notice_pdf
from app.services import divisions, fields, notices, records, sub_projects
from app.services.notices import NoticeLocked
from tests.conftest import sub_project_input

HEADER = {"number": "雅重建委〔2016〕3号", "title": "关于全市灾后恢复重建项目档案工作督导情况的通报",
          "issue_date": "2016-05-12", "issuer": "雅安市芦山地震灾后恢复重建委员会、雅安市档案局",
          "recipients": "各县（区）灾后恢复重建委员会、档案局",
          "preamble": "按照督导方案安排，市重建委、市档案局组成3个督导组进行了督导。现将有关情况通报如下："}


def opinions(ws) -> list[dict]:
    yucheng, lushan = divisions.find_division(ws, "雨城区"), divisions.find_division(ws, "芦山县")
    return [{"division_uid": yucheng.uid, "text": "部分子项目未制定《项目档案收集范围和保管期限表》，请于6月30日前整改。"},
            {"division_uid": lushan.uid, "text": "竣工图未逐张加盖竣工图章，设计变更未在图上标注。"},
            {"division_uid": None, "text": "请各县（区）将整改情况书面报市重建委、市档案局。"}]


def snapshot(ws) -> dict:
    """Everything a refused change could have touched."""
    with ws.db.read() as session:
        return {
            "notices": session.execute(select(Notice.uid, Notice.rev, Notice.status, Notice.number, Notice.title,
                                              Notice.deleted).order_by(Notice.id)).all(),
            "items": session.execute(select(NoticeItem.uid, NoticeItem.rev, NoticeItem.seq, NoticeItem.text,
                                            NoticeItem.deleted).order_by(NoticeItem.id)).all(),
            "revisions": session.scalar(select(func.count()).select_from(RecordRevision)),
            "audit": session.scalar(select(func.count()).select_from(AuditEntry)),
        }


@pytest.fixture
def issued(ws):
    draft = notices.create(ws, HEADER, opinions(ws))
    return notices.issue(ws, draft.uid, draft.rev)


# -- numbers -------------------------------------------------------------------------
@pytest.mark.parametrize("typed, stored", [
    ("雅重建委〔2016〕3号", "雅重建委〔2016〕3号"),
    ("雅重建委[2016]3号", "雅重建委〔2016〕3号"),
    ("雅重建委（2016）3号", "雅重建委〔2016〕3号"),
    ("雅重建委(2016)03号", "雅重建委〔2016〕3号"),
    ("雅重建委 〔2016〕 第3号", "雅重建委〔2016〕3号"),
    ("雅重建委［２０１６］１２号", "雅重建委〔2016〕12号"),
    ("雅重建委〔2016〕3号（更正）", "雅重建委〔2016〕3号（更正）"),
    ("雅重建委[2016]3号(更正2)", "雅重建委〔2016〕3号（更正2）"),
])
def test_numbers_are_stored_in_the_official_form(typed, stored):
    assert notices.parse_number(typed, "文号") == stored


@pytest.mark.parametrize("typed", ["", "雅重建委2016年3号", "〔2016〕3号", "雅重建委〔16〕3号", "雅重建委〔2016〕号",
                                   "雅重建委〔2016〕0号", "雅重建委〔1900〕3号", "雅重建委〔2016〕3"])
def test_malformed_numbers_are_refused_naming_the_field(typed):
    with pytest.raises(fields.FieldError) as caught:
        notices.parse_number(typed, "文号")
    assert "“文号”" in caught.value.message


def test_a_number_is_unique_among_live_notices(ws):
    first = notices.create(ws, HEADER)
    with pytest.raises(ValidationError) as caught:
        notices.create(ws, {**HEADER, "number": "雅重建委[2016]3号", "title": "另一份通报"})
    assert caught.value.field_errors["number"] == (
        "“文号”雅重建委〔2016〕3号 已被通报“关于全市灾后恢复重建项目档案工作督导情况的通报”使用，文号不能重复。")
    notices.update(ws, first.uid, {**HEADER, "title": "改了标题"}, expected_rev=first.rev)  # its own number is fine
    notices.delete(ws, first.uid)
    assert notices.create(ws, {**HEADER, "number": "雅重建委[2016]3号"}).number == "雅重建委〔2016〕3号"


def test_the_year_of_the_number_matches_the_issue_date(ws):
    with pytest.raises(ValidationError) as caught:
        notices.create(ws, {**HEADER, "issue_date": "2015-12-30"})
    assert caught.value.field_errors == {"number": "“文号”中的年份 2016 与“成文日期”（2015-12-30）不一致。"}


def test_required_header_fields_and_empty_opinions_are_named(ws):
    with pytest.raises(ValidationError) as caught:
        notices.create(ws, {"number": "雅重建委〔2016〕4号", "issue_date": ""}, [{"text": "有内容"}, {"text": "  "}])
    errors = caught.value.field_errors
    assert errors["title"] == "“标题”不能为空。" and errors["issuer"] == "“发文机关”不能为空。"
    assert errors["issue_date"] == "“成文日期”不能为空。"
    assert errors["item:2:text"] == "第 2 条意见：“督导意见”不能为空。"
    assert snapshot(ws)["notices"] == []


# -- drafts ------------------------------------------------------------------------
def test_a_draft_s_opinions_are_added_edited_removed_and_reordered(ws):
    draft = notices.create(ws, HEADER, opinions(ws)[:2])
    assert [(i.seq, i.division_name) for i in draft.items] == [(1, "雨城区"), (2, "芦山县")]
    draft = notices.add_item(ws, draft.uid, {"text": "新增的意见"}, position=0)
    assert draft.items[0].text == "新增的意见" and [i.seq for i in draft.items] == [1, 2, 3]
    draft = notices.move_item(ws, draft.items[0].uid, 2)
    assert [i.text for i in draft.items][-1] == "新增的意见"
    draft = notices.update_item(ws, draft.items[-1].uid, {"text": "改过的意见"})
    draft = notices.remove_item(ws, draft.items[0].uid)
    assert [(i.seq, i.division_name, i.text) for i in draft.items] == [(1, "芦山县", opinions(ws)[1]["text"]),
                                                                     (2, "", "改过的意见")]
    # the dialog's way: the whole list at once, matched by uid
    rows = [item.form_values() for item in draft.items][::-1]
    rows[0]["text"] = "先说这一条"
    draft = notices.update(ws, draft.uid, HEADER, [*rows, {"text": "最后一条"}], expected_rev=draft.rev)
    assert [i.text for i in draft.items] == ["先说这一条", opinions(ws)[1]["text"], "最后一条"]
    with pytest.raises(StaleRecord):
        notices.update(ws, draft.uid, HEADER, expected_rev="1-old")


def test_linked_problems_show_their_sub_project_description_and_state(ws, master, lushan):
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    with ws.db.write() as session:
        problem = records.create(session, ws, Problem, {
            "sub_project_uid": sub.uid, "source": "supervision", "category": "as_built",
            "description": "竣工图未加盖竣工图章", "responsible_person": "李建国", "found_on": date(2016, 4, 12),
            "deadline": date(2016, 6, 30), "state": "open", "rectification": "", "rectified_by": "",
            "verification_note": "", "verified_by": ""})
    draft = notices.create(ws, HEADER, [{"division_uid": lushan.uid, "text": "竣工图不规范。",
                                         "problem_uids": [problem.uid, problem.uid]}])
    (linked,) = draft.items[0].problems
    assert draft.items[0].problem_uids == (problem.uid,)
    assert (linked.sub_project_code, linked.sub_project_name, linked.description, linked.state) == (
        "511826-ZG-0001-01", "古城村农房重建一期", "竣工图未加盖竣工图章", "open")
    assert [p.uid for p in notices.problem_choices(ws, division_uid=lushan.uid, keyword="竣工图")] == [problem.uid]
    with pytest.raises(ValidationError) as caught:
        notices.add_item(ws, draft.uid, {"text": "x", "problem_uids": ["no-such-problem"]})
    assert caught.value.field_errors == {"item:2:problem_uids": "第 2 条意见关联的问题中有 1 个已被删除，请重新选择。"}


def test_a_notice_without_opinions_cannot_be_issued(ws):
    draft = notices.create(ws, HEADER)
    with pytest.raises(AppError, match="至少填写一条后才能印发"):
        notices.issue(ws, draft.uid, draft.rev)
    assert notices.get(ws, draft.uid).status == "draft"


# -- issued notices are part of the record ---------------------------------------------
def test_an_issued_notice_refuses_every_edit_and_delete_and_nothing_changes(ws, issued):
    before = snapshot(ws)
    item = issued.items[0]
    attempts = [
        lambda: notices.update(ws, issued.uid, {**HEADER, "title": "改标题"}, expected_rev=issued.rev),
        lambda: notices.update(ws, issued.uid, HEADER, [i.form_values() for i in issued.items[1:]]),
        lambda: notices.delete(ws, issued.uid),
        lambda: notices.add_item(ws, issued.uid, {"text": "补充一条"}),
        lambda: notices.update_item(ws, item.uid, {"text": "改意见"}),
        lambda: notices.remove_item(ws, item.uid),
        lambda: notices.move_item(ws, item.uid, 1),
        lambda: notices.issue(ws, issued.uid),
    ]
    for attempt in attempts:
        with pytest.raises(NoticeLocked) as caught:
            attempt()
        assert caught.value.message.startswith("通报 雅重建委〔2016〕3号 已印发，属于正式记录，不能修改或删除。")
    assert snapshot(ws) == before


def test_a_correction_keeps_both_versions_and_supersedes_on_issue(ws, issued):
    correction = notices.correct(ws, issued.uid)
    assert correction.number == "雅重建委〔2016〕3号（更正）" and correction.status == "draft"
    assert correction.supersedes_uid == issued.uid and correction.supersedes_number == issued.number
    assert [i.text for i in correction.items] == [i.text for i in issued.items]
    assert not {i.uid for i in correction.items} & {i.uid for i in issued.items}
    assert notices.correct(ws, issued.uid).uid == correction.uid  # the correction already begun
    assert notices.get(ws, issued.uid).status == "issued"  # until the correction is issued

    rows = [i.form_values() for i in correction.items]
    rows[1]["text"] = "竣工图未逐张加盖竣工图章。"
    correction = notices.update(ws, correction.uid, correction.form_values(), rows, expected_rev=correction.rev)
    correction = notices.issue(ws, correction.uid, correction.rev)

    old = notices.get(ws, issued.uid)
    assert (old.status, old.superseded_by_number) == ("superseded", "雅重建委〔2016〕3号（更正）")
    assert old.items[1].text == opinions(ws)[1]["text"]  # the old wording is still there
    assert correction.status == "issued"
    with ws.db.read() as session:
        def history(uid):
            return session.execute(select(AuditEntry.action, AuditEntry.note).where(AuditEntry.record_uid == uid)
                                   .order_by(AuditEntry.id)).all()

        def revisions(uid):
            return session.scalars(select(RecordRevision.data).where(RecordRevision.record_uid == uid)
                                   .order_by(RecordRevision.id)).all()
        assert history(issued.uid) == [("create", ""), ("issue", ""),
                                       ("supersede", "由 雅重建委〔2016〕3号（更正） 更正")]
        assert [r["status"] for r in revisions(issued.uid)] == ["draft", "issued", "superseded"]
        assert [a for a, _n in history(correction.uid)] == ["create", "issue"]
        assert [a for a, _n in history(correction.items[1].uid)] == ["create", "update"]
        assert [r["status"] for r in revisions(correction.uid)][-1] == "issued"
    assert {r.number for r in notices.list_notices(ws, year=2016, status="superseded")} == {issued.number}
    assert len(notices.list_notices(ws)) == 2

    with pytest.raises(AppError, match="已被更正"):
        notices.correct(ws, issued.uid)
    with pytest.raises(NoticeLocked, match="已被更正"):
        notices.update(ws, issued.uid, HEADER)
    assert notices.correct(ws, correction.uid).number == "雅重建委〔2016〕3号（更正2）"


def test_listing_by_year_and_status(ws, issued):
    notices.create(ws, {**HEADER, "number": "雅重建委〔2017〕1号", "issue_date": "2017-03-01"})
    assert notices.years(ws) == [2017, 2016]
    assert [(r.number, r.item_count) for r in notices.list_notices(ws, year=2016)] == [(issued.number, 3)]
    assert [r.number for r in notices.list_notices(ws, status="draft")] == ["雅重建委〔2017〕1号"]
    assert notices.defaults(ws, today=date(2017, 5, 1))["number"] == "雅重建委〔2017〕2号"


# -- PDF -----------------------------------------------------------------------------
def test_chinese_numerals_number_the_opinions():
    assert [notice_pdf.chinese_numeral(n) for n in (1, 9, 10, 12, 20, 34, 100, 105, 110)] == [
        "一", "九", "十", "十二", "二十", "三十四", "一百", "一百零五", "一百一十"]


def test_the_pdf_embeds_its_fonts_and_holds_the_number_and_every_opinion(ws, issued, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    path = out / "notice.pdf"
    start = time.perf_counter()
    assert notice_pdf.render_notice(issued, path) == path
    elapsed = time.perf_counter() - start
    assert elapsed < 5  # ~0.1 s with the font load, ~20 ms after
    assert [p.name for p in out.iterdir()] == ["notice.pdf"]  # no partial file left behind

    text = "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)
    assert issued.number in text and "2016年5月12日" in text
    assert "".join(issued.title.split()) in text
    for item in issued.items:
        assert "".join(item.text.split()) in text
    assert "一、雨城区：" in text and "三、请各县" in text

    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = [line.split() for line in lines[2:] if line.strip()]
    assert fonts, "no fonts listed"
    for row in fonts:
        # columns: name type [type] encoding emb sub uni object id; emb is 5th from the end
        assert row[-5] == "yes", f"font not embedded: {row}"


def test_a_draft_prints_with_a_draft_mark(ws):
    draft = notices.create(ws, HEADER, opinions(ws))
    text = "".join(page.extract_text() for page in PdfReader(_bytes_file(notice_pdf.render_notice_bytes(draft))).pages)
    assert "草稿" in text


def _bytes_file(data: bytes):
    import io
    return io.BytesIO(data)
