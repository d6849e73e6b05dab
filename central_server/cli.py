"""`desktop-app-server`: run the central server and administer its devices.

    desktop-app-server serve [--host 127.0.0.1] [--port 8443] [--db URL] [--tls-cert PEM --tls-key PEM] [--workers N]
    desktop-app-server enrol-code [--db URL] [--name NAME] [--ttl-hours 24] [--workstation ID]
    desktop-app-server devices [--db URL] [--json]
    desktop-app-server revoke DEVICE_ID [--db URL]
    desktop-app-server release-claim (--record RECORD_ID | --blocked RECORD_ID | --device DEVICE_ID) [--db URL]
    desktop-app-server audit-alerts [--db URL] [--json]

--db takes a SQLAlchemy URL (sqlite:///path, postgresql+psycopg://user@host/db) or a path to a SQLite file; the
default is DESKTOP_APP_SERVER_DB, else a SQLite file in the per-user data directory. Exit codes: 0 success,
1 failure (one line on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import copy
import ipaddress
import json
import logging
import os
import re
import socket
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

from central_server.customers import (
    Released,
    UnknownClaim,
    release_claim_blocking,
    release_claims_of_device,
    release_claims_of_record,
)
from central_server.database import (
    ENV_DATABASE_URL,
    Database,
    SchemaMismatch,
    default_database_url,
    normalise_url,
    open_database,
)
from central_server.devices import UnknownDevice, list_alerts, list_devices, revoke
from central_server.enrolment import create_enrolment_code, workstation_key
from central_server.limits import Limits
from central_server.models import Workstation

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8443
APP_FACTORY = "central_server.app:app_from_env"
WORKER_READY_TIMEOUT_S = 60.0


class CliError(Exception):
    """A failure to report as one line on stderr with exit code 1."""


def _one_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _open(url: str) -> Database:
    try:
        return open_database(url)
    except SchemaMismatch as error:
        raise CliError(str(error)) from None
    except ArgumentError as error:
        raise CliError(f"not a database URL: {_one_line(error)}") from None
    except (DBAPIError, SQLAlchemyError, OSError) as error:
        raise CliError(f"cannot open the database: {_one_line(error)}") from None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, with the server's own loggers beside it and everything on stderr (stdout says only
    where the server listens)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    config["loggers"]["central_server"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def _serve(args: argparse.Namespace) -> int:
    if bool(args.tls_cert) != bool(args.tls_key):
        raise _UsageError("--tls-cert and --tls-key go together")
    if args.workers < 1:
        raise _UsageError("--workers must be at least 1")
    for option, path in (("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key)):
        if path and not Path(path).is_file():
            raise CliError(f"{option}: no such file: {path}")
    scheme = "https" if args.tls_cert else "http"
    if scheme == "http" and not _is_loopback(args.host):
        print(
            f"warning: serving plain HTTP on {args.host}; workstations refuse it unless TLS is terminated in front",
            file=sys.stderr,
        )
    for option, value in (
        ("--claims-per-hour", args.claims_per_hour),
        ("--refusals-per-hour", args.refusals_per_hour),
        ("--enrol-attempts", args.enrol_attempts),
        ("--match-queries-per-hour", args.match_queries_per_hour),
    ):
        if value < 0:
            raise _UsageError(f"{option} must be 0 (no limit) or more")
    limits = Limits(
        claims_per_hour=args.claims_per_hour,
        refusals_per_hour=args.refusals_per_hour,
        enrol_failures=args.enrol_attempts,
        match_queries_per_hour=args.match_queries_per_hour,
        paper_pages=1 if args.accept_paper_pages else 0,
    )
    url = normalise_url(args.db)
    _open(url).dispose()  # the schema once, here, before any worker starts; and a clear error if it cannot be
    os.environ[ENV_DATABASE_URL] = url  # what each worker's app_from_env() opens, with these limits
    os.environ.update(limits.to_env())
    config = uvicorn.Config(
        APP_FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        log_config=_log_config(args.log_level),
        log_level=args.log_level,
        access_log=not args.no_access_log,
        server_header=False,
        timeout_graceful_shutdown=args.shutdown_timeout,
    )
    sock = _listen(args.host, args.port)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    announcement = f"listening on {scheme}://{host}:{port}"
    announced: list[bool] = []

    def announce() -> None:
        print(announcement, flush=True)
        announced.append(True)

    if args.workers == 1:
        server = _AnnouncingServer(config, announce)
        server.run(sockets=[sock])
    else:
        _AnnouncingSupervisor(config, [sock], announce).run()
    return 0 if announced else 1


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here rather than by uvicorn so that a failure is one line of ours."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait for TIME_WAIT
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise CliError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)  # the workers serve this same socket
    return sock


class _AnnouncingServer(uvicorn.Server):
    """uvicorn's server that says where it listens once it has started (and only then)."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self._announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self._announce()


class _AnnouncingSupervisor(Multiprocess):
    """uvicorn's worker supervisor that says where it listens once every worker has started."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket], announce: Callable[[], None]) -> None:
        super().__init__(config, sockets)
        self._announce = announce

    def init_processes(self) -> None:
        super().init_processes()
        # Older uvicorn releases cannot tell a started worker from a starting one: alive is the best they know.
        ready = all(
            p.wait_until_ready(WORKER_READY_TIMEOUT_S, self.should_exit)
            if hasattr(p, "wait_until_ready")
            else p.is_alive()
            for p in self.processes
        )
        if ready:
            self._announce()


class _UsageError(Exception):
    """A wrong combination of options: exit code 2, like argparse."""


def _enrol_code(args: argparse.Namespace) -> int:
    if not 0 < args.ttl_hours <= 24 * 30:
        raise _UsageError("--ttl-hours must be more than 0 and at most 720 (30 days)")
    workstation = workstation_key(args.workstation.strip()) if args.workstation else None
    if args.workstation is not None and not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,99}", workstation or ""):
        raise _UsageError(
            "--workstation takes a workstation id of 1 to 100 letters, digits, '.', '_' or '-' (`devices` lists them)"
        )
    db = _open(args.db)
    try:
        with db.read() as session:
            known = workstation is not None and session.get(Workstation, workstation) is not None
        code = create_enrolment_code(db, args.name, timedelta(hours=args.ttl_hours), workstation)
    finally:
        db.dispose()
    print(code)
    if workstation is None:
        scope = "for a workstation never enrolled before"
    elif known:
        scope = f"to re-enrol workstation {workstation} (its current device is revoked when it is used)"
    else:
        scope = f"for workstation {workstation}, not enrolled yet"
    print(f"single use, valid for {args.ttl_hours:g} hours, {scope}", file=sys.stderr)
    return 0


def _devices(args: argparse.Namespace) -> int:
    db = _open(args.db)
    try:
        devices = list_devices(db)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([d.to_json() for d in devices], ensure_ascii=False, indent=2))
        return 0
    if not devices:
        print("no devices enrolled")
        return 0
    rows = [
        (
            "DEVICE", "NAME", "WORKSTATION", "ENROLLED (UTC)", "STATE", "RECORDS", "AUDIT HEAD", "CUSTOMERS (1H)",
            "REFUSED (1H)",
        )
    ]  # fmt: skip
    for d in devices:
        state = f"revoked {d.revoked_at:%Y-%m-%d %H:%M}" if d.revoked_at else "active"
        rows.append(
            (
                d.id,
                d.name,
                d.workstation_id,
                f"{d.enrolled_at:%Y-%m-%d %H:%M}",
                state,
                str(d.records),
                str(d.audit_head_seq),
                f"{d.claims} ({d.claims_last_hour})",
                f"{d.refusals} ({d.refusals_last_hour})",
            )
        )
    _print_table(rows)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    db = _open(args.db)
    try:
        changed = revoke(db, args.device_id)
    except UnknownDevice:
        raise CliError(f"no device {args.device_id}: `desktop-app-server devices` lists them") from None
    finally:
        db.dispose()
    print(f"revoked device {args.device_id}" if changed else f"device {args.device_id} was already revoked")
    return 0


def _release_claim(args: argparse.Namespace) -> int:
    db = _open(args.db)
    released: list[Released]
    try:
        if args.record:
            released = release_claims_of_record(db, args.record)
        elif args.blocked:
            released = release_claim_blocking(db, args.blocked)
        else:
            released = release_claims_of_device(db, args.device)
    except UnknownClaim:
        what = args.record or args.blocked or args.device
        if args.blocked:
            raise CliError(f"no claim blocks record {what} (none was refused for it, or it was released)") from None
        raise CliError(f"{what} holds no customer claim") from None
    finally:
        db.dispose()
    for claim in released:
        print(
            f"released the customer claimed by record {claim.record_id} of workstation {claim.workstation_id} "
            f"(device {claim.device_id}, since {claim.claimed_at:%Y-%m-%d %H:%M} UTC)"
        )
    print(f"{len(released)} claim(s) released: the next upload for each customer claims it", file=sys.stderr)
    return 0


def _audit_alerts(args: argparse.Namespace) -> int:
    db = _open(args.db)
    try:
        alerts = list_alerts(db)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([a.to_json() for a in alerts], ensure_ascii=False, indent=2))
        return 0
    if not alerts:
        print("no audit-chain breaks found")
        return 0
    rows = [("AT (UTC)", "DEVICE", "NAME", "PROBLEM")]
    rows += [(f"{a.at:%Y-%m-%d %H:%M:%S}", a.device_id, a.device_name, a.problem) for a in alerts]
    _print_table(rows)
    return 0


def _print_table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-app-server",
        description="The central server: receives approved KYC records from branch workstations, exactly once.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--db",
            default=None,
            metavar="URL",
            help=f"database URL or SQLite file path (default: ${ENV_DATABASE_URL}, else a SQLite file in the "
            "user data directory)",
        )
        sub.set_defaults(run=run)
        return sub

    serve = command("serve", "run the HTTP API", _serve)
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--tls-cert", metavar="PEM", help="server certificate chain (PEM); with --tls-key")
    serve.add_argument("--tls-key", metavar="PEM", help="the certificate's private key (PEM)")
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes sharing the database (use PostgreSQL for more than 1)"
    )
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.add_argument("--no-access-log", action="store_true", help="no line per request")
    # Bounded because an idle keep-alive TLS connection holds a graceful shutdown for as long as it is allowed
    # to; a request cut off by it is simply sent again by the workstation (uploads are idempotent).
    serve.add_argument(
        "--shutdown-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long a stop waits for open connections (default 5)",
    )
    defaults = Limits()
    serve.add_argument(
        "--claims-per-hour",
        type=int,
        default=defaults.claims_per_hour,
        metavar="N",
        help=f"new customers one device may claim in an hour, then 429 (default {defaults.claims_per_hour}; 0: no "
        "limit)",
    )
    serve.add_argument(
        "--refusals-per-hour",
        type=int,
        default=defaults.refusals_per_hour,
        metavar="N",
        help=f"refused items one device may send in an hour, then 429 (default {defaults.refusals_per_hour}; 0: no "
        "limit)",
    )
    serve.add_argument(
        "--match-queries-per-hour",
        type=int,
        default=defaults.match_queries_per_hour,
        metavar="N",
        help="cross-branch duplicate queries one device may make in an hour, then 429 (default "
        f"{defaults.match_queries_per_hour}; 0: no limit)",
    )
    serve.add_argument(
        "--accept-paper-pages",
        action="store_true",
        help="take the paper form pages of approved records from the workstations (the bank's choice; off by "
        "default: then only the records are sent)",
    )
    serve.add_argument(
        "--enrol-attempts",
        type=int,
        default=defaults.enrol_failures,
        metavar="N",
        help=f"failed enrolment attempts from one address per 10 minutes, then 429 (default {defaults.enrol_failures}; "
        "0: no limit)",
    )

    code = command("enrol-code", "create a single-use enrolment code for a workstation", _enrol_code)
    code.add_argument("--name", help="the name the enrolled device gets (default: the one the workstation sends)")
    code.add_argument("--ttl-hours", type=float, default=24.0, help="how long the code is valid (default 24)")
    code.add_argument(
        "--workstation",
        metavar="ID",
        help="the workstation id the code is for (`devices` lists them): re-enrolling it revokes its current device "
        "and continues its audit trail; without, the code enrols only a workstation never enrolled before",
    )

    devices = command("devices", "list enrolled devices", _devices)
    devices.add_argument("--json", action="store_true", help="as JSON")

    revoke_cmd = command("revoke", "refuse a device's credential from now on", _revoke)
    revoke_cmd.add_argument("device_id", metavar="DEVICE_ID")

    release = command(
        "release-claim",
        "release customer claims, so that another branch's record can hold the customer",
        _release_claim,
    )
    which = release.add_mutually_exclusive_group(required=True)
    which.add_argument("--record", metavar="RECORD_ID", help="the claims this record holds")
    which.add_argument("--blocked", metavar="RECORD_ID", help="the claim that made this record a version conflict")
    which.add_argument("--device", metavar="DEVICE_ID", help="every claim made through this device")

    alerts = command("audit-alerts", "list the audit-chain breaks found at upload", _audit_alerts)
    alerts.add_argument("--json", action="store_true", help="as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 1 failure, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = default_database_url()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.run(args))
    except _UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    except CliError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1
