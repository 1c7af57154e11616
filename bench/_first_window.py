"""Child process of bench/registry.py: start the window on a database, print when it is painted."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer

from app.services.workspace import Workspace
from app.ui.application import create_application
from app.ui.main_window import MainWindow


class _FirstPaint(QObject):
    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            print(f"painted {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False


app = create_application(sys.argv[:1])
ws = Workspace.open(Path(sys.argv[1]))
window = MainWindow(ws)
watcher = _FirstPaint()
window.register.table.viewport().installEventFilter(watcher)
window.show()
app.exec()
ws.close()
