"""Scanned ID documents kept with a customer record, inside the encrypted store (table `attachments`).

A scan is attached by the clerk who keys the record, while it is still theirs to edit. Its image shows every
value on the document unmasked, so it is shown only to the record's maker, supervisors and auditors, never to
another clerk and never while the record waits for its blind second entry (the rule of domain/visibility.py).
The metadata kept with it (document type, and per field the confidence, whether a check confirmed it and where
it is on the image) holds no customer values, and neither do the audit entries for adding or viewing it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Permission, Role
from desktop_app.domain.visibility import values_hidden
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import InvalidRequest, NotFound, PermissionDenied
from desktop_app.services.records import RecordService, _usernames
from desktop_app.storage.models import Attachment, Record
from desktop_app.storage.store import Store

MAX_SCAN_BYTES = 20 * 1024 * 1024
SCAN_KIND = "id_scan"
PNG_MEDIA_TYPE = "image/png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DOCUMENT_TYPES = frozenset({"cn_id_front", "cn_id_back", "mrz_td3", "mrz_td1", "mrz_td2"})

#: Roles that see any record's scans (besides its maker): they check the record against the document.
SCAN_VIEWERS: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.AUDITOR})

Box = tuple[int, int, int, int]

# Names and warning codes in the metadata: lower-case words only, so no customer value (a number, a name) can
# travel in them.
_CODE = re.compile(r"[a-z_]{1,40}")
_WARNING = re.compile(r"[a-z_]{1,40}(:[a-z_]{1,40})?")
_META_KEYS = frozenset({"document_type", "image_size", "fields", "warnings"})
_FIELD_KEYS = frozenset({"form_fields", "confidence", "verified", "box"})


@dataclass(frozen=True)
class ScanField:
    """One field the reader found on the document: never its value, only how sure the reader was and where."""

    ocr_field: str
    form_fields: tuple[str, ...]  # the form fields it was proposed for (none when the form has no place for it)
    confidence: float
    verified: bool
    box: Box | None  # left, top, right, bottom on the attached image


@dataclass(frozen=True)
class ScanInfo:
    """An attached scan, without its image (scan_image() gives that, audited)."""

    id: int
    record_id: str
    version: int  # the record version it was attached at
    document_type: str | None
    fields: tuple[ScanField, ...]
    warnings: tuple[str, ...]
    size: int  # bytes
    created_by: str
    created_at: datetime


def _refuse_meta(what: str) -> InvalidRequest:
    return InvalidRequest(
        f"The scan's description is not valid ({what}); it was not attached.",
        f"扫描件的说明信息无效（{what}），未保存。",
    )


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _box(value: object) -> Box | None:
    if value is None:
        return None
    if (
        not isinstance(value, list | tuple)
        or len(value) != 4
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise _refuse_meta("a box must be four whole numbers")
    left, top, right, bottom = value
    return (left, top, right, bottom)


def clean_meta(meta: Mapping[str, object]) -> dict[str, object]:
    """The metadata in its stored form; InvalidRequest for anything but the known keys and shapes, so that no
    customer value can be kept in it."""
    unknown = sorted(str(k) for k in meta if k not in _META_KEYS)
    if unknown:
        raise _refuse_meta("unknown key(s) " + ", ".join(unknown))
    document_type = meta.get("document_type")
    if document_type is not None and document_type not in DOCUMENT_TYPES:
        raise _refuse_meta("unknown document type")
    size = meta.get("image_size")
    if size is not None and (
        not isinstance(size, list | tuple)
        or len(size) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in size)
    ):
        raise _refuse_meta("the image size must be two whole numbers")
    raw_fields = meta.get("fields", {})
    if not isinstance(raw_fields, Mapping):
        raise _refuse_meta("'fields' must be a mapping")
    fields: dict[str, object] = {}
    for name, item in raw_fields.items():
        if not isinstance(name, str) or not _CODE.fullmatch(name) or not isinstance(item, Mapping):
            raise _refuse_meta("a field must be named in lower-case words and described by a mapping")
        extra = sorted(str(k) for k in item if k not in _FIELD_KEYS)
        if extra:
            raise _refuse_meta("unknown field key(s) " + ", ".join(extra))
        form_fields = item.get("form_fields", [])
        confidence = item.get("confidence", 0.0)
        verified = item.get("verified", False)
        if not isinstance(form_fields, list | tuple) or not all(
            isinstance(f, str) and _CODE.fullmatch(f) for f in form_fields
        ):
            raise _refuse_meta("form fields must be field keys")
        if not _number(confidence) or not 0.0 <= float(confidence) <= 1.0:
            raise _refuse_meta("a confidence must be a number from 0 to 1")
        if not isinstance(verified, bool):
            raise _refuse_meta("'verified' must be true or false")
        box = _box(item.get("box"))
        fields[name] = {
            "form_fields": list(form_fields),
            "confidence": round(float(confidence), 3),
            "verified": verified,
            "box": list(box) if box else None,
        }
    warnings = meta.get("warnings", [])
    if not isinstance(warnings, list | tuple) or not all(
        isinstance(w, str) and _WARNING.fullmatch(w) for w in warnings
    ):
        raise _refuse_meta("warnings must be codes")
    return {
        "document_type": document_type,
        "image_size": list(size) if size else None,
        "fields": fields,
        "warnings": list(warnings),
    }


def scan_fields(meta: Mapping[str, object]) -> tuple[ScanField, ...]:
    """The fields described by (cleaned) metadata."""
    raw = meta.get("fields")
    if not isinstance(raw, Mapping):
        return ()
    found = []
    for name, item in raw.items():
        box = item.get("box")
        found.append(
            ScanField(
                ocr_field=str(name),
                form_fields=tuple(str(f) for f in item.get("form_fields", [])),
                confidence=float(item.get("confidence", 0.0)),
                verified=bool(item.get("verified", False)),
                box=(int(box[0]), int(box[1]), int(box[2]), int(box[3])) if box else None,
            )
        )
    return tuple(found)


def check_scan_image(image_png: bytes) -> None:
    """InvalidRequest unless `image_png` is a PNG image of at most MAX_SCAN_BYTES."""
    if len(image_png) > MAX_SCAN_BYTES:
        limit = MAX_SCAN_BYTES // 2**20
        raise InvalidRequest(
            f"The scan image is larger than {limit} MB and was not attached. Scan at 300 DPI and try again.",
            f"扫描图像超过 {limit} MB，未保存。请以 300 DPI 重新扫描后再试。",
        )
    if not image_png.startswith(PNG_SIGNATURE):
        raise InvalidRequest(
            "The scan image is not a PNG image and was not attached.", "扫描图像不是 PNG 格式，未保存。"
        )


class AttachmentService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    @staticmethod
    def _may_see_scans(record: Record, actor: Actor, roles: frozenset[Role]) -> None:
        """PermissionDenied unless the actor may see this record's scans (which show every value unmasked)."""
        is_maker = record.maker_id == actor.user_id
        if values_hidden(status=Status(record.status), is_maker=is_maker):
            raise PermissionDenied(
                "This record is waiting for its blind second entry; its scanned documents cannot be shown to you.",
                "该记录正等待双人录入的第二次录入，其证件扫描件不能向您显示。",
            )
        if not is_maker and not roles & SCAN_VIEWERS:
            raise PermissionDenied(
                "Only the clerk who keyed this record, a supervisor or an auditor may see its scanned documents.",
                "只有录入该记录的柜员、主管或审计人员可以查看其证件扫描件。",
            )

    def attach_scan(self, actor: Actor, record_id: str, image_png: bytes, meta: Mapping[str, object]) -> int:
        """Keep a scanned document (PNG) with the maker's editable record; returns the attachment id. `meta` holds
        the document type and per field confidence, verification and box, never values (refused otherwise)."""
        check_scan_image(image_png)
        clean = clean_meta(meta)
        with self._store.write() as s:
            record = self._records._own_editable(s, actor, record_id, None, "attach a scan to")
            attachment = Attachment(
                record_id=record.id,
                version=record.version,
                kind=SCAN_KIND,
                media_type=PNG_MEDIA_TYPE,
                content=image_png,
                meta=json.dumps(clean, sort_keys=True, separators=(",", ":")),
                created_by=actor.user_id,
                created_at=utcnow(),
            )
            s.add(attachment)
            s.flush()
            self._store.audit(
                s,
                action="attachment.add",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"attachment": attachment.id, "version": record.version},
            )
            return int(attachment.id)

    def list_scans(self, actor: Actor, record_id: str) -> list[ScanInfo]:
        """The record's scans, oldest first, without images, for whoever may see them."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            self._may_see_scans(record, actor, roles)
            rows = s.execute(
                select(
                    Attachment.id,
                    Attachment.version,
                    Attachment.meta,
                    func.length(Attachment.content),
                    Attachment.created_by,
                    Attachment.created_at,
                )
                .where(Attachment.record_id == record.id, Attachment.kind == SCAN_KIND)
                .order_by(Attachment.id)
            ).all()
            names = _usernames(s, [row[4] for row in rows])
            found = []
            for attachment_id, version, meta_text, size, created_by, created_at in rows:
                meta = json.loads(meta_text)
                document_type = meta.get("document_type")
                found.append(
                    ScanInfo(
                        id=attachment_id,
                        record_id=record.id,
                        version=version,
                        document_type=str(document_type) if document_type else None,
                        fields=scan_fields(meta),
                        warnings=tuple(str(w) for w in meta.get("warnings", [])),
                        size=int(size or 0),
                        created_by=names.get(created_by, ""),
                        created_at=created_at,
                    )
                )
            return found

    def scan_image(self, actor: Actor, record_id: str, attachment_id: int) -> bytes:
        """The PNG image of one of the record's scans, for whoever may see it; every viewing is audited."""
        with self._store.write() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            self._may_see_scans(record, actor, roles)
            attachment = s.get(Attachment, attachment_id)
            if attachment is None or attachment.record_id != record.id or attachment.kind != SCAN_KIND:
                raise NotFound(
                    f"Record {record.id} has no scan {attachment_id}.", f"记录 {record.id} 没有扫描件 {attachment_id}。"
                )
            self._store.audit(
                s,
                action="attachment.view",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"attachment": attachment.id, "version": attachment.version},
            )
            return bytes(attachment.content)
