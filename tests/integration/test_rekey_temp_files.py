"""Issue 14 item 3 (review of the fix: "rekey leftovers"): key-store temporary files and the journal of the
re-encrypted copy that a killed rotation leaves are owner-only and removed by the next open, under the app lock.
A real child process killed with SIGKILL, real SQLCipher files."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest

from desktop_app.storage.engine import open_raw
from desktop_app.storage.keystore import KeyMethod, KeyStore, new_key
from desktop_app.storage.store import Store, export_encrypted
from tests.support.keyrings import FileKeyring
from tests.support.rekey_faults import (
    REKEY_COPY,
    Workshop,
    check_after_crash,
    kill_rotation,
    make_workshop,
    rotation_steps,
)


@pytest.fixture
def shop(tmp_path: Path, file_keyring: FileKeyring) -> Workshop:
    return make_workshop(tmp_path / "data", KeyMethod.KEYRING)


def _killed_mid_copy(shop: Workshop) -> None:
    """A rotation killed before the re-encrypted copy was made durable, keystore.json then without its pending key
    (as test_rekey_leftover.py makes it): a copy no rotation will settle."""
    steps = rotation_steps(shop)
    mid_copy = next(n for n, step in enumerate(steps, start=1) if step == f"os.fsync({REKEY_COPY})")
    run = kill_rotation(shop, kill_at=mid_copy, records=2)
    assert run.killed and (shop.root / REKEY_COPY).exists()
    keystore = KeyStore.load(shop.root / "keystore.json")
    keystore.pending = None
    keystore.save()


def test_key_store_temp_files_a_killed_rotation_left_are_removed_by_the_next_open(shop: Workshop) -> None:
    """Issue 14 item 3 (review: "rekey leftovers"): a rotation killed just before keystore.json was replaced left a
    `.keystore-XXXX` temporary file holding the pending section (both keys wrapped), and every kill added one: the
    old key was never forgotten. The next open, under the app lock, removes them (keystore.json, written by rename,
    is the complete copy); every committed record is there and the store settles."""
    steps = rotation_steps(shop)
    begin = next(n for n, step in enumerate(steps, start=1) if step == "os.replace(.keystore-* -> keystore.json)")
    for _ in range(2):  # two kills: the second one's open removed the first one's leftover (they piled up)
        run = kill_rotation(shop, kill_at=begin, records=1)
        assert run.killed
    temps = list(shop.root.glob(".keystore-*"))
    assert len(temps) == 1
    assert all(p.stat().st_mode & 0o077 == 0 for p in temps)
    assert any(json.loads(p.read_text())["pending"] for p in temps)  # both keys wrapped, beside the database
    assert check_after_crash(shop) == []
    assert list(shop.root.glob(".keystore-*")) == []


def test_a_stale_journal_of_the_copy_is_removed_and_never_left_readable_by_others(shop: Workshop) -> None:
    """Issue 14 item 3 (review: "rekey leftovers"): `workstation.db.rekey-journal`, written by SQLite beside the
    copy while a rotation re-encrypts it, was mode 0644 (the umask's) and survived the next open after a kill
    mid-copy. The journal is owner-only from its first byte, and the next open removes it with the copy."""
    _killed_mid_copy(shop)
    journal = shop.root / (REKEY_COPY + "-journal")
    journal.write_bytes(os.urandom(4096))  # what SQLite leaves when the copy is killed mid-write
    Store.open(shop.root).close()
    assert not journal.exists() and not (shop.root / REKEY_COPY).exists()

    store = Store.open(shop.root)
    modes: dict[str, int] = {}
    conn = open_raw(store.data_dir.database, store.raw_key_for_tests())

    def watch() -> int:
        for path in shop.root.glob(REKEY_COPY + "*"):
            with contextlib.suppress(FileNotFoundError):
                modes[path.name] = modes.get(path.name, 0) | path.stat().st_mode
        return 0

    try:
        conn.set_progress_handler(watch, 50)
        export_encrypted(conn, shop.root / REKEY_COPY, new_key())
    finally:
        conn.close()
        store.close()
    assert REKEY_COPY + "-journal" in modes and REKEY_COPY in modes, modes
    assert all(mode & 0o077 == 0 for mode in modes.values()), {n: oct(m) for n, m in modes.items()}
