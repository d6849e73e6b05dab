"""A stand-in for the running desktop app: a forked child that holds the data directory's app lock and the store
open, as run_gui does, and commits a record whenever the test asks (then says its id). POSIX only (fork)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from desktop_app.storage.app_lock import AppLock
from desktop_app.storage.store import Store
from tests.support.rekey_faults import commit_record


class RunningApp:
    """`with RunningApp(root, maker_id) as app: app.commit()`; the child ends with the block.

    With `open_store=False` the child only holds the lock, as a key rotation or a restore does while it works.
    """

    def __init__(
        self, root: Path, maker_id: int, passphrase: Callable[[], str] | None = None, *, open_store: bool = True
    ) -> None:
        self.root = root
        self.maker_id = maker_id
        self.passphrase = passphrase
        self.open_store = open_store
        self.committed: list[str] = []
        self._pid = 0
        self._to_child: int | None = None
        self._from_child: int | None = None

    def __enter__(self) -> RunningApp:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the test runner
            os.close(to_child_w)
            os.close(from_child_r)
            code = 0
            try:
                self._serve(to_child_r, from_child_w)
            except BaseException as exc:
                os.write(from_child_w, f"E {exc.__class__.__name__}: {exc}\n".encode())
                code = 1
            finally:
                os._exit(code)
        os.close(to_child_r)
        os.close(from_child_w)
        self._pid, self._to_child, self._from_child = pid, to_child_w, from_child_r
        ready = self._reply()
        if ready != "READY":
            self.__exit__(None, None, None)
            raise AssertionError(f"the stand-in app did not start: {ready}")
        return self

    def _serve(self, commands: int, replies: int) -> None:
        lock = AppLock.acquire(self.root)  # what run_gui holds while the app is open
        store = Store.open(self.root, self.passphrase) if self.open_store else None
        os.write(replies, b"READY\n")
        with os.fdopen(commands, "r") as lines:
            for line in lines:
                if line.strip() == "commit" and store is not None:
                    os.write(replies, f"{commit_record(store, self.maker_id)}\n".encode())
        if store is not None:
            store.close()
        lock.release()

    def _reply(self) -> str:
        assert self._from_child is not None
        data = b""
        while not data.endswith(b"\n"):
            chunk = os.read(self._from_child, 4096)
            if not chunk:
                break
            data += chunk
        return data.decode().strip()

    def commit(self) -> str:
        """Have the app commit one record; its id once it is committed."""
        assert self._to_child is not None
        os.write(self._to_child, b"commit\n")
        rid = self._reply()
        if not rid or rid.startswith("E "):
            raise AssertionError(f"the stand-in app could not commit: {rid}")
        self.committed.append(rid)
        return rid

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._to_child is not None:
            os.close(self._to_child)  # end of commands: the child closes the store and quits
            self._to_child = None
        if self._pid:
            try:
                _, status = os.waitpid(self._pid, 0)
            except ChildProcessError:
                status = 0
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) != signal.SIGKILL:
                raise AssertionError(f"the stand-in app died of signal {os.WTERMSIG(status)}")
            self._pid = 0
        if self._from_child is not None:
            os.close(self._from_child)
            self._from_child = None
