"""The printed notice names each opinion's division once, whatever the opinion's text begins with."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.reports import notice_pdf
from app.services import divisions, notices

HEADER = {"number": "雅重建委〔2016〕2号", "title": "关于全市灾后恢复重建项目档案工作第二轮督导情况的通报",
          "issue_date": "2016-03-10", "issuer": "雅安市灾后恢复重建委员会、雅安市档案局",
          "recipients": "各县（区）灾后恢复重建委员会、档案局", "preamble": "现将督导情况通报如下："}


def _text(detail) -> str:
    pdf = PdfReader(io.BytesIO(notice_pdf.render_notice_bytes(detail)))
    return "".join("".join(page.extract_text().split()) for page in pdf.pages)


def test_an_opinion_typed_with_its_division_in_front_prints_the_division_once(ws) -> None:
    mingshan, yucheng, park = (divisions.find_division(ws, name) for name in ("名山区", "雨城区", "芦天宝飞地产业园区"))
    draft = notices.create(ws, HEADER, [
        {"division_uid": mingshan.uid, "text": "名山区：部分项目竣工图未加盖竣工图章，请于4月10日前整改。"},
        {"division_uid": yucheng.uid, "text": "  雨城区 : 问题台账建立规范、整改销号及时。"},
        {"division_uid": park.uid, "text": "入园企业重建项目档案工作起步较晚。"},
        # another division's name in front is what the user wrote: kept
        {"division_uid": mingshan.uid, "text": "雨城区：经验值得学习借鉴。"},
        {"division_uid": None, "text": "名山区：请将整改情况书面报市档案局。"},
    ])
    text = _text(notices.issue(ws, draft.uid, draft.rev))
    assert "一、名山区：部分项目竣工图未加盖竣工图章" in text
    assert "二、雨城区：问题台账建立规范" in text
    assert "三、芦天宝飞地产业园区：入园企业" in text
    assert "四、名山区：雨城区：经验值得学习借鉴。" in text
    # an opinion for no division has no head to repeat: its text prints as typed
    assert "五、名山区：请将整改情况" in text
    assert "名山区：名山区：" not in text and "雨城区：雨城区" not in text
    assert text.count("名山区：") == 3 and text.count("雨城区：") == 2


@pytest.mark.parametrize("typed, printed", [
    ("名山区：文件不齐全。", "文件不齐全。"),
    ("名山区:文件不齐全。", "文件不齐全。"),
    ("\n名山区 ：\n文件不齐全。\n请整改。", "文件不齐全。\n请整改。"),
    ("名山区档案局：文件不齐全。", "名山区档案局：文件不齐全。"),
    ("名山区文件不齐全。", "名山区文件不齐全。"),
    ("文件不齐全，名山区：整改。", "文件不齐全，名山区：整改。"),
])
def test_only_a_leading_division_and_colon_is_left_out(typed, printed) -> None:
    assert notice_pdf.opinion_body("名山区", typed) == printed
