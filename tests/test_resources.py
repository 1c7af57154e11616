"""The resource locator finds shipped files from source, from a bundle and from a wheel's data folder."""

from __future__ import annotations

import sys

import pytest

from app import resources
from app.db import migrate


def test_from_source_the_font_migrations_and_licence_are_found():
    assert resources.ui_font().name == "wqy-microhei.ttc" and resources.ui_font().stat().st_size > 1_000_000
    assert (resources.migrations_dir() / "env.py").is_file()
    assert resources.path(resources.FONT_LICENCE).is_file()
    assert migrate.head_revision()  # alembic reads the scripts through the locator


def test_a_frozen_bundle_is_searched_first(tmp_path, monkeypatch):
    font = tmp_path / "resources" / "fonts" / "wqy-microhei.ttc"
    font.parent.mkdir(parents=True)
    font.write_bytes(b"font")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.frozen_root() == tmp_path
    assert resources.roots()[0] == tmp_path
    assert resources.ui_font() == font
    # what the bundle lacks still comes from the next root
    assert resources.migrations_dir() == migrate.Path(migrate.__file__).resolve().parent / "migrations"


def test_a_wheel_install_reads_the_shared_data_folder(tmp_path, monkeypatch):
    shared = tmp_path / "prefix" / "share" / resources.DATA_FOLDER
    page = shared / "docs" / "guide" / "only-installed.md"
    page.parent.mkdir(parents=True)
    page.write_text("# x", encoding="utf-8")
    monkeypatch.setattr(resources.sysconfig, "get_path", lambda name: str(tmp_path / "prefix"))
    assert shared in resources.roots()
    assert resources.find("docs/guide/only-installed.md") == page


def test_a_missing_file_names_where_it_was_looked_for():
    with pytest.raises(resources.ResourceMissing) as caught:
        resources.path("resources/fonts/no-such-font.ttf")
    assert "no-such-font.ttf" in caught.value.message
    assert str(resources.roots()[0]) in caught.value.message
