"""One open workstation: the store and every service over it. Everything the UI and the CLI call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop_app.domain.form_schema import FormSchema, default_form_path, load_default_form
from desktop_app.domain.paper_layout import layouts_for
from desktop_app.domain.roles import Role
from desktop_app.domain.text import Text
from desktop_app.services.actor import Actor
from desktop_app.services.approvals import ApprovalService
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.audit_log import AuditService
from desktop_app.services.auth import AuthService
from desktop_app.services.autosave import AutosaveService
from desktop_app.services.backups import BackupService
from desktop_app.services.branch_matches import BranchMatchService
from desktop_app.services.changes import Changed, listen
from desktop_app.services.dashboard import DashboardService
from desktop_app.services.dual_entry import DualEntryService
from desktop_app.services.dual_entry_stats import DualEntryStatsService
from desktop_app.services.duplicates import DuplicateService
from desktop_app.services.exports import ExportService
from desktop_app.services.importer import ImportService
from desktop_app.services.maintenance import MaintenanceService, store_in_use
from desktop_app.services.paper_pages import PaperPageService
from desktop_app.services.records import RecordService
from desktop_app.services.reviews import ReviewService
from desktop_app.services.settings import SettingsService
from desktop_app.services.sync import SyncService
from desktop_app.services.users import (
    UserAdminService,
    check_new_password,
    check_passphrase,
    check_username,
    new_user,
)
from desktop_app.services.watchlist import WatchlistService
from desktop_app.storage.app_lock import AppLock, AppLocked
from desktop_app.storage.data_dir import DataDir
from desktop_app.storage.errors import StoreBusy
from desktop_app.storage.keystore import KeyMethod, keyring_available
from desktop_app.storage.store import PassphraseSource, Store

# What the UI needs of the data directory (its lock, its paths, how keys are kept) reaches it through here: the
# UI imports services, never storage.
__all__ = ["AppLock", "AppLocked", "DataDir", "KeyMethod", "PassphraseSource", "Workstation", "keyring_available"]


class Workstation:
    """The services of one open store."""

    def __init__(self, store: Store, form: FormSchema | None = None) -> None:
        schema = form or load_default_form()
        self.store = store
        self.form = schema
        self.auth = AuthService(store)
        self.users = UserAdminService(store)
        self.records = RecordService(store, {schema.key: schema}, schema.key)
        self.dual_entry = DualEntryService(store, self.records)
        self.approvals = ApprovalService(store, self.records)
        self.duplicates = DuplicateService(store, self.records)
        self.watchlist = WatchlistService(store, self.records)
        self.attachments = AttachmentService(store, self.records)
        # The shipped form's paper layout (a form passed in, as tests do, has none unless given one).
        layouts = layouts_for(default_form_path().parent, schema) if form is None else []
        self.paper = PaperPageService(store, self.records, layouts)
        self.stats = DualEntryStatsService(store, self.records)
        self.settings = SettingsService(store)
        self.audit = AuditService(store)
        self.autosave = AutosaveService(store)
        self.maintenance = MaintenanceService(store, schema)
        self.sync = SyncService(store)
        self.branch_matches = BranchMatchService(store, self.records, self.sync)
        self.sync.add_after_run(self.paper.send_pending)  # the pages of approved records, if the bank takes them
        self.backups = BackupService(store)
        self.imports = ImportService(store, self.records)
        self.exports = ExportService(store, self.records)
        self.reviews = ReviewService(store, self.records)
        self.dashboard = DashboardService(store, self.records, self.stats)

    @classmethod
    def open(cls, root: Path, passphrase: PassphraseSource | None = None) -> Workstation:
        """Open the existing store in `root` (StoreError says what is wrong and what to do)."""
        return cls(Store.open(root, passphrase))

    @classmethod
    def initialise(
        cls, root: Path, admin: str, admin_password: str, method: KeyMethod, passphrase: str | None = None
    ) -> tuple[Workstation, str, Actor]:
        """Make a new store with its first administrator; returns it, the recovery code and the admin."""
        Store.refuse_existing(root)
        name = check_username(admin)
        check_new_password(admin_password, name)  # before anything is created
        if method is KeyMethod.PASSPHRASE:
            check_passphrase(passphrase or "")
        store, code = Store.create(root, method, passphrase)
        with store.write() as s:
            user = new_user(s, name, admin_password, {Role.ADMIN}, "", must_change_password=False)
            store.audit(
                s,
                action="store.init",
                actor_id=user.id,
                actor_name=user.username,
                details={"key_storage": method.value, "store_id": store.store_id},
            )
            store.audit(
                s,
                action="user.add",
                actor_id=user.id,
                actor_name=user.username,
                details={"user": user.username, "roles": user.roles},
            )
            actor = Actor(user.id, user.username, frozenset({Role.ADMIN}))
        return cls(store), code, actor

    @staticmethod
    def recover(root: Path, code: str, method: KeyMethod | None = None, passphrase: str | None = None) -> KeyMethod:
        """Unwrap the key with the recovery code and keep it again (credential store, or a new passphrase).

        Every key the code unlocks is tried against the database (Store.recover). Refused (StoreInUse, nothing
        changed) while the desktop app is open. The recovery is audited. Returns the method the key is now kept by.
        """
        chosen = method or (KeyMethod.KEYRING if keyring_available() else KeyMethod.PASSPHRASE)
        if chosen is KeyMethod.PASSPHRASE:
            check_passphrase(passphrase or "")
        try:
            store = Store.recover(root, code, chosen, passphrase)
        except (AppLocked, StoreBusy) as exc:
            raise store_in_use(exc, Text(en="the recovery", zh="恢复访问")) from None
        try:
            with store.write() as s:
                store.audit(
                    s,
                    action="key.recover",
                    actor_id=None,
                    actor_name="recovery-code",
                    details={"key_storage": chosen.value},
                )
        finally:
            store.close()
        return chosen

    def on_change(self, listener: Callable[[frozenset[Changed]], None]) -> Callable[[], None]:
        """Call `listener(kinds)` after each commit that changed data, whoever made it; returns the remover."""
        return listen(self.store, listener)

    def close(self) -> None:
        """Release the store."""
        self.store.close()
