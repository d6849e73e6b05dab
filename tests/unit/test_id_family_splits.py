"""The document family's two splits (tests/support/id_family): the sealed split's own parameters never reach the
development split, neither in its spec nor in the documents it generates, and both splits generate valid
documents (MRZ check digits, GB 11643 checksum, truth consistent with the number). The accuracy on either
split is the benchmark's to print (make bench-ocr), not this test's."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from stdnum.cn import ric

from tests.support.id_family import DEVELOPMENT, KINDS, MRZ_KINDS, SEALED, document, sealed_only
from tests.support.id_family.dataset import draw_style, render
from tests.support.id_family.splits import SplitSpec

# Where each group of spec parameters shows up in a document's conditions.
CONDITION_GROUPS: dict[str, tuple[str, ...]] = {
    "layout": ("cn_front_layouts", "cn_back_layouts", "viz_layouts"),
    "zone": ("zone_layouts",),
    "palette": ("palettes",),
    "guilloche": ("guilloches",),
    "ink": ("inks",),
    "bed": ("beds",),
    "surface": ("surfaces",),
    "dpi": ("dpis",),
}


def exclusive() -> dict[str, frozenset[str]]:
    return sealed_only(SEALED, DEVELOPMENT)


def test_the_sealed_split_has_its_own_seed_layouts_faces_palette_and_bed() -> None:
    assert SEALED.seed != DEVELOPMENT.seed
    only = exclusive()
    for group in (
        "cn_front_layouts", "cn_back_layouts", "viz_layouts", "zone_layouts", "cjk_faces", "palettes", "beds",
        "guilloches", "surfaces",
    ):  # fmt: skip
        assert only[group], f"the sealed split has no {group} of its own"


def test_no_sealed_only_parameter_is_in_the_development_spec() -> None:
    development_names = frozenset().union(*DEVELOPMENT.names().values())
    sealed_names = frozenset().union(*exclusive().values())
    assert not sealed_names & development_names
    # a face the sealed split has to itself is not used by development in any role either
    assert not exclusive()["faces"] & DEVELOPMENT.names()["faces"]


def _names_in(conditions: dict[str, Any]) -> dict[str, set[str]]:
    """The spec parameters a document's conditions name, by spec group."""
    found: dict[str, set[str]] = {}
    for key, groups in CONDITION_GROUPS.items():
        if conditions.get(key) is not None:
            for group in groups:
                found.setdefault(group, set()).add(str(conditions[key]))
    found["faces"] = set(conditions["fonts"].values())
    return found


def _assert_no_sealed_only(conditions: dict[str, Any]) -> None:
    only = exclusive()
    for group, names in _names_in(conditions).items():
        assert not names & only.get(group, frozenset()), f"a development document used sealed-only {group}: {names}"


def test_development_styles_never_draw_a_sealed_only_parameter() -> None:
    # The style draw alone is cheap: many draws cover every choice the development spec offers.
    seen: set[str] = set()
    for i in range(400):
        kind = KINDS[i % len(KINDS)]
        metadata = draw_style(DEVELOPMENT, kind, random.Random(i)).metadata()
        _assert_no_sealed_only(metadata)
        seen.add(str(metadata["layout"]))
    assert seen == {n for g in ("cn_front_layouts", "cn_back_layouts", "viz_layouts") for n in DEVELOPMENT.names()[g]}


@pytest.mark.parametrize("index", range(5, 10))  # one degraded document of each type: a bed or table, a dpi
def test_generated_development_documents_name_no_sealed_only_parameter(index: int) -> None:
    sample = document(DEVELOPMENT, index)
    assert sample.conditions["split"] == "development"
    _assert_no_sealed_only(sample.conditions)


# --- validity: written here from ICAO 9303 part 3 and GB 11643, independent of the generator ---------------------


def _check(text: str) -> str:
    values = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
    return str(sum(values[ch] * (7, 3, 1)[i % 3] for i, ch in enumerate(text)) % 10)


def _assert_valid_zone(lines: list[str]) -> None:
    shape = (len(lines), len(lines[0]))
    assert all(len(line) == shape[1] for line in lines)
    if shape == (2, 44):  # TD3
        l2 = lines[1]
        assert _check(l2[0:9]) == l2[9] and _check(l2[13:19]) == l2[19] and _check(l2[21:27]) == l2[27]
        assert l2[42] in ("<", "0") if set(l2[28:42]) == {"<"} else l2[42] == _check(l2[28:42])
        assert _check(l2[0:10] + l2[13:20] + l2[21:43]) == l2[43]
    elif shape == (3, 30):  # TD1
        l1, l2 = lines[0], lines[1]
        assert _check(l1[5:14]) == l1[14] and _check(l2[0:6]) == l2[6] and _check(l2[8:14]) == l2[14]
        assert _check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]) == l2[29]
    elif shape == (2, 36):  # TD2, or an MRV-B visa (no composite check digit)
        l2 = lines[1]
        assert _check(l2[0:9]) == l2[9] and _check(l2[13:19]) == l2[19] and _check(l2[21:27]) == l2[27]
        if not lines[0].startswith("V"):
            assert _check(l2[0:10] + l2[13:20] + l2[21:35]) == l2[35]
    else:
        raise AssertionError(f"not a TD1, TD2 or TD3 zone: {shape}")


def _yymmdd(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%y%m%d")


@pytest.mark.parametrize("spec", [DEVELOPMENT, SEALED], ids=lambda s: s.name)
@pytest.mark.parametrize("seed", range(2))
def test_both_splits_draw_valid_documents(spec: SplitSpec, seed: int) -> None:
    for kind in KINDS:
        rendered, _ = render(spec, kind, random.Random(f"validity:{seed}:{kind}"))
        truth = rendered.truth
        if kind == "cn_id_front":
            number = truth["id_number"]
            assert ric.is_valid(number), number
            assert number[6:14] == truth["birth_date"].replace("-", "")
            assert int(number[16]) % 2 == (1 if truth["sex"] == "男" else 0)
            assert truth["address"][-1] in "号室组村" and truth["name"]
        elif kind == "cn_id_back":
            assert truth["valid_until"] == "长期" or truth["valid_until"] > truth["valid_from"]
            assert truth["issuing_authority"].endswith("局")
        else:
            assert kind in MRZ_KINDS
            lines = truth["mrz"].split("\n")
            _assert_valid_zone(lines)
            zone = "".join(lines)
            assert _yymmdd(truth["birth_date"]) in zone and _yymmdd(truth["expiry_date"]) in zone
            assert truth["document_number"][:9] in zone
            assert zone.startswith(truth["document_code"].ljust(2, "<") + truth["issuing_country"].ljust(3, "<"))
            assert truth["surname"].replace(" ", "<") in zone
