"""Resident ID card rules found on the development split of the document family (issue 12), that need no
Tesseract: an ethnic group chi_sim cannot spell, middle dots read as ticks or left out of a name of three parts,
the sound citizen number standing in for a birth date or sex the print gave otherwise or not at all, and a card
not cut from its scanner bed placed by its number's width."""

from __future__ import annotations

from datetime import date

import pytest
from PIL import Image, ImageDraw

from desktop_app.domain.id_numbers import gb11643_check_char
from desktop_app.ocr import cn_id_back_reader
from desktop_app.ocr.cn_id_back_reader import _authority_field
from desktop_app.ocr.cn_id_fields import match_ethnicity, parse_validity
from desktop_app.ocr.cn_id_reader import (
    _FRONT_ANCHORS,
    DOUBTFUL,
    READ_CLEARLY,
    CardFrame,
    _ethnicity_rows,
    _front_fields,
    _with_middle_dot,
    fit_text_anchors,
    name_dots,
)
from desktop_app.ocr.tesseract_engine import OcrWord
from tests.support.id_documents import INK, SANS, _font

# -- ethnic groups -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("read", "group"), [("开巴", "珞巴"), ("政巴", "珞巴"), ("达尔", "达斡尔"), ("傈凤", "傈僳")])
def test_a_group_with_a_character_the_model_lacks_is_taken_from_the_rest(read: str, group: str) -> None:
    # chi_sim's fast model has no 珞: 珞巴 comes out 开巴, 政巴 or 巴, one character from 门巴 too; but 门 it reads.
    matched = match_ethnicity(read, "chi_sim")
    assert matched is not None and matched.value == group and not matched.exact


def test_groups_equally_near_by_characters_the_model_reads_are_still_left_open() -> None:
    assert match_ethnicity("伦佬", "chi_sim") is None  # 仫佬 or 仡佬, each with a character the model lacks
    assert match_ethnicity("巴", "chi_sim") is None  # 珞巴 with 珞 lost, or 佤 or 畲 misread
    assert match_ethnicity("门巴") is not None and match_ethnicity("门巴").exact  # type: ignore[union-attr]


def test_the_standard_model_lacks_only_one_groups_character() -> None:
    # The standard model reads 仡 and 珞: a reading one character from 仡佬 or 珞巴 is a misreading like any other,
    # but 仫 it has not, so 佬 alone is 仫佬.
    alone = match_ethnicity("佬", "chi_sim_std")
    assert alone is not None and alone.value == "仫佬" and not alone.exact
    assert match_ethnicity("伦佬", "chi_sim_std") == alone
    assert match_ethnicity("开巴", "chi_sim_std") is None
    assert match_ethnicity("佬", "chi_sim") is None  # 仫佬 or 仡佬: the fast model has neither character


# -- middle dots -------------------------------------------------------------------------------------------------


def test_a_middle_dot_read_as_a_tick_comma_or_colon_is_a_dot() -> None:
    assert name_dots("努热克'提尼") == "努热克·提尼"
    assert name_dots("热穆逊.帕克:坎阿") == "热穆逊·帕克·坎阿"
    # Found on the development split: a corner bracket, a star, a quotation mark, each alone between two parts.
    assert name_dots("力别「西仁西") == name_dots("力别*西仁西") == name_dots("力别 “ 西仁西") == "力别·西仁西"
    assert name_dots("王芳A") == "王芳A" and name_dots("王 芳") == "王 芳"  # a letter or a space is not a dot
    assert name_dots("阿依古丽，买买提") == "阿依古丽·买买提"
    assert name_dots("王芳,") == "王芳,"  # only between two characters


def _printed_name(text: str) -> tuple[Image.Image, list[OcrWord]]:
    """`text` printed black on a pale card on the name's row, and one word per Han character (none for the
    dots), boxed where it was drawn."""
    card = Image.new("RGB", (1011, 638), (236, 240, 238))
    draw = ImageDraw.Draw(card)
    font = _font(SANS, 34)
    words, x = [], 170.0
    for ch in text:
        draw.text((x, 100), ch, font=font, fill=INK, anchor="ls")
        if ch != "·":
            box = tuple(round(v) for v in draw.textbbox((x, 100), ch, font=font, anchor="ls"))
            words.append(OcrWord(ch, 0.9, box))  # type: ignore[arg-type]
        x += font.getlength(ch)
    return card, words


NAME_AREA = (150, 55, 640, 115)


def test_the_second_dot_of_a_name_of_three_parts_is_put_back() -> None:
    card, words = _printed_name("热穆逊·帕克·坎阿")
    frame = CardFrame.nominal(card)
    # Tesseract kept the first dot and left out the second; or left out both.
    assert _with_middle_dot("热穆逊·帕克坎阿", card, frame, NAME_AREA, words) == "热穆逊·帕克·坎阿"
    assert _with_middle_dot("热穆逊帕克坎阿", card, frame, NAME_AREA, words) == "热穆逊·帕克·坎阿"
    plain, plain_words = _printed_name("欧阳子涵")
    assert _with_middle_dot("欧阳子涵", plain, frame, NAME_AREA, plain_words) == "欧阳子涵"


def test_a_dot_tesseract_boxed_as_a_word_of_its_own_is_not_put_in_again_elsewhere() -> None:
    """Development split: the dots read, but each character paired with its neighbour's box (达 given the dot's
    box); counting characters by those boxes put a third dot after the second character (娜玛·格扎哈...)."""
    card, words = _printed_name("娜玛格扎哈·多尔再斯达·力曼再")
    frame = CardFrame.nominal(card)
    dot = OcrWord("达", 0.9, _second_dot_box(card, "娜玛格扎哈·多尔再斯达·力曼再"))
    shifted = [w for w in words if w.text != "达"] + [dot]
    value = "娜玛格扎哈·多尔再斯达·力曼再"
    assert _with_middle_dot(value, card, frame, NAME_AREA, shifted) == value


def _second_dot_box(card: Image.Image, text: str) -> tuple[int, int, int, int]:
    """Where _printed_name drew the second middle dot of `text`: the ink within the dot's advance."""
    font = _font(SANS, 34)
    at = [i for i, ch in enumerate(text) if ch == "·"][1]
    left = 170 + round(sum(font.getlength(ch) for ch in text[:at]))
    right = left + round(font.getlength("·"))
    ink = card.convert("L").crop((left, 55, right, 115)).point(lambda v: 255 if v < 110 else 0)
    box = ink.getbbox()
    assert box is not None
    return (left + box[0], 55 + box[1], left + box[2], 55 + box[3])


# -- the number states the birth date and sex --------------------------------------------------------------------

BODY = "11010519800514003"  # born 1980-05-14; 3 at position 17: a man
NUMBER = BODY + gb11643_check_char(BODY)


def _glyphs(text: str, left: int, top: int, width: int = 30) -> list[OcrWord]:
    return [
        OcrWord(ch, 0.97, (left + i * width, top, left + (i + 1) * width - 2, top + 30)) for i, ch in enumerate(text)
    ]


def _rows(birth_han: str, birth_digits: str, sex: str) -> dict[str, list[list[OcrWord]]]:
    return {
        "sex": [_glyphs(sex, 170, 140)] if sex else [],
        "ethnicity": [_glyphs("汉", 400, 140)],
        "ethnicity_free": [_glyphs("汉", 400, 140)],
        "birth_date": [[OcrWord(birth_han, 0.95, (170, 210, 400, 240))]] if birth_han else [],
        "birth_digits": [_glyphs(birth_digits, 170, 210)] if birth_digits else [],
        "id_number": [_glyphs(NUMBER, 318, 535)],
    }


def test_a_sound_number_confirms_the_printed_birth_date_and_sex() -> None:
    fields, warnings = _front_fields(_rows("1980年5月14日", "1980 5 14", "男"), CardFrame(1.0), {})
    assert fields["birth_date"].value == "1980-05-14" and fields["birth_date"].verified
    assert fields["sex"].value == "男" and fields["sex"].verified
    assert fields["id_number"].verified and not any("disagrees" in w for w in warnings)


def test_the_number_stands_in_for_a_sex_or_birth_date_not_read_but_only_for_checking() -> None:
    fields, warnings = _front_fields(_rows("", "", ""), CardFrame(1.0), {})
    assert fields["sex"].value == "男" and fields["birth_date"].value == "1980-05-14"
    for name in ("sex", "birth_date"):
        assert not fields[name].verified and fields[name].confidence <= DOUBTFUL < READ_CLEARLY
    assert "sex_from_id_number" in warnings and "birth_date_from_id_number" in warnings
    assert "sex_not_read" not in warnings and "birth_date_not_read" not in warnings


def test_a_birth_line_misread_two_ways_gives_way_to_the_sound_number() -> None:
    # chi_sim took the 5 for a 1 and the 4 for a 1, eng the 5 alone: the number, as read, passes its check.
    fields, warnings = _front_fields(_rows("1980年1月11日", "1980 1 14", "男"), CardFrame(1.0), {})
    assert fields["birth_date"].value == "1980-05-14"
    assert not fields["birth_date"].verified and fields["birth_date"].confidence < READ_CLEARLY
    assert "birth_date_disagrees_with_id_number" in warnings


def test_a_birth_line_read_alike_both_ways_is_what_the_card_prints_and_is_kept() -> None:
    # Both readings agree on a date the number does not hold: the card prints it so; kept, flagged.
    fields, warnings = _front_fields(_rows("1977年5月14日", "1977 5 14", "男"), CardFrame(1.0), {})
    assert fields["birth_date"].value == "1977-05-14" and not fields["birth_date"].verified
    assert "birth_date_disagrees_with_id_number" in warnings


# -- a card not cut from its bed ---------------------------------------------------------------------------------


def test_the_number_alone_gives_the_scale_of_a_card_small_in_its_image() -> None:
    # The locator handed over the whole bed (1000 px) with the card some 550 px wide in it: only the number was
    # read, 0.55 of its usual 580 layout px wide.
    number = [
        OcrWord(ch, 0.97, (324 + round(i * 17.7), 512, 324 + round(i * 17.7) + 15, 531)) for i, ch in enumerate(NUMBER)
    ]
    frame = fit_text_anchors([number], _FRONT_ANCHORS, (1000, 750))
    assert frame is not None
    assert frame.scale == pytest.approx(0.55, abs=0.02)
    assert frame.dx + frame.scale * 318 == pytest.approx(324, abs=2)  # the number's left end where it was read
    # At the card's own size the number gives no new scale: the rows (here none but its own) keep theirs.
    full = [OcrWord(ch, 0.97, (318 + i * 32, 532, 318 + i * 32 + 28, 562)) for i, ch in enumerate(NUMBER)]
    assert fit_text_anchors([full], _FRONT_ANCHORS, (1011, 638)).scale == pytest.approx(1.0)  # type: ignore[union-attr]


# -- where the ethnic group stands -------------------------------------------------------------------------------


def _sex_row(label_colour: tuple[int, int, int]) -> tuple[Image.Image, tuple[OcrWord, ...]]:
    """A card with 男 at layout x 170, the 民族 label ending at x 330 in `label_colour` and 汉 from x 348 (closer
    to its label than the layout's box for it, which starts at 390); and the text pass's line for the row as
    chi_sim boxed it: 族 boxed across the gap and the value."""
    card = Image.new("RGB", (1011, 638), (236, 240, 238))
    draw = ImageDraw.Draw(card)
    draw.text((170, 175), "男", font=_font(SANS, 30), fill=INK, anchor="ls")
    draw.text((270, 175), "民族", font=_font(SANS, 28), fill=label_colour, anchor="ls")
    draw.text((348, 175), "汉", font=_font(SANS, 30), fill=INK, anchor="ls")
    line = (
        OcrWord("民", 0.9, (270, 148, 298, 176)),
        OcrWord("族", 0.9, (300, 148, 380, 176)),
        OcrWord("汉", 0.9, (348, 146, 378, 178)),
    )
    return card, line


@pytest.mark.parametrize("label_colour", [(40, 110, 215), (150, 150, 156)])
def test_the_groups_box_starts_where_its_print_does_not_where_the_layout_or_a_bad_glyph_box_says(
    label_colour: tuple[int, int, int],
) -> None:
    # Blue labels give the label's end; a grey one (a faded scan, another printer) is no label to the colour
    # test, and the value's own ink gives its start.
    card, line = _sex_row(label_colour)
    _, closed = _ethnicity_rows(card, CardFrame(1.0), [line])
    box = next(piece.box for row in closed for piece in row if piece.key == "ethnicity")
    assert 300 <= box[0] <= 342  # the whole of 汉 (from 348) inside, the sex (to ~200) outside


# -- the emblem side's authority ---------------------------------------------------------------------------------


def _line(text: str, top: int, confidence: float = 0.95) -> list[OcrWord]:
    return [OcrWord(ch, confidence, (340 + 30 * i, top, 368 + 30 * i, top + 28)) for i, ch in enumerate(text)]


def test_the_validity_line_read_into_the_authoritys_crop_is_left_out() -> None:
    # Rows closer together than the layout's: the authority's crop took in the period below it.
    found = _authority_field({"issuing_authority": [_line("东山市公安局泰岭分局", 450), _line("2017.05.22-长期", 500)]})
    assert found is not None and found.value == "东山市公安局泰岭分局"


def test_two_authority_readings_that_differ_are_settled_by_a_third(monkeypatch: pytest.MonkeyPatch) -> None:
    # chi_sim read a 和 that is not printed at one size, not at two others.
    readings = iter(["和白沙县公安局", "白沙县公安局", "白沙县公安局"])
    card = Image.new("RGB", (1011, 638), (236, 240, 238))

    def read_pieces(_card: object, _frame: object, rows: object, **options: object) -> dict[str, list[list[OcrWord]]]:
        pieces = [piece for row in rows for piece in row]  # type: ignore[attr-defined]
        if options.get("glyphs"):
            return {"dates": [_line("2008.01.06-", 505)]}
        found = {"issuing_authority": [_line(next(readings), 450, 0.7)]}
        return found | ({"validity": [_line("2008.01.06-长期", 505)]} if len(pieces) > 1 else {})

    monkeypatch.setattr(cn_id_back_reader, "read_pieces", read_pieces)
    monkeypatch.setattr(cn_id_back_reader, "uncovered_ink", lambda *args: False)
    result = cn_id_back_reader._read_back(card, CardFrame(1.0))
    authority = result.fields["issuing_authority"]
    assert authority.value == "白沙县公安局"
    assert authority.confidence < READ_CLEARLY and "issuing_authority_readings_differ" in result.warnings


# -- the emblem side's validity period ---------------------------------------------------------------------------


def test_a_hyphen_read_inside_the_year_is_not_the_periods() -> None:
    # Development split, a 153 ppi back: chi_sim read 2024.07.11-长期 as 202-4.07.11-长期.
    found = parse_validity("202-4.07.11-长期")
    assert found is not None and found.valid_from == date(2024, 7, 11) and found.valid_until is None
    both = parse_validity("2024.07.11-203-4.07.11")
    assert both is not None and both.valid_until == date(2034, 7, 11)
    assert parse_validity("20-24-07.11-长期") is None  # not a year's four digits with one hyphen in them


def test_a_period_read_on_the_authoritys_row_is_taken_for_checking_only() -> None:
    """Development split: a card beside a passport, placed by its words one row too low; its period came on the
    authority's row and the period's row was empty."""
    rows = {"issuing_authority": [_line("2023.11.20-2033.11.20", 450)], "validity": []}
    fields, warnings = cn_id_back_reader._back_fields(rows, [])
    assert fields["valid_from"].value == "2023-11-20" and fields["valid_until"].value == "2033-11-20"
    assert not fields["valid_from"].verified and not fields["valid_until"].verified
    assert max(fields["valid_from"].confidence, fields["valid_until"].confidence) < READ_CLEARLY
    assert "validity_read_on_another_row" in warnings and "issuing_authority" not in fields


def _date_glyphs(text: str, top: int = 505) -> list[OcrWord]:
    return [OcrWord(ch, 0.95, (340 + 18 * i, top, 356 + 18 * i, top + 24)) for i, ch in enumerate(text)]


def test_a_changqi_one_reading_saw_gives_way_to_the_regular_period_the_other_read() -> None:
    """Independent tester: a card printed 2006.03.30-2011.03.30 came out 长期, confirmed: chi_sim read 长期, eng both
    dates, and 长期 was taken because it is always a "regular" term."""
    rows = {"issuing_authority": [], "validity": [_line("2006.03.30-长期", 505)]}
    fields, _ = cn_id_back_reader._back_fields(rows, _date_glyphs("2006.03.30-2011.03.30"))
    assert (fields["valid_from"].value, fields["valid_until"].value) == ("2006-03-30", "2011-03-30")
    # Pieced together from two readings that disagree: for checking.
    assert not fields["valid_until"].verified and fields["valid_until"].confidence < READ_CLEARLY


def test_a_period_confirms_its_dates_only_as_both_readings_gave_them() -> None:
    """Independent tester: 2015.03.26-2020.03.26 read with both days as 20 keeps its five-year term; one reading
    of it confirmed both dates, wrong."""
    rows = {"issuing_authority": [], "validity": [_line("2015.03.20-2020.03.20", 505)]}
    fields, _ = cn_id_back_reader._back_fields(rows, _date_glyphs("2015.03.26-2020.03.26"))
    assert not fields["valid_from"].verified and not fields["valid_until"].verified
    assert max(fields["valid_from"].confidence, fields["valid_until"].confidence) < READ_CLEARLY
    # Both readings alike, the term regular: confirmed.
    rows = {"issuing_authority": [], "validity": [_line("2015.03.26-2020.03.26", 505)]}
    fields, _ = cn_id_back_reader._back_fields(rows, _date_glyphs("2015.03.26-2020.03.26"))
    assert fields["valid_from"].verified and fields["valid_until"].verified


def test_changqi_is_never_confirmed_nor_its_start() -> None:
    rows = {"issuing_authority": [], "validity": [_line("2016.05.20-长期", 505)]}
    fields, _ = cn_id_back_reader._back_fields(rows, _date_glyphs("2016.05.20-"))
    assert fields["valid_until"].value == "长期" and not fields["valid_until"].verified
    # Both readings gave the start, but two readings alike are no check: a development card printed 2024.08.19-长期
    # was read 2021.08.19 by chi_sim and eng alike, and came out confirmed.
    assert fields["valid_from"].value == "2016-05-20" and not fields["valid_from"].verified


def test_a_period_whose_dates_were_read_in_the_other_order_runs_forwards() -> None:
    """Independent tester: 2014.04.22-2024.04.22 came out from 2024-04-22 until 2014-04-22."""
    found = parse_validity("2024.04.22-2014.04.22")
    assert found is not None and (found.valid_from, found.valid_until) == (date(2014, 4, 22), date(2024, 4, 22))
