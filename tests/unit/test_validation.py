"""Validation of a normalised record: every field of the shipped form accepts a valid value and reports an
invalid one; cross checks report on the right fields; bad input never raises. All data is synthetic."""

from __future__ import annotations

import pathlib
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain import validation
from desktop_app.domain.form_schema import CrossCheck, FieldRule, FieldType, load_default_form, load_form
from desktop_app.domain.id_numbers import gb11643_check_char
from desktop_app.domain.normaliser import normalise_record
from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem, Severity, has_errors, validate_record

SHIPPED = load_default_form()
ALL_TYPES = load_form(pathlib.Path(__file__).parent / "fixtures" / "all_types_form.yaml")
TODAY = date(2025, 6, 1)


def resident_id(region: str, birth: str, sequence: str) -> str:
    first17 = region + birth + sequence
    return first17 + gb11643_check_char(first17)


BASE: dict[str, str] = {
    "name": "测试一",
    "name_pinyin": "CE SHIYI",
    "sex": "M",
    "ethnicity": "01",
    "birth_date": "1990-03-07",
    "nationality": "CHN",
    "id_type": "resident_id",
    "id_number": resident_id("110105", "19900307", "123"),
    "issuing_authority": "演示市公安局示例分局",
    "id_valid_from": "2016-05-01",
    "id_valid_until": "2036-05-01",
    "address": "示例省演示市测试路1号",
    "postal_code": "100000",
    "mobile": "13800001234",
    "email": "test1@example.com",
    "occupation": "professional",
    "employer": "示例科技有限公司",
    "annual_income_band": "100k_300k",
    "tax_residency": "cn_only",
    "tax_jurisdictions": "",
    "foreign_tin": "",
    "notes": "",
}

FOREIGNER: dict[str, str] = {
    "name": "约翰·示例",
    "name_pinyin": "EXAMPLE JOHN",
    "nationality": "USA",
    "id_type": "passport",
    "id_number": "X1234567",
    "ethnicity": "",
    "id_valid_until": "2030-05-01",
}

CRS_OTHER: dict[str, str] = {"tax_residency": "cn_and_other", "tax_jurisdictions": "US, SGP", "foreign_tin": "TEST-123"}


def check(overrides: dict[str, str], today: date = TODAY) -> list[Problem]:
    return validate_record(SHIPPED, normalise_record(SHIPPED, BASE | overrides), today)


def test_the_base_record_is_valid() -> None:
    assert check({}) == []
    assert check(FOREIGNER) == []
    assert check(CRS_OTHER) == []


# For each field of the shipped form: values (with any other fields they need) that are valid, and values that
# are invalid with the problem code expected on that field.
CASES: dict[str, tuple[list[dict[str, str]], list[tuple[dict[str, str], str]]]] = {
    "name": (
        [{"name": "阿依古丽·测试"}, {"name": "TEST EXAMPLE"}],
        [({"name": "测试1"}, "format"), ({"name": "测" * 41}, "too_long"), ({"name": ""}, "required")],
    ),
    "name_pinyin": (
        [{"name_pinyin": "ce shi-yi"}, {"name_pinyin": "Lǚ Cèshì"}],
        [
            ({"name_pinyin": "CE SHI1"}, "format"),
            ({"name_pinyin": "O'EXAMPLE"}, "format"),
            ({"name_pinyin": ""}, "required"),
        ],
    ),
    "sex": (
        [{"sex": "男"}, FOREIGNER | {"sex": "F"}],
        [({"sex": "X"}, "choice"), ({"sex": "F"}, "mismatch_id_number"), ({"sex": ""}, "required")],
    ),
    "ethnicity": (
        [{"ethnicity": "56"}, {"ethnicity": "蒙古族"}, FOREIGNER],
        [({"ethnicity": "57"}, "choice"), ({"ethnicity": ""}, "required")],
    ),
    "birth_date": (
        [
            {"birth_date": "1985-12-31", "id_number": resident_id("110105", "19851231", "121")},
            FOREIGNER | {"birth_date": "1900-01-01"},
        ],
        [
            ({"birth_date": "1990-02-30"}, "invalid_date"),
            ({"birth_date": "someday"}, "format"),
            ({"birth_date": "1990-03-08"}, "mismatch_id_number"),
            (FOREIGNER | {"birth_date": "2025-06-02"}, "future_date"),
            (FOREIGNER | {"birth_date": "1899-12-31"}, "before_1900"),
        ],
    ),
    "nationality": (
        [{"nationality": "中国"}, FOREIGNER | {"nationality": "DEU"}],
        [
            ({"nationality": "ZZZ"}, "choice"),
            ({"nationality": "USA"}, "resident_id_requires_chn"),
            ({"nationality": ""}, "required"),
        ],
    ),
    "id_type": (
        [FOREIGNER, FOREIGNER | {"id_type": "foreign_permanent_resident", "id_number": "USA110012310012"}],
        [({"id_type": "driving_licence"}, "choice"), ({"id_type": ""}, "required")],
    ),
    "id_number": (
        [
            {"id_number": BASE["id_number"].lower()},
            FOREIGNER | {"id_type": "hk_macau_permit", "id_number": "H12345678"},
            FOREIGNER | {"id_type": "taiwan_permit", "id_number": "12345678"},
            {"id_type": "passport", "id_number": "E12345678"},
        ],
        [
            ({"id_number": BASE["id_number"][:17] + ("0" if BASE["id_number"][17] != "0" else "1")}, "checksum"),
            ({"id_number": BASE["id_number"][:17]}, "length"),
            ({"id_number": resident_id("990000", "19900307", "123")}, "region"),
            ({"id_number": resident_id("110105", "19900308", "123")}, "mismatch_birth_date"),
            ({"id_number": resident_id("110105", "19900307", "124")}, "mismatch_sex"),
            ({"id_type": "passport", "id_number": "X1234567"}, "format"),
            ({"id_number": "1101#0519"}, "format"),
            ({"id_number": ""}, "required"),
        ],
    ),
    "issuing_authority": (
        [{"issuing_authority": "示例市公安局"}],
        [({"issuing_authority": ""}, "required"), ({"issuing_authority": "示" * 61}, "too_long")],
    ),
    "id_valid_from": (
        [{"id_valid_from": "2016/5/1"}],
        [
            ({"id_valid_from": "2025-06-02", "id_valid_until": "2045-06-02"}, "future_date"),
            ({"id_valid_from": ""}, "required"),
        ],
    ),
    "id_valid_until": (
        [
            {"id_valid_until": "长期"},
            {"id_valid_until": "long term"},
            {"id_valid_from": "2015-06-01", "id_valid_until": "2025-06-01"},
        ],
        [
            ({"id_valid_from": "2005-05-31", "id_valid_until": "2025-05-31"}, "expired"),
            ({"id_valid_until": "2016-05-01"}, "before_valid_from"),
            ({"id_valid_until": "2036-05-02"}, "validity_period"),
            ({"id_valid_until": "forever"}, "format"),
            ({"id_valid_until": ""}, "required"),
        ],
    ),
    "address": (
        [{"address": "示例省 演示市测试路 99 号"}],
        [({"address": "示" * 201}, "too_long"), ({"address": ""}, "required")],
    ),
    "postal_code": (
        [{"postal_code": "100 000"}, {"postal_code": ""}],
        [({"postal_code": "1000"}, "format"), ({"postal_code": "SW1A1AA"}, "format")],
    ),
    "mobile": (
        [{"mobile": "+86 138 0000 1234"}, {"mobile": "+852 9123 4567"}],
        [
            ({"mobile": "12345678901"}, "invalid_mobile"),
            ({"mobile": "010 1234 5678"}, "not_mobile"),
            ({"mobile": "91234567"}, "format"),
            ({"mobile": "+852 123"}, "invalid_phone"),
            ({"mobile": "138-ABC"}, "format"),
            ({"mobile": ""}, "required"),
        ],
    ),
    "email": (
        [{"email": "Test.One+kyc@Example.COM"}, {"email": ""}],
        [({"email": "test1@"}, "format"), ({"email": "test one@example.com"}, "format"), ({"email": "a@b"}, "format")],
    ),
    "occupation": ([{"occupation": "student"}, {"occupation": "军人"}], [({"occupation": "astronaut"}, "choice")]),
    "employer": ([{"employer": "演示贸易有限公司"}, {"employer": ""}], [({"employer": "示" * 101}, "too_long")]),
    "annual_income_band": ([{"annual_income_band": "gt_1m"}], [({"annual_income_band": "lots"}, "choice")]),
    "risk_level": ([{"risk_level": "high"}, {"risk_level": ""}], [({"risk_level": "extreme"}, "choice")]),
    "tax_residency": (
        [CRS_OTHER, {"tax_residency": "仅为中国税收居民"}],
        [({"tax_residency": ""}, "required"), ({"tax_residency": "moon"}, "choice")],
    ),
    "tax_jurisdictions": (
        [CRS_OTHER | {"tax_jurisdictions": "usa，sg"}, {"tax_jurisdictions": "CN"}],
        [
            (CRS_OTHER | {"tax_jurisdictions": "US, ZZ"}, "unknown_jurisdiction"),
            ({"tax_jurisdictions": "US"}, "foreign_with_cn_only"),
            (CRS_OTHER | {"tax_jurisdictions": ""}, "required"),
            (CRS_OTHER | {"tax_jurisdictions": "CHN"}, "no_foreign_jurisdiction"),
            (CRS_OTHER | {"tax_residency": "other_only", "tax_jurisdictions": "US, CN"}, "cn_with_other_only"),
        ],
    ),
    "foreign_tin": (
        [CRS_OTHER | {"foreign_tin": "原因A：该国家（地区）不发放纳税人识别号"}],
        [(CRS_OTHER | {"foreign_tin": ""}, "required"), ({"foreign_tin": "TEST-123"}, "tin_with_cn_only")],
    ),
    "notes": ([{"notes": "演示备注"}], [({"notes": "示" * 501}, "too_long")]),
    "form_number": (
        [{"form_number": "KYC-2026-000123"}, {"form_number": ""}],  # a form without a printed number: typed, or none
        [({"form_number": "K" * 33}, "too_long")],
    ),
}


@pytest.mark.parametrize("key", SHIPPED.keys)
def test_every_field_accepts_its_valid_cases(key: str) -> None:
    valid, _ = CASES[key]  # a new field without cases fails here
    assert valid
    for overrides in valid:
        problems = check(overrides)
        assert problems == [], (overrides, problems)


@pytest.mark.parametrize("key", SHIPPED.keys)
def test_every_field_reports_its_invalid_cases(key: str) -> None:
    _, invalid = CASES[key]
    assert invalid
    for overrides, code in invalid:
        problems = check(overrides)
        assert any(p.field == key and p.code == code for p in problems), (overrides, code, problems)
        found = next(p for p in problems if p.field == key and p.code == code)
        assert found.message_text.zh and found.message_text.en and found.message_text.en != found.message_text.zh


def test_a_resident_id_disagreeing_with_the_birth_date_is_reported_on_both_fields() -> None:
    problems = check({"birth_date": "1990-03-08"})
    assert {(p.field, p.code) for p in problems} == {
        ("birth_date", "mismatch_id_number"),
        ("id_number", "mismatch_birth_date"),
    }
    assert has_errors(problems)


def test_a_resident_id_disagreeing_with_the_sex_is_reported_on_both_fields() -> None:
    problems = check({"sex": "F"})
    assert {(p.field, p.code) for p in problems} == {("sex", "mismatch_id_number"), ("id_number", "mismatch_sex")}


def test_an_odd_validity_period_is_only_a_warning() -> None:
    problems = check({"id_valid_until": "2031-05-01"})
    assert [(p.field, p.code, p.severity) for p in problems] == [
        ("id_valid_until", "validity_period", Severity.WARNING)
    ]
    assert not has_errors(problems)


@pytest.mark.parametrize("years", [5, 10, 20])
def test_a_resident_id_valid_for_5_10_or_20_years_is_fine(years: int) -> None:
    assert check({"id_valid_from": f"{2026 - years}-05-01", "id_valid_until": "2026-05-01"}) == []


def test_a_period_from_29_february_may_end_on_28_february_or_1_march() -> None:
    assert check({"id_valid_from": "2016-02-29", "id_valid_until": "2026-02-28"}) == []
    assert check({"id_valid_from": "2016-02-29", "id_valid_until": "2026-03-01"}) == []


def test_an_id_expiring_today_is_still_valid_and_expired_yesterday_is_an_error() -> None:
    assert check({"id_valid_from": "2015-06-01", "id_valid_until": "2025-06-01"}) == []
    problems = check({"id_valid_from": "2015-05-31", "id_valid_until": "2025-05-31"})
    assert [(p.code, p.severity) for p in problems] == [("expired", Severity.ERROR)]
    assert "valid document" in problems[0].message_text.en


def test_problems_come_in_form_field_order() -> None:
    problems = check({"notes": "示" * 501, "name": "", "mobile": "123", "sex": "F"})
    order = [SHIPPED.keys.index(p.field) for p in problems]
    assert order == sorted(order)
    assert problems[0].field == "name"


def test_problem_message_picks_the_language() -> None:
    problem = Problem("name", "required", Text(zh="请填写。", en="Fill it in."))
    assert problem.message("zh_CN") == "请填写。" and problem.message("en") == "Fill it in."
    assert problem.severity is Severity.ERROR


def test_has_errors_ignores_warnings() -> None:
    warning = Problem("x", "w", Text(zh="警告", en="warning"), Severity.WARNING)
    assert not has_errors([warning]) and not has_errors([])
    assert has_errors([warning, Problem("x", "e", Text(zh="错误", en="error"))])


def test_every_named_rule_is_implemented() -> None:
    assert set(validation._FIELD_RULES) == set(FieldRule)
    assert set(validation._CROSS_CHECKS) == set(CrossCheck)
    assert set(validation._FORMAT_CHECKS) == set(FieldType)


# --- the all-types form ---------------------------------------------------------------------------------------

ALL_TYPES_CASES: dict[FieldType, tuple[str, str, str]] = {
    # type: (raw valid value, raw invalid value, expected code)
    FieldType.TEXT: ("测试 一", "测试1", "format"),
    FieldType.TEXTAREA: ("示例 备注", "示" * 51, "too_long"),
    FieldType.DATE: ("2024年1月5日", "2024-13-01", "invalid_date"),
    FieldType.DATE_OR_LONG_TERM: ("长期", "2020-01-01", "expired"),
    FieldType.CHOICE: ("绿色", "blue", "choice"),
    FieldType.ID_NUMBER: ("E12345678", "E123", "format"),
    FieldType.PHONE: ("138 0000 1234", "+1 555", "invalid_phone"),
    FieldType.EMAIL: ("a@example.org", "a@@example.org", "format"),
    FieldType.POSTAL_CODE: ("１００ ０００", "10000", "format"),
    FieldType.MONEY: ("1,234.5", "1.005", "format"),
    FieldType.PINYIN: ("ce shi", "CE_SHI", "format"),
}


@pytest.mark.parametrize("field_type", list(FieldType))
def test_each_type_of_the_all_types_form_normalises_and_validates(field_type: FieldType) -> None:
    spec = next(s for s in ALL_TYPES.fields if s.type is field_type)
    valid, invalid, code = ALL_TYPES_CASES[field_type]
    base = {"f_text": "测试", "id_type": "passport"}
    good = normalise_record(ALL_TYPES, base | {spec.key: valid})
    assert validate_record(ALL_TYPES, good, TODAY) == []
    bad = normalise_record(ALL_TYPES, base | {spec.key: invalid})
    assert [(p.field, p.code) for p in validate_record(ALL_TYPES, bad, TODAY)] == [(spec.key, code)]


def test_the_all_types_form_reports_its_required_field() -> None:
    problems = validate_record(ALL_TYPES, normalise_record(ALL_TYPES, {}), TODAY)
    assert [(p.field, p.code) for p in problems] == [("f_text", "required")]


junk = st.one_of(
    st.none(), st.integers(), st.text(), st.sampled_from(["长期", "resident_id", "CHN", "M", "2024-02-30"])
)


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from((*SHIPPED.keys, "unknown")), junk))
def test_validation_never_raises_on_bad_input(values: dict[str, Any]) -> None:
    problems = validate_record(SHIPPED, values, TODAY)
    assert all(isinstance(p, Problem) for p in problems)


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from(SHIPPED.keys), st.text()))
def test_validation_never_raises_on_normalised_input(values: dict[str, str]) -> None:
    validate_record(SHIPPED, normalise_record(SHIPPED, BASE | values), TODAY)
