"""The printed page as a second reading of an MRZ document's fields (desktop_app.ocr.mrz_viz and the cross-check in
mrz_reader): what it confirms, what it lowers, what it chooses, and what it must leave alone. OCR output is given
as text lines, so no Tesseract runs here."""

from __future__ import annotations

from datetime import date

import pytest
from PIL import Image

from desktop_app.ocr import mrz_reader
from desktop_app.ocr.mrz import check_digit, parse_mrz
from desktop_app.ocr.mrz_reader import NameEvidence, ZoneEvidence, cross_check_page
from desktop_app.ocr.mrz_viz import (
    Agreement,
    VisualZone,
    compare_date,
    compare_name,
    compare_number,
    lookalikes_only,
    page_number,
    visual_zone,
)
from desktop_app.ocr.result import FieldResult
from desktop_app.ocr.tesseract_engine import OcrLine, OcrWord

TODAY = date(2026, 5, 1)


def line(*words: str, gap: int = 12, start: int = 0) -> OcrLine:
    """One OCR line of these words, 30 px high, each word 18 px a character, `gap` px apart."""
    placed = []
    x = start
    for word in words:
        placed.append(OcrWord(word, 0.95, (x, 100, x + 18 * len(word), 130)))
        x += 18 * len(word) + gap
    return OcrLine("".join(words), 0.95, (start, 100, x, 130), tuple(placed))


# A passport page as Tesseract reads it: labels in mixed case, values in capitals, two columns on some lines.
PAGE = visual_zone(
    [
        line("REPUBLIC", "OF", "UTOPIA"),
        line("Surname", "/", "Nom"),
        line("VAN", "DER", "BERG"),
        line("Given", "names", "/", "Prénoms"),
        line("IAN"),
        line("Document", "no."),
        line("W7TL432L9"),
        line("Date", "of", "birth", "12", "AUG", "1974"),
        line("Date", "of", "expiry"),
        line("15.04.2031", "AUTHORITY", gap=200),
        line("Date", "of", "issue:", "16.04.2021"),
    ]
)


def test_the_page_is_read_as_runs_of_capitals_words_and_dates() -> None:
    assert {"VAN DER BERG", "IAN", "W7TL432L9", "REPUBLIC OF UTOPIA"} <= set(PAGE.segments)
    assert "AUTHORITY" in PAGE.segments and "15042031 AUTHORITY" not in PAGE.segments  # columns apart
    assert {(1974, 8, 12), (2031, 4, 15), (2021, 4, 16)} <= set(PAGE.dates)


def test_accents_and_label_words_are_not_part_of_a_value() -> None:
    page = visual_zone([line("SURNAME", "/", "NOM:", "MÜLLER"), line("NAME", "ØSTERGÅRD")])
    assert "MULLER" in page.segments and "OSTERGARD" in page.segments


def test_on_a_chinese_passport_the_pinyin_after_the_name_in_characters_is_the_name() -> None:
    # 史 SHI and 丽丹 LIDAN as an English reading makes them
    lines = [line("Surname"), line("SE", "SHI"), line("Given", "names"), line("F", "LIDAN")]
    assert compare_name("SHI", "LIDAN", visual_zone(lines, local_names=True)) is Agreement.AGREES
    assert compare_name("LIDAN", "SHI", visual_zone(lines, local_names=True)) is Agreement.AGREES
    assert compare_name("LIDANK", "SHI", visual_zone(lines, local_names=True)) is Agreement.DISAGREES
    assert compare_name("SHI", "LIDAN", visual_zone(lines)) is Agreement.SILENT
    # two words of a Latin name are not a name in characters and its pinyin
    assert compare_name("MARIA", "", visual_zone([line("ANNA", "MARIA")], local_names=True)) is Agreement.SILENT


@pytest.mark.parametrize(
    ("value", "other", "expected"),
    [
        ("VAN DER BERG", "IAN", Agreement.AGREES),
        ("IAN", "VAN DER BERG", Agreement.AGREES),
        ("VAN DER BERGK IANK", "", Agreement.SILENT),  # nothing on the page is that close
        ("VAN DER BERGK", "IAN", Agreement.DISAGREES),  # a filler read as K
        ("IANK", "VAN DER BERG", Agreement.DISAGREES),
        ("BERG", "IAN", Agreement.SILENT),  # part of a printed name is not the name
        ("", "IAN", Agreement.SILENT),
    ],
)
def test_a_name_agrees_only_with_a_whole_printed_value(value: str, other: str, expected: Agreement) -> None:
    assert compare_name(value, other, PAGE) is expected


def test_a_name_close_to_the_other_part_is_not_taken_for_a_disagreement() -> None:
    page = visual_zone([line("LEE"), line("LEO")])
    assert compare_name("LEE", "LEO", page) is Agreement.AGREES
    assert compare_name("LEE", "LEO", visual_zone([line("LEO")])) is Agreement.SILENT


@pytest.mark.parametrize(
    ("value", "confirmed", "expected"),
    [
        ("W7TL432L9", True, Agreement.AGREES),
        ("RWILESZLY", False, Agreement.SILENT),  # the trial's wrong number: nothing printed is near it
        ("W7TL482L9", True, Agreement.DISAGREES),  # a 3 the zone's reader took for an 8
        ("W7TL432I9", True, Agreement.SILENT),  # L/I: the page's reader confuses those, the check digit does not
        ("W7TL432I9", False, Agreement.DISAGREES),
    ],
)
def test_a_document_number_is_compared_whole(value: str, confirmed: bool, expected: Agreement) -> None:
    assert compare_number(value, PAGE, confirmed) is expected


def test_look_alike_differences_are_told_from_others() -> None:
    assert lookalikes_only("QO120YX29", "Q012OYX29")
    assert not lookalikes_only("QO120YX29", "QO120YX28")
    assert not lookalikes_only("ABC", "ABC") and not lookalikes_only("ABC", "ABCD")


def test_dates_agree_in_any_printed_form_and_an_issue_date_is_not_a_disagreement() -> None:
    assert compare_date(date(1974, 8, 12), PAGE) is Agreement.AGREES
    assert compare_date(date(2031, 4, 15), PAGE, expiry=True) is Agreement.AGREES
    short = visual_zone([line("12", "AUG", "74"), line("12", "AUG/AOUT", "74")])
    assert compare_date(date(1974, 8, 12), short) is Agreement.AGREES
    # the trial's wrong and verified birth date: the page prints the real one, two digits away
    assert compare_date(date(1974, 3, 17), PAGE) is Agreement.DISAGREES
    # an expiry date's issue date is the same day (or the day after) some years before
    assert compare_date(date(2031, 4, 16), visual_zone([line("16", "APR", "2021")]), expiry=True) is Agreement.SILENT
    assert compare_date(date(1990, 1, 1), visual_zone([line("Nothing", "here")])) is Agreement.SILENT


# -- the cross-check of a read zone ------------------------------------------------------------------------------


def fields(**overrides: FieldResult) -> dict[str, FieldResult]:
    return {
        "surname": FieldResult("VAN DER BERG", 0.85, False),
        "given_names": FieldResult("IAN", 0.85, False),
        "document_number": FieldResult("W7TL432L9", 1.0, True),
        "birth_date": FieldResult("1974-08-12", 1.0, True),
        "expiry_date": FieldResult("2031-04-15", 1.0, True),
        "sex": FieldResult("M", 0.85, False),
    } | overrides


CHECKED = {n: ZoneEvidence(checked=True) for n in ("document_number", "birth_date", "expiry_date")}


def test_names_the_page_prints_become_confirmed() -> None:
    checked, warnings = cross_check_page(PAGE, fields(), CHECKED)
    assert checked["surname"].verified and checked["given_names"].verified
    assert checked["surname"].confidence >= 0.99 and warnings == []
    assert checked["sex"] == fields()["sex"]  # nothing printed to compare it with here


def test_the_page_chooses_the_reading_whose_filler_was_misread_as_a_letter() -> None:
    # VAN<DER<BERG<<IAN read as VAN<DER<BERGK<IANK: no '<<' left, and two K that are fillers
    lines = ["P<UTOVAN<DER<BERGK<IANK<<<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
    zone = parse_mrz(lines, TODAY)
    read = fields(
        surname=FieldResult(zone.value("surname"), zone.fields["surname"].confidence, False),
        given_names=FieldResult(zone.value("given_names"), zone.fields["given_names"].confidence, False),
    )
    assert zone.fields["surname"].confidence < 0.8  # broken structure: check with care, without the page
    checked, warnings = cross_check_page(PAGE, read, CHECKED, NameEvidence(possible=zone.name_readings))
    assert (checked["surname"].value, checked["given_names"].value) == ("VAN DER BERG", "IAN")
    assert checked["surname"].verified and checked["given_names"].verified
    assert "visual_zone_chose:surname" in warnings


def test_where_the_page_shows_only_the_surname_the_reading_that_splits_the_name_there_is_taken() -> None:
    # One pass read TAN<<OLIVIA, another TANK<OLIVIA (a filler as K, no '<<' left); the page's given names were
    # not read, its surname was.
    page = visual_zone([line("Surname"), line("TAN"), line("Given", "names")])
    read = fields(surname=FieldResult("TANK OLIVIA", 0.56, False), given_names=FieldResult("", 0.56, False))
    names = NameEvidence(read=(("TANK OLIVIA", ""), ("TAN", "OLIVIA")))
    checked, warnings = cross_check_page(page, read, CHECKED, names)
    assert (checked["surname"].value, checked["surname"].verified) == ("TAN", True)
    assert (checked["given_names"].value, checked["given_names"].verified) == ("OLIVIA", False)
    assert checked["given_names"].confidence < 0.8 and "visual_zone_chose:given_names" in warnings


def test_a_name_the_page_prints_differently_is_lowered_and_warned() -> None:
    read = fields(given_names=FieldResult("IANK", 0.85, False))
    checked, warnings = cross_check_page(PAGE, read, CHECKED)
    assert not checked["given_names"].verified and checked["given_names"].confidence < 0.8
    assert "visual_zone_disagrees:given_names" in warnings
    assert checked["surname"].verified


def test_an_i_the_zone_read_as_l_takes_the_pages_spelling_still_to_be_checked() -> None:
    page = visual_zone([line("Surname"), line("CHOI"), line("Given", "names"), line("IAN")])
    checked, warnings = cross_check_page(page, fields(surname=FieldResult("CHOL", 0.7, False)), CHECKED)
    assert (checked["surname"].value, checked["surname"].verified) == ("CHOI", False)
    assert checked["surname"].confidence < 0.8
    assert {"visual_zone_disagrees:surname", "visual_zone_chose:surname"} <= set(warnings)
    # any other difference is only a disagreement: the zone's value stays, to be checked
    checked, _ = cross_check_page(page, fields(surname=FieldResult("CHOY", 0.85, False)), CHECKED)
    assert (checked["surname"].value, checked["surname"].verified) == ("CHOY", False)


def test_a_verified_date_the_page_contradicts_is_no_longer_confirmed() -> None:
    read = fields(birth_date=FieldResult("1974-03-17", 1.0, True))  # two misread digits that pass the check
    checked, warnings = cross_check_page(PAGE, read, CHECKED)
    assert not checked["birth_date"].verified and checked["birth_date"].confidence < 0.8
    assert "visual_zone_disagrees:birth_date" in warnings


def test_the_page_confirms_a_number_only_where_its_check_digit_holds_and_no_look_alike_rivals_it() -> None:
    unconfirmed = fields(document_number=FieldResult("W7TL432L9", 0.6, False))
    held = {**CHECKED, "document_number": ZoneEvidence(checked=True)}
    assert cross_check_page(PAGE, unconfirmed, held)[0]["document_number"].verified
    failed = {**CHECKED, "document_number": ZoneEvidence(checked=False)}
    assert not cross_check_page(PAGE, unconfirmed, failed)[0]["document_number"].verified
    # another reading of the zone differs only in a look-alike: the page's reader could have made the same mistake
    rivalled = {**CHECKED, "document_number": ZoneEvidence(checked=True, rivals=("W7TL432I9",))}
    assert not cross_check_page(PAGE, unconfirmed, rivalled)[0]["document_number"].verified


def test_a_page_with_nothing_to_compare_changes_nothing() -> None:
    assert cross_check_page(None, fields(), CHECKED) == (fields(), [])
    blank = visual_zone([line("IDENTITY", "CARD")])
    assert cross_check_page(blank, fields(), CHECKED) == (fields(), [])


# -- the readings of one zone voted together ---------------------------------------------------------------------


def reading(lines: list[str]) -> mrz_reader._Reading:
    image = Image.new("L", (1476, 1039), 255)
    placed = [OcrLine(text, 0.95, (40, 900 + 50 * i, 1400, 940 + 50 * i)) for i, text in enumerate(lines)]
    return mrz_reader._Reading(parse_mrz(lines, TODAY), 0.95, placed, image)


TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def test_a_verified_value_the_other_readings_dispute_is_not_confirmed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mrz_reader, "_page_above", lambda _: None)
    other = [TD3[0], "L89B9O2C36" + TD3[1][10:]]  # another pass misread two characters: its check fails
    document = mrz_reader._document([reading(TD3), reading(other)])
    number = document.fields["document_number"]
    assert number.value == "L898902C3" and not number.verified and number.confidence < 0.8
    assert "readings_disagree:document_number" in document.warnings
    assert document.fields["birth_date"].verified  # the readings agree on it


def test_readings_that_verify_different_values_confirm_neither(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mrz_reader, "_page_above", lambda _: None)
    # 740812 and 840712 both satisfy check digit 2 (weights 7-3-1): one of the two readings is wrong
    swapped = [TD3[0], TD3[1][:13] + "840712" + TD3[1][19:]]
    document = mrz_reader._document([reading(TD3), reading(swapped)])
    birth = document.fields["birth_date"]
    assert not birth.verified and birth.confidence < 0.5
    assert "readings_conflict:birth_date" in document.warnings


def test_a_number_failing_its_check_takes_the_pages_look_alike_that_passes_it_still_to_be_checked() -> None:
    # The zone read W7TL432L9 as W7TLA32L9 (A for 4) and its check digit failed; the page prints W7TL432L9, which
    # the zone's check digit holds on: that is offered, never confirmed.
    misread = fields(document_number=FieldResult("W7TLA32L9", 0.3, False))
    check = check_digit("W7TL432L9")
    evidence = {**CHECKED, "document_number": ZoneEvidence(checked=False, check=check)}
    checked, warnings = cross_check_page(PAGE, misread, evidence)
    number = checked["document_number"]
    assert (number.value, number.verified) == ("W7TL432L9", False) and number.confidence < 0.8
    assert "visual_zone_chose:document_number" in warnings
    # Where the page's look-alike fails the check digit too, the zone's reading stays, lowered.
    wrong_check = {**CHECKED, "document_number": ZoneEvidence(checked=False, check=str((int(check) + 1) % 10))}
    assert cross_check_page(PAGE, misread, wrong_check)[0]["document_number"].value == "W7TLA32L9"


def test_a_number_whose_6_and_3_the_zone_read_as_o_and_8_takes_the_pages_that_passes_its_check() -> None:
    # Independent tester: eng read the zone's OCR-B 6 as O and 3 as 8 (W7TL432L9 as W7TL482L9 here with the 4
    # read as O too); the page's word differs in those only and passes the zone's check digit: offered, to check.
    evidence = {**CHECKED, "document_number": ZoneEvidence(checked=False, check=check_digit("W7TL432L9"))}
    # Three characters off, one of no look-alike pair (4 and O): left as read.
    misread = fields(document_number=FieldResult("W7TLO8ZL9", 0.24, False))
    checked, warnings = cross_check_page(PAGE, misread, evidence)
    assert checked["document_number"].value == "W7TLO8ZL9"
    # Two characters off, whatever they are: the page's word, which the check digit holds on.
    misread = fields(document_number=FieldResult("W7TLO82L9", 0.24, False))
    assert cross_check_page(PAGE, misread, evidence)[0]["document_number"].value == "W7TL432L9"
    misread = fields(document_number=FieldResult("W7TL482L9", 0.24, False))
    checked, warnings = cross_check_page(PAGE, misread, evidence)
    number = checked["document_number"]
    assert (number.value, number.verified) == ("W7TL432L9", False) and number.confidence < 0.8
    assert "visual_zone_chose:document_number" in warnings


def _page_showing(number: str) -> VisualZone:
    return visual_zone([line("Document", "no."), line(number)])


def test_a_number_failing_its_check_is_pieced_together_from_the_zone_and_the_page_where_one_number_passes() -> None:
    # Development split: the zone read WG0S87OBL as WGOS870BL, the page as WG0S870BL. Each reading has one of the two
    # round characters wrong, neither passes the check digit; of the numbers taking each place from either reading
    # (0 and O either way where one shows them), one passes: offered, to check, never confirmed.
    evidence = {**CHECKED, "document_number": ZoneEvidence(checked=False, check=check_digit("WG0S87OBL"))}
    misread = fields(document_number=FieldResult("WGOS870BL", 0.3, False))
    checked, warnings = cross_check_page(_page_showing("WG0S870BL"), misread, evidence)
    number = checked["document_number"]
    assert (number.value, number.verified) == ("WG0S87OBL", False) and number.confidence < 0.8
    assert "visual_zone_chose:document_number" in warnings
    # The page reads the number as the zone did (LOAQPS7CP), the check fails: the one 0/O that makes it pass.
    evidence = {**CHECKED, "document_number": ZoneEvidence(checked=False, check=check_digit("L0AQPS7CP"))}
    misread = fields(document_number=FieldResult("LOAQPS7CP", 0.3, False))
    checked, warnings = cross_check_page(_page_showing("LOAQPS7CP"), misread, evidence)
    assert checked["document_number"].value == "L0AQPS7CP" and not checked["document_number"].verified


def test_a_pieced_number_is_offered_only_where_no_other_passes_as_readily() -> None:
    # The zone read 0F937L426 and the page 0F037L4H6, neither passing check digit 2: two pieced numbers pass it,
    # each taking one place from either reading (0F937L4H6 and 0FO37L426), and neither costs less. None is offered.
    evidence = {**CHECKED, "document_number": ZoneEvidence(checked=False, check="2")}
    misread = fields(document_number=FieldResult("0F937L426", 0.24, False))
    checked, warnings = cross_check_page(_page_showing("0F037L4H6"), misread, evidence)
    assert checked["document_number"].value == "0F937L426" and "visual_zone_chose:document_number" not in warnings
    # Nor where the page's word is more than two characters off (9I1U2TT3N read DITU2TT3N, the page 911U2TT3N).
    evidence = {**CHECKED, "document_number": ZoneEvidence(checked=False, check="5")}
    misread = fields(document_number=FieldResult("DITU2TT3N", 0.24, False))
    assert cross_check_page(_page_showing("911U2TT3N"), misread, evidence)[0]["document_number"].value == "DITU2TT3N"
    # A zone reading that passes its check is never traded for another that passes as well: J0TH968OP passes 7, and
    # so would JOTH9680P, pieced from it and the page's J0TH9680P.
    assert page_number("J0TH968OP", _page_showing("J0TH9680P"), lambda word: check_digit(word) == "7") is None


def test_a_tail_of_filler_look_alikes_one_reading_adds_to_a_name_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two passes read the fillers after MARIA as an X, one as fillers (issue 12: SOPHIE read SOPHIEX, JAN read JANK):
    # a filler is often read as a letter, a letter seldom as a filler.
    monkeypatch.setattr(mrz_reader, "_page_above", lambda _: None)
    misread = ["P<UTOERIKSSON<<ANNA<MARIAX<<<<<<<<<<<<<<<<<<", TD3[1]]
    document = mrz_reader._document([reading(misread), reading(misread), reading(TD3)])
    given = document.fields["given_names"]
    assert given.value == "ANNA MARIA" and given.confidence < 0.8  # the readings disagree: to check


def test_a_page_that_lost_letters_of_an_intact_name_does_not_confirm_the_shorter_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An independent tester's card: TANAKA<<ELLE<<<, whose page the page reader gave as "EL". EL is the zone
    # with L and E taken for misread fillers, but the zone's '<<' holds: the page lost them, and the zone's ELLE
    # stays, to be checked (it was EL, confirmed).
    monkeypatch.setattr(
        mrz_reader, "_page_above", lambda _: visual_zone([line("TANAKA"), line("EL"), line("24", "JUL", "1988")])
    )
    td1 = ["IDUTOD231458907<<<<<<<<<<<<<<<", "8807249F3108192UTO<<<<<<<<<<<0", "TANAKA<<ELLE<<<<<<<<<<<<<<<<<<"]
    zone = parse_mrz(td1, TODAY)
    assert zone.value("given_names") == "ELLE"
    document = mrz_reader._document([reading(td1)])
    given = document.fields["given_names"]
    assert given.value == "ELLE" and not given.verified and given.confidence < 0.8
    assert "visual_zone_shorter:given_names" in document.warnings


def test_a_reading_of_the_name_area_keeps_every_letter_but_those_made_fillers() -> None:
    # ALEXANDER<CLAIRE with C and L made fillers is ALEXANDER<<<AIRE, and three fillers end a name: AIRE would be
    # dropped, not a reading the area holds (the page, missing CLAIRE, confirmed MAXIMILIAN ALEXANDER with it).
    zone = parse_mrz(
        ["P<UTOSMITH<<MAXIMILIAN<ALEXANDER<CLAIRE<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], TODAY
    )
    assert ("SMITH", "MAXIMILIAN ALEXANDER") not in zone.name_readings
    assert zone.value("given_names") == "MAXIMILIAN ALEXANDER CLAIRE"


def test_a_name_in_a_zone_whose_check_digits_fail_is_not_read_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    # No check digit covers a name: where the number's fails, the zone's glyphs are misread, and the name's may
    # be too (ADERHATHY UORTHINGTON for ABERNATHY WORTHINGTON came out at 0.85).
    monkeypatch.setattr(mrz_reader, "_page_above", lambda _: None)
    bad_number = [TD3[0], "L898902C37" + TD3[1][10:]]
    document = mrz_reader._document([reading(bad_number)])
    assert document.fields["surname"].confidence < 0.8 and document.fields["given_names"].confidence < 0.8
    clean = mrz_reader._document([reading(TD3)])
    assert clean.fields["surname"].confidence >= 0.8


def test_a_number_no_reading_verifies_is_taken_from_a_reading_of_the_exact_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Development split: a TD2 zone's number S29647062 lost its S in two passes (the line fitted to 29<647062) and
    was whole in one, none verifying it (a 6 that may be a G): the whole reading's, not the majority's shifted
    one. A whole reading with a filler inside its number (a glyph read as one) does not count so."""
    monkeypatch.setattr(mrz_reader, "_page_above", lambda _: None)
    first = "V<CHNMUELLER<<CHRISTOPHER<GIULIA<<<<"
    whole = [first, "S296470622JPN6912082<2409272Q0HV3PE2"]
    shifted = [first, "296470622JPN6912082<2409272Q0HV3PE2"]
    document = mrz_reader._document([reading(shifted), reading(shifted), reading(whole)])
    assert document.fields["document_number"].value == "S29647062"
    assert not document.fields["document_number"].verified
