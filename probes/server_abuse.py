"""The central server under abuse (issue 14 items 10, 11, 13 and 22), against a real server process over HTTPS on
loopback: unauthenticated and cross-device requests, oversize and deeply nested bodies, invalid UTF-8, lone
surrogates and numbers beyond their columns, replays with a different payload, an enrolment-code brute force, and
schemathesis against /openapi.json for a bounded number of examples.

The quick form runs on SQLite with few examples; the full form adds PostgreSQL (a throw-away cluster, when its
binaries are installed), a longer brute force and more schemathesis examples. The behaviours each probe looks
at have their own tests in tests/server/ (`make test`); this is the broad sweep that is too slow for it.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from central_server.enrolment import new_enrolment_code
from desktop_app.domain.sync_protocol import (
    AUDIT_PATH,
    BATCH_PATH,
    ENROL_PATH,
    STATUS_PATH,
    idempotency_key,
    payload_digest,
)
from desktop_app.domain.synthetic import generate_customers
from probes.result import ProbeResult
from tests.support.central import PostgresCluster, ServerProcess, TestCA, make_test_ca, postgres_bin_dir

TITLE = "Central server abuse: requests, bodies, brute force, schemathesis (issue 14 items 10, 11, 13, 22)"
BIG = 16 * 1024 * 1024
ANSWER_WITHIN_S = 10.0
ENROL_FAILURES_ALLOWED = 10  # the server's default (--enrol-attempts)

_people: Iterator[dict[str, str]] = generate_customers(1_000_000, seed=1414)


def run(quick: bool) -> list[ProbeResult]:
    """Every probe of this module, on SQLite (and, in the full form, on PostgreSQL when it is installed)."""
    results: list[ProbeResult] = []
    with tempfile.TemporaryDirectory(prefix="probe-server-") as folder:
        root = Path(folder)
        ca = make_test_ca(root / "ca")
        with _backends(root, quick) as backends:
            for backend, new_url in backends:
                with ServerProcess(new_url(), ca) as server:
                    results += [_tagged(backend, r) for r in _requests(server, quick)]
                # The brute force is cut off after a few codes, and schemathesis would spend its enrolment examples
                # on 429: it gets a server of its own without that limit.
                with ServerProcess(new_url(), ca, args=("--enrol-attempts", "0")) as server:
                    results.append(_tagged(backend, _schemathesis(server, ca, 10 if quick else 100, root)))
    return results


_Backend = tuple[str, Callable[[], str]]


@contextmanager
def _backends(root: Path, quick: bool) -> Iterator[list[_Backend]]:
    """(name, a function giving a fresh database URL) for SQLite, and PostgreSQL in the full form if installed."""
    counter = iter(range(1_000_000))
    backends: list[_Backend] = [("sqlite", lambda: f"sqlite:///{root / f'central-{next(counter)}.sqlite3'}")]
    cluster = None
    bin_dir = postgres_bin_dir()
    if not quick and bin_dir is not None and (os.geteuid() != 0 or _has_user("postgres")):
        cluster = PostgresCluster(bin_dir)
        cluster.start()
        backends.append(("postgresql", cluster.create_database))
    try:
        yield backends
    finally:
        if cluster is not None:
            cluster.stop()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _tagged(backend: str, result: ProbeResult) -> ProbeResult:
    return ProbeResult(f"[{backend}] {result.probe}", result.expected, result.result, result.ok)


# --- helpers -------------------------------------------------------------------------------------------------


def _client(server: ServerProcess, ca: TestCA, credential: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {credential}"} if credential else {}
    return httpx.Client(base_url=server.url, verify=ca.ssl_context(), headers=headers, timeout=60)


def _enrol(server: ServerProcess, ca: TestCA, name: str) -> tuple[str, str, str]:
    """(workstation id, device id, credential) of a new workstation."""
    workstation_id = f"ws-{uuid.uuid4().hex[:12]}"
    with _client(server, ca) as anonymous:
        body = anonymous.post(ENROL_PATH, json={"code": server.enrol_code(name), "workstation_id": workstation_id})
    body.raise_for_status()
    return workstation_id, body.json()["device_id"], body.json()["credential"]


def _payload(workstation_id: str, **fields: Any) -> dict[str, Any]:
    """An approved outbox payload of a new synthetic customer from this workstation."""
    payload = {
        "record_id": str(uuid.uuid4()), "version": 1, "base_version": None, "form": "personal_customer",
        "status": "approved", "values": next(_people), "maker": "clerk.li", "checker": "supervisor.wang",
        "approved_at": datetime.now(UTC).isoformat(), "workstation_id": workstation_id,
    }  # fmt: skip
    return payload | fields


def _item(payload: dict[str, Any], **fields: Any) -> dict[str, Any]:
    record_id, version = payload["record_id"], payload["version"]
    try:
        digest = payload_digest(payload)
    except UnicodeEncodeError:  # a lone surrogate: there is no digest to give
        digest = "0" * 64
    item = {"idempotency_key": idempotency_key(record_id, version), "record_id": record_id, "version": version}
    return item | {"payload": payload, "digest": digest} | fields


def _post_json(client: httpx.Client, path: str, body: Any) -> httpx.Response:
    """JSON as Python writes it: a lone surrogate as "\\ud800", integers of any size."""
    return client.post(path, content=json.dumps(body).encode("ascii"), headers={"Content-Type": "application/json"})


def _headers_only(server: ServerProcess, ca: TestCA, path: str, length: int, credential: str | None = None) -> str:
    """Announce `length` bytes of body and send none; the answer's status line, or why none came."""
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json", f"Content-Length: {length}"]
    if credential:
        lines.append(f"Authorization: Bearer {credential}")
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_WITHIN_S) as raw:
            with ca.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                tls.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
                head = tls.recv(65536).split(b"\r\n", 1)[0].decode("ascii", "replace")
    except TimeoutError:
        return f"no answer within {ANSWER_WITHIN_S:.0f} s (waiting for the body)"
    return head.removeprefix("HTTP/1.1 ")


def _status(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
    except ValueError:
        error = None
    return f"{response.status_code} {error}" if error else str(response.status_code)


def _item_outcomes(response: httpx.Response) -> list[str]:
    if response.status_code != 200:
        return [_status(response)]
    return [
        r["status"] + (f" {','.join(x['code'] for x in r['reasons'])}" if r["reasons"] else "")
        for r in response.json()["results"]
    ]


def _probe(name: str, expected: str, check: Callable[[], tuple[str, bool]]) -> ProbeResult:
    try:
        result, ok = check()
    except Exception as exc:  # a probe that cannot run is a failed probe, reported with the rest
        return ProbeResult(name, expected, f"{type(exc).__name__}: {exc}", False)
    return ProbeResult(name, expected, result, ok)


# --- the probes ----------------------------------------------------------------------------------------------


def _requests(server: ServerProcess, quick: bool) -> list[ProbeResult]:
    ca = server.tls
    assert ca is not None
    north_ws, north_id, north = _enrol(server, ca, "north")
    south_ws, _, south = _enrol(server, ca, "south")
    held = _payload(north_ws)
    with _client(server, ca, north) as client:
        assert _post_json(client, BATCH_PATH, {"items": [_item(held)]}).status_code == 200
    results: list[ProbeResult] = []

    def add(name: str, expected: str, check: Callable[[], tuple[str, bool]]) -> None:
        results.append(_probe(name, expected, check))

    # unauthenticated and cross-device
    for path in (BATCH_PATH, AUDIT_PATH):

        def no_credential(path: str = path) -> tuple[str, bool]:
            line = _headers_only(server, ca, path, BIG - 1)
            return line, line.startswith("401")

        add(f"POST {path} without a credential, 16 MiB announced, no body sent", "401 before the body", no_credential)

    def forged_secret() -> tuple[str, bool]:
        line = _headers_only(server, ca, BATCH_PATH, BIG - 1, f"{north_id}.{south.split('.', 1)[1]}")
        return line, line.startswith("401")

    add("north's device id with south's secret", "401 before the body", forged_secret)

    def revoked() -> tuple[str, bool]:
        _, gone_id, gone = _enrol(server, ca, "gone")
        server.revoke(gone_id)
        line = _headers_only(server, ca, BATCH_PATH, BIG - 1, gone)
        return line, line.startswith("403")

    add("a revoked device's credential", "403 before the body", revoked)

    def other_workstation() -> tuple[str, bool]:
        with _client(server, ca, south) as client:
            outcome = _item_outcomes(_post_json(client, BATCH_PATH, {"items": [_item(_payload(north_ws))]}))
        return "; ".join(outcome), outcome == ["refused wrong_workstation"]

    add("south uploads a record naming north's workstation", "refused wrong_workstation", other_workstation)

    def other_record() -> tuple[str, bool]:
        forged = _payload(south_ws, record_id=held["record_id"], version=2, base_version=1, values=held["values"])
        with _client(server, ca, south) as client:
            response = _post_json(client, BATCH_PATH, {"items": [_item(forged)]})
        outcome = _item_outcomes(response)
        leaked = north_ws in response.text or north_id in response.text
        return "; ".join(outcome) + (" (names north)" if leaked else ""), outcome == [
            "version_conflict record_held_elsewhere"
        ] and not leaked

    add("south uploads a version 2 of north's record", "conflict naming nothing of north's", other_record)

    def other_customer() -> tuple[str, bool]:
        with _client(server, ca, south) as client:
            response = _post_json(client, BATCH_PATH, {"items": [_item(_payload(south_ws, values=held["values"]))]})
        outcome = _item_outcomes(response)
        leaked = held["record_id"] in response.text or north_ws in response.text
        return "; ".join(outcome) + (" (names north's record)" if leaked else ""), outcome == [
            "version_conflict customer_held_elsewhere"
        ] and not leaked

    add("south uploads north's customer", "conflict naming nothing of north's", other_customer)

    def take_over() -> tuple[str, bool]:
        with _client(server, ca) as anonymous:
            response = anonymous.post(ENROL_PATH, json={"code": server.enrol_code(), "workstation_id": north_ws})
        return _status(response), response.status_code == 409

    add("a code for a new workstation enrols as north", "409 workstation_already_enrolled", take_over)

    # bodies
    def oversize() -> tuple[str, bool]:
        with _client(server, ca, north) as client:
            body = b'{"items": [' + b" " * (BIG + 1024 * 1024) + b"]}"
            response = client.post(BATCH_PATH, content=body, headers={"Content-Type": "application/json"})
        return _status(response), response.status_code == 413

    add("an enrolled device sends 17 MiB", "413", oversize)

    def anonymous_oversize() -> tuple[str, bool]:
        line = _headers_only(server, ca, ENROL_PATH, 1024 * 1024)
        return line, line.startswith("413")

    add("an enrolment announcing 1 MiB", "413 before the body", anonymous_oversize)

    def nested_body() -> tuple[str, bool]:
        deep = b'{"items":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
        with _client(server, ca, north) as client:
            response = client.post(BATCH_PATH, content=deep, headers={"Content-Type": "application/json"})
        return _status(response), response.status_code == 400

    add("a body nested 200,000 levels deep", "400 malformed_json", nested_body)

    def nested_payload() -> tuple[str, bool]:
        deep: dict[str, Any] = {}
        payload = _payload(north_ws, extra=deep)
        for _ in range(500):
            deep["n"] = {}
            deep = deep["n"]
        with _client(server, ca, north) as client:
            outcome = _item_outcomes(_post_json(client, BATCH_PATH, {"items": [_item(payload)]}))
        return "; ".join(outcome), outcome == ["refused bad_payload"]

    add("an item whose payload nests 500 levels", "200, the item refused bad_payload", nested_payload)

    def invalid_utf8() -> tuple[str, bool]:
        with _client(server, ca, north) as client:
            body = b'{"items": [{"record_id": "\xff\xfe\xc3\x28"}]}'
            response = client.post(BATCH_PATH, content=body, headers={"Content-Type": "application/json"})
        return _status(response), response.status_code == 400

    add("a body of invalid UTF-8", "400 malformed_json", invalid_utf8)

    def surrogates() -> tuple[str, bool]:
        lone = _payload(north_ws)
        lone["values"] = dict(lone["values"], name_en="ZHANG \ud800")
        nul = _payload(north_ws)
        nul["values"] = dict(nul["values"], address="1 Road\x00")
        items = [_item(lone), _item(_payload(north_ws), record_id="\udfff"), _item(nul), _item(_payload(north_ws))]
        with _client(server, ca, north) as client:
            outcome = _item_outcomes(_post_json(client, BATCH_PATH, {"items": items}))
            entry = {
                "seq": 1, "ts": "t", "actor_name": "a\x00", "action": "x", "record_id": None, "details": "\ud800",
                "prev_hash": "0" * 64, "hash": "a" * 64,
            }  # fmt: skip
            audit = _status(_post_json(client, AUDIT_PATH, {"entries": [entry], "head_seq": 1, "head_hash": "a" * 64}))
        expected = ["refused bad_text"] * 3 + ["stored"]
        return f"{'; '.join(outcome)}; audit: {audit}", outcome == expected and audit.startswith("422")

    add(
        "lone surrogates and NUL in values, a record id, an audit entry",
        "200: those items refused bad_text, the good stored; audit 422",
        surrogates,
    )

    def big_numbers() -> tuple[str, bool]:
        numbers: list[Any] = [2**63, 10**30, -(2**70), False, 1.5, "1"]
        items = [_item(_payload(north_ws), version=n) for n in numbers] + [_item(_payload(north_ws))]
        with _client(server, ca, north) as client:
            outcome = _item_outcomes(_post_json(client, BATCH_PATH, {"items": items}))
            audit = {"entries": [], "head_seq": 2**63, "head_hash": "0" * 64}
            audit_status = _status(_post_json(client, AUDIT_PATH, audit))
        expected = ["refused bad_version"] * len(numbers) + ["stored"]
        return f"{'; '.join(sorted(set(outcome)))}; audit head 2**63: {audit_status}", (
            outcome == expected and audit_status.startswith("422")
        )

    add('versions 2**63, 10**30, -2**70, false, 1.5, "1"', "items refused bad_version; audit 422", big_numbers)

    # replays
    def replay_different() -> tuple[str, bool]:
        changed = json.loads(json.dumps(held))
        changed["values"]["mobile"] = "13900000000"
        with _client(server, ca, north) as client:
            outcome = _item_outcomes(_post_json(client, BATCH_PATH, {"items": [_item(changed)]}))
        kept = server.stored_payload(held["record_id"], 1) == held
        return "; ".join(outcome) + ("" if kept else "; the stored payload changed"), (
            outcome == ["key_conflict key_conflict"] and kept
        )

    add("a replay of a stored key with a different payload", "key_conflict, the stored payload kept", replay_different)

    def replay_same() -> tuple[str, bool]:
        with _client(server, ca, north) as client:
            outcome = _item_outcomes(_post_json(client, BATCH_PATH, {"items": [_item(held)]}))
        return "; ".join(outcome), outcome == ["duplicate"]

    add("a replay of a stored key with the same payload", "duplicate (acknowledged, stored once)", replay_same)

    def status_still() -> tuple[str, bool]:
        with _client(server, ca, north) as client:
            response = client.get(STATUS_PATH)
        return _status(response), response.status_code == 200

    add("north's device after all of the above", "200", status_still)

    # brute force last: it locks this address out of enrolment for minutes
    attempts = 30 if quick else 300

    def brute_force() -> tuple[str, bool]:
        counts: dict[int, int] = {}
        first_429 = None
        with _client(server, ca) as anonymous:
            for n in range(attempts):
                guess = {"code": new_enrolment_code(), "workstation_id": f"ws-{uuid.uuid4().hex[:12]}"}
                status = anonymous.post(ENROL_PATH, json=guess).status_code
                counts[status] = counts.get(status, 0) + 1
                if status == 429 and first_429 is None:
                    first_429 = n
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        # The refused take-over above was a failed enrolment from this address too.
        ok = counts.get(200, 0) == 0 and first_429 is not None and first_429 <= ENROL_FAILURES_ALLOWED
        return f"{summary}; first 429 after {first_429} failures", ok

    add(
        f"enrolment-code brute force: {attempts} random codes from one address",
        f"none enrolled; 429 after at most {ENROL_FAILURES_ALLOWED} failures",
        brute_force,
    )

    def log_clean() -> tuple[str, bool]:
        log = server.log_text()
        errors = log.count("internal error")
        return ("no traceback, no 500" if not errors and "Traceback" not in log else f"{errors} internal errors"), (
            not errors and "Traceback" not in log
        )

    add("the server log after these probes", "no traceback, no 500", log_clean)
    return results


def _schemathesis(server: ServerProcess, ca: TestCA, examples: int, workdir: Path) -> ProbeResult:
    """Schemathesis against /openapi.json with a device credential, `examples` cases per operation and phase; run
    in `workdir`, where it leaves its cache."""
    name = f"schemathesis against /openapi.json, {examples} examples per operation"
    expected = "no 5xx (not_a_server_error)"
    executable = Path(sys.executable).with_name("schemathesis")
    if not executable.exists():
        found = shutil.which("schemathesis")
        if found is None:
            return ProbeResult(name, expected, "schemathesis is not installed: pip install -e '.[dev]'", False)
        executable = Path(found)
    _, _, credential = _enrol(server, ca, "schemathesis")
    command = [
        str(executable), "run", f"{server.url}/openapi.json", "--checks", "not_a_server_error",
        "--max-examples", str(examples), "--seed", "14", "--tls-verify", str(ca.ca_cert),
        "-H", f"Authorization: Bearer {credential}", "--generation-database", "none", "--workers", "1",
        "--no-color", "--request-timeout", "60",
    ]  # fmt: skip
    env = dict(os.environ, NO_COLOR="1")
    for key in list(env):  # all traffic stays on loopback: no proxy from the environment
        if key.lower().endswith("_proxy"):
            env.pop(key)
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600, env=env, check=False, cwd=workdir)
    generated = re.search(r"(\d+) generated", done.stdout)
    cases = f"{generated.group(1)} cases" if generated else "cases unknown"
    server_errors = server.log_text().count("internal error")
    if done.returncode == 0 and not server_errors:
        return ProbeResult(name, expected, f"{cases}, no server error", True)
    tail = " ".join(line.strip() for line in done.stdout.splitlines() if "Server error" in line or "ST1" in line)
    return ProbeResult(
        name, expected, f"exit {done.returncode}, {cases}, {server_errors} internal errors {tail}".strip(), False
    )
