"""The reasons a supervisor picks from when returning a record to its maker (free text may follow)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RejectReason:
    code: str
    label_zh: str
    label_en: str

    def label(self, lang: str) -> str:
        """The label in the UI language."""
        return self.label_zh if lang.startswith("zh") else self.label_en


REJECT_REASONS: tuple[RejectReason, ...] = (
    RejectReason("values_differ_from_document", "录入内容与证件不符", "Values differ from the ID document"),
    RejectReason("document_invalid", "证件无效或已过期", "ID document invalid or expired"),
    RejectReason("missing_information", "资料不全", "Information missing"),
    RejectReason("image_unreadable", "影像不清晰", "Scanned image unreadable"),
    RejectReason("duplicate_customer", "客户重复", "Duplicate customer"),
    RejectReason("other", "其他", "Other"),
)

BY_CODE = {reason.code: reason for reason in REJECT_REASONS}
