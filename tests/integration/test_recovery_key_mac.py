"""The recovery public key in keystore.json is authenticated under the database key (issue 14 item 18)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from desktop_app.storage import keystore as keystore_module
from desktop_app.storage.errors import StoreError
from desktop_app.storage.keystore import KeyMethod, KeyStore
from desktop_app.storage.models import Meta
from desktop_app.storage.store import RECOVERY_MAC, Store


def _plant(root: Path, *, strip_mac: bool = False) -> X25519PrivateKey:
    """Replace the recovery public key in keystore.json by an attacker's; returns the attacker's private key."""
    attacker = X25519PrivateKey.generate()
    path = root / "keystore.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["recovery"]["public"] = base64.b64encode(attacker.public_key().public_bytes_raw()).decode()
    if strip_mac:
        raw["recovery"].pop("mac", None)
    path.write_text(json.dumps(raw), encoding="utf-8")
    return attacker


def _attacker_opens_a_sealed_key(root: Path, attacker: X25519PrivateKey) -> bool:
    keystore = KeyStore.load(root / "keystore.json")
    copies = [keystore.recovery["sealed"]] + ([keystore.pending["sealed"]] if keystore.pending else [])
    for sealed in copies:
        try:
            keystore_module._open_sealed(attacker, sealed, keystore._aad())
        except Exception:  # noqa: S112 - not sealed to the attacker
            continue
        return True
    return False


@pytest.mark.parametrize("strip_mac", [False, True])
def test_a_planted_recovery_key_receives_no_rotated_key(tmp_path: Path, strip_mac: bool) -> None:
    """Issue 14 item 18: a recovery public key planted in keystore.json (with or without stripping its MAC) received
    the next rotated key; the rotation now refuses it, nothing is sealed to the attacker, and `recover` with the
    real code puts the right key back so that the next rotation succeeds."""
    root = tmp_path / "data"
    store, code = Store.create(root, KeyMethod.KEYRING)
    store.close()
    attacker = _plant(root, strip_mac=strip_mac)
    store = Store.open(root)
    try:
        with pytest.raises(StoreError, match="recovery key"):
            store.rekey()
        with pytest.raises(StoreError, match="recovery key"):
            store.keystore.recovery_copy(store.raw_key_for_tests())  # type: ignore[union-attr]
    finally:
        store.close()
    assert not _attacker_opens_a_sealed_key(root, attacker)
    Store.recover(root, code, KeyMethod.KEYRING).close()
    store = Store.open(root)
    try:
        store.rekey()
    finally:
        store.close()
    assert not _attacker_opens_a_sealed_key(root, attacker)
    assert KeyStore.load(root / "keystore.json").recover_keys(code)


def test_a_key_file_from_before_macs_is_authenticated_once_at_open(tmp_path: Path) -> None:
    """Issue 14 item 18: a keystore.json written before the MAC existed gets it at the next open, and the database
    notes that it is required from then on."""
    root = tmp_path / "data"
    store, _ = Store.create(root, KeyMethod.KEYRING)
    with store.write() as session:
        session.delete(session.get(Meta, RECOVERY_MAC))
    store.close()
    path = root / "keystore.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["recovery"].pop("mac")
    path.write_text(json.dumps(raw), encoding="utf-8")
    store = Store.open(root)
    try:
        assert store.keystore is not None and store.keystore.recovery_authenticated(store.raw_key_for_tests())
        with store.read() as session:
            assert session.get(Meta, RECOVERY_MAC) is not None
        store.rekey()
    finally:
        store.close()
