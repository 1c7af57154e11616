"""Render a realistic supervision notice (通报) to ``notice-pdf.png`` (first page) beside this file.

Run from the repository root: ``python docs/screenshots/make_notice_pdf.py [--keep-pdf]``.
It works on a throw-away database in a temporary folder and needs ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from app.reports import notice_pdf  # noqa: E402
from app.services import divisions, node, notices  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402

HEADER = {
    "number": "雅重建委[2016]3号",  # typed with square brackets; stored with 〔〕
    "title": "关于全市灾后恢复重建项目档案工作督导情况的通报",
    "issue_date": "2016-05-12",
    "issuer": "雅安市芦山地震灾后恢复重建委员会、雅安市档案局",
    "recipients": "各县（区）灾后恢复重建委员会、档案局，芦天宝飞地产业园区管委会，市级有关部门",
    "preamble": (
        "为全面掌握全市灾后恢复重建项目档案工作进展情况，按照《雅安市灾后恢复重建项目档案工作专项督导方案》安排，"
        "2016年4月11日至22日，市重建委、市档案局组成3个督导组，由市档案局领导带队，分片区、分行业对8个县（区）"
        "和芦天宝飞地产业园区的重建项目档案工作进行了拉网式督导，共抽查重建子项目216个。\n"
        "从督导情况看，各县（区）、各部门对首轮督导通报指出的问题进行了认真整改，项目档案与工程建设同步安排、"
        "同步检查、同步归档的工作格局基本形成，但仍有部分项目档案工作滞后于工程进度。现将有关情况通报如下："
    ),
}

OPINIONS = [
    ("雨城区", "项目档案工作领导小组和专兼职档案人员已落实，但抽查的24个子项目中有6个未按要求制定《项目档案收集"
               "范围和保管期限表》，部分施工合同未明确项目档案管理条款。请于2016年6月30日前完成整改。"),
    ("名山区", "部分已完工项目竣工图编制不规范，未逐张加盖竣工图章，设计变更内容未在图上标注，"
               "竣工图与工程实际不符。请项目业主督促施工单位重新编制，经监理单位审核后归档。"),
    ("荥经县", "施工记录、隐蔽工程验收记录和监理日志收集不齐全，个别项目以复印件代替原件归档。"),
    ("汉源县", "声像档案收集不及时，开工、主体完工等关键节点和隐蔽工程照片缺少文字说明，未按要求整理归档。"),
    ("石棉县", "档案整理不规范，案卷题名不能准确反映卷内文件内容，卷内目录与文件不一致，部分案卷未编页号。"),
    ("天全县", "档案保管条件较差，部分项目档案存放在施工现场临时板房内，防火、防潮、防盗措施不到位。"),
    ("芦山县", "首轮督导通报问题整改到位率较高，建立了问题台账并实行销号管理；但仍有部分项目的质量验收记录"
               "签字盖章不全，请在竣工验收前补齐。"),
    ("宝兴县", "部分项目业主单位档案人员变动频繁，交接手续不完备，存在文件散失的风险。"),
    ("芦天宝飞地产业园区", "入园企业重建项目档案工作起步较晚，部分企业尚未明确分管领导和档案人员。"),
    ("", "各县（区）、各部门要进一步提高认识，把项目档案工作纳入重建项目管理的全过程，做到项目档案管理与工程"
         "实施同步安排、同步布置、同步检查、同步归档、同步验收。"),
    ("", "对本次督导发现的问题，各县（区）要建立问题清单，明确责任人，规定整改时限，逐项整改销号。"
         "对工作开展不力、进度滞后的单位，将扣减年度目标考核分值，并在市重建委项目工作例会上通报。"),
    ("", "请各县（区）于2016年6月30日前将整改情况书面报市重建委、市档案局。市档案局将于7月启动第二轮专项督导，"
         "对本通报所列问题的整改落实情况进行重点复查。"),
]


def main() -> None:
    keep_pdf = "--keep-pdf" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "archive.db")
        city = divisions.find_division(ws, "雅安市")
        node.setup_node(ws, division_uid=city.uid, operator="陈丽")
        items = [{"division_uid": divisions.find_division(ws, name).uid if name else None, "text": text}
                 for name, text in OPINIONS]
        draft = notices.create(ws, HEADER, items)
        detail = notices.issue(ws, draft.uid, draft.rev)
        pdf = Path(tmp) / "notice.pdf"
        times = []
        for _run in range(5):
            start = time.perf_counter()
            notice_pdf.render_notice(detail, pdf)
            times.append(time.perf_counter() - start)
        print(f"{detail.number}: {len(detail.items)} opinions, {pdf.stat().st_size:,} bytes, "
              f"render {min(times) * 1000:.0f} ms (min of 5; first {times[0] * 1000:.0f} ms incl. font load)")
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(HERE / "notice-pdf")],
                       check=True)
        if keep_pdf:
            shutil.copy(pdf, HERE / "notice.pdf")
        ws.close()
    print(HERE / "notice-pdf.png")


if __name__ == "__main__":
    main()
