"""Settings, drafts and crash reports of the core: files that must survive damage and upgrades."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.errors import ValidationError
from app.services import drafts, logs
from app.services import settings as app_settings


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv(app_settings.HOME_ENV, str(tmp_path / "home"))


def test_no_file_gives_the_defaults(tmp_path):
    settings = app_settings.load()
    assert settings == app_settings.Settings()
    assert settings.language == "zh_CN" and settings.paper_size == "A4" and settings.backups_keep == 10
    assert settings.backup_dir() == settings.data_dir() / "backups"
    assert app_settings.settings_path().parent == tmp_path / "home" / "config"
    assert app_settings.log_dir() == tmp_path / "home" / "logs"


def test_settings_round_trip_with_chinese_folders(tmp_path):
    chosen = app_settings.Settings(data_folder=str(tmp_path / "档案数据"), backup_folder=str(tmp_path / "U盘" / "备份"),
                                   backups_keep=7, language="en", printer="办公室打印机", paper_size="A3")
    app_settings.save(chosen)
    assert app_settings.load() == chosen
    assert chosen.database_path() == tmp_path / "档案数据" / "archive.db"
    raw = json.loads(app_settings.settings_path().read_text(encoding="utf-8"))
    assert raw["version"] == app_settings.VERSION and raw["data_folder"].endswith("档案数据")


def test_a_damaged_file_is_kept_aside_and_the_defaults_used():
    path = app_settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"language": "en", ', encoding="utf-8")
    assert app_settings.load() == app_settings.Settings()
    assert not path.exists()
    assert len(list(path.parent.glob("settings.json.unreadable-*"))) == 1


def test_an_unversioned_file_is_upgraded_and_bad_values_fall_back():
    path = app_settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"language": "en", "backups_keep": "many", "paper_size": "A9", "old_key": 1}),
                    encoding="utf-8")
    settings = app_settings.load()
    assert settings.language == "en" and settings.backups_keep == 10 and settings.paper_size == "A4"


def test_a_file_from_a_newer_version_is_read_for_what_is_known():
    path = app_settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 99, "language": "en", "new_thing": {"x": 1}}), encoding="utf-8")
    assert app_settings.load().language == "en"
    assert path.exists()


def test_validation_names_each_bad_field(tmp_path):
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x")
    with pytest.raises(ValidationError) as refused:
        app_settings.validate({"data_folder": "档案数据", "backup_folder": str(a_file), "backups_keep": "三",
                               "language": "fr", "paper_size": "A4"})
    errors = refused.value.field_errors
    assert "完整路径" in errors["data_folder"]
    assert "是一个文件" in errors["backup_folder"]
    assert "1 到 100 之间的整数" in errors["backups_keep"] and "“三”" in errors["backups_keep"]
    assert set(errors) == {"data_folder", "backup_folder", "backups_keep", "language"}

    with pytest.raises(ValidationError) as same:
        app_settings.validate({"data_folder": str(tmp_path), "backup_folder": str(tmp_path)})
    assert set(same.value.field_errors) == {"backup_folder"}

    good = app_settings.validate({"data_folder": str(tmp_path / "新文件夹"), "backup_folder": "", "backups_keep": " 5 ",
                                  "language": "en", "paper_size": "B5", "printer": ""})
    assert good.backups_keep == 5 and good.data_folder == str(tmp_path / "新文件夹") and good.paper_size == "B5"


# -- drafts -----------------------------------------------------------------------------
def test_drafts_are_kept_per_database_until_discarded(tmp_path):
    store = drafts.DraftStore(tmp_path / "archive.db")
    other = drafts.DraftStore(tmp_path / "other.db")
    draft = drafts.new_draft("guidance_visit", context={"sub_project_uid": "s1"}, title="新建现场指导 — 一期")
    saved = store.save(draft, {"visit": {"content": "档案室潮湿"}, "problems": []})
    other.save(drafts.new_draft("sub_project", "u2"), {"code": "X"})
    (store.folder / "broken.json").write_text("{", encoding="utf-8")

    listed = store.list()
    assert [d.id for d in listed] == [draft.id]
    assert listed[0].values["visit"]["content"] == "档案室潮湿" and listed[0].saved_at == saved.saved_at
    assert listed[0].context == {"sub_project_uid": "s1"} and listed[0].record_uid is None
    store.discard(draft.id)
    assert store.list() == [] and len(other.list()) == 1


# -- logs and crash reports ---------------------------------------------------------------
def test_a_crash_report_holds_the_traceback_versions_and_the_log_tail(tmp_path, monkeypatch):
    log_file = tmp_path / "archive-kit.log"
    log_file.write_text("\n".join(f"line {n}" for n in range(500)), encoding="utf-8")
    monkeypatch.setattr(logs, "log_file", lambda: log_file)
    try:
        raise RuntimeError("数据库连接中断")
    except RuntimeError as exc:
        path = logs.write_crash_report(type(exc), exc, exc.__traceback__, details={"window": "VisitDialog"},
                                       folder=tmp_path / "reports")
    text = path.read_text(encoding="utf-8")
    assert "RuntimeError: 数据库连接中断" in text and "window: VisitDialog" in text
    assert "version: " in text and "line 499" in text and "line 299" not in text


def test_logging_goes_to_a_rotating_file_in_the_log_folder(tmp_path):
    script = ("import logging; from app.services import logs; path = logs.setup_logging(); "
              "logging.getLogger('probe').warning('记录一行'); print(path)")
    env_home = tmp_path / "home"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, app_settings.HOME_ENV: str(env_home)})
    assert result.returncode == 0, result.stderr
    log_file = env_home / "logs" / logs.LOG_NAME
    assert result.stdout.strip() == str(log_file)
    assert "记录一行" in log_file.read_text(encoding="utf-8")
    assert (env_home / "logs" / logs.FAULTS_NAME).exists()
