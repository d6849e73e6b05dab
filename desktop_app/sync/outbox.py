"""The outbox: approved record versions queued for the central server, and the states the server's answers put
them in. Rows are written by the approval (services/records.py) and never deleted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from desktop_app.domain.sync_protocol import ItemResult, ItemStatus, Reason, UploadItem, payload_digest


class OutboxState(StrEnum):
    """The state of an outbox row, as the server's answer left it."""

    PENDING = "pending"  # waiting for an upload, or for its next attempt after a failure (next_attempt_at)
    ACKED = "acked"  # the server stored it (or had stored it before): done
    REFUSED = "refused"  # the server's rules refused it; reasons say why; kept until retried after a fix
    CONFLICT = "conflict"  # the central copy of the customer changed since this version's base: to resolve
    KEY_CONFLICT = "key_conflict"  # the server holds a different payload under this key: serious, kept, flagged


#: States a supervisor may send again (after fixing what the server objected to); an acked row is done.
RETRYABLE: frozenset[OutboxState] = frozenset(
    {OutboxState.PENDING, OutboxState.REFUSED, OutboxState.CONFLICT, OutboxState.KEY_CONFLICT}
)


#: The reasons of a version conflict with another branch's copy. The server does not name that copy (no `central`):
#: the central office, which sees it, resolves the conflict.
CUSTOMER_HELD_ELSEWHERE = "customer_held_elsewhere"
RECORD_HELD_ELSEWHERE = "record_held_elsewhere"


def utcnow() -> datetime:
    """Now as naive UTC, the way the store keeps times."""
    return datetime.now(UTC).replace(tzinfo=None)


def upload_item(idempotency_key: str, record_id: str, version: int, payload_json: str) -> UploadItem:
    """The protocol item for an outbox row: its key, its stored payload and the payload's digest."""
    payload = json.loads(payload_json)
    if not isinstance(payload, dict):
        raise ValueError("an outbox payload is a JSON object")
    return UploadItem(idempotency_key, record_id, version, payload, payload_digest(payload))


def scrub(text: str, values: Mapping[str, Any]) -> str:
    """`text` with every customer value in it replaced by "…".

    The server's reasons are the validator's messages, which quote the offending value ("Mobile '010…' is a
    landline"); the outbox is shown to admins, who see no customer data, and outlives retention, so values
    must not be kept there. The field and the code still say what is wrong."""
    for value in sorted({str(v) for v in values.values() if len(str(v)) >= 2}, key=len, reverse=True):
        text = text.replace(value, "…")
    return text


def reasons_json(result: ItemResult, values: Mapping[str, Any]) -> str:
    """The server's reasons as stored on the row, without customer values."""
    return json.dumps(
        [Reason(r.code, scrub(r.en, values), scrub(r.zh, values), r.field).to_json() for r in result.reasons],
        ensure_ascii=False,
    )


def load_reasons(text: str | None) -> tuple[Reason, ...]:
    """Stored reasons back as protocol values (empty when none)."""
    if not text:
        return ()
    return tuple(Reason.from_json(r) for r in json.loads(text))


def central_json(central: Mapping[str, Any] | None) -> str | None:
    """The central copy of a version conflict as stored on the row; None when the server named none (another
    branch's copy)."""
    return json.dumps(dict(central), ensure_ascii=False) if central else None


def load_central(text: str | None) -> Mapping[str, Any] | None:
    """The stored description of the central copy on a version conflict (None when the server named none)."""
    central = json.loads(text) if text else None
    return central if isinstance(central, Mapping) and central else None


def refusal_summary(result: ItemResult) -> str:
    """One line for last_error: what the server said about an item it did not acknowledge."""
    if result.status is ItemStatus.REFUSED:
        codes = ", ".join(r.code for r in result.reasons) or "no reason given"
        return f"refused by the central server: {codes}"
    if result.status is ItemStatus.VERSION_CONFLICT:
        conflict = {r.code for r in result.reasons}
        if CUSTOMER_HELD_ELSEWHERE in conflict:
            return (
                "version conflict: another branch holds this customer (ID type and number) centrally under another "
                "record; the central office resolves it"
            )
        if RECORD_HELD_ELSEWHERE in conflict:
            return "version conflict: another branch holds this record centrally; the central office resolves it"
        return "version conflict: the central copy of this customer changed since this version's base"
    if result.status is ItemStatus.KEY_CONFLICT:
        return (
            "key conflict: the central server holds a different payload for this record version; "
            "nothing was applied. Tell the central administrator."
        )
    return ""
