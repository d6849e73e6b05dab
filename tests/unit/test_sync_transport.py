"""The sync transport's security rules and error mapping: plain HTTP only to loopback, refused before any
connection; HTTPS verified against the configured CA bundle; each HTTP failure a typed exception."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from desktop_app.domain.settings_catalog import check_setting
from desktop_app.sync import transport as transport_mod
from desktop_app.sync.errors import (
    AuditChainBreak,
    BadAddress,
    CaBundleUnreadable,
    DeviceRevoked,
    EnrolmentRefused,
    ForeignOrigin,
    InsecureAddress,
    NotAuthenticated,
    RateLimited,
    RequestRejected,
    ServerFailed,
    ServerRedirected,
    ServerUnreachable,
    TooManyAttempts,
)
from desktop_app.sync.transport import MAX_RETRY_AFTER_S, Transport, retry_after_seconds


@pytest.fixture
def no_connection(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Records any attempt to open a socket connection or to build an HTTP client."""
    attempts: list[tuple[object, ...]] = []

    def refuse_connect(self: socket.socket, address: object) -> None:
        attempts.append(("connect", address))
        raise AssertionError("a connection was attempted")

    real_client = httpx.Client

    def client(*args: object, **kwargs: object) -> httpx.Client:
        attempts.append(("client", kwargs.get("base_url")))
        return real_client(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(transport_mod.httpx, "Client", client)
    return attempts


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1",
        "http://10.0.0.1:8443/",
        "http://192.168.1.20:80",
        "http://kyc.bank.example",
        "http://127.0.0.1.nip.io",  # a name, not the loopback address: names are not trusted
        "http://[2001:db8::1]:8080",
        "HTTP://10.0.0.1",
    ],
)
def test_plain_http_to_another_machine_is_refused_before_any_connection(url: str, no_connection: list) -> None:
    with pytest.raises(InsecureAddress, match="https://"):
        Transport(url)
    assert no_connection == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://127.8.9.10", "http://[::1]:8080", "http://localhost:1", "http://LOCALHOST"]
)
def test_plain_http_to_loopback_is_allowed_and_flagged_insecure(url: str) -> None:
    with Transport(url) as transport:
        assert transport.insecure


def test_https_is_not_flagged_insecure() -> None:
    with Transport("https://kyc.bank.example:8443/") as transport:
        assert not transport.insecure
        assert transport.address.base_url == "https://kyc.bank.example:8443"


@pytest.mark.parametrize("url", ["ftp://kyc.bank.example", "kyc.bank.example", "https://", "https://host:port", ""])
def test_an_unusable_address_is_refused(url: str, no_connection: list) -> None:
    with pytest.raises(BadAddress):
        Transport(url)
    assert no_connection == []


def test_a_missing_ca_bundle_is_refused_before_any_connection(tmp_path: Path, no_connection: list) -> None:
    with pytest.raises(CaBundleUnreadable, match="Enrol again"):
        Transport("https://127.0.0.1:8443", ca_bundle=str(tmp_path / "missing.pem"))
    assert no_connection == []


def test_a_ca_bundle_that_is_not_pem_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(CaBundleUnreadable):
        Transport("https://127.0.0.1:8443", ca_bundle=str(bogus))


def test_the_settings_refuse_plain_http_to_another_machine() -> None:
    assert "https://" in (check_setting("sync_server_url", "http://10.0.0.1:8080") or "")
    assert check_setting("sync_server_url", "http://127.0.0.1:8080") is None
    assert check_setting("sync_server_url", "https://kyc.bank.example") is None
    assert check_setting("sync_server_url", "") is None  # not set: sync is off


def test_nothing_listening_is_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with Transport(f"http://127.0.0.1:{port}", credential="d.s") as transport:
            with pytest.raises(ServerUnreachable) as caught:
                transport.status()
    assert caught.value.retryable


def _answer(status: int, body: object = None, *, enrol: bool = False, text: str | None = None) -> None:
    response = httpx.Response(status, json=body) if text is None else httpx.Response(status, text=text)
    Transport._answer(response, "https://central/v1/x", enrolling="ws-1" if enrol else None)


@pytest.mark.parametrize(
    ("status", "body", "error", "retryable"),
    [
        (401, {"error": "unknown_credential", "message": "no such device"}, NotAuthenticated, False),
        (403, {"error": "revoked", "message": "revoked"}, DeviceRevoked, False),
        (409, {"error": "audit_chain_break", "message": "entry 5 does not link"}, AuditChainBreak, False),
        (500, {"error": "internal_error", "message": "try later"}, ServerFailed, True),
        (503, None, ServerFailed, True),
        (422, {"error": "invalid_request", "message": "items.0: missing"}, RequestRejected, False),
        (413, {"error": "batch_too_large", "message": "split"}, RequestRejected, False),
    ],
)
def test_http_errors_become_typed_exceptions(status: int, body: object, error: type, retryable: bool) -> None:
    with pytest.raises(error) as caught:
        _answer(status, body)
    assert caught.value.status == status and caught.value.retryable is retryable


def test_a_refused_enrolment_code_says_to_ask_for_a_new_one() -> None:
    with pytest.raises(EnrolmentRefused, match="new one"):
        _answer(401, {"error": "code_used", "message": "the code was used"}, enrol=True)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120),
        ("0", 1),
        (None, 60),
        ("", 60),
        ("soon", 60),
        ("\u00b2", 60),  # a digit to str.isdigit, not to int()
        ("9" * 5000, MAX_RETRY_AFTER_S),
        ("Thu, 07 Dec 2026 03:10:00 GMT", 600),
        ("Thu, 07 Dec 2026 02:00:00 GMT", 1),  # already past
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date_and_bounded(header: str | None, seconds: int) -> None:
    now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now) == seconds


def test_429_is_retryable_and_keeps_the_wait_the_server_asked_for() -> None:
    """Issue 14 items 11 and 22 (client): a 429 is no longer "request rejected, not retryable"."""
    limited = httpx.Response(429, json={"error": "rate_limited", "message": "wait"}, headers={"Retry-After": "1800"})
    with pytest.raises(RateLimited) as caught:
        Transport._answer(limited, "https://central/v1/records/batch", enrolling=None)
    assert caught.value.retryable and caught.value.retry_after == 1800 and caught.value.status == 429
    attempts = httpx.Response(429, json={"error": "too_many_attempts", "message": "x"}, headers={"Retry-After": "600"})
    with pytest.raises(TooManyAttempts, match="about 10 minutes") as refused:
        Transport._answer(attempts, "https://central/v1/enrol", enrolling="ws-1")
    assert refused.value.retry_after == 600


def test_an_answer_that_is_not_json_is_a_server_failure() -> None:
    with pytest.raises(ServerFailed):
        _answer(200, text="<html>proxy error</html>")


class _Recorder(ThreadingHTTPServer):
    """A loopback HTTP server that notes (path, Authorization) of each request and answers with `redirect_to`
    (a 307) when set, else 200 with an empty JSON object."""

    def __init__(self, redirect_to: str | None = None) -> None:
        self.seen: list[tuple[str, str | None]] = []
        self.redirect_to = redirect_to
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.seen.append((self.path, self.headers.get("Authorization")))
                if recorder.redirect_to:
                    self.send_response(307)
                    self.send_header("Location", recorder.redirect_to + self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b"{}"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


def test_the_credential_goes_to_the_enrolled_origin_only() -> None:
    """Issue 14 item 2: the credential is never sent to another origin: a redirect is an error and is not followed,
    and a request for another origin made through the transport is stopped before it leaves."""
    elsewhere = _Recorder()
    enrolled = _Recorder(redirect_to=elsewhere.url)
    try:
        with Transport(enrolled.url, credential="dev-1.s3cret") as transport:
            with pytest.raises(ServerRedirected, match="not followed") as caught:
                transport.status()
            assert not caught.value.retryable
            with pytest.raises(ForeignOrigin):
                transport._client.get(f"{elsewhere.url}/v1/status")  # whatever way a request is made
        assert enrolled.seen == [("/v1/status", "Bearer dev-1.s3cret")]
        assert elsewhere.seen == []
    finally:
        for server in (enrolled, elsewhere):
            server.shutdown()
            server.server_close()
