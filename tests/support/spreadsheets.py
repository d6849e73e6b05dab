"""Spreadsheets to import, made from synthetic customers (domain/synthetic.py): Chinese headers, choices written
as their Chinese labels (男, 居民身份证, 汉族, 中国) the way a branch's own sheet has them, and bad rows of each
kind the importer must refuse, each with the code it must give.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from desktop_app.domain.form_schema import FieldType, FormSchema, load_default_form
from desktop_app.domain.synthetic import CUSTOMER_FIELDS, generate_customers

# The headers as a branch's sheet might have them: mostly the form's labels, some common synonyms, a marker.
_HEADER_OVERRIDES = {
    "name": "姓名*",
    "mobile": "手机",
    "address": "地址",
    "postal_code": "邮编",
    "id_number": "身份证号",
}


def chinese_headers(schema: FormSchema | None = None) -> list[str]:
    """One Chinese header per customer field, in CUSTOMER_FIELDS order."""
    form = schema or load_default_form()
    return [_HEADER_OVERRIDES.get(key, form.field(key).label_text.zh) for key in CUSTOMER_FIELDS]


def display_row(values: Mapping[str, str], schema: FormSchema | None = None) -> list[str]:
    """A customer as a clerk's sheet shows it: choice values as their Chinese labels."""
    form = schema or load_default_form()
    cells = []
    for key in CUSTOMER_FIELDS:
        spec = form.field(key)
        value = values.get(key, "")
        if spec.type is FieldType.CHOICE and value:
            choice = spec.choice(value)
            value = choice.label_text.zh if choice else value
        cells.append(value)
    return cells


def customer_rows(n: int, seed: int = 7) -> list[list[str]]:
    """`n` valid customer rows (unique ID numbers within one seed)."""
    schema = load_default_form()
    return [display_row(values, schema) for values in generate_customers(n, seed=seed)]


def column(key: str) -> int:
    """The column index of a field in these sheets."""
    return CUSTOMER_FIELDS.index(key)


@dataclass
class BadRows:
    """Rows with bad rows put in, and what the importer must say about each: {row number: code}."""

    rows: list[list[str]]
    expected: dict[int, str] = field(default_factory=dict)
    encoded_rows: dict[int, str] = field(default_factory=dict)  # csv: row number → the encoding to write it in

    @property
    def good(self) -> int:
        return len(self.rows) - len(self.expected)


def _sheet_row(index: int) -> int:
    return index + 2  # data row index → spreadsheet row number (header is row 1)


def with_bad_rows(rows: list[list[str]], every: int = 500, *, csv_encoding_row: bool = False) -> BadRows:
    """Put a bad row of each kind in turn every `every` rows: wrong checksum, missing name, duplicate ID, a
    formula, a 10,000-character cell, wrongly encoded text. With csv_encoding_row the wrong-encoding rows are
    written in the other encoding (see write_csv) instead of holding mojibake text."""
    rows = [list(r) for r in rows]
    out = BadRows(rows)
    kinds = ("checksum", "required", "duplicate_in_file", "formula", "cell_too_long", "wrong_encoding")
    ids = column("id_number")
    types = column("id_type")
    for n, index in enumerate(range(every, len(rows), every)):
        kind = kinds[n % len(kinds)]
        row = rows[index]
        if kind == "checksum":
            # A resident ID whose last character no longer matches its check digit.
            row[types] = "居民身份证"
            source = next(r for r in rows[index + 1 :] if r[types] == "居民身份证")
            for key in ("id_number", "birth_date", "sex", "nationality", "ethnicity", "id_valid_from"):
                row[column(key)] = source[column(key)]
            row[column("id_valid_until")] = source[column("id_valid_until")]
            last = row[ids][-1]
            row[ids] = row[ids][:-1] + ("0" if last != "0" else "1")
        elif kind == "required":
            row[column("name")] = ""
        elif kind == "duplicate_in_file":
            # The same customer keyed twice: the whole earlier row, so nothing but the duplicate is wrong.
            rows[index] = list(rows[index - 3])
        elif kind == "formula":
            row[column("employer")] = '=HYPERLINK("http://example.com","示例")'
        elif kind == "cell_too_long":
            row[column("notes")] = "备" * 10_000
        elif kind == "wrong_encoding":
            if csv_encoding_row:
                out.encoded_rows[_sheet_row(index)] = "other"
            else:
                name = row[column("name")]
                row[column("name")] = name.encode("utf-8").decode("latin-1")  # "å¼ ä¸\x89" for "张三"
        out.expected[_sheet_row(index)] = kind
    return out


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """An .xlsx with one sheet; a cell text starting with "=" is written as a formula, as Excel stores it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_csv(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    encoding: str = "utf-8",
    *,
    bom: bool = False,
    other_encoding_rows: Iterable[int] = (),
) -> Path:
    """A csv in `encoding` ("utf-8" or "gbk"); the rows numbered in `other_encoding_rows` are written in the
    other one (GBK in a UTF-8 file, UTF-8 in a GBK file), as when two files were pasted together."""
    other = "gbk" if encoding.startswith("utf") else "utf-8"
    odd = set(other_encoding_rows)
    out = bytearray(b"\xef\xbb\xbf" if bom else b"")
    for number, row in enumerate([headers, *rows], start=1):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(row)
        out += buffer.getvalue().encode(other if number in odd else encoding)
    path.write_bytes(bytes(out))
    return path
