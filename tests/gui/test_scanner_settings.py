"""The paper-form scanner in the settings (issue 16): Find scanners lists what SANE finds (its test backend is a
real device here), the choice, resolution, colour and two-sided scanning are saved and shown again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.ui.admin.admin_pages import SettingsPage
from tests.conftest import Staff
from tests.support.sane_test_device import use_test_backend


def test_find_choose_and_save_the_paper_scanner(qtbot, staff: Staff, english, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    use_test_backend(tmp_path / "sane")  # only the test backend, when this process starts SANE here
    page = SettingsPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(page.save_button.isEnabled, timeout=5000)
    assert page.device_value() == ""  # the first scanner found, by default
    qtbot.mouseClick(page.find_scanners_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.scanner_device.findData("test:1") >= 0, timeout=30_000)
    assert "scanner(s) found" in page.note.text()
    page.scanner_device.setCurrentIndex(page.scanner_device.findData("test:1"))
    page.scan_dpi.setValue(200)
    page.scan_mode.setCurrentIndex(page.scan_mode.findData("gray"))
    page.scan_duplex.setChecked(True)
    page.save()
    wanted = {
        "paper_scanner_device": "test:1",
        "paper_scan_dpi": 200,
        "paper_scan_mode": "gray",
        "paper_scan_duplex": True,
    }
    qtbot.waitUntil(lambda: all(staff.ws.settings.get(staff.admin, k) == v for k, v in wanted.items()), timeout=5000)
    again = SettingsPage(staff.ws, staff.admin)  # shown again as saved
    qtbot.addWidget(again)
    qtbot.waitUntil(again.save_button.isEnabled, timeout=5000)
    assert again.device_value() == "test:1" and again.scan_dpi.value() == 200 and again.scan_duplex.isChecked()
    again.scanner_device.setEditText("net:192.0.2.7:fujitsu")  # a name typed, as the bank's IT gives it
    assert again.device_value() == "net:192.0.2.7:fujitsu"
