"""OCR benchmark (issue 4): our ID-document reader against the ground truth, and PassportEye on the same MRZs.

The data: N generated documents of each kind (cn_id_front, cn_id_back, mrz_td3, mrz_td1, mrz_td2) from
tests/support/id_documents.py, "ordinary" scans by default (small skew, scale, uneven light, blur, noise, JPEG;
half of them on a scanner bed), written once into bench-data/ocr-<level>-<seed>-<n>/ and reused while its
parameters.json matches. They are written in shards of SHARD_PER_KIND documents per kind (shard k with seed
seed * 10_000 + k), so that --jobs processes can share the work and the data do not depend on --jobs.

Each document goes through desktop_app.ocr.recognise.recognise() and, for the MRZ kinds, passporteye.read_mrz(),
one call at a time per process; latency is the wall clock around that call (after one untimed warm-up call per
reader and process). With --jobs > 1 the processes share the CPU: the latency figures are those of --jobs 1.
Both readers get the generator's fixed TODAY, so that two-digit years get their century the same way on any day.

Scoring: a field is right when the reader's value equals the truth after `normalise`, the same for both readers;
PassportEye's output is first converted to our field names and formats (`passporteye_fields`). The MRZ kinds are
scored on MRZ_FIELDS, the Chinese ID card sides on every field of their truth.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.table import percentile, print_table
from desktop_app.ocr.mrz import _date as mrz_date  # the reader's own century rule, applied to both readers
from desktop_app.ocr.mrz_reader import MRZ_FIELDS
from desktop_app.ocr.recognise import recognise
from tests.support.id_documents import DEFAULT_KINDS, LEVELS, TODAY, write_dataset

try:
    import passporteye
except ImportError:  # the `bench` extra is not installed: our reader alone
    passporteye = None
else:  # its scikit-image calls are deprecated, not wrong: keep the table readable
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"passporteye\.")

# One Tesseract thread per process for both readers alike (read when Tesseract starts; OCR-NOTES.md: on 2 cores
# more threads only contend).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(os.environ.get("DESKTOP_APP_BENCH_DIR", ROOT / "bench-data"))
MRZ_KINDS = ("mrz_td3", "mrz_td1", "mrz_td2")
CODE_FIELDS = ("document_number", "nationality", "issuing_country")  # no spaces inside, fillers are padding
OURS, PASSPORTEYE = "ours", "PassportEye"
BED_SHARE = 0.5
SHARD_PER_KIND = 10
DEFAULT_N, QUICK_N, DEFAULT_SEED = 100, 10, 1

# PassportEye's zone types as our document types (by the shape of the zone: MRV-A is 2x44 like TD3, MRV-B 2x36).
_PASSPORTEYE_TYPES = {"TD1": "mrz_td1", "TD2": "mrz_td2", "TD3": "mrz_td3", "MRVA": "mrz_td3", "MRVB": "mrz_td2"}


@dataclass(frozen=True)
class Document:
    """One image of the data set and the truth it is scored on."""

    file: str  # relative to the data set's directory
    kind: str  # the document type a reader should report
    truth: dict[str, str]  # the compared fields only


@dataclass(frozen=True)
class Reading:
    """What one reader made of one document, and how long it took."""

    document_type: str | None
    fields: dict[str, str]
    ms: float
    error: str = ""  # the exception, if the reader raised one (counted as a failed read)


@dataclass
class Tally:
    """One reader's results on the documents of one kind (or of several kinds, merged)."""

    docs: int = 0
    type_right: int = 0
    all_right: int = 0
    errors: int = 0
    ms: list[float] = field(default_factory=list)
    right: Counter[str] = field(default_factory=Counter)  # per field
    total: Counter[str] = field(default_factory=Counter)

    def merged(self, other: Tally) -> Tally:
        return Tally(
            self.docs + other.docs,
            self.type_right + other.type_right,
            self.all_right + other.all_right,
            self.errors + other.errors,
            self.ms + other.ms,
            self.right + other.right,
            self.total + other.total,
        )

    def field_share(self, name: str) -> float | None:
        return self.right[name] / self.total[name] if self.total[name] else None


Scores = dict[str, dict[str, Tally]]  # reader -> document kind -> tally


@dataclass(frozen=True)
class Target:
    name: str
    value: str
    met: bool | None  # None: not measured in this run


# -- normalisation and PassportEye's output ----------------------------------------------------------------------


def normalise(name: str, value: str) -> str:
    """The form every value is compared in, for the truth and every reader alike: upper case, MRZ fillers as
    spaces, whitespace collapsed; a filler sex as X; codes (document number, nationality, issuing country) without
    spaces. Formatting only: no reader's misreadings are corrected here."""
    if name == "sex" and value.strip() == "<":
        return "X"
    text = " ".join(value.replace("<", " ").split()).upper()
    return text.replace(" ", "") if name in CODE_FIELDS else text


def _iso(yymmdd: str, name: str, today: date) -> str:
    # the same window as the reader's: birth dates in the 100 years up to today, expiry up to 20 years ahead
    parsed = mrz_date(yymmdd, today, years_ahead=0 if name == "birth_date" else 20)
    return parsed.isoformat() if parsed else yymmdd  # no date: the raw text, which cannot match


def passporteye_fields(mrz: Mapping[str, Any], today: date = TODAY) -> tuple[str | None, dict[str, str]]:
    """PassportEye's MRZ.to_dict() as our document type and field names, with ISO dates."""
    document_type = _PASSPORTEYE_TYPES.get(str(mrz.get("mrz_type")))
    if document_type is None:
        return None, {}
    fields = {
        "surname": mrz["surname"],
        "given_names": mrz["names"],
        "document_number": mrz["number"],
        "nationality": mrz["nationality"],
        "issuing_country": mrz["country"],
        "birth_date": _iso(mrz["date_of_birth"], "birth_date", today),
        "sex": mrz["sex"],
        "expiry_date": _iso(mrz["expiration_date"], "expiry_date", today),
    }
    return document_type, {k: str(v) for k, v in fields.items()}


# -- reading -----------------------------------------------------------------------------------------------------


def read_ours(path: Path) -> Reading:
    """recognise() on one file, timed."""
    started = time.perf_counter()
    try:
        result = recognise(path, TODAY)
    except Exception as error:  # a crash is a failed read, counted, not the end of the run
        return Reading(None, {}, _since(started), f"{type(error).__name__}: {error}")
    ms = _since(started)
    return Reading(result.document_type, {name: f.value for name, f in result.fields.items()}, ms)


def read_passporteye(path: Path) -> Reading:
    """passporteye.read_mrz() on one file, timed; its result in our names and formats."""
    if passporteye is None:
        raise RuntimeError("PassportEye is not installed: pip install -e '.[bench]'")
    started = time.perf_counter()
    try:
        mrz = passporteye.read_mrz(str(path))
    except Exception as error:  # as for ours
        return Reading(None, {}, _since(started), f"{type(error).__name__}: {error}")
    ms = _since(started)
    if mrz is None:
        return Reading(None, {}, ms)
    document_type, fields = passporteye_fields(mrz.to_dict())
    return Reading(document_type, fields, ms)


READERS: dict[str, Callable[[Path], Reading]] = {OURS: read_ours, PASSPORTEYE: read_passporteye}
_warmed: set[str] = set()  # readers that have made their first, untimed call in this process


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _read_one(task: tuple[Path, tuple[str, ...]]) -> dict[str, Reading]:
    path, readers = task
    readings = {}
    for name in readers:
        if name not in _warmed:  # first call: imports, caches, model files from disk
            READERS[name](path)
            _warmed.add(name)
        readings[name] = READERS[name](path)
    return readings


def read_all(
    directory: Path, documents: Sequence[Document], readers: Sequence[str], jobs: int = 1
) -> dict[str, list[Reading | None]]:
    """Every reader on every document it can read (PassportEye: the MRZ kinds); None where it was not run."""
    tasks = [(directory / d.file, tuple(r for r in readers if r == OURS or d.kind in MRZ_KINDS)) for d in documents]
    out: dict[str, list[Reading | None]] = {r: [] for r in readers}

    def collect(results: Iterable[dict[str, Reading]]) -> None:
        for i, readings in enumerate(results, 1):
            for reader in readers:
                out[reader].append(readings.get(reader))
            print(f"  read {i}/{len(tasks)}", end="\r", flush=True)
        print()

    if jobs == 1:
        collect(map(_read_one, tasks))
    else:
        with ProcessPoolExecutor(jobs) as pool:
            collect(pool.map(_read_one, tasks))
    return out


# -- scoring -----------------------------------------------------------------------------------------------------


def score(documents: Sequence[Document], readings: Mapping[str, Sequence[Reading | None]]) -> Scores:
    """Per reader and document kind: documents read, type right, every field right, errors, latencies, and per
    field the number right (exact match after `normalise`)."""
    scores: Scores = {}
    for reader, per_document in readings.items():
        tallies = scores.setdefault(reader, {})
        for document, reading in zip(documents, per_document, strict=True):
            if reading is None:
                continue
            tally = tallies.setdefault(document.kind, Tally())
            tally.docs += 1
            tally.type_right += reading.document_type == document.kind
            tally.errors += bool(reading.error)
            tally.ms.append(reading.ms)
            every = True
            for name, expected in document.truth.items():
                right = normalise(name, reading.fields.get(name, "")) == normalise(name, expected)
                tally.right[name] += right
                tally.total[name] += 1
                every = every and right
            tally.all_right += every
    return scores


def load_truth(directory: Path, kinds: Iterable[str] = DEFAULT_KINDS) -> list[Document]:
    """The documents of `kinds` in a data set's truth.jsonl, with the fields they are scored on."""
    kinds = tuple(kinds)
    documents = []
    for line in (directory / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        kind, fields = record["document_type"], record["fields"]
        if kind not in kinds:
            continue
        compared = [f for f in MRZ_FIELDS if f in fields] if kind in MRZ_KINDS else list(fields)
        documents.append(Document(record["file"], kind, {f: fields[f] for f in compared}))
    return documents


def evaluate(
    directory: Path, readers: Sequence[str], jobs: int = 1, kinds: Iterable[str] = DEFAULT_KINDS
) -> tuple[list[Document], dict[str, list[Reading | None]], Scores]:
    """Read and score the data set in `directory`: its documents, every reading, and the scores."""
    documents = load_truth(directory, kinds)
    readings = read_all(directory, documents, readers, jobs)
    return documents, readings, score(documents, readings)


def _all_of(tallies: Mapping[str, Tally], kinds: Iterable[str]) -> Tally:
    total = Tally()
    for kind in kinds:
        if kind in tallies:
            total = total.merged(tallies[kind])
    return total


def _at_least(right: int, total: int, pct: float) -> bool:
    return total > 0 and right * 100 >= pct * total


def targets(scores: Scores) -> list[Target]:
    """The issue's targets, each MET, NOT MET, or None when this run did not measure it."""
    ours = scores.get(OURS, {})
    out = []
    for kind in MRZ_KINDS:
        t = ours.get(kind)
        out.append(
            Target(f"{kind}: every field right >= 95%", _pct(t.all_right, t.docs), _at_least(t.all_right, t.docs, 95))
            if t
            else Target(f"{kind}: every field right >= 95%", "not run", None)
        )
    front = ours.get("cn_id_front")
    every_field, id_number = "cn_id_front: every field right >= 90%", "cn_id_front: id_number right >= 99%"
    if front:
        out.append(Target(every_field, _pct(front.all_right, front.docs), _at_least(front.all_right, front.docs, 90)))
        right, total = front.right["id_number"], front.total["id_number"]
        out.append(Target(id_number, _pct(right, total), _at_least(right, total, 99)))
    else:
        out += [Target(every_field, "not run", None), Target(id_number, "not run", None)]
    latency = "p50 latency < 1 s (all documents)"
    every = _all_of(ours, ours)
    if every.ms:
        p50 = percentile(every.ms, 50)
        out.append(Target(latency, f"{p50:.0f} ms", p50 < 1000))
    else:
        out.append(Target(latency, "not run", None))
    out.append(_against_passporteye(scores))
    return out


def _against_passporteye(scores: Scores) -> Target:
    """Ahead of PassportEye on every MRZ field (all MRZ documents): strictly ahead wherever PassportEye is below
    100%, since no reader can be ahead of 100%."""
    name = "ahead of PassportEye on every MRZ field"
    if PASSPORTEYE not in scores or OURS not in scores:
        return Target(name, "not run", None)
    ours, theirs = _all_of(scores[OURS], MRZ_KINDS), _all_of(scores[PASSPORTEYE], MRZ_KINDS)
    ahead, level, behind = [], [], []
    for f in MRZ_FIELDS:
        a, b = ours.field_share(f), theirs.field_share(f)
        if a is None or b is None:
            continue
        (ahead if a > b else level if a == b == 1 else behind).append(f)
    compared = len(ahead) + len(level) + len(behind)
    if not compared:
        return Target(name, "not run", None)
    value = f"ahead on {len(ahead)} of {compared}" + (f", level at 100% on {len(level)}" if level else "")
    if behind:
        value += "; not ahead on any" if len(behind) == compared else f"; not ahead on {', '.join(behind)}"
    return Target(name, value, not behind)


# -- the data set ------------------------------------------------------------------------------------------------


def _write_shard(task: tuple[Path, int, int, tuple[str, ...], str]) -> None:
    directory, n, seed, kinds, level = task
    write_dataset(directory, n, seed, kinds, level, BED_SHARE)


def dataset(
    n: int,
    seed: int,
    level: str,
    kinds: Sequence[str] = DEFAULT_KINDS,
    jobs: int = 1,
    fresh: bool = False,
    root: Path | None = None,
) -> Path:
    """The directory (under `root`, default BENCH_DIR) of the data set with `n` documents of each of `kinds`:
    reused when its parameters match, written (in shards, by `jobs` processes) otherwise."""
    root = root or BENCH_DIR
    kinds = tuple(kinds)
    name = f"ocr-{level}-{seed}-{n}" + ("" if kinds == DEFAULT_KINDS else "-" + "+".join(kinds))
    directory = root / name
    parameters = {
        "n_per_kind": n,
        "seed": seed,
        "level": level,
        "kinds": list(kinds),
        "bed_share": BED_SHARE,
        "shard_per_kind": SHARD_PER_KIND,
    }
    stamp = directory / "parameters.json"
    reusable = not fresh and (directory / "truth.jsonl").is_file() and stamp.is_file()
    if reusable and json.loads(stamp.read_text(encoding="utf-8")) == parameters:
        print(f"data set: {directory} (reused; --fresh writes it again)")
        return directory
    started = time.perf_counter()
    print(f"data set: writing {n} documents of each of {len(kinds)} kinds into {directory}")
    partial = root / f"{name}.partial"  # renamed when complete: an interrupted run leaves no half data set
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    shards = [
        (partial / f"part-{k:03d}", min(SHARD_PER_KIND, n - k * SHARD_PER_KIND) * len(kinds), seed * 10_000 + k)
        for k in range(math.ceil(n / SHARD_PER_KIND))
    ]
    tasks = [(path, count, shard_seed, kinds, level) for path, count, shard_seed in shards]
    if jobs == 1:
        for task in tasks:
            _write_shard(task)
    else:
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_write_shard, tasks))
    with (partial / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for path, _, _ in shards:
            for line in (path / "truth.jsonl").read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                record["file"] = f"{path.name}/{record['file']}"
                truth.write(json.dumps(record, ensure_ascii=False) + "\n")
    (partial / "parameters.json").write_text(json.dumps(parameters, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    partial.rename(directory)
    print(f"data set: written in {time.perf_counter() - started:.0f} s")
    return directory


# -- the report --------------------------------------------------------------------------------------------------


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:.1f}%" if total else "-"


def _share(share: float | None) -> str:
    return f"{100 * share:.1f}%" if share is not None else "-"


def _type_row(label: str, reader: str, t: Tally) -> list[str]:
    p50, p95 = (f"{percentile(t.ms, p):.0f}" for p in (50, 95)) if t.ms else ("-", "-")
    return [label, reader, str(t.docs), _pct(t.type_right, t.docs), _pct(t.all_right, t.docs), p50, p95, str(t.errors)]


def type_rows(scores: Scores, kinds: Sequence[str]) -> list[list[str]]:
    rows = []
    for kind in kinds:
        rows += [_type_row(kind, r, scores[r][kind]) for r in (OURS, PASSPORTEYE) if kind in scores.get(r, {})]
    mrz = [k for k in kinds if k in MRZ_KINDS]
    if len(mrz) > 1:
        rows += [_type_row("all MRZ", r, _all_of(scores[r], mrz)) for r in (OURS, PASSPORTEYE) if r in scores]
    if OURS in scores and len(kinds) > 1:
        rows.append(_type_row("all documents", OURS, _all_of(scores[OURS], kinds)))
    return rows


def field_rows(scores: Scores, kinds: Sequence[str]) -> list[list[str]]:
    ours, theirs = scores.get(OURS, {}), scores.get(PASSPORTEYE, {})
    rows = []
    groups = [(kind, (kind,)) for kind in kinds]
    mrz = tuple(k for k in kinds if k in MRZ_KINDS)
    if len(mrz) > 1:
        groups.append(("all MRZ", mrz))
    for label, group in groups:
        a, b = _all_of(ours, group), _all_of(theirs, group)
        for name in a.total:
            rows.append([label, name, _share(a.field_share(name)), _share(b.field_share(name))])
    return rows


def target_rows(found: Sequence[Target]) -> list[list[str]]:
    verdict = {True: "MET", False: "NOT MET", None: "n/a"}
    return [[t.name, t.value, verdict[t.met]] for t in found]


def _as_json(
    parameters: Mapping[str, Any],
    documents: Sequence[Document],
    readings: Mapping[str, Sequence[Reading | None]],
    scores: Scores,
    found: Sequence[Target],
) -> dict[str, Any]:
    per_type = {
        reader: {
            kind: {
                "docs": t.docs,
                "type_right": t.type_right,
                "all_fields_right": t.all_right,
                "errors": t.errors,
                "p50_ms": percentile(t.ms, 50) if t.ms else None,
                "p95_ms": percentile(t.ms, 95) if t.ms else None,
                "fields_right": dict(t.right),
                "fields_total": dict(t.total),
            }
            for kind, t in tallies.items()
        }
        for reader, tallies in scores.items()
    }
    return {
        "parameters": dict(parameters),
        "per_type": per_type,
        "targets": [asdict(t) for t in found],
        "documents": [
            {
                **asdict(d),
                "readings": {r: asdict(per_doc[i]) for r, per_doc in readings.items() if per_doc[i] is not None},
            }
            for i, d in enumerate(documents)
        ],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks ocr",
        description="OCR accuracy and latency on generated ID documents, against PassportEye on the MRZs.",
    )
    parser.add_argument("--n", type=int, help=f"documents per type (default {DEFAULT_N})")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: --n {QUICK_N}")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"data set seed (default {DEFAULT_SEED})")
    parser.add_argument("--level", choices=LEVELS, default="ordinary", help="scan degradation (default ordinary)")
    parser.add_argument(
        "--kinds",
        nargs="+",
        choices=DEFAULT_KINDS,
        default=list(DEFAULT_KINDS),
        metavar="KIND",
        help=f"document types (default all: {' '.join(DEFAULT_KINDS)})",
    )
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1; latency is measured with 1)")
    parser.add_argument("--no-passporteye", action="store_true", help="our reader alone")
    parser.add_argument("--fresh", action="store_true", help="write the data set again")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the results and every reading here")
    args = parser.parse_args(argv)
    if args.quick and args.n is not None:
        parser.error("--quick is --n 10: give one of them")
    n = QUICK_N if args.quick else args.n or DEFAULT_N
    if n < 1 or args.jobs < 1:
        parser.error("--n and --jobs must be at least 1")
    kinds = tuple(k for k in DEFAULT_KINDS if k in args.kinds)
    readers = [OURS]
    if args.no_passporteye:
        pass
    elif passporteye is None:
        print("PassportEye is not installed (pip install -e '.[bench]'; make bench-ocr does it): our reader alone")
    elif any(k in MRZ_KINDS for k in kinds):
        readers.append(PASSPORTEYE)

    started = time.perf_counter()
    directory = dataset(n, args.seed, args.level, kinds, args.jobs, args.fresh)
    documents, readings, scores = evaluate(directory, readers, args.jobs, kinds)
    found = targets(scores)
    elapsed = time.perf_counter() - started

    contention = "" if args.jobs == 1 else f"; {args.jobs} processes share the CPU, so take latency from --jobs 1"
    print_table(
        f"OCR by document type: {n} per type, {args.level} scans, seed {args.seed} (latency in ms{contention})",
        ["document type", "reader", "docs", "type right", "every field right", "p50", "p95", "errors"],
        type_rows(scores, kinds),
    )
    print_table(
        "OCR by field: exact match after the same normalisation for both readers",
        ["document type", "field", OURS, PASSPORTEYE],
        field_rows(scores, kinds),
    )
    print_table("OCR targets (issue 4)", ["target", "value", "result"], target_rows(found))
    print(f"\n{len(documents)} documents in {elapsed:.0f} s ({directory})")
    if args.json:
        parameters = {
            "n_per_kind": n,
            "seed": args.seed,
            "level": args.level,
            "kinds": list(kinds),
            "jobs": args.jobs,
            "readers": readers,
            "passporteye_version": getattr(passporteye, "__version__", None) if PASSPORTEYE in readers else None,
            "dataset": str(directory),
            "seconds": round(elapsed, 1),
        }
        report = _as_json(parameters, documents, readings, scores, found)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"results: {args.json}")


if __name__ == "__main__":
    main()
