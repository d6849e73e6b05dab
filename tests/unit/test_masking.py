"""Masking by rule: what a viewer without the right to a value sees of it. All values are synthetic."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.form_schema import FieldSpec, MaskRule, PiiClass, load_default_form
from desktop_app.domain.masking import mask_problems, mask_record, mask_value
from desktop_app.domain.validation import validate_record


@pytest.mark.parametrize(
    ("rule", "value", "masked"),
    [
        (MaskRule.ID_NUMBER, "110101199003071234", "1****************4"),
        (MaskRule.ID_NUMBER, "11010519491231002X", "1****************X"),
        (MaskRule.ID_NUMBER, "E12345678", "E*******8"),
        (MaskRule.ID_NUMBER, "USA110012310012", "U*************2"),
        (MaskRule.ID_NUMBER, "12", "**"),
        (MaskRule.PHONE, "13812345678", "*******5678"),
        (MaskRule.PHONE, "+85291234567", "********4567"),
        (MaskRule.NAME, "张三丰", "张**"),
        (MaskRule.NAME, "张三", "张**"),
        (MaskRule.NAME, "测", "**"),
        (MaskRule.NAME, "欧阳测试", "欧**"),
        (MaskRule.NAME, "约翰·示例", "**·**"),
        (MaskRule.NAME, "ZHANG SANFENG", "ZHANG ****"),
        (MaskRule.NAME, "CE SHI-YI", "CE ****"),
        (MaskRule.NAME, "EXAMPLE", "E****"),
        (MaskRule.NAME, "X", "****"),
        (MaskRule.EMAIL, "abc@example.com", "***@example.com"),
        (MaskRule.EMAIL, "not-an-address", "***"),
        (MaskRule.ADDRESS, "示例省演示市测试路1号", "示例省演示市****"),
        (MaskRule.ADDRESS, "北京市朝阳区示例路1号", "北京市****"),
        (MaskRule.ADDRESS, "新疆维吾尔自治区演示市测试区样例路 1 号", "新疆维吾尔自治区演示市****"),
        (MaskRule.ADDRESS, "示例路", "****"),
        (MaskRule.ADDRESS, "北京市", "****"),
        (MaskRule.FULL, "100k_300k", "****"),
        (MaskRule.FULL, "1990-03-07", "****"),
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


han_given = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=3)
pinyin_given = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=1, max_size=18)


@given(han_given, han_given, pinyin_given, pinyin_given)
def test_issue_14_item_1_a_masked_name_says_nothing_of_the_given_name(
    given_a: str, given_b: str, latin_a: str, latin_b: str
) -> None:
    """Issue 14 item 1: the name masks show the surname and nothing else, not even the given name's length (张*丰
    and ZHANG S****** together named the middle character's syllable)."""
    assert mask_value(MaskRule.NAME, "张" + given_a) == mask_value(MaskRule.NAME, "张" + given_b) == "张**"
    assert mask_value(MaskRule.NAME, f"ZHANG {latin_a}") == mask_value(MaskRule.NAME, f"ZHANG {latin_b}")
    assert mask_value(MaskRule.NAME, f"{given_a}·{given_b}") == mask_value(MaskRule.NAME, f"{given_b}·示例")


@given(st.from_regex(r"[1-9][0-9]{16}[0-9X]", fullmatch=True))
def test_issue_14_item_1_the_id_mask_shows_no_region_county_birth_date_or_sequence(number: str) -> None:
    """Issue 14 item 1: a masked resident ID number keeps its first and last character only: none of the county,
    the birth date (characters 7-14) or the sequence (15-17) that the old mask left to the birth date field."""
    masked = mask_value(MaskRule.ID_NUMBER, number)
    assert masked == number[0] + "*" * 16 + number[-1]


def test_issue_14_item_1_a_problem_on_a_masked_field_quotes_no_value() -> None:
    """Issue 14 item 1: a record's problems, shown to a viewer who sees the ID masked, must not quote the birth
    date the ID number holds ("The ID number gives the date of birth 1990-03-07")."""
    schema = load_default_form()
    values = {"id_type": "resident_id", "id_number": "110101199003071233", "birth_date": "1990-03-08", "sex": "M"}
    problems = validate_record(schema, values, date(2024, 1, 1))
    assert any("1990-03-07" in p.message_text.en for p in problems)
    shown = mask_problems(schema, problems, {"id_number", "birth_date"})
    assert [(p.field, p.code, p.severity) for p in shown] == [(p.field, p.code, p.severity) for p in problems]
    for problem in shown:
        if problem.field in ("id_number", "birth_date"):
            assert "1990" not in problem.message_text.en + problem.message_text.zh


def test_mask_record_masks_only_what_is_not_visible() -> None:
    schema = load_default_form()
    values = {"name": "测试一", "id_number": "110101199003071234", "mobile": "13812345678", "sex": "M", "extra": "x"}

    def visible(spec: FieldSpec) -> bool:
        return spec.pii in (PiiClass.NONE, PiiClass.NAME)

    shown = mask_record(schema, values, visible)
    assert tuple(shown) == schema.keys
    assert shown["name"] == "测试一" and shown["sex"] == "M"
    assert shown["id_number"] == "1****************4" and shown["mobile"] == "*******5678"
    assert shown["email"] == ""
