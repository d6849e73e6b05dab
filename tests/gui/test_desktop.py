"""The real widgets, driven by key presses offscreen: sign in, key a form, fix an error, save, find it in the
list, be locked by the idle timer and unlock, a schema with every field type, and the Chinese translation."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from desktop_app.domain.form_schema import FieldType, load_form
from desktop_app.domain.lifecycle import Status
from desktop_app.services.actor import SessionState
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common import i18n
from desktop_app.ui.records.customer_list import CustomerList
from desktop_app.ui.records.entry_form import EntryForm
from desktop_app.ui.records.field_widgets import ChoiceEditor, LineEditor, LongTermDateEditor, TextAreaEditor
from desktop_app.ui.session.login_dialog import LoginDialog
from desktop_app.ui.session.main_window import MainWindow
from tests.conftest import PASSWORD, Staff
from tests.gui.settle import settle
from tests.support.customers import resident

ALL_TYPES = Path(__file__).resolve().parents[1] / "unit" / "fixtures" / "all_types_form.yaml"


def _type(qtbot, target: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """ASCII as key presses; Chinese as an input-method commit, the way a Pinyin IME delivers it."""
    run = ""
    for ch in text + "\0":
        if ch != "\0" and ord(ch) < 128:
            run += ch
            continue
        if run:
            qtbot.keyClicks(target, run)
            run = ""
        if ch != "\0":
            event = QInputMethodEvent("", [])
            event.setCommitString(ch)
            QApplication.sendEvent(target, event)


def type_into(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    target = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    if isinstance(target, QLineEdit | QPlainTextEdit):
        target.selectAll()
        qtbot.keyClick(target, Qt.Key.Key_Delete)
    _type(qtbot, target, text)


def key_form(qtbot, form: EntryForm, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Type each value into its field, as a clerk would, moving on with Enter."""
    for spec in form.schema.fields:
        value = values.get(spec.key, "")
        if not value:
            continue
        editor = form.editors[spec.key]
        if isinstance(editor, ChoiceEditor):
            choice = spec.choice(value)
            text = choice.label_text.en if choice else value
            type_into(qtbot, editor.combo, text)
        elif isinstance(editor, LongTermDateEditor) and value == "长期":
            editor.edit.setFocus()
            qtbot.keyClicks(editor.edit, "cq")
        else:
            type_into(qtbot, editor.focus_widget(), value)


def test_login_dialog_signs_in_and_reports_a_wrong_password(qtbot, staff: Staff, english) -> None:
    dialog = LoginDialog(staff.ws)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.user, "teller")
    qtbot.keyClicks(dialog.password, "wrong-password-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # checked off the GUI thread (argon2)
    qtbot.waitUntil(lambda: "Wrong user name or password" in dialog.message.text(), timeout=5000)
    assert dialog.actor is None
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD + "x")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.actor is not None, timeout=5000)
    assert dialog.actor is not None and dialog.actor.username == "teller"


def test_caps_lock_warning_from_typed_letters(qtbot, staff: Staff, english) -> None:
    dialog = LoginDialog(staff.ws)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "ABC")  # capitals without Shift: Caps Lock is on
    assert dialog.caps.isVisible()
    qtbot.keyClicks(dialog.password, "abc")
    assert not dialog.caps.isVisible()


def test_key_a_form_see_the_id_error_fix_it_save_and_find_it(qtbot, staff: Staff, english) -> None:
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    form.show()
    values = resident(1)
    bad = values["id_number"][:-1] + ("0" if values["id_number"][-1] != "0" else "1")
    key_form(qtbot, form, dict(values, id_number=bad))
    qtbot.waitUntil(lambda: form.messages["id_number"].isVisible(), timeout=3000)
    assert "check" in form.messages["id_number"].text().lower()
    type_into(qtbot, form.editors["id_number"].focus_widget(), values["id_number"])
    qtbot.waitUntil(lambda: not form.messages["id_number"].isVisible(), timeout=3000)
    qtbot.keyClick(form.editors["name"].focus_widget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.record_id is not None, timeout=5000)  # saved off the GUI thread
    assert form.record_id is not None
    saved = staff.ws.records.get(staff.teller, form.record_id)
    assert saved.values["id_number"] == values["id_number"] and saved.values["name"] == values["name"]
    assert saved.status is Status.DRAFT

    listing = CustomerList(staff.ws, staff.teller)
    qtbot.addWidget(listing)
    listing.show()
    with qtbot.waitSignal(listing.model.loaded, timeout=5000):
        type_into(qtbot, listing.search, values["name"])
    ids = [
        listing.model.data(listing.model.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(listing.model.rowCount())
    ]
    assert form.record_id in ids


def test_enter_moves_to_the_next_field(qtbot, staff: Staff, english) -> None:
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    first = form.editors["name"].focus_widget()
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert form.focusWidget() is form.editors["name_pinyin"].focus_widget()


def test_idle_lock_hides_data_and_the_same_user_unlocks(qtbot, staff: Staff, english) -> None:
    window = MainWindow(staff.ws, staff.teller)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)  # the window's first reads (the idle-lock setting among them) are in
    key_form(qtbot, window.entry, {"name": "测试锁屏", "mobile": "13800000000"})
    window.activateWindow()
    typing_in = window.entry.editors["mobile"].focus_widget()
    typing_in.setFocus()
    qtbot.waitUntil(typing_in.hasFocus, timeout=2000)
    window.idle.set_minutes(0.002)  # about 0.1 s
    qtbot.waitUntil(window.is_locked, timeout=3000)
    assert not window.pages.isVisible()
    settle(qtbot)  # the autosave, then the lock, written on the store's thread
    another_session = dataclasses.replace(staff.teller, session=SessionState())  # the locked one is refused
    assert staff.ws.autosave.list(another_session)[0].values["name"] == "测试锁屏"  # typing kept on lock
    qtbot.keyClicks(window.lock_screen.password, "not-the-password-1")
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.is_locked() and window.lock_screen.message.text()
    window.lock_screen.password.clear()
    qtbot.keyClicks(window.lock_screen.password, PASSWORD + "x")
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.is_locked(), timeout=5000)
    qtbot.waitUntil(typing_in.hasFocus, timeout=2000)  # back in the field being typed in, not the first one
    window.idle.pause()
    window.close()


def test_a_test_schema_shows_an_editor_for_every_field_type(qtbot, staff: Staff, english) -> None:
    schema = load_form(ALL_TYPES)
    assert {f.type for f in schema.fields} == set(FieldType)
    ws = Workstation(staff.ws.store, schema)
    form = EntryForm(ws, staff.teller)
    qtbot.addWidget(form)
    expected = {
        FieldType.CHOICE: ChoiceEditor,
        FieldType.TEXTAREA: TextAreaEditor,
        FieldType.DATE_OR_LONG_TERM: LongTermDateEditor,
    }
    for spec in schema.fields:
        assert isinstance(form.editors[spec.key], expected.get(spec.type, LineEditor)), spec.key
        assert form.findChild(QWidget, f"label_{spec.key}") is not None


def test_chinese_is_shown_when_the_system_locale_is_chinese(qtbot, staff: Staff, monkeypatch) -> None:
    class ChineseLocale(QLocale):
        @staticmethod
        def system() -> QLocale:  # type: ignore[override]
            return QLocale(QLocale.Language.Chinese, QLocale.Country.China)

    monkeypatch.setattr(i18n, "QLocale", ChineseLocale)
    assert i18n.resolve("system") == "zh_CN"
    assert i18n.install(i18n.resolve("system")) == "zh_CN"
    try:
        dialog = LoginDialog(staff.ws)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle().startswith("登录")
        form = EntryForm(staff.ws, staff.teller)
        qtbot.addWidget(form)
        assert form.findChild(QWidget, "label_name").text().startswith("姓名")  # labels from the schema
    finally:
        i18n.install("en")


def test_first_run_wizard_creates_the_store_and_its_administrator(qtbot, tmp_path: Path, english, monkeypatch) -> None:
    from desktop_app.ui.session import first_run

    shown: list[str] = []
    monkeypatch.setattr(
        first_run.RecoveryCodeDialog,
        "exec",
        lambda self: shown.append(self.findChild(QWidget, "recovery_code").text()) or 1,
    )
    root = tmp_path / "new-branch"
    wizard = first_run.FirstRunWizard(root)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.admin.setText("boss")
    qtbot.keyClicks(wizard.password, "Branch-Admin-2026")
    qtbot.keyClicks(wizard.repeat, "Branch-Admin-2027")
    qtbot.keyClick(wizard.repeat, Qt.Key.Key_Return)
    assert "differ" in wizard.message.text() and wizard.ws is None
    wizard.repeat.clear()
    qtbot.keyClicks(wizard.repeat, "Branch-Admin-2026")
    qtbot.keyClick(wizard.repeat, Qt.Key.Key_Return)  # the store and the hash are made off the GUI thread
    qtbot.waitUntil(lambda: wizard.ws is not None, timeout=20_000)
    assert wizard.ws is not None and len(shown) == 1 and len(shown[0]) == 47
    actor, must_change = wizard.ws.auth.login("boss", "Branch-Admin-2026")
    assert not must_change and actor.username == "boss"
    wizard.ws.close()


def test_an_unhandled_error_shows_a_plain_dialog_and_logs_no_values(qtbot, english, monkeypatch, caplog) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.session import app as gui_app

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    number, name = "1101051949" + "12310021", "张" + "测试"  # not literal in the source the frames quote
    try:
        raise RuntimeError(f"failed while saving {number} {name}")
    except RuntimeError as exc:
        gui_app._unexpected(type(exc), exc, exc.__traceback__)
    assert shown and "Nothing already saved was lost" in shown[0]
    assert "110105194912310021" not in shown[0] and "Traceback" not in shown[0]
    assert "RuntimeError" in caplog.text
    assert "110105194912310021" not in caplog.text and "张测试" not in caplog.text


def test_switching_user_signs_out_and_is_audited(qtbot, staff: Staff, english) -> None:
    from desktop_app.services.audit_log import AuditFilter

    window = MainWindow(staff.ws, staff.teller)
    qtbot.addWidget(window)
    window.show()
    from PySide6.QtGui import QAction, QKeySequence

    action = next(a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+Shift+Q"))
    with qtbot.waitSignal(window.signed_out, timeout=3000):
        action.trigger()
    settle(qtbot)  # the sign-out is written on the store's thread
    actions = [e.action for e in staff.ws.audit.entries(staff.auditor, AuditFilter(actor="teller", limit=5))]
    assert actions[0] == "logout"


def test_the_recovery_code_dialog_does_not_close_before_the_code_is_kept(qtbot, english) -> None:  # type: ignore[no-untyped-def]
    """Independent check: Escape closed the dialog and the only copy of the recovery code was gone."""
    from desktop_app.ui.session.first_run import RecoveryCodeDialog

    dialog = RecoveryCodeDialog("ABCDE-FGHIJ-KLMNP-QRSTU-VWXYZ-23456-789AB-CDEFG")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "shown only now" in dialog.note.text()
    dialog.close()
    assert dialog.isVisible()
    dialog.done_box.setChecked(True)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == 1


def test_the_first_run_wizard_says_which_password_is_wrong_and_goes_there(qtbot, tmp_path: Path, english) -> None:  # type: ignore[no-untyped-def]
    """Independent check: "the password may not contain the user name" did not say which of the passwords, and
    the keyboard stayed in the last field."""
    from desktop_app.ui.session import first_run

    wizard = first_run.FirstRunWizard(tmp_path / "new-branch")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=3000)
    wizard.admin.setText("boss")
    for field in (wizard.password, wizard.repeat):
        qtbot.keyClicks(field, "boss-Branch-2026x")
    qtbot.keyClick(wizard.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Administrator password" in wizard.message.text(), timeout=20_000)
    qtbot.waitUntil(wizard.password.hasFocus, timeout=2000)
    assert wizard.password.selectedText() == "boss-Branch-2026x" and wizard.ws is None
