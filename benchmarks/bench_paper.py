"""Paper-form benchmark (issue 16): `make bench-paper`, or python -m benchmarks paper [--forms N] [--pages N].

1. Scan to stored: A4 at 300 dpi from SANE's `test` backend (a real device through libsane), a feeder of 10
   sheets scanned into a record; the device's own time (the same feed read with nothing stored) is measured apart
   and taken off. Then a generated form's two pages through the same path (page 1 with its QR code, page 2
   without, turned upright by Tesseract's OSD), and the time to fetch and decode a stored page for showing.
   Target: < 2 s a page, excluding the device.
2. Barcode read rate: page 1 of generated forms (each its own serial and customer) through the OCR benchmark's
   scan degradations (tests/support/id_family/capture.py: flatbed and phone captures, rotation, scale, blur,
   noise, JPEG, uneven light, shadows, beds), read as the app reads them. Target: >= 99.5%.
3. Stored pages: --pages pages added to records, every other one a page stored before: the store grows by the
   distinct pages' compressed size only; listing and opening a page are timed.
4. Keying speed (benchmarks/keying_probe.py, in its own process): a scripted clerk keys --keying-forms generated
   forms into the real entry form window, from the paper page beside the fields and from an in-memory value list,
   on a private Xvfb with openbox (xcb) and offscreen. Target: the image never holds up typing, i.e. no keystroke
   waits longer with the page than without it, and a clerk typing 8 keys a second keys a form in the same time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from benchmarks.table import percentile, print_table
from desktop_app.domain.form_schema import default_form_path, load_default_form
from desktop_app.domain.paper_layout import PaperLayout, layouts_for
from desktop_app.domain.roles import Role
from desktop_app.ocr.form_barcode import read_form_code
from desktop_app.scanning.sane_device import SaneScanner, ScanSettings
from desktop_app.services.paper_pages import prepare_page
from desktop_app.services.workstation import Workstation
from desktop_app.storage.keystore import KeyMethod
from tests.support.customers import resident
from tests.support.id_family import capture
from tests.support.id_family.splits import DEVELOPMENT
from tests.support.paper_forms import draw_form, serial_text
from tests.support.sane_test_device import FEEDER_SHEETS, use_test_backend

PASSWORD = "Bench-Passw0rd-1"
PASSPHRASE = "bench passphrase for paper"
# Paper forms are scanned at 200-300 dpi (the settings allow 150-600); the rest of the degradations are the OCR
# benchmark's own, unchanged.
FORM_DPIS = (200, 300)


def _workstation(root: Path) -> tuple[Workstation, object, object]:
    ws, _, admin = Workstation.initialise(root, "admin", PASSWORD, KeyMethod.PASSPHRASE, PASSPHRASE)
    ws.users.add(admin, "teller", PASSWORD, {Role.TELLER})
    teller, must_change = ws.auth.login("teller", PASSWORD)
    if must_change:
        ws.auth.change_password(teller, PASSWORD, PASSWORD + "x")
        teller, _ = ws.auth.login("teller", PASSWORD + "x")
    return ws, admin, teller


def _device_time(settings: ScanSettings, picture: str) -> float:
    """Seconds a page the device itself takes (a whole feeder read, nothing kept)."""
    with SaneScanner(settings) as scanner:
        scanner.handle.test_picture = picture
        started = time.perf_counter()
        outcome = scanner.scan(lambda _i, _image: None)
        return (time.perf_counter() - started) / max(1, outcome.pages)


def bench_scan(ws: Workstation, teller: object, layout: PaperLayout) -> list[list[object]]:
    rows: list[list[object]] = []
    for mode, picture in (("color", "Color pattern"), ("gray", "Grid"), ("color", "Grid")):
        settings = ScanSettings(dpi=300, mode=mode)
        device = _device_time(settings, picture)
        rid = ws.records.create(teller, resident(1)).record_id  # type: ignore[arg-type]
        started = time.perf_counter()

        def set_picture(scanner: object, picture: str = picture) -> None:
            scanner.handle.test_picture = picture  # type: ignore[attr-defined]

        report = ws.paper.scan(teller, rid, settings, configure=set_picture)  # type: ignore[arg-type]
        total = (time.perf_counter() - started) / max(1, len(report.added))
        assert len(report.added) == FEEDER_SHEETS, report.failure
        rows.append(
            [
                f"SANE test, {mode}, '{picture}'",
                len(report.added),
                f"{device:.2f}",
                f"{total:.2f}",
                f"{total - device:.2f}",
            ]
        )
    # A generated form fed upside down, as a two-page TIFF: page 1 turned back by its code, page 2 as the feed.
    form = [page.rotate(180) for page in draw_form(layout, resident(2), "00012345")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.tif"
        form[0].save(path, "TIFF", save_all=True, append_images=form[1:], compression="tiff_deflate")
        rid = ws.records.create(teller, resident(2) | {"form_number": ""}).record_id  # type: ignore[arg-type]
        started = time.perf_counter()
        report = ws.paper.add_file(teller, rid, path)  # type: ignore[arg-type]
        took = (time.perf_counter() - started) / len(report.added)
    rows.append(["generated form, 2 pages upside down (TIFF)", len(report.added), "-", f"{took:.2f}", f"{took:.2f}"])
    alone = ws.records.create(teller, resident(3)).record_id  # type: ignore[arg-type]
    started = time.perf_counter()
    ws.paper.add_page(teller, alone, form[1], "scanner")  # type: ignore[arg-type]
    took = time.perf_counter() - started
    rows.append(["form page 2 alone (no code: Tesseract OSD)", 1, "-", f"{took:.2f}", f"{took:.2f}"])
    pages = ws.paper.list_pages(teller, rid)  # type: ignore[arg-type]
    started = time.perf_counter()
    _, image = ws.paper.page_image(teller, rid, pages[0].id)  # type: ignore[arg-type]
    Image.open(io.BytesIO(image)).load()
    rows.append(["fetch + decode a stored page for showing", 1, "-", f"{time.perf_counter() - started:.2f}", "-"])
    return rows


def bench_barcodes(layout: PaperLayout, forms: int, seed: int) -> tuple[list[list[object]], list[str]]:
    rng = random.Random(seed)
    spec = DEVELOPMENT
    hint = layout.code_hint()
    hints = [hint] if hint else []
    results: dict[str, list[bool]] = {"flatbed": [], "phone": []}
    times: list[float] = []
    failures: list[str] = []
    for index in range(forms):
        serial = f"{rng.randrange(10**8):08d}"
        page = draw_form(layout, resident(seed * 10_000 + index), serial, seed=index)[0]
        mask = Image.new("L", page.size, 255)
        if rng.random() < spec.phone_share:
            data, _, done = capture.phone(page, mask, rng, rng.choice(spec.surfaces), spec.degradation)
        else:
            data, _, done = capture.flatbed(page, mask, rng, rng.choice(spec.beds), FORM_DPIS, spec.degradation)
        scanned = Image.open(io.BytesIO(data))
        scanned.load()
        started = time.perf_counter()
        code = read_form_code(scanned, hints)
        times.append(time.perf_counter() - started)
        ok = code is not None and code.text == serial_text(serial)
        results[str(done["capture"])].append(ok)
        if not ok:
            failures.append(f"#{index}: " + ", ".join(f"{k}={v}" for k, v in done.items() if k != "size"))
    rows: list[list[object]] = []
    for kind, found in results.items():
        if found:
            rows.append([kind, len(found), sum(found), f"{100 * sum(found) / len(found):.2f}%", "", ""])
    everything = [ok for found in results.values() for ok in found]
    rows.append(
        [
            "all",
            len(everything),
            sum(everything),
            f"{100 * sum(everything) / max(1, len(everything)):.2f}%",
            f"{statistics.median(times) * 1000:.0f}",
            f"{percentile(times, 95) * 1000:.0f}",
        ]
    )
    return rows, failures


def _distinct_page(number: int) -> Image.Image:
    page = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi, a grey scan
    draw = ImageDraw.Draw(page)
    rng = random.Random(number)
    for line in range(30):
        draw.text((100, 150 + line * 50), f"page {number} line {line} " + "x" * rng.randrange(10, 60), fill=0)
    return page


def bench_store(ws: Workstation, teller: object, pages: int) -> list[list[object]]:
    distinct = max(1, pages // 2)
    prepared = [prepare_page(_distinct_page(n), use_osd=False) for n in range(distinct)]
    record_ids = [
        ws.records.create(teller, resident(index)).record_id  # type: ignore[arg-type]
        for index in range(0, pages, 10)
    ]
    before = _store_bytes(ws)
    adds: list[float] = []
    for index in range(pages):
        page = prepared[index // 2] if index % 2 == 0 else prepared[rng_index(index, distinct)]
        started = time.perf_counter()
        ws.paper.add_page(teller, record_ids[index // 10], page, "file")  # type: ignore[arg-type]
        adds.append(time.perf_counter() - started)
    grown = _store_bytes(ws) - before
    compressed = sum(len(p.content) + len(p.thumbnail) for p in prepared)
    lists, opens = [], []
    for rid in record_ids[:50]:
        started = time.perf_counter()
        listed = ws.paper.list_pages(teller, rid)  # type: ignore[arg-type]
        lists.append(time.perf_counter() - started)
        started = time.perf_counter()
        ws.paper.page_image(teller, rid, listed[0].id)  # type: ignore[arg-type]
        opens.append(time.perf_counter() - started)
    return [
        ["pages added / distinct images", f"{pages} / {distinct}"],
        ["distinct images' compressed size (MiB)", f"{compressed / 2**20:.1f}"],
        ["store growth (MiB)", f"{grown / 2**20:.1f} ({grown / max(1, compressed):.2f}x)"],
        [
            "add a prepared page, median / p95 (ms)",
            f"{statistics.median(adds) * 1000:.0f} / {percentile(adds, 95) * 1000:.0f}",
        ],
        ["list a record's pages, median (ms)", f"{statistics.median(lists) * 1000:.1f}"],
        ["open a page (audited), median (ms)", f"{statistics.median(opens) * 1000:.1f}"],
    ]


def rng_index(index: int, distinct: int) -> int:
    """An earlier distinct page, stored again (a re-scan, a page carried into a change)."""
    return random.Random(index).randrange(max(1, min(distinct, index // 2 + 1)))


def _store_bytes(ws: Workstation) -> int:
    """The database file's size once its write-ahead log is copied in: what the pages cost on disk."""
    with ws.store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database = ws.store.data_dir.database
    return sum(p.stat().st_size for p in database.parent.glob(database.name + "*") if p.is_file())


CLERK_KEY_MS = 125.0  # a fast clerk's burst rate, 8 keys a second: a keystroke handled later than this holds them up
FRAME_MS = 16.7


def _keying_probe(forms: int, platform: str, display: str | None) -> dict[str, object]:
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, QT_QPA_PLATFORM=platform, PYTHONPATH=str(root))
    if display is not None:
        env["DISPLAY"] = display
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.keying_probe", str(forms)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=900,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_keying(forms: int) -> list[list[object]]:
    """Rows: platform, source, forms, keystrokes, median / p99 / max ms a keystroke, keystrokes over a frame,
    machine seconds a form, seconds a form for a clerk at 8 keys a second."""
    from benchmarks.bench_gui import x_display

    rows: list[list[object]] = []
    with x_display() as display:
        runs = [("xcb (Xvfb + openbox)", "xcb", display)] if display is not None else []
        for label, platform, shown_on in [*runs, ("offscreen", "offscreen", None)]:
            result = _keying_probe(forms, platform, shown_on)
            figures = result["figures"]
            assert isinstance(figures, dict)
            shown = f"paper page beside the fields (shown on {result['pages_shown']} of {forms} forms)"
            for mode, words in (("image", shown), ("list", "in-memory value list")):
                keys: list[float] = figures[mode]["key_ms"]
                per_form: list[float] = figures[mode]["form_s"]
                clerk = sum(max(CLERK_KEY_MS, k) for k in keys) / 1000 / max(1, len(per_form))
                rows.append(
                    [
                        label,
                        words,
                        len(per_form),
                        len(keys),
                        f"{statistics.median(keys):.2f}",
                        f"{percentile(keys, 99):.2f}",
                        f"{max(keys):.1f}",
                        sum(k > FRAME_MS for k in keys),
                        f"{statistics.median(per_form):.3f}",
                        f"{clerk:.2f}",
                    ]
                )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run the three parts and print their tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks paper")
    parser.add_argument("--forms", type=int, default=400, help="generated forms for the barcode read rate")
    parser.add_argument("--pages", type=int, default=400, help="pages stored for the store-size part")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--keying-forms", type=int, default=10, help="forms the scripted clerk keys in each mode")
    parser.add_argument("--quick", action="store_true", help="60 forms, 60 pages, 3 keyed forms")
    args = parser.parse_args(argv)
    if args.quick:
        args.forms, args.pages, args.keying_forms = 60, 60, 3
    schema = load_default_form()
    (layout,) = layouts_for(default_form_path().parent, schema)
    with tempfile.TemporaryDirectory() as tmp:
        use_test_backend(Path(tmp) / "sane")
        ws, _admin, teller = _workstation(Path(tmp) / "data")
        try:
            scan_rows = bench_scan(ws, teller, layout)
            store_rows = bench_store(ws, teller, args.pages)
        finally:
            ws.close()
    print_table(
        "Scan to stored, A4 at 300 dpi, seconds a page (target: < 2 s excluding the device)",
        ["source", "pages", "device s/page", "total s/page", "excluding device"],
        scan_rows,
    )
    rows, failures = bench_barcodes(layout, args.forms, args.seed)
    print_table(
        f"Form code read rate on {args.forms} generated forms through the OCR benchmark's degradations "
        "(target: >= 99.5%)",
        ["capture", "forms", "read", "rate", "median ms", "p95 ms"],
        rows,
    )
    for failure in failures[:20]:
        print("  not read:", failure)
    print_table("Stored pages (no duplicate copies)", ["measure", "value"], store_rows)
    print_table(
        f"Keying speed: a scripted clerk keys {args.keying_forms} generated forms into the real entry form window "
        "(target: the page never holds up typing; the same seconds a form for a clerk at 8 keys a second)",
        [
            "platform",
            "keyed from",
            "forms",
            "keystrokes",
            "median ms/key",
            "p99 ms/key",
            "max ms/key",
            "keys > 1 frame",
            "machine s/form",
            "clerk s/form",
        ],
        bench_keying(args.keying_forms),
    )


if __name__ == "__main__":
    main()
