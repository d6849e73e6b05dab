"""Layouts of the family and the drawing of each document type with one of them.

A layout is a frozen set of positions and sizes (pixels at 300 dpi on the document), named so that a split
can list the ones it may use and a document's metadata can say which it got. Positions move a little per
document too (`Style.jitter`). What is printed comes from content.py; the faces, colours, patterns and print
quality from the Style a split draws (splits.py).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import pycountry
from PIL import Image, ImageDraw, ImageFont

from tests.support.id_family.artwork import (
    CARD_RADIUS,
    ID1_SIZE,
    TD2_SIZE,
    TD3_SIZE,
    Box,
    Canvas,
    Palette,
    background,
    draw_printed,
    emblem_placeholder,
    mm,
    photo_placeholder,
    rounded_mask,
)
from tests.support.id_family.content import (
    ETHNIC_SHORT,
    MrzData,
    ResidentCard,
    valid_until_text,
)
from tests.support.id_family.fonts import Face, font
from tests.support.mrz_writer import mrz_lines

SEX_ZH = {"M": "男", "F": "女"}


@dataclass(frozen=True)
class CnFrontLayout:
    """The portrait side of the resident ID card: baselines of each row, caption and value columns, sizes."""

    name: str
    label_x: int
    value_x: int
    name_y: int
    sex_y: int
    birth_y: int
    address_y: int
    number_y: int
    ethnicity_label_x: int  # 民族 on the row of 性别
    address_gap: int  # between the baselines of address lines
    address_chars: int  # address line length in Han characters of the value size
    label_size: int
    value_size: int
    name_size: int
    label_pitch: int  # letter spacing of the two-character captions (0: set solid)
    number_x: int
    number_size: int
    number_pitch: float
    photo: Box


@dataclass(frozen=True)
class CnBackLayout:
    """The emblem side: emblem, the two title lines, the issuing authority and validity rows."""

    name: str
    emblem: tuple[int, int, int]  # centre x, centre y, radius
    title_x: int
    title1_y: int
    title1_size: int
    title2_y: int
    title2_size: int
    title2_pitch: int
    label_x: int
    value_x: int
    authority_y: int
    validity_y: int
    label_size: int
    value_size: int


@dataclass(frozen=True)
class VizLayout:
    """The visual zone of a machine-readable document (data page or card back)."""

    name: str
    photo_side: str  # "left" or "right"
    columns: int  # of the data rows on a data page
    date_format: str  # strftime, upper-cased
    label_size: int
    value_size: int
    header_size: int


@dataclass(frozen=True)
class ZoneLayout:
    """The machine-readable zone as a printer places it (ICAO 9303 nominal: 2.54 mm pitch)."""

    name: str
    pitch_mm: float
    line_gap_mm: float  # two-line zones (TD2, TD3)
    td1_line_gap_mm: float  # three-line zones
    font_size: int  # OCR-B size in pixels at 300 dpi (41 px: 2.54 mm advance)
    bottom_mm: float  # from the last baseline to the bottom edge
    x_shift_mm: float  # from centred


@dataclass(frozen=True)
class Style:
    """Everything but the content that one document was drawn with."""

    layout: CnFrontLayout | CnBackLayout | VizLayout
    zone: ZoneLayout | None
    palette: Palette
    guilloche: str
    label_face: Face
    value_face: Face
    title_face: Face
    latin_face: Face
    ocr_b_face: Face
    ink: str  # print quality of values and zones: "normal", "heavy", "light"
    jitter: int  # pixels each row may move

    def metadata(self) -> dict[str, object]:
        """The names of what was used (for the truth file and for the split tests)."""
        return {
            "layout": self.layout.name,
            "zone": self.zone.name if self.zone else None,
            "palette": self.palette.name,
            "guilloche": self.guilloche,
            "fonts": {
                "label": self.label_face.name,
                "value": self.value_face.name,
                "title": self.title_face.name,
                "latin": self.latin_face.name,
                "ocr_b": self.ocr_b_face.name,
            },
            "ink": self.ink,
        }


@dataclass(frozen=True)
class Rendered:
    """A drawn document: the image, its outline (L mask, 255 on the document), the truth, and where each
    field was drawn."""

    image: Image.Image
    mask: Image.Image
    truth: dict[str, str]
    boxes: dict[str, Box]


def _moved(rng: random.Random, value: int, jitter: int) -> int:
    return value + rng.randint(-jitter, jitter)


def _fit(face: Face, size: int, text: str, width: float, smallest: int) -> ImageFont.FreeTypeFont:
    """The face at `size`, or smaller (down to `smallest`) until `text` fits in `width`: long names and
    authorities are printed smaller, not cut."""
    while size > smallest and font(face, size).getlength(text) > width:
        size -= 1
    return font(face, size)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy wrap by drawn width (digits are narrower than Han characters); a number is not split."""
    lines: list[str] = []
    current = ""
    for token in re.findall(r"[0-9]+|.", text):
        if current and face.getlength(current + token) > width:
            lines.append(current)
            current = ""
        current += token
    return [*lines, current] if current else lines


def _print_values(
    canvas: Canvas, style: Style, items: Sequence[tuple[tuple[float, float], str, ImageFont.FreeTypeFont, str]]
) -> None:
    """Personalised values, printed in ink with the style's print quality, boxes recorded."""

    def on(draw: ImageDraw.ImageDraw) -> None:
        for xy, text, face, _ in items:
            draw.text(xy, text, font=face, fill=255, anchor="ls")

    draw_printed(canvas.image, on, canvas.palette.ink, style.ink)
    for xy, text, face, key in items:
        canvas.record(key, tuple(round(v) for v in canvas.draw.textbbox(xy, text, font=face, anchor="ls")))  # type: ignore[arg-type]


def _print_spaced(
    canvas: Canvas,
    style: Style,
    xy: tuple[float, float],
    text: str,
    face: ImageFont.FreeTypeFont,
    pitch: float,
    key: str,
) -> None:
    x, y = xy
    _print_values(canvas, style, [((x + i * pitch, y), ch, face, key) for i, ch in enumerate(text) if ch != " "])


# -- the resident ID card ----------------------------------------------------------------------------------------


def cn_id_front(card: ResidentCard, style: Style, rng: random.Random) -> Rendered:
    """The portrait side: captions (姓名 性别 民族 出生 住址 公民身份号码, and 年 月 日) in the label colour,
    values in ink, the number in OCR-B. Truth: name, sex, ethnicity, birth_date, address (as printed, no line
    breaks), id_number."""
    lay = style.layout
    assert isinstance(lay, CnFrontLayout)
    j = style.jitter
    canvas = Canvas(background(ID1_SIZE, rng, style.palette, style.guilloche), style.palette)
    label = font(style.label_face, lay.label_size)
    value = font(style.value_face, lay.value_size)
    lx, vx = _moved(rng, lay.label_x, j), _moved(rng, lay.value_x, j)
    values: list[tuple[tuple[float, float], str, ImageFont.FreeTypeFont, str]] = []

    y = _moved(rng, lay.name_y, j)
    canvas.label((lx, y), "姓名", label, lay.label_pitch)
    name_font = _fit(style.value_face, lay.name_size, card.name.text, lay.photo[0] - vx - 16, lay.value_size - 8)
    values.append(((vx, y), card.name.text, name_font, "name"))

    y = _moved(rng, lay.sex_y, j)
    sex, ethnicity = SEX_ZH[card.sex], ETHNIC_SHORT[card.ethnicity]
    canvas.label((lx, y), "性别", label, lay.label_pitch)
    values.append(((vx, y), sex, value, "sex"))
    ex = _moved(rng, lay.ethnicity_label_x, j)
    ebox = canvas.label((ex, y), "民族", label, lay.label_pitch)
    values.append(((ebox[2] + round(lay.value_size * 1.3), y), ethnicity, value, "ethnicity"))

    y = _moved(rng, lay.birth_y, j)
    canvas.label((lx, y), "出生", label, lay.label_pitch)
    x: float = vx
    birth = card.birth_date
    for key, digits, unit in (("birth_year", str(birth.year), "年"), ("birth_month", str(birth.month), "月"),
                              ("birth_day", str(birth.day), "日")):  # fmt: skip
        values.append(((x, y), digits, value, key))
        x += value.getlength(digits) + 10
        x = canvas.label((x, y), unit, label)[2] + 14

    y = _moved(rng, lay.address_y, j)
    canvas.label((lx, y), "住址", label, lay.label_pitch)
    size = lay.value_size
    while True:  # printed smaller when it would need a fourth line
        address_font = font(style.value_face, size)
        lines = wrap(card.address, address_font, lay.address_chars * lay.value_size)
        if len(lines) <= 3 or size <= lay.value_size - 6:
            break
        size -= 1
    for i, line in enumerate(lines):
        values.append(((vx, y + i * lay.address_gap), line, address_font, "address"))

    y = _moved(rng, lay.number_y, j)
    canvas.label((lx, y), "公民身份号码", label)
    photo = tuple(_moved(rng, v, j) for v in lay.photo)
    photo_placeholder(canvas, photo, rng)  # type: ignore[arg-type]
    _print_values(canvas, style, values)
    _print_spaced(canvas, style, (_moved(rng, lay.number_x, j), y + 2), card.id_number,
                  font(style.ocr_b_face, lay.number_size), lay.number_pitch, "id_number")  # fmt: skip
    truth = {
        "name": card.name.text,
        "sex": sex,
        "ethnicity": ethnicity,
        "birth_date": birth.isoformat(),
        "address": card.address,
        "id_number": card.id_number,
    }
    return Rendered(canvas.image, rounded_mask(ID1_SIZE, CARD_RADIUS), truth, canvas.boxes)


def _dotted(day: date | None) -> str:
    return "长期" if day is None else day.strftime("%Y.%m.%d")


def cn_id_back(card: ResidentCard, style: Style, rng: random.Random) -> Rendered:
    """The emblem side: emblem place, 中华人民共和国 / 居民身份证, 签发机关 and 有效期限
    ("2018.01.11-2028.01.11" or "2018.01.11-长期"). Truth: issuing_authority, valid_from, valid_until."""
    lay = style.layout
    assert isinstance(lay, CnBackLayout)
    j = style.jitter
    canvas = Canvas(background(ID1_SIZE, rng, style.palette, style.guilloche), style.palette)
    cx, cy, r = lay.emblem
    emblem_placeholder(canvas, (_moved(rng, cx, j), _moved(rng, cy, j)), r, (206, 120, 110))
    tx = _moved(rng, lay.title_x, j)
    canvas.text(
        (tx, _moved(rng, lay.title1_y, j)), "中华人民共和国", font(style.title_face, lay.title1_size), key="title"
    )
    canvas.spaced((tx, _moved(rng, lay.title2_y, j)), "居民身份证", font(style.title_face, lay.title2_size),
                  lay.title2_pitch, key="title")  # fmt: skip

    label = font(style.label_face, lay.label_size)
    lx, vx = _moved(rng, lay.label_x, j), _moved(rng, lay.value_x, j)
    width = ID1_SIZE[0] - vx - 30
    ya, yv = _moved(rng, lay.authority_y, j), _moved(rng, lay.validity_y, j)
    canvas.label((lx, ya), "签发机关", label)
    canvas.label((lx, yv), "有效期限", label)
    validity = f"{_dotted(card.valid_from)}-{_dotted(card.valid_until)}"
    authority = card.issuing_authority
    authority_font = _fit(style.value_face, lay.value_size, authority, width, lay.value_size - 10)
    validity_font = _fit(style.value_face, lay.value_size, validity, width, lay.value_size - 8)
    _print_values(
        canvas,
        style,
        [((vx, ya), authority, authority_font, "issuing_authority"), ((vx, yv), validity, validity_font, "validity")],
    )
    truth = {
        "issuing_authority": card.issuing_authority,
        "valid_from": card.valid_from.isoformat(),
        "valid_until": valid_until_text(card),
    }
    return Rendered(canvas.image, rounded_mask(ID1_SIZE, CARD_RADIUS), truth, canvas.boxes)


# -- machine-readable documents ----------------------------------------------------------------------------------

_CAPTIONS_ZH: dict[str, str] = {
    "Type": "类型", "Country code": "国家码", "No.": "号码", "Surname": "姓", "Given names": "名",
    "Nationality": "国籍", "Sex": "性别", "Date of birth": "出生日期", "Date of issue": "签发日期",
    "Date of expiry": "有效期至", "Authority": "签发机关",
}  # fmt: skip
_TITLES = {"td3": "PASSPORT", "td1": "IDENTITY CARD", "td2": "IDENTITY CARD", "mrvb": "VISA"}
_TD1_TITLES = {"AC": "CREW MEMBER CERTIFICATE", "IR": "RESIDENCE PERMIT", "C<": "往来内地通行证"}
_SIZES = {"td3": TD3_SIZE, "td1": ID1_SIZE, "td2": TD2_SIZE, "mrvb": TD2_SIZE}


def _country_name(code: str) -> str:
    if code == "D":
        return "GERMANY"
    if code == "UTO":
        return "UTOPIA"
    country = pycountry.countries.get(alpha_3=code)
    return country.name.upper() if country else code


def _mrz_name(text: str) -> str:
    return " ".join(text.replace("-", " ").split())


def mrz_document(data: MrzData, zone_layout: str, style: Style, rng: random.Random) -> Rendered:
    """A data page (TD3, TD2, MRV-B) or the back of a TD1 card with its zone ("td3", "td1", "td2", "mrvb").

    Truth: surname and given_names as the zone holds them (a long name is truncated there), document_number,
    nationality, issuing_country, birth_date, sex (M, F or X), expiry_date (ISO dates), document_code, mrz
    (the lines joined by newlines), and surname_printed / given_names_printed (the whole name on the page).
    """
    lay, zone = style.layout, style.zone
    assert isinstance(lay, VizLayout) and zone is not None
    size = _SIZES[zone_layout]
    w, h = size
    j = style.jitter
    page = zone_layout != "td1"
    canvas = Canvas(background(size, rng, style.palette, style.guilloche, 0 if zone_layout == "td3" else CARD_RADIUS),
                    style.palette)  # fmt: skip
    coded = replace(data, surname=_mrz_name(data.surname), given_names=_mrz_name(data.given_names))
    lines, surname, given = mrz_lines(coded, zone_layout)
    chinese = data.issuing_country == "CHN"
    latin = font(style.latin_face, lay.label_size)
    label_font = font(style.label_face, lay.label_size) if chinese else latin
    value = font(style.latin_face, lay.value_size)
    cjk_value = font(style.value_face, lay.value_size)

    header = "中华人民共和国  PEOPLE'S REPUBLIC OF CHINA" if chinese else _country_name(data.issuing_country)
    header_font = font(style.value_face if chinese else style.latin_face, lay.header_size)
    canvas.text((mm(5), mm(7)), header, _fit(style.value_face if chinese else style.latin_face, lay.header_size,
                                              header, w * 0.55, 16), key="header")  # fmt: skip
    title = _TD1_TITLES.get(data.document_code, _TITLES[zone_layout]) if zone_layout == "td1" else _TITLES[zone_layout]
    title_font = font(style.title_face if not title.isascii() else style.latin_face, lay.header_size)
    canvas.text((w - mm(5) - title_font.getlength(title), mm(7)), title, title_font, key="title")
    del header_font

    def when(day: date) -> str:
        return day.strftime(lay.date_format).upper()

    sex = f"{SEX_ZH[data.sex]}/{data.sex}" if chinese and data.sex in SEX_ZH else data.sex
    local = data.local_name
    rows: list[tuple[str, str, str]] = [
        ("Type", data.document_code.rstrip("<"), "document_code"),
        ("Country code", data.issuing_country, "issuing_country"),
        ("No.", data.document_number, "document_number"),
        ("Surname", f"{local[:1]}  {data.surname}" if local else data.surname, "surname"),
        ("Given names", f"{local[1:]}  {data.given_names}" if local else data.given_names, "given_names"),
        (
            "Nationality",
            "中国/CHINESE" if data.nationality == "CHN" else _country_name(data.nationality),
            "nationality",
        ),
        ("Sex", sex, "sex"),
        ("Date of birth", when(data.birth_date), "birth_date"),
        ("Date of issue", when(data.issue_date), "issue_date"),
        ("Date of expiry", when(data.expiry_date), "expiry_date"),
        ("Authority", data.authority, "authority"),
    ]
    mrz_top = h - (mm(23.2) if len(lines) == 2 else mm(17.9))
    if page:
        photo_w = round(w * 0.24)
        px = mm(6) if lay.photo_side == "left" else w - mm(6) - photo_w
        photo_placeholder(canvas, (px, mm(14), px + photo_w, mm(14) + round(photo_w * 1.3)), rng)
        x0 = mm(8) + photo_w + mm(5) if lay.photo_side == "left" else mm(6)
        x1 = w - mm(4) if lay.photo_side == "left" else px - mm(4)
        columns = lay.columns
    else:  # the back of an ID-1 card: no photo, a few fields above the zone
        rows = [r for r in rows if r[2] in ("document_number", "issue_date", "expiry_date", "authority")]
        x0, x1, columns = mm(5), w - mm(4), 2
    y0 = mm(14) + 22
    per_column = (len(rows) + columns - 1) // columns
    row_height = (mrz_top - mm(3) - y0) // per_column
    column_width = (x1 - x0) // columns
    values = []
    for i, (caption, text, key) in enumerate(rows):
        x = _moved(rng, x0 + (i // per_column) * column_width, j)
        y = _moved(rng, y0 + (i % per_column) * row_height, j // 2)
        canvas.label((x, y), f"{_CAPTIONS_ZH[caption]}/{caption}" if chinese else caption, label_font)
        face = value if text.isascii() else cjk_value
        face = _fit(style.latin_face if text.isascii() else style.value_face, lay.value_size, text,
                    column_width - 12, 14)  # fmt: skip
        values.append(((x, y + min(40, row_height - 8)), text, face, key))
    _print_values(canvas, style, values)

    mrz_font = font(style.ocr_b_face, zone.font_size)
    pitch = zone.pitch_mm / 25.4 * 300
    gap = mm(zone.line_gap_mm if len(lines) == 2 else zone.td1_line_gap_mm)
    x_mrz = (w - pitch * len(lines[0])) / 2 + mm(zone.x_shift_mm) + rng.randint(-j, j)
    first = h - mm(zone.bottom_mm) - gap * (len(lines) - 1) + rng.randint(-j // 2, j // 2)
    for i, line in enumerate(lines):
        _print_spaced(canvas, style, (x_mrz, first + i * gap), line, mrz_font, pitch, f"mrz{i + 1}")
    truth = {
        "surname": surname,
        "given_names": given,
        "document_number": data.document_number,
        "nationality": data.nationality,
        "issuing_country": data.issuing_country,
        "birth_date": data.birth_date.isoformat(),
        "sex": data.sex,
        "expiry_date": data.expiry_date.isoformat(),
        "document_code": data.document_code,
        "mrz": "\n".join(lines),
        "surname_printed": data.surname,
        "given_names_printed": data.given_names,
    }
    mask = Image.new("L", size, 255) if zone_layout == "td3" else rounded_mask(size, CARD_RADIUS)
    return Rendered(canvas.image, mask, truth, canvas.boxes)
