"""Screenshot of 设置: python docs/screenshots/make_settings_screenshot.py

Writes ``settings-dialog.png``: the dialog of a county laptop whose key exists, with a new
data folder typed in, so the note under it says what saving will do. Everything happens
in a temporary folder (database, settings file, key).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shot_support import OUT, start_app  # first: Qt offscreen, the repository importable

from app.services import divisions, enrolment, node  # noqa: E402
from app.services import settings as app_settings  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.dialogs.settings_dialog import SettingsDialog  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[app_settings.HOME_ENV] = str(Path(tmp) / "home")
        app = start_app(tmp)
        data = Path(tmp) / "档案数据"
        ws = Workspace.open(data / "archive.db")
        try:
            node.setup_node(ws, division_uid=divisions.find_division(ws, "芦山县").uid, operator="张晓梅")
            enrolment.ensure_local_key(ws)
            app_settings.save(app_settings.Settings(data_folder=str(data), backup_folder=str(Path(tmp) / "U盘" / "备份"),
                                                    backups_keep=10))
            dialog = SettingsDialog(ws)
            dialog.data_folder.setText(str(Path(tmp) / "D盘" / "档案数据"))
            dialog.show()
            app.processEvents()
            dialog.grab().save(str(OUT / "settings-dialog.png"))
            print(OUT / "settings-dialog.png")
            dialog.close()
        finally:
            ws.close()


if __name__ == "__main__":
    main()
