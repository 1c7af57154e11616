"""统计概览: the dashboard's figures per division and for the whole city, and the monthly progress.

Qt-free; the dashboard page, ``stats --json`` and the bench call ``collect``. The counting
itself (grouped SQL, what is live, the ledger's overdue rule) is ``app.services.figures``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any


from app.i18n import N_, _
from app.services import figures
from app.services.figures import MONTHLY_SERIES, Counts, DivisionFigures
from app.services.workspace import Workspace

#: the dashboard's columns: Counts field -> header (N_ ids, translated where shown)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("sub_projects", N_("登记子项目")),
    ("visited", N_("已现场指导")),
    ("with_open_problems", N_("有待整改问题")),
    ("with_overdue_problems", N_("有超期问题")),
    ("problems_open", N_("待整改问题")),
    ("problems_overdue", N_("超期问题")),
    ("acceptances_passed", N_("验收合格")),
    ("acceptances_failed", N_("验收不合格")),
    ("certificates", N_("有效证书")),
    ("trainings", N_("培训次数")),
    ("attendance", N_("培训人次")),
    ("demonstration_sites", N_("示范点")),
)

#: what ``as_json`` gives per division: the columns, plus progress the register and acceptances hold
JSON_KEYS = (*(key for key, _label in COLUMNS), "accepted", "under_construction", "completed", "investment_yuan")

#: the monthly lines: series -> label
SERIES_LABELS: dict[str, str] = {
    "visited": N_("已现场指导的子项目（累计）"),
    "accepted": N_("档案验收合格的子项目（累计）"),
    "certificates": N_("有效合格证书（累计）"),
}


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    rows: list[DivisionFigures]
    total: DivisionFigures
    #: "YYYY-MM" from the first to the last month with progress
    months: list[str]
    #: series -> cumulative value per month, whole city
    progress: dict[str, list[int]]
    #: division uid -> series -> cumulative value per month (same axis)
    progress_by_division: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    #: True on the city's installation (every county is shown)
    city: bool = True
    seconds: float = 0.0

    def row(self, uid: str | None) -> DivisionFigures:
        if uid is None:
            return self.total
        return next(r for r in self.rows if r.uid == uid)

    def as_json(self) -> dict[str, Any]:
        """The figures by division name, the total and the monthly lines (``stats --json``)."""
        def pick(counts: Counts) -> dict[str, int]:
            return {key: getattr(counts, key) for key in JSON_KEYS}

        return {
            "as_of": self.as_of.isoformat(),
            "divisions": {r.name: pick(r.counts) for r in self.rows},
            "total": pick(self.total.counts),
            "monthly": {"months": self.months, **self.progress},
        }


def collect(ws: Workspace, *, today: date | None = None) -> Dashboard:
    """Figures as of ``today`` (overdue is judged on it): every county on the city's installation;
    on a county's, that county (and any other division its data holds)."""
    started = time.perf_counter()
    today = today or date.today()
    tally = figures.tally(ws, today=today, problem_states=False)
    city, rows = figures.division_rows(ws, tally)
    total = Counts()
    for r in rows:
        total.add(r.counts)
    whole_name = _("全市合计") if city else _("合计")
    whole_monthly: dict[str, dict[str, int]] = {}
    for per_month in tally.monthly.values():
        for month, values in per_month.items():
            slot = whole_monthly.setdefault(month, dict.fromkeys(MONTHLY_SERIES, 0))
            for name, n in values.items():
                slot[name] += n
    months = figures.month_axis(whole_monthly)
    progress = figures.cumulative(whole_monthly, months)
    by_division_progress = {uid: figures.cumulative(per_month, months) for uid, per_month in tally.monthly.items()}
    return Dashboard(as_of=today, rows=rows, total=DivisionFigures(None, whole_name, total), months=months,
                     progress=progress, progress_by_division=by_division_progress, city=city,
                     seconds=time.perf_counter() - started)
