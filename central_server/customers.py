"""Customers held centrally: who a customer is (customer_key), the claims that tie a customer to the record that
holds it, and how an administrator releases a claim.

A customer is claimed by the first record stored for it (intake.py does that inside the batch's transaction); a
record from another workstation for the same customer is then a version conflict, until a central administrator
releases the claim (`desktop-app-server release-claim`). Released claims are kept in `claim_releases`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from central_server.database import Database
from central_server.models import ClaimRelease, CustomerClaim, Refusal, utcnow
from desktop_app.domain.form_schema import FormSchema
from desktop_app.domain.normaliser import normalise_value

log = logging.getLogger("central_server.customers")


def customer_key(values: Mapping[str, Any], form: FormSchema) -> str:
    """SHA-256 of "id_type:id_number", both in the form's canonical form (the workstation's one normaliser), so
    that "…x" and "…X", or a number with a stray space, are one customer; no ID number in the index.

    (ID numbers have little entropy, so this hides them from a casual reader of the index, not from a determined
    one; the payload column holds them anyway.)"""
    id_type = normalise_value(form.field("id_type"), str(values.get("id_type", "")))
    id_number = normalise_value(form.field("id_number"), str(values.get("id_number", "")))
    return hashlib.sha256(f"{id_type}:{id_number}".encode()).hexdigest()


class UnknownClaim(LookupError):
    """Nothing to release: no claim matches."""


@dataclass(frozen=True)
class Released:
    """One claim an administrator ended: the record that held the customer, from which workstation."""

    record_id: str
    workstation_id: str
    device_id: str
    claimed_at: datetime


def _release(session: Session, claims: list[CustomerClaim], reason: str) -> list[Released]:
    now = utcnow()
    for claim in claims:
        session.add(
            ClaimRelease(
                customer_key=claim.customer_key,
                record_id=claim.record_id,
                workstation_id=claim.workstation_id,
                device_id=claim.device_id,
                claimed_at=claim.claimed_at,
                released_at=now,
                reason=reason[:200],
            )
        )
    keys = [c.customer_key for c in claims]
    for start in range(0, len(keys), 500):
        session.execute(delete(CustomerClaim).where(CustomerClaim.customer_key.in_(keys[start : start + 500])))
    return [Released(c.record_id, c.workstation_id, c.device_id, c.claimed_at) for c in claims]


def release_claims_of_record(db: Database, record_id: str) -> list[Released]:
    """Release the customers the record `record_id` holds; UnknownClaim when it holds none."""

    def work(session: Session) -> list[Released]:
        claims = list(session.scalars(select(CustomerClaim).where(CustomerClaim.record_id == record_id)))
        if not claims:
            raise UnknownClaim(record_id)
        return _release(session, claims, f"released by an administrator (record {record_id})")

    released = db.write(work)
    log.warning("claims of record %s released by an administrator: %d", record_id, len(released))
    return released


def release_claim_blocking(db: Database, record_id: str) -> list[Released]:
    """Release the claim that made the last upload of record `record_id` a version conflict (the server kept the
    record holding the customer with the refusal, though the answer did not name it); UnknownClaim when there is
    no such refusal or that claim was released already."""

    def work(session: Session) -> list[Released]:
        central = session.execute(
            select(Refusal.central)
            .where(Refusal.record_id == record_id, Refusal.central.is_not(None))
            .order_by(Refusal.at.desc(), Refusal.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        holder = json.loads(central).get("record_id") if central else None
        if not holder or holder == record_id:
            raise UnknownClaim(record_id)
        claims = list(session.scalars(select(CustomerClaim).where(CustomerClaim.record_id == holder)))
        if not claims:
            raise UnknownClaim(record_id)
        return _release(session, claims, f"released by an administrator (blocked record {record_id})")

    released = db.write(work)
    log.warning("claim blocking record %s released by an administrator", record_id)
    return released


def release_claims_of_device(db: Database, device_id: str) -> list[Released]:
    """Release every customer claimed through device `device_id` (after revoking a device that claimed customers
    it should not have); UnknownClaim when it holds none."""

    def work(session: Session) -> list[Released]:
        claims = list(session.scalars(select(CustomerClaim).where(CustomerClaim.device_id == device_id)))
        if not claims:
            raise UnknownClaim(device_id)
        return _release(session, claims, f"released by an administrator (device {device_id})")

    released = db.write(work)
    log.warning("claims of device %s released by an administrator: %d", device_id, len(released))
    return released
