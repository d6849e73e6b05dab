"""The paper form dialog (Ctrl+Shift+P on the entry form), offscreen: it shows the record's pages as thumbnails
and the checks before submit, reads a file off the GUI thread, and gives a form without a code its typed number,
after which the entry form shows the record's new version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desktop_app.domain.form_schema import default_form_path, load_default_form
from desktop_app.domain.paper_layout import layouts_for
from desktop_app.ui.records.entry_form import EntryForm
from desktop_app.ui.records.paper_pages_dialog import PaperPagesDialog
from tests.conftest import Staff
from tests.gui.settle import settle
from tests.support.customers import resident
from tests.support.paper_forms import draw_form


def test_the_dialog_shows_pages_and_checks_and_reads_a_file_off_the_gui_thread(
    qtbot: Any, staff: Staff, english: None, tmp_path: Path
) -> None:
    (layout,) = layouts_for(default_form_path().parent, load_default_form())
    rid = staff.ws.records.create(staff.teller, resident(1) | {"form_number": ""}).record_id
    first, second = draw_form(layout, resident(1), "00004242")
    staff.ws.paper.add_page(staff.teller, rid, first)
    dialog = PaperPagesDialog(staff.ws, staff.teller, rid)
    qtbot.addWidget(dialog)
    settle(qtbot)
    assert dialog.pages.count() == 1 and "2 pages but 1 were scanned" in dialog.checks.text()
    second.save(tmp_path / "page-two.png")
    # The file chooser is Qt's own: the reading behind it is driven directly, its outcome handed to the dialog.
    report = staff.ws.paper.add_file(staff.teller, rid, tmp_path / "page-two.png")
    dialog._added(report)
    settle(qtbot)
    assert dialog.pages.count() == 1  # the file started a new set of one page (the earlier set is kept)
    assert staff.ws.paper.page_sets(staff.teller, rid) == [1, 2]


def test_a_typed_form_number_reaches_the_entry_form(qtbot: Any, staff: Staff, english: None) -> None:
    form = EntryForm(staff.ws, staff.teller)
    qtbot.addWidget(form)
    rid = staff.ws.records.create(staff.teller, resident(2) | {"form_number": ""}).record_id
    form.load_record(rid)
    settle(qtbot)
    dialog = form.open_paper()
    assert dialog is not None
    settle(qtbot)
    assert "No pages yet" in dialog.checks.text()
    qtbot.keyClicks(dialog.number, "PC-2026-0007")
    qtbot.mouseClick(dialog.number_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: form.values().get("form_number") == "PC-2026-0007", timeout=10_000)
    assert staff.ws.records.get(staff.teller, rid).values["form_number"] == "PC-2026-0007"


def test_a_cancelled_scan_says_how_many_pages_were_kept(qtbot: Any, staff: Staff, english: None) -> None:
    """Issue 16 (left from the independent check): after Cancel the dialog only reloaded, and nothing said that the
    pages read before it were kept, or what to do for the rest."""
    (layout,) = layouts_for(default_form_path().parent, load_default_form())
    rid = staff.ws.records.create(staff.teller, resident(2) | {"form_number": ""}).record_id
    first, _second = draw_form(layout, resident(2), "00004243")
    staff.ws.paper.add_page(staff.teller, rid, first)  # the page the feeder gave before the cancel
    dialog = PaperPagesDialog(staff.ws, staff.teller, rid)
    qtbot.addWidget(dialog)
    settle(qtbot)
    dialog._stopped()  # what a cancelled scan calls
    settle(qtbot)
    text = dialog.checks.text()
    assert "Scanning stopped. The 1 page(s) read before it are kept" in text
    assert "2 pages but 1 were scanned" in text  # the checks stay below it
    dialog.refresh()  # said once, not at every later reload
    settle(qtbot)
    assert "Scanning stopped" not in dialog.checks.text()


def test_reading_a_many_page_file_counts_the_pages_stored(
    qtbot: Any, staff: Staff, english: None, tmp_path: Path, monkeypatch: Any
) -> None:
    """Issue 16 (left from the independent check): the progress was one bare bar, with no page counter."""
    from PIL import Image
    from PySide6.QtWidgets import QFileDialog, QProgressDialog

    rid = staff.ws.records.create(staff.teller, resident(3) | {"form_number": ""}).record_id
    pages = [Image.new("RGB", (620, 877), (255, 255, 255 - n)) for n in range(3)]
    pages[0].save(tmp_path / "three.tif", save_all=True, append_images=pages[1:])
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(tmp_path / "three.tif")], ""))
    labels: list[str] = []
    shown = QProgressDialog.setLabelText
    monkeypatch.setattr(QProgressDialog, "setLabelText", lambda d, text: (labels.append(text), shown(d, text)))
    dialog = PaperPagesDialog(staff.ws, staff.teller, rid)
    qtbot.addWidget(dialog)
    settle(qtbot)
    dialog.open_file()
    qtbot.waitUntil(lambda: dialog.pages.count() == 3, timeout=20_000)
    assert [label.splitlines()[-1] for label in labels] == ["1 page(s) stored", "2 page(s) stored", "3 page(s) stored"]
    assert dialog._page_counter(0, 100) == "Page 1" and dialog._page_counter(250, 300) == "Page 3"


def test_the_selected_page_is_taken_out_after_a_question(
    qtbot: Any, staff: Staff, english: None, monkeypatch: Any
) -> None:
    from PIL import Image
    from PySide6.QtWidgets import QMessageBox

    rid = staff.ws.records.create(staff.teller, resident(4) | {"form_number": ""}).record_id
    for shade in (255, 250, 245):
        staff.ws.paper.add_page(staff.teller, rid, Image.new("RGB", (620, 877), (shade, shade, shade)), "file")
    dialog = PaperPagesDialog(staff.ws, staff.teller, rid)
    qtbot.addWidget(dialog)
    settle(qtbot)
    assert dialog.pages.count() == 3
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    dialog.pages.setCurrentRow(1)
    dialog.remove_selected()
    settle(qtbot)
    assert dialog.pages.count() == 3  # "No" keeps it
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.pages.setFocus()
    dialog.pages.setCurrentRow(1)
    qtbot.keyClick(dialog.pages, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: dialog.pages.count() == 2, timeout=10_000)
    assert [dialog.pages.item(n).text() for n in range(2)] == ["Page 1", "Page 2"]
    assert staff.ws.paper.page_sets(staff.teller, rid) == [1, 2]


def test_enter_in_the_number_box_sets_the_number_and_never_starts_the_feeder(
    qtbot: Any, staff: Staff, english: None
) -> None:
    """Independent check (High): Enter in the form-number box pressed the dialog's first button, Scan, and the
    feeder's pages replaced the form."""
    rid = staff.ws.records.create(staff.teller, resident(3) | {"form_number": ""}).record_id
    dialog = PaperPagesDialog(staff.ws, staff.teller, rid)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    started: list[bool] = []
    dialog.scan_button.clicked.connect(lambda: started.append(True))
    dialog.number.setFocus()
    qtbot.keyClicks(dialog.number, "PC-2026-0099")
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: staff.ws.records.get(staff.teller, rid).values["form_number"] == "PC-2026-0099", timeout=10_000
    )
    assert not started and staff.ws.paper.page_sets(staff.teller, rid) == []
    assert not any(b.autoDefault() or b.isDefault() for b in (dialog.scan_button, dialog.open_button))


def test_a_scan_stopped_part_way_offers_the_earlier_pages_back(
    qtbot: Any, staff: Staff, english: None, monkeypatch: Any
) -> None:
    """Independent check: Cancel after 5 of 10 sheets made those 5 the form's pages in place of the 2 it had,
    with nothing said. Now the teller is asked, and No goes back to the earlier pages."""
    from PySide6.QtWidgets import QMessageBox

    (layout,) = layouts_for(default_form_path().parent, load_default_form())
    rid = staff.ws.records.create(staff.teller, resident(4) | {"form_number": ""}).record_id
    first, second = draw_form(layout, resident(4), "00004244")
    staff.ws.paper.add_page(staff.teller, rid, first)
    staff.ws.paper.add_page(staff.teller, rid, second)
    dialog = PaperPagesDialog(staff.ws, staff.teller, rid)
    qtbot.addWidget(dialog)
    changed: list[bool] = []
    dialog.pages_changed.connect(lambda: changed.append(True))
    settle(qtbot)
    assert not changed  # the first load shows what the page beside the fields already shows
    dialog._before = dialog._shown  # what scan() notes before the feeder starts
    staff.ws.paper.add_page(staff.teller, rid, first, new_set=True)  # the one sheet read before the cancel
    asked: list[str] = []

    defaults: list[object] = []

    def answer(_parent: object, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        defaults.append(args[-1] if args else None)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog._stopped()  # what a cancelled scan calls
    qtbot.waitUntil(lambda: len(staff.ws.paper.list_pages(staff.teller, rid)) == 2, timeout=10_000)
    assert "stopped after 1 page(s)" in asked[0] and "had 2 page(s)" in asked[0]
    assert defaults == [QMessageBox.StandardButton.No]  # Enter keeps the whole earlier form (re-check)
    assert staff.ws.paper.page_sets(staff.teller, rid) == [1, 2, 3]
    # the page beside the fields follows the restored pages (the dialog showed two pages before as well)
    qtbot.waitUntil(lambda: bool(changed), timeout=10_000)
    assert dialog.pages.count() == 2 and dialog._shown == (3, 2)
