"""The statistics tables the city sends upward (统计报表), as Excel. Being written (issue 7)."""

from __future__ import annotations

from pathlib import Path

from app.errors import AppError
from app.i18n import _
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace


def write_statistics(ws: Workspace, year: int, out_path: Path, *, cancel: CancelToken | None = None,
                     progress: ProgressSink = no_progress) -> Path:
    raise AppError(_("统计报表尚未完成。"))
