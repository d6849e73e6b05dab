"""Scan ID: a recognised document becomes proposed form values through the form's ocr_field, types, choices and
normaliser; values a field cannot take are left out with a note; the kept metadata carries no values."""

from __future__ import annotations

import io
import json
import os
import pathlib
from datetime import date

import pytest
from PIL import Image

from desktop_app.domain.form_schema import load_default_form, load_form
from desktop_app.domain.normaliser import LONG_TERM, normalise_value
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.ocr.tesseract_engine import OcrEngineMissing
from desktop_app.services import scan_fill
from desktop_app.services.attachments import clean_meta
from desktop_app.services.scan_fill import (
    Level,
    OcrUnavailable,
    ScannerFolderProblem,
    ScanUnreadable,
    conflicts,
    level_of,
    newest_scan,
    propose,
    read_scan,
    scan_meta,
)

FORM = load_default_form()
ALL_TYPES = load_form(pathlib.Path(__file__).parent / "fixtures" / "all_types_form.yaml")


def fr(
    value: str, confidence: float = 0.95, verified: bool = False, box: tuple[int, int, int, int] | None = None
) -> FieldResult:
    return FieldResult(value, confidence, verified, box)


def cn_front(**overrides: FieldResult) -> DocumentResult:
    fields = {
        "name": fr("王测试"),
        "sex": fr("男"),
        "ethnicity": fr("汉"),
        "birth_date": fr("1985-03-07", 0.9, True),
        "address": fr("示例省演示市测试路1号"),
        "id_number": fr("110105198503070016", 0.97, True, (300, 560, 900, 600)),
    } | overrides
    return DocumentResult("cn_id_front", fields)


def mrz(kind: str = "mrz_td3", nationality: str = "DEU", **overrides: FieldResult) -> DocumentResult:
    fields = {
        "surname": fr("MUSTER", 0.9),
        "given_names": fr("ANNA MARIA", 0.85),
        "document_number": fr("C01X00T47", 0.99, True, (80, 940, 350, 980)),
        "nationality": fr(nationality, 0.9),
        "issuing_country": fr(nationality, 0.9),
        "birth_date": fr("1964-08-12", 1.0, True),
        "sex": fr("F", 0.85),
        "expiry_date": fr("2031-10-31", 1.0, True),
    } | overrides
    return DocumentResult(kind, fields)


def values(result: DocumentResult) -> dict[str, str]:
    return {key: p.value for key, p in propose(FORM, result).proposals.items()}


def test_resident_card_front_maps_labels_to_the_forms_choice_codes_and_implies_id_type_and_nationality() -> None:
    assert values(cn_front()) == {
        "name": "王测试",
        "sex": "M",
        "ethnicity": "01",  # 汉 on the card, 汉族 in the list
        "birth_date": "1985-03-07",
        "nationality": "CHN",
        "id_type": "resident_id",
        "id_number": "110105198503070016",
        "address": "示例省演示市测试路1号",
    }
    assert values(cn_front(sex=fr("女")))["sex"] == "F"


def test_proposals_come_in_form_order_and_carry_confidence_verification_and_source() -> None:
    fill = propose(FORM, cn_front())
    assert list(fill.proposals) == [k for k in FORM.keys if k in fill.proposals]
    number = fill.proposals["id_number"]
    assert (number.confidence, number.verified, number.ocr_field, number.level) == (0.97, True, "id_number", "verified")
    assert fill.proposals["id_type"].ocr_field == "document_type"


def test_every_proposed_value_is_already_in_the_forms_normal_form() -> None:
    fill = propose(FORM, cn_front(address=fr("示例省 演示市　测试路１号"), id_number=fr("11010519850307001x")))
    assert fill.proposals["address"].value == "示例省演示市测试路1号"
    assert fill.proposals["id_number"].value == "11010519850307001X"
    for key, proposal in fill.proposals.items():
        assert normalise_value(FORM.field(key), proposal.value) == proposal.value


def test_resident_card_back_fills_authority_and_validity_with_long_term_as_the_date_widget_keeps_it() -> None:
    back = DocumentResult(
        "cn_id_back",
        {
            "issuing_authority": fr("示例市公安局演示分局"),
            "valid_from": fr("2015-06-01", 0.9),
            "valid_until": fr("长期", 0.9),
        },
    )
    assert values(back) == {
        "nationality": "CHN",
        "id_type": "resident_id",
        "issuing_authority": "示例市公安局演示分局",
        "id_valid_from": "2015-06-01",
        "id_valid_until": LONG_TERM,
    }


def test_a_foreign_passport_fills_name_pinyin_sex_nationality_and_the_passport_fields() -> None:
    assert values(mrz()) == {
        "name": "MUSTER ANNA MARIA",
        "name_pinyin": "MUSTER ANNA MARIA",
        "sex": "F",
        "birth_date": "1964-08-12",
        "nationality": "DEU",
        "id_type": "passport",
        "id_number": "C01X00T47",
        "id_valid_until": "2031-10-31",
    }
    fill = propose(FORM, mrz())
    name = fill.proposals["name"]
    assert name.ocr_field == "surname+given_names" and not name.verified  # no check digit covers names
    assert name.confidence == 0.85  # as sure as the less sure part


def test_a_name_is_confirmed_only_when_the_printed_page_confirmed_every_part() -> None:
    both = mrz(surname=fr("MUSTER", 0.99, True), given_names=fr("ANNA MARIA", 0.99, True))
    assert propose(FORM, both).proposals["name"].verified and propose(FORM, both).proposals["name_pinyin"].verified
    one = mrz(surname=fr("MUSTER", 0.99, True), given_names=fr("ANNA MARIA", 0.7))
    name = propose(FORM, one).proposals["name"]
    assert not name.verified and name.level is Level.LOW


def test_a_chinese_passport_fills_the_pinyin_but_leaves_the_name_in_characters_to_the_teller() -> None:
    fill = propose(FORM, mrz(nationality="CHN", surname=fr("ZHANG"), given_names=fr("SANFENG")))
    assert fill.proposals["name_pinyin"].value == "ZHANG SANFENG"
    assert "name" not in fill.proposals
    assert [n.code for n in fill.notes if n.field == "name"] == ["name_in_pinyin_only"]


def test_germanys_icao_code_d_becomes_deu() -> None:
    assert values(mrz(nationality="D"))["nationality"] == "DEU"


@pytest.mark.parametrize("kind", ["mrz_td1", "mrz_td2"])
def test_a_td1_or_td2_card_fills_the_person_but_not_the_document_fields(kind: str) -> None:
    fill = propose(FORM, mrz(kind))
    assert {"id_type", "id_number", "id_valid_until"}.isdisjoint(fill.proposals)
    assert {"name", "sex", "birth_date", "nationality"} <= set(fill.proposals)
    assert any(n.code == "not_an_id_document" for n in fill.notes)


@pytest.mark.parametrize(
    ("result", "field", "code"),
    [
        (mrz(sex=fr("X")), "sex", "not_a_choice"),
        (mrz(nationality="XXA"), "nationality", "not_a_choice"),
        (cn_front(ethnicity=fr("火星")), "ethnicity", "not_a_choice"),
        (cn_front(birth_date=fr("1985-02-30")), "birth_date", "not_a_date"),
        (cn_front(name=fr("王" * 41)), "name", "too_long"),
    ],
)
def test_a_value_the_field_cannot_take_is_left_out_with_a_note(result: DocumentResult, field: str, code: str) -> None:
    fill = propose(FORM, result)
    assert field not in fill.proposals
    note = next(n for n in fill.notes if n.field == field)
    assert note.code == code
    assert FORM.field(field).label_text.zh in note.message("zh_CN") and FORM.field(field).label_text.en in note.message(
        "en"
    )


def test_fields_the_reader_did_not_read_yet_are_named_in_one_note() -> None:
    only_number = DocumentResult(
        "cn_id_front", {"id_number": fr("110105198503070016", 0.9, True)}, ("not_read_yet:name", "not_read_yet:sex")
    )
    fill = propose(FORM, only_number)
    assert set(fill.proposals) == {"nationality", "id_type", "id_number"}
    (note,) = fill.notes
    assert note.code == "not_read" and "姓名" in note.message("zh_CN") and "Sex" in note.message("en")


def test_nothing_recognised_proposes_nothing() -> None:
    assert propose(FORM, DocumentResult(None, {}, ("document_not_recognised",))).proposals == {}


def test_a_form_without_the_targets_gets_only_what_it_has() -> None:
    fill = propose(ALL_TYPES, cn_front())
    assert {k: p.value for k, p in fill.proposals.items()} == {
        "id_type": "resident_id",
        "f_id_number": "110105198503070016",
    }


def test_levels_follow_verification_then_confidence() -> None:
    assert level_of(0.3, True) is Level.VERIFIED
    assert level_of(0.8, False) is Level.OK
    assert level_of(0.79, False) is Level.LOW
    assert level_of(0.49, False) is Level.VERY_LOW


@pytest.mark.parametrize(
    ("confidence", "verified", "pre_accepted"),
    [
        (1.0, True, True),
        (0.3, True, True),
        (0.85, False, True),
        (0.8, False, True),
        (0.79, False, False),
        (0.56, False, False),  # issue 12: a passport read at 24-56% came pre-ticked
        (0.24, False, False),
    ],
)
def test_only_values_confirmed_or_read_clearly_are_offered_ticked(
    confidence: float, verified: bool, pre_accepted: bool
) -> None:
    fill = propose(FORM, mrz(document_number=fr("C01X00T47", confidence, verified)))
    assert fill.proposals["id_number"].pre_accepted is pre_accepted


def test_only_the_tellers_own_different_values_are_conflicts() -> None:
    fill = propose(FORM, mrz())
    current = {"nationality": "CHN", "name": "MUSTER ANNA MARIA", "sex": "M", "birth_date": "", "id_type": ""}
    # CHN is the form's default, the name is the same, the birth date is empty: only the sex the teller chose differs
    assert conflicts(FORM, fill, current) == ("sex",)


def test_the_metadata_carries_confidences_and_boxes_but_no_values() -> None:
    result = cn_front()
    fill = propose(FORM, result)
    meta = scan_meta(result, fill, (505, 319), scale=0.5)
    text = json.dumps(meta, ensure_ascii=False)
    for found in result.fields.values():
        assert found.value not in text
    assert meta["fields"]["id_number"] == {  # type: ignore[index]
        "form_fields": ["id_number"],
        "confidence": 0.97,
        "verified": True,
        "box": [150, 280, 450, 300],
    }
    assert clean_meta(meta) == meta  # what the attachment service accepts as it is


def png_bytes(size: tuple[int, int] = (400, 250)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


def test_read_scan_refuses_an_unreadable_file_with_a_message_in_both_languages() -> None:
    with pytest.raises(ScanUnreadable) as info:
        read_scan(b"not an image at all", FORM)
    assert "JPEG" in info.value.message("en") and "图像" in info.value.message("zh_CN")
    with pytest.raises(ScanUnreadable):
        read_scan(b"", FORM)


def test_read_scan_says_so_when_tesseract_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(source: object, today: date | None = None) -> DocumentResult:
        raise OcrEngineMissing("no tesseract")

    monkeypatch.setattr(scan_fill, "recognise", missing)
    with pytest.raises(OcrUnavailable) as info:
        read_scan(png_bytes(), FORM)
    assert "Tesseract" in info.value.message("en") and "手工录入" in info.value.message("zh_CN")


def test_read_scan_keeps_the_straightened_document_image_within_bounds_with_its_boxes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = Image.new("RGB", (4800, 3000), "white")
    result = DocumentResult(
        "cn_id_front",
        {"id_number": fr("110105198503070016", 0.9, True, (1000, 2000, 3000, 2200))},
        document_image=document,
    )
    monkeypatch.setattr(scan_fill, "recognise", lambda source, today=None: result)
    reading = read_scan(png_bytes(), FORM)
    shown = Image.open(io.BytesIO(reading.image_png))
    assert shown.size == (2400, 1500) and reading.meta["image_size"] == [2400, 1500]
    (field,) = reading.fields
    assert field.box == (500, 1000, 1500, 1100) and field.form_fields == ("id_number",)
    assert reading.fill.proposals["id_number"].value == "110105198503070016"


def test_newest_scan_takes_the_latest_image_or_pdf(tmp_path: pathlib.Path) -> None:
    for name, age in (("old.jpg", 300), ("newest.PDF", 10), ("notes.txt", 0), ("mid.png", 100)):
        path = tmp_path / name
        path.write_bytes(b"x")
        os.utime(path, (1_700_000_000 - age, 1_700_000_000 - age))
    (tmp_path / "folder.png").mkdir()
    assert newest_scan(tmp_path).name == "newest.PDF"


def test_newest_scan_explains_a_missing_or_empty_folder(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ScannerFolderProblem, match="does not exist"):
        newest_scan(tmp_path / "nowhere")
    (tmp_path / "readme.txt").write_text("no scans here")
    with pytest.raises(ScannerFolderProblem) as info:
        newest_scan(tmp_path)
    assert "没有扫描件" in info.value.message("zh_CN")
