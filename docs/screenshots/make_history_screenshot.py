"""Screenshot of the history of a corrected problem: python docs/screenshots/make_history_screenshot.py

Writes ``history-problem.png``: a problem found on a visit, rectified (with a photo as
evidence), verified, then corrected with a reason; the correction in amber, old and new
value side by side. Works on a throw-away database in a temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, lushan_sub_project, open_node, start_app

from PySide6.QtGui import QColor, QImage  # noqa: E402

from app.services import attachments, problems, visits  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.dialogs.history_dialog import HistoryDialog  # noqa: E402


def _corrected_problem(ws: Workspace, folder: Path) -> str:
    sub = lushan_sub_project(ws)
    visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅、王芳",
                                "unit_people": "李建国", "content": "检查竣工图编制和签字盖章"},
                  [{"category": "as_built", "description": "竣工图未逐张加盖竣工图章",
                    "responsible_person": "李建国", "deadline": "2015-04-30"}])
    [problem] = problems.for_sub_project(ws, sub.uid)
    problems.rectify(ws, problem.uid, rectification="已逐张补盖竣工图章并由监理复核", rectified_by="李建国",
                     rectified_on="2015-04-12")
    photo = folder / "补盖竣工图章.png"
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#d8e4ef"))
    image.save(str(photo))
    attachments.attach(ws, owner_entity="problems", owner_uid=problem.uid, source=photo, role="evidence")
    verified = problems.verify(ws, problem.uid, passed=True, note="已抽查 20 张，整改到位", verified_on="2015-04-20")
    raw = {"category": "signature", "description": "竣工图未逐张加盖竣工图章，编制人、审核人未签字",
           "responsible_person": "李建国（项目业主）", "found_on": "2015-03-02", "deadline": "2015-04-30"}
    problems.correct(ws, problem.uid, raw, reason="原记录漏记签字问题，依据 3 月 2 日现场检查记录更正",
                     expected_rev=verified.rev)
    return problem.uid


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(tmp)
        ws = open_node(Path(tmp) / "demo.db", "芦山县")
        try:
            uid = _corrected_problem(ws, Path(tmp))
            dialog = HistoryDialog(ws, uid, entity="problems")
            dialog.resize(1280, 520)
            dialog.show()
            app.processEvents()
            path = OUT / "history-problem.png"
            dialog.grab().save(str(path))
            print(path)
            dialog.close()
        finally:
            ws.close()


if __name__ == "__main__":
    main()
