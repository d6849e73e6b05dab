"""What recognition returns: the document type, each field with its confidence and whether a checksum or
cross-check confirmed it, and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image


@dataclass(frozen=True)
class FieldResult:
    value: str
    confidence: float  # 0..1
    verified: bool  # only where a check digit or cross-check confirms the value
    box: tuple[int, int, int, int] | None = None  # left, top, right, bottom in DocumentResult.document_image


@dataclass(frozen=True)
class DocumentResult:
    document_type: str | None  # cn_id_front, cn_id_back, mrz_td3, mrz_td1, mrz_td2, or None
    fields: dict[str, FieldResult] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # The document as it was read: cropped from the scan, straightened and upright. Field boxes refer to it; it is
    # what the teller and the supervisor are shown.
    document_image: Image.Image | None = field(default=None, compare=False, repr=False)
