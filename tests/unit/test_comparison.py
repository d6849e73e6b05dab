"""Dual-entry comparison: only real keying differences remain after the shared normaliser."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.comparison import compare_entries
from desktop_app.domain.form_schema import load_default_form
from desktop_app.domain.synthetic import generate_customer

SCHEMA = load_default_form()


def _customer(seed: int) -> dict[str, str]:
    return generate_customer(random.Random(seed), date(2026, 11, 29))


@given(st.integers(min_value=0, max_value=10_000))
@settings(max_examples=60, deadline=None)
def test_an_entry_equals_itself(seed: int) -> None:
    values = _customer(seed)
    assert compare_entries(SCHEMA, values, dict(values)) == []


def test_formatting_differences_are_not_differences() -> None:
    values = _customer(1)
    typed = dict(
        values,
        name=" ".join(values["name"]),  # spaces between Han characters
        birth_date=values["birth_date"].replace("-", "/"),
        mobile=values["mobile"][:3] + " " + values["mobile"][3:],
        id_number=values["id_number"].lower().translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        name_pinyin=values["name_pinyin"].lower(),
    )
    assert compare_entries(SCHEMA, values, typed) == []


def test_a_real_difference_is_reported_with_both_values() -> None:
    values = _customer(2)
    other = dict(values, mobile="13900000000")
    diffs = compare_entries(SCHEMA, values, other)
    assert [(d.field, d.first, d.second) for d in diffs] == [("mobile", values["mobile"], "13900000000")]


def test_fields_outside_dual_entry_are_not_compared() -> None:
    values = _customer(3)
    skipped = [f.key for f in SCHEMA.fields if not f.dual_entry]
    assert skipped, "the shipped form leaves at least the notes out of dual entry"
    assert compare_entries(SCHEMA, values, dict(values, **{k: "不同的备注" for k in skipped})) == []
