"""Start the GUI: Qt application, font, database (upgraded if needed), first-run setup."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.errors import AppError
from app.i18n import _, set_language
from app.services import logs, sub_project_search
from app.services import settings as app_settings
from app.services.workspace import Workspace
from app.ui.dialogs.setup_dialog import DEMO_SUB_PROJECTS, SetupDialog
from app.ui.drafts import offer_drafts
from app.ui.errors import install_excepthook
from app.ui.fonts import install_ui_font
from app.ui.help.dialog_help import install_dialog_help
from app.ui.main_window import MainWindow
from app.ui.modules import preload_when_idle
from app.ui.qt_translations import install_qt_translations

ORGANIZATION = "YaanArchives"
APPLICATION = "FieldArchiveKit"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py")
    parser.add_argument("--db", type=Path, default=None, help=_("数据库文件"))
    parser.add_argument("--demo", action="store_true",
                        help=_("数据库为空时载入演示数据（{n} 个子项目）").format(n=DEMO_SUB_PROJECTS))
    parser.add_argument("--self-test", action="store_true",
                        help=_("不打开窗口，检查本程序（数据库、证书、字体、翻译、用户指南）能否正常工作；通过则退出码为 0"))
    parser.add_argument("--report", type=Path, default=None, help=_("自检时同时把结果写入此文件"))
    parser.add_argument("--lang", default=None, choices=sorted(app_settings.LANGUAGES),
                        help=_("本次启动使用的界面语言，不改变设置中的语言"))
    args, _qt_args = parser.parse_known_args(argv)
    return args


def language_from_args(argv: list[str]) -> str | None:
    """``--lang CODE`` or ``--lang=CODE``, read before argparse: its help texts are translated."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def start_language(argv: list[str], settings: app_settings.Settings) -> str:
    """Set this start's language before any text is made: ``--lang`` (for screenshots and tests),
    else 设置 > 界面语言; an unknown code falls back to the settings'. Qt's own strings follow in
    ``create_application``."""
    language = language_from_args(argv)
    if language not in app_settings.LANGUAGES:
        language = settings.language
    set_language(language)
    return language


def create_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(_("档案现场工作包"))
    install_ui_font(app)
    install_qt_translations(app)
    install_dialog_help(app)
    return app


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    settings = app_settings.load()
    start_language(argv[1:], settings)  # before any text is made: 设置 > 界面语言, or --lang
    args = parse_args(argv[1:])
    if args.self_test:
        from app.ui.selftest import main as self_test

        return self_test(argv[1:])
    logs.setup_logging()  # the rotating log file in the platform's log folder, and stderr
    app = create_application(argv)
    install_excepthook()
    try:
        ws = Workspace.open(args.db or settings.database_path())
    except AppError as exc:
        QMessageBox.critical(None, _("无法打开数据库"), exc.message)
        return 1
    logging.getLogger(__name__).info("database %s", ws.db.path)  # named in crash reports' log tail
    load_demo = False
    if ws.needs_setup:
        setup = SetupDialog(ws, offer_demo=args.demo)
        if setup.exec() != QDialog.DialogCode.Accepted:
            return 0
        load_demo = setup.load_demo
    elif args.demo:
        load_demo = sub_project_search.count_live(ws) == 0
    window = MainWindow(ws)
    window.show()
    window.start_integrity_check()
    if load_demo:
        window.generate_demo(DEMO_SUB_PROJECTS)
    # edits a crash left unsaved, offered once the window is painted
    QTimer.singleShot(0, lambda: offer_drafts(window, ws))
    preload_when_idle()
    code = app.exec()
    ws.close()
    return code
