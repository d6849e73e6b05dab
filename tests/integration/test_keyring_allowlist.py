"""Only real OS credential stores may hold the database key (issue 14 item 19)."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from desktop_app.storage.errors import UnsafeKeyring
from desktop_app.storage.keystore import KeyMethod, keyring_available
from desktop_app.storage.store import Store
from tests.support.keyrings import MemoryKeyring


class PlainFileKeyring(KeyringBackend):
    """A third-party backend nobody vouched for (say a plain-text file), under a name no denylist knows."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def test_an_unknown_keyring_backend_is_refused(tmp_path: Path) -> None:
    """Issue 14 item 19: the keyring check was a denylist, so any backend it did not name (a plain-text file under
    another name) received the key; now only allowed credential stores do, and nothing is created."""
    plain = PlainFileKeyring()
    keyring.set_keyring(plain)
    assert not keyring_available()
    with pytest.raises(UnsafeKeyring, match="passphrase"):
        Store.create(tmp_path / "data", KeyMethod.KEYRING)
    assert not plain.secrets and not (tmp_path / "data" / "keystore.json").exists()


def test_a_chain_with_one_untrusted_member_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14 item 19: keyring writes to the first member of a chain that accepts, so a chain is used only when
    every member is an allowed credential store."""
    plain = PlainFileKeyring()
    chain = ChainerBackend()
    monkeypatch.setattr(ChainerBackend, "backends", property(lambda self: [MemoryKeyring(), plain]))
    keyring.set_keyring(chain)
    with pytest.raises(UnsafeKeyring):
        Store.create(tmp_path / "data", KeyMethod.KEYRING)
    assert not plain.secrets
    monkeypatch.setattr(ChainerBackend, "backends", property(lambda self: [MemoryKeyring()]))
    assert keyring_available()
