"""The assessment's PDF notice and its command line: what a reader of the notice sees."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.errors import AppError
from app.reports import assessment_pdf, registry
from app.services import assessments
from tests.assessment_support import assessed_template, city  # noqa: F401  (fixtures)
from tests.assessment_support import AS_OF, PUBLICATION, score_manual_items

ROOT = Path(__file__).resolve().parents[1]


def _text(data: bytes) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _published(ws):
    view = assessments.compute(ws, 2016, as_of=AS_OF)
    score_manual_items(ws, view, {("宝兴县", "1.1"): (3, "领导小组未纳入年度目标考核")})
    return assessments.publish(ws, view.uid, PUBLICATION)


def test_the_notice_holds_the_ranking_each_deduction_and_its_data(city, tmp_path):
    _published(city)
    path = registry.run(city, "assessment", year=2016, out_path=tmp_path / "通报")
    assert path.suffix == ".pdf"
    pages = _text(path.read_bytes())
    first = "".join(pages[:3])
    assert "雅重建委〔2017〕2号" in first and "关于2016年度灾后恢复重建项目档案工作考核结果的通报" in first
    # the ranking, in order: six counties with no deduction but training and packages, then these
    assert "7芦山县79.7320.27合格" in first and "8宝兴县7822合格" in first and "9天全县5347不合格" in first
    assert first.index("芦山县79.73") < first.index("宝兴县78") < first.index("天全县53")
    assert "附件：1.2016年度考核扣分明细" in first and "2017年1月20日" in first
    annex = "".join(pages[3:])
    assert "芦山县：得分79.73，扣分20.27（名次7，合格）" in annex
    assert "子项目A1：文件收集不全（整改时限2016-06-30）" in annex  # the record behind 4.1
    assert "理由：领导小组未纳入年度目标考核" in annex
    assert "考核基准日：2016-12-31" in annex and "芦山县11个" in annex and "天全县12个" in annex


def test_the_font_is_embedded(city, tmp_path):
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils not installed")
    _published(city)
    path = assessment_pdf.write_assessment(city, 2016, tmp_path / "n.pdf")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)


def test_a_draft_prints_only_as_a_draft_and_the_report_needs_a_published_result(city, tmp_path):
    view = assessments.compute(city, 2016, as_of=AS_OF)
    assert "草稿" in "".join(_text(assessment_pdf.render_bytes(view))[:1])
    with pytest.raises(AppError, match="还没有发布的考核结果"):
        registry.run(city, "assessment", year=2016, out_path=tmp_path / "n.pdf")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT)


def test_assess_on_the_command_line(city, tmp_path):
    db = str(city.db.path)
    city.close()
    result = run("--db", db, "assess", "--year", "2016", "--as-of", "2016-12-31", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    counties = [r["name"] for r in figures["ranking"] if r["kind"] == "division"]
    assert figures["status"] == "draft" and counties[-2:] == ["芦山县", "天全县"]
    overdue = next(s for s in figures["scores"] if s["subject"] == "天全县" and s["code"] == "4.1")
    assert overdue["deduction"] == 15 and len(overdue["records"]) == 16
    refused = run("--db", db, "assess", "--year", "2016", "--publish")
    assert refused.returncode == 1 and "人工评分未完成" in refused.stderr
    text = run("--db", db, "assess", "--year", "2016")
    assert text.returncode == 0 and "天全县" in text.stdout and "4.1 -15" in text.stdout


def test_a_county_gets_a_trial_run_and_cannot_publish(tmp_path):
    db = str(tmp_path / "county.db")
    assert run("--db", db, "init", "--division", "芦山县").returncode == 0
    trial = run("--db", db, "assess", "--year", "2016", "--json")
    assert trial.returncode == 0, trial.stderr
    assert json.loads(trial.stdout)["status"] == "preview"
    assert [r["name"] for r in json.loads(trial.stdout)["ranking"]] == ["芦山县"]
    refused = run("--db", db, "assess", "--year", "2016", "--publish")
    assert refused.returncode == 1 and "只有市档案局可以发布" in refused.stderr
