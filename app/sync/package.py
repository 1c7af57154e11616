"""The export package: one zip holding a BagIt bag (RFC 8493, the ``bagit`` package) and a
detached Ed25519 signature over the bag's tag manifest.

Layout of the zip::

    bag/bagit.txt, bag/bag-info.txt, bag/manifest-sha256.txt, bag/tagmanifest-sha256.txt
    bag/data/changes.jsonl     one revision per line, canonical JSON, in causal order
    bag/data/acks.json         {node uid: highest package sequence merged from it}
    bag/data/counts.json       {table: revisions carried}
    bag/data/nodes.json        the city's enrolled keys and revocations (from the city; [] otherwise)
    bag/data/attachments/<sha256>
    signature.ed25519          signature of bag/tagmanifest-sha256.txt's bytes

Reading refuses, before anything touches the database: unsafe zip entries (absolute
paths, ``..``, links, too large), a signature that does not verify, an invalid or
incomplete bag (full validation, never the fast mode), files the manifests do not list,
and attachments whose content does not match their name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import bagit
import orjson

from app.errors import AppError
from app.i18n import _
from app.sync import keys
from app.sync.revision import canonical_json

BAG = "bag"
SIGNATURE = "signature.ed25519"
TAG_MANIFEST = "tagmanifest-sha256.txt"
#: a package bigger than this when unpacked is refused (a zip bomb, or not ours)
MAX_UNPACKED = 8 * 1024**3
MAX_ENTRIES = 200_000
FORMAT = "yaan-archive-package/1"


class PackageRefused(AppError):
    """The package is not imported; the database was not touched."""


@dataclass(frozen=True)
class PackageInfo:
    package_id: str
    origin_node: str
    receiver_node: str
    sequence: int
    schema: str
    fingerprint: str
    created: str


@dataclass
class PackageContent:
    info: PackageInfo
    changes: list[dict[str, Any]]
    acks: dict[str, int]
    counts: dict[str, int]
    attachments: dict[str, Path]
    manifest_sha256: str
    workdir: tempfile.TemporaryDirectory
    #: the sender's directory of enrolled nodes (only the city's packages carry one)
    nodes: list[dict[str, Any]]


def write_package(out: Path, info: PackageInfo, changes: Iterable[dict[str, Any]], acks: dict[str, int],
                  counts: dict[str, int], attachments: dict[str, Path], sign: Callable[[bytes], bytes],
                  *, nodes: list[dict[str, Any]] = ()) -> str:
    """Build the bag in a temporary folder, sign it, zip it to a temporary name beside
    ``out``, check the zip reads back, then rename. Returns the tag manifest's sha256."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="pkg-") as tmp:
        # make_bag moves what the folder holds into data/: write the payload at its top
        bag_dir = Path(tmp) / BAG
        (bag_dir / "attachments").mkdir(parents=True)
        with open(bag_dir / "changes.jsonl", "wb") as fh:
            for change in changes:
                fh.write(canonical_json(change) + b"\n")
        (bag_dir / "acks.json").write_bytes(canonical_json(acks))
        (bag_dir / "counts.json").write_bytes(canonical_json(counts))
        (bag_dir / "nodes.json").write_bytes(canonical_json(list(nodes)))
        for digest, source in attachments.items():
            shutil.copyfile(source, bag_dir / "attachments" / digest)
        bagit.make_bag(str(bag_dir), bag_info={
            "Package-Id": info.package_id, "Origin-Node": info.origin_node, "Receiver-Node": info.receiver_node,
            "Origin-Sequence": str(info.sequence), "Schema-Version": info.schema,
            "Key-Fingerprint": info.fingerprint, "Package-Format": FORMAT, "Bagging-Date": info.created,
        }, checksums=["sha256"])
        manifest = (bag_dir / TAG_MANIFEST).read_bytes()
        (Path(tmp) / SIGNATURE).write_bytes(sign(manifest))
        partial = out.with_name(f".{out.name}.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(bag_dir.rglob("*")):
                if path.is_file():
                    zf.write(path, PurePosixPath(BAG, path.relative_to(bag_dir).as_posix()).as_posix())
            zf.write(Path(tmp) / SIGNATURE, SIGNATURE)
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        with zipfile.ZipFile(partial) as zf:
            if zf.testzip() is not None:
                raise AppError(_("导出包写入后校验失败，请检查磁盘空间后重试。"))
        os.replace(partial, out)
    return hashlib.sha256(manifest).hexdigest()


def _safe_members(zf: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageRefused(_("导出包中的文件过多（{n} 个），不是本系统的导出包。").format(n=len(infos)))
    total = 0
    for info in infos:
        name = info.filename
        path = PurePosixPath(name)
        mode = info.external_attr >> 16
        if name.startswith(("/", "\\")) or ":" in name or ".." in path.parts or "\\" in name:
            raise PackageRefused(_("导出包中有不安全的路径“{name}”，已拒绝。").format(name=name))
        if stat.S_ISLNK(mode):
            raise PackageRefused(_("导出包中有符号链接“{name}”，已拒绝。").format(name=name))
        total += info.file_size
        if total > MAX_UNPACKED or info.file_size > MAX_UNPACKED:
            raise PackageRefused(_("导出包解压后过大，已拒绝。"))
        yield info


def _extract(path: Path, into: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            members = list(_safe_members(zf))
            for info in members:
                target = into / info.filename
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    copied = 0
                    while chunk := src.read(1 << 20):
                        copied += len(chunk)
                        if copied > info.file_size:  # the header lied about the size
                            raise PackageRefused(_("导出包解压后过大，已拒绝。"))
                        dst.write(chunk)
    # A damaged zip fails in many ways: zlib.error from a changed byte of compressed data,
    # RuntimeError (NotImplementedError) from a flag or method byte that now says encrypted
    # or an unknown compression, struct.error from a mangled header.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error, struct.error,
            RuntimeError) as exc:
        raise PackageRefused(_("导出包已损坏或不完整，无法读取：{error}").format(error=exc)) from None


def _bag_info(bag_dir: Path) -> dict[str, str]:
    info: dict[str, str] = {}
    for line in (bag_dir / "bag-info.txt").read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def read_package(path: Path, public_key_for: Callable[[str], tuple[str, str] | None]) -> PackageContent:
    """Unpack and check everything. ``public_key_for(origin_node)`` gives the enrolled
    (public key hex, fingerprint) of a node, or None when it is unknown or revoked."""
    workdir = tempfile.TemporaryDirectory(prefix="pkg-in-")
    try:
        root = Path(workdir.name)
        _extract(Path(path), root)
        bag_dir = root / BAG
        top = {p.name for p in root.iterdir()}
        if top != {BAG, SIGNATURE}:
            raise PackageRefused(_("导出包的结构不对：应只含 bag 目录和签名文件，实际为 {names}。").format(
                names="、".join(sorted(top)) or _("（空）")))
        if not (bag_dir / TAG_MANIFEST).is_file() or not (bag_dir / "bag-info.txt").is_file():
            raise PackageRefused(_("导出包缺少标签清单或包信息文件，已拒绝。"))
        manifest = (bag_dir / TAG_MANIFEST).read_bytes()
        try:
            info = _bag_info(bag_dir)
        except ValueError as exc:  # not UTF-8: changed, or not ours
            raise PackageRefused(_("导出包内容无法解析：{error}").format(error=exc)) from None
        origin = info.get("Origin-Node", "")
        enrolled = public_key_for(origin)
        if enrolled is None:
            raise PackageRefused(_("导出包来自未登记或已吊销的节点 {node}（包内声明的密钥指纹 {fp}），已拒绝。").format(
                node=origin or _("（未声明）"), fp=info.get("Key-Fingerprint", _("（未声明）"))))
        public_key, fp = enrolled
        if not keys.verify(public_key, manifest, (root / SIGNATURE).read_bytes()):
            raise PackageRefused(_("导出包的签名与节点 {node} 登记的密钥（指纹 {fp}）不符：包可能被改动或冒用，已拒绝。").format(
                node=origin, fp=fp))
        try:
            bag = bagit.Bag(str(bag_dir))
            bag.validate(fast=False)
        except (bagit.BagError, bagit.BagValidationError, ValueError, OSError) as exc:  # ValueError: not UTF-8
            raise PackageRefused(_("导出包校验失败，内容与清单不符：{error}").format(error=exc)) from None
        listed = {Path(bag_dir, p).resolve() for p in bag.payload_entries()} | {
            Path(bag_dir, p).resolve() for p in bag.tagfile_entries()} | {(bag_dir / TAG_MANIFEST).resolve()}
        present = {p.resolve() for p in bag_dir.rglob("*") if p.is_file()}
        unlisted = sorted(str(p.relative_to(bag_dir.resolve())) for p in present - listed)
        if unlisted:
            raise PackageRefused(_("导出包中有清单未列出的文件：{names}，已拒绝。").format(names="、".join(unlisted[:5])))
        data = bag_dir / "data"
        attachments: dict[str, Path] = {}
        for file in (data / "attachments").glob("*") if (data / "attachments").is_dir() else ():
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
            if digest != file.name:
                raise PackageRefused(_("导出包中的附件 {name} 内容与其哈希值不符，已拒绝。").format(name=file.name))
            attachments[digest] = file
        try:
            changes = [orjson.loads(line) for line in (data / "changes.jsonl").read_bytes().splitlines() if line]
            acks = orjson.loads((data / "acks.json").read_bytes())
            counts = orjson.loads((data / "counts.json").read_bytes())
            # packages made before keys travelled have no directory
            nodes = orjson.loads((data / "nodes.json").read_bytes()) if (data / "nodes.json").is_file() else []
            if not isinstance(nodes, list) or not all(isinstance(n, dict) for n in nodes):
                raise ValueError("nodes.json")
            sequence = int(info["Origin-Sequence"])
        except (OSError, ValueError, KeyError, orjson.JSONDecodeError) as exc:
            raise PackageRefused(_("导出包内容无法解析：{error}").format(error=exc)) from None
        package_info = PackageInfo(info.get("Package-Id", ""), origin, info.get("Receiver-Node", ""), sequence,
                                   info.get("Schema-Version", ""), fp, info.get("Bagging-Date", ""))
        return PackageContent(package_info, changes, acks, counts, attachments, hashlib.sha256(manifest).hexdigest(),
                              workdir, nodes)
    except BaseException:
        workdir.cleanup()
        raise
