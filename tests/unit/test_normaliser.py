"""The one normaliser: canonical forms per field type, idempotence, and full-width input equal to half-width."""

from __future__ import annotations

import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.form_schema import FieldSpec, FieldType, FormSchema, load_default_form, load_form
from desktop_app.domain.normaliser import LONG_TERM, normalise_record, normalise_text, normalise_value

ALL_TYPES = load_form(pathlib.Path(__file__).parent / "fixtures" / "all_types_form.yaml")
SHIPPED = load_default_form()
FIELDS: list[FieldSpec] = [*ALL_TYPES.fields, *SHIPPED.fields]


def by_type(field_type: FieldType) -> FieldSpec:
    return next(spec for spec in ALL_TYPES.fields if spec.type is field_type)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  测试  一 ", "测试 一"),  # Han spacing is for text fields, not every value
        ("ＡＢＣ　１２３", "ABC 123"),
        ("a\t\n b", "a b"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("地址与证件不符（示例）", "地址与证件不符（示例）"),  # Chinese punctuation stays full-width in text
        ("演示数据，非真实客户：测试！", "演示数据，非真实客户：测试！"),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


CASES: dict[FieldType, list[tuple[str, str]]] = {
    FieldType.TEXT: [
        ("测试 一", "测试一"),
        ("阿依古丽 • 测试", "阿依古丽·测试"),
        ("阿依古丽.测试", "阿依古丽·测试"),
        ("示例省演示市测试路 99 号", "示例省演示市测试路 99 号"),
        ("Test  Example", "Test Example"),
    ],
    FieldType.TEXTAREA: [("示例省 演示市\n测试路1号", "示例省演示市测试路1号")],
    FieldType.PINYIN: [
        ("zhang  san-feng", "ZHANG SAN-FENG"),
        ("ce shi - yi", "CE SHI-YI"),
        ("Lǚ Cèshì", "LYU CESHI"),
        ("ｃｅ ｓｈｉ", "CE SHI"),
    ],
    FieldType.DATE: [
        ("2024-1-5", "2024-01-05"),
        ("2024/01/05", "2024-01-05"),
        ("2024.01.05", "2024-01-05"),
        ("20240105", "2024-01-05"),
        ("2024年1月5日", "2024-01-05"),
        ("２０２４年１月５日", "2024-01-05"),
        ("2024 - 01 - 05", "2024-01-05"),
        ("2024-02-30", "2024-02-30"),  # impossible: left for the validator
        (" next tuesday ", "next tuesday"),
    ],
    FieldType.DATE_OR_LONG_TERM: [
        ("长期", LONG_TERM),
        ("long term", LONG_TERM),
        ("LONG-TERM", LONG_TERM),
        ("Long_Term", LONG_TERM),
        ("长期有效", LONG_TERM),
        ("2030/1/1", "2030-01-01"),
    ],
    FieldType.ID_NUMBER: [("110105 1949-1231 002x", "11010519491231002X"), ("ｅ１２３４５６７８", "E12345678")],
    FieldType.PHONE: [
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("86 13812345678", "13812345678"),
        ("＋８６１３８１２３４５６７８", "13812345678"),
        ("+86 10 1234 5678", "01012345678"),
        ("+852 9123 4567", "+85291234567"),
        ("（+852）9123 4567", "+85291234567"),
        ("00852-9123-4567", "+85291234567"),
        ("(0852) 9123 4567", "085291234567"),  # no + : left for the validator to ask for one
    ],
    FieldType.EMAIL: [
        (" Test.One@Example.COM ", "Test.One@example.com"),
        ("ｔｅｓｔ＠ｅｘａｍｐｌｅ．ｃｏｍ", "test@example.com"),
    ],
    FieldType.POSTAL_CODE: [("100 000", "100000"), ("１０００００", "100000"), ("10-0000", "100000")],
    FieldType.MONEY: [
        ("1,234.5", "1234.50"),
        ("１，２３４．５", "1234.50"),
        ("1234", "1234.00"),
        ("¥ 1,000", "1000.00"),
        ("88元", "88.00"),
        (".5", "0.50"),
        ("1.500", "1.50"),
        ("9" * 40, "9" * 40 + ".00"),  # beyond the default 28-digit decimal precision
        ("1.005", "1.005"),  # three decimals: not rounded behind the clerk's back
        ("12,34", "12,34"),  # not a thousands grouping
        ("-5", "-5"),
    ],
    FieldType.CHOICE: [("R", "R"), ("r", "R"), ("红色", "R"), ("green", "G"), (" GREEN ", "G"), ("blue", "blue")],
}


def test_every_field_type_has_normaliser_cases() -> None:
    assert set(CASES) == set(FieldType)


@pytest.mark.parametrize(("field_type", "raw", "expected"), [(t, r, e) for t, cases in CASES.items() for r, e in cases])
def test_normalise_value_by_type(field_type: FieldType, raw: str, expected: str) -> None:
    spec = by_type(field_type)
    assert normalise_value(spec, raw) == expected
    assert normalise_value(spec, expected) == expected


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("nationality", "china", "CHN"),
        ("nationality", "中国", "CHN"),
        ("nationality", "chn", "CHN"),
        ("nationality", "Germany", "DEU"),
        ("sex", "男", "M"),
        ("sex", "female", "F"),
        ("ethnicity", "汉族", "01"),
        ("id_type", "护照", "passport"),
        ("tax_residency", "既是中国税收居民又是其他国家(地区)税收居民", "cn_and_other"),
    ],
)
def test_choices_accept_labels_in_either_language(key: str, raw: str, expected: str) -> None:
    assert normalise_value(SHIPPED.field(key), raw) == expected


def test_normalise_record_keeps_every_schema_key_and_drops_others() -> None:
    record = normalise_record(SHIPPED, {"name": " 测试 一 ", "shoe_size": "42"})
    assert tuple(record) == SHIPPED.keys
    assert record["name"] == "测试一"
    assert record["email"] == "" and "shoe_size" not in record


FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"}


def to_full_width(text: str) -> str:
    return "".join(FULL_WIDTH.get(ch, ch) for ch in text)


@given(st.text())
def test_normalise_text_is_idempotent(raw: str) -> None:
    once = normalise_text(raw)
    assert normalise_text(once) == once


@settings(max_examples=300)
@given(st.sampled_from(FIELDS), st.text())
def test_normalise_value_is_idempotent(spec: FieldSpec, raw: str) -> None:
    once = normalise_value(spec, raw)
    assert normalise_value(spec, once) == once


plausible = st.one_of(
    st.text(alphabet="0123456789 -/.年月日+", max_size=20),
    st.text(alphabet="abcxyzABCXYZ0123456789 @.,-_'¥元", max_size=20),
    st.sampled_from(["张 三", "阿依古丽·测试", "2024年1月5日", "+852 9123 4567", "1,234.5", "long term", "汉族"]),
)


@settings(max_examples=300)
@given(st.sampled_from(FIELDS), plausible)
def test_normalise_value_is_idempotent_on_plausible_input(spec: FieldSpec, raw: str) -> None:
    once = normalise_value(spec, raw)
    assert normalise_value(spec, once) == once


LETTERS_DIGITS_SPACE = "".join(ch for ch in FULL_WIDTH if ch.isalnum() or ch == " ")
FREE_TEXT = (FieldType.TEXT, FieldType.TEXTAREA)


@settings(max_examples=300)
@given(st.sampled_from(FIELDS), st.text(alphabet=LETTERS_DIGITS_SPACE, max_size=20))
def test_full_width_letters_and_digits_normalise_like_half_width(spec: FieldSpec, raw: str) -> None:
    assert normalise_value(spec, to_full_width(raw)) == normalise_value(spec, raw)


@settings(max_examples=300)
@given(
    st.sampled_from([f for f in FIELDS if f.type not in FREE_TEXT]), st.text(alphabet="".join(FULL_WIDTH), max_size=20)
)
def test_outside_free_text_all_full_width_characters_normalise_like_half_width(spec: FieldSpec, raw: str) -> None:
    assert normalise_value(spec, to_full_width(raw)) == normalise_value(spec, raw)


def test_schema_has_no_type_the_normaliser_misses() -> None:
    schema: FormSchema = ALL_TYPES
    for spec in schema.fields:
        normalise_value(spec, "x")  # a missing type would raise KeyError
