"""Words a teller or an admin reads (issue 13 item 14), offscreen: the role-combination error in the dialog's own
language without losing the typing, temporary passwords without look-alikes and with Copy, the recovery code with
Copy and Print, the audit log in words and local time, one date format, choice labels without their codes in the
scan table, and the Qt file dialog in Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel

from desktop_app.domain.form_schema import load_default_form
from desktop_app.domain.password_policy import password_problems
from desktop_app.domain.roles import Role
from desktop_app.services.audit_log import AuditItem
from desktop_app.ui.admin.admin_pages import RolesDialog, UsersPage, temporary_password
from desktop_app.ui.common import i18n
from desktop_app.ui.common.handover_text import HandoverDialog
from desktop_app.ui.common.labels import local_date, local_time, local_time_iso
from desktop_app.ui.records.scan_panel import shown_value
from desktop_app.ui.session.first_run import RecoveryCodeDialog
from desktop_app.ui.supervision.audit_page import AuditModel, pretty
from tests.conftest import Staff

ONE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
LOOK_ALIKES = set("lI1O0")


@pytest.fixture
def chinese(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    i18n.install("zh_CN")
    yield
    i18n.install("en")


def _ok(dialog: RolesDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_forbidden_role_combination_is_said_in_chinese_and_keeps_the_dialog_open(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    dialog = RolesDialog(None)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    qtbot.keyClicks(dialog.name, "newclerk")
    dialog.boxes[Role.ADMIN].setChecked(True)
    dialog.boxes[Role.TELLER].setChecked(True)
    _ok(dialog)
    assert dialog.isVisible() and dialog.result() == 0  # not closed
    assert dialog.name.text() == "newclerk"  # the typing is kept
    text = dialog.problem.text()
    assert dialog.problem.isVisible() and "管理员" in text and "柜员" in text
    assert not re.search(r"[A-Za-z]{3}", text)  # no English left in it
    assert QApplication.focusWidget() in dialog.boxes.values()  # on the roles, to fix them

    dialog.boxes[Role.ADMIN].setChecked(False)
    _ok(dialog)
    assert dialog.result() == 1 and dialog.roles() == frozenset({Role.TELLER})


def test_no_role_at_all_is_refused_in_the_dialog(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    dialog = RolesDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    _ok(dialog)
    assert dialog.isVisible() and dialog.problem.text() == "请至少选择一个角色。"


def test_temporary_passwords_have_no_look_alikes_and_meet_the_policy() -> None:
    for _ in range(300):
        password = temporary_password("ab")
        assert not LOOK_ALIKES & set(password), password
        assert not password_problems(password, username="ab")
        assert re.fullmatch(r"[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}", password)


def test_a_new_users_temporary_password_can_be_copied(qtbot, staff: Staff, english, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[HandoverDialog] = []

    def exec_and_copy(self: HandoverDialog) -> int:
        shown.append(self)
        self.secret.copy_button.click()
        return 0

    monkeypatch.setattr(HandoverDialog, "exec", exec_and_copy)
    page = UsersPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    page.hand_over("User added", "Abcd-2345-Wxyz")
    assert shown and QGuiApplication.clipboard().text() == "Abcd-2345-Wxyz"
    assert shown[0].secret.shown.text() == "Abcd-2345-Wxyz"


def test_the_recovery_code_has_copy_and_print(qtbot, english, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code = "ABCD-EFGH-JKLM-NPQR"
    dialog = RecoveryCodeDialog(code)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.secret.copy_button.click()
    assert QGuiApplication.clipboard().text() == code
    assert dialog.secret.print_button.isVisible()

    # Print asks for the printer first (a PDF file is one of the choices)
    seen: list[QPrintDialog] = []

    def close_print_dialog() -> None:
        found = QApplication.activeModalWidget()
        if isinstance(found, QPrintDialog):
            seen.append(found)
            found.reject()
        else:
            QTimer.singleShot(50, close_print_dialog)

    QTimer.singleShot(50, close_print_dialog)
    dialog.secret.print_button.click()
    assert seen

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    pdf = tmp_path / "recovery.pdf"
    printer.setOutputFileName(str(pdf))
    with qtbot.waitSignal(dialog.secret.printed):
        dialog.secret.print_to(printer)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_the_audit_log_reads_in_words_and_local_time(chinese) -> None:  # type: ignore[no-untyped-def]
    item = AuditItem(
        7,
        "2026-03-01T08:15:30.123456Z",
        "workstation",
        "record.status",
        "r-1",
        {"from_status": "awaiting_approval", "to_status": "approved", "version": 3},
    )
    assert AuditModel.text(item, "action") == "记录状态变更"
    assert AuditModel.text(item, "actor") == "本工作站（自动）"
    when = AuditModel.text(item, "ts")
    assert ONE_FORMAT.match(when) and when == local_time(datetime(2026, 3, 1, 8, 15, 30, tzinfo=UTC))
    assert pretty(item.details) == "原状态: 待审批\n新状态: 已审批\n版本: 3"
    assert "{" not in AuditModel.text(item, "details")
    assert (
        pretty({"roles": "teller,supervisor", "key_storage": "keyring"})
        == "密钥保管方式: 系统凭据存储\n角色: 柜员, 主管"
    )


def test_one_date_format_on_every_screen(qtbot, staff: Staff, chinese) -> None:  # type: ignore[no-untyped-def]
    assert ONE_FORMAT.match(local_time(datetime(2026, 12, 7, 4, 41)))
    assert ONE_FORMAT.match(local_time_iso("2026-12-07T04:41:00.000001Z"))
    assert local_date(datetime(2026, 2, 3).date()) == "2026-02-03"
    i18n.install("en")
    assert ONE_FORMAT.match(local_time(datetime(2026, 12, 7, 4, 41)))  # the same in English
    page = UsersPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=10_000)  # read in the background
    signed_in = [page.table.item(r, 3).text() for r in range(page.table.rowCount())]
    assert any(signed_in) and all(ONE_FORMAT.match(t) for t in signed_in if t)


def test_choices_in_the_scan_table_show_words_without_codes(chinese) -> None:  # type: ignore[no-untyped-def]
    schema = load_default_form()
    assert shown_value(schema, "sex", "M") == "男"
    assert "(" not in shown_value(schema, "id_type", "resident_id")


def test_the_qt_file_dialog_speaks_chinese(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    dialog = QFileDialog(None, "export")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    look_in = dialog.findChild(QLabel, "lookInLabel")
    file_type = dialog.findChild(QLabel, "fileTypeLabel")
    assert look_in is not None and file_type is not None
    assert look_in.text() == "查找范围(&L)：" and file_type.text() == "文件类型(&T)："


def test_audit_details_name_actions_statuses_settings_fields_and_the_form(chinese) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 14 (second look): no raw code left in the audit details of these entries."""
    schema = load_default_form()
    assert AuditModel.text(AuditItem(1, "2026-03-01T08:15:30Z", "a", "form_number.claim", "r", {}), "action") == (
        "记录占用表单编号"
    )
    assert pretty({"from": "awaiting_approval", "to": "rejected"}, "record.status") == "原值: 待审批\n新值: 已退回"
    setting = pretty({"key": "dual_entry_policy", "from": "both", "to": "none"}, "settings.change")
    assert "dual_entry_policy" not in setting and "both" not in setting and "none" not in setting
    assert "双人录入" in setting or "二次录入" in setting or "录入" in setting
    changed = pretty({"changed": ["address", "annual_income_band"], "version": 2}, "record.update")
    assert "address" not in changed and "annual_income_band" not in changed
    assert schema.field("address").label("zh") in changed and "changed" not in changed
    claim = pretty({"form_number": "F1", "source": "typed", "version": 1}, "form_number.claim")
    assert "typed" not in claim and "source" not in claim and "form_number" not in claim
    revealed = pretty({"unmasked": ["address"], "hidden": ["id_number"], "version": 1}, "record.reveal")
    assert "hidden" not in revealed and "address" not in revealed and "id_number" not in revealed
    assert "versions" not in pretty({"versions": 3}, "record.history")
    assert "candidates" not in pretty({"candidates": 2, "version": 1}, "duplicate.view")
    assert pretty({"form": schema.key, "version": 1}, "record.create").startswith("表单: " + schema.title("zh"))
    # the re-check: a reconciliation's decisions were codes, an empty list of differences read as a fault
    resolved = pretty({"decisions": {"mobile": "first", "email": "other"}, "version": 2}, "reconciliation.resolve")
    assert "first" not in resolved and "other" not in resolved and "mobile" not in resolved
    matched = pretty({"differences": [], "version": 1}, "second_entry.submit")
    assert "差异: ・" not in matched and matched.split("\n")[0].endswith("无")


def test_a_wrong_passphrase_is_said_in_chinese(chinese) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.storage.errors import WrongKey
    from desktop_app.ui.session.app import WRONG_PASSPHRASE, wrong_key_text

    assert wrong_key_text(WrongKey(WRONG_PASSPHRASE)) == "口令不正确。请重新输入（区分大小写）。"


def test_a_return_reason_is_shown_in_the_viewers_language(chinese) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.domain.reject_reasons import reason_in
    from desktop_app.ui.common.labels import status_reason_label

    assert status_reason_label("其他 / Other: 地址写错") == "其他: 地址写错"
    assert pretty({"reason": "资料不全 / Information missing"}) == "原因: 资料不全"
    assert reason_in("其他 / Other: wrong address", "en") == "Other: wrong address"
    assert reason_in("a reason typed by hand", "en") == "a reason typed by hand"


def test_alt_letters_in_the_lock_screen_password_are_not_typed(qtbot, staff: Staff, chinese) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from desktop_app.ui.session.lock_screen import LockScreen

    screen = LockScreen(staff.ws, staff.teller)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    for key in (Qt.Key.Key_S, Qt.Key.Key_E):
        qtbot.keyClick(screen.password, key, Qt.KeyboardModifier.AltModifier)
    assert screen.password.text() == ""
    qtbot.keyClick(screen.password, Qt.Key.Key_A)
    qtbot.keyClick(screen.password, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert screen.password.text().startswith("a")  # plain typing (and AltGr, Ctrl+Alt) still reach the field
