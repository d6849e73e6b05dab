"""Synthetic machine-readable zones for the MRZ reader's unit tests: holders drawn by hypothesis, their zones
written by tests/support/mrz_writer.py (from ICAO 9303, independent of desktop_app.ocr.mrz; the `mrz` package on
PyPI is GPLv3 and is not used), and OCR-style damage."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from hypothesis import strategies as st

from tests.support.mrz_writer import check_digit as reference_check_digit
from tests.support.mrz_writer import mrz_lines


@dataclass(frozen=True)
class Holder:
    """The fields a zone encodes, as the reader must give them back."""

    document_code: str
    issuing_country: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date
    sex: str
    expiry_date: date
    optional_data: str = ""

    def expected(self) -> dict[str, str]:
        return {
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "issuing_country": self.issuing_country,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat(),
        }


def td3(holder: Holder) -> list[str]:
    """A passport zone, 2 lines of 44."""
    return mrz_lines(holder, "td3")[0]


def td2(holder: Holder) -> list[str]:
    """An official travel document zone, 2 lines of 36 (document numbers of up to nine characters)."""
    return mrz_lines(holder, "td2")[0]


def td1(holder: Holder) -> list[str]:
    """An identity card zone, 3 lines of 30; numbers longer than nine characters continue in the optional data."""
    return mrz_lines(holder, "td1")[0]


WRITERS = {"mrz_td3": td3, "mrz_td2": td2, "mrz_td1": td1}
NAME_LENGTH = {"mrz_td3": 39, "mrz_td2": 31, "mrz_td1": 30}

# Obviously synthetic name parts: pinyin-like syllables and made-up words.
SYLLABLES = ("ZHANG", "SAN", "LI", "SI", "WANG", "WU", "ZHAO", "LIU", "CHEN", "YANG", "HUANG", "XIAO", "MING", "HUA")
WORDS = ("TESTER", "SAMPLE", "EXAMPLE", "DUMMY", "PLACEBO", "SPECIMEN", "FICTIVA", "MOCKA", "NOMINA")
TODAY = date(2026, 5, 1)


@st.composite
def holders(draw: st.DrawFn, fmt: str = "mrz_td3", today: date = TODAY) -> Holder:
    """A holder whose names fit the format's name area untruncated and whose dates read back unambiguously."""
    word = st.sampled_from(SYLLABLES + WORDS) | st.builds("".join, st.lists(st.sampled_from(SYLLABLES), max_size=3))
    word = word.filter(bool)
    surname = " ".join(draw(st.lists(word, min_size=1, max_size=2)))
    given = " ".join(draw(st.lists(word, min_size=0, max_size=3)))
    budget = NAME_LENGTH[fmt] - 1  # one filler at least, so the name is not truncated
    if len(surname.replace(" ", "<")) + (len(given) + 2 if given else 0) > budget:
        given = ""
    if len(surname) > budget:
        surname = surname[:budget].rstrip()
    number_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    number = draw(st.text(alphabet=number_alphabet, min_size=1, max_size=9))
    country = draw(st.sampled_from(("CHN", "UTO", "FRA", "DEU", "HKG", "USA", "JPN", "D")))
    birth = draw(st.dates(min_value=date(today.year - 99, 1, 1), max_value=today))
    expiry = draw(st.dates(min_value=date(today.year - 30, 1, 1), max_value=date(today.year + 19, 12, 31)))
    code = draw(st.sampled_from(("P<", "PO")) if fmt == "mrz_td3" else st.sampled_from(("I<", "ID", "AC", "C<")))
    optional_max = {"mrz_td3": 14, "mrz_td2": 7, "mrz_td1": 15}[fmt]
    optional = draw(st.text(alphabet=number_alphabet, max_size=optional_max))
    return Holder(
        document_code=code,
        issuing_country=draw(st.sampled_from((country, "CHN"))),
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=country,
        birth_date=birth,
        sex=draw(st.sampled_from("MFX")),
        expiry_date=expiry,
        optional_data=optional,
    )


def with_char(lines: list[str], line: int, pos: int, char: str) -> list[str]:
    """The zone with one character replaced, as OCR might misread it."""
    damaged = list(lines)
    damaged[line] = damaged[line][:pos] + char + damaged[line][pos + 1 :]
    return damaged


__all__ = ["TODAY", "WRITERS", "Holder", "holders", "reference_check_digit", "replace", "with_char"]
