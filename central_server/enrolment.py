"""Enrolment: single-use codes, and exchanging one for a device credential. Used by the HTTP API and the command
line.

An enrolment code is 16 characters of Crockford base32 in four groups (80 random bits; "7KQ2-M9XD-..."):
short enough to read over the phone, and typed forgivingly (any case, with or without dashes, O for 0 and I or L
for 1). It is stored only as SHA-256.

A code is issued either for one workstation id (`enrol-code --workstation ID`: that workstation's first enrolment
or a re-enrolment) or for a workstation never enrolled before (`enrol-code`). The first enrolment of an id owns it
(the `workstations` row); a code for a new workstation cannot take an enrolled id. A re-enrolment revokes the
workstation's previous devices, and the new device takes over the audit head the previous one reached: the
workstation's trail must go on from there (audit_anchor.py), so re-enrolling cannot restart it.

A code that cannot be used is refused after one read, without a write: only a code that can be spent takes the
database's write lock.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central_server.database import Database, insert_new
from central_server.devices import GENESIS_HASH, new_secret, secret_hash
from central_server.models import AuditHead, Device, EnrolmentCode, Workstation, utcnow

CODE_GROUPS = 4
CODE_GROUP_LENGTH = 4
# Crockford's base32: no I, L, O or U, so nothing is read as something else. Written here rather than taken from
# a library: it is one string and a translation table.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPING = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_enrolment_code() -> str:
    """A fresh random code, "XXXX-XXXX-XXXX-XXXX"."""
    chars = "".join(secrets.choice(_CROCKFORD) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(chars[i : i + CODE_GROUP_LENGTH] for i in range(0, len(chars), CODE_GROUP_LENGTH))


def normalise_code(typed: str) -> str:
    """The code as stored (hashed): upper case, without dashes or spaces, look-alike letters read as digits."""
    return typed.upper().translate(_TYPING)


def code_hash(typed: str) -> str:
    """What the database keeps of an enrolment code."""
    return secret_hash(normalise_code(typed))


class EnrolFailure(StrEnum):
    """Why a code was not accepted (each an `error` code of the answer; HTTP status in ENROL_FAILURE_STATUS)."""

    UNKNOWN = "enrolment_code_unknown"
    USED = "enrolment_code_used"
    EXPIRED = "enrolment_code_expired"
    OTHER_WORKSTATION = "enrolment_code_for_another_workstation"
    WORKSTATION_ENROLLED = "workstation_already_enrolled"


ENROL_FAILURE_MESSAGES = {
    EnrolFailure.UNKNOWN: "No such enrolment code: check it, or ask the server administrator for a new one.",
    EnrolFailure.USED: "This enrolment code has already been used: ask the server administrator for a new one.",
    EnrolFailure.EXPIRED: "This enrolment code has expired: ask the server administrator for a new one.",
    EnrolFailure.OTHER_WORKSTATION: "This enrolment code was issued for another workstation: ask the server "
    "administrator for a code for this one.",
    EnrolFailure.WORKSTATION_ENROLLED: "This workstation is enrolled already, and the code is for a new one: "
    "re-enrolling it needs a code issued for it (desktop-app-server enrol-code --workstation ID).",
}

ENROL_FAILURE_STATUS = {
    EnrolFailure.UNKNOWN: 401,
    EnrolFailure.USED: 401,
    EnrolFailure.EXPIRED: 401,
    EnrolFailure.OTHER_WORKSTATION: 403,
    EnrolFailure.WORKSTATION_ENROLLED: 409,
}


class EnrolError(Exception):
    """The code cannot be exchanged for a credential (nothing was written)."""

    def __init__(self, failure: EnrolFailure) -> None:
        super().__init__(ENROL_FAILURE_MESSAGES[failure])
        self.failure = failure


@dataclass(frozen=True)
class Enrolled:
    """A new device and its credential (shown once; the server keeps only a hash), and the audit head the
    workstation's trail must extend: the one its previous device reached (0 and the genesis on a first enrolment).
    `replaced`: the devices this enrolment revoked."""

    device_id: str
    credential: str
    audit_head_seq: int
    audit_head_hash: str
    replaced: tuple[str, ...] = ()


def create_enrolment_code(
    db: Database, name: str | None = None, ttl: timedelta = timedelta(hours=24), workstation_id: str | None = None
) -> str:
    """Store a new single-use code valid for `ttl` and return it (the only time it is seen in clear). With
    `workstation_id` it enrols only that workstation (a re-enrolment); without, only one never enrolled before."""
    code = new_enrolment_code()
    now = utcnow()

    def work(session: Session) -> None:
        session.add(
            EnrolmentCode(
                code_hash=code_hash(code),
                name=name,
                created_at=now,
                expires_at=now + ttl,
                workstation_id=workstation_id,
            )
        )

    db.write(work)
    return code


def _refusal(code: EnrolmentCode | None, workstation_id: str, enrolled: bool, now: datetime) -> EnrolFailure | None:
    """Why this code cannot enrol this workstation now, or None when it can."""
    if code is None:
        return EnrolFailure.UNKNOWN
    if code.used_at is not None:
        return EnrolFailure.USED
    if code.expires_at <= now:
        return EnrolFailure.EXPIRED
    if code.workstation_id is not None and code.workstation_id != workstation_id:
        return EnrolFailure.OTHER_WORKSTATION
    if code.workstation_id is None and enrolled:
        return EnrolFailure.WORKSTATION_ENROLLED
    return None


def workstation_key(workstation_id: str) -> str:
    """The id a workstation is kept and compared under: its id in lower case. Workstations name themselves by a
    UUID, and 550B2F94-… is 550b2f94-… (a copy in capitals enrolled as a second workstation beside the first, found
    by an independent check of issue 14)."""
    return workstation_id.lower()


def enrol(db: Database, code: str, workstation_id: str, name: str) -> Enrolled:
    """Exchange a valid, unused, unexpired code for a new device credential of `workstation_id`; EnrolError says
    why not. A re-enrolment revokes the workstation's previous devices and continues from their audit head.

    A code that cannot be used is refused after a read. The code is spent by one conditional UPDATE, so two
    workstations racing with the same code cannot both win; the workstation's row settles two first enrolments
    of one id with two codes. A refusal found inside the transaction rolls it back: the code stays unspent."""
    hashed = code_hash(code)
    workstation_id = workstation_key(workstation_id)
    with db.read() as session:
        row = session.get(EnrolmentCode, hashed)
        enrolled = session.get(Workstation, workstation_id) is not None
        failure = _refusal(row, workstation_id, enrolled, utcnow())
    if failure is not None:
        raise EnrolError(failure)

    device_id = str(uuid.uuid4())
    secret = new_secret()

    def work(session: Session) -> Enrolled:
        now = utcnow()
        spent = session.execute(
            update(EnrolmentCode)
            .where(EnrolmentCode.code_hash == hashed, EnrolmentCode.used_at.is_(None), EnrolmentCode.expires_at > now)
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise EnrolError(
                _refusal(session.get(EnrolmentCode, hashed), workstation_id, False, now) or EnrolFailure.USED
            )
        issued = session.execute(
            select(EnrolmentCode.name, EnrolmentCode.workstation_id).where(EnrolmentCode.code_hash == hashed)
        ).one()
        current = session.execute(
            select(Workstation).where(Workstation.workstation_id == workstation_id).with_for_update()
        ).scalar_one_or_none()
        if current is not None and issued.workstation_id is None:
            raise EnrolError(EnrolFailure.WORKSTATION_ENROLLED)  # enrolled meanwhile by another code
        head_seq, head_hash, previous = 0, GENESIS_HASH, None
        if current is not None:
            previous = current.device_id
            head = session.execute(
                select(AuditHead).where(AuditHead.device_id == previous).with_for_update()
            ).scalar_one_or_none()
            if head is not None:
                head_seq, head_hash = head.seq, head.hash
        session.add(
            Device(
                id=device_id,
                name=(issued.name or name or workstation_id)[:200],
                workstation_id=workstation_id,
                credential_hash=secret_hash(secret),
                enrolled_at=now,
                replaces_device_id=previous,
                audit_base_seq=head_seq,
            )
        )
        session.flush()  # the device row first: the head, the workstation and used_by_device refer to it
        replaced = tuple(
            session.scalars(
                update(Device)
                .where(Device.workstation_id == workstation_id, Device.id != device_id, Device.revoked_at.is_(None))
                .values(revoked_at=now)
                .returning(Device.id)
                .execution_options(synchronize_session=False)
            )
        )
        if current is None and not _claim_workstation(session, workstation_id, device_id, now):
            raise EnrolError(EnrolFailure.WORKSTATION_ENROLLED)  # the same id enrolled at the same moment
        if current is not None:
            current.device_id = device_id
        session.add(AuditHead(device_id=device_id, seq=head_seq, hash=head_hash, updated_at=now))
        session.execute(
            update(EnrolmentCode)
            .where(EnrolmentCode.code_hash == hashed)
            .values(used_by_device=device_id)
            .execution_options(synchronize_session=False)
        )
        return Enrolled(device_id, f"{device_id}.{secret}", head_seq, head_hash, replaced)

    return db.write(work)


def _claim_workstation(session: Session, workstation_id: str, device_id: str, now: datetime) -> bool:
    """Insert the workstation's row unless another enrolment did; True when this one did."""
    table = Workstation.__table__
    row = {"workstation_id": workstation_id, "device_id": device_id, "enrolled_at": now}
    return bool(insert_new(session, table, [row], returning=table.c.workstation_id))
