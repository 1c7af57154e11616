"""Command-line backups: ``backup OUT_DIR``, ``restore BACKUP``, ``backups [FOLDER]``.

These work on the database file itself and never open it as a workspace first: a
restore must work when the database is damaged or missing (a new laptop), and opening
it would upgrade its schema before the backup is taken.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.errors import AppError
from app.i18n import _
from app.services import backups, restore
from app.services import settings as app_settings


def add_commands(commands) -> None:
    backup = commands.add_parser("backup", help=_("把数据库和附件备份到一个文件夹（如 U 盘），写完后读回校验"))
    backup.add_argument("out", type=Path, help=_("存放备份的文件夹；每次备份在其中新建一个带时间的子文件夹"))
    back = commands.add_parser("restore", help=_("先校验备份，再用它替换当前数据库（原数据库改名保留）"))
    back.add_argument("backup", type=Path, help=_("备份文件夹（其中有 manifest.json）"))
    listing = commands.add_parser("backups", help=_("列出文件夹中的备份（默认：设置中的备份文件夹）"))
    listing.add_argument("folder", type=Path, nargs="?", default=None)


def _progress(done: int, total: int, message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{message} {done}/{total}" if total else f"\r{message}", end="", file=sys.stderr, flush=True)


def _done_progress() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def _backup(db_path: Path, args: argparse.Namespace) -> int:
    info = backups.create_backup(db_path, args.out, progress=_progress)
    _done_progress()
    print(_("已备份并读回校验：{path}").format(path=info.path))
    print(info.describe())
    return 0


def _restore(db_path: Path, args: argparse.Namespace) -> int:
    result = restore.restore_backup(args.backup, db_path, progress=_progress)
    _done_progress()
    print(_("已从备份恢复数据库 {path}：").format(path=result.database))
    print(result.backup.describe())
    if result.replaced is not None:
        print(_("原数据库已改名保留为 {path}").format(path=result.replaced))
    print(_("补回附件 {n} 个。").format(n=result.attachments_added))
    return 0


def _list(db_path: Path, args: argparse.Namespace) -> int:
    folder = args.folder or backups.automatic_folder(db_path)
    found = backups.list_backups(folder)
    if not found:
        print(_("{folder} 中没有备份。").format(folder=folder))
    for info in found:
        print(info.path)
        print("  " + info.describe().replace("\n", "\n  "))
    return 0


COMMANDS = {"backup": _backup, "restore": _restore, "backups": _list}


def default_db_path() -> Path:
    """The database of the configured data folder (设置 > 数据文件夹)."""
    return app_settings.load().database_path()


def run(db_path: Path, args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](Path(db_path), args)
    except AppError as exc:
        _done_progress()
        print(exc.message, file=sys.stderr)
        return 1
