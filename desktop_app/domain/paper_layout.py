"""The layout of a paper form version: how many pages it has, where its serial-number code is printed, and on
which page and in which region each field (and each signature) is written. Read from a YAML file beside the form
schema (`resources/forms/<form key>.v<version>.layout.yaml`), so a bank that reprints its form changes a file, not
code.

Regions are in millimetres from the page's top-left corner, [left, top, right, bottom], so one layout serves any
scan resolution; `Region.pixels()` turns one into a box on a page image. The loader refuses, with every problem
named, a layout whose regions leave the page, whose fields the form does not have, or whose code pattern cannot
give a serial number: a wrong layout would otherwise point the teller at the wrong part of the sheet.
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import yaml

from desktop_app.domain.form_schema import FormSchema
from desktop_app.domain.text import Text

LAYOUT_SUFFIX = ".layout.yaml"
A4_MM = (210.0, 297.0)
MM_PER_INCH = 25.4
_LAYOUT_KEYS = frozenset({"form", "version", "page_size_mm", "pages", "code", "fields", "signatures"})
_CODE_KEYS = frozenset({"page", "box", "pattern"})
_REGION_KEYS = frozenset({"page", "box"})
_SIGNATURE_KEYS = frozenset({"name", "label", "page", "box"})
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class LayoutError(ValueError):
    """A layout file that cannot be used; the message names the file and each problem in it."""


@dataclass(frozen=True)
class Region:
    """A rectangle on one page of the form, in millimetres from the page's top-left corner."""

    page: int  # 1-based
    left: float
    top: float
    right: float
    bottom: float

    def pixels(self, image_size: tuple[int, int], page_size_mm: tuple[float, float] = A4_MM) -> tuple[int, ...]:
        """The region as (left, top, right, bottom) pixels on a page image of `image_size`, scaled by the page's
        width and height separately (a scan is rarely exactly A4 at its nominal resolution)."""
        width, height = image_size
        sx, sy = width / page_size_mm[0], height / page_size_mm[1]
        return (
            max(0, round(self.left * sx)),
            max(0, round(self.top * sy)),
            min(width, round(self.right * sx)),
            min(height, round(self.bottom * sy)),
        )


@dataclass(frozen=True)
class CodeSpec:
    """Where the form's serial-number code is printed and how its text gives the serial number."""

    region: Region
    pattern: re.Pattern[str]  # with a group named `serial`

    def serial(self, text: str) -> str | None:
        """The serial number in a code's text, None when the text is not this form version's code."""
        match = self.pattern.fullmatch(text.strip())
        return match.group("serial") if match else None


@dataclass(frozen=True)
class PaperLayout:
    """One paper form version: page count, the code, a region per field and per signature."""

    form_key: str
    version: int
    pages: int
    page_size_mm: tuple[float, float]
    code: CodeSpec | None
    fields: Mapping[str, Region]
    signatures: Mapping[str, Region]
    source: str = "<memory>"
    # What the teller calls each signature box ("the customer's signature"), from the layout's optional `label`
    # {en, zh}; without one the warning names the box by its layout name (found by the independent check).
    signature_labels: Mapping[str, Text] = field(default_factory=dict)

    def signature_words(self, name: str) -> Text:
        """Signature box `name` in words, with its page: 'the signature box "Customer's signature" on page 2'."""
        label = self.signature_labels.get(name, Text(en=name, zh=name))
        page = self.signatures[name].page if name in self.signatures else 0
        return Text(
            en=f"the signature box \u201c{label.en}\u201d on page {page}",
            zh=f"第 {page} 页的签名栏\u201c{label.zh}\u201d",
        )

    def region(self, field_key: str) -> Region | None:
        """The region where `field_key` is written, None when the layout does not place it."""
        return self.fields.get(field_key)

    def code_hint(self) -> tuple[float, float, float, float] | None:
        """Where the code is printed, as shares of the page's width and height (for the code reader)."""
        if self.code is None:
            return None
        r, (w, h) = self.code.region, self.page_size_mm
        return (r.left / w, r.top / h, r.right / w, r.bottom / h)


class PaperWarning(StrEnum):
    """What the paper can tell before a record is submitted (warnings: the teller decides)."""

    PAGES_MISSING = "pages_missing"
    EXTRA_PAGES = "extra_pages"
    SIGNATURE_BLANK = "signature_blank"
    SIGNATURE_UNCHECKED = "signature_unchecked"  # the box is too dark to tell (a black page, a photo)
    UNKNOWN_FORM_VERSION = "unknown_form_version"
    FORM_NUMBER_DIFFERS = "form_number_differs"  # a page's code names another form than the record's number


def form_number_problem(page_no: int, serial: str, record_number: str, holder: str | None) -> PaperProblem:
    """A page whose code names form `serial` where the record's form number is `record_number` (empty: none; then
    `holder` is the record that holds `serial`, when one does): the sheet may be another customer's."""
    if record_number:
        message = Text(
            en=f"Page {page_no}'s code says form {serial}, but this record's form number is {record_number}. Check "
            "that the sheet is this customer's: remove the page, or correct the form number.",
            zh=f"第 {page_no} 页的编码显示表单编号为 {serial}，但本记录的表单编号为 {record_number}。请核对该纸质表单"
            "是否属于本客户：删除该页，或更正表单编号。",
        )
    else:
        other = f" record {holder}" if holder else " another record"
        message = Text(
            en=f"Page {page_no}'s code says form {serial}, which{other} already holds. This sheet may belong to "
            "that record: check it, and remove the page if it is not this customer's.",
            zh=f"第 {page_no} 页的编码显示表单编号为 {serial}，该编号已被{'记录 ' + holder if holder else '其他记录'}"
            "使用。此表单可能属于该记录：请核对，如不属于本客户请删除该页。",
        )
    return PaperProblem(PaperWarning.FORM_NUMBER_DIFFERS, message)


@dataclass(frozen=True)
class PaperProblem:
    """One warning about the scanned paper; the message names a signature box or page counts, never a value."""

    code: PaperWarning
    message: Text


def paper_problems(
    layout: PaperLayout | None,
    page_count: int,
    blank_signatures: Iterable[str] = (),
    dark_signatures: Iterable[str] = (),
) -> list[PaperProblem]:
    """The warnings for a record's scanned pages: a form version the workstation does not know (no layout), pages
    missing or too many for the version, signature regions left blank, and those too dark to check."""
    if page_count == 0:
        return []
    if layout is None:
        unknown = Text(
            en="The scanned form is a version this workstation does not know (its code was not recognised). "
            "Check that it is the bank's current form, or type its number by hand.",
            zh="扫描的表单版本本工作站不认识（未识别其编码）。请确认是银行现行表单，或手工输入表单编号。",
        )
        return [PaperProblem(PaperWarning.UNKNOWN_FORM_VERSION, unknown)]
    found: list[PaperProblem] = []
    if page_count < layout.pages:
        missing = Text(
            en=f"The form has {layout.pages} pages but {page_count} were scanned. Scan the missing pages.",
            zh=f"该表单共 {layout.pages} 页，只扫描了 {page_count} 页。请补扫缺少的页面。",
        )
        found.append(PaperProblem(PaperWarning.PAGES_MISSING, missing))
    elif page_count > layout.pages:
        extra = Text(
            en=f"The form has {layout.pages} pages but {page_count} were scanned. Remove the extra pages.",
            zh=f"该表单共 {layout.pages} 页，却扫描了 {page_count} 页。请删除多余的页面。",
        )
        found.append(PaperProblem(PaperWarning.EXTRA_PAGES, extra))
    for name in blank_signatures:
        box = layout.signature_words(name)
        blank = Text(
            en=f"{box.en[0].upper()}{box.en[1:]} is blank. Ask the customer to sign, then scan the page again.",
            zh=f"{box.zh}为空白。请客户签名后重新扫描该页。",
        )
        found.append(PaperProblem(PaperWarning.SIGNATURE_BLANK, blank))
    for name in dark_signatures:
        box = layout.signature_words(name)
        dark = Text(
            en=f"{box.en[0].upper()}{box.en[1:]} is too dark to check: is the page black, a photo, or scanned with "
            "the lid open? Check the signature on the sheet, and scan the page again if the scan is bad.",
            zh=f"{box.zh}过暗，无法检查：该页是否全黑、是照片，或扫描时未合上盖板？请核对纸质表单上的签名，"
            "如扫描质量差请重新扫描该页。",
        )
        found.append(PaperProblem(PaperWarning.SIGNATURE_UNCHECKED, dark))
    return found


# --- reading a layout file -----------------------------------------------------------------------------------


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{where}: {what}")

    def raise_if_any(self) -> None:
        if self.items:
            listed = "\n".join(f"  - {item}" for item in self.items)
            raise LayoutError(f"{self.source}: the paper layout cannot be used:\n{listed}")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _region(
    item: object, where: str, keys: frozenset[str], pages: int, size: tuple[float, float], problems: _Problems
) -> Region | None:
    if not isinstance(item, Mapping):
        problems.add(where, "must be a mapping with 'page' and 'box'")
        return None
    extra = sorted(str(k) for k in item if k not in keys)
    if extra:
        problems.add(where, "unknown key(s) " + ", ".join(extra))
    page, box = item.get("page"), item.get("box")
    ok = True
    # Without a valid page count (0) only "a page number" is checked: the count's own problem is already named.
    if not isinstance(page, int) or isinstance(page, bool) or page < 1 or (pages and page > pages):
        problems.add(where, f"'page' must be a page of the form, 1 to {pages} (got {page!r})")
        ok = False
    if not isinstance(box, list) or len(box) != 4 or not all(_number(v) for v in box):
        problems.add(where, "'box' must be four numbers: left, top, right, bottom in millimetres")
        return None
    left, top, right, bottom = (float(v) for v in box)
    if not (left < right and top < bottom):
        problems.add(where, f"the box {box} is empty: left must be less than right and top less than bottom")
        ok = False
    if left < 0 or top < 0 or right > size[0] or bottom > size[1]:
        problems.add(where, f"the box {box} is off the page ({size[0]:g} × {size[1]:g} mm)")
        ok = False
    return Region(int(page), left, top, right, bottom) if ok and isinstance(page, int) else None


def parse_layout(data: object, schema: FormSchema, source: str = "<memory>") -> PaperLayout:
    """A PaperLayout for `schema` from a layout file's parsed contents; LayoutError lists every problem."""
    problems = _Problems(source)
    if not isinstance(data, Mapping):
        raise LayoutError(f"{source}: a layout file must be a mapping with form, version, pages and fields")
    extra = sorted(str(k) for k in data if k not in _LAYOUT_KEYS)
    if extra:
        problems.add("layout", "unknown key(s) " + ", ".join(extra))
    if data.get("form") != schema.key:
        problems.add("form", f"names form {data.get('form')!r}, but the form schema is {schema.key!r}")
    version = data.get("version")
    if version != schema.version:
        problems.add("version", f"is {version!r}, but the form schema is version {schema.version}")
    pages = data.get("pages")
    if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
        problems.add("pages", f"must be a whole number of pages, at least 1 (got {pages!r})")
        pages = 0
    raw_size = data.get("page_size_mm", list(A4_MM))
    size = A4_MM
    if isinstance(raw_size, list) and len(raw_size) == 2 and all(_number(v) and v > 0 for v in raw_size):
        size = (float(raw_size[0]), float(raw_size[1]))
    else:
        problems.add("page_size_mm", "must be two positive numbers, width and height in millimetres")

    code = None
    raw_code = data.get("code")
    if raw_code is not None:
        region = _region(raw_code, "code", _CODE_KEYS, pages, size, problems)
        pattern_text = raw_code.get("pattern") if isinstance(raw_code, Mapping) else None
        pattern = None
        if not isinstance(pattern_text, str):
            problems.add("code", "'pattern' must be a regular expression with a group named 'serial'")
        else:
            try:
                pattern = re.compile(pattern_text)
            except re.error as error:
                problems.add("code", f"'pattern' is not a valid regular expression: {error}")
            if pattern is not None and "serial" not in pattern.groupindex:
                problems.add("code", "'pattern' has no group named 'serial', (?P<serial>...)")
                pattern = None
        if region is not None and pattern is not None:
            code = CodeSpec(region, pattern)

    fields: dict[str, Region] = {}
    raw_fields = data.get("fields", {})
    if not isinstance(raw_fields, Mapping):
        problems.add("fields", "must be a mapping from field key to its region")
        raw_fields = {}
    known = set(schema.keys)
    for key, item in raw_fields.items():
        where = f"field '{key}'"
        if key not in known:
            problems.add(where, f"the form {schema.key} v{schema.version} has no such field")
            continue
        region = _region(item, where, _REGION_KEYS, pages, size, problems)
        if region is not None:
            fields[str(key)] = region

    signatures: dict[str, Region] = {}
    labels: dict[str, Text] = {}
    raw_signatures = data.get("signatures", [])
    if not isinstance(raw_signatures, list):
        problems.add("signatures", "must be a list of {name, page, box, label}")
        raw_signatures = []
    for number, item in enumerate(raw_signatures, start=1):
        name = item.get("name") if isinstance(item, Mapping) else None
        where = f"signature #{number}"
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            problems.add(where, "'name' must be lower-case letters, digits and underscores")
            continue
        if name in signatures:
            problems.add(where, f"the name '{name}' is used twice")
        region = _region(item, f"signature '{name}'", _SIGNATURE_KEYS, pages, size, problems)
        if region is not None:
            signatures[name] = region
        raw_label = item.get("label")
        if raw_label is not None:
            if (
                isinstance(raw_label, Mapping)
                and set(raw_label) == {"en", "zh"}
                and all(isinstance(v, str) and v.strip() for v in raw_label.values())
            ):
                labels[name] = Text(en=raw_label["en"].strip(), zh=raw_label["zh"].strip())
            else:
                problems.add(f"signature '{name}'", "'label' must be {en: words, zh: 中文}, both given")

    problems.raise_if_any()
    assert isinstance(pages, int) and isinstance(version, int)
    return PaperLayout(schema.key, version, pages, size, code, fields, signatures, source, labels)


def layout_path(forms_dir: pathlib.Path, schema: FormSchema) -> pathlib.Path:
    """Where the layout of this form version lives: beside the form schema."""
    return forms_dir / f"{schema.key}.v{schema.version}{LAYOUT_SUFFIX}"


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (PyYAML keeps the last silently: a field's
    box written twice would take the later one unseen; found by the re-check of issue 16)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_layout(path: pathlib.Path, schema: FormSchema) -> PaperLayout:
    """The layout in a YAML file, for `schema`; LayoutError names the file and what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LayoutError(f"{path}: cannot read the layout file: {error}") from error
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader that refuses repeated keys
    except yaml.YAMLError as error:
        raise LayoutError(f"{path}: not a valid YAML file: {error}") from error
    return parse_layout(data, schema, str(path))


def match_code(layouts: Iterable[PaperLayout], text: str) -> tuple[PaperLayout, str] | None:
    """The layout whose code pattern the text matches, with the serial number; None for an unknown code."""
    for layout in layouts:
        if layout.code is not None:
            serial = layout.code.serial(text)
            if serial:
                return layout, serial
    return None


def mm_to_pixels(mm: float, dpi: float) -> int:
    """Millimetres at a resolution, in whole pixels."""
    return round(mm / MM_PER_INCH * dpi)


def layouts_for(forms_dir: pathlib.Path, schema: FormSchema) -> list[PaperLayout]:
    """The paper layout of `schema`'s version found beside the form schema (none when there is no file); a layout
    file that is there but wrong raises LayoutError, so a mistake in it is seen at start-up, not at the counter."""
    path = layout_path(forms_dir, schema)
    return [load_layout(path, schema)] if path.is_file() else []
