"""Is this customer already in the store? Likely matches for an entry, and the supervisor's same/different decision.

Candidates are found by blocking, never by reading every customer: the stored records that share the entry's
birth date (or its day and month swapped), its mobile number, or an ID number equal to the entry's or one slip
away from it (one character wrong, two adjacent swapped: the few hundred such numbers are looked up exactly).
All three columns are indexed on `records`, so the query reads a few dozen rows on a million customers; each is
then scored by the duplicate rules (domain/duplicate_evidence.py) and kept at or above the threshold.

Blind rules: a clerk keying the second entry of a record never gets candidates for it (the call answers nothing),
the record being keyed is never its own candidate, and a record awaiting another clerk's blind second entry is
never shown (its values are hidden from everyone but its maker). Only records somebody has vouched for are
candidates: submitted or later, or an approved customer (then as approved, whatever change is being keyed on it);
a draft or a returned record is work in progress, not a customer. Candidates are masked like the customer list.

At approval every candidate must be decided: "different person" lets the record through; "same person" returns
it to its maker, who keys the change on the existing customer instead (merge_into). Both are recorded and audited
(reason codes and record ids, never values).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from desktop_app.domain.duplicate_evidence import DEFAULT_THRESHOLD, PairScore, id_number_variants, score_pair
from desktop_app.domain.form_schema import FormSchema
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.normaliser import normalise_record
from desktop_app.domain.roles import Permission, Role
from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem, Severity
from desktop_app.domain.visibility import role_sees, values_hidden
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import Conflict, InvalidRequest, ServiceError
from desktop_app.services.records import RecordService, SaveResult, _decode
from desktop_app.services.search_budget import SearchBudget
from desktop_app.services.settings import read_setting
from desktop_app.storage.models import DuplicateDecision, Record, RecordVersion
from desktop_app.storage.store import Store

log = logging.getLogger(__name__)

#: The fields candidates are looked up by: an entry with none of them typed has no candidate (callers need not ask).
BLOCKING_FIELDS = ("birth_date", "mobile", "id_number")
#: Most candidates shown for one entry, best first.
MAX_CANDIDATES = 5
#: Statuses of work in progress: such a record is a candidate only as its approved version, if it has one.
_UNSUBMITTED = frozenset({Status.DRAFT, Status.REJECTED})
_COLUMNS = ("name", "name_pinyin", "birth_date", "id_type", "id_number", "mobile")


#: Distinct masked values (a birth date, an ID number, a mobile) one user may check for an existing customer in
#: search_budget.WINDOW: a teller keys a few customers in ten minutes, three such values each (and an ID number or
#: mobile only once long enough to be one: MIN_LOOKUP).
PROBE_LIMIT = 30
#: And in a day: a rate alone bounds nothing (the probe of one customer's ID number fits in three windows); a
#: teller keys some dozens of customers a day.
PROBE_DAY_LIMIT = 150
#: The shortest ID number and mobile looked up: shorter ones are still being typed, and would each cost a check.
MIN_LOOKUP = {"id_number": 8, "mobile": 11}


class DuplicateCheckLimited(ServiceError):
    """Too many different masked values checked for an existing customer in a short time."""

    code = "duplicate_check_limited"


class Decision(StrEnum):
    SAME = "same"
    DIFFERENT = "different"


@dataclass(frozen=True)
class Candidate:
    """A stored customer who may be the person being keyed, masked for the viewer, with the reasons (codes)."""

    record_id: str
    status: Status
    score: float
    reasons: tuple[str, ...]
    name: str
    id_type: str
    id_number: str
    birth_date: str
    decision: Decision | None = None


class DuplicateService:
    def __init__(self, store: Store, records: RecordService, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._store = store
        self._records = records
        self.threshold = threshold
        # The candidate ids last shown per (clerk, record being keyed): an unchanged answer is not audited again.
        self._shown: dict[tuple[int, str | None], frozenset[str]] = {}
        self._shown_lock = threading.Lock()
        self._budget = SearchBudget(store, limit=PROBE_LIMIT, kind="duplicate")
        self._daily = SearchBudget(store, limit=PROBE_DAY_LIMIT, window=timedelta(days=1), kind="duplicate_day")
        records.add_approval_check(self._approval_problems)

    # --- while keying -------------------------------------------------------------------------------------
    def for_entry(
        self, actor: Actor, values: Mapping[str, str], record_id: str | None = None, form_key: str | None = None
    ) -> list[Candidate]:
        """Likely matches for what the maker is keying (`record_id`: their draft, None for a new form), best first.

        A clerk who is not the record's maker (a blind second entry) gets none. Values are masked as in the customer
        list; an answer that names candidates is audited (`duplicate.candidates`: their ids and reason codes), since
        typed values answered with "a customer one digit away exists" could otherwise be probed unseen. Only when
        the set of candidates shown for that form changes: an empty answer, or the same ones again at the next pause
        in typing, is not, or every pause would write to the trail.
        """
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_CREATE)
            if record_id is not None:
                record = s.get(Record, record_id)
                if record is None or record.maker_id != actor.user_id:
                    return []
                form_key = record.form_key
            schema = self._records.form(form_key)
            clean = normalise_record(schema, values)
            if read_setting(s, "duplicates_at_entry") == "supervisor_only" and self._masked_lookups(schema, roles):
                return []  # the bank keeps every answer about values a clerk cannot see for the supervisor
        self._spend_probe(actor, schema, roles, clean)
        with self._store.read() as s:
            found = self._candidates(s, actor, roles, schema, clean, record_id)
        if self._shown_anew(actor, record_id, found):
            with self._store.write() as s:
                self._store.audit(
                    s,
                    action="duplicate.candidates",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    record_id=record_id,
                    details={"candidates": {c.record_id: list(c.reasons) for c in found}},
                )
        return found

    @staticmethod
    def _masked_lookups(schema: FormSchema, roles: frozenset[Role]) -> frozenset[str]:
        """The fields candidates are looked up by that `roles` see masked in stored records."""
        return frozenset(
            key for key in BLOCKING_FIELDS if key in schema.keys and not role_sees(schema.field(key), roles)
        )

    def _spend_probe(self, actor: Actor, schema: FormSchema, roles: frozenset[Role], values: Mapping[str, str]) -> None:
        """Spend one of the actor's duplicate checks on the values looked up by fields they see masked in stored
        records (a teller: birth date, ID number, mobile), or refuse: DuplicateCheckLimited.

        Each answer says whether a customer with such values exists, so unlimited checks are an oracle for the
        masked values (an independent check found a masked birth date in 29 tries by typing dates, then the
        whole ID number in 46). A value looked up again within the window (the next pause in typing) is free. The
        first refusal in a window is audited (`duplicate.check_limited`, never the values)."""
        masked = self._masked_lookups(schema, roles)
        probes = [f"{key}={value}" for key, value in _looked_up(values).items() if key in masked]
        now = utcnow()
        budgets = (self._budget, self._daily)
        if all(budget.take(actor.user_id, probe, now) for budget in budgets for probe in probes):
            return
        until, first = self._budget.refusal(actor.user_id, now, self._daily)
        if first:
            with self._store.write() as s:
                self._store.audit(
                    s, action="duplicate.check_limited", actor_id=actor.user_id, actor_name=actor.username, details={}
                )
        minutes = max(1, round((until - now).total_seconds() / 60))
        raise DuplicateCheckLimited(
            f"The check for an existing customer is paused: too many different ID numbers, birth dates or mobiles "
            f"checked. It runs again in about {minutes} minute(s); the supervisor still sees any likely match at "
            "approval.",
            f"查重暂停：核对了过多不同的证件号、出生日期或手机号。约 {minutes} 分钟后恢复；"
            "审批时主管仍会看到可能重复的客户。",
        )

    def _shown_anew(self, actor: Actor, record_id: str | None, found: list[Candidate]) -> bool:
        """True when `found` names candidates and not the same ones last shown to `actor` for this record (or their
        new form, record_id None)."""
        key, ids = (actor.user_id, record_id), frozenset(c.record_id for c in found)
        with self._shown_lock:
            if len(self._shown) > 10_000:
                self._shown.clear()  # a bound, not a cache to keep: at worst one audit entry too many
            before = self._shown.get(key)
            self._shown[key] = ids
        return bool(ids) and ids != before

    # --- at approval --------------------------------------------------------------------------------------
    def for_approval(self, actor: Actor, record_id: str) -> list[Candidate]:
        """The candidates of a record awaiting approval, with the supervisor's latest decision on each; audited."""
        with self._store.write() as s:
            _, roles = authorise(s, actor, Permission.RECORD_APPROVE)
            record = self._awaiting(s, record_id)
            schema = self._records.form(record.form_key)
            values = self._records._values(s, record)
            found = self._candidates(s, actor, roles, schema, values, record.id)
            decided = _latest_decisions(s, record.id)
            self._store.audit(
                s,
                action="duplicate.view",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"version": record.version, "candidates": len(found)},
            )
            return [replace(c, decision=decided.get(c.record_id)) for c in found]

    def decide(
        self, actor: Actor, record_id: str, candidate_id: str, decision: Decision, note: str = ""
    ) -> SaveResult | None:
        """Record that `record_id` and `candidate_id` are the same person or two people; audited.

        "Same person" also returns the record to its maker (the change belongs on the existing customer); the
        result of that return is given back. "Different person" changes nothing else.
        """
        decision = Decision(decision)
        with self._store.write() as s:
            _, roles = authorise(s, actor, Permission.RECORD_APPROVE)
            record = self._awaiting(s, record_id)
            self._records._four_eyes(record, actor)
            schema = self._records.form(record.form_key)
            values = self._records._values(s, record)
            scored = {c.record_id: c for c in self._candidates(s, actor, roles, schema, values, record.id)}
            candidate = scored.get(candidate_id)
            if candidate is None:
                raise InvalidRequest(
                    f"Record {candidate_id} is not a likely match of record {record.id}.",
                    f"记录 {candidate_id} 不是记录 {record.id} 的疑似重复客户。",
                )
            s.add(
                DuplicateDecision(
                    record_id=record.id,
                    version=record.version,
                    candidate_id=candidate_id,
                    decision=decision.value,
                    score=candidate.score,
                    reasons=json.dumps(list(candidate.reasons)),
                    note=note.strip()[:1000],
                    decided_by=actor.user_id,
                    decided_at=utcnow(),
                )
            )
            self._store.audit(
                s,
                action="duplicate.decide",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={
                    "version": record.version,
                    "candidate": candidate_id,
                    "decision": decision.value,
                    "score": candidate.score,
                    "reasons": list(candidate.reasons),
                },
            )
            version = record.version
        if decision is Decision.SAME:
            reason = (
                f"客户重复 / Duplicate customer: 与记录 {candidate_id} 为同一人，请对该记录发起变更 "
                f"(same person as record {candidate_id}: key the change on that record)"
            )
            return self._records.reject(actor, record_id, version, reason)
        return None

    def returned_as_same(self, actor: Actor, record_id: str) -> str | None:
        """For the maker of a record returned as "same person": the existing customer it is the same as (to merge
        into); None for any other record or viewer."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_EDIT)
            record = s.get(Record, record_id)
            if record is None or record.maker_id != actor.user_id or Status(record.status) not in _UNSUBMITTED:
                return None
            latest = s.scalars(
                select(DuplicateDecision)
                .where(DuplicateDecision.record_id == record_id)
                .order_by(DuplicateDecision.id.desc())
                .limit(1)
            ).first()
            if latest is None or latest.decision != Decision.SAME.value:
                return None
            return latest.candidate_id

    def merge_into(self, actor: Actor, record_id: str, candidate_id: str) -> SaveResult:
        """The maker's follow-up of "same person": a change on the existing customer carrying the values of their
        returned record as last saved (the new details, not the customer's old ones), which is discarded. Returns the
        new draft of the change (the maker checks and submits it).
        """
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_EDIT)
            record = self._records._record(s, record_id)
            self._records._require_maker(record, actor, "merge")
            # Returned, or edited since (a returned record the maker saves becomes a draft again).
            if Status(record.status) not in _UNSUBMITTED:
                raise Conflict(
                    f"Record {record_id} is {record.status}; only a record returned as the same person is merged.",
                    f"记录 {record_id} 不是被退回的重复客户记录，不能合并。",
                )
            same = [
                d
                for d in s.scalars(select(DuplicateDecision).where(DuplicateDecision.record_id == record_id))
                if d.candidate_id == candidate_id
            ]
            if not same or same[-1].decision != Decision.SAME.value:
                raise Conflict(
                    f"No supervisor decided that record {record_id} is the same person as {candidate_id}.",
                    f"主管未认定记录 {record_id} 与记录 {candidate_id} 为同一人。",
                )
            values = self._records._values(s, record)
            version = record.version
        # Three steps, each its own transaction with its own checks (maker, status, four eyes later at approval).
        change = self._records.start_change(actor, candidate_id)
        saved = self._records.save(actor, candidate_id, values, change.version)
        self._records.discard(actor, record_id, version)
        return saved

    # --- the gate -----------------------------------------------------------------------------------------
    def _approval_problems(self, s: Session, actor: Actor, record: Record, values: Mapping[str, str]) -> list[Problem]:
        """Errors that stop approval: a likely match not yet decided, or one decided to be the same person."""
        schema = self._records.form(record.form_key)
        # The roles only mask what is shown; the problems name record ids alone.
        found = self._candidates(s, actor, actor.roles, schema, values, record.id)
        decided = _latest_decisions(s, record.id)
        problems = []
        for c in found:
            decision = decided.get(c.record_id)
            if decision is Decision.DIFFERENT:
                continue
            if decision is Decision.SAME:
                text = Text(
                    en=f"You decided this is the same person as record {c.record_id}: return it to its maker.",
                    zh=f"已认定与记录 {c.record_id} 为同一人，请退回录入人。",
                )
            else:
                text = Text(
                    en=f"Record {c.record_id} may be the same customer. Decide 'same person' or "
                    "'different person' before approving.",
                    zh=f"记录 {c.record_id} 可能是同一客户。请先认定“同一人”或“不同人”，再审批。",
                )
            problems.append(
                Problem(field="name", code="possible_duplicate", message_text=text, severity=Severity.ERROR)
            )
        return problems

    # --- the query ----------------------------------------------------------------------------------------
    def _awaiting(self, s: Session, record_id: str) -> Record:
        record = self._records._record(s, record_id)
        if record.status != Status.AWAITING_APPROVAL.value:
            raise InvalidRequest(f"Record {record.id} is not awaiting approval.", f"记录 {record.id} 不在待审批状态。")
        return record

    def _candidates(
        self,
        s: Session,
        actor: Actor,
        roles: frozenset[Role],
        schema: FormSchema,
        values: Mapping[str, str],
        exclude: str | None,
    ) -> list[Candidate]:
        scored: list[tuple[PairScore, _Stored, Mapping[str, str]]] = []
        for stored in _blocked(s, values, exclude):
            if values_hidden(status=Status(stored.status), is_maker=stored.maker_id == actor.user_id):
                continue  # awaiting another clerk's blind second entry
            at: int | None = stored.version
            if Status(stored.status) in _UNSUBMITTED:
                # Read apart (rare): the birth-date query stays on its covering index, which has no approved_version.
                at = s.scalar(select(Record.approved_version).where(Record.id == stored.id))
                if at is None:
                    continue  # somebody's unsubmitted draft: nobody has vouched for it yet
                # else the customer as approved, not the change being keyed on it
            # First on the indexed columns alone; the version (address, sex, nationality) is read only for the few
            # that could still reach the threshold with the entry's own address (the most an address adds; the rest
            # only lowers).
            best = dict(stored.columns, address=values.get("address", ""))
            if at == stored.version and score_pair(values, best).score < self.threshold:
                continue
            version = s.get(RecordVersion, (stored.id, at))
            data = _decode(version.data) if version is not None else stored.columns
            full = score_pair(values, data)
            if full.score >= self.threshold:
                scored.append((full, stored, data))
        scored.sort(key=lambda found: (-found[0].score, found[1].id))
        out = []
        for pair, stored, data in scored[:MAX_CANDIDATES]:
            status = Status(stored.status)
            # Shown as scored: an approved customer with a change in progress as approved.
            shown, _ = self._records._mask(
                schema, data, roles, is_maker=stored.maker_id == actor.user_id, status=status
            )
            out.append(
                Candidate(
                    stored.id,
                    status,
                    pair.score,
                    pair.reasons,
                    shown.get("name", ""),
                    shown.get("id_type", ""),
                    shown.get("id_number", ""),
                    shown.get("birth_date", ""),
                )
            )
        if out:
            log.info("duplicate candidates for %s: %s", exclude or "a new entry", [c.record_id for c in out])
        return out


@dataclass(frozen=True)
class _Stored:
    """What the blocking query reads of a stored record: all of it from the index for the birth-date block."""

    id: str
    version: int
    status: str
    maker_id: int
    columns: Mapping[str, str]


_READ = (Record.id, Record.version, Record.status, Record.maker_id, *(getattr(Record, c) for c in _COLUMNS))


def _looked_up(values: Mapping[str, str]) -> dict[str, str]:
    """The values _blocked looks stored records up by: a whole birth date, an ID number and mobile long enough."""
    found = {key: values.get(key, "") for key in ("mobile", "id_number")}
    found = {key: value for key, value in found.items() if len(value.lstrip("+")) >= MIN_LOOKUP[key]}
    if len(values.get("birth_date", "")) == 10:
        found["birth_date"] = values["birth_date"]
    return found


def _blocked(s: Session, values: Mapping[str, str], exclude: str | None) -> list[_Stored]:
    """The stored records sharing a blocking key with `values` (birth date, mobile, ID number or a slip of it).

    One query per key rather than one with OR: the birth-date one is then answered from its covering index
    (ix_records_birth_date holds every column read here), a few index pages instead of a table page per row."""
    keys: list[ColumnElement[bool]] = []
    looked_up = _looked_up(values)
    birth = looked_up.get("birth_date", "")
    if birth:
        births = {birth}
        swapped = f"{birth[:4]}-{birth[8:10]}-{birth[5:7]}"
        if swapped[5:7] <= "12":
            births.add(swapped)
        keys.append(Record.birth_date.in_(sorted(births)))
    mobile = looked_up.get("mobile", "")
    if mobile:
        keys.append(Record.mobile == mobile)
    number = looked_up.get("id_number", "")
    if number:
        keys.append(Record.id_number.in_([number, *id_number_variants(number)]))
    found: dict[str, _Stored] = {}
    for key in keys:
        query = select(*_READ).where(key, Record.status != Status.DISCARDED.value, Record.purged_at.is_(None))
        if exclude:
            query = query.where(Record.id != exclude)
        for row in s.execute(query.limit(2000)):
            rid, version, status, maker_id, *cells = row
            if rid not in found:
                found[rid] = _Stored(rid, version, status, maker_id, dict(zip(_COLUMNS, cells, strict=True)))
    return list(found.values())


def _latest_decisions(s: Session, record_id: str) -> dict[str, Decision]:
    found: dict[str, Decision] = {}
    for row in s.scalars(
        select(DuplicateDecision).where(DuplicateDecision.record_id == record_id).order_by(DuplicateDecision.id)
    ):
        found[row.candidate_id] = Decision(row.decision)
    return found
