"""Render a realistic certificate and a failed acceptance's opinion letter to PNGs beside this file.

Run from the repository root: ``python docs/screenshots/make_certificate_pngs.py``.
It works on a throw-away database in a temporary folder and needs ``pdftoppm`` (poppler-utils) and Pillow.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from PIL import Image  # noqa: E402

from app.reports import certificate_pdf, opinion_letter_pdf  # noqa: E402
from app.services import acceptances, certificates, checklists, divisions, master_projects, node, sub_projects  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402

GROUP = [
    {"name": "杨建华", "unit_kind": "reconstruction_committee", "unit_name": "雅安市芦山地震灾后恢复重建委员会",
     "role": "leader", "vote": "agree"},
    {"name": "陈丽", "unit_kind": "archives_bureau", "unit_name": "雅安市档案局", "role": "deputy", "vote": "agree"},
    {"name": "刘强", "unit_kind": "finance_bureau", "unit_name": "芦山县财政局", "vote": "agree"},
    {"name": "周敏", "unit_kind": "development_commission", "unit_name": "芦山县发展和改革局", "vote": "agree"},
    {"name": "吴刚", "unit_kind": "housing_bureau", "unit_name": "芦山县住房和城乡规划建设局", "vote": "agree"},
    {"name": "赵晓燕", "unit_kind": "archives_bureau", "unit_name": "芦山县档案局", "vote": "agree"},
    {"name": "孙志远", "unit_kind": "other", "unit_name": "龙门乡人民政府", "vote": "disagree"},
]


def _scores(template, *, minus: dict[str, float], failed: set[str] = frozenset()) -> dict:
    return {i.uid: ({"passed": i.code not in failed} if i.kind == "pass_fail" else
                    {"self_score": str(i.max_score), "group_score": str(i.max_score - minus.get(i.code, 0))})
            for i in template.items}


def populate(ws: Workspace) -> tuple[str, str]:
    """A passed acceptance (with its certificate) and a failed one; returns their uids."""
    lushan = divisions.find_division(ws, "芦山县")
    node.setup_node(ws, division_uid=lushan.uid, operator="张晓梅")
    template = checklists.get(ws, checklists.ensure_default(ws))
    master = master_projects.create(ws, {
        "plan_code": "511826-ZG-0001", "name": "芦山县龙门乡古城村农房及配套设施重建", "division_uid": lushan.uid,
        "sector": "城乡住房", "owner_unit": "龙门乡人民政府", "investment": "1200"})
    done = []
    for code, name, minus, failed in (
            ("511826-ZG-0001-01", "古城村农房重建一期（含村道及排水工程）", {"1.4": 1, "2.4": 2.5, "2.9": 0.5, "3.2": 1}, set()),
            ("511826-ZG-0001-02", "古城村便民服务中心", {"2.4": 4, "2.7": 3, "2.13": 1.5}, {"2.8"})):
        sub = sub_projects.create(ws, {
            "code": code, "name": name, "division_uid": lushan.uid, "master_project_uid": master.uid,
            "sector": "城乡住房", "owner_unit": "芦山县龙门乡人民政府", "start_date": "2014-03-01",
            "finish_date": "2015-06-30", "construction_status": "completed"})
        a = acceptances.create(ws, sub.uid, {
            "acceptance_date": "2016-05-10", "application_date": "2016-04-26", "total_volumes": "125",
            "sampled_volumes": "11", "total_drawings": "310", "sampled_drawings": "32", "accepted_volumes": "126",
            "accepted_items": "1840", "accepted_drawings": "312",
            "opinion": "项目档案收集较齐全，整理较规范，竣工图编制基本符合要求。" if not failed else
                       "项目未编制竣工图，施工记录和隐蔽工程验收文件缺漏较多。"})
        acceptances.set_members(ws, a.uid, GROUP)
        acceptances.set_scores(ws, a.uid, _scores(template, minus=minus, failed=failed))
        if failed:
            acceptances.conclude(ws, a.uid, rectification_deadline="2016-08-10", opinions=[
                "按规范补编全部竣工图，加盖竣工图章并由编制、审核、监理人员签字",
                "补齐主体结构隐蔽工程验收记录及监理日志（2014年9月至12月）",
                "重新编制案卷目录，规范卷内备考表的填写"])
        else:
            acceptances.conclude(ws, a.uid)
        done.append(a.uid)
    return done[0], done[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "archive.db")
        try:
            passed, failed = populate(ws)
            [cert] = certificates.for_acceptance(ws, passed)
            certificate_pdf.render_certificate(cert, Path(tmp) / "certificate.pdf")
            data = opinion_letter_pdf.opinion_letter_data(ws, failed)
            opinion_letter_pdf.render_opinion_letter(data, Path(tmp) / "opinion-letter.pdf")
        finally:
            ws.close()
        folder = Path(tmp)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(folder / "certificate.pdf"),
                        str(folder / "certificate")], check=True)
        shutil.copy(folder / "certificate.png", HERE / "certificate.png")
        # the letter of a fail runs to two pages: show them side by side (the rectification is on page 2)
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(folder / "opinion-letter.pdf"), str(folder / "letter")],
                       check=True)
        pages = [Image.open(path) for path in sorted(folder.glob("letter-*.png"))]
        sheet = Image.new("RGB", (sum(p.width for p in pages) + 12 * (len(pages) + 1), pages[0].height + 24), "#9a9a9a")
        for n, page in enumerate(pages):
            sheet.paste(page, (12 + n * (page.width + 12), 12))
        sheet.save(HERE / "opinion-letter.png", optimize=True)
        print(HERE / "certificate.png", HERE / "opinion-letter.png")

if __name__ == "__main__":
    main()
