"""Admin pages: users and roles (add, lock, unlock, roles, reset password) and workstation settings."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.password_policy import password_problems
from desktop_app.domain.roles import Role, RoleCombinationError, check_role_combination
from desktop_app.domain.settings_catalog import SETTINGS
from desktop_app.services.actor import Actor
from desktop_app.services.sync import AUDIT_CHAIN_BREAK, ENROLMENT_PROBLEMS, Enrolled, SyncStatus
from desktop_app.services.users import UserInfo
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.handover_text import UNAMBIGUOUS_DIGITS, UNAMBIGUOUS_LETTERS, HandoverDialog
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.labels import local_time, role_label
from desktop_app.ui.common.messages import explain, show_error
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.worker import LatestOnly
from desktop_app.ui.session.enrol_dialog import EnrolDialog


def temporary_password(username: str = "") -> str:
    """A random temporary password that meets the policy, for the admin to hand over: three groups of four
    letters and digits with no look-alikes (no l, I, 1, O or 0), easy to read out and to type."""
    alphabet = UNAMBIGUOUS_LETTERS + UNAMBIGUOUS_DIGITS
    while True:
        groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)]
        groups[1] = groups[1][:3] + secrets.choice(UNAMBIGUOUS_DIGITS)  # a digit and a letter, whatever the draw
        groups[0] = secrets.choice(UNAMBIGUOUS_LETTERS) + groups[0][1:]
        password = "-".join(groups)
        if not password_problems(password, username=username):
            return password


class RolesDialog(QDialog):
    """Pick roles (and, for a new user, the user name)."""

    def __init__(self, parent: QWidget | None, *, username: str = "", roles: frozenset[Role] = frozenset()) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("User"))
        self.name = QLineEdit(username)
        self.name.setObjectName("new_username")
        self.name.setReadOnly(bool(username))
        self.boxes = {role: QCheckBox(role_label(role)) for role in Role}
        form = QFormLayout(self)
        form.addRow(self.tr("User name"), self.name)
        for role, box in self.boxes.items():
            box.setObjectName(f"role_{role.value}")
            box.setChecked(role in roles)
            form.addRow("", box)
        form.addRow(QLabel(self.tr("An auditor holds no other role; an administrator neither keys nor approves.")))
        self.problem = QLabel()
        self.problem.setObjectName("roles_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setVisible(False)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, box in self.boxes.items() if box.isChecked())

    def accept(self) -> None:
        """Close only with roles one person may hold; otherwise say why here, keep the typing, focus the roles
        (the service checks again)."""
        problem = self.roles_problem()
        if problem is None:
            super().accept()
            return
        self.problem.setText(problem)
        self.problem.setVisible(True)
        self.adjustSize()  # room for the wrapped message
        chosen = [box for box in self.boxes.values() if box.isChecked()]
        (chosen[-1] if chosen else next(iter(self.boxes.values()))).setFocus()

    def roles_problem(self) -> str | None:
        """The translated reason the chosen roles may not be held together, or None."""
        try:
            check_role_combination(self.roles())
        except RoleCombinationError as exc:
            if exc.pair is None:
                return self.tr("Choose at least one role.")
            first, second = exc.pair
            return (
                self.tr("One person cannot be both %1 and %2. Untick one of them.")
                .replace("%1", role_label(first))
                .replace("%2", role_label(second))
            )
        return None


class UsersPage(QWidget):
    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("users_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("User"), self.tr("Roles"), self.tr("State"), self.tr("Last sign-in")]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QHBoxLayout()
        for text, slot in (
            # Alt+letter, underlined in the label (Alt+S, Alt+E and Alt+R are the menus' and the reminder's)
            (self.tr("&Add user…"), self._add),
            (self.tr("R&oles…"), self._roles),
            (self.tr("Loc&k"), self._lock),
            (self.tr("&Unlock"), self._unlock),
            (self.tr("Reset &password"), self._reset),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.users: list[UserInfo] = []
        self._loads = LatestOnly()
        self.refresh()

    def refresh(self) -> None:
        """Read the users off the GUI thread, then show them."""
        ws, actor = self.ws, self.actor
        self._loads.run(lambda _p: ws.users.list(actor), self._show, lambda exc: show_error(self, exc))

    def _show(self, users: list[UserInfo]) -> None:
        if not isValid(self):
            return
        self.users = users
        self.table.setRowCount(len(users))
        for row, u in enumerate(users):
            state = self.tr("locked") if u.locked else self.tr("active")
            if u.must_change_password:
                state += " · " + self.tr("must change password")
            values = [
                u.username,
                ", ".join(role_label(r) for r in sorted(u.roles)),
                state,
                local_time(u.last_login_at) if u.last_login_at else "",
            ]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def hand_over(self, title: str, temp: str) -> None:
        """The temporary password, with Copy, for the admin to hand over."""
        message = self.tr("Temporary password (to be changed at first sign-in):")
        HandoverDialog(self, title, message, temp).exec()

    def _selected(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    def _run(self, action: Callable[[], object], then: Callable[[], None] | None = None) -> None:
        """Run `action` (a service call) off the GUI thread, then `then()`; the list reads again either way."""
        op = Op(self, action).finally_(self.refresh)
        if then is not None:
            op.success(lambda _result: then())
        op.run()

    def _add(self) -> None:
        dialog = RolesDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        temp = temporary_password(dialog.name.text())

        name, roles = dialog.name.text(), dialog.roles()
        self._run(
            lambda: self.ws.users.add(self.actor, name, temp, roles),
            lambda: self.hand_over(self.tr("User added"), temp),
        )

    def _roles(self) -> None:
        name = self._selected()
        if not name:
            return
        current = next((u.roles for u in self.users if u.username == name), frozenset())
        dialog = RolesDialog(self, username=name, roles=current)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            roles = dialog.roles()
            self._run(lambda: self.ws.users.set_roles(self.actor, name, roles))

    def _lock(self) -> None:
        name = self._selected()
        if name:
            self._run(lambda: self.ws.users.lock(self.actor, name))

    def _unlock(self) -> None:
        name = self._selected()
        if name:
            self._run(lambda: self.ws.users.unlock(self.actor, name))

    def _reset(self) -> None:
        name = self._selected()
        if not name:
            return
        temp = temporary_password(name)

        self._run(
            lambda: self.ws.users.reset_password(self.actor, name, temp),
            lambda: self.hand_over(self.tr("Password reset"), temp),
        )


class SettingsPage(QWidget):
    """Auto-lock minutes, dual-entry policy, who reconciles, language, the scanner's folder, review periods; the
    central server address with enrolment (`sync_changed` after an enrolment)."""

    sync_changed = Signal()

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        # the catalogue's defaults until the settings are read (off the GUI thread, at the end); Save waits for them
        values: dict[str, object] = {key: spec.default for key, spec in SETTINGS.items()}
        self.idle = QSpinBox()
        self.idle.setObjectName("setting_idle_lock_minutes")
        self.idle.setRange(1, 120)
        self.idle.setValue(int(values["idle_lock_minutes"]))  # type: ignore[call-overload]
        self.policy = self._combo(
            "dual_entry_policy",
            values,
            [
                ("both", self.tr("New customers and changes")),
                ("new", self.tr("New customers only")),
                ("changes", self.tr("Changes only")),
                ("none", self.tr("Not required")),
            ],
        )
        self.duplicates_at_entry = self._combo(
            "duplicates_at_entry",
            values,
            [
                ("maker", self.tr("The clerk keying, and the supervisor")),
                ("supervisor_only", self.tr("The supervisor only, at approval")),
            ],
        )
        self.duplicates_at_entry.setToolTip(
            self.tr(
                "Each answer to the clerk says whether a customer with the typed values exists, values the clerk "
                "sees masked included: limited to 30 such checks in ten minutes and 150 a day. 'The supervisor "
                "only' gives clerks no such answer."
            )
        )
        self.resolver = self._combo(
            "reconciliation_resolver",
            values,
            [
                ("first_clerk", self.tr("The first clerk, against the paper")),
                ("third_clerk", self.tr("A third clerk")),
                ("supervisor", self.tr("A supervisor")),
            ],
        )
        self.language = self._combo(
            "language",
            values,
            [
                ("system", self.tr("As the system (Chinese on a Chinese system)")),
                ("zh_CN", "中文（简体）"),
                ("en", "English"),
            ],
        )
        self._build_sync(values)
        self.scanner_folder = QLineEdit(str(values["scanner_folder"]))
        self.scanner_folder.setObjectName("setting_scanner_folder")
        self.scanner_folder.setPlaceholderText(self.tr("not set"))
        self.scanner_folder.setToolTip(
            self.tr("Where this workstation's scanner saves its files; Scan ID can take the newest one from there.")
        )
        choose_folder = QPushButton(self.tr("C&hoose…"))
        choose_folder.setObjectName("choose_scanner_folder")
        choose_folder.clicked.connect(self.choose_scanner_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.scanner_folder, 1)
        folder_row.addWidget(choose_folder)
        self._build_paper_scanner(values)
        self.review: dict[str, QSpinBox] = {}
        for key, low, high in (
            ("review_years_high", 1, 10),
            ("review_years_medium", 1, 10),
            ("review_years_low", 1, 10),
            ("review_id_expiry_days", 0, 365),
        ):
            spin = QSpinBox()
            spin.setObjectName(f"setting_{key}")
            spin.setRange(low, high)
            spin.setValue(int(values[key]))  # type: ignore[call-overload]
            self.review[key] = spin
        form = QFormLayout()
        form.addRow(self.tr("Lock the screen after idle minutes"), self.idle)
        form.addRow(self.tr("Dual entry required for"), self.policy)
        form.addRow(self.tr("Likely existing customers are shown to"), self.duplicates_at_entry)
        form.addRow(self.tr("Differences are settled by"), self.resolver)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Central server address"), self.sync_row)
        form.addRow(self.tr("Central server's CA certificate"), self.sync_ca)
        form.addRow("", self.sync_state)
        form.addRow(self.tr("Scanner folder"), folder_row)
        form.addRow(self.tr("Paper form scanner"), self.scanner_row)
        form.addRow(self.tr("Paper forms are scanned at"), self.scan_dpi)
        form.addRow(self.tr("Colour"), self.scan_mode)
        form.addRow("", self.scan_duplex)
        form.addRow(self.tr("Review high-risk customers every (years)"), self.review["review_years_high"])
        form.addRow(self.tr("Review medium-risk customers every (years)"), self.review["review_years_medium"])
        form.addRow(self.tr("Review low-risk customers every (years)"), self.review["review_years_low"])
        form.addRow(self.tr("Review when the ID document expires within (days)"), self.review["review_id_expiry_days"])
        save = QPushButton(self.tr("Save settings (Ctrl+S)"))
        save.setObjectName("save_settings")
        save.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self._save_by_key)
        save.setEnabled(False)  # until the current values are shown: defaults must not be saved over them
        self.save_button = save
        self.note = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(save)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.read_sync_state()
        self.loaded_values: dict[str, object] | None = None
        Op(self, lambda: ws.settings.all(actor)).success(self._show_values).run()

    def _show_values(self, values: dict[str, object]) -> None:
        """The settings as read: into their widgets; Save may write them from now on."""
        self.loaded_values = dict(values)
        self.idle.setValue(int(values["idle_lock_minutes"]))  # type: ignore[call-overload]
        for key, combo in (
            ("dual_entry_policy", self.policy),
            ("duplicates_at_entry", self.duplicates_at_entry),
            ("reconciliation_resolver", self.resolver),
            ("language", self.language),
        ):
            combo.setCurrentIndex(max(0, combo.findData(values[key])))
        self.scanner_folder.setText(str(values["scanner_folder"]))
        self._show_device(str(values["paper_scanner_device"]))
        self.scan_dpi.setValue(int(values["paper_scan_dpi"]))  # type: ignore[call-overload]
        self.scan_mode.setCurrentIndex(max(0, self.scan_mode.findData(values["paper_scan_mode"])))
        self.scan_duplex.setChecked(bool(values["paper_scan_duplex"]))
        for key, spin in self.review.items():
            spin.setValue(int(values[key]))  # type: ignore[call-overload]
        self.sync_url.setText(str(values["sync_server_url"]))
        self.sync_ca_bundle = str(values.get("sync_ca_bundle") or "")
        self.sync_ca.setText(self.sync_ca_bundle)
        self.save_button.setEnabled(True)

    def _build_sync(self, values: dict[str, object]) -> None:
        # The address and CA are fixed by enrolment (they belong with the credential, and the sync service refuses
        # any other change), so they are shown here, never typed; changing them is a re-enrolment with a code.
        self.sync_url = QLineEdit(str(values["sync_server_url"]))
        self.sync_url.setObjectName("setting_sync_server_url")
        self.sync_url.setReadOnly(True)
        self.sync_url.setPlaceholderText(self.tr("not enrolled"))
        self.sync_ca_bundle = str(values.get("sync_ca_bundle") or "")
        self.sync_ca = QLineEdit(self.sync_ca_bundle)
        self.sync_ca.setObjectName("setting_sync_ca_bundle")
        self.sync_ca.setReadOnly(True)
        self.sync_ca.setPlaceholderText(self.tr("the operating system's trusted certificates"))
        self.enrol_button = QPushButton(self.tr("E&nrol…"))
        self.enrol_button.setObjectName("open_enrol")
        self.enrol_button.setToolTip(self.tr("Enrol this workstation with the central server using a one-time code."))
        self.enrol_button.clicked.connect(self.open_enrol)
        self.enrol_dialog: EnrolDialog | None = None
        self.sync_row = QHBoxLayout()
        self.sync_row.addWidget(self.sync_url, 1)
        self.sync_row.addWidget(self.enrol_button)
        self.sync_state = QLabel()
        self.sync_state.setObjectName("setting_sync_state")
        self.sync_state.setWordWrap(True)
        self.sync_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the ids, to copy
        self.device_id: str | None = None
        self._sync_reads = LatestOnly()

    def read_sync_state(self) -> None:
        """Show whether this workstation is enrolled, and with which server (read in the background)."""
        ws, actor = self.ws, self.actor
        self._sync_reads.run(lambda _p: ws.sync.status(actor), self._show_sync_state, self._sync_state_failed)

    def _show_sync_state(self, status: SyncStatus) -> None:
        if not isValid(self):
            return
        self.device_id = status.device_id if status.configured else None
        self.sync_url.setText(status.server_url)
        # The bank's administrator names the workstation to issue a re-enrolment code, so it is always shown.
        workstation = self.tr("This workstation's id: %1 (the bank issues a re-enrolment code for it).").replace(
            "%1", status.workstation_id
        )
        if not status.configured:
            self.enrol_button.setText(self.tr("E&nrol…"))
            self.sync_state.setText(
                self.tr("Not enrolled: approved records wait on this workstation.") + "\n" + workstation
            )
            self.sync_state.setStyleSheet("")
            return
        self.enrol_button.setText(self.tr("Re-e&nrol…"))
        self.enrol_button.setToolTip(
            self.tr(
                "The server address and its CA certificate are fixed at enrolment. To change them (or after the "
                "device was revoked), enrol again with a new one-time code from the bank's central administrator; "
                "the change is written to the audit trail."
            )
        )
        text = self.tr("Enrolled as device %1.").replace("%1", status.device_id or "") + " " + workstation
        if status.ca_sha256:
            text += " " + self.tr("Trusted CA: SHA-256 %1.").replace("%1", status.ca_sha256)
        alarming = status.insecure_http or status.last_error_code in ENROLMENT_PROBLEMS
        if status.insecure_http:
            text += " " + self.tr("⚠ Plain HTTP: allowed only to this computer; enrol with https:// for a real server.")
        if status.last_error_code in ENROLMENT_PROBLEMS or status.last_error_code == AUDIT_CHAIN_BREAK:
            alarming = True
            text += "\n⚠ " + (status.error_message(lang()) or "")
        self.sync_state.setText(text)
        self.sync_state.setStyleSheet("color: #b00020;" if alarming else "")

    def _sync_state_failed(self, exc: Exception) -> None:
        if isValid(self):
            self.sync_state.setText(explain(exc))

    def open_enrol(self) -> EnrolDialog:
        """The enrolment dialog (non-modal); the page shows the new state when it succeeds."""
        dialog = EnrolDialog(
            self.ws,
            self.actor,
            self,
            server_url=self.sync_url.text(),
            ca_bundle=self.sync_ca_bundle,
            device_id=self.device_id,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.enrolled.connect(self._enrolled)
        self.enrol_dialog = dialog
        dialog.show()
        return dialog

    def _enrolled(self, enrolled: Enrolled) -> None:
        self.sync_url.setText(enrolled.server_url)

        def shown(bundle: object) -> None:
            self.sync_ca_bundle = str(bundle or "")
            self.sync_ca.setText(self.sync_ca_bundle)

        ws, actor = self.ws, self.actor
        Op(self, lambda: ws.settings.get(actor, "sync_ca_bundle")).success(shown).run()
        self.read_sync_state()
        self.sync_changed.emit()

    def _combo(self, key: str, values: dict[str, object], options: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"setting_{key}")
        for value, label in options:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(values[key])))
        return combo

    def _build_paper_scanner(self, values: dict[str, object]) -> None:
        """The paper-form scanner (issue 16): the device (the first found, one from Find, or a name typed), the
        resolution, the colour mode and two-sided scanning."""
        self.scanner_device = QComboBox()
        self.scanner_device.setObjectName("setting_paper_scanner_device")
        self.scanner_device.setEditable(True)  # a name the bank's IT gives (a network scanner) can be typed
        self.scanner_device.addItem(self.tr("The first scanner found"), "")
        self.find_scanners_button = QPushButton(self.tr("&Find scanners…"))
        self.find_scanners_button.setObjectName("find_scanners")
        self.find_scanners_button.setToolTip(self.tr("Ask the scanner drivers which scanners are connected (Alt+F)."))
        self.find_scanners_button.clicked.connect(self.find_scanners)
        self.scanner_row = QHBoxLayout()
        self.scanner_row.addWidget(self.scanner_device, 1)
        self.scanner_row.addWidget(self.find_scanners_button)
        self._show_device(str(values["paper_scanner_device"]))
        self.scan_dpi = QSpinBox()
        self.scan_dpi.setObjectName("setting_paper_scan_dpi")
        self.scan_dpi.setRange(150, 600)
        self.scan_dpi.setSingleStep(50)
        self.scan_dpi.setSuffix(" dpi")
        self.scan_dpi.setValue(int(values["paper_scan_dpi"]))  # type: ignore[call-overload]
        self.scan_mode = self._combo(
            "paper_scan_mode",
            values,
            [("color", self.tr("Colour")), ("gray", self.tr("Greyscale")), ("lineart", self.tr("Black and white"))],
        )
        self.scan_duplex = QCheckBox(self.tr("Scan both sides of each sheet"))
        self.scan_duplex.setObjectName("setting_paper_scan_duplex")
        self.scan_duplex.setChecked(bool(values["paper_scan_duplex"]))

    def _show_device(self, name: str) -> None:
        index = self.scanner_device.findData(name)
        if index < 0:
            self.scanner_device.addItem(name, name)
            index = self.scanner_device.count() - 1
        self.scanner_device.setCurrentIndex(index)

    def device_value(self) -> str:
        """The device chosen: an item's name, or the text typed ("" for the first scanner found)."""
        text = self.scanner_device.currentText().strip()
        index = self.scanner_device.findText(text)
        return str(self.scanner_device.itemData(index) or "") if index >= 0 else text

    def find_scanners(self) -> None:
        """List the scanners the drivers find (off the GUI thread: a network scanner can take seconds)."""
        ws, actor = self.ws, self.actor
        chosen = self.device_value()
        self.find_scanners_button.setEnabled(False)

        def found(devices: list) -> None:  # type: ignore[type-arg]
            self.scanner_device.clear()
            self.scanner_device.addItem(self.tr("The first scanner found"), "")
            for device in devices:
                self.scanner_device.addItem(f"{device.vendor} {device.model} ({device.name})", device.name)
            self._show_device(chosen)
            self.note.setText(self.tr("%n scanner(s) found.", "", len(devices)))
            self.scanner_device.setFocus()

        Op(self, lambda: ws.paper.scanners(actor)).with_progress(self.tr("Looking for scanners…")).success(
            found
        ).finally_(lambda: self.find_scanners_button.setEnabled(True)).run()

    def choose_scanner_folder(self) -> None:
        """Pick the folder the scanner saves into."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Scanner folder"), self.scanner_folder.text())
        if folder:
            self.scanner_folder.setText(folder)

    def _save_by_key(self) -> None:
        """Ctrl+S: as the button, once the current values are shown (never the defaults over them)."""
        if self.save_button.isEnabled():
            self.save()

    def save(self) -> None:
        changes: dict[str, object] = {
            "idle_lock_minutes": self.idle.value(),
            "dual_entry_policy": self.policy.currentData(),
            "duplicates_at_entry": self.duplicates_at_entry.currentData(),
            "reconciliation_resolver": self.resolver.currentData(),
            "language": self.language.currentData(),
            "scanner_folder": self.scanner_folder.text().strip(),
            "paper_scanner_device": self.device_value(),
            "paper_scan_dpi": self.scan_dpi.value(),
            "paper_scan_mode": self.scan_mode.currentData(),
            "paper_scan_duplex": self.scan_duplex.isChecked(),
        } | {key: spin.value() for key, spin in self.review.items()}
        ws, actor = self.ws, self.actor

        def work() -> None:
            current = ws.settings.all(actor)
            for key, value in changes.items():
                if current.get(key) != value:
                    ws.settings.set(actor, key, value)

        done = self.tr("Saved. A new language applies at the next sign-in.")
        Op(self, work).success(lambda _none: self.note.setText(done)).run()
