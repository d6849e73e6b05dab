"""What the server does before it reads a body (issue 14 item 22): a device's request is authenticated first, an
anonymous one may send little, failed enrolments are limited per address, and a wrong code takes no write lock.
A real server process over HTTPS (and a raw TLS socket where a well-behaved client cannot misbehave enough)."""

from __future__ import annotations

import socket
import sqlite3
import time
import uuid

import httpx

from desktop_app.domain.sync_protocol import AUDIT_PATH, BATCH_PATH, ENROL_PATH, STATUS_PATH
from tests.server.workstations import close_databases, enrol, https_client, new_code
from tests.support.central import ServerProcess

ANSWER_WITHIN_S = 10.0  # far more than an answer takes; far less than the server would wait for a body


def _headers_only(server: ServerProcess, path: str, length: int, credential: str | None = None) -> tuple[int, str]:
    """Send a POST's headers declaring `length` bytes of body and none of the body; the status and body of the
    answer, which must come without the body (socket.timeout otherwise)."""
    assert server.tls is not None
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {length}",
    ]
    if credential is not None:
        lines.append(f"Authorization: Bearer {credential}")
    with socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_WITHIN_S) as raw:
        with server.tls.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
            received = b""
            while not _complete(received):
                chunk = tls.recv(65536)
                if not chunk:
                    break
                received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body.decode("utf-8", "replace")


def _complete(received: bytes) -> bool:
    """True when `received` holds a whole answer (headers and the body its Content-Length announces)."""
    head, found, body = received.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return True


def test_a_request_without_a_valid_credential_is_answered_before_its_body_is_read(server: ServerProcess) -> None:
    """Issue 14 item 22: the 16 MiB body used to be buffered (and parsed) before the credential was looked at.
    Now a device endpoint answers 401 as soon as the headers are in, whatever body they announce, and so does a
    revoked device (403); an anonymous request may not even announce more than 64 KiB."""
    big = 16 * 1024 * 1024 - 1
    for path in (BATCH_PATH, AUDIT_PATH):
        assert _headers_only(server, path, big)[0] == 401
        assert _headers_only(server, path, big, "nobody.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")[0] == 401
    device = enrol(server, "branch")
    device.close()
    server.revoke(device.device_id)
    status, body = _headers_only(server, BATCH_PATH, big, device.credential)
    assert status == 403 and "device_revoked" in body
    status, body = _headers_only(server, ENROL_PATH, 1024 * 1024)
    assert status == 413 and "request_too_large" in body


def test_an_enrolled_device_may_still_send_a_large_batch(server: ServerProcess) -> None:
    """Issue 14 item 22, what stays (a guard, true before the fix too): an authenticated device may still send a
    large body (up to 16 MiB; a full batch is about 1 MiB), past the 64 KiB allowed before authentication."""
    device = enrol(server, "branch")
    try:
        padding = {"items": [], "padding": "x" * (2 * 1024 * 1024)}
        answer = device.client.post(BATCH_PATH, json=padding)
        assert answer.status_code == 200 and answer.json() == {"results": []}, answer.text[:200]
    finally:
        device.close()


def test_failed_enrolment_attempts_are_limited_per_address(sqlite_server: ServerProcess) -> None:
    """Issue 14 item 22: an enrolment-code brute force is cut off: after 10 failed attempts from one address it is
    answered 429 with Retry-After, before the code is looked at (even a valid one), while enrolled devices go on."""
    server = sqlite_server
    device = enrol(server, "branch")
    try:
        with https_client(server) as anonymous:
            for _ in range(10):
                guess = {"code": new_code(server).replace("-", "")[::-1], "workstation_id": f"ws-{uuid.uuid4()}"}
                assert anonymous.post(ENROL_PATH, json=guess).status_code == 401
            valid = {"code": new_code(server), "workstation_id": f"ws-{uuid.uuid4()}"}
            refused = anonymous.post(ENROL_PATH, json=valid)
            assert refused.status_code == 429 and refused.json()["error"] == "too_many_attempts", refused.text
            assert 0 < int(refused.headers["Retry-After"]) <= 600
        assert device.client.get(STATUS_PATH).status_code == 200
    finally:
        device.close()
        close_databases()


def test_a_wrong_enrolment_code_is_refused_without_taking_the_write_lock(sqlite_server: ServerProcess) -> None:
    """Issue 14 item 22: each enrolment attempt used to take the database's write lock (spending the code is an
    UPDATE), so wrong codes queued behind every upload. Now a code that cannot be used is refused after a read:
    with another process holding the write lock, the refusal still comes at once."""
    path = sqlite_server.db_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None, timeout=5)
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with https_client(sqlite_server) as anonymous:
            answer = anonymous.post(
                ENROL_PATH,
                json={"code": "0000-0000-0000-0000", "workstation_id": "ws-x"},
                timeout=httpx.Timeout(ANSWER_WITHIN_S),
            )
        assert answer.status_code == 401 and answer.json()["error"] == "enrolment_code_unknown"
        assert time.monotonic() - started < ANSWER_WITHIN_S
    finally:
        holder.execute("ROLLBACK")
        holder.close()
