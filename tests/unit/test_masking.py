"""Masking by rule: what a viewer without the right to a value sees of it. All values are synthetic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.form_schema import FieldSpec, MaskRule, PiiClass, load_default_form
from desktop_app.domain.masking import mask_record, mask_value


@pytest.mark.parametrize(
    ("rule", "value", "masked"),
    [
        (MaskRule.ID_NUMBER, "110101199003071234", "110101********1234"),
        (MaskRule.ID_NUMBER, "11010519491231002X", "110105********002X"),
        (MaskRule.ID_NUMBER, "E12345678", "E12****78"),
        (MaskRule.ID_NUMBER, "USA110012310012", "USA11*******012"),
        (MaskRule.ID_NUMBER, "12", "**"),
        (MaskRule.PHONE, "13812345678", "138****5678"),
        (MaskRule.PHONE, "+85291234567", "+85*****4567"),
        (MaskRule.NAME, "张三丰", "张*丰"),
        (MaskRule.NAME, "张三", "张*"),
        (MaskRule.NAME, "测", "*"),
        (MaskRule.NAME, "欧阳测试", "欧**试"),
        (MaskRule.NAME, "约翰·示例", "约*·*例"),
        (MaskRule.NAME, "ZHANG SANFENG", "ZHANG S******"),
        (MaskRule.NAME, "CE SHI-YI", "CE S**-**"),
        (MaskRule.NAME, "EXAMPLE", "E******"),
        (MaskRule.EMAIL, "abc@example.com", "a***@example.com"),
        (MaskRule.EMAIL, "not-an-address", "n***"),
        (MaskRule.ADDRESS, "示例省演示市测试路1号", "示例省演示市****"),
        (MaskRule.ADDRESS, "示例路", "示****"),
        (MaskRule.FULL, "100k_300k", "****"),
        (MaskRule.NONE, "unchanged", "unchanged"),
    ],
)
def test_mask_value_examples(rule: MaskRule, value: str, masked: str) -> None:
    assert mask_value(rule, value) == masked


@given(st.sampled_from(list(MaskRule)))
def test_an_empty_value_stays_empty(rule: MaskRule) -> None:
    assert mask_value(rule, "") == ""


def _shown(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


letters_and_digits = st.text(st.characters(categories=["Lu", "Ll", "Lo", "Nd"]), min_size=1)


@given(st.sampled_from([r for r in MaskRule if r is not MaskRule.NONE]), letters_and_digits)
def test_a_masked_value_always_hides_some_of_its_letters_and_digits(rule: MaskRule, value: str) -> None:
    assert _shown(mask_value(rule, value)) < _shown(value)


@given(st.lists(letters_and_digits, min_size=1, max_size=4))
def test_a_masked_name_always_hides_something(words: list[str]) -> None:
    value = " ".join(words)
    assert _shown(mask_value(MaskRule.NAME, value)) < _shown(value)


def test_a_one_character_email_local_part_is_hidden_too() -> None:
    assert mask_value(MaskRule.EMAIL, "a@example.com") == "***@example.com"


def test_mask_record_masks_only_what_is_not_visible() -> None:
    schema = load_default_form()
    values = {"name": "测试一", "id_number": "110101199003071234", "mobile": "13812345678", "sex": "M", "extra": "x"}

    def visible(spec: FieldSpec) -> bool:
        return spec.pii in (PiiClass.NONE, PiiClass.NAME)

    shown = mask_record(schema, values, visible)
    assert tuple(shown) == schema.keys
    assert shown["name"] == "测试一" and shown["sex"] == "M"
    assert shown["id_number"] == "110101********1234" and shown["mobile"] == "138****5678"
    assert shown["email"] == ""
