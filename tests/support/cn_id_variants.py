"""Resident ID cards drawn unlike tests/support/id_documents.py draws them, to measure how far the readers are
tied to that one drawing: other fonts (every installed CJK family and weight the generator does not use, and
strokes thickened), other label positions and spacings, other palettes for the labels, the background and its
guilloche lines (some as saturated as the labels), the emblem elsewhere and in other reds, and scans on light and
dark beds with up to 5° of skew, 0.55-1.1 scale, blur, uneven light and JPEG down to quality 35.

Nothing here is real: identities come from desktop_app.domain.synthetic, addresses and authorities from the
marker words below. Each generator is a pure function of its rng: (image, truth), truth as id_documents gives it.
"""

from __future__ import annotations

import io
import random
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from math import pi, sin

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from tests.support import id_documents as docs

RGB = tuple[int, int, int]
Font = tuple[str, str]  # family, style

_CANDIDATE_FONTS: tuple[Font, ...] = (
    ("Noto Sans CJK SC", "Regular"),
    ("Noto Sans CJK SC", "Bold"),
    ("Noto Serif CJK SC", "Regular"),
    ("Noto Serif CJK SC", "Bold"),
    ("Noto Sans Mono CJK SC", "Regular"),
    ("WenQuanYi Zen Hei", "Regular"),
    ("WenQuanYi Micro Hei", "Regular"),
    ("AR PL UMing CN", "Light"),
    ("AR PL UKai CN", "Book"),
)
_NUMBER_FONTS: tuple[Font, ...] = (
    ("OCR B", "Regular"),
    ("DejaVu Sans Mono", "Book"),
    ("Noto Sans Mono CJK SC", "Regular"),
)


@cache
def installed_fonts() -> tuple[Font, ...]:
    """The candidate CJK fonts that fontconfig has (the two Noto families at least, which id_documents needs)."""
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False)
    families = {name.strip() for line in out.stdout.splitlines() for name in line.split(",")}
    return tuple(font for font in _CANDIDATE_FONTS if font[0] in families)


@cache
def _font(family: str, style: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        file, index = docs.font_file(family, style)
    except docs.FontNotFoundError:
        file, index = docs.font_file(family)
    return ImageFont.truetype(file, size, index=index)


# Label palettes: the usual blue and its neighbours, and some that are not blue at all (a photocopy-like dark grey,
# a brown, a teal), so that no reader can hang on one hue.
_LABEL_COLOURS: tuple[RGB, ...] = (
    (40, 125, 215),
    (0, 102, 178),
    (70, 140, 200),
    (30, 90, 150),
    (20, 130, 170),
    (90, 110, 170),
    (60, 60, 70),
    (120, 80, 50),
    (0, 120, 120),
)
_TINTS: tuple[RGB, ...] = ((238, 242, 240), (232, 238, 246), (246, 238, 236), (240, 242, 226), (246, 244, 240))


@dataclass(frozen=True)
class Style:
    """One drawing of the card: fonts, palette and where things go."""

    label_font: Font
    value_font: Font
    number_font: Font
    stroke: int  # extra stroke width on values (a heavier print)
    label_colour: RGB
    ink: RGB
    tint: RGB
    lines: tuple[RGB, ...]
    line_width: int
    dx: int  # the whole layout moved
    dy: int
    label_size: int
    value_size: int
    spacing: float  # row spacing, times the usual
    value_gap: int  # from the label column to the values
    label_pitch: int  # 0: labels set solid
    emblem: RGB


def random_style(rng: random.Random) -> Style:
    """A drawing picked at random; about a third of the time the guilloche lines are as saturated as labels."""
    fonts = installed_fonts()
    strong = rng.random() < 0.35
    if strong:
        lines = tuple(
            (rng.randint(120, 200), rng.randint(150, 210), rng.randint(200, 250)) for _ in range(rng.randint(2, 3))
        )
    else:
        lines = tuple(docs._jitter((220, 228, 232), rng, 16) for _ in range(3))
    ink = docs._jitter((25, 25, 30), rng, 20)
    return Style(
        label_font=rng.choice(fonts),
        value_font=rng.choice(fonts),
        number_font=rng.choice(_NUMBER_FONTS[:2]) if rng.random() < 0.8 else _NUMBER_FONTS[2],
        stroke=1 if rng.random() < 0.2 else 0,
        label_colour=docs._jitter(rng.choice(_LABEL_COLOURS), rng, 12),
        ink=ink,
        tint=docs._jitter(rng.choice(_TINTS), rng, 6),
        lines=lines,
        line_width=rng.choice((1, 1, 2)),
        dx=rng.randint(-22, 22),
        dy=rng.randint(-18, 18),
        label_size=rng.randint(21, 27),
        value_size=rng.randint(27, 33),
        spacing=rng.uniform(0.9, 1.08),
        value_gap=rng.randint(92, 120),
        label_pitch=rng.choice((0, 32, 36, 40)),
        emblem=docs._jitter(rng.choice(((206, 60, 50), (200, 40, 40), (220, 90, 60), (190, 30, 60))), rng, 15),
    )


def plain_style(**changes: object) -> Style:
    """The drawing id_documents uses (near enough), with `changes`: for tests that vary one thing at a time."""
    style = Style(
        label_font=("Noto Sans CJK SC", "Regular"),
        value_font=("Noto Sans CJK SC", "Regular"),
        number_font=("OCR B", "Regular"),
        stroke=0,
        label_colour=docs.LABEL_BLUE,
        ink=docs.INK,
        tint=(238, 242, 240),
        lines=((214, 230, 236), (240, 222, 226), (222, 236, 222)),
        line_width=1,
        dx=0,
        dy=0,
        label_size=24,
        value_size=30,
        spacing=1.0,
        value_gap=106,
        label_pitch=36,
        emblem=(206, 120, 110),
    )
    return replace(style, **changes)  # type: ignore[arg-type]


def _background(size: tuple[int, int], rng: random.Random, style: Style) -> Image.Image:
    w, h = size
    top = style.tint
    bottom = tuple(max(190, c - rng.randint(4, 18)) for c in top)
    gradient = Image.linear_gradient("L").transpose(rng.choice(list(Image.Transpose)[:4])).resize(size)
    card = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    draw = ImageDraw.Draw(card)
    for k in range(rng.randint(14, 34)):
        colour = style.lines[k % len(style.lines)]
        amplitude, wavelength, phase = rng.uniform(6, 50), rng.uniform(120, 600), rng.uniform(0, 2 * pi)
        y0 = rng.uniform(-20, h + 20)
        points = [(x, y0 + amplitude * sin(2 * pi * x / wavelength + phase)) for x in range(0, w + 6, 6)]
        draw.line(points, fill=colour, width=style.line_width)
    if rng.random() < 0.7:
        cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.9) * h
        for r in range(30, max(w, h), rng.randint(14, 34)):
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=style.lines[0], width=1)
    background = Image.new("RGB", size, (255, 255, 255))
    background.paste(card, (0, 0), docs._rounded_mask(size, docs._CARD_RADIUS))
    return background


class _Card:
    def __init__(self, rng: random.Random, style: Style) -> None:
        self.style = style
        self.image = _background(docs.ID1_SIZE, rng, style)
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont, fill: RGB, stroke: int = 0
    ) -> float:
        """Draw with the baseline's left end at xy; the right end's x."""
        self.draw.text(xy, text, font=font, fill=fill, anchor="ls", stroke_width=stroke, stroke_fill=fill)
        return self.draw.textbbox(xy, text, font=font, anchor="ls")[2]

    def label(self, xy: tuple[float, float], text: str, pitch: int = -1) -> float:
        style = self.style
        font = _font(*style.label_font, style.label_size)
        pitch = style.label_pitch if pitch < 0 else pitch
        if not pitch:
            return self.text(xy, text, font, style.label_colour)
        x, y = xy
        right = x
        for i, ch in enumerate(text):
            right = self.text((x + i * pitch, y), ch, font, style.label_colour)
        return right

    def value(self, xy: tuple[float, float], text: str, size: int | None = None) -> float:
        style = self.style
        return self.text(xy, text, _font(*style.value_font, size or style.value_size), style.ink, style.stroke)


# Addresses of other shapes than synthetic.py's: villages and groups, rooms, courtyards; marker words only.
_PLACES = ("示例", "演示", "测试", "样例", "模拟", "范例")
_ROADS = ("和平路", "建设大街", "人民中路", "幸福巷", "光明东街", "新华北路", "长安街", "解放西路")
_TOWNS = ("城关镇", "新城镇", "东风乡", "红旗镇", "柳林乡")


def _address(rng: random.Random) -> str:
    def p() -> str:
        return rng.choice(_PLACES)

    head = f"{p()}省{p()}市{p()}{rng.choice(('区', '县'))}"
    shape = rng.random()
    if shape < 0.3:
        return f"{head}{rng.choice(_TOWNS)}{p()}村{rng.randint(1, 12)}组{rng.choice(('', f'{rng.randint(1, 99)}号'))}"
    if shape < 0.45:
        return f"{head}{rng.choice(_TOWNS)}{p()}村"
    address = f"{head}{rng.choice(_ROADS)}{rng.randint(1, 999)}号"
    if shape < 0.85:
        address += f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 32)}{rng.randint(1, 4):02d}室"
    elif shape < 0.95:
        address += f"{rng.randint(1, 20)}号楼{rng.randint(1, 30)}{rng.randint(1, 8):02d}室"
    else:
        address += f"{p()}小区{rng.randint(1, 20)}幢{rng.randint(1, 9)}{rng.randint(1, 4):02d}户"
    return address


def _authority(rng: random.Random) -> str:
    place = rng.choice(_PLACES)
    shape = rng.random()
    if shape < 0.45:
        return f"{place}市公安局{rng.choice(_PLACES)}分局"
    if shape < 0.8:
        return f"{place}县公安局"
    return f"{place}市公安局"


def identity(rng: random.Random) -> dict[str, str]:
    """A resident-card holder with an address and issuing authority of this module's shapes."""
    person = docs.synthetic_identity(rng, "resident")
    return {**person, "address": _address(rng), "issuing_authority": _authority(rng)}


def cn_id_front(person: Mapping[str, str], rng: random.Random, style: Style) -> tuple[Image.Image, dict[str, str]]:
    """The portrait side in `style`: labels, values and number placed by the style, address up to three lines."""
    card = _Card(rng, style)
    s, dx, dy = style.spacing, style.dx, style.dy
    x_label = 62 + dx
    x_value = x_label + style.value_gap

    def row(i: int) -> float:
        return dy + 100 + s * 70 * i

    card.label((x_label, row(0)), "姓名")
    card.value((x_value, row(0)), person["name"], style.value_size + rng.randint(4, 9))
    sex = docs._SEX_ZH[person["sex"]]
    ethnicity = docs._ETHNIC_SHORT[person["ethnicity"]]
    card.label((x_label, row(1)), "性别")
    card.value((x_value, row(1)), sex)
    x_ethnic = x_value + rng.randint(110, 150)
    card.label((x_ethnic, row(1)), "民族")
    card.value((x_ethnic + rng.randint(92, 112), row(1)), ethnicity)

    birth = date.fromisoformat(person["birth_date"])
    card.label((x_label, row(2)), "出生")
    x: float = x_value
    for digits, unit in ((str(birth.year), "年"), (str(birth.month), "月"), (str(birth.day), "日")):
        x = card.value((x, row(2)), digits) + rng.randint(6, 14)
        x = card.label((x, row(2)), unit, 0) + rng.randint(10, 18)

    font = _font(*style.value_font, style.value_size)
    width = rng.randint(10, 12) * style.value_size
    lines = docs._wrap(person["address"], font, width, 3)
    card.label((x_label, row(3)), "住址")
    for i, line in enumerate(lines):
        card.value((x_value, row(3) + i * style.value_size * rng.uniform(1.3, 1.45)), line)

    number_y = dy + rng.randint(548, 575)
    card.label((x_label, number_y), "公民身份号码", 0)
    number_font = _font(*style.number_font, rng.randint(36, 42))
    x, pitch = x_label + rng.randint(250, 275), rng.uniform(30, 34)
    for i, ch in enumerate(person["id_number"]):
        card.text((x + i * pitch, number_y + 2), ch, number_font, style.ink)

    left = rng.randint(630, 680)
    docs._photo_placeholder(_Canvas(card), (left + dx, 50 + dy, left + dx + rng.randint(260, 290), 410 + dy), rng)
    truth = {
        "name": person["name"],
        "sex": sex,
        "ethnicity": ethnicity,
        "birth_date": birth.isoformat(),
        "address": "".join(lines),
        "id_number": person["id_number"],
    }
    return card.image, truth


class _Canvas(docs._Canvas):
    """id_documents' canvas over a card already drawn (for its photo placeholder)."""

    def __init__(self, card: _Card) -> None:
        super().__init__(card.image)


def cn_id_back(person: Mapping[str, str], rng: random.Random, style: Style) -> tuple[Image.Image, dict[str, str]]:
    """The emblem side in `style`: emblem, title, the two labels and their values placed by the style."""
    card = _Card(rng, style)
    dx, dy = style.dx, style.dy
    cx, cy, r = 150 + dx + rng.randint(-30, 20), 160 + dy + rng.randint(-30, 20), rng.randint(80, 110)
    card.draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=style.emblem, width=rng.randint(4, 9))
    inner = tuple(min(255, c + 40) for c in style.emblem)
    card.draw.ellipse((cx - r + 22, cy - r + 22, cx + r - 22, cy + r - 22), fill=inner)
    star = rng.randint(18, 30)
    card.draw.regular_polygon((cx, cy - 10, star), 5, fill=(235, 200, 60))

    title_font = _font(*rng.choice(installed_fonts()), rng.randint(44, 54))
    x_title = rng.randint(280, 320) + dx
    card.text((x_title, 150 + dy), "中华人民共和国", title_font, style.ink)
    big = _font(*rng.choice(installed_fonts()), rng.randint(68, 80))
    pitch = rng.randint(105, 122)
    for i, ch in enumerate("居民身份证"):
        card.text((x_title + i * pitch, 255 + dy + rng.randint(-6, 6)), ch, big, style.ink)

    x_label = rng.randint(150, 220) + dx
    x_value = x_label + rng.randint(128, 150)
    first = rng.randint(455, 480) + dy
    second = first + rng.randint(66, 82)
    card.label((x_label, first), "签发机关", 0)
    card.value((x_value, first), person["issuing_authority"])
    valid_from, valid_until = person["id_valid_from"], person["id_valid_until"]
    validity = f"{docs._dotted(valid_from)}{rng.choice(('-', '-', '—'))}{docs._dotted(valid_until)}"
    card.label((x_label, second), "有效期限", 0)
    card.value((x_value, second), validity)
    truth = {"issuing_authority": person["issuing_authority"], "valid_from": valid_from, "valid_until": valid_until}
    return card.image, truth


# ---------------------------------------------------------------------------------------------------------------
# Scans

LEVELS = ("clean", "ordinary", "poor")


@dataclass(frozen=True)
class Scan:
    image: Image.Image
    done: dict[str, object]


def scan(card: Image.Image, rng: random.Random, level: str) -> Scan:
    """`card` as a scanner gives it: "clean" untouched; "ordinary" and "poor" on a light or dark bed (or a tight
    scan), skewed (up to 2° / 5°), scaled (0.8-1.1 / 0.55-1.1), unevenly lit, blurred, noisy and JPEG'd (quality
    60-90 / 35-70)."""
    if level == "clean":
        return Scan(card.convert("RGB"), {"level": level})
    poor = level == "poor"
    done: dict[str, object] = {"level": level}
    image = card.convert("RGB")
    bed = rng.choice(("light", "dark", "none"))
    done["bed"] = bed
    if bed != "none":
        shade = rng.randint(200, 245) if bed == "light" else rng.randint(12, 70)
        tone = docs._jitter((shade, shade, shade), rng, 6)
        w, h = image.size
        margin = rng.randint(60, 260)
        canvas = Image.new("RGB", (w + 2 * margin + rng.randint(0, 300), h + 2 * margin + rng.randint(0, 400)), tone)
        canvas.paste(image, (margin, margin), docs._rounded_mask((w, h), docs._CARD_RADIUS))
        image = canvas
    fill = image.getpixel((0, 0))
    angle = rng.uniform(-5, 5) if poor else rng.uniform(-2, 2)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    factor = rng.uniform(0.55, 1.1) if poor else rng.uniform(0.8, 1.1)
    image = image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.BICUBIC)
    depth = rng.uniform(0.15, 0.4) if poor else rng.uniform(0.0, 0.15)
    light = Image.radial_gradient("L") if rng.random() < 0.3 else Image.linear_gradient("L")
    light = light.transpose(rng.choice(list(Image.Transpose)[:5]))
    light = light.point(lambda v: 255 - round(v * depth)).resize(image.size, Image.Resampling.BILINEAR)
    image = ImageChops.multiply(image, Image.merge("RGB", (light, light, light)))
    blur = rng.uniform(0.6, 1.8) if poor else rng.uniform(0.0, 1.0)
    if blur >= 0.1:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    sigma = rng.uniform(3, 10) if poor else rng.uniform(1, 5)
    pixels = image.width * image.height
    a = Image.frombytes("L", image.size, rng.randbytes(pixels))
    b = Image.frombytes("L", image.size, rng.randbytes(pixels))
    k = sigma / 52.0
    noise = ImageChops.add(a, b, scale=2.0).point(lambda v: max(0, min(255, round(128 + (v - 127.5) * k))))
    image = ImageChops.add(image, Image.merge("RGB", (noise, noise, noise)), scale=1.0, offset=-128)
    quality = rng.randint(35, 70) if poor else rng.randint(60, 90)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    done.update(angle=round(angle, 2), scale=round(factor, 3), blur=round(blur, 2), jpeg=quality, light=round(depth, 2))
    return Scan(Image.open(io.BytesIO(out.getvalue())).convert("RGB"), done)


def document(kind: str, seed: int, level: str) -> tuple[Scan, dict[str, str], Style]:
    """One card side ("cn_id_front" or "cn_id_back") in a random style, scanned at `level`, and its truth."""
    rng = random.Random(f"{kind}:{seed}:{level}")
    style = random_style(rng)
    person = identity(rng)
    card, truth = (cn_id_front if kind == "cn_id_front" else cn_id_back)(person, rng, style)
    return scan(card, rng, level), truth, style
