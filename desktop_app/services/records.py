"""Customer records: create and edit drafts, submit, approve or reject, view (masked), reveal, search.

Every rule is enforced here: the acting user's permission, maker-only editing, blind second entry
(values hidden from everyone but the maker), four eyes at approval, masking by role, immutable versions.

Search answers no more than the list shows: a field the viewer sees masked matches only its exact full value (a
prefix search would give the hidden digits away one query at a time), the list is sorted by name only for a
viewer who sees names (the order of masked names would rank them), and every search with text is audited as
`record.search` with its kind (name, pinyin, number), never the text.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.form_schema import FieldSpec, FormSchema
from desktop_app.domain.lifecycle import (
    EDITABLE,
    FINAL,
    DualEntryPolicy,
    Status,
    after_submit,
    check_transition,
)
from desktop_app.domain.masking import mask_problems, mask_value
from desktop_app.domain.normaliser import normalise_record, normalise_text, normalise_value
from desktop_app.domain.roles import Permission, Role
from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem, Severity, has_errors, validate_record
from desktop_app.domain.visibility import BLIND, MAKER_SEES, field_unmasked, role_sees, values_hidden
from desktop_app.services import form_numbers
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import (
    Conflict,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationFailed,
)
from desktop_app.services.search_budget import SearchBudget
from desktop_app.services.settings import read_setting
from desktop_app.services.validation_log import log_failures
from desktop_app.storage.models import (
    PURGED_DATA,
    OutboxItem,
    Record,
    RecordVersion,
    SecondEntry,
    StatusEvent,
    User,
)
from desktop_app.storage.store import Store

SEARCH_COLUMNS = ("name", "name_pinyin", "id_type", "id_number", "mobile")
#: Also copied from the latest version: what the periodic-review list selects on.
REVIEW_COLUMNS = ("risk_level", "id_valid_until")
#: Also copied: a blocking key of the duplicate check (services/duplicates.py).
DUPLICATE_COLUMNS = ("birth_date",)
MAX_PAGE = 500
#: A rule of another service that approval must pass: (session, approver, record, values) -> problems.
ApprovalCheck = Callable[[Session, Actor, Record, Mapping[str, str]], list[Problem]]
#: What another service does with a record accepted at submit, in submit's transaction (watchlist screening).
SubmitHook = Callable[[Session, Actor, Record, Mapping[str, str]], None]


@dataclass(frozen=True)
class SaveResult:
    """What a save or a status change produced."""

    record_id: str
    version: int
    status: Status
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class RecordView:
    """One record as the viewer may see it: values masked per role, or hidden during blind second entry."""

    id: str
    form_key: str
    status: Status
    version: int
    approved_version: int | None
    base_version: int | None
    values: Mapping[str, str]
    masked: frozenset[str]
    hidden: bool
    problems: tuple[Problem, ...]
    maker: str
    made_at: datetime
    checker: str | None
    checked_at: datetime | None
    reject_reason: str | None
    created_at: datetime
    updated_at: datetime
    purged: bool = False  # retention removed the values after the central server acknowledged the record


@dataclass(frozen=True)
class RecordSummary:
    """A row of the customer list, masked like RecordView."""

    id: str
    status: Status
    version: int
    name: str
    name_pinyin: str
    id_type: str
    id_number: str
    mobile: str
    maker: str
    updated_at: datetime
    hidden: bool
    purged: bool = False
    form_number: str = ""  # the paper form's serial number (issue 16), so a clerk finds the sheet's record


@dataclass(frozen=True)
class VersionView:
    version: int
    kind: str
    base_version: int | None
    created_by: str
    created_at: datetime
    values: Mapping[str, str]
    masked: frozenset[str]


@dataclass(frozen=True)
class StatusEventView:
    version: int
    from_status: Status | None
    to_status: Status
    actor: str
    at: datetime
    reason: str | None


@dataclass(frozen=True)
class SearchQuery:
    """A customer-list query: free text (name, pinyin, ID number or mobile prefix), filters, sort, page."""

    text: str = ""
    statuses: tuple[Status, ...] = ()
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    sort: str = "updated"  # updated | name; a name search is always by name
    descending: bool = True
    offset: int = 0
    limit: int = 50
    mine_only: bool = False
    exclude: tuple[Status, ...] = field(default=(Status.DISCARDED,))


class SearchLimited(ServiceError):
    """Too many exact searches on fields the user sees masked in a short time (services/search_budget.py)."""

    code = "search_limited"


#: The form fields a search of each kind looks in (records.search_kind).
_SEARCHED = {"number": ("id_number", "mobile"), "name": ("name",), "pinyin": ("name_pinyin",)}


class RecordService:
    def __init__(self, store: Store, forms: Mapping[str, FormSchema], default_form: str) -> None:
        self._store = store
        self._forms = dict(forms)
        self._default_form = default_form
        self._approval_checks: list[ApprovalCheck] = []
        self._submit_hooks: list[SubmitHook] = []
        self._before_approval: list[SubmitHook] = []
        self._on_approval: list[Callable[[Session, Actor, Record], None]] = []
        self._search_budget = SearchBudget(store)

    def add_approval_check(self, check: ApprovalCheck) -> None:
        """Another rule approval must pass, run in approval's own transaction (the duplicate decisions)."""
        self._approval_checks.append(check)

    def add_submit_hook(self, hook: SubmitHook) -> None:
        """Work another service does on every record accepted at submit, in submit's own transaction."""
        self._submit_hooks.append(hook)

    def run_submit_hooks(self, session: Session, actor: Actor, record: Record, values: Mapping[str, str]) -> None:
        """Run the submit hooks for a record that entered the flow another way (the importer, in its transaction)."""
        for hook in self._submit_hooks:
            hook(session, actor, record, values)

    def add_before_approval(self, hook: SubmitHook) -> None:
        """Work another service does before each approval in its own committed transaction: what it stores (a
        watchlist hit) survives approval's refusal, whose transaction rolls back."""
        self._before_approval.append(hook)

    def add_on_approval(self, hook: Callable[[Session, Actor, Record], None]) -> None:
        """Work another service does with each approval, in approval's own transaction, after its outbox row: what
        it stores goes with the approval or not at all (the paper pages queued for the central server)."""
        self._on_approval.append(hook)

    # --- helpers ------------------------------------------------------------------------------------------
    def form(self, form_key: str | None = None) -> FormSchema:
        """The form schema by key (the default form when None)."""
        key = form_key or self._default_form
        try:
            return self._forms[key]
        except KeyError:
            raise InvalidRequest(f"Unknown form '{key}'.", f"未知表单“{key}”。") from None

    @staticmethod
    def _record(session: Session, record_id: str) -> Record:
        record = session.get(Record, record_id)
        if record is None:
            raise NotFound(f"No record {record_id}.", f"没有记录 {record_id}。")
        return record

    @staticmethod
    def _check_version(record: Record, expected_version: int | None) -> None:
        if expected_version is not None and record.version != expected_version:
            raise Conflict(
                f"Record {record.id} changed since you opened it (now version {record.version}). "
                "Reopen it and apply your change again.",
                f"记录 {record.id} 在您打开后已被修改（当前版本 {record.version}），请重新打开后再修改。",
            )

    @staticmethod
    def _values(session: Session, record: Record, version: int | None = None) -> dict[str, str]:
        row = session.get(RecordVersion, (record.id, version or record.version))
        if row is None:
            raise NotFound(f"Record {record.id} has no version {version}.", f"记录 {record.id} 没有版本 {version}。")
        return _decode(row.data)

    def _duplicates(
        self, session: Session, actor: Actor, values: Mapping[str, str], record_id: str | None, *, include_blind: bool
    ) -> list[str | None]:
        """Ids of other live records with the same ID type and number (blind ones only when allowed, and then as
        None: a record hidden from the actor is never named)."""
        id_type, id_number = values.get("id_type", ""), values.get("id_number", "")
        if not id_type or not id_number:
            return []
        query = select(Record.id, Record.status, Record.maker_id).where(
            Record.id_type == id_type, Record.id_number == id_number, Record.status != Status.DISCARDED.value
        )
        if record_id:
            query = query.where(Record.id != record_id)
        found: list[str | None] = []
        for rid, status, maker_id in session.execute(query.limit(20)):
            if not values_hidden(status=Status(status), is_maker=maker_id == actor.user_id):
                found.append(rid)
            elif include_blind:
                found.append(None)
        return found

    def _problems(
        self,
        session: Session,
        actor: Actor,
        schema: FormSchema,
        values: Mapping[str, str],
        record_id: str | None,
        *,
        duplicates_are_errors: bool,
        include_blind: bool = False,
    ) -> list[Problem]:
        problems = validate_record(schema, values, date.today())
        for other in self._duplicates(session, actor, values, record_id, include_blind=include_blind):
            if other is None:  # awaiting another clerk's blind second entry: refused without naming it
                problems.append(
                    Problem(
                        field="id_number",
                        code="duplicate",
                        message_text=Text(
                            zh="另一条使用此证件的客户记录正在等待其他柜员的第二次录入。请待该记录处理完毕后再处理本记录，"
                            "或将本记录退回。",
                            en="Another record with this ID document is waiting for another clerk's second "
                            "entry. Take this one up again once that record is settled, or return it.",
                        ),
                        severity=Severity.ERROR if duplicates_are_errors else Severity.WARNING,
                    )
                )
                continue
            problems.append(
                Problem(
                    field="id_number",
                    code="duplicate",
                    message_text=Text(
                        zh=f"已有使用此证件号码的客户记录（{other}）。请打开该记录修改，而不是新建。",
                        en=f"A customer with this ID document already exists (record {other}). "
                        "Open that record and change it instead of creating a new one.",
                    ),
                    severity=Severity.ERROR if duplicates_are_errors else Severity.WARNING,
                )
            )
        problems.extend(form_numbers.problems(session, values, record_id, as_errors=duplicates_are_errors))
        return problems

    def _set_status(
        self, session: Session, record: Record, actor: Actor, target: Status, reason: str | None = None
    ) -> None:
        current = Status(record.status)
        check_transition(current, target)
        record.status = target.value
        record.updated_at = utcnow()
        session.add(
            StatusEvent(
                record_id=record.id,
                version=record.version,
                from_status=current.value,
                to_status=target.value,
                actor_id=actor.user_id,
                at=record.updated_at,
                reason=reason,
            )
        )
        self._store.audit(
            session,
            action="record.status",
            actor_id=actor.user_id,
            actor_name=actor.username,
            record_id=record.id,
            details={"version": record.version, "from": current.value, "to": target.value},
        )

    @staticmethod
    def _copy_search_columns(record: Record, values: Mapping[str, str]) -> None:
        for column, value in search_columns(values).items():
            setattr(record, column, value)

    def _new_version(
        self, session: Session, record: Record, actor: Actor, values: Mapping[str, str], kind: str
    ) -> None:
        record.version += 1
        record.updated_at = utcnow()
        self._copy_search_columns(record, values)
        session.add(
            RecordVersion(
                record_id=record.id,
                version=record.version,
                data=_dump(values),
                kind=kind,
                base_version=record.base_version,
                created_by=actor.user_id,
                created_at=record.updated_at,
            )
        )
        form_numbers.register(self._store, session, record, actor, values)

    def _own_editable(
        self, s: Session, actor: Actor, record_id: str, expected_version: int | None, what: str
    ) -> Record:
        """The actor's own record, still a draft (or rejected) and unchanged since `expected_version`."""
        authorise(s, actor, Permission.RECORD_EDIT)
        record = self._record(s, record_id)
        self._require_maker(record, actor, what)
        if Status(record.status) not in EDITABLE:
            raise Conflict(
                f"Record {record.id} is {record.status}; only a draft of yours can be changed or sent on.",
                f"记录 {record.id} 不是您的草稿，不能修改或提交。",
            )
        self._check_version(record, expected_version)
        return record

    @staticmethod
    def _require_maker(record: Record, actor: Actor, what: str) -> None:
        if record.maker_id != actor.user_id:
            raise PermissionDenied(
                f"Only the clerk who keyed record {record.id} may {what} it.",
                f"只有录入记录 {record.id} 的柜员可以执行此操作。",
            )

    # --- making and changing ------------------------------------------------------------------------------
    def create(self, actor: Actor, values: Mapping[str, str], form_key: str | None = None) -> SaveResult:
        """A new customer record at draft, version 1, keyed by `actor`. Drafts may be incomplete."""
        schema = self.form(form_key)
        clean = normalise_record(schema, values)
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_CREATE)
            problems = self._problems(s, actor, schema, clean, None, duplicates_are_errors=False)
            now = utcnow()
            record = Record(
                id=str(uuid.uuid4()),
                form_key=schema.key,
                status=Status.DRAFT.value,
                version=0,
                maker_id=actor.user_id,
                made_at=now,
                created_at=now,
                updated_at=now,
            )
            s.add(record)
            self._new_version(s, record, actor, clean, "create")
            s.add(
                StatusEvent(
                    record_id=record.id,
                    version=1,
                    from_status=None,
                    to_status=Status.DRAFT.value,
                    actor_id=actor.user_id,
                    at=now,
                )
            )
            self._store.audit(
                s,
                action="record.create",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"version": 1, "form": schema.key},
            )
            return SaveResult(record.id, 1, Status.DRAFT, tuple(problems))

    def save(self, actor: Actor, record_id: str, values: Mapping[str, str], expected_version: int | None) -> SaveResult:
        """Save the maker's edit of a draft (or rejected) record as a new version."""
        with self._store.write() as s:
            record = self._own_editable(s, actor, record_id, expected_version, "edit")
            schema = self.form(record.form_key)
            clean = normalise_record(schema, values)
            problems = self._problems(s, actor, schema, clean, record.id, duplicates_are_errors=False)
            before = self._values(s, record)
            changed = sorted(k for k in clean if clean[k] != before.get(k, ""))
            if not changed:
                return SaveResult(record.id, record.version, Status(record.status), tuple(problems))
            self._new_version(s, record, actor, clean, "edit")
            if record.status == Status.REJECTED.value:
                self._set_status(s, record, actor, Status.DRAFT, "edited after rejection")
            self._store.audit(
                s,
                action="record.update",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"version": record.version, "changed": changed},
            )
            return SaveResult(record.id, record.version, Status(record.status), tuple(problems))

    def submit(self, actor: Actor, record_id: str, expected_version: int | None) -> SaveResult:
        """Send the maker's draft on: to the second-entry queue or to approval, by the branch's policy."""
        with self._store.write() as s:
            record = self._own_editable(s, actor, record_id, expected_version, "submit")
            schema = self.form(record.form_key)
            values = self._values(s, record)
            problems = self._problems(s, actor, schema, values, record.id, duplicates_are_errors=True)
            if has_errors(problems):
                # The refusal changes nothing but the failure log (field and rule, for the dashboard).
                log_failures(s, problems, source="submit", user_id=actor.user_id, record_id=record.id)
                refused = True
            else:
                refused = False
                policy = DualEntryPolicy(str(read_setting(s, "dual_entry_policy")))
                target = after_submit(policy, is_change=record.base_version is not None)
                if target is Status.AWAITING_SECOND_ENTRY and s.scalar(
                    select(SecondEntry.id).where(
                        SecondEntry.record_id == record.id, SecondEntry.version == record.version
                    )
                ):
                    # Returned and sent on again unchanged: this version was keyed blind once already. The new round
                    # gets its own version (the same values), so its second entry is its own and the first stays
                    # as it was (found by the independent check: the second clerk's entry failed every time).
                    self._new_version(s, record, actor, values, "resubmit")
                record.made_at = utcnow()
                record.reject_reason = None
                self._set_status(s, record, actor, target, "submitted")
                for hook in self._submit_hooks:
                    hook(s, actor, record, values)
                result = SaveResult(record.id, record.version, target, tuple(problems))
        if refused:
            raise ValidationFailed(problems)
        return result

    def discard(self, actor: Actor, record_id: str, expected_version: int | None) -> SaveResult:
        """Abandon a draft that was never approved (its versions stay in the history)."""
        with self._store.write() as s:
            record = self._own_editable(s, actor, record_id, expected_version, "discard")
            if record.approved_version is not None:
                raise InvalidRequest(
                    "A change to an approved record cannot be discarded here.", "对已审批记录的修改不能在此作废。"
                )
            self._set_status(s, record, actor, Status.DISCARDED, "discarded by maker")
            return SaveResult(record.id, record.version, Status.DISCARDED)

    def start_change(self, actor: Actor, record_id: str, kind: str = "change") -> SaveResult:
        """Begin a change to an approved record: a new draft version, based on the approved one.

        `kind` "review" marks a periodic review (the version's kind, its own audit action); it then goes
        through the same flow as any change."""
        if kind not in ("change", "review"):
            raise InvalidRequest(f"Unknown kind of change '{kind}'.", f"未知的变更类型“{kind}”。")
        with self._store.write() as s:
            _, roles = authorise(s, actor, Permission.RECORD_CREATE)
            record = self._record(s, record_id)
            if Status(record.status) not in FINAL or record.approved_version is None:
                raise Conflict(
                    f"Record {record.id} is {record.status}; only an approved record can be changed.",
                    f"记录 {record.id} 尚未审批，不能发起变更。",
                )
            if record.purged_at is not None:
                raise Conflict(
                    f"The personal data of record {record.id} were purged here after the central server "
                    "acknowledged it (retention). Key the change as a new form from the customer's documents.",
                    f"记录 {record.id} 的个人资料已在中央服务器确认后按保留期限清除，请根据客户证件重新录入。",
                )
            values = self._values(s, record, record.approved_version)
            # The change opens every value to its new maker: for the fields this teller saw masked, that is a
            # reveal, audited as one (which fields, never their values), as if each had been revealed by hand.
            schema = self.form(record.form_key)
            _, hidden = self._mask(
                schema, values, roles, is_maker=record.maker_id == actor.user_id, status=Status(record.status)
            )
            if hidden:
                self._store.audit(
                    s,
                    action="record.reveal",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    record_id=record.id,
                    details={"version": record.version, "fields": sorted(hidden), "via": kind},
                )
            record.base_version = record.approved_version
            record.maker_id = actor.user_id
            record.made_at = utcnow()
            record.second_clerk_id = record.reconciler_id = record.checker_id = None
            record.checked_at = None
            self._new_version(s, record, actor, values, kind)
            self._set_status(s, record, actor, Status.DRAFT, f"{kind} started")
            if kind == "review":
                self._store.audit(
                    s,
                    action="record.review_start",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    record_id=record.id,
                    details={"version": record.version, "base_version": record.base_version},
                )
            return SaveResult(record.id, record.version, Status.DRAFT)

    # --- approval (maker-checker) ---------------------------------------------------------------------------
    def _four_eyes(self, record: Record, actor: Actor) -> None:
        involved = {record.maker_id, record.second_clerk_id, record.reconciler_id}
        if actor.user_id in involved:
            raise PermissionDenied(
                f"You keyed or reconciled record {record.id}, so you cannot approve or reject it "
                "(four-eyes rule). Another supervisor must do it.",
                f"您参与了记录 {record.id} 的录入或核对，不能审批（四眼原则）。请由其他主管审批。",
            )

    def approve(self, actor: Actor, record_id: str, expected_version: int | None) -> SaveResult:
        """Approve the version awaiting approval; it becomes immutable and is queued for the central server."""
        if self._before_approval:
            with self._store.write() as s:
                authorise(s, actor, Permission.RECORD_APPROVE)
                record = self._record(s, record_id)
                self._four_eyes(record, actor)
                if record.status == Status.AWAITING_APPROVAL.value:
                    values = self._values(s, record)
                    for hook in self._before_approval:
                        hook(s, actor, record, values)
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            record = self._record(s, record_id)
            self._four_eyes(record, actor)
            self._check_version(record, expected_version)
            if record.status != Status.AWAITING_APPROVAL.value:
                raise Conflict(
                    f"Record {record.id} is {record.status}, not awaiting approval.",
                    f"记录 {record.id} 不在待审批状态。",
                )
            schema = self.form(record.form_key)
            values = self._values(s, record)
            problems = self._problems(
                s, actor, schema, values, record.id, duplicates_are_errors=True, include_blind=True
            )
            for check in self._approval_checks:
                problems.extend(check(s, actor, record, values))
            if has_errors(problems):
                raise ValidationFailed(problems)
            now = utcnow()
            record.checker_id = actor.user_id
            record.checked_at = now
            record.approved_version = record.version
            self._set_status(s, record, actor, Status.APPROVED, "approved")
            maker = s.get(User, record.maker_id)
            payload = {
                "record_id": record.id,
                "version": record.version,
                "base_version": record.base_version,
                "form": record.form_key,
                "status": Status.APPROVED.value,
                "values": values,
                "maker": maker.username if maker else "",
                "checker": actor.username,
                "approved_at": now.isoformat() + "Z",
                "workstation_id": self._store.workstation_id,
            }
            s.add(
                OutboxItem(
                    record_id=record.id,
                    version=record.version,
                    idempotency_key=f"{record.id}:{record.version}",
                    payload=_dump(payload),
                    state="pending",
                    attempts=0,
                    created_at=now,
                )
            )
            for on_approval in self._on_approval:
                on_approval(s, actor, record)
            return SaveResult(record.id, record.version, Status.APPROVED, tuple(problems))

    def reject(self, actor: Actor, record_id: str, expected_version: int | None, reason: str) -> SaveResult:
        """Send the version back to its maker with the reason, which the maker sees."""
        clean_reason = normalise_text(reason)
        if not clean_reason:
            raise InvalidRequest(
                "Give the reason for the rejection, for the maker to act on.", "请填写退回原因，以便录入人修改。"
            )
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            record = self._record(s, record_id)
            self._four_eyes(record, actor)
            self._check_version(record, expected_version)
            if record.status != Status.AWAITING_APPROVAL.value:
                raise Conflict(
                    f"Record {record.id} is {record.status}, not awaiting approval.",
                    f"记录 {record.id} 不在待审批状态。",
                )
            record.reject_reason = clean_reason[:1000]
            record.checker_id = actor.user_id
            record.checked_at = utcnow()
            self._set_status(s, record, actor, Status.REJECTED, clean_reason[:1000])
            return SaveResult(record.id, record.version, Status.REJECTED)

    # --- reading -----------------------------------------------------------------------------------------------
    def _mask(
        self, schema: FormSchema, values: Mapping[str, str], roles: frozenset[Role], *, is_maker: bool, status: Status
    ) -> tuple[dict[str, str], frozenset[str]]:
        shown: dict[str, str] = {}
        masked: set[str] = set()
        for spec in schema.fields:
            value = values.get(spec.key, "")
            if value and not field_unmasked(spec, roles, is_maker=is_maker, status=status):
                shown[spec.key] = mask_value(spec.mask, value)
                masked.add(spec.key)
            else:
                shown[spec.key] = value
        return shown, frozenset(masked)

    def get(self, actor: Actor, record_id: str) -> RecordView:
        """The record's latest version as the actor may see it; the view is audited."""
        with self._store.write() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._record(s, record_id)
            status = Status(record.status)
            is_maker = record.maker_id == actor.user_id
            schema = self.form(record.form_key)
            hidden = values_hidden(status=status, is_maker=is_maker)
            purged = record.purged_at is not None
            if hidden or purged:  # purged: nothing left to show or to validate
                shown: dict[str, str] = {}
                masked = frozenset(schema.keys) if hidden else frozenset()
                problems: tuple[Problem, ...] = ()
            else:
                values = self._values(s, record)
                shown, masked = self._mask(schema, values, roles, is_maker=is_maker, status=status)
                problems = mask_problems(schema, validate_record(schema, values, date.today()), masked)
            unmasked_pii = sorted(
                f.key for f in schema.fields if f.pii.value != "none" and f.key not in masked and shown.get(f.key)
            )
            self._store.audit(
                s,
                action="record.view",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"version": record.version, "unmasked": unmasked_pii, "hidden": hidden},
            )
            names = _usernames(s, [record.maker_id, record.checker_id])
            return RecordView(
                id=record.id,
                form_key=record.form_key,
                status=status,
                version=record.version,
                approved_version=record.approved_version,
                base_version=record.base_version,
                values=shown,
                masked=masked,
                hidden=hidden,
                problems=problems,
                maker=names.get(record.maker_id, ""),
                made_at=record.made_at,
                checker=names.get(record.checker_id) if record.checker_id else None,
                checked_at=record.checked_at,
                reject_reason=record.reject_reason,
                created_at=record.created_at,
                updated_at=record.updated_at,
                purged=purged,
            )

    def reveal(self, actor: Actor, record_id: str, field_key: str) -> str:
        """The full value of one field, for a user allowed to reveal it; every reveal is audited."""
        with self._store.write() as s:
            authorise(s, actor, Permission.PII_REVEAL)
            record = self._record(s, record_id)
            if values_hidden(status=Status(record.status), is_maker=record.maker_id == actor.user_id):
                raise PermissionDenied(
                    "This record is waiting for its blind second entry; its values cannot be shown to you.",
                    "该记录正等待双人录入的第二次录入，其内容不能向您显示。",
                )
            schema = self.form(record.form_key)
            if field_key not in schema.keys:
                raise InvalidRequest(f"The form has no field '{field_key}'.", f"表单中没有字段“{field_key}”。")
            value = self._values(s, record).get(field_key, "")
            self._store.audit(
                s,
                action="record.reveal",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"version": record.version, "field": field_key},
            )
            return value

    def history(self, actor: Actor, record_id: str) -> list[VersionView]:
        """Every version of the record, oldest first, masked like get()."""
        with self._store.write() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._record(s, record_id)
            status = Status(record.status)
            is_maker = record.maker_id == actor.user_id
            if values_hidden(status=status, is_maker=is_maker):
                raise PermissionDenied(
                    "This record is waiting for its blind second entry; its history cannot be shown to you.",
                    "该记录正等待双人录入的第二次录入，其历史不能向您显示。",
                )
            schema = self.form(record.form_key)
            rows = list(
                s.scalars(
                    select(RecordVersion).where(RecordVersion.record_id == record.id).order_by(RecordVersion.version)
                )
            )
            names = _usernames(s, [r.created_by for r in rows])
            views = []
            for row in rows:
                values = _decode(row.data)
                shown, masked = self._mask(schema, values, roles, is_maker=is_maker, status=status)
                views.append(
                    VersionView(
                        row.version,
                        row.kind,
                        row.base_version,
                        names.get(row.created_by, ""),
                        row.created_at,
                        shown,
                        masked,
                    )
                )
            self._store.audit(
                s,
                action="record.history",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"versions": len(views)},
            )
            return views

    def timeline(self, actor: Actor, record_id: str) -> list[StatusEventView]:
        """The record's status changes, oldest first (no customer values)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_VIEW)
            record = self._record(s, record_id)
            rows = list(
                s.scalars(select(StatusEvent).where(StatusEvent.record_id == record.id).order_by(StatusEvent.id))
            )
            names = _usernames(s, [r.actor_id for r in rows])
            return [
                StatusEventView(
                    r.version,
                    Status(r.from_status) if r.from_status else None,
                    Status(r.to_status),
                    names.get(r.actor_id, "") if r.actor_id is not None else "",  # None: the background sync
                    r.at,
                    r.reason,
                )
                for r in rows
            ]

    def _search_filter(
        self, actor: Actor, query: SearchQuery, roles: frozenset[Role]
    ) -> tuple[list[ColumnElement[bool]], bool]:
        """WHERE terms for a query, and whether the text is a name search (then sorted by name)."""
        terms: list[ColumnElement[bool]] = [
            # blind second entry: a record awaiting it is invisible to everyone but its maker
            not_(and_(Record.status.in_([s.value for s in BLIND]), Record.maker_id != actor.user_id)),
        ]
        # Status(...) also takes the plain strings a Qt combo box hands back for enum data
        if query.exclude:
            terms.append(Record.status.not_in([Status(s).value for s in query.exclude]))
        if query.statuses:
            terms.append(Record.status.in_([Status(s).value for s in query.statuses]))
        if query.updated_from is not None:
            terms.append(Record.updated_at >= query.updated_from)
        if query.updated_to is not None:
            terms.append(Record.updated_at < query.updated_to)
        if query.mine_only:
            terms.append(Record.maker_id == actor.user_id)
        text = normalise_text(query.text)
        kind = search_kind(text)
        if kind == "number":
            compact = text.replace(" ", "").upper()
            terms.append(
                or_(
                    self._match(actor, roles, "id_number", Record.id_number, text, compact),
                    self._match(actor, roles, "mobile", Record.mobile, text, compact),
                )
            )
        elif kind == "name":
            terms.append(self._match(actor, roles, "name", Record.name, text, text.replace(" ", "")))
        elif kind == "pinyin":
            terms.append(self._match(actor, roles, "name_pinyin", Record.name_pinyin, text, text.upper()))
        return terms, kind in ("name", "pinyin")

    def _match(
        self, actor: Actor, roles: frozenset[Role], key: str, column: Any, text: str, prefix: str
    ) -> ColumnElement[bool]:
        """`column` (the form field `key`) matches the search text: by prefix where the viewer sees the field in
        full (always, by role, or on their own records in progress), elsewhere only by its exact full value."""
        spec = self._search_field(key)
        if spec is None or role_sees(spec, roles):
            return _prefix(column, prefix)
        own = and_(Record.maker_id == actor.user_id, Record.status.in_([s.value for s in MAKER_SEES]))
        return or_(column == normalise_value(spec, text), and_(own, _prefix(column, prefix)))

    def _search_field(self, key: str) -> FieldSpec | None:
        schema = self.form()
        return schema.field(key) if key in schema.keys else None

    def _sort_column(self, query: SearchQuery, by_name: bool, roles: frozenset[Role]) -> tuple[Any, bool]:
        """The column the list is sorted on and whether descending: a name search by that name, "name" by name
        for a viewer who sees names (for others the order of masked names would rank them: by update time)."""
        if by_name:
            return (Record.name if search_kind(query.text) == "name" else Record.name_pinyin), False
        name = self._search_field("name")
        if query.sort == "name" and (name is None or role_sees(name, roles)):
            return Record.name, query.descending
        return Record.updated_at, query.descending

    def _masked_searched(self, text: str, roles: frozenset[Role]) -> list[str]:
        """The fields a search for `text` matches by exact value only, because the viewer sees them masked."""
        searched = _SEARCHED.get(search_kind(text) or "", ())
        return [key for key in searched if (spec := self._search_field(key)) is not None and not role_sees(spec, roles)]

    def _spend_search(self, actor: Actor, query: SearchQuery, roles: frozenset[Role]) -> list[str]:
        """Spend one of the actor's exact searches on masked fields (every role that sees the searched field masked),
        or refuse, audited by kind and fields, never the text: SearchLimited. Returns the masked fields searched."""
        masked = self._masked_searched(query.text, roles)
        if not masked:
            return masked
        now = utcnow()
        if self._search_budget.take(actor.user_id, normalise_text(query.text).replace(" ", "").upper(), now):
            return masked
        free, first = self._search_budget.refusal(actor.user_id, now)
        if first:
            with self._store.write() as s:
                self._store.audit(
                    s,
                    action="record.search_limited",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={"by": search_kind(query.text), "exact_on_masked": masked},
                )
        minutes = max(1, round((free - now).total_seconds() / 60))
        limit, window = self._search_budget.limit, int(self._search_budget.window.total_seconds() // 60)
        raise SearchLimited(
            f"Too many searches by exact ID number, mobile or name in a short time ({limit} in {window} minutes). "
            f"Try again in about {minutes} minute(s); if you need more, ask a supervisor.",
            f"短时间内按完整证件号、手机号或姓名查询的次数过多（{window} 分钟内最多 {limit} 次）。"
            f"请约 {minutes} 分钟后再试；如需更多查询，请联系主管。",
        )

    def _audit_search(
        self, actor: Actor, query: SearchQuery, details: Mapping[str, object], masked: Sequence[str] = ()
    ) -> None:
        """A search with text is audited: its kind and what it found, never the text (a name or an ID number); and
        which fields it matched by exact value because the actor sees them masked."""
        kind = search_kind(query.text)
        if kind is None:
            return
        extra: dict[str, object] = {"exact_on_masked": list(masked)} if masked else {}
        with self._store.write() as s:
            self._store.audit(
                s,
                action="record.search",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"by": kind, **details, **extra},
            )

    def search(self, actor: Actor, query: SearchQuery) -> list[RecordSummary]:
        """One page of the customer list, masked per role; never loads more than `limit` rows."""
        limit = max(1, min(query.limit, MAX_PAGE))
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            masked = self._spend_search(actor, query, roles)
            terms, by_name = self._search_filter(actor, query, roles)
            stmt = select(Record, User.username).join(User, User.id == Record.maker_id).where(*terms)
            # a name search reads the name index in order: the first page comes at once
            column, descending = self._sort_column(query, by_name, roles)
            stmt = stmt.order_by(column.desc() if descending else column, Record.id)
            stmt = stmt.offset(max(0, query.offset)).limit(limit)
            schema = self.form()
            rows = [self._summary(schema, record, maker, roles, actor) for record, maker in s.execute(stmt)]
            rows = _with_form_numbers(s, rows)
        self._audit_search(actor, query, {"found": len(rows), "offset": max(0, query.offset)}, masked)
        return rows

    def count(self, actor: Actor, query: SearchQuery) -> int:
        """How many records the query matches (for the list's row count); audited like search() when text is given."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            masked = self._spend_search(actor, query, roles)
            terms, _ = self._search_filter(actor, query, roles)
            counted = int(s.scalar(select(func.count()).select_from(Record).where(*terms)) or 0)
        self._audit_search(actor, query, {"counted": counted}, masked)
        return counted

    def find_by_id_number(self, actor: Actor, id_type: str, id_number: str) -> list[RecordSummary]:
        """Records with exactly this ID document (duplicate check and lookup); the lookup is audited."""
        with self._store.write() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            schema = self.form()
            clean = normalise_record(schema, {"id_type": id_type, "id_number": id_number})
            terms, _ = self._search_filter(actor, SearchQuery(), roles)
            stmt = (
                select(Record, User.username)
                .join(User, User.id == Record.maker_id)
                .where(Record.id_type == clean["id_type"], Record.id_number == clean["id_number"], *terms)
                .limit(20)
            )
            found = [self._summary(schema, record, maker, roles, actor) for record, maker in s.execute(stmt)]
            self._store.audit(
                s,
                action="record.lookup",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"by": "id_number", "found": len(found)},
            )
            return found

    def _summary(
        self, schema: FormSchema, record: Record, maker: str, roles: frozenset[Role], actor: Actor
    ) -> RecordSummary:
        status = Status(record.status)
        is_maker = record.maker_id == actor.user_id
        values = {c: getattr(record, c) for c in SEARCH_COLUMNS}
        shown, _ = self._mask(schema, values, roles, is_maker=is_maker, status=status)
        return RecordSummary(
            record.id,
            status,
            record.version,
            shown.get("name", ""),
            shown.get("name_pinyin", ""),
            shown.get("id_type", ""),
            shown.get("id_number", ""),
            shown.get("mobile", ""),
            maker,
            record.updated_at,
            False,
            record.purged_at is not None,
        )


def _with_form_numbers(s: Session, rows: list[RecordSummary]) -> list[RecordSummary]:
    """The page's rows with their paper form numbers, read by record id after the page (a join would change the
    plan of the list's ordered, limited query on a million records)."""
    numbers = form_numbers.numbers_of(s, (r.id for r in rows))
    return [replace(r, form_number=numbers[r.id]) if r.id in numbers else r for r in rows]


def search_columns(values: Mapping[str, str]) -> dict[str, str]:
    """The columns of `records` copied from a version's values (search and review); also for bulk inserts."""
    return {column: values.get(column, "") for column in SEARCH_COLUMNS + REVIEW_COLUMNS + DUPLICATE_COLUMNS}


def _prefix(column: Any, prefix: str) -> ColumnElement[bool]:
    """An index-friendly prefix match (a range, not LIKE, so SQLite's B-tree is used)."""
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def search_kind(text: str) -> str | None:
    """What the free text of a search is taken for: "number" (an ID number or a mobile), "name" (Han),
    "pinyin"; None when there is none. Also what the audit keeps of it."""
    clean = normalise_text(text)
    if not clean:
        return None
    compact = clean.replace(" ", "").upper()
    if any(ch.isdigit() for ch in compact) and compact.isalnum():
        return "number"
    if any("\u3400" <= ch <= "\u9fff" for ch in clean):
        return "name"
    return "pinyin"


def _decode(data: str) -> dict[str, str]:
    """A version's values; empty once retention purged them (the row then holds only PURGED_DATA)."""
    if data == PURGED_DATA:
        return {}
    return {str(k): str(v) for k, v in json.loads(data).items()}


def _dump(values: Mapping[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _usernames(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {uid: name for uid, name in session.execute(select(User.id, User.username).where(User.id.in_(wanted)))}
