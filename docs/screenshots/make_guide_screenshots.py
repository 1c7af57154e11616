"""Screenshots the user guide needs beyond the others: python docs/screenshots/make_guide_screenshots.py

Writes ``visit-dialog.png`` (a new guidance visit with two problems), ``supervision.png``,
``notices.png`` and ``trainings.png`` (the city's pages over demo data), ``help-window.png``
(the guide at its field-work page), ``about.png`` and ``about-licences.png`` (帮助 > 关于), from a
throw-away city database in a temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.services import divisions, enrolment, sub_project_search  # noqa: E402
from app.services.sub_project_search import SubProjectFilter  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.field_work.problem_rows import KEYS  # noqa: E402
from app.ui.field_work.visit_dialog import VisitDialog  # noqa: E402
from app.ui.help.about_dialog import AboutDialog  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402


PROBLEMS = [
    ("collection", "监理日志缺 2015 年 3 月至 5 月，未归档", "2016-07-15"),
    ("signature", "隐蔽工程验收记录无监理签字", "2016-06-30"),
    ("as_built", "竣工图未加盖竣工图章", "2016-07-15"),
]


def _save(widget: QWidget, name: str) -> None:
    widget.show()
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def _visit_dialog(ws: Workspace) -> None:
    ids = sub_project_search.search_ids(ws, SubProjectFilter(division_uid=divisions.find_division(ws, "芦山县").uid))
    uid = sub_project_search.fetch_rows(ws, ids[:1])[ids[0]].uid
    dialog = VisitDialog(ws, uid)
    dialog.visit_date.setText("2016-05-18")
    dialog.archivists.setText("张晓梅、李娟")
    dialog.content.setPlainText("检查施工、监理文件的收集和整理情况，指导按保管期限表分类组卷。")
    model = dialog.problems
    for category, description, deadline in PROBLEMS:
        row = model.add_row(None)
        model.setData(model.index(row, KEYS.index("category")), category, Qt.ItemDataRole.EditRole)
        model.setData(model.index(row, KEYS.index("description")), description, Qt.ItemDataRole.EditRole)
        model.setData(model.index(row, KEYS.index("responsible_person")), "王芳", Qt.ItemDataRole.EditRole)
        model.setData(model.index(row, KEYS.index("deadline")), deadline, Qt.ItemDataRole.EditRole)
    dialog.content.setFocus()
    _save(dialog, "visit-dialog.png")
    dialog.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = start_app(folder)
        ws = open_node(Path(folder) / "city.db", sub_projects=900)
        try:
            enrolment.ensure_local_key(ws)  # so 关于 shows a fingerprint
            _visit_dialog(ws)
            window = MainWindow(ws)
            window.resize(1360, 800)
            window.show()
            for key, name in (("supervision", "supervision.png"), ("notices", "notices.png"),
                              ("trainings", "trainings.png")):
                window.show_module(key)
                _save(window, name)
            guide = window.show_guide("ledger")
            guide.resize(1180, 780)
            _save(guide, "help-window.png")
            guide.close()
            about = AboutDialog(ws, window)
            _save(about, "about.png")
            about.tabs.setCurrentIndex(1)
            _save(about, "about-licences.png")
            about.close()
            window.close()
        finally:
            ws.close()
    app.quit()


if __name__ == "__main__":
    main()
