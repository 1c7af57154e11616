"""``--self-test``: what the bundle's CI step runs, here from source in a subprocess (~4 s)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reportlab.pdfgen import canvas

from app import selftest

ROOT = Path(__file__).resolve().parents[1]


def test_main_py_self_test_passes_without_a_display_and_writes_its_report(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    report = tmp_path / "自检报告.txt"  # a Chinese path, as on a county laptop
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-test", "--report", str(report)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    passed = [line for line in lines if line.startswith("[通过]")]
    assert len(passed) > len(selftest.CORE_STEPS), result.stdout  # the interface's steps ran too
    assert not [line for line in lines if line.startswith("[失败]")]
    assert lines[-1].startswith(f"自检通过：{len(passed)} 项")
    for expected in ("结构版本", "已签发证书", "字体全部嵌入", "WenQuanYi", "qtbase_zh_CN.qm", "用户指南"):
        assert expected in result.stdout, expected
    assert report.read_text(encoding="utf-8").splitlines() == lines


def test_a_failing_step_stops_the_run_with_its_reason():
    said: list[str] = []

    def broken(_ctx):
        raise selftest.SelfTestFailed("the font is missing")

    def never(_ctx):
        raise AssertionError("must not run after a failure")

    code = selftest.run([("first", broken), ("second", never)], say=said.append)
    assert code == 1
    assert "[失败] first：the font is missing" in said and said[-1] == "自检未通过。"


def test_an_unexpected_error_is_reported_with_its_traceback():
    said: list[str] = []
    code = selftest.run([("boom", lambda _ctx: 1 / 0)], say=said.append)
    assert code == 1
    assert any("ZeroDivisionError" in line for line in said) and any("Traceback" in line for line in said)


def test_the_pdf_check_sees_a_font_that_is_not_embedded(tmp_path):
    path = tmp_path / "plain.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("Helvetica", 12)  # one of the 14 standard fonts: referenced, never embedded
    pdf.drawString(72, 720, "SELFTEST")
    pdf.save()
    found = selftest.inspect_pdf(path)
    assert found["pages"] == 1 and "SELFTEST" in found["text"]
    assert found["not_embedded"] == ["Helvetica"]
    assert 0 < found["ink"] < 0.05
