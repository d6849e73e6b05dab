"""The sync protocol between a branch workstation and the central server: paths, message shapes and the rules
both sides apply. Pure Python so that the client (desktop_app.sync) and the server (central_server) share one
definition.

Version 1 of the API, JSON over HTTPS:

    POST /v1/enrol                      {"code", "workstation_id", "name"} -> {"device_id", "credential",
                                        "audit_head_seq", "audit_head_hash"} (no auth; the code is single-use,
                                        expires, and is issued for one workstation id or for a new one; a
                                        re-enrolment continues from the audit head its previous device reached)
    POST /v1/records/batch              {"items": [UploadItem...]} -> {"results": [ItemResult...]}
    POST /v1/audit                      AuditUpload -> {"accepted": n, "head_seq", "head_hash"}
                                        409 {"error": "audit_chain_break", ...} when the entries do not extend the
                                        head the server holds for this device
    GET  /v1/status                     -> {"device_id", "records", "audit_head_seq", "paper_pages"}  (an
                                        authenticated ping; paper_pages: whether this server takes the pages)
    POST /v1/records/pages              {"record_id", "version", "page_no", "sha256", "media_type", "content"
                                        (base64)} -> {"status": "stored" | "duplicate"}; 404 pages_not_taken,
                                        409 record_not_stored (send the record first), page_conflict (another
                                        image for that page), wrong_workstation, 422 digest_mismatch
    GET  /openapi.json                  the OpenAPI document

Every call but enrol carries `Authorization: Bearer <credential>`; the credential is "<device_id>.<secret>".
A missing or wrong credential gives 401, a revoked device 403, each with {"error": code, "message": text}.

Every error answer is {"error": code, "message": text}. The codes: 400 malformed_json; 401 missing_credential,
invalid_credential, and for enrol enrolment_code_unknown, enrolment_code_used, enrolment_code_expired;
403 device_revoked, enrolment_code_for_another_workstation; 404 not_found; 409 audit_chain_break,
workstation_already_enrolled (a code for a new workstation, and this id is enrolled: a re-enrolment needs a code
issued for it); 413 batch_too_large (more than MAX_BATCH_ITEMS), audit_upload_too_large (more than
MAX_AUDIT_ENTRIES), request_too_large (a body over 16 MiB); 422 invalid_request (a body of the wrong shape);
429 too_many_attempts (too many failed enrolments from one address), rate_limited (a device over its hourly
budget of new customers or refused items), each with Retry-After; 500 internal_error (try again later).

Besides the reasons of approval_problems() and of the form's validation, a REFUSED item may carry:
malformed_item (not an upload item: a field missing, of the wrong type or out of range), bad_text (a text holding
a lone surrogate, not a Unicode scalar value, or a NUL), bad_payload (nested too deeply), bad_record_id, key_mismatch,
bad_version, digest_mismatch, wrong_workstation (the payload names another workstation than the one the device
was enrolled for), unknown_form, bad_values, bad_approved_at, approved_in_future, repeated_in_batch. One bad item
never fails its batch. KEY_CONFLICT carries key_conflict; VERSION_CONFLICT carries version_conflict with
`central` (this workstation's own copy in the way), or record_held_elsewhere / customer_held_elsewhere with no
`central` (another workstation's copy: its ids are not told; the central administrators see them). The exact
rules are in central_server/intake.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desktop_app.domain.text import Text

API_PREFIX = "/v1"
ENROL_PATH = "/v1/enrol"
BATCH_PATH = "/v1/records/batch"
AUDIT_PATH = "/v1/audit"
STATUS_PATH = "/v1/status"
# The paper form's pages of a stored record version (issue 16), one page a request, JSON with the image in base64:
# sent only to a server that says in its status that it takes them (the bank's choice, --accept-paper-pages).
PAGES_PATH = "/v1/records/pages"
PAGE_MEDIA_TYPES = ("image/jpeg", "image/png")
MAX_PAGE_BYTES = 8 * 1024 * 1024  # a page as the workstation keeps it (JPEG at quality 85) is well under 2 MiB

MAX_BATCH_ITEMS = 500
MAX_AUDIT_ENTRIES = 5000
# Record versions and audit sequence numbers are 1 .. MAX_SEQUENCE: what a 32-bit database column holds.
MAX_SEQUENCE = 2**31 - 1


class ItemStatus(StrEnum):
    """What the server did with one uploaded record version."""

    STORED = "stored"  # new: stored now
    DUPLICATE = "duplicate"  # the same key and payload were stored before: nothing done, acknowledged again
    KEY_CONFLICT = "key_conflict"  # the same key with a different payload: refused, never applied (HTTP 409 meaning)
    REFUSED = "refused"  # fails the rules (not approved, approver is the maker, invalid values): reasons say why
    VERSION_CONFLICT = "version_conflict"  # the central copy of this customer changed since this version's base


ACKNOWLEDGED = frozenset({ItemStatus.STORED, ItemStatus.DUPLICATE})


def canonical_json(value: object) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def payload_digest(payload: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the payload's canonical JSON: how the server tells a resend from a different payload."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def idempotency_key(record_id: str, version: int) -> str:
    """The key of one record version: "<record uuid>:<version>"."""
    return f"{record_id}:{version}"


@dataclass(frozen=True)
class UploadItem:
    """One approved record version. `payload` is what the outbox holds: record_id, version, base_version, form,
    status ("approved"), values, maker, checker, approved_at, workstation_id."""

    idempotency_key: str
    record_id: str
    version: int
    payload: Mapping[str, Any]
    digest: str  # payload_digest(payload)

    def to_json(self) -> dict[str, Any]:
        return {
            "idempotency_key": self.idempotency_key,
            "record_id": self.record_id,
            "version": self.version,
            "payload": dict(self.payload),
            "digest": self.digest,
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> UploadItem:
        return UploadItem(
            str(data["idempotency_key"]),
            str(data["record_id"]),
            int(data["version"]),
            dict(data["payload"]),
            str(data["digest"]),
        )


@dataclass(frozen=True)
class Reason:
    """Why the server refused a record: the same shape as a validation problem (field, code, English, Chinese)."""

    code: str
    en: str
    zh: str
    field: str | None = None

    @property
    def text(self) -> Text:
        """The reason as a text in both languages (the wire keeps "en" and "zh" apart)."""
        return Text(en=self.en, zh=self.zh)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "en": self.en, "zh": self.zh, "field": self.field}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Reason:
        return Reason(str(data["code"]), str(data["en"]), str(data["zh"]), data.get("field"))


@dataclass(frozen=True)
class ItemResult:
    """The server's answer for one item. `central` describes the central copy on a version conflict:
    {"record_id", "version", "workstation_id"}."""

    idempotency_key: str
    status: ItemStatus
    reasons: tuple[Reason, ...] = ()
    central: Mapping[str, Any] | None = None

    @property
    def acknowledged(self) -> bool:
        return self.status in ACKNOWLEDGED

    def to_json(self) -> dict[str, Any]:
        return {
            "idempotency_key": self.idempotency_key,
            "status": self.status.value,
            "reasons": [r.to_json() for r in self.reasons],
            "central": dict(self.central) if self.central is not None else None,
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> ItemResult:
        return ItemResult(
            str(data["idempotency_key"]),
            ItemStatus(data["status"]),
            tuple(Reason.from_json(r) for r in data.get("reasons") or ()),
            data.get("central"),
        )


@dataclass(frozen=True)
class AuditEntryUpload:
    """One audit entry as it leaves the workstation (no personal data is ever in an audit entry)."""

    seq: int
    ts: str
    actor_name: str
    action: str
    record_id: str | None
    details: str  # canonical JSON
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "ts": self.ts,
            "actor_name": self.actor_name,
            "action": self.action,
            "record_id": self.record_id,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> AuditEntryUpload:
        return AuditEntryUpload(
            int(data["seq"]),
            str(data["ts"]),
            str(data["actor_name"]),
            str(data["action"]),
            data.get("record_id"),
            str(data["details"]),
            str(data["prev_hash"]),
            str(data["hash"]),
        )


@dataclass(frozen=True)
class AuditUpload:
    """New audit entries (consecutive, oldest first) and the workstation's chain head after them."""

    entries: tuple[AuditEntryUpload, ...]
    head_seq: int
    head_hash: str

    def to_json(self) -> dict[str, Any]:
        return {"entries": [e.to_json() for e in self.entries], "head_seq": self.head_seq, "head_hash": self.head_hash}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> AuditUpload:
        return AuditUpload(
            tuple(AuditEntryUpload.from_json(e) for e in data.get("entries") or ()),
            int(data["head_seq"]),
            str(data["head_hash"]),
        )


def chain_problem(last_seq: int, last_hash: str, upload: AuditUpload, genesis: str = "0" * 64) -> str | None:
    """Why `upload` does not extend the head (last_seq, last_hash) a server holds, or None when it does.

    Entries must be consecutive from last_seq + 1, each linking to the previous hash (the first to last_hash, or to
    the genesis hash when the server holds nothing), and end at the declared head. An empty upload must declare
    the head the server already holds. HMACs cannot be checked without the workstation's key; the links can."""
    expected_prev = last_hash if last_seq > 0 else genesis
    seq = last_seq
    for entry in upload.entries:
        if entry.seq != seq + 1:
            return f"entry {entry.seq} does not follow {seq}"
        if entry.prev_hash != expected_prev:
            return f"entry {entry.seq} does not link to the previous entry"
        seq, expected_prev = entry.seq, entry.hash
    if upload.head_seq != seq or (seq > 0 and upload.head_hash != expected_prev):
        return "the declared head is not the last entry"
    return None


def approval_problems(payload: Mapping[str, Any]) -> list[Reason]:
    """The maker-checker rules a record must meet to leave the branch: approved, with an approver who is not its
    maker. Checked by the server on every upload (the workstation enforces them before, too)."""
    problems: list[Reason] = []
    if payload.get("status") != "approved":
        problems.append(Reason("not_approved", "Only approved records are accepted.", "只接受已审批的记录。", "status"))
    maker, checker = str(payload.get("maker") or ""), str(payload.get("checker") or "")
    if not checker:
        problems.append(Reason("no_approver", "The record has no approver.", "记录没有审批人。", "checker"))
    elif checker == maker:
        problems.append(
            Reason(
                "approver_is_maker",
                "The approver is the record's maker; a second person must approve.",
                "审批人与录入人相同，须由另一人审批。",
                "checker",
            )
        )
    return problems
