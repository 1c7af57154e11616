"""Several packages at once: the city merging the counties' packages of one round.

Each package is checked and merged on its own, in its own transaction, exactly as one
package alone; what the batch adds is one verified backup before the first merge instead
of one per package (at ten times city size each backup of the city's database takes
about three seconds), and one report. A package refused or unreadable is reported beside
the others and stops nothing; a Cancel stops the package being merged (rolled back) and
those after it, and the report says which were merged before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.errors import AppError, Cancelled
from app.i18n import N_, _
from app.services import backups, packages, sync_overview
from app.services.sync_overview import ImportPreview
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

#: what became of one package of a batch
MERGEABLE, ALREADY, REFUSED, MERGED, NOT_MERGED = "mergeable", "already", "refused", "merged", "not_merged"
STATE_LABELS = {MERGEABLE: N_("可合并"), MERGED: N_("已合并"), ALREADY: N_("已导入过"), REFUSED: N_("被拒"),
                NOT_MERGED: N_("未合并")}


@dataclass
class BatchItem:
    path: Path
    #: the package's dry run (a preview) or merge, when it could be read and was accepted
    preview: ImportPreview | None
    state: str
    #: why the package was refused, or why it was not merged
    reason: str = ""

    @property
    def state_label(self) -> str:
        return _(STATE_LABELS[self.state])


def _step(n: int, total: int, progress: ProgressSink, path: Path) -> ProgressSink:
    """Progress of one package as part of the batch's bar."""
    def sink(done: int, of: int, text: str) -> None:
        share = done / of if of else 0.0
        progress(int((n + share) * 1000), total * 1000, _("第 {n}/{total} 个数据包 {name}：{text}").format(
            n=n + 1, total=total, name=path.name, text=text))
    return sink


def preview_packages(ws: Workspace, paths: Sequence[Path], *, cancel: CancelToken | None = None,
                     progress: ProgressSink = no_progress) -> list[BatchItem]:
    """The dry run of each package against the database as it is now."""
    items = []
    for n, path in enumerate(paths):
        try:
            preview = sync_overview.preview_import(ws, path, cancel=cancel,
                                                   progress=_step(n, len(paths), progress, path))
        except AppError as exc:
            items.append(BatchItem(Path(path), None, REFUSED, exc.message))
            continue
        state = ALREADY if preview.result.already_imported else MERGEABLE
        items.append(BatchItem(Path(path), preview, state))
    return items


def import_packages(ws: Workspace, paths: Iterable[Path], *, cancel: CancelToken | None = None,
                    progress: ProgressSink = no_progress) -> list[BatchItem]:
    """Merge each package in turn, after one verified backup (made before the first merge)."""
    paths = [Path(p) for p in paths]
    backed_up = []

    def once(ws: Workspace, cancel: CancelToken | None, progress: ProgressSink) -> None:
        if not backed_up:
            backed_up.append(backups.before_import(ws, cancel=cancel, progress=progress))

    items: list[BatchItem] = []
    for n, path in enumerate(paths):
        try:
            result = packages.import_package(ws, path, cancel=cancel, progress=_step(n, len(paths), progress, path),
                                             before_merge=once)
        except Cancelled:
            stopped = _("已取消：这个数据包未合并，数据库中没有它的任何内容。")
            items.append(BatchItem(path, None, NOT_MERGED, stopped))
            items += [BatchItem(p, None, NOT_MERGED, _("已取消，未处理。")) for p in paths[n + 1:]]
            break
        except AppError as exc:
            items.append(BatchItem(path, None, REFUSED, exc.message))
            continue
        preview = sync_overview.describe(ws, path, result)
        items.append(BatchItem(path, preview, ALREADY if result.already_imported else MERGED))
    return items


def summary(items: Sequence[BatchItem]) -> str:
    """One line for the whole batch: how many merged, already there, refused, not merged."""
    count = {state: sum(1 for i in items if i.state == state) for state in (MERGED, ALREADY, REFUSED, NOT_MERGED)}
    return _("合并 {merged} 个 · 已导入过 {already} 个 · 被拒 {refused} 个 · 未合并 {not_merged} 个").format(
        merged=count[MERGED], already=count[ALREADY], refused=count[REFUSED], not_merged=count[NOT_MERGED])
