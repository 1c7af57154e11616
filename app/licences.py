"""The libraries and the font the application ships, with their licences, for 帮助 > 关于.

Read from package metadata, not typed in: the distributions are the closure of the
application's runtime requirements (``pyproject.toml`` in a source tree, the installed
distribution's metadata otherwise), and each licence is its ``License-Expression``,
its licence classifiers, or a short ``License`` field. The PyInstaller spec ships the
metadata of exactly these distributions (``copy_metadata``), so a bundle shows the same.
"""

from __future__ import annotations

import platform
import re
import tomllib
from dataclasses import dataclass
from importlib import metadata

from app import resources

DISTRIBUTION = "yaan-archive-kit"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str


def normalise(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: list[str]) -> list[str]:
    """Names of the requirements that are not extras (markers for other platforms are
    harmless: a distribution that is not installed is skipped)."""
    names = []
    for requirement in requirements:
        if "extra ==" in requirement.replace('"', "").replace("'", ""):
            continue
        match = _NAME.match(requirement.strip())
        if match:
            names.append(match.group(0))
    return names


def direct_requirements() -> list[str]:
    """The application's own runtime requirements: from ``pyproject.toml`` when running
    from the repository (or a bundle, which ships it), else from the installed metadata."""
    pyproject = resources.find("pyproject.toml")
    if pyproject is not None:
        with pyproject.open("rb") as fh:
            return _requirement_names(tomllib.load(fh)["project"]["dependencies"])
    try:
        return _requirement_names(metadata.requires(DISTRIBUTION) or [])
    except metadata.PackageNotFoundError:
        return []


def distributions() -> list[metadata.Distribution]:
    """Every installed distribution the application needs at run time, direct ones first."""
    found: dict[str, metadata.Distribution] = {}
    queue = direct_requirements()
    while queue:
        name = queue.pop(0)
        if normalise(name) in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[normalise(name)] = dist
        queue.extend(_requirement_names(dist.requires or []))
    return list(found.values())


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return " / ".join(dict.fromkeys(classifiers))
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 80:
        return text
    return "?"


def components() -> list[Component]:
    """Python itself, then every shipped library sorted by name."""
    libraries = sorted((Component(d.metadata["Name"], d.version, licence_of(d)) for d in distributions()),
                       key=lambda c: c.name.lower())
    return [Component("Python", platform.python_version(), "PSF-2.0"), *libraries]


@dataclass(frozen=True)
class FontLicence:
    name: str
    version: str
    licence: str
    text: str


def font_licence() -> FontLicence:
    """The shipped font's name and licence, from its Debian-format copyright file."""
    text = resources.path(resources.FONT_LICENCE).read_text(encoding="utf-8")
    name = re.search(r"^Upstream-Name:\s*(.+)$", text, re.M)
    licence = re.search(r"^License:\s*(.+)$", text, re.M)  # the first block: the font's own files
    version = re.search(r"^Source:.*?-(\d+(?:\.\d+)+(?:-[a-z]+)?)\.tar", text, re.M)
    return FontLicence(name.group(1).strip() if name else "WenQuanYi Micro Hei",
                       version.group(1) if version else "", licence.group(1).strip() if licence else "Apache-2.0", text)
