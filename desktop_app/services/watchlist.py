"""Watchlist screening: list imports (versioned), screening at submit, approval and after an import, and the
supervisor's decision on a hit.

- Import: a UN consolidated list (XML) or a bank's own list (CSV) becomes a new version of its list name; the
  newest version of each name is screened against. A refused file (watchlist_files says why) writes nothing but
  an audit entry of the refusal, so the previous version stays in use.
- Screening: every record accepted at submit (or imported straight to approval: the importer runs the submit
  hooks), again at approval (the values may have changed at reconciliation, a list may have arrived since; in a
  transaction committed before approval's, so a hit found then is stored and audited though approval is refused),
  and every approved customer after an import, in batches that record their cursor (rescreen_step, resumable
  after a restart; the UI runs it in the background).
- A hit (open or escalated) blocks approval: approval's own transaction refuses while one exists. A supervisor
  clears it ("not the same person", with a reason) or escalates it (to compliance; approval stays blocked until
  it is cleared). Every hit and decision is audited with record id, list version, entry reference and reason
  codes; the supervisor's reason is in the audit entry too. No customer value is logged or audited.
- A cleared hit is not raised again while the customer's screened values and the listed entry are unchanged
  (fingerprints of both); a new list version with a changed entry raises it again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem, Severity
from desktop_app.domain.watchlist import EntryKind, Hit, ScreeningIndex, Subject, WatchlistEntry
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import Conflict, InvalidRequest, NotFound, PermissionDenied
from desktop_app.services.records import RecordService, _usernames
from desktop_app.services.watchlist_files import WatchlistFileRefused, read_list_file
from desktop_app.storage.models import Record, ScreeningHit, ScreeningRun, WatchlistEntryRow, WatchlistVersion
from desktop_app.storage.store import Store

log = logging.getLogger(__name__)

#: The list name given to each format when the importer names none.
DEFAULT_LIST_NAME = {"un_xml": "un", "csv": "bank"}
#: Shortest reason a supervisor must give for clearing or escalating.
MIN_REASON = 5


class HitStatus(StrEnum):
    OPEN = "open"
    CLEARED = "cleared"  # not the same person
    ESCALATED = "escalated"  # handed to compliance; still blocks approval
    SUPERSEDED = "superseded"  # the record's screened values changed before anyone decided


BLOCKING = (HitStatus.OPEN.value, HitStatus.ESCALATED.value)


@dataclass(frozen=True)
class ListVersionView:
    id: int
    list_name: str
    source_format: str
    file_name: str
    entries: int
    imported_by: str
    imported_at: datetime
    current: bool


def _list_name(given: str | None, source_format: str) -> str:
    """The list a file goes to: the name given, in lower case (UN and un are one list), else its format's."""
    return (given or DEFAULT_LIST_NAME[source_format]).strip().lower()[:64]


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


class ListShrinks(WatchlistFileRefused):
    """A new version would hold far fewer entries than the current one: imported only when confirmed."""


@dataclass(frozen=True)
class HitView:
    """A hit as the supervisor sees it: the listed entry's names and dates (public list data) and why."""

    id: int
    record_id: str
    record_version: int
    list_name: str
    list_version_id: int
    entry_ref: str
    entry_names: tuple[str, ...]
    entry_birth_dates: tuple[str, ...]
    score: float
    reasons: tuple[str, ...]
    status: HitStatus
    found_by: str
    found_at: datetime
    decided_by: str
    reason: str


@dataclass(frozen=True)
class RescreenProgress:
    run_id: int
    screened: int
    total: int
    hits: int
    finished: bool


@dataclass
class _Loaded:
    key: tuple[int, ...]
    index: ScreeningIndex
    version_of: dict[int, int]  # id(entry) -> list version id
    names: dict[int, str]  # list version id -> list name


def entry_to_json(entry: WatchlistEntry) -> str:
    return json.dumps(
        {
            "ref": entry.ref,
            "kind": entry.kind.value,
            "names": entry.names,
            "birth_dates": entry.birth_dates,
            "nationalities": entry.nationalities,
            "documents": entry.documents,
        },
        ensure_ascii=False,
    )


def entry_from_json(data: str) -> WatchlistEntry:
    d = json.loads(data)
    return WatchlistEntry(
        d["ref"],
        EntryKind(d["kind"]),
        tuple(d["names"]),
        tuple(d["birth_dates"]),
        tuple(d["nationalities"]),
        tuple(d["documents"]),
    )


class WatchlistService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()
        records.add_submit_hook(self._on_submit)
        records.add_before_approval(self._before_approval)
        records.add_approval_check(self._approval_problems)

    # --- lists --------------------------------------------------------------------------------------------
    def import_list(
        self,
        actor: Actor,
        data: bytes,
        file_name: str,
        list_name: str | None = None,
        *,
        accept_fewer: bool = False,
    ) -> ListVersionView:
        """Store the file as the newest version of its list and start re-screening the approved customers.

        A file that is not a valid list is refused (WatchlistFileRefused, nothing stored, the refusal audited).
        So is a file of another format than the list's (a CSV under the UN list's name), and, unless
        `accept_fewer`, a file holding fewer than half the entries or persons the list has held since its last
        confirmed version (ListShrinks): a truncated or wrong export would otherwise become the list every customer
        is screened against (found by the independent check: a list of no persons replaced one of five)."""
        sha = hashlib.sha256(data).hexdigest()
        with self._store.read() as s:
            authorise(s, actor, Permission.SETTINGS_ADMIN)
        try:
            source_format, entries = read_list_file(data, file_name)
            with self._store.read() as s:
                name_given = _list_name(list_name, source_format)
                self._refuse_other_format(s, name_given, source_format)
                if not accept_fewer:
                    self._refuse_shrinking(s, name_given, entries)
        except WatchlistFileRefused as exc:
            with self._store.write() as s:
                authorise(s, actor, Permission.SETTINGS_ADMIN)
                self._store.audit(
                    s,
                    action="watchlist.import_refused",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={"sha256": sha, "list": list_name or "", "error": exc.message_text.en[:300]},
                )
            raise
        name = _list_name(list_name, source_format)
        if not name:
            raise InvalidRequest("Give the list a name.", "请为名单命名。")
        with self._store.write() as s:
            authorise(s, actor, Permission.SETTINGS_ADMIN)
            now = utcnow()
            version = WatchlistVersion(
                accepted_fewer=accept_fewer,
                list_name=name,
                source_format=source_format,
                file_name=file_name[-255:],
                sha256=sha,
                entries=len(entries),
                imported_by=actor.user_id,
                imported_at=now,
            )
            s.add(version)
            s.flush()
            s.add_all(
                WatchlistEntryRow(version_id=version.id, ref=e.ref[:64], kind=e.kind.value, data=entry_to_json(e))
                for e in entries
            )
            # One run re-screens against every current list: an unfinished older one is no longer needed.
            for run in s.scalars(select(ScreeningRun).where(ScreeningRun.finished_at.is_(None))):
                run.finished_at = now
            s.add(ScreeningRun(list_version_id=version.id, cursor="", screened=0, hits=0, started_at=now))
            self._store.audit(
                s,
                action="watchlist.import",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={
                    "version": version.id,
                    "list": name,
                    "format": source_format,
                    "entries": len(entries),
                    "individuals": sum(e.kind is EntryKind.INDIVIDUAL for e in entries),
                    "sha256": sha,
                },
            )
            log.info("watchlist %s version %s imported: %s entries", name, version.id, len(entries))
            return ListVersionView(
                version.id, name, source_format, version.file_name, len(entries), actor.username, now, True
            )

    @staticmethod
    def _refuse_other_format(s: Session, name: str, source_format: str) -> None:
        """A list is one source: a bank's CSV imported under the UN list's name would replace that list."""
        current = s.scalar(
            select(WatchlistVersion.source_format)
            .where(WatchlistVersion.list_name == name)
            .order_by(WatchlistVersion.id.desc())
        )
        # The other format's own name is kept for it: the GUI imports each format under its name alone, so a UN
        # list named "bank" would shut the bank's own CSV list out (found by the independent check).
        reserved = {n: f for f, n in DEFAULT_LIST_NAME.items()}.get(name)
        if reserved is not None and reserved != source_format:
            current = reserved
        if current is not None and current != source_format:
            words = {
                "un_xml": ("a UN consolidated list (XML)", "联合国综合名单（XML）"),
                "csv": ("a CSV list", "CSV 名单"),
            }
            held, given = words.get(current, (current, current)), words.get(source_format, (source_format,) * 2)
            raise WatchlistFileRefused(
                f"The list '{name}' is {held[0]}; this file is {given[0]} and would replace it. Import it under a "
                "name of its own. The list stays as it was.",
                f"名单“{name}”是{held[1]}，此文件是{given[1]}，导入将替换该名单。请以另一个名称导入。名单保持不变。",
            )

    @staticmethod
    def _refuse_shrinking(s: Session, name: str, entries: list[WatchlistEntry]) -> None:
        """Held to the largest version since the last one confirmed with fewer entries (or ever): halving the
        list step by step, each step under the last, was no confirmation at all (found by the independent
        re-check: six imports took a list of 63 persons to 1)."""
        since: list[WatchlistVersion] = []
        for version in s.scalars(
            select(WatchlistVersion).where(WatchlistVersion.list_name == name).order_by(WatchlistVersion.id.desc())
        ):
            since.append(version)
            if version.accepted_fewer:
                break
        if not since:
            return
        largest = max(v.entries for v in since)
        people = s.execute(
            select(func.count())
            .where(
                WatchlistEntryRow.version_id.in_([v.id for v in since]),
                WatchlistEntryRow.kind == EntryKind.INDIVIDUAL.value,
            )
            .group_by(WatchlistEntryRow.version_id)
        ).scalars()
        people_before = max((int(n) for n in people), default=0)
        people_now = sum(e.kind is EntryKind.INDIVIDUAL for e in entries)
        if len(entries) * 2 >= largest and people_now * 2 >= people_before:
            return
        raise ListShrinks(
            f"The file holds {_count(len(entries), 'entry', 'entries')} ({_count(people_now, 'person', 'persons')}); "
            f"the list '{name}' has held up to {_count(largest, 'entry', 'entries')} "
            f"({_count(people_before, 'person', 'persons')}) since its last confirmed version. A list that loses "
            "more than half is more often a truncated or wrong export than a real update.",
            f"该文件共有 {len(entries):,} 个条目（{people_now:,} 人）；名单“{name}”自上次确认的版本以来最多有 "
            f"{largest:,} 个条目（{people_before:,} 人）。条目减少一半以上通常是导出不完整或文件有误。",
        )

    def versions(self, actor: Actor) -> list[ListVersionView]:
        """Every imported version, newest first; the newest of each list name is marked current."""
        with self._store.read() as s:
            self._authorise_viewer(s, actor)
            rows = list(s.scalars(select(WatchlistVersion).order_by(WatchlistVersion.id.desc())))
            names = _usernames(s, [r.imported_by for r in rows])
            current = set(_current_versions(s).values())
            return [
                ListVersionView(
                    r.id,
                    r.list_name,
                    r.source_format,
                    r.file_name,
                    r.entries,
                    names.get(r.imported_by, ""),
                    r.imported_at,
                    r.id in current,
                )
                for r in rows
            ]

    # --- hits ---------------------------------------------------------------------------------------------
    def hits_for(self, actor: Actor, record_id: str) -> list[HitView]:
        """The hits of a record, undecided first; for the approval screen."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            rows = list(
                s.scalars(
                    select(ScreeningHit)
                    .where(ScreeningHit.record_id == record_id, ScreeningHit.status != HitStatus.SUPERSEDED.value)
                    .order_by(ScreeningHit.id)
                )
            )
            rows.sort(key=lambda h: (h.status not in BLOCKING, h.id))
            return self._views(s, rows)

    def open_hits(self, actor: Actor, limit: int = 200) -> list[HitView]:
        """Open and escalated hits on any record, oldest first (approved customers found by a re-screen too)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            rows = list(
                s.scalars(
                    select(ScreeningHit)
                    .where(ScreeningHit.status.in_(BLOCKING))
                    .order_by(ScreeningHit.id)
                    .limit(max(1, min(limit, 1000)))
                )
            )
            return self._views(s, rows)

    def clear(self, actor: Actor, hit_id: int, reason: str) -> HitView:
        """Decide that the customer is not the listed person; the reason is required and audited."""
        return self._decide(actor, hit_id, HitStatus.CLEARED, reason)

    def escalate(self, actor: Actor, hit_id: int, reason: str) -> HitView:
        """Hand the hit to compliance; approval stays blocked until it is cleared. Reason required, audited."""
        return self._decide(actor, hit_id, HitStatus.ESCALATED, reason)

    def _decide(self, actor: Actor, hit_id: int, decision: HitStatus, reason: str) -> HitView:
        text = " ".join(reason.split())
        if len(text) < MIN_REASON:
            raise InvalidRequest(
                "Give the reason for your decision (at least a few words).", "请填写作出此决定的理由（至少几个字）。"
            )
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_APPROVE)
            hit = s.get(ScreeningHit, hit_id)
            if hit is None:
                raise NotFound(f"Screening hit {hit_id} does not exist.", f"筛查命中 {hit_id} 不存在。")
            allowed = {HitStatus.CLEARED: BLOCKING, HitStatus.ESCALATED: (HitStatus.OPEN.value,)}[decision]
            if hit.status not in allowed:
                raise Conflict(
                    f"Screening hit {hit_id} is {hit.status}; it cannot be {decision.value} now.",
                    f"筛查命中 {hit_id} 当前状态为 {hit.status}，不能执行此操作。",
                )
            record = self._records._record(s, hit.record_id)
            self._records._four_eyes(record, actor)
            if (
                decision is HitStatus.CLEARED
                and hit.status == HitStatus.ESCALATED.value
                and hit.decided_by == actor.user_id
            ):
                raise PermissionDenied(
                    "You escalated this hit; another supervisor or compliance officer must clear it.",
                    "该命中由您上报，须由其他主管或合规人员解除。",
                )
            hit.status = decision.value
            hit.decided_by = actor.user_id
            hit.decided_at = utcnow()
            hit.reason = text[:2000]
            self._store.audit(
                s,
                action=f"watchlist.hit_{'clear' if decision is HitStatus.CLEARED else 'escalate'}",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=hit.record_id,
                details={
                    "hit": hit.id,
                    "version": hit.record_version,
                    "list_version": hit.list_version_id,
                    "entry": hit.entry_ref,
                    "reason": hit.reason,
                },
            )
            return self._views(s, [hit])[0]

    # --- re-screening after an import ----------------------------------------------------------------------
    def rescreen_pending(self, actor: Actor) -> RescreenProgress | None:
        """The unfinished re-screening run, if any (the UI resumes it at sign-in)."""
        with self._store.read() as s:
            self._authorise_viewer(s, actor)
            run = _unfinished(s)
            return None if run is None else RescreenProgress(run.id, run.screened, _approved_count(s), run.hits, False)

    def rescreen_step(self, actor: Actor, batch: int = 2000) -> RescreenProgress:
        """Screen the next `batch` approved customers of the unfinished run; its cursor is saved with the hits, so
        a run stopped at any point resumes where it was. Returns the progress (finished when nothing is left)."""
        with self._store.write() as s:
            # Not behind the lock: a batch under way when the screen locks finishes, the next one waits for unlock.
            self._authorise_viewer(s, actor)
            run = _unfinished(s)
            if run is None:
                raise Conflict("No re-screening is waiting.", "没有待进行的重新筛查。")
            rows = list(
                s.execute(
                    select(
                        Record.id, Record.version, Record.name, Record.name_pinyin, Record.birth_date, Record.id_number
                    )
                    .where(
                        Record.approved_version.is_not(None),
                        Record.purged_at.is_(None),
                        Record.status != Status.DISCARDED.value,
                        Record.id > run.cursor,
                    )
                    .order_by(Record.id)
                    .limit(max(1, batch))
                )
            )
            # One read of the index and of the batch's earlier hits, not one per customer.
            loaded = self._load(s)
            earlier: dict[str, list[ScreeningHit]] = {row[0]: [] for row in rows}
            for hit in s.scalars(select(ScreeningHit).where(ScreeningHit.record_id.in_(list(earlier)))):
                earlier[hit.record_id].append(hit)
            found = 0
            for rid, version, name, latin, birth, number in rows:
                subject = Subject(name, latin, birth, number)
                found += len(self._screen(s, rid, version, subject, "rescreen", actor, loaded, earlier[rid]))
            run.screened += len(rows)
            run.hits += found
            if rows:
                run.cursor = rows[-1][0]
            if len(rows) < max(1, batch):
                run.finished_at = utcnow()
                self._store.audit(
                    s,
                    action="watchlist.rescreen_done",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={
                        "run": run.id,
                        "list_version": run.list_version_id,
                        "screened": run.screened,
                        "hits": run.hits,
                    },
                )
            return RescreenProgress(run.id, run.screened, _approved_count(s), run.hits, run.finished_at is not None)

    # --- the gate -----------------------------------------------------------------------------------------
    def _on_submit(self, s: Session, actor: Actor, record: Record, values: Mapping[str, str]) -> None:
        self._screen(s, record.id, record.version, Subject.of(values), "submit", actor)

    def _before_approval(self, s: Session, actor: Actor, record: Record, values: Mapping[str, str]) -> None:
        """Screen again before approval (values or lists may be new), in a transaction of its own: a hit found
        here is stored and audited even though the approval it blocks is refused (and rolled back)."""
        self._screen(s, record.id, record.version, Subject.of(values), "approval", actor)

    def _approval_problems(self, s: Session, actor: Actor, record: Record, values: Mapping[str, str]) -> list[Problem]:
        """An error per open or escalated hit (stored by _before_approval); a hit only this transaction finds (a
        list imported in between) blocks too, and the next attempt's _before_approval stores it."""
        unstored = self._screen(s, record.id, record.version, Subject.of(values), "approval", actor)
        problems = [
            Problem(
                field="name",
                code="watchlist_hit",
                message_text=Text(
                    en=f"The customer may be listed entry {hit.entry_ref} on a list imported just now. "
                    "Approve again to record the hit, then clear or escalate it.",
                    zh=f"客户可能是刚导入名单中的条目 {hit.entry_ref}。请再次审批以登记该命中，然后解除或上报。",
                ),
                severity=Severity.ERROR,
            )
            for hit in unstored
        ]
        new_ids = {hit.id for hit in unstored}
        blocking = s.scalars(
            select(ScreeningHit).where(ScreeningHit.record_id == record.id, ScreeningHit.status.in_(BLOCKING))
        ).all()
        for hit in blocking:
            if hit.id in new_ids:
                continue
            if hit.status == HitStatus.ESCALATED.value:
                text = Text(
                    en=f"Watchlist hit {hit.id} ({hit.entry_ref}) was escalated: approval waits until it is cleared.",
                    zh=f"名单筛查命中 {hit.id}（{hit.entry_ref}）已上报，须解除后才能审批。",
                )
            else:
                text = Text(
                    en=f"The customer may be listed entry {hit.entry_ref} (watchlist hit {hit.id}). Clear it as "
                    "'not the same person' or escalate it before approving.",
                    zh=f"客户可能是名单条目 {hit.entry_ref}（筛查命中 {hit.id}）。请先认定“非同一人”并解除，或上报。",
                )
            problems.append(Problem(field="name", code="watchlist_hit", message_text=text, severity=Severity.ERROR))
        return problems

    def _screen(
        self,
        s: Session,
        record_id: str,
        version: int,
        subject: Subject,
        found_by: str,
        actor: Actor,
        loaded: _Loaded | None = None,
        existing: list[ScreeningHit] | None = None,
    ) -> list[ScreeningHit]:
        """Record the new hits of `subject` (values of record_id); open hits for other values are superseded.
        `loaded` and `existing` (the record's earlier hits) are read here unless the caller read them for a batch."""
        loaded = loaded or self._load(s)
        digest = subject.digest()
        if existing is None:
            existing = list(s.scalars(select(ScreeningHit).where(ScreeningHit.record_id == record_id)))
        for old in existing:
            if old.status == HitStatus.OPEN.value and old.subject_digest != digest:
                old.status = HitStatus.SUPERSEDED.value
        if not len(loaded.index):
            return []
        known = {(h.entry_ref, h.subject_digest, h.entry_digest) for h in existing}
        new: list[ScreeningHit] = []
        for hit in loaded.index.screen(subject):
            entry_digest = hit.entry.digest()
            if (hit.entry.ref[:64], digest, entry_digest) in known:
                continue
            new.append(self._new_hit(record_id, version, loaded.version_of[id(hit.entry)], hit, digest, found_by))
        if new:
            s.add_all(new)
            s.flush()
            self._store.audit(
                s,
                action="watchlist.hit",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record_id,
                details={
                    "version": version,
                    "found_by": found_by,
                    "hits": [
                        {"hit": h.id, "list_version": h.list_version_id, "entry": h.entry_ref, "score": h.score}
                        for h in new
                    ],
                },
            )
            log.info("watchlist hits on %s: %s", record_id, [h.id for h in new])
        return new

    @staticmethod
    def _new_hit(record_id: str, version: int, list_version: int, hit: Hit, digest: str, found_by: str) -> ScreeningHit:
        return ScreeningHit(
            record_id=record_id,
            record_version=version,
            list_version_id=list_version,
            entry_ref=hit.entry.ref[:64],
            subject_digest=digest,
            entry_digest=hit.entry.digest(),
            score=hit.score,
            reasons=json.dumps(list(hit.reasons)),
            status=HitStatus.OPEN.value,
            found_at=utcnow(),
            found_by=found_by,
            reason="",
        )

    def _load(self, s: Session) -> _Loaded:
        """The index of the current list versions, built once per set of versions (shared by every thread)."""
        current = _current_versions(s)
        key = tuple(sorted(current.values()))
        with self._lock:
            if self._loaded is not None and self._loaded.key == key:
                return self._loaded
            entries: list[WatchlistEntry] = []
            version_of: dict[int, int] = {}
            for version_id, data in s.execute(
                select(WatchlistEntryRow.version_id, WatchlistEntryRow.data).where(
                    WatchlistEntryRow.version_id.in_(key), WatchlistEntryRow.kind == EntryKind.INDIVIDUAL.value
                )
            ):
                entry = entry_from_json(data)
                entries.append(entry)
                version_of[id(entry)] = version_id
            self._loaded = _Loaded(key, ScreeningIndex.build(entries), version_of, {v: n for n, v in current.items()})
            return self._loaded

    def _views(self, s: Session, rows: list[ScreeningHit]) -> list[HitView]:
        names = _usernames(s, [h.decided_by for h in rows])
        lists = {v.id: v.list_name for v in s.scalars(select(WatchlistVersion))}
        out = []
        for h in rows:
            entry_row = s.scalars(
                select(WatchlistEntryRow).where(
                    WatchlistEntryRow.version_id == h.list_version_id, WatchlistEntryRow.ref == h.entry_ref
                )
            ).first()
            entry = entry_from_json(entry_row.data) if entry_row is not None else None
            out.append(
                HitView(
                    h.id,
                    h.record_id,
                    h.record_version,
                    lists.get(h.list_version_id, ""),
                    h.list_version_id,
                    h.entry_ref,
                    entry.names if entry else (),
                    entry.birth_dates if entry else (),
                    h.score,
                    tuple(json.loads(h.reasons)),
                    HitStatus(h.status),
                    h.found_by,
                    h.found_at,
                    names.get(h.decided_by, "") if h.decided_by else "",
                    h.reason,
                )
            )
        return out

    def _authorise_viewer(self, s: Session, actor: Actor, *, continuing: bool = False) -> None:
        """Supervisors (who decide hits) and administrators (who import lists) may see lists and run re-screens."""
        try:
            authorise(s, actor, Permission.SETTINGS_ADMIN, continuing=continuing)
        except PermissionDenied:
            authorise(s, actor, Permission.RECORD_APPROVE, continuing=continuing)


def _current_versions(s: Session) -> dict[str, int]:
    """The newest version id of each list name."""
    return {
        name: vid
        for name, vid in s.execute(
            select(WatchlistVersion.list_name, func.max(WatchlistVersion.id)).group_by(WatchlistVersion.list_name)
        )
    }


def _unfinished(s: Session) -> ScreeningRun | None:
    return s.scalars(
        select(ScreeningRun).where(ScreeningRun.finished_at.is_(None)).order_by(ScreeningRun.id.desc())
    ).first()


def _approved_count(s: Session) -> int:
    return int(
        s.scalar(
            select(func.count())
            .select_from(Record)
            .where(
                Record.approved_version.is_not(None),
                Record.purged_at.is_(None),
                Record.status != Status.DISCARDED.value,
            )
        )
        or 0
    )
