"""From a scanned ID document to proposed values for the entry form.

propose() is pure: a recognised document (desktop_app.ocr) and the form schema in, one Proposal per form field
out, each value put through the form's own normaliser and checked against what the field can hold (a value a
field cannot take is left out with a note, never forced in). Which OCR field fills which form field comes from
the schema's `ocr_field`; the document type adds what the document itself says (a resident ID card means ID type
resident ID and nationality CHN; a passport, ID type passport).

read_scan() does the slow part around it (loading the file, Tesseract, the PNG for the attachment) and is meant
to run off the GUI thread; newest_scan() finds the scanner's latest file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from PIL import Image

from desktop_app.domain.form_schema import FieldSpec, FieldType, FormSchema
from desktop_app.domain.normaliser import LONG_TERM, normalise_value
from desktop_app.domain.text import Text
from desktop_app.ocr.result import DocumentResult, FieldResult
from desktop_app.services.attachments import MAX_SCAN_BYTES, ScanField, scan_fields
from desktop_app.services.errors import InvalidRequest, ServiceError

#: Below this confidence a value is shown as one to check with particular care.
LOW_CONFIDENCE = 0.8
#: Below this, it is more likely wrong than right.
VERY_LOW_CONFIDENCE = 0.5

MRZ_DOCUMENTS = frozenset({"mrz_td3", "mrz_td1", "mrz_td2"})
CN_ID_CARD = frozenset({"cn_id_front", "cn_id_back"})
# What the document itself says about the form's ID type. TD1/TD2 documents (foreign identity cards, visas) are
# none of the form's ID document types, so they fill the person's fields but not the document's.
DOCUMENT_ID_TYPE = {"cn_id_front": "resident_id", "cn_id_back": "resident_id", "mrz_td3": "passport"}
# The machine-readable zone's names for what the form's ocr_field vocabulary calls otherwise.
_MRZ_ALIASES = {"document_number": "id_number", "expiry_date": "valid_until"}
_MRZ_NAME_PARTS = ("surname", "given_names")
_MRZ_DOCUMENT_FIELDS = frozenset({"document_number", "expiry_date"})
# ICAO 9303 writes Germany as D, not DEU; the other non-ISO codes (GBD, UNO, XXA...) have no single country.
_ICAO_NATIONALITY = {"D": "DEU"}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CODE = re.compile(r"[a-z_]{1,40}")
_WARNING = re.compile(r"[a-z_]{1,40}(:[a-z_]{1,40})?")
_NOT_READ_YET = "not_read_yet:"
MAX_IMAGE_SIDE = 2400  # pixels: the attached image is for people to look at, not for reading again

SCAN_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".pdf"})


class Level(StrEnum):
    """How a proposed value is shown: confirmed by a check digit or cross-check, read well, or to check."""

    VERIFIED = "verified"
    OK = "ok"
    LOW = "low"
    VERY_LOW = "very_low"


def level_of(confidence: float, verified: bool) -> Level:
    """The display level for a value read with this confidence."""
    if verified:
        return Level.VERIFIED
    if confidence < VERY_LOW_CONFIDENCE:
        return Level.VERY_LOW
    if confidence < LOW_CONFIDENCE:
        return Level.LOW
    return Level.OK


@dataclass(frozen=True)
class Proposal:
    """A value for one form field, as read from the document (already normalised for the field)."""

    value: str
    confidence: float  # 0..1
    verified: bool
    ocr_field: str  # where it came from: an OCR field, "surname+given_names", or "document_type"

    @property
    def level(self) -> Level:
        return level_of(self.confidence, self.verified)

    @property
    def pre_accepted(self) -> bool:
        """Whether the client offers it ticked: only a value confirmed or read clearly. Anything lower starts
        unticked, so that Enter cannot fill it in: the teller ticks it after checking it, or types it."""
        return self.level in (Level.VERIFIED, Level.OK)


@dataclass(frozen=True)
class ScanNote:
    """Something the teller should know about the scan: a value left out and why, or fields not read."""

    code: str
    field: str  # the form field it is about ("" for the whole document)
    message_text: Text

    def message(self, lang: str) -> str:
        return self.message_text.render(lang)


@dataclass(frozen=True)
class ScanFill:
    """What a scan proposes for the form: values by form field key (in form order) and notes."""

    document_type: str | None
    proposals: Mapping[str, Proposal]
    notes: tuple[ScanNote, ...] = ()


def _find(
    schema: FormSchema, ocr_names: Iterable[str], *, key: str = "", of_type: FieldType | None = None
) -> FieldSpec | None:
    """The form field for the first of `ocr_names` named by a field's ocr_field; else the field with this key;
    else the first of this type."""
    for name in ocr_names:
        for spec in schema.fields:
            if spec.ocr_field == name:
                return spec
    for spec in schema.fields:
        if key and spec.key == key:
            return spec
    for spec in schema.fields:
        if of_type is not None and spec.type is of_type:
            return spec
    return None


def _unfit(spec: FieldSpec, value: str) -> str | None:
    """Why the field cannot hold this (normalised) value, or None when it can."""
    if spec.type is FieldType.CHOICE and value not in spec.choice_values:
        return "not_a_choice"
    if spec.type in (FieldType.DATE, FieldType.DATE_OR_LONG_TERM) and not (
        (spec.type is FieldType.DATE_OR_LONG_TERM and value == LONG_TERM) or _is_iso_date(value)
    ):
        return "not_a_date"
    if spec.max_length is not None and len(value) > spec.max_length:
        return "too_long"
    return None


def _is_iso_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _left_out(code: str, spec: FieldSpec, raw: str) -> ScanNote:
    if code == "not_a_choice":
        return ScanNote(
            code,
            spec.key,
            Text(
                en=f"{spec.label_text.en}: the document reads “{raw}”, which is not one of the form's choices. "
                "Choose it by hand.",
                zh=f"{spec.label_text.zh}：证件上读到“{raw}”，不是表单中的可选项，请手工选择。",
            ),
        )
    if code == "not_a_date":
        return ScanNote(
            code,
            spec.key,
            Text(
                en=f"{spec.label_text.en}: “{raw}” read from the document is not a date. Key it by hand.",
                zh=f"{spec.label_text.zh}：从证件读到的“{raw}”不是有效日期，请手工录入。",
            ),
        )
    return ScanNote(
        code,
        spec.key,
        Text(
            en=f"{spec.label_text.en}: the value read is longer than the form allows ({spec.max_length} characters). "
            "Key it by hand.",
            zh=f"{spec.label_text.zh}：读到的内容超过表单允许的长度（{spec.max_length} 个字符），请手工录入。",
        ),
    )


class _Proposer:
    def __init__(self, schema: FormSchema) -> None:
        self.schema = schema
        self.proposals: dict[str, Proposal] = {}
        self.notes: list[ScanNote] = []

    def offer(
        self, spec: FieldSpec | None, spellings: Iterable[str], confidence: float, verified: bool, source: str
    ) -> None:
        """Propose the first spelling the field can hold; the first proposal for a field wins."""
        if spec is None or spec.key in self.proposals:
            return
        first_problem: str | None = None
        raw = ""
        for spelling in spellings:
            value = normalise_value(spec, spelling)
            if not value:
                continue
            problem = _unfit(spec, value)
            if problem is None:
                self.proposals[spec.key] = Proposal(value, round(confidence, 3), verified, source)
                return
            if first_problem is None:
                first_problem, raw = problem, spelling
        if first_problem is not None:
            self.notes.append(_left_out(first_problem, spec, raw))

    def note(self, code: str, field: str, message: Text) -> None:
        self.notes.append(ScanNote(code, field, message))

    def result(self, document_type: str | None) -> ScanFill:
        ordered = {key: self.proposals[key] for key in self.schema.keys if key in self.proposals}
        return ScanFill(document_type, ordered, tuple(self.notes))


def _spellings(ocr_field: str, value: str) -> list[str]:
    """The ways a printed value may be written in the form: the card prints 汉 where the list says 汉族."""
    if ocr_field == "ethnicity":
        return [value, value + "族"]
    if ocr_field in ("nationality", "issuing_country"):
        return [_ICAO_NATIONALITY.get(value, value)]
    return [value]


def _document_confidence(fields: Mapping[str, FieldResult]) -> tuple[float, bool]:
    """How sure the reader is of the document type: as sure as of its surest field (a valid ID number or
    checked zone is what made it recognise the document at all)."""
    if not fields:
        return 0.0, False
    return max(f.confidence for f in fields.values()), any(f.verified for f in fields.values())


def propose(schema: FormSchema, result: DocumentResult) -> ScanFill:
    """The form values a recognised document proposes, with notes on what was left out and why."""
    kind = result.document_type
    if kind is None:
        return ScanFill(None, {})
    fields = {name: found for name, found in result.fields.items() if found.value.strip()}
    proposer = _Proposer(schema)
    is_mrz = kind in MRZ_DOCUMENTS
    doc_confidence, doc_verified = _document_confidence(fields)

    id_type = _find(schema, ("id_type", "document_type"), key="id_type")
    if kind in DOCUMENT_ID_TYPE:
        proposer.offer(id_type, [DOCUMENT_ID_TYPE[kind]], doc_confidence, doc_verified, "document_type")
    elif is_mrz and id_type is not None:
        proposer.note(
            "not_an_id_document",
            id_type.key,
            Text(
                en="This is an identity card or visa with a machine-readable zone, which is not one of the form's ID "
                "document types: the ID document type, number and expiry date were left empty. Scan the customer's "
                "passport, or key them by hand.",
                zh="这是带机读区的身份证件或签证，不属于表单中的证件类型：证件类型、号码和有效期未填写。"
                "请扫描客户的护照，或手工录入。",
            ),
        )

    for name, found in fields.items():
        if is_mrz and (name in _MRZ_NAME_PARTS or (kind not in DOCUMENT_ID_TYPE and name in _MRZ_DOCUMENT_FIELDS)):
            continue
        names = (name, _MRZ_ALIASES[name]) if is_mrz and name in _MRZ_ALIASES else (name,)
        proposer.offer(_find(schema, names), _spellings(name, found.value), found.confidence, found.verified, name)

    nationality = _find(schema, ("nationality",))
    if kind in CN_ID_CARD:
        proposer.offer(nationality, ["CHN"], doc_confidence, doc_verified, "document_type")
    if is_mrz:
        _mrz_names(schema, proposer, fields, nationality)

    not_read = [w[len(_NOT_READ_YET) :] for w in result.warnings if w.startswith(_NOT_READ_YET)]
    labels = [spec for spec in (_find(schema, (name,)) for name in not_read) if spec is not None]
    if labels:
        proposer.note(
            "not_read",
            "",
            Text(
                en="Not read from this document yet; key by hand: " + ", ".join(s.label_text.en for s in labels) + ".",
                zh="尚未能从证件读取，请手工录入：" + "、".join(s.label_text.zh for s in labels) + "。",
            ),
        )
    return proposer.result(kind)


def _mrz_names(
    schema: FormSchema, proposer: _Proposer, fields: Mapping[str, FieldResult], nationality: FieldSpec | None
) -> None:
    """The zone's Latin name goes to the pinyin field (a Chinese citizen's pinyin; a foreigner's name as on the
    passport); for a foreigner it is also the name itself, for a Chinese citizen the name in characters is not in
    the zone at all."""
    parts = [fields[p] for p in _MRZ_NAME_PARTS if p in fields]
    if not parts:
        return
    latin = " ".join(p.value.strip() for p in parts)
    confidence = min(p.confidence for p in parts)
    # No check digit covers the name: it is confirmed only where the printed page confirmed every part of it.
    verified = all(p.verified for p in parts)
    source = "+".join(p for p in _MRZ_NAME_PARTS if p in fields)
    pinyin = _find(schema, ("name_latin",), key="name_pinyin", of_type=FieldType.PINYIN)
    name = _find(schema, ("name",))
    proposer.offer(pinyin, [latin], confidence, verified, source)
    if name is None or name.key in proposer.proposals:
        return
    read = proposer.proposals.get(nationality.key) if nationality is not None else None
    citizenship = read.value if read is not None else ""
    if citizenship and citizenship != "CHN":
        proposer.offer(name, [latin], confidence, verified, source)
    elif citizenship == "CHN":
        proposer.note(
            "name_in_pinyin_only",
            name.key,
            Text(
                en=f"{name.label_text.en}: a Chinese passport's machine-readable zone holds the name in pinyin only. "
                "Key the "
                "name in Chinese characters from the passport.",
                zh=f"{name.label_text.zh}：中国护照的机读区只有姓名拼音，请按护照手工录入中文姓名。",
            ),
        )
    else:
        proposer.note(
            "name_nationality_unknown",
            name.key,
            Text(
                en=f"{name.label_text.en}: the nationality was not read, so the name on the document was put in the "
                "pinyin "
                "field only. Key the name from the document.",
                zh=f"{name.label_text.zh}：未能读取国籍，证件上的姓名只填入了拼音栏，请按证件录入姓名。",
            ),
        )


def conflicts(schema: FormSchema, fill: ScanFill, current: Mapping[str, str]) -> tuple[str, ...]:
    """Fields where the form already holds a value of the teller's own (not empty, not the form's default) that
    the scan would replace with a different one."""
    found = []
    for key, proposal in fill.proposals.items():
        spec = schema.field(key)
        now = normalise_value(spec, current.get(key, ""))
        if now and now != normalise_value(spec, spec.default) and now != proposal.value:
            found.append(key)
    return tuple(found)


def scan_meta(
    result: DocumentResult, fill: ScanFill, image_size: tuple[int, int], scale: float = 1.0
) -> dict[str, object]:
    """The metadata kept with the attached image: document type and, per OCR field, the form fields it filled,
    confidence, verification and box (scaled to the attached image), and the reader's warning codes. No values."""
    described: dict[str, object] = {}
    for name, found in result.fields.items():
        if not _CODE.fullmatch(name):
            continue
        box = [round(c * scale) for c in found.box] if found.box else None
        described[name] = {
            "form_fields": [k for k, p in fill.proposals.items() if name in p.ocr_field.split("+")],
            "confidence": round(min(max(found.confidence, 0.0), 1.0), 3),
            "verified": found.verified,
            "box": box,
        }
    return {
        "document_type": result.document_type,
        "image_size": list(image_size),
        "fields": described,
        "warnings": [w for w in result.warnings if _WARNING.fullmatch(w)],
    }


@dataclass(frozen=True)
class ScanReading:
    """One scan, read: the proposals, the document image to show and keep (PNG), and its metadata."""

    fill: ScanFill
    image_png: bytes
    meta: Mapping[str, object]

    @property
    def fields(self) -> tuple[ScanField, ...]:
        """The fields found, with their boxes on the image, for drawing."""
        return scan_fields(self.meta)


class ScanUnreadable(InvalidRequest):
    code = "scan_unreadable"


class OcrUnavailable(ServiceError):
    code = "ocr_unavailable"


class ScannerFolderProblem(InvalidRequest):
    code = "scanner_folder"


def _png(image: Image.Image) -> tuple[bytes, float]:
    """The image as PNG within MAX_IMAGE_SIDE and MAX_SCAN_BYTES, and the scale applied to it."""
    scale = min(1.0, MAX_IMAGE_SIDE / max(image.size))
    while True:
        shown = image
        if scale < 1.0:
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            shown = image.resize(size, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        shown.convert("RGB").save(out, "PNG", optimize=False)
        data = out.getvalue()
        if len(data) <= MAX_SCAN_BYTES or scale < 0.05:
            return data, scale
        scale /= 2


def recognise(image: Image.Image, today: date | None = None) -> DocumentResult:
    """The OCR package's entry point, imported on first use: its readers load OpenCV and Tesseract bindings, which
    the client need not pay for at start, nor fail to start over."""
    from desktop_app.ocr.recognise import recognise as recognise_document

    return recognise_document(image, today)


def read_scan(source: Path | bytes, schema: FormSchema, today: date | None = None) -> ScanReading:
    """Load and recognise a scan (image or PDF) and propose form values; slow (Tesseract): call it off the GUI
    thread. ScanUnreadable for a file that is no usable scan, OcrUnavailable when Tesseract is missing."""
    from desktop_app.ocr.loading import UnreadableScan, load_scan
    from desktop_app.ocr.tesseract_engine import OcrEngineMissing

    try:
        image = load_scan(source)
        result = recognise(image, today)
    except UnreadableScan as exc:
        raise ScanUnreadable(exc.message_text.en, exc.message_text.zh) from None
    except OcrEngineMissing:
        raise OcrUnavailable(
            "Text recognition (Tesseract) is not working on this workstation, so scans cannot be read. Key the "
            "values by hand, and ask IT support to run the set-up again.",
            "本机的文字识别组件（Tesseract）不可用，无法读取扫描件。请手工录入，并请 IT 支持人员重新运行安装程序。",
        ) from None
    fill = propose(schema, result)
    # A reading that failed shows the whole scan, not the reader's crop (which may be the wrong part of the page):
    # the teller sees what is on it, and why it could not be read, before scanning again.
    recognised = result.document_type is not None and result.document_image is not None
    shown = result.document_image if recognised and result.document_image is not None else image
    png, scale = _png(shown)
    size = (max(1, round(shown.width * scale)), max(1, round(shown.height * scale)))
    return ScanReading(fill, png, scan_meta(result, fill, size, scale))


def newest_scan(folder: Path) -> Path:
    """The most recently written image or PDF in the scanner's folder; ScannerFolderProblem when there is none."""
    try:
        candidates = [p for p in folder.iterdir() if p.suffix.lower() in SCAN_SUFFIXES]
    except FileNotFoundError:
        raise ScannerFolderProblem(
            f"The scanner folder {folder} does not exist. Check the scanner, or ask an administrator to correct "
            "the folder in Settings.",
            f"扫描文件夹 {folder} 不存在。请检查扫描仪，或请管理员在“设置”中更正文件夹。",
        ) from None
    except OSError:
        raise ScannerFolderProblem(
            f"The scanner folder {folder} cannot be read. Check that it is reachable, then try again.",
            f"无法读取扫描文件夹 {folder}。请检查该文件夹能否访问，然后重试。",
        ) from None
    newest: tuple[float, Path] | None = None
    for path in candidates:
        try:
            if not path.is_file():
                continue
            written = path.stat().st_mtime
        except OSError:  # removed or locked while we looked: not the scan we want
            continue
        if newest is None or written > newest[0]:
            newest = (written, path)
    if newest is None:
        raise ScannerFolderProblem(
            f"There is no scan (image or PDF) in the scanner folder {folder}. Scan the document, then try again.",
            f"扫描文件夹 {folder} 中没有扫描件（图像或 PDF）。请先扫描证件，然后重试。",
        )
    return newest[1]
