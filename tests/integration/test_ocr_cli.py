"""`desktop-app ocr --json` on generated documents with the real Tesseract, and on bad files."""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from desktop_app import cli
from desktop_app.ocr import recognise as recognise_module
from desktop_app.ocr.mrz_reader import MRZ_FIELDS
from desktop_app.storage.data_dir import DataDir
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


def ocr_command(*files: Path, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    where = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *where, "ocr", "--json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )


def run_ocr(*files: Path) -> tuple[int, list[dict[str, object]]]:
    out = ocr_command(*files)
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
        # a 6 or a G is never confirmed: the check digit cannot tell them apart (issue 12)
        assert fields["document_number"]["verified"] == (not set(truth["document_number"]) & {"6", "G"})
        assert fields["birth_date"]["verified"]
        # names carry no check digit: the printed page above the zone confirms them where it repeats them
        assert isinstance(fields["surname"]["verified"], bool)
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


def test_every_file_gets_its_line_whatever_became_of_the_one_before(tmp_path: Path) -> None:
    """Issue 14 item 14: long, thin images (1×20000, 50×4000, 3000×10, 1×100 px) crashed the Chinese ID reader
    with no JSON line for the file, the files after it were skipped, and without a data directory the traceback
    went to stderr with a message pointing at a log folder that does not exist. Every file now gets its line."""
    files = []
    for n, size in enumerate([(1, 20000), (50, 4000), (3000, 10), (1, 100), (1600, 400)]):
        path = tmp_path / f"odd{n}.png"
        Image.new("RGB", size, "white").save(path)
        files.append(path)
    rng = random.Random(0)
    image, truth = passport_td3(synthetic_identity(rng, "any", TODAY), rng)
    passport = tmp_path / "passport.png"
    image.save(passport)
    files.insert(1, passport)  # after the first thin image, as in the report
    nowhere = tmp_path / "no-data-dir"
    out = ocr_command(*files, data_dir=nowhere)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(f) for f in files]
    assert out.returncode == 1 and out.stderr == ""
    passport_line, thin_lines, wide_line = lines[1], lines[:1] + lines[2:5], lines[5]
    assert passport_line["document_type"] == "mrz_td3"
    assert passport_line["fields"]["document_number"]["value"] == truth["document_number"]
    for line, size in zip(thin_lines, ["1×20000", "50×4000", "3000×10", "1×100"], strict=True):
        assert size in line["error"] and "logs" not in line["error"]
    assert wide_line["document_type"] is None and "document_not_recognised" in wide_line["warnings"]
    assert not nowhere.exists()


@pytest.fixture
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield None
    for handler in root.handlers[len(handlers) :]:
        handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("_restore_logging")
def test_an_unexpected_failure_is_that_files_line_and_names_only_a_log_that_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14 item 14: a failure nobody foresaw, in any file, is that file's error line; the run goes on. The
    line names the log folder only when there is one (a data directory), and the details are then in it."""

    def failing(source: object, today: object = None) -> None:
        raise RuntimeError("a reader bug")

    monkeypatch.setattr(recognise_module, "recognise", failing)
    code = cli.main(["--data-dir", str(tmp_path / "none"), "ocr", "--json", "a.png", "b.png"])
    out = capsys.readouterr()
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert code == 1 and [line["file"] for line in lines] == ["a.png", "b.png"] and out.err == ""
    assert all("RuntimeError" in line["error"] and "log" not in line["error"] for line in lines)

    data = tmp_path / "data"
    data.mkdir()
    assert cli.main(["--data-dir", str(data), "ocr", "--json", "a.png"]) == 1
    (line,) = [json.loads(text) for text in capsys.readouterr().out.splitlines()]
    logs = DataDir(data).logs
    assert str(logs) in line["error"]
    assert "RuntimeError" in (logs / "desktop-app.log").read_text(encoding="utf-8")


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """`desktop-app ocr --json ... | head -c 100`: the pipe closed under the command was logged as "an unexpected
    problem stopped the command"; it is the reader's choice, not a failure (exit 141, as for SIGPIPE)."""
    blank = tmp_path / "blank.png"
    Image.new("RGB", (1011, 638), "white").save(blank)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "desktop_app", "--data-dir", str(tmp_path / "data"), "ocr", "--json"]
    reading = subprocess.Popen(
        [*command, str(blank), str(blank)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env
    )
    assert reading.stdout is not None and reading.stderr is not None
    reading.stdout.close()  # the reader goes away before the first line
    errors = reading.stderr.read().decode()
    assert reading.wait(timeout=300) == 141 and "unexpected" not in errors and "Traceback" not in errors
