"""Nodes are not upgraded on the same day: a package from an older version merges without
losing the fields it does not know, and one from a newer version is refused untouched."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.services import packages, sub_projects
from app.sync import keys
from app.sync.package import PackageRefused, read_package, write_package
from tests.sync_support import digest, register


def _as_made_by(county, package, out, *, schema: str, drop: str | None = None):
    """``package`` rewritten as a county on schema ``schema`` would have made it."""
    own = keys.public_hex(keys.load_or_create(county.db.path, county.node_uid))
    content = read_package(package, lambda node: (own, keys.fingerprint(own)))
    try:
        changes = content.changes
        for change in changes:
            if drop and change["entity"] == "sub_projects":
                change["data"].pop(drop)
        key = keys.load_or_create(county.db.path, county.node_uid)
        write_package(out, replace(content.info, schema=schema), changes, content.acks, content.counts, {},
                      lambda data: keys.sign(key, data))
    finally:
        content.workdir.cleanup()
    return out


def test_an_older_nodes_edit_keeps_the_fields_it_does_not_know(county_and_city, tmp_path):
    county, city = county_and_city
    sub = register(county, "SP-1", completion_acceptance_date="2017-06-30")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    current = sub_projects.get(county, sub.uid)
    sub_projects.update(county, sub.uid, {**current.form_values(), "remarks": "补充说明"}, expected_rev=current.rev)
    second = packages.export_package(county, tmp_path / "2.zip").path
    old = _as_made_by(county, second, tmp_path / "2-old.zip", schema="0005", drop="completion_acceptance_date")

    result = packages.import_package(city, old)

    at_city = sub_projects.get(city, sub.uid)
    assert result.summary()["updated"] == 1
    assert at_city.remarks == "补充说明"
    assert at_city.completion_acceptance_date.isoformat() == "2017-06-30"


def test_a_package_from_a_newer_version_is_refused_and_changes_nothing(county_and_city, tmp_path):
    county, city = county_and_city
    register(county, "SP-1")
    made = packages.export_package(county, tmp_path / "1.zip").path
    newer = _as_made_by(county, made, tmp_path / "newer.zip", schema="0099")
    before = digest(city)
    with pytest.raises(PackageRefused, match="较新版本"):
        packages.import_package(city, newer)
    assert digest(city) == before
