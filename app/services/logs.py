"""The log file and crash reports, without Qt.

The program logs to a rotating file in the platform's log folder (``archive-kit.log``,
1 MB, five old files kept) and to stderr. ``faults.log`` beside it receives the Python
stacks of a hard crash (a segfault in a native library) through ``faulthandler``, which
no exception hook ever sees. A crash report is one text file a person can e-mail or
carry on a stick: time, versions, the traceback, the database, the last lines of the log.

A log folder that cannot be written never keeps the program from starting: it then logs
to stderr only.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import platform
import sqlite3
import sys
import tempfile
import threading
import traceback
from collections.abc import Mapping
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from app import __version__
from app.services import settings as app_settings

LOG_NAME = "archive-kit.log"
FAULTS_NAME = "faults.log"
REPORTS_DIR = "crash-reports"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger(__name__)
_file_handler: RotatingFileHandler | None = None
_faults = None


def setup_logging(level: int = logging.INFO, folder: Path | None = None) -> Path | None:
    """Log to the rotating file and stderr; returns the log file (None: stderr only).
    Calling it again changes nothing."""
    global _file_handler, _faults
    root = logging.getLogger()
    root.setLevel(level)
    if _file_handler is not None:
        return Path(_file_handler.baseFilename)
    if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
               for h in root.handlers):
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(stream)
    folder = folder or app_settings.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                      encoding="utf-8")
        faults = folder / FAULTS_NAME
        if faults.exists() and faults.stat().st_size > MAX_BYTES:
            os.replace(faults, faults.with_name(FAULTS_NAME + ".1"))  # one old file kept, as for the log
        _faults = open(faults, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
    except OSError as exc:
        log.warning("log folder %s not writable (%s): logging to stderr only", folder, exc)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    _file_handler = handler
    faulthandler.enable(_faults)
    logging.captureWarnings(True)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.error("uncaught in thread %s", args.thread.name if args.thread else "?",
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
    threading.excepthook = thread_hook
    log.info("started %s %s (Python %s, %s)", "yaan-archive-kit", __version__, platform.python_version(),
             platform.platform())
    return Path(handler.baseFilename)


def log_file() -> Path | None:
    return Path(_file_handler.baseFilename) if _file_handler is not None else None


def log_tail(lines: int = 200, path: Path | None = None) -> str:
    """The last ``lines`` lines of the log file ("" when there is none)."""
    path = path or log_file()
    if path is None or not path.exists():
        return ""
    if _file_handler is not None:
        _file_handler.flush()
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 256 * 1024))
        text = fh.read().decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def reports_dir() -> Path:
    return app_settings.log_dir() / REPORTS_DIR


def write_crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, *,
                       details: Mapping[str, str] | None = None, folder: Path | None = None) -> Path:
    """Write a crash report and return its path. ``details`` adds what only the caller knows
    (the Qt version, the database, the window open)."""
    folder = folder or reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now()
    facts = {"time": now.isoformat(timespec="seconds"), "version": __version__,
             "python": f"{platform.python_version()} ({sys.executable})", "platform": platform.platform(),
             "sqlite": sqlite3.sqlite_version, "frozen": str(bool(getattr(sys, "frozen", False))),
             **dict(details or {})}
    text = "\n".join([
        "Field archive kit - crash report",
        *(f"{key}: {value}" for key, value in facts.items()),
        "",
        "== traceback ==",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
        "",
        "== log (last lines) ==",
        log_tail(),
        "",
    ])
    fd, temp = tempfile.mkstemp(prefix=".crash-", dir=folder)
    path = folder / f"crash-{now:%Y%m%d-%H%M%S-%f}.txt"
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temp, path)
    log.error("crash report written to %s", path)
    return path
