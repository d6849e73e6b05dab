"""Synthetic machine-readable zones for tests: a small ICAO 9303 writer, written from the standard and independent
of desktop_app.ocr.mrz (the `mrz` package on PyPI is GPLv3 and is not used), and OCR-style damage."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from hypothesis import strategies as st

VALUES = {**{str(d): d for d in range(10)}, **{chr(ord("A") + i): 10 + i for i in range(26)}, "<": 0}


def reference_check_digit(s: str) -> str:
    """ICAO 9303 part 3, 4.9: weights 7, 3, 1 repeating; sum of products modulo 10."""
    return str(sum(VALUES[c] * (7, 3, 1)[i % 3] for i, c in enumerate(s)) % 10)


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


def _field(text: str, length: int) -> str:
    assert len(text) <= length, (text, length)
    return text.ljust(length, "<")


def _name(holder: Holder, length: int) -> str:
    name = holder.surname.replace(" ", "<")
    if holder.given_names:
        name += "<<" + holder.given_names.replace(" ", "<")
    return _field(name, length)


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def _sex(holder: Holder) -> str:
    return "<" if holder.sex == "X" else holder.sex


def _with_check(text: str) -> str:
    return text + reference_check_digit(text)


def td3(holder: Holder) -> list[str]:
    """A passport zone, 2 lines of 44."""
    line1 = _field(holder.document_code, 2) + _field(holder.issuing_country, 3) + _name(holder, 39)
    optional = _field(holder.optional_data, 14)
    optional_check = "<" if not holder.optional_data else reference_check_digit(optional)
    line2 = (
        _with_check(_field(holder.document_number, 9))
        + _field(holder.nationality, 3)
        + _with_check(_yymmdd(holder.birth_date))
        + _sex(holder)
        + _with_check(_yymmdd(holder.expiry_date))
        + optional
        + optional_check
    )
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    return [line1, line2 + reference_check_digit(composite)]


def td2(holder: Holder) -> list[str]:
    """An official travel document zone, 2 lines of 36 (document numbers of up to nine characters)."""
    line1 = _field(holder.document_code, 2) + _field(holder.issuing_country, 3) + _name(holder, 31)
    line2 = (
        _with_check(_field(holder.document_number, 9))
        + _field(holder.nationality, 3)
        + _with_check(_yymmdd(holder.birth_date))
        + _sex(holder)
        + _with_check(_yymmdd(holder.expiry_date))
        + _field(holder.optional_data, 7)
    )
    composite = line2[0:10] + line2[13:20] + line2[21:35]
    return [line1, line2 + reference_check_digit(composite)]


def td1(holder: Holder) -> list[str]:
    """An identity card zone, 3 lines of 30; numbers longer than nine characters continue in the optional data."""
    number = holder.document_number
    if len(number) <= 9:
        head = _with_check(_field(number, 9)) + _field(holder.optional_data, 15)
    else:
        # ICAO 9303-5: the check digit covers the whole number and follows its last character.
        head = number[:9] + "<" + _field(number[9:] + reference_check_digit(number) + "<" + holder.optional_data, 15)
    line1 = _field(holder.document_code, 2) + _field(holder.issuing_country, 3) + head
    line2 = (
        _with_check(_yymmdd(holder.birth_date))
        + _sex(holder)
        + _with_check(_yymmdd(holder.expiry_date))
        + _field(holder.nationality, 3)
        + _field("", 11)
    )
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return [line1, line2 + reference_check_digit(composite), _name(holder, 30)]


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
