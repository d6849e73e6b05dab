"""The admin command line, run as a real process: exit codes, one-line errors, permissions, verify."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.storage.engine import open_raw
from desktop_app.storage.keystore import KeyStore
from tests.support.keyrings import FileKeyring

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PW = "Admin-Passw0rd-1"


def run(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), LANG="C.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture
def data(tmp_path: Path, file_keyring: FileKeyring) -> Path:
    root = tmp_path / "data"
    out = run(root, "init", "--admin", "boss", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert out.returncode == 0, out.stderr
    assert "RECOVERY CODE" in out.stdout
    return root


def _one_line_error(out: subprocess.CompletedProcess[str]) -> str:
    assert out.returncode == 1, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    assert "Traceback" not in out.stderr
    return lines[0]


def test_user_administration_round_trip(data: Path) -> None:
    out = run(
        data,
        "user",
        "add",
        "clerk1",
        "--roles",
        "teller",
        "--user",
        "boss",
        "--password-stdin",
        "--new-password-stdin",
        stdin=f"{ADMIN_PW}\nTemp-Passw0rd-9\n",
    )
    assert out.returncode == 0, out.stderr
    listing = run(data, "user", "list", "--user", "boss", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert "clerk1\tteller\tactive\tmust-change-password" in listing.stdout
    assert run(data, "user", "lock", "clerk1", "--user", "boss", "--password-stdin", stdin=ADMIN_PW).returncode == 0
    listing = run(data, "user", "list", "--user", "boss", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert "clerk1\tteller\tlocked" in listing.stdout
    assert run(data, "user", "unlock", "clerk1", "--user", "boss", "--password-stdin", stdin=ADMIN_PW).returncode == 0
    out = run(
        data,
        "user",
        "set-roles",
        "clerk1",
        "--roles",
        "teller,supervisor",
        "--user",
        "boss",
        "--password-stdin",
        stdin=ADMIN_PW,
    )
    assert out.returncode == 0 and "supervisor,teller" in out.stdout
    bad = run(
        data,
        "user",
        "set-roles",
        "clerk1",
        "--roles",
        "teller,admin",
        "--user",
        "boss",
        "--password-stdin",
        stdin=ADMIN_PW,
    )
    assert "cannot be combined" in _one_line_error(bad)


def test_a_teller_cannot_administer_users(data: Path) -> None:
    run(
        data,
        "user",
        "add",
        "clerk1",
        "--roles",
        "teller",
        "--user",
        "boss",
        "--password-stdin",
        "--new-password-stdin",
        stdin=f"{ADMIN_PW}\nTemp-Passw0rd-9\n",
    )
    assert (
        run(
            data, "passwd", "--user", "clerk1", "--password-stdin", stdin="Temp-Passw0rd-9\nClerk-Passw0rd-2\n"
        ).returncode
        == 0
    )
    out = run(data, "user", "list", "--user", "clerk1", "--password-stdin", stdin="Clerk-Passw0rd-2\n")
    assert "does not allow" in _one_line_error(out)


def test_wrong_password_and_usage_errors(data: Path) -> None:
    out = run(data, "user", "list", "--user", "boss", "--password-stdin", stdin="nope\n")
    assert "Wrong user name or password" in _one_line_error(out)
    assert run(data, "user", "frobnicate").returncode == 2
    assert run(data, "seed-demo").returncode == 2


def test_verify_passes_then_names_the_first_tampered_entry(data: Path, file_keyring: FileKeyring) -> None:
    assert (
        run(
            data, "seed-demo", "--records", "200", "--seed", "3", "--user", "boss", "--password-stdin", stdin=ADMIN_PW
        ).returncode
        == 0
    )
    ok = run(data, "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "audit chain: ok" in ok.stdout
    store = KeyStore.load(data / "keystore.json")
    conn = open_raw(data / "workstation.db", store.read_key())
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET action = 'nothing.to.see' WHERE seq = 3")
    conn.close()
    bad = run(data, "verify")
    assert "first bad audit entry is 3" in _one_line_error(bad)
    assert "FAILED at entry 3" in bad.stdout


def test_init_refuses_an_existing_store_and_open_errors_are_one_line(data: Path, tmp_path: Path) -> None:
    again = run(data, "init", "--admin", "other", "--password-stdin", stdin="Second-Passw0rd-3\n")
    assert "already holds" in _one_line_error(again)
    empty = run(tmp_path / "nowhere", "verify")
    assert "desktop-app init" in _one_line_error(empty)
    (data / "workstation.db").write_bytes(b"garbage" * 100)
    assert "damaged" in _one_line_error(run(data, "verify"))


def test_rekey_and_recover_from_the_command_line(tmp_path: Path, file_keyring: FileKeyring) -> None:
    root = tmp_path / "data"
    out = run(root, "init", "--admin", "boss", "--password-stdin", stdin=ADMIN_PW + "\n")
    code = next(line.strip() for line in out.stdout.splitlines() if line.startswith("    "))
    assert run(root, "rekey", "--user", "boss", "--password-stdin", stdin=ADMIN_PW).returncode == 0
    file_keyring._path().unlink()  # the credential store is reset: the key is gone from it
    assert "recover" in _one_line_error(run(root, "verify"))
    assert "recovery code is wrong" in _one_line_error(
        run(root, "recover", "--code-stdin", "--key-storage", "keyring", stdin="AAAAA-BBBBB\n")
    )
    fixed = run(root, "recover", "--code-stdin", "--key-storage", "keyring", stdin=code + "\n")
    assert fixed.returncode == 0, fixed.stderr
    assert run(root, "verify").returncode == 0


def test_serve_hands_its_arguments_to_the_central_servers_command_line(tmp_path: Path) -> None:
    helped = run(tmp_path / "unused", "serve", "--help")
    assert helped.returncode == 0, helped.stderr
    for option in ("--port", "--db", "--tls-cert", "--tls-key", "--workers"):
        assert option in helped.stdout
    # An option only the server knows reaches the server's own checks (exit 2, its message), and nothing starts.
    refused = run(tmp_path / "unused", "serve", "--workers", "0")
    assert refused.returncode == 2
    assert "--workers must be at least 1" in refused.stderr
    assert not (tmp_path / "unused").exists()  # the workstation's data directory is not created for the server


def test_watchlist_import_from_the_command_line(data: Path, tmp_path: Path) -> None:
    """Issue 15: a bank's IT imports the sanctions list by script; demo customers are re-screened to the end; a
    broken file is one clear line and changes nothing (who may import: the permission matrix)."""
    from tests.support.watchlists import bank_csv, listed_people, un_xml

    who = ("--user", "boss", "--password-stdin")
    assert run(data, "seed-demo", "--records", "50", "--seed", "5", *who, stdin=ADMIN_PW).returncode == 0
    xml = tmp_path / "consolidated.xml"
    xml.write_bytes(un_xml([entry for entry, _ in listed_people(12)]))
    out = run(data, "watchlist", "import", str(xml), *who, stdin=ADMIN_PW)
    assert out.returncode == 0, out.stderr
    assert "14 entries" in out.stdout  # the 12 people and the generated list's 2 entities
    screened = re.search(r"Re-screened (\d+) approved customers", out.stdout)
    assert screened is not None and int(screened.group(1)) > 0, out.stdout  # the demo's approved ones, to the end
    broken = tmp_path / "own.csv"
    broken.write_text("this,is,not\na,list,file\n", encoding="utf-8")
    refused = _one_line_error(run(data, "watchlist", "import", str(broken), *who, stdin=ADMIN_PW))
    assert "was not imported" in refused and "previous list version stays" in refused
    own = tmp_path / "bank.csv"
    own.write_bytes(bank_csv([entry for entry, _ in listed_people(3, seed=99)]))
    assert run(data, "watchlist", "import", str(own), "--name", "bank list", *who, stdin=ADMIN_PW).returncode == 0
    listed = run(data, "watchlist", "list", *who, stdin=ADMIN_PW)
    assert listed.returncode == 0 and listed.stdout.count("current") == 2, listed.stdout
    assert "bank list" in listed.stdout
    assert "no such file" in _one_line_error(
        run(data, "watchlist", "import", str(tmp_path / "nope.xml"), *who, stdin=ADMIN_PW)
    )
    # A list that lost most of its persons: one line saying so and how to confirm; with --accept-fewer, imported.
    few = tmp_path / "few.xml"
    few.write_bytes(un_xml([entry for entry, _ in listed_people(2)]))
    shrunk = _one_line_error(run(data, "watchlist", "import", str(few), *who, stdin=ADMIN_PW))
    assert "up to 14 entries (12 persons)" in shrunk and "--accept-fewer" in shrunk, shrunk
    confirmed = run(data, "watchlist", "import", str(few), "--accept-fewer", "--no-rescreen", *who, stdin=ADMIN_PW)
    assert confirmed.returncode == 0 and "4 entries" in confirmed.stdout, confirmed.stderr
