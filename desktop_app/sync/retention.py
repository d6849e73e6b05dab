"""Retention: remove the personal data of records the central server acknowledged long enough ago.

A record qualifies when it is in status "synced" (its current version was acknowledged), every outbox row of it
is acknowledged through an enrolment (`acked_by`: the credential goes to the enrolled server only, so that is
the bank's server; a row acknowledged before this was recorded waits until the enrolled server confirms it), and
the latest acknowledgement is older than the cut-off, and no page of its paper form is still queued for a server
that takes pages (issue 16). What goes: the values of every
version (replaced by the fixed PURGED_DATA marker: the one change the database triggers allow, and only on a
synced record), the search columns, the outbox payloads, blind second entries, the values in reconciliation
decisions, scans and autosaves. What stays: the record's id, versions, status, timeline and the audit trail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, exists, select, update
from sqlalchemy.orm import Session, aliased

from desktop_app.domain.lifecycle import Status
from desktop_app.storage.models import (
    PURGED_DATA,
    Attachment,
    Autosave,
    OutboxItem,
    PageBlob,
    PageOutbox,
    PaperPage,
    ReconciliationDecision,
    Record,
    RecordVersion,
    SecondEntry,
)
from desktop_app.sync.outbox import OutboxState

PURGE_CHUNK = 500  # records per transaction: short write locks while the clerks keep working


def purgeable(session: Session, cutoff: datetime, limit: int = PURGE_CHUNK) -> list[str]:
    """Ids of records whose personal data may go: synced, not purged yet, every row acknowledged through an
    enrolment, the last before `cutoff`."""
    other = aliased(OutboxItem)
    acked = aliased(OutboxItem)
    query = (
        select(Record.id)
        .where(
            Record.status == Status.SYNCED.value,
            Record.purged_at.is_(None),
            exists().where(and_(acked.record_id == Record.id, acked.state == OutboxState.ACKED.value)),
            # a page still queued for a server that takes pages: its image must not go before it is sent
            ~exists().where(and_(PageOutbox.record_id == Record.id, PageOutbox.state == "pending")),
            ~exists().where(
                and_(
                    other.record_id == Record.id,
                    (other.state != OutboxState.ACKED.value)
                    | (other.acked_by.is_(None))
                    | (other.acked_at.is_(None))
                    | (other.acked_at >= cutoff),
                )
            ),
        )
        .limit(limit)
    )
    return list(session.scalars(query))


def purge_records(session: Session, record_ids: list[str], now: datetime) -> None:
    """Remove the personal data of these records (already checked by `purgeable`) in the caller's transaction."""
    if not record_ids:
        return
    session.execute(
        update(RecordVersion)
        .where(RecordVersion.record_id.in_(record_ids), RecordVersion.data != PURGED_DATA)
        .values(data=PURGED_DATA)
    )
    session.execute(
        update(Record)
        .where(Record.id.in_(record_ids))
        .values(name="", name_pinyin="", id_number="", mobile="", risk_level="", id_valid_until="", purged_at=now)
    )
    session.execute(update(OutboxItem).where(OutboxItem.record_id.in_(record_ids)).values(payload=PURGED_DATA))
    session.execute(update(SecondEntry).where(SecondEntry.record_id.in_(record_ids)).values(data=PURGED_DATA))
    session.execute(
        update(ReconciliationDecision)
        .where(ReconciliationDecision.record_id.in_(record_ids))
        .values(first_value="", second_value="", chosen_value="", reason="")
    )
    session.execute(delete(Attachment).where(Attachment.record_id.in_(record_ids)))
    # The paper form's pages show every value, as ID scans do; a page image another record still shows stays.
    session.execute(delete(PaperPage).where(PaperPage.record_id.in_(record_ids)))
    session.execute(delete(PageBlob).where(~exists().where(PaperPage.sha256 == PageBlob.sha256)))
    session.execute(delete(Autosave).where(Autosave.record_id.in_(record_ids)))
