"""Revision identifiers: "<generation>-<hash>", where the hash covers content and parent.

Two nodes that make the same change from the same parent get the same revision id, which
is what lets a re-imported or echoed change be recognised as already known.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

HASH_CHARS = 32


def canonical_json(value: Any) -> bytes:
    """Sorted keys, UTF-8, no spaces: the same content always gives the same bytes."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def generation(rev: str | None) -> int:
    if not rev:
        return 0
    return int(rev.split("-", 1)[0])


def next_rev(parent_rev: str | None, content: dict[str, Any], deleted: bool) -> str:
    digest = hashlib.sha256(
        canonical_json({"data": content, "deleted": deleted, "parent": parent_rev})
    ).hexdigest()[:HASH_CHARS]
    return f"{generation(parent_rev) + 1}-{digest}"


def rev_sort_key(rev: str) -> tuple[int, str]:
    """Deterministic provisional winner order: higher generation, then higher hash."""
    gen, _, digest = rev.partition("-")
    return int(gen), digest
