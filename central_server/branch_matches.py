"""The cross-branch duplicate query: the keys of approved records (kept at intake) and the answer to a device's
question "is this person likely a customer of another branch?". What is sent and why: see
desktop_app.domain.branch_match.

Every query is recorded (match_queries: device, time, number of keys, the branches told, never the keys), and a
device may ask at most Limits.match_queries_per_hour times an hour: the keys are guessable hashes, so a device
probing for a person is both slowed down and seen.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, column, delete, func, insert, select, table
from sqlalchemy.orm import Session

from central_server.database import Database
from central_server.devices import AuthenticatedDevice
from central_server.limits import DEVICE_WINDOW, Limits
from central_server.models import Device, MatchKey, MatchQuery, Workstation, utcnow
from desktop_app.domain.branch_match import ALONE_NO_MATCH, BranchMatch, MatchKind, match_keys
from desktop_app.domain.form_schema import FormSchema, load_default_form

log = logging.getLogger("central_server.branch_matches")


@cache
def _forms() -> dict[str, FormSchema]:
    form = load_default_form()
    return {form.key: form}


def _key_rows(record_id: str, version: int, payload: Mapping[str, Any], workstation_id: str) -> list[dict[str, Any]]:
    """The match_keys rows of one stored record version (none for a form or values this server cannot read)."""
    form = _forms().get(str(payload.get("form") or ""))
    values = payload.get("values")
    if form is None or not isinstance(values, Mapping):
        return []
    return [
        {
            "digest": key.digest,
            "kind": key.kind.value,
            "record_id": record_id,
            "version": version,
            "workstation_id": workstation_id,
        }
        for key in match_keys(values, form)
    ]


def index_stored(
    session: Session, device: AuthenticatedDevice, stored: Sequence[tuple[str, int, Mapping[str, Any]]]
) -> None:
    """Keep the match keys of these just-stored record versions (record id, version, payload), replacing those of
    an older version of the same record; a version older than the one indexed changes nothing. A few statements
    per batch, not per record: this runs inside the batch's transaction."""
    newest: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for record_id, version, payload in stored:
        if record_id not in newest or newest[record_id][0] < version:
            newest[record_id] = (version, payload)
    ids = sorted(newest)
    indexed: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        indexed.update(
            session.execute(
                select(MatchKey.record_id, func.max(MatchKey.version))
                .where(MatchKey.record_id.in_(chunk))
                .group_by(MatchKey.record_id)
            ).all()
        )
    replace = [rid for rid in ids if indexed.get(rid, 0) <= newest[rid][0]]
    rows: list[dict[str, Any]] = []
    for record_id in replace:
        version, payload = newest[record_id]
        rows.extend(_key_rows(record_id, version, payload, device.workstation_id))
    for start in range(0, len(replace), 500):
        session.execute(delete(MatchKey).where(MatchKey.record_id.in_(replace[start : start + 500])))
    if rows:
        session.execute(insert(MatchKey), rows)


def reindex_all(connection: Connection, batch: int = 1000) -> int:
    """Make the match keys of the newest stored version of every record again, with the keys' definition of this
    release (a record stored before the index existed, or a kind of key added since: the paper form number). In
    batches of records, in the caller's transaction; Core tables, so that a migration can run it on any revision
    that has these columns. Returns the number of records indexed."""
    records = table("records", column("record_id"), column("version"), column("payload"), column("workstation_id"))
    keys = table(
        "match_keys", column("digest"), column("kind"), column("record_id"), column("version"), column("workstation_id")
    )
    done, after = 0, ""
    while True:
        newest = dict(
            connection.execute(
                select(records.c.record_id, func.max(records.c.version))
                .where(records.c.record_id > after)
                .group_by(records.c.record_id)
                .order_by(records.c.record_id)
                .limit(batch)
            ).all()
        )
        if not newest:
            return done
        ids = sorted(newest)
        rows: list[dict[str, Any]] = []
        stored = connection.execute(
            select(records.c.record_id, records.c.version, records.c.payload, records.c.workstation_id).where(
                records.c.record_id.in_(ids)
            )
        )
        for record_id, version, payload_json, workstation_id in stored:
            if version == newest[record_id]:
                rows.extend(_key_rows(record_id, version, json.loads(payload_json), workstation_id))
        connection.execute(delete(keys).where(keys.c.record_id.in_(ids)))
        if rows:
            connection.execute(insert(keys), rows)
        done += len(ids)
        after = ids[-1]
        log.info("match keys made again for %d records", done)


class QueryLimited(Exception):
    """The device asked too often in the last hour; `retry_after` seconds until it may again."""

    def __init__(self, count: int, retry_after: int) -> None:
        super().__init__(f"{count} queries in the last hour")
        self.count = count
        self.retry_after = retry_after


def _retry_after(session: Session, device_id: str, limits: Limits, now: datetime) -> tuple[int, int | None]:
    since = now - DEVICE_WINDOW
    count, oldest = session.execute(
        select(func.count(), func.min(MatchQuery.at)).where(MatchQuery.device_id == device_id, MatchQuery.at >= since)
    ).one()
    limit = limits.match_queries_per_hour
    if not limit or count < limit or oldest is None:
        return int(count), None
    return int(count), max(1, math.ceil((oldest + DEVICE_WINDOW - now).total_seconds()))


def find_matches(
    db: Database,
    device: AuthenticatedDevice,
    keys: Sequence[tuple[MatchKind, str]],
    record_id: str | None,
    limits: Limits,
) -> list[BranchMatch]:
    """The other branches holding a record that shares one of these keys (kind, digest), with the kinds that
    matched; the query recorded against the device. QueryLimited when it is over its hourly budget."""

    def work(session: Session) -> list[BranchMatch]:
        now = utcnow()
        count, wait = _retry_after(session, device.id, limits, now)
        if wait is not None:
            raise QueryLimited(count, wait)
        kinds_of = {digest: kind for kind, digest in keys}
        found: dict[str, set[MatchKind]] = {}
        if kinds_of:
            rows = session.execute(
                select(MatchKey.digest, MatchKey.kind, MatchKey.workstation_id).where(
                    MatchKey.digest.in_(sorted(kinds_of)), MatchKey.workstation_id != device.workstation_id
                )
            )
            for digest, kind, workstation_id in rows:
                # A digest counts for the kind the stored key was made as (the asker names kinds, and may err).
                if kinds_of[digest].value == kind:
                    found.setdefault(workstation_id, set()).add(MatchKind(kind))
        found = {ws: kinds for ws, kinds in found.items() if kinds != ALONE_NO_MATCH}
        names = dict(
            session.execute(
                select(Workstation.workstation_id, Device.name)
                .join(Device, Device.id == Workstation.device_id)
                .where(Workstation.workstation_id.in_(sorted(found)))
            ).all()
        )
        matches = [
            BranchMatch(ws, str(names.get(ws, ws)), tuple(k for k in MatchKind if k in found[ws]))
            for ws in sorted(found)
        ]
        answered = [{"workstation_id": m.workstation_id, "kinds": [k.value for k in m.kinds]} for m in matches]
        session.add(
            MatchQuery(device_id=device.id, record_id=record_id, keys=len(keys), answered=json.dumps(answered), at=now)
        )
        return matches

    matches = db.write(work)
    log.info(
        "device %s: branch match query for record %s: %d keys, matches in %s",
        device.id,
        record_id or "-",
        len(keys),
        ", ".join(m.workstation_id for m in matches) or "no branch",
    )
    return matches
