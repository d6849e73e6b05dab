"""Key rotation killed with SIGKILL at every step, and at random moments (issue 14 item 3), for both key storages.

Each kill is followed by what the next program does: open the store with the credential store as the crash left
it. Every record committed before the kill must be there, the store must open and pass verify, the rotation must
be settled, and the recovery code must still unlock the key. The quick form (keyring, each step once) is what
tests/integration/test_rekey_safety.py runs in `make test`; the full form adds the passphrase storage, three rounds
of every step, random moments in a rotation of a store of 50,000 records, and the refusals beside other programs.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from desktop_app.storage.errors import StoreBusy
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.store import Store
from probes.result import ProbeResult
from tests.support.rekey_faults import (
    Workshop,
    check_after_crash,
    commit_record,
    commit_records,
    file_keyring_at,
    kill_rotation,
    make_workshop,
    rotation_steps,
)
from tests.support.running_app import RunningApp

TITLE = "Key rotation: SIGKILL at every step and at random moments (issue 14 item 3)"
EXPECTED = "opens; every committed record; settled; recovery code opens it"
ROUNDS = 3
RANDOM_KILLS = 15
BIG_STORE = 50_000


def run(quick: bool) -> list[ProbeResult]:
    """Every probe of this module; `quick`: keyring storage, each step once."""
    results: list[ProbeResult] = []
    with tempfile.TemporaryDirectory(prefix="probe-rekey-") as folder:
        with file_keyring_at(Path(folder) / "keyring.json"):
            methods = [KeyMethod.KEYRING] if quick else [KeyMethod.KEYRING, KeyMethod.PASSPHRASE]
            for method in methods:
                shop = make_workshop(Path(folder) / f"steps-{method.value}", method)
                results += _every_step(shop, rounds=1 if quick else ROUNDS)
            if not quick:
                for method in methods:
                    shop = make_workshop(Path(folder) / f"random-{method.value}", method)
                    results += _random_moments(shop, random.Random(20261207))  # noqa: S311 - when to kill
                results += _refusals(make_workshop(Path(folder) / "refusals", KeyMethod.KEYRING))
    return results


def _outcome(shop: Workshop, key_before: bytes | None) -> tuple[str, bool]:
    problems = check_after_crash(shop)
    if problems:
        return "; ".join(problems), False
    kept = "old key kept" if shop.opened_with == key_before else "new key in use"
    return f"ok: {kept}, {len(shop.committed)} records", True


def _every_step(shop: Workshop, rounds: int) -> list[ProbeResult]:
    steps = rotation_steps(shop)
    results = []
    for round_ in range(1, rounds + 1):
        for n, step in enumerate(steps, start=1):
            key_before = shop.opened_with
            run = kill_rotation(shop, kill_at=n, records=2)
            probe = f"{shop.method.value}: SIGKILL before {step}" + (f" (round {round_})" if rounds > 1 else "")
            if not run.killed or run.error:
                results.append(ProbeResult(probe, EXPECTED, f"the child was not killed there: {run.error}", False))
                continue
            result, ok = _outcome(shop, key_before)
            results.append(ProbeResult(probe, EXPECTED, result, ok))
    return results


def _random_moments(shop: Workshop, rng: random.Random) -> list[ProbeResult]:
    store = Store.open(shop.root, shop.source())
    try:
        shop.committed.update(commit_records(store, shop.maker_id, BIG_STORE))
    finally:
        store.close()
    check_after_crash(shop)
    whole = kill_rotation(shop, records=0)
    first, last = whole.step_times[0], whole.step_times[-1]
    result, ok = _outcome(shop, None)
    results = [
        ProbeResult(
            f"{shop.method.value}: one whole rotation of {BIG_STORE:,} records",
            EXPECTED,
            f"{result} (first step at {first:.3f} s, last at {last:.3f} s)",
            whole.finished and ok,
        )
    ]
    for _ in range(RANDOM_KILLS):  # the moments between the first and the last step: the copy, the switch
        delay = rng.uniform(first, last)
        key_before = shop.opened_with
        run = kill_rotation(shop, delay=delay, records=2)
        where = f"last step begun: {run.steps[-1]}" if run.steps else "before the first step"
        if run.finished:
            where = "after it finished"
        result, ok = _outcome(shop, key_before)
        ok = ok and run.error is None and (run.killed or run.finished)
        results.append(
            ProbeResult(
                f"{shop.method.value}: SIGKILL at {delay:.3f} s ({where})", EXPECTED, result + (run.error or ""), ok
            )
        )
    return results


def _refusals(shop: Workshop) -> list[ProbeResult]:
    results = []
    expected = "refused, nothing changed, no record lost"
    with RunningApp(shop.root, shop.maker_id) as app:
        app.commit()
        store = Store.open(shop.root)
        try:
            store.rekey()
            outcome = "rotated under the running app"
        except Exception as exc:
            outcome = f"refused: {exc.__class__.__name__}"
        finally:
            store.close()
        app.commit()
    shop.committed.update(app.committed)
    problems = check_after_crash(shop)
    ok = outcome.startswith("refused") and not problems
    results.append(ProbeResult("rekey while the desktop app runs", expected, "; ".join([outcome, *problems]), ok))

    other, rotating = Store.open(shop.root), Store.open(shop.root)
    try:
        with other.read() as session:
            session.connection()  # a read transaction, as a long report or export holds
            try:
                rotating.rekey()
                outcome = "rotated under another program's connection"
            except StoreBusy:
                outcome = "refused: StoreBusy"
        shop.committed.add(commit_record(other, shop.maker_id))
    finally:
        other.close()
        rotating.close()
    problems = check_after_crash(shop)
    ok = outcome.startswith("refused") and not problems
    results.append(
        ProbeResult("rekey while another program reads the database", expected, "; ".join([outcome, *problems]), ok)
    )
    return results
