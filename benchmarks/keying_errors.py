"""How a bank clerk mis-keys a paper KYC form: the error models of the dual-entry benchmark.

Each model is a pure function of a random.Random, a field's FieldSpec and the value on the paper; it returns a
Slip (the mis-keyed value and the ErrorKind) or None when it cannot apply to that value (no digit to replace,
no character in the homophone table...). Keystroke-level, per field:

* digit substitution: one digit replaced; with probability NEIGHBOUR_SHARE by a key touching it on a numeric
  keypad (KEYPAD_NEIGHBOURS: 7 8 9 / 4 5 6 / 1 2 3 / 0 under 1 and 2), otherwise by any other digit.
* adjacent transposition: two neighbouring, different, non-space characters exchanged ("1385" -> "1358").
* omission: one non-space character dropped.
* insertion: one character keyed twice, or for a digit, with probability STRAY_SHARE, a neighbouring key
  struck with it.
* date, day and month swapped: YYYY-MM-DD keyed as YYYY-DD-MM. When both are 12 or less this is another real
  date that neither the normaliser nor a format check can tell apart; when the day is over 12 it is no date.
* date, two-digit year: "24-03-05", "240305" or "24/3/5", which the normaliser does not expand.
* homophone: one Han character of a free-text field (name, address, issuing authority, employer) replaced
  by a character with the same or a near reading that an input method offers next to it (HOMOPHONES below).
* choice slip: the option next to the right one in a choice list (the row above or below in a drop-down).
* swapped fields: the values of two fields of the same type exchanged (dates count as one type, so
  id_valid_from <-> id_valid_until or birth_date <-> id_valid_from; free text: name <-> employer); see
  swapped_fields. This one works on the whole entry, not one value.
* format only: what the normaliser makes equal again: digits and letters typed with the input method in
  full-width mode, a space between Han characters, a date as 2024年3月5日 or 20240305, pinyin in lower case,
  an e-mail domain in capitals, 长期有效 for 长期. Counted as not-errors.

key_entry() runs one clerk over one form: each field with a value on the paper is mis-keyed with probability
KeyingModel.rate, by a kind drawn by KeyingModel.weights among the kinds that apply to it (a kind that
returns None is set aside and another drawn). A field is mis-keyed at most once per entry, and a blank on the
paper stays blank: no model types into an empty field. Every draw comes from the rng passed in, so a seed
gives the same entries.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from desktop_app.domain.form_schema import FieldSpec, FieldType, FormSchema
from desktop_app.domain.han import is_han
from desktop_app.domain.normaliser import LONG_TERM


class ErrorKind(StrEnum):
    DIGIT_SUBSTITUTION = "digit substitution"
    TRANSPOSITION = "adjacent transposition"
    OMISSION = "omission"
    INSERTION = "insertion / duplication"
    DATE_DAY_MONTH = "date: day and month swapped"
    DATE_TWO_DIGIT_YEAR = "date: two-digit year"
    HOMOPHONE = "homophone character"
    CHOICE_SLIP = "choice slip"
    SWAPPED_FIELDS = "swapped fields"
    FORMAT_ONLY = "format only (normalised away)"


@dataclass(frozen=True)
class Slip:
    """One mis-keyed value and the kind of error that made it."""

    value: str
    kind: ErrorKind


@dataclass(frozen=True)
class Swap:
    """Two fields whose values a clerk keyed into each other's boxes."""

    first: str
    second: str
    kind: ErrorKind = ErrorKind.SWAPPED_FIELDS


# A PC numeric keypad: 7 8 9 / 4 5 6 / 1 2 3 / 0 (double width, under 1 and 2) and "." (under 3). Each digit's
# neighbours are the keys touching it, diagonals included.
KEYPAD_NEIGHBOURS: Mapping[str, str] = {
    "7": "845",
    "8": "79456",
    "9": "856",
    "4": "78512",
    "5": "46827913",
    "6": "95382",
    "1": "4250",
    "2": "135460",
    "3": "2650",
    "0": "123",
}
NEIGHBOUR_SHARE = 0.8  # of digit substitutions, the share that hit a key touching the right one
STRAY_SHARE = 0.3  # of insertions after a digit, the share that strike a neighbouring key rather than repeat

# Characters a pinyin input method offers side by side, which clerks pick by mistake in names and addresses.
# Each pair confuses both ways; a character may be in several pairs. Chosen for the characters the synthetic
# forms use (surnames, given names, the marker words 测试/示例, place and road words, 公安局...分局).
HOMOPHONES: tuple[tuple[str, str], ...] = (
    # surnames
    ("张", "章"), ("王", "汪"), ("黄", "王"), ("李", "黎"), ("陈", "程"), ("刘", "柳"), ("杨", "阳"),
    ("吴", "伍"), ("周", "邹"), ("徐", "许"), ("林", "琳"), ("何", "贺"), ("罗", "骆"), ("唐", "汤"),
    ("冯", "封"), ("马", "玛"), ("朱", "珠"), ("胡", "湖"), ("郭", "国"), ("梁", "粱"),
    # given names
    ("明", "铭"), ("华", "桦"), ("伟", "玮"), ("伟", "炜"), ("丽", "莉"), ("静", "靖"), ("军", "君"),
    ("杰", "洁"), ("涛", "韬"), ("刚", "钢"), ("鹏", "朋"), ("平", "萍"), ("芳", "方"), ("燕", "艳"),
    ("娜", "纳"), ("霞", "夏"), ("婷", "亭"), ("玲", "琳"), ("敏", "民"), ("磊", "蕾"),
    # the synthetic data's marker words
    ("试", "式"), ("例", "列"),
    # addresses and authorities
    ("路", "露"), ("区", "曲"), ("街", "阶"), ("栋", "东"), ("元", "园"), ("局", "居"),
)  # fmt: skip


def _confusion_table(pairs: Sequence[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for a, b in pairs:
        table[a] = (*table.get(a, ()), b)
        table[b] = (*table.get(b, ()), a)
    return table


_CONFUSIONS = _confusion_table(HOMOPHONES)


def confusions(char: str) -> tuple[str, ...]:
    """The characters HOMOPHONES lets `char` be mistaken for; () for a character not in the table."""
    return _CONFUSIONS.get(char, ())


_DATE_TYPES = frozenset({FieldType.DATE, FieldType.DATE_OR_LONG_TERM})
_FREE_TEXT = frozenset({FieldType.TEXT, FieldType.TEXTAREA})
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DIGITS = "0123456789"


def _typed(spec: FieldSpec) -> bool:
    """True for a field the clerk types into; a choice field is picked from a list."""
    return spec.type is not FieldType.CHOICE


def _replace(value: str, index: int, new: str) -> str:
    return value[:index] + new + value[index + 1 :]


def digit_substitution(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """One digit of `value` replaced by another, most often by a key touching it on a numeric keypad."""
    places = [i for i, ch in enumerate(value) if ch in _DIGITS] if _typed(spec) else []
    if not places:
        return None
    i = rng.choice(places)
    if rng.random() < NEIGHBOUR_SHARE:
        new = rng.choice(KEYPAD_NEIGHBOURS[value[i]])
    else:
        new = rng.choice([d for d in _DIGITS if d != value[i]])
    return Slip(_replace(value, i, new), ErrorKind.DIGIT_SUBSTITUTION)


def transposition(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """Two adjacent, different, non-space characters of `value` keyed in the wrong order."""
    pairs = range(len(value) - 1) if _typed(spec) else range(0)
    places = [i for i in pairs if value[i] != value[i + 1] and not (value[i].isspace() or value[i + 1].isspace())]
    if not places:
        return None
    i = rng.choice(places)
    return Slip(value[:i] + value[i + 1] + value[i] + value[i + 2 :], ErrorKind.TRANSPOSITION)


def omission(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """One non-space character of `value` left out."""
    places = [i for i, ch in enumerate(value) if not ch.isspace()] if _typed(spec) else []
    if not places:
        return None
    i = rng.choice(places)
    return Slip(value[:i] + value[i + 1 :], ErrorKind.OMISSION)


def insertion(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """One non-space character of `value` keyed twice, or a digit with a neighbouring key struck after it."""
    places = [i for i, ch in enumerate(value) if not ch.isspace()] if _typed(spec) else []
    if not places:
        return None
    i = rng.choice(places)
    extra = value[i]
    if extra in _DIGITS and rng.random() < STRAY_SHARE:
        extra = rng.choice(KEYPAD_NEIGHBOURS[extra])
    return Slip(value[: i + 1] + extra + value[i + 1 :], ErrorKind.INSERTION)


def date_day_month(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """An ISO date keyed with day and month the wrong way round (YYYY-DD-MM); None when they are equal."""
    found = _ISO_DATE.fullmatch(value) if spec.type in _DATE_TYPES else None
    if found is None or found[2] == found[3]:
        return None
    return Slip(f"{found[1]}-{found[3]}-{found[2]}", ErrorKind.DATE_DAY_MONTH)


def date_two_digit_year(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """An ISO date keyed with only the last two digits of the year, in one of the spellings clerks use."""
    found = _ISO_DATE.fullmatch(value) if spec.type in _DATE_TYPES else None
    if found is None:
        return None
    yy, mm, dd = found[1][2:], found[2], found[3]
    spellings = (f"{yy}-{mm}-{dd}", f"{yy}{mm}{dd}", f"{yy}/{int(mm)}/{int(dd)}")
    return Slip(rng.choice(spellings), ErrorKind.DATE_TWO_DIGIT_YEAR)


def homophone(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """One Han character of a free-text value replaced by a character HOMOPHONES confuses it with."""
    places = [i for i, ch in enumerate(value) if confusions(ch)] if spec.type in _FREE_TEXT else []
    if not places:
        return None
    i = rng.choice(places)
    return Slip(_replace(value, i, rng.choice(confusions(value[i]))), ErrorKind.HOMOPHONE)


def choice_slip(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """The option just above or below `value` in the field's choice list."""
    values = [c.value for c in spec.choices] if spec.type is FieldType.CHOICE else []
    if value not in values:
        return None
    i = values.index(value)
    near = [values[j] for j in (i - 1, i + 1) if 0 <= j < len(values)]
    return Slip(rng.choice(near), ErrorKind.CHOICE_SLIP) if near else None


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def format_only(rng: random.Random, spec: FieldSpec, value: str) -> Slip | None:
    """`value` typed differently but meaning the same once normalised (full-width, spacing, date style...)."""
    options: list[str] = []
    if spec.type in _DATE_TYPES:
        found = _ISO_DATE.fullmatch(value)
        if value == LONG_TERM:
            options.append("长期有效")
        elif found:
            y, m, d = found[1], found[2], found[3]
            options += [f"{y}年{int(m)}月{int(d)}日", f"{y}/{m}/{d}", f"{y}{m}{d}", f"{y}.{int(m)}.{int(d)}"]
    elif spec.type is FieldType.PINYIN:
        options.append(value.lower())
    elif spec.type is FieldType.EMAIL:
        local, at, domain = value.rpartition("@")
        if at:
            options.append(f"{local}@{domain.upper()}")
    elif _typed(spec):
        if any(ch.isascii() and ch.isalnum() for ch in value):
            options.append(_full_width(value))
        if spec.type in _FREE_TEXT:
            options += [value[: i + 1] + " " + value[i + 1 :] for i in range(len(value) - 1) if _han_pair(value, i)][:1]
    options = [o for o in options if o != value]
    return Slip(rng.choice(options), ErrorKind.FORMAT_ONLY) if options else None


def _han_pair(value: str, i: int) -> bool:
    return is_han(value[i]) and is_han(value[i + 1])


Model = Callable[[random.Random, FieldSpec, str], Slip | None]

#: The per-value models, by kind (swapped fields works on the whole entry: swapped_fields).
MODELS: Mapping[ErrorKind, Model] = {
    ErrorKind.DIGIT_SUBSTITUTION: digit_substitution,
    ErrorKind.TRANSPOSITION: transposition,
    ErrorKind.OMISSION: omission,
    ErrorKind.INSERTION: insertion,
    ErrorKind.DATE_DAY_MONTH: date_day_month,
    ErrorKind.DATE_TWO_DIGIT_YEAR: date_two_digit_year,
    ErrorKind.HOMOPHONE: homophone,
    ErrorKind.CHOICE_SLIP: choice_slip,
    ErrorKind.FORMAT_ONLY: format_only,
}


def swap_group(spec: FieldSpec) -> str | None:
    """Which fields `spec` may be swapped with: "date", "text", or another field of its exact type; None for
    a choice field (another list's value cannot be picked)."""
    if spec.type is FieldType.CHOICE:
        return None
    if spec.type in _DATE_TYPES:
        return "date"
    if spec.type in _FREE_TEXT:
        return "text"
    return spec.type.value


def swapped_fields(
    rng: random.Random, schema: FormSchema, values: Mapping[str, str], key: str, candidates: Sequence[str]
) -> Swap | None:
    """Field `key` and another of `candidates` in its swap group, both with a value and the values different,
    keyed into each other's boxes; None when there is no such field."""
    by_key = {spec.key: spec for spec in schema.fields}
    group = swap_group(by_key[key])
    if group is None or not values.get(key):
        return None
    partners = [
        other
        for other in candidates
        if other != key and swap_group(by_key[other]) == group and values.get(other) and values[other] != values[key]
    ]
    if not partners:
        return None
    return Swap(key, rng.choice(partners))


DEFAULT_WEIGHTS: Mapping[ErrorKind, float] = {
    ErrorKind.DIGIT_SUBSTITUTION: 30,
    ErrorKind.TRANSPOSITION: 15,
    ErrorKind.OMISSION: 12,
    ErrorKind.INSERTION: 8,
    ErrorKind.DATE_DAY_MONTH: 20,  # these two apply to dates only, where they compete with the digit slips
    ErrorKind.DATE_TWO_DIGIT_YEAR: 8,
    ErrorKind.HOMOPHONE: 40,  # Han text only: the commonest slip of a pinyin input method
    ErrorKind.CHOICE_SLIP: 1,  # the only kind that applies to a choice field, so its weight does not matter
    ErrorKind.SWAPPED_FIELDS: 4,
    ErrorKind.FORMAT_ONLY: 10,
}


@dataclass(frozen=True)
class KeyingModel:
    """How often a clerk mis-keys a field (per field with a value, per entry) and which kinds of error."""

    rate: float = 0.015
    weights: Mapping[ErrorKind, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass(frozen=True)
class InjectedError:
    """One error a clerk made in an entry: its kind and the field(s) it changed (two for a swap)."""

    kind: ErrorKind
    fields: tuple[str, ...]


@dataclass(frozen=True)
class KeyedEntry:
    """What one clerk keyed for one form, and the errors injected into it."""

    values: Mapping[str, str]
    errors: tuple[InjectedError, ...]


def _draw(rng: random.Random, kinds: Sequence[ErrorKind], weights: Mapping[ErrorKind, float]) -> ErrorKind:
    point = rng.random() * sum(weights[k] for k in kinds)
    for kind in kinds:
        point -= weights[kind]
        if point < 0:
            return kind
    return kinds[-1]


def key_entry(
    rng: random.Random, schema: FormSchema, paper: Mapping[str, str], model: KeyingModel, keys: Sequence[str]
) -> KeyedEntry:
    """One clerk's entry of the paper form: the fields in `keys` (others left blank), each with a value
    mis-keyed with probability model.rate by a kind drawn from model.weights among those that apply."""
    by_key = {spec.key: spec for spec in schema.fields}
    values = {key: paper.get(key, "") for key in keys}
    touched: set[str] = set()
    errors: list[InjectedError] = []
    for key in keys:
        if key in touched or not values[key] or rng.random() >= model.rate:
            continue
        kinds = [k for k in ErrorKind if model.weights.get(k, 0) > 0]
        while kinds:
            kind = _draw(rng, kinds, model.weights)
            if kind is ErrorKind.SWAPPED_FIELDS:
                free = [k for k in keys if k not in touched]
                swap = swapped_fields(rng, schema, values, key, free)
                if swap is not None:
                    values[swap.first], values[swap.second] = values[swap.second], values[swap.first]
                    touched.update((swap.first, swap.second))
                    errors.append(InjectedError(kind, (swap.first, swap.second)))
                    break
            else:
                slip = MODELS[kind](rng, by_key[key], values[key])
                if slip is not None:
                    values[key] = slip.value
                    touched.add(key)
                    errors.append(InjectedError(kind, (key,)))
                    break
            kinds.remove(kind)
    return KeyedEntry(values, tuple(errors))
