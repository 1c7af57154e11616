"""What a report was computed from: this installation, when, and the packages merged into it.

Every report of the pack states it (the city's figures are only as complete as the
counties' packages it has merged). Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.i18n import _
from app.services import node, sync_overview
from app.services.workspace import Workspace


@dataclass(frozen=True)
class MergedPackages:
    """The last package merged here from one node."""

    division: str
    node_code: str
    last_sequence: int
    received_at: datetime | None
    packages: int


@dataclass(frozen=True)
class DataSources:
    division: str
    computed_at: datetime
    merged: list[MergedPackages]

    def lines(self) -> list[str]:
        """Plain sentences for a report's footer (local time)."""
        out = [_("数据来源：{division}本机数据库，统计于 {at}。").format(
            division=self.division, at=self.computed_at.isoformat(sep=" ", timespec="minutes"))]
        if not self.merged:
            out.append(_("已合并的数据包：无（只含本机录入的数据）。"))
            return out
        parts = [_("{division}第 {seq} 号（{day} 合并，共 {n} 个）").format(
            division=m.division, seq=m.last_sequence, n=m.packages,
            day=sync_overview.local_time_text(m.received_at)[:10] or _("日期不详")) for m in self.merged]
        out.append(_("已合并的数据包（各节点最近一个）：{parts}。").format(parts="；".join(parts)))
        return out


def data_sources(ws: Workspace, *, now: datetime | None = None) -> DataSources:
    merged = [MergedPackages(row.division, row.code, row.last_sequence, row.last_received_at, row.packages_received)
              for row in sync_overview.node_rows(ws) if row.status != "local" and row.last_sequence is not None]
    return DataSources(node.local_division_name(ws), now or datetime.now(), merged)
