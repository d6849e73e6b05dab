"""Synthetic ID-document images with ground truth, for OCR tests and the accuracy benchmark.

Nothing here is real. Identities come from desktop_app.domain.synthetic (marker-word names and addresses such
as "王测试" and "示例省演示市..."); the photo is a grey rectangle marked 样本 SPECIMEN; the emblem is a plain
circle. Layouts follow the public geometry of the documents (ID-1 card 85.6×54 mm, TD3 page 125×88 mm, TD2
105×74 mm, MRZ at 2.54 mm character pitch in OCR-B), drawn at 300 DPI.

Every generator is a pure function of its arguments: the same identity and seed give the same pixels. Each
returns (image, truth), where truth maps field names to the exact strings a reader should return. A clean
image also carries image.info["boxes"]: {"label:<text>" or field name: (x0, y0, x1, y1)}, where each label and
value was drawn (gone after degrade(), which moves pixels).

Kept under tests/, out of the shipped package. The MRZ lines come from tests/support/mrz_writer.py, written from
ICAO 9303 rather than taken from the `mrz` package (GPLv3), so benchmarks may use it too.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from math import pi, sin
from pathlib import Path
from typing import Any

import pycountry
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from desktop_app.domain.choices import ETHNICITIES
from desktop_app.domain.synthetic import LONG_TERM, add_years, generate_customer
from tests.support.mrz_writer import check_digit as mrz_check_digit  # noqa: F401  (a name this module offers)
from tests.support.mrz_writer import mrz_lines

DPI = 300
TODAY = date(2025, 1, 1)  # a fixed "today" so a seed gives the same identities on any day
Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]

# ---------------------------------------------------------------------------------------------------------------
# Fonts, found through fontconfig so no path is hard-coded.

_FONT_PACKAGES: dict[str, str] = {
    "OCR B": "fonts-ocr-b",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "Noto Serif CJK SC": "fonts-noto-cjk",
}
OCR_B = "OCR B"
SANS = "Noto Sans CJK SC"
SERIF = "Noto Serif CJK SC"


class FontNotFoundError(RuntimeError):
    """A font the generator needs is not installed."""


@cache
def font_file(family: str, style: str = "Regular") -> tuple[str, int]:
    """(file, face index) of an installed font family; FontNotFoundError naming the Debian package if absent."""
    package = _FONT_PACKAGES.get(family, "the package that provides it")
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontNotFoundError(f"fc-match not found: install the Debian packages fontconfig and {package}")
    out = subprocess.run(
        [fc_match, "-f", "%{file}\n%{index}\n%{family}", f"{family}:style={style}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    file, index, families = ([*out.stdout.split("\n"), "", "", ""])[:3]
    # fc-match always answers, with a substitute when the family is missing.
    if family not in families.split(",") or not Path(file).is_file():
        raise FontNotFoundError(
            f"font {family!r} is not installed (fontconfig offers {families or 'nothing'!r} instead): "
            f"install the Debian package {package}"
        )
    return file, int(index or 0)


@cache
def _font(family: str, size: int, style: str = "Regular") -> ImageFont.FreeTypeFont:
    file, index = font_file(family, style)
    return ImageFont.truetype(file, size, index=index)


# ---------------------------------------------------------------------------------------------------------------
# Drawing helpers

LABEL_BLUE: RGB = (40, 125, 215)  # pre-printed labels; drops out in the blue channel
INK: RGB = (22, 22, 26)  # personalised values, printed black
_WHITE: RGB = (255, 255, 255)


def mm(length: float) -> int:
    """Millimetres to pixels at 300 DPI."""
    return round(length / 25.4 * DPI)


ID1_SIZE = (mm(85.6), mm(54))  # 1011 × 638
TD2_SIZE = (mm(105), mm(74))  # 1240 × 874
TD3_SIZE = (mm(125), mm(88))  # 1476 × 1039
MRZ_PITCH = mm(2.54)  # ten characters per inch (ICAO 9303 part 3)
_CARD_RADIUS = mm(3.18)


def _jitter(color: RGB, rng: random.Random, amount: int) -> RGB:
    r, g, b = (max(0, min(255, c + rng.randint(-amount, amount))) for c in color)
    return (r, g, b)


class _Canvas:
    """An image, its draw handle, and the boxes of what was drawn on it."""

    def __init__(self, background: Image.Image) -> None:
        self.image = background
        self.draw = ImageDraw.Draw(self.image)
        self.boxes: dict[str, Box] = {}

    def text(self, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont, fill: RGB, key: str = "") -> Box:
        """Draw `text` with its left end of baseline at `xy`; record its box under `key`."""
        self.draw.text(xy, text, font=font, fill=fill, anchor="ls")
        box = tuple(round(v) for v in self.draw.textbbox(xy, text, font=font, anchor="ls"))
        self._record(key, box)  # type: ignore[arg-type]
        return box  # type: ignore[return-value]

    def spaced(
        self, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont, fill: RGB, pitch: float, key: str = ""
    ) -> Box:
        """Draw `text` one character every `pitch` pixels (monospaced MRZ, letter-spaced labels)."""
        x, y = xy
        boxes = [self.text((x + i * pitch, y), ch, font, fill) for i, ch in enumerate(text) if ch != " "]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        self._record(key, box)
        return box

    def label(self, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont, pitch: float = 0) -> Box:
        key = f"label:{text}"
        if pitch:
            return self.spaced(xy, text, font, LABEL_BLUE, pitch, key)
        return self.text(xy, text, font, LABEL_BLUE, key)

    def _record(self, key: str, box: Box) -> None:
        if not key:
            return
        if key in self.boxes:  # a value drawn in several pieces (address lines): one box around them all
            old = self.boxes[key]
            box = (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3]))
        self.boxes[key] = box

    def finish(self) -> Image.Image:
        self.image.info["boxes"] = dict(self.boxes)
        return self.image


def _rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=radius, fill=255)
    return mask


def _security_background(size: tuple[int, int], rng: random.Random, tint: RGB, line_colors: list[RGB]) -> Image.Image:
    """A pale card: vertical tint gradient, guilloche-like sine bands and rings; white outside rounded corners.

    Every colour stays above 200 in each channel so no background pixel can pass for ink.
    """
    w, h = size
    top = _jitter(tint, rng, 4)
    bottom = tuple(max(205, c - rng.randint(4, 14)) for c in top)
    gradient = Image.linear_gradient("L").resize(size)
    card = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)  # type: ignore[arg-type]
    draw = ImageDraw.Draw(card)
    for k in range(rng.randint(18, 26)):
        color = line_colors[k % len(line_colors)]
        amplitude = rng.uniform(8, 40)
        wavelength = rng.uniform(160, 520)
        phase = rng.uniform(0, 2 * pi)
        y0 = rng.uniform(-20, h + 20)
        points = [(x, y0 + amplitude * sin(2 * pi * x / wavelength + phase)) for x in range(0, w + 8, 8)]
        draw.line(points, fill=color, width=1)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    for r in range(40, max(w, h), rng.randint(18, 30)):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=line_colors[0], width=1)
    background = Image.new("RGB", size, _WHITE)
    background.paste(card, (0, 0), _rounded_mask(size, _CARD_RADIUS))
    return background


def _photo_placeholder(canvas: _Canvas, box: Box, rng: random.Random) -> None:
    """A grey rectangle where the holder's photo goes, marked as a specimen: no face, ever."""
    grey = rng.randint(150, 175)
    canvas.draw.rectangle(box, fill=(grey, grey, grey + 4))
    x0, y0, x1, y1 = box
    font = _font(SANS, max(18, (x1 - x0) // 7))
    mark = (grey - 40, grey - 40, grey - 36)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    canvas.draw.text((cx, cy - 4), "样本", font=font, fill=mark, anchor="md")
    canvas.draw.text((cx, cy + 4), "SPECIMEN", font=_font(SANS, max(12, (x1 - x0) // 12)), fill=mark, anchor="ma")


# ---------------------------------------------------------------------------------------------------------------
# Chinese resident identity card (second generation), both sides

_ETHNIC_SHORT: dict[str, str] = {c.value: c.label_text.zh.removesuffix("族") for c in ETHNICITIES}
_SEX_ZH = {"M": "男", "F": "女"}
_ADDRESS_CHARS_PER_LINE = 11
_ADDRESS_LINES = 3


def _require_resident(identity: Mapping[str, str]) -> None:
    if identity.get("id_type") != "resident_id":
        raise ValueError(f"a resident ID card needs a resident_id identity, not {identity.get('id_type')!r}")


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, lines: int) -> list[str]:
    """Greedy wrap by drawn width (digits are half as wide as Han characters), at most `lines` lines."""
    out: list[str] = []
    current = ""
    for ch in text:
        if current and font.getlength(current + ch) > width:
            out.append(current)
            current = ""
            if len(out) == lines:
                return out
        current += ch
    if current:
        out.append(current)
    return out


def cn_id_front(identity: Mapping[str, str], rng: random.Random) -> tuple[Image.Image, dict[str, str]]:
    """The portrait side of a synthetic resident ID card (1011×638 px) and what is printed on it.

    Labels (姓名 性别 民族 出生 住址 公民身份号码, and 年 月 日 as on the real card) are blue; values black; the
    number is in OCR-B. Truth: name, sex (男/女), ethnicity (汉...), birth_date (ISO), address (as printed, no
    line breaks), id_number.
    """
    _require_resident(identity)
    canvas = _Canvas(
        _security_background(ID1_SIZE, rng, (238, 242, 240), [(214, 230, 236), (240, 222, 226), (222, 236, 222)]),
    )
    label = _font(SANS, 24)
    value = _font(SANS, 30)
    name_font = _font(SANS, 38)
    x_label, x_value = 62, 168
    label_pitch = 36

    canvas.label((x_label, 100), "姓名", label, label_pitch)
    canvas.text((x_value, 100), identity["name"], name_font, INK, "name")

    sex = _SEX_ZH[identity["sex"]]
    ethnicity = _ETHNIC_SHORT[identity["ethnicity"]]
    canvas.label((x_label, 170), "性别", label, label_pitch)
    canvas.text((x_value, 170), sex, value, INK, "sex")
    canvas.label((300, 170), "民族", label, label_pitch)
    canvas.text((300 + 106, 170), ethnicity, value, INK, "ethnicity")

    birth = date.fromisoformat(identity["birth_date"])
    canvas.label((x_label, 240), "出生", label, label_pitch)
    x = x_value
    for key, digits, unit in (("birth_year", str(birth.year), "年"), ("birth_month", str(birth.month), "月")):
        x = canvas.text((x, 240), digits, value, INK, key)[2] + 10
        x = canvas.label((x, 240), unit, label)[2] + 14
    x = canvas.text((x, 240), str(birth.day), value, INK, "birth_day")[2] + 10
    canvas.label((x, 240), "日", label)

    # Printed without the spaces the form value has, and only as much as fits in three lines.
    address_lines = _wrap("".join(identity["address"].split()), value, _ADDRESS_CHARS_PER_LINE * 30, _ADDRESS_LINES)
    canvas.label((x_label, 310), "住址", label, label_pitch)
    for i, line in enumerate(address_lines):
        canvas.text((x_value, 310 + i * 42), line, value, INK, "address")

    canvas.label((x_label, 560), "公民身份号码", label)
    canvas.spaced((318, 562), identity["id_number"], _font(OCR_B, 40), INK, 33, "id_number")

    _photo_placeholder(canvas, (650, 64, 935, 420), rng)
    truth = {
        "name": identity["name"],
        "sex": sex,
        "ethnicity": ethnicity,
        "birth_date": birth.isoformat(),
        "address": "".join(address_lines),
        "id_number": identity["id_number"],
    }
    return canvas.finish(), truth


def _dotted(iso: str) -> str:
    return iso if iso == LONG_TERM else date.fromisoformat(iso).strftime("%Y.%m.%d")


def cn_id_back(identity: Mapping[str, str], rng: random.Random) -> tuple[Image.Image, dict[str, str]]:
    """The emblem side of a synthetic resident ID card: title, a placeholder circle for the emblem, issuing
    authority and validity ("2018.01.11-2028.01.11" or "2018.01.11-长期").

    Truth: issuing_authority, valid_from (ISO), valid_until (ISO or 长期).
    """
    _require_resident(identity)
    canvas = _Canvas(
        _security_background(ID1_SIZE, rng, (240, 240, 232), [(236, 226, 214), (218, 232, 238), (236, 222, 230)]),
    )
    # The emblem's place: a plain ring and disc, nothing national.
    cx, cy, r = 150, 160, 96
    canvas.draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(206, 120, 110), width=6)
    canvas.draw.ellipse((cx - r + 22, cy - r + 22, cx + r - 22, cy + r - 22), fill=(236, 200, 190))

    canvas.text((300, 150), "中华人民共和国", _font(SERIF, 50, "Bold"), INK, "title")
    canvas.spaced((300, 250), "居民身份证", _font(SERIF, 76, "Bold"), INK, 118, "title")

    label = _font(SANS, 24)
    value = _font(SANS, 30)
    canvas.label((190, 470), "签发机关", label)
    canvas.text((330, 470), identity["issuing_authority"], value, INK, "issuing_authority")
    validity = f"{_dotted(identity['id_valid_from'])}-{_dotted(identity['id_valid_until'])}"
    canvas.label((190, 545), "有效期限", label)
    canvas.text((330, 545), validity, value, INK, "validity")
    truth = {
        "issuing_authority": identity["issuing_authority"],
        "valid_from": identity["id_valid_from"],
        "valid_until": identity["id_valid_until"],
    }
    return canvas.finish(), truth


# ---------------------------------------------------------------------------------------------------------------
# Machine-readable zones (ICAO 9303 parts 4-6): the lines come from tests/support/mrz_writer.py.


@dataclass(frozen=True)
class MrzFields:
    """What a machine-readable travel document says about its holder (and what its data page prints)."""

    document_code: str  # two characters: "P<", "PO", "I<", "V<"
    issuing_country: str  # ICAO alpha-3
    surname: str  # MRZ letters, words separated by spaces
    given_names: str
    document_number: str  # up to 9 characters
    nationality: str
    birth_date: date
    sex: str  # "M", "F" or "<"
    expiry_date: date
    issue_date: date
    optional_data: str = ""
    local_name: str = ""  # the holder's name in Chinese characters, printed on Chinese passports
    authority: str = ""


# Issuing states for the identity cards and visas of Chinese citizens' foreign counterparts (a Chinese citizen
# holds neither a foreign identity card nor a Chinese visa), as in desktop_app.domain.synthetic.
_FOREIGN_STATES: tuple[str, ...] = ("USA", "GBR", "DEU", "JPN", "KOR", "SGP", "FRA", "CAN", "AUS")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_LETTERS) for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def mrz_fields(identity: Mapping[str, str], rng: random.Random, document: str, today: date | None = None) -> MrzFields:
    """MRZ fields for a synthetic identity holding `document` ("passport", "id_card" or "visa").

    A passport identity keeps its own number and dates. Chinese citizens get a Chinese passport ("PO", "E"
    numbers, a personal-data field of letters so line 2 has no '<'); identity cards are foreign; a visa is a
    Chinese one in a foreigner's passport, issued in the 300 days before `today` (default TODAY).
    """
    surname, _, given = identity["name_pinyin"].partition(" ")
    nationality = identity["nationality"]
    if nationality == "CHN" and document != "passport":
        nationality = rng.choice(_FOREIGN_STATES)
    valid_from = date.fromisoformat(identity["id_valid_from"])
    until = identity["id_valid_until"]
    expiry = date.fromisoformat(until) if until != LONG_TERM else add_years(valid_from, 10) - timedelta(days=1)
    fields = MrzFields(
        document_code="P<",
        issuing_country=nationality,
        surname=surname,
        given_names=given,
        document_number=_letters(rng, 2) + _digits(rng, 7),
        nationality=nationality,
        birth_date=date.fromisoformat(identity["birth_date"]),
        sex=identity["sex"],
        expiry_date=expiry,
        issue_date=valid_from,
        authority="AUTHORITY",
    )
    if document == "passport":
        if identity["id_type"] == "passport":
            fields = replace(fields, document_number=identity["id_number"])
        if nationality == "CHN":
            number = identity["id_number"] if identity["id_type"] == "passport" else "E" + _digits(rng, 8)
            fields = replace(
                fields,
                document_code="PO",
                document_number=number,
                optional_data=_letters(rng, 14),
                local_name=identity["name"],
                authority="国家移民管理局 NIA",
            )
        return fields
    if document == "id_card":
        return replace(fields, document_code="I<")
    if document == "visa":
        issued = (today or TODAY) - timedelta(days=rng.randint(0, 300))
        return replace(
            fields,
            document_code="V<",
            issuing_country="CHN",
            document_number=_letters(rng, 1) + _digits(rng, 8),
            issue_date=issued,
            expiry_date=issued + timedelta(days=rng.choice((90, 180, 365, 730))),
            authority="SHILI",
        )
    raise ValueError(f"unknown document {document!r}")


def _country_name(alpha3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha3)
    return country.name.upper() if country else alpha3


def _print_date(day: date) -> str:
    return day.strftime("%d %b %Y").upper()


_CAPTIONS_ZH: dict[str, str] = {
    "Type": "类型", "Country code": "国家码", "No.": "号码", "Surname": "姓", "Given names": "名",
    "Nationality": "国籍", "Sex": "性别", "Date of birth": "出生日期", "Date of issue": "签发日期",
    "Date of expiry": "有效期至", "Authority": "签发机关",
}  # fmt: skip


_LAYOUTS: dict[str, tuple[tuple[int, int], str, str, str]] = {
    # layout: (page size, title, personal-data page kind, MRZ layout)
    "td3": (TD3_SIZE, "PASSPORT", "page", "td3"),
    "td1": (ID1_SIZE, "IDENTITY CARD", "card_back", "td1"),
    "td2": (TD2_SIZE, "IDENTITY CARD", "page", "td2"),
    "mrvb": (TD2_SIZE, "VISA", "page", "mrvb"),
}


def _mrz_document(
    identity_or_fields: Mapping[str, str] | MrzFields, rng: random.Random, layout: str, document: str
) -> tuple[Image.Image, dict[str, str]]:
    fields = (
        identity_or_fields
        if isinstance(identity_or_fields, MrzFields)
        else mrz_fields(identity_or_fields, rng, document)
    )
    size, title, kind, mrz_layout = _LAYOUTS[layout]
    lines, surname, given = mrz_lines(fields, mrz_layout)
    w, h = size
    canvas = _Canvas(
        _security_background(size, rng, (242, 240, 230), [(228, 232, 214), (236, 224, 232), (216, 230, 238)])
    )
    label = _font(SANS, 19)
    value = _font(SANS, 28)
    chinese = fields.issuing_country == "CHN"

    header = "中华人民共和国  PEOPLE'S REPUBLIC OF CHINA" if chinese else _country_name(fields.issuing_country)
    canvas.text((mm(5), mm(7)), header, _font(SANS, 30), INK, "header")
    title_font = _font(SANS, 34)
    canvas.text((w - mm(5) - title_font.getlength(title), mm(7)), title, title_font, INK, "title")

    rows: list[tuple[str, str, str]] = [
        ("Type", fields.document_code[0], "document_code"),
        ("Country code", fields.issuing_country, "issuing_country"),
        ("No.", fields.document_number, "document_number"),
        ("Surname", f"{fields.local_name[:1]}  {surname}" if fields.local_name else surname, "surname"),
        ("Given names", f"{fields.local_name[1:]}  {given}" if fields.local_name else given, "given_names"),
        (
            "Nationality",
            "中国/CHINESE" if fields.nationality == "CHN" else _country_name(fields.nationality),
            "nationality",
        ),
        ("Sex", f"{_SEX_ZH[fields.sex]}/{fields.sex}" if chinese and fields.sex in _SEX_ZH else fields.sex, "sex"),
        ("Date of birth", _print_date(fields.birth_date), "birth_date"),
        ("Date of issue", _print_date(fields.issue_date), "issue_date"),
        ("Date of expiry", _print_date(fields.expiry_date), "expiry_date"),
        ("Authority", fields.authority, "authority"),
    ]
    mrz_top = h - (mm(23.2) if len(lines) == 2 else mm(17.9))
    if kind == "page":
        photo_w = round(w * 0.24)
        _photo_placeholder(canvas, (mm(6), mm(14), mm(6) + photo_w, mm(14) + round(photo_w * 1.3)), rng)
        x0, columns = mm(8) + photo_w + mm(5), 2 if size == TD3_SIZE else 3
    else:  # the back of an ID-1 card: no photo, a few fields above the MRZ
        rows = [r for r in rows if r[2] in ("document_number", "issue_date", "expiry_date", "authority")]
        x0, columns = mm(5), 2
    y0 = mm(14) + 22
    row_height = (mrz_top - mm(3) - y0) // ((len(rows) + columns - 1) // columns)
    column_width = (w - x0 - mm(4)) // columns
    per_column = (len(rows) + columns - 1) // columns
    for i, (caption, text, key) in enumerate(rows):
        x = x0 + (i // per_column) * column_width
        y = y0 + (i % per_column) * row_height
        canvas.label((x, y), f"{_CAPTIONS_ZH[caption]}/{caption}" if chinese else caption, label)
        canvas.text((x, y + min(40, row_height - 8)), text, value, INK, key)

    mrz_font = _font(OCR_B, 41)  # OCR-B advance is 0.723 em: 41 px gives the 30 px (2.54 mm) pitch
    line_gap = mm(4.3) if len(lines) == 2 else mm(4.0)
    x_mrz = (w - MRZ_PITCH * len(lines[0])) // 2
    first = h - mm(5) - line_gap * (len(lines) - 1)
    for i, line in enumerate(lines):
        canvas.spaced((x_mrz, first + i * line_gap), line, mrz_font, INK, MRZ_PITCH, f"mrz{i + 1}")
    truth = {
        "surname": surname,
        "given_names": given,
        "document_number": fields.document_number,
        "nationality": fields.nationality,
        "issuing_country": fields.issuing_country,
        "birth_date": fields.birth_date.isoformat(),
        "sex": fields.sex,
        "expiry_date": fields.expiry_date.isoformat(),
        "document_code": fields.document_code,
        "mrz": "\n".join(lines),
    }
    return canvas.finish(), truth


def passport_td3(
    identity_or_fields: Mapping[str, str] | MrzFields, rng: random.Random
) -> tuple[Image.Image, dict[str, str]]:
    """A passport data page (125×88 mm) with a 2×44 MRZ, for a synthetic identity or explicit MrzFields.

    Truth (all four MRZ generators): surname, given_names, document_number, nationality, issuing_country,
    birth_date (ISO), sex (M/F), expiry_date (ISO), document_code, and mrz (the lines joined by newlines).
    """
    return _mrz_document(identity_or_fields, rng, "td3", "passport")


def id_card_td1(
    identity_or_fields: Mapping[str, str] | MrzFields, rng: random.Random
) -> tuple[Image.Image, dict[str, str]]:
    """The back of an ID-1 identity card with a 3×30 MRZ."""
    return _mrz_document(identity_or_fields, rng, "td1", "id_card")


def id_card_td2(
    identity_or_fields: Mapping[str, str] | MrzFields, rng: random.Random
) -> tuple[Image.Image, dict[str, str]]:
    """A TD2-size identity document (105×74 mm) with a 2×36 MRZ."""
    return _mrz_document(identity_or_fields, rng, "td2", "id_card")


def visa_td2(
    identity_or_fields: Mapping[str, str] | MrzFields, rng: random.Random
) -> tuple[Image.Image, dict[str, str]]:
    """A Chinese visa (MRV-B, 105×74 mm) with a 2×36 MRZ and no composite check digit."""
    return _mrz_document(identity_or_fields, rng, "mrvb", "visa")


# ---------------------------------------------------------------------------------------------------------------
# Scanner: the bed and the degradations


def place_on_scanner_bed(image: Image.Image, rng: random.Random) -> Image.Image:
    """The document lying at a random place on an A4 scanner bed (2480×3508 px, light grey), with a soft shadow."""
    bed_w, bed_h = mm(210), mm(297)
    w, h = image.size
    if w > bed_w or h > bed_h:
        raise ValueError(f"a {w}×{h} image does not fit on the scanner bed")
    shade = rng.randint(212, 236)
    bed = Image.new("RGB", (bed_w, bed_h), (shade, shade, min(255, shade + 3)))
    x = rng.randint(mm(4), bed_w - w - mm(4))
    y = rng.randint(mm(4), bed_h - h - mm(4))
    mask = _rounded_mask((w, h), _CARD_RADIUS)
    margin = 30
    shadow = Image.new("L", (w + 2 * margin, h + 2 * margin), 0)
    shadow.paste(mask.point(lambda v: v * 45 // 100), (margin, margin))
    shadow = shadow.filter(ImageFilter.BoxBlur(9))
    dx, dy = rng.randint(3, 9), rng.randint(4, 12)
    bed.paste((shade - 80,) * 3, (x - margin + dx, y - margin + dy, x + w + margin + dx, y + h + margin + dy), shadow)
    bed.paste(image.convert("RGB"), (x, y), mask)
    return bed


LEVELS = ("ordinary", "hard")


def _degrade(image: Image.Image, rng: random.Random, level: str) -> tuple[Image.Image, int, dict[str, Any]]:
    """Every degradation but the JPEG step: (image, JPEG quality to use, what was done)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    hard = level == "hard"
    image = image.convert("RGB")
    fill = image.getpixel((0, 0))
    done: dict[str, Any] = {"level": level}

    quarter = rng.choice((0, 0, 90, 180, 270)) if hard else 0
    if quarter:
        transpose = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}
        image = image.transpose(transpose[quarter])
    angle = round(rng.uniform(-3, 3), 2)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)  # type: ignore[arg-type]
    scale = round(rng.uniform(0.8, 1.2), 3)
    image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BICUBIC)
    done.update(quarter_turns_ccw=quarter // 90, rotation_ccw=angle, scale=scale)

    # Uneven lighting: a linear fall-off in one of four directions, or a soft spot.
    depth = rng.uniform(0.15, 0.35) if hard else rng.uniform(0.0, 0.15)
    light = Image.radial_gradient("L") if rng.random() < 0.25 else Image.linear_gradient("L")
    light = light.transpose(rng.choice(list(Image.Transpose)[:5]))
    light = light.point(lambda v: 255 - round(v * depth)).resize(image.size, Image.Resampling.BILINEAR)
    image = ImageChops.multiply(image, Image.merge("RGB", (light, light, light)))

    blur = round(rng.uniform(0.8, 2.0) if hard else rng.uniform(0.0, 1.0), 2)
    if blur >= 0.1:
        image = image.filter(ImageFilter.GaussianBlur(blur))

    # Noise from rng bytes, not Image.effect_noise, whose C rand() ignores the seed. Two uniform draws averaged:
    # a triangular distribution, close enough to a sensor's.
    sigma = round(rng.uniform(4, 12) if hard else rng.uniform(1, 6), 1)
    pixels = image.width * image.height
    a = Image.frombytes("L", image.size, rng.randbytes(pixels))
    b = Image.frombytes("L", image.size, rng.randbytes(pixels))
    k = sigma / 52.0  # the standard deviation of the mean of two uniform bytes is about 52
    noise = ImageChops.add(a, b, scale=2.0).point(lambda v: max(0, min(255, round(128 + (v - 127.5) * k))))
    image = ImageChops.add(image, Image.merge("RGB", (noise, noise, noise)), scale=1.0, offset=-128)

    quality = rng.randint(35, 70) if hard else rng.randint(60, 90)
    done.update(lighting_depth=round(depth, 3), blur_radius=blur, noise_sigma=sigma, jpeg_quality=quality)
    return image, quality, done


def degrade(image: Image.Image, rng: random.Random, level: str = "ordinary") -> Image.Image:
    """A scanner's version of `image`: a small skew (and for "hard" a quarter or half turn), 0.8-1.2 scale, uneven
    lighting, blur, noise, then JPEG re-encoding (quality 60-90; "hard" 35-70)."""
    image, quality, _ = _degrade(image, rng, level)
    return Image.open(io.BytesIO(_jpeg(image, quality)))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Data sets

_Generator = Callable[[Mapping[str, str], random.Random], tuple[Image.Image, dict[str, str]]]
# kind -> (generator, which identities suit it)
_KINDS: dict[str, tuple[_Generator, str]] = {
    "cn_id_front": (cn_id_front, "resident"),
    "cn_id_back": (cn_id_back, "resident"),
    "mrz_td3": (passport_td3, "any"),
    "mrz_td1": (id_card_td1, "foreign"),
    "mrz_td2_id": (id_card_td2, "foreign"),
    "mrz_td2_visa": (visa_td2, "foreign"),
}
DEFAULT_KINDS = ("cn_id_front", "cn_id_back", "mrz_td3", "mrz_td1", "mrz_td2")


def synthetic_identity(rng: random.Random, suits: str = "any", today: date = TODAY) -> dict[str, str]:
    """A synthetic customer fit for a document: "resident" (a resident ID holder), "foreign" (not CHN), or any;
    passports are foreign about half the time."""
    if suits == "any":
        suits = "foreign" if rng.random() < 0.5 else "chinese"
    while True:
        identity = generate_customer(rng, today)
        fits = {
            "resident": identity["id_type"] == "resident_id",
            "chinese": identity["nationality"] == "CHN",
            "foreign": identity["nationality"] != "CHN",
        }[suits]
        if fits:
            return identity


def write_dataset(
    directory: str | Path,
    n: int,
    seed: int,
    kinds: Iterable[str] = DEFAULT_KINDS,
    level: str = "ordinary",
    bed_share: float = 0.5,
) -> Path:
    """Write `n` document images (kinds in turn) and truth.jsonl into `directory`; return the truth file's path.

    Each truth line: {"file", "document_type", "fields", "degradation"}. level "clean" writes the generated PNG
    untouched; "ordinary" and "hard" lay `bed_share` of the documents on a scanner bed, degrade them and write
    JPEG. "mrz_td2" is an identity card or a visa at random (document_code says which).
    """
    kinds = tuple(kinds)
    unknown = set(kinds) - set(_KINDS) - {"mrz_td2"}
    if unknown:
        raise ValueError(f"unknown document kinds: {sorted(unknown)}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    truth_path = directory / "truth.jsonl"
    with truth_path.open("w", encoding="utf-8") as truth_file:
        for i in range(n):
            kind = kinds[i % len(kinds)]
            generator, suits = _KINDS[rng.choice(("mrz_td2_id", "mrz_td2_visa")) if kind == "mrz_td2" else kind]
            image, fields = generator(synthetic_identity(rng, suits), rng)
            record: dict[str, Any] = {"document_type": kind, "fields": fields}
            if level == "clean":
                name = f"{i:05d}_{kind}.png"
                image.save(directory / name, "PNG")
                record["degradation"] = {"level": "clean"}
            else:
                on_bed = rng.random() < bed_share
                if on_bed:
                    image = place_on_scanner_bed(image, rng)
                image, quality, done = _degrade(image, rng, level)
                name = f"{i:05d}_{kind}.jpg"
                (directory / name).write_bytes(_jpeg(image, quality))
                record["degradation"] = {**done, "scanner_bed": on_bed}
            truth_file.write(json.dumps({"file": name, **record}, ensure_ascii=False) + "\n")
    return truth_path
