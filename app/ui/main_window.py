"""The main window: menus, toolbar, navigation, the register and the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QDialog, QInputDialog, QLabel, QMainWindow, QMessageBox, QSplitter, QStackedWidget,
                               QStyle, QToolBar, QWidget)

from app.errors import AppError
from app.i18n import _
from app.services import demo, divisions, node, sub_project_search, sub_projects
from app.services.workspace import Workspace
from app.ui import backup_actions
from app.ui.dialogs.settings_dialog import open_settings
from app.ui.dialogs.setup_dialog import DEMO_SUB_PROJECTS
from app.ui.dialogs.sub_project_dialog import SubProjectDialog
from app.ui.errors import show_error
from app.ui.modules import MODULES, make_page
from app.ui.navigation import REGISTER, NavigationPane
from app.ui.register.register_view import RegisterView
from app.ui.window_state import restore_window_state, save_window_state
from app.ui.worker import Task, run_task, wait_for_workers

class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.export_task: Task | None = None
        self.package_task: Task | None = None
        self.setWindowTitle(_("雅安灾后重建项目档案现场工作包 — {division}").format(
            division=node.local_division_name(ws)))
        division_list = divisions.list_divisions(ws, include_city=False)
        self.navigation = NavigationPane(division_list, self)
        self.register = RegisterView(ws, division_list, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.register)
        #: module key -> page, made the first time the module is opened (start-up stays fast)
        self.module_pages: dict[str, QWidget] = {REGISTER: self.register}
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 1100])
        self.setCentralWidget(self.splitter)

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self.count_label = QLabel()
        self.node_label = QLabel()
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.node_label)

        self.navigation.chosen.connect(self.show_module)
        self.register.filter_bar.division.currentIndexChanged.connect(
            lambda _i: self.navigation.highlight(REGISTER, self.register.filter_bar.division.currentData()))
        self.register.counts_changed.connect(self._show_counts)
        self.register.open_requested.connect(self.edit_sub_project)
        self.register.selection_changed.connect(self._update_actions)

        restore_window_state(self, self.splitter, self.register)
        self.refresh()

    # -- actions -------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, icon=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _make_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.act_new = self._action(_("新建子项目…"), self.new_sub_project, QKeySequence.StandardKey.New,
                                    sp.SP_FileIcon, _("登记一个新的重建子项目"))
        self.act_edit = self._action(_("编辑子项目…"), self.edit_current, None, sp.SP_FileDialogDetailedView,
                                     _("打开选中的子项目（双击或回车）"))
        self.act_delete = self._action(_("删除子项目"), self.delete_selected, QKeySequence.StandardKey.Delete,
                                       sp.SP_TrashIcon, _("删除选中的子项目（保留删除记录）"))
        self.act_history = self._action(_("变更历史…"), self.show_history, "Ctrl+H", sp.SP_FileDialogInfoView,
                                        _("查看选中子项目的全部修改记录"))
        self.act_retention = self._action(_("保管期限表…"), self.edit_retention, "Ctrl+T", sp.SP_FileDialogListView,
                                          _("项目档案收集范围和保管期限表"))
        self.act_page = self._action(_("子项目页面…"), self.open_page, "Ctrl+O", None,
                                     _("选中子项目的现场指导、问题和培训时间线"))
        self.act_visit = self._action(_("新建现场指导…"), self.new_visit, "Ctrl+Shift+N", None,
                                      _("为选中子项目登记一次现场指导及发现的问题"))
        self.act_new_master = self._action(_("新建总规项目…"), self.new_master_project, None, None)
        self.act_default_retention = self._action(_("默认保管期限表…"), self.edit_default_retention)
        self.act_find = self._action(_("查找"), self.register.filter_bar.focus_keyword, QKeySequence.StandardKey.Find)
        self.act_refresh = self._action(_("刷新"), self.refresh, QKeySequence.StandardKey.Refresh,
                                        sp.SP_BrowserReload)
        self.act_import = self._action(_("导入总规清单…"), self.import_master_list, "Ctrl+I", sp.SP_DialogOpenButton,
                                       _("从 Excel/ODS 导入总规项目和子项目，先预览再写入"))
        self.act_export_all = self._action(_("导出全部子项目…"), lambda: self.export_register(filtered=False), "Ctrl+E",
                                           sp.SP_DialogSaveButton, _("把登记册导出为 Excel"))
        self.act_export_shown = self._action(_("导出当前筛选结果…"), lambda: self.export_register(filtered=True),
                                             "Ctrl+Shift+E", None, _("只导出表格中当前显示的子项目，按当前顺序"))
        self.act_template = self._action(_("保存空白清单模板…"), self.save_template)
        self.act_export_package = self._action(_("导出数据包…"), self.export_package, None, None,
                                               _("把对方尚未收到的记录变更导出为签名的数据包"))
        self.act_import_package = self._action(_("导入数据包…"), self.import_package, None, None,
                                               _("校验数据包并预览将要合并的内容，确认后合并（可一次选多个）"))
        self.act_node_keys = self._action(_("节点密钥…"), lambda: self.show_module("nodes"), None, None,
                                          _("导出本机身份、登记或吊销其他节点的密钥"))
        self.act_demo = self._action(_("生成演示数据…"), self.generate_demo)
        self.act_operator = self._action(_("更改操作员…"), self.change_operator)
        self.act_check_files = self._action(_("检查附件…"), self.check_attachments, None, None,
                                            _("逐个核对附件文件是否缺失或被改动"))
        self.act_data_folder = self._action(_("打开数据文件夹"), self.open_data_folder)
        self.act_backup = self._action(_("备份…"), lambda: backup_actions.backup(self), None, None,
                                       _("把数据库和附件备份到一个文件夹或 U 盘，写完后读回校验"))
        self.act_restore = self._action(_("恢复…"), lambda: backup_actions.restore_from(self), None, None,
                                        _("先校验备份，再用它替换当前数据库（原数据库改名保留）"))
        self.act_settings = self._action(_("设置…"), lambda: open_settings(self), "Ctrl+,", None,
                                         _("操作员、数据文件夹、界面语言、打印机和纸张、备份"))
        self.act_quit = self._action(_("退出"), self.close, QKeySequence.StandardKey.Quit)
        self.act_guide = self._action(_("用户指南"), self.show_guide, QKeySequence.StandardKey.HelpContents,
                                      sp.SP_DialogHelpButton, _("打开用户指南中讲解当前页面的一节（F1）"))
        # F1 everywhere; also the system's own help key where that is another one (macOS)
        self.act_guide.setShortcuts([QKeySequence("F1")] + [k for k in QKeySequence.keyBindings(
            QKeySequence.StandardKey.HelpContents) if k != QKeySequence("F1")])
        self.act_about = self._action(_("关于"), self.show_about)
        self.act_nav = QAction(_("导航栏"), self, checkable=True, checked=True)
        self.act_nav.toggled.connect(self.navigation.setVisible)
        # the F5 key also refreshes on systems whose standard Refresh is another key
        self.act_refresh.setShortcuts([QKeySequence("F5"), QKeySequence(QKeySequence.StandardKey.Refresh)])

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("文件(&F)"))
        for action in (self.act_import, None, self.act_export_all, self.act_export_shown, self.act_template, None,
                       self.act_import_package, self.act_export_package, None):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        file_menu.addAction(self.act_data_folder)
        file_menu.addSeparator()
        file_menu.addAction(self.act_backup)
        file_menu.addAction(self.act_restore)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu(_("编辑(&E)"))
        for action in (self.act_new, self.act_edit, self.act_delete, None, self.act_page, self.act_visit, None,
                       self.act_new_master, None, self.act_retention, self.act_history):
            edit.addSeparator() if action is None else edit.addAction(action)
        view = bar.addMenu(_("视图(&V)"))
        for action in (self.act_find, self.act_refresh, None, self.act_nav):
            view.addSeparator() if action is None else view.addAction(action)
        tools = bar.addMenu(_("工具(&T)"))
        for action in (self.act_default_retention, self.act_operator, None, self.act_node_keys, self.act_check_files,
                       None, self.act_demo, None, self.act_settings):
            tools.addSeparator() if action is None else tools.addAction(action)
        help_menu = bar.addMenu(_("帮助(&H)"))
        help_menu.addAction(self.act_guide)
        help_menu.addSeparator()
        help_menu.addAction(self.act_about)

    def _make_toolbar(self) -> None:
        toolbar = QToolBar(_("工具栏"), self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        for action in (self.act_new, self.act_edit, self.act_delete, None, self.act_history, self.act_retention,
                       None, self.act_import, self.act_export_all, None, self.act_refresh):
            toolbar.addSeparator() if action is None else toolbar.addAction(action)
        self.addToolBar(toolbar)

    def _update_actions(self) -> None:
        selected = len(self.register.selected_uids())
        busy = self.task is not None
        self.act_edit.setEnabled(selected == 1)
        self.act_page.setEnabled(selected == 1)
        self.act_visit.setEnabled(selected == 1)
        self.act_history.setEnabled(selected == 1)
        self.act_retention.setEnabled(selected == 1)
        self.act_delete.setEnabled(selected >= 1 and not busy)
        self.act_demo.setEnabled(not busy)

    # -- screens -------------------------------------------------------------------
    def _make_page(self, key: str) -> QWidget:
        page = make_page(next(m for m in MODULES if m.key == key), self.ws, self)
        if hasattr(page, "changed"):
            page.changed.connect(self._after_change)
        if hasattr(page, "open_sub_project"):
            page.open_sub_project.connect(self.open_page)
        return page

    def show_module(self, module: str, division_uid: str | None = None) -> QWidget:
        """Switch to a module's page (made on first use); the register also by division."""
        page = self.module_pages.get(module)
        if page is None:
            page = self.module_pages[module] = self._make_page(module)
            self.pages.addWidget(page)
        elif module != REGISTER and hasattr(page, "refresh"):
            page.refresh()
        if module == REGISTER:
            self.register.filter_bar.set_division(division_uid)
        self.pages.setCurrentWidget(page)
        self.navigation.highlight(module, division_uid)
        return page

    def refresh(self) -> None:
        current = self.pages.currentWidget()
        if current is not self.register and hasattr(current, "refresh"):
            current.refresh()
        self.register.refresh()
        self.navigation.set_counts(sub_project_search.counts_by_division(self.ws), self.register.model.total)
        self.node_label.setText(_("本机：{division}　操作员：{operator}").format(
            division=node.local_division_name(self.ws), operator=self.ws.operator))

    def _show_counts(self, shown: int, total: int) -> None:
        self.count_label.setText(_("显示 {shown} / 共 {total} 个子项目").format(shown=f"{shown:,}", total=f"{total:,}"))

    def _after_change(self, uid: str | None = None) -> None:
        self.register.refresh(keep_uid=uid)
        self.navigation.set_counts(sub_project_search.counts_by_division(self.ws), self.register.model.total)

    def new_sub_project(self) -> None:
        dialog = SubProjectDialog(self.ws, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved:
            self._after_change(dialog.saved.uid)
            self.statusBar().showMessage(_("已新建子项目 {code}").format(code=dialog.saved.code), 5000)

    def edit_current(self) -> None:
        uid = self.register.current_uid()
        if uid:
            self.edit_sub_project(uid)

    def edit_sub_project(self, uid: str) -> None:
        try:
            dialog = SubProjectDialog(self.ws, uid=uid, parent=self)
        except AppError as exc:
            show_error(self, exc)
            self._after_change()
            return
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved:
            self._after_change(uid)
            self.statusBar().showMessage(_("已保存子项目 {code}").format(code=dialog.saved.code), 5000)

    def open_page(self, uid: str | None = None) -> None:
        from app.ui.field_work.sub_project_page import SubProjectPage

        uid = uid or self.register.current_uid()
        if not uid:
            return
        try:
            page = SubProjectPage(self.ws, uid, self)
        except AppError as exc:
            show_error(self, exc)
            return
        page.changed.connect(self._after_change)
        page.exec()

    def new_visit(self) -> None:
        from app.ui.field_work.visit_dialog import VisitDialog

        uid = self.register.current_uid()
        if uid and VisitDialog(self.ws, uid, self).exec() == QDialog.DialogCode.Accepted:
            self._after_change(uid)
            self.statusBar().showMessage(_("已保存现场指导记录"), 5000)

    def delete_selected(self) -> None:
        """Ask, naming what goes with the sub-projects; a sub-project of the official record
        (a certificate, a concluded acceptance, verified problems ...) is refused, and stays."""
        uids = self.register.selected_uids()
        if not uids:
            return
        try:
            plan = sub_projects.deletion_plan(self.ws, uids)
            if not plan.allowed:
                raise sub_projects.DeletionRefused(plan.refusals, selected=plan.selected)
        except AppError as exc:
            show_error(self, exc, title=_("不能删除子项目"))
            self._after_change()
            return
        if len(uids) == 1:
            detail = sub_projects.get(self.ws, uids[0])
            question = _("确定删除子项目“{code} {name}”吗？").format(code=detail.code, name=detail.name)
        else:
            question = _("确定删除选中的 {n} 个子项目吗？").format(n=len(uids))
        going = [text.format(n=n) for text, n in ((_("{n} 次现场指导"), plan.visits),
                                                  (_("{n} 个待整改问题"), plan.problems),
                                                  (_("{n} 次进行中的档案验收"), plan.acceptances)) if n]
        if going:
            question += "\n" + _("将一并删除其 {what}。").format(what="、".join(going))
        question += "\n" + _("删除后记录以删除标记保留在变更历史中，并随导出包同步。")
        answer = QMessageBox.question(self, _("删除子项目"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            sub_projects.delete_many(self.ws, uids)
        except AppError as exc:  # changed since the question (a certificate merged in, say)
            show_error(self, exc, title=_("不能删除子项目"))
            self._after_change()
            return
        self._after_change()
        self.statusBar().showMessage(_("已删除 {n} 个子项目").format(n=len(uids)), 5000)

    def show_history(self) -> None:
        from app.ui.dialogs.history_dialog import HistoryDialog

        uid = self.register.current_uid()
        if uid:
            HistoryDialog(self.ws, uid, parent=self).exec()

    def edit_retention(self) -> None:
        from app.ui.dialogs.retention_dialog import RetentionDialog

        uid = self.register.current_uid()
        if uid:
            RetentionDialog(self.ws, sub_project_uid=uid, parent=self).exec()

    def edit_default_retention(self) -> None:
        from app.ui.dialogs.retention_dialog import RetentionDialog

        RetentionDialog(self.ws, sub_project_uid=None, parent=self).exec()

    def new_master_project(self) -> None:
        from app.ui.dialogs.master_project_dialog import MasterProjectDialog

        dialog = MasterProjectDialog(self.ws, division_uid=self.register.filter_bar.division.currentData()
                                     or self.ws.division_uid, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_info is not None:
            self.statusBar().showMessage(_("已新建总规项目 {code}").format(code=dialog.result_info.plan_code), 5000)

    def import_master_list(self) -> None:
        from app.ui.master_list.import_dialog import choose_and_import

        result = choose_and_import(self, self.ws)
        if result is not None:
            # as after a package import: the page on screen (the dashboard, say) recounts too
            self.refresh()
            self.statusBar().showMessage(_("导入完成：新增 {created} 个、修改 {updated} 个子项目").format(
                created=result.created, updated=result.updated), 8000)

    def export_register(self, *, filtered: bool) -> None:
        from app.ui.master_list.export_actions import export_register_dialog

        model = self.register.model
        flt = model.filter if filtered else None

        def done(path, count) -> None:
            self.statusBar().showMessage(_("已导出 {n} 个子项目到 {path}").format(n=count, path=path), 8000)

        self.export_task = export_register_dialog(self, self.ws, flt=flt, sort=model.sort_key,
                                           descending=model.descending, on_done=done)

    def save_template(self) -> None:
        from app.ui.master_list.export_actions import save_template_dialog

        path = save_template_dialog(self)
        if path is not None:
            self.statusBar().showMessage(_("已保存空白模板：{path}").format(path=path), 8000)

    def export_package(self) -> None:
        from app.ui.sync.package_actions import export_package_dialog

        if self.package_task is None or not self.package_task.running:
            self.package_task = export_package_dialog(self, self.ws, on_done=lambda result: self.refresh())

    def import_package(self) -> None:
        from app.ui.sync.package_actions import import_package_dialog

        if self.package_task is None or not self.package_task.running:
            self.package_task = import_package_dialog(self, self.ws, on_imported=lambda merged: self.refresh())

    def change_operator(self) -> None:
        name, ok = QInputDialog.getText(self, _("更改操作员"), _("操作员姓名："), text=self.ws.operator)
        if not ok:
            return
        try:
            node.set_operator(self.ws, name)
        except AppError as exc:
            show_error(self, exc)
        self.refresh()

    def generate_demo(self, count: int | None = None) -> Task | None:
        if self.task is not None:
            return None
        if count is None:
            count, ok = QInputDialog.getInt(self, _("生成演示数据"), _("子项目个数："), DEMO_SUB_PROJECTS, 1, 100_000)
            if not ok:
                return None
        ws = self.ws

        def work(cancel, progress):
            return demo.generate(ws, sub_projects=count, cancel=cancel, progress=progress)

        def finished(_result=None) -> None:
            self.task = None
            self._update_actions()
            self._after_change()

        self.task = run_task(self, _("生成演示数据"), work, on_done=finished, on_cancelled=finished)
        self.task.error.connect(lambda _exc: finished())
        self._update_actions()
        return self.task

    def start_integrity_check(self) -> Task:
        """``PRAGMA quick_check`` off the GUI thread: a damaged file is reported, never ignored."""
        db = self.ws.db

        def report(problems: list[str]) -> None:
            if problems:
                QMessageBox.critical(self, _("数据库检查未通过"), _(
                    "数据库文件 {path} 检查发现损坏：\n{problems}\n\n请不要继续录入，先备份数据文件夹并联系市档案局技术人员。"
                ).format(path=db.path, problems="\n".join(problems[:10])))

        self.check_task = run_task(self, _("检查数据库"), lambda _cancel, _progress: db.quick_check(),
                                   on_done=report, quiet=True)
        return self.check_task

    def check_attachments(self) -> Task:
        """Re-hash every attachment in the background; report what is missing or altered."""
        from app.services import attachments

        ws = self.ws

        def report(found) -> None:
            if not found:
                QMessageBox.information(self, _("检查附件"), _("全部附件完好：文件齐全，内容与登记时一致。"))
                return
            lines = [f"{p.info.filename}：{p.message}" for p in found[:20]]
            more = _("……另有 {n} 个").format(n=len(found) - 20) if len(found) > 20 else ""
            QMessageBox.warning(self, _("检查附件"), _("发现 {n} 个附件有问题：\n{lines}{more}").format(
                n=len(found), lines="\n".join(lines), more=more))

        self.check_files_task = run_task(self, _("检查附件"),
                                         lambda cancel, progress: attachments.verify_store(ws, cancel, progress),
                                         on_done=report)
        return self.check_files_task

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ws.db.path.parent)))

    def current_module(self) -> str:
        current = self.pages.currentWidget()
        return next((key for key, page in self.module_pages.items() if page is current), REGISTER)

    def show_guide(self, topic: str | None = None):
        """The guide window (one, kept), opened at the page explaining ``topic`` or the current screen."""
        from app.ui.help.help_window import HelpWindow

        if getattr(self, "help_window", None) is None:
            self.help_window = HelpWindow(self)
        self.help_window.show_topic(topic or self.current_module())
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()
        return self.help_window

    def show_about(self) -> None:
        from app.ui.help.about_dialog import AboutDialog

        AboutDialog(self.ws, self).exec()

    def save_settings(self) -> None:
        save_window_state(self, self.splitter, self.register)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.task is not None:
            self.task.cancel()
        wait_for_workers()
        self.save_settings()
        super().closeEvent(event)
