"""Masking of customer values for viewers who may not see them in full.

The rule the masks hold together (issue 14): no combination of what one viewer sees rebuilds a value masked
for them. A resident ID number is region + birth date + sequence (its last digit odd for men) + check
character, and the region follows from the address, the issuing authority or the branch itself; so the birth
date is masked wherever the ID number is (the form loader insists on it) and the ID mask shows none of the
birth date or sequence. Lengths that say something about the person (of a name, an address) are not shown.
tests/integration/test_masked_rebuild.py tries to rebuild every masked value from what each role sees.

ID_NUMBER: the first and the last character (1****************4); up to 5 characters, none.
PHONE:     the last 4 digits (*******5678); shorter numbers keep a quarter, at most.
NAME:      a Han name keeps its first character, the surname, then ** whatever the length (张**); a
           transliterated name with "·" shows nothing but that it has parts (**·**). A Latin name keeps its
           first word, the surname as pinyin and passports write it first, then **** (ZHANG ****); a single
           word keeps its first letter (E****).
EMAIL:     *** and the domain (***@example.com).
ADDRESS:   the province and city (广东省广州市****, 北京市****), found by their suffixes; **** when there are
           none to find.
FULL:      **** whatever the value, so not even its length shows.
NONE:      unchanged. An empty value stays empty under every rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace

from desktop_app.domain.form_schema import FieldSpec, FormSchema, MaskRule
from desktop_app.domain.han import has_han
from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem

HIDDEN = "****"
NAME_HIDDEN = "**"


def _keep_ends(value: str, front: int, back: int) -> str:
    hidden = len(value) - front - back
    return value[:front] + "*" * hidden + (value[len(value) - back :] if back else "")


def _mask_id_number(value: str) -> str:
    # Every ID document this form takes is 8 or more characters; the ends alone leave at least 10**6 numbers.
    return _keep_ends(value, 1, 1) if len(value) >= 6 else "*" * len(value)


def _mask_phone(value: str) -> str:
    return _keep_ends(value, 0, 4 if len(value) >= 10 else len(value) // 4)


def _mask_han_name(value: str) -> str:
    if "·" in value or "•" in value:
        # Transliterated names put the given name first or the surname last, depending on who wrote them:
        # neither part is safe to show.
        return f"{NAME_HIDDEN}·{NAME_HIDDEN}"
    return _initial(value) + NAME_HIDDEN


def _mask_latin_name(value: str) -> str:
    words = value.split()
    if sum(any(ch.isalnum() for ch in word) for word in words) >= 2:
        return f"{words[0]} {HIDDEN}"
    return _initial(value) + HIDDEN


def _initial(value: str) -> str:
    """The first character, unless it is all there is to the name (then nothing)."""
    text = value.strip()
    return text[:1] if sum(ch.isalnum() for ch in text) >= 2 else ""


def _mask_name(value: str) -> str:
    return _mask_han_name(value) if has_han(value) else _mask_latin_name(value)


def _mask_email(value: str) -> str:
    _, at, domain = value.rpartition("@")
    return f"***@{domain}" if at else "***"


# The province (or autonomous region, SAR) and the city (prefecture, league) that open a mainland address;
# a municipality (北京市) is both. Units cannot contain 省, 市, 区 or 县, so the match stops at the first unit.
_PROVINCE_AND_CITY = re.compile(
    r"[^省市区县\s]{1,8}?(?:省|自治区|特别行政区)(?:[^省市区县\s]{1,8}?(?:市|自治州|州|盟|地区))?"
    r"|[^省市区县\s]{1,8}?市"
)


def _mask_address(value: str) -> str:
    text = value.strip()
    found = _PROVINCE_AND_CITY.match(text)
    shown = found.group(0) if found and found.end() < len(text) else ""  # a bare "北京市" shows nothing
    return shown + HIDDEN


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


def mask_problems(schema: FormSchema, problems: Iterable[Problem], masked: Collection[str]) -> tuple[Problem, ...]:
    """Problems as a viewer who sees the `masked` fields masked may read them: on those fields the message names
    the field and the check, never a value (messages quote values: "the ID number gives the date of birth ...")."""
    shown: list[Problem] = []
    for problem in problems:
        if problem.field in masked and problem.field in schema.keys:
            spec = schema.field(problem.field)
            problem = replace(
                problem,
                message_text=Text(
                    zh=f"{spec.label_text.zh}未通过核对（{problem.code}）：请录入人对照证件核对。",
                    en=f"{spec.label_text.en} does not pass a check ({problem.code}): its maker checks it against "
                    "the document.",
                ),
            )
        shown.append(problem)
    return tuple(shown)
