"""Devices: credentials, authentication, the administrator's list, revocation, audit alerts. Used by both the
HTTP API and the command line (enrolment is in enrolment.py).

A credential is "<device id>.<secret>" with a 32-byte random secret, stored only as SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central_server.database import Database
from central_server.models import AuditAlert, AuditHead, CustomerClaim, Device, Refusal, StoredRecord, utcnow

GENESIS_HASH = "0" * 64  # the prev_hash of a workstation's first audit entry


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """32 random bytes, URL-safe base64 without padding (43 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode("ascii")


def secret_hash(secret: str) -> str:
    """What the database keeps of a device secret (and of an enrolment code)."""
    return _sha256(secret)


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
    """A device as the administrator sees it: what it sent, the customers it holds and the items refused to it,
    in all and in the last hour (what the rate limits count)."""

    id: str
    name: str
    workstation_id: str
    enrolled_at: datetime
    revoked_at: datetime | None
    records: int
    audit_head_seq: int
    replaces: str | None = None
    claims: int = 0
    refusals: int = 0
    claims_last_hour: int = 0
    refusals_last_hour: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "workstation_id": self.workstation_id,
            "enrolled_at": self.enrolled_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "replaces": self.replaces,
            "records": self.records,
            "audit_head_seq": self.audit_head_seq,
            "claims": self.claims,
            "refusals": self.refusals,
            "claims_last_hour": self.claims_last_hour,
            "refusals_last_hour": self.refusals_last_hour,
        }


def _counts(
    session: Session, device_column: Any, at_column: Any | None = None, since: datetime | None = None
) -> dict[str, int]:
    statement = select(device_column, func.count()).group_by(device_column)
    if at_column is not None:
        statement = statement.where(at_column >= since)
    return {device_id: int(count) for device_id, count in session.execute(statement)}


def list_devices(db: Database) -> list[DeviceInfo]:
    """Every device, oldest first, with how many record versions, audit entries, customers and refusals it has."""
    hour_ago = utcnow() - timedelta(hours=1)
    with db.read() as session:
        records = _counts(session, StoredRecord.device_id)
        claims = _counts(session, CustomerClaim.device_id)
        refusals = _counts(session, Refusal.device_id)
        recent_claims = _counts(session, CustomerClaim.device_id, CustomerClaim.claimed_at, hour_ago)
        recent_refusals = _counts(session, Refusal.device_id, Refusal.at, hour_ago)
        heads = {device_id: seq for device_id, seq in session.execute(select(AuditHead.device_id, AuditHead.seq))}
        devices = session.scalars(select(Device).order_by(Device.enrolled_at, Device.id)).all()
        return [
            DeviceInfo(
                d.id,
                d.name,
                d.workstation_id,
                d.enrolled_at,
                d.revoked_at,
                records.get(d.id, 0),
                heads.get(d.id, 0),
                d.replaces_device_id,
                claims.get(d.id, 0),
                refusals.get(d.id, 0),
                recent_claims.get(d.id, 0),
                recent_refusals.get(d.id, 0),
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
        )
        return [AlertInfo(*row) for row in rows]
