"""The central server for tests: a test CA made at test time, the server as a real process on loopback, and a
throw-away PostgreSQL cluster.

Use from a conftest.py (import the fixtures you need so pytest sees them):

    from tests.support.central import postgres_cluster, postgres_server, postgres_url, sqlite_server, test_ca

    def test_upload(sqlite_server: ServerProcess, test_ca: TestCA) -> None:
        code = sqlite_server.enrol_code()
        with httpx.Client(base_url=sqlite_server.url, verify=test_ca.ssl_context()) as client: ...

`sqlite_server` and `postgres_server` are a fresh server with TLS on a fresh database for each test. Pass options
by indirect parametrisation: `@pytest.mark.parametrize("postgres_server", [{"workers": 3}], indirect=True)`
(keys: workers, tls (default True)).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import Engine, create_engine, func, select, text

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


# --- TLS -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TestCA:
    """A certificate authority made for one test session, and a server certificate it signed for 127.0.0.1,
    ::1 and localhost. All PEM files."""

    __test__ = False  # not a test class, whatever its name

    ca_cert: Path
    server_cert: Path
    server_key: Path

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this CA only (what httpx's `verify=` takes)."""
        return ssl.create_default_context(cafile=str(self.ca_cert))


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "desktop-app tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_test_ca(directory: Path) -> TestCA:
    """Write a fresh CA and a server certificate signed by it into `directory` (EC P-256: quick to make)."""
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("desktop-app test CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    x509.IPAddress(ipaddress.ip_address("::1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca = TestCA(directory / "ca.pem", directory / "server.pem", directory / "server-key.pem")
    ca.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    ca.server_cert.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    ca.server_key.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    ca.server_key.chmod(0o600)
    return ca


# --- the server process --------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sqlalchemy_url(db_url: str) -> str:
    if "://" not in db_url:
        return f"sqlite:///{Path(db_url).resolve()}"
    if db_url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db_url.split("://", 1)[1]
    return db_url


def run_server_cli(*args: str, db_url: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m central_server ARGS --db DB_URL` as a real process; the completed process (not checked)."""
    return subprocess.run(
        [sys.executable, "-m", "central_server", *args, "--db", db_url],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=_child_env(),
    )


def _child_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), LANG="C.UTF-8", PYTHONUNBUFFERED="1")
    env.pop("DESKTOP_APP_SERVER_DB", None)
    return env


class ServerProcess:
    """`python -m central_server serve` as a real subprocess on a free loopback port.

    A context manager: entering starts it and waits until it answers; leaving stops it. stop() and start() in
    between restart it on the same port and database (for "server down, then up")."""

    def __init__(
        self,
        db_url: str,
        tls: TestCA | None = None,
        workers: int = 1,
        port: int | None = None,
        args: Sequence[str] = (),
    ) -> None:
        self.db_url = db_url
        self.tls = tls
        self.workers = workers
        self.args = tuple(args)  # more `serve` options, e.g. ("--claims-per-hour", "3")
        self.port = port or free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None
        self._logs = Path(tempfile.mkdtemp(prefix="central-server-log-"))
        self.log_path = self._logs / "server.log"
        self._engine: Engine | None = None

    # lifecycle
    def start(self) -> ServerProcess:
        """Start the server (when not running) and wait until it answers; RuntimeError with its log if it cannot."""
        if self.running:
            return self
        command = [
            sys.executable, "-m", "central_server", "serve",
            "--host", "127.0.0.1", "--port", str(self.port), "--db", self.db_url, "--workers", str(self.workers),
            "--shutdown-timeout", "1",
        ]  # fmt: skip
        if self.tls is not None:
            command += ["--tls-cert", str(self.tls.server_cert), "--tls-key", str(self.tls.server_key)]
        command += self.args
        with self.log_path.open("ab") as log:
            # A session of its own, so that stop() reaches the workers too.
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=_child_env(), start_new_session=True
            )
        self._wait_until_answering()
        return self

    def _wait_until_answering(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        verify: ssl.SSLContext | bool = self.tls.ssl_context() if self.tls is not None else False
        with httpx.Client(verify=verify, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self._process.poll() is not None:
                    raise RuntimeError(f"the server exited with {self._process.returncode}:\n{self.log_tail()}")
                try:
                    if client.get(f"{self.url}/openapi.json").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S:.0f} s:\n{self.log_tail()}")

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        """Stop the server gracefully (SIGTERM to it and its workers; SIGKILL if it does not go in time)."""
        self._signal(signal.SIGTERM)
        if self._process is not None:
            try:
                self._process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self._process.wait(STOP_TIMEOUT_S)
            self._process = None

    def kill(self) -> None:
        """Kill the server and its workers at once (SIGKILL), as a crash would."""
        self._signal(signal.SIGKILL)
        if self._process is not None:
            self._process.wait(STOP_TIMEOUT_S)
            self._process = None

    def _signal(self, sig: signal.Signals) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, sig)  # its own session: this is its group, not ours

    def close(self) -> None:
        """Stop the server and let go of its database and logs."""
        self.stop()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        shutil.rmtree(self._logs, ignore_errors=True)

    def __enter__(self) -> ServerProcess:
        try:
            return self.start()
        except BaseException:
            self.close()  # __exit__ does not run when __enter__ fails
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def log_text(self) -> str:
        """Everything the server wrote to stdout and stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    # administration, through the real command line
    def enrol_code(self, name: str = "test-device", ttl_hours: float = 24, workstation: str | None = None) -> str:
        """A fresh enrolment code from `desktop-app-server enrol-code` on this server's database (for a new
        workstation, or with `workstation` for that one)."""
        more = ("--workstation", workstation) if workstation else ()
        out = run_server_cli("enrol-code", "--name", name, "--ttl-hours", str(ttl_hours), *more, db_url=self.db_url)
        if out.returncode != 0:
            raise RuntimeError(f"enrol-code failed: {out.stderr.strip()}")
        return out.stdout.strip()

    def revoke(self, device_id: str) -> None:
        """`desktop-app-server revoke DEVICE_ID` on this server's database."""
        out = run_server_cli("revoke", device_id, db_url=self.db_url)
        if out.returncode != 0:
            raise RuntimeError(f"revoke failed: {out.stderr.strip()}")

    # the database, read directly
    @property
    def engine(self) -> Engine:
        """An engine on the server's database, for reading what it stored."""
        if self._engine is None:
            self._engine = create_engine(_sqlalchemy_url(self.db_url))
        return self._engine

    def count_records(self) -> int:
        """How many record versions the server has stored."""
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(text("records"))).scalar_one())

    def records(self) -> list[tuple[str, int]]:
        """(record_id, version) of every stored record version, sorted."""
        with self.engine.connect() as connection:
            rows = connection.execute(text("SELECT record_id, version FROM records ORDER BY record_id, version"))
            return [(str(r), int(v)) for r, v in rows]

    def stored_payload(self, record_id: str, version: int) -> dict[str, Any] | None:
        """The payload stored for (record_id, version), or None."""
        with self.engine.connect() as connection:
            raw = connection.execute(
                text("SELECT payload FROM records WHERE record_id = :r AND version = :v"),
                {"r": record_id, "v": version},
            ).scalar_one_or_none()
        return None if raw is None else dict(json.loads(raw))


# --- PostgreSQL ----------------------------------------------------------------------------------------------


def postgres_bin_dir() -> Path | None:
    """The newest PostgreSQL server binaries under /usr/lib/postgresql (Debian's layout), or on PATH."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


class PostgresCluster:
    """A PostgreSQL cluster of its own in a temporary directory, on a free loopback port, trusting local
    connections (it holds nothing but test data and lives as long as the test session).

    initdb refuses to run as root: under root the cluster belongs to the `postgres` system user the Debian
    package creates, and the server runs as that user."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        # Not under pytest's tmp_path: that is private to root, and the postgres user must reach the directory.
        self.root = Path(tempfile.mkdtemp(prefix="central-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self._owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self._owner is not None:
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)

    def _run(self, *command: str) -> None:
        drop: dict[str, Any] = {}
        if self._owner is not None:
            drop = {"user": self._owner.pw_uid, "group": self._owner.pw_gid, "extra_groups": []}
        # Output to a file, not a pipe: the server pg_ctl starts would hold a pipe open for ever.
        with (self.root / "commands.log").open("ab") as out:
            completed = subprocess.run(
                command, stdout=out, stderr=subprocess.STDOUT, cwd=self.root, timeout=120, check=False, **drop
            )
        if completed.returncode != 0:
            log = (self.root / "commands.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{Path(command[0]).name} failed ({completed.returncode}):\n{log}")

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        # Durability is not what these tests are about: no fsync makes the cluster quick on a shared disk.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log_path), "-o", options,
                  "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the cluster and delete its files."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of `database` on this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)  # type: ignore[arg-type]  # the names are generated, never user input

    def create_database(self, name: str | None = None) -> str:
        """A new empty database (a generated name unless given); its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url_or_name: str) -> None:
        """Drop a database made by create_database, even with connections still open."""
        name = url_or_name.rsplit("/", 1)[-1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- fixtures ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    """A CA and a server certificate for 127.0.0.1 / localhost, made for this test session."""
    return make_test_ca(tmp_path_factory.mktemp("test-ca"))


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A throw-away PostgreSQL cluster for the session; skipped only when the server binaries are missing."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found (initdb under /usr/lib/postgresql/*/bin): run 'make setup'")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run initdb as (install 'postgresql')")
    cluster = PostgresCluster(bin_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    """ "postgresql+psycopg://..." of an empty database on the session's throw-away cluster."""
    return postgres_cluster.create_database("central")


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options = dict(getattr(request, "param", None) or {})
    unknown = set(options) - {"workers", "tls", "args"}
    if unknown:
        raise ValueError(f"unknown server options: {sorted(unknown)}")
    return options


@pytest.fixture
def sqlite_server(request: pytest.FixtureRequest, tmp_path: Path, test_ca: TestCA) -> Iterator[ServerProcess]:
    """A running server with TLS on a fresh SQLite file (options by indirect parametrisation: workers, tls, args:
    more `serve` options such as ("--accept-paper-pages",))."""
    options = _options(request)
    tls = test_ca if options.get("tls", True) else None
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    with ServerProcess(url, tls, options.get("workers", 1), args=options.get("args", ())) as server:
        yield server


@pytest.fixture
def postgres_server(
    request: pytest.FixtureRequest, postgres_cluster: PostgresCluster, test_ca: TestCA
) -> Iterator[ServerProcess]:
    """A running server with TLS on a fresh PostgreSQL database (options as for sqlite_server)."""
    options = _options(request)
    tls = test_ca if options.get("tls", True) else None
    url = postgres_cluster.create_database()
    try:
        with ServerProcess(url, tls, options.get("workers", 1), args=options.get("args", ())) as server:
            yield server
    finally:
        postgres_cluster.drop_database(url)
