"""Anchor the local audit trail on the central server: upload the entries it does not hold yet, with the head.

The server checks that what arrives extends the head it holds for this workstation, so a trail rewritten or cut
after it was anchored is found centrally even by someone who holds the database key (and so the HMAC key).

The starting point is the head the *server* reports, not a local note: if the server stored the last upload
but the answer was lost, the next run starts after it instead of re-sending entries the server would take for
a broken chain. An upload with no new entries still declares the local head, so a rewritten last entry is
refused as well; a local trail shorter than what the server holds (a cut tail) is reported here, before any
upload, since the server would take a short head for a stale resend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.sync_protocol import MAX_AUDIT_ENTRIES, AuditEntryUpload, AuditUpload
from desktop_app.storage.audit_chain import GENESIS
from desktop_app.storage.models import AuditEntry, AuditHead, SyncState
from desktop_app.storage.store import Store
from desktop_app.sync.errors import AuditChainBreak, ServerFailed
from desktop_app.sync.outbox import utcnow
from desktop_app.sync.transport import Transport

Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class AnchorReport:
    """How many entries went up, and the head the server now holds for this workstation."""

    sent: int
    head_seq: int
    cancelled: bool = False


def _upload_entry(entry: AuditEntry) -> AuditEntryUpload:
    return AuditEntryUpload(
        entry.seq, entry.ts, entry.actor_name, entry.action, entry.record_id, entry.details, entry.prev_hash, entry.hash
    )


@dataclass(frozen=True)
class HeadMismatch:
    """The trail here does not hold the head the server holds for this workstation: `local_seq` is where the trail
    here ends, `local_hash` the hash of its entry at the server's head (None when it has no such entry)."""

    server_seq: int
    server_hash: str
    local_seq: int
    local_hash: str | None

    @property
    def message(self) -> str:
        """What is wrong, in English, with the entry numbers."""
        if self.local_hash is None:
            return (
                f"The central server holds this workstation's audit trail up to entry {self.server_seq}, but the "
                f"trail here ends at entry {self.local_seq}: entries were removed, or the database was restored "
                "from an older backup."
            )
        return (
            f"Entry {self.server_seq} of the audit trail here is not the one the central server holds for this "
            "workstation: the trail was changed after it was anchored."
        )


def head_mismatch(session: Session, server_seq: int, server_hash: str) -> HeadMismatch | None:
    """None when this workstation's own trail holds the server's head (its entry `server_seq` has the hash
    `server_hash`; seq 0 is the genesis); else what differs. Read in the caller's session."""
    head = session.get(AuditHead, 1)
    local_seq = head.seq if head else 0
    if server_seq <= 0:
        return None
    entry = session.get(AuditEntry, server_seq) if server_seq <= local_seq else None
    if entry is not None and entry.hash == server_hash:
        return None
    return HeadMismatch(server_seq, server_hash, local_seq, entry.hash if entry is not None else None)


def anchor_audit(
    store: Store,
    transport: Transport,
    *,
    chunk: int = MAX_AUDIT_ENTRIES,
    cancelled: Cancelled | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> AnchorReport:
    """Upload the audit entries after the server's head, in chunks; AuditChainBreak when they do not extend it."""
    start = transport.status().audit_head_seq
    with store.read() as s:
        head = s.get(AuditHead, 1)
        local_seq = head.seq if head else 0
    if start > local_seq:
        # The server would take a short trail for a stale resend; here it can only mean entries were removed
        # (or the database was put back from an older backup): either way people must look at it.
        raise AuditChainBreak(
            f"The central server holds this workstation's audit trail up to entry {start}, but the trail here "
            f"ends at entry {local_seq}: entries were removed, or the database was restored from an older "
            "backup. Run 'desktop-app verify' and tell security."
        )
    sent = 0
    chunk = max(1, min(chunk, MAX_AUDIT_ENTRIES))
    while True:
        if cancelled is not None and cancelled():
            return AnchorReport(sent, start, cancelled=True)
        with store.read() as s:  # the upload is built inside: the session's objects expire when it ends
            entries = tuple(
                _upload_entry(e)
                for e in s.scalars(
                    select(AuditEntry).where(AuditEntry.seq > start).order_by(AuditEntry.seq).limit(chunk)
                )
            )
            head = s.get(AuditHead, 1)
            if entries:
                upload = AuditUpload(entries, entries[-1].seq, entries[-1].hash)
            else:
                upload = AuditUpload((), head.seq if head else 0, head.hash if head else GENESIS)
        answer = transport.upload_audit(upload)
        _remember(store, answer.head_seq, answer.head_hash, clock())
        sent += len(entries)
        if len(entries) < chunk:
            return AnchorReport(sent, answer.head_seq)
        if answer.head_seq <= start:
            raise ServerFailed("The central server took audit entries without moving its head; stopped.")
        start = answer.head_seq


def _remember(store: Store, seq: int, digest: str, now: datetime) -> None:
    """Note the head the server confirmed (for the status display; the server stays the authority)."""
    with store.write() as s:
        state = s.get(SyncState, 1)
        if state is None:
            state = SyncState(id=1, audit_seq=0, audit_hash="")
            s.add(state)
        state.audit_seq, state.audit_hash, state.audit_anchored_at = seq, digest, now
