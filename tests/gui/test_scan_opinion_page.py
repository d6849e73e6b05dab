"""The scan as a third opinion on the approval screen: a field where the card reads otherwise than the agreed
values is named in the dual-entry summary (the field, never a value). The reading is replaced by a known result:
this test is about the screen; tests/integration/test_scan_opinion.py reads a generated card with Tesseract."""

from __future__ import annotations

from desktop_app.domain.lifecycle import Status
from desktop_app.services.scan_fill import read_scan
from desktop_app.ui.supervision.approval_page import ApprovalPage
from tests.conftest import Staff
from tests.gui.settle import settle
from tests.gui.test_scan_id import card_result, fake_reader, scan_file
from tests.support.customers import resident


def test_the_supervisor_sees_which_fields_the_scan_reads_differently(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    values = resident(37)
    fake_reader(monkeypatch, card_result(values))  # the card as printed
    reading = read_scan(scan_file(tmp_path), staff.ws.records.form())
    keyed = dict(values, name=("李" if not values["name"].startswith("李") else "张") + values["name"][1:])
    saved = staff.ws.records.create(staff.teller, keyed)  # both clerks key the same wrong surname
    staff.ws.attachments.attach_scan(staff.teller, saved.record_id, reading.image_png, reading.meta)
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    assert staff.ws.dual_entry.submit(staff.teller2, saved.record_id, keyed).status is Status.AWAITING_APPROVAL

    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    settle(qtbot)
    assert page.detail is not None and page.detail.record_id == saved.record_id
    qtbot.waitUntil(lambda: "scan reads differently" in page.history_label.text(), timeout=10_000)
    summary = page.history_label.text()
    assert "Full name" in summary and "⚠" in page.tabs.tabText(1)
    assert keyed["name"] not in summary and values["name"] not in summary
