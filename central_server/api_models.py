"""The request and response bodies of API v1 as Pydantic models: they check the shape of what arrives and write
the OpenAPI document. The shapes are those of desktop_app.domain.sync_protocol, which stays the contract; the
limits here bound what the database columns hold.

Numbers are strict (`false` or `1.0` is not a number here) and bounded by their columns; every text must be
Unicode scalar values (json_text.is_storable_text). The items of a batch are checked one by one in intake.py, so
that one bad item is that item's refusal and never fails its batch; the document still describes them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from central_server.json_text import is_storable_text
from desktop_app.domain.branch_match import MAX_KEYS as MAX_MATCH_KEYS
from desktop_app.domain.sync_protocol import MAX_BATCH_ITEMS, MAX_PAGE_BYTES, MAX_SEQUENCE, ItemStatus


def _storable_text(text: str) -> str:
    if not is_storable_text(text):
        raise ValueError(UNSTORABLE_TEXT)
    return text


UNSTORABLE_TEXT = "the text holds a lone surrogate (not a Unicode scalar value) or a NUL character"
Text = Annotated[str, AfterValidator(_storable_text)]
Hash = Annotated[Text, Field(max_length=64)]  # hex SHA-256
Count = Annotated[int, Field(strict=True, ge=0, le=2**63 - 1)]
Sequence = Annotated[int, Field(strict=True, ge=1, le=MAX_SEQUENCE)]
Head = Annotated[int, Field(strict=True, ge=0, le=MAX_SEQUENCE)]
MAX_PAGE_BASE64 = (MAX_PAGE_BYTES + 2) // 3 * 4


class _Body(BaseModel):
    # Unknown fields are ignored, so a newer client can add one without breaking an older server.
    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Body):
    """Every error answer: a stable code and a sentence saying what to do."""

    error: str
    message: str


class EnrolRequest(_Body):
    code: Text = Field(
        min_length=1, max_length=64, description="the enrolment code from `desktop-app-server enrol-code`"
    )
    # Letters, digits, '.', '_' and '-' only (workstations name themselves by a UUID): an id with a space, a
    # full-width or zero-width character or a look-alike hyphen enrolled beside the real one as another workstation
    # that reads the same (found by an independent check of issue 14).
    workstation_id: Text = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: Text = Field(default="", max_length=200)


class EnrolResponse(_Body):
    device_id: str
    credential: str = Field(description='"<device_id>.<secret>": keep it in the OS credential store')
    audit_head_seq: Head = Field(
        default=0, description="the audit head this workstation's trail must extend (0 on a first enrolment)"
    )
    audit_head_hash: str = Field(default="0" * 64)


class UploadItemBody(_Body):
    model_config = ConfigDict(extra="ignore", strict=True)

    idempotency_key: Text = Field(max_length=200)
    record_id: Text = Field(max_length=200)
    version: Sequence
    payload: dict[str, Any]
    digest: Hash


class BatchRequest(_Body):
    # Any JSON value per item here; intake.read_item() checks each against UploadItemBody.
    items: Annotated[
        list[Any],
        WithJsonSchema({"type": "array", "maxItems": MAX_BATCH_ITEMS, "items": UploadItemBody.model_json_schema()}),
    ]


class ReasonBody(_Body):
    code: str
    en: str
    zh: str
    field: str | None = None


class CentralCopy(_Body):
    record_id: str
    version: Sequence
    workstation_id: str


class ItemResultBody(_Body):
    idempotency_key: str
    status: ItemStatus
    reasons: list[ReasonBody] = []
    central: CentralCopy | None = None


class BatchResponse(_Body):
    results: list[ItemResultBody]


class AuditEntryBody(_Body):
    model_config = ConfigDict(extra="ignore", strict=True)

    seq: Sequence
    ts: Text = Field(max_length=40)
    actor_name: Text = Field(max_length=200)
    action: Text = Field(max_length=100)
    record_id: Text | None = Field(default=None, max_length=36)
    details: Text = Field(max_length=20_000)
    prev_hash: Hash
    hash: Hash


class AuditRequest(_Body):
    model_config = ConfigDict(extra="ignore", strict=True)

    entries: list[AuditEntryBody] = []
    head_seq: Head
    head_hash: Hash


class AuditResponse(_Body):
    accepted: Count
    head_seq: Head
    head_hash: str


class StatusResponse(_Body):
    device_id: str
    records: Count
    audit_head_seq: Head
    paper_pages: bool = False  # whether this server takes the paper form pages of approved records


class PageUpload(_Body):
    """One page of the paper form of a stored record version; `content` the image in base64."""

    record_id: Annotated[str, Field(max_length=36, pattern=r"^[0-9a-fA-F-]{1,36}$")]
    version: Annotated[int, Field(ge=1, le=2_147_483_647)]
    page_no: Annotated[int, Field(ge=1, le=500)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    media_type: Literal["image/jpeg", "image/png"]
    content: Annotated[str, Field(min_length=4, max_length=MAX_PAGE_BASE64)]


class PageStored(_Body):
    status: Literal["stored", "duplicate"]


class MatchKeyBody(_Body):
    """One hashed key of a record (desktop_app.domain.branch_match): its kind and 64 hex characters."""

    kind: Literal["id_document", "name_and_birth", "mobile", "form_number"]
    digest: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class MatchRequest(_Body):
    """The cross-branch duplicate query: the asking workstation's own record id (for its audit) and the keys."""

    record_id: Annotated[str, Field(max_length=36, pattern=r"^[0-9a-fA-F-]{1,36}$")] | None = None
    keys: Annotated[list[MatchKeyBody], Field(max_length=MAX_MATCH_KEYS)]


class BranchMatchBody(_Body):
    """A likely match in another branch: which branch and the kinds of key that matched, no value."""

    workstation_id: str
    branch: str
    kinds: list[str]


class MatchResponse(_Body):
    matches: list[BranchMatchBody]
