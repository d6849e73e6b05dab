"""The keys of the cross-branch duplicate query (issue 15, "Across branches"): one person written another way gives
the same keys, another person does not, and a key holds no value of the person."""

from __future__ import annotations

import pytest

from desktop_app.domain.branch_match import MatchKind, match_keys, name_letters
from desktop_app.domain.form_schema import load_default_form

FORM = load_default_form()
BASE = {
    "name": "欧阳娜",
    "name_pinyin": "OUYANG NA",
    "birth_date": "1990-03-07",
    "id_type": "resident_id",
    "id_number": "11010519900307002x",
    "mobile": "138 0013 8000",
}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("欧阳娜", "NA OUYANG", True),  # compound surname, given-first order
        ("欧阳娜", "Ou Yang Na", True),  # spacing and case
        ("張偉", "张伟", True),  # traditional form
        ("张伟", "ZHANG WEI", True),  # the Latin form
        ("吕明", "LYU MING", True),  # ü as the passport's YU
        ("买买提·艾力", "买买提艾力", True),  # the middle dot
        ("王伟", "王玮", True),  # a homophone: same letters (the birth date must agree as well)
        ("王伟", "汪伟", True),
        ("王伟", "李伟", False),
        ("ZHANG WEI", "ZHANG WEN", False),
    ],
)
def test_name_letters_of_one_name_written_otherwise(a: str, b: str, same: bool) -> None:
    assert (name_letters(a) == name_letters(b)) is same


def test_keys_follow_the_normaliser_and_differ_for_another_person() -> None:
    keys = match_keys(BASE, FORM)
    assert [k.kind for k in keys] == [MatchKind.ID_DOCUMENT, MatchKind.NAME_AND_BIRTH, MatchKind.MOBILE]
    written_otherwise = dict(BASE, id_number="11010519900307002X", mobile="13800138000", name="NA OUYANG")
    assert match_keys(written_otherwise, FORM) == keys
    other_birth = match_keys(dict(BASE, birth_date="1990-03-08"), FORM)
    assert [k.kind for k in other_birth if k in keys] == [MatchKind.ID_DOCUMENT, MatchKind.MOBILE]
    assert match_keys({}, FORM) == []


def test_a_key_holds_no_value() -> None:
    text = repr([k.to_json() for k in match_keys(BASE, FORM)])
    for value in ("11010519900307002", "19900307", "1990-03-07", "13800138000", "OUYANG", "欧阳娜"):
        assert value.lower() not in text.lower()


def test_the_paper_form_number_is_a_key_of_its_own() -> None:
    """Issue 16: the form number unique centrally; the server can only say so from a key made of it."""
    keys = match_keys(dict(BASE, form_number="KYC-PC1-00001234"), FORM)
    (number,) = [k for k in keys if k.kind is MatchKind.FORM_NUMBER]
    assert [k for k in match_keys(dict(BASE, form_number=" kyc-pc1-00001234 "), FORM) if k.kind is number.kind] == [
        number
    ]
    another_person = {"form_number": "KYC-PC1-00001234", "name": "李四"}  # the same sheet keyed for someone else
    assert number in match_keys(another_person, FORM)
    assert number not in match_keys(dict(BASE, form_number="KYC-PC1-00001235"), FORM)
    assert "00001234" not in repr(number.to_json())
    assert len(match_keys(dict(BASE, form_number="X1"), FORM)) == 4
