"""The main window in English with demo data: python docs/screenshots/make_main_window_en_screenshot.py

Starts the way ``main.py --lang en`` does (the language set before any window or text is made);
the demo records themselves stay Chinese, as data does.
"""

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
from app.services.settings import Settings  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.application import create_application, start_language  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        start_language(["--lang", "en"], Settings())
        app = create_application(sys.argv[:1])
        ws = Workspace.open(Path(tmp) / "demo.db")
        node.setup_node(ws, division_uid=divisions.find_division(ws, divisions.CITY_CODE).uid, operator="张晓梅")
        demo.generate(ws, sub_projects=4055)
        window = MainWindow(ws)
        window.resize(1440, 820)
        window.show()
        window.register.table.selectRow(2)
        app.processEvents()
        window.grab().save(str(OUT / "main-window-en.png"))
        window.close()
        ws.close()


if __name__ == "__main__":
    main()
