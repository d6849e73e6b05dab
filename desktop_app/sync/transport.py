"""The HTTP transport to the central server (httpx): one verified connection, the protocol's calls, typed errors.

Security rules, checked before any connection is made:
- https:// is verified against the configured CA bundle, or the operating system's trust store when none is
  configured (never certifi's bundle: a bank trusts what its IT department installs on the machine);
- plain http:// is allowed only to this machine (127.0.0.0/8, ::1, "localhost"), for tests and a local
  TLS-terminating proxy, and is flagged `insecure` so the client can show a warning;
- proxies and certificate settings from the environment are ignored, redirects are not followed (a redirect is
  an error), and every request is checked to go to the transport's own origin before it leaves, so the device
  credential is only ever sent to the address the workstation enrolled with.
"""

from __future__ import annotations

import base64
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any

import httpx

from desktop_app import __version__
from desktop_app.domain.branch_match import MATCH_PATH, BranchMatch, MatchKey
from desktop_app.domain.server_address import AddressProblem, ServerAddress, parse_server_address
from desktop_app.domain.sync_protocol import (
    AUDIT_PATH,
    BATCH_PATH,
    ENROL_PATH,
    PAGES_PATH,
    STATUS_PATH,
    AuditUpload,
    ItemResult,
    UploadItem,
)
from desktop_app.storage.audit_chain import GENESIS
from desktop_app.sync.errors import (
    AuditChainBreak,
    BadAddress,
    CaBundleUnreadable,
    CertificateUntrusted,
    CodeForAnotherWorkstation,
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
    SyncTransportError,
    TooManyAttempts,
    WorkstationAlreadyEnrolled,
)

#: Connecting is quick or hopeless; a 500-item batch on a busy PostgreSQL may take a while to answer.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=10.0)

#: A 429 without a usable Retry-After waits this long; one asking for more than a day is taken as a day.
DEFAULT_RETRY_AFTER_S = 60
MAX_RETRY_AFTER_S = 24 * 3600


def check_address(server_url: str) -> ServerAddress:
    """The address as the transport will use it, or BadAddress / InsecureAddress (no connection is made)."""
    try:
        return parse_server_address(server_url)
    except AddressProblem as exc:
        raise (InsecureAddress if exc.insecure else BadAddress)(str(exc)) from None


def tls_context(ca_bundle: str | None, ca_pem: str | None = None) -> ssl.SSLContext:
    """A verifying TLS context: the CA certificates given as PEM text (the trust anchor kept at enrolment), else
    the CA bundle file, else the operating system's trust store."""
    try:
        # create_default_context requires a valid certificate whose name matches the host, TLS 1.2 or newer.
        if ca_pem:
            return ssl.create_default_context(cadata=ca_pem)
        return ssl.create_default_context(cafile=ca_bundle) if ca_bundle else ssl.create_default_context()
    except (OSError, ssl.SSLError, ValueError) as exc:
        where = "The CA certificate kept at enrolment" if ca_pem else f"The CA bundle '{ca_bundle}'"
        raise CaBundleUnreadable(
            f"{where} cannot be read as PEM certificates ({exc.__class__.__name__}). "
            "Enrol again with --ca FILE and a code from the bank."
        ) from None


@dataclass(frozen=True)
class Enrolment:
    """What the server gave in exchange for an enrolment code, and the audit head the workstation's trail must
    extend: the one its previous device reached (0 and the genesis hash on a first enrolment)."""

    device_id: str
    credential: str
    audit_head_seq: int = 0
    audit_head_hash: str = GENESIS


@dataclass(frozen=True)
class AuditAnswer:
    """The server's answer to an audit upload: how many entries it took and the head it now holds."""

    accepted: int
    head_seq: int
    head_hash: str


@dataclass(frozen=True)
class ServerStatus:
    """The authenticated ping: who the server thinks we are, and the audit head it holds for us."""

    device_id: str
    records: int
    audit_head_seq: int
    paper_pages: bool = False  # the server takes the paper form pages of approved records (the bank's choice)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> int:
    """The wait a Retry-After header asks for (seconds, or an HTTP date), in whole seconds from 1 to a day;
    DEFAULT_RETRY_AFTER_S when there is none or it cannot be read."""
    if not value or not value.strip():
        return DEFAULT_RETRY_AFTER_S
    text = value.strip()
    if text.isascii() and text.isdigit():
        seconds = int(text) if len(text) <= 9 else MAX_RETRY_AFTER_S
    else:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return DEFAULT_RETRY_AFTER_S
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = int((moment - (now or datetime.now(UTC))).total_seconds() + 0.999)
    return max(1, min(seconds, MAX_RETRY_AFTER_S))


def wait_text(seconds: int) -> str:
    """A wait in words: "45 seconds", "about 12 minutes"."""
    if seconds < 90:
        return f"{seconds} seconds"
    return f"about {round(seconds / 60)} minutes"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default one filled in): what "the same server" means for the credential."""
    port = url.port if url.port is not None else {"https": 443, "http": 80}.get(url.scheme)
    return url.scheme, url.host.lower(), port


def _is_certificate_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):  # httpx wraps httpcore, which wraps the ssl error
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _error_text(response: httpx.Response) -> tuple[str, str]:
    """The protocol's {"error", "message"} of an error answer, tolerating answers that are not JSON."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if isinstance(body, Mapping):
        detail = body.get("detail")  # FastAPI's own errors (validation, unknown path)
        return str(body.get("error") or ""), str(body.get("message") or detail or "")[:500]
    return "", ""


def _throttled(response: httpx.Response, code: str, detail: str, enrolling: str | None) -> SyncTransportError:
    """The error for a 429: too many failed enrolments from this address, or a device over its hourly budget.
    Where the code is known, this sentence says what the server's does: `detail` (its sentence) only otherwise."""
    wait = retry_after_seconds(response.headers.get("retry-after"))
    if enrolling is not None:
        return TooManyAttempts(
            "The central server takes no enrolment from this address for "
            f"{wait_text(wait)} after too many failed attempts (HTTP 429). Check the code with the bank's "
            "central administrator (codes are single-use and expire), then try again after that.",
            retry_after=wait,
        )
    if code == RateLimited.code:
        return RateLimited(
            "The central server takes no more records from this device for now (HTTP 429): it claimed too many new "
            "customers, or had too many items refused, in the last hour, and the central administrators have "
            f"been told. It asks to wait {wait_text(wait)}.",
            retry_after=wait,
        )
    return RateLimited(f"The central server asked to wait before sending more (HTTP 429){detail}.", retry_after=wait)


class Transport:
    """One session with the central server. Not thread-safe: use one per sync run (one thread)."""

    def __init__(
        self,
        server_url: str,
        *,
        ca_bundle: str | None = None,
        ca_pem: str | None = None,
        credential: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        """Check the address (InsecureAddress / BadAddress) and prepare the client; nothing is sent yet.

        `ca_pem` (the trust anchor kept at enrolment) takes precedence over the `ca_bundle` file."""
        self.address = check_address(server_url)
        verify: ssl.SSLContext | bool = tls_context(ca_bundle, ca_pem) if not self.address.insecure else False
        headers = {"User-Agent": f"desktop-app/{__version__}", "Accept": "application/json"}
        if credential:
            headers["Authorization"] = f"Bearer {credential}"
        self.device_id = credential.partition(".")[0] if credential else None
        self._origin = _origin(httpx.URL(self.address.base_url))
        self._client = httpx.Client(
            base_url=self.address.base_url,
            verify=verify,
            timeout=timeout,
            headers=headers,
            follow_redirects=False,
            trust_env=False,  # no proxy or certificate overrides from the environment
            event_hooks={"request": [self._same_origin_only]},
        )

    def _same_origin_only(self, request: httpx.Request) -> None:
        """Refuse, before it is sent, any request to another origin than the enrolled one (it would carry the
        credential); httpx calls this for every request, whichever way it was made."""
        if _origin(request.url) != self._origin:
            raise ForeignOrigin(
                f"A request to {request.url.scheme}://{request.url.netloc.decode('ascii', 'replace')} was stopped: "
                f"this workstation sends to {self.address.base_url} only."
            )

    @property
    def insecure(self) -> bool:
        """True when the connection is plain HTTP (allowed to loopback only): the UI shows a warning."""
        return self.address.insecure

    # --- the protocol's calls ----------------------------------------------------------------------------------
    def enrol(self, code: str, workstation_id: str, name: str) -> Enrolment:
        """Exchange a one-time enrolment code for this workstation's device credential and the audit head to go
        on from. EnrolmentRefused (or its kinds, which say what to ask the bank for) when the code cannot be used;
        TooManyAttempts when the server takes no enrolment from this address for a while."""
        body = self._request(
            "POST", ENROL_PATH, {"code": code, "workstation_id": workstation_id, "name": name}, enrolling=workstation_id
        )
        try:
            device_id, credential = str(body["device_id"]), str(body["credential"])
        except (KeyError, TypeError):
            raise ServerFailed("The server's enrolment answer has no device credential.") from None
        head_seq, head_hash = body.get("audit_head_seq", 0), body.get("audit_head_hash", GENESIS)
        if (
            not isinstance(head_seq, int)
            or isinstance(head_seq, bool)
            or head_seq < 0
            or not isinstance(head_hash, str)
            or len(head_hash) != len(GENESIS)
        ):
            raise ServerFailed("The server's enrolment answer names an audit head that is not one.")
        return Enrolment(device_id, credential, head_seq, head_hash)

    def upload_batch(self, items: Sequence[UploadItem]) -> list[ItemResult]:
        """Upload record versions; the server's result for each, in its order (matched by idempotency key)."""
        body = self._post(BATCH_PATH, {"items": [item.to_json() for item in items]})
        try:
            return [ItemResult.from_json(r) for r in body["results"]]
        except (KeyError, TypeError, ValueError):
            raise ServerFailed("The server's answer to a batch is not a list of results.") from None

    def upload_audit(self, upload: AuditUpload) -> AuditAnswer:
        """Upload audit entries and the chain head; AuditChainBreak when they do not extend the server's head."""
        body = self._post(AUDIT_PATH, upload.to_json())
        try:
            return AuditAnswer(int(body["accepted"]), int(body["head_seq"]), str(body["head_hash"]))
        except (KeyError, TypeError, ValueError):
            raise ServerFailed("The server's answer to the audit upload is incomplete.") from None

    def status(self) -> ServerStatus:
        """The authenticated ping (NotAuthenticated / DeviceRevoked tell what is wrong with the credential)."""
        body = self._request("GET", STATUS_PATH)
        try:
            return ServerStatus(
                str(body["device_id"]),
                int(body["records"]),
                int(body["audit_head_seq"]),
                body.get("paper_pages") is True,
            )
        except (KeyError, TypeError, ValueError):
            raise ServerFailed("The server's status answer is incomplete.") from None

    def match_customer(self, keys: Sequence[MatchKey], record_id: str | None = None) -> list[BranchMatch]:
        """The other branches likely to hold this person (hashed keys only, see domain/branch_match.py); the
        branch and the kinds of key that matched for each."""
        body = self._post(MATCH_PATH, {"record_id": record_id, "keys": [k.to_json() for k in keys]})
        try:
            return [BranchMatch.from_json(m) for m in body["matches"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ServerFailed("The server's answer to a duplicate query is not a list of branches.") from None

    def upload_page(
        self, record_id: str, version: int, page_no: int, sha256: str, media_type: str, content: bytes
    ) -> str:
        """One page of a stored record version's paper form: "stored" or "duplicate" (sent before). The server's
        refusals come as RequestRejected with its code (record_not_stored: the record has not arrived yet)."""
        body = self._post(
            PAGES_PATH,
            {
                "record_id": record_id,
                "version": version,
                "page_no": page_no,
                "sha256": sha256,
                "media_type": media_type,
                "content": base64.b64encode(content).decode("ascii"),
            },
        )
        status = body.get("status")
        if status not in ("stored", "duplicate"):
            raise ServerFailed("The server's answer to a page is neither stored nor duplicate.")
        return str(status)

    # --- plumbing ----------------------------------------------------------------------------------------------
    def _post(self, path: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return self._request("POST", path, payload)

    def _request(
        self, method: str, path: str, payload: Mapping[str, Any] | None = None, *, enrolling: str | None = None
    ) -> Mapping[str, Any]:
        """One call; the answer's JSON object, or the typed error for what went wrong. `enrolling` is the
        workstation id of an enrolment (its refusals are told apart and name the id)."""
        where = f"{self.address.base_url}{path}"
        try:
            response = self._client.request(method, path, json=payload)
        except httpx.TimeoutException:
            raise ServerUnreachable(f"The central server ({where}) did not answer in time.") from None
        except httpx.TransportError as exc:  # connect, read, write, protocol (connection closed mid-answer)
            if _is_certificate_failure(exc):
                raise CertificateUntrusted(
                    f"The central server's certificate is not trusted ({self.address.base_url}) by the CA "
                    "certificate this workstation enrolled with. Nothing was sent. If the bank changed the server's "
                    "CA, an administrator re-enrols with the new CA file and a code from the bank."
                ) from None
            raise ServerUnreachable(
                f"No answer from the central server ({where}): {exc.__class__.__name__}. "
                "The records stay queued and are sent when the network is back."
            ) from None
        return self._answer(response, where, enrolling=enrolling)

    @staticmethod
    def _answer(response: httpx.Response, where: str, *, enrolling: str | None) -> Mapping[str, Any]:
        status = response.status_code
        if 200 <= status < 300:
            try:
                body = response.json()
            except ValueError:
                raise ServerFailed(f"The central server ({where}) answered with something that is not JSON.") from None
            if not isinstance(body, Mapping):
                raise ServerFailed(f"The central server ({where}) answered with an unexpected JSON value.")
            return body
        code, message = _error_text(response)
        detail = f" ({message})" if message else ""
        error: SyncTransportError
        if 300 <= status < 400:
            error = ServerRedirected(
                f"The central server ({where}) answered with a redirect (HTTP {status}) to "
                f"{response.headers.get('location', '(no address)')[:200]}. It was not followed: the credential "
                "goes only to the address this workstation enrolled with. If the bank moved the server, an "
                "administrator re-enrols with a code from the bank."
            )
        elif status >= 500:
            error = ServerFailed(f"The central server failed (HTTP {status}){detail}; it is tried again later.")
        elif status == 429:
            error = _throttled(response, code, detail, enrolling)
        elif enrolling is not None and code == WorkstationAlreadyEnrolled.code:
            error = WorkstationAlreadyEnrolled(
                f"This workstation is enrolled with the central server already, and the code is for a new "
                f"workstation (HTTP {status}); it was not used. Re-enrolling needs a code the bank issues for this "
                f"workstation: give the central administrator its id, {enrolling}, to run "
                f"'desktop-app-server enrol-code --workstation {enrolling}'."
            )
        elif enrolling is not None and code == CodeForAnotherWorkstation.code:
            error = CodeForAnotherWorkstation(
                f"The enrolment code was issued for another workstation, not this one (HTTP {status}); it was not "
                f"used. Give the central administrator this workstation's id, {enrolling}, and ask for a code for "
                f"it ('desktop-app-server enrol-code --workstation {enrolling}')."
            )
        elif enrolling is not None and status in (400, 401, 403, 404, 409, 410, 422):
            error = EnrolmentRefused(
                f"The enrolment code was refused (HTTP {status}){detail}. Codes are single-use and expire: "
                "ask the central server's administrator for a new one."
            )
        elif status == 401:
            error = NotAuthenticated(
                f"The central server does not accept this workstation's credential (HTTP 401){detail}. "
                "An administrator must enrol the workstation again ('desktop-app sync-enrol')."
            )
        elif status == 403:
            error = DeviceRevoked(
                f"The central server revoked this workstation's device (HTTP 403){detail}. Nothing was sent; "
                "the records stay queued. Ask the central administrator, then enrol again with a new code."
            )
        elif status == 409 and code == "audit_chain_break":
            error = AuditChainBreak(
                "The central server found that this workstation's audit trail no longer extends the part it "
                f"already holds{detail}: the local trail was changed. Run 'desktop-app verify' and tell security."
            )
        else:
            error = RequestRejected(f"The central server refused the request (HTTP {status}){detail}.")
        error.status = status
        error.server_code = code
        raise error

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
