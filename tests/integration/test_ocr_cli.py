"""`desktop-app ocr --json` on generated documents with the real Tesseract, and on bad files."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from PIL import Image

from desktop_app.ocr.mrz_reader import MRZ_FIELDS
from tests.support.id_documents import (
    TODAY,
    cn_id_front,
    id_card_td1,
    id_card_td2,
    passport_td3,
    synthetic_identity,
)

ROOT = Path(__file__).resolve().parents[2]
FIELDS = MRZ_FIELDS


def run_ocr(*files: Path) -> tuple[int, list[dict[str, object]]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "desktop_app", "ocr", "--json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, [json.loads(line) for line in out.stdout.splitlines()]


def test_machine_readable_zones_are_read_field_by_field(tmp_path: Path) -> None:
    # seeds whose clean renderings the current reader gets fully right: a regression guard, not the accuracy
    # figure (that is the OCR benchmark's job)
    cases = [
        ("mrz_td3", passport_td3, 0),
        ("mrz_td3", passport_td3, 3),
        ("mrz_td1", id_card_td1, 1),
        ("mrz_td2", id_card_td2, 2),
    ]
    files, truths = [], []
    for n, (kind, make, seed) in enumerate(cases):
        rng = random.Random(seed)
        identity = synthetic_identity(rng, "any" if kind == "mrz_td3" else "foreign", TODAY)
        image, truth = make(identity, rng)
        path = tmp_path / f"doc{n}.png"
        image.save(path)
        files.append(path)
        truths.append((kind, truth))
    code, lines = run_ocr(*files)
    assert code == 0
    for line, (kind, truth) in zip(lines, truths, strict=True):
        assert line["document_type"] == kind
        fields = line["fields"]
        assert isinstance(fields, dict)
        for name in FIELDS:
            assert fields[name]["value"] == truth[name], (kind, name)
        assert fields["document_number"]["verified"] and fields["birth_date"]["verified"]
        assert not fields["surname"]["verified"]  # names carry no check digit
        assert isinstance(line["elapsed_ms"], int)


def test_the_citizen_number_of_a_chinese_id_card_is_read_and_checked(tmp_path: Path) -> None:
    files, numbers = [], []
    for seed in (0, 1, 2):
        rng = random.Random(seed)
        image, truth = cn_id_front(synthetic_identity(rng, "resident", TODAY), rng)
        path = tmp_path / f"card{seed}.png"
        image.rotate(180 if seed == 2 else 0).save(path)  # one card scanned upside down
        files.append(path)
        numbers.append(truth["id_number"])
    code, lines = run_ocr(*files)
    assert code == 0
    for line, number in zip(lines, numbers, strict=True):
        assert line["document_type"] == "cn_id_front"
        assert line["fields"]["id_number"] == {
            "value": number,
            "confidence": line["fields"]["id_number"]["confidence"],
            "verified": True,
        }


def test_bad_files_give_an_error_line_and_the_run_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    text = tmp_path / "note.jpg"
    text.write_text("not an image", encoding="utf-8")
    blank = tmp_path / "blank.png"
    Image.new("RGB", (800, 500), "white").save(blank)
    code, lines = run_ocr(empty, text, blank)
    assert code == 1
    assert [bool(line.get("error")) for line in lines] == [True, True, False]
    assert lines[2]["document_type"] is None and "document_not_recognised" in lines[2]["warnings"]
