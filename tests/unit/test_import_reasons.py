"""The import report's reasons: rebuilt from a rule's code and the field's label, never quoting a value."""

from __future__ import annotations

import random
from datetime import date

import pytest

from desktop_app.domain.form_schema import load_default_form
from desktop_app.domain.id_numbers import gb11643_check_char
from desktop_app.domain.import_reasons import has_reason, value_free
from desktop_app.domain.normaliser import normalise_record
from desktop_app.domain.synthetic import generate_customer
from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem, Severity, validate_record

SCHEMA = load_default_form()
TODAY = date(2025, 6, 1)


def _resident() -> dict[str, str]:
    rng = random.Random(11)
    while True:
        values = generate_customer(rng, TODAY)
        if values["id_type"] == "resident_id" and values["id_valid_until"] != "长期":
            return values


BASE = _resident()
_REGION = "999999" + BASE["birth_date"].replace("-", "") + "123"
_NO_DAY = BASE["id_number"][:6] + "19870230123"
_SEVEN_YEARS = str(int(BASE["id_valid_from"][:4]) + 7) + BASE["id_valid_from"][4:]

# One bad value per rule a spreadsheet can break (with whatever else it has to change to reach that rule).
BAD: dict[str, dict[str, str]] = {
    "email": {"email": "qq7319@@example"},
    "postal_code": {"postal_code": "73192"},
    "mobile, invalid": {"mobile": "12345678901"},
    "mobile, landline": {"mobile": "01062345678"},
    "mobile, foreign": {"mobile": "+4473192"},
    "name": {"name": "张7319"},
    "pinyin": {"name_pinyin": "zh4ng"},
    "birth date, format": {"birth_date": "19x7-31-31"},
    "birth date, calendar": {"birth_date": "1987-02-30"},
    "birth date, 1900": {"birth_date": "1888-07-19"},
    "valid until, expired": {"id_valid_until": "2001-07-19"},
    "valid until, long term": {"id_valid_until": "永久"},
    "valid from, future": {"id_valid_from": "2099-07-19"},
    "id number, length": {"id_number": "1101011987"},
    "id number, checksum": {"id_number": BASE["id_number"][:-1] + ("0" if BASE["id_number"][-1] != "0" else "1")},
    "id number, region": {"id_number": _REGION + gb11643_check_char(_REGION)},
    "id number, passport": {"id_type": "passport", "nationality": "CHN", "id_number": "Q7319"},
    "id number, birth date": {"id_number": _NO_DAY + gb11643_check_char(_NO_DAY)},
    "validity period": {"id_valid_until": _SEVEN_YEARS},
    "sex": {"sex": "F" if BASE["sex"] == "M" else "M"},
    "nationality": {"nationality": "USA"},
    "choice": {"occupation": "astronaut7319"},
    "too long": {"employer": "厂" * 101},
    "jurisdictions": {"tax_residency": "cn_and_other", "tax_jurisdictions": "ZZQ", "foreign_tin": "T7319"},
    "cn only with others": {"tax_jurisdictions": "USA", "foreign_tin": "T7319"},
    "only China listed": {"tax_residency": "cn_and_other", "tax_jurisdictions": "CHN", "foreign_tin": "T7319"},
    "China listed, other only": {"tax_residency": "other_only", "tax_jurisdictions": "CHN,USA", "foreign_tin": "T7"},
    "required": {"name": ""},
}


@pytest.mark.parametrize("case", list(BAD))
def test_every_rule_a_row_can_break_has_a_reason_of_its_own_and_quotes_nothing(case: str) -> None:
    values = dict(BASE, **BAD[case])
    problems = validate_record(SCHEMA, normalise_record(SCHEMA, values), TODAY)
    assert problems, case
    quoted = {v for v in BAD[case].values() if len(v) >= 3} | {
        BASE[k] for k in ("name", "id_number", "birth_date", "id_valid_from", "id_valid_until", "mobile", "email")
    }
    for problem in problems:
        free = value_free(SCHEMA, problem)
        assert has_reason(problem.code), (case, problem.code)
        assert (free.field, free.code, free.severity) == (problem.field, problem.code, problem.severity)
        assert free.message_text.zh and free.message_text.en
        text = free.message_text.zh + free.message_text.en
        assert not [v for v in quoted if v and v in text], (case, problem.code, text)


def test_an_unlisted_code_is_named_and_a_value_is_still_not_quoted() -> None:
    problem = Problem(
        "mobile", "some_new_rule", Text(zh="手机号码“13800000000”不对", en="Mobile '13800000000' is wrong")
    )
    free = value_free(SCHEMA, problem)
    assert (
        "some_new_rule" in free.message_text.en
        and "手机号码" in free.message_text.zh
        and "Mobile number" in free.message_text.en
    )
    assert "13800000000" not in free.message_text.zh + free.message_text.en
    warning = value_free(SCHEMA, Problem("nowhere", "x", Text(zh="a", en="b"), Severity.WARNING))
    assert warning.severity is Severity.WARNING and "nowhere" in warning.message_text.en
