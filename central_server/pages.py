"""The paper form pages of approved records (issue 16), taken when the bank starts the server with
--accept-paper-pages. A page belongs to a record version this device's workstation stored; its image is checked
against its SHA-256 and kept once however many records show it; a page sent again is recognised, another image for
the same page refused. Nothing here is logged but ids and sizes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from central_server.api_models import PageUpload
from central_server.database import Database, insert_new
from central_server.devices import AuthenticatedDevice
from central_server.models import PaperPageBlob, RecordPaperPage, StoredRecord, utcnow
from desktop_app.domain.sync_protocol import MAX_PAGE_BYTES

log = logging.getLogger("central_server.pages")


class PageRefused(Exception):
    """A page the server does not take: HTTP status, stable code, what to do."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


def store_page(db: Database, device: AuthenticatedDevice, page: PageUpload) -> str:
    """Keep the page; "stored", or "duplicate" for a page already held with the same image."""
    try:
        content = base64.b64decode(page.content, validate=True)
    except (binascii.Error, ValueError):
        raise PageRefused(422, "bad_page", "The page's content is not base64.") from None
    if len(content) > MAX_PAGE_BYTES:
        raise PageRefused(413, "page_too_large", f"A page may be at most {MAX_PAGE_BYTES} bytes.")
    if hashlib.sha256(content).hexdigest() != page.sha256:
        raise PageRefused(422, "digest_mismatch", "The page's image does not match its SHA-256; send it again.")

    def work(session: Session) -> str:
        owner = session.execute(
            select(StoredRecord.workstation_id).where(
                StoredRecord.record_id == page.record_id, StoredRecord.version == page.version
            )
        ).scalar()
        if owner is None:
            raise PageRefused(
                409,
                "record_not_stored",
                f"Record {page.record_id} version {page.version} is not stored here yet: send the record first.",
            )
        if owner != device.workstation_id:
            raise PageRefused(409, "wrong_workstation", "That record version was stored by another workstation.")
        held = session.execute(
            select(RecordPaperPage.sha256).where(
                RecordPaperPage.record_id == page.record_id,
                RecordPaperPage.version == page.version,
                RecordPaperPage.page_no == page.page_no,
            )
        ).scalar()
        if held is not None:
            if held == page.sha256:
                return "duplicate"
            raise PageRefused(
                409,
                "page_conflict",
                f"Page {page.page_no} of record {page.record_id} version {page.version} is held with another image; "
                "nothing was changed. Tell the central administrator.",
            )
        now = utcnow()
        blobs = PaperPageBlob.__table__
        insert_new(
            session,
            blobs,
            [{"sha256": page.sha256, "media_type": page.media_type, "size": len(content), "content": content,
              "received_at": now}],
        )  # fmt: skip
        taken = insert_new(
            session,
            RecordPaperPage.__table__,
            [{"record_id": page.record_id, "version": page.version, "page_no": page.page_no, "sha256": page.sha256,
              "device_id": device.id, "received_at": now}],
            returning=RecordPaperPage.__table__.c.id,
        )  # fmt: skip
        if not taken:  # another process stored this page in the meantime: as if it had been first
            again = session.execute(
                select(RecordPaperPage.sha256).where(
                    RecordPaperPage.record_id == page.record_id,
                    RecordPaperPage.version == page.version,
                    RecordPaperPage.page_no == page.page_no,
                )
            ).scalar()
            if again != page.sha256:
                raise PageRefused(409, "page_conflict", "That page is held with another image; nothing was changed.")
            return "duplicate"
        log.info("record %s v%s: page %s stored (%d bytes)", page.record_id, page.version, page.page_no, len(content))
        return "stored"

    return db.write(work)
