"""The central server's tables. Everything the server knows lives here, so any number of server processes can
share one database (no state in a process).

The schema is made and brought up to date at start by the Alembic migrations in central_server/migrations
(central_server.database.ensure_schema); these classes describe its newest revision. The `schema_version` table
is kept from before Alembic, holding SCHEMA_VERSION, so that a server of version 1 refuses a newer database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = 2

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets 64-bit keys for the large tables.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """A UTC instant: stored without a zone (SQLite keeps none), always read back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous here; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    """One row: the version of this schema, checked at start so an old server never runs on a newer database."""

    __tablename__ = "schema_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Device(Base):
    """An enrolled workstation. The credential is "<id>.<secret>"; only SHA-256 of the secret is kept.

    Not argon2: the secret is 32 random bytes, so there is nothing to guess and a slow hash adds no safety,
    while every request pays for checking it (argon2 would cost tens of milliseconds and 64 MiB per call)."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    workstation_id: Mapped[str] = mapped_column(String(100), index=True)
    credential_hash: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # A re-enrolment: the device this one replaced, and the audit head it took over from it. Entries up to that
    # sequence number are held under the replaced device (and its own predecessors), the later ones under this.
    replaces_device_id: Mapped[str | None] = mapped_column(String(36), nullable=True, default=None)
    audit_base_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Workstation(Base):
    """A workstation id and the device that speaks for it now. The first enrolment of an id creates the row (its
    primary key settles two enrolments racing for one id); only a code issued for this workstation replaces the
    device, which revokes the one before."""

    __tablename__ = "workstations"

    workstation_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)  # its first enrolment


class EnrolmentCode(Base):
    """A single-use code an administrator hands to a branch; only its SHA-256 is kept."""

    __tablename__ = "enrolment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the device name the admin intended
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    used_by_device: Mapped[str | None] = mapped_column(ForeignKey("devices.id"), nullable=True)
    # The workstation the code is issued for (a re-enrolment); None: a workstation never enrolled before.
    workstation_id: Mapped[str | None] = mapped_column(String(100), nullable=True, default=None)


class StoredRecord(Base):
    """One record version as a workstation approved it, stored once: UNIQUE(record_id, version) and
    UNIQUE(idempotency_key) are what make an upload exactly-once, whatever the processes race."""

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("record_id", "version", name="uq_records_record_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    digest: Mapped[str] = mapped_column(String(64))  # payload_digest(payload), computed by the server
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    workstation_id: Mapped[str] = mapped_column(String(100))
    # SHA-256 of "id_type:id_number", so the index holds no raw ID number (nor does any log).
    customer_key: Mapped[str] = mapped_column(String(64), index=True)
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CustomerClaim(Base):
    """Which record holds a customer (by customer_key) centrally: the first one stored for it, until an
    administrator releases it. The primary key settles two branches uploading the same new customer at the same
    moment."""

    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_device_claimed_at", "device_id", "claimed_at"),)

    customer_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36))
    workstation_id: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ClaimRelease(Base):
    """A customer claim an administrator released (or one merged when customer keys were normalised): what it
    was, and when it ended."""

    __tablename__ = "claim_releases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_key: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(36))
    workstation_id: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[str] = mapped_column(String(36))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(200))


class Refusal(Base):
    """An item the server did not store, and why (reason codes and fields only: the messages quote values)."""

    __tablename__ = "refusals"
    __table_args__ = (Index("ix_refusals_device_at", "device_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    record_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # an ItemStatus that is not acknowledged
    reasons: Mapped[str] = mapped_column(Text)  # JSON: [{"field", "code"}]
    # JSON, on a version conflict: the central copy in the way, even when the answer did not name it (another
    # workstation's record), so that the central administrators can resolve it.
    central: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """A workstation's audit entry, anchored centrally. HMACs cannot be checked here; the links can."""

    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("device_id", "seq", name="uq_audit_entries_device_seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(Integer)
    ts: Mapped[str] = mapped_column(String(40))
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditHead(Base):
    """The last audit entry the server holds for a device; a new upload must extend it."""

    __tablename__ = "audit_heads"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditAlert(Base):
    """A break in a device's audit chain, found at upload: the workstation's trail was rewritten or cut."""

    __tablename__ = "audit_alerts"
    __table_args__ = (Index("ix_audit_alerts_device_at", "device_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    problem: Mapped[str] = mapped_column(Text)


class MatchKey(Base):
    """A hashed key of an approved record (desktop_app.domain.branch_match), for the cross-branch duplicate query:
    the latest stored version of each record keeps its keys, no value."""

    __tablename__ = "match_keys"
    __table_args__ = (Index("ix_match_keys_digest", "digest"), Index("ix_match_keys_record", "record_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    workstation_id: Mapped[str] = mapped_column(String(100))


class MatchQuery(Base):
    """A cross-branch duplicate query a device made: when, how many keys, which branches it was told of. The
    audit of who asked (and the count the per-device rate limit reads); the keys themselves are not kept."""

    __tablename__ = "match_queries"
    __table_args__ = (Index("ix_match_queries_device_at", "device_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)  # the asking workstation's own record
    keys: Mapped[int] = mapped_column(Integer)
    answered: Mapped[str] = mapped_column(Text)  # JSON: [{"workstation_id", "kinds"}] as told to the device
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaperPageBlob(Base):
    """A paper form page's image, stored once however many records show it (issue 16: the bank may take the pages
    of approved records). JPEG as the workstation keeps it; its SHA-256 is checked on arrival."""

    __tablename__ = "paper_page_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RecordPaperPage(Base):
    """Page `page_no` of the paper form of a stored record version: one row per page, so a page sent again is
    recognised (and a different image for the same page refused)."""

    __tablename__ = "paper_pages"
    __table_args__ = (UniqueConstraint("record_id", "version", "page_no", name="uq_paper_pages_record_page"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    page_no: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("paper_page_blobs.sha256"))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
