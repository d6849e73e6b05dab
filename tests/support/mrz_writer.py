"""Machine-readable zones for test data: the ICAO 9303 check digit, field padding, the name field, and the lines
of TD1, TD2, TD3 and MRV-B zones.

Written here from the standard (parts 3-7) because the `mrz` package on PyPI is GPLv3, and independent of
desktop_app.ocr.mrz, the reader it tests. The one writer for the image generator (tests/support/id_documents.py),
the MRZ unit tests (tests/unit/mrz_samples.py) and the benchmarks.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol


class MrzData(Protocol):
    """What a zone encodes. Names are MRZ letters with words separated by spaces; sex is M, F, or X (or '<')."""

    @property
    def document_code(self) -> str: ...
    @property
    def issuing_country(self) -> str: ...
    @property
    def surname(self) -> str: ...
    @property
    def given_names(self) -> str: ...
    @property
    def document_number(self) -> str: ...
    @property
    def nationality(self) -> str: ...
    @property
    def birth_date(self) -> date: ...
    @property
    def sex(self) -> str: ...
    @property
    def expiry_date(self) -> date: ...
    @property
    def optional_data(self) -> str: ...


def check_digit(text: str) -> str:
    """ICAO 9303 part 3, 4.9: weights 7-3-1 repeating, digits as themselves, A=10 ... Z=35, '<' = 0; modulo 10."""
    total = 0
    for i, ch in enumerate(text):
        if ch.isdigit():
            v = int(ch)
        elif "A" <= ch <= "Z":
            v = ord(ch) - ord("A") + 10
        elif ch == "<":
            v = 0
        else:
            raise ValueError(f"not an MRZ character: {ch!r}")
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def field(text: str, width: int) -> str:
    """`text` padded with '<' to `width`; ValueError if it does not fit."""
    if len(text) > width:
        raise ValueError(f"{text!r} is longer than its {width}-character MRZ field")
    return text.ljust(width, "<")


def name_field(surname: str, given_names: str, width: int) -> tuple[str, str, str]:
    """The name field, and the surname and given names it actually holds (truncated from the end if needed)."""
    surname = "<".join(surname.split())
    given = "<".join(given_names.split())
    name = f"{surname}<<{given}" if given else surname
    name = name[:width].rstrip("<")
    held_surname, _, held_given = name.partition("<<")
    return name.ljust(width, "<"), held_surname.replace("<", " "), held_given.replace("<", " ").strip()


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def _with_check(text: str) -> str:
    return text + check_digit(text)


def _line2_start(data: MrzData) -> str:
    """Document number, nationality, birth date, sex, expiry date: how line 2 of TD3, TD2 and MRV-B begins."""
    return (
        _with_check(field(data.document_number, 9))
        + field(data.nationality, 3)
        + _with_check(_yymmdd(data.birth_date))
        + _sex(data)
        + _with_check(_yymmdd(data.expiry_date))
    )


def _sex(data: MrzData) -> str:
    return "<" if data.sex == "X" else data.sex


def mrz_lines(data: MrzData, layout: str) -> tuple[list[str], str, str]:
    """The lines of `data`'s zone in `layout` ("td3", "td1", "td2" or "mrvb"), and the surname and given names
    they hold. A TD1 document number longer than nine characters continues in the optional data (ICAO 9303-5);
    a TD1's second optional data field (line 2) is `data.optional_data_2` where `data` has one."""
    number = data.document_number
    head = field(data.document_code, 2) + field(data.issuing_country, 3)
    if layout == "td3":
        name, surname, given = name_field(data.surname, data.given_names, 39)
        optional = field(data.optional_data, 14)
        line2 = _line2_start(data) + optional + ("<" if optional == "<" * 14 else check_digit(optional))
        return [head + name, line2 + check_digit(line2[0:10] + line2[13:20] + line2[21:43])], surname, given
    if layout == "td1":
        name, surname, given = name_field(data.surname, data.given_names, 30)
        if len(number) <= 9:
            line1 = head + _with_check(field(number, 9)) + field(data.optional_data, 15)
        else:  # the check digit covers the whole number and follows its last character
            line1 = head + number[:9] + "<" + field(f"{number[9:]}{check_digit(number)}<{data.optional_data}", 15)
        line2 = (
            _with_check(_yymmdd(data.birth_date))
            + _sex(data)
            + _with_check(_yymmdd(data.expiry_date))
            + field(data.nationality, 3)
            + field(getattr(data, "optional_data_2", ""), 11)  # optional data of line 2, empty on most cards
        )
        line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
        return [line1, line2, name], surname, given
    if layout == "td2":
        name, surname, given = name_field(data.surname, data.given_names, 31)
        line2 = _line2_start(data) + field(data.optional_data, 7)
        return [head + name, line2 + check_digit(line2[0:10] + line2[13:20] + line2[21:35])], surname, given
    if layout == "mrvb":  # a visa: eight optional characters and no composite check digit
        name, surname, given = name_field(data.surname, data.given_names, 31)
        return [head + name, _line2_start(data) + field(data.optional_data, 8)], surname, given
    raise ValueError(f"unknown MRZ layout {layout!r}")
