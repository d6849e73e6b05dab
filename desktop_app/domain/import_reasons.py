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
from desktop_app.domain.validation import Problem

# (zh, en) templates; {zh} and {en} are the field's label, {code} the rule's code. Nothing else may go in.
_Reason = tuple[str, str]

_BY_CODE: Mapping[str, _Reason] = {
    "required": (
        "{zh}为必填项（或因本行其他栏目的内容而必填）：请填写。",
        "{en} is required (for this row, perhaps because of another column): fill it in.",
    ),
    "too_long": ("{zh}超过表单允许的长度：请删减。", "{en} is longer than the form allows: shorten it."),
    "invalid_date": (
        "{zh}不是日历上存在的日期：请对照证件核对。",
        "{en} is not a real calendar date: check it against the document.",
    ),
    "choice": (
        "{zh}不是可选项：请填写表单列表中的一项。",
        "{en} is not one of the form's options: use one from its list.",
    ),
    "invalid_phone": (
        "{zh}不是有效的境外电话号码：请核对国家/地区代码和号码。",
        "{en} is not a valid number for its country: check the country code and the number.",
    ),
    "not_mobile": (
        "{zh}是固定电话号码：请填写客户的手机号码。",
        "{en} is a landline: enter the customer's mobile number.",
    ),
    "invalid_mobile": (
        "{zh}不是有效的内地手机号码：请与客户核对。",
        "{en} is not a valid mainland mobile number: check it with the customer.",
    ),
    "future_date": ("{zh}晚于今天：请对照证件核对。", "{en} is in the future: check it against the document."),
    "before_1900": (
        "{zh}早于1900年：请对照证件核对年份。",
        "{en} is before 1900: check the year against the document.",
    ),
    "expired": (
        "证件已过期（{zh}）：请客户出示有效期内的证件。",
        "The ID document has expired ({en}): ask the customer for a valid document.",
    ),
    # The ID-number rules of domain/id_numbers.py.
    "length": (
        "{zh}位数不对：请对照证件重新录入。",
        "{en} has the wrong number of characters: re-enter it from the document.",
    ),
    "checksum": (
        "{zh}校验位不符，号码中有录入错误：请逐位对照证件核对。",
        "{en}: the check character does not match, so a character is mistyped: compare each one with the document.",
    ),
    "invalid_birth_date": (
        "{zh}中的出生日期不是有效日期：请对照证件核对号码。",
        "The birth date inside the {en} is not a real date: check the number on the document.",
    ),
    "region": (
        "{zh}前6位不是已知的行政区划代码：请对照证件核对号码。",
        "The first six digits of the {en} are not a known region code: check the number on the card.",
    ),
    "unknown_jurisdiction": (
        "{zh}中有不是国家（地区）代码的内容：请填写两位或三位字母代码（如 US 或 USA），用逗号分隔。",
        "{en} holds something that is not a country code: enter two- or three-letter ISO codes (like US or USA), "
        "separated by commas.",
    ),
    # The form's cross checks.
    "mismatch_id_number": (
        "{zh}与身份证号码不一致：请对照证件核对两者。",
        "{en} differs from what the resident ID number says: check both against the card.",
    ),
    "mismatch_birth_date": (
        "身份证号码中的出生日期与所填出生日期不一致：请对照证件核对。",
        "The ID number gives another date of birth than the one entered: check both against the card.",
    ),
    "mismatch_sex": (
        "身份证号码表示的性别与所填性别不一致：请对照证件核对。",
        "The ID number gives another sex than the one entered: check both against the card.",
    ),
    "resident_id_requires_chn": (
        "持居民身份证的客户国籍应为中国：请将国籍改为中国，或选择客户实际出示的证件类型。",
        "A resident ID card holder is a Chinese national: set the nationality to China, or pick the document type "
        "the customer actually showed.",
    ),
    "before_valid_from": (
        "证件有效期截止日不晚于起始日：请对照证件核对两个日期。",
        "The ID is valid until a day that is not after it became valid: check both dates against the document.",
    ),
    "validity_period": (
        "居民身份证有效期应为5年、10年、20年或长期：请对照证件核对起止日期。",
        "A resident ID card is valid for 5, 10 or 20 years or long term: check the dates against the card.",
    ),
    "foreign_with_cn_only": (
        "已声明仅为中国税收居民，却填写了其他国家（地区）：请删除，或按客户声明更改税收居民身份。",
        "The customer declared tax residency in China only, yet another jurisdiction is listed: remove it, or "
        "change the tax residency to match the declaration.",
    ),
    "tin_with_cn_only": (
        "已声明仅为中国税收居民，不应填写境外纳税人识别号：请删除，或按客户声明更改税收居民身份。",
        "The customer declared tax residency in China only, so there is no foreign TIN: clear it, or change the "
        "tax residency to match the declaration.",
    ),
    "no_foreign_jurisdiction": (
        "客户声明为其他国家（地区）税收居民，但只填写了中国：请填写中国以外的税收居民国（地区）。",
        "The customer is tax resident elsewhere, but only China is listed: add the other jurisdictions.",
    ),
    "cn_with_other_only": (
        "客户声明仅为其他国家（地区）税收居民，却填写了中国：请删除中国，或更改税收居民身份。",
        "The customer declared tax residency elsewhere only, yet China is listed: remove China, or change the "
        "tax residency.",
    ),
}

# "format" means something else for each type of field.
_FORMAT_BY_TYPE: Mapping[FieldType, _Reason] = {
    FieldType.DATE: ("{zh}不是日期：请按 2024-01-05 的格式填写。", "{en} is not a date: enter it as 2024-01-05."),
    FieldType.DATE_OR_LONG_TERM: (
        "{zh}不是日期：请按 2024-01-05 的格式填写，或填写“长期”。",
        '{en} is not a date: enter it as 2024-01-05 or "长期" (long term).',
    ),
    FieldType.ID_NUMBER: (
        "{zh}不符合该证件类型的号码格式：请对照证件重新录入。",
        "{en} does not have the form of a number of this document type: re-enter it from the document.",
    ),
    FieldType.PHONE: (
        "{zh}不是手机号码：内地号码填写11位数字，境外号码以 + 和国家/地区代码开头。",
        "{en} is not a mobile number: 11 digits for a mainland number, or + and the country code for another.",
    ),
    FieldType.EMAIL: (
        "{zh}不是有效的电子邮箱地址：请按 name@example.com 的格式与客户核对。",
        "{en} is not a valid email address: check it with the customer (like name@example.com).",
    ),
    FieldType.POSTAL_CODE: (
        "{zh}应为6位数字：请核对。",
        "{en} should be six digits (a mainland postal code): check it.",
    ),
    FieldType.MONEY: (
        "{zh}不是有效金额：请填写不为负数、最多两位小数的金额，如 1234.50。",
        "{en} is not an amount: enter a non-negative amount with at most two decimals, like 1234.50.",
    ),
    FieldType.PINYIN: (
        "{zh}只能包含大写字母A-Z、空格和连字符：请按证件上的拼音或拉丁字母姓名填写。",
        "{en} has only the letters A-Z, spaces and hyphens: copy the Latin-letter name from the document.",
    ),
}

_FORMAT_OTHER: _Reason = (
    "{zh}含有不应出现的字符：请按证件填写。",
    "{en} contains characters it should not have: copy it from the document.",
)
_UNLISTED: _Reason = (
    "{zh}不符合表单规则（{code}）：请对照纸质表单核对。",
    "{en} breaks a rule of the form ({code}): check it against the paper form.",
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
    label_zh = spec.label_zh if spec is not None else problem.field
    label_en = spec.label_en if spec is not None else problem.field
    if problem.code == "format":
        zh, en = _FORMAT_BY_TYPE.get(spec.type, _FORMAT_OTHER) if spec is not None else _FORMAT_OTHER
    else:
        zh, en = _BY_CODE.get(problem.code, _UNLISTED)
    return replace(
        problem,
        message_zh=zh.format(zh=label_zh, code=problem.code),
        message_en=en.format(en=label_en, code=problem.code),
    )
