"""Scan ID (issue 12): only values confirmed or read clearly come ticked, so Enter cannot fill in a value read at
24-56%; the teller ticks such a value after checking it, or types it."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import Qt

from desktop_app.ocr.result import DocumentResult, FieldResult
from tests.conftest import Staff
from tests.gui.test_scan_id import fake_reader, open_form, scan, scan_file


def passport(image: Image.Image) -> DocumentResult:
    """A passport read poorly: the number and birth date confirmed, the rest at 24-56%."""
    fields = {
        "surname": FieldResult("MUSTER", 0.56, False),
        "given_names": FieldResult("ANNA", 0.56, False),
        "document_number": FieldResult("C01X00T47", 1.0, True),
        "nationality": FieldResult("DEU", 0.24, False),
        "issuing_country": FieldResult("DEU", 0.24, False),
        "birth_date": FieldResult("1964-08-12", 1.0, True),
        "sex": FieldResult("F", 0.85, False),
        "expiry_date": FieldResult("2031-10-31", 0.3, False),
    }
    return DocumentResult("mrz_td3", fields, document_image=image)


def test_values_below_read_clearly_start_unticked_and_enter_leaves_them_out(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    fake_reader(monkeypatch, passport(Image.new("RGB", (1476, 1039), "white")))
    form = open_form(qtbot, staff)
    dialog = scan(qtbot, form, scan_file(tmp_path, size=(1476, 1039)))
    ticked = set(dialog.checked_keys())
    assert {"id_number", "birth_date", "sex"} <= ticked
    assert not {"name", "name_pinyin", "nationality", "id_valid_until"} & ticked
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert form.editors["id_number"].value() == "C01X00T47"
    assert form.editors["id_valid_until"].value() != "2031-10-31"
    assert "id_valid_until" not in form.unconfirmed_fields() and "name_pinyin" not in form.unconfirmed_fields()


def test_the_teller_may_tick_a_doubtful_value_after_checking_it(
    qtbot, staff: Staff, english, tmp_path, monkeypatch
) -> None:
    fake_reader(monkeypatch, passport(Image.new("RGB", (1476, 1039), "white")))
    form = open_form(qtbot, staff)
    dialog = scan(qtbot, form, scan_file(tmp_path, size=(1476, 1039)))
    dialog.table.setCurrentCell(dialog.keys.index("id_valid_until"), 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert "id_valid_until" in dialog.checked_keys()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert form.editors["id_valid_until"].value() == "2031-10-31" and "id_valid_until" in form.unconfirmed_fields()
