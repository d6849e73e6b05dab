"""The permission matrix: every service call and every role, allowed and denied, called on the services directly."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customer
from desktop_app.services.actor import Actor, SessionState
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.dual_entry import Decision
from desktop_app.services.duplicates import Decision as DuplicateDecision
from desktop_app.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    PermissionDenied,
    SessionEnded,
    SessionLocked,
)
from desktop_app.services.records import SearchQuery
from desktop_app.services.sync import SyncNotConfigured, SyncRefused
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from tests.conftest import PASSWORD
from tests.integration import (
    matrix_backups,
    matrix_dashboard,
    matrix_exports,
    matrix_imports,
    matrix_reviews,
    matrix_screening,
)
from tests.support.spreadsheets import chinese_headers, customer_rows, write_csv

PASSPHRASE = "matrix passphrase for tests 1"
_counter = itertools.count()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, "PNG")
    return out.getvalue()


SCAN_PNG = _png()
SCAN_META: dict[str, object] = {"document_type": "cn_id_front", "fields": {}, "warnings": []}


def _likely_duplicate(c: Ctx, maker: Actor | None = None) -> tuple[str, str]:
    """(a record awaiting approval, an approved customer it likely duplicates: the same person with a passport)."""
    values = c.values()
    while values["id_type"] != "resident_id":  # the likely duplicate below is the same person with a passport
        values = c.values()
    existing = c.ws.records.create(c.maker, values).record_id
    c.ws.records.submit(c.maker, existing, None)
    c.ws.records.approve(c.checker, existing, None)
    again = dict(values, id_type="passport", id_number=f"E{next(_counter):08d}", nationality="CHN")
    rid = c.ws.records.create(maker or c.maker, again).record_id
    c.ws.records.submit(maker or c.maker, rid, None)
    return rid, existing


def _returned_as_same(c: Ctx, actor: Actor) -> tuple[str, str]:
    """(a record returned to its maker as the same person as an approved customer, that customer)."""
    rid, existing = _likely_duplicate(c, actor if Role.TELLER in actor.roles else None)
    c.ws.duplicates.decide(c.checker, rid, existing, DuplicateDecision.SAME)
    return rid, existing


@dataclass
class Ctx:
    ws: Workstation
    actors: dict[Role, Actor]
    maker: Actor  # a teller who is never the actor under test
    checker: Actor  # a supervisor who is never the actor under test
    second: Actor  # a second clerk who is never the actor under test
    passwords: dict[str, str]

    def values(self) -> dict[str, str]:
        return generate_customer(random.Random(next(_counter)), date.today())

    def draft(self, actor: Actor) -> str:
        owner = actor if Role.TELLER in actor.roles else self.maker
        return self.ws.records.create(owner, self.values()).record_id

    def scanned(self, actor: Actor) -> tuple[str, int]:
        """A draft with a scan attached by its maker (the actor when a teller, else the maker)."""
        owner = actor if Role.TELLER in actor.roles else self.maker
        rid = self.ws.records.create(owner, self.values()).record_id
        return rid, self.ws.attachments.attach_scan(owner, rid, SCAN_PNG, SCAN_META)

    def awaiting_approval(self) -> str:
        rid = self.ws.records.create(self.maker, self.values()).record_id
        self.ws.records.submit(self.maker, rid, None)
        return rid

    @property
    def third(self) -> Actor:
        """A teller who keyed neither entry: the resolver under the 'third_clerk' policy used here."""
        return self.actors[Role.TELLER]

    def awaiting_second_entry(self) -> str:
        self.ws.settings.set(self.actors[Role.ADMIN], "dual_entry_policy", "both")
        try:
            rid = self.ws.records.create(self.maker, self.values()).record_id
            self.ws.records.submit(self.maker, rid, None)
        finally:
            self.ws.settings.set(self.actors[Role.ADMIN], "dual_entry_policy", "none")
        return rid

    def awaiting_reconciliation(self) -> str:
        rid = self.awaiting_second_entry()
        values = self.values()
        self.ws.dual_entry.submit(self.second, rid, values)
        return rid

    def approved(self) -> str:
        rid = self.awaiting_approval()
        self.ws.records.approve(self.checker, rid, None)
        return rid

    def new_user(self) -> str:
        name = f"target{next(_counter)}"
        self.ws.users.add(self.actors[Role.ADMIN], name, PASSWORD, {Role.TELLER})
        return name


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ctx]:
    root: Path = tmp_path_factory.mktemp("matrix") / "data"
    # A passphrase-kept key: a module-wide store must not depend on the per-test keyring fixture.
    ws, _, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.PASSPHRASE, PASSPHRASE)
    ws.settings.set(admin, "dual_entry_policy", "none")
    actors = {Role.ADMIN: admin}
    for role in (Role.TELLER, Role.SUPERVISOR, Role.AUDITOR):
        ws.users.add(admin, role.value, PASSWORD, {role})
    for name, role in (("maker", Role.TELLER), ("checker", Role.SUPERVISOR), ("second", Role.TELLER)):
        ws.users.add(admin, name, PASSWORD, {role})
    logged = {}
    for name in ("teller", "supervisor", "auditor", "maker", "checker", "second"):
        actor, _ = ws.auth.login(name, PASSWORD)
        ws.auth.change_password(actor, PASSWORD, PASSWORD + "!")
        logged[name], _ = ws.auth.login(name, PASSWORD + "!")
    actors.update(
        {Role.TELLER: logged["teller"], Role.SUPERVISOR: logged["supervisor"], Role.AUDITOR: logged["auditor"]}
    )
    passwords = {name: PASSWORD + "!" for name in logged} | {"admin": PASSWORD}
    ws.settings.set(admin, "reconciliation_resolver", "third_clerk")  # neither maker nor second clerk settles
    yield Ctx(ws, actors, logged["maker"], logged["checker"], logged["second"], passwords)
    ws.close()


T, S, A, ADM = Role.TELLER, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN


def _past_permission(call: Callable[[], Any]) -> None:
    """Run a sync call that, once allowed, fails for want of a server: only PermissionDenied is a refusal."""
    with contextlib.suppress(SyncNotConfigured, SyncRefused):
        call()


Call = Callable[[Ctx, Actor], Any]

MATRIX: dict[str, tuple[Call, set[Role]]] = {
    "records.create": (lambda c, a: c.ws.records.create(a, c.values()), {T}),
    "records.save": (lambda c, a: c.ws.records.save(a, c.draft(a), c.values(), None), {T}),
    "records.submit": (lambda c, a: c.ws.records.submit(a, c.draft(a), None), {T}),
    "records.discard": (lambda c, a: c.ws.records.discard(a, c.draft(a), None), {T}),
    "records.start_change": (lambda c, a: c.ws.records.start_change(a, c.approved()), {T}),
    "records.approve": (lambda c, a: c.ws.records.approve(a, c.awaiting_approval(), None), {S}),
    "records.reject": (lambda c, a: c.ws.records.reject(a, c.awaiting_approval(), None, "示例原因"), {S}),
    "records.get": (lambda c, a: c.ws.records.get(a, c.approved()), {T, S, A}),
    "records.reveal": (lambda c, a: c.ws.records.reveal(a, c.approved(), "id_number"), {T, S, A}),
    "records.history": (lambda c, a: c.ws.records.history(a, c.approved()), {T, S, A}),
    "records.timeline": (lambda c, a: c.ws.records.timeline(a, c.approved()), {T, S, A}),
    "records.search": (lambda c, a: c.ws.records.search(a, SearchQuery()), {T, S, A}),
    "records.count": (lambda c, a: c.ws.records.count(a, SearchQuery()), {T, S, A}),
    "records.find_by_id_number": (
        lambda c, a: c.ws.records.find_by_id_number(a, "resident_id", "11010519491231002X"),
        {T, S, A},
    ),
    "duplicates.for_entry": (lambda c, a: c.ws.duplicates.for_entry(a, c.values()), {T}),
    "duplicates.for_approval": (lambda c, a: c.ws.duplicates.for_approval(a, c.awaiting_approval()), {S}),
    "duplicates.decide": (
        lambda c, a: c.ws.duplicates.decide(a, *_likely_duplicate(c), DuplicateDecision.DIFFERENT),
        {S},
    ),
    "duplicates.merge_into": (lambda c, a: c.ws.duplicates.merge_into(a, *_returned_as_same(c, a)), {T}),
    "duplicates.returned_as_same": (
        lambda c, a: c.ws.duplicates.returned_as_same(a, _returned_as_same(c, a)[0]),
        {T},
    ),
    "audit.entries": (lambda c, a: c.ws.audit.entries(a, AuditFilter()), {S, A}),
    "audit.verify_chain": (lambda c, a: c.ws.audit.verify_chain(a), {A, ADM}),
    "audit.verify_store": (lambda c, a: c.ws.audit.verify_store(a), {A, ADM}),
    "audit.actions": (lambda c, a: c.ws.audit.actions(a), {S, A}),
    "audit.actors": (lambda c, a: c.ws.audit.actors(a), {S, A}),
    "audit.count": (lambda c, a: c.ws.audit.count(a, AuditFilter()), {S, A}),
    "audit.export": (lambda c, a: c.ws.audit.export(a, AuditFilter(), matrix_exports._out(c, ".csv")), {S, A}),
    "autosave.save": (lambda c, a: c.ws.autosave.save(a, "new", "personal_customer", {"name": "测试"}), {T}),
    "autosave.list": (lambda c, a: c.ws.autosave.list(a), {T}),
    "autosave.clear": (lambda c, a: c.ws.autosave.clear(a, "new"), {T}),
    "dual_entry.queue": (lambda c, a: c.ws.dual_entry.queue(a), {T}),
    "dual_entry.submit": (lambda c, a: c.ws.dual_entry.submit(a, c.awaiting_second_entry(), c.values()), {T}),
    "dual_entry.reconciliation_queue": (lambda c, a: c.ws.dual_entry.reconciliation_queue(a), {T, S}),
    "dual_entry.reconciliation": (lambda c, a: c.ws.dual_entry.reconciliation(a, c.awaiting_reconciliation()), {T}),
    "dual_entry.resolve": (
        lambda c, a: c.ws.dual_entry.resolve(
            a,
            (rid := c.awaiting_reconciliation()),
            {d.field: Decision("first") for d in c.ws.dual_entry.reconciliation(c.third, rid).differences},
        ),
        {T},
    ),
    "approvals.queue": (lambda c, a: c.ws.approvals.queue(a), {S}),
    "approvals.detail": (lambda c, a: c.ws.approvals.detail(a, c.awaiting_approval()), {S}),
    "approvals.approve": (lambda c, a: c.ws.approvals.approve(a, c.awaiting_approval(), None), {S}),
    "approvals.reject": (lambda c, a: c.ws.approvals.reject(a, c.awaiting_approval(), None, "other", "示例"), {S}),
    "approvals.bulk_approve": (lambda c, a: c.ws.approvals.bulk_approve(a, [c.awaiting_approval()]), {S}),
    "attachments.attach_scan": (lambda c, a: c.ws.attachments.attach_scan(a, c.draft(a), SCAN_PNG, SCAN_META), {T}),
    "attachments.list_scans": (lambda c, a: c.ws.attachments.list_scans(a, c.scanned(a)[0]), {T, S, A}),
    "attachments.scan_image": (lambda c, a: c.ws.attachments.scan_image(a, *c.scanned(a)), {T, S, A}),
    "dual_entry.scan_opinion": (lambda c, a: c.ws.dual_entry.scan_opinion(a, c.scanned(a)[0]), {T, S, A}),
    "stats.report": (lambda c, a: c.ws.stats.report(a), {S, A}),
    "stats.export_csv": (lambda c, a: c.ws.stats.export_csv(a), {S, A}),
    "auth.supervisor_override": (
        # the override ends the locked session it is given: a copy, not the maker the other rows use
        lambda c, a: c.ws.auth.supervisor_override(
            a.username, c.passwords[a.username], dataclasses.replace(c.maker, session=SessionState(locked=True))
        ),
        {S},
    ),
    "users.add": (lambda c, a: c.ws.users.add(a, f"new{next(_counter)}", PASSWORD, {T}), {ADM}),
    "users.list": (lambda c, a: c.ws.users.list(a), {ADM}),
    "users.lock": (lambda c, a: c.ws.users.lock(a, c.new_user()), {ADM}),
    "users.unlock": (lambda c, a: c.ws.users.unlock(a, c.new_user()), {ADM}),
    "users.set_roles": (lambda c, a: c.ws.users.set_roles(a, c.new_user(), {S}), {ADM}),
    "users.reset_password": (lambda c, a: c.ws.users.reset_password(a, c.new_user(), PASSWORD), {ADM}),
    "settings.all": (lambda c, a: c.ws.settings.all(a), {T, S, A, ADM}),
    "settings.get": (lambda c, a: c.ws.settings.get(a, "idle_lock_minutes"), {T, S, A, ADM}),
    "settings.set": (lambda c, a: c.ws.settings.set(a, "idle_lock_minutes", 7), {ADM}),
    "maintenance.seed_demo": (lambda c, a: c.ws.maintenance.seed_demo(a, 3, seed=next(_counter)), {ADM}),
    "maintenance.rekey": (lambda c, a: c.ws.maintenance.rekey(a, PASSPHRASE), {ADM}),
    # Sync: permission is checked before any connection; past it, no server is there (nothing listens on port 9).
    "sync.enrol": (lambda c, a: _past_permission(lambda: c.ws.sync.enrol(a, "https://127.0.0.1:9", "code")), {ADM}),
    "sync.status": (lambda c, a: c.ws.sync.status(a), {S, ADM}),
    "sync.outbox": (lambda c, a: c.ws.sync.outbox(a, None, 0, 10), {S, ADM}),
    "sync.run_once": (lambda c, a: _past_permission(lambda: c.ws.sync.run_once(a)), {S, ADM}),
    "sync.retry": (lambda c, a: c.ws.sync.retry(a, [1]), {S, ADM}),
    "sync.purge_acknowledged": (lambda c, a: c.ws.sync.purge_acknowledged(a), {ADM}),
}
# The operations services keep their rows beside this file, one module each.
for _rows in (matrix_backups, matrix_imports, matrix_exports, matrix_reviews, matrix_dashboard, matrix_screening):
    assert not set(_rows.ROWS) & set(MATRIX), "a permission-matrix row is defined twice"
    MATRIX.update(_rows.ROWS)

CASES = [(name, role) for name in MATRIX for role in Role]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r.value}" for n, r in CASES])
def test_permission(ctx: Ctx, name: str, role: Role) -> None:
    call, allowed = MATRIX[name]
    actor = ctx.actors[role]
    if role in allowed:
        call(ctx, actor)  # must not raise
    else:
        with pytest.raises(PermissionDenied):
            call(ctx, actor)


def test_every_public_service_method_is_in_the_matrix(ctx: Ctx) -> None:
    """A new service method without a row here fails this test."""
    services = {
        "autosave": "AutosaveService",
        "dual_entry": "DualEntryService",
        "approvals": "ApprovalService",
        "attachments": "AttachmentService",
        "stats": "DualEntryStatsService",
        "records": "RecordService",
        "audit": "AuditService",
        "users": "UserAdminService",
        "settings": "SettingsService",
        "maintenance": "MaintenanceService",
        "sync": "SyncService",
        "backups": "BackupService",
        "imports": "ImportService",
        "exports": "ExportService",
        "reviews": "ReviewService",
        "dashboard": "DashboardService",
        "duplicates": "DuplicateService",
        "watchlist": "WatchlistService",
        "branch_matches": "BranchMatchService",
        "paper": "PaperPageService",
        "auth": "AuthService",
    }
    import desktop_app.services.approvals as approvals_mod
    import desktop_app.services.attachments as attachments_mod
    import desktop_app.services.audit_log as audit_mod
    import desktop_app.services.auth as auth_mod
    import desktop_app.services.autosave as autosave_mod
    import desktop_app.services.backups as backups_mod
    import desktop_app.services.branch_matches as branch_mod
    import desktop_app.services.dashboard as dashboard_mod
    import desktop_app.services.dual_entry as dual_mod
    import desktop_app.services.dual_entry_stats as stats_mod
    import desktop_app.services.duplicates as duplicates_mod
    import desktop_app.services.exports as exports_mod
    import desktop_app.services.importer as importer_mod
    import desktop_app.services.maintenance as maint_mod
    import desktop_app.services.paper_pages as paper_mod
    import desktop_app.services.records as rec_mod
    import desktop_app.services.reviews as reviews_mod
    import desktop_app.services.settings as set_mod
    import desktop_app.services.sync as sync_mod
    import desktop_app.services.users as users_mod
    import desktop_app.services.watchlist as watchlist_mod

    modules = {
        "autosave": autosave_mod,
        "dual_entry": dual_mod,
        "approvals": approvals_mod,
        "attachments": attachments_mod,
        "stats": stats_mod,
        "records": rec_mod,
        "audit": audit_mod,
        "users": users_mod,
        "settings": set_mod,
        "maintenance": maint_mod,
        "sync": sync_mod,
        "backups": backups_mod,
        "imports": importer_mod,
        "exports": exports_mod,
        "reviews": reviews_mod,
        "dashboard": dashboard_mod,
        "duplicates": duplicates_mod,
        "watchlist": watchlist_mod,
        "branch_matches": branch_mod,
        "paper": paper_mod,
        "auth": auth_mod,
    }
    exempt = {"records.form", "settings.language"}  # public before sign-in: no personal data
    # Wiring between services when the workstation opens, never a call for a user.
    exempt |= {"records.add_approval_check", "records.add_submit_hook", "records.add_before_approval"}
    exempt |= {"records.add_on_approval"}
    exempt |= {"sync.add_after_run", "sync.connect"}
    # The workstation's own jobs, not a user's: queued branch-match questions asked at sync, over its transport.
    exempt |= {"branch_matches.run_pending", "paper.send_pending"}
    # Signing in, locking and out: the session itself, proved by the lock and sign-out tests below.
    exempt |= {"auth.login", "auth.lock", "auth.unlock", "auth.change_password", "auth.logout"}
    # Called inside another service's transaction, with its session (the importer screens what it imports).
    exempt |= {"records.run_submit_hooks"}
    # and every service a workstation has is walked: a new one without its rows fails here
    wired = {name for name, value in vars(ctx.ws).items() if type(value).__name__.endswith("Service")}
    assert wired <= set(services), f"services of the workstation not in the matrix: {sorted(wired - set(services))}"
    missing = []
    for attr, cls_name in services.items():
        cls = getattr(modules[attr], cls_name)
        for method in dir(cls):
            if method.startswith("_") or not callable(getattr(cls, method)):
                continue
            key = f"{attr}.{method}"
            if key not in MATRIX and key not in exempt:
                missing.append(key)
    assert not missing, f"service methods without a permission-matrix row: {missing}"


# Not calls for a session: the override is a supervisor's own sign-in; the daily backup is the workstation's job.
NOT_FOR_A_SESSION = {"auth.supervisor_override", "backups.take_daily"}
LOCK_CASES = [name for name in MATRIX if name not in NOT_FOR_A_SESSION]


@pytest.mark.parametrize("name", LOCK_CASES)
def test_a_locked_session_is_refused_by_every_service_call(ctx: Ctx, name: str) -> None:
    """Issue 13 item 1: while the screen is locked no call acts for the session, whatever route it comes by
    (a shortcut, a menu, a dialog opened over the lock, a timer); refused in the service layer."""
    call, allowed = MATRIX[name]
    role = sorted(allowed, key=lambda r: r.value)[0]
    locked = dataclasses.replace(ctx.actors[role], session=SessionState(locked=True))
    with pytest.raises(SessionLocked):
        call(ctx, locked)


@pytest.mark.parametrize("name", LOCK_CASES)
def test_a_signed_out_session_is_refused_by_every_service_call(ctx: Ctx, name: str) -> None:
    """Issue 13 item 2: after a switch of user, a late timer or worker of the old session acts no more."""
    call, allowed = MATRIX[name]
    role = sorted(allowed, key=lambda r: r.value)[0]
    ended = dataclasses.replace(ctx.actors[role], session=SessionState(ended=True))
    with pytest.raises(SessionEnded):
        call(ctx, ended)


def test_unlock_needs_the_same_users_password_and_a_wrong_one_counts_toward_the_lockout(ctx: Ctx) -> None:
    """Issue 13 item 1: the lock screen's password goes through the sign-in rule (lockout included)."""
    name = ctx.new_user()
    password = PASSWORD
    actor, _ = ctx.ws.auth.login(name, password)
    ctx.ws.auth.lock(actor)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            ctx.ws.auth.unlock(actor, "wrong password 1")
    with pytest.raises(AccountLocked):
        ctx.ws.auth.unlock(actor, "wrong password 1")
    assert actor.session.locked
    with pytest.raises(AccountLocked):
        ctx.ws.auth.unlock(actor, password)
    actions = [e.action for e in ctx.ws.audit.entries(ctx.actors[Role.AUDITOR], AuditFilter(actor=name, limit=9))]
    assert "session.lock" in actions and "login.lockout" in actions and "session.unlock" not in actions


def test_a_running_import_finishes_behind_the_lock_but_none_starts(ctx: Ctx, tmp_path: Path) -> None:
    """Issue 13 item 1: an import started before the lock keeps writing (it shows nothing); a new one is refused."""
    teller = dataclasses.replace(ctx.actors[Role.TELLER], session=SessionState())
    rows = customer_rows(5, seed=next(_counter) + 9000)
    path = write_csv(tmp_path / "rows.csv", chinese_headers(), rows)
    preview = ctx.ws.imports.preview(teller, path)

    def lock_before_the_first_row() -> bool:  # asked before each row, so the rows are written while locked
        ctx.ws.auth.lock(teller)
        return False

    report = ctx.ws.imports.run(teller, path, preview.mapping, cancelled=lock_before_the_first_row)
    assert teller.session.locked and len(report.record_ids) == len(rows), report.rejected_rows
    with pytest.raises(SessionLocked):
        ctx.ws.imports.run(teller, path, preview.mapping)
