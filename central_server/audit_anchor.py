"""Audit anchoring: each workstation's new audit entries must extend the chain head the server holds for it.

A workstation whose local trail was rewritten, cut or re-ordered cannot produce entries that link to the head
the server kept, so the break is found centrally (sync_protocol.chain_problem) and recorded in audit_alerts.

Entries the server already holds may be sent again (the connection dropped after the server committed): they
are compared with the stored ones and skipped when identical; a different entry under a held number is a break.

A workstation's trail outlives its devices: a re-enrolled workstation's new device starts from the head its
previous device reached (enrolment.py), and the entries up to there stay under the device that sent them. So
"the entries the server holds" are those of the device's trail: its own after its base, its predecessor's up to
that base, and so on (_trail).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from central_server.database import Database
from central_server.devices import GENESIS_HASH, AuthenticatedDevice, AuthError, AuthFailure
from central_server.models import AuditAlert, AuditEntry, AuditHead, Device, utcnow
from desktop_app.domain.sync_protocol import AuditUpload, chain_problem

log = logging.getLogger("central_server.audit_anchor")


class ChainBreak(Exception):
    """The upload does not extend the chain the server holds for the device (an alert has been stored)."""


@dataclass(frozen=True)
class Anchored:
    """What an accepted upload did: how many entries were new, and the head the server now holds."""

    accepted: int
    head_seq: int
    head_hash: str

    def to_json(self) -> dict[str, object]:
        return {"accepted": self.accepted, "head_seq": self.head_seq, "head_hash": self.head_hash}


def _trail(session: Session, device_id: str) -> list[tuple[str, int]]:
    """The devices that held this device's workstation trail, newest first, each with the sequence number its part
    starts after: [(device id, base seq)], the oldest with base 0."""
    trail: list[tuple[str, int]] = []
    current: str | None = device_id
    while current is not None and all(current != d for d, _ in trail):
        row = session.execute(
            select(Device.replaces_device_id, Device.audit_base_seq).where(Device.id == current)
        ).one_or_none()
        if row is None:
            break
        trail.append((current, row.audit_base_seq))
        current = row.replaces_device_id
    return trail


def _held(session: Session, trail: list[tuple[str, int]], seqs: list[int]) -> dict[int, str]:
    """The hash of each of these entries of the trail that the server holds."""
    wanted: dict[str, list[int]] = {}
    for seq in seqs:
        holder = next((device for device, base in trail if seq > base), None)
        if holder is not None:
            wanted.setdefault(holder, []).append(seq)
    held: dict[int, str] = {}
    for device, numbers in wanted.items():
        for start in range(0, len(numbers), 500):
            rows = session.execute(
                select(AuditEntry.seq, AuditEntry.hash).where(
                    AuditEntry.device_id == device, AuditEntry.seq.in_(numbers[start : start + 500])
                )
            )
            held.update({seq: hash_ for seq, hash_ in rows})
    return held


def _known_prefix_problem(
    session: Session, trail: list[tuple[str, int]], head: AuditHead, upload: AuditUpload
) -> str | None:
    """Why the entries at or below the held head differ from the ones stored (None when they match)."""
    known = [e for e in upload.entries if e.seq <= head.seq]
    if not known:
        return None
    stored = _held(session, trail, [e.seq for e in known])
    for entry in known:
        if stored.get(entry.seq) != entry.hash:
            return f"entry {entry.seq} differs from the entry {entry.seq} the server holds"
    return None


def _stale_head_matches(session: Session, trail: list[tuple[str, int]], seq: int, hash_: str) -> bool:
    """True when (seq, hash) is an entry the server holds (or the genesis): a resend of an older upload."""
    if seq == 0:
        return hash_ in (GENESIS_HASH, "")
    return _held(session, trail, [seq]).get(seq) == hash_


def anchor(db: Database, device: AuthenticatedDevice, upload: AuditUpload) -> Anchored:
    """Store the new entries and head when they extend the head held for this device; ChainBreak otherwise, and
    AuthError when the device was revoked meanwhile."""

    def work(session: Session) -> Anchored | str:
        # FOR UPDATE: two uploads from one device (two syncs at once) take turns; SQLite's BEGIN IMMEDIATE does
        # the same for the whole database.
        head = session.execute(select(AuditHead).where(AuditHead.device_id == device.id).with_for_update()).scalar_one()
        # A re-enrolment that committed while this request waited for the head took the trail over: no more here.
        if session.execute(select(Device.revoked_at).where(Device.id == device.id)).scalar_one() is not None:
            raise AuthError(AuthFailure.REVOKED, "This device has been revoked: ask the server administrator.")
        trail = _trail(session, device.id)
        problem = _known_prefix_problem(session, trail, head, upload)
        fresh = AuditUpload(tuple(e for e in upload.entries if e.seq > head.seq), upload.head_seq, upload.head_hash)
        if problem is None and not fresh.entries and upload.head_seq < head.seq:
            if _stale_head_matches(session, trail, upload.head_seq, upload.head_hash):
                return Anchored(0, head.seq, head.hash)
            problem = "the declared head is not an entry the server holds"
        if problem is None:
            problem = chain_problem(head.seq, head.hash, fresh, GENESIS_HASH)
        if problem is not None:
            _alert(session, device.id, head, problem)
            return problem
        now = utcnow()
        if fresh.entries:
            session.execute(
                insert(AuditEntry),
                [
                    {
                        "device_id": device.id,
                        "seq": e.seq,
                        "ts": e.ts,
                        "actor_name": e.actor_name,
                        "action": e.action,
                        "record_id": e.record_id,
                        "details": e.details,
                        "prev_hash": e.prev_hash,
                        "hash": e.hash,
                        "received_at": now,
                    }
                    for e in fresh.entries
                ],
            )
            head.seq, head.hash, head.updated_at = fresh.head_seq, fresh.head_hash, now
        return Anchored(len(fresh.entries), head.seq, head.hash)

    outcome = db.write(work)
    if isinstance(outcome, str):
        log.warning("device %s: audit chain break: %s", device.id, outcome)
        raise ChainBreak(outcome)
    if outcome.accepted:
        log.info("device %s: %d audit entries anchored, head %d", device.id, outcome.accepted, outcome.head_seq)
    return outcome


def _alert(session: Session, device_id: str, head: AuditHead, problem: str) -> None:
    """Record the break, once: a workstation retrying the same upload does not flood the alerts."""
    repeated = session.execute(
        select(AuditAlert.id)
        .where(AuditAlert.device_id == device_id, AuditAlert.problem == problem, AuditAlert.at >= head.updated_at)
        .limit(1)
    ).first()
    if repeated is None:
        session.add(AuditAlert(device_id=device_id, at=utcnow(), problem=problem))
