"""Devices: enrolment codes, enrolment, credentials, revocation. Used by both the HTTP API and the command line.

An enrolment code is 16 characters of Crockford base32 in four groups (80 random bits; "7KQ2-M9XD-..."):
short enough to read over the phone, and typed forgivingly (any case, with or without dashes, O for 0 and I or L
for 1). A credential is "<device id>.<secret>" with a 32-byte random secret. Both are stored only as SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from central_server.database import Database
from central_server.models import AuditAlert, AuditHead, Device, EnrolmentCode, StoredRecord, utcnow

GENESIS_HASH = "0" * 64  # the prev_hash of a workstation's first audit entry
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 4
# Crockford's base32: no I, L, O or U, so nothing is read as something else. Written here rather than taken from
# a library: it is one string and a translation table.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPING = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_enrolment_code() -> str:
    """A fresh random code, "XXXX-XXXX-XXXX-XXXX"."""
    chars = "".join(secrets.choice(_CROCKFORD) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(chars[i : i + CODE_GROUP_LENGTH] for i in range(0, len(chars), CODE_GROUP_LENGTH))


def normalise_code(typed: str) -> str:
    """The code as stored (hashed): upper case, without dashes or spaces, look-alike letters read as digits."""
    return typed.upper().translate(_TYPING)


def code_hash(typed: str) -> str:
    """What the database keeps of an enrolment code."""
    return _sha256(normalise_code(typed))


def new_secret() -> str:
    """32 random bytes, URL-safe base64 without padding (43 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode("ascii")


def secret_hash(secret: str) -> str:
    """What the database keeps of a device secret."""
    return _sha256(secret)


class EnrolFailure(StrEnum):
    """Why a code was not accepted (each an `error` code in the 401 answer)."""

    UNKNOWN = "enrolment_code_unknown"
    USED = "enrolment_code_used"
    EXPIRED = "enrolment_code_expired"


ENROL_FAILURE_MESSAGES = {
    EnrolFailure.UNKNOWN: "No such enrolment code: check it, or ask the server administrator for a new one.",
    EnrolFailure.USED: "This enrolment code has already been used: ask the server administrator for a new one.",
    EnrolFailure.EXPIRED: "This enrolment code has expired: ask the server administrator for a new one.",
}


class EnrolError(Exception):
    """The code cannot be exchanged for a credential."""

    def __init__(self, failure: EnrolFailure) -> None:
        super().__init__(ENROL_FAILURE_MESSAGES[failure])
        self.failure = failure


@dataclass(frozen=True)
class Enrolled:
    """A new device and its credential (shown once; the server keeps only a hash)."""

    device_id: str
    credential: str


def create_enrolment_code(db: Database, name: str | None = None, ttl: timedelta = timedelta(hours=24)) -> str:
    """Store a new single-use code valid for `ttl` and return it (the only time it is seen in clear)."""
    code = new_enrolment_code()
    now = utcnow()

    def work(session: Session) -> None:
        session.add(EnrolmentCode(code_hash=code_hash(code), name=name, created_at=now, expires_at=now + ttl))

    db.write(work)
    return code


def enrol(db: Database, code: str, workstation_id: str, name: str) -> Enrolled:
    """Exchange a valid, unused, unexpired code for a new device credential; EnrolError says why not.

    The code is spent by one conditional UPDATE, so two workstations racing with the same code cannot both win."""
    device_id = str(uuid.uuid4())
    secret = new_secret()
    hashed = code_hash(code)

    def work(session: Session) -> EnrolFailure | None:
        now = utcnow()
        spent = session.execute(
            update(EnrolmentCode)
            .where(
                EnrolmentCode.code_hash == hashed,
                EnrolmentCode.used_at.is_(None),
                EnrolmentCode.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            return _why_refused(session, hashed)
        intended = session.execute(
            select(EnrolmentCode.name).where(EnrolmentCode.code_hash == hashed)
        ).scalar_one_or_none()
        session.add(
            Device(
                id=device_id,
                name=(intended or name or workstation_id)[:200],
                workstation_id=workstation_id,
                credential_hash=secret_hash(secret),
                enrolled_at=now,
            )
        )
        session.flush()  # the device row first: the head and used_by_device refer to it
        session.add(AuditHead(device_id=device_id, seq=0, hash=GENESIS_HASH, updated_at=now))
        session.execute(
            update(EnrolmentCode)
            .where(EnrolmentCode.code_hash == hashed)
            .values(used_by_device=device_id)
            .execution_options(synchronize_session=False)
        )
        return None

    failure = db.write(work)
    if failure is not None:
        raise EnrolError(failure)
    return Enrolled(device_id, f"{device_id}.{secret}")


def _why_refused(session: Session, hashed: str) -> EnrolFailure:
    row = session.get(EnrolmentCode, hashed)
    if row is None:
        return EnrolFailure.UNKNOWN
    if row.used_at is not None:
        return EnrolFailure.USED
    return EnrolFailure.EXPIRED


class AuthFailure(StrEnum):
    """Why a request was not authenticated: 401 for the first two, 403 for a revoked device."""

    MISSING = "missing_credential"
    INVALID = "invalid_credential"
    REVOKED = "device_revoked"


@dataclass(frozen=True)
class AuthenticatedDevice:
    """The device a request comes from."""

    id: str
    name: str
    workstation_id: str


class AuthError(Exception):
    """The request's credential is missing, wrong, or its device revoked."""

    def __init__(self, failure: AuthFailure, message: str) -> None:
        super().__init__(message)
        self.failure = failure


def authenticate(db: Database, credential: str | None) -> AuthenticatedDevice:
    """The device whose credential this is; AuthError when there is none, it is wrong, or the device is revoked.

    Revocation is only told to a caller who holds the right secret."""
    if not credential:
        raise AuthError(AuthFailure.MISSING, "No device credential: enrol this workstation first.")
    device_id, _, secret = credential.partition(".")
    invalid = AuthError(AuthFailure.INVALID, "The device credential is not valid: enrol this workstation again.")
    if not device_id or not secret or len(device_id) > 36:
        raise invalid
    with db.read() as session:
        device = session.get(Device, device_id)
    if device is None or not hmac.compare_digest(device.credential_hash, secret_hash(secret)):
        raise invalid
    if device.revoked_at is not None:
        raise AuthError(AuthFailure.REVOKED, "This device has been revoked: ask the server administrator.")
    return AuthenticatedDevice(device.id, device.name, device.workstation_id)


@dataclass(frozen=True)
class DeviceInfo:
    """A device as the administrator sees it."""

    id: str
    name: str
    workstation_id: str
    enrolled_at: datetime
    revoked_at: datetime | None
    records: int
    audit_head_seq: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "workstation_id": self.workstation_id,
            "enrolled_at": self.enrolled_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "records": self.records,
            "audit_head_seq": self.audit_head_seq,
        }


def list_devices(db: Database) -> list[DeviceInfo]:
    """Every device, oldest first, with how many record versions and audit entries it has sent."""
    with db.read() as session:
        counts = {
            device_id: count
            for device_id, count in session.execute(
                select(StoredRecord.device_id, func.count()).group_by(StoredRecord.device_id)
            ).tuples()
        }
        heads = {device_id: seq for device_id, seq in session.execute(select(AuditHead.device_id, AuditHead.seq))}
        devices = session.scalars(select(Device).order_by(Device.enrolled_at, Device.id)).all()
        return [
            DeviceInfo(
                d.id,
                d.name,
                d.workstation_id,
                d.enrolled_at,
                d.revoked_at,
                counts.get(d.id, 0),
                heads.get(d.id, 0),
            )
            for d in devices
        ]


class UnknownDevice(LookupError):
    """No device has this id."""


def revoke(db: Database, device_id: str) -> bool:
    """Revoke the device (its credential is refused from now on); False when it already was. UnknownDevice when
    there is no such device."""

    def work(session: Session) -> bool:
        device = session.get(Device, device_id)
        if device is None:
            raise UnknownDevice(device_id)
        if device.revoked_at is not None:
            return False
        device.revoked_at = utcnow()
        return True

    return db.write(work)


@dataclass(frozen=True)
class AlertInfo:
    """A detected audit-chain break."""

    device_id: str
    device_name: str
    at: datetime
    problem: str

    def to_json(self) -> dict[str, object]:
        return {
            "device_id": self.device_id,
            "device_name": self.device_name,
            "at": self.at.isoformat(),
            "problem": self.problem,
        }


def list_alerts(db: Database) -> list[AlertInfo]:
    """Every audit-chain break found, oldest first."""
    with db.read() as session:
        rows = session.execute(
            select(AuditAlert.device_id, Device.name, AuditAlert.at, AuditAlert.problem)
            .join(Device, Device.id == AuditAlert.device_id)
            .order_by(AuditAlert.at, AuditAlert.id)
        ).tuples()
        return [AlertInfo(*row) for row in rows]
