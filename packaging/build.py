"""Build the one-folder bundle and prove it works: ``python packaging/build.py``.

Runs PyInstaller on ``packaging/yaan-archive.spec`` (dist/yaan-archive/), then the bundled
executable's ``--self-test`` and a first command of the bundled command-line program
(``yaan-archive-cli``); exits non-zero if any of them fails. ``--zip`` also packs the
folder as dist/yaan-archive-<version>-<system>.zip for the USB stick.
Needs ``pip install pyinstaller``; build on the system the bundle is for.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "yaan-archive.spec"
NAME = "yaan-archive"


def folder_size(folder: Path) -> int:
    """Bytes on disk, each file once (PyInstaller links some files and folders)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def check_cli(executable: Path, work: Path) -> str:
    """Set up a throw-away database with the bundled command-line program and read its
    figures back as JSON; an empty string when that works, else what went wrong."""
    db = work / "cli-check" / "check.db"
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    steps = (["init", "--division", "芦山县", "--operator", "自检"], ["stats", "--json"])
    for step in steps:
        result = subprocess.run([str(executable), "--db", str(db), *step], capture_output=True, text=True,
                                encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        if result.returncode != 0:
            return f"{' '.join(step)}: exit code {result.returncode}: {result.stderr.strip()[-500:]}"
    try:
        figures = json.loads(result.stdout)
    except ValueError:
        return f"stats --json printed no JSON: {result.stdout[:200]!r}"
    print(f"command-line program {executable.name}: init and stats --json work ({len(figures)} figures)")
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder")
    parser.add_argument("--no-self-test", action="store_true", help="skip running the bundle's --self-test")
    parser.add_argument("--zip", action="store_true", help="also pack the bundle folder into a .zip")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean",
                    "--distpath", str(args.dist), "--workpath", str(args.work)], cwd=ROOT, check=True)
    bundle = args.dist / NAME
    executable = bundle / (NAME + (".exe" if sys.platform == "win32" else ""))
    print(f"bundle {bundle}: {folder_size(bundle) / 2**20:.0f} MB, built in {time.perf_counter() - started:.0f} s")

    if not args.no_self_test:
        report = args.work / "self-test.txt"
        # a windowed Windows executable prints nothing: its report file is read back instead
        result = subprocess.run([str(executable), "--self-test", "--report", str(report)], cwd=args.dist)
        if sys.platform == "win32" and report.exists():
            print(report.read_text(encoding="utf-8"))
        if result.returncode != 0:
            print(f"the bundle's self-test failed (exit code {result.returncode})", file=sys.stderr)
            return result.returncode or 1

        failure = check_cli(bundle / (NAME + "-cli" + (".exe" if sys.platform == "win32" else "")), args.work)
        if failure:
            print(f"the bundle's command-line program failed: {failure}", file=sys.stderr)
            return 1

    if args.zip:
        sys.path.insert(0, str(ROOT))
        from app import __version__

        system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
        base = args.dist / f"{NAME}-{__version__}-{system}-{platform.machine().lower()}"
        archive = shutil.make_archive(str(base), "zip", root_dir=args.dist, base_dir=NAME)
        print(f"archive {archive}: {Path(archive).stat().st_size / 2**20:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
