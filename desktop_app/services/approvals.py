"""The supervisor's approval queue (maker-checker): oldest first, each record with its values, checks,
dual-entry history and, for a change, a field-level diff against the approved version."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from desktop_app.domain.form_schema import FORM_NUMBER
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.reject_reasons import BY_CODE
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem, validate_record
from desktop_app.services.actor import Actor, authorise
from desktop_app.services.errors import InvalidRequest, ServiceError
from desktop_app.services.records import RecordService, SaveResult, _usernames
from desktop_app.storage.models import ReconciliationDecision, Record, SecondEntry
from desktop_app.storage.store import Store


@dataclass(frozen=True)
class ApprovalItem:
    record_id: str
    version: int
    maker: str
    made_at: datetime
    is_change: bool
    involved: bool  # the supervisor keyed or reconciled it: four eyes forbid their approval
    form_number: str = ""  # the paper form's serial number, to match sheet and record


@dataclass(frozen=True)
class DecisionView:
    field: str
    first: str
    second: str
    chosen: str
    choice: str
    reason: str
    resolver: str


@dataclass(frozen=True)
class ApprovalDetail:
    record_id: str
    version: int
    values: Mapping[str, str]
    problems: tuple[Problem, ...]
    maker: str
    second_clerk: str | None
    reconciler: str | None
    decisions: tuple[DecisionView, ...]
    changes: tuple[tuple[str, str, str], ...]  # (field, approved value, proposed value) for a change


@dataclass(frozen=True)
class Skipped:
    """A record bulk approval left alone, and why (in both UI languages)."""

    record_id: str
    message_text: Text

    def message(self, lang: str) -> str:
        return self.message_text.render(lang)


@dataclass(frozen=True)
class BulkResult:
    approved: tuple[str, ...]
    skipped: tuple[Skipped, ...]


class ApprovalService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    def queue(self, actor: Actor, limit: int = 200) -> list[ApprovalItem]:
        """Records awaiting approval, oldest first; those the supervisor took part in are flagged."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            rows = list(
                s.scalars(
                    select(Record)
                    .where(Record.status == Status.AWAITING_APPROVAL.value)
                    .order_by(Record.made_at, Record.id)
                    .limit(max(1, min(limit, 1000)))
                )
            )
            names = _usernames(s, [r.maker_id for r in rows])
            return [
                ApprovalItem(
                    r.id,
                    r.version,
                    names.get(r.maker_id, ""),
                    r.made_at,
                    r.base_version is not None,
                    actor.user_id in {r.maker_id, r.second_clerk_id, r.reconciler_id},
                    self._records._values(s, r).get(FORM_NUMBER, ""),
                )
                for r in rows
            ]

    def detail(self, actor: Actor, record_id: str) -> ApprovalDetail:
        """Everything the supervisor checks before approving; the unmasked view is audited."""
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            record = self._records._record(s, record_id)
            if record.status != Status.AWAITING_APPROVAL.value:
                raise InvalidRequest(
                    f"Record {record.id} is not awaiting approval.", f"记录 {record.id} 不在待审批状态。"
                )
            schema = self._records.form(record.form_key)
            values = self._records._values(s, record)
            problems = tuple(validate_record(schema, values, date.today()))
            decisions = list(
                s.scalars(
                    select(ReconciliationDecision)
                    .where(ReconciliationDecision.record_id == record.id)
                    .order_by(ReconciliationDecision.id)
                )
            )
            second = s.scalars(
                select(SecondEntry).where(SecondEntry.record_id == record.id).order_by(SecondEntry.id.desc())
            ).first()
            names = _usernames(
                s,
                [record.maker_id, record.reconciler_id, second.clerk_id if second else None]
                + [d.resolver_id for d in decisions],
            )
            changes: tuple[tuple[str, str, str], ...] = ()
            if record.base_version is not None:
                before = self._records._values(s, record, record.base_version)
                changes = tuple(
                    (k, before.get(k, ""), values.get(k, ""))
                    for k in schema.keys
                    if before.get(k, "") != values.get(k, "")
                )
            self._store.audit(
                s,
                action="approval.view",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"version": record.version},
            )
            return ApprovalDetail(
                record.id,
                record.version,
                values,
                problems,
                names.get(record.maker_id, ""),
                names.get(second.clerk_id) if second else None,
                names.get(record.reconciler_id) if record.reconciler_id else None,
                tuple(
                    DecisionView(
                        d.field,
                        d.first_value,
                        d.second_value,
                        d.chosen_value,
                        d.choice,
                        d.reason,
                        names.get(d.resolver_id, ""),
                    )
                    for d in decisions
                ),
                changes,
            )

    def approve(self, actor: Actor, record_id: str, version: int | None) -> SaveResult:
        """Approve one record (four eyes and validation are enforced by the record service)."""
        return self._records.approve(actor, record_id, version)

    def reject(self, actor: Actor, record_id: str, version: int | None, reason_code: str, text: str = "") -> SaveResult:
        """Return a record to its maker with a reason from the list and optional free text."""
        reason = BY_CODE.get(reason_code)
        if reason is None:
            raise InvalidRequest("Pick a reason from the list.", "请从列表中选择退回原因。")
        if reason.code == "other" and not text.strip():
            raise InvalidRequest("Describe the reason when you pick 'Other'.", "选择“其他”时请填写具体原因。")
        full = f"{reason.label_text.zh} / {reason.label_text.en}" + (f": {text.strip()}" if text.strip() else "")
        return self._records.reject(actor, record_id, version, full)

    def bulk_approve(self, actor: Actor, record_ids: Sequence[str]) -> BulkResult:
        """Approve many at once, but only records with no warning and no error; the others are skipped."""
        approved: list[str] = []
        skipped: list[Skipped] = []
        for record_id in record_ids:
            with self._store.read() as s:
                authorise(s, actor, Permission.RECORD_APPROVE)
                record = self._records._record(s, record_id)
                values = self._records._values(s, record)
                problems = validate_record(self._records.form(record.form_key), values, date.today())
                version = record.version
            if problems:
                skipped.append(
                    Skipped(record_id, Text(en="has warnings: approve it on its own", zh="有提示信息，请单独审批"))
                )
                continue
            try:
                self._records.approve(actor, record_id, version)
            except ServiceError as exc:
                skipped.append(Skipped(record_id, exc.message_text))
                continue
            approved.append(record_id)
        return BulkResult(tuple(approved), tuple(skipped))
