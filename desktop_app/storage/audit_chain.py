"""The tamper-evident audit trail: append entries to a keyed hash chain, and verify it.

Each entry's hash is HMAC-SHA256(audit key, previous hash || canonical entry), and the chain head (last seq
and hash) is kept with its own MAC. An edited, deleted, re-ordered or truncated entry breaks the chain or
disagrees with the head. The audit key is a random key made with the store and kept beside the database key, never
inside the database it protects (storage/keystore.py), so whoever can write the database cannot re-hash a rewritten
trail; it does not change when the database key rotates.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.storage.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def derive_audit_key(database_key: bytes) -> bytes:
    """An audit-chain key derived from a key (HMAC as a one-step KDF with a fixed label): what stores made before the
    audit key moved out used, and the benchmarks' plain reference still does."""
    return hmac.new(database_key, b"desktop-app audit chain v1", sha256).digest()


def canonical(details: Mapping[str, object]) -> str:
    """The one JSON form of details that goes into the hash."""
    return json.dumps(details, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _entry_hash(key: bytes, prev_hash: str, entry: AuditEntry) -> str:
    body = "\x1f".join(
        [
            str(entry.seq),
            entry.ts,
            "" if entry.actor_id is None else str(entry.actor_id),
            entry.actor_name,
            entry.action,
            entry.record_id or "",
            entry.details,
        ]
    )
    return hmac.new(key, (prev_hash + "\x1e" + body).encode("utf-8"), sha256).hexdigest()


def _head_mac(key: bytes, seq: int, digest: str) -> str:
    return hmac.new(key, f"head\x1f{seq}\x1f{digest}".encode(), sha256).hexdigest()


def now_iso() -> str:
    """The current UTC time as the audit trail writes it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(
    session: Session,
    key: bytes,
    *,
    action: str,
    actor_id: int | None,
    actor_name: str,
    record_id: str | None = None,
    details: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's (write) transaction and move the head; returns the entry."""
    head = session.get(AuditHead, 1)
    prev_seq, prev_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)
    entry = AuditEntry(
        seq=prev_seq + 1,
        ts=now_iso(),
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        record_id=record_id,
        details=canonical(details or {}),
        prev_hash=prev_hash,
        hash="",
    )
    entry.hash = _entry_hash(key, prev_hash, entry)
    session.add(entry)
    if head is None:
        session.add(AuditHead(id=1, seq=entry.seq, hash=entry.hash, mac=_head_mac(key, entry.seq, entry.hash)))
    else:
        head.seq, head.hash, head.mac = entry.seq, entry.hash, _head_mac(key, entry.seq, entry.hash)
    return entry


@dataclass(frozen=True)
class ChainReport:
    """The result of a chain check: ok, how many entries, and the first bad one if any."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""


def unreadable() -> ChainReport:
    """The report for a trail that cannot be read at all (a damaged page): no entry to name."""
    return ChainReport(False, 0, None, "the audit trail cannot be read: its pages in the database are damaged")


def _entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = list(
            session.scalars(select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch))
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify(session: Session, key: bytes) -> ChainReport:
    """Walk the whole chain; report the first entry that was edited, removed, re-ordered or cut off."""
    expected_seq = 1
    prev_hash = GENESIS
    count = 0
    for entry in _entries(session):
        if entry.seq != expected_seq:
            return ChainReport(False, count, expected_seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != prev_hash:
            return ChainReport(False, count, entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}")
        if not hmac.compare_digest(_entry_hash(key, prev_hash, entry), entry.hash):
            return ChainReport(False, count, entry.seq, f"entry {entry.seq} was altered")
        prev_hash = entry.hash
        expected_seq += 1
        count += 1
    head = session.get(AuditHead, 1)
    last_seq = expected_seq - 1
    if head is None:
        if count:
            return ChainReport(False, count, last_seq, "the chain head is missing")
        return ChainReport(True, 0)
    if not hmac.compare_digest(_head_mac(key, head.seq, head.hash), head.mac):
        return ChainReport(False, count, head.seq, "the chain head was altered")
    if head.seq != last_seq or head.hash != prev_hash:
        first_missing = min(head.seq, last_seq) + 1 if head.seq > last_seq else head.seq
        return ChainReport(
            False, count, first_missing, f"the chain ends at entry {last_seq} but its head says {head.seq}"
        )
    return ChainReport(True, count)


def check_anchor(session: Session, report: ChainReport, anchored_seq: int, anchored_hash: str) -> ChainReport:
    """The chain `report` checked against the head the central server last confirmed (sync_state): an intact chain
    that no longer holds that entry, or holds another entry under its number, was cut back and rebuilt, for
    instance by deleting the newest entries and copying the head row of an older copy. The anchor is what this
    store recorded at the last sync; a copy of the whole store from before that sync is consistent with itself and
    only the server finds it (at the next sync)."""
    if not report.ok or anchored_seq <= 0:
        return report
    if anchored_seq > report.entries:
        return ChainReport(
            False,
            report.entries,
            report.entries + 1,
            f"the audit trail ends at entry {report.entries}, but the central server confirmed it up to entry "
            f"{anchored_seq} at the last sync: entries were removed",
        )
    entry = session.get(AuditEntry, anchored_seq)
    if entry is None or not hmac.compare_digest(entry.hash, anchored_hash):
        return ChainReport(
            False,
            report.entries,
            anchored_seq,
            f"entry {anchored_seq} is not the one the central server confirmed at the last sync: the trail was "
            "rewritten from that entry on",
        )
    return report
