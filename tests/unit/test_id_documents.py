"""The synthetic ID-document generator: deterministic and true to its own ground truth (that Tesseract can read
it: tests/integration/test_id_documents_ocr.py)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from tests.support import id_documents as docs
from tests.support.id_documents import MrzFields

Generator = Callable[[Mapping[str, str], random.Random], tuple[Image.Image, dict[str, str]]]

ALL: dict[str, tuple[Generator, str]] = {
    "cn_id_front": (docs.cn_id_front, "resident"),
    "cn_id_back": (docs.cn_id_back, "resident"),
    "td3": (docs.passport_td3, "any"),
    "td1": (docs.id_card_td1, "foreign"),
    "td2": (docs.id_card_td2, "foreign"),
    "visa": (docs.visa_td2, "foreign"),
}


def make(kind: str, seed: int) -> tuple[Image.Image, dict[str, str]]:
    generator, suits = ALL[kind]
    rng = random.Random(seed)
    return generator(docs.synthetic_identity(rng, suits), rng)


# --- ICAO 9303 part 3, written here from the specification, independent of the generator -----------------------


def check_digit(text: str) -> str:
    values = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
    return str(sum(values[ch] * (7, 3, 1)[i % 3] for i, ch in enumerate(text)) % 10)


def assert_check(field: str, digit: str, *, may_be_filler: bool = False) -> None:
    if may_be_filler and set(field) == {"<"} and digit == "<":
        return
    assert check_digit(field) == digit, f"check digit of {field!r} is {check_digit(field)}, MRZ says {digit}"


def assert_valid_mrz(lines: list[str]) -> None:
    """Every check digit of a TD1, TD2, TD3 or MRV-B zone."""
    shape = (len(lines), len(lines[0]))
    assert all(len(line) == shape[1] for line in lines)
    if shape == (2, 44):  # TD3
        l2 = lines[1]
        assert_check(l2[0:9], l2[9])
        assert_check(l2[13:19], l2[19])
        assert_check(l2[21:27], l2[27])
        assert_check(l2[28:42], l2[42], may_be_filler=True)
        assert_check(l2[0:10] + l2[13:20] + l2[21:43], l2[43])
    elif shape == (3, 30):  # TD1
        l1, l2 = lines[0], lines[1]
        assert_check(l1[5:14], l1[14])
        assert_check(l2[0:6], l2[6])
        assert_check(l2[8:14], l2[14])
        assert_check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
    elif shape == (2, 36):  # TD2 card, or an MRV-B visa (no composite check digit)
        l2 = lines[1]
        assert_check(l2[0:9], l2[9])
        assert_check(l2[13:19], l2[19])
        assert_check(l2[21:27], l2[27])
        if not lines[0].startswith("V"):
            assert_check(l2[0:10] + l2[13:20] + l2[21:35], l2[35])
    else:
        raise AssertionError(f"no MRZ has {shape[0]} lines of {shape[1]}")


def test_check_digit_oracle_agrees_with_the_icao_specimen() -> None:
    # ICAO 9303 part 4, the specimen passport of Anna Maria Eriksson.
    line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    assert_valid_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", line2])
    with pytest.raises(AssertionError):
        assert_valid_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", line2[:43] + "1"])


SPECIMEN = MrzFields(
    document_code="P<",
    issuing_country="UTO",
    surname="ERIKSSON",
    given_names="ANNA MARIA",
    document_number="L898902C3",
    nationality="UTO",
    birth_date=date(1974, 8, 12),
    sex="F",
    expiry_date=date(2012, 4, 15),
    issue_date=date(2002, 4, 16),
    optional_data="ZE184226B",
)


@pytest.mark.parametrize(
    ("layout", "fields", "expected"),
    [
        (
            "td3",
            SPECIMEN,
            ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
        ),
        (
            "td1",
            MrzFields(
                **{**SPECIMEN.__dict__, "document_code": "I<", "document_number": "D23145890", "optional_data": ""}
            ),
            ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
        ),
        (
            "td2",
            MrzFields(
                **{**SPECIMEN.__dict__, "document_code": "I<", "document_number": "D23145890", "optional_data": ""}
            ),
            ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
        ),
    ],
)
def test_mrz_lines_reproduce_the_icao_specimens(layout: str, fields: MrzFields, expected: list[str]) -> None:
    lines, surname, given = docs.mrz_lines(fields, layout)
    assert lines == expected
    assert (surname, given) == ("ERIKSSON", "ANNA MARIA")


@pytest.mark.parametrize("kind", ["td3", "td1", "td2", "visa"])
def test_generated_mrz_validates_its_own_check_digits_and_matches_the_truth(kind: str) -> None:
    for seed in range(12):
        _, truth = make(kind, seed)
        lines = truth["mrz"].split("\n")
        assert_valid_mrz(lines)
        body = "".join(lines)
        for field in ("document_number", "nationality", "issuing_country"):
            assert truth[field] in body
        for field in ("birth_date", "expiry_date"):
            assert date.fromisoformat(truth[field]).strftime("%y%m%d") in body
        assert truth["sex"] in ("M", "F")
        assert len(truth["document_number"]) == 9
        name = "<<".join(("<".join(truth["surname"].split()), "<".join(truth["given_names"].split())))
        assert name in body


def test_chinese_passports_have_no_filler_on_line_2_and_foreign_ones_keep_theirs() -> None:
    rng = random.Random(5)
    chinese = docs.synthetic_identity(rng, "chinese")
    foreign = docs.synthetic_identity(rng, "foreign")
    _, cn = docs.passport_td3(chinese, rng)
    _, other = docs.passport_td3(foreign, rng)
    assert cn["mrz"].startswith("POCHN") and "<" not in cn["mrz"].split("\n")[1]
    assert other["mrz"].startswith("P<") and other["nationality"] == foreign["nationality"] != "CHN"


@pytest.mark.parametrize("kind", list(ALL))
def test_same_seed_gives_the_same_pixels_and_truth(kind: str) -> None:
    image_a, truth_a = make(kind, 11)
    image_b, truth_b = make(kind, 11)
    image_c, _ = make(kind, 12)
    assert truth_a == truth_b
    assert image_a.tobytes() == image_b.tobytes()
    assert image_a.tobytes() != image_c.tobytes()


@pytest.mark.parametrize(
    ("kind", "size"),
    [
        ("cn_id_front", (1011, 638)),
        ("cn_id_back", (1011, 638)),
        ("td3", (1476, 1039)),
        ("td1", (1011, 638)),
        ("td2", (1240, 874)),
        ("visa", (1240, 874)),
    ],
)
def test_documents_have_their_physical_size_at_300_dpi(kind: str, size: tuple[int, int]) -> None:
    image, _ = make(kind, 1)
    assert image.size == size
    assert image.mode == "RGB"


def ink(image: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int, int]]:
    """The pixels in `box` that are clearly printed, not background (the background stays above 200)."""
    return [p for p in image.crop(box).get_flattened_data() if min(p) < 170]


@pytest.mark.parametrize("kind", ["cn_id_front", "cn_id_back"])
def test_labels_are_blue_and_values_black(kind: str) -> None:
    image, _ = make(kind, 3)
    boxes = image.info["boxes"]
    labels = {k: v for k, v in boxes.items() if k.startswith("label:")}
    values = {k: v for k, v in boxes.items() if not k.startswith("label:") and k != "title"}
    assert labels and values
    for key, box in labels.items():
        pixels = ink(image, box)
        darkest = min(pixels, key=sum)
        assert darkest[2] - darkest[0] > 80 and darkest[2] > 150, f"{key} ink {darkest} is not blue"
        # The point of blue labels: in the blue channel they all but vanish.
        assert min(p[2] for p in pixels) > 150, key
    for key, box in values.items():
        pixels = ink(image, box)
        darkest = min(pixels, key=sum)
        assert max(darkest) < 60, f"{key} ink {darkest} is not black"
        assert not [p for p in pixels if p[2] - p[0] > 60], f"{key} has blue ink"


def test_front_truth_is_what_is_printed() -> None:
    rng = random.Random(8)
    identity = docs.synthetic_identity(rng, "resident")
    _, truth = docs.cn_id_front(identity, rng)
    assert set(truth) == {"name", "sex", "ethnicity", "birth_date", "address", "id_number"}
    assert truth["sex"] in ("男", "女")
    assert truth["birth_date"] == identity["birth_date"]
    assert " " not in truth["address"] and "\n" not in truth["address"]
    assert "".join(identity["address"].split()).startswith(truth["address"])
    assert len(truth["id_number"]) == 18
    assert not truth["ethnicity"].endswith("族")


def test_back_truth_has_the_validity_period() -> None:
    _, truth = make("cn_id_back", 4)
    assert set(truth) == {"issuing_authority", "valid_from", "valid_until"}
    date.fromisoformat(truth["valid_from"])
    assert truth["valid_until"] == "长期" or date.fromisoformat(truth["valid_until"]) > date.fromisoformat(
        truth["valid_from"]
    )


def test_resident_card_refuses_an_identity_without_a_resident_id() -> None:
    rng = random.Random(0)
    identity = docs.synthetic_identity(rng, "foreign")
    with pytest.raises(ValueError, match="resident_id"):
        docs.cn_id_front(identity, rng)


def test_degrade_is_deterministic_and_keeps_the_document_in_frame() -> None:
    image, _ = make("cn_id_front", 2)
    ordinary_a = docs.degrade(image, random.Random(9))
    ordinary_b = docs.degrade(image, random.Random(9))
    assert ordinary_a.tobytes() == ordinary_b.tobytes()
    # ±3° and 0.8-1.2 scale: never more than 1.2 × the rotated bounding box, never less than 0.8 × the card.
    assert 0.8 * 1011 - 1 <= ordinary_a.width <= 1.2 * 1050 and 0.8 * 638 - 1 <= ordinary_a.height <= 1.2 * 700
    hard = docs.degrade(image, random.Random(9), "hard")
    assert hard.tobytes() != ordinary_a.tobytes()
    with pytest.raises(ValueError, match="level"):
        docs.degrade(image, random.Random(9), "gentle")


def test_scanner_bed_is_a4_at_300_dpi_with_the_card_on_it() -> None:
    image, _ = make("cn_id_front", 2)
    bed = docs.place_on_scanner_bed(image, random.Random(1))
    assert bed.size == (2480, 3508)
    # The card's black ink is somewhere on the bed.
    assert min(bed.convert("L").get_flattened_data()) < 60


def test_write_dataset_writes_n_images_and_a_truth_line_each(tmp_path: Path) -> None:
    truth_path = docs.write_dataset(tmp_path / "a", n=6, seed=21, bed_share=0.2)
    records = [json.loads(line) for line in truth_path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 6
    assert [r["document_type"] for r in records] == [*docs.DEFAULT_KINDS, docs.DEFAULT_KINDS[0]]
    for record in records:
        with Image.open(tmp_path / "a" / record["file"]) as image:
            assert image.format == "JPEG"
        assert record["fields"] and all(isinstance(v, str) for v in record["fields"].values())
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted([r["file"] for r in records] + ["truth.jsonl"])
    # The same seed writes the same bytes.
    docs.write_dataset(tmp_path / "b", n=6, seed=21, bed_share=0.2)
    for record in records:
        assert (tmp_path / "a" / record["file"]).read_bytes() == (tmp_path / "b" / record["file"]).read_bytes()


def test_write_dataset_clean_level_writes_png(tmp_path: Path) -> None:
    truth_path = docs.write_dataset(tmp_path, n=2, seed=1, kinds=("mrz_td2",), level="clean")
    records = [json.loads(line) for line in truth_path.read_text(encoding="utf-8").splitlines()]
    assert [r["file"][-4:] for r in records] == [".png", ".png"]
    with pytest.raises(ValueError, match="unknown document kinds"):
        docs.write_dataset(tmp_path, n=1, seed=1, kinds=("driving_licence",))


def test_missing_font_names_what_to_install() -> None:
    with pytest.raises(docs.FontNotFoundError, match="not installed"):
        docs.font_file("No Such Font Family Anywhere")
