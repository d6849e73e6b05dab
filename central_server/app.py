"""The central server's HTTP API (version 1, see desktop_app.domain.sync_protocol): enrolment, record batches,
audit anchoring, status.

The process holds no state of its own: every request reads and writes the database, so any number of processes
(uvicorn --workers N, or several hosts) can serve one PostgreSQL database. Endpoints are plain functions run in
the thread pool on a synchronous SQLAlchemy engine: the work is short transactions, and this keeps it simple.

Before any body is read, the Gate authenticates a device's request (401 or 403 at once, whatever it declares it
will send) and refuses an enrolment from an address with too many failed ones (429); an authenticated device may
send up to 16 MiB, anyone else 64 KiB.

Errors are always {"error": code, "message": text} with 400, 401, 403, 404, 409, 413, 422, 429 or 500; a
traceback goes to the server log, never into an answer. Logs name devices and records, never payload values.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy import select
from starlette.exceptions import HTTPException as StarletteHTTPException

from central_server.api_models import (
    AuditRequest,
    AuditResponse,
    BatchRequest,
    BatchResponse,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    MatchRequest,
    MatchResponse,
    PageStored,
    PageUpload,
    StatusResponse,
)
from central_server.audit_anchor import ChainBreak, anchor
from central_server.branch_matches import QueryLimited, find_matches
from central_server.database import ENV_DATABASE_URL, Database, default_database_url, open_database
from central_server.devices import AuthenticatedDevice, AuthError, AuthFailure, authenticate
from central_server.enrolment import ENROL_FAILURE_STATUS, EnrolError, enrol
from central_server.intake import count_for_device, known_forms, read_item, store_batch
from central_server.limits import ENROL_WINDOW_S, AttemptLimiter, Limits, device_activity
from central_server.models import AuditHead
from central_server.pages import PageRefused, store_page
from desktop_app.domain.branch_match import MATCH_PATH, MatchKind
from desktop_app.domain.sync_protocol import (
    AUDIT_PATH,
    BATCH_PATH,
    ENROL_PATH,
    MAX_AUDIT_ENTRIES,
    MAX_BATCH_ITEMS,
    PAGES_PATH,
    STATUS_PATH,
    AuditEntryUpload,
    AuditUpload,
)

log = logging.getLogger("central_server.app")

# A full batch of 500 records is under 1 MiB and a full audit upload a few MiB; anything far larger is refused
# before it is parsed. Only an authenticated device gets that far: an enrolment is a few hundred bytes.
MAX_BODY_BYTES = 16 * 1024 * 1024
MAX_ANONYMOUS_BODY_BYTES = 64 * 1024
DEVICE_PATHS = frozenset({BATCH_PATH, AUDIT_PATH, STATUS_PATH, MATCH_PATH, PAGES_PATH})

_Scope = MutableMapping[str, Any]
_Message = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Message]]
_Send = Callable[[_Message], Awaitable[None]]
_Asgi = Callable[[_Scope, _Receive, _Send], Awaitable[None]]


class ApiError(Exception):
    """An error answer: HTTP status, stable code, a sentence saying what to do."""

    def __init__(self, status: int, error: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers


def _error(status: int, error: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    # A lone surrogate cannot be encoded: one must never turn an error answer into a failure of its own.
    message = message.encode("utf-8", "replace").decode("utf-8")
    return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)


def _auth_error(error: AuthError) -> ApiError:
    """401 for a missing or wrong credential, 403 for a revoked device."""
    if error.failure == AuthFailure.REVOKED:
        return ApiError(403, error.failure.value, str(error))
    return ApiError(401, error.failure.value, str(error), {"WWW-Authenticate": "Bearer"})


def client_address(scope: Mapping[str, Any]) -> str:
    """The client's address (uvicorn puts the one a trusted proxy forwarded there)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class Gate:
    """Before any body is read: authenticate a request to a device endpoint (401/403 at once), refuse an enrolment
    from an address with too many failed ones (429), and bound the body (413) by who is asking."""

    def __init__(self, app: _Asgi, db: Database, enrol_failures: AttemptLimiter) -> None:
        self.app = app
        self.db = db
        self.enrol_failures = enrol_failures

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = MAX_ANONYMOUS_BODY_BYTES
        if path in DEVICE_PATHS:
            try:
                device = await anyio.to_thread.run_sync(authenticate, self.db, _bearer_credential(scope))
            except AuthError as error:
                refused = _auth_error(error)  # answered here: the app's exception handlers are further in
                await _error(refused.status, refused.error, refused.message, refused.headers)(scope, receive, send)
                return
            scope.setdefault("state", {})["device"] = device
            limit = MAX_BODY_BYTES
        elif path == ENROL_PATH:
            wait = self.enrol_failures.retry_after(client_address(scope))
            if wait is not None:
                message = f"Too many failed enrolment attempts from this address. Try again in {wait} s."
                answer = _error(429, "too_many_attempts", message, {"Retry-After": str(wait)})
                await answer(scope, receive, send)
                return
        await _bounded(self.app, scope, receive, send, limit)


def _bearer_credential(scope: _Scope) -> str | None:
    """The credential of an "Authorization: Bearer ..." header, None without one (as HTTPBearer reads it)."""
    header = dict(scope.get("headers") or []).get(b"authorization")
    if header is None:
        return None
    scheme, credential = get_authorization_scheme_param(header.decode("latin-1"))
    return credential if scheme.lower() == "bearer" and credential else None


async def _bounded(app: _Asgi, scope: _Scope, receive: _Receive, send: _Send, limit: int) -> None:
    """Run `app` with the request body read here and refused (413) past `limit` bytes, whether or not it
    declares its length."""
    declared = dict(scope.get("headers") or []).get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        await _too_large(limit)(scope, receive, send)
        return
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            await _too_large(limit)(scope, receive, send)
            return
        chunks.append(chunk)
        more = message.get("more_body", False)
    body = b"".join(chunks)
    sent = False

    async def replay() -> _Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    await app(scope, replay, send)


def _too_large(limit: int) -> JSONResponse:
    return _error(413, "request_too_large", f"The request body is larger than {limit} bytes.")


def _status_error_code(status: int) -> str:
    # 400 here is FastAPI's "error parsing the body": JSON nested beyond the parser's depth, a number too long.
    return {400: "malformed_json", 404: "not_found", 405: "method_not_allowed"}.get(status, f"http_{status}")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.error, error.message, error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return _error(400, "malformed_json", "The request body is not valid JSON.")
        # Where and what, never the input itself: it may hold personal data.
        described = "; ".join(
            f"{'.'.join(str(part) for part in p.get('loc', ()))}: {p.get('msg', 'invalid')}" for p in problems[:5]
        )
        return _error(422, "invalid_request", f"The request does not have the expected shape: {described}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, _status_error_code(error.status_code), str(error.detail), error.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        # The traceback is for the server log; statement parameters are hidden by the engine (hide_parameters).
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=error)
        return _error(
            500, "internal_error", "The server failed on this request; try again later. The server log has details."
        )


_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 409, 413, 422, 429, 500)
}


_bearer = HTTPBearer(auto_error=False, description='The device credential "<device_id>.<secret>".')


def current_device(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> AuthenticatedDevice:
    """The device the request's bearer credential belongs to, as the Gate found it before the body was read;
    401 without a valid one, 403 when revoked."""
    device = getattr(request.state, "device", None)
    if isinstance(device, AuthenticatedDevice):
        return device
    db: Database = request.app.state.db  # a device path the Gate does not know: authenticate here
    try:
        return authenticate(db, credentials.credentials if credentials is not None else None)
    except AuthError as error:
        raise _auth_error(error) from None


CurrentDevice = Annotated[AuthenticatedDevice, Depends(current_device)]


def create_app(database_url: str, limits: Limits | None = None) -> FastAPI:
    """The API on the database at `database_url` (SQLite file or PostgreSQL), its schema brought up to date, with
    these rate limits (the defaults without)."""
    db = open_database(database_url)
    forms = known_forms()
    limits = limits or Limits()
    enrol_failures = AttemptLimiter(limits.enrol_failures, ENROL_WINDOW_S)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(
        title="desktop-app central server",
        version="1",
        description="Receives approved KYC records and audit-chain heads from branch workstations, exactly once.",
        lifespan=lifespan,
        responses=_ERRORS,
    )
    app.state.db = db
    app.add_middleware(Gate, db=db, enrol_failures=enrol_failures)
    _install_error_handlers(app)

    @app.post(ENROL_PATH, response_model=EnrolResponse, summary="Exchange an enrolment code for a credential")
    def enrol_device(body: EnrolRequest, request: Request) -> dict[str, Any]:
        try:
            enrolled = enrol(db, body.code, body.workstation_id, body.name)
        except EnrolError as error:
            enrol_failures.charge(client_address(request.scope))
            log.info("enrolment refused: %s", error.failure.value)
            raise ApiError(ENROL_FAILURE_STATUS[error.failure], error.failure.value, str(error)) from None
        log.info(
            "device %s enrolled for workstation %s%s",
            enrolled.device_id,
            body.workstation_id,
            f", replacing {', '.join(enrolled.replaced)} from audit entry {enrolled.audit_head_seq}"
            if enrolled.replaced
            else "",
        )
        return {
            "device_id": enrolled.device_id,
            "credential": enrolled.credential,
            "audit_head_seq": enrolled.audit_head_seq,
            "audit_head_hash": enrolled.audit_head_hash,
        }

    @app.post(BATCH_PATH, response_model=BatchResponse, summary="Upload approved record versions")
    def upload_batch(body: BatchRequest, device: CurrentDevice) -> dict[str, Any]:
        if len(body.items) > MAX_BATCH_ITEMS:
            raise ApiError(413, "batch_too_large", f"At most {MAX_BATCH_ITEMS} items per batch; split the upload.")
        with db.read() as session:
            activity = device_activity(session, device.id, limits)
        if activity.retry_after is not None:
            log.warning(
                "device %s rate limited: %d new customers and %d refused items in the last hour (limits %d, %d)",
                device.id,
                activity.claims,
                activity.refusals,
                limits.claims_per_hour,
                limits.refusals_per_hour,
            )
            raise ApiError(
                429,
                "rate_limited",
                "This device claimed too many new customers or had too many items refused in the last hour; the "
                f"central administrators have been told. Try again in {activity.retry_after} s.",
                {"Retry-After": str(activity.retry_after)},
            )
        results = store_batch(db, device, [read_item(raw) for raw in body.items], forms)
        return {"results": [r.to_json() for r in results]}

    @app.post(AUDIT_PATH, response_model=AuditResponse, summary="Anchor new audit entries and the chain head")
    def upload_audit(body: AuditRequest, device: CurrentDevice) -> dict[str, Any]:
        if len(body.entries) > MAX_AUDIT_ENTRIES:
            raise ApiError(
                413, "audit_upload_too_large", f"At most {MAX_AUDIT_ENTRIES} entries per upload; send the rest next."
            )
        upload = AuditUpload(
            tuple(AuditEntryUpload(**e.model_dump()) for e in body.entries), body.head_seq, body.head_hash
        )
        try:
            return anchor(db, device, upload).to_json()
        except AuthError as error:  # revoked by a re-enrolment while this waited
            raise _auth_error(error) from None
        except ChainBreak as error:
            raise ApiError(
                409,
                "audit_chain_break",
                f"The audit entries do not extend the trail the server holds for this device: {error}. "
                "The break has been reported to the central administrators.",
            ) from None

    @app.post(
        MATCH_PATH,
        response_model=MatchResponse,
        summary="Is there a likely match for this person in another branch? (hashed keys in, branches out)",
    )
    def match_customer(body: MatchRequest, device: CurrentDevice) -> dict[str, Any]:
        keys = [(MatchKind(k.kind), k.digest) for k in body.keys]
        try:
            matches = find_matches(db, device, keys, body.record_id, limits)
        except QueryLimited as limited:
            log.warning(
                "device %s rate limited: %d branch match queries in the last hour (limit %d)",
                device.id,
                limited.count,
                limits.match_queries_per_hour,
            )
            raise ApiError(
                429,
                "rate_limited",
                "This device asked too many duplicate queries in the last hour; the central administrators can "
                f"see them. Try again in {limited.retry_after} s.",
                {"Retry-After": str(limited.retry_after)},
            ) from None
        return {"matches": [m.to_json() for m in matches]}

    @app.get(STATUS_PATH, response_model=StatusResponse, summary="An authenticated ping")
    def status(device: CurrentDevice) -> dict[str, Any]:
        with db.read() as session:
            head = session.execute(select(AuditHead.seq).where(AuditHead.device_id == device.id)).scalar()
        return {
            "device_id": device.id,
            "records": count_for_device(db, device.id),
            "audit_head_seq": head or 0,
            "paper_pages": bool(limits.paper_pages),
        }

    @app.post(
        PAGES_PATH,
        response_model=PageStored,
        summary="A page of the paper form of a stored record version (when the bank takes the pages)",
    )
    def upload_page(body: PageUpload, device: CurrentDevice) -> dict[str, Any]:
        if not limits.paper_pages:
            raise ApiError(404, "pages_not_taken", "This server does not take paper form pages (the bank's choice).")
        try:
            return {"status": store_page(db, device, body)}
        except PageRefused as refused:
            raise ApiError(refused.status, refused.error, refused.message) from None

    return app


def app_from_env() -> FastAPI:
    """The app on the database named by DESKTOP_APP_SERVER_DB (or the default SQLite file), with the limits the
    environment names: what each server process builds."""
    return create_app(os.environ.get(ENV_DATABASE_URL) or default_database_url(), Limits.from_env())
