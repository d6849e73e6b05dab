"""Documents of a split: one at a time (`document`), N of each type (`samples`), or written to a directory with
a truth file (`write_dataset`, what the OCR benchmark reads).

Document i of a split and seed is a function of (split name, seed, i) alone, so any range of indexes can be
written by any process and the data never depend on how the work was shared out. Types come in turn
(cn_id_front, cn_id_back, mrz_td3, mrz_td1, mrz_td2, cn_id_front, ...); every fourth document of each type is
clean (the drawn image, PNG), the others degraded (a flatbed scan or a phone photo, JPEG).
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from tests.support.id_family import capture, content, layouts
from tests.support.id_family.layouts import Rendered, Style
from tests.support.id_family.splits import SplitSpec

KINDS = ("cn_id_front", "cn_id_back", "mrz_td3", "mrz_td1", "mrz_td2")
MRZ_KINDS = ("mrz_td3", "mrz_td1", "mrz_td2")


@dataclass(frozen=True)
class Sample:
    """One generated document: the file's bytes, what a reader should find, and how it was made."""

    index: int
    kind: str
    data: bytes
    extension: str  # "png" (clean) or "jpg"
    truth: dict[str, str]
    conditions: dict[str, Any]  # split, clean, layout, fonts, palette, capture, dpi, blur, jpeg, ...

    @property
    def clean(self) -> bool:
        return bool(self.conditions["clean"])

    def image(self) -> Image.Image:
        return Image.open(io.BytesIO(self.data))


def draw_style(spec: SplitSpec, kind: str, rng: random.Random) -> Style:
    """The layout, faces, colours and print quality of one document of `kind`, drawn from `spec`."""
    if kind == "cn_id_front":
        layout: Any = rng.choice(spec.cn_front_layouts)
    elif kind == "cn_id_back":
        layout = rng.choice(spec.cn_back_layouts)
    else:
        layout = rng.choice(spec.viz_layouts)
    return Style(
        layout=layout,
        zone=rng.choice(spec.zone_layouts) if kind in MRZ_KINDS else None,
        palette=rng.choice(spec.palettes),
        guilloche=rng.choice(spec.guilloches),
        label_face=rng.choice(spec.label_faces),
        value_face=rng.choice(spec.value_faces),
        title_face=rng.choice(spec.title_faces),
        latin_face=rng.choice(spec.latin_faces),
        ocr_b_face=rng.choice(spec.ocr_b_faces),
        ink=rng.choice(spec.inks),
        jitter=spec.jitter,
    )


def render(spec: SplitSpec, kind: str, rng: random.Random) -> tuple[Rendered, Style]:
    """A drawn document of `kind` with content and style from `rng`."""
    style = draw_style(spec, kind, rng)
    if kind in ("cn_id_front", "cn_id_back"):
        card = content.resident_card(rng)
        draw = layouts.cn_id_front if kind == "cn_id_front" else layouts.cn_id_back
        return draw(card, style, rng), style
    if kind == "mrz_td3":
        return layouts.mrz_document(content.passport(rng), "td3", style, rng), style
    if kind == "mrz_td1":
        return layouts.mrz_document(content.td1_card(rng), "td1", style, rng), style
    if kind == "mrz_td2":
        data = content.td2_document(rng)
        return layouts.mrz_document(data, "mrvb" if data.document_code.startswith("V") else "td2", style, rng), style
    raise ValueError(f"unknown document kind {kind!r}; the kinds are {', '.join(KINDS)}")


def document(spec: SplitSpec, index: int, seed: int | None = None, kinds: Sequence[str] = KINDS) -> Sample:
    """Document `index` of the split (seed: the split's own unless given)."""
    seed = spec.seed if seed is None else seed
    kind = kinds[index % len(kinds)]
    rng = random.Random(f"{spec.name}:{seed}:{index}")
    rendered, style = render(spec, kind, rng)
    clean = (index // len(kinds)) % round(1 / spec.clean_share) == 0 if spec.clean_share else False
    conditions: dict[str, Any] = {"split": spec.name, "seed": seed, "clean": clean, **style.metadata()}
    if clean:
        data, extension, done = capture.clean(rendered.image)
    else:
        ranges = spec.degradation
        draw = rng.random()
        neighbour = (
            "second_card" if draw < ranges.second_card_share
            else "paper_edge" if draw < ranges.second_card_share + ranges.paper_edge_share
            else ""
        )  # fmt: skip
        extra = None
        if neighbour == "second_card":
            other, _ = render(spec, rng.choice(KINDS), rng)
            extra = (other.image, other.mask)
        if rng.random() < spec.phone_share:
            data, extension, done = capture.phone(
                rendered.image, rendered.mask, rng, rng.choice(spec.surfaces), ranges, neighbour, extra
            )
        else:
            data, extension, done = capture.flatbed(
                rendered.image, rendered.mask, rng, rng.choice(spec.beds), spec.dpis, ranges, neighbour, extra
            )
    return Sample(index, kind, data, extension, rendered.truth, {**conditions, **done})


def samples(
    spec: SplitSpec, n_per_kind: int, seed: int | None = None, kinds: Sequence[str] = KINDS
) -> Iterator[Sample]:
    """`n_per_kind` documents of each of `kinds`, types in turn."""
    for index in range(n_per_kind * len(kinds)):
        yield document(spec, index, seed, kinds)


def write_dataset(
    directory: str | Path, spec: SplitSpec, indexes: Iterable[int], seed: int | None = None,
    kinds: Sequence[str] = KINDS,
) -> Path:  # fmt: skip
    """Write documents `indexes` of the split into `directory` with truth.jsonl; return the truth file's path.

    Each truth line: {"file", "document_type", "fields", "conditions"}.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    truth_path = directory / "truth.jsonl"
    with truth_path.open("w", encoding="utf-8") as truth:
        for index in indexes:
            sample = document(spec, index, seed, kinds)
            name = f"{index:05d}_{sample.kind}.{sample.extension}"
            (directory / name).write_bytes(sample.data)
            record = {"file": name, "document_type": sample.kind, "fields": sample.truth,
                      "conditions": sample.conditions}  # fmt: skip
            truth.write(json.dumps(record, ensure_ascii=False) + "\n")
    return truth_path
