"""The key passphrase rule, held in the service layer for every way a passphrase is chosen (issue 14 item 17)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app.services.errors import PasswordRejected
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from tests.conftest import PASSWORD

GOOD = "a long branch passphrase 7"


def _cli(monkeypatch, capsys, root: Path, *args: str, stdin: str = "", passphrase: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "STDIN", cli._Stdin())
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    monkeypatch.setenv(cli.ENV_PASSPHRASE, passphrase)
    code = cli.main(["--data-dir", str(root), *args])
    return code, capsys.readouterr().err


# password1234 and the rest after them: accepted until an independent check tried them (a list of ten was all).
@pytest.mark.parametrize(
    "weak",
    [
        "x",
        "short pass1",
        "aaaaaaaaaaaaaaaa",
        "Password123",
        "password1234",
        "123456789012",
        "qwertyuiopas",
        "passwordpassword",
    ],
)
def test_cli_init_refuses_a_weak_key_passphrase(tmp_path: Path, monkeypatch, capsys, weak: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 item 17: `init --key-storage passphrase` accepted a one-character passphrase; the service refuses
    it (the GUI wizard's rule, now in one place) and nothing is created."""
    root = tmp_path / "data"
    status, err = _cli(
        monkeypatch,
        capsys,
        root,
        "init",
        "--admin",
        "admin",
        "--password-stdin",
        "--key-storage",
        "passphrase",
        stdin=f"{PASSWORD}\n",
        passphrase=weak,
    )
    assert status == 1 and "passphrase" in err
    assert not (root / "keystore.json").exists() and not (root / "workstation.db").exists()


def test_cli_recover_refuses_a_weak_key_passphrase(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 item 17: `recover --key-storage passphrase` accepted a one-character passphrase; it is refused before
    the key file is rewritten, and a good one is taken."""
    root = tmp_path / "data"
    ws, code, _ = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.PASSPHRASE, GOOD)
    ws.close()
    before = (root / "keystore.json").read_bytes()
    status, err = _cli(
        monkeypatch,
        capsys,
        root,
        "recover",
        "--code-stdin",
        "--key-storage",
        "passphrase",
        stdin=f"{code}\n",
        passphrase="x",
    )
    assert status == 1 and "passphrase" in err
    assert (root / "keystore.json").read_bytes() == before
    with pytest.raises(PasswordRejected):
        Workstation.recover(root, code, KeyMethod.PASSPHRASE, "")
    assert Workstation.recover(root, code, KeyMethod.PASSPHRASE, GOOD + "!") is KeyMethod.PASSPHRASE
    Workstation.open(root, lambda: GOOD + "!").close()
