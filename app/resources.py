"""Where the files the application reads at run time are: fonts, migrations, catalogs, the guide.

One Qt-free lookup for the three ways the application runs:

- from the source tree (``python main.py``): the repository root;
- frozen by PyInstaller (``packaging/yaan-archive.spec``): ``sys._MEIPASS``, where the spec
  puts every file at the same relative path as in the repository;
- from an installed wheel: the ``app`` package sits in ``site-packages`` (so ``app/...``
  paths resolve beside it) and ``resources/`` and ``docs/guide/`` are installed as data
  files under ``<prefix>/share/yaan-archive-kit/`` (``pyproject.toml``).

Every path is relative to the repository root and written with forward slashes.
"""

from __future__ import annotations

import site
import sys
import sysconfig
from pathlib import Path

from app.errors import AppError
from app.i18n import _

#: the folder under ``<prefix>/share`` that a non-editable install puts the data files in
DATA_FOLDER = "yaan-archive-kit"

UI_FONT = "resources/fonts/wqy-microhei.ttc"
FONT_LICENCE = "resources/fonts/LICENSE-wqy-microhei.txt"
MIGRATIONS = "app/db/migrations"
#: gettext catalogs; ``app.i18n`` finds them beside itself (it cannot import this module,
#: which imports it), and the spec ships them at this same path
LOCALE = "app/i18n/locale"
GUIDE = "docs/guide"


class ResourceMissing(AppError):
    """A file the application ships is not where it should be: a broken install or bundle."""


def frozen_root() -> Path | None:
    """The folder a PyInstaller bundle unpacked its files to, or None when not frozen."""
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if getattr(sys, "frozen", False) and meipass else None


def roots() -> list[Path]:
    """The folders searched, in order; the first holding a path wins."""
    found: list[Path] = []
    bundle = frozen_root()
    if bundle is not None:
        found.append(bundle)
    found.append(Path(__file__).resolve().parents[1])  # the repository, or site-packages
    for prefix in (sysconfig.get_path("data"), site.getuserbase()):
        if prefix:
            found.append(Path(prefix) / "share" / DATA_FOLDER)
    unique: list[Path] = []
    for root in found:
        if root not in unique:
            unique.append(root)
    return unique


def find(relative: str) -> Path | None:
    """The first existing ``root / relative``, or None."""
    for root in roots():
        candidate = root.joinpath(*relative.split("/"))
        if candidate.exists():
            return candidate
    return None


def path(relative: str) -> Path:
    """Like ``find`` but a missing file is an error naming every place that was searched."""
    found = find(relative)
    if found is None:
        places = "\n".join(str(root) for root in roots())
        raise ResourceMissing(_("程序文件缺失：{name}（已查找：\n{places}）。请重新安装本程序。").format(
            name=relative, places=places))
    return found


def ui_font() -> Path:
    return path(UI_FONT)


def migrations_dir() -> Path:
    return path(MIGRATIONS)


def guide_dir() -> Path:
    return path(GUIDE)
