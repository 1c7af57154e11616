"""What 帮助 > 关于 lists: the shipped libraries' licences from metadata, the font's, this node."""

from __future__ import annotations

from app import __version__, licences
from app.services import about, enrolment
from app.sync import keys


def test_every_runtime_requirement_is_listed_with_its_licence():
    listed = {licences.normalise(c.name): c for c in licences.components()}
    for name in licences.direct_requirements():
        assert licences.normalise(name) in listed, name
    assert listed["python"].licence == "PSF-2.0"
    assert listed["sqlalchemy"].licence == "MIT"
    assert "LGPL-3.0" in listed["pyside6-essentials"].licence
    assert "BSD" in listed["reportlab"].licence
    assert all(c.licence != "?" for c in listed.values()), [c for c in listed.values() if c.licence == "?"]
    # transitive requirements are shipped too, so they are listed
    assert "shiboken6" in listed


def test_test_only_packages_are_not_listed():
    listed = {licences.normalise(c.name) for c in licences.components()}
    assert not listed & {"pytest", "pytest-qt", "hypothesis", "babel", "pyinstaller"}


def test_the_font_licence_is_read_from_its_copyright_file():
    font = licences.font_licence()
    assert font.name.startswith("WenQuanYi Micro Hei")
    assert font.licence.startswith("Apache-2.0")
    assert font.version == "0.2.0-beta"
    assert "Apache License" in font.text or "Apache-2.0" in font.text


def test_about_facts_name_the_node_and_database_without_making_a_key(ws):
    facts = about.facts(ws)
    assert facts.version == __version__
    assert facts.division == "芦山县" and facts.node_code.startswith("511826")
    assert facts.db_path == ws.db.path and facts.operator == "张晓梅"
    assert facts.fingerprint == ""
    assert not keys.key_path(ws.db.path, ws.node_uid).exists()  # reading 关于 writes nothing
    enrolment.ensure_local_key(ws)
    assert about.facts(ws).fingerprint == enrolment.local_identity(ws).fingerprint
