"""``main.py --self-test`` (and the bundled executable's): the core's steps, then the interface's.

The interface's steps need no display: they run on Qt's offscreen platform and never
show a window. They prove the shipped font registers, Qt's own Chinese catalog
(``qtbase_zh_CN.qm``) loads, and every page of the user guide is there with its pictures.

A Windows bundle is a windowed program with no console to print to, so ``--report FILE``
also writes the lines to a file (UTF-8).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from app import selftest
from app.i18n import N_, _
from app.selftest import Context, SelfTestFailed

_qt_app = None


def _application():
    """One offscreen QApplication for the interface's steps (made on first use)."""
    global _qt_app
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        from PySide6.QtCore import qInstallMessageHandler

        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never a window, whatever the system has
        qInstallMessageHandler(_quiet_offscreen)
        _qt_app = QApplication([sys.argv[0] if sys.argv else "yaan-archive", "-platform", "offscreen"])
    return QApplication.instance()


def _quiet_offscreen(_mode, _context, message: str) -> None:
    # "This plugin does not support raise()" and the like: the offscreen platform is meant
    if not message.startswith("This plugin does not support") and sys.stderr is not None:
        print(message, file=sys.stderr)


def ui_font(_ctx: Context) -> str:
    from app.ui.fonts import install_ui_font

    app = _application()
    family = install_ui_font(app)
    if "wenquanyi" not in family.lower().replace(" ", ""):
        raise SelfTestFailed(_("界面字体没有注册成功（当前字体：{family}）。").format(family=family))
    return _("{family}（{platform} 平台）").format(family=family, platform=app.platformName())


def qt_catalog(_ctx: Context) -> str:
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.qt_translations import install_qt_translations, qt_translations_dir

    app = _application()
    if not install_qt_translations(app, "zh_CN"):
        raise SelfTestFailed(_("找不到 Qt 的中文翻译 qtbase_zh_CN.qm（查找位置：{folder}）。").format(
            folder=qt_translations_dir()))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    text = buttons.button(QDialogButtonBox.StandardButton.Cancel).text()
    if text.replace("&", "") == "Cancel":
        raise SelfTestFailed(_("Qt 的中文翻译已加载，但标准按钮仍是英文。"))
    return _("qtbase_zh_CN.qm 已加载（{folder}），“Cancel”按钮显示为“{text}”").format(
        folder=qt_translations_dir(), text=text)


def guide(_ctx: Context) -> str:
    from app.ui.help import guide_pages

    pages = guide_pages.pages()
    if not pages:
        raise SelfTestFailed(_("用户指南没有任何页面。"))
    images = 0
    for page in pages:
        text = page.path.read_text(encoding="utf-8")
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text):
            if not (page.path.parent / target).is_file():
                raise SelfTestFailed(_("用户指南页面 {page} 的图片缺失：{image}").format(page=page.path.name,
                                                                                   image=target))
            images += 1
    return _("{n} 页、{images} 张截图（{folder}）").format(n=len(pages), images=images, folder=pages[0].path.parent)


def screens(ctx: Context) -> str:
    """The main window over the self-test's database, every module's page opened (pages are
    imported by name, so a bundle missing one fails here), the guide at a topic and 关于."""
    from app.ui.help.about_dialog import AboutDialog
    from app.ui.main_window import MainWindow
    from app.ui.modules import MODULES
    from app.ui.worker import wait_for_workers

    app = _application()
    window = MainWindow(ctx.ws)
    try:
        for module in MODULES:
            try:
                window.show_module(module.key)
                app.processEvents()
            except Exception as exc:  # noqa: BLE001 - named, with the page it broke
                raise SelfTestFailed(_("“{label}”页面（{page}）无法打开：{error}").format(
                    label=module.title(), page=module.page, error=f"{type(exc).__name__}: {exc}")) from exc
        page = window.show_guide("acceptances").current_key()
        if not page or page == "00-index":
            raise SelfTestFailed(_("按 F1 没有打开用户指南中讲解档案验收的一节。"))
        about = AboutDialog(ctx.ws, window)
        if str(ctx.ws.db.path) not in about.text():
            raise SelfTestFailed(_("“关于”没有显示数据库路径。"))
    finally:
        wait_for_workers()
        window.hide()  # not close(): that would save this window's layout in the user's settings
        window.deleteLater()
        app.processEvents()
    return _("主窗口和 {n} 个模块页面均已打开；F1 打开“{page}”，“关于”列出 {libs} 个组件").format(
        n=len(MODULES), page=page, libs=len(about.components))


UI_STEPS: tuple[tuple[str, selftest.Step], ...] = (
    (N_("界面字体"), ui_font),
    (N_("Qt 中文翻译"), qt_catalog),
    (N_("用户指南"), guide),
    (N_("主窗口与各页面"), screens),
)


def main(argv: list[str]) -> int:
    """Run every step; print each line, and write them to ``--report`` when given."""
    parser = argparse.ArgumentParser(prog="main.py --self-test")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--report", type=Path, default=None, help=_("同时把自检结果写入此文件"))
    args, _rest = parser.parse_known_args(argv)
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        if sys.stdout is not None:  # a windowed Windows program has no console
            print(line, flush=True)

    code = selftest.run((*selftest.CORE_STEPS, *UI_STEPS), say=say)
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return code
