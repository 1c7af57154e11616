"""Node keys (Ed25519, the ``cryptography`` package): each installation signs its packages.

The private key is a PKCS#8 PEM file beside the database, readable by its owner only; it
is never stored in the database, so no backup, copy or package ever carries it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def key_path(db_path: Path, node_uid: str) -> Path:
    return Path(db_path).parent / "keys" / f"node-{node_uid}.pem"


def load_or_create(db_path: Path, node_uid: str) -> Ed25519PrivateKey:
    path = key_path(db_path, node_uid)
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    partial = path.with_suffix(".partial")
    # created with owner-only permissions from the start, never world-readable for a moment
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(partial, path)
    return key


def public_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def fingerprint(public_key_hex: str) -> str:
    """What two people read to each other: 32 hex digits of the key's SHA-256, in groups of 4."""
    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:32].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 32, 4))


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify(public_key_hex: str, data: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
