"""The name matcher and the duplicate rules: each kind of variation of one name, and the near misses that are
other people (issue 15). Every name here is made up."""

from __future__ import annotations

import pytest

from desktop_app.domain.duplicate_evidence import (
    DEFAULT_THRESHOLD,
    Evidence,
    id_number_variants,
    reason_text,
    score_pair,
)
from desktop_app.domain.id_numbers import gb11643_check_char, has_gb11643_checksum
from desktop_app.domain.name_match import NameReason, PersonName, match_names, match_texts

R = NameReason

# (left, right, reason expected among the reasons, lowest acceptable score)
SAME_NAME = [
    ("王伟", "王伟", R.IDENTICAL, 1.0),
    ("张伟", "張偉", R.TRADITIONAL_FORM, 1.0),
    ("陈测试", "陳測試", R.TRADITIONAL_FORM, 1.0),
    ("王伟", "WANG WEI", R.PINYIN_OF_HAN, 0.95),
    ("王伟", "wangwei", R.PINYIN_OF_HAN, 0.95),
    ("王伟", "Wáng Wěi", R.TONE_MARKS, 0.95),
    ("王伟", "wang2 wei3", R.TONE_MARKS, 0.95),
    ("王伟", "WEI WANG", R.ORDER_SWAPPED, 0.9),
    ("WANG WEI", "WEI WANG", R.ORDER_SWAPPED, 0.9),
    ("WANG WEI", "Wang  wei", R.SPACING_OR_CASE, 1.0),
    ("欧阳娜", "OUYANG NA", R.PINYIN_OF_HAN, 0.95),
    ("欧阳娜", "Ou Yang Na", R.PINYIN_OF_HAN, 0.95),
    ("欧阳娜", "NA OUYANG", R.ORDER_SWAPPED, 0.9),
    ("司马光", "SIMA GUANG", R.PINYIN_OF_HAN, 0.95),
    ("司马光", "GUANG SIMA", R.ORDER_SWAPPED, 0.9),
    ("单明", "SHAN MING", R.PINYIN_OF_HAN, 0.95),  # a heteronym read as a surname
    ("吕芳", "LYU FANG", R.PINYIN_OF_HAN, 0.95),  # the passport's spelling of lü
    ("吕芳", "LÜ FANG", R.PINYIN_OF_HAN, 0.95),
    ("张学友", "Chang Hsüeh-yu", R.WADE_GILES, 0.9),
    ("蒋介石", "CHIANG CHIEH-SHIH", R.WADE_GILES, 0.9),
    ("ZHANG XUEYOU", "CHANG HSUEH YU", R.WADE_GILES, 0.9),
    ("阿依古丽·买买提", "阿依古丽买买提", R.MIDDLE_DOT, 0.95),
    ("阿依古丽·买买提", "阿依古丽•买买提", R.IDENTICAL, 0.95),
    ("阿依古丽·买买提", "买买提·阿依古丽", R.ORDER_SWAPPED, 0.9),
    ("约翰·示例", "约翰.示例", R.IDENTICAL, 0.95),
    ("王伟", "王玮", R.HOMOPHONE, 0.84),
    ("许测试明", "徐测试明", R.HOMOPHONE, 0.84),
    ("王己", "王已", R.LOOK_ALIKE, 0.8),
    ("刘宁", "牛宁", R.SIMILAR_SOUND, 0.75),
    ("张伟明", "张伟", R.CHARACTER_MISSING, 0.6),
    ("ZHANG WEIMING", "ZHANG WEIMNG", R.SPELLING_CLOSE, 0.75),
    # Latin names with accents and special letters, as a list writes them and as a form or an MRZ does (found by
    # the independent check: none of these was a watchlist hit).
    ("José-Ángel Müller-Testé Ørsted", "jose angel muller teste orsted", R.LATIN_LETTERS, 0.9),
    ("José-Ángel Müller-Testé Ørsted", "Jose-Angel Mueller-Teste Oersted", R.LATIN_LETTERS, 0.9),
    ("José-Ángel Müller-Testé Ørsted", "ORSTED MULLER TESTE JOSE ANGEL", R.ORDER_SWAPPED, 0.9),
    ("José-Ángel Müller-Testé Ørsted", "Jose Angel MULLER TESTE", R.PART_MISSING, 0.8),
    ("Ævar Þórsson", "AEVAR THORSSON", R.LATIN_LETTERS, 0.9),
    ("Maria Luisa Garcia Testperez", "GARCIA TESTPEREZ MARIA LUISA", R.ORDER_SWAPPED, 0.9),
]


@pytest.mark.parametrize(("left", "right", "reason", "lowest"), SAME_NAME)
def test_a_variation_of_the_same_name_is_recognised_with_its_reason(
    left: str, right: str, reason: NameReason, lowest: float
) -> None:
    for a, b in ((left, right), (right, left)):
        found = match_texts(a, b)
        assert found.score >= lowest, (a, b, found)
        if reason is not R.IDENTICAL:
            assert reason in found.reasons, (a, b, found)


DIFFERENT_NAMES = [
    ("王伟", "李强"),
    ("王伟", "王玉"),
    ("王测试明", "王测试华"),
    ("张伟", "ZHANG QIANG"),
    ("WANG WEI", "LI QIANG"),
    ("欧阳娜", "欧阳静"),
    # two parts shared of five, or a part of three missing, is no longer the same name
    ("José-Ángel Müller-Testé Ørsted", "JOSE ANGEL"),
    ("José-Ángel Müller-Testé Ørsted", "Jose Angel Martinez Teste Orsted"),
    ("MARIA GARCIA LOPEZ", "MARIA GARCIA"),
    ("SAMUEL TEST", "SAMUL TESTER"),
]


@pytest.mark.parametrize(("left", "right"), [("ZHANG XUE", "ZHANG XU"), ("LIU YUE MING", "LIU YU MING")])
def test_pinyin_keeps_its_letters_when_european_spellings_are_folded(left: str, right: str) -> None:
    """张雪 and 张旭 are two names, not one written two ways (UE folded to U is for MUELLER): one letter apart, as
    before the folding."""
    found = match_texts(left, right)
    assert NameReason.LATIN_LETTERS not in found.reasons and found.score <= 0.8, found


@pytest.mark.parametrize(("left", "right"), DIFFERENT_NAMES)
def test_other_names_score_below_a_homophone(left: str, right: str) -> None:
    found = match_texts(left, right)
    assert found.score < 0.8, found
    assert R.DIFFERENT in found.reasons


def test_the_latin_form_of_a_record_is_compared_too() -> None:
    found = match_names(PersonName("王伟", "WANG WEI"), PersonName("WEI WANG"))
    assert found.score >= 0.9


def _person(**changes: str) -> dict[str, str]:
    values = {
        "name": "王伟",
        "name_pinyin": "WANG WEI",
        "birth_date": "1985-03-14",
        "id_type": "resident_id",
        "id_number": "110101198503141236",
        "mobile": "13800123456",
        "address": "示例省演示市测试区样例路 12 号",
    }
    values.update(changes)
    return values


_OTHER_ID = "110101198503147777"  # another resident ID of the same birth date
_OTHER_ID_1990 = "110101199007021234"

# (what changed in the second entry, expected evidence, is it a likely duplicate)
PAIRS = [
    ({}, Evidence.ID_SAME, True),
    ({"id_number": "110101198503141263"}, Evidence.ID_SWAPPED, True),
    ({"id_number": "110101198503141237"}, Evidence.ID_ONE_WRONG, True),
    ({"id_type": "passport", "id_number": "E12345678", "name": "WANG WEI"}, Evidence.OTHER_ID_TYPE, True),
    ({"name": "王偉", "mobile": "13900999999", "address": ""}, Evidence.ID_SAME, True),
    ({"name": "王玮", "id_type": "passport", "id_number": "E12345678"}, Evidence.BIRTH_SAME, True),
    ({"birth_date": "1985-03-15", "id_type": "passport", "id_number": "E1"}, Evidence.BIRTH_CLOSE, True),
    # A variant of the name, the same birth date and the same mobile or address outweigh another resident ID.
    ({"name": "王偉", "id_number": _OTHER_ID, "address": ""}, Evidence.MOBILE_SAME, True),
    ({"name": "王偉", "id_number": _OTHER_ID, "mobile": "13900999999"}, Evidence.ADDRESS_SAME, True),
    ({"name": "王玮", "id_number": _OTHER_ID, "address": ""}, Evidence.MOBILE_SAME, True),
    ({"name": "王玮", "id_number": _OTHER_ID, "mobile": "13900999999"}, Evidence.ADDRESS_SAME, True),
    ({"name": "Wang Wei", "name_pinyin": "", "id_number": _OTHER_ID, "address": ""}, Evidence.MOBILE_SAME, True),
    ({"name_pinyin": "WEI WANG", "id_number": _OTHER_ID, "mobile": "1"}, Evidence.ADDRESS_SAME, True),
    ({"name": "王玮", "id_number": _OTHER_ID}, Evidence.MOBILE_SAME, True),
    # ... but not a neighbour's similar address alone, nor either of them for another birth date.
    ({"name": "王偉", "id_number": _OTHER_ID, "mobile": "1", "address": "示例省演示市测试区样例路 13 号"},
     Evidence.ADDRESS_SIMILAR, False),
    ({"name": "王玮", "id_number": _OTHER_ID_1990, "birth_date": "1990-07-02", "address": ""},
     Evidence.MOBILE_SAME, False),
    ({"name": "王伟", "id_number": _OTHER_ID_1990, "birth_date": "1990-07-02", "mobile": "1"},
     Evidence.ADDRESS_SAME, False),
    # Another resident ID with the name and the birth date alone: a stranger.
    ({"name": "王偉", "id_number": _OTHER_ID, "mobile": "1", "address": ""}, Evidence.BIRTH_SAME, False),
]  # fmt: skip


@pytest.mark.parametrize(("change", "evidence", "likely"), PAIRS)
def test_duplicate_rules_on_realistic_variations(change: dict[str, str], evidence: Evidence, likely: bool) -> None:
    found = score_pair(_person(**change), _person())
    assert evidence.value in found.reasons, found
    assert (found.score >= DEFAULT_THRESHOLD) is likely, found


def test_near_miss_homophone_with_another_birth_date_is_not_a_duplicate() -> None:
    # 王伟 and 王玮, born on different days, with their own documents: two people.
    entry = _person(name="王玮", birth_date="1990-07-02", id_number="110101199007021234", mobile="", address="")
    stored = _person(mobile="", address="")
    assert score_pair(entry, stored).score < DEFAULT_THRESHOLD
    entry_passport = dict(entry, id_type="passport", id_number="E7654321")
    assert score_pair(entry_passport, stored).score < DEFAULT_THRESHOLD


def test_people_born_the_same_day_with_passport_numbers_one_apart_are_two_people() -> None:
    first = _person(name="王测试", id_type="passport", id_number="E12345678", mobile="", address="")
    second = dict(first, name="李示例", id_number="E12345679")
    assert score_pair(second, first).score < DEFAULT_THRESHOLD


def test_the_same_name_and_birth_date_with_another_resident_id_is_another_person() -> None:
    entry = _person(id_number="110101198503147777", mobile="", address="")
    assert score_pair(entry, _person(mobile="", address="")).score < DEFAULT_THRESHOLD


def test_a_relative_sharing_mobile_and_address_is_another_person() -> None:
    # A sister 王薇 born the same day (a twin) with her own resident ID, on the family's mobile and address.
    stored = _person(sex="M")
    twin = _person(name="王薇", sex="F", id_number=_OTHER_ID)
    assert score_pair(twin, stored).score < DEFAULT_THRESHOLD
    assert score_pair(dict(twin, sex="M"), stored).score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("key", "mine", "theirs"), [("sex", "M", "F"), ("nationality", "CHN", "USA")])
def test_another_sex_or_nationality_with_another_document_is_another_person(key: str, mine: str, theirs: str) -> None:
    stored = _person(mobile="", address="", **{key: mine})
    entry = _person(id_type="passport", id_number="E12345678", mobile="", address="", **{key: theirs})
    assert score_pair(entry, stored).score < DEFAULT_THRESHOLD
    assert score_pair(dict(entry, **{key: mine}), stored).score >= DEFAULT_THRESHOLD


def test_id_variants_cover_one_wrong_and_two_swapped_characters() -> None:
    stored = _resident("11010119850314123")
    slips = [stored[:i] + ("7" if stored[i] != "7" else "8") + stored[i + 1 :] for i in range(18)]
    slips += [stored[:i] + stored[i + 1] + stored[i] + stored[i + 2 :] for i in range(17) if stored[i] != stored[i + 1]]
    for entry in slips:
        if entry != stored:
            variants = id_number_variants(entry)
            assert stored in variants, entry
            # Only numbers that could be stored are looked up: those with a correct check character.
            assert all(has_gb11643_checksum(v) for v in variants)
    assert "E12345670" in id_number_variants("E12345678")
    assert "E12345687" in id_number_variants("E12345678")


def _resident(first17: str) -> str:
    return first17 + gb11643_check_char(first17)


def test_every_reason_has_words_in_both_languages() -> None:
    for code in [*Evidence, *NameReason]:
        text = reason_text(code.value)
        assert text.en and text.zh and text.en != code.value
