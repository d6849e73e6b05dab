"""Dual-entry comparison: two clerks' blind entries of one paper form, field by field, after the one
normaliser, so that only real keying differences remain (not full-width vs half-width, spacing, case or
date formats)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from desktop_app.domain.form_schema import FieldSpec, FieldType, FormSchema
from desktop_app.domain.normaliser import normalise_record


@dataclass(frozen=True)
class FieldDifference:
    """A field the two entries disagree on, with both normalised values."""

    field: str
    first: str
    second: str


def comparison_key(field: FieldSpec, value: str) -> str:
    """What is compared: the normalised value, with case and Chinese/ASCII punctuation folded for free text
    and e-mail (the normaliser keeps those as typed, for display)."""
    if field.type in (FieldType.TEXT, FieldType.TEXTAREA, FieldType.EMAIL):
        return unicodedata.normalize("NFKC", value).casefold()
    return value


def compare_entries(schema: FormSchema, first: Mapping[str, str], second: Mapping[str, str]) -> list[FieldDifference]:
    """The dual-entry fields on which the two entries differ, in form order (both sides normalised first)."""
    a = normalise_record(schema, first)
    b = normalise_record(schema, second)
    return [
        FieldDifference(spec.key, a[spec.key], b[spec.key])
        for spec in schema.fields
        if spec.dual_entry and comparison_key(spec, a[spec.key]) != comparison_key(spec, b[spec.key])
    ]
