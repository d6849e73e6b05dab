"""The main window: navigation by role, the pages, the status bar, and the idle lock."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Permission, Role, permissions_of
from desktop_app.domain.settings_catalog import SETTINGS
from desktop_app.services.actor import Actor
from desktop_app.services.autosave import AutosaveEntry
from desktop_app.services.changes import Changed
from desktop_app.services.sync import SyncSummary
from desktop_app.services.workstation import Workstation
from desktop_app.ui.admin.admin_pages import SettingsPage, UsersPage
from desktop_app.ui.common.data_events import DataEvents
from desktop_app.ui.common.labels import local_time, role_label
from desktop_app.ui.common.messages import explain, show_error
from desktop_app.ui.common.operations import Op
from desktop_app.ui.operations.backup_page import BackupPage
from desktop_app.ui.operations.backup_scheduler import BackupScheduler
from desktop_app.ui.operations.sync_page import SyncPage
from desktop_app.ui.operations.sync_status import SyncMonitor
from desktop_app.ui.records.customer_list import CustomerList
from desktop_app.ui.records.entry_form import EntryForm
from desktop_app.ui.records.import_dialog import ImportDialog
from desktop_app.ui.records.reconciliation import ReconciliationPage
from desktop_app.ui.records.record_view import RecordView, open_record_view
from desktop_app.ui.records.second_entry import SecondEntryPage
from desktop_app.ui.session.idle_lock import IdleWatcher
from desktop_app.ui.session.lock_screen import LockScreen
from desktop_app.ui.session.password_change import PasswordChangeDialog
from desktop_app.ui.session.session_keys import SessionKeys
from desktop_app.ui.supervision.approval_page import ApprovalPage
from desktop_app.ui.supervision.audit_page import AuditPage
from desktop_app.ui.supervision.dashboard_page import DashboardPage
from desktop_app.ui.supervision.review_page import ReviewPage
from desktop_app.ui.supervision.review_reminder import ReviewReminder
from desktop_app.ui.supervision.stats_page import StatsPage
from desktop_app.ui.supervision.watchlist_page import WatchlistPage

R, S = Changed.RECORDS, Changed.SYNC
#: which kinds of change each page shows: it reads again when one of them changed, whoever changed it
PAGE_KINDS: dict[str, frozenset[Changed]] = {
    "drafts": frozenset({R}),
    "customers": frozenset({R}),
    "second_entry": frozenset({R}),
    "reconciliation": frozenset({R}),
    "reviews": frozenset({R}),
    "approvals": frozenset({R}),
    "dashboard": frozenset({R, S}),
    "stats": frozenset({R}),
    "audit": frozenset({Changed.AUDIT}),
    "users": frozenset({Changed.USERS}),
    "backups": frozenset({Changed.BACKUPS}),
    "sync": frozenset({S}),
}

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """One signed-in session. `signed_out` when the user signs out, switches user or is overridden."""

    signed_out = Signal()

    def __init__(self, ws: Workstation, actor: Actor) -> None:
        super().__init__()
        self.ws, self.actor = ws, actor
        self.setWindowTitle(self.tr("Customer information entry — %1").replace("%1", actor.username))
        self.resize(1366, 768)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.pages = QStackedWidget()
        self.entry: EntryForm | None = None
        self.lists: list[CustomerList] = []
        self.sync_monitor = SyncMonitor(ws, actor, self)
        self.sync_page: SyncPage | None = None
        self.review_page: ReviewPage | None = None
        self.reminder: ReviewReminder | None = None
        self._hidden_while_locked: list[QWidget] = []
        self._disabled_while_locked: list[QAction | QShortcut] = []
        self._stopped_while_locked: list[QTimer] = []
        self._signing_out = False
        self._shown_once = False
        self._focus_before_lock: QWidget | None = None
        self._stale: set[QWidget] = set()  # hidden pages whose data changed: read again when shown
        self.data_events = DataEvents(ws, self)
        self.data_events.changed.connect(self._data_changed)
        self._build_pages()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        if Role.TELLER in actor.roles:  # the due-for-review reminder greets the teller on the start page
            self.reminder = ReviewReminder(ws, actor)
            self.reminder.show_requested.connect(lambda: self.show_page("reviews"))
            column.addWidget(self.reminder)
        row = QHBoxLayout()
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        column.addLayout(row, 1)
        # The daily backup is the workstation's job, run in whoever's session is open (off the GUI thread).
        self.backup_scheduler = BackupScheduler(ws, self)
        self.backup_scheduler.failed.connect(self._backup_failed)
        self.lock_screen = LockScreen(ws, actor)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.ended.connect(self.sign_out)
        self.outer = QStackedWidget()
        self.outer.addWidget(body)
        self.outer.addWidget(self.lock_screen)
        self.setCentralWidget(self.outer)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)
        self._status_bar()
        # the catalogue's default until the setting is read (off the GUI thread, just below)
        self.idle = IdleWatcher(float(str(SETTINGS["idle_lock_minutes"].default)), self)
        self.idle.idle.connect(self.lock)
        Op(self, lambda: ws.settings.get(actor, "idle_lock_minutes")).success(self._use_idle_minutes).failure(
            lambda exc: log.warning("the idle-lock setting was not read: %s", type(exc).__name__)
        ).run()
        self.session_keys = SessionKeys(self)
        self.session_keys.lock_requested.connect(self.lock)
        self.session_keys.sign_out_requested.connect(self.sign_out)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
            app.installEventFilter(self.session_keys)
        session = self.menuBar().addMenu(self.tr("&Session"))
        session.addAction(self.tr("Lock screen"), QKeySequence("Ctrl+L"), self.lock)
        session.addAction(self.tr("Change password…"), self._change_password)
        session.addAction(self.tr("Switch user / sign out"), QKeySequence("Ctrl+Shift+Q"), self.sign_out)
        if Permission.IMPORT in permissions_of(actor.roles):  # the service checks again on every call
            records = self.menuBar().addMenu(self.tr("R&ecords"))  # Alt+R is the review reminder's
            records.addAction(self.tr("Import from a spreadsheet…"), QKeySequence("Ctrl+I"), self.import_spreadsheet)
        QShortcut(QKeySequence("Ctrl+F"), self, self._focus_search)
        for number in range(1, 10):
            QShortcut(QKeySequence(f"Alt+{number}"), self, lambda n=number: self.go_to_row(n - 1))
        self._restore_autosaves()

    # --- pages ---------------------------------------------------------------------------------------------
    def _add(self, title: str, widget: QWidget, name: str) -> None:
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, name)
        row = self.nav.count()
        if row < 9:  # the page's key, shown where the mouse and a screen reader find it
            item.setToolTip(f"Alt+{row + 1}")
            item.setStatusTip(f"Alt+{row + 1}")
        self.nav.addItem(item)
        widget.setObjectName(f"page_{name}")
        self.pages.addWidget(widget)

    def _list(self, **kwargs: object) -> CustomerList:
        listing = CustomerList(self.ws, self.actor, **kwargs)  # type: ignore[arg-type]
        listing.opened.connect(self.open_record)
        self.lists.append(listing)
        return listing

    def _build_pages(self) -> None:
        roles = self.actor.roles
        if Role.TELLER in roles:
            self.entry = EntryForm(self.ws, self.actor)
            self._add(self.tr("New entry"), self.entry, "entry")
            self._add(
                self.tr("My drafts"), self._list(mine_only=True, statuses=(Status.DRAFT, Status.REJECTED)), "drafts"
            )
            self._add(self.tr("Second-entry queue"), SecondEntryPage(self.ws, self.actor), "second_entry")
            self._add(self.tr("Reconciliation"), ReconciliationPage(self.ws, self.actor), "reconciliation")
        if roles & {Role.TELLER, Role.SUPERVISOR, Role.AUDITOR}:
            self._add(self.tr("Customers"), self._list(), "customers")
        if roles & {Role.TELLER, Role.SUPERVISOR}:
            self.review_page = ReviewPage(self.ws, self.actor)
            self.review_page.review_started.connect(self._review_started)
            if self.entry is not None:  # a review opens in the entry form: unsaved typing is settled first
                entry = self.entry
                self.review_page.may_start = entry.may_leave
            self.review_page.opened.connect(self.open_record)
            self._add(self.tr("Due for review"), self.review_page, "reviews")
        if Role.SUPERVISOR in roles:
            approvals = ApprovalPage(self.ws, self.actor)
            self._add(self.tr("Approvals"), approvals, "approvals")
            self._add(self.tr("Watchlist"), WatchlistPage(self.ws, self.actor), "watchlist")
            if Role.TELLER not in roles:  # a supervisor may be the branch's resolver
                self._add(self.tr("Reconciliation"), ReconciliationPage(self.ws, self.actor), "reconciliation")
        if Permission.STATS_VIEW in permissions_of(roles):
            self._add(self.tr("Dashboard"), DashboardPage(self.ws, self.actor), "dashboard")
        if roles & {Role.SUPERVISOR, Role.AUDITOR}:
            self._add(self.tr("Dual-entry statistics"), StatsPage(self.ws, self.actor), "stats")
            self._add(self.tr("Audit log"), AuditPage(self.ws, self.actor), "audit")
        if Role.ADMIN in roles:
            self._add(self.tr("Users"), UsersPage(self.ws, self.actor), "users")
            self._add(self.tr("Watchlist"), WatchlistPage(self.ws, self.actor), "watchlist")
            settings = SettingsPage(self.ws, self.actor)
            settings.sync_changed.connect(self.sync_monitor.refresh)
            self._add(self.tr("Settings"), settings, "settings")
        if Permission.SYNC_OPERATE in permissions_of(roles):  # the service checks again on every call
            self.sync_page = SyncPage(self.ws, self.actor)
            self.sync_page.synced.connect(self.sync_monitor.refresh)
            self.sync_monitor.status_changed.connect(self.sync_page.show_status)
            self.sync_monitor.background_synced.connect(self._background_synced)
            if Permission.RECORD_VIEW in permissions_of(roles):
                self.sync_page.opened.connect(self.open_record)
            self._add(self.tr("Sync"), self.sync_page, "sync")
        if Permission.BACKUP in permissions_of(roles):
            self._add(self.tr("Backups"), BackupPage(self.ws, self.actor), "backups")

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        self.pages.setCurrentIndex(row)
        page = self.pages.currentWidget()
        if page in self._stale:
            self._stale.discard(page)
            self._refresh_page(page)
        elif isinstance(page, CustomerList) and page.model.rowCount() == 0:
            page.refresh()

    def _data_changed(self, kinds: frozenset[Changed]) -> None:
        """Every page that shows a kind that changed reads again: now if on screen, else when next shown."""
        for row in range(self.nav.count()):
            name = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
            page = self.pages.widget(row)
            if page is None or not PAGE_KINDS.get(name, frozenset()) & kinds:
                continue
            if page.isVisible() and not self.is_locked() and not self._signing_out:
                self._refresh_page(page)
            else:
                self._stale.add(page)
        if self.is_locked() or self._signing_out:
            return
        if Changed.RECORDS in kinds and self.reminder is not None:
            self.reminder.refresh()
        if kinds & {Changed.SYNC, Changed.SETTINGS}:
            self.sync_monitor.refresh()

    @staticmethod
    def _refresh_page(page: QWidget) -> None:
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def go_to_row(self, row: int) -> None:
        """Alt+1…9: show the page and put the keyboard in it, so its own keys (A, F5, F9…) work at once."""
        if 0 <= row < self.nav.count():
            self.nav.setCurrentRow(row)
            self.focus_page()

    def focus_page(self) -> None:
        """The focus to the current page's first control that takes it (the first field of a form)."""
        page = self.pages.currentWidget()
        if page is None:
            return
        widget = page.nextInFocusChain()
        while widget is not None and widget is not page:
            if (
                page.isAncestorOf(widget)
                and widget.isVisibleTo(page)
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not isinstance(widget, QScrollArea)  # a frame around controls, not a control
            ):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()
        page.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:  # after sign-in the keyboard is in the first field, not the page list
            self._shown_once = True
            QTimer.singleShot(0, self.focus_page)

    def _row(self, name: str) -> int:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == name:
                return row
        raise KeyError(name)

    def page(self, name: str) -> QWidget:
        """The page with this name (tests and screenshots); KeyError when this role has none."""
        page = self.pages.widget(self._row(name))
        assert page is not None
        return page

    def show_page(self, name: str) -> QWidget:
        """Switch to the page with this name and return it."""
        self.nav.setCurrentRow(self._row(name))
        return self.page(name)

    def _background_synced(self, summary: SyncSummary) -> None:
        """A background run sent something: the Sync page, when it is on screen, lists the new states."""
        if self.sync_page is not None and self.sync_page.isVisible() and summary.sent:
            self.sync_page.refresh()

    def _focus_search(self) -> None:
        page = self.pages.currentWidget()
        if isinstance(page, CustomerList):
            page.search.setFocus()
            page.search.selectAll()

    def open_record(self, record_id: str) -> None:
        """Read the record off the GUI thread, then show it (a dialog: it closes with the session)."""

        def shown(view: RecordView) -> None:
            view.edit_requested.connect(self.edit_record)
            view.open()

        open_record_view(self, self.ws, self.actor, record_id, shown)

    def _show_entry(self) -> None:
        self.show_page("entry")

    def _use_idle_minutes(self, minutes: object) -> None:
        self.idle.set_minutes(float(str(minutes)))
        if self.is_locked() or self._signing_out:
            self.idle.pause()

    def edit_record(self, record_id: str) -> None:
        if self.entry is None or not self.entry.may_leave():
            return
        self.entry.load_record(record_id, lambda: self._show_entry())

    def import_spreadsheet(self) -> ImportDialog:
        """Open the import dialog (xlsx or csv): mapping, progress and cancel, the report; lists refresh after."""
        dialog = ImportDialog(self.ws, self.actor, self)
        dialog.open()
        return dialog

    def _review_started(self, record_id: str) -> None:
        """A review is a new draft version: the teller keys it in the entry form like any change."""
        if self.reminder is not None:
            self.reminder.refresh()
        self.edit_record(record_id)

    def _backup_failed(self, exc: Exception) -> None:
        # Not a dialog: the teller at the counter cannot act on it; the status bar tells whoever looks, the log
        # has the detail, and the next hourly check tries again.
        self.statusBar().showMessage(self.tr("The daily backup failed: %1").replace("%1", explain(exc)), 60_000)

    def _restore_autosaves(self) -> None:
        if self.entry is None:
            return
        ws, actor = self.ws, self.actor
        Op(self, lambda: ws.autosave.list(actor)).success(self._offer_autosaves).failure(
            lambda exc: log.warning("autosaves were not read: %s", type(exc).__name__)
        ).run()

    def _offer_autosaves(self, saved: list[AutosaveEntry]) -> None:
        if not saved or self.entry is None or self.is_locked() or self._signing_out:
            return
        newest = saved[0]
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved typing found"),
            self.tr("Typing from %1 was not saved (the program closed or the screen locked). Restore it?").replace(
                "%1", local_time(newest.saved_at)
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.entry.restore(newest)
            self.show_page("entry")
        else:
            ws, actor, slots = self.ws, self.actor, [entry.slot for entry in saved]

            def clear() -> None:
                for slot in slots:
                    ws.autosave.clear(actor, slot)

            Op(self, clear).run()

    def _change_password(self) -> None:
        PasswordChangeDialog(self.ws, self.actor, "", self).exec()

    # --- status bar ------------------------------------------------------------------------------------------
    def _status_bar(self) -> None:
        bar = self.statusBar()
        roles = ", ".join(role_label(r) for r in sorted(self.actor.roles))
        self.user_label = QLabel(f"{self.actor.username} · {roles}")
        self.user_label.setObjectName("status_user")
        self.db_label = QLabel(self.tr("Database: encrypted, open"))
        self.db_label.setObjectName("status_db")
        monitor = self.sync_monitor
        self.sync_label, self.sync_warning, self.online_label = monitor.label, monitor.warning, monitor.online
        for widget in (self.user_label, self.db_label, *monitor.widgets()):
            bar.addPermanentWidget(widget)
        monitor.start()

    # --- lock and sign-out -------------------------------------------------------------------------------
    def lock(self) -> None:
        """Hide every customer value until the same user signs in again; unsaved typing is autosaved.

        The services refuse every call for this session until it is unlocked (AuthService.lock); here, every
        action, shortcut, menu and timer of the session stops, and every dialog closes (a running import's
        window is hidden: the import goes on, showing nothing).
        """
        if self.is_locked() or self._signing_out:
            return
        if self.entry is not None:  # queued first on the store's one thread: written before the lock
            self.entry.autosave_now()
        ws, actor = self.ws, self.actor
        # the lock must happen even if the autosave failed; the session is marked locked before the audit write
        Op(None, lambda: ws.auth.lock(actor)).failure(
            lambda exc: log.warning("the lock was not audited: %s", type(exc).__name__)
        ).run()
        focused = QApplication.focusWidget()
        # where the keyboard was, to go back there after unlock (the field being typed in, not the first one)
        self._focus_before_lock = focused if focused is not None and self.isAncestorOf(focused) else None
        self._close_windows(keep_running_import=True)
        self._pause_session()
        self.idle.pause()
        self.outer.setCurrentWidget(self.lock_screen)
        self.lock_screen.activate()

    def unlock(self) -> None:
        """Called once the lock screen has unlocked the session in the services."""
        self.outer.setCurrentIndex(0)
        self._resume_session()
        self.idle.resume()
        before, self._focus_before_lock = self._focus_before_lock, None
        if before is not None and isValid(before) and before.isVisible() and before.isEnabled():
            before.setFocus(Qt.FocusReason.OtherFocusReason)  # back to the field that was being typed in
        else:
            self.focus_page()  # the keyboard goes back into the page, not nowhere
        for widget in self._hidden_while_locked:
            if isValid(widget):
                widget.show()
        self._hidden_while_locked.clear()

    def is_locked(self) -> bool:
        return self.outer.currentWidget() is self.lock_screen

    def session_controls(self) -> list[QAction | QShortcut]:
        """Every action and shortcut that acts for the session: all of the window's but the lock screen's own."""
        found: list[QAction | QShortcut] = [*self.findChildren(QAction), *self.findChildren(QShortcut)]
        return [control for control in found if not self._in_lock_screen(control)]

    def _in_lock_screen(self, obj: QObject) -> bool:
        parent: QObject | None = obj
        while parent is not None:
            if parent is self.lock_screen:
                return True
            parent = parent.parent()
        return False

    def _pause_session(self) -> None:
        self.menuBar().setEnabled(False)
        for control in self.session_controls():
            if control.isEnabled():
                control.setEnabled(False)
                self._disabled_while_locked.append(control)
        # Timer-driven pages (dashboard, reminder, lists) and background sync act for the session: they stop too.
        self.sync_monitor.stop()
        # The daily backup is the workstation's job, not the session's; the idle watcher is paused on its own.
        keep = (self.lock_screen, self.idle, self.backup_scheduler)
        for timer in self.findChildren(QTimer):
            if timer.isActive() and not any(timer.parent() is k for k in keep) and not self._in_lock_screen(timer):
                timer.stop()
                self._stopped_while_locked.append(timer)

    def _resume_session(self) -> None:
        self.menuBar().setEnabled(True)
        for control in self._disabled_while_locked:
            if isValid(control):
                control.setEnabled(True)
        self._disabled_while_locked.clear()
        for timer in self._stopped_while_locked:
            if isValid(timer):
                timer.start()
        self._stopped_while_locked.clear()
        self.sync_monitor.start()

    def _close_windows(self, *, keep_running_import: bool) -> None:
        """Close every other window of the app: dialogs are rejected (so nothing they ask is done), popups closed.

        With `keep_running_import`, a running import's window is hidden until unlock instead; otherwise it is
        cancelled (the rows already read are written whole, as at any cancel).
        """
        for widget in QApplication.topLevelWidgets():
            if widget is self or not widget.isVisible():
                continue
            if isinstance(widget, ImportDialog) and widget.running:
                if keep_running_import:
                    widget.hide()
                    self._hidden_while_locked.append(widget)
                    continue
                widget.cancel()
                widget.hide()
            elif isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()

    def sign_out(self) -> None:
        """End the session (switch user, sign out, a supervisor's override): typing is kept, then the window is
        hidden and every dialog closed before `signed_out`, so the next sign-in box shows nothing of this one."""
        if self._signing_out:
            return
        if self.entry is not None and not self.is_locked() and not self.entry.may_leave():
            return  # the teller chose Cancel: stay
        self._signing_out = True
        self.hide()
        self._close_windows(keep_running_import=False)
        self._detach()
        ws, actor = self.ws, self.actor

        def logout() -> None:
            try:
                ws.auth.logout(actor)
            finally:
                actor.session.ended = True  # even if the audit write failed

        # Queued after this session's last autosave or save; the next sign-in's calls queue after it.
        Op(None, logout).failure(lambda exc: log.warning("the sign-out was not audited: %s", type(exc).__name__)).run()
        self.signed_out.emit()
        self.close()

    def _detach(self) -> None:
        self.data_events.stop()
        self.sync_monitor.stop()
        self.backup_scheduler.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self.session_keys)
        self.idle.pause()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._signing_out:
            # Closing the program does not ask (the system may be shutting down): the typing is autosaved and
            # offered again at this user's next sign-in.
            if self.entry is not None and not self.is_locked():
                try:
                    self.entry.autosave_now()
                except Exception as exc:  # closing must not lose the window; tell the user
                    show_error(self, exc)
                if self.entry.has_unsaved_typing():
                    self.entry.save_draft()  # in My drafts, not only the crash slot (its failure is shown)
            self._detach()
        super().closeEvent(event)
