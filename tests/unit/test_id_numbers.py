"""ID document number rules: GB 11643 checksum, region, birth date and sex; passport and permit formats."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.id_numbers import (
    IdNumberError,
    IdType,
    gb11643_check_char,
    has_gb11643_checksum,
    id_number_problems,
    parse_resident_id,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def reference_check_char(first17: str) -> str:
    """The check character exactly as GB 11643-1999 states it, as an independent oracle."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def resident_id(region: str, birth: str, sequence: str) -> str:
    """A synthetic resident ID number with a correct check character."""
    first17 = region + birth + sequence
    return first17 + gb11643_check_char(first17)


seventeen_digits = st.text(alphabet="0123456789", min_size=17, max_size=17)


def test_the_standards_published_example_is_valid() -> None:
    info = parse_resident_id("11010519491231002X")
    assert info.region_code == "110105" and info.birth_date == date(1949, 12, 31) and info.sex == "F"
    assert info.region_name == "北京市朝阳区"
    assert gb11643_check_char("11010519491231002") == "X"


def test_a_region_code_retired_before_or_assigned_after_the_birth_year_still_counts() -> None:
    # 440524 (潮阳县) existed 1983-1993; the card keeps the code it was issued with whatever the birth year.
    info = parse_resident_id("440524188001010014")
    assert (info.region_code, info.birth_date, info.sex) == ("440524", date(1880, 1, 1), "M")
    assert parse_resident_id(resident_id("110103", "20150101", "002")).region_code == "110103"  # 崇文区, to 2010


@given(seventeen_digits)
def test_the_check_char_matches_the_standards_formula(first17: str) -> None:
    assert gb11643_check_char(first17) == reference_check_char(first17)


@given(seventeen_digits)
def test_any_17_digits_with_their_check_char_pass_the_checksum(first17: str) -> None:
    assert has_gb11643_checksum(first17 + gb11643_check_char(first17))


@given(seventeen_digits, st.integers(0, 16), st.integers(1, 9))
def test_changing_any_single_digit_breaks_the_checksum(first17: str, position: int, delta: int) -> None:
    number = first17 + gb11643_check_char(first17)
    changed = str((int(number[position]) + delta) % 10)
    assert not has_gb11643_checksum(number[:position] + changed + number[position + 1 :])


@given(seventeen_digits, st.sampled_from("0123456789X"))
def test_a_wrong_check_char_breaks_the_checksum(first17: str, check: str) -> None:
    assert has_gb11643_checksum(first17 + check) == (check == gb11643_check_char(first17))


def test_check_char_needs_17_digits() -> None:
    with pytest.raises(ValueError, match="17 digits"):
        gb11643_check_char("1234")
    with pytest.raises(ValueError, match="17 digits"):
        gb11643_check_char("1101051949123100X")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002", "length"),
        ("110105491231002", "length"),  # first-generation 15-digit number
        ("1101051949123100XX", "format"),
        ("11010519491231002Y", "format"),
        ("110105194912310021", "checksum"),
        (resident_id("110105", "19490230", "002"), "invalid_birth_date"),
        (resident_id("990000", "19900101", "002"), "region"),
        (resident_id("119999", "19900101", "002"), "region"),
    ],
)
def test_a_bad_resident_id_names_its_problem(number: str, code: str) -> None:
    with pytest.raises(IdNumberError) as info:
        parse_resident_id(number)
    assert info.value.code == code
    assert info.value.message_text.zh and info.value.message_text.en


def test_sex_comes_from_the_17th_digit() -> None:
    assert parse_resident_id(resident_id("310101", "19900307", "123")).sex == "M"
    assert parse_resident_id(resident_id("310101", "19900307", "124")).sex == "F"


def test_a_lower_case_x_is_read_as_x() -> None:
    assert parse_resident_id("11010519491231002x").birth_date == date(1949, 12, 31)


VALID: list[tuple[IdType, str, str | None]] = [
    (IdType.RESIDENT_ID, "11010519491231002X", None),
    (IdType.PASSPORT, "E12345678", "CHN"),
    (IdType.PASSPORT, "EA1234567", "CHN"),
    (IdType.PASSPORT, "G12345678", "CHN"),
    (IdType.PASSPORT, "X1234567", "USA"),
    (IdType.PASSPORT, "AB123", "GBR"),
    (IdType.PASSPORT, "E12345678", "USA"),
    (IdType.PASSPORT, "X1234567", None),
    (IdType.HK_MACAU_PERMIT, "H12345678", None),
    (IdType.HK_MACAU_PERMIT, "M1234567890", None),
    (IdType.TAIWAN_PERMIT, "12345678", None),
    (IdType.TAIWAN_PERMIT, "1234567890", None),
    (IdType.FOREIGN_PERMANENT_RESIDENT, "USA110012310012", None),
    (IdType.FOREIGN_PERMANENT_RESIDENT, "91184019850101001" + gb11643_check_char("91184019850101001"), None),
]

INVALID: list[tuple[IdType, str, str | None, str]] = [
    (IdType.RESIDENT_ID, "110105194912310021", None, "checksum"),
    (IdType.PASSPORT, "X1234567", "CHN", "format"),
    (IdType.PASSPORT, "E1234567", "CHN", "format"),
    (IdType.PASSPORT, "AB12", "USA", "format"),
    (IdType.PASSPORT, "A" * 18, "USA", "format"),
    (IdType.HK_MACAU_PERMIT, "H1234567", None, "format"),
    (IdType.HK_MACAU_PERMIT, "K12345678", None, "format"),
    (IdType.TAIWAN_PERMIT, "123456789", None, "format"),
    (IdType.TAIWAN_PERMIT, "T1234567", None, "format"),
    (IdType.FOREIGN_PERMANENT_RESIDENT, "US1100123100123", None, "format"),
    (IdType.FOREIGN_PERMANENT_RESIDENT, "81184019850101001" + gb11643_check_char("81184019850101001"), None, "format"),
    (
        IdType.FOREIGN_PERMANENT_RESIDENT,
        "91184019850101001" + ("0" if gb11643_check_char("91184019850101001") != "0" else "1"),
        None,
        "checksum",
    ),
]


@pytest.mark.parametrize(("id_type", "number", "nationality"), VALID)
def test_valid_numbers_have_no_problems(id_type: IdType, number: str, nationality: str | None) -> None:
    assert id_number_problems(id_type, number, nationality=nationality) == []


@pytest.mark.parametrize(("id_type", "number", "nationality", "code"), INVALID)
def test_invalid_numbers_name_their_problem(id_type: IdType, number: str, nationality: str | None, code: str) -> None:
    problems = id_number_problems(id_type, number, nationality=nationality)
    assert [p[0] for p in problems] == [code]
    assert all(p[1].en and p[1].zh for p in problems)


def test_every_id_type_has_a_valid_and_an_invalid_case() -> None:
    assert {case[0] for case in VALID} == set(IdType) == {case[0] for case in INVALID}
