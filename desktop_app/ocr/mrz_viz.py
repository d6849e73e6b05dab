"""The visual zone of an MRZ document (the printed page above the zone) as a second reading of the fields the
zone holds: surname, given names, document number and dates.

The page is read once, as a whole (layouts differ from issuer to issuer), and each field the zone gave is looked
for in it. The printed page is another font, printed and read apart from the zone, so the two readings fail
independently: where they agree the field is confirmed, where the page holds a value close to the zone's but not
the same, the field is to be checked. Where the page shows nothing like the field (a card's back without names, a
label in another script) there is no evidence either way.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from desktop_app.ocr.cn_id_fields import edit_distance
from desktop_app.ocr.tesseract_engine import OcrLine, OcrWord

__all__ = [
    "Agreement",
    "VisualZone",
    "compare_date",
    "compare_name",
    "compare_number",
    "lookalikes_only",
    "page_number",
    "page_spelling",
    "visual_zone",
]


class Agreement(Enum):
    AGREES = "agrees"
    DISAGREES = "disagrees"
    SILENT = "silent"  # the page shows nothing to compare


@dataclass(frozen=True)
class VisualZone:
    """What the printed page says: runs of capitalised words (values, not labels), every word, and the dates."""

    segments: tuple[str, ...]
    words: frozenset[str]
    # (year, month, day); the year as printed, four digits or two
    dates: tuple[tuple[int, int, int], ...]


# Words that label a field rather than hold one, in the languages the zone's issuers print most; a run of capitals
# may begin with them ("SURNAME / NOM VAN DER BERG").
_LABEL_WORDS = frozenset(
    {
        *("SURNAME", "SURNAMES", "NAME", "NAMES", "GIVEN", "FIRST", "LAST", "FAMILY", "NOM", "NOMS", "PRENOM"),
        *("PRENOMS", "APELLIDOS", "NOMBRES", "NACHNAME", "VORNAMEN", "COGNOME", "NOME", "NOMI", "ACHTERNAAM"),
        *("VOORNAMEN", "NAZWISKO", "IMIONA", "NO", "NUMBER", "DOCUMENT", "PASSPORT", "CARD"),
    }
)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "JAN JANV ENE GEN",
            "FEB FEV FEVR",
            "MAR MARS MRZ",
            "APR AVR ABR",
            "MAY MAI MAG",
            "JUN JUIN",
            "JUL JUIL LUG",
            "AUG AOUT AGO",
            "SEP SEPT SET",
            "OCT OKT OTT",
            "NOV",
            "DEC DEZ DIC DIS",
        )
    )
    for m in names.split()
}
_DATE_WORDS = re.compile(r"\b(\d{1,2})\s*([A-Z]{3,4})[A-Z]*(?:\s*/\s*[A-Z]+)?\s*(\d{4}|\d{2})\b")
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})\b")
_DATE_ISO = re.compile(r"\b(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})\b")
_COLUMN_GAP = 1.5  # a gap this many line heights wide separates two columns


# Latin letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"Ø": "O", "ø": "O", "Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE", "ß": "SS", "Ł": "L"})


def _plain(text: str) -> str:
    """Upper case, accents dropped (MÜLLER as MULLER), only letters, digits and spaces kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return re.sub(r"[^A-Z0-9 ]+", "", kept)


def _is_label(word: str) -> bool:
    """A word printed in lower case is a label ("Surname", "Date of birth"): values are printed in capitals."""
    return any(c.islower() for c in word)


def _segments(words: Sequence[OcrWord]) -> list[str]:
    """The runs of capitalised words on one line, split at labels, colons and gaps wide enough to be columns."""
    height = max((w.box[3] - w.box[1] for w in words), default=0) or 1
    runs: list[list[str]] = [[]]
    previous_right: int | None = None
    for word in words:
        if previous_right is not None and word.box[0] - previous_right > _COLUMN_GAP * height:
            runs.append([])
        previous_right = word.box[2]
        if _is_label(word.text):
            runs.append([])
            continue
        plain = _plain(word.text)
        if plain:
            runs[-1].append(plain)
        if word.text.endswith((":", "/")):
            runs.append([])
    segments = []
    for run in runs:
        while run and run[0] in _LABEL_WORDS:
            run = run[1:]
        if run:
            segments.append(" ".join(run))
    return segments


def _dates(text: str) -> list[tuple[int, int, int]]:
    found = []
    for match in _DATE_WORDS.finditer(text):
        month = _MONTHS.get(match.group(2)[:4]) or _MONTHS.get(match.group(2)[:3])
        if month:
            found.append((int(match.group(3)), month, int(match.group(1))))
    for match in _DATE_NUMERIC.finditer(text):
        found.append((int(match.group(3)), int(match.group(2)), int(match.group(1))))
    for match in _DATE_ISO.finditer(text):
        found.append((int(match.group(1)), int(match.group(2)), int(match.group(3))))
    return [(y, m, d) for y, m, d in found if 1 <= m <= 12 and 1 <= d <= 31]


# A Chinese passport prints the name in characters before its pinyin (张  ZHANG); an English reading makes a letter
# or three of each character. Such a run's pinyin is its last word, after at most this many such short words.
_LOCAL_NAME_WORDS = 2
_LOCAL_NAME_WORD_LENGTH = 3


def _without_local_name(segment: str) -> str | None:
    words = segment.split()
    if len(words) < 2 or len(words) - 1 > _LOCAL_NAME_WORDS:
        return None
    if any(len(w) > _LOCAL_NAME_WORD_LENGTH for w in words[:-1]):
        return None
    return words[-1]


def visual_zone(lines: Iterable[OcrLine], *, local_names: bool = False) -> VisualZone:
    """The page's text lines (Tesseract's words with their boxes) as segments, words and dates. With
    `local_names` (a Chinese passport), a run that ends in a pinyin word after a name in characters also counts as
    that word alone."""
    segments: list[str] = []
    words: set[str] = set()
    dates: list[tuple[int, int, int]] = []
    for line in lines:
        found = _segments(line.words)
        if local_names:
            found += [w for w in map(_without_local_name, found) if w is not None]
        segments += found
        words |= {p for w in line.words for p in _plain(w.text).split()}
        dates += _dates(" ".join(w.text.upper() for w in line.words))
    return VisualZone(tuple(segments), frozenset(words), tuple(dict.fromkeys(dates)))


def _near(a: str, b: str) -> bool:
    """Close enough to be two readings of one name: one or two edits, and fewer than a third of the letters."""
    distance = edit_distance(a, b)
    return 0 < distance <= 2 and distance * 3 < max(len(a), len(b))


def compare_name(value: str, other: str, zone: VisualZone) -> Agreement:
    """The page against a name part the zone gave (`other` is the other part, surname or given names): agrees
    where a run of capitals on the page is exactly the name; disagrees where one is nearly the name and nearer to
    it than to the other part."""
    if not value:
        return Agreement.SILENT
    if value in zone.segments:
        return Agreement.AGREES
    for segment in zone.segments:
        if _near(segment, value) and segment != other and edit_distance(segment, value) < edit_distance(segment, other):
            return Agreement.DISAGREES
    return Agreement.SILENT


# Letters Tesseract confuses in OCR-B's zone where the printed page's sans-serif face leaves no doubt: OCR-B's I has
# bars top and bottom, and read with the top one faint it becomes an L (CHOI read as CHOL).
# OCR-B's I (serifs top and bottom) read as L, or as T where its foot is faint (JIANG read JTANG).
_ZONE_CONFUSIONS = frozenset({frozenset("IL"), frozenset("IT")})


def page_spelling(value: str, zone: VisualZone) -> str | None:
    """The page's spelling of a name the zone misread in a way OCR-B invites (an I read as L): a run of capitals
    of the same length that differs from `value` only in such letters; None where there is none, or several."""
    found = {
        segment
        for segment in zone.segments
        if len(segment) == len(value)
        and segment != value
        and all(a == b or frozenset((a, b)) in _ZONE_CONFUSIONS for a, b in zip(segment, value, strict=True))
    }
    return found.pop() if len(found) == 1 else None


# Characters a text reader confuses on the printed page (a proportional font, no whitelist): a page that differs
# from a confirmed zone only in these has been misread, not the zone.
_PAGE_LOOKALIKES = frozenset(
    frozenset(p) for p in ("0O", "0D", "0Q", "0U", "1I", "1L", "2Z", "3Z", "5S", "6G", "8B", "4A", "7T", "3J", "IL")
)
# And what eng misreads in the zone's OCR-B: 6, 9 and O, 3 and 8 (an independent tester's zones, F6PFC0DS6 read
# FOPFCODS6); T and 1 as I or T, 6 as E, D as O (the development split's, 60W6DV6ZA read 6QWEDVEZA). A page word
# that differs from a zone failing its check only in either kind, and passes it, is offered. Not the other way: a
# zone a check digit confirmed is not let off a page showing 3 where it read 8.
_ZONE_LOOKALIKES = _PAGE_LOOKALIKES | frozenset(frozenset(p) for p in ("6O", "9O", "38", "IT", "1T", "6E", "DO"))
_MIN_NUMBER = 6


def lookalikes_only(a: str, b: str, pairs: frozenset[frozenset[str]] = _PAGE_LOOKALIKES) -> bool:
    """Whether two values of the same length differ only in characters a text reader confuses (O and 0...)."""
    if len(a) != len(b) or a == b:
        return False
    return all(x == y or frozenset((x, y)) in pairs for x, y in zip(a, b, strict=True))


def page_number(value: str, zone: VisualZone, holds: Callable[[str], bool]) -> str | None:
    """The one word on the page that differs from the zone's document number in look-alikes only, or in two
    characters at most, and on which the zone's check digit (`holds`) holds: the number as printed, where the
    zone's own reading failed its check (two readings and the check digit agree on it). Failing that, the one
    number pieced together from the zone's reading and such a word (or the page's word the same as the zone's)
    that passes (_pieced_number). None when there is none, or more than one.

    Two characters of any kind: eng misreads OCR-B in ways no list holds (an independent tester's 270ETR956 read
    270ETRI56); the page's word, read apart in another font, and the check digit, which a wrong word passes one
    time in ten, must both say so."""

    def near(word: str) -> bool:
        if lookalikes_only(word, value, _ZONE_LOOKALIKES):
            return True
        return len(word) == len(value) and 0 < sum(a != b for a, b in zip(word, value, strict=True)) <= 2

    found = {word for word in zone.words if near(word) and holds(word)}
    if found:
        return found.pop() if len(found) == 1 else None
    return _pieced_number(value, [word for word in zone.words if word == value or near(word)], holds)


# Both the zone's OCR-B and the page's fonts draw 0 and O nearly alike: where either reading shows one, the other
# may be printed. At most this many such places are opened, so that few readings are tried (each one tried is a
# chance in ten that a wrong one passes the check).
_ROUND_PAIR = frozenset("0O")
_MOST_OPEN_ROUNDS = 3


def _pieced_number(value: str, words: Sequence[str], holds: Callable[[str], bool]) -> str | None:
    """The one number pieced together from the zone's reading and a page word near it that the check digit holds
    on, where neither does: each place takes the zone's character or the page's, and a 0 or O in either may be
    the other. Ranked by the places where both readings agreed and the number says otherwise: the fewest wins,
    if no other passing number has as few. An independent development zone WG0S87OBL read WGOS870BL, its page
    WG0S870BL: each has one of the two round characters wrong.

    Written here, not found in a library: it is the zone's check digit and two readings of one field."""
    if holds(value):
        return None  # the zone's own reading passes: another that passes too settles nothing
    passing: dict[str, int] = {}
    for word in words:
        choices: list[list[tuple[str, int]]] = []
        for zone_char, page_char in zip(value, word, strict=True):
            options = {zone_char: 0, page_char: 0}
            if {zone_char, page_char} & _ROUND_PAIR:
                agreed = zone_char == page_char
                options.update({c: options.get(c, int(agreed)) for c in _ROUND_PAIR})
            choices.append(list(options.items()))
        if sum(len(options) > 1 for options in choices) > _MOST_OPEN_ROUNDS:
            continue
        for picked in itertools.product(*choices):
            number = "".join(c for c, _ in picked)
            if number != value and holds(number):
                cost = sum(k for _, k in picked)
                passing[number] = min(cost, passing.get(number, cost))
    if not passing:
        return None
    ranked = sorted(passing.items(), key=lambda item: item[1])
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def compare_number(value: str, zone: VisualZone, confirmed: bool) -> Agreement:
    """The page against the document number the zone gave: agrees where a word on the page is the number;
    disagrees where one of the same length differs from it in a few characters, up to a third of them (when the
    zone's check digit confirmed the number, in characters other than look-alikes)."""
    if len(value) < _MIN_NUMBER:
        return Agreement.AGREES if value in zone.words else Agreement.SILENT
    if value in zone.words:
        return Agreement.AGREES
    for word in zone.words:
        if len(word) != len(value):
            continue
        differing = sum(a != b for a, b in zip(word, value, strict=True))
        if differing > max(2, len(value) // 3):
            continue
        if confirmed and lookalikes_only(word, value):
            continue
        return Agreement.DISAGREES
    return Agreement.SILENT


def _matches(printed: tuple[int, int, int], day: date) -> bool:
    year, month, dom = printed
    same_year = year == day.year if year >= 100 else year == day.year % 100
    return same_year and (month, dom) == (day.month, day.day)


def _digits(printed: tuple[int, int, int]) -> str:
    year, month, dom = printed
    return f"{year % 100:02d}{month:02d}{dom:02d}"


def _same_day_of_year(printed: tuple[int, int, int], day: date) -> bool:
    """Whether the printed date falls within a day of `day`'s month and day, in any year."""
    _, month, dom = printed
    for candidate_year in (2000, 2001):  # a leap year and a common one, for 29 February
        try:
            printed_day = date(candidate_year, month, dom)
            same = day.replace(year=candidate_year)
        except ValueError:
            continue
        if abs((printed_day - same).days) <= 1:
            return True
    return False


def compare_date(value: date, zone: VisualZone, others: Iterable[date] = (), *, expiry: bool = False) -> Agreement:
    """The page against a date the zone gave: agrees where the page prints it; disagrees where the page prints
    a date one or two digits from it (YYMMDD) that is none of the document's other dates (`others`) and, for an
    expiry date, not its issue date (the same day some years before, or the day after)."""
    if any(_matches(printed, value) for printed in zone.dates):
        return Agreement.AGREES
    wanted = value.strftime("%y%m%d")
    known = list(others)
    for printed in zone.dates:
        if any(_matches(printed, other) for other in known):
            continue
        if expiry and _same_day_of_year(printed, value):
            continue
        if 0 < sum(a != b for a, b in zip(_digits(printed), wanted, strict=True)) <= 2:
            return Agreement.DISAGREES
    return Agreement.SILENT
