"""Duplicate detection quality and speed (issue 15): recall and precision at the default threshold, and the
candidate query's latency, on a store of N stored customers and a set of new entries of which some are stored
customers keyed again with realistic variation.

python -m benchmarks quality [--records N] [--entries M] [--duplicates D] [--fresh]

The variations (one to three per repeated customer): a homophone or the traditional form of the name, the name's
pinyin spelled otherwise (case, spaces, order), one wrong or two swapped characters of the ID number, a passport
instead of the resident ID, a changed mobile, a changed address, and the hardest: another resident ID number
(not a slip of the stored one) with a variant of the name and the same mobile or address (the birth date is then
the only other thing that agrees). The other entries are new customers from the same
generator (same name pool, so same-name strangers born on the same day do occur, as in life).
Everything is synthetic (domain/synthetic.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import keyring
import opencc
from pypinyin import Style, lazy_pinyin
from sqlalchemy import insert, select

from benchmarks.table import percentile, print_table
from desktop_app.domain.duplicate_evidence import DEFAULT_THRESHOLD, Evidence
from desktop_app.domain.id_numbers import gb11643_check_char
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.records import search_columns
from desktop_app.services.search_budget import SearchBudget
from desktop_app.services.users import new_user
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from desktop_app.storage.models import Record, RecordVersion, User
from desktop_app.storage.store import Store
from tests.support.keyrings import FileKeyring

BENCH_DIR = Path(os.environ.get("DESKTOP_APP_BENCH_DIR", Path(__file__).resolve().parents[1] / "bench-data"))
PASSWORD = "Bench-Passw0rd-1"
TODAY = date(2026, 6, 1)
SEED = 15
VARIATIONS = ("homophone", "traditional", "pinyin", "id_digit", "id_swap", "passport", "mobile", "address", "new_id")
NAME_VARIATIONS = ("homophone", "traditional", "pinyin")
EVIDENCE_CODES = frozenset(e.value for e in Evidence)


def _build(root: Path, records: int, extra: int) -> list[dict[str, str]]:
    """A store of `records` approved customers; returns the `extra` customers generated after them (new people)."""
    shutil.rmtree(root, ignore_errors=True)
    store, _ = Store.create(root, KeyMethod.KEYRING)
    at = datetime(2025, 1, 1, 10)
    new_people: list[dict[str, str]] = []
    with store.write() as s:
        new_user(s, "teller", PASSWORD, {Role.TELLER}, "", must_change_password=False)
        new_user(s, "teller2", PASSWORD, {Role.TELLER}, "", must_change_password=False)
        maker = s.scalar(select(User.id).where(User.username == "teller"))
        heads, versions = [], []
        for i, values in enumerate(generate_customers(records + extra, seed=SEED, today=TODAY)):
            if i >= records:
                new_people.append(values)
                continue
            rid = f"bench-{i:07d}"
            heads.append(
                {
                    "id": rid,
                    "form_key": "personal_customer",
                    "status": "approved",
                    "version": 1,
                    "approved_version": 1,
                    "maker_id": maker,
                    "made_at": at,
                    "checker_id": maker,
                    "checked_at": at,
                    **search_columns(values),
                    "created_at": at,
                    "updated_at": at,
                }
            )
            data = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            versions.append({"record_id": rid, "version": 1, "data": data, "kind": "create", "created_by": maker,
                             "created_at": at})  # fmt: skip
            if len(heads) == 10_000:
                s.execute(insert(Record), heads)
                s.execute(insert(RecordVersion), versions)
                heads, versions = [], []
                if (i + 1) % 100_000 == 0:
                    print(f"  {i + 1:,} stored")
        if heads:
            s.execute(insert(Record), heads)
            s.execute(insert(RecordVersion), versions)
    store.close()
    (root / "READY").write_text(str(records))
    (root / "new-people.json").write_text(json.dumps(new_people, ensure_ascii=False))
    return new_people


class _Variation:
    """Realistic re-keyings of a stored customer."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.to_traditional = opencc.OpenCC("s2t")
        # Homophones from the 3,755 common characters (GB 2312 level 1), by toneless pinyin.
        by_sound: dict[str, list[str]] = {}
        for high in range(0xB0, 0xD8):
            for low in range(0xA1, 0xFF):
                try:
                    char = bytes((high, low)).decode("gb2312")
                except UnicodeDecodeError:
                    continue
                by_sound.setdefault(lazy_pinyin(char, style=Style.NORMAL)[0], []).append(char)
        self.by_sound = by_sound

    def homophone(self, values: dict[str, str]) -> bool:
        name = values["name"]
        spots = [i for i, ch in enumerate(name) if len(self.by_sound.get(lazy_pinyin(ch)[0], [])) > 1]
        if not spots or "·" in name:
            return False
        i = self.rng.choice(spots)
        others = [c for c in self.by_sound[lazy_pinyin(name[i])[0]] if c != name[i]]
        values["name"] = name[:i] + self.rng.choice(others) + name[i + 1 :]
        return True

    def traditional(self, values: dict[str, str]) -> bool:
        converted = self.to_traditional.convert(values["name"])
        values["name"] = converted
        return True

    def pinyin(self, values: dict[str, str]) -> bool:
        parts = values["name_pinyin"].split()
        style = self.rng.randrange(3)
        if style == 0:
            values["name_pinyin"] = " ".join(p.capitalize() for p in parts)
        elif style == 1:
            values["name_pinyin"] = " ".join(reversed(parts))
        else:
            values["name_pinyin"] = "".join(parts).lower()
        return True

    def id_digit(self, values: dict[str, str]) -> bool:
        number = values["id_number"]
        i = self.rng.randrange(len(number))
        digit = self.rng.choice([d for d in "0123456789" if d != number[i]])
        values["id_number"] = number[:i] + digit + number[i + 1 :]
        return True

    def id_swap(self, values: dict[str, str]) -> bool:
        number = values["id_number"]
        spots = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
        i = self.rng.choice(spots)
        values["id_number"] = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        return True

    def passport(self, values: dict[str, str]) -> bool:
        if values["id_type"] == "passport":
            return False
        values["id_type"] = "passport"
        values["id_number"] = f"E{self.rng.randrange(10**8):08d}"
        return True

    def mobile(self, values: dict[str, str]) -> bool:
        values["mobile"] = f"139{self.rng.randrange(10**8):08d}"
        return True

    def address(self, values: dict[str, str]) -> bool:
        values["address"] = f"演示省样例市示例区测试路 {self.rng.randrange(1, 999)} 号"
        return True

    def new_id(self, values: dict[str, str]) -> bool:
        number = values["id_number"]
        if values["id_type"] != "resident_id" or len(number) != 18:
            return False
        # The same region and birth date, another sequence number of the same sex (its last digit's parity).
        while True:
            seq = self.rng.randrange(1000)
            if seq % 2 == int(number[16]) % 2 and f"{seq:03d}" != number[14:17]:
                break
        first17 = f"{number[:14]}{seq:03d}"
        values["id_number"] = first17 + gb11643_check_char(first17)
        return True

    def apply(self, values: dict[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
        out = dict(values)
        wanted = self.rng.sample(VARIATIONS, self.rng.randint(1, 3))
        if "new_id" in wanted:
            # The tester's case: a new document number, a variant of the name, and the mobile or the address kept.
            wanted = [w for w in wanted if w not in ("passport", "id_digit", "id_swap")]
            if "mobile" in wanted and "address" in wanted:
                wanted.remove(self.rng.choice(("mobile", "address")))
            if not any(w in NAME_VARIATIONS for w in wanted):
                wanted.append(self.rng.choice(NAME_VARIATIONS))
        # One change of document at a time: a slip in a passport number replacing the ID is not a slip.
        if "passport" in wanted:
            wanted = [w for w in wanted if w not in ("id_digit", "id_swap")]
        if "id_digit" in wanted and "id_swap" in wanted:
            wanted.remove("id_swap")
        done = tuple(kind for kind in wanted if getattr(self, kind)(out))
        return out, done


def run(records: int, entries: int, duplicates: int, fresh: bool) -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["DESKTOP_APP_TEST_KEYRING"] = str(BENCH_DIR / "bench-keyring.json")
    keyring.set_keyring(FileKeyring())  # a benchmark never touches the real credential store
    root = BENCH_DIR / f"quality-{records}"
    ready = root / "READY"
    strangers = entries - duplicates
    people_file = root / "new-people.json"
    if fresh or not ready.exists() or ready.read_text() != str(records) or not people_file.exists():
        print(f"building a store of {records:,} approved customers…")
        started = time.perf_counter()
        new_people = _build(root, records, strangers)
        print(f"  built in {time.perf_counter() - started:.0f} s")
    else:
        new_people = json.loads(people_file.read_text())
    new_people = new_people[:strangers]
    ws = Workstation(Store.open(root))
    try:
        clerk, _ = ws.auth.login("teller2", PASSWORD)
        # The 10,000 entries stand for many clerks over many days: one clerk's checks are limited (30 in ten
        # minutes, 150 a day: services/duplicates.py, issue 14's oracle), which tests hold; what is measured
        # here is each check's answer and time, so the limit is lifted for this run.
        unlimited = 10**9
        ws.duplicates._budget = SearchBudget(ws.store, limit=unlimited, kind="duplicate")
        ws.duplicates._daily = SearchBudget(ws.store, limit=unlimited, window=timedelta(days=1), kind="duplicate_day")
        rng = random.Random(SEED)
        picks = rng.sample(range(records), duplicates)
        variation = _Variation(rng)
        batch: list[tuple[dict[str, str], str | None, tuple[str, ...]]] = []
        with ws.store.read() as s:
            for i in picks:
                rid = f"bench-{i:07d}"
                data = s.get(RecordVersion, (rid, 1))
                assert data is not None
                values, kinds = variation.apply(json.loads(data.data))
                batch.append((values, rid, kinds))
        batch += [(values, None, ()) for values in new_people]
        rng.shuffle(batch)

        latencies: list[float] = []
        found_true = flagged_pairs = true_pairs = strangers_flagged = 0
        by_kind: dict[str, list[int]] = {k: [0, 0] for k in VARIATIONS}
        missed: list[tuple[str, ...]] = []
        false_by: Counter[str] = Counter()
        for values, truth, kinds in batch:
            started = time.perf_counter()
            candidates = ws.duplicates.for_entry(clerk, values)
            latencies.append((time.perf_counter() - started) * 1000)
            ids = {c.record_id for c in candidates}
            flagged_pairs += len(ids)
            for c in candidates:
                if c.record_id != truth:  # a false pair: what made it (the evidence codes, names aside)
                    false_by.update(["+".join(r for r in c.reasons if r in EVIDENCE_CODES) or "name alone"])
            if truth is None:
                strangers_flagged += bool(ids)
                continue
            hit = truth in ids
            found_true += hit
            true_pairs += hit
            for kind in kinds:
                by_kind[kind][0] += hit
                by_kind[kind][1] += 1
            if not hit:
                missed.append(kinds)
        recall = found_true / max(1, duplicates)
        precision = true_pairs / max(1, flagged_pairs)
        print_table(
            f"Duplicate detection on {records:,} stored customers, {entries:,} new entries "
            f"({duplicates:,} of them stored customers keyed again), threshold {DEFAULT_THRESHOLD}",
            ("measure", "result", "target"),
            [
                ("recall (repeated customers found)", f"{recall:.2%} ({found_true:,}/{duplicates:,})", "≥ 99%"),
                ("precision (flagged pairs that are right)", f"{precision:.2%} ({true_pairs:,}/{flagged_pairs:,})",
                 "≥ 95%"),
                ("new customers with any candidate", f"{strangers_flagged / max(1, strangers):.2%} "
                 f"({strangers_flagged:,}/{strangers:,})", ""),
                ("candidate query p50", f"{percentile(latencies, 50):.1f} ms", ""),
                ("candidate query p95", f"{percentile(latencies, 95):.1f} ms", "< 50 ms"),
                ("candidate query max", f"{max(latencies):.1f} ms", ""),
            ],
        )  # fmt: skip
        print_table(
            "Recall by variation (an entry may carry up to three)",
            ("variation", "found", "of", "recall"),
            [(k, f, n, f"{f / n:.2%}" if n else "-") for k, (f, n) in by_kind.items()],
        )
        if false_by:
            print_table(
                "False pairs by their evidence (most frequent)",
                ("evidence", "pairs"),
                [(kind, n) for kind, n in false_by.most_common(6)],
            )
        if missed:
            print("missed (their variations):", ", ".join("+".join(m) for m in missed[:20]))
    finally:
        ws.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks quality")
    parser.add_argument("--records", type=int, default=1_000_000, help="stored customers (default 1,000,000)")
    parser.add_argument("--entries", type=int, default=10_000, help="new entries (default 10,000)")
    parser.add_argument("--duplicates", type=int, default=2_000, help="of them stored customers (default 2,000)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark store")
    # The watchlist part (benchmarks/bench_watchlist.py; alone: python -m benchmarks watchlist).
    parser.add_argument("--listed", type=int, default=10_000, help="watchlist: listed persons (default 10,000)")
    parser.add_argument("--screened", type=int, default=100_000, help="watchlist: customers screened (default 100,000)")
    parser.add_argument("--rescreened", type=int, default=50_000, help="watchlist: store re-screen size (0: skip)")
    args = parser.parse_args(argv)
    run(args.records, args.entries, args.duplicates, args.fresh)
    from benchmarks.bench_watchlist import run_watchlist

    run_watchlist(args.listed, args.screened, args.rescreened)


if __name__ == "__main__":
    main()
