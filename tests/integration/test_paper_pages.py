"""The paper form's pages kept with the record: scanned from a real SANE device (the `test` backend), with a jam,
a vanished scanner and a cancel mid-feed losing nothing scanned before; files (a PDF without pages refused, a
200-page TIFF, a page fed upside down turned upright); the form number read from the form's QR code, unique per
workstation and audited; pages kept once per distinct image, earlier sets kept, carried by a backup; who sees
them (the blind second clerk does, never the first entry); and the checks before submit."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from desktop_app.domain.form_schema import default_form_path, load_default_form
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.paper_layout import PaperLayout, PaperWarning, layouts_for
from desktop_app.ocr.form_barcode import read_form_code
from desktop_app.scanning.sane_device import CancelToken, SaneScanner, ScanSettings
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.errors import Conflict, InvalidRequest, PermissionDenied, ValidationFailed
from desktop_app.services.records import SearchQuery
from desktop_app.storage import backup_file
from tests.conftest import Staff
from tests.support.customers import resident
from tests.support.paper_forms import draw_form
from tests.support.sane_test_device import FEEDER_SHEETS, use_test_backend


@pytest.fixture(scope="module", autouse=True)
def sane_test_backend(tmp_path_factory: pytest.TempPathFactory) -> None:
    use_test_backend(tmp_path_factory.mktemp("sane"))


@pytest.fixture(autouse=True)
def device_as_new() -> Iterator[None]:
    """The test backend keeps an option (a jam) set by one test for the next; every test starts without it."""
    yield
    with SaneScanner(ScanSettings()) as scanner:
        scanner.handle.read_return_value = "Default"


@pytest.fixture(scope="module")
def layout() -> PaperLayout:
    (found,) = layouts_for(default_form_path().parent, load_default_form())
    return found


def draft(staff: Staff, seed: int = 1, **changes: str) -> str:
    values = resident(seed) | changes
    return staff.ws.records.create(staff.teller, values).record_id


def save_tiff(pages: list[Image.Image], path: Path) -> Path:
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_deflate")
    return path


def small(settings: ScanSettings | None = None) -> ScanSettings:
    """The test device at 75 dpi: the same code paths as 300 dpi, a sixteenth of the pixels to push around."""
    return settings or ScanSettings(dpi=75, mode="gray")


# --- the scanner ------------------------------------------------------------------------------------------------


def test_a_full_feeder_on_the_sane_test_device_is_scanned_into_the_record(staff: Staff) -> None:
    rid = draft(staff)
    progress: list[tuple[int, float]] = []
    report = staff.ws.paper.scan(
        staff.teller, rid, small(), on_progress=lambda page, share: progress.append((page, share))
    )
    assert report.failure is None and not report.cancelled
    pages = staff.ws.paper.list_pages(staff.teller, rid)
    assert [p.page_no for p in pages] == list(range(1, FEEDER_SHEETS + 1))
    assert {p.set_no for p in pages} == {1} and all(p.source == "scanner" for p in pages)
    media_type, image = staff.ws.paper.page_image(staff.teller, rid, pages[0].id)
    opened = Image.open(io.BytesIO(image))
    assert media_type == "image/jpeg" and opened.mode == "L"
    assert abs(opened.width - round(210 / 25.4 * 75)) <= 2  # the A4 geometry at the chosen resolution
    # told per page (no callback goes into the device's read: see test_paper_scan_threads.py), the last one done
    assert [page for page, _ in progress][:3] == [0, 1, 1] and progress[-1] == (FEEDER_SHEETS, 0.0)


def test_the_scan_settings_come_from_the_workstation_settings(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "paper_scan_dpi", 150)
    staff.ws.settings.set(staff.admin, "paper_scan_mode", "color")
    rid = draft(staff)
    staff.ws.paper.scan(staff.teller, rid)
    page = staff.ws.paper.list_pages(staff.teller, rid)[0]
    assert (abs(page.width - 1240) <= 2, abs(page.height - 1754) <= 2) == (True, True)
    _, image = staff.ws.paper.page_image(staff.teller, rid, page.id)
    assert Image.open(io.BytesIO(image)).mode == "RGB"


@pytest.mark.parametrize(
    ("status", "says"),
    [("SANE_STATUS_JAMMED", "jammed"), ("SANE_STATUS_IO_ERROR", "stopped answering")],
    ids=["jammed", "vanished"],
)
def test_a_jam_or_a_vanished_scanner_mid_feed_keeps_the_pages_scanned_before(
    staff: Staff, status: str, says: str
) -> None:
    rid = draft(staff)
    scanners: list[SaneScanner] = []

    def after_each(page: object) -> None:
        if len(staff_pages()) == 3:  # the fourth sheet jams (or the scanner is gone)
            scanners[0].handle.read_return_value = status

    def staff_pages() -> list[object]:
        return list(staff.ws.paper.list_pages(staff.teller, rid))

    report = staff.ws.paper.scan(staff.teller, rid, small(), configure=scanners.append, on_page=after_each)
    assert report.failure is not None and says in report.failure.en
    assert "3 page(s)" in report.failure.en and "3 页" in report.failure.zh
    assert len(report.added) == 3 and len(staff_pages()) == 3


def test_a_scanner_that_is_not_there_says_so_and_stores_nothing(staff: Staff) -> None:
    rid = draft(staff)
    report = staff.ws.paper.scan(staff.teller, rid, ScanSettings(device="test:99"))
    assert report.failure is not None and "cannot be opened" in report.failure.en and report.added == ()
    assert staff.ws.paper.list_pages(staff.teller, rid) == []


def test_two_sided_scanning_on_a_scanner_without_duplex_is_refused_clearly(staff: Staff) -> None:
    rid = draft(staff)
    report = staff.ws.paper.scan(staff.teller, rid, ScanSettings(dpi=75, duplex=True))
    assert report.failure is not None and "both sides" in report.failure.en


def test_cancel_mid_page_keeps_the_pages_before_and_stops(staff: Staff) -> None:
    rid = draft(staff)
    cancel = CancelToken()

    def progress(page: int, share: float) -> None:
        if page == 2:  # the third sheet is being read: its read is cancelled on the device
            cancel.cancel()

    report = staff.ws.paper.scan(staff.teller, rid, small(), cancel=cancel, on_progress=progress)
    assert report.cancelled and report.failure is None
    assert len(staff.ws.paper.list_pages(staff.teller, rid)) == 2


# --- files ------------------------------------------------------------------------------------------------------


def test_a_pdf_without_pages_is_refused_clearly(staff: Staff, tmp_path: Path) -> None:
    empty = pdfium.PdfDocument.new()
    path = tmp_path / "empty.pdf"
    empty.save(path)
    rid = draft(staff)
    with pytest.raises(InvalidRequest) as refused:
        staff.ws.paper.add_file(staff.teller, rid, path)
    assert refused.value.message("en") == "The PDF has no pages. Scan the form again."
    assert "没有页面" in refused.value.message("zh_CN")
    assert staff.ws.paper.list_pages(staff.teller, rid) == []


@pytest.mark.slow
def test_a_200_page_tiff_is_stored_page_by_page(staff: Staff, tmp_path: Path) -> None:
    pages = []
    for number in range(200):
        page = Image.new("L", (413, 585), 255)  # A4 at 50 dpi
        ImageDraw.Draw(page).text((40, 40 + number), f"page {number + 1}", fill=0)
        pages.append(page)
    path = save_tiff(pages, tmp_path / "two-hundred.tif")
    rid = draft(staff)
    report = staff.ws.paper.add_file(staff.teller, rid, path)
    assert report.failure is None and len(report.added) == 200
    stored = staff.ws.paper.list_pages(staff.teller, rid)
    assert [p.page_no for p in stored] == list(range(1, 201)) and len({p.sha256 for p in stored}) == 200


def test_a_form_fed_upside_down_is_turned_upright_page_by_page(
    staff: Staff, layout: PaperLayout, tmp_path: Path
) -> None:
    form = [page.rotate(180) for page in draw_form(layout, resident(8), "00000102")]
    path = save_tiff(form, tmp_path / "upside-down.tif")
    rid = draft(staff, 8, form_number="")
    first, second = staff.ws.paper.add_file(staff.teller, rid, path).added
    assert (first.turned_by, first.page.turned) == ("code", 180)
    # no code on page 2: Tesseract's orientation check, sure here; the feed's turn only when it is not
    assert (second.turned_by, second.page.turned) == ("osd", 180)
    _, stored = staff.ws.paper.page_image(staff.teller, rid, second.page.id)
    upright = draw_form(layout, resident(8), "00000102")[1]
    assert _difference(Image.open(io.BytesIO(stored)), upright) < 2 < _difference(form[1], upright)


def test_in_a_mixed_stack_an_upright_page_stays_upright(staff: Staff, layout: PaperLayout, tmp_path: Path) -> None:
    """Independent check: page 1 upside down, page 2 upright; page 2 followed page 1's turn and was stored upside
    down. A page without a code asks the orientation check first."""
    pages = draw_form(layout, resident(9), "00000103")
    path = save_tiff([pages[0].rotate(180), pages[1]], tmp_path / "mixed.tif")
    rid = draft(staff, 9, form_number="")
    first, second = staff.ws.paper.add_file(staff.teller, rid, path).added
    assert (first.turned_by, first.page.turned) == ("code", 180)
    assert second.page.turned == 0
    _, stored = staff.ws.paper.page_image(staff.teller, rid, second.page.id)
    assert _difference(Image.open(io.BytesIO(stored)), pages[1]) < 2


def test_a_form_in_separate_image_files_is_one_page_set(staff: Staff, layout: PaperLayout, tmp_path: Path) -> None:
    """Independent check: each image file opened replaced the pages before it. Appended, they are one form."""
    pages = draw_form(layout, resident(10), "00000104")
    files = []
    for n, page in enumerate(pages, start=1):
        files.append(tmp_path / f"page{n}.png")
        page.save(files[-1])
    rid = draft(staff, 10, form_number="")
    staff.ws.paper.add_file(staff.teller, rid, files[0])
    staff.ws.paper.add_file(staff.teller, rid, files[1], append=True)
    listed = staff.ws.paper.list_pages(staff.teller, rid)
    assert [(p.set_no, p.page_no) for p in listed] == [(1, 1), (1, 2)]
    assert not [p for p in staff.ws.paper.checks(staff.teller, rid) if p.code.value == "pages_missing"]


def _difference(one: Image.Image, other: Image.Image) -> float:
    """Mean absolute grey difference of two pages seen small (0 for the same page, JPEG and scaling aside)."""
    a = np.asarray(one.convert("L").resize((124, 175)), dtype=np.int16)
    b = np.asarray(other.convert("L").resize((124, 175)), dtype=np.int16)
    return float(np.abs(a - b).mean())


def test_a_page_without_a_code_turned_sideways_is_turned_upright_by_osd(
    staff: Staff, layout: PaperLayout, tmp_path: Path
) -> None:
    page_two = draw_form(layout, resident(9), None)[1]
    rid = draft(staff, 9)
    added = staff.ws.paper.add_page(staff.teller, rid, page_two.rotate(90, expand=True))
    assert (added.turned_by, added.page.turned, added.page.width < added.page.height) == ("osd", 270, True)


def test_a_page_fed_upside_down_is_turned_upright(staff: Staff, layout: PaperLayout, tmp_path: Path) -> None:
    page_one = draw_form(layout, resident(2), "00000101")[0]
    path = tmp_path / "upside-down.png"
    page_one.rotate(180).save(path)
    rid = draft(staff, 2, form_number="")
    (added,) = staff.ws.paper.add_file(staff.teller, rid, path).added
    assert added.page.turned == 180
    _, stored = staff.ws.paper.page_image(staff.teller, rid, added.page.id)
    code = read_form_code(Image.open(io.BytesIO(stored)))
    assert code is not None and code.orientation == 0 and code.box[0] > page_one.width // 2  # top right, upright


# --- the form number ------------------------------------------------------------------------------------------


def test_the_code_on_the_form_becomes_the_form_number_and_the_claim_is_audited(
    staff: Staff, layout: PaperLayout, tmp_path: Path
) -> None:
    rid = draft(staff, 3, form_number="")
    path = save_tiff(draw_form(layout, resident(3), "00000042"), tmp_path / "form.tif")
    report = staff.ws.paper.add_file(staff.teller, rid, path)
    assert report.added[0].serial == "00000042" and report.added[0].form_number_set
    assert staff.ws.records.get(staff.teller, rid).values["form_number"] == "00000042"
    claims = staff.ws.audit.entries(staff.auditor, AuditFilter(action="form_number.claim", record_id=rid))
    assert [entry.details["source"] for entry in claims] == ["barcode"]
    assert report.added[0].page.form_version == "personal_customer/1"


def test_a_form_number_is_held_by_one_live_record_only(staff: Staff, layout: PaperLayout, tmp_path: Path) -> None:
    first = draft(staff, 4, form_number="")
    path = save_tiff(draw_form(layout, resident(4), "00000777")[:1], tmp_path / "form.tif")
    staff.ws.paper.add_file(staff.teller, first, path)
    second = draft(staff, 5, form_number="")
    (added,) = staff.ws.paper.add_file(staff.teller, second, path).added  # the same sheet scanned again
    assert not added.form_number_set and added.notice is not None and first in added.notice.en
    with pytest.raises(Conflict):
        staff.ws.paper.set_form_number(staff.teller, second, "00000777")
    # Typed by hand on the record itself: a warning on the draft, refused on submit.
    typed = staff.ws.records.create(staff.teller, resident(6) | {"form_number": "00000777"})
    assert any(p.code == "duplicate_form_number" for p in typed.problems)
    with pytest.raises(ValidationFailed):
        staff.ws.records.submit(staff.teller, typed.record_id, None)
    # Once the first record is discarded, its number may be used again.
    staff.ws.records.discard(staff.teller, first, None)
    version = staff.ws.paper.set_form_number(staff.teller, second, "00000777")
    assert staff.ws.records.get(staff.teller, second).version == version


def test_a_form_without_a_code_gets_its_number_typed(staff: Staff, tmp_path: Path) -> None:
    rid = draft(staff, 7, form_number="")
    plain = Image.new("RGB", (620, 877), "white")
    ImageDraw.Draw(plain).text((50, 50), "a form without a code", fill="black")
    plain.save(tmp_path / "plain.png")
    (added,) = staff.ws.paper.add_file(staff.teller, rid, tmp_path / "plain.png").added
    assert added.serial is None and not added.form_number_set
    staff.ws.paper.set_form_number(staff.teller, rid, "PC-2024-0001")
    assert staff.ws.records.get(staff.teller, rid).values["form_number"] == "PC-2024-0001"
    claims = staff.ws.audit.entries(staff.auditor, AuditFilter(action="form_number.claim", record_id=rid))
    assert [(e.details["form_number"], e.details["source"]) for e in claims] == [("PC-2024-0001", "typed")]


def test_the_customer_list_and_my_drafts_show_each_records_form_number(staff: Staff) -> None:
    with_number = draft(staff, 11, form_number="PC-2024-0002")
    without = draft(staff, 12, form_number="")
    rows = {r.id: r for r in staff.ws.records.search(staff.teller, SearchQuery(mine_only=True))}
    assert rows[with_number].form_number == "PC-2024-0002" and rows[without].form_number == ""
    # the supervisor's list too, whose values are masked: the number is the sheet's, not the customer's
    listed = {r.id: r for r in staff.ws.records.search(staff.supervisor, SearchQuery())}
    assert listed[with_number].form_number == "PC-2024-0002"


# --- kept with the record ----------------------------------------------------------------------------------------


def test_the_same_page_is_stored_once_and_a_new_set_keeps_the_earlier_one(staff: Staff, tmp_path: Path) -> None:
    page = Image.new("L", (827, 1170), 255)
    ImageDraw.Draw(page).text((80, 80), "one page", fill=0)
    page.save(tmp_path / "page.png")
    rid = draft(staff)
    first = staff.ws.paper.add_file(staff.teller, rid, tmp_path / "page.png").added[0]
    again = staff.ws.paper.add_file(staff.teller, rid, tmp_path / "page.png").added[0]
    assert first.stored_new_image and not again.stored_new_image
    assert staff.ws.paper.page_sets(staff.teller, rid) == [1, 2]
    assert [p.id for p in staff.ws.paper.list_pages(staff.teller, rid, set_no=1)] == [first.page.id]
    assert staff.ws.paper.thumbnail(staff.teller, rid, first.page.id).startswith(b"\xff\xd8")
    with staff.ws.store.read() as s:
        blobs = s.execute(__import__("sqlalchemy").text("SELECT count(*) FROM page_blobs")).scalar_one()
    assert blobs == 1


def test_pages_are_encrypted_in_the_store_and_carried_by_a_backup(staff: Staff, layout: PaperLayout) -> None:
    rid = draft(staff)
    added = staff.ws.paper.add_page(staff.teller, rid, draw_form(layout, resident(1), "00000900")[0])
    _, image = staff.ws.paper.page_image(staff.teller, rid, added.page.id)
    info = staff.ws.backups.create(staff.admin)
    conn = backup_file.open_readonly(info.path, staff.ws.store.raw_key_for_tests())
    try:
        (content,) = conn.execute("SELECT content FROM page_blobs WHERE sha256 = ?", (added.page.sha256,)).fetchone()
    finally:
        conn.close()
    assert bytes(content) == image
    raw = info.path.read_bytes() + b"".join(p.read_bytes() for p in staff.root.rglob("*.db*") if p.is_file())
    assert image[200:260] not in raw and b"JFIF" not in raw


def test_the_blind_second_clerk_sees_the_pages_but_never_the_first_entry(staff: Staff, layout: PaperLayout) -> None:
    rid = draft(staff)
    page = staff.ws.paper.add_page(staff.teller, rid, draw_form(layout, resident(1), "00000901")[0]).page
    assert staff.ws.records.submit(staff.teller, rid, None).status is Status.AWAITING_SECOND_ENTRY
    assert [p.id for p in staff.ws.paper.list_pages(staff.teller2, rid)] == [page.id]
    media_type, _ = staff.ws.paper.page_image(staff.teller2, rid, page.id)
    assert media_type == "image/jpeg"
    seen = staff.ws.records.get(staff.teller2, rid)  # the first entry stays hidden from them
    assert seen.hidden and seen.values == {}
    assert all(resident(1)["name"] not in str(page) for page in staff.ws.paper.list_pages(staff.teller2, rid))
    for outsider in (staff.supervisor, staff.auditor):  # nobody else while the entry is blind
        with pytest.raises(PermissionDenied):
            staff.ws.paper.list_pages(outsider, rid)
    views = staff.ws.audit.entries(staff.auditor, AuditFilter(action="paper.page_view", record_id=rid))
    assert [e.actor for e in views] == ["teller2"]


# --- checks before submit -----------------------------------------------------------------------------------------


def test_checks_warn_of_missing_pages_a_blank_signature_and_an_unknown_form_version(
    staff: Staff, layout: PaperLayout
) -> None:
    signed = draw_form(layout, resident(1), "00000950")
    rid = draft(staff, form_number="")
    staff.ws.paper.add_page(staff.teller, rid, signed[0])
    assert [p.code for p in staff.ws.paper.checks(staff.teller, rid)] == [PaperWarning.PAGES_MISSING]
    staff.ws.paper.add_page(staff.teller, rid, signed[1])
    assert staff.ws.paper.checks(staff.teller, rid) == []

    unsigned = draw_form(layout, resident(1), "00000951", signed=False)
    other = draft(staff, 2, form_number="")
    for page in unsigned:
        staff.ws.paper.add_page(staff.teller, other, page)
    (problem,) = staff.ws.paper.checks(staff.teller, other)
    assert problem.code is PaperWarning.SIGNATURE_BLANK and "customer" in problem.message.en

    unknown = draft(staff, 3, form_number="")
    foreign = signed[0].copy()
    from tests.support.paper_forms import qr_image

    foreign.paste(qr_image("KYC-PC9-00000001", 430).convert("RGB"), (1950, 95))  # a version this desk lacks
    staff.ws.paper.add_page(staff.teller, unknown, foreign)
    assert [p.code for p in staff.ws.paper.checks(staff.teller, unknown)] == [PaperWarning.UNKNOWN_FORM_VERSION]


def test_a_page_taken_out_leaves_a_new_set_and_the_earlier_one_as_it_was(staff: Staff, tmp_path: Path) -> None:
    """Issue 16 (left from the independent check): a page scanned twice or another customer's sheet could not be
    taken out; the checks said "remove the extra pages" with no way to."""
    rid = draft(staff, 13, form_number="")
    for n in range(3):
        page = Image.new("L", (827, 1170), 255)
        ImageDraw.Draw(page).text((80, 80), f"sheet {n}", fill=0)
        staff.ws.paper.add_page(staff.teller, rid, page, "file")
    before = staff.ws.paper.list_pages(staff.teller, rid)
    new_set = staff.ws.paper.remove_page(staff.teller, rid, 2)
    after = staff.ws.paper.list_pages(staff.teller, rid)
    assert staff.ws.paper.page_sets(staff.teller, rid) == [1, new_set] and new_set == 2
    assert [(p.page_no, p.sha256) for p in after] == [(1, before[0].sha256), (2, before[2].sha256)]
    assert [p.sha256 for p in staff.ws.paper.list_pages(staff.teller, rid, 1)] == [p.sha256 for p in before]
    (entry,) = staff.ws.audit.entries(staff.auditor, AuditFilter(action="paper.page_remove", record_id=rid))
    assert entry.details == {"set": 1, "page_no": 2, "new_set": 2, "pages_left": 2}
    with pytest.raises(InvalidRequest, match="has no page 5"):
        staff.ws.paper.remove_page(staff.teller, rid, 5)
    staff.ws.paper.remove_page(staff.teller, rid, 1)
    with pytest.raises(InvalidRequest, match="only page"):
        staff.ws.paper.remove_page(staff.teller, rid, 1)
    with pytest.raises(PermissionDenied):  # another clerk's record
        staff.ws.paper.remove_page(staff.teller2, rid, 1)


def test_a_sheet_whose_code_names_another_form_is_warned_before_submit(
    staff: Staff, layout: PaperLayout, tmp_path: Path
) -> None:
    """Independent check: a sheet coded 00000104 on a record numbered 00000105 was said once in a popup, then "the
    pages look complete"; the same sheet scanned into a second record looked stored and fine. Both are now a
    warning in the checks before submit for as long as the page is there."""
    mine = draft(staff, 11, form_number="00000105")
    path = save_tiff(draw_form(layout, resident(11), "00000104"), tmp_path / "other.tif")
    staff.ws.paper.add_file(staff.teller, mine, path)
    (differs,) = [p for p in staff.ws.paper.checks(staff.teller, mine) if p.code is PaperWarning.FORM_NUMBER_DIFFERS]
    assert "00000104" in differs.message.en and "00000105" in differs.message.en
    # The same sheet for a record without a number, while another record holds the sheet's number.
    holder = draft(staff, 12, form_number="")
    ok = save_tiff(draw_form(layout, resident(12), "00000106"), tmp_path / "ok.tif")
    staff.ws.paper.add_file(staff.teller, holder, ok)
    assert staff.ws.records.get(staff.teller, holder).values["form_number"] == "00000106"
    assert not [p for p in staff.ws.paper.checks(staff.teller, holder) if p.code is PaperWarning.FORM_NUMBER_DIFFERS]
    second = draft(staff, 13, form_number="")
    staff.ws.paper.add_file(staff.teller, second, ok)
    (again,) = [p for p in staff.ws.paper.checks(staff.teller, second) if p.code is PaperWarning.FORM_NUMBER_DIFFERS]
    assert holder in again.message.en and "00000106" in again.message.zh
    # Corrected on the record: the warning goes.
    staff.ws.paper.set_form_number(staff.teller, mine, "00000104")
    assert not [p for p in staff.ws.paper.checks(staff.teller, mine) if p.code is PaperWarning.FORM_NUMBER_DIFFERS]


def test_an_earlier_page_set_is_restored_as_a_new_set_and_audited(
    staff: Staff, layout: PaperLayout, tmp_path: Path
) -> None:
    """A scan stopped part way replaced a whole form with its first pages; the teller goes back to the earlier
    ones (the dialog offers it). Nothing is deleted: the partial set stays in the history."""
    rid = draft(staff, 14, form_number="")
    staff.ws.paper.add_file(
        staff.teller, rid, save_tiff(draw_form(layout, resident(14), "00000107"), tmp_path / "a.tif")
    )
    first, _ = draw_form(layout, resident(14), "00000107")
    staff.ws.paper.add_page(staff.teller, rid, first, new_set=True)  # the partial scan
    assert len(staff.ws.paper.list_pages(staff.teller, rid)) == 1
    new_set = staff.ws.paper.restore_set(staff.teller, rid, 1)
    assert staff.ws.paper.page_sets(staff.teller, rid) == [1, 2, new_set] and new_set == 3
    assert [p.page_no for p in staff.ws.paper.list_pages(staff.teller, rid)] == [1, 2]
    (entry,) = staff.ws.audit.entries(staff.auditor, AuditFilter(action="paper.set_restore", record_id=rid))
    assert entry.details == {"set": 1, "replaced": 2, "new_set": 3, "pages": 2}
    with pytest.raises(InvalidRequest):
        staff.ws.paper.restore_set(staff.teller, rid, 3)  # the current set is no earlier one
    with pytest.raises(PermissionDenied):
        staff.ws.paper.restore_set(staff.supervisor, rid, 2)  # the maker's only


def test_going_back_to_earlier_pages_lets_go_of_a_number_read_from_the_pages_set_aside(
    staff: Staff, layout: PaperLayout, tmp_path: Path
) -> None:
    """Re-check of issue 16: a cut-off file's sheet gave its number to the record, and after going back to the
    record's own (earlier) pages the number stayed, held against the real form it belongs to."""
    holder = draft(staff, 15, form_number="")
    own = save_tiff(draw_form(layout, resident(15), "00000108"), tmp_path / "own.tif")
    staff.ws.paper.add_file(staff.teller, holder, own)
    rid = draft(staff, 16, form_number="")
    staff.ws.paper.add_file(staff.teller, rid, own)  # the same sheet again: its number is another record's
    stray = save_tiff(draw_form(layout, resident(16), "00000109")[:1], tmp_path / "stray.tif")
    staff.ws.paper.add_file(staff.teller, rid, stray)
    assert staff.ws.records.get(staff.teller, rid).values["form_number"] == "00000109"
    staff.ws.paper.restore_set(staff.teller, rid, 1)
    assert staff.ws.records.get(staff.teller, rid).values["form_number"] == ""
    third = draft(staff, 17, form_number="")
    staff.ws.paper.add_file(staff.teller, third, stray)  # 00000109 is free again for its own record
    assert staff.ws.records.get(staff.teller, third).values["form_number"] == "00000109"
    # Going back to pages whose code is free gives the record that number.
    other = draft(staff, 18, form_number="")
    staff.ws.paper.add_file(
        staff.teller, other, save_tiff(draw_form(layout, resident(18), "00000110"), tmp_path / "c.tif")
    )
    staff.ws.paper.set_form_number(staff.teller, other, "X-1")  # typed over it
    plain = Image.new("RGB", (620, 877), "white")
    plain.save(tmp_path / "plain.png")
    staff.ws.paper.add_file(staff.teller, other, tmp_path / "plain.png")
    staff.ws.paper.restore_set(staff.teller, other, 1)
    assert staff.ws.records.get(staff.teller, other).values["form_number"] == "X-1"  # typed: kept as typed
