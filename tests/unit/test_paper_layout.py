"""The paper layout file: the shipped one is valid and places every field the paper carries; a wrong one is
refused with every problem named (a region off the page, a field the form does not have, a page the form lacks,
a code pattern without a serial); the warnings before submit; reading the form's code and a signature box."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from desktop_app.domain.form_schema import FORM_NUMBER, default_form_path, load_default_form
from desktop_app.domain.paper_layout import (
    LayoutError,
    PaperLayout,
    PaperWarning,
    layouts_for,
    match_code,
    paper_problems,
    parse_layout,
)
from desktop_app.ocr.form_barcode import read_form_code
from desktop_app.ocr.page_ink import Ink, is_blank, region_ink
from tests.support.customers import resident
from tests.support.paper_forms import draw_form, qr_image

SCHEMA = load_default_form()


def shipped() -> PaperLayout:
    (layout,) = layouts_for(default_form_path().parent, SCHEMA)
    return layout


def minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form": SCHEMA.key,
        "version": SCHEMA.version,
        "pages": 2,
        "fields": {"name": {"page": 1, "box": [60, 60, 200, 72]}},
    }
    data.update(changes)
    return data


def test_the_shipped_layout_places_every_field_but_the_banks_own_risk_level() -> None:
    layout = shipped()
    assert layout.pages == 2 and layout.code is not None and "customer" in layout.signatures
    assert set(SCHEMA.keys) - set(layout.fields) == {"risk_level"}  # set by the bank, not on the customer's sheet
    assert layout.region(FORM_NUMBER) is not None
    assert match_code([layout], "KYC-PC1-00001234") == (layout, "00001234")
    assert match_code([layout], "KYC-PC9-00001234") is None


def test_a_region_off_the_page_and_an_unknown_field_are_named_together() -> None:
    data = minimal(
        fields={
            "name": {"page": 1, "box": [60, 60, 230, 72]},  # 230 mm: past the A4 page's 210
            "nickname": {"page": 1, "box": [10, 10, 20, 20]},
            "email": {"page": 3, "box": [10, 10, 20, 20]},
        }
    )
    with pytest.raises(LayoutError) as refused:
        parse_layout(data, SCHEMA, "bank.layout.yaml")
    message = str(refused.value)
    assert message.startswith("bank.layout.yaml: the paper layout cannot be used")
    assert "field 'name': the box [60, 60, 230, 72] is off the page (210 × 297 mm)" in message
    assert "field 'nickname': the form personal_customer v1 has no such field" in message
    assert "field 'email': 'page' must be a page of the form, 1 to 2 (got 3)" in message


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"form": "business_customer"}, "names form 'business_customer'"),
        ({"version": 2}, "but the form schema is version 1"),
        ({"pages": 0}, "pages: must be a whole number of pages, at least 1 (got 0)"),
        ({"fields": {"name": {"page": 1, "box": [60, 72, 200, 60]}}}, "is empty"),
        ({"fields": {"name": {"page": 1, "box": [60, 72]}}}, "four numbers"),
        ({"code": {"page": 1, "box": [160, 8, 200, 45], "pattern": "^KYC-(\\d+)$"}}, "no group named 'serial'"),
        ({"code": {"page": 1, "box": [160, 8, 200, 45], "pattern": "(?P<serial>"}}, "not a valid regular expression"),
        ({"signatures": [{"name": "Customer", "page": 2, "box": [1, 1, 5, 5]}]}, "lower-case"),
        ({"colour": "blue"}, "unknown key(s) colour"),
        (
            {"signatures": [{"name": "customer", "label": {"en": "Signature"}, "page": 2, "box": [1, 1, 5, 5]}]},
            "'label' must be {en: words, zh: 中文}, both given",
        ),
    ],
)
def test_each_kind_of_mistake_is_refused_with_what_is_wrong(change: dict[str, Any], says: str) -> None:
    with pytest.raises(LayoutError) as refused:
        parse_layout(minimal(**change), SCHEMA)
    assert says in str(refused.value)
    assert "1 to 0" not in str(refused.value)  # one mistake, one message


def test_a_region_becomes_pixels_by_the_pages_own_size() -> None:
    region = shipped().fields["name"]
    assert region.pixels((2480, 3508)) == (709, 709, 2362, 850)
    assert region.pixels((1240, 1754)) == (354, 354, 1181, 425)


def test_paper_problems_before_submit() -> None:
    layout = shipped()
    assert paper_problems(layout, 0) == []
    assert [p.code for p in paper_problems(layout, 1)] == [PaperWarning.PAGES_MISSING]
    assert [p.code for p in paper_problems(layout, 3)] == [PaperWarning.EXTRA_PAGES]
    (blank,) = paper_problems(layout, 2, ["customer"])
    assert blank.code is PaperWarning.SIGNATURE_BLANK
    # named by the layout's label and page, not by its key (found by the independent check)
    assert blank.message.en.startswith("The signature box “Customer's signature” on page 2 is blank.")
    assert "第 2 页的签名栏“客户签名”为空白" in blank.message.zh
    (dark,) = paper_problems(layout, 2, [], ["customer"])
    assert dark.code is PaperWarning.SIGNATURE_UNCHECKED and "too dark to check" in dark.message.en
    (unknown,) = paper_problems(None, 2)
    assert unknown.code is PaperWarning.UNKNOWN_FORM_VERSION and "type its number" in unknown.message.en


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_the_code_is_read_at_any_quarter_turn_from_its_hinted_corner(turn: int) -> None:
    layout = shipped()
    page = draw_form(layout, resident(1), "00000321")[0].rotate(turn, expand=True)
    hint = layout.code_hint()
    assert hint is not None
    code = read_form_code(page, [hint])
    assert code is not None and code.text == "KYC-PC1-00000321" and code.orientation == (360 - turn) % 360


def test_a_code_anywhere_on_the_page_is_found_without_a_hint() -> None:
    page = Image.new("RGB", (2480, 3508), "white")
    page.paste(qr_image("KYC-PC1-00000055", 400).convert("RGB"), (1000, 2600))
    code = read_form_code(page)
    assert code is not None and code.text == "KYC-PC1-00000055"
    assert 1000 <= code.box[0] < code.box[2] <= 1400 and code.box[1] >= 2600
    assert read_form_code(Image.new("L", (1240, 1754), 255)) is None


def test_a_signed_box_has_ink_and_an_unsigned_one_does_not() -> None:
    layout = shipped()
    region = layout.signatures["customer"]
    signed = draw_form(layout, resident(1), "1", signed=True)[1]
    unsigned = draw_form(layout, resident(1), "1", signed=False)[1]
    assert not is_blank(signed, region.pixels(signed.size))
    assert is_blank(unsigned, region.pixels(unsigned.size))  # the printed border alone is not a signature
    box = region.pixels(signed.size)
    assert region_ink(signed, box) is Ink.WRITTEN and region_ink(unsigned, box) is Ink.BLANK


@pytest.mark.parametrize("shade", [0, 40, 90])
def test_a_black_or_dark_page_is_not_called_an_unsigned_box(shade: int) -> None:
    """An all-black page counted as a blank signature (independent check): too dark is its own answer."""
    layout = shipped()
    region = layout.signatures["customer"]
    dark = Image.new("RGB", (1240, 1754), (shade, shade, shade))
    box = region.pixels(dark.size)
    assert region_ink(dark, box) is Ink.NOT_PAPER and not is_blank(dark, box)
