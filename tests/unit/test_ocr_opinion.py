"""The scan as a third opinion (domain/ocr_opinion.py): which readings count, what disagrees, and that a warning
carries a field name only, never the reading or the agreed value."""

from __future__ import annotations

import pytest

from desktop_app.domain.form_schema import FormSchema, load_default_form
from desktop_app.domain.ocr_opinion import (
    DOCUMENT_FIELDS,
    OPINION_CONFIDENCE,
    Reading,
    ScanDisagreement,
    disagreements,
    merge,
)

AGREED = {
    "name": "王伟",
    "id_number": "11010519491231002X",
    "birth_date": "1949-12-31",
    "sex": "F",
    "address": "北京市朝阳区建国路88号",
    "id_valid_until": "长期",
    "mobile": "13800000000",
}


@pytest.fixture(scope="module")
def schema() -> FormSchema:
    return load_default_form()


def sure(value: str) -> Reading:
    return Reading(value, OPINION_CONFIDENCE)


@pytest.mark.parametrize(
    ("field", "read", "differs"),
    [
        ("name", "王玮", True),  # a homophone keyed for the printed character: the slip to catch
        ("name", "王 伟", False),  # spacing is no difference
        ("id_number", "110105194912310021", True),
        ("id_number", "11010519491231002x", False),  # case of the check character
        ("birth_date", "1949-12-13", True),
        ("birth_date", "1949/12/31", False),  # written otherwise, the same date
        ("sex", "M", True),
        ("address", "北京市朝阳区建国路86号", True),
        ("id_valid_until", "2030-01-01", True),
        ("id_valid_until", "长期", False),
        ("id_valid_from", "2010-01-01", True),  # the clerks left empty a date the document prints
    ],
)
def test_a_confident_reading_that_differs_after_normalising_is_a_warning(
    schema: FormSchema, field: str, read: str, differs: bool
) -> None:
    found = disagreements(schema, AGREED, {field: sure(read)})
    assert found == ((ScanDisagreement(field),) if differs else ())


def test_a_doubtful_reading_is_no_opinion_but_a_verified_one_is_whatever_its_confidence(schema: FormSchema) -> None:
    doubtful = {"name": Reading("王玮", OPINION_CONFIDENCE - 0.01)}
    assert disagreements(schema, AGREED, doubtful) == ()
    verified = {"id_number": Reading("110105194912310021", 0.3, verified=True)}
    assert [d.field for d in disagreements(schema, AGREED, verified)] == ["id_number"]


def test_fields_off_the_document_and_empty_readings_give_no_warning(schema: FormSchema) -> None:
    readings = {"mobile": sure("13900000000"), "id_type": sure("passport"), "name": sure("")}
    assert "mobile" not in DOCUMENT_FIELDS and "id_type" not in DOCUMENT_FIELDS
    assert disagreements(schema, AGREED, readings) == ()


def test_warnings_carry_no_values_and_several_scans_merge_in_form_order(schema: FormSchema) -> None:
    front = disagreements(schema, AGREED, {"sex": sure("M"), "name": sure("王玮")})
    back = disagreements(schema, AGREED, {"id_valid_until": sure("2030-01-01"), "name": sure("王玮")})
    merged = merge([front, back])
    assert [d.field for d in merged] == ["name", "sex", "id_valid_until"]
    text = repr(merged)
    assert not any(v in text for v in ("王玮", "王伟", "2030", "M'", "F'"))
    assert merged[0].message.en == "the scan reads differently" and merged[0].message.zh
