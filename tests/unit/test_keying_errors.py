"""The keying-error models of the dual-entry benchmark: each makes the error it names, and a seed repeats it."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date

import pytest

from benchmarks.keying_errors import (
    HOMOPHONES,
    KEYPAD_NEIGHBOURS,
    MODELS,
    ErrorKind,
    KeyingModel,
    choice_slip,
    confusions,
    date_day_month,
    date_two_digit_year,
    digit_substitution,
    format_only,
    homophone,
    insertion,
    key_entry,
    omission,
    swapped_fields,
    transposition,
)
from desktop_app.domain.comparison import comparison_key
from desktop_app.domain.form_schema import FieldSpec, load_default_form
from desktop_app.domain.normaliser import LONG_TERM, normalise_record, normalise_value
from desktop_app.domain.synthetic import generate_customers
from desktop_app.domain.validation import validate_record

FORM = load_default_form()
SPEC: Mapping[str, FieldSpec] = {spec.key: spec for spec in FORM.fields}
TODAY = date(2025, 6, 1)
PAPERS = list(generate_customers(200, seed=3, today=TODAY))
SEEDS = range(50)


def problem_codes(field: str, value: str) -> set[str]:
    """The codes of the problems validation finds on `field` when the first paper form has `value` there."""
    values = normalise_record(FORM, {**PAPERS[0], field: value})
    return {p.code for p in validate_record(FORM, values, TODAY) if p.field == field}


def single_edits(before: str, after: str) -> list[int]:
    """Positions where two equally long strings differ."""
    assert len(before) == len(after)
    return [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]


# --- each model makes the error it names ------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_digit_substitution_replaces_exactly_one_digit_by_another(seed: int) -> None:
    value = "13800123456"
    slip = digit_substitution(random.Random(seed), SPEC["mobile"], value)
    assert slip is not None and slip.kind is ErrorKind.DIGIT_SUBSTITUTION
    (i,) = single_edits(value, slip.value)
    assert slip.value[i].isdigit() and slip.value[i] != value[i]


def test_digit_substitution_mostly_hits_a_key_touching_the_right_one() -> None:
    value = "0123456789"
    near = 0
    for seed in range(2000):
        slip = digit_substitution(random.Random(seed), SPEC["mobile"], value)
        assert slip is not None
        (i,) = single_edits(value, slip.value)
        near += slip.value[i] in KEYPAD_NEIGHBOURS[value[i]]
    # A uniformly random other digit touches the right key 42% of the time; NEIGHBOUR_SHARE = 0.8 makes it ~89%.
    assert 0.85 < near / 2000 < 0.95


def test_keypad_neighbours_touch_each_other_both_ways_and_never_themselves() -> None:
    assert set(KEYPAD_NEIGHBOURS) == set("0123456789")
    for digit, near in KEYPAD_NEIGHBOURS.items():
        assert digit not in near
        assert all(digit in KEYPAD_NEIGHBOURS[other] for other in near)


def test_digit_substitution_needs_a_digit_in_a_typed_field() -> None:
    rng = random.Random(1)
    assert digit_substitution(rng, SPEC["name"], "王测试") is None
    assert digit_substitution(rng, SPEC["annual_income_band"], "50k_100k") is None  # picked from a list


@pytest.mark.parametrize("seed", SEEDS)
def test_transposition_swaps_two_adjacent_different_characters(seed: int) -> None:
    value = "E12345678"
    slip = transposition(random.Random(seed), SPEC["id_number"], value)
    assert slip is not None and slip.kind is ErrorKind.TRANSPOSITION
    i, j = single_edits(value, slip.value)
    assert j == i + 1 and slip.value[i] == value[j] and slip.value[j] == value[i]


def test_transposition_needs_two_different_neighbours() -> None:
    rng = random.Random(1)
    assert transposition(rng, SPEC["postal_code"], "000000") is None
    assert transposition(rng, SPEC["address"], "1 2") is None  # a space is not a keystroke slip
    assert transposition(rng, SPEC["sex"], "M") is None


@pytest.mark.parametrize("seed", SEEDS)
def test_omission_drops_one_non_space_character(seed: int) -> None:
    value = "样例路 12 号"
    slip = omission(random.Random(seed), SPEC["address"], value)
    assert slip is not None and slip.kind is ErrorKind.OMISSION
    dropped = [i for i in range(len(value)) if value[:i] + value[i + 1 :] == slip.value]
    assert dropped and not value[dropped[0]].isspace()


@pytest.mark.parametrize("seed", SEEDS)
def test_insertion_adds_one_character_next_to_the_one_it_repeats_or_neighbours(seed: int) -> None:
    value = "13800123456"
    slip = insertion(random.Random(seed), SPEC["mobile"], value)
    assert slip is not None and slip.kind is ErrorKind.INSERTION
    assert len(slip.value) == len(value) + 1
    extra = [i for i in range(len(slip.value)) if slip.value[:i] + slip.value[i + 1 :] == value]
    assert any(slip.value[i] == slip.value[i - 1] or slip.value[i] in KEYPAD_NEIGHBOURS[slip.value[i - 1]]
               for i in extra if i > 0)  # fmt: skip


def test_day_and_month_swapped_both_under_13_is_another_real_date_nothing_flags() -> None:
    slip = date_day_month(random.Random(1), SPEC["id_valid_from"], "2020-03-05")
    assert slip is not None and slip.kind is ErrorKind.DATE_DAY_MONTH
    assert slip.value == "2020-05-03"
    assert normalise_value(SPEC["id_valid_from"], slip.value) == "2020-05-03"
    assert problem_codes("id_valid_from", slip.value) == set()


def test_day_and_month_swapped_with_a_day_over_12_is_no_date() -> None:
    slip = date_day_month(random.Random(1), SPEC["id_valid_from"], "2020-03-25")
    assert slip is not None and slip.value == "2020-25-03"
    assert problem_codes("id_valid_from", slip.value) == {"invalid_date"}


def test_day_and_month_swap_needs_a_date_with_day_and_month_different() -> None:
    rng = random.Random(1)
    assert date_day_month(rng, SPEC["id_valid_from"], "2020-03-03") is None
    assert date_day_month(rng, SPEC["id_valid_until"], LONG_TERM) is None
    assert date_day_month(rng, SPEC["name"], "2020-03-05") is None


@pytest.mark.parametrize("seed", range(30))
def test_two_digit_year_is_a_date_the_normaliser_cannot_read(seed: int) -> None:
    slip = date_two_digit_year(random.Random(seed), SPEC["birth_date"], "1987-04-09")
    assert slip is not None and slip.kind is ErrorKind.DATE_TWO_DIGIT_YEAR
    assert "1987" not in slip.value and "87" in slip.value
    assert problem_codes("birth_date", slip.value) == {"format"}


def test_the_homophone_table_holds_the_common_confusions_both_ways() -> None:
    pairs = ["张章", "王汪", "李黎", "陈程", "明铭", "华桦", "伟玮", "丽莉", "静靖", "军君", "路露", "区曲"]
    for a, b in pairs:
        assert b in confusions(a) and a in confusions(b)
    for a, b in HOMOPHONES:
        assert a != b and b in confusions(a) and a in confusions(b)


@pytest.mark.parametrize("seed", SEEDS)
def test_homophone_replaces_one_character_by_one_it_is_confused_with(seed: int) -> None:
    value = "张明测试"
    slip = homophone(random.Random(seed), SPEC["name"], value)
    assert slip is not None and slip.kind is ErrorKind.HOMOPHONE
    (i,) = single_edits(value, slip.value)
    assert slip.value[i] in confusions(value[i])


def test_homophone_needs_a_character_of_the_table_in_a_free_text_field() -> None:
    rng = random.Random(1)
    assert homophone(rng, SPEC["name"], "约翰·样") is None
    assert homophone(rng, SPEC["name_pinyin"], "ZHANG MING") is None
    assert homophone(rng, SPEC["address"], "样例路 1 号") is not None


@pytest.mark.parametrize("seed", range(20))
def test_choice_slip_picks_the_option_next_to_the_right_one(seed: int) -> None:
    spec = SPEC["annual_income_band"]
    values = [c.value for c in spec.choices]
    slip = choice_slip(random.Random(seed), spec, values[2])
    assert slip is not None and slip.kind is ErrorKind.CHOICE_SLIP
    assert slip.value in (values[1], values[3])
    first = choice_slip(random.Random(seed), spec, values[0])
    assert first is not None and first.value == values[1]  # nothing above the first option


def test_choice_slip_needs_a_choice_field_and_a_listed_value() -> None:
    rng = random.Random(1)
    assert choice_slip(rng, SPEC["sex"], "X") is None
    assert choice_slip(rng, SPEC["name"], "王测试") is None


def test_format_only_changes_the_typing_never_the_meaning() -> None:
    changed = 0
    for seed, paper in enumerate(PAPERS):
        for key, value in paper.items():
            spec = SPEC[key]
            slip = format_only(random.Random(seed), spec, value)
            if slip is None:
                continue
            changed += 1
            assert slip.kind is ErrorKind.FORMAT_ONLY and slip.value != value
            assert comparison_key(spec, normalise_value(spec, slip.value)) == comparison_key(
                spec, normalise_value(spec, value)
            ), (key, value, slip.value)
    assert changed > 10 * len(PAPERS)


def test_swapped_fields_exchanges_two_filled_fields_of_the_same_type() -> None:
    paper = PAPERS[0]
    dates = ["birth_date", "id_valid_from", "id_valid_until"]
    for seed in range(50):
        swap = swapped_fields(random.Random(seed), FORM, paper, "id_valid_from", FORM.keys)
        assert swap is not None and swap.kind is ErrorKind.SWAPPED_FIELDS
        assert swap.first == "id_valid_from" and swap.second in dates
        assert paper[swap.second] != paper["id_valid_from"]


def test_swapped_fields_needs_a_partner_with_a_different_value() -> None:
    rng = random.Random(1)
    assert swapped_fields(rng, FORM, PAPERS[0], "sex", FORM.keys) is None  # choices are never swapped
    assert swapped_fields(rng, FORM, PAPERS[0], "mobile", FORM.keys) is None  # the only phone field
    same = {**PAPERS[0], "id_valid_from": "2020-01-01", "birth_date": "2020-01-01", "id_valid_until": "2020-01-01"}
    assert swapped_fields(rng, FORM, same, "id_valid_from", FORM.keys) is None


# --- a seed gives the same errors ---------------------------------------------------------------------------

SAMPLES = {
    ErrorKind.DIGIT_SUBSTITUTION: ("mobile", "13800123456"),
    ErrorKind.TRANSPOSITION: ("id_number", "E12345678"),
    ErrorKind.OMISSION: ("address", "样例路 12 号"),
    ErrorKind.INSERTION: ("postal_code", "100080"),
    ErrorKind.DATE_DAY_MONTH: ("birth_date", "1990-04-07"),
    ErrorKind.DATE_TWO_DIGIT_YEAR: ("birth_date", "1990-04-07"),
    ErrorKind.HOMOPHONE: ("name", "张明测试"),
    ErrorKind.CHOICE_SLIP: ("annual_income_band", "100k_300k"),
    ErrorKind.FORMAT_ONLY: ("birth_date", "1990-04-07"),
}


@pytest.mark.parametrize("kind", list(MODELS))
def test_each_model_is_deterministic_for_a_seed(kind: ErrorKind) -> None:
    field, value = SAMPLES[kind]
    runs = [[MODELS[kind](random.Random(seed), SPEC[field], value) for seed in range(20)] for _ in range(2)]
    assert runs[0] == runs[1]
    assert len({slip.value for slip in runs[0] if slip}) > 1 or kind is ErrorKind.DATE_DAY_MONTH


def test_key_entry_repeats_for_a_seed_and_differs_for_another() -> None:
    model = KeyingModel(rate=0.2)
    first = [key_entry(random.Random(5), FORM, paper, model, FORM.keys) for paper in PAPERS[:20]]
    again = [key_entry(random.Random(5), FORM, paper, model, FORM.keys) for paper in PAPERS[:20]]
    other = [key_entry(random.Random(6), FORM, paper, model, FORM.keys) for paper in PAPERS[:20]]
    assert first == again and first != other


def test_key_entry_without_errors_keys_the_paper_and_leaves_other_fields_blank() -> None:
    keys = [spec.key for spec in FORM.fields if spec.dual_entry]
    entry = key_entry(random.Random(1), FORM, PAPERS[0], KeyingModel(rate=0.0), keys)
    assert entry.errors == ()
    assert dict(entry.values) == {key: PAPERS[0][key] for key in keys}


def test_key_entry_at_rate_one_mis_keys_every_filled_field_once_and_no_blank_one() -> None:
    for seed, paper in enumerate(PAPERS[:50]):
        entry = key_entry(random.Random(seed), FORM, paper, KeyingModel(rate=1.0), FORM.keys)
        touched = [field for error in entry.errors for field in error.fields]
        assert sorted(touched) == sorted(key for key, value in paper.items() if value)
        for error in entry.errors:
            assert any(entry.values[f] != paper[f] for f in error.fields), error
        assert all(entry.values[key] == "" for key, value in paper.items() if not value)


def test_key_entry_uses_only_the_kinds_given_weight() -> None:
    model = KeyingModel(rate=1.0, weights={ErrorKind.HOMOPHONE: 1.0})
    entry = key_entry(random.Random(1), FORM, PAPERS[0], model, FORM.keys)
    assert entry.errors and {e.kind for e in entry.errors} == {ErrorKind.HOMOPHONE}
    assert all(SPEC[e.fields[0]].type.value in ("text", "textarea") for e in entry.errors)
