"""Checks of a normalised customer record against its form: each problem names the field, a stable code, and
says in Chinese and English what is wrong and what to do about it.

Per field, in this order: required, maximum length, the field type's format, then the field's named
validators (skipped when the format is already wrong). Then the form's cross checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import phonenumbers
import pycountry

from desktop_app.domain.form_schema import CrossCheck, FieldRule, FieldSpec, FieldType, FormSchema
from desktop_app.domain.id_numbers import IdNumberError, IdType, ResidentIdInfo, id_number_problems, parse_resident_id
from desktop_app.domain.normaliser import LONG_TERM
from desktop_app.domain.text import Text


class Severity(StrEnum):
    ERROR = "error"  # blocks submission
    WARNING = "warning"  # shown for the clerk to confirm; does not block


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record: which field, a stable code, what to do (in both languages)."""

    field: str
    code: str
    message_text: Text
    severity: Severity = Severity.ERROR

    def message(self, lang: str) -> str:
        """The message in `lang` (see `Text.render`)."""
        return self.message_text.render(lang)


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem is an error (warnings alone do not block)."""
    return any(p.severity == Severity.ERROR for p in problems)


@dataclass(frozen=True)
class _Record:
    """The values being checked, every form key present as text, and the day they are checked on."""

    values: Mapping[str, str]
    today: date

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


# --- helpers -----------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _as_date(value: str) -> date | None:
    """The date in an ISO "YYYY-MM-DD" value, or None."""
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


_JURISDICTION_SEPARATORS = re.compile(r"[,;，；、\s]+")


def _jurisdictions(value: str) -> list[tuple[str, str | None]]:
    """Each code in a jurisdiction list with its ISO alpha-3 code (None when it is not an ISO 3166-1 code)."""
    found: list[tuple[str, str | None]] = []
    for code in _JURISDICTION_SEPARATORS.split(value):
        if not code:
            continue
        upper = code.upper()
        country = None
        if re.fullmatch(r"[A-Z]{2}", upper):
            country = pycountry.countries.get(alpha_2=upper)
        elif re.fullmatch(r"[A-Z]{3}", upper):
            country = pycountry.countries.get(alpha_3=upper)
        found.append((code, str(country.alpha_3) if country is not None else None))
    return found


def _add_years(start: date, years: int) -> set[date]:
    """The same day `years` later; for 29 February both 28 February and 1 March, as cards print either."""
    try:
        return {start.replace(year=start.year + years)}
    except ValueError:
        return {date(start.year + years, 2, 28), date(start.year + years, 3, 1)}


def _resident_id(record: _Record) -> ResidentIdInfo | None:
    """What the record's resident ID number says, when it is a resident ID and a valid number."""
    if record["id_type"] != IdType.RESIDENT_ID.value or not record["id_number"]:
        return None
    try:
        return parse_resident_id(record["id_number"])
    except IdNumberError:
        return None


# --- field type formats ------------------------------------------------------------------------------------


def _date_format(spec: FieldSpec, value: str, *, long_term: bool) -> list[Problem]:
    if _as_date(value) is not None or (long_term and value == LONG_TERM):
        return []
    or_zh = "或“长期”" if long_term else ""
    or_en = ' or "长期" (long term)' if long_term else ""
    if _ISO_DATE.fullmatch(value):
        return [
            Problem(
                spec.key,
                "invalid_date",
                Text(
                    zh=f"{spec.label_text.zh}“{value}”不是日历上存在的日期：请对照证件重新录入。",
                    en=f"{spec.label_text.en} '{value}' is not a real calendar date: re-enter it from the document.",
                ),
            )
        ]
    return [
        Problem(
            spec.key,
            "format",
            Text(
                zh=f"{spec.label_text.zh}“{value}”不是日期：请按 2024-01-05 的格式填写{or_zh}。",
                en=f"{spec.label_text.en} '{value}' is not a date: enter it as 2024-01-05{or_en}.",
            ),
        )
    ]


def _choice_format(spec: FieldSpec, value: str) -> list[Problem]:
    if value in spec.choice_values:
        return []
    return [
        Problem(
            spec.key,
            "choice",
            Text(
                zh=f"{spec.label_text.zh}“{value}”不是可选项：请从列表中选择。",
                en=f"{spec.label_text.en} '{value}' is not one of the options: pick one from the list.",
            ),
        )
    ]


_ID_CHARACTERS = re.compile(r"[A-Z0-9]+")


def _id_number_format(spec: FieldSpec, value: str) -> list[Problem]:
    if _ID_CHARACTERS.fullmatch(value):
        return []
    return [
        Problem(
            spec.key,
            "format",
            Text(
                zh=f"{spec.label_text.zh}只能包含字母和数字：请对照证件重新录入。",
                en=f"{spec.label_text.en} has only letters and digits: re-enter it from the document.",
            ),
        )
    ]


_MOBILE_TYPES = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


def _phone_format(spec: FieldSpec, value: str) -> list[Problem]:
    if value.startswith("+"):
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_valid_number(number):
            return []
        return [
            Problem(
                spec.key,
                "invalid_phone",
                Text(
                    zh=f"{spec.label_text.zh}“{value}”不是有效的境外电话号码：请核对国家/地区代码和号码。",
                    en=f"{spec.label_text.en} '{value}' is not a valid number for its country: check the country "
                    "code and the number.",
                ),
            )
        ]
    if not value.isdigit() or not value.isascii():
        return [
            Problem(
                spec.key,
                "format",
                Text(
                    zh=f"{spec.label_text.zh}只能包含数字：内地号码填写11位数字，境外号码以 + 和国家/地区代码开头。",
                    en=f"{spec.label_text.en} has digits only: 11 digits for a mainland number, or + and the country "
                    "code for another.",
                ),
            )
        ]
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        if phonenumbers.number_type(number) in _MOBILE_TYPES:
            return []
        return [
            Problem(
                spec.key,
                "not_mobile",
                Text(
                    zh=f"{spec.label_text.zh}“{value}”是固定电话号码：请填写客户的手机号码。",
                    en=f"{spec.label_text.en} '{value}' is a landline: enter the customer's mobile number.",
                ),
            )
        ]
    if len(value) == 11 and value.startswith("1"):
        return [
            Problem(
                spec.key,
                "invalid_mobile",
                Text(
                    zh=f"{spec.label_text.zh}“{value}”不是有效的内地手机号码：请与客户核对。",
                    en=f"{spec.label_text.en} '{value}' is not a valid mainland mobile number: check it with the "
                    "customer.",
                ),
            )
        ]
    return [
        Problem(
            spec.key,
            "format",
            Text(
                zh=f"{spec.label_text.zh}“{value}”不是内地手机号码（以1开头的11位数字）：境外号码请以 + "
                "和国家/地区代码开头。",
                en=f"{spec.label_text.en} '{value}' is not a mainland mobile number (11 digits starting with 1): "
                "start another country's number with + and its country code.",
            ),
        )
    ]


# Hand-written: the email-validator package is not a dependency, and a syntax check (no DNS look-up) is all a
# branch counter can act on. Dot-atom local part; a domain of letter/digit labels with a letter TLD.
_EMAIL = re.compile(
    r"(?=[^@]{1,64}@)[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@((?:[^\W_]|[^\W_][\w-]{0,61}[^\W_])\.)+[^\W\d_]{2,63}"
)


def _email_format(spec: FieldSpec, value: str) -> list[Problem]:
    if len(value) <= 254 and _EMAIL.fullmatch(value) and "_" not in value.rpartition("@")[2]:
        return []
    return [
        Problem(
            spec.key,
            "format",
            Text(
                zh=f"{spec.label_text.zh}“{value}”不是有效的电子邮箱地址：请按 name@example.com 的格式与客户核对。",
                en=f"{spec.label_text.en} '{value}' is not a valid email address: check it with the customer "
                "(like name@example.com).",
            ),
        )
    ]


def _postal_code_format(spec: FieldSpec, value: str) -> list[Problem]:
    if re.fullmatch(r"[0-9]{6}", value):
        return []
    return [
        Problem(
            spec.key,
            "format",
            Text(
                zh=f"{spec.label_text.zh}“{value}”应为6位数字：请核对。",
                en=f"{spec.label_text.en} '{value}' should be six digits (a mainland postal code): check it.",
            ),
        )
    ]


def _money_format(spec: FieldSpec, value: str) -> list[Problem]:
    if re.fullmatch(r"[0-9]+\.[0-9]{2}", value):
        return []
    return [
        Problem(
            spec.key,
            "format",
            Text(
                zh=f"{spec.label_text.zh}“{value}”不是有效金额：请填写不为负数、最多两位小数的金额，如 1234.50。",
                en=f"{spec.label_text.en} '{value}' is not an amount: enter a non-negative amount with at most two "
                "decimals, like 1234.50.",
            ),
        )
    ]


_PINYIN = re.compile(r"[A-Z]+([ -][A-Z]+)*")


def _pinyin_format(spec: FieldSpec, value: str) -> list[Problem]:
    if _PINYIN.fullmatch(value):
        return []
    return [
        Problem(
            spec.key,
            "format",
            Text(
                zh=f"{spec.label_text.zh}只能包含大写字母A-Z、空格和连字符：请按证件上的拼音或拉丁字母姓名填写。",
                en=f"{spec.label_text.en} has only the letters A-Z, spaces and hyphens: copy the Latin-letter name "
                "from the document (as in a passport's machine-readable line).",
            ),
        )
    ]


def _no_format(spec: FieldSpec, value: str) -> list[Problem]:
    return []


_FORMAT_CHECKS: Mapping[FieldType, Callable[[FieldSpec, str], list[Problem]]] = {
    FieldType.TEXT: _no_format,
    FieldType.TEXTAREA: _no_format,
    FieldType.DATE: lambda spec, value: _date_format(spec, value, long_term=False),
    FieldType.DATE_OR_LONG_TERM: lambda spec, value: _date_format(spec, value, long_term=True),
    FieldType.CHOICE: _choice_format,
    FieldType.ID_NUMBER: _id_number_format,
    FieldType.PHONE: _phone_format,
    FieldType.EMAIL: _email_format,
    FieldType.POSTAL_CODE: _postal_code_format,
    FieldType.MONEY: _money_format,
    FieldType.PINYIN: _pinyin_format,
}


# --- named field validators ---------------------------------------------------------------------------------


def _not_in_future(spec: FieldSpec, value: str, record: _Record) -> list[Problem]:
    day = _as_date(value)
    if day is None or day <= record.today:
        return []
    return [
        Problem(
            spec.key,
            "future_date",
            Text(
                zh=f"{spec.label_text.zh}{value}晚于今天：请对照证件核对。",
                en=f"{spec.label_text.en} {value} is in the future: check it against the document.",
            ),
        )
    ]


def _not_before_1900(spec: FieldSpec, value: str, record: _Record) -> list[Problem]:
    day = _as_date(value)
    if day is None or day.year >= 1900:
        return []
    return [
        Problem(
            spec.key,
            "before_1900",
            Text(
                zh=f"{spec.label_text.zh}{value}早于1900年：请对照证件核对年份。",
                en=f"{spec.label_text.en} {value} is before 1900: check the year against the document.",
            ),
        )
    ]


def _not_expired(spec: FieldSpec, value: str, record: _Record) -> list[Problem]:
    day = _as_date(value)
    if day is None or day >= record.today:
        return []
    return [
        Problem(
            spec.key,
            "expired",
            Text(
                zh=f"证件已于{value}过期：请客户出示有效期内的证件。",
                en=f"The ID document expired on {value}: ask the customer for a valid document.",
            ),
        )
    ]


def _id_number_for_id_type(spec: FieldSpec, value: str, record: _Record) -> list[Problem]:
    try:
        id_type = IdType(record["id_type"])
    except ValueError:
        return []  # no or unknown document type: the id_type field reports that
    nationality = record["nationality"] or None
    return [Problem(spec.key, code, text) for code, text in id_number_problems(id_type, value, nationality=nationality)]


def _tax_jurisdiction_codes(spec: FieldSpec, value: str, record: _Record) -> list[Problem]:
    unknown = [code for code, alpha3 in _jurisdictions(value) if alpha3 is None]
    if not unknown:
        return []
    listed = ", ".join(unknown)
    return [
        Problem(
            spec.key,
            "unknown_jurisdiction",
            Text(
                zh=f"{spec.label_text.zh}中的“{listed}”不是国家（地区）代码："
                "请填写两位或三位字母代码（如 US 或 USA），用逗号分隔。",
                en=f"{spec.label_text.en}: '{listed}' is not a country code: enter two- or three-letter ISO codes "
                "(like US or USA), separated by commas.",
            ),
        )
    ]


_NAME_PUNCTUATION = frozenset(" ·-'.,")


def _person_name(spec: FieldSpec, value: str, record: _Record) -> list[Problem]:
    odd = sorted({ch for ch in value if ch not in _NAME_PUNCTUATION and unicodedata.category(ch)[0] not in "LM"})
    if not odd:
        return []
    shown = " ".join(odd)
    return [
        Problem(
            spec.key,
            "format",
            Text(
                zh=f"{spec.label_text.zh}含有姓名中不应出现的字符“{shown}”：请按证件上的姓名填写。",
                en=f"{spec.label_text.en} contains characters a name does not have ({shown}): copy the name from the "
                "document.",
            ),
        )
    ]


_FIELD_RULES: Mapping[FieldRule, Callable[[FieldSpec, str, _Record], list[Problem]]] = {
    FieldRule.NOT_IN_FUTURE: _not_in_future,
    FieldRule.NOT_BEFORE_1900: _not_before_1900,
    FieldRule.NOT_EXPIRED: _not_expired,
    FieldRule.ID_NUMBER_FOR_ID_TYPE: _id_number_for_id_type,
    FieldRule.TAX_JURISDICTION_CODES: _tax_jurisdiction_codes,
    FieldRule.PERSON_NAME: _person_name,
}


# --- cross checks -------------------------------------------------------------------------------------------


def _resident_id_birth_date(record: _Record) -> list[Problem]:
    info = _resident_id(record)
    given = _as_date(record["birth_date"])
    if info is None or given is None or given == info.birth_date:
        return []
    in_number = info.birth_date.isoformat()
    return [
        Problem(
            "birth_date",
            "mismatch_id_number",
            Text(
                zh=f"出生日期{given.isoformat()}与身份证号码中的出生日期{in_number}不一致：请对照证件核对出生日期和证件号码。",
                en=f"The date of birth {given.isoformat()} differs from the one in the ID number ({in_number}): check "
                "both against the card.",
            ),
        ),
        Problem(
            "id_number",
            "mismatch_birth_date",
            Text(
                zh=f"身份证号码中的出生日期{in_number}与所填出生日期{given.isoformat()}不一致：请对照证件核对。",
                en=f"The ID number gives the date of birth {in_number}, not {given.isoformat()}: check both against "
                "the card.",
            ),
        ),
    ]


_SEX_NAMES = {"M": ("男", "male"), "F": ("女", "female")}


def _resident_id_sex(record: _Record) -> list[Problem]:
    info = _resident_id(record)
    given = record["sex"]
    if info is None or given not in _SEX_NAMES or given == info.sex:
        return []
    number_zh, number_en = _SEX_NAMES[info.sex]
    given_zh, given_en = _SEX_NAMES[given]
    return [
        Problem(
            "sex",
            "mismatch_id_number",
            Text(
                zh=f"性别“{given_zh}”与身份证号码（第17位表示{number_zh}性）不一致：请对照证件核对性别和证件号码。",
                en=f"Sex '{given_en}' differs from the ID number (its 17th digit says {number_en}): check both against "
                "the card.",
            ),
        ),
        Problem(
            "id_number",
            "mismatch_sex",
            Text(
                zh=f"身份证号码表示{number_zh}性，与所填性别“{given_zh}”不一致：请对照证件核对。",
                en=f"The ID number says {number_en}, not {given_en}: check both against the card.",
            ),
        ),
    ]


def _resident_id_nationality(record: _Record) -> list[Problem]:
    if record["id_type"] != IdType.RESIDENT_ID.value or record["nationality"] in ("", "CHN"):
        return []
    return [
        Problem(
            "nationality",
            "resident_id_requires_chn",
            Text(
                zh="持居民身份证的客户国籍应为中国：请将国籍改为中国，或选择客户实际出示的证件类型。",
                en="A resident ID card holder is a Chinese national: set the nationality to China, or pick the "
                "document type the customer actually showed.",
            ),
        )
    ]


def _resident_id_ethnicity(record: _Record) -> list[Problem]:
    if record["id_type"] != IdType.RESIDENT_ID.value or record["ethnicity"]:
        return []
    return [
        Problem(
            "ethnicity",
            "required",
            Text(
                zh="持居民身份证的客户须填写民族：请按证件上的民族选择。",
                en="Ethnic group is required for a resident ID card holder: pick the one printed on the card.",
            ),
        )
    ]


def _id_validity_order(record: _Record) -> list[Problem]:
    start = _as_date(record["id_valid_from"])
    end = _as_date(record["id_valid_until"])
    if start is None or end is None or end > start:
        return []
    return [
        Problem(
            "id_valid_until",
            "before_valid_from",
            Text(
                zh=f"证件有效期截止日{end.isoformat()}不晚于起始日{start.isoformat()}：请对照证件核对两个日期。",
                en=f"The ID is valid until {end.isoformat()}, which is not after it became valid "
                f"({start.isoformat()}): "
                "check both dates against the document.",
            ),
        )
    ]


_RESIDENT_ID_TERMS = (5, 10, 20)


def _resident_id_validity_period(record: _Record) -> list[Problem]:
    if record["id_type"] != IdType.RESIDENT_ID.value or record["id_valid_until"] == LONG_TERM:
        return []
    start = _as_date(record["id_valid_from"])
    end = _as_date(record["id_valid_until"])
    if start is None or end is None or end <= start:
        return []
    if any(end in _add_years(start, years) for years in _RESIDENT_ID_TERMS):
        return []
    return [
        Problem(
            "id_valid_until",
            "validity_period",
            Text(
                zh=f"居民身份证有效期应为5年、10年、20年或长期，此处为{start.isoformat()}至{end.isoformat()}：请对照证件核对。",
                en=f"A resident ID card is valid for 5, 10 or 20 years or long term, not {start.isoformat()} to "
                f"{end.isoformat()}: check the dates against the card.",
            ),
            Severity.WARNING,
        )
    ]


def _crs_consistency(record: _Record) -> list[Problem]:
    residency = record["tax_residency"]
    codes = _jurisdictions(record["tax_jurisdictions"])
    foreign = [code for code, alpha3 in codes if alpha3 != "CHN"]
    problems: list[Problem] = []
    if residency == "cn_only":
        if foreign:
            listed = ", ".join(foreign)
            problems.append(
                Problem(
                    "tax_jurisdictions",
                    "foreign_with_cn_only",
                    Text(
                        zh=f"已声明仅为中国税收居民，却填写了其他国家（地区）{listed}：请删除这些代码，或按客户声明更改税收居民身份。",
                        en=f"The customer declared tax residency in China only, yet {listed} is listed: remove it, or "
                        "change the tax residency to match the declaration.",
                    ),
                )
            )
        if record["foreign_tin"]:
            problems.append(
                Problem(
                    "foreign_tin",
                    "tin_with_cn_only",
                    Text(
                        zh="已声明仅为中国税收居民，不应填写境外纳税人识别号：请删除，或按客户声明更改税收居民身份。",
                        en="The customer declared tax residency in China only, so there is no foreign TIN: clear it, "
                        "or change the tax residency to match the declaration.",
                    ),
                )
            )
        return problems
    if residency not in ("cn_and_other", "other_only"):
        return []
    if not codes:
        problems.append(
            Problem(
                "tax_jurisdictions",
                "required",
                Text(
                    zh="客户声明为其他国家（地区）税收居民：请填写其税收居民国（地区）代码，如 US。",
                    en="The customer is tax resident elsewhere: enter the country codes of those jurisdictions, like "
                    "US.",
                ),
            )
        )
    elif not foreign:
        problems.append(
            Problem(
                "tax_jurisdictions",
                "no_foreign_jurisdiction",
                Text(
                    zh="客户声明为其他国家（地区）税收居民，但只填写了中国：请填写中国以外的税收居民国（地区）。",
                    en="The customer is tax resident elsewhere, but only China is listed: add the other jurisdictions.",
                ),
            )
        )
    if residency == "other_only" and any(alpha3 == "CHN" for _, alpha3 in codes):
        problems.append(
            Problem(
                "tax_jurisdictions",
                "cn_with_other_only",
                Text(
                    zh="客户声明仅为其他国家（地区）税收居民，却填写了中国：请删除中国，或更改税收居民身份。",
                    en="The customer declared tax residency elsewhere only, yet China is listed: remove China, or "
                    "change the tax residency.",
                ),
            )
        )
    if not record["foreign_tin"]:
        problems.append(
            Problem(
                "foreign_tin",
                "required",
                Text(
                    zh="客户为其他国家（地区）税收居民：请填写其境外纳税人识别号；无法提供的，填写原因。",
                    en="The customer is tax resident elsewhere: enter the foreign TIN, or the reason there is none.",
                ),
            )
        )
    return problems


_CROSS_CHECKS: Mapping[CrossCheck, Callable[[_Record], list[Problem]]] = {
    CrossCheck.RESIDENT_ID_BIRTH_DATE: _resident_id_birth_date,
    CrossCheck.RESIDENT_ID_SEX: _resident_id_sex,
    CrossCheck.RESIDENT_ID_NATIONALITY: _resident_id_nationality,
    CrossCheck.RESIDENT_ID_ETHNICITY: _resident_id_ethnicity,
    CrossCheck.ID_VALIDITY_ORDER: _id_validity_order,
    CrossCheck.RESIDENT_ID_VALIDITY_PERIOD: _resident_id_validity_period,
    CrossCheck.CRS_CONSISTENCY: _crs_consistency,
}


# --- the record -----------------------------------------------------------------------------------------------


def _field_problems(spec: FieldSpec, value: str, record: _Record) -> list[Problem]:
    if not value:
        if not spec.required:
            return []
        return [
            Problem(
                spec.key,
                "required",
                Text(zh=f"{spec.label_text.zh}为必填项：请填写。", en=f"{spec.label_text.en} is required: fill it in."),
            )
        ]
    problems: list[Problem] = []
    if spec.max_length is not None and len(value) > spec.max_length:
        problems.append(
            Problem(
                spec.key,
                "too_long",
                Text(
                    zh=f"{spec.label_text.zh}最多{spec.max_length}个字符，现有{len(value)}个：请删减。",
                    en=f"{spec.label_text.en} has {len(value)} characters, more than the {spec.max_length} allowed: "
                    "shorten it.",
                ),
            )
        )
    problems += _FORMAT_CHECKS[spec.type](spec, value)
    if problems:
        return problems
    for rule in spec.validators:
        problems += _FIELD_RULES[FieldRule(rule)](spec, value, record)
    return problems


def validate_record(schema: FormSchema, values: Mapping[str, str], today: date) -> list[Problem]:
    """Every problem with an already normalised record, in form field order; [] when it is fine.

    Never raises for bad values: a missing key counts as empty, a non-text value is read as text."""
    record = _Record({spec.key: _as_text(values.get(spec.key)).strip() for spec in schema.fields}, today)
    problems: list[Problem] = []
    for spec in schema.fields:
        problems += _field_problems(spec, record[spec.key], record)
    for check in schema.cross_checks:
        problems += _CROSS_CHECKS[CrossCheck(check)](record)
    order = {key: index for index, key in enumerate(schema.keys)}
    return sorted(problems, key=lambda p: order.get(p.field, len(order)))  # stable: a field's own checks first
