"""Formula-injection guard: nothing we write starts a formula in a spreadsheet program."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.spreadsheet_cells import FORMULA_TRIGGERS, neutralise


@given(st.text())
def test_no_neutralised_value_starts_a_formula(value: str) -> None:
    assert not neutralise(value).startswith(FORMULA_TRIGGERS)


@given(st.text())
def test_only_a_leading_apostrophe_is_ever_added(value: str) -> None:
    out = neutralise(value)
    assert out in (value, "'" + value)
    assert (out != value) == value.startswith(FORMULA_TRIGGERS)


def test_the_classic_payloads_are_made_text() -> None:
    for payload in ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(payload) == "'" + payload
    assert neutralise("张三") == "张三" and neutralise("") == ""
