"""The central server's HTTP API (version 1, see desktop_app.domain.sync_protocol): enrolment, record batches,
audit anchoring, status.

The process holds no state of its own: every request reads and writes the database, so any number of processes
(uvicorn --workers N, or several hosts) can serve one PostgreSQL database. Endpoints are plain functions run in
the thread pool on a synchronous SQLAlchemy engine: the work is short transactions, and this keeps it simple.

Errors are always {"error": code, "message": text} with 400, 401, 403, 404, 409, 413, 422 or 500; a traceback
goes to the server log, never into an answer. Logs name devices and records, never payload values.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
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
    StatusResponse,
)
from central_server.audit_anchor import ChainBreak, anchor
from central_server.database import ENV_DATABASE_URL, Database, default_database_url, open_database
from central_server.devices import (
    AuthenticatedDevice,
    AuthError,
    AuthFailure,
    EnrolError,
    authenticate,
    enrol,
)
from central_server.intake import count_for_device, known_forms, store_batch
from central_server.models import AuditHead
from desktop_app.domain.sync_protocol import (
    AUDIT_PATH,
    BATCH_PATH,
    ENROL_PATH,
    MAX_AUDIT_ENTRIES,
    MAX_BATCH_ITEMS,
    STATUS_PATH,
    AuditEntryUpload,
    AuditUpload,
    UploadItem,
)

log = logging.getLogger("central_server.app")

# A full batch of 500 records is under 1 MiB and a full audit upload a few MiB; anything far larger is refused
# before it is parsed.
MAX_BODY_BYTES = 16 * 1024 * 1024

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
    return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)


class BodyLimit:
    """Refuse (413) a request body larger than `limit` bytes, whether or not it declares its length."""

    def __init__(self, app: _Asgi, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(scope, receive, send)
            return
        # Read the body here (the endpoint would read it whole anyway) so that an undeclared length is bounded.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, send)
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

        await self.app(scope, replay, send)

    async def _too_large(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        response = _error(413, "request_too_large", f"The request body is larger than {self.limit} bytes.")
        await response(scope, receive, send)


def _status_error_code(status: int) -> str:
    return {404: "not_found", 405: "method_not_allowed"}.get(status, f"http_{status}")


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


_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (400, 401, 403, 409, 413, 422, 500)}


_bearer = HTTPBearer(auto_error=False, description='The device credential "<device_id>.<secret>".')


def current_device(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> AuthenticatedDevice:
    """The device the request's bearer credential belongs to; 401 without a valid one, 403 when revoked."""
    db: Database = request.app.state.db
    try:
        return authenticate(db, credentials.credentials if credentials is not None else None)
    except AuthError as error:
        if error.failure == AuthFailure.REVOKED:
            raise ApiError(403, error.failure.value, str(error)) from None
        raise ApiError(401, error.failure.value, str(error), {"WWW-Authenticate": "Bearer"}) from None


CurrentDevice = Annotated[AuthenticatedDevice, Depends(current_device)]


def create_app(database_url: str) -> FastAPI:
    """The API on the database at `database_url` (SQLite file or PostgreSQL), its schema created when missing."""
    db = open_database(database_url)
    forms = known_forms()

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
    app.add_middleware(BodyLimit)
    _install_error_handlers(app)

    @app.post(ENROL_PATH, response_model=EnrolResponse, summary="Exchange an enrolment code for a credential")
    def enrol_device(body: EnrolRequest) -> dict[str, str]:
        try:
            enrolled = enrol(db, body.code, body.workstation_id, body.name)
        except EnrolError as error:
            log.info("enrolment refused: %s", error.failure.value)
            raise ApiError(401, error.failure.value, str(error)) from None
        log.info("device %s enrolled for workstation %s", enrolled.device_id, body.workstation_id)
        return {"device_id": enrolled.device_id, "credential": enrolled.credential}

    @app.post(BATCH_PATH, response_model=BatchResponse, summary="Upload approved record versions")
    def upload_batch(body: BatchRequest, device: CurrentDevice) -> dict[str, Any]:
        if len(body.items) > MAX_BATCH_ITEMS:
            raise ApiError(413, "batch_too_large", f"At most {MAX_BATCH_ITEMS} items per batch; split the upload.")
        items = [UploadItem(i.idempotency_key, i.record_id, i.version, i.payload, i.digest) for i in body.items]
        results = store_batch(db, device, items, forms)
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
        except ChainBreak as error:
            raise ApiError(
                409,
                "audit_chain_break",
                f"The audit entries do not extend the trail the server holds for this device: {error}. "
                "The break has been reported to the central administrators.",
            ) from None

    @app.get(STATUS_PATH, response_model=StatusResponse, summary="An authenticated ping")
    def status(device: CurrentDevice) -> dict[str, Any]:
        with db.read() as session:
            head = session.execute(select(AuditHead.seq).where(AuditHead.device_id == device.id)).scalar()
        return {"device_id": device.id, "records": count_for_device(db, device.id), "audit_head_seq": head or 0}

    return app


def app_from_env() -> FastAPI:
    """The app on the database named by DESKTOP_APP_SERVER_DB (or the default SQLite file): what each worker
    process builds when the server runs with --workers > 1."""
    return create_app(os.environ.get(ENV_DATABASE_URL) or default_database_url())
