"""The request and response bodies of API v1 as Pydantic models: they check the shape of what arrives and write
the OpenAPI document. The shapes are those of desktop_app.domain.sync_protocol, which stays the contract; the
limits here only bound what the database columns hold.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from desktop_app.domain.sync_protocol import ItemStatus

_HASH = Field(max_length=64)  # hex SHA-256


class _Body(BaseModel):
    # Unknown fields are ignored, so a newer client can add one without breaking an older server.
    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Body):
    """Every error answer: a stable code and a sentence saying what to do."""

    error: str
    message: str


class EnrolRequest(_Body):
    code: str = Field(
        min_length=1, max_length=64, description="the enrolment code from `desktop-app-server enrol-code`"
    )
    workstation_id: str = Field(min_length=1, max_length=100)
    name: str = Field(default="", max_length=200)


class EnrolResponse(_Body):
    device_id: str
    credential: str = Field(description='"<device_id>.<secret>": keep it in the OS credential store')


class UploadItemBody(_Body):
    idempotency_key: str = Field(max_length=200)
    record_id: str = Field(max_length=200)
    version: int
    payload: dict[str, Any]
    digest: str = _HASH


class BatchRequest(_Body):
    items: list[UploadItemBody]


class ReasonBody(_Body):
    code: str
    en: str
    zh: str
    field: str | None = None


class CentralCopy(_Body):
    record_id: str
    version: int
    workstation_id: str


class ItemResultBody(_Body):
    idempotency_key: str
    status: ItemStatus
    reasons: list[ReasonBody] = []
    central: CentralCopy | None = None


class BatchResponse(_Body):
    results: list[ItemResultBody]


class AuditEntryBody(_Body):
    seq: int = Field(ge=1)
    ts: str = Field(max_length=40)
    actor_name: str = Field(max_length=200)
    action: str = Field(max_length=100)
    record_id: str | None = Field(default=None, max_length=36)
    details: str = Field(max_length=20_000)
    prev_hash: str = _HASH
    hash: str = _HASH


class AuditRequest(_Body):
    entries: list[AuditEntryBody] = []
    head_seq: int = Field(ge=0)
    head_hash: str = _HASH


class AuditResponse(_Body):
    accepted: int
    head_seq: int
    head_hash: str


class StatusResponse(_Body):
    device_id: str
    records: int
    audit_head_seq: int
