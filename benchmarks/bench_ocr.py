"""OCR benchmark (issues 4 and 12): our ID-document reader on a family of generated documents, in a development
and a sealed split reported apart, with PassportEye on the same machine-readable zones.

The data: N documents of each type (cn_id_front, cn_id_back, mrz_td3, mrz_td1, mrz_td2) of each split from
tests/support/id_family (several layouts per type, every CJK face Debian ships and both OCR-B cuts, palettes
and guilloche patterns, varied content; a quarter clean, the rest flatbed scans or phone photos over the
issue's range of degradations). The sealed split has its own seed and layouts, faces, palettes, beds and
resolutions that the development split never uses (tests/support/id_family/splits.py): tune on development,
measure on sealed. Each split is written once into bench-data/ocr-<split>-<seed>-<n>/ and reused while its
parameters.json matches (the generator's source is part of it, so a changed generator writes it again).

Each document goes through desktop_app.ocr.recognise.recognise() and, for the MRZ types, passporteye.read_mrz(),
one call at a time per process; latency is the wall clock around that call (after one untimed warm-up call per
reader and process). With --jobs > 1 the processes share the CPU: take latency from --jobs 1. Both readers get
the generator's fixed TODAY, so two-digit years get their century the same way on any day.

Scoring: a field is right when the reader's value equals the truth after `normalise`, the same for both readers.
The MRZ types are scored on MRZ_FIELDS, the Chinese ID card sides on every field of their truth. Each of our
values is also placed at the level the entry form shows it at (desktop_app.services.scan_fill.level_of:
confirmed, read clearly, low, very low; "not read" when missing or empty): the calibration table gives per level
how many values were right, and a silent error is a wrong value shown as confirmed or read clearly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
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
from desktop_app.ocr.recognise import recognise
from desktop_app.services.scan_fill import Level, level_of
from tests.support.id_family import KINDS, MRZ_KINDS, SPLITS, write_dataset
from tests.support.id_family.content import TODAY

try:
    import passporteye  # type: ignore[import-untyped]
except ImportError:  # the `bench` extra is not installed: our reader alone
    passporteye = None
else:  # its scikit-image calls are deprecated, not wrong: keep the table readable
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"passporteye\.")

# One Tesseract thread per process for both readers alike (read when Tesseract starts; OCR-NOTES.md: on 2 cores
# more threads only contend).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(os.environ.get("DESKTOP_APP_BENCH_DIR", ROOT / "bench-data"))
GENERATOR_SOURCES = (ROOT / "tests/support/id_family", ROOT / "tests/support/mrz_writer.py")
# The fields of a machine-readable zone both readers are scored on (PassportEye reports these).
MRZ_FIELDS = (
    "surname", "given_names", "document_number", "nationality", "issuing_country", "birth_date", "sex",
    "expiry_date",
)  # fmt: skip
CODE_FIELDS = ("document_number", "nationality", "issuing_country")  # no spaces inside, fillers are padding
OURS, PASSPORTEYE = "ours", "PassportEye"
SPLIT_NAMES = ("development", "sealed")
SHARD = 25  # documents per shard: the unit of work when writing a data set in parallel
# Documents per type: more in the sealed split, on which the targets are judged (about 12 minutes in all with
# --jobs 1 on an idle 2-core machine, writing the data sets the first time included); --quick for a smoke run.
DEFAULT_N = {"development": 30, "sealed": 60}
QUICK_N = 4
NOT_READ = "not_read"
SHOWN_AS = {  # how the entry form shows each level (README, "Scanning ID documents")
    Level.VERIFIED.value: "confirmed (green)",
    Level.OK.value: "read clearly (blue)",
    Level.LOW.value: "check (orange)",
    Level.VERY_LOW.value: "check closely (red)",
    NOT_READ: "left empty",
}
CONFIDENT = (Level.VERIFIED.value, Level.OK.value)  # the levels at which a wrong value is a silent error
PRECISION_TARGETS = {Level.VERIFIED.value: 99.9, Level.OK.value: 99.5}
TARGET_SPLIT = "sealed"  # the split the targets are judged on

# PassportEye's zone types as our document types (by the shape of the zone: MRV-A is 2x44 like TD3, MRV-B 2x36).
_PASSPORTEYE_TYPES = {"TD1": "mrz_td1", "TD2": "mrz_td2", "TD3": "mrz_td3", "MRVA": "mrz_td3", "MRVB": "mrz_td2"}


@dataclass(frozen=True)
class Document:
    """One image of a data set and the truth it is scored on."""

    file: str  # relative to the data set's directory
    kind: str  # the document type a reader should report
    truth: dict[str, str]  # the compared fields only
    clean: bool = False
    conditions: dict[str, Any] = field(default_factory=dict, compare=False)  # how it was made (id_family)


@dataclass(frozen=True)
class Reading:
    """What one reader made of one document, and how long it took."""

    document_type: str | None
    fields: dict[str, str]
    ms: float
    error: str = ""  # the exception, if the reader raised one (counted as a failed read)
    levels: dict[str, str] = field(default_factory=dict)  # ours: the level each value is shown at


@dataclass
class Tally:
    """One reader's results on the documents of one type (or of several types, merged)."""

    docs: int = 0
    clean: int = 0
    type_right: int = 0
    type_right_clean: int = 0
    all_right: int = 0
    errors: int = 0
    ms: list[float] = field(default_factory=list)
    right: Counter[str] = field(default_factory=Counter)  # per field
    total: Counter[str] = field(default_factory=Counter)
    level_total: Counter[str] = field(default_factory=Counter)  # per display level
    level_right: Counter[str] = field(default_factory=Counter)

    def merged(self, other: Tally) -> Tally:
        return Tally(
            self.docs + other.docs,
            self.clean + other.clean,
            self.type_right + other.type_right,
            self.type_right_clean + other.type_right_clean,
            self.all_right + other.all_right,
            self.errors + other.errors,
            self.ms + other.ms,
            self.right + other.right,
            self.total + other.total,
            self.level_total + other.level_total,
            self.level_right + other.level_right,
        )

    @property
    def degraded(self) -> int:
        return self.docs - self.clean

    @property
    def type_right_degraded(self) -> int:
        return self.type_right - self.type_right_clean

    @property
    def fields(self) -> int:
        return sum(self.total.values())

    @property
    def silent_errors(self) -> int:
        """Wrong values shown as confirmed or read clearly."""
        return sum(self.level_total[lv] - self.level_right[lv] for lv in CONFIDENT)

    @property
    def wrong_confirmed(self) -> int:
        return self.level_total[Level.VERIFIED.value] - self.level_right[Level.VERIFIED.value]

    def field_share(self, name: str) -> float | None:
        return self.right[name] / self.total[name] if self.total[name] else None


Scores = dict[str, dict[str, Tally]]  # reader -> document type -> tally


@dataclass(frozen=True)
class Target:
    name: str
    value: str
    met: bool | None  # None: not measured in this run


# -- normalisation and PassportEye's output ----------------------------------------------------------------------

# The dots people and readers put between the parts of a transliterated name, as the entry form's normaliser
# folds them (desktop_app/domain/normaliser.py): any of them between Han characters is "·".
_HAN = "[\u3400-\u9fff]"
_DOT_BETWEEN_HAN = re.compile(rf"(?<={_HAN}) ?[\u00b7\u30fb\u2022\u2027\u2219\u22c5.] ?(?={_HAN})")
_SPACE_BETWEEN_HAN = re.compile(rf"(?<={_HAN}) (?={_HAN})")


def normalise(name: str, value: str) -> str:
    """The form every value is compared in, for the truth and every reader alike: upper case, MRZ fillers as
    spaces, whitespace collapsed; a filler sex as X; codes (document number, nationality, issuing country) without
    spaces; no space between Han characters and any dot between them as "·" (as the entry form's normaliser
    does). Formatting only: no reader's misreadings are corrected here."""
    if name == "sex" and value.strip() == "<":
        return "X"
    text = " ".join(value.replace("<", " ").split()).upper()
    if name in CODE_FIELDS:
        return text.replace(" ", "")
    return _SPACE_BETWEEN_HAN.sub("", _DOT_BETWEEN_HAN.sub("\u00b7", text))


def _century(yymmdd: str, today: date, years_ahead: int) -> str:
    """A YYMMDD date as ISO, in the century that puts it at most `years_ahead` years after today (birth dates 0,
    expiry 20); the raw text, which cannot match, when it is no date."""
    try:
        yy, mm, dd = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
        if len(yymmdd) != 6:
            raise ValueError
        year = today.year // 100 * 100 + yy
        if year > today.year + years_ahead:
            year -= 100
        return date(year, mm, dd).isoformat()
    except ValueError:
        return yymmdd


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
        "birth_date": _century(str(mrz["date_of_birth"]), today, 0),
        "sex": mrz["sex"],
        "expiry_date": _century(str(mrz["expiration_date"]), today, 20),
    }
    return document_type, {k: str(v) for k, v in fields.items()}


# -- reading -----------------------------------------------------------------------------------------------------


def read_ours(path: Path) -> Reading:
    """recognise() on one file, timed; each value with the level the entry form would show it at."""
    started = time.perf_counter()
    try:
        result = recognise(path, TODAY)
    except Exception as error:  # a crash is a failed read, counted, not the end of the run
        return Reading(None, {}, _since(started), f"{type(error).__name__}: {error}")
    ms = _since(started)
    fields = {name: f.value for name, f in result.fields.items()}
    levels = {name: level_of(f.confidence, f.verified).value for name, f in result.fields.items()}
    return Reading(result.document_type, fields, ms, levels=levels)


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
    """Every reader on every document it can read (PassportEye: the MRZ types); None where it was not run."""
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
    """Per reader and document type: documents read (clean among them), type right, every field right, errors,
    latencies, per field the number right (exact match after `normalise`), and per display level the values
    shown at it and the number right."""
    scores: Scores = {}
    for reader, per_document in readings.items():
        tallies = scores.setdefault(reader, {})
        for document, reading in zip(documents, per_document, strict=True):
            if reading is None:
                continue
            tally = tallies.setdefault(document.kind, Tally())
            tally.docs += 1
            tally.clean += document.clean
            type_right = reading.document_type == document.kind
            tally.type_right += type_right
            tally.type_right_clean += type_right and document.clean
            tally.errors += bool(reading.error)
            tally.ms.append(reading.ms)
            every = True
            for name, expected in document.truth.items():
                value = reading.fields.get(name, "")
                right = normalise(name, value) == normalise(name, expected)
                tally.right[name] += right
                tally.total[name] += 1
                every = every and right
                if reader == OURS:
                    level = reading.levels.get(name, NOT_READ) if value.strip() else NOT_READ
                    tally.level_total[level] += 1
                    tally.level_right[level] += right
            tally.all_right += every
    return scores


def load_truth(directory: Path, kinds: Iterable[str] = KINDS) -> list[Document]:
    """The documents of `kinds` in a data set's truth.jsonl, with the fields they are scored on."""
    kinds = tuple(kinds)
    documents = []
    for line in (directory / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        kind, fields = record["document_type"], record["fields"]
        if kind not in kinds:
            continue
        compared = [f for f in MRZ_FIELDS if f in fields] if kind in MRZ_KINDS else list(fields)
        conditions = record.get("conditions", {})
        truth = {f: fields[f] for f in compared}
        documents.append(Document(record["file"], kind, truth, bool(conditions.get("clean")), conditions))
    return documents


def evaluate(
    directory: Path, readers: Sequence[str], jobs: int = 1, kinds: Iterable[str] = KINDS
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


# -- targets -----------------------------------------------------------------------------------------------------

EVERY_FIELD_TARGETS = {"cn_id_front": 90.0, "cn_id_back": 95.0, "mrz_td3": 95.0, "mrz_td1": 95.0, "mrz_td2": 95.0}
RECOGNISED_TARGET = 99.0
ID_NUMBER_TARGET = 99.0
SILENT_TARGET = 0.3  # percent of fields
P50_MS, P95_MS = 1000, 2500


def targets(scores: Scores) -> list[Target]:
    """The issue's targets for one split, each met (True), not met (False), or None when not measured."""
    ours = scores.get(OURS, {})
    out = []
    for kind in KINDS:
        t = ours.get(kind)
        name = f"{kind}: type recognised >= {RECOGNISED_TARGET:g}% (clean / degraded)"
        if not t:
            out.append(Target(name, "not run", None))
            continue
        value = f"{_pct(t.type_right_clean, t.clean)} / {_pct(t.type_right_degraded, t.degraded)}"
        met = all(
            _at_least(r, n, RECOGNISED_TARGET)
            for r, n in ((t.type_right_clean, t.clean), (t.type_right_degraded, t.degraded))
            if n
        )
        out.append(Target(name, value, met))
    for kind, pct in EVERY_FIELD_TARGETS.items():
        t = ours.get(kind)
        name = f"{kind}: every field right >= {pct:g}%"
        out.append(
            Target(name, _pct(t.all_right, t.docs), _at_least(t.all_right, t.docs, pct))
            if t
            else Target(name, "not run", None)
        )
    front = ours.get("cn_id_front")
    name = f"id_number right >= {ID_NUMBER_TARGET:g}%"
    if front and front.total["id_number"]:
        right, total = front.right["id_number"], front.total["id_number"]
        out.append(Target(name, _pct(right, total), _at_least(right, total, ID_NUMBER_TARGET)))
    else:
        out.append(Target(name, "not run", None))
    every = _all_of(ours, KINDS)
    if every.fields:
        silent = every.silent_errors
        out.append(Target(f"silent errors (wrong, shown confirmed or read clearly) <= {SILENT_TARGET:g}% of fields",
                          f"{silent} of {every.fields:,} ({100 * silent / every.fields:.3f}%)",
                          silent * 100 <= SILENT_TARGET * every.fields))  # fmt: skip
        out.append(
            Target("wrong values shown as confirmed = 0", str(every.wrong_confirmed), every.wrong_confirmed == 0)
        )
        for level, pct in PRECISION_TARGETS.items():
            shown, right = every.level_total[level], every.level_right[level]
            out.append(Target(f"{SHOWN_AS[level]} right >= {pct:g}%", f"{_pct(right, shown, 2)} of {shown:,}",
                              _at_least(right, shown, pct) if shown else None))  # fmt: skip
    else:
        out += [Target(n, "not run", None) for n in ("silent errors", "wrong values shown as confirmed = 0")]
    if every.ms:
        p50, p95 = percentile(every.ms, 50), percentile(every.ms, 95)
        out.append(Target(f"p50 latency < {P50_MS / 1000:g} s per document", f"{p50:.0f} ms", p50 < P50_MS))
        out.append(Target(f"p95 latency < {P95_MS / 1000:g} s per document", f"{p95:.0f} ms", p95 < P95_MS))
    out.append(_against_passporteye(scores))
    return out


def _against_passporteye(scores: Scores) -> Target:
    """Ahead of PassportEye on every MRZ field (all MRZ documents): strictly ahead wherever PassportEye is below
    100%, since no reader can be ahead of 100%."""
    name = "ahead of PassportEye on every MRZ field"
    if PASSPORTEYE not in scores or OURS not in scores:
        return Target(name, "not run", None)
    ours, theirs = _all_of(scores[OURS], MRZ_KINDS), _all_of(scores[PASSPORTEYE], MRZ_KINDS)
    ahead: list[str] = []
    level: list[str] = []
    behind: list[str] = []
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


# -- the data sets -----------------------------------------------------------------------------------------------


def generator_stamp() -> str:
    """A digest of the generator's source: a data set written by another generator is written again."""
    digest = hashlib.sha256()
    for source in GENERATOR_SOURCES:
        for path in sorted(source.rglob("*.py")) if source.is_dir() else [source]:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _write_shard(task: tuple[Path, str, list[int], int, tuple[str, ...]]) -> None:
    directory, split, indexes, seed, kinds = task
    write_dataset(directory, SPLITS[split], indexes, seed, kinds)


def dataset(
    split: str,
    n: int,
    seed: int | None = None,
    kinds: Sequence[str] = KINDS,
    jobs: int = 1,
    fresh: bool = False,
    root: Path | None = None,
) -> Path:
    """The directory (under `root`, default BENCH_DIR) of `split`'s data set with `n` documents of each of
    `kinds` (seed: the split's own unless given): reused when its parameters match, written (in shards, by `jobs`
    processes) otherwise."""
    spec = SPLITS[split]
    root = root or BENCH_DIR
    kinds = tuple(kinds)
    seed = spec.seed if seed is None else seed
    name = f"ocr-{split}-{seed}-{n}" + ("" if kinds == KINDS else "-" + "+".join(kinds))
    directory = root / name
    parameters = {"split": split, "n_per_kind": n, "seed": seed, "kinds": list(kinds), "generator": generator_stamp()}
    stamp = directory / "parameters.json"
    reusable = not fresh and (directory / "truth.jsonl").is_file() and stamp.is_file()
    if reusable and json.loads(stamp.read_text(encoding="utf-8")) == parameters:
        print(f"data set: {directory} (reused; --fresh writes it again)")
        return directory
    started = time.perf_counter()
    print(f"data set: writing {n} {split} documents of each of {len(kinds)} types into {directory}")
    partial = root / f"{name}.partial"  # renamed when complete: an interrupted run leaves no half data set
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    total = n * len(kinds)
    shards = [(partial / f"part-{k:03d}", list(range(k * SHARD, min(total, (k + 1) * SHARD))))
              for k in range(math.ceil(total / SHARD))]  # fmt: skip
    tasks = [(path, split, indexes, seed, kinds) for path, indexes in shards]
    if jobs == 1:
        for task in tasks:
            _write_shard(task)
    else:
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_write_shard, tasks))
    with (partial / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for path, _ in shards:
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


def _pct(right: int, total: int, digits: int = 1) -> str:
    return f"{100 * right / total:.{digits}f}%" if total else "-"


def _share(share: float | None) -> str:
    return f"{100 * share:.1f}%" if share is not None else "-"


def _type_row(label: str, reader: str, t: Tally) -> list[str]:
    p50, p95 = (f"{percentile(t.ms, p):.0f}" for p in (50, 95)) if t.ms else ("-", "-")
    return [
        label, reader, str(t.docs), _pct(t.type_right_clean, t.clean), _pct(t.type_right_degraded, t.degraded),
        _pct(t.all_right, t.docs), p50, p95, str(t.errors),
    ]  # fmt: skip


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


def _condition_groups(conditions: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (condition, value) groups a document falls in, for the table of failures by condition."""
    if conditions.get("clean"):
        return [("capture", "clean")]
    ppi = float(conditions.get("ppi", 300))
    band = "< 200" if ppi < 200 else "200-299" if ppi < 300 else "300-449" if ppi < 450 else ">= 450"
    jpeg = int(conditions.get("jpeg", 95))
    neighbour = "second card" if "second_card" in conditions else "paper edge" if "paper_edge" in conditions else ""
    return [
        ("capture", str(conditions.get("capture"))),
        ("pixels per inch", band),
        ("JPEG quality", "30-49" if jpeg < 50 else "50-74" if jpeg < 75 else "75-95"),
        ("in the frame too", neighbour or "nothing"),
        ("cast shadow", "yes" if "shadow" in conditions else "no"),
        ("bed or table", str(conditions.get("bed") or conditions.get("surface"))),
    ]


def condition_rows(documents: Sequence[Document], readings: Sequence[Reading | None]) -> list[list[str]]:
    """Our reader by capture condition: documents, type recognised, every field right."""
    counts: dict[tuple[str, str], list[int]] = {}
    for document, reading in zip(documents, readings, strict=True):
        if reading is None:
            continue
        type_right = reading.document_type == document.kind
        every = all(
            normalise(f, reading.fields.get(f, "")) == normalise(f, expected) for f, expected in document.truth.items()
        )
        for group in _condition_groups(document.conditions):
            c = counts.setdefault(group, [0, 0, 0])
            c[0] += 1
            c[1] += type_right
            c[2] += every
    return [[name, value, str(n), _pct(t, n), _pct(a, n)] for (name, value), (n, t, a) in sorted(counts.items())]


def field_rows(scores: Scores, kinds: Sequence[str]) -> list[list[str]]:
    ours, theirs = scores.get(OURS, {}), scores.get(PASSPORTEYE, {})
    rows = []
    groups: list[tuple[str, tuple[str, ...]]] = [(kind, (kind,)) for kind in kinds]
    mrz = tuple(k for k in kinds if k in MRZ_KINDS)
    if len(mrz) > 1:
        groups.append(("all MRZ", mrz))
    for label, group in groups:
        a, b = _all_of(ours, group), _all_of(theirs, group)
        for name in a.total:
            rows.append([label, name, _share(a.field_share(name)), _share(b.field_share(name))])
    return rows


def calibration_rows(scores: Scores, judged: bool) -> list[list[str]]:
    """Per display level: values shown at it, right, wrong, precision, and (where `judged`) target and result."""
    every = _all_of(scores.get(OURS, {}), KINDS)
    rows = []
    for level in (*(lv.value for lv in Level), NOT_READ):
        shown, right = every.level_total[level], every.level_right[level]
        target = PRECISION_TARGETS.get(level)
        result = (
            "" if target is None or not shown or not judged else ("PASS" if _at_least(right, shown, target) else "FAIL")
        )
        rows.append([level, SHOWN_AS[level], *_counts(right, shown), f">= {target:g}%" if target else "", result])
    confident = (sum(every.level_right[lv] for lv in CONFIDENT), sum(every.level_total[lv] for lv in CONFIDENT))
    rows.append(["confirmed + read clearly", "no closer look asked", *_counts(*confident), "", ""])
    rows.append(["all", "", *_counts(sum(every.right.values()), every.fields), "", ""])
    return rows


def _counts(right: int, shown: int) -> list[str]:
    return [f"{shown:,}", f"{right:,}", f"{shown - right:,}", _pct(right, shown, 2)]


def target_rows(per_split: Mapping[str, Sequence[Target]]) -> list[list[str]]:
    """One row per target: its value in each split, and PASS/FAIL on the split the targets are judged on."""
    verdict = {True: "PASS", False: "FAIL", None: "n/a"}
    names = [t.name for t in next(iter(per_split.values()))]
    rows = []
    for i, name in enumerate(names):
        row = [name]
        for split, found in per_split.items():
            row.append(found[i].value)
            row.append(verdict[found[i].met] if split == TARGET_SPLIT else f"({verdict[found[i].met]})")
        rows.append(row)
    return rows


def _tally_json(t: Tally) -> dict[str, Any]:
    return {
        "docs": t.docs,
        "clean": t.clean,
        "type_right": t.type_right,
        "type_right_clean": t.type_right_clean,
        "all_fields_right": t.all_right,
        "errors": t.errors,
        "p50_ms": percentile(t.ms, 50) if t.ms else None,
        "p95_ms": percentile(t.ms, 95) if t.ms else None,
        "fields_right": dict(t.right),
        "fields_total": dict(t.total),
        "levels_shown": dict(t.level_total),
        "levels_right": dict(t.level_right),
    }


def _as_json(
    directory: Path,
    documents: Sequence[Document],
    readings: Mapping[str, Sequence[Reading | None]],
    scores: Scores,
    found: Sequence[Target],
) -> dict[str, Any]:
    return {
        "dataset": str(directory),
        "per_type": {
            reader: {kind: _tally_json(t) for kind, t in tallies.items()} for reader, tallies in scores.items()
        },
        "targets": [asdict(t) for t in found],
        "documents": [
            {
                **asdict(d),
                "readings": {r: asdict(reading) for r, per_doc in readings.items() if (reading := per_doc[i])},
            }
            for i, d in enumerate(documents)
        ],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks ocr",
        description="OCR accuracy, calibration and latency on a development and a sealed split of generated ID "
        "documents, against PassportEye on the MRZs.",
    )
    parser.add_argument(
        "--n", type=int,
        help=f"documents per type in each split (default {DEFAULT_N['development']} development, "
        f"{DEFAULT_N['sealed']} sealed)",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: --n {QUICK_N}")
    parser.add_argument(
        "--split", choices=(*SPLIT_NAMES, "both"), default="both", help="which split(s) (default both, apart)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="added to each split's own seed (default 0: the splits' own data)"
    )
    parser.add_argument(
        "--kinds", nargs="+", choices=KINDS, default=list(KINDS), metavar="KIND",
        help=f"document types (default all: {' '.join(KINDS)})",
    )  # fmt: skip
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1; latency is measured with 1)")
    parser.add_argument(
        "--passporteye", choices=("sealed", "both", "none"), default="sealed",
        help="where to run PassportEye on the MRZs (default sealed: the split the targets are judged on)",
    )  # fmt: skip
    parser.add_argument("--no-passporteye", action="store_true", help="our reader alone (--passporteye none)")
    parser.add_argument("--fresh", action="store_true", help="write the data sets again")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the results and every reading here")
    args = parser.parse_args(argv)
    if args.quick and args.n is not None:
        parser.error(f"--quick is --n {QUICK_N}: give one of them")
    if (args.n is not None and args.n < 1) or args.jobs < 1:
        parser.error("--n and --jobs must be at least 1")
    kinds = tuple(k for k in KINDS if k in args.kinds)
    splits = SPLIT_NAMES if args.split == "both" else (args.split,)
    passporteye_on: tuple[str, ...] = () if args.no_passporteye or args.passporteye == "none" else (
        SPLIT_NAMES if args.passporteye == "both" else ("sealed",)
    )  # fmt: skip
    if passporteye_on and passporteye is None:
        print("PassportEye is not installed (pip install -e '.[bench]'; make bench-ocr does it): our reader alone")
        passporteye_on = ()
    if not any(k in MRZ_KINDS for k in kinds):
        passporteye_on = ()

    started = time.perf_counter()
    contention = "" if args.jobs == 1 else f"; {args.jobs} processes share the CPU, so take latency from --jobs 1"
    found: dict[str, list[Target]] = {}
    report: dict[str, Any] = {"kinds": list(kinds), "jobs": args.jobs, "today": TODAY.isoformat(), "splits": {}}
    for split in splits:
        n = QUICK_N if args.quick else args.n or DEFAULT_N[split]
        readers = [OURS, PASSPORTEYE] if split in passporteye_on else [OURS]
        seed = SPLITS[split].seed + args.seed
        directory = dataset(split, n, seed, kinds, args.jobs, args.fresh)
        documents, readings, scores = evaluate(directory, readers, args.jobs, kinds)
        found[split] = targets(scores)
        title = f"{split} split ({n} per type, seed {seed})"
        print_table(
            f"OCR by document type, {title}: type recognised on clean and degraded scans (latency ms{contention})",
            ["document type", "reader", "docs", "recognised clean", "recognised degraded", "every field right",
             "p50", "p95", "errors"],
            type_rows(scores, kinds),
        )  # fmt: skip
        print_table(
            f"OCR by field, {title}: exact match after the same normalisation for both readers",
            ["document type", "field", OURS, PASSPORTEYE],
            field_rows(scores, kinds),
        )
        print_table(
            f"Confidence calibration, {title}: our values by the level the entry form shows them at",
            ["level", "shown as", "values", "right", "wrong", "precision", "target", "result"],
            calibration_rows(scores, judged=split == TARGET_SPLIT),
        )
        print_table(
            f"OCR by capture condition, {title}: our reader (a document counts once in each condition)",
            ["condition", "value", "docs", "type recognised", "every field right"],
            condition_rows(documents, readings[OURS]),
        )
        report["splits"][split] = {
            "seed": seed, "n_per_kind": n, "readers": readers,
            **_as_json(directory, documents, readings, scores, found[split]),
        }  # fmt: skip
    header = ["target"]
    for split in found:
        header += [split, "result" if split == TARGET_SPLIT else "(not judged)"]
    print_table(f"OCR targets (issues 4 and 12), judged on the {TARGET_SPLIT} split", header, target_rows(found))
    elapsed = time.perf_counter() - started
    print(f"\n{', '.join(splits)}: in {elapsed:.0f} s")
    if args.json:
        report["seconds"] = round(elapsed, 1)
        report["passporteye_version"] = getattr(passporteye, "__version__", None) if passporteye_on else None
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"results: {args.json}")


if __name__ == "__main__":
    main()
