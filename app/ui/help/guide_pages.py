"""The user guide's pages: the Markdown files in ``docs/guide`` (shipped in the bundle).

A page is one file; its title is its first ``# `` heading, and the screens it explains are
named in a comment on its first lines, ``<!-- help-topics: ledger visits -->``, with the
keys of ``app.ui.modules`` (``register`` for the register, ``setup`` for first start).
F1 opens the page naming the current screen. Pages are listed in file-name order, so a
new page needs no code: ``08-statistics.md`` with its topics comment is enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app import resources

_TOPICS = re.compile(r"<!--\s*help-topics:\s*([^>]*?)\s*-->")
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
#: a line break inside a paragraph between two CJK characters (or CJK punctuation)
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d\u2026"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\n[ \t]*(?=[{_CJK}])")
_TITLE = re.compile(r"^#\s+(.+?)\s*$", re.M)
#: the page F1 opens when no page names the current screen
HOME = "00-index"


@dataclass(frozen=True)
class GuidePage:
    key: str
    title: str
    topics: tuple[str, ...]
    path: Path


def read_page(path: Path) -> GuidePage:
    text = path.read_text(encoding="utf-8")
    title = _TITLE.search(text)
    topics = _TOPICS.search(text)
    return GuidePage(path.stem, title.group(1) if title else path.stem,
                     tuple(topics.group(1).split()) if topics else (), path)


def pages(folder: Path | None = None) -> list[GuidePage]:
    folder = folder or resources.guide_dir()
    return [read_page(p) for p in sorted(folder.glob("*.md"))]


def page_for_topic(topic: str | None, found: list[GuidePage] | None = None) -> GuidePage | None:
    """The page explaining ``topic`` (a module key), else the home page, else the first."""
    found = pages() if found is None else found
    for page in found:
        if topic and topic in page.topics:
            return page
    return next((p for p in found if p.key == HOME), found[0] if found else None)


def display_text(markdown: str) -> str:
    """The page as the window shows it: comments dropped, and a line wrapped inside a
    Chinese sentence joined again (Markdown turns that break into a space, which Chinese
    text does not have)."""
    return _CJK_BREAK.sub("", _COMMENT.sub("", markdown))
