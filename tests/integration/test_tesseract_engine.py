"""Tesseract in this process (tesserocr) with the real language data: no ID crop on disk, loaded engines shared
safely between threads and settings, and pytesseract where tesserocr cannot run."""

from __future__ import annotations

import ctypes
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import tesserocr
from PIL import Image, ImageDraw, ImageFont

from desktop_app.ocr import tesseract_engine
from desktop_app.ocr.recognise import recognise
from desktop_app.ocr.tesseract_engine import ENGINE_ENV, MRZ_CONFIG, engine_name, read_glyph_lines, read_lines
from tests.support.id_documents import (
    OCR_B,
    TODAY,
    cn_id_back,
    cn_id_front,
    font_file,
    passport_td3,
    synthetic_identity,
)


@pytest.fixture(autouse=True)
def _in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENGINE_ENV, raising=False)


def _documents() -> list[tuple[str, Image.Image]]:
    rng = random.Random(0)
    return [
        ("cn_id_front", cn_id_front(synthetic_identity(rng, "resident", TODAY), rng)[0]),
        ("cn_id_back", cn_id_back(synthetic_identity(rng, "resident", TODAY), rng)[0]),
        ("mrz_td3", passport_td3(synthetic_identity(rng, "any", TODAY), rng)[0]),
    ]


def _created_in(directory: Path) -> Callable[[], list[str]]:
    """A function that returns the names created in `directory` since this call (Linux inotify: a file written
    and removed again in between is seen too)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    in_create, in_moved_to = 0x100, 0x80
    if fd < 0 or libc.inotify_add_watch(fd, os.fsencode(directory), in_create | in_moved_to) < 0:
        pytest.skip("inotify is not available")

    def created() -> list[str]:
        names = []
        try:
            while True:
                try:
                    events = os.read(fd, 65536)
                except BlockingIOError:
                    return names
                offset = 0
                while offset < len(events):
                    _, _, _, length = struct.unpack_from("iIII", events, offset)
                    names.append(os.fsdecode(events[offset + 16 : offset + 16 + length].rstrip(b"\0")))
                    offset += 16 + length
        finally:
            os.close(fd)

    return created


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches the directory with inotify")
def test_no_crop_of_an_id_document_is_written_to_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 item 20: pytesseract wrote every crop of an ID document to an unencrypted temporary file;
    Tesseract now runs in this process and is handed the crops in memory."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    created = _created_in(temp)
    for kind, image in _documents():
        assert recognise(image, TODAY).document_type == kind
    assert created() == [] and list(temp.iterdir()) == []


@dataclass(frozen=True)
class _Call:
    image: Image.Image
    lang: str
    config: str
    output: str


@pytest.fixture(scope="module")
def reader_calls() -> list[_Call]:
    """Every Tesseract run of the readers on one document of each kind, as they made it."""
    calls: list[_Call] = []
    real = tesseract_engine._tesseract

    def recording(image: Image.Image, lang: str, config: str, output: str) -> str:
        calls.append(_Call(image.copy(), lang, config, output))
        return real(image, lang, config, output)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tesseract_engine, "_tesseract", recording)
        for _, image in _documents():
            recognise(image, TODAY)
    # The standard Han model reads, Debian's fast one gives the second opinion.
    assert {c.lang for c in calls} == {"eng", "chi_sim_std", "chi_sim"}
    return calls


def _fresh_reading(call: _Call) -> str:
    """What an engine loaded for this one call alone reads."""
    settings = tesseract_engine._Settings.parse(call.config)
    folder = tesseract_engine.tessdata_folder(call.lang)
    assert settings is not None and folder is not None
    with tesserocr.PyTessBaseAPI(path=folder, lang=call.lang, variables=dict(settings.variables)) as engine:
        engine.SetPageSegMode(settings.psm if settings.psm is not None else 3)
        engine.SetImage(call.image)
        engine.Recognize()
        return str(engine.GetTSVText(0) if call.output == "tsv" else engine.GetHOCRText(0))


def test_engines_lent_between_threads_and_settings_read_as_fresh_ones(reader_calls: list[_Call]) -> None:
    """Loaded engines kept between readings, lent to two threads at once in mixed order, read every crop
    exactly as an engine loaded for it alone does: nothing of one reading or setting carries over to the next."""
    expected = [_fresh_reading(call) for call in reader_calls]
    got: dict[int, list[str]] = {}

    def read(indices: list[int]) -> None:
        for i in indices:
            call = reader_calls[i]
            got.setdefault(i, []).append(tesseract_engine._tesseract(call.image, call.lang, call.config, call.output))

    order = list(range(len(reader_calls))) * 2
    random.Random(1).shuffle(order)
    threads = [threading.Thread(target=read, args=(order[k::2],)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert engine_name() == "tesserocr"
    for i, readings in got.items():
        assert readings == [expected[i]] * len(readings), reader_calls[i].config


def test_every_setting_the_readers_use_belongs_to_its_engine(reader_calls: list[_Call]) -> None:
    """Engines with different settings share a process: each -c variable the readers set must be held by its
    engine, not process-wide, or one reader's setting would change another's reading (checked in a fresh
    process: a fresh engine loaded after one with every setting still has the defaults)."""
    variables: dict[str, str] = {}
    for call in reader_calls:
        settings = tesseract_engine._Settings.parse(call.config + " -c hocr_char_boxes=1")
        assert settings is not None, call.config
        variables.update(settings.variables)
    script = (
        "import json, sys, tesserocr\n"
        "folder, variables = sys.argv[1], json.loads(sys.argv[2])\n"
        "def values(**kw):\n"
        "    with tesserocr.PyTessBaseAPI(path=folder, lang='eng', **kw) as api:\n"
        "        return {name: api.GetVariableAsString(name) for name in variables}\n"
        "before = values()\n"
        "with tesserocr.PyTessBaseAPI(path=folder, lang='eng', variables=variables):\n"
        "    after = values()\n"
        "print(json.dumps([before, after]))\n"
    )
    folder = tesseract_engine.tessdata_folder("eng")
    assert folder is not None
    out = subprocess.run(
        [sys.executable, "-c", script, folder, json.dumps(variables)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    before, after = json.loads(out.stdout)
    assert after == before


MRZ_LINE = "L898902C36UTA7408122F1204159ZE184226B"  # no fillers or O: they read as K and 0 now and then


def _mrz_line() -> Image.Image:
    file, index = font_file(OCR_B)
    image = Image.new("L", (1300, 90), 255)
    ImageDraw.Draw(image).text((20, 20), MRZ_LINE, font=ImageFont.truetype(file, 44, index=index), fill=0)
    return image


@pytest.fixture
def program_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls that start a tesseract program (pytesseract), by kind."""
    calls: list[str] = []
    for name in ("image_to_data", "image_to_pdf_or_hocr"):
        real = getattr(tesseract_engine.pytesseract, name)

        def spy(*args: object, _real: Callable[..., object] = real, _name: str = name, **kwargs: object) -> object:
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(tesseract_engine.pytesseract, name, spy)
    return calls


def test_without_tesserocr_the_tesseract_program_reads_the_same_line(
    monkeypatch: pytest.MonkeyPatch, program_calls: list[str]
) -> None:
    """Where tesserocr is not installed, pytesseract runs the tesseract program, and the readers get the same
    lines from it as from the engine in this process."""
    in_process = read_glyph_lines(_mrz_line(), lang="eng", config=MRZ_CONFIG)
    assert program_calls == []
    monkeypatch.setattr(tesseract_engine, "tesserocr", None)
    assert engine_name() == "pytesseract"
    by_program = read_glyph_lines(_mrz_line(), lang="eng", config=MRZ_CONFIG)
    assert program_calls == ["image_to_pdf_or_hocr"]
    assert [line.text for line in by_program] == [line.text for line in in_process] == [MRZ_LINE]
    assert [g.box for g in by_program[0].glyphs] == [g.box for g in in_process[0].glyphs]


def test_without_language_data_where_tesserocr_looks_the_program_is_used(
    monkeypatch: pytest.MonkeyPatch, program_calls: list[str]
) -> None:
    """Language data tesserocr cannot find (a Tesseract installed elsewhere) leaves the reading to the tesseract
    program, which knows its own."""
    monkeypatch.setattr(tesseract_engine, "tessdata_folder", lambda lang: None)
    lines = read_lines(_mrz_line(), lang="eng", config=MRZ_CONFIG)
    assert program_calls == ["image_to_data"] and lines[0].text == MRZ_LINE


def test_the_tesseract_program_can_be_chosen(monkeypatch: pytest.MonkeyPatch, program_calls: list[str]) -> None:
    """DESKTOP_APP_OCR_ENGINE=pytesseract runs the program even with tesserocr installed (to compare the two)."""
    monkeypatch.setenv(ENGINE_ENV, "pytesseract")
    read_lines(_mrz_line(), lang="eng", config=MRZ_CONFIG)
    assert engine_name() == "pytesseract" and program_calls == ["image_to_data"]


def test_an_empty_image_reads_as_nothing() -> None:
    """A crop of no pixels (a field cut off at the edge) is no text, by either way of running Tesseract."""
    assert read_lines(Image.new("L", (0, 40)), lang="eng", config=MRZ_CONFIG) == []
    assert read_glyph_lines(Image.new("L", (40, 0)), lang="eng", config=MRZ_CONFIG) == []


def test_the_language_data_is_found_for_each_language() -> None:
    """Debian's eng and chi_sim models (tesseract-ocr-eng, -chi-sim) are found where the system put them."""
    for lang in ("eng", "chi_sim", "chi_sim+eng"):
        folder = tesseract_engine.tessdata_folder(lang)
        assert folder is not None and all(Path(folder, f"{n}.traineddata").is_file() for n in lang.split("+"))
    assert tesseract_engine.tessdata_folder("xx_not_a_language") is None
