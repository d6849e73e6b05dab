"""The synthetic customer generator: deterministic, obviously fake, and valid where it must be valid."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from desktop_app.domain import synthetic
from desktop_app.domain.synthetic import (
    CUSTOMER_FIELDS,
    ID_TYPES,
    INCOME_BANDS,
    LONG_TERM,
    OCCUPATION_CODES,
    add_years,
    age_on,
    generate_customer,
    generate_customers,
    resident_id_number,
    resident_id_term,
)

TODAY = date(2025, 6, 1)
LEAP_DAY = date(2024, 2, 29)
# GB 11643-1999, written out here so the test does not trust the code under test (or stdnum) for the rule.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MARKERS = ("测试", "示例", "演示", "样例")
FOREIGN = {"USA", "GBR", "DEU", "JPN", "KOR", "SGP", "FRA", "CAN", "AUS"}


def gb11643(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def customers(n: int, seed: int = 11, today: date = TODAY) -> list[dict[str, str]]:
    return list(generate_customers(n, seed=seed, today=today))


@pytest.fixture(scope="module")
def batch() -> list[dict[str, str]]:
    return customers(20_000)


def test_a_seed_gives_the_same_customers_and_another_seed_others() -> None:
    assert customers(500, seed=3) == customers(500, seed=3)
    assert customers(500, seed=3) != customers(500, seed=4)
    assert generate_customer(random.Random(9), TODAY) == generate_customer(random.Random(9), TODAY)


def test_every_field_of_the_contract_is_present_and_text(batch: list[dict[str, str]]) -> None:
    for customer in [*batch[:2000], generate_customer(random.Random(1), TODAY)]:
        assert tuple(customer) == CUSTOMER_FIELDS
        assert all(isinstance(value, str) for value in customer.values())


def test_zero_customers_is_an_empty_run() -> None:
    assert customers(0) == []


def test_resident_ids_pass_stdnum_and_agree_with_birth_date_and_sex(batch: list[dict[str, str]]) -> None:
    residents = [c for c in batch if c["id_type"] == "resident_id"]
    assert residents
    for c in residents:
        number = c["id_number"]
        assert ric.validate(number) == number
        assert number[17] == gb11643(number[:17])
        assert ric.get_birth_date(number).isoformat() == c["birth_date"]
        assert c["sex"] == ("M" if int(number[16]) % 2 else "F")
        assert c["nationality"] == "CHN"


@settings(max_examples=300)
@given(birth=st.dates(date(1900, 1, 1), date(2030, 12, 31)), sex=st.sampled_from("MF"), seed=st.integers(0, 2**32))
def test_resident_id_number_encodes_the_birth_date_and_sex(birth: date, sex: str, seed: int) -> None:
    number = resident_id_number(random.Random(seed), birth, sex)
    assert ric.validate(number) == number
    assert number[17] == gb11643(number[:17])
    assert number[6:14] == f"{birth:%Y%m%d}"
    assert int(number[16]) % 2 == (1 if sex == "M" else 0)


@pytest.mark.parametrize("year", [1900, 1935, 1960, 1990, 2010, 2030])
def test_every_region_code_is_accepted_by_stdnum_for_any_birth_year(year: int) -> None:
    for region in synthetic._REGION_CODES:
        body = f"{region}{year}0615123"
        number = body + gb11643(body)
        assert ric.is_valid(number), region


def test_id_numbers_are_unique_over_100000_customers() -> None:
    seen = Counter((c["id_type"], c["id_number"]) for c in generate_customers(100_000, seed=5, today=TODAY))
    assert sum(seen.values()) == 100_000
    assert [key for key, count in seen.items() if count > 1] == []


def test_the_keyed_bijection_hits_every_pair_exactly_once() -> None:
    keys = [random.Random(2).getrandbits(64) for _ in range(6)]
    for high, low in ((1, 7), (20, 25), (13, 1), (31, 64)):
        pairs = {synthetic._scramble(i, high, low, keys) for i in range(high * low)}
        assert pairs == {(a, b) for a in range(high) for b in range(low)}


def test_mobiles_are_valid_mainland_mobile_numbers(batch: list[dict[str, str]]) -> None:
    for c in batch:
        number = phonenumbers.parse(c["mobile"], "CN")
        assert len(c["mobile"]) == 11
        assert phonenumbers.is_valid_number(number), c["mobile"]
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


@pytest.mark.parametrize("today", [TODAY, LEAP_DAY])
def test_ages_and_document_validity_fit_today(today: date) -> None:
    for c in customers(5000, seed=7, today=today):
        birth = date.fromisoformat(c["birth_date"])
        assert 18 <= age_on(birth, today) <= 90
        valid_from = date.fromisoformat(c["id_valid_from"])
        assert birth < valid_from < today
        if c["id_valid_until"] == LONG_TERM:
            assert c["id_type"] == "resident_id"
            assert resident_id_term(age_on(birth, valid_from)) is None
            continue
        valid_until = date.fromisoformat(c["id_valid_until"])
        assert valid_until > today
        if c["id_type"] == "resident_id":
            assert valid_until == add_years(valid_from, resident_id_term(age_on(birth, valid_from)) or 0)


def test_resident_id_terms_follow_the_age_at_issue() -> None:
    assert [resident_id_term(age) for age in (15, 16, 25, 26, 45, 46, 80)] == [5, 10, 10, 20, 20, None, None]


def test_each_document_type_has_its_number_format_and_nationality(batch: list[dict[str, str]]) -> None:
    for c in batch:
        kind, number, nationality = c["id_type"], c["id_number"], c["nationality"]
        assert kind in ID_TYPES
        assert (c["ethnicity"] != "") == (kind == "resident_id")
        if kind == "passport":
            if nationality == "CHN":
                assert re.fullmatch(r"E[0-9]{8}", number)
            else:
                assert nationality in FOREIGN and re.fullmatch(r"[A-DFH-Z][A-Z][0-9]{7}", number)
        elif kind in ("hk_macau_permit", "taiwan_permit"):
            assert nationality == "CHN"
            assert re.fullmatch(r"[HM][0-9]{8}" if kind == "hk_macau_permit" else r"[0-9]{8}", number)
        elif kind == "foreign_permanent_resident":
            assert nationality in FOREIGN
            if number.startswith("9"):
                assert re.fullmatch(r"9[0-9]{16}[0-9X]", number) and number[17] == gb11643(number[:17])
                assert number[6:14] == c["birth_date"].replace("-", "")
                assert c["sex"] == ("M" if int(number[16]) % 2 else "F")
            else:
                assert re.fullmatch(r"[A-Z]{3}[0-9]{12}", number) and number[:3] == nationality


def test_the_mix_is_mostly_resident_ids_with_every_other_document(batch: list[dict[str, str]]) -> None:
    kinds = Counter(c["id_type"] for c in batch)
    assert set(kinds) == set(ID_TYPES)
    assert 0.87 < kinds["resident_id"] / len(batch) < 0.93
    ethnicities = Counter(c["ethnicity"] for c in batch if c["id_type"] == "resident_id")
    assert ethnicities.most_common(1)[0][0] == "01"
    assert all(re.fullmatch(r"0[1-9]|[1-4][0-9]|5[0-6]", code) for code in ethnicities)


def test_names_are_obviously_synthetic_with_pinyin_surname_first(batch: list[dict[str, str]]) -> None:
    for c in batch:
        assert any(marker in c["name"] for marker in MARKERS), c["name"]
        assert re.fullmatch(r"[A-Z]+ [A-Z]+", c["name_pinyin"]), c["name_pinyin"]
        if c["nationality"] == "CHN":
            assert 3 <= len(c["name"]) <= 4 and "·" not in c["name"]
        else:
            assert "·" in c["name"]


def test_contact_details_use_reserved_or_marked_values(batch: list[dict[str, str]]) -> None:
    emails = [c["email"] for c in batch if c["email"]]
    assert 0.55 < len(emails) / len(batch) < 0.65
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+[0-9]+@example\.(com|net|org)", e) for e in emails)
    for c in batch:
        assert any(marker + "省" in c["address"] for marker in MARKERS)
        assert re.fullmatch(r"[1-8][0-9]{5}", c["postal_code"])
        assert c["mobile"][3:5] == "00"


def test_occupation_employer_income_and_tax_fields_are_consistent(batch: list[dict[str, str]]) -> None:
    assert {c["occupation"] for c in batch} == set(OCCUPATION_CODES)
    for c in batch:
        assert c["annual_income_band"] in INCOME_BANDS
        assert (c["employer"] == "") == (c["occupation"] in ("student", "retired", "unemployed"))
        if c["tax_residency"] == "cn_only":
            assert c["tax_jurisdictions"] == c["foreign_tin"] == ""
        else:
            assert c["tax_residency"] == "cn_and_other"
            assert re.fullmatch(r"[A-Z]{2}", c["tax_jurisdictions"]) and c["foreign_tin"]
            if c["tax_jurisdictions"] == "US":
                assert re.fullmatch(r"987-65-432[0-9]", c["foreign_tin"])  # the SSA's advertising block
    share = Counter(c["tax_residency"] for c in batch)["cn_only"] / len(batch)
    assert 0.93 < share < 0.97


def test_asking_for_more_numbers_than_a_kind_has_is_refused() -> None:
    numbers = synthetic._UniqueNumbering(random.Random(1))
    assert [numbers.take("k", 0, 2, 3) is None for _ in range(7)] == [False] * 6 + [True]
    assert numbers.take("k", 1, 2, 3) is not None  # another variant has its own numbers


# --- against the shipped form: the validator and normaliser another module owns -------------------------------


@pytest.mark.parametrize("today", [TODAY, LEAP_DAY, date.today()])
def test_generated_customers_pass_the_shipped_form_without_errors(today: date) -> None:
    from desktop_app.domain.form_schema import FORM_NUMBER, load_default_form
    from desktop_app.domain.normaliser import normalise_record
    from desktop_app.domain.validation import has_errors, validate_record

    schema = load_default_form()
    # the paper form's number is the sheet's, not the customer's: generated customers carry none
    assert set(schema.keys) - {FORM_NUMBER} == set(CUSTOMER_FIELDS)
    failures = []
    for c in generate_customers(2000, seed=21, today=today):
        problems = validate_record(schema, normalise_record(schema, c), today)
        if has_errors(problems):
            failures.append([(p.field, p.code, c[p.field]) for p in problems if p.severity == "error"])
    assert failures == []


def test_generated_customers_are_already_in_normalised_form() -> None:
    from desktop_app.domain.form_schema import FORM_NUMBER, load_default_form
    from desktop_app.domain.normaliser import normalise_record

    schema = load_default_form()
    for c in generate_customers(2000, seed=22, today=TODAY):
        assert normalise_record(schema, c) == dict(c, **{FORM_NUMBER: ""})  # the sheet's number is not generated
