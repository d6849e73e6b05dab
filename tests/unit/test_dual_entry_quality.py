"""Dual entry's quality as tests: the simulated-clerk benchmark (benchmarks/bench_dual_entry.py) at its fixed
seed, held to its target, and every field a clerk keys compared in dual entry unless a reason here says why not.

The run is on the domain functions only and takes a few seconds; its figures are the same on every machine, so
a form or rule change that lets more keying errors through to approval fails here, not in a later benchmark.
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.bench_dual_entry import FORMS, OPINION_TARGET, TARGET, Form, Tally, opinion_run, quality_run
from desktop_app.domain.form_schema import FormSchema, load_default_form
from desktop_app.domain.ocr_opinion import DOCUMENT_FIELDS

#: Fields a clerk keys that dual entry does not compare, each with the reason. Every other field of the form is
#: keyed from the paper by both clerks and compared: a field left out of dual entry is one whose slips reach
#: approval unseen, so leaving one out takes a reason a bank would accept, written here.
NOT_COMPARED: dict[str, str] = {
    "form_number": "The paper form's serial number, not a particular of the customer: it is how the second clerk "
    "finds the record in the queue (shown there, not keyed again), so a slip in it shows as a sheet that matches "
    "no queue entry, not as a wrong customer value.",
    "notes": "The branch's own free-text remarks, not a particular of the customer keyed from the paper form: no "
    "rule, check or review reads them, and two clerks would word the same remark differently, sending forms to "
    "reconciliation over wording. A slip here is counted by the benchmark as reaching approval.",
}


@pytest.fixture(scope="module")
def shipped() -> FormSchema:
    return load_default_form()


@pytest.fixture(scope="module")
def run(shipped: FormSchema) -> tuple[list[Form], Tally]:
    return quality_run(shipped)


@pytest.fixture(scope="module")
def opinion(shipped: FormSchema, run: tuple[list[Form], Tally]) -> Tally:
    return opinion_run(shipped, run[0])


def test_every_keyed_field_is_compared_unless_a_reason_says_why_not(shipped: FormSchema) -> None:
    outside = {spec.key for spec in shipped.fields if not spec.dual_entry}
    unexplained = sorted(outside - NOT_COMPARED.keys())
    assert not unexplained, (
        f"{unexplained} are keyed but not compared in dual entry: compare them (dual_entry: true in the form) or "
        "give the reason in NOT_COMPARED"
    )
    stale = sorted(NOT_COMPARED.keys() - outside)
    assert not stale, f"NOT_COMPARED gives a reason for {stale}, which dual entry compares or the form no longer has"
    # The risk rating is the officer's assessment written on the paper form; keyed from paper, it is compared.
    assert shipped.field("risk_level").dual_entry


def test_the_simulated_clerks_errors_are_caught_at_the_target_rate(run: tuple[list[Form], Tally]) -> None:
    _, tally = run
    assert tally.forms == FORMS and tally.real() > 1_000
    uncaught = {f"{kind.value}: {fields}": n for (kind, fields), n in tally.uncaught.items()}
    assert tally.caught() / tally.real() >= TARGET, (
        f"dual entry catches {tally.caught():,} of {tally.real():,} keying errors "
        f"({tally.caught() / tally.real():.2%}, target {TARGET:.1%}); reaching approval: {uncaught}"
    )


def test_the_run_puts_errors_into_every_compared_field(shipped: FormSchema, run: tuple[list[Form], Tally]) -> None:
    """A compared field no keying error reaches in the run would pass the rate above unmeasured (a field the
    synthetic forms never fill, or of a type no error model applies to)."""
    forms, _ = run
    injected: Counter[str] = Counter()
    for form in forms:
        for error in (*form.first.errors, *form.second.errors):
            injected.update(error.fields)
    unmeasured = [spec.key for spec in shipped.fields if spec.dual_entry and not injected[spec.key]]
    assert not unmeasured, f"the benchmark injects no error into {unmeasured}"


def test_with_the_scan_as_a_third_opinion_no_error_on_a_document_field_reaches_approval(
    run: tuple[list[Form], Tally], opinion: Tally
) -> None:
    """The same forms with a simulated OCR reading at the OCR benchmark's accuracy (bench_dual_entry.OCR_*): the
    opinion never loses a catch, holds the share caught at its target, and leaves no error on a printed field."""
    _, tally = run
    assert opinion.real() == tally.real() and opinion.caught() >= tally.caught()
    assert opinion.caught() / opinion.real() >= OPINION_TARGET, (opinion.caught(), opinion.real())
    on_document = {f: n for (_, f), n in opinion.uncaught.items() if set(f.split("+")) & set(DOCUMENT_FIELDS)}
    assert not on_document, f"errors on fields the scan reads reach approval: {on_document}"
    # Dual entry leaves the opinion little to catch at this seed; what it would catch on its own shows it works:
    # about the share of printed fields read confidently (bench_dual_entry.OCR_CONFIDENT, 59%).
    assert opinion.on_document > 300 and opinion.scan_alone / opinion.on_document > 0.5
    # A wrong confident reading sends the supervisor to the paper for nothing; keep that rare (< 5% of forms).
    assert opinion.false_warnings < 0.05 * opinion.forms
