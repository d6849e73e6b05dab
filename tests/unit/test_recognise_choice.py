"""Which of two readings of one card the recogniser keeps (no Tesseract): the one checks confirm more of, then the
one with more fields, then the one with more fields read clearly, the first on a tie."""

from __future__ import annotations

from desktop_app.ocr.recognise import _surer
from desktop_app.ocr.result import DocumentResult, FieldResult


def _back(authority: FieldResult, *, verified: bool = False) -> DocumentResult:
    fields = {
        "issuing_authority": authority,
        "valid_from": FieldResult("2012-04-18", 0.92, verified),
        "valid_until": FieldResult("长期", 0.92, False),
    }
    return DocumentResult("cn_id_back", fields)


def test_of_two_readings_alike_in_checks_and_fields_the_one_read_more_clearly_is_kept() -> None:
    # Development split: a slanted card placed by its words read its authority's end as 青河县h and lost it (to
    # check); cut out straight by its labels, both Han models read the authority whole.
    by_words = _back(FieldResult("永沙自治州公安局", 0.44, False))
    by_labels = _back(FieldResult("永沙自治州公安局青河县局", 0.97, False))
    assert _surer(by_words, by_labels) is by_labels
    assert _surer(by_labels, by_words) is by_labels
    # A tie keeps the first; a check confirming more outweighs fields read clearly.
    assert _surer(by_words, _back(FieldResult("永沙自治州公安局", 0.44, False))) is by_words
    confirmed = _back(FieldResult("永沙自治州公安局", 0.44, False), verified=True)
    assert _surer(by_labels, confirmed) is confirmed
    assert _surer(None, by_words) is by_words and _surer(by_words, None) is by_words
