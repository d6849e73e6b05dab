"""The one normaliser: turns what a clerk typed, a file held or OCR read into the canonical form stored,
validated and compared in dual entry. Normalising twice gives the same result as normalising once.

A value that cannot be put into canonical form (an impossible date, an amount with three decimals) is
returned tidied but otherwise as given, so the validator can say what is wrong with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, localcontext

import phonenumbers

from desktop_app.domain.choices import Choice
from desktop_app.domain.form_schema import FieldSpec, FieldType, FormSchema
from desktop_app.domain.han import HAN_CLASS

LONG_TERM = "长期"
"""The value of a validity end date printed as 长期 (no expiry)."""

# Format characters that copy-and-paste and OCR leave in text and that nobody means to type.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


# Full-width punctuation that is the ordinary form in Chinese writing: folding it to ASCII would change how a
# name, an address or a reason reads ("地址与证件不符（示例）"). Values that are codes, numbers or dates fold
# it too (_fold).
_CHINESE_PUNCTUATION = frozenset("！（），：；？")
_AROUND_CHINESE_PUNCTUATION = re.compile(f"([{''.join(sorted(_CHINESE_PUNCTUATION))}])")


def normalise_text(raw: str) -> str:
    """`raw` in NFKC (full-width letters, digits and symbols become half-width; the full-width punctuation of
    Chinese writing, ！（），：；？, stays), without invisible or control characters, stripped, and with each
    run of whitespace made one space."""
    text = raw.translate(_INVISIBLE)
    text = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc")
    parts = _AROUND_CHINESE_PUNCTUATION.split(text)
    text = "".join(part if part in _CHINESE_PUNCTUATION else unicodedata.normalize("NFKC", part) for part in parts)
    return " ".join(text.split())


def _fold(raw: str) -> str:
    """normalise_text with the Chinese punctuation folded to ASCII as well: for codes, numbers and dates."""
    return " ".join(unicodedata.normalize("NFKC", normalise_text(raw)).split())


# The dots people type between the parts of a transliterated name (阿依古丽·买买提): middle dot, katakana
# middle dot, bullet, hyphenation point, bullet operator, dot operator, full stop.
_NAME_DOTS = "\u00b7\u30fb\u2022\u2027\u2219\u22c5."
_DOT_BETWEEN_HAN = re.compile(rf"(?<={HAN_CLASS}) ?[{re.escape(_NAME_DOTS)}] ?(?={HAN_CLASS})")
_SPACE_BETWEEN_HAN = re.compile(rf"(?<={HAN_CLASS}) (?={HAN_CLASS})")


def _normalise_free_text(raw: str) -> str:
    # Chinese puts no spaces between characters, so a space there is a typing slip that would make two entries
    # of the same name or address differ; any dot between Han characters is the name separator "·".
    text = normalise_text(raw)
    text = _DOT_BETWEEN_HAN.sub("\u00b7", text)
    return _SPACE_BETWEEN_HAN.sub("", text)


def _normalise_pinyin(raw: str) -> str:
    # Upper case, no tone marks, single spaces, hyphens kept (Hong Kong and Taiwan romanisations such as
    # CHAN TAI-MAN use them) without spaces around them. ü becomes YU, as Chinese passports write it (吕 LYU).
    text = _fold(raw)
    for _ in range(8):  # upper-casing and compatibility decomposition can each undo the other (ǰ, ㎏): repeat
        decomposed = unicodedata.normalize("NFKD", text)
        decomposed = re.sub("[uU]\u0308", "YU", decomposed)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()
        if stripped == text:
            break
        text = stripped
    text = "".join("-" if unicodedata.category(ch) == "Pd" else ch for ch in text)
    text = " ".join(text.split())
    return re.sub(r" ?- ?", "-", text)


_DATE_SEPARATED = re.compile(r"([0-9]{4}) ?[-/.年] ?([0-9]{1,2}) ?[-/.月] ?([0-9]{1,2}) ?日?")
_DATE_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def _normalise_date(raw: str) -> str:
    text = _fold(raw)
    found = _DATE_SEPARATED.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if found is None:
        return text
    try:
        return date(int(found[1]), int(found[2]), int(found[3])).isoformat()
    except ValueError:
        return text


_LONG_TERM_SPELLINGS = frozenset({LONG_TERM, "长期有效", "longterm"})


def _normalise_date_or_long_term(raw: str) -> str:
    text = _fold(raw)
    if re.sub(r"[\s_-]", "", text).casefold() in _LONG_TERM_SPELLINGS:
        return LONG_TERM
    return _normalise_date(text)


def _without_separators(text: str) -> str:
    """`text` without spaces and dashes. Re-composed afterwards: dropping the space in "A ́" (what NFKC makes of
    "A´") leaves a letter and an accent that compose, and normalising again must not change the result."""
    kept = "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Pd")
    return unicodedata.normalize("NFKC", kept)


def _normalise_id_number(raw: str) -> str:
    return unicodedata.normalize("NFKC", _without_separators(_fold(raw)).upper())


_MAINLAND_WITH_COUNTRY_CODE = re.compile(r"86(1[0-9]{10})")


def _normalise_phone(raw: str) -> str:
    # Mainland numbers are stored as dialled at home (13812345678, 01012345678); others in E.164 (+85291234567).
    compact = _without_separators(re.sub(r"[().]", "", _fold(raw)))
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    bare_mainland = _MAINLAND_WITH_COUNTRY_CODE.fullmatch(compact)
    if bare_mainland:
        return bare_mainland[1]
    if not compact.startswith("+"):
        return compact
    try:
        number = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException:
        return compact
    if number.country_code == 86:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return "".join(ch for ch in national if ch.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _normalise_email(raw: str) -> str:
    local, at, domain = _fold(raw).rpartition("@")
    return f"{local}@{domain.lower()}" if at else domain


def _normalise_postal_code(raw: str) -> str:
    # Separators go; anything else stays for the validator to report, rather than being silently dropped.
    return _without_separators(_fold(raw))


_AMOUNT = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|[0-9]+(\.[0-9]*)?|\.[0-9]+")
_CENT = Decimal("0.01")


def _normalise_money(raw: str) -> str:
    text = _fold(raw)
    compact = re.sub(r"^¥|元$", "", text.replace(" ", ""))
    if not _AMOUNT.fullmatch(compact):
        return text
    amount = Decimal(compact.replace(",", ""))
    with localcontext() as context:
        context.prec = len(compact) + 3  # exact for any length, where the default 28 digits would give up
        cents = amount.quantize(_CENT)
    if amount != cents:
        return text  # more than two decimal places: rounding here would change the amount behind the clerk's back
    return f"{cents:f}"


# Lookups from what a clerk may type (a value, or a label in either language, any case) to the choice value,
# kept per choices tuple by identity: a form's tuples live as long as the form, and hashing a 249-country
# tuple on every call would cost more than the lookup.
_CHOICE_LOOKUPS: dict[int, tuple[tuple[Choice, ...], dict[str, str]]] = {}


def _choice_lookup(choices: tuple[Choice, ...]) -> dict[str, str]:
    cached = _CHOICE_LOOKUPS.get(id(choices))
    if cached is not None and cached[0] is choices:
        return cached[1]
    lookup: dict[str, str] = {}
    for choice in choices:
        lookup.setdefault(choice.value, choice.value)
    for key_of in (
        lambda c: c.value.casefold(),
        lambda c: _fold(c.label_text.zh).casefold(),
        lambda c: _fold(c.label_text.en).casefold(),
    ):
        for choice in choices:
            lookup.setdefault(key_of(choice), choice.value)
    if len(_CHOICE_LOOKUPS) > 1000:  # forms parsed again and again (tests, a server) must not pile up
        _CHOICE_LOOKUPS.clear()
    _CHOICE_LOOKUPS[id(choices)] = (choices, lookup)
    return lookup


def _normalise_choice(field: FieldSpec, raw: str) -> str:
    text = _fold(raw)
    lookup = _choice_lookup(field.choices)
    if text in lookup:
        return lookup[text]
    return lookup.get(text.casefold(), text)


_BY_TYPE: dict[FieldType, Callable[[str], str]] = {
    FieldType.TEXT: _normalise_free_text,
    FieldType.TEXTAREA: _normalise_free_text,
    FieldType.PINYIN: _normalise_pinyin,
    FieldType.DATE: _normalise_date,
    FieldType.DATE_OR_LONG_TERM: _normalise_date_or_long_term,
    FieldType.ID_NUMBER: _normalise_id_number,
    FieldType.PHONE: _normalise_phone,
    FieldType.EMAIL: _normalise_email,
    FieldType.POSTAL_CODE: _normalise_postal_code,
    FieldType.MONEY: _normalise_money,
}


def normalise_value(field: FieldSpec, raw: str) -> str:
    """The canonical form of `raw` for this field's type ("" stays ""); idempotent.

    TEXT/TEXTAREA: normalise_text, no spaces between Han characters, "·" between the parts of a Han name.
    PINYIN: upper case, no tone marks, ü as YU, single spaces, hyphens kept without spaces ("ZHANG SAN-FENG").
    DATE: YYYY-MM-DD from 2024-1-5, 2024/01/05, 2024.01.05, 20240105 or 2024年1月5日.
    DATE_OR_LONG_TERM: as DATE, or LONG_TERM for 长期, 长期有效, "long term", "LONG-TERM".
    ID_NUMBER: no spaces or hyphens, upper case. PHONE: mainland 13812345678, others E.164 +85291234567.
    EMAIL: domain in lower case. POSTAL_CODE: no spaces or hyphens. MONEY: "1234.50".
    CHOICE: the choice value, also from a label in Chinese or English or a value in another case.
    """
    if not isinstance(raw, str):  # defensive: an import or OCR caller may hand over None or a number
        raw = "" if raw is None else str(raw)
    if field.type is FieldType.CHOICE:
        return _normalise_choice(field, raw)
    return _BY_TYPE[field.type](raw)


def normalise_record(schema: FormSchema, values: Mapping[str, str]) -> dict[str, str]:
    """Every field of the schema, in form order, normalised; a missing field is "", unknown keys are dropped."""
    return {spec.key: normalise_value(spec, values.get(spec.key, "")) for spec in schema.fields}
