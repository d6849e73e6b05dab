"""Dual-entry benchmark: how many keying errors reach approval, with validation alone and with dual entry.

Two clerks key FORMS synthetic paper forms independently, each mis-keying a field with a value with
probability ERROR_RATE by the models of benchmarks/keying_errors.py (fixed SEED, fixed TODAY). The first clerk
keys every field; the second keys the dual-entry fields only (the others are never compared or stored from
the second entry). Then, per form, on the domain functions (no database):

1. Validation: each entry is normalised and validated as the entry screen does; every field an ERROR names
   (see _implicated) is re-keyed from the paper, and validation runs again until it names nothing new.
2. Dual entry: compare_entries() on the two entries; the resolver settles each differing field from the
   paper. The approved record is the first entry with those fields settled.

Each injected error is counted once, by the first of these that catches it:
  harmless   the entry means the same once normalised (full-width digits, 2024年3月5日...): not an error;
  validation validation named one of its fields in that clerk's entry;
  dual entry the two entries differ on one of its fields;
  scan       (with the scan as a third opinion only) a confident simulated OCR reading of the ID document
             disagrees with the approved value of one of its fields, and the supervisor checks it on the paper;
  uncaught   none: it reaches approval (both clerks made the same error, or a field outside dual entry).

The scan opinion: every form has an ID scan; per field printed on it (ocr_opinion.DOCUMENT_FIELDS; the address
the address and ethnicity on a resident ID only, the nationality on other documents only: a resident ID's is
inferred, not read) the reader gives a confident reading (verified or confidence >= OPINION_CONFIDENCE) with
probability OCR_CONFIDENT, wrong with probability OCR_WRONG, the rest of the time no opinion. Both from the OCR
benchmark's figures in the README (issue 12 baseline, development and sealed splits together): values shown as
confirmed or read clearly 234+162+225+163 = 784 of 2 x 660 = 1,320 fields (59.4%), 6 of them wrong (0.77%).

The table gives per error kind the errors injected, the share caught by validation alone, the share caught
by validation plus dual entry (target: at least 99.5%), and the count reaching approval; then the same forms
at other error rates. Then SLICE of FORMS forms keyed for the real today (the services validate with
date.today()), chosen to take every path (all whose errors reach approval, then those with other errors), go
through the real services on an encrypted store in a temporary directory, with an in-memory test keyring:
records.create/save/submit by the first clerk, dual_entry.submit by the second, reconciliation and resolve by
the first (the default resolver), approve by a supervisor. The slice is simulated too, and the two must agree
form by form: the fields validation sent back, the fields that differed, and the approved values.
"""

from __future__ import annotations

import json
import math
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import keyring
from sqlalchemy import select

from benchmarks.keying_errors import ErrorKind, KeyedEntry, KeyingModel, key_entry
from benchmarks.table import print_table
from desktop_app.domain.comparison import compare_entries, comparison_key
from desktop_app.domain.form_schema import FormSchema, load_default_form
from desktop_app.domain.normaliser import normalise_record, normalise_value
from desktop_app.domain.ocr_opinion import DOCUMENT_FIELDS, OPINION_CONFIDENCE, Reading, disagreements
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.domain.validation import Problem, Severity, validate_record
from desktop_app.services.actor import Actor
from desktop_app.services.dual_entry import Decision
from desktop_app.services.errors import ServiceError
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import Record, RecordVersion
from tests.support.keyrings import MemoryKeyring

SEED = 2025
FORMS = 2_000
SLICE = 100
ERROR_RATE = 0.015  # per field with a value, per clerk
TODAY = date(2025, 6, 1)  # the simulated keying day: the same table whatever day it runs
TARGET = 0.995
SENSITIVITY_RATES = (0.005, 0.01, ERROR_RATE, 0.02, 0.03)
OCR_CONFIDENT = 784 / 1_320  # share of document fields read at or above the opinion threshold (see above)
OCR_WRONG = 6 / 784  # share of those readings that are wrong
OPINION_TARGET = 0.999
PASSWORD = "Bench-Passw0rd-1"

# Problems whose message tells the clerk to check another field as well: a cross-field rule that names it.
# An id_number problem from the document-type rule names the type ("a passport number is...").
_ALSO_NAMED: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("id_valid_until", "before_valid_from"): ("id_valid_from",),
    ("nationality", "resident_id_requires_chn"): ("id_type",),
    ("ethnicity", "required"): ("id_type",),
    ("tax_jurisdictions", "foreign_with_cn_only"): ("tax_residency",),
    ("tax_jurisdictions", "required"): ("tax_residency",),
    ("tax_jurisdictions", "no_foreign_jurisdiction"): ("tax_residency",),
    ("tax_jurisdictions", "cn_with_other_only"): ("tax_residency",),
    ("foreign_tin", "tin_with_cn_only"): ("tax_residency",),
    ("foreign_tin", "required"): ("tax_residency",),
}
_NOT_TYPE_RULE = frozenset({"duplicate", "mismatch_birth_date", "mismatch_sex", "too_long", "required"})


def _implicated(problems: Iterable[Problem]) -> frozenset[str]:
    """The fields the ERRORs among `problems` send the clerk back to the paper for."""
    fields: set[str] = set()
    for p in problems:
        if p.severity is not Severity.ERROR:
            continue
        fields.add(p.field)
        fields.update(_ALSO_NAMED.get((p.field, p.code), ()))
        if p.field == "id_number" and p.code not in _NOT_TYPE_RULE:
            fields.add("id_type")
    return frozenset(fields)


@dataclass(frozen=True)
class Form:
    """One paper form and the two clerks' entries of it."""

    paper: Mapping[str, str]
    first: KeyedEntry
    second: KeyedEntry


@dataclass(frozen=True)
class Outcome:
    """What happened to one form: fields validation sent each clerk back for, fields the entries differed on,
    and the approved values (normalised)."""

    flagged: tuple[frozenset[str], frozenset[str]]
    differing: frozenset[str]
    approved: Mapping[str, str]
    warned: frozenset[str] = frozenset()  # fields the scan opinion warned on (with the opinion only)
    false_warnings: int = 0  # of those, fields the approved record had right


def _forms(schema: FormSchema, count: int, today: date, rate: float = ERROR_RATE) -> list[Form]:
    rng = random.Random(SEED + 1)
    model = KeyingModel(rate=rate)
    second_keys = [spec.key for spec in schema.fields if spec.dual_entry]
    return [
        Form(
            paper,
            key_entry(rng, schema, paper, model, schema.keys),
            key_entry(rng, schema, paper, model, second_keys),
        )
        for paper in generate_customers(count, seed=SEED, today=today)
    ]


def _settle(
    paper: Mapping[str, str], entry: Mapping[str, str], problems_of: Callable[[dict[str, str]], Iterable[Problem]]
) -> tuple[dict[str, str], frozenset[str]]:
    """The entry after the clerk re-keyed from the paper every field validation named, until it names no new
    field; and those fields. Re-keying is assumed right (the clerk is looking at the flagged box)."""
    values = dict(entry)
    flagged: frozenset[str] = frozenset()
    while True:
        named = _implicated(problems_of(values)) & values.keys()
        if named <= flagged:
            return values, flagged
        flagged |= named
        values.update({key: paper.get(key, "") for key in named})


def _screen_validation(schema: FormSchema, today: date) -> Callable[[dict[str, str]], list[Problem]]:
    return lambda values: validate_record(schema, normalise_record(schema, values), today)


def _approved(
    schema: FormSchema, first: Mapping[str, str], paper: Mapping[str, str], fields: Iterable[str]
) -> dict[str, str]:
    approved = normalise_record(schema, first)
    by_key = {spec.key: spec for spec in schema.fields}
    for key in fields:
        approved[key] = normalise_value(by_key[key], paper.get(key, ""))
    return approved


def simulate(schema: FormSchema, form: Form, today: date) -> Outcome:
    """The form through validation, comparison and reconciliation on the domain functions."""
    first, first_flagged = _settle(form.paper, form.first.values, _screen_validation(schema, today))
    second, second_flagged = _settle(form.paper, form.second.values, _screen_validation(schema, today))
    differing = frozenset(d.field for d in compare_entries(schema, first, second))
    return Outcome((first_flagged, second_flagged), differing, _approved(schema, first, form.paper, differing))


@dataclass
class Tally:
    """Injected errors by kind and by what caught them."""

    counts: Counter[tuple[ErrorKind, str]]
    wrong_fields: Counter[str]  # fields of approved records that differ from the paper
    uncaught: Counter[tuple[ErrorKind, str]]  # (kind, fields) of errors that reached approval
    forms: int = 0
    reconciled: int = 0  # forms whose entries differed

    @classmethod
    def empty(cls) -> Tally:
        return cls(Counter(), Counter(), Counter())

    def total(self, outcome: str, kinds: Iterable[ErrorKind] = tuple(ErrorKind)) -> int:
        return sum(self.counts[(kind, outcome)] for kind in kinds)

    scan_warnings: int = 0  # fields the scan opinion warned on (with the opinion only)
    false_warnings: int = 0  # of those, fields whose approved value was right (the reading was wrong)
    on_document: int = 0  # errors (not harmless) on a field the scan reads (with the opinion only)
    scan_alone: int = 0  # of those, errors the scan opinion alone would flag in the clerk's entry

    def real(self) -> int:
        """Injected errors that are errors (not harmless)."""
        return self.caught() + self.total("uncaught")

    def caught(self) -> int:
        """Errors caught before approval, by validation, by dual entry or (with it) by the scan opinion."""
        return self.total("validation") + self.total("dual entry") + self.total("scan")


def simulated_scan(rng: random.Random, paper: Mapping[str, str], other: Mapping[str, str]) -> dict[str, Reading]:
    """A simulated OCR reading of the form's ID document: per printed field a confident reading with probability
    OCR_CONFIDENT, of which OCR_WRONG are wrong (the value of another customer's document), else none."""
    readings = {}
    for key in DOCUMENT_FIELDS:
        resident = paper.get("id_type") == "resident_id"
        if (
            not paper.get(key)
            or (key in ("address", "ethnicity") and not resident)
            or (key == "nationality" and resident)
        ):
            continue
        if rng.random() >= OCR_CONFIDENT:
            continue
        wrong = rng.random() < OCR_WRONG
        readings[key] = Reading(other.get(key, "") if wrong else paper[key], OPINION_CONFIDENCE)
    return readings


def scan_readings(forms: Sequence[Form]) -> list[dict[str, Reading]]:
    """One simulated reading per form, from its own seeded generator (the keying draws stay as they were)."""
    rng = random.Random(SEED + 2)
    return [simulated_scan(rng, form.paper, forms[i - 1].paper) for i, form in enumerate(forms)]


def with_opinion(schema: FormSchema, form: Form, outcome: Outcome, reading: Mapping[str, Reading]) -> Outcome:
    """The outcome once the supervisor has checked on the paper every field the scan opinion warned on."""
    warned = frozenset(d.field for d in disagreements(schema, outcome.approved, reading))
    approved = _approved(schema, outcome.approved, form.paper, warned)
    false = sum(1 for key in warned if approved[key] == outcome.approved[key])
    return Outcome(outcome.flagged, outcome.differing, approved, warned, false)


def account(
    schema: FormSchema, form: Form, outcome: Outcome, tally: Tally, reading: Mapping[str, Reading] | None = None
) -> None:
    """Count each error injected into the form by the first stage that caught it (see the module docstring);
    with the form's simulated scan `reading`, also how many errors on printed fields the scan alone would flag."""
    by_key = {spec.key: spec for spec in schema.fields}

    def key(field: str, raw: str) -> str:
        return comparison_key(by_key[field], normalise_value(by_key[field], raw))

    tally.forms += 1
    tally.reconciled += bool(outcome.differing)
    tally.scan_warnings += len(outcome.warned)
    tally.false_warnings += outcome.false_warnings
    for flagged, entry in zip(outcome.flagged, (form.first, form.second), strict=True):
        for error in entry.errors:
            fields = set(error.fields)
            if all(key(f, entry.values[f]) == key(f, form.paper.get(f, "")) for f in fields):
                stage = "harmless"
            elif fields & flagged:
                stage = "validation"
            elif fields & outcome.differing:
                stage = "dual entry"
            elif fields & outcome.warned:
                stage = "scan"
            else:
                stage = "uncaught"
                tally.uncaught[(error.kind, "+".join(error.fields))] += 1
            tally.counts[(error.kind, stage)] += 1
            if reading is not None and stage != "harmless" and fields & set(DOCUMENT_FIELDS):
                tally.on_document += 1
                flagged_alone = {d.field for d in disagreements(schema, entry.values, reading)}
                tally.scan_alone += bool(fields & flagged_alone)
    for field in schema.keys:
        if comparison_key(by_key[field], outcome.approved.get(field, "")) != key(field, form.paper.get(field, "")):
            tally.wrong_fields[field] += 1


# --- the end-to-end slice ---------------------------------------------------------------------------------------


def _user(ws: Workstation, admin: Actor, name: str, role: Role) -> Actor:
    ws.users.add(admin, name, PASSWORD, {role})
    actor, must_change = ws.auth.login(name, PASSWORD)
    if must_change:
        ws.auth.change_password(actor, PASSWORD, PASSWORD + "x")
        actor, _ = ws.auth.login(name, PASSWORD + "x")
    return actor


def _through_services(
    ws: Workstation, schema: FormSchema, form: Form, clerks: tuple[Actor, Actor], supervisor: Actor, today: date
) -> Outcome:
    """The form keyed, compared, reconciled and approved by the real services; what they reported."""
    first_clerk, second_clerk = clerks
    saved: list[tuple[str, int]] = []

    def problems_of(values: dict[str, str]) -> Sequence[Problem]:  # the maker's screen: create, then save
        if not saved:
            result = ws.records.create(first_clerk, values)
        else:
            result = ws.records.save(first_clerk, saved[-1][0], values, saved[-1][1])
        saved.append((result.record_id, result.version))
        return result.problems

    _, first_flagged = _settle(form.paper, form.first.values, problems_of)
    record_id, version = saved[-1]
    ws.records.submit(first_clerk, record_id, version)
    # The service does not validate a second entry; the second clerk's screen does, as for the first entry.
    second, second_flagged = _settle(form.paper, form.second.values, _screen_validation(schema, today))
    result = ws.dual_entry.submit(second_clerk, record_id, second)
    differing: frozenset[str] = frozenset()
    if result.differences:
        view = ws.dual_entry.reconciliation(first_clerk, record_id)
        differing = frozenset(d.field for d in view.differences)
        assert len(differing) == result.differences, "the second clerk was told a different count"
        by_key = {spec.key: spec for spec in schema.fields}
        decisions = {}
        for d in view.differences:
            spec = by_key[d.field]
            right = comparison_key(spec, normalise_value(spec, form.paper.get(d.field, "")))
            if comparison_key(spec, d.first) == right:
                decisions[d.field] = Decision("first")
            elif comparison_key(spec, d.second) == right:
                decisions[d.field] = Decision("second")
            else:
                decisions[d.field] = Decision("other", form.paper.get(d.field, ""), "按纸质表格录入")
        ws.dual_entry.resolve(first_clerk, record_id, decisions)
    approved = ws.records.approve(supervisor, record_id, None)
    with ws.store.read() as s:
        record = s.get(Record, record_id)
        assert record is not None and record.approved_version == approved.version
        data = s.scalars(
            select(RecordVersion.data).where(
                RecordVersion.record_id == record_id, RecordVersion.version == record.approved_version
            )
        ).one()
    return Outcome((first_flagged, second_flagged), differing, {str(k): str(v) for k, v in json.loads(data).items()})


def _pick_slice(schema: FormSchema, forms: Sequence[Form], today: date) -> tuple[list[Form], list[Outcome]]:
    """SLICE of the forms, in run order, with their simulated outcomes: every form with an error that reaches
    approval first, then forms with other errors, then the rest, so the slice takes every path."""
    outcomes = [simulate(schema, form, today) for form in forms]

    def rank(i: int) -> int:
        tally = Tally.empty()
        account(schema, forms[i], outcomes[i], tally)
        return 0 if tally.total("uncaught") else 1 if tally.real() else 2

    chosen = sorted(sorted(range(len(forms)), key=rank)[:SLICE])
    return [forms[i] for i in chosen], [outcomes[i] for i in chosen]


def _slice(schema: FormSchema, forms: Sequence[Form], today: date) -> tuple[list[Outcome | str], float]:
    """Each form's Outcome through the services (or the error a service raised), and the seconds taken."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # a benchmark never touches the real credential store
    started = time.perf_counter()
    outcomes: list[Outcome | str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-dual-entry-") as tmp:
            ws, _code, admin = Workstation.initialise(Path(tmp) / "data", "admin", PASSWORD, KeyMethod.KEYRING)
            try:
                ws.settings.set(admin, "dual_entry_policy", "both")
                ws.settings.set(admin, "reconciliation_resolver", "first_clerk")
                clerks = (_user(ws, admin, "clerk_a", Role.TELLER), _user(ws, admin, "clerk_b", Role.TELLER))
                supervisor = _user(ws, admin, "supervisor", Role.SUPERVISOR)
                for form in forms:
                    try:
                        outcomes.append(_through_services(ws, schema, form, clerks, supervisor, today))
                    except ServiceError as error:
                        outcomes.append(f"{type(error).__name__}: {error.message_text.en}")
            finally:
                ws.close()
    finally:
        keyring.set_keyring(previous)
    return outcomes, time.perf_counter() - started


# --- the report -------------------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    return f"{part:,} ({100 * part / whole:.2f}%)" if whole else "-"


def _wilson(part: int, whole: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of the proportion part/whole (sound near 0 and 1, unlike the normal one)."""
    if not whole:
        return 0.0, 1.0
    p = part / whole
    centre = (p + z * z / (2 * whole)) / (1 + z * z / whole)
    half = z * math.sqrt(p * (1 - p) / whole + z * z / (4 * whole * whole)) / (1 + z * z / whole)
    return centre - half, centre + half


def _simulate_all(schema: FormSchema, forms: Sequence[Form], today: date, opinion: bool = False) -> Tally:
    tally = Tally.empty()
    readings = scan_readings(forms) if opinion else [{} for _ in forms]
    for form, reading in zip(forms, readings, strict=True):
        outcome = simulate(schema, form, today)
        if opinion:
            account(schema, form, with_opinion(schema, form, outcome, reading), tally, reading)
        else:
            account(schema, form, outcome, tally)
    return tally


def quality_run(schema: FormSchema) -> tuple[list[Form], Tally]:
    """The run the first tables report: FORMS forms at ERROR_RATE, SEED and TODAY, on the domain functions only.
    The same figures on every machine in a few seconds, so tests/unit/test_dual_entry_quality.py holds them to
    TARGET and a form or rule change that lowers the catch rate fails `make test`."""
    forms = _forms(schema, FORMS, TODAY)
    return forms, _simulate_all(schema, forms, TODAY)


def opinion_run(schema: FormSchema, forms: Sequence[Form]) -> Tally:
    """The same forms with the scan as a third opinion (simulated readings at the OCR benchmark's accuracy)."""
    return _simulate_all(schema, forms, TODAY, opinion=True)


def _kind_rows(tally: Tally) -> list[list[str]]:
    rows = []
    for label, kinds in [*((k.value, (k,)) for k in ErrorKind), ("total", tuple(ErrorKind))]:
        harmless = tally.total("harmless", kinds)
        by_validation = tally.total("validation", kinds)
        by_dual = tally.total("dual entry", kinds)
        uncaught = tally.total("uncaught", kinds)
        real = by_validation + by_dual + uncaught
        if not real and not harmless:
            continue
        rows.append(
            [
                label,
                f"{real:,}",
                _share(by_validation, real),
                _share(by_validation + by_dual, real),
                f"{uncaught:,}",
                f"{harmless:,}",
            ]
        )
    return rows


def run(records: int, fresh: bool) -> None:
    """Print the dual-entry tables. `records` and `fresh` belong to the store benchmarks: this one keys FORMS
    forms and builds its slice's store afresh in a temporary directory each run."""
    schema = load_default_form()
    started = time.perf_counter()
    forms, tally = quality_run(schema)
    simulated = time.perf_counter() - started
    opinion = opinion_run(schema, forms)

    real = tally.real()
    caught = tally.caught()
    low, high = _wilson(caught, real)
    print_table(
        f"Dual entry: {FORMS:,} forms keyed by two clerks, {ERROR_RATE:.1%} of fields mis-keyed per clerk "
        f"(seed {SEED}, keyed on {TODAY})",
        [
            "error kind",
            "injected",
            "caught by validation alone",
            "caught by validation + dual entry",
            "reach approval uncaught",
            "harmless (not errors)",
        ],
        _kind_rows(tally),
    )
    keyed = sum(1 for form in forms for value in form.paper.values() if value)
    dual = sum(1 for spec in schema.fields if spec.dual_entry)
    print_table(
        "Dual entry: the run",
        ["measure", "value", "target"],
        [
            ["forms keyed (by each of two clerks)", f"{FORMS:,}", ""],
            ["fields per form (on the form / in dual entry)", f"{len(schema.fields)} / {dual}", ""],
            ["fields with a value per form (mean)", f"{keyed / FORMS:.1f}", ""],
            ["error rate (per field with a value, per clerk)", f"{ERROR_RATE:.1%}", ""],
            ["forms whose entries differed (to reconciliation)", _share(tally.reconciled, FORMS), ""],
            ["errors caught with dual entry", _share(caught, real), f">= {TARGET:.1%}"],
            ["  95% interval of that share (Wilson)", f"{low:.2%} - {high:.2%}", ""],
            ["errors reaching approval uncaught", f"{real - caught:,}", ""],
            ["fields wrong in approved records", f"{sum(tally.wrong_fields.values()):,}", ""],
            [
                "with the scan as a third opinion: errors caught",
                _share(opinion.caught(), real),
                f">= {OPINION_TARGET:.1%}",
            ],
            ["  caught by the scan opinion", f"{opinion.total('scan'):,}", ""],
            ["  reaching approval uncaught", f"{real - opinion.caught():,}", "0"],
            [
                "  errors on printed fields / the scan alone would flag",
                f"{opinion.on_document:,} / {_share(opinion.scan_alone, opinion.on_document)}",
                "",
            ],
            [
                "  scan warnings (fields) / of them on a right value",
                f"{opinion.scan_warnings:,} / {opinion.false_warnings:,}",
                "",
            ],
            ["  OCR: confident readings / wrong among them", f"{OCR_CONFIDENT:.1%} / {OCR_WRONG:.2%}", ""],
            ["simulation time (s)", f"{simulated:.1f}", ""],
        ],
    )
    if tally.uncaught:
        print_table(
            "Errors that reached approval",
            ["error kind", "field(s)", "count"],
            [[kind.value, fields, str(n)] for (kind, fields), n in sorted(tally.uncaught.items())],
        )

    rows = []
    for rate in SENSITIVITY_RATES:
        rate_forms = forms if rate == ERROR_RATE else _forms(schema, FORMS, TODAY, rate)
        t = tally if rate == ERROR_RATE else _simulate_all(schema, rate_forms, TODAY)
        o = opinion if rate == ERROR_RATE else opinion_run(schema, rate_forms)
        n = t.real()
        rows.append(
            [
                f"{rate:.1%}",
                f"{n:,}",
                _share(t.total("validation"), n),
                _share(t.total("validation") + t.total("dual entry"), n),
                f"{t.total('uncaught'):,}",
                f"{o.total('uncaught'):,}",
                _share(t.reconciled, t.forms),
            ]
        )
    print_table(
        f"Dual entry: the same {FORMS:,} forms at other error rates",
        [
            "error rate",
            "injected",
            "caught by validation alone",
            "caught by validation + dual entry",
            "reach approval uncaught",
            "uncaught with the scan opinion",
            "forms to reconciliation",
        ],
        rows,
    )

    today = date.today()
    slice_forms, expected = _pick_slice(schema, _forms(schema, FORMS, today), today)
    outcomes, seconds = _slice(schema, slice_forms, today)
    simulated_tally, service_tally = Tally.empty(), Tally.empty()
    for form, want, got in zip(slice_forms, expected, outcomes, strict=True):
        account(schema, form, want, simulated_tally)
        if isinstance(got, Outcome):
            account(schema, form, got, service_tally)
    refused = [got for got in outcomes if isinstance(got, str)]
    agree = sum(1 for want, got in zip(expected, outcomes, strict=True) if got == want)
    rows = [
        ["forms through the services", f"{SLICE:,}", f"{SLICE - len(refused):,}"],
        ["errors injected (not harmless)"] + [f"{t.real():,}" for t in (simulated_tally, service_tally)],
        ["caught by validation"] + [f"{t.total('validation'):,}" for t in (simulated_tally, service_tally)],
        ["caught by dual entry"] + [f"{t.total('dual entry'):,}" for t in (simulated_tally, service_tally)],
        ["reach approval uncaught"] + [f"{t.total('uncaught'):,}" for t in (simulated_tally, service_tally)],
        ["forms sent to reconciliation"] + [f"{t.reconciled:,}" for t in (simulated_tally, service_tally)],
        ["fields wrong in approved records"]
        + [f"{sum(t.wrong_fields.values()):,}" for t in (simulated_tally, service_tally)],
        ["forms with identical outcome (flagged, differing, approved)", "", f"{agree:,} / {SLICE:,}"],
        ["slice time through the services (s)", "", f"{seconds:.1f}"],
    ]
    print_table(
        f"Dual entry end to end: {SLICE} of {FORMS:,} forms keyed on {today} (all whose errors reach approval, then "
        "those with errors) through the services on an encrypted store",
        ["measure", "simulation", "services"],
        rows,
    )
    for message in refused[:5]:
        print(f"  refused by a service: {message}")
