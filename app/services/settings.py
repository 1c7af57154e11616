"""The installation's settings, without Qt: read at start by the core, the CLI and the UI.

One small JSON file in the platform's config folder (``settings.json``), written to a
temporary name and renamed, so a power cut leaves the old file or the new one. It holds
what the core needs before any window exists: where the data lives, where automatic
backups go and how many are kept, the interface language (applied at the next start),
and the printer and paper the print paths use. Who operates the laptop stays in the
database (``node.set_operator``): it travels with the data, not with the laptop.

The file carries a version; older files are brought up to date by registered upgrade
functions, one per version step, so a laptop that skipped releases still reads its file.
A file that cannot be read is kept aside (``settings.json.unreadable-<time>``) and the
defaults are used: a damaged settings file must never keep the program from starting.

``YAAN_ARCHIVE_KIT_HOME`` moves the config and log folders (tests; a portable install).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from platformdirs import user_config_path, user_log_path

from app.errors import ValidationError
from app.i18n import N_, _
from app.services.workspace import APP_DIR_NAME, default_db_path

log = logging.getLogger(__name__)

HOME_ENV = "YAAN_ARCHIVE_KIT_HOME"
FILE_NAME = "settings.json"
DB_FILE_NAME = "archive.db"
BACKUPS_DIR = "backups"
VERSION = 1

#: language code -> its own name (a language is always shown in itself)
LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}  # i18n: input vocabulary
#: paper name (as Qt's QPageSize ids spell it) -> label
PAPER_SIZES: dict[str, str] = {
    "A4": N_("A4（210 × 297 毫米）"),
    "A3": N_("A3（297 × 420 毫米）"),
    "B5": N_("B5（176 × 250 毫米）"),
    "Letter": N_("Letter（216 × 279 毫米）"),
}
KEEP_MIN, KEEP_MAX = 1, 100

LABELS = {
    "data_folder": N_("数据文件夹"),
    "backup_folder": N_("备份文件夹"),
    "backups_keep": N_("保留自动备份份数"),
    "language": N_("界面语言"),
    "paper_size": N_("纸张"),
    "printer": N_("默认打印机"),
}


def home_override() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value) if value else None


def config_dir() -> Path:
    home = home_override()
    return home / "config" if home else user_config_path(APP_DIR_NAME, appauthor=False)


def log_dir() -> Path:
    home = home_override()
    return home / "logs" if home else user_log_path(APP_DIR_NAME, appauthor=False)


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def default_data_folder() -> Path:
    return default_db_path().parent


@dataclass(frozen=True)
class Settings:
    """Empty folders mean the defaults: the platform's data folder, and ``backups`` inside it."""

    data_folder: str = ""
    backup_folder: str = ""
    backups_keep: int = 10
    language: str = "zh_CN"
    printer: str = ""
    paper_size: str = "A4"

    def data_dir(self) -> Path:
        return Path(self.data_folder) if self.data_folder else default_data_folder()

    def database_path(self) -> Path:
        return self.data_dir() / DB_FILE_NAME

    def backup_dir(self) -> Path:
        return Path(self.backup_folder) if self.backup_folder else self.data_dir() / BACKUPS_DIR


# -- upgrades ------------------------------------------------------------------------
#: version reached -> function turning the previous version's dict into this one's
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def upgrade(version: int):
    def register(fn: Callable[[dict[str, Any]], dict[str, Any]]):
        UPGRADES[version] = fn
        return fn
    return register


@upgrade(1)
def _to_1(raw: dict[str, Any]) -> dict[str, Any]:
    # Version 0 is a file written before settings were versioned: keep the known keys.
    return {k: v for k, v in raw.items() if k in {f.name for f in fields(Settings)}}


def upgrade_raw(raw: dict[str, Any]) -> dict[str, Any]:
    version = raw.pop("version", 0)
    if not isinstance(version, int) or version < 0:
        raise ValueError(f"settings version {version!r}")
    for step in range(version + 1, VERSION + 1):
        raw = UPGRADES[step](raw)
    return raw


def _coerce(raw: Mapping[str, Any]) -> Settings:
    """Known keys of the right type; anything else falls back to the default."""
    defaults = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        value = raw.get(f.name, getattr(defaults, f.name))
        values[f.name] = value if isinstance(value, type(getattr(defaults, f.name))) else getattr(defaults, f.name)
    settings = Settings(**values)
    if settings.language not in LANGUAGES:
        settings = replace(settings, language=defaults.language)
    if settings.paper_size not in PAPER_SIZES:
        settings = replace(settings, paper_size=defaults.paper_size)
    if not KEEP_MIN <= settings.backups_keep <= KEEP_MAX:
        settings = replace(settings, backups_keep=defaults.backups_keep)
    return settings


def load(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        log.warning("settings file %s unreadable (%s): defaults used", path, exc)
        return Settings()
    try:
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        if isinstance(raw.get("version"), int) and raw["version"] > VERSION:
            # a newer program wrote it (the laptop went back a version): read the keys we know
            log.warning("settings file %s is from a newer version: known keys read", path)
            raw.pop("version")
            return _coerce(raw)
        return _coerce(upgrade_raw(raw))
    except (ValueError, KeyError) as exc:
        aside = path.with_name(f"{path.name}.unreadable-{datetime.now():%Y%m%d-%H%M%S}")
        log.warning("settings file %s damaged (%s): kept as %s, defaults used", path, exc, aside)
        try:
            os.replace(path, aside)
        except OSError:
            pass
        return Settings()


def save(settings: Settings, path: Path | None = None) -> Path:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"version": VERSION, **asdict(settings)}, ensure_ascii=False, indent=2)
    fd, temp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


# -- validation ----------------------------------------------------------------------
def _folder_problem(text: str, label: str) -> str | None:
    """Why ``text`` cannot be used as a folder we write to (None: it can)."""
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        return _("“{label}”应为完整路径（例如 D:\\档案数据），不能是相对路径。").format(label=label)
    if folder.exists() and not folder.is_dir():
        return _("“{label}”{path} 是一个文件，不是文件夹。").format(label=label, path=folder)
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.exists():
        return _("“{label}”{path} 所在的磁盘不存在（U 盘是否已插入？）。").format(label=label, path=folder)
    if not os.access(existing, os.W_OK):
        return _("“{label}”{path} 不可写入，请换一个文件夹。").format(label=label, path=folder)
    return None


def validate(values: Mapping[str, Any], base: Settings | None = None) -> Settings:
    """The settings a form asks for, or a ``ValidationError`` naming each bad field."""
    base = base or Settings()
    errors: dict[str, str] = {}
    data_folder = str(values.get("data_folder", base.data_folder) or "").strip()
    backup_folder = str(values.get("backup_folder", base.backup_folder) or "").strip()
    for key, text in (("data_folder", data_folder), ("backup_folder", backup_folder)):
        if text:
            problem = _folder_problem(text, _(LABELS[key]))
            if problem:
                errors[key] = problem
    keep_text = str(values.get("backups_keep", base.backups_keep)).strip()
    keep = base.backups_keep
    try:
        keep = int(keep_text)
        if not KEEP_MIN <= keep <= KEEP_MAX:
            raise ValueError
    except ValueError:
        errors["backups_keep"] = _("“{label}”应为 {low} 到 {high} 之间的整数，现为“{value}”。").format(
            label=_(LABELS["backups_keep"]), low=KEEP_MIN, high=KEEP_MAX, value=keep_text)
    language = values.get("language", base.language)
    if language not in LANGUAGES:
        errors["language"] = _("请选择界面语言。")
    paper = values.get("paper_size", base.paper_size)
    if paper not in PAPER_SIZES:
        errors["paper_size"] = _("请选择纸张大小。")
    if data_folder and backup_folder and Path(backup_folder).expanduser() == Path(data_folder).expanduser():
        errors["backup_folder"] = _("备份文件夹不能就是数据文件夹本身，请选其中的子文件夹或另一块磁盘（U 盘）。")
    if errors:
        raise ValidationError(errors)
    return Settings(data_folder=str(Path(data_folder).expanduser()) if data_folder else "",
                    backup_folder=str(Path(backup_folder).expanduser()) if backup_folder else "",
                    backups_keep=keep, language=language, printer=str(values.get("printer", base.printer) or ""),
                    paper_size=paper)
