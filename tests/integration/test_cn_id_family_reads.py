"""The portrait side of the resident ID card as the development split of the document family draws it (issue 12),
read end to end by the real Tesseract: a card on a dark scanner bed whose label rows stand where the colour
route does not look for them, its ethnic group printed close to its label; and the lone last character of an
address, which Tesseract leaves out, read on its own."""

from __future__ import annotations

import dataclasses
import os
import random
import shutil

import pytest
from PIL import Image, ImageDraw

from desktop_app.ocr import cn_id_reader, tesseract_engine
from desktop_app.ocr.cn_id_reader import READ_CLEARLY, CardFrame, Piece, _free_text
from desktop_app.ocr.recognise import recognise
from desktop_app.ocr.tesseract_engine import OcrWord
from tests.support.id_documents import INK, SANS, _font
from tests.support.id_family import content, layouts
from tests.support.id_family.artwork import rounded_mask
from tests.support.id_family.dataset import draw_style
from tests.support.id_family.splits import SPLITS

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="the tesseract binary is not installed")


def family_front(seed: int, layout: str, **card: object) -> tuple[Image.Image, dict[str, str]]:
    """A development-split portrait side in `layout`, its content drawn from `seed` with `card`'s changes, in
    the first value face and palette of the split (plain print: this is about placing the fields)."""
    spec = SPLITS["development"]
    rng = random.Random(seed)
    style = dataclasses.replace(
        draw_style(spec, "cn_id_front", rng),
        layout=next(lay for lay in spec.cn_front_layouts if lay.name == layout),
        value_face=spec.value_faces[0],
        ink="normal",
    )
    holder = dataclasses.replace(content.resident_card(rng), **card)  # type: ignore[arg-type]
    drawn = layouts.cn_id_front(holder, style, rng)
    return drawn.image, drawn.truth


def on_bed(card: Image.Image, shade: int, angle: float = 2.5) -> Image.Image:
    """The card on a scanner bed of grey `shade`, turned a little."""
    bed = Image.new("RGB", (1500, 1100), (shade, shade, shade + 3))
    bed.paste(card, (220, 200), rounded_mask(card.size, 34))
    return bed.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(shade, shade, shade + 3))


@needs_tesseract
def test_a_family_card_on_a_dark_bed_is_read_with_its_group_close_to_its_label() -> None:
    # front-standard prints its label rows closer together than the colour route's layout, and its ethnic group
    # (汉) starts before the layout's box for it: once cut off and never read.
    card, truth = family_front(
        5, "front-standard", name=content.ChineseName("王建国", "WANG", "JIANGUO"), ethnicity="01"
    )
    result = recognise(on_bed(card, 26))
    assert result.document_type == "cn_id_front"
    assert result.fields["ethnicity"].value == "汉"
    found = {name: found.value for name, found in result.fields.items()}
    assert found == truth
    assert result.fields["id_number"].verified


def _printed_address(lines: list[str]) -> tuple[Image.Image, list[list[OcrWord]]]:
    """`lines` printed on a pale card where the address stands, and the words Tesseract would give: one a
    character, as boxed where drawn."""
    card = Image.new("RGB", (1011, 638), (236, 240, 238))
    draw = ImageDraw.Draw(card)
    font = _font(SANS, 30)
    read: list[list[OcrWord]] = []
    for row, text in enumerate(lines):
        x, baseline, words = 170.0, 320 + 44 * row, []
        for ch in text:
            draw.text((x, baseline), ch, font=font, fill=INK, anchor="ls")
            box = tuple(round(v) for v in draw.textbbox((x, baseline), ch, font=font, anchor="ls"))
            words.append(OcrWord(ch, 0.93, box))  # type: ignore[arg-type]
            x += font.getlength(ch)
        read.append(words)
    return card, read


ADDRESS = Piece("address", (150, 275, 640, 410), 0.85)


@needs_tesseract
@pytest.mark.parametrize(("first", "last"), [("示例省演示市样例县东金", "村"), ("示例省演示市样例区测试路12", "号")])
def test_the_lone_last_character_of_an_address_is_read_on_its_own(first: str, last: str) -> None:
    card, read = _printed_address([first, last])
    # Tesseract gave the first line and left out the character standing alone on the second.
    found = _free_text(card, CardFrame.nominal(card), ADDRESS, read[:1])
    assert found.field is not None
    assert found.field.value == first + last
    # One character read on its own is one reading: shown for checking, never as read clearly.
    assert found.field.confidence < READ_CLEARLY and "address_character_recovered" in found.warnings
    # Read whole, nothing is added and nothing doubted.
    whole = _free_text(card, CardFrame.nominal(card), ADDRESS, read)
    assert whole.field is not None and whole.field.value == first + last
    assert whole.warnings == ()


@needs_tesseract
def test_a_dropped_last_character_is_not_made_up_where_there_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    card, read = _printed_address(["示例省演示市样例县东金村"])
    calls: list[object] = []

    def read_lines(*args: object, **options: object) -> list[object]:
        calls.append(args)
        return []

    monkeypatch.setattr(cn_id_reader, "read_lines", read_lines)
    found = _free_text(card, CardFrame.nominal(card), ADDRESS, read)
    assert found.field is not None and found.field.value == "示例省演示市样例县东金村"
    assert calls == []  # nothing left out: no extra Tesseract run


def test_a_speck_read_as_a_hyphen_at_the_end_of_an_address_is_dropped() -> None:
    card, read = _printed_address(["示例省演示市样例县东金村"])
    speck = OcrWord("-", 0.5, (read[0][-1].box[2] + 2, 300, read[0][-1].box[2] + 8, 304))
    found = _free_text(card, CardFrame.nominal(card), ADDRESS, [[*read[0], speck]])
    assert found.field is not None and found.field.value == "示例省演示市样例县东金村"


@needs_tesseract
def test_a_number_set_near_its_label_is_read_whole() -> None:
    # Other card issues set the number from about a quarter of the card's width (here at x 250, 25%), where a
    # crop at the layout's place (x 290) cut off its first digits.
    spec = SPLITS["development"]
    layout = next(lay for lay in spec.cn_front_layouts if lay.name == "front-standard")
    rng = random.Random(7)
    style = dataclasses.replace(
        draw_style(spec, "cn_id_front", rng),
        layout=dataclasses.replace(layout, number_x=250),
        value_face=spec.value_faces[0],
        ink="normal",
    )
    holder = content.resident_card(rng)
    drawn = layouts.cn_id_front(holder, style, rng)
    result = recognise(on_bed(drawn.image, 26, angle=1.0))
    assert result.document_type == "cn_id_front"
    assert result.fields["id_number"].value == drawn.truth["id_number"]
    assert result.fields["id_number"].verified


@needs_tesseract
def test_an_address_running_past_the_layouts_edge_is_not_shown_as_read_clearly() -> None:
    # A card issue that sets the photo further right prints a long address line past where the layout's address
    # ends (x 640): the crop cuts off its last characters, and the rest must not be shown as read clearly.
    spec = SPLITS["development"]
    layout = next(lay for lay in spec.cn_front_layouts if lay.name == "front-standard")
    rng = random.Random(11)
    style = dataclasses.replace(
        draw_style(spec, "cn_id_front", rng),
        layout=dataclasses.replace(layout, value_x=188, address_chars=18, photo=(730, 64, 990, 420)),
        value_face=spec.value_faces[0],
        ink="normal",
        jitter=0,  # 村 ends where the layout's address does, 8组 stands past it
    )
    holder = dataclasses.replace(content.resident_card(rng), address="示例省演示市样例县东金乡模拟村8组")
    drawn = layouts.cn_id_front(holder, style, rng)
    result = recognise(on_bed(drawn.image, 26, angle=1.0))
    assert result.document_type == "cn_id_front"
    address = result.fields["address"]
    assert address.value != drawn.truth["address"]  # cut off: what this test is about
    assert address.confidence < READ_CLEARLY
    assert "address_may_be_incomplete" in result.warnings


@needs_tesseract
@pytest.mark.parametrize(
    ("name", "ethnicity", "group"),
    [
        (content.ChineseName("邱帆娜", "QIU", "FANNA"), "01", "汉"),
        (content.ChineseName("肖鑫红", "XIAO", "XINHONG"), "21", "佤"),
    ],
)
def test_names_and_groups_debians_fast_model_misreads_are_read(
    name: content.ChineseName, ethnicity: str, group: str
) -> None:
    # Debian's fast chi_sim reads 邱 as 印 and 鑫 as 伟 in these faces, and has no 佤 at all; the standard model
    # (resources/tessdata/chi_sim_std) reads them, with the fast one as a second opinion.
    card, truth = family_front(20, "front-compact", name=name, ethnicity=ethnicity)
    result = recognise(card)
    assert result.document_type == "cn_id_front"
    assert result.fields["name"].value == name.text
    assert result.fields["ethnicity"].value == group == truth["ethnicity"]


def test_the_standard_han_model_reads_and_debians_gives_the_second_opinion() -> None:
    assert tesseract_engine.tessdata_folder("chi_sim_std") == os.path.join(str(tesseract_engine.PROJECT_TESSDATA), "")
    if tesseract_engine.tessdata_folder("chi_sim") is not None:
        assert tesseract_engine.han_models() == ("chi_sim_std", "chi_sim")
