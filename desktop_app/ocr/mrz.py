"""The text half of the machine-readable-zone reader (ICAO 9303, TD1/TD2/TD3): OCR lines in, fields out, with only
the corrections that a check digit or the zone's own structure can justify."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

import pycountry

__all__ = [
    "MrzField",
    "MrzNotFound",
    "MrzResult",
    "MrzWarning",
    "check_digit",
    "detect_format",
    "parse_mrz",
]

FILLER = "<"
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")

# Letter <-> digit look-alikes in OCR-B with a cost: 1 for the classic pairs, more for the rarer ones.
_LOOKALIKES: tuple[tuple[str, str, float], ...] = (
    ("0", "O", 1.0),
    ("1", "I", 1.0),
    ("2", "Z", 1.0),
    ("5", "S", 1.0),
    ("6", "G", 1.0),
    ("8", "B", 1.0),
    ("0", "D", 1.5),
    ("0", "Q", 1.5),
    ("4", "A", 2.5),
    ("7", "T", 2.5),
    ("1", "L", 2.5),
    ("0", "U", 2.5),
    ("3", "J", 2.5),
)
# The filler '<' is read as one of these letters; K most often.
_FILLER_LOOKALIKES: dict[str, float] = {"K": 1.5, "L": 2.0, "C": 2.0, "E": 2.0, "X": 2.0}
# The search for a reading that satisfies a check digit tries at most one look-alike substitution: each reading tried
# is one more chance for a wrong string to pass (about 1 in 10 per check digit), so a wider search turns misreadings
# into "corrections". A correction is taken only if it costs at most _MAX_CORRECTION_COST and the next one that also
# satisfies the check digit costs _DECISIVE_COST_RATIO times as much; it is never "verified" (_Reader.checked_field).
_MAX_SUBSTITUTIONS = 1
_DECISIVE_COST_RATIO = 1.3
_MAX_CORRECTION_COST = 2.5
_SUSPECT_KEEP_COST = 1.0
_TRANSITION_COST = 1.0


def _value(char: str) -> int:
    return 0 if char == FILLER else int(char, 36)


# Pairs whose values differ by a multiple of 10 (6 and G=16, 1 and L=21, 0 and U=30) give the same check digit:
# a check digit can neither reveal nor correct them, so the search leaves them alone (a suspect one is flagged).
# The same holds for K (=20) and the filler.
# The rarer pairs (4/A, 7/T) are left out of the search too: allowed, they turned other errors into false
# corrections more often than they fixed their own.
_SEARCH_LOOKALIKES = tuple(p for p in _LOOKALIKES if (_value(p[0]) - _value(p[1])) % 10 and p[2] <= 1.5)


def _cheapest(pairs: Sequence[tuple[str, str, float]]) -> dict[str, str]:
    table: dict[str, tuple[str, float]] = {}
    for src, dst, cost in pairs:
        if src not in table or cost < table[src][1]:
            table[src] = (dst, cost)
    return {src: dst for src, (dst, _) in table.items()}


# Where only a digit (or only a letter) can stand, the look-alike is replaced outright: no other reading exists.
_TO_DIGIT = _cheapest([(letter, digit, cost) for digit, letter, cost in _LOOKALIKES])
_TO_LETTER = _cheapest(_LOOKALIKES)
_RARE_DIGIT_LOOKALIKES = frozenset(letter for _, letter, cost in _LOOKALIKES if cost > 1.0)
_SEX_LOOKALIKES = {"H": "M", "N": "M", "P": "F", "K": "<", "L": "<", "C": "<"}

# Codes ICAO 9303 part 3 uses besides ISO 3166 alpha-3 (UTO is the specimen state, Utopia).
_ICAO_CODES = frozenset(
    {"D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "EUE", "RKS", "UTO"}
)

# Letters (and the filler) that OCR of OCR-B confuses in country codes: where a code read is unknown, one such
# substitution that makes it a known code is taken, with a warning.
_CODE_CONFUSIONS: dict[str, str] = {
    "<": "CK",  # a short K is taken for a filler by the glyph-height rule
    "S": "J",
    "J": "S",
    "I": "J",
    "N": "J",
    "O": "D",
    "D": "O",
    "Q": "O",
    "E": "F",
}


def _known_code(code: str) -> bool:
    return code in _ICAO_CODES or pycountry.countries.get(alpha_3=code) is not None


def _repair_code(code: str) -> str | None:
    """The one known country code a single look-alike substitution makes of `code`, if exactly one."""
    found = {
        code[:i] + other + code[i + 1 :]
        for i, c in enumerate(code)
        for other in _CODE_CONFUSIONS.get(c, "")
        if _known_code(code[:i] + other + code[i + 1 :])
    }
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class MrzField:
    """One field as read: `verified` only where a check digit covers it and holds on what was read, and no other
    reading within the search's bound (nor a look-alike the check digit cannot see) would pass too."""

    value: str
    verified: bool
    confidence: float
    corrected: bool
    # Other values the zone could equally hold (other readings that satisfy the check digit, or that a misread
    # filler would give): a second reading of the field, such as the visual zone's, may choose among them.
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class MrzWarning:
    """A stable `code` for the program, an English `message` for the log and the reviewer."""

    code: str
    message: str
    field: str | None = None


@dataclass(frozen=True)
class MrzResult:
    """The fields of one zone; `lines` are the normalised, corrected lines, `raw_lines` the OCR text as given."""

    document_type: str
    fields: dict[str, MrzField]
    composite_ok: bool
    warnings: tuple[MrzWarning, ...]
    raw_lines: tuple[str, ...]
    lines: tuple[str, ...]
    # Other (surname, given names) the name area could hold if a filler-like letter or two in it are misread
    # fillers; the first reading is the fields' own.
    name_readings: tuple[tuple[str, str], ...] = ()

    def value(self, name: str) -> str:
        return self.fields[name].value

    def warning_codes(self, name: str | None = None) -> set[str]:
        """The warning codes, all of them or those about one field."""
        return {w.code for w in self.warnings if name is None or w.field == name}


class MrzNotFound(ValueError):
    """The lines do not have the shape of any machine-readable zone."""


def check_digit(s: str) -> str:
    """The ICAO 9303 check digit of `s`: weights 7-3-1 repeating, 0-9 as themselves, A=10 … Z=35, '<'=0."""
    total = 0
    for i, char in enumerate(s):
        if char.isdigit() and char.isascii():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - ord("A") + 10
        elif char == FILLER:
            value = 0
        else:
            raise ValueError(f"{char!r} cannot appear in a machine-readable zone")
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


# -- layouts -----------------------------------------------------------------------------------------------------


class _Kind(Enum):
    LETTERS = "letters"
    DIGITS = "digits"
    ANY = "any"


@dataclass(frozen=True)
class _Slot:
    name: str
    line: int
    start: int
    end: int
    kind: _Kind
    check: int | None = None  # position of the field's check digit, on the same line


@dataclass(frozen=True)
class _Format:
    name: str
    lines: int
    length: int
    slots: tuple[_Slot, ...]
    composite: tuple[int, int] | None  # None for visas (MRV-A, MRV-B): they have no composite check digit
    composite_spans: tuple[tuple[int, int, int], ...]
    # Where a document number longer than nine characters continues: (line, position of the '<' in the check
    # position, start and end of the optional data that holds the rest and its check digit).
    long_number: tuple[int, int, int, int] | None

    def slot(self, name: str) -> _Slot:
        return next(s for s in self.slots if s.name == name)


_L, _D, _A = _Kind.LETTERS, _Kind.DIGITS, _Kind.ANY
_FORMATS: tuple[_Format, ...] = (
    _Format(
        "mrz_td3",
        2,
        44,
        (
            _Slot("document_code", 0, 0, 2, _L),
            _Slot("issuing_country", 0, 2, 5, _L),
            _Slot("name", 0, 5, 44, _L),
            _Slot("document_number", 1, 0, 9, _A, check=9),
            _Slot("nationality", 1, 10, 13, _L),
            _Slot("birth_date", 1, 13, 19, _D, check=19),
            _Slot("sex", 1, 20, 21, _L),
            _Slot("expiry_date", 1, 21, 27, _D, check=27),
            _Slot("optional_data", 1, 28, 42, _A, check=42),
        ),
        (1, 43),
        ((1, 0, 10), (1, 13, 20), (1, 21, 43)),
        None,
    ),
    _Format(
        "mrz_td2",
        2,
        36,
        (
            _Slot("document_code", 0, 0, 2, _L),
            _Slot("issuing_country", 0, 2, 5, _L),
            _Slot("name", 0, 5, 36, _L),
            _Slot("document_number", 1, 0, 9, _A, check=9),
            _Slot("nationality", 1, 10, 13, _L),
            _Slot("birth_date", 1, 13, 19, _D, check=19),
            _Slot("sex", 1, 20, 21, _L),
            _Slot("expiry_date", 1, 21, 27, _D, check=27),
            _Slot("optional_data", 1, 28, 35, _A),
        ),
        (1, 35),
        ((1, 0, 10), (1, 13, 20), (1, 21, 35)),
        (1, 9, 28, 35),
    ),
    _Format(
        "mrz_td1",
        3,
        30,
        (
            _Slot("document_code", 0, 0, 2, _L),
            _Slot("issuing_country", 0, 2, 5, _L),
            _Slot("document_number", 0, 5, 14, _A, check=14),
            _Slot("optional_data", 0, 15, 30, _A),
            _Slot("birth_date", 1, 0, 6, _D, check=6),
            _Slot("sex", 1, 7, 8, _L),
            _Slot("expiry_date", 1, 8, 14, _D, check=14),
            _Slot("nationality", 1, 15, 18, _L),
            _Slot("optional_data_2", 1, 18, 29, _A),
            _Slot("name", 2, 0, 30, _L),
        ),
        (1, 29),
        ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
        (0, 14, 15, 30),
    ),
)
_BY_NAME = {f.name: f for f in _FORMATS}
# A line further than this from its format's length is not taken for a line of that format.
_LENGTH_TOLERANCE = 4
_PASSPORT_LENGTH_TOLERANCE = 10
_NOT_A_PASSPORTS_FORMAT = 1000
_FILLER_RUN_LOSS = 8  # characters a line ending in a run of fillers may have lost from it


# -- public entry points -----------------------------------------------------------------------------------------


def field_spans(document_type: str) -> dict[str, tuple[int, int, int]]:
    """Where each field of a layout stands: field name -> (line, start, end); surname and given names share the
    name area."""
    fmt = next(f for f in _FORMATS if f.name == document_type)
    spans = {slot.name: (slot.line, slot.start, slot.end) for slot in fmt.slots}
    spans["surname"] = spans["given_names"] = spans.pop("name")
    return spans


def detect_format(lines: Sequence[str]) -> str | None:
    """'mrz_td3', 'mrz_td2' or 'mrz_td1' from the number and length of the lines; None if no format fits."""
    found = _locate([_clean(line)[0] for line in lines])
    return found[0].name if found else None


def parse_mrz(lines: Sequence[str], today: date) -> MrzResult:
    """The fields of the zone in `lines` (OCR text); dates get the century that fits `today`.

    Raises MrzNotFound when the lines have the shape of no format."""
    warnings: list[MrzWarning] = []
    cleaned: list[str] = []
    for line in lines:
        text, dropped = _clean(line)
        cleaned.append(text)
        if dropped:
            warnings.append(MrzWarning("characters_removed", f"Removed characters that cannot appear: {dropped!r}."))
    found = _locate(cleaned)
    if found is None:
        raise MrzNotFound("No machine-readable zone: expected 2 lines of 44 or 36 characters or 3 lines of 30.")
    fmt, chosen = found
    if chosen[0][:1] == "V" and fmt.name != "mrz_td1":
        fmt = _visa(fmt)
    fitted: list[str] = []
    moved: set[tuple[int, int]] = set()
    for index, line in enumerate(chosen):
        fitted.append(_fit_length(fmt, index, line))
        # Where the fitted line no longer holds what OCR read at the same place: characters that the fit moved,
        # so that a check digit over them holds because a search for it was made, not as read.
        moved |= {(index, p) for p, char in enumerate(fitted[-1]) if p >= len(line) or line[p] != char}
        if len(line) != fmt.length:
            warnings.append(
                MrzWarning(
                    "line_length",
                    f"Line {index + 1} had {len(line)} characters instead of {fmt.length}; fillers were adjusted.",
                )
            )
    return _Reader(fmt, fitted, today, warnings, tuple(lines), frozenset(moved)).read()


# -- normalising and locating the lines --------------------------------------------------------------------------


def _clean(line: str) -> tuple[str, str]:
    """Upper case, no spaces, look-alike filler glyphs as '<'; returns the text and what was dropped."""
    text = unicodedata.normalize("NFKC", line).upper()
    text = text.replace("«", "<<").replace("‹", "<").replace("〈", "<").replace("《", "<<")
    kept, dropped = [], []
    for char in text:
        if char in _ALPHABET:
            kept.append(char)
        elif not char.isspace():
            dropped.append(char)
    return "".join(kept), "".join(dropped)


def _locate(lines: Sequence[str]) -> tuple[_Format, list[str]] | None:
    """The format and the run of consecutive lines that fits it best (OCR may add a stray line above or below)."""
    lines = [line for line in lines if line]
    best: tuple[int, int, _Format, list[str]] | None = None
    for fmt in _FORMATS:
        for start in range(len(lines) - fmt.lines + 1):
            window = lines[start : start + fmt.lines]
            distances = [abs(len(line) - fmt.length) for line in window]
            # A passport's zone (code P) is a TD3 one (ICAO 9303 part 4: TD1 and TD2 hold cards and visas). Its
            # long filler runs lose the most characters: a TD3 zone read with eight fillers lost came nearer 36 than
            # 44 and was read as TD2 (development split, P<BELWILSON<<MARCO...). Read as a passport, it may be
            # shorter still, and any other format comes only where no TD3 reading fits.
            passport = window[0][:1] == "P"
            tolerance = _PASSPORT_LENGTH_TOLERANCE if passport and fmt.name == "mrz_td3" else _LENGTH_TOLERANCE
            # In a zone of three lines (TD1), a line short by more, but ending in fillers, lost fillers of its run at
            # the end (ACITAQKW7607033<<<<<<<<<<< for a line of 30): so many more are allowed it. Not in a zone of
            # two: two of a card's three lines, read without the third, would pass for a TD2 zone.
            run_loss = _FILLER_RUN_LOSS if fmt.lines == 3 else 0
            if any(
                d > tolerance and not (len(line) < fmt.length and line.endswith(FILLER * 3) and d <= run_loss)
                for d, line in zip(distances, window, strict=True)
            ):
                continue
            # Fewer, closer lines first; a format that uses more of the lines wins a tie. A line without a filler
            # counts against its window: the page's print above a zone (UNITEDSTATESCREWMEMBERCERTIFICATE, read as
            # a TD1 line of 30) has none, where a zone's lines nearly always do (a name line always).
            fillerless = _FILLERLESS_LINE * sum(1 for line in window if FILLER not in line)
            foreign = _NOT_A_PASSPORTS_FORMAT if passport and fmt.name != "mrz_td3" else 0
            key = (sum(distances) + foreign + fillerless, -fmt.lines)
            if best is None or key < best[:2]:
                best = (*key, fmt, window)
    return (best[2], best[3]) if best else None


_FILLERLESS_LINE = 2  # characters of length difference a window's line without a filler weighs


def _visa(fmt: _Format) -> _Format:
    """A visa's layout on the same lines (ICAO 9303 part 7): the optional data runs to the end of line 2, where a
    passport or card has its composite check digit."""
    slots = tuple(
        replace(slot, end=fmt.length, check=None) if slot.name == "optional_data" else slot for slot in fmt.slots
    )
    return replace(fmt, slots=slots, composite=None, composite_spans=(), long_number=None)


def _line_score(fmt: _Format, index: int, line: str) -> int:
    """How many check digits that lie wholly on this line hold (letters read as digits where only digits go)."""
    if len(line) != fmt.length:
        return -1
    score = 0
    for slot in fmt.slots:
        if slot.line == index and slot.name in ("issuing_country", "nationality"):
            score += _known_code(line[slot.start : slot.end].rstrip(FILLER))  # a shifted line breaks the codes
        if slot.line == index and slot.check is not None:
            value = "".join(_TO_DIGIT.get(c, c) if slot.kind is _D else c for c in line[slot.start : slot.end])
            score += _holds(value, _TO_DIGIT.get(line[slot.check], line[slot.check]))
    if (
        fmt.composite is not None
        and fmt.composite[0] == index
        and all(span[0] == index for span in fmt.composite_spans)
    ):
        value = "".join(line[start:end] for _, start, end in fmt.composite_spans)
        score += _holds(value, _TO_DIGIT.get(line[fmt.composite[1]], line[fmt.composite[1]]))
    return score


def _fit_length(fmt: _Format, index: int, line: str) -> str:
    """The line at the format's length: OCR drops or adds fillers, so fillers are added or removed where the
    check digits on the line agree best, in the filler run nearest the end when nothing decides."""
    length = fmt.length
    if len(line) == length:
        return line
    # The last line of a passport's or card's zone ends with the composite digit.
    ends_in_digit = fmt.composite is not None and fmt.composite[0] == index
    runs = [m.span() for m in re.finditer("<+", line)][::-1]
    candidates: list[str] = []
    if len(line) < length:
        fill = FILLER * (length - len(line))
        at_runs = [line[:end] + fill + line[end:] for _, end in runs]
        candidates = [*at_runs, line + fill] if ends_in_digit else [line + fill, *at_runs]
        if len(fill) == 1:
            candidates += [line[:i] + FILLER + line[i:] for i in range(len(line) + 1)]
    else:
        extra = len(line) - length
        at_runs = [line[: end - extra] + line[end:] for start, end in runs if end - start >= extra]
        candidates = [*at_runs, line[:length]] if ends_in_digit else [line[:length], *at_runs]
        if extra == 1:
            candidates += [line[:i] + line[i + 1 :] for i in range(len(line))]
    candidates = [c[:length].ljust(length, FILLER) for c in candidates]
    # max() keeps the first of equals, so the order above is the preference when the check digits cannot decide.
    return max(candidates, key=lambda c: _line_score(fmt, index, c))


# -- check digits and the correction search ----------------------------------------------------------------------


def _holds(value: str, check: str) -> bool:
    """Whether `check` is the check digit of `value`; '<' stands for a check digit only over an empty field."""
    if check == FILLER:
        return all(c == FILLER for c in value)
    return check.isdigit() and all(c in _ALPHABET for c in value) and check_digit(value) == check


@dataclass(frozen=True)
class _Search:
    value: str
    status: str  # "held", "corrected", "ambiguous", "guessed", "failed"
    substitutions: int = 0
    suspect: bool = False  # the check holds, yet a look-alike sits between two characters of the other kind
    # Other readings within the search's bound that satisfy the check digit as well: while there are any, the
    # check digit cannot say which one is printed.
    alternatives: tuple[str, ...] = ()
    unsettled: bool = False  # the check holds, and so would a 6 for a G (or the reverse) that nothing rules out


def _context(value: str, i: int) -> tuple[int, int]:
    """How many of value[i]'s neighbours (fillers aside) are digits, and how many there are."""
    neighbours = [value[j] for j in (i - 1, i + 1) if 0 <= j < len(value) and value[j] != FILLER]
    return sum(n.isdigit() for n in neighbours), len(neighbours)


def _alternatives(value: str, i: int) -> list[tuple[str, float]]:
    """The likelier true characters behind value[i], with costs; the neighbours' kind makes a letter between
    digits (or a digit between letters) the likelier misreading, and rules out making one."""
    char = value[i]
    digits, count = _context(value, i)
    options: list[tuple[str, float]] = []
    for digit, letter, cost in _SEARCH_LOOKALIKES:
        if char in (digit, letter):
            option = letter if char == digit else digit
            same = digits if option.isdigit() else count - digits
            if i == 0 and option.isalpha():
                # A letter prefix before digits is how many issuers number their documents (O10386605): the
                # first character is as likely a letter as a digit.
                options.append((option, cost))
                continue
            # A digit between two letters (or the reverse) is the less likely reading, not an impossible one:
            # numbers such as L01X00T47 mix them.
            options.append((option, cost * 0.75**same * 1.5 ** (count - same)))
    if char in _FILLER_LOOKALIKES:
        followed_by_filler = i + 1 == len(value) or value[i + 1] == FILLER
        options.append((FILLER, _FILLER_LOOKALIKES[char] * (0.75 if followed_by_filler else 2.0)))
    return options


def _transitions(value: str) -> int:
    """How often the value switches between letters and digits: document numbers switch seldom (letters, then
    digits), so a reading that switches more is the less likely."""
    kinds = [c.isdigit() for c in value if c != FILLER]
    return sum(a != b for a, b in itertools.pairwise(kinds))


def _keep_cost(value: str, i: int) -> float:
    """The cost of leaving value[i] as read: a look-alike letter between two digits (or digit between two
    letters) is itself suspect, so a correction that leaves one in place is the less likely."""
    char = value[i]
    if not any(char in (digit, letter) for digit, letter, _ in _LOOKALIKES):
        return 0.0
    digits, count = _context(value, i)
    other_kind = count - digits if char.isdigit() else digits
    return _SUSPECT_KEEP_COST if count == 2 and other_kind == 2 else 0.0


_LETTERS_ONLY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _search(value: str, check: str, valid: Callable[[str], bool]) -> _Search:
    """The reading of `value` that makes `check` hold: as read, else the cheapest one with one look-alike
    substitution, if the next cheapest costs clearly more. Otherwise nothing is changed: a check digit cannot
    choose between near ties. Every other passing reading within the bound comes back in `alternatives`."""
    if _holds(value, check) and valid(value):
        return _Search(value, "held")
    if not check.isdigit() and check != FILLER:
        return _Search(value, "failed")
    options = [_alternatives(value, i) for i in range(len(value))]
    keep = [_keep_cost(value, i) for i in range(len(value))]
    read_transitions = _transitions(value)
    passing: list[tuple[float, str, int]] = []
    changeable = [i for i, o in enumerate(options) if o]
    for count in range(1, _MAX_SUBSTITUTIONS + 1):
        for positions in itertools.combinations(changeable, count):
            for choice in itertools.product(*(options[i] for i in positions)):
                chars = list(value)
                cost = sum(keep) - sum(keep[i] for i in positions)
                for i, (char, char_cost) in zip(positions, choice, strict=True):
                    chars[i] = char
                    cost += char_cost
                candidate = "".join(chars)
                if _holds(candidate, check) and valid(candidate):
                    # a letter prefix is no extra transition (see _alternatives)
                    extra = max(0, _transitions(candidate.lstrip(_LETTERS_ONLY)) - read_transitions)
                    passing.append((cost + _TRANSITION_COST * extra, candidate, count))
    if not passing:
        return _Search(value, "failed")
    passing.sort()
    others = tuple(candidate for _, candidate, _ in passing[1:])
    if passing[0][0] > _MAX_CORRECTION_COST:
        if len(passing) == 1:
            # One look-alike changed, the only such reading that satisfies the check digit, but an unlikely one (a
            # digit among letters: P3DOZLQIJ for P3D0ZLQIJ, whose O and 0 OCR-B draws nearly alike). The value as
            # read fails its check for certain; this one is offered in its place, to be checked closely, never
            # confirmed, and not written back into the zone (no composite check may build on it).
            return _Search(passing[0][1], "guessed", passing[0][2])
        return _Search(value, "failed", alternatives=tuple(c for _, c, _ in passing))
    if len(passing) > 1 and passing[1][0] < passing[0][0] * _DECISIVE_COST_RATIO:
        return _Search(value, "ambiguous", passing[0][2], alternatives=tuple(c for _, c, _ in passing))
    return _Search(passing[0][1], "corrected", passing[0][2], alternatives=others)


def _suspects(value: str) -> dict[int, str]:
    """Positions holding a look-alike of the other kind than both its neighbours (a G between two digits), or a
    K where fillers would start, with the character suggested instead. A value whose check digit holds is never
    changed for this: 6/G, 1/L, 0/U and K/'<' even give the same check digit, so only a person can tell."""
    found: dict[int, str] = {}
    for i, char in enumerate(value):
        digits, count = _context(value, i)
        if char == "K" and value[i + 1 : i + 2] in ("", FILLER):
            found[i] = FILLER  # K is the usual misreading of '<', and gives the same check digit
        if count < 2 or i == 0 or i == len(value) - 1:
            continue
        for digit, letter, _ in _LOOKALIKES:
            if char == letter and digits == 2:
                found[i] = digit
            elif char == digit and digits == 0:
                found[i] = letter
    return found


# 6 and G (16) give the same check digit, and OCR-B draws them alike (the reader tells them apart by the glyph's
# counter). Neighbours do not settle it either: numbers mix letters and digits anywhere (German passports put
# letters between digits, C01G00T47), so a G between two digits read as a 6 passes as well as the 6. Issue 12's
# rule is that a value is confirmed only when no other reading passes too, so every 6 or G stays "read clearly".
# So does every 8 or S (S is 28): an independent tester's 714SD123 read 7148D123 came out confirmed.
_CHECK_BLIND = {"6": "G", "G": "6", "8": "S", "S": "8"}


def _unsettled(value: str) -> dict[int, str]:
    """Positions holding a 6 or a G, with the other: the check digit cannot tell which of the two is printed."""
    return {i: _CHECK_BLIND[char] for i, char in enumerate(value) if char in _CHECK_BLIND}


def _valid_number(value: str) -> bool:
    return re.fullmatch(r"[A-Z0-9]+<*", value) is not None


def _trailing_fillers_only(value: str) -> bool:
    return re.fullmatch(r"[A-Z0-9]*<*", value) is not None


# -- dates -------------------------------------------------------------------------------------------------------


def _date(yymmdd: str, today: date, *, years_ahead: int) -> date | None:
    """The date in the century that puts it in the 100 years up to `today` (birth dates, years_ahead=0) or up to
    the end of the year `years_ahead` years from now (expiry dates); None if it is no date."""
    if not re.fullmatch(r"\d{6}", yymmdd):
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    latest = today if years_ahead == 0 else date(today.year + years_ahead, 12, 31)
    base = latest.year - latest.year % 100
    for year in (base + yy, base + yy - 100):
        try:
            candidate = date(year, mm, dd)
        except ValueError:  # 29 February is a date in one century and not in the other
            continue
        if candidate <= latest:
            return candidate
    return None


# -- names -------------------------------------------------------------------------------------------------------

_FILLER_LIKE = frozenset(_FILLER_LOOKALIKES)


def _is_noise(token: str, gap: int, first_given_name: bool) -> bool:
    """Whether a trailing token is misread fillers: only K, L, C, E or X, and either one letter, one letter
    repeated, or after a filler run no name can contain (three '<', or a second '<<')."""
    if (
        set(token) <= _FILLER_LIKE | {"S"}
        and len(token) >= 5
        and (token.count("K") >= 2 or re.search(r"(.)\1\1", token))
    ):
        return True  # a long run of misread fillers ("SSSSSSKSE", "KKSKSS"): no name is made of these letters
    if not set(token) <= _FILLER_LIKE:
        return False
    return len(set(token)) == 1 or gap >= 3 or (gap == 2 and not first_given_name)


def _strip_misread_fillers(token: str) -> str:
    """The word without a tail of misread fillers: from a doubled K, C or X, or a tripled letter, to the end
    (names end in 'CK' or 'ELLE', not in 'KK' or 'LLL')."""
    tail = len(token)
    while tail > 0 and token[tail - 1] in _FILLER_LIKE:
        tail -= 1
    for i in range(max(tail, 1), len(token) - 1):
        pair, triple = token[i : i + 2], token[i : i + 3]
        if (pair[0] == pair[1] and pair[0] in "KCX") or (len(triple) == 3 and len(set(triple)) == 1):
            return token[:i]
    return token


@dataclass(frozen=True)
class _Name:
    surname: str
    given_names: str
    surname_corrected: bool
    given_names_corrected: bool
    warnings: tuple[MrzWarning, ...]
    suspect: frozenset[str] = frozenset()  # the fields whose filler structure is broken
    # Other (surname, given names) the area holds if a letter or two in it are misread fillers.
    readings: tuple[tuple[str, str], ...] = ()


def _tokens(area: str) -> tuple[list[str], list[int]]:
    """The words of a name area and the number of fillers before each (0 before the first)."""
    spans = [(m.group(), m.start(), m.end()) for m in re.finditer(r"[^<]+", area)]
    gaps = [0] + [spans[i][1] - spans[i - 1][2] for i in range(1, len(spans))]
    return [t for t, _, _ in spans], gaps


def _split(tokens: list[str], gaps: list[int]) -> tuple[str, str, int]:
    """Surname and given names (words joined by single spaces) and how many '<<' (or longer) runs split them."""
    surname: list[str] = []
    given: list[str] = []
    separators = 0
    for token, gap in zip(tokens, gaps, strict=True):
        separators += gap >= 2
        (given if separators else surname).append(token)
    return " ".join(surname), " ".join(given), separators


def _cleaned_words(area: str) -> tuple[list[str], list[int]]:
    """The words of the area (letters read as digits put back) without the misread fillers after the last one."""
    tokens, gaps = _tokens("".join(_TO_LETTER.get(c, c) for c in area))
    # Once the given names have begun, three fillers or more end the name: whatever follows is misread fillers
    # (ALEXANDRA<<<<<<<<<<GGSK), since no name holds more than one filler between its words.
    separator = next((i for i, gap in enumerate(gaps) if gap >= 2), None)
    if separator is not None:
        end = next((i for i in range(separator + 1, len(tokens)) if gaps[i] >= 3), len(tokens))
        del tokens[end:], gaps[end:]
    while len(tokens) > 1:
        first_given_name = gaps[-1] == 2 and all(gap < 2 for gap in gaps[1:-1])
        if not _is_noise(tokens[-1], gaps[-1], first_given_name):
            break
        tokens.pop()
        gaps.pop()
    if tokens:
        tokens[-1] = _strip_misread_fillers(tokens[-1])
    return tokens, gaps


# Letters OCR makes of a filler ('<' read as K, L, C, E, X, and S at the start of a run): a name word ending in one
# may as well be a shorter name whose first filler was misread (IVAN<< read as IVANK<, MARIA<< as MARIAS<).
_FILLER_LIKE_ENDS = _FILLER_LIKE | {"S"}
_READING_LETTERS = _FILLER_LIKE_ENDS
_MAX_READING_POSITIONS = 14


def _name_readings(area: str, primary: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """The other (surname, given names) the area holds when one or two of its filler-like letters are misread
    fillers: candidates for a second reading of the name (the visual zone's) to choose among."""
    mapped = "".join(_TO_LETTER.get(c, c) for c in area)
    end = len(mapped.rstrip(FILLER))
    positions = [i for i, c in enumerate(mapped[:end]) if c in _READING_LETTERS and i > 0]
    if len(positions) > _MAX_READING_POSITIONS:
        positions = [i for i in positions if FILLER in mapped[i - 1 : i + 2]]  # those beside a filler only
    found: dict[tuple[str, str], None] = {}
    for count in (1, 2):
        for chosen in itertools.combinations(positions[:_MAX_READING_POSITIONS], count):
            chars = list(mapped)
            for i in chosen:
                chars[i] = FILLER
            surname, given, _ = _split(*_cleaned_words("".join(chars)))
            # Only the letters made fillers may go: a reading that loses more (ALEXANDERKCLAIRE made
            # ALEXANDER<<LAIRE, whose LAIRE then reads as noise) is not what the area holds.
            lost = letter_count(primary[0] + primary[1]) - letter_count(surname + given)
            if surname and (surname, given) != primary and lost <= count:
                found[(surname, given)] = None
    return tuple(found)


def letter_count(text: str) -> int:
    """How many letters `text` holds (spaces and fillers aside)."""
    return sum(c.isalpha() for c in text)


def _read_name(area: str) -> _Name:
    """Surname and given names from the name area: '<<' between them, '<' between words, fillers to the end.

    Names carry no check digit, so only the filler structure can correct them: misread fillers after the last
    word (a lone K, L, C, E or X, a run such as 'KKK', or such letters after a run no name contains) are dropped.
    Where the structure is broken, or a word ends in a letter OCR makes of a filler, the field is `suspect`."""
    warnings: list[MrzWarning] = []
    tokens, gaps = _cleaned_words(area)
    surname, given, separators = _split(tokens, gaps)
    as_read_surname, as_read_given, _ = _split(*_tokens(area))
    suspect: set[str] = set()
    if separators > 1:
        warnings.append(
            MrzWarning("name_structure", "The name area has more than one '<<'; check the given names.", "given_names")
        )
        suspect.add("given_names")
    if any(gap >= 3 for gap in gaps[1:]):
        # No name has three fillers inside it: one of them, or a letter beside them, is misread.
        warnings.append(MrzWarning("name_structure", "The name has a run of fillers inside it; check it.", "surname"))
        suspect |= {"surname", "given_names"}
    for field, value, as_read in (("surname", surname, as_read_surname), ("given_names", given, as_read_given)):
        if value != as_read:
            warnings.append(
                MrzWarning(
                    "name_corrected",
                    f"{_label(field)}: misread fillers or digits were corrected ({as_read!r} read); check it.",
                    field,
                )
            )
        if any(word[-1] in _FILLER_LIKE_ENDS for word in value.split()):
            warnings.append(
                MrzWarning(
                    "name_filler_like_end",
                    f"{_label(field)}: a word ends in a letter that may be a misread filler; check it.",
                    field,
                )
            )
            suspect.add(field)
    if area and area[-1] != FILLER:
        field = "given_names" if given else "surname"
        warnings.append(MrzWarning("name_truncated", "The name fills its area and may be truncated.", field))
        suspect.add(field)
    if surname and not given:
        warnings.append(MrzWarning("given_names_missing", "No given names were found; check the name.", "given_names"))
        suspect.add("given_names")
        if " " in surname:  # several words and no '<<': the separator may be misread
            suspect.add("surname")
    return _Name(
        surname,
        given,
        surname != as_read_surname,
        given != as_read_given,
        tuple(warnings),
        frozenset(suspect),
        _name_readings(area, (surname, given)),
    )


# -- reading a located zone --------------------------------------------------------------------------------------

# What the confidences mean to the client (desktop_app.services.scan_fill): "verified" is shown as confirmed, 0.8 and
# above as read clearly, below that as to check with care. Read clearly must be right at least 99.5 times in 100,
# so everything a search, a guess or a broken structure produced stays below 0.8.
_CONFIDENCE_VERIFIED = 1.0
_CONFIDENCE_VERIFIED_MAPPED = 0.97  # a letter where only a digit can stand, replaced, and the check then held
_CONFIDENCE_MAPPED_TWICE = 0.85  # held, with two or more letters replaced by position
_CONFIDENCE_CORRECTED = 0.7  # one look-alike substitution, the only one that satisfies the check digit
_CONFIDENCE_CORRECTED_CLOSE_CALL = 0.5  # the cheapest of several that do
_CONFIDENCE_SUSPECT = 0.6
_CONFIDENCE_REFITTED = 0.6
_CONFIDENCE_UNCHECKED = 0.85
_CONFIDENCE_UNCHECKED_CORRECTED = 0.7
_CONFIDENCE_NAME_SUSPECT = 0.7  # a name whose filler structure is broken
_CONFIDENCE_UNKNOWN_CODE = 0.5
_CONFIDENCE_CHECK_FAILED = 0.3
_CONFIDENCE_AMBIGUOUS = 0.25
_CONFIDENCE_UNREADABLE = 0.0
_CONFIDENCE_DOUBTFUL = 0.3  # anything in lines too little of which reads as a zone
# Of the zone's structural signs (composite check digit, two known country codes, two dates, a sex), how many must
# hold for the lines to be taken for a zone whose check digits mean something.
_PLAUSIBLE_SIGNS = 3


class _Reader:
    def __init__(
        self,
        fmt: _Format,
        lines: list[str],
        today: date,
        warnings: list[MrzWarning],
        raw: tuple[str, ...],
        moved: frozenset[tuple[int, int]] = frozenset(),
    ):
        self.fmt = fmt
        self.moved = moved  # positions the line-length fit moved
        self.refitted_lines = {line for line, _ in moved}
        self.chars = [list(line) for line in lines]
        self.fitted = lines  # before any correction
        self.number_tail: tuple[int, int, int] | None = None  # where a long document number ends: line, start, end
        self.today = today
        self.warnings = warnings
        self.raw = raw
        self.fields: dict[str, MrzField] = {}
        self.mapped: set[tuple[int, int]] = set()  # positions replaced because only a letter / digit fits there
        self.name_readings: tuple[tuple[str, str], ...] = ()

    def text(self, line: int, start: int, end: int) -> str:
        return "".join(self.chars[line][start:end])

    def warn(self, code: str, message: str, field: str | None = None) -> None:
        self.warnings.append(MrzWarning(code, message, field))

    def read(self) -> MrzResult:
        self.map_by_position()
        number_slots = self.number_positions()
        searched: dict[str, _Search] = {}
        for name, (positions, check) in number_slots.items():
            searched[name] = self.verify(name, positions, check)
        self.read_document_number(searched["document_number"], number_slots["document_number"][0])
        for name in ("birth_date", "expiry_date"):
            self.read_date(name, searched[name])
        for name in ("issuing_country", "nationality"):
            self.read_country(name)
        self.read_sex()
        self.read_names()
        self.read_plain("document_code")
        for slot in self.fmt.slots:
            if slot.name.startswith("optional_data"):
                self.read_optional(slot, searched.get(slot.name))
        composite_ok = self.composite()
        self.doubt_an_implausible_zone(composite_ok)
        return MrzResult(
            self.fmt.name,
            self.fields,
            composite_ok,
            tuple(self.warnings),
            self.raw,
            tuple("".join(line) for line in self.chars),
            self.name_readings,
        )

    def doubt_an_implausible_zone(self, composite_ok: bool) -> None:
        """Lines that are not a zone at all (text of the printed page, or a zone read shifted) still satisfy a
        check digit one time in ten: where too little of the zone's structure holds, nothing in it is confirmed
        and nothing is read clearly."""
        signs = (
            composite_ok and self.fmt.composite is not None,
            _known_code(self.fields["issuing_country"].value),
            _known_code(self.fields["nationality"].value),
            bool(self.fields["birth_date"].value),
            bool(self.fields["expiry_date"].value),
            bool(self.fields["sex"].value),
        )
        if sum(signs) >= _PLAUSIBLE_SIGNS:
            return
        self.warn("zone_implausible", "Too little of the zone reads as a zone: check every field.")
        for name, field in self.fields.items():
            self.fields[name] = replace(field, verified=False, confidence=min(field.confidence, _CONFIDENCE_DOUBTFUL))

    def map_by_position(self) -> None:
        """Where only a digit (dates, check digits) or only a letter (codes, names, sex) may stand, a look-alike
        of the other kind is replaced: there is no other reading."""
        digit_positions = set() if self.fmt.composite is None else {self.fmt.composite}
        letter_positions: set[tuple[int, int]] = set()
        for slot in self.fmt.slots:
            positions = {(slot.line, p) for p in range(slot.start, slot.end)}
            if slot.kind is _D:
                digit_positions |= positions
            elif slot.kind is _L and slot.name != "sex":
                letter_positions |= positions
            if slot.check is not None:
                digit_positions.add((slot.line, slot.check))
        for positions, table in ((digit_positions, _TO_DIGIT), (letter_positions, _TO_LETTER)):
            for line, pos in positions:
                char = self.chars[line][pos]
                if char in table:
                    self.chars[line][pos] = table[char]
                    self.mapped.add((line, pos))

    def number_positions(self) -> dict[str, tuple[list[tuple[int, int]], tuple[int, int]]]:
        """For each field with a check digit: the positions of its characters and of its check digit."""
        result: dict[str, tuple[list[tuple[int, int]], tuple[int, int]]] = {}
        for slot in self.fmt.slots:
            if slot.check is not None:
                result[slot.name] = ([(slot.line, p) for p in range(slot.start, slot.end)], (slot.line, slot.check))
        long_number = self.fmt.long_number
        if long_number is not None:
            line, check_pos, start, end = long_number
            rest = self.text(line, start, end)
            if self.chars[line][check_pos] == FILLER and rest[:1] not in ("", FILLER):
                # ICAO 9303: a number longer than nine characters continues in the optional data, its check digit
                # after its last character; the '<' in the usual check position marks this.
                length = len(rest.split(FILLER, 1)[0])
                self.number_tail = (line, start, start + length)
                positions, _ = result["document_number"]
                positions = positions + [(line, p) for p in range(start, start + length - 1)]
                result["document_number"] = (positions, (line, start + length - 1))
        return result

    def verify(self, name: str, positions: list[tuple[int, int]], check_at: tuple[int, int]) -> _Search:
        value = "".join(self.chars[line][p] for line, p in positions)
        check = self.chars[check_at[0]][check_at[1]]
        slot = self.fmt.slot(name)
        if slot.kind is _D:
            # Weights 7, 3 and 1 are prime to 10, so each position has exactly one digit that would satisfy the
            # check digit: a wrong digit cannot be told from the others, and guessing would invent a date.
            if _holds(value, check):
                return _Search(value, "held")
            return _Search(value, "failed")
        count = value.count(FILLER)

        def valid(candidate: str) -> bool:
            if name == "document_number":
                return _valid_number(candidate)
            # Optional data may be all letters and digits (Chinese passports have no filler there), so a filler is
            # only restored beside one read as such, and where fillers then run to the end.
            restored = [i for i, (a, b) in enumerate(zip(value, candidate, strict=True)) if b == FILLER != a]
            beside = all(FILLER in value[max(i - 1, 0) : i] + value[i + 1 : i + 2] for i in restored)
            return candidate.count(FILLER) == count or (beside and _trailing_fillers_only(candidate))

        result = _search(value, check, valid)
        if name == "document_number" and result.status in ("held", "corrected"):
            # A look-alike whose value differs by a multiple of 10 (6/G, 1/L, 0/U, K/'<') gives the same check
            # digit: where the neighbours make the other reading likely, both readings pass.
            blind = tuple(
                candidate
                for i, char in _suspects(result.value).items()
                if _holds(candidate := result.value[:i] + char + result.value[i + 1 :], check) and valid(candidate)
            )
            if blind:
                result = replace(result, suspect=True, alternatives=(*blind, *result.alternatives))
            else:
                other = tuple(
                    candidate
                    for i, char in _unsettled(result.value).items()
                    if _holds(candidate := result.value[:i] + char + result.value[i + 1 :], check) and valid(candidate)
                )
                if other:
                    result = replace(result, unsettled=True, alternatives=(*other, *result.alternatives))
        if result.value != value and result.status != "guessed":
            for (line, p), char in zip(positions, result.value, strict=True):
                self.chars[line][p] = char
        return result

    def touched(self, positions: list[tuple[int, int]]) -> bool:
        return any(p in self.mapped for p in positions)

    def checked_field(
        self, name: str, value: str, result: _Search, positions: list[tuple[int, int]], shown: Callable[[str], str]
    ) -> MrzField:
        """The field for a value under a check digit, with the warning its search calls for. `shown` turns a
        reading of the field's characters into the field's value.

        Verified only where the check digit holds on what was read (a letter where only a digit can stand, read
        as that digit, aside), no other reading within the search's bound passes too, and the line-length fit
        did not move the field: a check digit that holds after a search for it confirms little."""
        mapped = [p for p in positions if p in self.mapped]
        alternatives = tuple(dict.fromkeys(shown(a) for a in result.alternatives if shown(a) != value))
        corrected = bool(mapped) or result.status == "corrected"
        if result.status == "held":
            if result.suspect:
                self.warn(
                    "suspect_character",
                    f"{_label(name)} satisfies its check digit, but so would a reading with a look-alike character "
                    "the check digit cannot tell apart (6/G, 1/L, 0/U, K/'<'); check it against the document.",
                    name,
                )
                return MrzField(value, False, _CONFIDENCE_SUSPECT, corrected, alternatives)
            if any(p in self.moved for p in positions):
                self.warn(
                    "line_refitted",
                    f"{_label(name)} satisfies its check digit only after characters were added to or removed from "
                    "its line; check it against the document.",
                    name,
                )
                return MrzField(value, False, _CONFIDENCE_REFITTED, corrected, alternatives)
            if result.unsettled:
                # The reader tells 6 from G by the glyph's shape before this: read clearly, but the check digit
                # cannot confirm which one it is (nor 8 from S).
                six = bool(set(value) & set("6G"))
                self.warn(
                    "six_or_g" if six else "eight_or_s",
                    f"{_label(name)} satisfies its check digit with a {'6 or a G' if six else '8 or an S'} that the "
                    "check digit cannot tell apart; check that character against the document.",
                    name,
                )
                return MrzField(value, False, _CONFIDENCE_UNCHECKED, corrected, alternatives)
            # A letter replaced by the digit it resembles, where only a digit can stand, is no search: there is no
            # other reading, and one wrong digit always fails the check digit. Two from the rarer pairs (A for 4,
            # T for 7...) are two guesses, which fail together only nine times in ten.
            if sum(self.fitted[line][p] in _RARE_DIGIT_LOOKALIKES for line, p in mapped) > 1:
                return MrzField(value, False, _CONFIDENCE_MAPPED_TWICE, corrected, alternatives)
            confidence = _CONFIDENCE_VERIFIED_MAPPED if mapped else _CONFIDENCE_VERIFIED
            return MrzField(value, True, confidence, corrected, alternatives)
        if result.status == "corrected":
            self.warn(
                "check_digit_corrected",
                f"{_label(name)} was corrected (a look-alike character) to satisfy its check digit; check it.",
                name,
            )
            # Where letters and digits may both stand, a check digit held only after a substitution confirms a
            # guess: the value is offered for checking, never as confirmed.
            confidence = _CONFIDENCE_CORRECTED_CLOSE_CALL if alternatives else _CONFIDENCE_CORRECTED
            return MrzField(value, False, confidence, True, alternatives)
        if result.status == "guessed":
            self.warn(
                "check_digit_guessed",
                f"{_label(name)} fails its check digit as read; the one reading with a look-alike character changed "
                "that satisfies it is shown. Check it closely against the document.",
                name,
            )
            return MrzField(value, False, _CONFIDENCE_AMBIGUOUS, True, alternatives)
        if result.status == "ambiguous":
            self.warn(
                "ambiguous_correction",
                f"{_label(name)} fails its check digit and more than one correction would satisfy it; check it "
                "against the document.",
                name,
            )
            return MrzField(value, False, _CONFIDENCE_AMBIGUOUS, corrected, alternatives)
        self.warn("check_failed", f"{_label(name)} fails its check digit; check it against the document.", name)
        return MrzField(value, False, _CONFIDENCE_CHECK_FAILED, corrected, alternatives)

    def read_document_number(self, result: _Search, positions: list[tuple[int, int]]) -> None:
        value = result.value.rstrip(FILLER)
        check_line, check_pos = self.fmt.slot("document_number").line, self.fmt.slot("document_number").check
        assert check_pos is not None
        self.fields["document_number"] = self.checked_field(
            "document_number", value, result, [*positions, (check_line, check_pos)], lambda v: v.rstrip(FILLER)
        )

    def read_date(self, name: str, result: _Search) -> None:
        slot = self.fmt.slot(name)
        assert slot.check is not None
        positions = [(slot.line, p) for p in [*range(slot.start, slot.end), slot.check]]
        parsed = _date(result.value, self.today, years_ahead=0 if name == "birth_date" else 20)
        if parsed is None:
            self.warn("invalid_date", f"{_label(name)} {result.value!r} is not a date.", name)
            self.fields[name] = MrzField("", False, _CONFIDENCE_UNREADABLE, self.touched(positions))
            return
        self.fields[name] = self.checked_field(name, parsed.isoformat(), result, positions, lambda v: v)

    def read_country(self, name: str) -> None:
        slot = self.fmt.slot(name)
        raw = self.text(slot.line, slot.start, slot.end)
        code = raw.rstrip(FILLER)
        positions = [(slot.line, p) for p in range(slot.start, slot.end)]
        corrected = self.touched(positions)
        # A code the line-length fit moved is one a search placed there.
        unsure = corrected or any(p in self.moved for p in positions)
        confidence = _CONFIDENCE_UNCHECKED_CORRECTED if unsure else _CONFIDENCE_UNCHECKED
        repaired = None if _known_code(code) else _repair_code(raw)
        if repaired is not None:
            self.warn("country_corrected", f"{_label(name)} {raw!r} read; corrected to {repaired!r}; check it.", name)
            code, corrected, confidence = repaired, True, _CONFIDENCE_UNCHECKED_CORRECTED
        elif not _known_code(code):
            self.warn("unknown_country", f"{_label(name)} {raw!r} is not a known country code.", name)
            confidence = _CONFIDENCE_UNKNOWN_CODE
        self.fields[name] = MrzField(code, False, confidence, corrected)

    def read_sex(self) -> None:
        slot = self.fmt.slot("sex")
        char = self.chars[slot.line][slot.start]
        read = _SEX_LOOKALIKES.get(char, char)
        if read not in ("M", "F", "X", FILLER):
            self.warn("sex_unreadable", f"Sex {char!r} is not M, F or '<'.", "sex")
            self.fields["sex"] = MrzField("", False, _CONFIDENCE_UNREADABLE, False)
            return
        self.chars[slot.line][slot.start] = read
        corrected = read != char
        unsure = corrected or (slot.line, slot.start) in self.moved
        confidence = _CONFIDENCE_UNCHECKED_CORRECTED if unsure else _CONFIDENCE_UNCHECKED
        self.fields["sex"] = MrzField("X" if read == FILLER else read, False, confidence, corrected)

    def read_names(self) -> None:
        slot = self.fmt.slot("name")
        area = self.fitted[slot.line][slot.start : slot.end]
        name = _read_name(area)
        suspect = set(name.suspect)
        if slot.line in self.refitted_lines:
            # OCR lost or added characters on the name's line, and no check digit says where: in the name as
            # likely as in the fillers (MOHAMMED read as OHAMED).
            suspect |= {"surname", "given_names"}
        self.name_readings = name.readings
        for field, value, corrected in (
            ("surname", name.surname, name.surname_corrected),
            ("given_names", name.given_names, name.given_names_corrected),
        ):
            confidence = _CONFIDENCE_UNCHECKED_CORRECTED if corrected else _CONFIDENCE_UNCHECKED
            if field in suspect:
                confidence = min(confidence, _CONFIDENCE_NAME_SUSPECT)
            index = 0 if field == "surname" else 1
            alternatives = tuple(dict.fromkeys(r[index] for r in name.readings if r[index] != value))
            self.fields[field] = MrzField(value, False, confidence, corrected, alternatives)
        self.warnings.extend(name.warnings)

    def read_plain(self, name: str) -> None:
        slot = self.fmt.slot(name)
        corrected = self.touched([(slot.line, p) for p in range(slot.start, slot.end)])
        confidence = _CONFIDENCE_UNCHECKED_CORRECTED if corrected else _CONFIDENCE_UNCHECKED
        self.fields[name] = MrzField(
            self.text(slot.line, slot.start, slot.end).rstrip(FILLER), False, confidence, corrected
        )

    def read_optional(self, slot: _Slot, result: _Search | None) -> None:
        start = slot.start
        if self.number_tail and self.number_tail[:2] == (slot.line, slot.start):
            start = self.number_tail[2]  # after the end of a long document number and its check digit
        value = self.text(slot.line, start, slot.end).strip(FILLER)
        if result is None:  # no check digit of its own: only the composite covers it
            self.fields[slot.name] = MrzField(value, False, _CONFIDENCE_UNCHECKED, False)
            return
        assert slot.check is not None
        positions = [(slot.line, p) for p in [*range(slot.start, slot.end), slot.check]]
        self.fields[slot.name] = self.checked_field(
            slot.name, value, result, positions, lambda v: v[start - slot.start :].strip(FILLER)
        )

    def composite(self) -> bool:
        if self.fmt.composite is None:
            return True  # a visa: nothing to check
        value = "".join(self.text(*span) for span in self.fmt.composite_spans)
        line, pos = self.fmt.composite
        ok = _holds(value, self.chars[line][pos])
        if not ok:
            self.warn(
                "composite_failed",
                "The composite check digit fails: a character outside the checked fields, or a check digit, is "
                "misread; check the document number and dates.",
            )
        return ok


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()
