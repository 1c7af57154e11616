"""Screenshot of the main window with demo data: python docs/screenshots/make_main_window_screenshot.py"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from app.services import divisions  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.dialogs.setup_dialog import SetupDialog  # noqa: E402
from app.ui.dialogs.sub_project_dialog import SubProjectDialog  # noqa: E402
from app.ui.field_work.sub_project_page import SubProjectPage  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(tmp)
        ws = open_node(Path(tmp) / "demo.db", divisions.CITY_CODE, "张晓梅", sub_projects=4055)
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
