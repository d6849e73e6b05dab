"""Which form field a spreadsheet column holds: header normalisation, the guess from labels and common
synonyms, and the layout signature a chosen mapping is saved under.

A mapping is {column index (0-based): field key}; columns not in it are ignored. The signature is the SHA-256
of the normalised header row, so the same layout saved again with "姓名*" for "姓名" or an extra space is
still recognised, while a reordered or different set of columns is a new layout.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence

from desktop_app.domain.form_schema import FormSchema

#: Other headers a bank's spreadsheets use for a field, beside the form's own zh/en labels and its key.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "name": ("名字", "客户姓名", "客户名称", "户名", "中文姓名", "name", "customer name", "full name"),
    "name_pinyin": ("拼音", "姓名拼音", "拼音姓名", "英文姓名", "英文名", "pinyin", "name pinyin", "latin name"),
    "sex": ("性别", "gender", "sex"),
    "ethnicity": ("民族", "族别", "ethnicity", "ethnic group"),
    "birth_date": ("出生日期", "出生年月日", "生日", "出生年月", "date of birth", "birth date", "dob", "birthday"),
    "nationality": ("国籍", "国家", "国籍地区", "国籍(地区)", "nationality", "country"),
    "id_type": ("证件类型", "证件种类", "证件类别", "id type", "document type"),
    "id_number": (
        "证件号码",
        "证件号",
        "身份证号",
        "身份证号码",
        "身份证",
        "公民身份号码",
        "证件编号",
        "id number",
        "id no",
        "document number",
    ),
    "issuing_authority": ("签发机关", "发证机关", "签发机构", "issuing authority", "issued by"),
    "id_valid_from": (
        "证件有效期起始日",
        "有效期起始日",
        "有效期自",
        "证件起始日",
        "签发日期",
        "valid from",
        "issue date",
    ),
    "id_valid_until": (
        "证件有效期截止日",
        "有效期截止日",
        "有效期至",
        "证件到期日",
        "到期日",
        "证件有效期",
        "valid until",
        "expiry date",
    ),
    "address": ("住址", "地址", "联系地址", "居住地址", "通讯地址", "家庭住址", "户籍地址", "address"),
    "postal_code": ("邮编", "邮政编码", "postcode", "zip", "zip code", "postal code"),
    "mobile": (
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话",
        "联系方式",
        "移动电话",
        "mobile",
        "phone",
        "telephone",
    ),
    "email": ("电子邮箱", "邮箱", "电子邮件", "email", "e-mail", "mail"),
    "occupation": ("职业", "职业类别", "occupation", "job"),
    "employer": ("工作单位", "单位", "单位名称", "工作单位名称", "employer", "company"),
    "annual_income_band": ("个人年收入", "年收入", "收入", "annual income", "income"),
    "tax_residency": ("税收居民身份", "税收居民", "tax residency"),
    "tax_jurisdictions": ("税收居民国", "税收居民国(地区)", "税收居民国家", "tax jurisdictions", "tax jurisdiction"),
    "foreign_tin": ("境外纳税人识别号", "纳税人识别号", "tin", "foreign tin"),
    "risk_level": ("客户风险等级", "风险等级", "风险评级", "risk level", "risk rating"),
    "notes": ("备注", "说明", "notes", "remarks", "comment"),
}

# Markers a template puts into a header that say nothing about the field: "姓名（必填）", "*姓名", "Name *".
_MARKERS = re.compile(r"必填|选填|可选|必输|\(required\)|\(optional\)|required|optional")


def normalise_header(text: object) -> str:
    """A header cell reduced to what identifies it: NFKC, case-folded, without required/optional markers,
    spaces, punctuation and symbols ("＊ 姓名（必填）" → "姓名"). None is ""."""
    raw = "" if text is None else str(text)
    folded = unicodedata.normalize("NFKC", raw).casefold()
    folded = _MARKERS.sub("", folded)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def trimmed_headers(headers: Sequence[object]) -> list[str]:
    """The header cells as text, without the empty cells after the last named column."""
    cells = ["" if h is None else str(h).strip() for h in headers]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def layout_signature(headers: Sequence[object]) -> str:
    """The SHA-256 (hex) of the normalised header row: the key a mapping is saved and found under."""
    row = [normalise_header(h) for h in trimmed_headers(headers)]
    return hashlib.sha256(json.dumps(row, ensure_ascii=False).encode("utf-8")).hexdigest()


def _names(schema: FormSchema) -> dict[str, str]:
    """Every normalised name a field is known by → its key; the form's own labels take precedence."""
    names: dict[str, str] = {}
    for spec in schema.fields:
        for name in (spec.label_text.zh, spec.label_text.en, spec.key, spec.key.replace("_", " ")):
            names.setdefault(normalise_header(name), spec.key)
    for key, synonyms in SYNONYMS.items():
        if key in schema.keys:
            for name in synonyms:
                names.setdefault(normalise_header(name), key)
    names.pop("", None)
    return names


def guess_mapping(schema: FormSchema, headers: Sequence[object]) -> dict[int, str]:
    """A first guess at {column index: field key} from the headers; each field is given one column at most.

    An exact match of the normalised header with a label, key or synonym wins; otherwise the longest known name
    the header contains ("客户证件号码" holds "证件号码"). Unrecognised columns are left out (ignored).
    """
    names = _names(schema)
    normalised = [normalise_header(h) for h in headers]
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(normalised):
        key = names.get(header)
        if key is not None and key not in taken:
            mapping[index] = key
            taken.add(key)
    by_length = sorted(names, key=len, reverse=True)
    for index, header in enumerate(normalised):
        if index in mapping or not header:
            continue
        for name in by_length:
            # Two characters at least: one Han character ("名") or letter would match far too much.
            if len(name) >= 2 and name in header and names[name] not in taken:
                mapping[index] = names[name]
                taken.add(names[name])
                break
    return mapping


def mapping_problems(schema: FormSchema, column_count: int, mapping: Mapping[int, str]) -> list[str]:
    """What is wrong with a mapping, in English for the log and the error ("" list when it is usable): a column
    outside the sheet, an unknown field, or a field given two columns."""
    found: list[str] = []
    seen: dict[str, int] = {}
    for index, key in sorted(mapping.items()):
        if not 0 <= index < column_count:
            found.append(f"column {index + 1} is not in the file")
        if key not in schema.keys:
            found.append(f"the form has no field '{key}'")
        if key in seen:
            found.append(f"field '{key}' is given to columns {seen[key] + 1} and {index + 1}")
        seen.setdefault(key, index)
    return found


def unmapped_required(schema: FormSchema, mapping: Mapping[int, str]) -> list[str]:
    """Keys of the form's required fields without a column and without a default (every row would fail)."""
    mapped = set(mapping.values())
    return [spec.key for spec in schema.fields if spec.required and not spec.default and spec.key not in mapped]


def column_name(index: int) -> str:
    """The spreadsheet letter(s) of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
