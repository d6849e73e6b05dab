"""Dual entry's quality as tests: the simulated-clerk benchmark (benchmarks/bench_dual_entry.py) at its fixed
seed, held to its target, and every field a clerk keys compared in dual entry unless a reason here says why not.

The run is on the domain functions only and takes a few seconds; its figures are the same on every machine, so
a form or rule change that lets more keying errors through to approval fails here, not in a later benchmark.
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.bench_dual_entry import FORMS, TARGET, Form, Tally, quality_run
from desktop_app.domain.form_schema import FormSchema, load_default_form

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
