"""recognise() on images of shapes no reader was written for: not recognised, never a crash."""

from __future__ import annotations

import logging

import pytest
from PIL import Image

from desktop_app.ocr import recognise as recognise_module
from desktop_app.ocr.recognise import recognise
from tests.support.id_documents import TODAY


@pytest.mark.parametrize("size", [(1600, 400), (3000, 1000), (2000, 800)])
def test_a_wide_blank_scan_is_not_recognised_rather_than_a_crash(size: tuple[int, int]) -> None:
    """Issue 14 item 14 (a guard against its return): a blank scan wider than any card, though not too thin for
    the loader, made the Chinese ID reader cut a field outside the image (ValueError) when the issue was filed; it
    comes back as no recognised document."""
    result = recognise(Image.new("RGB", size, "white"), TODAY)
    assert result.document_type is None and "document_not_recognised" in result.warnings
    assert result.document_image is not None


def test_a_reader_failing_on_an_odd_shape_is_logged_without_its_message(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 14 item 14: whatever reader fails that way, the scan comes back unrecognised with the warning
    "reader_failed", and the log says which error and where, but not its message (which may quote the document)."""

    message = "Coordinate 'lower' is less than 'upper' near 110105198503070016"

    def failing(image: Image.Image) -> None:
        raise ValueError(message)

    monkeypatch.setattr(recognise_module, "locate", failing)
    with caplog.at_level(logging.ERROR):
        result = recognise(Image.new("RGB", (1011, 638), "white"), TODAY)
    assert result.document_type is None and result.warnings == ("document_not_recognised", "reader_failed")
    assert "ValueError" in caplog.text and "failing" in caplog.text and "110105" not in caplog.text


def test_a_zone_whose_own_cut_out_reads_nothing_is_read_on_the_document_as_located(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Development split (issue 12): a TD2 visa turned 6° on a grey bed. The pixels' classifier saw no zone, the
    zone finder saw one but its cut-out read nothing, and the MRZ reader was then never tried on the document as
    located, which it reads: "mrz_unreadable". Here the zone finder's cut-out is made unreadable on purpose."""
    import random

    from desktop_app.ocr.classify import Classification
    from desktop_app.ocr.mrz_zone import FoundZone
    from tests.support.id_documents import passport_td3, synthetic_identity

    rng = random.Random(12)
    image, truth = passport_td3(synthetic_identity(rng, "foreign", TODAY), rng)
    real_classify = recognise_module.classify

    def unsure(document: Image.Image, shape: str | None = None) -> Classification:
        found = real_classify(document, shape)  # its pitch stays: the reader scales by it
        return Classification(None, found.upside_down, ("cn_id_front", "cn_id_back", "mrz"), {}, found.mrz_pitch)

    monkeypatch.setattr(recognise_module, "classify", unsure)
    monkeypatch.setattr(
        recognise_module, "find_zone", lambda _image: FoundZone("mrz_td3", Image.new("RGB", (1476, 1039), "white"))
    )
    result = recognise(image.convert("RGB"), TODAY)
    assert result.document_type == "mrz_td3", result.warnings
    assert result.fields["document_number"].value == truth["document_number"]


def test_a_small_card_on_a_portrait_scan_whose_edges_were_lost_is_read_by_its_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Development split (issue 12): cards at 160-230 ppi on an A4 bed beside a page's edge or a second card; the
    locator took the whole scan for the document, the pixels showed no card, and no text pass read the portrait
    scan: "no_known_document_signs". The locator's failure is made certain here."""
    import random

    from desktop_app.ocr.classify import Classification
    from desktop_app.ocr.locate import LocatedDocument
    from tests.support.id_documents import cn_id_front, synthetic_identity

    rng = random.Random(7)
    card, truth = cn_id_front(synthetic_identity(rng, "resident", TODAY), rng)
    scan = Image.new("RGB", (1654, 2339), (236, 236, 232))  # A4 at 200 dpi; the card at 134 ppi, too small for
    small = card.convert("RGB").resize((450, round(450 * card.height / card.width)), Image.Resampling.LANCZOS)
    scan.paste(small, (160, 1169))  # the text pass over the page as located (its words seen as no card's)
    whole = ((0.0, 0.0), (1654.0, 0.0), (1654.0, 2339.0), (0.0, 2339.0))
    monkeypatch.setattr(recognise_module, "locate", lambda image: LocatedDocument(image, whole, "page"))
    monkeypatch.setattr(
        recognise_module,
        "classify",
        lambda document, shape=None: Classification(None, False, ("mrz", "cn_id_front", "cn_id_back"), {}),
    )
    result = recognise(scan, TODAY)
    assert result.document_type == "cn_id_front", result.warnings
    assert {name: f.value for name, f in result.fields.items()}.get("id_number") == truth["id_number"], result


def _read_turned_on_paper(monkeypatch: pytest.MonkeyPatch, card: Image.Image, angle: float) -> dict[str, str]:
    """What recognise reads of `card` turned by `angle`, lying half on a sheet of printed paper (rows of grey bars)
    on an A4 bed at 200 dpi, where the locator took the whole scan for the document and the pixels showed nothing
    (made certain here); and the document type read, under "document_type"."""
    from desktop_app.ocr.classify import Classification
    from desktop_app.ocr.locate import LocatedDocument

    scan = Image.new("RGB", (1654, 2339), (214, 214, 218))
    sheet = Image.new("RGB", (700, 2339), (240, 238, 230))
    for y in range(60, 2300, 46):
        for x in range(40, 640, 150):
            sheet.paste((120, 120, 124), (x, y, x + 120, y + 16))
    scan.paste(sheet, (0, 0))
    small = card.convert("RGBA").resize((700, round(700 * card.height / card.width)), Image.Resampling.LANCZOS)
    turned = small.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    scan.paste(turned, (420, 900), turned)
    whole = ((0.0, 0.0), (1654.0, 0.0), (1654.0, 2339.0), (0.0, 2339.0))
    monkeypatch.setattr(recognise_module, "locate", lambda image: LocatedDocument(image, whole, None))
    monkeypatch.setattr(
        recognise_module,
        "classify",
        lambda document, shape=None: Classification(None, False, ("cn_id_front", "cn_id_back", "mrz"), {}),
    )
    result = recognise(scan, TODAY)
    return {name: f.value for name, f in result.fields.items()} | {"document_type": str(result.document_type)}


@pytest.mark.parametrize("angle", [5.0, -4.0, -6.0, 180.0])
def test_a_card_turned_on_printed_paper_whose_edges_were_lost_is_found_by_its_labels(
    monkeypatch: pytest.MonkeyPatch, angle: float
) -> None:
    """Development split (issue 12): a portrait side turned a few degrees, lying half on a sheet of printed paper
    on an A4 bed; the locator took the whole scan for the document, and the words' frame, which cannot turn, read
    nothing or garbage. The column of blue labels places it."""
    import random

    from tests.support.id_documents import cn_id_front, synthetic_identity

    rng = random.Random(17)
    card, truth = cn_id_front(synthetic_identity(rng, "resident", TODAY), rng)
    read = _read_turned_on_paper(monkeypatch, card, angle)
    assert read["document_type"] == "cn_id_front"
    assert {name: read.get(name) for name in ("id_number", "birth_date", "sex")} == {
        name: truth[name] for name in ("id_number", "birth_date", "sex")
    }


def test_no_card_is_found_by_labels_where_there_is_none() -> None:
    """A passport page's blue captions, a card's emblem side, and a sheet of print are no column of a portrait
    side's labels."""
    import random

    from desktop_app.ocr.card_by_labels import card_by_labels
    from tests.support.id_documents import cn_id_back, passport_td3, synthetic_identity

    rng = random.Random(23)
    page, _ = passport_td3(synthetic_identity(rng, "foreign", TODAY), rng)
    back, _ = cn_id_back(synthetic_identity(rng, "resident", TODAY), rng)
    sheet = Image.new("RGB", (1200, 1600), (240, 238, 230))
    for y in range(60, 1500, 46):
        sheet.paste((60, 90, 200), (40, y, 1100, y + 16))  # rows of blue bars
    for image in (page, back, sheet):
        assert card_by_labels(image.convert("RGB")) is None


@pytest.mark.parametrize("angle", [4.0, -5.0])
def test_an_emblem_side_turned_on_printed_paper_whose_edges_were_lost_is_found_by_its_labels(
    monkeypatch: pytest.MonkeyPatch, angle: float
) -> None:
    """Development split (issue 12): the emblem side lying turned half on printed paper; its two labels and its
    emblem place it."""
    import random

    from tests.support.id_documents import cn_id_back, synthetic_identity

    rng = random.Random(19)
    card, truth = cn_id_back(synthetic_identity(rng, "resident", TODAY), rng)
    read = _read_turned_on_paper(monkeypatch, card, angle)
    assert read["document_type"] == "cn_id_back"
    assert {name: read.get(name) for name in ("valid_from", "valid_until")} == {
        name: truth[name] for name in ("valid_from", "valid_until")
    }


@pytest.mark.parametrize("warnings", [("zone_implausible",), ("check_failed", "invalid_date", "composite_failed")])
def test_an_implausible_zone_found_beside_a_card_the_pixels_saw_is_not_read_instead_of_the_card(
    monkeypatch: pytest.MonkeyPatch, warnings: tuple[str, ...]
) -> None:
    """An emblem side with a second card across the frame's top edge: the back reader could not place its labels,
    and the zone found in the scan, half of it cut off, read as a TD1 card with "zone_implausible" and came back
    in place of the card. The pixels saw the emblem side: the zone's reading gives way to the card's words."""
    from desktop_app.ocr.classify import Classification
    from desktop_app.ocr.mrz_zone import FoundZone
    from desktop_app.ocr.result import DocumentResult, FieldResult

    scan = Image.new("RGB", (1400, 1000), (214, 214, 218))
    back = DocumentResult("cn_id_back", {"issuing_authority": FieldResult("示例市公安局", 0.9, False)}, ())
    # Too few signs of a zone, or no check digit holding: nothing verified.
    implausible = DocumentResult("mrz_td1", {"surname": FieldResult("KXL", 0.3, False)}, warnings)
    monkeypatch.setattr(
        recognise_module,
        "classify",
        lambda document, shape=None: Classification("cn_id_back", False, ("cn_id_back", "cn_id_front", "mrz"), {}),
    )
    monkeypatch.setattr(recognise_module, "read_cn_id_back", lambda image, text=None: None)
    monkeypatch.setattr(recognise_module, "find_zone", lambda image: FoundZone("mrz_td1", image))
    monkeypatch.setattr(recognise_module, "read_mrz", lambda image, today: implausible)
    monkeypatch.setattr(recognise_module, "_by_text", lambda document, located, **kw: (back, "cn_id_back"))
    assert recognise(scan, TODAY).document_type == "cn_id_back"
