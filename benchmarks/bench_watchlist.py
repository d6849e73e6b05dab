"""Watchlist screening quality and speed (issue 15): recall on generated name variants of listed persons, the share
of ordinary customers flagged, and the time to screen customers against a 10,000-entry list.

python -m benchmarks watchlist [--listed N] [--customers N] [--store-customers N]
(also run by `make bench-quality`, after the duplicate tables)

Everything is synthetic: the listed persons and the customers come from the demo generator with different seeds
(tests/support/watchlists.py), so same-name strangers do occur, as in life; the list goes through the UN XML
reader. Each listed person is keyed once as a customer with one variation of the name (below) and their own birth
date. The screening time is measured twice: the domain screen alone on --customers customers, and the service's
background re-screen (rescreen_step, reading an encrypted store and writing hits) on --store-customers approved
customers, whose rate is extrapolated to a million.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import keyring
import opencc
from pypinyin import Style, lazy_pinyin, pinyin

from benchmarks.table import print_table
from desktop_app.domain.synthetic import generate_customers
from desktop_app.domain.watchlist import HIT_THRESHOLD, ScreeningIndex, Subject
from desktop_app.services.watchlist_files import read_un_xml
from tests.support.keyrings import FileKeyring
from tests.support.watchlists import listed_people, un_xml

BENCH_DIR = Path(os.environ.get("DESKTOP_APP_BENCH_DIR", Path(__file__).resolve().parents[1] / "bench-data"))
SEED = 15
#: The listed persons' seed: not the store's (bench_quality.SEED), whose customers would then be the listed ones.
LISTED_SEED = 7001
CUSTOMER_SEED = 1515

_TO_TRADITIONAL = opencc.OpenCC("s2t")


def _homophones() -> dict[str, list[str]]:
    """Characters of GB 2312 level 1 (the 3,755 common ones) by toneless pinyin."""
    by_sound: dict[str, list[str]] = {}
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            by_sound.setdefault(lazy_pinyin(char, style=Style.NORMAL)[0], []).append(char)
    return by_sound


class _Variants:
    """A listed person keyed as a customer, the name written another way (one kind per customer)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.by_sound = _homophones()

    def as_listed(self, han: str, latin: str) -> tuple[str, str] | None:
        return han, latin

    def traditional(self, han: str, latin: str) -> tuple[str, str] | None:
        converted = _TO_TRADITIONAL.convert(han)
        return (converted, latin) if converted != han else None

    def homophone(self, han: str, latin: str) -> tuple[str, str] | None:
        spots = [i for i, ch in enumerate(han) if len(self.by_sound.get(lazy_pinyin(ch)[0], [])) > 1]
        if not spots or "·" in han:
            return None
        i = self.rng.choice(spots)
        others = [c for c in self.by_sound[lazy_pinyin(han[i])[0]] if c != han[i]]
        return han[:i] + self.rng.choice(others) + han[i + 1 :], latin

    def pinyin_only(self, han: str, latin: str) -> tuple[str, str] | None:
        parts = latin.split()
        style = self.rng.randrange(3)
        if style == 0:
            written = " ".join(p.capitalize() for p in parts)
        elif style == 1:
            written = " ".join(reversed(parts))
        else:
            written = "".join(parts).lower()
        return written, ""

    def tone_marks(self, han: str, latin: str) -> tuple[str, str] | None:
        if "·" in han:
            return None
        syllables = [p[0] for p in pinyin(han, style=Style.TONE)]
        return f"{syllables[0]} {''.join(syllables[1:])}", ""

    def wade_giles(self, han: str, latin: str) -> tuple[str, str] | None:
        if "·" in han:
            return None
        syllables = [p[0] for p in pinyin(han, style=Style.WADEGILES)]
        return f"{syllables[0]} {'-'.join(syllables[1:])}", ""

    def letter_wrong(self, han: str, latin: str) -> tuple[str, str] | None:
        letters = [i for i, c in enumerate(latin) if c.isalpha()]
        i = self.rng.choice(letters)
        wrong = self.rng.choice([c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c != latin[i].upper()])
        return latin[:i] + wrong + latin[i + 1 :], ""

    def near_sound(self, han: str, latin: str) -> tuple[str, str] | None:
        """A southern merger in the pinyin: zh/z, ch/c, sh/s, n/l (the name keyed from speech)."""
        for a, b in (("ZH", "Z"), ("CH", "C"), ("SH", "S"), ("Z", "ZH"), ("C", "CH"), ("S", "SH")):
            for i, token in enumerate(latin.split()):
                if token.startswith(a) and not token.startswith(b if len(b) > len(a) else "\0"):
                    tokens = latin.split()
                    tokens[i] = b + token[len(a) :]
                    return " ".join(tokens), ""
        return None


KINDS: tuple[str, ...] = (
    "as_listed",
    "traditional",
    "homophone",
    "pinyin_only",
    "tone_marks",
    "wade_giles",
    "letter_wrong",
    "near_sound",
)


def _quality(index: ScreeningIndex, people: Sequence[tuple[object, dict[str, str]]]) -> list[tuple[object, ...]]:
    rng = random.Random(SEED)
    variants = _Variants(rng)
    by_kind: dict[str, list[int]] = {k: [0, 0] for k in KINDS}
    missed: list[str] = []
    for n, (entry, person) in enumerate(people):
        for shift in range(len(KINDS)):
            kind = KINDS[(n + shift) % len(KINDS)]
            make: Callable[[str, str], tuple[str, str] | None] = getattr(variants, kind)
            written = make(person["name"], person["name_pinyin"].upper())
            if written is not None:
                break
        assert written is not None
        hits = index.screen(Subject(written[0], written[1], person["birth_date"], ""))
        found = any(h.entry is entry for h in hits)
        by_kind[kind][0] += found
        by_kind[kind][1] += 1
        if not found and len(missed) < 12:
            missed.append(f"{kind}: {written[0]} / {written[1]}")
    rows: list[tuple[object, ...]] = [(k, f, n, f"{f / n:.2%}" if n else "-") for k, (f, n) in by_kind.items()]
    if missed:
        print("missed:", "; ".join(missed))
    return rows


def run_watchlist(listed: int, customers: int, store_customers: int) -> None:
    """Print the watchlist tables (see the module docstring)."""
    print(f"generating a list of {listed:,} listed persons…")
    people = listed_people(listed, seed=LISTED_SEED)
    data = un_xml([e for e, _ in people])
    started = time.perf_counter()
    entries = read_un_xml(data)
    parse_s = time.perf_counter() - started
    started = time.perf_counter()
    index = ScreeningIndex.build(entries)
    build_s = time.perf_counter() - started
    # The index's own entries (after the XML round trip) stand for the listed persons.
    by_ref = {e.ref: e for e in index.entries}
    kinds = _quality(index, [(by_ref[e.ref], p) for e, p in people])
    found = sum(int(r[1]) for r in kinds)  # type: ignore[call-overload]
    total = sum(int(r[2]) for r in kinds)  # type: ignore[call-overload]

    print(f"screening {customers:,} ordinary customers…")
    flagged = screened = 0
    screen_s = 0.0
    for values in generate_customers(customers, seed=CUSTOMER_SEED):
        subject = Subject.of(values)
        started = time.perf_counter()
        hits = index.screen(subject)
        screen_s += time.perf_counter() - started
        flagged += bool(hits)
        screened += 1
    per_million = screen_s / max(1, screened) * 1_000_000

    store_row: tuple[object, ...] = ("service re-screen (encrypted store)", "not run", "", "")
    if store_customers:
        store_s = _store_rescreen(data, store_customers)
        store_row = (
            f"service re-screen of {store_customers:,} approved customers (store)",
            f"{store_s:.1f} s",
            f"{store_s / store_customers * 1_000_000 / 60:.1f} min per 1,000,000 (extrapolated)",
            "< 5 min",
        )
    print_table(
        f"Watchlist screening: {len(index):,} listed individuals, threshold {HIT_THRESHOLD}",
        ("measure", "result", "", "target"),
        [
            ("recall on name variants of listed persons", f"{found / max(1, total):.2%}", f"{found:,}/{total:,}",
             "≥ 99%"),
            ("ordinary customers flagged", f"{flagged / max(1, screened):.2%}", f"{flagged:,}/{screened:,}", "≤ 1%"),
            ("list file read (UN XML, defusedxml)", f"{parse_s:.2f} s", "", ""),
            ("blocking index built", f"{build_s:.2f} s", "", ""),
            (f"domain screen of {screened:,} customers", f"{screen_s:.1f} s",
             f"{per_million / 60:.1f} min per 1,000,000" + (" (extrapolated)" if screened < 1_000_000 else ""),
             "< 5 min"),
            store_row,
        ],
    )  # fmt: skip
    print_table("Recall by variation (one per listed person)", ("variation", "found", "of", "recall"), kinds)


def _store_rescreen(list_file: bytes, customers: int) -> float:
    """Seconds the service's background re-screen takes over `customers` approved customers in a real store."""
    from benchmarks.bench_quality import PASSWORD, _build
    from desktop_app.services.workstation import Workstation
    from desktop_app.storage.store import Store

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["DESKTOP_APP_TEST_KEYRING"] = str(BENCH_DIR / "bench-keyring.json")
    keyring.set_keyring(FileKeyring())  # a benchmark never touches the real credential store
    root = BENCH_DIR / f"watchlist-{customers}"
    print(f"building a store of {customers:,} approved customers…")
    _build(root, customers, 0)
    ws = Workstation(Store.open(root))
    try:
        # The bench store has tellers only: an administrator imports, a supervisor re-screens.
        from desktop_app.domain.roles import Role
        from desktop_app.services.users import new_user

        with ws.store.write() as s:
            new_user(s, "admin", PASSWORD, {Role.ADMIN}, "", must_change_password=False)
            new_user(s, "super", PASSWORD, {Role.SUPERVISOR}, "", must_change_password=False)
        admin, _ = ws.auth.login("admin", PASSWORD)
        supervisor, _ = ws.auth.login("super", PASSWORD)
        ws.watchlist.import_list(admin, list_file, "consolidated.xml")
        started = time.perf_counter()
        progress = ws.watchlist.rescreen_step(supervisor)
        while not progress.finished:
            progress = ws.watchlist.rescreen_step(supervisor)
        elapsed = time.perf_counter() - started
        print(f"  re-screened {progress.screened:,}: {progress.hits:,} hits")
        return elapsed
    finally:
        ws.close()
        shutil.rmtree(root, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks watchlist")
    parser.add_argument("--listed", type=int, default=10_000, help="listed persons (default 10,000)")
    # Generating a synthetic customer costs more than screening one: a million takes the generator ~20 minutes.
    parser.add_argument("--customers", type=int, default=100_000, help="ordinary customers (default 100,000)")
    parser.add_argument(
        "--store-customers", type=int, default=50_000, help="approved customers in the store re-screen (0: skip)"
    )
    args = parser.parse_args(argv)
    run_watchlist(args.listed, args.customers, args.store_customers)


if __name__ == "__main__":
    main()
