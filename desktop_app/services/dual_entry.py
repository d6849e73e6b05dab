"""Dual entry (双人录入复核): a second clerk keys the same paper form blind, the entries are compared after the
one normaliser, and differences are settled field by field, with a reason, by the resolver the branch chose.

Blindness is enforced here: no call made by the second clerk returns a value of the first entry.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.comparison import FieldDifference, compare_entries
from desktop_app.domain.form_schema import FORM_NUMBER, FormSchema
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.normaliser import normalise_record, normalise_text
from desktop_app.domain.ocr_opinion import INFERRED, Reading, ScanDisagreement, disagreements, merge
from desktop_app.domain.roles import Permission, Role
from desktop_app.domain.validation import has_errors, validate_record
from desktop_app.domain.visibility import values_hidden
from desktop_app.services import form_numbers
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.attachments import SCAN_KIND, AttachmentService
from desktop_app.services.errors import Conflict, InvalidRequest, PermissionDenied, ServiceError, ValidationFailed
from desktop_app.services.records import RecordService, SaveResult, _dump, _usernames
from desktop_app.services.scan_fill import read_scan
from desktop_app.services.settings import read_setting
from desktop_app.storage.models import Attachment, ReconciliationDecision, Record, SecondEntry
from desktop_app.storage.store import Store

CHOICES = ("first", "second", "other")


@dataclass(frozen=True)
class QueueItem:
    """A record waiting for its second entry: what the second clerk may know of it (no values)."""

    record_id: str
    version: int
    maker: str
    made_at: datetime
    form_number: str = ""  # the paper form's serial number: not a customer value, shown so sheet and record match


@dataclass(frozen=True)
class SecondEntryResult:
    """The outcome told to the second clerk: how many fields differ, never what the first entry said."""

    record_id: str
    status: Status
    differences: int


@dataclass(frozen=True)
class Reconciliation:
    """What the resolver sees: each differing field with both entries."""

    record_id: str
    version: int
    first_clerk: str
    second_clerk: str
    differences: tuple[FieldDifference, ...]
    form_number: str = ""  # the paper form's serial, so the resolver takes the right sheet


@dataclass(frozen=True)
class Decision:
    """How one differing field is settled: 'first', 'second', or 'other' with a typed value; a reason."""

    choice: str
    value: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ScanOpinion:
    """The scan as a third opinion on the agreed values: the document fields a confident reading of the record's
    ID scans disagrees on. Field names and a message only, never the reading or the record's values."""

    record_id: str
    version: int
    scans: int  # ID scans attached to the record
    unread: int  # of those, scans the reader could not read again (no opinion from them)
    warnings: tuple[ScanDisagreement, ...]


OPINIONS_KEPT = 64  # scan opinions kept in memory (a supervisor going back and forth through the queue)


class DualEntryService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records  # shares the record helpers: one place for versions and status changes
        # The scan's opinion per (record, version, scans read): reading the scans again takes seconds each time the
        # approval page showed it. In memory only, like everything the page shows; asked for again only after the
        # permission checks, so it never answers someone the service would refuse.
        self._opinions: OrderedDict[tuple[str, int, str], ScanOpinion] = OrderedDict()
        self._opinions_lock = threading.Lock()

    # --- the second clerk -----------------------------------------------------------------------------------
    def queue(self, actor: Actor) -> list[QueueItem]:
        """Records other clerks submitted that wait for a second entry, oldest first; no values."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_SECOND_ENTRY)
            rows = list(
                s.scalars(
                    select(Record)
                    .where(Record.status == Status.AWAITING_SECOND_ENTRY.value, Record.maker_id != actor.user_id)
                    .order_by(Record.made_at, Record.id)
                    .limit(500)
                )
            )
            names = _usernames(s, [r.maker_id for r in rows])
            return [self._item(s, r, names) for r in rows]

    def _item(self, s: Session, record: Record, names: Mapping[int, str]) -> QueueItem:
        form_number = self._records._values(s, record).get(FORM_NUMBER, "")
        return QueueItem(record.id, record.version, names.get(record.maker_id, ""), record.made_at, form_number)

    def submit(self, actor: Actor, record_id: str, values: Mapping[str, str]) -> SecondEntryResult:
        """Record the second, blind entry and compare it with the first.

        The clerk who keyed the first entry can never key the second: refused here, and the attempt audited.
        """
        refused = False
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_SECOND_ENTRY)
            record = self._records._record(s, record_id)
            if record.maker_id == actor.user_id:
                self._store.audit(
                    s,
                    action="second_entry.refused_same_clerk",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    record_id=record.id,
                    details={"version": record.version},
                )
                refused = True
            else:
                if record.status != Status.AWAITING_SECOND_ENTRY.value:
                    raise Conflict(
                        f"Record {record.id} is not waiting for a second entry.",
                        f"记录 {record.id} 不在待第二次录入状态。",
                    )
                schema = self._records.form(record.form_key)
                second = normalise_record(schema, values)
                first = self._records._values(s, record)
                differences = compare_entries(schema, first, second)
                s.add(
                    SecondEntry(
                        record_id=record.id,
                        version=record.version,
                        clerk_id=actor.user_id,
                        data=_dump(second),
                        created_at=utcnow(),
                    )
                )
                record.second_clerk_id = actor.user_id
                target = Status.AWAITING_RECONCILIATION if differences else Status.AWAITING_APPROVAL
                self._store.audit(
                    s,
                    action="second_entry.submit",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    record_id=record.id,
                    details={"version": record.version, "differences": [d.field for d in differences]},
                )
                self._records._set_status(s, record, actor, target, "second entry")
                return SecondEntryResult(record.id, target, len(differences))
        assert refused
        raise PermissionDenied(
            "You keyed the first entry of this record; the second entry must be keyed by another clerk.",
            "该记录的第一次录入由您完成，第二次录入必须由其他柜员完成。",
        )

    # --- settling differences ---------------------------------------------------------------------------------
    def _may_resolve(self, s: Session, record: Record, actor: Actor, roles: frozenset[Role]) -> None:
        policy = str(read_setting(s, "reconciliation_resolver"))
        keyed = {record.maker_id, record.second_clerk_id}
        if policy == "first_clerk":
            allowed = actor.user_id == record.maker_id
            who = ("the clerk who keyed the first entry", "第一次录入的柜员")
        elif policy == "third_clerk":
            allowed = actor.user_id not in keyed and Role.TELLER in roles
            who = ("a third clerk, who keyed neither entry", "未参与两次录入的第三名柜员")
        else:
            allowed = actor.user_id not in keyed and Role.SUPERVISOR in roles
            who = ("a supervisor who keyed neither entry", "未参与录入的主管")
        if not allowed:
            raise PermissionDenied(
                f"Differences on this record are settled by {who[0]} (branch setting).",
                f"按本网点设置，该记录的差异应由{who[1]}核对。",
            )

    def _second_values(self, s: Session, record: Record) -> tuple[dict[str, str], int]:
        entry = s.scalars(
            select(SecondEntry).where(SecondEntry.record_id == record.id, SecondEntry.version == record.version)
        ).one()
        return {str(k): str(v) for k, v in json.loads(entry.data).items()}, entry.clerk_id

    def _open_differences(
        self, s: Session, actor: Actor, record_id: str
    ) -> tuple[Record, FormSchema, dict[str, str], int, list[FieldDifference]]:
        """The record awaiting reconciliation that this actor may settle, its first entry, the second clerk,
        and the differences."""
        _, roles = authorise(s, actor, Permission.RECORD_RECONCILE)
        record = self._records._record(s, record_id)
        if record.status != Status.AWAITING_RECONCILIATION.value:
            raise Conflict(
                f"Record {record.id} has no differences waiting to be settled.",
                f"记录 {record.id} 没有待核对的差异。",
            )
        self._may_resolve(s, record, actor, roles)
        schema = self._records.form(record.form_key)
        first = self._records._values(s, record)
        second, second_clerk = self._second_values(s, record)
        return record, schema, first, second_clerk, compare_entries(schema, first, second)

    def reconciliation_queue(self, actor: Actor) -> list[QueueItem]:
        """Records with differences that this user may settle under the branch's resolver rule, oldest first."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_RECONCILE)
            rows = list(
                s.scalars(
                    select(Record)
                    .where(Record.status == Status.AWAITING_RECONCILIATION.value)
                    .order_by(Record.made_at, Record.id)
                    .limit(500)
                )
            )
            mine = []
            for record in rows:
                try:
                    self._may_resolve(s, record, actor, roles)
                except PermissionDenied:
                    continue
                mine.append(record)
            names = _usernames(s, [r.maker_id for r in mine])
            return [self._item(s, r, names) for r in mine]

    def reconciliation(self, actor: Actor, record_id: str) -> Reconciliation:
        """The differing fields, both entries side by side, for the resolver; the view is audited."""
        with self._store.write() as s:
            record, _schema, _first, second_clerk, differences = self._open_differences(s, actor, record_id)
            names = _usernames(s, [record.maker_id, second_clerk])
            self._store.audit(
                s,
                action="reconciliation.view",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"fields": [d.field for d in differences]},
            )
            return Reconciliation(
                record.id,
                record.version,
                names.get(record.maker_id, ""),
                names.get(second_clerk, ""),
                tuple(differences),
                form_numbers.numbers_of(s, [record.id]).get(record.id, ""),
            )

    def resolve(self, actor: Actor, record_id: str, decisions: Mapping[str, Decision]) -> SaveResult:
        """Settle every differing field (pick an entry, or type a third value with a reason); the record then
        waits for approval. Each decision is stored and audited."""
        with self._store.write() as s:
            record, schema, first, _, differences = self._open_differences(s, actor, record_id)
            missing = [d.field for d in differences if d.field not in decisions]
            if missing:
                raise InvalidRequest(
                    "Settle every differing field first: " + ", ".join(missing) + ".",
                    "请先核对所有差异字段：" + "、".join(missing) + "。",
                )
            settled = dict(first)
            now = utcnow()
            rows = []
            for diff in differences:
                decision = decisions[diff.field]
                if decision.choice not in CHOICES:
                    raise InvalidRequest(
                        f"Choose first, second or other for {diff.field}.",
                        f"请为字段 {diff.field} 选择第一次、第二次或其他值。",
                    )
                reason = normalise_text(decision.reason)
                if decision.choice == "other":
                    if not decision.value.strip() or not reason:
                        raise InvalidRequest(
                            f"A value typed for {diff.field} needs a reason (what the paper says).",
                            f"为字段 {diff.field} 录入新值时须填写原因。",
                        )
                    chosen = normalise_record(schema, {diff.field: decision.value})[diff.field]
                else:
                    chosen = diff.first if decision.choice == "first" else diff.second
                settled[diff.field] = chosen
                rows.append(
                    ReconciliationDecision(
                        record_id=record.id,
                        version=record.version,
                        field=diff.field,
                        first_value=diff.first,
                        second_value=diff.second,
                        chosen_value=chosen,
                        choice=decision.choice,
                        reason=reason,
                        resolver_id=actor.user_id,
                        decided_at=now,
                    )
                )
            problems = validate_record(schema, settled, date.today())
            if has_errors(problems):
                raise ValidationFailed(problems)
            s.add_all(rows)
            record.reconciler_id = actor.user_id
            self._records._new_version(s, record, actor, settled, "reconcile")
            self._store.audit(
                s,
                action="reconciliation.resolve",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"version": record.version, "decisions": {r.field: r.choice for r in rows}},
            )
            self._records._set_status(s, record, actor, Status.AWAITING_APPROVAL, "differences settled")
            return SaveResult(record.id, record.version, Status.AWAITING_APPROVAL, tuple(problems))

    # --- the scan as a third opinion --------------------------------------------------------------------------
    def scan_opinion(self, actor: Actor, record_id: str) -> ScanOpinion:
        """Read the record's ID scans again and compare the confident readings with the agreed values (the current
        version) for the fields printed on the document. For the approval screen: whoever may see the scans (the
        maker, a supervisor, an auditor) may see this. Refused to anyone while the record waits for its blind
        second entry and, at any time, to the clerk who keyed the second entry: the reading would tell them
        what the document says, which their entry must not be steered by.

        The reading is not stored (the scan's metadata holds no values), so it is made here, a few seconds per scan
        outside the store's transaction, and kept in memory for the same version and scans (OPINIONS_KEPT)."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            is_maker = record.maker_id == actor.user_id
            if record.second_clerk_id == actor.user_id or values_hidden(
                status=Status(record.status), is_maker=is_maker
            ):
                raise PermissionDenied(
                    "The scan's reading is not shown to the clerk who keys the second entry of this record.",
                    "证件扫描的识别结果不向负责该记录第二次录入的柜员显示。",
                )
            AttachmentService._may_see_scans(record, actor, roles)
            schema = self._records.form(record.form_key)
            agreed = self._records._values(s, record)
            images = [
                bytes(content)
                for content in s.scalars(
                    select(Attachment.content)
                    .where(Attachment.record_id == record.id, Attachment.kind == SCAN_KIND)
                    .order_by(Attachment.id)
                )
            ]
            rid, version = record.id, record.version
        digest = hashlib.sha256(b"".join(hashlib.sha256(image).digest() for image in images)).hexdigest()
        key = (rid, version, digest)
        with self._opinions_lock:
            kept = self._opinions.get(key)
            if kept is not None:
                self._opinions.move_to_end(key)
                return kept
        found = []
        unread = 0
        for image in images:
            try:
                fill = read_scan(image, schema).fill
            except ServiceError:  # unreadable, or no OCR engine on this workstation: no opinion from this scan
                unread += 1
                continue
            readings = {
                k: Reading(p.value, p.confidence, p.verified)
                for k, p in fill.proposals.items()
                if p.ocr_field != INFERRED
            }
            found.append(disagreements(schema, agreed, readings))
        opinion = ScanOpinion(rid, version, len(images), unread, merge(found))
        if unread == 0:  # an engine missing or a scan unreadable now may read later: not kept
            with self._opinions_lock:
                self._opinions[key] = opinion
                while len(self._opinions) > OPINIONS_KEPT:
                    self._opinions.popitem(last=False)
        return opinion
