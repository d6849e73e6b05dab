"""Reasons for the import report that hold no value: rebuilt from a problem's field and its stable code.

The form's rules explain a problem by quoting what was typed ("Email 'x@y' is not a valid email address"), which
helps at the entry screen. An import report is handed around (exported, sent back to whoever keeps the source
sheet) and promises no cell values, so its reasons come from here: the field's label and the rule's code, never
the rule's own message. A code not listed here still gets a value-free reason, one that names the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from desktop_app.domain.form_schema import FieldType, FormSchema
from desktop_app.domain.text import Text, same
from desktop_app.domain.validation import Problem

# Templates: {label} is the field's label, {code} the rule's code. Nothing else may go in.

_BY_CODE: Mapping[str, Text] = {
    "required": Text(
        zh="{label}为必填项（或因本行其他栏目的内容而必填）：请填写。",
        en="{label} is required (for this row, perhaps because of another column): fill it in.",
    ),
    "too_long": Text(
        zh="{label}超过表单允许的长度：请删减。",
        en="{label} is longer than the form allows: shorten it.",
    ),
    "invalid_date": Text(
        zh="{label}不是日历上存在的日期：请对照证件核对。",
        en="{label} is not a real calendar date: check it against the document.",
    ),
    "choice": Text(
        zh="{label}不是可选项：请填写表单列表中的一项。",
        en="{label} is not one of the form's options: use one from its list.",
    ),
    "invalid_phone": Text(
        zh="{label}不是有效的境外电话号码：请核对国家/地区代码和号码。",
        en="{label} is not a valid number for its country: check the country code and the number.",
    ),
    "not_mobile": Text(
        zh="{label}是固定电话号码：请填写客户的手机号码。",
        en="{label} is a landline: enter the customer's mobile number.",
    ),
    "invalid_mobile": Text(
        zh="{label}不是有效的内地手机号码：请与客户核对。",
        en="{label} is not a valid mainland mobile number: check it with the customer.",
    ),
    "future_date": Text(
        zh="{label}晚于今天：请对照证件核对。",
        en="{label} is in the future: check it against the document.",
    ),
    "before_1900": Text(
        zh="{label}早于1900年：请对照证件核对年份。",
        en="{label} is before 1900: check the year against the document.",
    ),
    "expired": Text(
        zh="证件已过期（{label}）：请客户出示有效期内的证件。",
        en="The ID document has expired ({label}): ask the customer for a valid document.",
    ),
    # The ID-number rules of domain/id_numbers.py.
    "length": Text(
        zh="{label}位数不对：请对照证件重新录入。",
        en="{label} has the wrong number of characters: re-enter it from the document.",
    ),
    "checksum": Text(
        zh="{label}校验位不符，号码中有录入错误：请逐位对照证件核对。",
        en="{label}: the check character does not match, so a character is mistyped: compare each one with the "
        "document.",
    ),
    "invalid_birth_date": Text(
        zh="{label}中的出生日期不是有效日期：请对照证件核对号码。",
        en="The birth date inside the {label} is not a real date: check the number on the document.",
    ),
    "region": Text(
        zh="{label}前6位不是已知的行政区划代码：请对照证件核对号码。",
        en="The first six digits of the {label} are not a known region code: check the number on the card.",
    ),
    "unknown_jurisdiction": Text(
        zh="{label}中有不是国家（地区）代码的内容：请填写两位或三位字母代码（如 US 或 USA），用逗号分隔。",
        en="{label} holds something that is not a country code: enter two- or three-letter ISO codes (like US or USA), "
        "separated by commas.",
    ),
    # The form's cross checks.
    "mismatch_id_number": Text(
        zh="{label}与身份证号码不一致：请对照证件核对两者。",
        en="{label} differs from what the resident ID number says: check both against the card.",
    ),
    "mismatch_birth_date": Text(
        zh="身份证号码中的出生日期与所填出生日期不一致：请对照证件核对。",
        en="The ID number gives another date of birth than the one entered: check both against the card.",
    ),
    "mismatch_sex": Text(
        zh="身份证号码表示的性别与所填性别不一致：请对照证件核对。",
        en="The ID number gives another sex than the one entered: check both against the card.",
    ),
    "resident_id_requires_chn": Text(
        zh="持居民身份证的客户国籍应为中国：请将国籍改为中国，或选择客户实际出示的证件类型。",
        en="A resident ID card holder is a Chinese national: set the nationality to China, or pick the document type "
        "the customer actually showed.",
    ),
    "before_valid_from": Text(
        zh="证件有效期截止日不晚于起始日：请对照证件核对两个日期。",
        en="The ID is valid until a day that is not after it became valid: check both dates against the document.",
    ),
    "validity_period": Text(
        zh="居民身份证有效期应为5年、10年、20年或长期：请对照证件核对起止日期。",
        en="A resident ID card is valid for 5, 10 or 20 years or long term: check the dates against the card.",
    ),
    "foreign_with_cn_only": Text(
        zh="已声明仅为中国税收居民，却填写了其他国家（地区）：请删除，或按客户声明更改税收居民身份。",
        en="The customer declared tax residency in China only, yet another jurisdiction is listed: remove it, or "
        "change the tax residency to match the declaration.",
    ),
    "tin_with_cn_only": Text(
        zh="已声明仅为中国税收居民，不应填写境外纳税人识别号：请删除，或按客户声明更改税收居民身份。",
        en="The customer declared tax residency in China only, so there is no foreign TIN: clear it, or change the "
        "tax residency to match the declaration.",
    ),
    "no_foreign_jurisdiction": Text(
        zh="客户声明为其他国家（地区）税收居民，但只填写了中国：请填写中国以外的税收居民国（地区）。",
        en="The customer is tax resident elsewhere, but only China is listed: add the other jurisdictions.",
    ),
    "cn_with_other_only": Text(
        zh="客户声明仅为其他国家（地区）税收居民，却填写了中国：请删除中国，或更改税收居民身份。",
        en="The customer declared tax residency elsewhere only, yet China is listed: remove China, or change the "
        "tax residency.",
    ),
}

# "format" means something else for each type of field.
_FORMAT_BY_TYPE: Mapping[FieldType, Text] = {
    FieldType.DATE: Text(
        zh="{label}不是日期：请按 2024-01-05 的格式填写。",
        en="{label} is not a date: enter it as 2024-01-05.",
    ),
    FieldType.DATE_OR_LONG_TERM: Text(
        zh="{label}不是日期：请按 2024-01-05 的格式填写，或填写“长期”。",
        en='{label} is not a date: enter it as 2024-01-05 or "长期" (long term).',
    ),
    FieldType.ID_NUMBER: Text(
        zh="{label}不符合该证件类型的号码格式：请对照证件重新录入。",
        en="{label} does not have the form of a number of this document type: re-enter it from the document.",
    ),
    FieldType.PHONE: Text(
        zh="{label}不是手机号码：内地号码填写11位数字，境外号码以 + 和国家/地区代码开头。",
        en="{label} is not a mobile number: 11 digits for a mainland number, or + and the country code for another.",
    ),
    FieldType.EMAIL: Text(
        zh="{label}不是有效的电子邮箱地址：请按 name@example.com 的格式与客户核对。",
        en="{label} is not a valid email address: check it with the customer (like name@example.com).",
    ),
    FieldType.POSTAL_CODE: Text(
        zh="{label}应为6位数字：请核对。",
        en="{label} should be six digits (a mainland postal code): check it.",
    ),
    FieldType.MONEY: Text(
        zh="{label}不是有效金额：请填写不为负数、最多两位小数的金额，如 1234.50。",
        en="{label} is not an amount: enter a non-negative amount with at most two decimals, like 1234.50.",
    ),
    FieldType.PINYIN: Text(
        zh="{label}只能包含大写字母A-Z、空格和连字符：请按证件上的拼音或拉丁字母姓名填写。",
        en="{label} has only the letters A-Z, spaces and hyphens: copy the Latin-letter name from the document.",
    ),
}

_FORMAT_OTHER: Text = Text(
    zh="{label}含有不应出现的字符：请按证件填写。",
    en="{label} contains characters it should not have: copy it from the document.",
)
_UNLISTED: Text = Text(
    zh="{label}不符合表单规则（{code}）：请对照纸质表单核对。",
    en="{label} breaks a rule of the form ({code}): check it against the paper form.",
)


def has_reason(code: str) -> bool:
    """True when `code` has a reason of its own here (otherwise the report names the code)."""
    return code in _BY_CODE or code == "format"


def value_free(schema: FormSchema, problem: Problem) -> Problem:
    """`problem` with its messages rebuilt from its field's label and its code: no value it was raised about."""
    try:
        spec = schema.field(problem.field)
    except KeyError:
        spec = None
    label = spec.label_text if spec is not None else same(problem.field)
    if problem.code == "format":
        template = _FORMAT_BY_TYPE.get(spec.type, _FORMAT_OTHER) if spec is not None else _FORMAT_OTHER
    else:
        template = _BY_CODE.get(problem.code, _UNLISTED)
    return replace(problem, message_text=template.format(label=label, code=problem.code))
