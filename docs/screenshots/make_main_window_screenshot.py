"""Screenshot of the main window with demo data: python docs/screenshots/make_main_window_screenshot.py"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402

from app.services import demo, divisions, node  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.application import create_application  # noqa: E402
from app.ui.dialogs.setup_dialog import SetupDialog  # noqa: E402
from app.ui.dialogs.sub_project_dialog import SubProjectDialog  # noqa: E402
from app.ui.field_work.sub_project_page import SubProjectPage  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        app = create_application(sys.argv[:1])
        ws = Workspace.open(Path(tmp) / "demo.db")
        node.setup_node(ws, division_uid=divisions.find_division(ws, divisions.CITY_CODE).uid, operator="张晓梅")
        demo.generate(ws, sub_projects=4055)
        window = MainWindow(ws)
        window.resize(1440, 820)
        window.show()
        app.processEvents()
        window.grab().save(str(OUT / "main-window.png"))
        bar = window.register.filter_bar
        bar.set_division(divisions.find_division(ws, "芦山县").uid)
        bar.keyword.setText("小学")
        bar._emit_now()
        window.register.table.selectRow(2)
        app.processEvents()
        window.grab().save(str(OUT / "main-window-filtered.png"))
        page = SubProjectPage(ws, window.register.current_uid(), window)
        page.resize(1100, 680)
        page.show()
        app.processEvents()
        page.grab().save(str(OUT / "sub-project-page.png"))
        page.close()
        ledger = window.show_module("ledger")
        ledger.filter_bar.division.setCurrentIndex(ledger.filter_bar.division.findText("芦山县"))
        ledger.filter_bar.state.setCurrentIndex(ledger.filter_bar.state.findData("unverified"))
        ledger.table.selectRow(1)
        app.processEvents()
        window.grab().save(str(OUT / "ledger.png"))
        window.show_module("register")
        dialog = SubProjectDialog(ws, uid=window.register.current_uid(), parent=window)
        dialog.investment.setText("三百万")
        dialog.archivist_phone.setText("1388161234")
        dialog.show()
        dialog.accept()  # refused: the messages appear beside the fields
        app.processEvents()
        dialog.grab().save(str(OUT / "sub-project-dialog-errors.png"))
        dialog.close()
        window.close()
        ws.close()
        fresh = Workspace.open(Path(tmp) / "fresh.db")
        setup = SetupDialog(fresh, offer_demo=True)
        setup.show()
        app.processEvents()
        setup.grab().save(str(OUT / "setup-dialog.png"))
        fresh.close()


if __name__ == "__main__":
    main()
