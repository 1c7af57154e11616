"""导入数据包 for several files at once: each package's dry run in one table, then 全部合并.

The city receives the counties' packages of a round together. The table shows, per file,
who sent it, its number, what its merge would add, update, merge and put in conflict, or
why it is refused; 全部合并 makes one verified backup and merges the mergeable packages one
by one, each in its own transaction. Afterwards the same table says what became of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QTableView, QVBoxLayout, QWidget

from app.i18n import N_, _
from app.services import package_batch
from app.services.package_batch import BatchItem
from app.services.workspace import Workspace
from app.ui.item_views import read_only_rows, size_columns
from app.ui.sync.merge_dialog import MergeDialog
from app.ui.sync.widgets import TextTableModel

COLUMNS = (N_("文件"), N_("来自"), N_("包号"), N_("新增"), N_("更新"), N_("合并"), N_("冲突"), N_("状态"), N_("说明"))


def _row(item: BatchItem) -> tuple[str, ...]:
    preview = item.preview
    if preview is None:
        return (item.path.name, "", "", "", "", "", "", item.state_label, item.reason)
    if item.state == package_batch.ALREADY:
        return (item.path.name, preview.origin_label, str(preview.result.info.sequence), "", "", "", "",
                item.state_label, _("这个数据包已经导入过，不会再合并。"))
    counts = preview.counts
    notes = [item.reason] if item.reason else []
    notes += preview.notes
    if counts["conflicts"] and item.state in (package_batch.MERGEABLE, package_batch.MERGED):
        notes.append(_("冲突的记录保留双方的值，合并后在“冲突处理”中决定。"))
    return (item.path.name, preview.origin_label, str(preview.result.info.sequence),
            *(f"{counts[k]:,}" for k in ("added", "updated", "merged", "conflicts")), item.state_label,
            " ".join(notes))


class BatchImportDialog(MergeDialog):
    """Emits ``imported(list[BatchItem])`` once the merges have run (some may have been merged
    even when the batch was cancelled part-way)."""

    def __init__(self, ws: Workspace, items: Sequence[BatchItem], parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.items = list(items)
        self.merged: list[BatchItem] | None = None
        self.setWindowTitle(_("导入数据包 — {n} 个文件").format(n=len(self.items)))
        self.resize(1040, 420)

        self.model = TextTableModel(COLUMNS, self, numeric=(2, 3, 4, 5, 6))
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        read_only_rows(self.table)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary_label = QLabel(self)

        buttons = QDialogButtonBox(self)
        self.merge_button = buttons.addButton(_("全部合并"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.merge_button.clicked.connect(self.start_merge)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self._show(self.items)
        em = self.table.fontInfo().pixelSize()  # a Chinese character is one em wide
        size_columns(self.table, [chars * em + 16 for chars in (14, 10, 3, 4, 4, 4, 4, 5)])
        mergeable = self.mergeable()
        self.status_label.setText(
            _("这是预览：数据库尚未修改。点“全部合并”会先备份一次数据库，再把 {n} 个可合并的数据包逐个合并。").format(
                n=len(mergeable)) if mergeable else _("没有可以合并的数据包：数据库未作任何修改。"))
        self._update_buttons()

    def mergeable(self) -> list[Path]:
        """The packages to merge, each node's in the order it numbered them (the file
        dialog lists them by name, where 第10号 comes before 第2号)."""
        ready = [i for i in self.items if i.state == package_batch.MERGEABLE and i.preview is not None]
        ready.sort(key=lambda i: (i.preview.result.info.origin_node, i.preview.result.info.sequence))
        return [i.path for i in ready]

    def _show(self, items: Sequence[BatchItem]) -> None:
        self.model.set_rows([_row(i) for i in items])
        counts = {state: sum(1 for i in items if i.state == state) for state in package_batch.STATE_LABELS}
        self.summary_label.setText("　".join(
            f"{_(label)} {counts[state]}" for state, label in package_batch.STATE_LABELS.items() if counts[state]))

    def start_merge(self) -> None:
        paths = self.mergeable()
        if self.task is not None or self.merged is not None or not paths:
            return
        ws = self.ws

        def work(cancel, progress) -> list[BatchItem]:
            return package_batch.import_packages(ws, paths, cancel=cancel, progress=progress)

        self.run_merge(work)

    def merge_finished(self, results: list[BatchItem]) -> None:
        self.merged = results
        by_path = {r.path: r for r in results}
        # the refused and already-imported ones keep their preview line; the rest say what happened
        shown = [by_path.get(i.path, i) if i.state == package_batch.MERGEABLE else i for i in self.items]
        self._show(shown)
        self.status_label.setText(package_batch.summary(shown) + "。" + _("每个数据包单独合并：未合并的数据包没有任何内容写入数据库。"))
        self.close_button.setText(_("关闭"))
        self._update_buttons()
        self.imported.emit(results)

    def _update_buttons(self) -> None:
        idle = self.task is None
        self.merge_button.setEnabled(idle and self.merged is None and bool(self.mergeable()))
        self.close_button.setEnabled(idle)
