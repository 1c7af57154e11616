"""Packages the city must refuse, each with a Chinese message and its database unchanged.

One good county package (sub-projects, a visit and a photo attached to it) is built once;
every bad input is made from it, or signed afresh where the point is what a key holder
could forge. A refusal must leave the receiving database exactly as it was (same digest);
the few one-byte changes that leave the zip's content intact (a timestamp in a header)
must import exactly what the good package does.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import sqlite3
import stat
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.db.backup import backup_database
from app.models import SYNC_MODELS
from app.services import attachments, enrolment, packages, visits
from app.services.workspace import Workspace
from app.sync import keys, package
from app.sync.package import PackageInfo, PackageRefused, write_package
from tests.sync_support import digest, enrol_each_other, make_node, register
from tests.conftest import UNANIMOUS_GROUP

CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: what the tests below tried, reported at the end of the module
TRIED: dict[str, int] = {}


def tried(kind: str, n: int = 1) -> None:
    TRIED[kind] = TRIED.get(kind, 0) + n


@pytest.fixture(scope="module", autouse=True)
def report_figures():
    yield
    total = sum(TRIED.values())
    print(f"\nbad packages tried: {total} ({', '.join(f'{k} {v}' for k, v in sorted(TRIED.items()))})")


def node_in(folder: Path, name: str, division: str) -> Workspace:
    (folder / name).mkdir(parents=True, exist_ok=True)
    return make_node(folder / name, name, division)


def sync_state(ws: Workspace) -> dict[str, list[tuple]]:
    """The records and their revisions, without local row ids and times of handling."""
    con = sqlite3.connect(ws.db.path)
    try:
        state = {}
        for entity, model in SYNC_MODELS.items():
            columns = ", ".join(c.name for c in model.__table__.columns if c.name != "id")
            state[entity] = sorted(con.execute(f'SELECT {columns} FROM "{entity}"').fetchall(), key=repr)
        state["revisions"] = sorted(con.execute("SELECT entity, record_uid, rev, parent_rev, merge_parent_rev, hlc, "
                                                "node, operator, deleted, data FROM record_revisions").fetchall(),
                                    key=repr)
        state["packages"] = sorted(con.execute("SELECT uid, direction, origin_node, sequence, manifest_sha256 "
                                               "FROM packages").fetchall(), key=repr)
        return state
    finally:
        con.close()


class World:
    """The county, its good package, the nodes around it, and a city that can be reset."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "bad").mkdir()
        self.county = node_in(root, "lushan", "芦山县")
        self.other = node_in(root, "tianquan", "天全县")     # enrolled at the city too
        self.stranger = node_in(root, "baoxing", "宝兴县")   # never enrolled there
        city = node_in(root, "city", "雅安市")
        enrol_each_other(self.county, city)
        enrol_each_other(self.other, city)
        subs = [register(self.county, f"SP-{n}") for n in range(3)]
        visit = visits.create(self.county, subs[0].uid, {"visit_date": "2015-03-02", "kind": "mid_term_check",
                                                         "archivists": "张晓梅"})
        self.photo_bytes = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4
        photo = root / "古城村现场.jpg"
        photo.write_bytes(self.photo_bytes)
        self.photo_sha = attachments.attach(self.county, owner_entity="guidance_visits", owner_uid=visit.uid,
                                            source=photo, role="photo").sha256
        self.good = packages.export_package(self.county, root / "good.zip").path
        self.good_bytes = self.good.read_bytes()
        register(self.stranger, "SP-STRANGER")
        self.from_stranger = packages.export_package(self.stranger, root / "stranger.zip", receiver=city.node_uid).path
        self.pristine = root / "pristine" / "city.db"
        backup_database(city.db.path, self.pristine)
        self.city_uid = city.node_uid
        city.close()
        # what the good package does to the city: the measure of an accepted variant
        self.city_path = root / "city-work" / "city.db"
        self.city: Workspace | None = None
        self.reset()
        packages.import_package(self.city, self.good)
        self.after_good = sync_state(self.city)
        self.reset()

    def reset(self) -> None:
        if self.city is not None:
            self.city.close()
        self.city_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.city_path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.pristine, self.city_path)
        self.city = Workspace.open(self.city_path)
        self.before = digest(self.city)

    def bad(self, name: str, data: bytes) -> Path:
        path = self.root / "bad" / name
        path.write_bytes(data)
        return path

    def refuse(self, path: Path, kind: str) -> str:
        """Import must refuse with a Chinese message and leave the database as it was."""
        tried(kind)
        with pytest.raises(PackageRefused) as info:
            packages.import_package(self.city, path)
        assert CHINESE.search(info.value.message), info.value.message
        assert digest(self.city) == self.before, f"{kind}: the database changed although the import was refused"
        return info.value.message

    def refuse_or_same(self, path: Path, kind: str) -> str:
        """Refused as above, or (the change hit no content) imported exactly as the good package."""
        tried(kind)
        try:
            packages.import_package(self.city, path)
        except PackageRefused as exc:
            assert CHINESE.search(exc.message), exc.message
            assert digest(self.city) == self.before, f"{kind}: the database changed although the import was refused"
            return "refused"
        assert sync_state(self.city) == self.after_good, f"{kind}: a damaged package imported something else"
        self.reset()
        return "same"

    def key_of(self, ws: Workspace):
        return keys.load_or_create(ws.db.path, ws.node_uid)

    def info_like_good(self, **changes) -> PackageInfo:
        with zipfile.ZipFile(self.good) as zf:
            raw = zf.read("bag/bag-info.txt").decode()
        bag = dict(line.split(": ", 1) for line in raw.splitlines() if ": " in line)
        values = {"package_id": bag["Package-Id"], "origin_node": bag["Origin-Node"],
                  "receiver_node": bag["Receiver-Node"], "sequence": int(bag["Origin-Sequence"]),
                  "schema": bag["Schema-Version"], "fingerprint": bag["Key-Fingerprint"], "created": bag["Bagging-Date"]}
        values.update(changes)
        return PackageInfo(**values)

    def good_changes(self) -> list[dict]:
        import orjson

        with zipfile.ZipFile(self.good) as zf:
            return [orjson.loads(line) for line in zf.read("bag/data/changes.jsonl").splitlines() if line]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("refusals"))
    yield w
    for ws in (w.county, w.other, w.stranger, w.city):
        ws.close()


@pytest.fixture
def fresh(world):
    """The city as before any import, whatever the previous test left."""
    world.reset()
    return world


def rezip(source: Path, edit: Callable[[str, bytes], bytes | None] = lambda name, data: data,
          extra: list[tuple[zipfile.ZipInfo | str, bytes]] = ()) -> bytes:
    """The package's entries rewritten (``edit`` returns None to drop one), plus ``extra``."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = edit(item.filename, src.read(item))
            if data is not None:
                dst.writestr(item.filename, data)
        for name, data in extra:
            dst.writestr(name, data)
    return out.getvalue()


def replace_in(entry: str, old: bytes, new: bytes):
    def edit(name: str, data: bytes) -> bytes:
        if name == entry:
            assert old in data, (entry, old)
            return data.replace(old, new, 1)
        return data
    return edit


# ---------------------------------------------------------------------------------------
# one byte changed, anywhere


def regions(data: bytes) -> dict[str, range]:
    """Where the parts of the zip lie: each entry's stored bytes, its local header, the
    central directory and its end record."""
    found: dict[str, range] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
            start = info.header_offset + 30 + name_len + extra_len
            found[f"header {info.filename}"] = range(info.header_offset, start)
            found[info.filename] = range(start, start + info.compress_size)
        found["central directory"] = range(zf.start_dir, len(data) - 22)
    found["end of central directory"] = range(len(data) - 22, len(data))
    return found


def flipped(data: bytes, position: int, mask: int) -> bytes:
    return data[:position] + bytes([data[position] ^ mask]) + data[position + 1:]


def test_one_byte_changed_anywhere_is_refused_or_changes_nothing(world):
    data = world.good_bytes
    rng = random.Random(6)
    where = regions(data)
    positions: dict[int, str] = {}
    for name in ("bag/data/changes.jsonl", "bag/bag-info.txt", "signature.ed25519", "bag/manifest-sha256.txt",
                 "bag/tagmanifest-sha256.txt", f"bag/data/attachments/{world.photo_sha}", "central directory",
                 "end of central directory", "header bag/data/changes.jsonl", "header signature.ed25519"):
        span = where[name]
        for position in {span.start, span.stop - 1, *rng.sample(span, min(12, len(span)))}:
            positions[position] = name
    stride = max(1, len(data) // 150)
    for position in range(0, len(data), stride):  # a sweep across the whole file
        positions.setdefault(position, "sweep")
    for position in rng.sample(range(len(data)), 60):  # and random offsets
        positions.setdefault(position, "random")
    outcomes = {"refused": 0, "same": 0}
    for position, name in sorted(positions.items()):
        for mask in (0xFF, 1 << rng.randrange(8)):
            outcome = world.refuse_or_same(world.bad(f"flip-{position}-{mask}.zip", flipped(data, position, mask)),
                                           "one byte changed")
            outcomes[outcome] += 1
    assert outcomes["refused"] > 0.8 * sum(outcomes.values())
    print(f"\none-byte changes: {outcomes}")


def test_a_package_cut_short_is_refused(world):
    size = len(world.good_bytes)
    lengths = {0, 1, 4, 21, 22, 30, 100, size // 3, size // 2, size - 100, size - 23, size - 22, size - 21, size - 1}
    lengths |= set(random.Random(7).sample(range(size), 20))
    for length in sorted(lengths):
        world.refuse(world.bad(f"cut-{length}.zip", world.good_bytes[:length]), "cut short")


def test_an_empty_file_and_a_file_that_is_not_a_zip_are_refused(world):
    world.refuse(world.bad("empty.zip", b""), "not a zip")
    world.refuse(world.bad("text.zip", "这不是导出包".encode()), "not a zip")


# ---------------------------------------------------------------------------------------
# edited, removed or added parts


@pytest.mark.parametrize("old, new", [
    (b"Origin-Sequence: 1", b"Origin-Sequence: 9"),
    (b"Package-Id: ", b"Package-Id: 0"),
    (b"Receiver-Node: ", b"Receiver-Node: x"),
    (b"Bagging-Date: ", b"Bagging-Date: 1"),
])
def test_bag_info_edited_is_refused(world, old, new):
    world.refuse(world.bad("info.zip", rezip(world.good, replace_in("bag/bag-info.txt", old, new))), "bag-info edited")


def test_bag_info_claiming_another_enrolled_county_is_refused(world):
    edit = replace_in("bag/bag-info.txt", world.county.node_uid.encode(), world.other.node_uid.encode())
    message = world.refuse(world.bad("origin.zip", rezip(world.good, edit)), "bag-info edited")
    assert "签名" in message


def test_bag_info_that_is_not_utf8_or_missing_is_refused(world):
    world.refuse(world.bad("latin.zip", rezip(world.good, replace_in("bag/bag-info.txt", b"Bagging", b"\xff\xfeagging"))),
                 "bag-info edited")
    world.refuse(world.bad("noinfo.zip", rezip(world.good, lambda n, d: None if n == "bag/bag-info.txt" else d)),
                 "bag-info removed")


@pytest.mark.parametrize("entry, old, new", [
    ("bag/bagit.txt", b"BagIt-Version: 0.97", b"BagIt-Version: 9.99"),
    ("bag/bagit.txt", b"BagIt-Version", b"\xff\xfeBagIt-Version"),
    ("bag/bagit.txt", b"UTF-8", b"latin-1"),
    ("bag/manifest-sha256.txt", b"  data/", b" \xff data/"),
    ("bag/manifest-sha256.txt", b"  data/", b"  data/../"),
    ("bag/data/counts.json", b"{", b"{\xff"),
])
def test_other_tag_or_payload_files_edited_are_refused(world, entry, old, new):
    world.refuse(world.bad("tagfile.zip", rezip(world.good, replace_in(entry, old, new))), f"{entry} edited")


def test_the_manifest_edited_or_removed_is_refused(world):
    def other_hash(name: str, data: bytes) -> bytes:
        if name == "bag/manifest-sha256.txt":
            return data.replace(world.photo_sha.encode(), b"0" * 64)
        return data
    world.refuse(world.bad("manifest.zip", rezip(world.good, other_hash)), "manifest edited")
    world.refuse(world.bad("nomanifest.zip", rezip(world.good, lambda n, d: None if n == "bag/manifest-sha256.txt" else d)),
                 "manifest removed")


def test_a_payload_file_changed_with_its_manifest_line_updated_is_refused(world):
    import hashlib

    with zipfile.ZipFile(world.good) as zf:
        changes = zf.read("bag/data/changes.jsonl")
    forged = changes.replace(b"SP-1", b"SP-9")
    old, new = hashlib.sha256(changes).hexdigest().encode(), hashlib.sha256(forged).hexdigest().encode()

    def edit(name: str, data: bytes) -> bytes:
        if name == "bag/data/changes.jsonl":
            return forged
        if name == "bag/manifest-sha256.txt":
            return data.replace(old, new)
        return data
    world.refuse(world.bad("forged.zip", rezip(world.good, edit)), "payload and manifest edited")


def test_the_tag_manifest_removed_or_edited_is_refused(world):
    world.refuse(world.bad("notag.zip", rezip(world.good, lambda n, d: None if n == "bag/tagmanifest-sha256.txt" else d)),
                 "tag manifest removed")
    world.refuse(world.bad("tag.zip", rezip(world.good, lambda n, d: d + b"\n" if n == "bag/tagmanifest-sha256.txt"
                                            else d)), "tag manifest edited")


def test_the_signature_removed_emptied_or_changed_is_refused(world):
    world.refuse(world.bad("nosig.zip", rezip(world.good, lambda n, d: None if n == "signature.ed25519" else d)),
                 "signature removed")
    world.refuse(world.bad("emptysig.zip", rezip(world.good, lambda n, d: b"" if n == "signature.ed25519" else d)),
                 "signature emptied")
    for n in (0, 31, 63):
        world.refuse(world.bad(f"sig-{n}.zip", rezip(world.good, lambda name, d, n=n: flipped(d, n, 0x01)
                                                     if name == "signature.ed25519" else d)), "signature changed")


def test_an_unlisted_file_is_refused(world):
    for name in ("bag/data/extra.txt", "bag/data/attachments/" + "0" * 64, "bag/extra-tag.txt",
                 "bag/manifest-md5.txt", "readme.txt"):
        world.refuse(world.bad("extra.zip", rezip(world.good, extra=[(name, b"not listed")])), "unlisted file")
    # an empty extra file (Payload-Oxum counts files too) and one in a new folder
    for name in ("bag/data/empty", "bag/data/sub/extra.txt", "bag/extra/deeper.txt"):
        world.refuse(world.bad("extra.zip", rezip(world.good, extra=[(name, b"")])), "unlisted file")


def test_an_attachment_whose_content_does_not_match_its_hash_is_refused(world):
    # changed inside a genuine package: the bag's manifest catches it
    entry = f"bag/data/attachments/{world.photo_sha}"
    world.refuse(world.bad("photo.zip", rezip(world.good, lambda n, d: d[:-1] + b"\x00" if n == entry else d)),
                 "attachment changed")
    # a package made and signed by the county itself whose file is not what its name says
    wrong = world.root / "wrong.jpg"
    wrong.write_bytes(world.photo_bytes + b"tail")
    out = world.root / "bad" / "mislabelled.zip"
    write_package(out, world.info_like_good(package_id="01900000-0000-7000-8000-00000000f11e", sequence=7),
                  world.good_changes(), {}, {}, {world.photo_sha: wrong},
                  lambda data: keys.sign(world.key_of(world.county), data))
    message = world.refuse(out, "attachment hash mismatch")
    assert world.photo_sha in message


# ---------------------------------------------------------------------------------------
# signers


def test_a_package_from_an_unknown_node_is_refused_showing_its_fingerprint(world):
    message = world.refuse(world.from_stranger, "unknown signer")
    assert enrolment.local_identity(world.stranger).fingerprint in message


def test_a_package_signed_by_a_revoked_key_is_refused(fresh):
    enrolment.revoke(fresh.city, fresh.county.node_uid, "笔记本丢失")
    fresh.before = digest(fresh.city)
    message = fresh.refuse(fresh.good, "revoked signer")
    assert "吊销" in message
    fresh.reset()


def test_a_county_forging_the_origin_of_another_is_refused(world):
    other_key = world.key_of(world.other)
    # signed by Tianquan's key, claiming to come from Lushan (whose key the city enrolled)
    out = world.root / "bad" / "forged-origin.zip"
    write_package(out, world.info_like_good(package_id="01900000-0000-7000-8000-00000000f0f0"), world.good_changes(),
                  {}, {"sub_projects": 3, "master_projects": 3, "guidance_visits": 1, "attachments": 1}, {},
                  lambda data: keys.sign(other_key, data))
    assert "签名" in world.refuse(out, "impostor signer")
    # Lushan's genuine package with its signature replaced by Tianquan's
    with zipfile.ZipFile(world.good) as zf:
        tag = zf.read("bag/tagmanifest-sha256.txt")
    resigned = rezip(world.good, lambda n, d: keys.sign(other_key, tag) if n == "signature.ed25519" else d)
    world.refuse(world.bad("resigned.zip", resigned), "impostor signer")
    # and claiming its own origin but the fingerprint of Lushan's key
    out = world.root / "bad" / "own-origin.zip"
    write_package(out, world.info_like_good(package_id="01900000-0000-7000-8000-00000000f0f1",
                                            origin_node=world.other.node_uid),
                  world.good_changes(), {}, {}, {}, lambda data: keys.sign(world.key_of(world.county), data))
    world.refuse(out, "impostor signer")


# ---------------------------------------------------------------------------------------
# hostile zips


def hostile(world: World, info: zipfile.ZipInfo | str, data: bytes) -> bytes:
    return rezip(world.good, extra=[(info, data)])


@pytest.mark.parametrize("name", [
    "../escaped.txt", "bag/../../escaped.txt", "bag/data/../../../escaped.txt", "/tmp/yaan-absolute-escape.txt",
    "C:/yaan-drive-escape.txt", "bag\\..\\..\\escaped.txt", "//server/share/escaped.txt",
])
def test_a_zip_with_a_path_leaving_the_folder_is_refused(world, name):
    message = world.refuse(world.bad("path.zip", hostile(world, name, b"escaped")), "unsafe path")
    assert "不安全" in message
    assert not (world.root / "escaped.txt").exists() and not Path("/tmp/yaan-absolute-escape.txt").exists()


@pytest.mark.parametrize("name", ["bag/data/link", "bag/data/attachments/" + "1" * 64, "link-at-top"])
def test_a_zip_with_a_symlink_is_refused(world, name):
    link = zipfile.ZipInfo(name)
    link.create_system = 3  # unix: the mode in the high bits is honoured
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    message = world.refuse(world.bad("link.zip", hostile(world, link, b"/etc/passwd")), "symlink")
    assert "符号链接" in message


def test_a_zip_declaring_a_huge_entry_is_refused_before_unpacking(world):
    out = io.BytesIO(world.good_bytes)
    with zipfile.ZipFile(out, "a") as zf:
        zf.writestr("bag/data/huge.bin", b"0" * 1000)
        # the central directory will declare a terabyte (written as a zip64 size)
        zf.filelist[-1].file_size = 1 << 40
    message = world.refuse(world.bad("huge.zip", out.getvalue()), "declared huge")
    assert "过大" in message


def test_a_zip_whose_header_understates_an_entry_is_refused(world):
    out = io.BytesIO(world.good_bytes)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bag/data/understated.bin", b"\0" * 200_000)
        zf.filelist[-1].file_size = 10
    world.refuse(world.bad("understated.zip", out.getvalue()), "understated size")


def test_a_deflate_bomb_above_the_unpacked_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(package, "MAX_UNPACKED", 1 << 20)
    bomb = rezip(world.good, extra=[("bag/data/bomb.bin", b"\0" * (4 << 20))])
    assert len(bomb) < len(world.good_bytes) + 20_000  # four megabytes of zeros pack into a few kilobytes
    assert "过大" in world.refuse(world.bad("bomb.zip", bomb), "deflate bomb")


def test_a_zip_with_too_many_entries_is_refused(world, monkeypatch):
    monkeypatch.setattr(package, "MAX_ENTRIES", 12)
    world.refuse(world.bad("many.zip", rezip(world.good, extra=[(f"bag/data/x{n}", b"") for n in range(12)])),
                 "too many entries")


# ---------------------------------------------------------------------------------------
# the same package again


def test_the_same_package_twice_changes_nothing(fresh):
    first = packages.import_package(fresh.city, fresh.good)
    assert not first.already_imported and first.summary()["added"] == len(fresh.good_changes())
    after = digest(fresh.city)
    again = packages.import_package(fresh.city, fresh.good)
    assert again.already_imported and digest(fresh.city) == after
    # a copy of it under another name is the same package
    copy = fresh.bad("copy.zip", fresh.good_bytes)
    assert packages.import_package(fresh.city, copy).already_imported and digest(fresh.city) == after
    fresh.reset()


def test_a_known_package_id_with_different_content_is_refused(fresh):
    packages.import_package(fresh.city, fresh.good)
    fresh.before = digest(fresh.city)
    county_key = fresh.key_of(fresh.county)
    changes = fresh.good_changes()
    # same id, fewer changes: what a second, different file under a known name would be
    out = fresh.root / "bad" / "same-id.zip"
    write_package(out, fresh.info_like_good(), changes[:-1], {}, {}, {},
                  lambda data: keys.sign(county_key, data))
    assert "内容不同" in fresh.refuse(out, "known id, other content")
    # another id re-using the county's sequence number
    out = fresh.root / "bad" / "same-sequence.zip"
    write_package(out, fresh.info_like_good(package_id="01900000-0000-7000-8000-0000000005e9"), changes[:-1], {}, {},
                  {}, lambda data: keys.sign(county_key, data))
    assert "内容不同" in fresh.refuse(out, "known sequence, other content")
    fresh.reset()


def test_a_dry_run_changes_nothing(fresh):
    result = packages.import_package(fresh.city, fresh.good, dry_run=True)
    assert result.dry_run and result.summary()["added"] == len(fresh.good_changes())
    assert digest(fresh.city) == fresh.before


# ---------------------------------------------------------------------------------------
# certificates: a county cannot issue one in another node's name


GROUP = UNANIMOUS_GROUP


def certificate_changes(ws: Workspace, folder: Path, code: str) -> list[dict]:
    """The change lines of a sub-project accepted at ``ws`` with its certificate issued."""
    import orjson

    from app.services import acceptances, certificates, checklists

    sub = register(ws, code, division=enrolment.local_identity(ws).division_name)
    template = checklists.get(ws, checklists.active_templates(ws)[0].uid)
    acceptance = acceptances.create(ws, sub.uid, {"acceptance_date": "2015-06-30", "accepted_volumes": "20",
                                                  "accepted_items": "300", "accepted_drawings": "10"})
    acceptances.set_members(ws, acceptance.uid, GROUP)
    acceptances.set_scores(ws, acceptance.uid, {
        item.uid: {"passed": True} if item.kind == "pass_fail" else
        {"self_score": str(item.max_score), "group_score": str(item.max_score)} for item in template.items})
    assert acceptances.conclude(ws, acceptance.uid).conclusion == "pass"
    assert certificates.for_acceptance(ws, acceptance.uid)
    out = packages.export_package(ws, folder / f"{code}.zip", receiver="")
    with zipfile.ZipFile(out.path) as zf:
        return [orjson.loads(line) for line in zf.read("bag/data/changes.jsonl").splitlines() if line]


def signed_by(world: World, signer: Workspace, name: str, changes: list[dict], sequence: int) -> Path:
    from collections import Counter

    out = world.root / "bad" / name
    info = world.info_like_good(package_id=f"01900000-0000-7000-8000-{sequence:012d}", sequence=sequence,
                                origin_node=signer.node_uid,
                                fingerprint=enrolment.local_identity(signer).fingerprint)
    write_package(out, info, changes, {}, dict(Counter(c["entity"] for c in changes)), {},
                  lambda data: keys.sign(world.key_of(signer), data))
    return out


def test_a_county_relaying_a_certificate_the_city_never_received_is_refused(fresh):
    """Lushan signs a package carrying Tianquan's certificate, which never reached the
    city from Tianquan: the number's node code is not the signer's, and no one the city
    trusts vouches for it."""
    forged = certificate_changes(fresh.other, fresh.root, "SP-TQ-1")
    assert any(c["entity"] == "certificates" for c in forged)
    assert {c["origin"] for c in forged if c["entity"] == "certificates"} == {fresh.other.node_uid}
    message = fresh.refuse(signed_by(fresh, fresh.county, "relayed-cert.zip", forged, 50), "forged certificate")
    assert "证书" in message
    # and in the signer's own name, with the other county's node code
    own = [{**c, "origin": fresh.county.node_uid, "node": fresh.county.node_uid} for c in forged]
    fresh.refuse(signed_by(fresh, fresh.county, "own-cert.zip", own, 51), "forged certificate")
    # the same lines signed by Tianquan itself are its own certificate: accepted
    result = packages.import_package(fresh.city, signed_by(fresh, fresh.other, "genuine-cert.zip", forged, 52))
    summary = result.summary()
    assert summary["added"] + summary["updated"] == len(forged) and not summary["refused"]
    fresh.reset()
