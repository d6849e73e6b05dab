"""Masking of customer values for viewers who may not see them in full.

ID_NUMBER: first 6 and last 4 kept (110101********1234); shorter numbers keep less, so at least about half
           is hidden.
PHONE:     first 3 and last 4 kept (138****5678, +85*****4567).
NAME:      a Han name keeps its first character and, from three characters on, its last (张*丰, 张*, 欧**娜;
           a one-character name shows nothing);
           the "·" of a transliterated name stays. A Latin name keeps its first word (the surname, as pinyin
           and passports write it first) and the initial of each other word: ZHANG SANFENG -> ZHANG S******.
EMAIL:     the first character of the local part (none when it is the only one), then *** and the whole
           domain (a***@example.com).
ADDRESS:   the first 6 characters (the province and city, usually), then ****; up to 8 characters, half.
FULL:      **** whatever the value, so not even its length shows.
NONE:      unchanged. An empty value stays empty under every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from desktop_app.domain.form_schema import FieldSpec, FormSchema, MaskRule
from desktop_app.domain.han import has_han, is_han

HIDDEN = "****"


def _keep_ends(value: str, front: int, back: int) -> str:
    hidden = len(value) - front - back
    return value[:front] + "*" * hidden + (value[len(value) - back :] if back else "")


def _mask_id_number(value: str) -> str:
    n = len(value)
    if n >= 16:
        return _keep_ends(value, 6, 4)
    return _keep_ends(value, min(6, n // 3), min(4, n // 4))


def _mask_phone(value: str) -> str:
    n = len(value)
    if n >= 10:
        return _keep_ends(value, 3, 4)
    return _keep_ends(value, min(3, n // 4), min(4, n // 4))


def _mask_han_name(value: str) -> str:
    letters = [i for i, ch in enumerate(value) if is_han(ch) or ch.isalnum()]
    shown = {letters[0]} if len(letters) >= 2 else set()
    if len(letters) >= 3:
        shown.add(letters[-1])
    return "".join(ch if i in shown or not (is_han(ch) or ch.isalnum()) else "*" for i, ch in enumerate(value))


def _mask_latin_name(value: str) -> str:
    words = value.split(" ")
    if sum(any(ch.isalnum() for ch in word) for word in words) <= 1:
        return " ".join(_mask_word(word) for word in words)
    return " ".join([words[0], *(_mask_word(word) for word in words[1:])])


def _mask_word(word: str) -> str:
    # Each letter after the first becomes *, separators such as - and ' stay: SAN-FENG -> S**-****. A word of
    # one letter loses that letter too, or "ZHANG X" would show whole.
    keep_initial = sum(ch.isalnum() for ch in word) > 1
    return "".join(ch if (i == 0 and keep_initial) or not ch.isalnum() else "*" for i, ch in enumerate(word))


def _mask_name(value: str) -> str:
    return _mask_han_name(value) if has_han(value) else _mask_latin_name(value)


def _mask_email(value: str) -> str:
    local, at, domain = value.rpartition("@")
    if not at:
        local = value
    masked = (local[:1] if len(local) > 1 else "") + "***"
    return f"{masked}@{domain}" if at else masked


def _mask_address(value: str) -> str:
    keep = 6 if len(value) > 8 else len(value) // 2  # a short address keeps less, so most of it stays hidden
    return value[:keep] + HIDDEN


_BY_RULE: Mapping[MaskRule, Callable[[str], str]] = {
    MaskRule.NONE: lambda value: value,
    MaskRule.FULL: lambda value: HIDDEN,
    MaskRule.ID_NUMBER: _mask_id_number,
    MaskRule.PHONE: _mask_phone,
    MaskRule.NAME: _mask_name,
    MaskRule.EMAIL: _mask_email,
    MaskRule.ADDRESS: _mask_address,
}


def mask_value(rule: MaskRule, value: str) -> str:
    """`value` as a viewer without the right to see it in full sees it under `rule`; "" stays ""."""
    if not value:
        return ""
    return _BY_RULE[rule](value)


def mask_record(schema: FormSchema, values: Mapping[str, str], visible: Callable[[FieldSpec], bool]) -> dict[str, str]:
    """Every field of the schema, in form order: in full where `visible(field)` is true, masked elsewhere."""
    shown: dict[str, str] = {}
    for spec in schema.fields:
        value = values.get(spec.key, "")
        shown[spec.key] = value if visible(spec) else mask_value(spec.mask, value)
    return shown
