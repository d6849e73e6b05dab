"""The tables of the workstation store (SQLAlchemy 2 declarative models).

Record content lives in immutable `record_versions` rows (triggers refuse UPDATE and DELETE); `records`
is the head of each customer record: its current status, pointers to its latest and approved versions,
maker/checker ids and the search columns copied from the latest version. The audit trail is append-only
and hash-chained (see audit_chain.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    roles: Mapped[str] = mapped_column(String(128))  # comma-separated Role values, sorted
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    locked_by_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class Meta(Base):
    """Facts about this store: store id, workstation id, the audit-chain key, creation time."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


#: The duplicate check's birth-date block reads every column it needs from this index (services/duplicates.py).
BIRTH_DATE_INDEX = (
    "birth_date", "status", "purged_at", "id", "version", "maker_id",
    "name", "name_pinyin", "id_type", "id_number", "mobile",
)  # fmt: skip


class Record(Base):
    __tablename__ = "records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID
    form_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)  # the latest version
    approved_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # approved version a change starts from
    maker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(DateTime)
    second_clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reconciler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    checker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reject_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    id_type: Mapped[str] = mapped_column(String(32), default="")
    id_number: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(128), default="")
    name_pinyin: Mapped[str] = mapped_column(String(128), default="")
    mobile: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Set when retention purged the personal data (the central server holds it); id, versions, status stay.
    purged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Copied from the latest version for the periodic-review list (migration 0005).
    risk_level: Mapped[str] = mapped_column(String(16), default="", server_default="")
    id_valid_until: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # Copied from the latest version as well: a blocking key of the duplicate check (migration 0008).
    birth_date: Mapped[str] = mapped_column(String(16), default="", server_default="")

    __table_args__ = (
        Index("ix_records_id_document", "id_type", "id_number"),
        Index("ix_records_birth_date", *BIRTH_DATE_INDEX),
        Index("ix_records_id_number", "id_number"),
        Index("ix_records_name", "name"),
        Index("ix_records_name_pinyin", "name_pinyin"),
        Index("ix_records_mobile", "mobile"),
        Index("ix_records_status_updated", "status", "updated_at"),
        Index("ix_records_updated", "updated_at"),
        Index("ix_records_maker", "maker_id", "status"),
        Index("ix_records_review", "status", "checked_at"),
    )


#: What a version's `data` becomes when retention purges it: the one change the database triggers allow on a
#: record version (migration 0004), and only for a record the central server acknowledged.
PURGED_DATA = '{"__purged__":true}'


class RecordVersion(Base):
    """One immutable snapshot of a record's values (or PURGED_DATA once retention removed them)."""

    __tablename__ = "record_versions"

    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # JSON object of normalised field values
    kind: Mapped[str] = mapped_column(String(32))  # create, edit, change, reconcile, import
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class StatusEvent(Base):
    """The status timeline: every transition of a record, by whom and why."""

    __tablename__ = "status_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    version: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    to_status: Mapped[str] = mapped_column(String(32))
    # None only for the background sync job (approved -> synced on the server's acknowledgement).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_status_events_record", "record_id", "id"),
        Index("ix_status_events_actor", "actor_id", "at"),
    )


class SecondEntry(Base):
    """A second clerk's blind entry of the same paper form, compared with the version it checks."""

    __tablename__ = "second_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    clerk_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        ForeignKeyConstraint(["record_id", "version"], ["record_versions.record_id", "record_versions.version"]),
        UniqueConstraint("record_id", "version", name="uq_second_entry_version"),
    )


class ReconciliationDecision(Base):
    """How one differing field was settled: the value chosen, by whom, and why."""

    __tablename__ = "reconciliation_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    first_value: Mapped[str] = mapped_column(Text)
    second_value: Mapped[str] = mapped_column(Text)
    chosen_value: Mapped[str] = mapped_column(Text)
    choice: Mapped[str] = mapped_column(String(16))  # first, second, other
    reason: Mapped[str] = mapped_column(Text, default="")
    resolver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_reconciliation_record", "record_id", "version"),)


class Attachment(Base):
    """A scanned document image kept with a record, inside the encrypted database."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    media_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    meta: Mapped[str] = mapped_column(Text, default="{}")  # JSON: OCR boxes, confidences
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_attachments_record", "record_id", "version"),)


class PageBlob(Base):
    """One scanned paper page's image, kept once however many records' page sets or versions show it (the key is
    the SHA-256 of its pixels), with a small thumbnail for lists. Inside the encrypted database, as ID scans are."""

    __tablename__ = "page_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PaperPage(Base):
    """A page of a record's paper form: page `page_no` of page set `set_no`. A new set (a re-scan, or the pages of
    a change) never replaces an earlier one: the record's pages are those of its highest set."""

    __tablename__ = "paper_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    version: Mapped[int] = mapped_column(Integer)  # the record version the page was added at
    set_no: Mapped[int] = mapped_column(Integer)
    page_no: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("page_blobs.sha256"))
    source: Mapped[str] = mapped_column(String(16))  # scanner, file, folder
    meta: Mapped[str] = mapped_column(Text, default="{}")  # JSON: turned, form version, code kind; no values
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("record_id", "set_no", "page_no", name="uq_paper_page"),
        Index("ix_paper_pages_sha", "sha256"),
    )


class FormNumber(Base):
    """Which record holds a paper form's serial number: one record per number on this workstation (a discarded
    record's number may be taken again). Kept by services/form_numbers.py whenever a version is written."""

    __tablename__ = "form_numbers"

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    source: Mapped[str] = mapped_column(String(16))  # barcode, typed
    claimed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_form_numbers_record", "record_id"),)


class OutboxItem(Base):
    """An approved record version waiting to reach the central server (written with the approval).

    Rows are never deleted: a refused or conflicting version stays for a supervisor to see and act on.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    payload: Mapped[str] = mapped_column(Text)  # JSON (PURGED_DATA once retention purged an acknowledged row)
    state: Mapped[str] = mapped_column(String(16))  # desktop_app.sync.outbox.OutboxState
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reasons: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON list of the server's refusal reasons
    central: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON: the central copy on a version conflict
    # The device id (enrolment) whose credential got the acknowledgement: retention purges only rows acknowledged
    # through an enrolment. NULL on rows acknowledged before migration 0006 until the enrolled server confirms them.
    acked_by: Mapped[str | None] = mapped_column(String(128), nullable=True)

    __table_args__ = (
        ForeignKeyConstraint(["record_id", "version"], ["record_versions.record_id", "record_versions.version"]),
        Index("ix_outbox_state", "state", "next_attempt_at"),
        Index("ix_outbox_record", "record_id", "version"),
        Index("ix_outbox_acked_by", "state", "acked_by"),
    )


class SyncState(Base):
    """This workstation's standing with the central server (one row, id 1). The device credential itself is
    kept in the OS credential store, never here."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    server_url: Mapped[str | None] = mapped_column(String(500), nullable=True)  # the address enrolled with
    # The CA certificate(s) (PEM) read at enrolment: what the server's certificate is checked against, whatever
    # the CA file or the setting say later. Its SHA-256 is pinned with the credential (sync/enrolment.py).
    ca_pem: Mapped[str | None] = mapped_column(Text, nullable=True)
    enrolled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The audit head the central server holds for this workstation, as last confirmed by it.
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    audit_hash: Mapped[str] = mapped_column(String(64), default="")
    audit_anchored_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AuditEntry(Base):
    """One entry of the append-only, hash-chained audit trail. Details never hold personal data."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC with microseconds, part of the hash
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_name: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    details: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_record", "record_id", "seq"),
        Index("ix_audit_actor", "actor_id", "seq"),
        Index("ix_audit_action", "action", "seq"),
    )


class AuditHead(Base):
    """The chain head (last seq and hash), keyed-MACed, so a cut tail is detected."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class DuplicateDecision(Base):
    """A supervisor's decision at approval: this record and that candidate are the same person or two people."""

    __tablename__ = "duplicate_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    version: Mapped[int] = mapped_column(Integer)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    decision: Mapped[str] = mapped_column(String(16))  # services.duplicates.Decision
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of reason codes, never values
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_duplicate_decisions_record", "record_id", "version"),)


class Autosave(Base):
    """A clerk's unsaved typing on a form, kept every few seconds so a crash loses almost nothing.

    One per user and slot (a record id, or "new" for a form not yet saved); replaced in place, never audited
    (it is the clerk's own scratch, not a version of the record).
    """

    __tablename__ = "autosaves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    slot: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    form_key: Mapped[str] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("user_id", "slot", name="uq_autosave_slot"),)


class ImportLayout(Base):
    """The column mapping chosen for one spreadsheet layout (a hash of its header row), offered again next time."""

    __tablename__ = "import_layouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), unique=True)
    headers: Mapped[str] = mapped_column(Text)  # JSON list of the header cells, as read
    mapping: Mapped[str] = mapped_column(Text)  # JSON {column index as text: field key}
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ValidationFailure(Base):
    """A field that failed a rule at submit or import: which field and rule, never the value (dashboard)."""

    __tablename__ = "validation_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(16))  # submit | import
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    field: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_validation_failures_at", "at"),)


class WatchlistVersion(Base):
    """One imported watchlist file; the newest of each list name is screened against (migration 0010)."""

    __tablename__ = "watchlist_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_name: Mapped[str] = mapped_column(String(64))
    source_format: Mapped[str] = mapped_column(String(16))  # "un_xml" or "csv"
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    # Confirmed with far fewer entries than before (migration 0013): later versions are held to this one.
    accepted_fewer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_watchlist_versions_name", "list_name", "id"),)


class WatchlistEntryRow(Base):
    """An entry of a watchlist version; `data` is the domain WatchlistEntry as JSON."""

    __tablename__ = "watchlist_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("watchlist_versions.id"))
    ref: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    data: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_watchlist_entries_version", "version_id"),)


class ScreeningHit(Base):
    """A record that may be a listed entry, and the supervisor's decision on it (services.watchlist.HitStatus)."""

    __tablename__ = "screening_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    record_version: Mapped[int] = mapped_column(Integer)
    list_version_id: Mapped[int] = mapped_column(ForeignKey("watchlist_versions.id"))
    entry_ref: Mapped[str] = mapped_column(String(64))
    subject_digest: Mapped[str] = mapped_column(String(32))
    entry_digest: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of reason codes, never values
    status: Mapped[str] = mapped_column(String(16))
    found_at: Mapped[datetime] = mapped_column(DateTime)
    found_by: Mapped[str] = mapped_column(String(16))  # "submit", "approval" or "rescreen"
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (
        Index("ix_screening_hits_record", "record_id", "status"),
        Index("ix_screening_hits_status", "status", "id"),
    )


class ScreeningRun(Base):
    """Re-screening of the approved customers after a list import; `cursor` is the last record id done."""

    __tablename__ = "screening_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_version_id: Mapped[int] = mapped_column(ForeignKey("watchlist_versions.id"))
    cursor: Mapped[str] = mapped_column(String(36), default="", server_default="")
    screened: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    hits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class BranchMatchCheck(Base):
    """A record the approval screen asked the central server about (migration 0011): pending while checked_at is
    NULL (asked offline: the next sync asks), then the answer, which names branches and kinds of key only."""

    __tablename__ = "branch_match_checks"

    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)  # the record's version the answer is for
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    matches: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON: [BranchMatch.to_json()]
    # A match found at sync for a record already approved, until a supervisor marks it seen (migration 0013).
    seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    seen_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PageOutbox(Base):
    """A page of an approved record version's paper form, to go to the central server after the record (migration
    0012, issue 16). Queued in approval's transaction; `state`: pending, sent, or not_taken (the server said the
    bank does not take pages; retention need not wait for it), refused (the server refused it; `error` says why)."""

    __tablename__ = "page_outbox"
    __table_args__ = (
        UniqueConstraint("record_id", "version", "page_no", name="uq_page_outbox_page"),
        Index("ix_page_outbox_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    version: Mapped[int] = mapped_column(Integer)  # the approved version the page goes with
    page_no: Mapped[int] = mapped_column(Integer)
    page_id: Mapped[int] = mapped_column(Integer)  # paper_pages.id (no key: retention removes pages, not this row)
    sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)  # a code and a sentence, never a value
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
