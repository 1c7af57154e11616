"""Several packages at once: each merged on its own, one backup before the first merge."""

from __future__ import annotations

import json

import pytest

from app.errors import Cancelled
from app.services import backups, package_batch, packages, sub_projects
from app.services.package_batch import ALREADY, MERGEABLE, MERGED, NOT_MERGED, REFUSED
from app.services.tasks import CancelToken
from tests.sync_support import city_and_counties, digest, register


@pytest.fixture
def round_of_packages(tmp_path):
    """The city and two counties, each county with a package of its sub-projects for the city."""
    city, (lushan, baoxing) = city_and_counties(tmp_path, ("lushan", "芦山县", "张晓梅"), ("baoxing", "宝兴县", "李文"))
    register(lushan, "LS-1")
    register(lushan, "LS-2")
    register(baoxing, "BX-1", division="宝兴县")
    paths = [packages.export_package(lushan, tmp_path / "芦山县-1.zip").path,
             packages.export_package(baoxing, tmp_path / "宝兴县-1.zip").path]
    broken = tmp_path / "坏包.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    yield city, paths, broken
    for ws in (city, lushan, baoxing):
        ws.close()


def _automatic_backups(ws):
    return [b for b in backups.list_backups(backups.automatic_folder(ws.db.path)) if b.automatic]


def test_the_preview_of_a_batch_changes_nothing_and_says_what_each_package_would_do(round_of_packages):
    city, paths, broken = round_of_packages
    before = digest(city)
    items = package_batch.preview_packages(city, [*paths, broken])
    assert [i.state for i in items] == [MERGEABLE, MERGEABLE, REFUSED]
    assert items[0].preview.counts["added"] == 4 and items[1].preview.counts["added"] == 2
    assert "芦山县" in items[0].preview.origin_label
    assert items[2].reason and items[2].preview is None
    assert digest(city) == before and _automatic_backups(city) == []


def test_a_batch_merges_every_good_package_after_one_backup_and_reports_the_refused_one(round_of_packages):
    city, paths, broken = round_of_packages
    items = package_batch.import_packages(city, [paths[0], broken, paths[1]])
    assert [i.state for i in items] == [MERGED, REFUSED, MERGED]
    assert {sub_projects.get(city, sub_projects.uid_for_code(city, c)).code for c in ("LS-1", "LS-2", "BX-1")} == \
        {"LS-1", "LS-2", "BX-1"}
    assert len(_automatic_backups(city)) == 1
    assert package_batch.summary(items) == "合并 2 个 · 已导入过 0 个 · 被拒 1 个 · 未合并 0 个"

    again = package_batch.import_packages(city, paths)
    assert [i.state for i in again] == [ALREADY, ALREADY]
    assert len(_automatic_backups(city)) == 1  # nothing merged, nothing backed up


def test_a_cancel_keeps_what_was_merged_and_rolls_back_the_package_it_stopped(round_of_packages, monkeypatch):
    city, paths, _broken = round_of_packages
    token = CancelToken()
    merge = packages.merge.apply_changes
    calls = []

    def second_is_cancelled(session, changes, **kwargs):
        calls.append(1)
        report = merge(session, changes, **kwargs)
        if len(calls) == 2:
            token.cancel()
            token.check()  # inside the second package's transaction: it rolls back
        return report

    monkeypatch.setattr(packages.merge, "apply_changes", second_is_cancelled)
    items = package_batch.import_packages(city, [*paths, paths[0]], cancel=token)
    assert [i.state for i in items] == [MERGED, NOT_MERGED, NOT_MERGED]
    assert sub_projects.uid_for_code(city, "LS-1") is not None
    assert sub_projects.uid_for_code(city, "BX-1") is None
    assert "取消" in items[1].reason and "未处理" in items[2].reason
    with pytest.raises(Cancelled):
        token.check()


def test_the_command_line_takes_several_packages_and_says_what_became_of_each(round_of_packages, capsys):
    from app.cli import main

    city, paths, broken = round_of_packages
    db = str(city.db.path)
    assert main(["--db", db, "import-package", *map(str, paths), "--dry-run", "--json"]) == 0
    previews = json.loads(capsys.readouterr().out)
    assert [p["state"] for p in previews] == [MERGEABLE, MERGEABLE]
    assert sub_projects.uid_for_code(city, "LS-1") is None

    # one refused: reported with its reason, the others merged, exit status 1
    assert main(["--db", db, "import-package", str(paths[0]), str(broken), str(paths[1])]) == 1
    out = capsys.readouterr().out
    assert "芦山县-1.zip: 已合并  新增 4" in out and "坏包.zip: 被拒" in out
    assert "合并 2 个 · 已导入过 0 个 · 被拒 1 个 · 未合并 0 个" in out
    assert sub_projects.uid_for_code(city, "BX-1") is not None
