"""The scan as a third opinion in dual entry: the OCR reading of a record's ID document compared with the values
the two clerks agreed on, for the fields printed on the document. Pure: no Qt, no database, no OCR engine.

A disagreement is a warning for the supervisor ("the scan reads differently"), never a value: the supervisor who
wants to know what the scan says opens the scan itself. Only readings the reader was sure of count as an opinion;
a doubtful reading would turn OCR noise into warnings and teach supervisors to ignore them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desktop_app.domain.comparison import comparison_key
from desktop_app.domain.form_schema import FormSchema
from desktop_app.domain.normaliser import normalise_value
from desktop_app.domain.text import Text

#: The form fields an ID document prints: name, ID number, birth date, sex, address and validity, and also
#: ethnicity (resident ID front) and nationality (a passport's zone), which clerks mis-key too. The ID type, and a
#: resident ID's nationality, are inferred from the document type, not read: the service leaves those readings
#: out (INFERRED). The issuing authority is left out: long, and rarely keyed exactly as printed.
DOCUMENT_FIELDS: tuple[str, ...] = (
    "name",
    "id_number",
    "birth_date",
    "sex",
    "ethnicity",
    "nationality",
    "address",
    "id_valid_from",
    "id_valid_until",
)
#: The source scan_fill gives a value inferred from the document type rather than read from it.
INFERRED = "document_type"

#: A reading counts as an opinion when a check confirmed it (check digit, MRZ cross-check) or its confidence is at
#: least this: the entry form's "read clearly" level (scan_fill.LOW_CONFIDENCE, the same 0.8). The OCR benchmark
#: (README, sealed and development splits) measured 784 values at or above that level with 6 wrong (0.77%);
#: below it the reader is wrong often enough that the form already asks the teller to check the value.
OPINION_CONFIDENCE = 0.8

DIFFERS = Text(en="the scan reads differently", zh="证件扫描识别结果与录入值不一致")


@dataclass(frozen=True)
class Reading:
    """One value the reader found on the document, with how sure it was."""

    value: str
    confidence: float
    verified: bool = False

    @property
    def counts(self) -> bool:
        """Whether this reading is sure enough to be an opinion."""
        return self.verified or self.confidence >= OPINION_CONFIDENCE


@dataclass(frozen=True)
class ScanDisagreement:
    """A document field where a confident reading of the scan differs from the agreed value. No values."""

    field: str
    message: Text = DIFFERS


def disagreements(
    schema: FormSchema, agreed: Mapping[str, str], readings: Mapping[str, Reading]
) -> tuple[ScanDisagreement, ...]:
    """The document fields where a confident reading differs from the agreed value, in DOCUMENT_FIELDS order.

    Both sides go through the one normaliser and the comparison key dual entry uses, so a difference of form
    (full-width digits, 长期, spacing) is no warning. Names are compared exactly too, not by the name matcher:
    a homophone or look-alike character keyed for the one printed is precisely the slip this opinion catches.
    A field the clerks left empty that the document prints is a disagreement; one the reader did not read is not.
    """
    found = []
    for key in DOCUMENT_FIELDS:
        reading = readings.get(key)
        if reading is None or not reading.counts or key not in schema.keys:
            continue
        spec = schema.field(key)
        read = normalise_value(spec, reading.value)
        if not read:
            continue
        if comparison_key(spec, read) != comparison_key(spec, normalise_value(spec, agreed.get(key, ""))):
            found.append(ScanDisagreement(key))
    return tuple(found)


def merge(found: Iterable[tuple[ScanDisagreement, ...]]) -> tuple[ScanDisagreement, ...]:
    """The disagreements of several scans (front and back of a card), each field once, in DOCUMENT_FIELDS order."""
    fields = {d.field for scan in found for d in scan}
    return tuple(ScanDisagreement(key) for key in DOCUMENT_FIELDS if key in fields)
