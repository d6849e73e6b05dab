"""Scan ID on the entry form, driven offscreen: a scanned card fills the form with marked values, reading happens
off the GUI thread, every value read must be confirmed (Enter, or typing over it) before submitting, errors are
plain messages, the scan is kept with the saved record and the supervisor sees it when approving."""

from __future__ import annotations

import os
import random
import threading
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QPointF, Qt, QThreadPool, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QTabWidget

from desktop_app.domain.choices import ETHNICITIES
from desktop_app.domain.lifecycle import Status
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import OcrEngineMissing
from desktop_app.services import scan_fill
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.records import SearchQuery
from desktop_app.services.scan_fill import ScanReading
from desktop_app.ui.admin.admin_pages import SettingsPage
from desktop_app.ui.records import entry_form
from desktop_app.ui.records.entry_form import EntryForm
from desktop_app.ui.records.scan_panel import ScanDialog
from desktop_app.ui.records.second_entry import BlindEntryForm
from desktop_app.ui.supervision.approval_page import ApprovalPage
from tests.conftest import Staff
from tests.gui.settle import open_record, settle
from tests.gui.test_desktop import type_into
from tests.support.customers import resident
from tests.support.id_documents import cn_id_front, synthetic_identity

SCANNED = ("name", "sex", "ethnicity", "birth_date", "nationality", "id_type", "id_number", "address")


def card_result(values: dict[str, str], image: Image.Image | None = None) -> DocumentResult:
    """What a reader of the card's portrait side returns for this customer, with boxes on `image`."""
    ethnicity = next(c.label_text.zh for c in ETHNICITIES if c.value == values["ethnicity"]).removesuffix("族")
    fields = {
        "name": FieldResult(values["name"], 0.93, False, (170, 100, 400, 150)),
        "sex": FieldResult({"M": "男", "F": "女"}[values["sex"]], 0.9, True, (170, 170, 210, 205)),
        "ethnicity": FieldResult(ethnicity, 0.72, False, (406, 170, 450, 205)),
        "birth_date": FieldResult(values["birth_date"], 0.95, True, (170, 240, 520, 275)),
        "address": FieldResult(values["address"], 0.61, False, (170, 310, 620, 440)),
        "id_number": FieldResult(values["id_number"], 0.99, True, (318, 560, 930, 605)),
    }
    return DocumentResult("cn_id_front", fields, document_image=image or Image.new("RGB", (1011, 638), "white"))


def scan_file(tmp_path: Path, name: str = "scan.png", size: tuple[int, int] = (1011, 638)) -> Path:
    path = tmp_path / name
    Image.new("RGB", size, "white").save(path)
    return path


def fake_reader(monkeypatch: pytest.MonkeyPatch, result: DocumentResult) -> list[Image.Image]:
    """Recognition replaced by a known result (these tests are about the screen, not the reading); returns the
    images it was given."""
    seen: list[Image.Image] = []

    def recognise(source: Image.Image, today: date | None = None) -> DocumentResult:
        seen.append(source)
        return result

    monkeypatch.setattr(scan_fill, "recognise", recognise)
    return seen


def open_form(qtbot, staff: Staff) -> EntryForm:  # type: ignore[no-untyped-def]
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    form.resize(1180, 700)
    with qtbot.waitActive(form):  # shortcuts go to the active window
        form.show()
        form.activateWindow()
    return form


def scan(qtbot, form: EntryForm, path: Path) -> ScanDialog:  # type: ignore[no-untyped-def]
    """Ctrl+Shift+S, read the file, and wait for the reading."""
    qtbot.keyClick(
        form.editors["name"].focus_widget(),
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = form.scan_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    dialog.start_file(path)
    qtbot.waitUntil(lambda: not dialog.reading_in_progress, timeout=60_000)
    return dialog


def scan_and_fill(qtbot, form: EntryForm, path: Path) -> ScanReading:  # type: ignore[no-untyped-def]
    dialog = scan(qtbot, form, path)
    reading = dialog.reading
    assert reading is not None, dialog.status.text()
    for row, key in enumerate(dialog.keys):  # below "read clearly" a value starts unticked: the teller ticks it
        if not reading.fill.proposals[key].pre_accepted:
            dialog.table.setCurrentCell(row, 0)
            qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter: fill the ticked values into the form
    assert not dialog.isVisible() and dialog.reading is None  # ready for the other side
    assert form.scan_reading is reading
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=5000)
    return reading


def test_scanning_a_generated_card_fills_the_form_with_marked_fields(qtbot, staff: Staff, english, tmp_path) -> None:
    rng = random.Random(11)
    image, truth = cn_id_front(synthetic_identity(rng, "resident"), rng)
    path = tmp_path / "card.png"
    image.save(path)
    form = open_form(qtbot, staff)
    reading = scan_and_fill(qtbot, form, path)  # the real reader, Tesseract included

    assert reading.fill.document_type == "cn_id_front"
    assert form.editors["id_number"].value() == truth["id_number"]
    assert form.editors["id_type"].value() == "resident_id" and form.editors["nationality"].value() == "CHN"
    marked = form.unconfirmed_fields()
    assert {"id_number", "id_type", "nationality"} <= set(marked)
    for key in marked:
        assert form.ocr_badges[key].isVisible() and form.ocr_badges[key].text().startswith("OCR")
        assert form.ocr_hosts[key].styleSheet()  # tinted
        assert form.editors[key].value() == reading.fill.proposals[key].value
    for key in set(form.schema.keys) - set(marked):
        assert not form.ocr_badges[key].isVisible()
    assert form.scan_pane.isVisible() and form.scan_pane.view.image is not None
    assert form.focusWidget() is form.editors[marked[0]].focus_widget()  # straight to the first value to check


def test_the_form_stays_responsive_while_the_scan_is_read(qtbot, staff: Staff, english, tmp_path, monkeypatch) -> None:
    values = resident(31)
    started, release = threading.Event(), threading.Event()

    def slow_recognise(source: Image.Image, today: date | None = None) -> DocumentResult:
        started.set()
        release.wait(30)  # until the test has typed: a reading as slow as the test needs
        return card_result(values)

    monkeypatch.setattr(scan_fill, "recognise", slow_recognise)
    form = open_form(qtbot, staff)
    form.open_scan()
    dialog = form.scan_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.start_file(scan_file(tmp_path))
    try:
        qtbot.waitUntil(started.is_set, timeout=10_000)
        assert dialog.reading_in_progress and dialog.busy.isVisible()
        type_into(qtbot, form.editors["mobile"].focus_widget(), "13800001234")  # the GUI thread takes typing
        assert form.editors["mobile"].value() == "13800001234"
        assert dialog.reading_in_progress  # ... while the reading still goes on
    finally:
        release.set()
    qtbot.waitUntil(lambda: dialog.reading is not None, timeout=10_000)
    assert not dialog.busy.isVisible() and dialog.fill_button.isEnabled()
    assert dialog.table.rowCount() == len(SCANNED)


def test_submit_is_blocked_until_each_scanned_value_is_confirmed_and_enter_confirms(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    values = resident(32)
    fake_reader(monkeypatch, card_result(values))
    form = open_form(qtbot, staff)
    for key, value in values.items():  # what the teller keys from the paper form
        if key not in SCANNED:
            form.editors[key].set_value(value)
    scan_and_fill(qtbot, form, scan_file(tmp_path))
    assert form.unconfirmed_fields() == list(SCANNED)

    qtbot.keyClick(form.editors["name"].focus_widget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.record_id is None  # not submitted, not even saved
    message = form.ocr_message
    assert message is not None and message.isVisible()
    for key in SCANNED:
        assert form.schema.field(key).label_text.en in message.text()
    message.done(0)
    assert form.focusWidget() is form.editors["name"].focus_widget()

    # Enter on a field accepts it and moves on; the teller walks the marked fields
    for key in SCANNED:
        widget = form.editors[key].focus_widget()
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        assert key not in form.unconfirmed_fields() and not form.ocr_badges[key].isVisible()
    assert form.unconfirmed_fields() == []
    assert "confirmed" in form.scan_pane.to_confirm.text()

    monkeypatch.setattr(entry_form.SummaryDialog, "exec", lambda self: QDialog.DialogCode.Accepted)  # warnings, if any
    qtbot.keyClick(form.editors["name"].focus_widget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)  # saved, the scan kept, then submitted, each off the GUI thread
    submitted = [
        s for s in staff.ws.records.search(staff.teller, SearchQuery(mine_only=True)) if s.status is not Status.DRAFT
    ]
    assert len(submitted) == 1
    assert staff.ws.records.get(staff.teller, submitted[0].id).values["id_number"] == values["id_number"]


def test_typing_over_a_scanned_value_makes_it_the_tellers_own(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    values = resident(33)
    fake_reader(monkeypatch, card_result(values))
    form = open_form(qtbot, staff)
    scan_and_fill(qtbot, form, scan_file(tmp_path))
    type_into(qtbot, form.editors["address"].focus_widget(), "示例省演示市另一路2号")
    assert "address" not in form.unconfirmed_fields() and not form.ocr_badges["address"].isVisible()
    assert "name" in form.unconfirmed_fields()  # the others still wait


def test_a_value_the_teller_already_typed_is_not_replaced_unless_ticked(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    values = resident(34)
    fake_reader(monkeypatch, card_result(values))
    form = open_form(qtbot, staff)
    form.editors["name"].set_value("王自己")
    dialog = scan(qtbot, form, scan_file(tmp_path))
    row = dialog.keys.index("name")
    assert dialog.table.item(row, 0).checkState() == Qt.CheckState.Unchecked
    assert "王自己" in dialog.table.item(row, 3).text()
    dialog.table.setCurrentCell(dialog.keys.index("sex"), 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)  # Space: leave the sex out too
    assert "sex" not in dialog.checked_keys()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert form.editors["name"].value() == "王自己" and "name" not in form.unconfirmed_fields()
    assert "sex" not in form.unconfirmed_fields() and "id_number" in form.unconfirmed_fields()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is not an image", "is not a scan in JPEG, PNG, TIFF, BMP or PDF"),
        (b"", "empty"),
    ],
    ids=["not-an-image", "empty"],
)
def test_an_unreadable_file_shows_a_plain_message(
    qtbot, staff: Staff, english, tmp_path, content: bytes, expected: str
) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(content)
    form = open_form(qtbot, staff)
    dialog = scan(qtbot, form, path)
    assert dialog.reading is None and not dialog.fill_button.isEnabled()
    assert expected in dialog.status.text() and "Traceback" not in dialog.status.text()
    assert form.unconfirmed_fields() == []


def test_missing_tesseract_and_nothing_recognised_are_explained(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    def missing(source: Image.Image, today: date | None = None) -> DocumentResult:
        raise OcrEngineMissing("tesseract not found")

    monkeypatch.setattr(scan_fill, "recognise", missing)
    form = open_form(qtbot, staff)
    dialog = scan(qtbot, form, scan_file(tmp_path))
    assert "Tesseract" in dialog.status.text() and "by hand" in dialog.status.text()

    fake_reader(monkeypatch, DocumentResult(None, {}, ("document_not_recognised",)))
    dialog.start_file(scan_file(tmp_path, "blank.png"))
    qtbot.waitUntil(lambda: not dialog.reading_in_progress, timeout=10_000)
    assert "No ID document was recognised" in dialog.status.text()
    assert dialog.view.image is not None and not dialog.fill_button.isEnabled()


def test_a_pasted_or_dropped_image_and_the_scanner_folders_newest_file_are_read(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    seen = fake_reader(monkeypatch, card_result(resident(35)))
    form = open_form(qtbot, staff)
    dialog = form.open_scan()
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)

    pasted = QImage(500, 320, QImage.Format.Format_RGB32)
    pasted.fill(Qt.GlobalColor.white)
    QGuiApplication.clipboard().setImage(pasted)
    qtbot.keyClick(dialog, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.reading is not None, timeout=10_000)
    assert seen[-1].size == (500, 320)

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan_file(tmp_path, "dropped.png", (640, 400))))])
    dialog.dropEvent(
        QDropEvent(
            QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
    )
    qtbot.waitUntil(lambda: len(seen) == 2 and dialog.reading is not None, timeout=10_000)
    assert seen[-1].size == (640, 400)

    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)  # the setting is read off the GUI thread
    assert "No scanner folder is set" in dialog.status.text()
    folder = tmp_path / "scanner"
    folder.mkdir()
    scan_file(folder, "a-older.png", (300, 200))
    newest = scan_file(folder, "b-newer.jpg", (310, 200))
    old = folder / "a-older.png"
    os.utime(old, (newest.stat().st_mtime - 60, newest.stat().st_mtime - 60))
    staff.ws.settings.set(staff.admin, "scanner_folder", str(folder))
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(seen) == 3 and dialog.reading is not None, timeout=10_000)
    assert seen[-1].size == (310, 200)


def test_the_scan_is_kept_with_the_saved_record_and_the_supervisor_sees_it_when_approving(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    values = resident(36)
    fake_reader(monkeypatch, card_result(values))
    form = open_form(qtbot, staff)
    for key, value in values.items():
        if key not in SCANNED:
            form.editors[key].set_value(value)
    reading = scan_and_fill(qtbot, form, scan_file(tmp_path))
    qtbot.keyClick(form.editors["name"].focus_widget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)  # saved, then the scan kept, off the GUI thread
    assert form.record_id is not None and form.pending_scans == []
    record_id = form.record_id
    (kept,) = staff.ws.attachments.list_scans(staff.teller, record_id)
    assert kept.document_type == "cn_id_front"
    assert staff.ws.attachments.scan_image(staff.teller, record_id, kept.id) == reading.image_png
    assert {f.ocr_field for f in kept.fields} == {"name", "sex", "ethnicity", "birth_date", "address", "id_number"}
    for key in form.unconfirmed_fields():
        form.confirm_field(key)
    monkeypatch.setattr(entry_form.SummaryDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    qtbot.keyClick(form.editors["name"].focus_widget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert staff.ws.records.get(staff.teller, record_id).status is Status.AWAITING_APPROVAL
    assert len(staff.ws.attachments.list_scans(staff.teller, record_id)) == 1  # kept once

    page = ApprovalPage(staff.ws, staff.supervisor)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    settle(qtbot)  # the selected record's detail is read off the GUI thread
    page.activateWindow()
    assert page.detail is not None and page.detail.record_id == record_id
    assert page.tabs.tabText(3).endswith("· 1")
    qtbot.keyClick(page.queue, Qt.Key.Key_S)
    assert page.tabs.currentWidget() is page.scans
    qtbot.waitUntil(lambda: page.scans.view.image is not None, timeout=10_000)
    view = page.scans.view
    assert (view.image.width(), view.image.height()) == (1011, 638)
    assert {k for mark in view.marks for k in mark.form_fields} == {
        "name",
        "sex",
        "ethnicity",
        "birth_date",
        "address",
        "id_number",
    }
    viewers = [
        e.actor
        for e in staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=record_id))
        if e.action == "attachment.view"
    ]
    assert "supervisor" in viewers


def test_a_new_form_forgets_the_scan_of_the_one_before(qtbot, staff: Staff, english, tmp_path, monkeypatch) -> None:
    fake_reader(monkeypatch, card_result(resident(37)))
    form = open_form(qtbot, staff)
    scan_and_fill(qtbot, form, scan_file(tmp_path))

    started, release = threading.Event(), threading.Event()

    def held(source: Image.Image, today: date | None = None) -> DocumentResult:
        started.set()
        release.wait(30)
        return card_result(resident(38))

    monkeypatch.setattr(scan_fill, "recognise", held)
    dialog = form.scan_dialog
    assert dialog is not None
    dialog.start_file(scan_file(tmp_path, "another.png"))  # still being read when the form is cleared
    qtbot.waitUntil(started.is_set, timeout=10_000)

    def discard_the_typing() -> None:  # Ctrl+N asks first: this customer's typing is given up
        box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "unsaved_typing" and w.isVisible())
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole).click()

    QTimer.singleShot(50, discard_the_typing)
    qtbot.keyClick(form.editors["name"].focus_widget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert form.unconfirmed_fields() == [] and form.pending_scans == [] and form.scan_reading is None
    assert not form.scan_pane.isVisible() and not dialog.isVisible()
    assert not any(badge.isVisible() for badge in form.ocr_badges.values())
    release.set()
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()  # the other customer's reading arrives, and is dropped
    assert dialog.reading is None and not dialog.reading_in_progress


def test_the_blind_second_entry_offers_no_scan(qtbot, staff: Staff, english) -> None:
    form = BlindEntryForm(staff.ws, staff.teller2)
    qtbot.addWidget(form)
    form.show()
    assert not form.scan_button.isVisible()
    assert form.open_scan() is None and form.scan_dialog is None


def test_the_admin_sets_the_scanner_folder_in_settings(qtbot, staff: Staff, english, tmp_path) -> None:
    page = SettingsPage(staff.ws, staff.admin)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(page.save_button.isEnabled, timeout=5000)  # the current values are read off the GUI thread
    type_into(qtbot, page.scanner_folder, str(tmp_path))
    page.save()
    settle(qtbot)
    assert staff.ws.settings.get(staff.admin, "scanner_folder") == str(tmp_path)


def test_the_record_view_shows_the_scan_to_its_maker_but_not_to_another_teller(qtbot, staff: Staff, english) -> None:
    record_id = staff.ws.records.create(staff.teller, resident(39)).record_id
    image = QImage(400, 250, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    meta = {
        "document_type": "cn_id_front",
        "fields": {"id_number": {"form_fields": ["id_number"], "box": [10, 200, 390, 240]}},
    }
    staff.ws.attachments.attach_scan(staff.teller, record_id, _png(image), meta)

    def tabs(actor) -> list[str]:  # type: ignore[no-untyped-def]
        view = open_record(qtbot, staff.ws, actor, record_id)
        widget = view.findChild(QTabWidget, "record_tabs")
        return [widget.tabText(i) for i in range(widget.count())]

    assert "Scan (1)" in tabs(staff.teller)
    assert not any(t.startswith("Scan") for t in tabs(staff.teller2))
    assert "Scan (1)" in tabs(staff.auditor)


def _png(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())
