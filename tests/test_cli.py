"""The command line goes through the same services; its output is scriptable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.master_list_support import good_row, write_workbook

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT)


def test_init_demo_and_stats(tmp_path):
    db = str(tmp_path / "c.db")
    assert run("--db", db, "init", "--division", "芦山", "--operator", "张晓梅").returncode == 0
    made = run("--db", db, "demo", "--sub-projects", "120")
    assert made.returncode == 0, made.stderr
    stats = json.loads(run("--db", db, "stats", "--json").stdout)
    assert stats["entities"]["sub_projects"] == 120
    assert sum(stats["sub_projects_by_division"].values()) == 120
    assert stats["sub_projects_by_division"]["芦山县"] == 120  # a county laptop's demo is its own county
    again = run("--db", db, "init", "--division", "宝兴县")
    assert again.returncode == 2 and "不能重复设置" in again.stderr


def test_init_refuses_an_unknown_division_and_lists_the_choices(tmp_path):
    result = run("--db", str(tmp_path / "c.db"), "init", "--division", "成都")
    assert result.returncode == 2 and "未知的县（区）：成都" in result.stderr and "芦山县" in result.stderr


def test_import_master_json_dry_run_then_for_real(tmp_path):
    db = str(tmp_path / "c.db")
    run("--db", db, "init", "--division", "芦山县")
    book = write_workbook(tmp_path / "m.xlsx", [good_row(1), good_row(2, **{"总投资（万元）": "abc"})])
    dry = run("--db", db, "import-master", str(book), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    summary = json.loads(dry.stdout)
    assert (summary["created"], summary["updated"], summary["unchanged"], summary["skipped"]) == (1, 0, 0, 0)
    assert summary["rejected"] == [{"row": 3, "column": "总投资（万元）", "value": "abc",
                                    "message": "“总投资（万元）”应为数字（单位：万元），不能是“abc”。"}]
    assert json.loads(run("--db", db, "stats", "--json").stdout)["entities"]["sub_projects"] == 0
    real = json.loads(run("--db", db, "import-master", str(book), "--json").stdout)
    assert real["created"] == 1
    again = json.loads(run("--db", db, "import-master", str(book), "--json").stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)


def test_import_master_of_an_unreadable_file_fails_with_a_message(tmp_path):
    db = str(tmp_path / "c.db")
    run("--db", db, "init", "--division", "芦山县")
    missing = run("--db", db, "import-master", str(tmp_path / "none.xlsx"))
    assert missing.returncode == 1 and "找不到文件" in missing.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("--db", db, "import-master", str(broken), "--json")
    assert result.returncode == 1 and "无法读取文件 broken.xlsx" in result.stderr and result.stdout == ""


def test_export_master_writes_a_workbook_that_imports_back_unchanged(tmp_path):
    db = str(tmp_path / "c.db")
    run("--db", db, "init", "--division", "芦山县")
    rows = [good_row(1), good_row(2, **{"是否示范点": "是", "完工日期": None}),
            good_row(3, **{"总规项目编号": "ZG-002", "总规项目名称": "龙门乡卫生院", "分管领导电话": 13812345678.0})]
    assert json.loads(run("--db", db, "import-master", str(write_workbook(tmp_path / "m.xlsx", rows)),
                          "--json").stdout)["created"] == 3
    out = tmp_path / "导出" / "register.xlsx"
    out.parent.mkdir()
    exported = run("--db", db, "export-master", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "已导出 3 个子项目" in exported.stdout and out.is_file()
    again = json.loads(run("--db", db, "import-master", str(out), "--dry-run", "--json").stdout)
    assert (again["created"], again["updated"], again["unchanged"], again["rejected"]) == (0, 0, 3, [])
    assert (again["master_projects_created"], again["master_projects_updated"]) == (0, 0)
