"""Screening a customer against a watchlist (domain/watchlist.py): which variants of a listed name are hits, which
near misses are not, and the blocking index losing none of them. All names are synthetic (marker words)."""

from __future__ import annotations

import pytest

from desktop_app.domain.watchlist import (
    DOCUMENT_LISTED,
    EntryKind,
    ScreeningIndex,
    Subject,
    WatchlistEntry,
    birth_dates_agree,
)
from desktop_app.services.watchlist_files import WatchlistFileRefused, read_list_file

LISTED = WatchlistEntry(
    "TST.1", EntryKind.INDIVIDUAL, ("ZHANG CESHIWEI", "张测试伟"), ("1971-03-05",), ("China",), ("E12345678",)
)
LATIN_ONLY = WatchlistEntry("TST.2", EntryKind.INDIVIDUAL, ("OUYANG SHILINA",), ("1980",))
ETHNIC = WatchlistEntry("TST.3", EntryKind.INDIVIDUAL, ("阿依古丽·演示",), ())
ENTITY = WatchlistEntry("TSE.1", EntryKind.ENTITY, ("张测试伟",), ())
ACCENTED = WatchlistEntry("TST.4", EntryKind.INDIVIDUAL, ("José-Ángel Müller-Testé Ørsted",), ("1965-03-03",))
OTHERS = [
    WatchlistEntry(f"TST.9{i}", EntryKind.INDIVIDUAL, (name,), ("1960-01-01",))
    for i, name in enumerate(("王示例", "李演示明", "陈样例华", "LIU CESHI", "赵测试伟"))
]
INDEX = ScreeningIndex.build([LISTED, LATIN_ONLY, ETHNIC, ENTITY, ACCENTED, *OTHERS])


@pytest.mark.parametrize(
    ("subject", "ref"),
    [
        (Subject("张测试伟", "", "1971-03-05"), "TST.1"),  # as listed
        (Subject("張測試偉", "", "1971-03-05"), "TST.1"),  # traditional form
        (Subject("张测试玮", "", "1971-03-05"), "TST.1"),  # homophone
        (Subject("章测试伟", "", "1971-03-05"), "TST.1"),  # homophone surname
        (Subject("Zhang Ceshiwei", "", "1971-03-05"), "TST.1"),  # pinyin, case and spacing
        (Subject("CESHIWEI ZHANG", "", "1971-03-05"), "TST.1"),  # given name first
        (Subject("zhāng cèshìwěi", "", "1971-03-05"), "TST.1"),  # tone marks
        (Subject("ZHANG CESHIWEl", "", "1971-03-05"), "TST.1"),  # one letter wrong
        (Subject("ZANG CESHIWEI", "", "1971-03-05"), "TST.1"),  # near sound zh/z
        (Subject("张测试伟", "", "1971-05-03"), "TST.1"),  # day and month swapped
        (Subject("张测试伟", "", ""), "TST.1"),  # no birth date keyed: the name decides
        (Subject("某某", "", "1990-01-01", "E 1234 5678"), "TST.1"),  # the listed document
        (Subject("欧阳示例娜", "OUYANG SHILINA", "1980-06-01"), "TST.2"),  # Han customer, Latin-only entry
        (Subject("欧阳示例娜", "", "1980-06-01"), "TST.2"),  # compared through the pinyin of the Han name
        (Subject("阿依古丽演示", "", "1985-02-02"), "TST.3"),  # the middle dot left out
        # A European name without its accents, its special letters written out, in another order, a part left off
        # or added (found by the independent check: none of these was a hit)
        (Subject("jose angel muller teste orsted", "", "1965-03-03"), "TST.4"),
        (Subject("Jose-Angel Mueller-Teste Oersted", "", "1965-03-03"), "TST.4"),
        (Subject("ORSTED MULLER TESTE JOSE ANGEL", "", "1965-03-03"), "TST.4"),
        (Subject("Jose Angel MULLER TESTE", "", "1965-03-03"), "TST.4"),
        (Subject("Jose Angel Muller Teste Orsted Lopez", "", "1965-03-03"), "TST.4"),
    ],
)
def test_variants_of_a_listed_name_are_hits(subject: Subject, ref: str) -> None:
    assert ref in [h.entry.ref for h in INDEX.screen(subject)]


@pytest.mark.parametrize(
    "subject",
    [
        Subject("张测试伟", "", "1985-03-05"),  # same name, another birth date
        Subject("欧阳示例娜", "", "1983-06-01"),  # listed with a year only: another year
        Subject("张样例伟", "", "1971-03-05"),  # another given name, same birth date
        Subject("张测试", "", "1971-03-05"),  # a character fewer is another name
        Subject("王测试伟", "", "1971-03-05"),  # another surname
        Subject("JOSE ANGEL", "", "1965-03-03"),  # two parts of five
        Subject("Jose Angel Martinez Teste Orsted", "", "1965-03-03"),  # a part replaced
        Subject("jose angel muller teste orsted", "", "1971-03-03"),  # another birth date
    ],
)
def test_near_misses_are_no_hits(subject: Subject) -> None:
    for ref in ("TST.1", "TST.2", "TST.4"):
        assert ref not in [h.entry.ref for h in INDEX.screen(subject)]


def test_an_entity_is_not_screened_against_a_person() -> None:
    assert "TSE.1" not in [h.entry.ref for h in INDEX.screen(Subject("张测试伟", "", "1971-03-05"))]


def test_a_document_hit_says_so() -> None:
    (hit,) = INDEX.screen(Subject("某某", "", "", "E12345678"))
    assert hit.reasons == (DOCUMENT_LISTED,) and hit.score == 1.0


@pytest.mark.parametrize(
    ("listed", "birth", "agree"),
    [
        ((), "1970-01-01", True),
        (("1970-01-02",), "1970-01-02", True),
        (("1970-01-02",), "1970-02-01", True),
        (("1970-01-02",), "1970-01-03", False),
        (("1970",), "1970-07-07", True),
        (("1970",), "1971-07-07", False),
        (("1968/1972",), "1971-07-07", True),
        (("1968/1972",), "1973-07-07", False),
        (("1970-01-02",), "", True),
    ],
)
def test_birth_dates_contradict_only_when_none_can_be_the_customers(
    listed: tuple[str, ...], birth: str, agree: bool
) -> None:
    assert birth_dates_agree(listed, birth) is agree


def test_a_look_alike_character_keyed_for_the_listed_one_is_a_hit() -> None:
    # 木 keyed (or read by OCR) for 本: one stroke apart; the pinyin differs too (mu / ben).
    listed = WatchlistEntry("TST.8", EntryKind.INDIVIDUAL, ("ZHANG YANGBEN", "张样本"), ("1970-01-01",))
    hits = ScreeningIndex.build([listed]).screen(Subject("张样木", "ZHANG YANGMU", "1970-01-01"))
    assert [(h.entry.ref, h.reasons) for h in hits] == [("TST.8", ("look_alike",))]


@pytest.mark.parametrize("data", [b"", b" \r\n", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("file_name", ["consolidated.xml", "own-list.csv"])
def test_an_empty_list_file_is_refused_as_empty(data: bytes, file_name: str) -> None:
    with pytest.raises(WatchlistFileRefused) as refused:
        read_list_file(data, file_name)
    assert "the file is empty" in refused.value.message("en") and "文件是空的" in refused.value.message("zh_CN")
