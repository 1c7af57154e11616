"""The main window in English with demo data: python docs/screenshots/make_main_window_en_screenshot.py

Starts the way ``main.py --lang en`` does (the language set before any window or text is made);
the demo records themselves stay Chinese, as data does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from app.services import divisions  # noqa: E402
from app.services.settings import Settings  # noqa: E402
from app.ui.application import start_language  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start_language(["--lang", "en"], Settings())
        app = start_app(tmp)
        ws = open_node(Path(tmp) / "demo.db", divisions.CITY_CODE, "张晓梅", sub_projects=4055)
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
