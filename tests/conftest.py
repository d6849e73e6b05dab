"""Shared fixtures: an in-memory keyring for every test, and workstations with a user of each role."""

from __future__ import annotations

import faulthandler
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from hypothesis import settings

from tests.support.keyrings import FileKeyring, MemoryKeyring

# No test asserts a wall-clock time, Hypothesis's per-example deadline included: on a loaded 2-core machine a
# correct example can take longer than 200 ms, and that is no failure of the behaviour under test.
settings.register_profile("project", deadline=None)
settings.load_profile("project")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "Correct-Horse-42"

# Once the tests are over the run must end, with pytest's own status. Stop 18's CI printed "2381 passed" and then
# hung in the interpreter's shutdown until CI's time ran out (Qt's global destructors wait for their pools' threads,
# native libraries' finalisers run; none of it is under test, and a local run did not reproduce it). So:
# - from the end of the session a watchdog in C (faulthandler: it needs no Python lock) prints every thread's stack
#   and ends the process with status 1 if the rest has not finished within EXIT_GRACE_S: a hang is reported, with
#   where it is, instead of timing CI out;
# - the last unconfigure hook, after every report is written, ends the process with the session's status without
#   the interpreter's shutdown (os._exit), which is what hung.
EXIT_GRACE_S = 240
_session_status: list[int] = []


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _session_status.append(int(exitstatus))
    faulthandler.dump_traceback_later(EXIT_GRACE_S, exit=True, file=sys.__stderr__)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if not _session_status or os.environ.get("PYTEST_NORMAL_EXIT"):
        return  # collection only, or a caller that wants the ordinary shutdown (PYTEST_NORMAL_EXIT=1)
    faulthandler.dump_traceback_later(EXIT_GRACE_S, exit=True, file=sys.__stderr__)  # pytest's plugin cancels ours
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_session_status[-1])


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory credential store; the real one is never touched."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FileKeyring:
    """A keyring shared with child processes through a file (for CLI and crash tests)."""
    path = tmp_path / "test-keyring.json"
    monkeypatch.setenv("DESKTOP_APP_TEST_KEYRING", str(path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.keyrings.FileKeyring")
    backend = FileKeyring()
    keyring.set_keyring(backend)
    return backend


@dataclass
class Staff:
    """A workstation with one signed-in user of each role (and a second teller and supervisor)."""

    ws: object
    admin: object
    teller: object
    teller2: object
    supervisor: object
    supervisor2: object
    auditor: object
    root: Path


def _login(ws, name: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    actor, must_change = ws.auth.login(name, password)
    if must_change:
        ws.auth.change_password(actor, password, password + "x")
        actor, _ = ws.auth.login(name, password + "x")
    return actor


@pytest.fixture
def staff(tmp_path: Path) -> Iterator[Staff]:
    from desktop_app.domain.roles import Role
    from desktop_app.services.workstation import Workstation
    from desktop_app.storage.keystore import KeyMethod

    root = tmp_path / "data"
    ws, _code, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.KEYRING)
    people = {
        "teller": {Role.TELLER},
        "teller2": {Role.TELLER},
        "supervisor": {Role.SUPERVISOR},
        "supervisor2": {Role.SUPERVISOR},
        "auditor": {Role.AUDITOR},
    }
    actors = {}
    for name, roles in people.items():
        ws.users.add(admin, name, PASSWORD, roles)
        actors[name] = _login(ws, name)
    yield Staff(
        ws,
        admin,
        actors["teller"],
        actors["teller2"],
        actors["supervisor"],
        actors["supervisor2"],
        actors["auditor"],
        root,
    )
    ws.close()
