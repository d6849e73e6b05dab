"""A quick trial of recognise() on resident ID cards drawn by tests/support/cn_id_variants.py (and, for comparison,
by id_documents.py): per kind and scan level, how many were recognised, how many had every field right, and how
many fields were wrong yet shown as verified or read clearly (confidence ≥ 0.8), the silent errors.

    python -m tests.support.cn_id_trial --n 20 [--levels clean ordinary poor] [--kinds cn_id_front cn_id_back]
    python -m tests.support.cn_id_trial --n 20 --generator development --levels all   (id_family's development split)

Not the benchmark (make bench-ocr) and not a test: a tool for measuring a change on documents of other drawings.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter

from PIL import Image

from desktop_app.ocr.recognise import recognise
from desktop_app.ocr.result import DocumentResult
from desktop_app.services.scan_fill import LOW_CONFIDENCE
from tests.support import cn_id_variants as variants
from tests.support import id_documents as docs
from tests.support import id_family


def _generated(kind: str, seed: int, level: str) -> tuple[Image.Image, dict[str, str]]:
    rng = random.Random(seed)
    person = docs.synthetic_identity(rng, "resident")
    card, truth = (docs.cn_id_front if kind == "cn_id_front" else docs.cn_id_back)(person, rng)
    if level != "clean":
        card = docs.degrade(card if rng.random() < 0.5 else docs.place_on_scanner_bed(card, rng), rng)
    return card, truth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kinds", nargs="+", default=["cn_id_front", "cn_id_back"])
    parser.add_argument("--levels", nargs="+", default=list(variants.LEVELS))
    parser.add_argument("--generator", choices=("variants", "id_documents", "development"), default="variants")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--dump", help="write each field read (value, truth, confidence, verified) to this JSONL file")
    args = parser.parse_args()
    print(f"{'kind':12} {'level':9} {'n':>3} {'recog':>6} {'all ok':>6} {'fields':>7} {'silent':>6} {'p50 s':>6}")
    for kind in args.kinds:
        for level in args.levels:
            tally: Counter[str] = Counter()
            times = []
            for i in range(args.seed, args.seed + args.n):
                if args.generator == "variants":
                    scanned, truth, _ = variants.document(kind, i, level)
                    image = scanned.image
                elif args.generator == "development":
                    # The development split of the document family (never the sealed one): clean and degraded
                    # documents come in its own proportion, so --levels is not used.
                    sample = id_family.document(id_family.DEVELOPMENT, i, kinds=(kind,))
                    image, truth = sample.image().convert("RGB"), sample.truth
                else:
                    image, truth = _generated(kind, 1000 + i, "clean" if level == "clean" else "ordinary")
                started = time.perf_counter()
                try:
                    result = recognise(image)
                except Exception as error:
                    print(f"  CRASH {kind} {level} #{i}: {error!r}")
                    result = DocumentResult(None)
                times.append(time.perf_counter() - started)
                tally["docs"] += 1
                tally["recognised"] += result.document_type == kind
                wrong = []
                for name, value in truth.items():
                    tally["fields"] += 1
                    found = result.fields.get(name)
                    if args.dump and found is not None:
                        record = {"kind": kind, "level": level, "i": i, "field": name, "value": found.value}
                        record |= {"truth": value, "confidence": found.confidence, "verified": found.verified}
                        with open(args.dump, "a", encoding="utf-8") as out:
                            out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    if found is not None and found.value == value:
                        tally["right"] += 1
                        continue
                    wrong.append(name)
                    if found is not None and (found.verified or found.confidence >= LOW_CONFIDENCE):
                        tally["silent"] += 1
                        print(
                            f"  SILENT {kind} {level} #{i} {name}: {found.value!r} != {value!r} "
                            f"({found.confidence:.2f}{', verified' if found.verified else ''})"
                        )
                tally["all_right"] += not wrong
                if args.verbose and wrong:
                    got = {n: result.fields[n].value if n in result.fields else None for n in wrong}
                    print(
                        f"  #{i} {result.document_type} {result.warnings} wrong {got} truth "
                        f"{ {n: truth[n] for n in wrong} }"
                    )
            print(
                f"{kind:12} {level:9} {tally['docs']:3d} {tally['recognised']:6d} {tally['all_right']:6d} "
                f"{tally['right']:3d}/{tally['fields']:<3d} {tally['silent']:6d} {statistics.median(times):6.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
