"""Running Tesseract on a prepared image region: text lines with word confidences.

Tesseract runs in this process through tesserocr (its C API; the wheels carry their own libtesseract, which reads the
system's language data). Loading a model costs more than reading a crop, so loaded engines are kept, one set per
language and settings, and lent to one thread at a time: a Tesseract engine is not safe to share between threads,
and the readers start new threads for each document, so engines belong to the pool, not to a thread. The image goes
to Tesseract in memory: no ID crop is written to disk.

Without tesserocr, or without the language data where it can find it, pytesseract runs a tesseract process per call
(about 0.1-0.3 s more each, and the crop passes through a temporary file). DESKTOP_APP_OCR_ENGINE=pytesseract
chooses that way on purpose, for comparison.

Both ways produce Tesseract's own TSV and hOCR output, parsed here the same way.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

# Read when Tesseract starts (in a child process, or on loading the library below): one thread each keeps two
# readings from fighting over two cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract
from PIL import Image

try:
    import tesserocr
except ImportError:  # not installed on this platform: a tesseract process per call
    tesserocr = None

_T = TypeVar("_T")
_Api = Any  # a tesserocr.PyTessBaseAPI (tesserocr is not marked as typed)

ENGINE_ENV = "DESKTOP_APP_OCR_ENGINE"

MRZ_CONFIG = (
    "--psm 6 -c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789< -c load_system_dawg=F -c load_freq_dawg=F"
)


class OcrEngineMissing(RuntimeError):
    """Tesseract (or its language data) is not installed."""


Box = tuple[int, int, int, int]  # left, top, right, bottom in the image given to Tesseract


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float  # 0..1
    box: Box


@dataclass(frozen=True)
class OcrLine:
    text: str  # the words joined without spaces (MRZ, numbers and Chinese have none that matter)
    confidence: float  # mean word confidence, 0..1
    box: Box = (0, 0, 0, 0)
    words: tuple[OcrWord, ...] = ()
    glyphs: tuple[OcrWord, ...] = ()  # one per character, from read_glyph_lines only


def read_lines(image: Image.Image, *, lang: str, config: str) -> list[OcrLine]:
    """The text lines Tesseract reads in `image`, top to bottom, with their mean word confidence."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for row in _tsv_rows(_tesseract(image, lang, config, "tsv")):
        word = row[11]
        if not word.strip():
            continue
        key = (int(row[2]), int(row[3]), int(row[4]))  # block, paragraph, line
        left, top, width, height = (int(v) for v in row[6:10])
        box = (left, top, left + width, top + height)
        lines.setdefault(key, []).append(OcrWord(word, max(0.0, float(row[10])) / 100, box))
    return [_line(tuple(words)) for _, words in sorted(lines.items())]


def _tsv_rows(tsv: str) -> Iterator[list[str]]:
    """The rows of Tesseract's TSV output (level, page, block, paragraph, line, word, left, top, width, height,
    confidence, text), without the header the tesseract program adds."""
    for text in tsv.splitlines():
        row = text.split("\t", 11)
        if len(row) == 12 and row[0].isdigit():
            yield row


def _line(words: tuple[OcrWord, ...]) -> OcrLine:
    box = (
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[2] for w in words),
        max(w.box[3] for w in words),
    )
    return OcrLine("".join(w.text for w in words), sum(w.confidence for w in words) / len(words), box, words)


def read_glyph_lines(image: Image.Image, *, lang: str, config: str) -> list[OcrLine]:
    """Like read_lines, and each line also carries its characters with their own boxes and confidences (from
    Tesseract's hOCR with character boxes, in the same single run)."""
    parser = _HocrGlyphs()
    parser.feed(_tesseract(image, lang, config + " -c hocr_char_boxes=1", "hocr"))
    lines = []
    for glyphs in parser.lines:
        if glyphs:
            line = _line(tuple(glyphs))
            lines.append(OcrLine(line.text, line.confidence, line.box, (), tuple(glyphs)))
    return lines


# ---------------------------------------------------------------------------------------------------------------
# Running Tesseract


def engine_name() -> str:
    """Which way Tesseract runs: "tesserocr" (in this process) or "pytesseract" (a tesseract process per call)."""
    return "tesserocr" if tesserocr is not None and os.environ.get(ENGINE_ENV) != "pytesseract" else "pytesseract"


def _tesseract(image: Image.Image, lang: str, config: str, output: str) -> str:
    """Tesseract's `output` ("tsv" or "hocr") for `image`."""
    if image.width == 0 or image.height == 0:
        return ""  # nothing to read, and neither way can hand an empty image over
    settings = _Settings.parse(config)
    if settings is not None and engine_name() == "tesserocr":
        tessdata = tessdata_folder(lang)
        if tessdata is not None:
            return _in_process(image, lang, tessdata, settings, output)
    folder = tessdata_folder(lang)
    if folder is not None:  # the tesseract program looks only in its own folder unless told
        config = f"--tessdata-dir {shlex.quote(folder.rstrip(os.sep))} {config}"
    if output == "tsv":
        return str(_run(lambda: pytesseract.image_to_data(image, lang=lang, config=config)))
    hocr = _run(lambda: pytesseract.image_to_pdf_or_hocr(image, lang=lang, config=config, extension="hocr"))
    return bytes(hocr).decode("utf-8")


def _run(call: Callable[[], _T]) -> _T:
    try:
        return call()
    except pytesseract.TesseractNotFoundError:
        raise OcrEngineMissing("Tesseract is not installed: run 'make setup' (Debian package tesseract-ocr).") from None
    except pytesseract.TesseractError as exc:
        raise OcrEngineMissing(f"Tesseract could not run ({exc.status}): check its language data.") from None


@dataclass(frozen=True)
class _Settings:
    """A config string as the tesseract program takes it: the page segmentation mode and -c variables."""

    psm: int | None
    variables: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, config: str) -> _Settings | None:
        """The settings, or None for a config with other options (left to the tesseract program)."""
        psm: int | None = None
        variables: dict[str, str] = {}
        words = shlex.split(config)  # as pytesseract splits it
        if len(words) % 2:
            return None
        for option, value in zip(words[::2], words[1::2], strict=True):
            if option == "--psm" and value.isdigit():
                psm = int(value)
            elif option == "-c" and "=" in value:
                name, _, setting = value.partition("=")
                variables[name] = setting
            else:
                return None
        return cls(psm, tuple(sorted(variables.items())))


# The project's own language data (resources/tessdata, scripts/make_chi_sim_std.sh): looked in before the system's.
PROJECT_TESSDATA = Path(__file__).resolve().parents[2] / "resources" / "tessdata"

# Debian ships Tesseract's "fast" Chinese model only; it misreads common characters of names (邱 as 印) and lacks
# several of ethnic groups' names. The standard model (chi_sim_std, its LSTM half) reads them: the readers read
# Han text with it and, where Debian's is there too, take that one's reading as a second opinion, since two models
# agreeing is what lets a value be shown as read clearly (the standard model is surer than it should be when wrong).
HAN_FAST = "chi_sim"
HAN_STANDARD = "chi_sim_std"


@cache
def han_models() -> tuple[str, str | None]:
    """The model to read Han text with, and a second one to check its readings against (None when there is none)."""
    if tessdata_folder(HAN_STANDARD) is not None:
        return HAN_STANDARD, (HAN_FAST if tessdata_folder(HAN_FAST) is not None else None)
    return HAN_FAST, None


# Where Tesseract's language data is installed: Debian and Ubuntu (tesseract-ocr-eng, -chi-sim), other Linux
# systems, Homebrew. The packaged Windows app sets TESSDATA_PREFIX to the Tesseract it finds.
_TESSDATA_GLOBS = (
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/*/tessdata",
    "/opt/homebrew/share/tessdata",
)


@cache
def tessdata_folder(lang: str) -> str | None:
    """The folder holding the language data for `lang` ("eng", "chi_sim+eng"), or None when there is none."""
    prefix = os.environ.get("TESSDATA_PREFIX", "")
    folders = [prefix, os.path.join(prefix, "tessdata") if prefix else "", str(PROJECT_TESSDATA)]
    # (TESSDATA_PREFIX: the folder, or, as Tesseract 3 had it, its parent)
    if sys.platform == "win32":
        folders.append(os.path.join(os.environ.get("PROGRAMFILES", r"C:\Program Files"), "Tesseract-OCR", "tessdata"))
    for pattern in _TESSDATA_GLOBS:
        folders.extend(sorted(glob.glob(pattern), reverse=True))  # the newest Tesseract's first
    for folder in folders:
        if folder and all(Path(folder, f"{name}.traineddata").is_file() for name in lang.split("+")):
            return os.path.join(folder, "")  # Tesseract wants the trailing separator
    return None


def _in_process(image: Image.Image, lang: str, tessdata: str, settings: _Settings, output: str) -> str:
    with _ENGINES.lend(tessdata, lang, settings.variables) as engine:
        # 3 (automatic) is the tesseract program's own default.
        engine.SetPageSegMode(settings.psm if settings.psm is not None else 3)
        try:
            engine.SetImage(image)
            engine.Recognize()
            return str(engine.GetTSVText(0) if output == "tsv" else engine.GetHOCRText(0))
        finally:
            engine.Clear()


class _Engines:
    """Loaded Tesseract engines, each lent to one thread at a time.

    An engine is kept per language and -c variables, which Tesseract reads when it loads (some of them, such as the
    dictionaries, only then), exactly as the tesseract program does; the page segmentation mode is set for each
    reading. Every variable the readers set is a member of the engine, not a process-wide setting (a test holds
    them to that), so engines with different settings do not disturb each other."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[_Api]] = {}

    @contextmanager
    def lend(self, tessdata: str, lang: str, variables: tuple[tuple[str, str], ...]) -> Iterator[_Api]:
        key = (tessdata, lang, variables)
        with self._lock:
            idle = self._idle.setdefault(key, [])
            engine = idle.pop() if idle else None
        if engine is None:
            engine = self._load(tessdata, lang, variables)
        try:
            yield engine
        finally:
            with self._lock:
                self._idle.setdefault(key, []).append(engine)

    @staticmethod
    def _load(tessdata: str, lang: str, variables: tuple[tuple[str, str], ...]) -> _Api:
        if tesserocr is None:
            raise OcrEngineMissing("tesserocr is not installed: run 'make setup'.")
        try:
            # LSTM only: the standard model's file here has no legacy engine, and no reader uses one.
            return tesserocr.PyTessBaseAPI(
                path=tessdata, lang=lang, oem=tesserocr.OEM.LSTM_ONLY, variables=dict(variables)
            )
        except RuntimeError:
            raise OcrEngineMissing(f"Tesseract could not load its {lang} language data from {tessdata}.") from None

    def forget(self) -> None:
        """Drop every engine without ending it (in a child process after fork(): another thread of the parent may
        have been using one, and the child's copy is left as it was)."""
        _INHERITED.extend(self._idle.values())
        self._lock = threading.Lock()
        self._idle = {}


_ENGINES = _Engines()
_INHERITED: list[object] = []  # engines copied into a forked child: kept referenced, so that none is ended there
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ENGINES.forget)


# ---------------------------------------------------------------------------------------------------------------
# hOCR


_BBOXES = re.compile(r"x_bboxes (-?\d+) (-?\d+) (-?\d+) (-?\d+); x_conf ([\d.]+)")


class _HocrGlyphs(HTMLParser):
    """Collects the ocrx_cinfo spans of each ocr_line of Tesseract's hOCR output (stdlib parser: the input is
    Tesseract's own output, and this is all of hOCR that is needed)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[list[OcrWord]] = []
        self._glyph: tuple[Box, float] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        kind = attributes.get("class")
        if kind == "ocr_line" or kind == "ocr_header" or kind == "ocr_caption" or kind == "ocr_textfloat":
            self.lines.append([])
        elif kind == "ocrx_cinfo":
            found = _BBOXES.search(attributes.get("title") or "")
            if found:
                left, top, right, bottom = (int(found.group(i)) for i in range(1, 5))
                self._glyph = ((left, top, right, bottom), float(found.group(5)) / 100)

    def handle_data(self, data: str) -> None:
        if self._glyph is not None and self.lines and data.strip():
            box, confidence = self._glyph
            self.lines[-1].append(OcrWord(data.strip(), max(0.0, confidence), box))
            self._glyph = None

    def handle_endtag(self, tag: str) -> None:
        self._glyph = None
