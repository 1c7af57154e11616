"""The reports the city sends upward, by name: what ``python -m app report NAME`` writes.

Qt-free. Each entry names its function as ``"module:function"`` and is imported only
when run, so listing the reports (the command's help) stays cheap. To add a report, add
one ``Report(...)`` line to ``REPORTS`` (or call ``register`` from a plug-in).

A report function has the signature::

    write(ws, year, out_path, *, cancel=None, progress=no_progress) -> Path

It writes the whole file at ``out_path`` (atomically, or not at all) and returns it.
``year`` selects the records dated in that year; what a report does with it beyond that
(cumulative columns) the report states in the file itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.errors import NotFound
from app.i18n import N_, _
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace


class ReportFunction(Protocol):
    def __call__(self, ws: Workspace, year: int, out_path: Path, *, cancel: CancelToken | None = None,
                 progress: ProgressSink = no_progress) -> Path: ...


@dataclass(frozen=True)
class Report:
    """One named report. ``description`` is an ``N_`` message id, translated where shown."""

    name: str
    description: str
    target: str  # "package.module:function", imported when the report runs
    suffix: str = ".xlsx"

    @property
    def label(self) -> str:
        return _(self.description)

    def function(self) -> ReportFunction:
        module_name, _sep, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


REPORTS: list[Report] = [
    Report("statistics", N_("统计报表：各县（区）和各行业（领域）的子项目、投资、进度、问题和验收（Excel）"),
           "app.reports.statistics_xlsx:write_statistics", ".xlsx"),
    Report("assessment", N_("考核结果通报：该年度已发布的考核排名、得分和扣分明细（PDF）"),
           "app.reports.assessment_pdf:write_assessment", ".pdf"),
]


def register(report: Report) -> None:
    """Add (or replace, by name) a report."""
    REPORTS[:] = [r for r in REPORTS if r.name != report.name] + [report]


def names() -> list[str]:
    return [r.name for r in REPORTS]


def get(name: str) -> Report:
    for report in REPORTS:
        if report.name == name:
            return report
    raise NotFound(_("没有名为 {name} 的报表。可选：{names}").format(name=name, names="、".join(names())))


def run(ws: Workspace, name: str, *, year: int, out_path: Path | str, cancel: CancelToken | None = None,
        progress: ProgressSink = no_progress) -> Path:
    """Write report ``name`` for ``year`` to ``out_path``; adds the report's suffix when the path has none."""
    report = get(name)
    path = Path(out_path)
    if not path.suffix:
        path = path.with_suffix(report.suffix)
    write: Callable[..., Path] = report.function()
    return write(ws, year, path, cancel=cancel, progress=progress)
