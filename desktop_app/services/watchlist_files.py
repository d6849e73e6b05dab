"""Reading a watchlist file: the UN Security Council consolidated list (XML) and a bank's own list (CSV).

The XML comes from outside the bank, so it is parsed with defusedxml: a document type with entities (billion
laughs) or external references (XXE) is refused, never expanded or fetched. A file is read whole before anything
is stored; any problem refuses all of it (WatchlistFileRefused says what and where), so a half-read list never
replaces a good one.

The bank's CSV: UTF-8 (a BOM allowed), a header row with at least `ref` and `name`; optional `aliases` (separated
by ";"), `birth_date` (YYYY-MM-DD, YYYY, or YYYY/YYYY; several separated by ";"), `nationality`, `id_number`
(several separated by ";").
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from desktop_app.domain.watchlist import EntryKind, WatchlistEntry
from desktop_app.services.errors import InvalidRequest

#: Largest list file read (the UN list is about 2 MB; a bank's own list of 10,000 rows well under this).
MAX_BYTES = 64 * 1024 * 1024
_DATE_SHAPE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


class _Date:
    """A birth date of a list entry: YYYY or YYYY-MM-DD, and a real one (1970-13-45 is refused: found by the
    independent check, it was imported as it stood)."""

    @staticmethod
    def match(value: str) -> bool:
        if not _DATE_SHAPE.match(value):
            return False
        if len(value) == 4:
            return 1800 <= int(value) <= 2100
        try:
            return 1800 <= datetime.date.fromisoformat(value).year <= 2100
        except ValueError:
            return False


_DATE = _Date()
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


class WatchlistFileRefused(InvalidRequest):
    code = "watchlist_file_refused"


def _refuse(en: str, zh: str) -> WatchlistFileRefused:
    return WatchlistFileRefused(
        f"The list file was not imported: {en} The previous list version stays in use; correct the file and "
        "import it again.",
        f"名单文件未导入：{zh}仍使用上一版名单；请更正文件后重新导入。",
    )


def read_list_file(data: bytes, file_name: str) -> tuple[str, list[WatchlistEntry]]:
    """The list's format ("un_xml" or "csv") and its entries; WatchlistFileRefused when the file is not one."""
    if len(data) > MAX_BYTES:
        raise _refuse("the file is larger than 64 MB.", "文件超过 64 MB。")
    if not data.lstrip(b"\xef\xbb\xbf \r\n\t"):
        raise _refuse("the file is empty.", "文件是空的。")
    if file_name.lower().endswith(".xml") or data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return "un_xml", read_un_xml(data)
    return "csv", read_bank_csv(data)


# --- the UN consolidated list -----------------------------------------------------------------------------------


def _text(element: Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _all(parent: Element, path: str) -> list[str]:
    return [t for t in (_text(e) for e in parent.findall(path)) if t]


def _birth_dates(person: Element, ref: str) -> tuple[str, ...]:
    found: list[str] = []
    for dob in person.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        date, year = _text(dob.find("DATE"))[:10], _text(dob.find("YEAR"))
        low, high = _text(dob.find("FROM_YEAR")), _text(dob.find("TO_YEAR"))
        if date:
            value = date
        elif year:
            value = year
        elif low and high:
            value = f"{low}/{high}"
        else:
            continue  # the list says the date is unknown
        for part in value.split("/"):
            if not _DATE.match(part):
                raise _refuse(
                    f"entry {ref} has a birth date that is not a date ('{value[:20]}').",
                    f"条目 {ref} 的出生日期不是日期（“{value[:20]}”）。",
                )
        found.append(value)
    return tuple(found)


def _un_entry(element: Element, kind: EntryKind) -> WatchlistEntry:
    ref = _text(element.find("REFERENCE_NUMBER")) or _text(element.find("DATAID"))
    if not ref:
        raise _refuse("an entry has no REFERENCE_NUMBER or DATAID.", "有条目缺少 REFERENCE_NUMBER 或 DATAID。")
    primary = " ".join(p for p in (_text(element.find(tag)) for tag in _NAME_PARTS) if p)
    alias_tag = "INDIVIDUAL_ALIAS" if kind is EntryKind.INDIVIDUAL else "ENTITY_ALIAS"
    names = [primary, _text(element.find("NAME_ORIGINAL_SCRIPT")), *_all(element, f"{alias_tag}/ALIAS_NAME")]
    unique = tuple(dict.fromkeys(n for n in names if n))
    if not primary:
        raise _refuse(f"entry {ref} has no name (FIRST_NAME).", f"条目 {ref} 没有姓名（FIRST_NAME）。")
    if kind is EntryKind.ENTITY:
        return WatchlistEntry(ref, kind, unique)
    documents = tuple(n for n in (_text(d.find("NUMBER")) for d in element.findall("INDIVIDUAL_DOCUMENT")) if n)
    return WatchlistEntry(
        ref, kind, unique, _birth_dates(element, ref), tuple(_all(element, "NATIONALITY/VALUE")), documents
    )


def read_un_xml(data: bytes) -> list[WatchlistEntry]:
    """The individuals and entities of a UN Security Council consolidated list file."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise _refuse(
            "the file declares entities or external references, which a list file never needs.",
            "文件声明了实体或外部引用，名单文件不应包含这些内容。",
        ) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else "?"
        raise _refuse(
            f"it is not well-formed XML (line {line}).", f"不是格式正确的 XML 文件（第 {line} 行）。"
        ) from None
    if root.tag != "CONSOLIDATED_LIST":
        raise _refuse(
            "it is not a UN consolidated list (its root element is not CONSOLIDATED_LIST).",
            "不是联合国综合制裁名单（根元素不是 CONSOLIDATED_LIST）。",
        )
    entries = [_un_entry(e, EntryKind.INDIVIDUAL) for e in root.findall("INDIVIDUALS/INDIVIDUAL")]
    entries += [_un_entry(e, EntryKind.ENTITY) for e in root.findall("ENTITIES/ENTITY")]
    return _checked(entries)


# --- a bank's own CSV -------------------------------------------------------------------------------------------


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split(";") if p.strip())


def read_bank_csv(data: bytes) -> list[WatchlistEntry]:
    """The entries of a bank's own list (columns: see the module docstring)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            "it is not UTF-8 text. Save the CSV as UTF-8.", "不是 UTF-8 文本，请将 CSV 另存为 UTF-8。"
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("ref", "name") if c not in header]
    if missing:
        raise _refuse(
            f"the header row lacks the column(s) {', '.join(missing)}.", f"表头缺少列：{'、'.join(missing)}。"
        )
    reader.fieldnames = header
    entries: list[WatchlistEntry] = []
    for line, row in enumerate(reader, start=2):
        if None in row:
            raise _refuse(f"line {line} has more cells than the header.", f"第 {line} 行的单元格多于表头。")
        if not any((v or "").strip() for v in row.values()):
            continue
        ref, name = (row.get("ref") or "").strip(), (row.get("name") or "").strip()
        if not ref or not name:
            raise _refuse(f"line {line} has no ref or no name.", f"第 {line} 行缺少编号或姓名。")
        dates = _split(row.get("birth_date"))
        for date in dates:
            parts = date.split("/")
            if not all(_DATE_SHAPE.match(p) for p in parts):
                raise _refuse(
                    f"line {line}: the birth date '{date[:20]}' is not written YYYY-MM-DD, YYYY or YYYY/YYYY.",
                    f"第 {line} 行：出生日期“{date[:20]}”应写为 YYYY-MM-DD、YYYY 或 YYYY/YYYY。",
                )
            if not all(_DATE.match(p) for p in parts):
                raise _refuse(
                    f"line {line}: the birth date '{date[:20]}' is not a date that exists.",
                    f"第 {line} 行：出生日期“{date[:20]}”不是存在的日期。",
                )
        names = tuple(dict.fromkeys((name, *_split(row.get("aliases")))))
        entries.append(
            WatchlistEntry(
                ref, EntryKind.INDIVIDUAL, names, dates, _split(row.get("nationality")), _split(row.get("id_number"))
            )
        )
    return _checked(entries)


def _checked(entries: Iterable[WatchlistEntry]) -> list[WatchlistEntry]:
    out = list(entries)
    if not out:
        raise _refuse("it holds no entries.", "文件中没有任何条目。")
    seen: set[tuple[str, str]] = set()
    for entry in out:
        key = (entry.kind.value, entry.ref)
        if key in seen:
            raise _refuse(f"the reference {entry.ref} appears twice.", f"编号 {entry.ref} 出现了两次。")
        seen.add(key)
    return out
