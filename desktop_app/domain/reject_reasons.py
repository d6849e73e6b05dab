"""The reasons a supervisor picks from when returning a record to its maker (free text may follow)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.text import Text


@dataclass(frozen=True)
class RejectReason:
    code: str
    label_text: Text

    def label(self, lang: str) -> str:
        """The label in the UI language."""
        return self.label_text.render(lang)


REJECT_REASONS: tuple[RejectReason, ...] = (
    RejectReason("values_differ_from_document", Text(zh="录入内容与证件不符", en="Values differ from the ID document")),
    RejectReason("document_invalid", Text(zh="证件无效或已过期", en="ID document invalid or expired")),
    RejectReason("missing_information", Text(zh="资料不全", en="Information missing")),
    RejectReason("image_unreadable", Text(zh="影像不清晰", en="Scanned image unreadable")),
    RejectReason("duplicate_customer", Text(zh="客户重复", en="Duplicate customer")),
    RejectReason("other", Text(zh="其他", en="Other")),
)

BY_CODE = {reason.code: reason for reason in REJECT_REASONS}


def reason_in(stored: str, lang: str) -> str:
    """A stored return reason ("其他 / Other: free text", both languages so it reads anywhere it is stored) with
    the listed reason in `lang` only; any other text as it is."""
    for reason in REJECT_REASONS:
        both = f"{reason.label_text.zh} / {reason.label_text.en}"
        if stored == both or stored.startswith(both + ":"):
            return reason.label(lang) + stored[len(both) :]
    return stored
