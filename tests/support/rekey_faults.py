"""Fault injection for key rotation: a child process rotates the key and is killed with SIGKILL at a chosen step.

A step is any call by which the rotation changes something outside its own memory: a rename, an unlink, an fsync,
a write over a file, a write to the credential store. `rotation_steps` lists them (a rotation that runs to its end
with every such call counted), `kill_rotation` runs one in a forked child that writes some records first and is
killed just before step n (or after a delay, for a random moment), and `check_after_crash` then does what the next
program would: opens the store with the credential store as the crash left it, and checks every committed record.
No hook in the product is needed: the calls are intercepted in the child only.

Used by tests/integration/test_rekey_safety.py (each step once) and by `make security` (probes/rekey_faults.py:
both key storages, several rounds, random moments). POSIX only (fork, /proc/self/fd).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.storage import keystore as keystore_module
from desktop_app.storage.engine import open_raw
from desktop_app.storage.errors import StoreError
from desktop_app.storage.keystore import KeyMethod, KeyStore
from desktop_app.storage.models import Record
from desktop_app.storage.store import Store
from tests.support.keyrings import FileKeyring

PASSWORD = "Correct-Horse-42"
PASSPHRASE = "a long branch passphrase for fault tests 7"
AFTER_THE_END = "the rotation returns"  # the last step: killed just after the rotation ended
REKEY_COPY = "workstation.db.rekey"  # where the re-encrypted copy is written


@dataclass
class Workshop:
    """A store made for fault injection, with what the checks need: its recovery code and who made it."""

    root: Path
    method: KeyMethod
    code: str
    maker_id: int
    committed: set[str] = field(default_factory=set)
    opened_with: bytes | None = None  # the key the last check opened the store with
    _recovery: Any = None  # the recovery code's private key, derived once (argon2, 64 MiB) for every check

    @property
    def passphrase(self) -> str | None:
        return PASSPHRASE if self.method is KeyMethod.PASSPHRASE else None

    def source(self) -> Callable[[], str] | None:
        """What Store.open asks for the passphrase (None in keyring mode)."""
        return (lambda: PASSPHRASE) if self.method is KeyMethod.PASSPHRASE else None

    def sealed_keys(self) -> list[bytes]:
        """Every key sealed to the recovery code in keystore.json as it is now (what `recover` has to try)."""
        keystore = KeyStore.load(self.root / "keystore.json")
        if self._recovery is None:
            self._recovery = keystore_module._recovery_private_key(
                self.code, keystore_module._unb64(keystore.recovery["salt"]), keystore.recovery["params"]
            )
        copies = [keystore.recovery["sealed"]] + ([keystore.pending["sealed"]] if keystore.pending else [])
        return [keystore_module._open_sealed(self._recovery, sealed, keystore._aad()) for sealed in copies]


def make_workshop(root: Path, method: KeyMethod) -> Workshop:
    """A new store in `root` with its administrator (the maker of the records written before each rotation)."""
    from desktop_app.services.workstation import Workstation

    ws, code, admin = Workstation.initialise(
        root, "admin", PASSWORD, method, PASSPHRASE if method is KeyMethod.PASSPHRASE else None
    )
    ws.close()
    return Workshop(root, method, code, admin.user_id)


def use_file_keyring(path: Path) -> None:
    """The test keyring in a file, so that what a killed child wrote to it is there for the parent."""
    import keyring

    os.environ["DESKTOP_APP_TEST_KEYRING"] = str(path)
    keyring.set_keyring(FileKeyring())  # type: ignore[no-untyped-call]


def commit_record(store: Store, maker_id: int) -> str:
    """One draft record and its audit entry in one committed transaction; returns its id."""
    rid = str(uuid.uuid4())
    now = datetime.now(UTC)
    with store.write() as session:
        session.execute(
            insert(Record),
            [
                {
                    "id": rid,
                    "form_key": "personal_customer",
                    "status": "draft",
                    "version": 1,
                    "maker_id": maker_id,
                    "made_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        store.audit(session, action="record.create", actor_id=maker_id, actor_name="admin", record_id=rid)
    return rid


def commit_records(store: Store, maker_id: int, count: int) -> list[str]:
    """`count` draft records in one committed transaction (a store big enough for the copy to take a while)."""
    now = datetime.now(UTC)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "form_key": "personal_customer",
            "status": "draft",
            "version": 1,
            "maker_id": maker_id,
            "made_at": now,
            "name": f"Synthetic Customer {n}",
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]
    with store.write() as session:
        session.execute(insert(Record), rows)
    return [str(row["id"]) for row in rows]


# --- the child ---------------------------------------------------------------------------------------------


def _name(path: object) -> str:
    text = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else str(path)
    name = Path(text.removesuffix(" (deleted)")).name + (" (no longer named)" if text.endswith(" (deleted)") else "")
    return re.sub(r"^\.keystore-\w+", ".keystore-*", name)


def _fd_name(fd: int) -> str:
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return f"fd {fd}"
    return "the data folder" if os.path.isdir(target) else _name(target)


def _entry(username: str) -> str:
    return "pending entry" if username.endswith("-pending") else "current entry"


class _Steps:
    """Counts the side-effecting calls and kills this process with SIGKILL just before call number `kill_at`."""

    def __init__(self, kill_at: int | None, report: Callable[[str], None]) -> None:
        self.kill_at = kill_at
        self.count = 0
        self.report = report
        self.started = time.perf_counter()

    def step(self, label: str) -> None:
        self.count += 1
        self.report(f"T {time.perf_counter() - self.started:.6f}")
        self.report(f"S {label}")
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def install(self) -> None:
        def wrap(owner: Any, attr: str, label: Callable[..., str]) -> None:
            original = getattr(owner, attr)

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                self.step(label(*args))
                return original(*args, **kwargs)

            setattr(owner, attr, wrapper)

        wrap(os, "replace", lambda src, dst, *_: f"os.replace({_name(src)} -> {_name(dst)})")
        wrap(os, "rename", lambda src, dst, *_: f"os.rename({_name(src)} -> {_name(dst)})")
        wrap(os, "link", lambda src, dst, *_: f"os.link({_name(src)} -> {_name(dst)})")
        wrap(os, "unlink", lambda path, *_: f"os.unlink({_name(path)})")
        wrap(os, "remove", lambda path, *_: f"os.remove({_name(path)})")
        wrap(os, "fsync", lambda fd: f"os.fsync({_fd_name(fd)})")
        wrap(os, "pwrite", lambda fd, *_: f"os.pwrite({_fd_name(fd)})")
        wrap(os, "ftruncate", lambda fd, *_: f"os.ftruncate({_fd_name(fd)})")
        wrap(FileKeyring, "set_password", lambda _self, _service, user, _pw: f"keyring: set the {_entry(user)}")
        wrap(FileKeyring, "delete_password", lambda _self, _service, user: f"keyring: delete the {_entry(user)}")


@dataclass(frozen=True)
class ChildRun:
    """What a rotating child reported before it ended."""

    committed: tuple[str, ...]
    steps: tuple[str, ...]
    step_times: tuple[float, ...]  # seconds from the start of the rotation to each step
    killed: bool
    finished: bool
    error: str | None


def _child(
    shop: Workshop, records: int, kill_at: int | None, delay: float | None, write: Callable[[str], None]
) -> None:
    store = Store.open(shop.root, shop.source())
    for _ in range(records):
        write(f"C {commit_record(store, shop.maker_id)}")

    def audit(session: Session) -> None:
        store.audit(session, action="key.rotate", actor_id=shop.maker_id, actor_name="admin")

    steps = _Steps(kill_at, write)
    if delay is not None:
        threading.Timer(delay, os.kill, (os.getpid(), signal.SIGKILL)).start()
    steps.install()  # the clock of step_times starts with the timer
    store.rekey(shop.passphrase, audit=audit)
    steps.step(AFTER_THE_END)
    write("DONE")


def kill_rotation(
    shop: Workshop, *, kill_at: int | None = None, delay: float | None = None, records: int = 3
) -> ChildRun:
    """Fork a child that commits `records` records and rotates the key, killed with SIGKILL just before step
    `kill_at` (1-based; None: not by step) or after `delay` seconds (None: not by time)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller (a test runner, a probe)
        os.close(read_end)

        def write(line: str) -> None:
            os.write(write_end, (json.dumps(line) + "\n").encode())

        code = 0
        try:
            _child(shop, records, kill_at, delay, write)
        except BaseException as exc:
            write(f"E {exc.__class__.__name__}: {exc}")
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    chunks = []
    with os.fdopen(read_end, "rb") as pipe:
        for chunk in iter(lambda: pipe.read(65536), b""):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    lines = [json.loads(line) for line in b"".join(chunks).decode().splitlines() if line]
    committed = tuple(line[2:] for line in lines if line.startswith("C "))
    shop.committed.update(committed)
    errors = [line[2:] for line in lines if line.startswith("E ")]
    return ChildRun(
        committed=committed,
        steps=tuple(line[2:] for line in lines if line.startswith("S ")),
        step_times=tuple(float(line[2:]) for line in lines if line.startswith("T ")),
        killed=os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL,
        finished="DONE" in lines,
        error=errors[0] if errors else None,
    )


def rotation_steps(shop: Workshop) -> list[str]:
    """The steps of one whole rotation of `shop`'s store, in order (that rotation is done and checked)."""
    run = kill_rotation(shop, records=0)
    if run.error or not run.finished:
        raise AssertionError(f"the counting rotation did not finish: {run.error}")
    problems = check_after_crash(shop)
    if problems:
        raise AssertionError(f"the counting rotation left a bad store: {problems}")
    return list(run.steps)


# --- after the crash -----------------------------------------------------------------------------------------


def check_after_crash(shop: Workshop) -> list[str]:
    """What is wrong with the store now, as the next program finds it (empty: nothing).

    The recovery code must still open it (a key sealed in keystore.json opens the database), the store must open
    with the credential store as it is, settle the rotation (no pending key, no copy left) and hold every record
    committed so far, with its cipher pages, structure and audit chain intact.
    """
    problems: list[str] = []
    db = shop.root / "workstation.db"
    if not any(_opens(db, key) for key in shop.sealed_keys()):
        problems.append("no key the recovery code unlocks opens the database")
    try:
        store = Store.open(shop.root, shop.source())
    except StoreError as exc:
        return [*problems, f"does not open: {exc}"]
    try:
        with store.read() as session:
            present = set(session.scalars(select(Record.id)))
        missing = shop.committed - present
        if missing:
            problems.append(f"{len(missing)} of {len(shop.committed)} committed records lost")
        report = store.verify()
        if not report.ok:
            problems.append(f"verify failed: {report}")
        if KeyStore.load(shop.root / "keystore.json").pending is not None:
            problems.append("the rotation was not settled (a pending key is left)")
        if (shop.root / REKEY_COPY).exists():
            problems.append("the re-encrypted copy was left beside the database")
        if list(shop.root.glob(".keystore-*")) or (shop.root / (REKEY_COPY + "-journal")).exists():
            problems.append("a key-store temporary file or the copy's journal was left beside the database")
        if store.raw_key_for_tests() not in shop.sealed_keys():
            problems.append("the recovery code does not unlock the key the store opened with")
        shop.opened_with = store.raw_key_for_tests()
    finally:
        store.close()
    return problems


def _opens(db: Path, key: bytes) -> bool:
    with contextlib.suppress(StoreError):
        open_raw(db, key).close()
        return True
    return False


@contextlib.contextmanager
def file_keyring_at(path: Path) -> Iterator[None]:
    """For a runner outside pytest: the file keyring for the block, the previous backend afterwards."""
    import keyring

    previous, env = keyring.get_keyring(), os.environ.get("DESKTOP_APP_TEST_KEYRING")
    use_file_keyring(path)
    try:
        yield
    finally:
        keyring.set_keyring(previous)
        if env is None:
            os.environ.pop("DESKTOP_APP_TEST_KEYRING", None)
        else:
            os.environ["DESKTOP_APP_TEST_KEYRING"] = env
