"""文件 > 导出数据包… / 导入数据包…: the file dialogs, the preview and the merge.

Export, the dry run and the merge all run through ``app.ui.worker.run_task`` with progress
and Cancel. The import preview is a dry run of the real merge, so what it shows is what
合并 does (unless the database changes in between: 合并 reports what it actually did).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.services import packages, sync_overview
from app.services.packages import ExportResult
from app.services.sync_overview import ImportPreview
from app.services.workspace import Workspace
from app.sync.package import PackageRefused
from app.ui.item_views import read_only_rows
from app.ui.sync.merge_dialog import MergeDialog, open_merge_dialog
from app.ui.sync.widgets import TextTableModel, monospace_font
from app.ui.worker import Task, run_task

SETTINGS_FOLDER = "sync/last_folder"
ZIP_FILTER = N_("数据包 (*.zip)")
CONFLICT_COLUMNS = (N_("记录类型"), N_("记录"), N_("冲突的字段"))
ENTITY_COLUMNS = (N_("记录类型"), N_("新增"), N_("更新"), N_("合并"), N_("已有"), N_("冲突"))
NOTE_COLUMNS = (N_("被拒的记录与提示"),)
_COUNT_COLORS = {"added": "#1b7a3a", "updated": "#1d5fa8", "merged": "#6a4aa0", "known": "", "conflicts": "#c0282d"}
_ZERO_COLOR = "#8a8a8a"
_OK_COLOR = "#1b7a3a"


def _refusal_keeps_database(call: Callable[[], Any]) -> Any:
    """A refused package never touched the database: say so under the reason."""
    try:
        return call()
    except PackageRefused as exc:
        raise PackageRefused(_("{reason}\n\n数据库未作任何修改。").format(reason=exc.message)) from exc


def _folder() -> str:
    return str(QSettings().value(SETTINGS_FOLDER, str(Path.home())) or Path.home())


def _remember(path: Path) -> None:
    QSettings().setValue(SETTINGS_FOLDER, str(path.parent))


# -- export ----------------------------------------------------------------------------
def choose_receiver(parent: QWidget | None, ws: Workspace) -> str | None:
    """Who the package is for: the city for a county; for the city, the county a person picks.

    None when the person stops; "" for a county whose city is not enrolled yet (allowed:
    the package is valid, it just cannot leave anything out).
    """
    title = _("导出数据包")
    if not sync_overview.local_is_city(ws):
        receiver = packages.default_receiver(ws)
        if receiver:
            return receiver
        answer = QMessageBox.question(parent, title, _(
            "本机还没有登记市局的节点身份，所以不知道市局已经收到了哪些记录，这次将导出全部数据。\n"
            "请在“工具 > 节点密钥…”中登记市局的身份文件。\n\n仍要导出吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return "" if answer == QMessageBox.StandardButton.Yes else None
    targets = sync_overview.send_targets(ws)
    if not targets:
        QMessageBox.information(parent, title, _(
            "还没有登记任何县（区）节点。请先在“工具 > 节点密钥…”中登记县（区）的身份文件，再向它导出数据包。"))
        return None
    labels = [_("{label}（节点 {code}）").format(label=t.label, code=t.code) for t in targets]
    chosen, ok = QInputDialog.getItem(parent, title, _("发往哪个县（区）："), labels, 0, False)
    if not ok or chosen not in labels:
        return None
    return targets[labels.index(chosen)].uid


def export_message(result: ExportResult, receiver_label: str) -> str:
    total = sum(result.counts.values())
    lines = [_("已生成第 {n} 号数据包，发往{to}：").format(n=result.sequence, to=receiver_label or _("（未指定）")),
             str(result.path), ""]
    if total:
        parts = "、".join(_("{label} {n}").format(label=sync_overview.entity_label(e), n=f"{c:,}")
                         for e, c in sorted(result.counts.items(), key=lambda item: -item[1]))
        lines.append(_("共 {n} 条记录变更（{parts}），{a} 个附件。").format(n=f"{total:,}", parts=parts, a=result.attachments))
    else:
        lines.append(_("对方已收到本机的全部记录：这个包只带回执，没有新的记录变更。"))
    lines.append(_("已读回校验：文件完整，签名有效。"))
    return "\n".join(lines)


def _ask_save_zip(parent: QWidget | None, name: str) -> Path | None:
    chosen, _selected = QFileDialog.getSaveFileName(parent, _("保存数据包"), str(Path(_folder()) / name),
                                                    _(ZIP_FILTER))
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".zip":
        path = path.with_name(path.name + ".zip")
    _remember(path)
    return path


def export_package_dialog(parent: QWidget | None, ws: Workspace, *,
                          on_done: Callable[[ExportResult], None] | None = None) -> Task | None:
    """Pick the receiver (the city picks a county) and the file, then export in the worker.

    The package is written to a temporary name, read back and verified, then renamed;
    only then does the message say it is done.
    """
    receiver = choose_receiver(parent, ws)
    if receiver is None:
        return None
    path = _ask_save_zip(parent, sync_overview.export_file_name(ws, receiver=receiver or None))
    if path is None:
        return None
    receiver_label = packages.node_label(ws, receiver) if receiver else ""

    def work(cancel, progress) -> ExportResult:
        return packages.export_package(ws, path, receiver=receiver, cancel=cancel, progress=progress)

    def finished(result: ExportResult) -> None:
        QMessageBox.information(parent, _("导出数据包"), export_message(result, receiver_label))
        if on_done is not None:
            on_done(result)

    return run_task(parent, _("导出数据包"), work, on_done=finished)


# -- import ----------------------------------------------------------------------------
def _plain(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    # plain text: labels and messages come from another node's package
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ImportPreviewDialog(MergeDialog):
    """What a checked package would change here; 合并 runs the real import in the worker.

    Opened with ``open()`` (window-modal, non-blocking) by ``import_package_dialog`` or
    ``exec()``. Emits ``imported(ImportPreview)`` once the merge is committed, then accepts.
    Closing while the merge runs is ignored: the merge stops through its progress dialog's
    Cancel, which rolls it back.
    """

    def __init__(self, ws: Workspace, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.preview = preview
        self.merged: ImportPreview | None = None
        info, counts = preview.result.info, preview.counts
        self.setWindowTitle(_("导入数据包 — {name}").format(name=preview.path.name))
        self.resize(880, 600)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        origin = _("{label}（节点 {code}）").format(label=preview.origin_label, code=preview.origin_code) \
            if preview.origin_code else preview.origin_label
        self.origin_label = _plain(self, origin)
        self.fingerprint_label = _plain(self, info.fingerprint)
        self.fingerprint_label.setFont(monospace_font())
        verified = _plain(self, _("✓ 签名与登记的密钥一致，包内文件完整"))
        verified.setStyleSheet(f"color: {_OK_COLOR};")
        fp_row = QVBoxLayout()
        fp_row.setSpacing(2)
        fp_row.addWidget(self.fingerprint_label)
        fp_row.addWidget(verified)
        self.sequence_label = _plain(self, _("第 {n} 号　　生成于 {at}").format(
            n=info.sequence, at=sync_overview.local_time_text(info.created) or _("（未注明）")))
        form.addRow(_("文件："), _plain(self, str(preview.path)))
        form.addRow(_("来自："), self.origin_label)
        form.addRow(_("密钥指纹："), fp_row)
        form.addRow(_("包号："), self.sequence_label)

        self.counts_label = QLabel(self)
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        font = self.counts_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        self.counts_label.setFont(font)
        parts = []
        for key, caption in sync_overview.count_captions():
            n = counts.get(key, 0)
            color = _COUNT_COLORS.get(key) if n else _ZERO_COLOR
            style = f" style='color:{color}'" if color else ""
            parts.append(caption.format(n=f"<b{style}>{n:,}</b>"))
        self.counts_label.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))
        self.counts_label.setAccessibleName(sync_overview.counts_text(counts))
        legend = _plain(self, _("合并：两边改了同一记录的不同字段，自动合在一起。冲突：两边改了同一字段，"
                                "双方的值都会保留，暂按同一规则显示其中一方，等人在“冲突处理”中决定。"))
        legend.setStyleSheet(f"color: {_ZERO_COLOR};")

        result = preview.result
        self.conflict_model = TextTableModel(CONFLICT_COLUMNS, self)
        self.conflict_model.set_rows([(c.entity, c.record, "、".join(c.fields)) for c in preview.conflicts])
        self.entity_model = TextTableModel(ENTITY_COLUMNS, self, numeric=(1, 2, 3, 4, 5))
        self.entity_model.set_rows([(e.entity, *(f"{n:,}" for n in (e.added, e.updated, e.merged, e.known, e.conflicts)))
                                    for e in preview.by_entity])
        notes = preview.notes + result.report.refused + result.warnings + result.node_changes
        self.note_model = TextTableModel(NOTE_COLUMNS, self)
        self.note_model.set_rows([(n,) for n in notes])
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._page(self.conflict_model, (8, 30), _("没有冲突：可以直接合并。")),
                         _("冲突（{n}）").format(n=len(preview.conflicts)))
        self.tabs.addTab(self._page(self.entity_model, (12, 6, 6, 6, 6), _("包里没有记录变更。")), _("按记录类型"))
        self.tabs.addTab(self._page(self.note_model, (), _("没有被拒的记录，也没有提示。")),
                         _("被拒与提示（{n}）").format(n=len(notes)))
        self.tabs.setCurrentIndex(0 if preview.conflicts else 2 if notes else 1)

        self.status_label.setText(_("这是预览：数据库尚未修改。点“合并”才会写入。"))
        buttons = QDialogButtonBox(self)
        self.merge_button = buttons.addButton(_("合并"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.start_merge)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.counts_label)
        layout.addWidget(legend)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)

    def _page(self, model: TextTableModel, widths: tuple[int, ...], empty: str) -> QStackedWidget:
        """The table, or a hint in its place when it has no rows. Widths are in Chinese characters."""
        view = QTableView(self)
        view.setModel(model)
        view.setAlternatingRowColors(True)
        read_only_rows(view)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        em = view.fontInfo().pixelSize()  # a Chinese character is one em wide
        for column, chars in enumerate(widths):
            header.resizeSection(column, chars * em + 16)
        header.setStretchLastSection(True)
        hint = QLabel(empty, self)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet(f"color: {_ZERO_COLOR};")
        stack = QStackedWidget(self)
        stack.addWidget(view)
        stack.addWidget(hint)
        stack.setCurrentIndex(0 if model.rowCount() else 1)
        return stack

    def start_merge(self) -> None:
        """The real import, in one transaction (the worker's Cancel rolls it back)."""
        if self.task is not None or self.merged is not None:
            return
        ws, path = self.ws, self.preview.path

        def work(cancel, progress) -> ImportPreview:
            return _refusal_keeps_database(
                lambda: sync_overview.run_import(ws, path, cancel=cancel, progress=progress))

        self.run_merge(work)

    def merge_finished(self, merged: ImportPreview) -> None:
        self.merged = merged
        self.imported.emit(merged)
        QMessageBox.information(self, _("合并完成"), merge_message(merged))
        self.accept()

    def _update_buttons(self) -> None:
        idle = self.task is None
        self.merge_button.setEnabled(idle and self.merged is None)
        self.cancel_button.setEnabled(idle)


def merge_message(merged: ImportPreview) -> str:
    result, counts = merged.result, merged.counts
    if result.already_imported:
        return _("这个数据包已经导入过，本次未作任何修改。")
    text = _("已合并{origin}的第 {n} 号数据包：\n{counts}").format(
        origin=merged.origin_label, n=result.info.sequence, counts=sync_overview.counts_text(counts))
    if counts["conflicts"]:
        text += "\n\n" + _("冲突的记录已保留双方的值，请在“冲突处理”中逐条决定。")
    return text


def import_package_dialog(parent: QWidget | None, ws: Workspace, *,
                          on_imported: Callable[[ImportPreview], None] | None = None) -> Task | None:
    """Pick a package, check it and dry-run its merge in the worker, then open the preview
    (several packages picked: one table of their dry runs, ``BatchImportDialog``).

    Returns the checking task (None if no file was chosen). The preview opens with
    ``open()`` from the task's done callback, so no new task starts inside that callback:
    the merge starts from the dialog's 合并 button. A refused package is reported by the
    one presenter with its reason and the note that the database was not changed.
    """
    chosen, _selected = QFileDialog.getOpenFileNames(parent, _("导入数据包（可选多个）"), _folder(), _(ZIP_FILTER))
    if not chosen:
        return None
    _remember(Path(chosen[0]))
    if len(chosen) > 1:
        return _import_several(parent, ws, [Path(c) for c in chosen], on_imported)
    path = Path(chosen[0])

    def work(cancel, progress) -> ImportPreview:
        return _refusal_keeps_database(
            lambda: sync_overview.preview_import(ws, path, cancel=cancel, progress=progress))

    def show(preview: ImportPreview) -> None:
        if preview.result.already_imported:
            QMessageBox.information(parent, _("导入数据包"), _(
                "{origin}的第 {n} 号数据包已经导入过，本次未作任何修改。").format(
                origin=preview.origin_label, n=preview.result.info.sequence))
            return
        open_merge_dialog(ImportPreviewDialog(ws, preview, parent), on_imported)

    return run_task(parent, _("校验数据包"), work, on_done=show)



def _import_several(parent: QWidget | None, ws: Workspace, paths: list[Path],
                    on_imported: Callable[[Any], None] | None) -> Task:
    """Dry-run every chosen package in the worker, then show them in one table to merge together."""
    from app.services import package_batch
    from app.ui.sync.batch_import_dialog import BatchImportDialog

    def work(cancel, progress):
        return package_batch.preview_packages(ws, paths, cancel=cancel, progress=progress)

    return run_task(parent, _("校验数据包"), work,
                    on_done=lambda items: open_merge_dialog(BatchImportDialog(ws, items, parent), on_imported))
