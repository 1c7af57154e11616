"""The statistics workbook (统计报表) holds the hand-counted figures, laid out for print;
``report`` writes it (and any registered report) from the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.errors import NotFound
from app.reports import registry
from app.reports.statistics_xlsx import write_statistics
from tests.dashboard_support import HAND_COUNT, TODAY

ROOT = Path(__file__).resolve().parents[1]


def read(path: Path, title: str) -> tuple[dict[str, dict[str, object]], list[list[object]], object]:
    """Rows of a sheet by their first-column label, keyed by "group / column" headers."""
    book = load_workbook(path, data_only=True)
    sheet = book[title]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    top, sub = cells[3], cells[4]
    headers, group = [], ""
    for col, (upper, lower) in enumerate(zip(top, sub)):
        group = upper or (group if col >= 2 else "")
        headers.append(f"{group}/{lower}" if lower else upper)
    rows = {}
    for line in cells[5:]:
        label = line[1] if line[1] is not None else line[0]
        if label is None or str(label).startswith(("统计口径", "数据来源", "已合并")) or str(label)[:2] in (
                "1.", "2.", "3.", "4.", "5."):
            continue
        rows[str(label)] = dict(zip(headers, line))
    return rows, cells, sheet


def test_the_county_sheet_holds_the_hand_counted_figures_of_the_year(city_ws, tmp_path):
    path = write_statistics(city_ws, 2016, tmp_path / "统计.xlsx", today=TODAY)
    rows, cells, sheet = read(path, "按县（区）")
    lushan, baoxing, yucheng = rows["芦山县"], rows["宝兴县"], rows["雨城区"]
    register = "重建子项目（登记在册）"
    assert (lushan[f"{register}/个数"], lushan[f"{register}/总投资（万元）"], lushan[f"{register}/示范点"]) == (
        2, 456.5, 1)
    assert lushan["建设状态（当前）/在建"] == 1 and baoxing["建设状态（当前）/已完工"] == 1
    progress = "档案工作进度（截至年末累计）"
    assert [r[f"{progress}/已现场指导"] for r in (lushan, baoxing, yucheng)] == [2, 1, 1]
    assert [r[f"{progress}/验收合格"] for r in (lushan, baoxing, yucheng)] == [1, 1, 0]
    assert [r[f"{progress}/有效合格证书"] for r in (lushan, baoxing, yucheng)] == [1, 1, 0]
    found = "问题（本年度发现）"
    # 2016: 芦山 A2's overdue one; 宝兴 the failed acceptance's opinion; 雨城 two from the visit and one opinion
    assert [yucheng[f"{found}/{k}"] for k in ("发现", "待整改", "其中超期", "已整改", "已复查")] == [3, 2, 1, 1, 0]
    assert [lushan[f"{found}/{k}"] for k in ("发现", "待整改", "其中超期", "已整改", "已复查")] == [1, 1, 1, 0, 0]
    assert [baoxing[f"档案验收（本年度）/{k}"] for k in ("合格", "不合格")] == [1, 1]
    assert rows["雅安市（市本级）"]["培训（本年度）/人次"] == 75 and lushan["培训（本年度）/次数"] == 1
    assert yucheng["培训（本年度）/次数"] == 0  # its training was in 2015
    total = rows["合计"]
    assert total[f"{register}/个数"] == sum(c["sub_projects"] for c in HAND_COUNT.values()) == 5
    assert total[f"{register}/总投资（万元）"] == pytest.approx(786.5)
    assert (total[f"{found}/发现"], total["培训（本年度）/人次"]) == (5, 95)
    # the layout: title, unit line, two frozen header rows, A4 landscape fitted to the width
    assert cells[0][0] == "雅安市2016年度灾后恢复重建项目档案工作统计表"
    assert cells[2][0].startswith("填报单位：雅安市档案局") and "填报日期：2016-06-01" in cells[2][0]
    assert sheet.freeze_panes == "C6"
    assert "A1:S1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    # fit to one page wide (Excel's default of 1 is left out of the file), as many tall as it takes
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1)
    assert sheet.page_setup.fitToHeight == 0
    notes = [line[0] for line in cells if line[0] and str(line[0]).startswith(("2.", "数据来源", "已合并"))]
    assert "截至 2016 年 12 月 31 日的累计数" in notes[0]
    assert notes[1].startswith("数据来源：雅安市本机数据库") and notes[2] == "已合并的数据包：无（只含本机录入的数据）。"


def test_the_sector_sheet_and_an_earlier_year(city_ws, tmp_path):
    path = write_statistics(city_ws, 2015, tmp_path / "统计2015.xlsx", today=TODAY)
    rows, _cells, _sheet = read(path, "按行业（领域）")
    assert set(rows) == {"城乡住房", "基础设施", "公共服务", "合计"}
    housing = rows["城乡住房"]
    # 2015: A1's four problems (one overdue on 2016-06-01, one not yet due), nothing accepted yet
    assert housing["重建子项目（登记在册）/个数"] == 1
    assert [housing[f"问题（本年度发现）/{k}"] for k in ("发现", "待整改", "其中超期", "已整改", "已复查")] == [
        4, 2, 1, 1, 1]
    assert housing["档案工作进度（截至年末累计）/验收合格"] == 0
    assert rows["基础设施"]["档案工作进度（截至年末累计）/已现场指导"] == 1
    assert rows["公共服务"]["档案工作进度（截至年末累计）/已现场指导"] == 0
    assert "培训（本年度）/次数" not in rows["合计"]  # trainings have no sector


def test_the_report_command_lists_the_reports_and_writes_one(city_db, tmp_path):
    db = tmp_path / "city.db"
    shutil.copy(city_db, db)
    helped = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "report", "--help"], capture_output=True,
                            text=True, cwd=ROOT)
    assert helped.returncode == 0 and "statistics" in helped.stdout and "统计报表" in helped.stdout
    out = tmp_path / "统计.xlsx"
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "report", "statistics", "--year", "2016",
                           "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "已输出报表 statistics（2016 年度）" in done.stdout
    rows, _cells, _sheet = read(out, "按县（区）")
    assert rows["宝兴县"]["档案验收（本年度）/不合格"] == 1
    unknown = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "report", "nothing", "--year", "2016",
                              "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert unknown.returncode == 2 and "statistics" in unknown.stderr


def test_the_registry_names_each_report_once_and_adds_the_suffix(city_ws, tmp_path):
    assert len(registry.names()) == len(set(registry.names())) and "statistics" in registry.names()
    written = registry.run(city_ws, "statistics", year=2016, out_path=tmp_path / "统计")
    assert written.suffix == ".xlsx" and written.exists()
    with pytest.raises(NotFound):
        registry.get("nothing")


def test_the_report_names_the_packages_the_city_merged(tmp_path):
    from app.services import packages
    from tests.sync_support import enrol_each_other, make_node, register

    county, city = make_node(tmp_path, "lushan", "芦山县"), make_node(tmp_path, "city", "雅安市")
    try:
        enrol_each_other(county, city)
        register(county, "511826-ZG-0001-01")
        for n in (1, 2):
            packages.export_package(county, tmp_path / f"p{n}.zip")
            packages.import_package(city, tmp_path / f"p{n}.zip")
            register(county, f"511826-ZG-0001-0{n + 1}")
        path = write_statistics(city, 2016, tmp_path / "统计.xlsx", today=TODAY)
    finally:
        county.close()
        city.close()
    _rows, cells, _sheet = read(path, "按县（区）")
    merged = next(line[0] for line in cells if line[0] and str(line[0]).startswith("已合并的数据包"))
    assert "芦山县第 2 号" in merged and "共 2 个" in merged
