"""Record intake: what the server does with a batch of uploaded record versions, item by item.

For each item, in this order:

1. The item must be well formed: an upload item (read_item: the fields, their types and bounds, texts of Unicode
   scalar values without NUL, a payload nested no deeper than json_text.MAX_DEPTH), a UUID record id, the
   idempotency key of (record_id, version), a payload with the same record id and version, the digest the server
   computes itself (payload_digest; the client's is never trusted), and the workstation the device was enrolled
   for. Otherwise REFUSED: one bad item is that item's refusal, never its batch's failure.
2. A key the server already holds: the same digest is a harmless resend (DUPLICATE, acknowledged again); another
   digest is KEY_CONFLICT, never applied. This comes before the rules, so a resend stays a resend even when a rule
   would now judge the record differently. A key repeated within one batch is judged against its first
   occurrence: a resend (or key conflict) when that was stored, REFUSED ("send it once") when it was not.
3. The rules, as on the workstation: approved, by someone other than the maker (sync_protocol.approval_problems),
   and the values valid for the form (form_schema + validation with the shipped form). Otherwise REFUSED with
   the reasons (field, code, English, Chinese). Values are judged as of the day of approval (approved_at), not
   of arrival: a workstation offline for a week must not see its records refused because an ID card expired
   in the meantime.
4. The version rule (VERSION_CONFLICT):
   a. the record id is held centrally with a version this item was not built on: one newer than its
      base_version and older than itself (a sibling approved from the same base), or any version sent by
      another workstation. Later versions of the same line are fine: batches may arrive out of order.
   b. the customer (id type + number, normalised by the form: customers.customer_key) is claimed centrally by
      another record id sent by another workstation. (Two records for one customer on the same workstation are
      the workstation's business: it refuses them at approval.) A claim lasts until an administrator releases
      it.
   `central` names the latest central version in the way when it is this workstation's own; another
   workstation's record is not named (reason record_held_elsewhere or customer_held_elsewhere): its ids stay
   with the server, in the refusal it keeps, for the central administrators.
5. Stored, exactly once: INSERT ... ON CONFLICT DO NOTHING against UNIQUE(record_id, version) and
   UNIQUE(idempotency_key). A concurrent upload of the same key that committed first turns this one into
   DUPLICATE (or KEY_CONFLICT) by comparing digests after the insert did nothing; rule 4b is settled the same
   way, by the primary key of the `customers` table.

The whole batch is one transaction; the answer is sent only after it commits.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from central_server.api_models import UNSTORABLE_TEXT, UploadItemBody
from central_server.branch_matches import index_stored
from central_server.customers import customer_key
from central_server.database import Database, insert_new
from central_server.devices import AuthenticatedDevice
from central_server.json_text import MAX_DEPTH, is_storable_text, json_problem
from central_server.models import CustomerClaim, Refusal, StoredRecord, utcnow
from desktop_app.domain.form_schema import FormSchema, load_default_form
from desktop_app.domain.sync_protocol import (
    MAX_SEQUENCE,
    ItemResult,
    ItemStatus,
    Reason,
    UploadItem,
    approval_problems,
    canonical_json,
    idempotency_key,
    payload_digest,
)
from desktop_app.domain.validation import Problem, Severity, validate_record

log = logging.getLogger("central_server.intake")


def known_forms() -> dict[str, FormSchema]:
    """The forms the server validates against, by key: the one the workstation ships with."""
    form = load_default_form()
    return {form.key: form}


# --- reasons -------------------------------------------------------------------------------------------------


def _reason(code: str, en: str, zh: str, field_key: str | None = None) -> Reason:
    return Reason(code, en, zh, field_key)


def _from_problem(problem: Problem) -> Reason:
    return Reason(problem.code, problem.message_text.en, problem.message_text.zh, problem.field)


@dataclass(frozen=True)
class Malformed:
    """A batch element that is not an upload item, and why: refused without looking further. Its key, record id
    and version are what could be read of them (storable texts, a version in range), else "" and 0."""

    idempotency_key: str
    record_id: str
    version: int
    reasons: tuple[Reason, ...]


_BAD_TEXT = _reason(
    "bad_text",
    "A text in the item holds a lone surrogate (not a Unicode character) or a NUL character: it cannot be stored.",
    "上传项中的文本含有孤立代理码位（不是有效的 Unicode 字符）或 NUL 字符，无法保存。",
)


def read_item(raw: object) -> UploadItem | Malformed:
    """The upload item that `raw`, one element of a batch's items, spells (UploadItemBody: strict types, bounded
    numbers, storable texts, a payload nested no deeper than MAX_DEPTH), or why it is not one."""
    fields = raw if isinstance(raw, Mapping) else {}

    def readable(name: str) -> str:
        value = fields.get(name)
        return value if isinstance(value, str) and len(value) <= 200 and is_storable_text(value) else ""

    version = fields.get("version")
    malformed = (readable("idempotency_key"), readable("record_id"))
    number = version if type(version) is int and 0 <= version <= MAX_SEQUENCE else 0
    try:
        body = UploadItemBody.model_validate(raw)
    except ValidationError as error:
        # Where and what, never the input: it may hold personal data.
        problems = error.errors(include_input=False, include_url=False, include_context=False)
        if any(p["type"] == "string_unicode" or UNSTORABLE_TEXT in p["msg"] for p in problems):
            return Malformed(*malformed, number, (_BAD_TEXT,))
        where = ".".join(str(part) for part in problems[0]["loc"]) or None
        if where == "version":
            reason = _reason(
                "bad_version",
                f"The version must be a whole number from 1 to {MAX_SEQUENCE}.",
                f"版本号须为 1 至 {MAX_SEQUENCE} 之间的整数。",
                "version",
            )
        else:
            reason = _reason(
                "malformed_item",
                f"This is not an upload item ({where or 'the item'}: {problems[0]['msg']}).",
                f"这不是有效的上传项（{where or '上传项'}）。",
                where,
            )
        return Malformed(*malformed, number, (reason,))
    problem = json_problem(body.payload, "payload")
    if problem is not None:
        where, kind = problem
        if kind == "unstorable_text":
            return Malformed(*malformed, number, (_reason(_BAD_TEXT.code, _BAD_TEXT.en, _BAD_TEXT.zh, where[:200]),))
        return Malformed(
            *malformed,
            number,
            (
                _reason(
                    "bad_payload",
                    f"The payload is nested more than {MAX_DEPTH} levels deep: it is not a record.",
                    f"内容嵌套超过 {MAX_DEPTH} 层，不是有效的记录。",
                    "payload",
                ),
            ),
        )
    return UploadItem(body.idempotency_key, body.record_id, body.version, body.payload, body.digest)


def _structure_reasons(item: UploadItem, device: AuthenticatedDevice, digest: str) -> list[Reason]:
    """Why the item is not a well-formed upload from this device (empty when it is); `digest` is the server's
    own payload_digest of the payload."""
    try:
        record_uuid = uuid.UUID(item.record_id)
    except ValueError:
        record_uuid = None
    if record_uuid is None or str(record_uuid) != item.record_id:
        return [_reason("bad_record_id", "The record id is not a UUID.", "记录编号不是 UUID。", "record_id")]
    payload = item.payload
    if (
        item.idempotency_key != idempotency_key(item.record_id, item.version)
        or payload.get("record_id") != item.record_id
        or type(payload.get("version")) is not int  # not `true` for 1, nor 1.0
        or payload.get("version") != item.version
    ):
        return [
            _reason(
                "key_mismatch",
                "The idempotency key, record id and version of the item and its payload do not agree.",
                "上传项与其内容的幂等键、记录编号或版本不一致。",
            )
        ]
    base = payload.get("base_version")
    if item.version < 1 or not (base is None or (type(base) is int and 1 <= base < item.version)):
        return [
            _reason(
                "bad_version",
                "The version must be at least 1, and the base version (if any) older than it.",
                "版本号须不小于 1，基础版本（如有）须早于该版本。",
                "version",
            )
        ]
    if item.digest != digest:
        return [
            _reason(
                "digest_mismatch",
                "The digest is not the SHA-256 of the payload's canonical JSON.",
                "摘要与内容的规范 JSON 的 SHA-256 不符。",
            )
        ]
    if payload.get("workstation_id") != device.workstation_id:
        return [
            _reason(
                "wrong_workstation",
                "The record names another workstation than the one this device was enrolled for.",
                "记录所属的工作站与本设备登记的工作站不同。",
                "workstation_id",
            )
        ]
    return []


def _approval_day(payload: Mapping[str, Any], today: date) -> date | Reason:
    """The UTC day the record was approved on, or why it cannot be used."""
    raw = payload.get("approved_at")
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        return _reason(
            "bad_approved_at",
            "The approval time is missing or not a date and time.",
            "审批时间缺失或格式错误。",
            "approved_at",
        )
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if moment.date() > today + timedelta(days=1):
        return _reason(
            "approved_in_future", "The approval time is in the future.", "审批时间晚于当前时间。", "approved_at"
        )
    return moment.date()


def _value_problems(schema: FormSchema, values: Mapping[str, str], approved_on: date) -> list[Problem]:
    """The errors the workstation's validation finds in `values`, judged as of the day they were approved.

    The workstation judged on its own local date, which is the UTC approval day or the day before or after it:
    a problem that goes away on one of those days comes from the time zone, not from the record."""
    errors = [p for p in validate_record(schema, values, approved_on) if p.severity == Severity.ERROR]
    for day in (approved_on - timedelta(days=1), approved_on + timedelta(days=1)):
        if not errors:
            break
        there = {(p.field, p.code) for p in validate_record(schema, values, day) if p.severity == Severity.ERROR}
        errors = [p for p in errors if (p.field, p.code) in there]
    return errors


def rule_reasons(payload: Mapping[str, Any], forms: Mapping[str, FormSchema], today: date) -> list[Reason]:
    """Why the workstation should not have let this record leave the branch: maker-checker and the form's rules."""
    reasons = list(approval_problems(payload))
    schema = forms.get(str(payload.get("form") or ""))
    if schema is None:
        reasons.append(_reason("unknown_form", "The server does not know this form.", "服务器不认识此表单。", "form"))
        return reasons
    values = payload.get("values")
    if not isinstance(values, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
        reasons.append(_reason("bad_values", "The values are not a map of texts.", "字段值格式错误。", "values"))
        return reasons
    day = _approval_day(payload, today)
    if isinstance(day, Reason):
        reasons.append(day)
        return reasons
    reasons += [_from_problem(p) for p in _value_problems(schema, values, day)]
    return reasons


# --- the batch ---------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    """An item that passed the checks that need no other rows, on its way to being stored."""

    index: int
    item: UploadItem
    digest: str
    customer_key: str
    base_version: int | None


@dataclass(frozen=True)
class _Line:
    """A version of a record the server holds."""

    version: int
    base_version: int | None
    workstation_id: str


@dataclass
class _Batch:
    """Results by item position, filled in as the items are decided."""

    device: AuthenticatedDevice
    results: list[ItemResult | None]
    refusals: list[dict[str, Any]] = field(default_factory=list)
    repeats: list[tuple[_Candidate, _Candidate]] = field(default_factory=list)  # (repeat, first occurrence)

    def decide(
        self, index: int, item: UploadItem | Malformed, result: ItemResult, kept: Mapping[str, Any] | None = None
    ) -> None:
        """Settle item `index`; `kept`: the central copy in the way, kept with the refusal when the answer does
        not name it (another workstation's)."""
        self.results[index] = result
        if result.acknowledged:
            return
        central = result.central if result.central is not None else kept
        self.refusals.append(
            {
                "device_id": self.device.id,
                "idempotency_key": item.idempotency_key[:200],
                "record_id": item.record_id[:200],
                "version": item.version,
                "status": result.status.value,
                # Codes and fields only: the messages quote the values, which stay out of this table.
                "reasons": json.dumps([{"field": r.field, "code": r.code} for r in result.reasons]),
                "central": canonical_json(dict(central)) if central is not None else None,
                "at": utcnow(),
            }
        )
        log.info(
            "device %s: record %s version %d %s (%s)",
            self.device.id,
            item.record_id,
            item.version,
            result.status.value,
            ",".join(r.code for r in result.reasons) or "-",
        )


def _key_result(item: UploadItem, stored_digest: str, digest: str) -> ItemResult:
    if stored_digest == digest:
        return ItemResult(item.idempotency_key, ItemStatus.DUPLICATE)
    return ItemResult(
        item.idempotency_key,
        ItemStatus.KEY_CONFLICT,
        (
            _reason(
                "key_conflict",
                "The server already holds this record version with different content; this upload was not applied.",
                "服务器已存有此记录版本且内容不同，本次上传未被采用。",
            ),
        ),
    )


def _latest(session: Session, record_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The latest central version of each record: {"record_id", "version", "workstation_id"}."""
    latest: dict[str, dict[str, Any]] = {}
    rows = session.execute(
        select(StoredRecord.record_id, StoredRecord.version, StoredRecord.workstation_id)
        .where(StoredRecord.record_id.in_(sorted(set(record_ids))))
        .order_by(StoredRecord.record_id, StoredRecord.version)
    )
    for record_id, version, workstation_id in rows:
        latest[record_id] = {"record_id": record_id, "version": version, "workstation_id": workstation_id}
    return latest


_VERSION_CONFLICT_REASON = _reason(
    "version_conflict",
    "The central copy of this customer changed since this version's base: resolve it before sending again.",
    "此客户的中央副本在本版本的基础版本之后已有变更，请处理冲突后再上传。",
)
_RECORD_ELSEWHERE_REASON = _reason(
    "record_held_elsewhere",
    "Another branch's workstation holds versions of this record centrally: the central office resolves it.",
    "其他网点的工作站已在中央存有此记录的版本，请由总部处理。",
)
_CUSTOMER_ELSEWHERE_REASON = _reason(
    "customer_held_elsewhere",
    "This customer is held centrally under a record from another branch's workstation: the central office resolves it.",
    "此客户已由其他网点工作站的记录在中央登记，请由总部处理。",
)


def _version_conflict(
    batch: _Batch, c: _Candidate, central: Mapping[str, Any], elsewhere: Reason = _RECORD_ELSEWHERE_REASON
) -> None:
    """Decide a version conflict with `central` in the way: named in the answer when it is this workstation's own
    copy; another workstation's is kept with the refusal only, for the central administrators."""
    key = c.item.idempotency_key
    if central["workstation_id"] == batch.device.workstation_id:
        result = ItemResult(key, ItemStatus.VERSION_CONFLICT, (_VERSION_CONFLICT_REASON,), dict(central))
        batch.decide(c.index, c.item, result)
    else:
        batch.decide(c.index, c.item, ItemResult(key, ItemStatus.VERSION_CONFLICT, (elsewhere,)), central)


def _line_conflict(line: Sequence[_Line], version: int, base: int | None, workstation_id: str) -> bool:
    """Rule 4a: does the central line of this record hold a version the item was not built on?"""
    floor = base or 0
    return any(
        other.version != version and (other.workstation_id != workstation_id or floor < other.version < version)
        for other in line
    )


def store_batch(
    db: Database,
    device: AuthenticatedDevice,
    items: Sequence[UploadItem | Malformed],
    forms: Mapping[str, FormSchema],
) -> list[ItemResult]:
    """Decide and store a batch (see the module docstring); one result per item, in the items' order."""
    today = datetime.now(UTC).date()
    # The checks that need no database run once, outside the transaction (which may be retried).
    early: dict[int, ItemResult] = {}
    candidates: list[_Candidate] = []
    for index, item in enumerate(items):
        if isinstance(item, Malformed):
            early[index] = ItemResult(item.idempotency_key, ItemStatus.REFUSED, item.reasons)
            continue
        digest = payload_digest(item.payload)  # once per item: it is the costliest of these checks
        problems = _structure_reasons(item, device, digest)
        if problems:
            early[index] = ItemResult(item.idempotency_key, ItemStatus.REFUSED, tuple(problems))
            continue
        values = item.payload.get("values")
        form = forms.get(str(item.payload.get("form") or ""))
        # Without a known form the item is refused by the rules (unknown_form) and claims nobody.
        key = customer_key(values if isinstance(values, Mapping) else {}, form) if form is not None else ""
        candidates.append(_Candidate(index, item, digest, key, item.payload.get("base_version")))
    # Rows are touched in one order by every transaction (record id, then version), so two processes storing
    # overlapping batches wait for each other instead of deadlocking.
    candidates.sort(key=lambda c: (c.item.record_id, c.item.version))
    # The form's rules cost a fraction of a millisecond per record: judge them before the transaction, so that
    # SQLite's write lock is not held meanwhile, and not for keys already held (resends are decided by digest).
    with db.read() as session:
        held = _held_digests(session, [c.item.idempotency_key for c in candidates])
    rule_cache = {
        c.index: rule_reasons(c.item.payload, forms, today) for c in candidates if c.item.idempotency_key not in held
    }

    def work(session: Session) -> list[ItemResult]:
        batch = _Batch(device, [None] * len(items))
        for index, result in early.items():
            batch.decide(index, items[index], result)
        pending = _decide_known_keys(session, batch, candidates)
        pending = _decide_rules(batch, pending, forms, today, rule_cache)
        pending = _decide_record_lines(session, batch, pending)
        _store(session, batch, pending)
        _decide_repeats(batch)
        if batch.refusals:
            session.execute(insert(Refusal), batch.refusals)
        results = [r for r in batch.results if r is not None]
        assert len(results) == len(items), "every item is decided"
        return results

    results = db.write(work)
    stored = sum(1 for r in results if r.status == ItemStatus.STORED)
    duplicates = sum(1 for r in results if r.status == ItemStatus.DUPLICATE)
    log.info(
        "device %s: batch of %d: %d stored, %d duplicate, %d not acknowledged",
        device.id,
        len(items),
        stored,
        duplicates,
        len(items) - stored - duplicates,
    )
    return results


def _held_digests(session: Session, keys: Sequence[str]) -> dict[str, str]:
    """The digest the server holds for each of these idempotency keys that it holds."""
    ordered = sorted(set(keys))
    held: dict[str, str] = {}
    for start in range(0, len(ordered), 500):
        rows = session.execute(
            select(StoredRecord.idempotency_key, StoredRecord.digest).where(
                StoredRecord.idempotency_key.in_(ordered[start : start + 500])
            )
        )
        held.update({key: digest for key, digest in rows})
    return held


def _decide_known_keys(session: Session, batch: _Batch, candidates: list[_Candidate]) -> list[_Candidate]:
    """Step 2: resends and key conflicts against what the server already holds (or earlier in this batch)."""
    held = _held_digests(session, [c.item.idempotency_key for c in candidates])
    pending: list[_Candidate] = []
    first: dict[str, _Candidate] = {}
    for c in candidates:
        key = c.item.idempotency_key
        if key in held:
            batch.decide(c.index, c.item, _key_result(c.item, held[key], c.digest))
        elif key in first:
            batch.repeats.append((c, first[key]))
        else:
            first[key] = c
            pending.append(c)
    return pending


def _decide_repeats(batch: _Batch) -> None:
    """A key sent twice in one batch is judged against the first occurrence once that is decided: a resend or
    a key conflict when it was stored, refused (send it once) when it was not."""
    for repeat, first in batch.repeats:
        outcome = batch.results[first.index]
        if outcome is not None and outcome.status == ItemStatus.STORED:
            batch.decide(repeat.index, repeat.item, _key_result(repeat.item, first.digest, repeat.digest))
            continue
        reason = _reason(
            "repeated_in_batch",
            "This record version appears more than once in the batch and was not stored: send it once.",
            "此记录版本在同一批次中出现多次且未被保存，请只上传一次。",
        )
        batch.decide(repeat.index, repeat.item, ItemResult(repeat.item.idempotency_key, ItemStatus.REFUSED, (reason,)))


def _decide_rules(
    batch: _Batch,
    pending: list[_Candidate],
    forms: Mapping[str, FormSchema],
    today: date,
    cache: dict[int, list[Reason]],
) -> list[_Candidate]:
    """Step 3: maker-checker and the form's rules (computed once per item, even if the transaction is retried)."""
    passed: list[_Candidate] = []
    for c in pending:
        if c.index not in cache:
            cache[c.index] = rule_reasons(c.item.payload, forms, today)
        reasons = cache[c.index]
        if reasons:
            batch.decide(c.index, c.item, ItemResult(c.item.idempotency_key, ItemStatus.REFUSED, tuple(reasons)))
        else:
            passed.append(c)
    return passed


def _decide_record_lines(session: Session, batch: _Batch, pending: list[_Candidate]) -> list[_Candidate]:
    """Step 4a: versions of the same record the item was not built on (held centrally or earlier in this batch)."""
    record_ids = sorted({c.item.record_id for c in pending})
    lines: dict[str, list[_Line]] = {}
    for start in range(0, len(record_ids), 500):
        rows = session.execute(
            select(
                StoredRecord.record_id, StoredRecord.version, StoredRecord.base_version, StoredRecord.workstation_id
            ).where(StoredRecord.record_id.in_(record_ids[start : start + 500]))
        )
        for record_id, version, base, workstation_id in rows:
            lines.setdefault(record_id, []).append(_Line(version, base, workstation_id))
    latest = {record_id: max(line, key=lambda v: v.version) for record_id, line in lines.items()}
    passed: list[_Candidate] = []
    for c in pending:
        line = lines.get(c.item.record_id, [])
        if _line_conflict(line, c.item.version, c.base_version, batch.device.workstation_id):
            top = latest[c.item.record_id]
            central = {"record_id": c.item.record_id, "version": top.version, "workstation_id": top.workstation_id}
            _version_conflict(batch, c, central)
            continue
        passed.append(c)
        mine = _Line(c.item.version, c.base_version, batch.device.workstation_id)
        lines.setdefault(c.item.record_id, []).append(mine)
        if c.item.record_id not in latest or latest[c.item.record_id].version < mine.version:
            latest[c.item.record_id] = mine
    return passed


def _store(session: Session, batch: _Batch, pending: list[_Candidate]) -> None:
    """Step 5 (and 4b): insert what is new, settle what a concurrent upload stored first, claim customers."""
    if not pending:
        return
    device = batch.device
    now = utcnow()
    rows = [
        {
            "record_id": c.item.record_id,
            "version": c.item.version,
            "idempotency_key": c.item.idempotency_key,
            "digest": c.digest,
            "payload": canonical_json(dict(c.item.payload)),
            "device_id": device.id,
            "workstation_id": device.workstation_id,
            "customer_key": c.customer_key,
            "base_version": c.base_version,
            "received_at": now,
        }
        for c in pending
    ]
    records = StoredRecord.__table__
    inserted = set(insert_new(session, records, rows, returning=records.c.idempotency_key))
    lost = [c for c in pending if c.item.idempotency_key not in inserted]
    if lost:  # another process stored these keys between our look and our insert
        log.info("device %s: %d items were stored meanwhile by a concurrent upload", device.id, len(lost))
        held = _held_digests(session, [c.item.idempotency_key for c in lost])
        for c in lost:
            batch.decide(c.index, c.item, _key_result(c.item, held[c.item.idempotency_key], c.digest))
    fresh = [c for c in pending if c.item.idempotency_key in inserted]
    owners = _claim_customers(session, device, fresh, now)
    taken: list[_Candidate] = []
    for c in fresh:
        owner_record, owner_workstation = owners[c.customer_key]
        if owner_record != c.item.record_id and owner_workstation != device.workstation_id:
            taken.append(c)
        else:
            batch.decide(c.index, c.item, ItemResult(c.item.idempotency_key, ItemStatus.STORED))
    index_stored(session, device, [(c.item.record_id, c.item.version, c.item.payload) for c in fresh if c not in taken])
    if taken:
        # Never seen by anyone else: the rows go before the transaction commits.
        session.execute(
            delete(StoredRecord).where(StoredRecord.idempotency_key.in_([c.item.idempotency_key for c in taken]))
        )
        latest = _latest(session, [owners[c.customer_key][0] for c in taken])
        for c in taken:
            owner_record, owner_workstation = owners[c.customer_key]
            central = latest.get(owner_record) or {"record_id": owner_record, "workstation_id": owner_workstation}
            _version_conflict(batch, c, central, _CUSTOMER_ELSEWHERE_REASON)


def _claim_customers(
    session: Session, device: AuthenticatedDevice, fresh: list[_Candidate], now: datetime
) -> dict[str, tuple[str, str]]:
    """Claim each new record's customer for it where nobody holds it yet; who holds each customer now."""
    first: dict[str, _Candidate] = {}
    for c in sorted(fresh, key=lambda c: c.customer_key):
        first.setdefault(c.customer_key, c)
    keys = list(first)
    claims = [
        {
            "customer_key": key,
            "record_id": c.item.record_id,
            "workstation_id": device.workstation_id,
            "device_id": device.id,
            "claimed_at": now,
        }
        for key, c in first.items()
    ]
    table = CustomerClaim.__table__
    claimed = set(insert_new(session, table, claims, returning=table.c.customer_key))
    # A claim made here belongs to its record; only the customers held before need looking up.
    owners = {key: (first[key].item.record_id, device.workstation_id) for key in claimed}
    held = [key for key in keys if key not in claimed]
    for start in range(0, len(held), 500):
        rows = session.execute(
            select(CustomerClaim.customer_key, CustomerClaim.record_id, CustomerClaim.workstation_id).where(
                CustomerClaim.customer_key.in_(held[start : start + 500])
            )
        )
        owners.update({key: (record_id, workstation_id) for key, record_id, workstation_id in rows})
    return owners


def count_for_device(db: Database, device_id: str) -> int:
    """How many record versions this device has had stored."""
    with db.read() as session:
        return int(
            session.execute(
                select(func.count()).select_from(StoredRecord).where(StoredRecord.device_id == device_id)
            ).scalar_one()
        )
