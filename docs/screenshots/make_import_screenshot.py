"""Render the import preview (new, changed and rejected rows) to ``import-preview.png`` beside this file.

Run once from the repository root: ``QT_QPA_PLATFORM=offscreen python docs/screenshots/make_import_screenshot.py``.
It works on a throw-away database and workbooks in a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import openpyxl  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services import divisions, node  # noqa: E402
from app.services.master_list.importer import commit_import, plan_import  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.fonts import install_ui_font  # noqa: E402
from app.ui.master_list.import_dialog import ImportDialog  # noqa: E402
from app.ui.worker import wait_for_workers  # noqa: E402

HEADERS = ["序号", "县（区）", "总规项目编号", "总规项目名称", "子项目编号", "子项目名称", "行业（领域）",
           "项目业主（责任单位）", "总投资（万元）", "开工日期", "完工日期", "档案人员", "档案人员电话", "填表人"]
ROAD = ("511826-ZG-0012", "芦山县龙门乡道路交通恢复重建")
SCHOOL = ("511826-ZG-0031", "芦山县中小学校舍恢复重建")
HOUSING = ("511826-ZG-0047", "芦山县城乡住房重建")
HEALTH = ("511826-ZG-0063", "芦山县医疗卫生服务体系恢复重建")
OWNERS = {ROAD: ("交通", "芦山县交通运输局"), SCHOOL: ("教育", "芦山县教育局"),
          HOUSING: ("城乡住房", "芦山县住房和城乡规划建设局"), HEALTH: ("医疗卫生", "芦山县卫生和计划生育局")}


def _row(master, number: int, name: str, investment, start, finish, archivist="王芳",
         phone="13881612345", division="芦山县", master_name: str | None = None) -> list:
    sector, owner = OWNERS[master]
    return [None, division, master[0], master_name or master[1], f"{master[0]}-{number:02d}", name, sector, owner,
            investment, start, finish, archivist, phone, "张晓梅"]


def _first_version() -> list[list]:
    return [
        _row(ROAD, 1, "龙门乡红星村通村道路", 320.5, date(2014, 5, 20), date(2015, 6, 30)),
        _row(ROAD, 2, "龙门乡古城村跨河桥梁", 1200, date(2014, 6, 1), date(2015, 8, 31)),
        _row(SCHOOL, 1, "芦山中学教学楼", 4260, date(2014, 3, 10), date(2016, 1, 20), "李娜", "0835-6522123"),
        _row(SCHOOL, 2, "飞仙关镇中心小学", 1850, date(2014, 4, 1), date(2015, 9, 1), "李娜", "0835-6522123"),
        _row(HOUSING, 1, "芦阳镇黎明村农房统规统建", 2380, date(2014, 2, 15), date(2015, 5, 30), "陈静", "13990712345"),
    ]


def _second_version() -> list[list]:
    rows = _first_version()
    rows[1][8] = 1380  # the bridge's investment was revised
    rows[2][11:13] = ["赵敏", "13981623456"]  # the school changed archivists
    rows[4][10] = date(2015, 10, 31)  # housing finished later than planned
    rows += [
        _row(ROAD, 3, "龙门乡青龙场村产业道路", 465, date(2014, 7, 1), date(2015, 7, 15)),
        _row(ROAD, 4, "龙门乡隆兴村便民桥", 188.6, date(2014, 8, 12), date(2015, 3, 31)),
        _row(SCHOOL, 3, "宝盛乡中心小学综合楼", 960, date(2014, 5, 6), date(2015, 8, 20), "李娜", "0835-6522123"),
        _row(SCHOOL, 4, "清仁乡九年制学校", 2210, "2014.9.1", "2016年6月30日", "李娜", "0835-6522123"),
        _row(HOUSING, 2, "思延乡铜头村农房重建", "1,560", date(2014, 3, 1), date(2015, 6, 30), "陈静", "13990712345"),
        _row(HOUSING, 3, "双石镇围塔村农房重建", 1320, date(2014, 3, 20), date(2015, 7, 31), "陈静", "13990712345"),
        _row(HEALTH, 1, "芦山县人民医院门诊综合楼", 6850, date(2014, 6, 18), date(2016, 3, 31), "周丽", "0835-6523210"),
        [None] * len(HEADERS),
        _row(HOUSING, 4, "大川镇杨家村农房重建", "约900", date(2014, 4, 1), date(2015, 9, 30), "陈静"),
        _row(HOUSING, 5, "太平镇胜利村农房重建", 760, date(2015, 6, 1), date(2014, 12, 31), "陈静",
             division="芦三县"),
        _row(ROAD, 5, "龙门乡五星村道路", 540, date(2015, 1, 5), date(2015, 12, 31)),
    ]
    rows[-1][7] = None  # no owner unit: a required field
    for index, row in enumerate(rows, start=1):
        if any(cell is not None for cell in row):
            row[0] = index
    return rows


def _workbook(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "子项目清单"
    sheet.append(["芦山县“4·20”地震灾后恢复重建总规项目及子项目清单"])
    sheet.append(["填报单位：芦山县档案局", None, None, None, None, None, None, None, None, None, None, None,
                  "填报日期：2014年10月"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install_ui_font(app)
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "archive.db")
        try:
            node.setup_node(ws, division_uid=divisions.find_division(ws, "芦山县").uid, operator="张晓梅")
            first = _workbook(Path(folder) / "芦山县总规表-2014年9月.xlsx", _first_version())
            commit_import(ws, plan_import(ws, first))
            dialog = ImportDialog(ws, _workbook(Path(folder) / "芦山县总规表-2014年10月.xlsx", _second_version()))
            dialog.show()
            while dialog.plan is None and dialog.isVisible():
                app.processEvents()
            dialog.resize(1000, 560)
            dialog.tabs.setCurrentIndex(2)  # the rejected rows, tinted, with their reasons
            app.processEvents()
            path = HERE / "import-preview.png"
            dialog.grab().save(str(path))
            print(path)
            dialog.close()
            wait_for_workers()
        finally:
            ws.close()


if __name__ == "__main__":
    main()
