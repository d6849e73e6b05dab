"""The form schema: which fields a customer form has, their types, labels, rules and PII handling, and the
loader that reads it from a YAML form file (so a bank changes its form without changing code).

A form file names its rules from a fixed vocabulary: per-field `validators` (FieldRule) and form-wide
`cross_checks` (CrossCheck). The loader refuses a rule whose fields, types or choice values are missing, so a
rule never silently stops applying after the form is edited.
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from typing import Any, NoReturn, TypeVar

import yaml

from desktop_app.domain.choices import CHOICE_LISTS, Choice
from desktop_app.domain.id_numbers import IdType
from desktop_app.domain.text import NO_TEXT, Text

__all__ = [
    "CROSS_CHECK_NEEDS",
    "PART_OF",
    "VALIDATOR_NEEDS",
    "VALIDATOR_TYPES",
    "Choice",
    "CrossCheck",
    "FieldNeed",
    "FieldRule",
    "FieldSpec",
    "FieldType",
    "FormSchema",
    "MaskRule",
    "PiiClass",
    "SchemaError",
    "default_form_path",
    "load_default_form",
    "load_form",
    "parse_form",
]

DEFAULT_FORM_FILE = "personal_customer.yaml"


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    DATE = "date"
    DATE_OR_LONG_TERM = "date_or_long_term"
    CHOICE = "choice"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    EMAIL = "email"
    POSTAL_CODE = "postal_code"
    MONEY = "money"
    PINYIN = "pinyin"


class PiiClass(StrEnum):
    NONE = "none"
    NAME = "name"
    ID_DOCUMENT = "id_document"
    CONTACT = "contact"
    FINANCIAL = "financial"


class MaskRule(StrEnum):
    NONE = "none"
    NAME = "name"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    FULL = "full"


class FieldRule(StrEnum):
    """Per-field validators a form file may list under a field's `validators:`."""

    NOT_IN_FUTURE = "not_in_future"  # a date on or before today
    NOT_BEFORE_1900 = "not_before_1900"  # a date in 1900 or later
    NOT_EXPIRED = "not_expired"  # an expiry date on or after today (or long term)
    ID_NUMBER_FOR_ID_TYPE = "id_number_for_id_type"  # the number's format for the record's id_type
    TAX_JURISDICTION_CODES = "tax_jurisdiction_codes"  # a comma-separated list of ISO 3166-1 codes
    PERSON_NAME = "person_name"  # letters, spaces and the separators names use; no digits or symbols


class CrossCheck(StrEnum):
    """Rules across fields a form file may list under `cross_checks:`."""

    RESIDENT_ID_BIRTH_DATE = "resident_id_birth_date"  # the birth date agrees with the resident ID number
    RESIDENT_ID_SEX = "resident_id_sex"  # the sex agrees with the resident ID number
    RESIDENT_ID_NATIONALITY = "resident_id_nationality"  # a resident ID holder is Chinese
    RESIDENT_ID_ETHNICITY = "resident_id_ethnicity"  # ethnicity is given for a resident ID holder
    ID_VALIDITY_ORDER = "id_validity_order"  # the ID is valid until a date after it became valid
    RESIDENT_ID_VALIDITY_PERIOD = "resident_id_validity_period"  # 5, 10, 20 years or long term (warning)
    CRS_CONSISTENCY = "crs_consistency"  # the tax residency self-certification hangs together


@dataclass(frozen=True)
class FieldNeed:
    """A field a rule relies on: its key, the types it may have, and the choice values the rule uses."""

    key: str
    types: frozenset[FieldType]
    includes: frozenset[str] = frozenset()  # choice values the rule tests for
    within: frozenset[str] | None = None  # when set, the only choice values the rule knows how to handle


_DATES = frozenset({FieldType.DATE, FieldType.DATE_OR_LONG_TERM})
_TEXTS = frozenset({FieldType.TEXT, FieldType.TEXTAREA})
_CHOICE = frozenset({FieldType.CHOICE})
_ID_TYPE = FieldNeed("id_type", _CHOICE, includes=frozenset({IdType.RESIDENT_ID.value}))
_ID_NUMBER = FieldNeed("id_number", frozenset({FieldType.ID_NUMBER}))

#: The field types each validator can check.
VALIDATOR_TYPES: Mapping[FieldRule, frozenset[FieldType]] = {
    FieldRule.NOT_IN_FUTURE: _DATES,
    FieldRule.NOT_BEFORE_1900: _DATES,
    FieldRule.NOT_EXPIRED: _DATES,
    FieldRule.ID_NUMBER_FOR_ID_TYPE: frozenset({FieldType.ID_NUMBER}),
    FieldRule.TAX_JURISDICTION_CODES: _TEXTS,
    FieldRule.PERSON_NAME: _TEXTS | {FieldType.PINYIN},
}

#: Other fields a validator reads.
VALIDATOR_NEEDS: Mapping[FieldRule, tuple[FieldNeed, ...]] = {
    FieldRule.ID_NUMBER_FOR_ID_TYPE: (FieldNeed("id_type", _CHOICE, within=frozenset(t.value for t in IdType)),),
}

#: The fields each cross check reads.
CROSS_CHECK_NEEDS: Mapping[CrossCheck, tuple[FieldNeed, ...]] = {
    CrossCheck.RESIDENT_ID_BIRTH_DATE: (_ID_TYPE, _ID_NUMBER, FieldNeed("birth_date", frozenset({FieldType.DATE}))),
    CrossCheck.RESIDENT_ID_SEX: (_ID_TYPE, _ID_NUMBER, FieldNeed("sex", _CHOICE, includes=frozenset({"M", "F"}))),
    CrossCheck.RESIDENT_ID_NATIONALITY: (_ID_TYPE, FieldNeed("nationality", _CHOICE, includes=frozenset({"CHN"}))),
    CrossCheck.RESIDENT_ID_ETHNICITY: (_ID_TYPE, FieldNeed("ethnicity", _CHOICE)),
    CrossCheck.ID_VALIDITY_ORDER: (
        FieldNeed("id_valid_from", frozenset({FieldType.DATE})),
        FieldNeed("id_valid_until", _DATES),
    ),
    CrossCheck.RESIDENT_ID_VALIDITY_PERIOD: (
        _ID_TYPE,
        FieldNeed("id_valid_from", frozenset({FieldType.DATE})),
        FieldNeed("id_valid_until", _DATES),
    ),
    CrossCheck.CRS_CONSISTENCY: (
        FieldNeed(
            "tax_residency",
            _CHOICE,
            includes=frozenset({"cn_only", "cn_and_other", "other_only"}),
            within=frozenset({"cn_only", "cn_and_other", "other_only"}),
        ),
        FieldNeed("tax_jurisdictions", _TEXTS),
        FieldNeed("foreign_tin", _TEXTS),
    ),
}


#: The key of the paper form's serial number, where a form has one: not a customer value, so the queues show it to
#: clerks who may not see values (the second clerk matches sheet and record by it).
FORM_NUMBER = "form_number"

#: Fields written inside another field's value (a resident ID number holds the birth date). Such a part must have
#: the pii class of the whole, so it is masked wherever the whole is: shown beside the masked whole, it would fill
#: in what that mask hides.
PART_OF: Mapping[str, str] = {"birth_date": "id_number"}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form, as the form file describes it."""

    key: str
    type: FieldType
    label_text: Text
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    validators: tuple[str, ...] = ()
    pii: PiiClass = PiiClass.NONE
    mask: MaskRule = MaskRule.NONE
    dual_entry: bool = True
    ocr_field: str | None = None
    help_text: Text = NO_TEXT
    default: str = ""

    def label(self, lang: str) -> str:
        """The field's label in `lang` (see `Text.render`)."""
        return self.label_text.render(lang)

    def help(self, lang: str) -> str:
        """The field's help text in `lang`, "" when there is none."""
        return self.help_text.render(lang)

    def choice(self, value: str) -> Choice | None:
        """The choice with this value, or None."""
        return next((c for c in self.choices if c.value == value), None)

    @cached_property
    def choice_values(self) -> frozenset[str]:
        """The values a choice field allows (empty for other types)."""
        return frozenset(c.value for c in self.choices)


@dataclass(frozen=True)
class FormSchema:
    """A whole form: its fields in display order and the cross-field checks it asks for."""

    key: str
    version: int
    title_text: Text
    fields: tuple[FieldSpec, ...]
    cross_checks: tuple[str, ...]

    def field(self, key: str) -> FieldSpec:
        """The field with this key; KeyError when the form has none."""
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        """Field keys in form order."""
        return tuple(spec.key for spec in self.fields)

    def title(self, lang: str) -> str:
        """The form's title in `lang`."""
        return self.title_text.render(lang)


class SchemaError(ValueError):
    """A form file that cannot be used; the message names the file, the field and what is wrong."""


# --- parsing ------------------------------------------------------------------------------------------------

_KEY = re.compile(r"[a-z][a-z0-9_]*")
_FORM_KEYS = frozenset({"key", "version", "title_zh", "title_en", "fields", "cross_checks"})
_FIELD_KEYS = frozenset(
    {
        "key",
        "type",
        "label_zh",
        "label_en",
        "required",
        "choices",
        "choices_from",
        "max_length",
        "validators",
        "pii",
        "mask",
        "dual_entry",
        "ocr_field",
        "help_zh",
        "help_en",
        "default",
    }
)
_CHOICE_KEYS = frozenset({"value", "label_zh", "label_en"})
_E = TypeVar("_E", bound=StrEnum)


class _Reader:
    """Typed access to one mapping of the form file, with errors that say where in the file they are."""

    def __init__(self, data: Mapping[str, Any], where: str, allowed: frozenset[str]) -> None:
        self.data = data
        self.where = where
        unknown = sorted(str(k) for k in data if k not in allowed)
        if unknown:
            self.fail(f"unknown setting(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")

    def fail(self, what: str) -> NoReturn:
        raise SchemaError(f"{self.where}: {what}")

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(f"'{name}' is missing")
            return default
        if not isinstance(value, str):
            self.fail(f"'{name}' must be text (quote it in the file), not {value!r}")
        if required and not value.strip():
            self.fail(f"'{name}' is empty")
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(f"'{name}' must be true or false, not {value!r}")
        return value

    def positive_int(self, name: str) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.fail(f"'{name}' must be a whole number of at least 1, not {value!r}")
        return value

    def names(self, name: str) -> list[str]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"'{name}' must be a list of names")
        return list(value)

    def enum(self, name: str, kind: type[_E], default: _E | None = None) -> _E:
        value = self.data.get(name)
        if value is None and default is not None:
            return default
        allowed = [m.value for m in kind]
        if isinstance(value, str) and value in allowed:
            return kind(value)
        self.fail(f"'{name}' is {value!r}; allowed: {', '.join(allowed)}")


def _parse_choices(reader: _Reader) -> tuple[Choice, ...]:
    inline = reader.data.get("choices")
    named = reader.data.get("choices_from")
    if inline is not None and named is not None:
        reader.fail("give either 'choices' or 'choices_from', not both")
    if named is not None:
        if named not in CHOICE_LISTS:
            reader.fail(f"'choices_from' is {named!r}; known lists: {', '.join(sorted(CHOICE_LISTS))}")
        return CHOICE_LISTS[named]()
    if not isinstance(inline, list) or not inline:
        reader.fail("a choice field needs a non-empty 'choices' list or 'choices_from'")
    found: list[Choice] = []
    for number, item in enumerate(inline, start=1):
        if not isinstance(item, Mapping):
            reader.fail(f"choice #{number} must be a mapping with value, label_zh and label_en")
        sub = _Reader(item, f"{reader.where}, choice #{number}", _CHOICE_KEYS)
        found.append(Choice(sub.text("value"), Text(zh=sub.text("label_zh"), en=sub.text("label_en"))))
    values = [c.value for c in found]
    duplicated = sorted({v for v in values if values.count(v) > 1})
    if duplicated:
        reader.fail(f"choice value(s) listed twice: {', '.join(duplicated)}")
    return tuple(found)


def _parse_field(item: object, number: int, source: str) -> FieldSpec:
    if not isinstance(item, Mapping):
        raise SchemaError(f"{source}: field #{number} must be a mapping of settings")
    raw_key = item.get("key")
    where = f"{source}: field '{raw_key}' (#{number})" if isinstance(raw_key, str) else f"{source}: field #{number}"
    reader = _Reader(item, where, _FIELD_KEYS)
    key = reader.text("key")
    if not _KEY.fullmatch(key):
        reader.fail(f"key {key!r} must be lower-case letters, digits and underscores, starting with a letter")
    field_type = reader.enum("type", FieldType)
    if field_type is FieldType.CHOICE:
        choices = _parse_choices(reader)
    elif "choices" in item or "choices_from" in item:
        reader.fail(f"only a choice field has choices; this one is {field_type.value}")
    else:
        choices = ()
    validators = reader.names("validators")
    for name in validators:
        try:
            rule = FieldRule(name)
        except ValueError:
            reader.fail(f"unknown validator {name!r}; known: {', '.join(r.value for r in FieldRule)}")
        if field_type not in VALIDATOR_TYPES[rule]:
            allowed = ", ".join(sorted(t.value for t in VALIDATOR_TYPES[rule]))
            reader.fail(f"validator '{rule}' checks fields of type {allowed}, not {field_type.value}")
    pii = reader.enum("pii", PiiClass, PiiClass.NONE)
    mask = reader.enum("mask", MaskRule, MaskRule.NONE)
    if pii is not PiiClass.NONE and mask is MaskRule.NONE:
        reader.fail(f"a field holding personal data (pii: {pii.value}) needs a mask rule other than none")
    default = reader.text("default", required=False)
    if default and choices and default not in {c.value for c in choices}:
        reader.fail(f"default {default!r} is not one of its choices")
    ocr_field = reader.text("ocr_field", required=False) or None
    return FieldSpec(
        key=key,
        type=field_type,
        label_text=Text(zh=reader.text("label_zh"), en=reader.text("label_en")),
        required=reader.flag("required", False),
        choices=choices,
        max_length=reader.positive_int("max_length"),
        validators=tuple(FieldRule(name) for name in validators),
        pii=pii,
        mask=mask,
        dual_entry=reader.flag("dual_entry", True),
        ocr_field=ocr_field,
        help_text=Text(zh=reader.text("help_zh", required=False), en=reader.text("help_en", required=False)),
        default=default,
    )


def _check_needs(fields: Mapping[str, FieldSpec], needs: tuple[FieldNeed, ...], rule: str, where: str) -> None:
    for need in needs:
        spec = fields.get(need.key)
        if spec is None:
            raise SchemaError(f"{where}: rule '{rule}' needs a field '{need.key}', which the form does not have")
        if spec.type not in need.types:
            allowed = ", ".join(sorted(t.value for t in need.types))
            raise SchemaError(
                f"{where}: field '{need.key}' is {spec.type.value}, but rule '{rule}' needs it to be {allowed}"
            )
        values = {c.value for c in spec.choices}
        missing = sorted(need.includes - values)
        if missing:
            raise SchemaError(
                f"{where}: field '{need.key}' lacks choice value(s) {', '.join(missing)} that rule '{rule}' uses"
            )
        if need.within is not None and not values <= need.within:
            extra = ", ".join(sorted(values - need.within))
            raise SchemaError(
                f"{where}: field '{need.key}' has choice value(s) {extra} that rule '{rule}' cannot check"
            )


def _check_parts(fields: Mapping[str, FieldSpec], source: str) -> None:
    for part, whole in PART_OF.items():
        if part not in fields or whole not in fields or fields[whole].pii is PiiClass.NONE:
            continue
        if fields[part].pii is not fields[whole].pii:
            raise SchemaError(
                f"{source}: field '{part}' is written inside '{whole}', so it needs the same pii class "
                f"({fields[whole].pii.value}), or it would show what the mask of '{whole}' hides"
            )


def parse_form(data: Mapping[str, object], source: str = "<memory>") -> FormSchema:
    """A FormSchema from the parsed contents of a form file; SchemaError says what is wrong and where."""
    if not isinstance(data, Mapping):
        raise SchemaError(f"{source}: a form file must be a mapping with key, version, titles and fields")
    reader = _Reader(data, source, _FORM_KEYS)
    key = reader.text("key")
    if not _KEY.fullmatch(key):
        reader.fail(f"form key {key!r} must be lower-case letters, digits and underscores")
    version = reader.positive_int("version")
    if version is None:
        reader.fail("'version' is missing")
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        reader.fail("'fields' must be a non-empty list")
    fields = [_parse_field(item, number, source) for number, item in enumerate(raw_fields, start=1)]
    by_key: dict[str, FieldSpec] = {}
    for number, spec in enumerate(fields, start=1):
        if spec.key in by_key:
            raise SchemaError(f"{source}: field '{spec.key}' (#{number}) has the same key as an earlier field")
        by_key[spec.key] = spec
    _check_parts(by_key, source)
    for number, spec in enumerate(fields, start=1):
        for rule in spec.validators:
            needs = VALIDATOR_NEEDS.get(FieldRule(rule), ())
            _check_needs(by_key, needs, rule, f"{source}: field '{spec.key}' (#{number})")
    checks = reader.names("cross_checks")
    for name in checks:
        try:
            check = CrossCheck(name)
        except ValueError:
            reader.fail(f"unknown cross check {name!r}; known: {', '.join(c.value for c in CrossCheck)}")
        _check_needs(by_key, CROSS_CHECK_NEEDS[check], check, source)
    return FormSchema(
        key=key,
        version=version,
        title_text=Text(zh=reader.text("title_zh"), en=reader.text("title_en")),
        fields=tuple(fields),
        cross_checks=tuple(CrossCheck(name) for name in checks),
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping (PyYAML would keep the last silently)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the setting {key!r} is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def load_form(path: pathlib.Path) -> FormSchema:
    """The form in a YAML form file; SchemaError names the file and what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path}: cannot read the form file: {error}") from error
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise SchemaError(f"{path}: not a valid YAML file: {error}") from error
    return parse_form(data, str(path))


def default_form_path() -> pathlib.Path:
    """The shipped personal-customer form: resources/forms in the source tree, else inside the package."""
    in_tree = pathlib.Path(__file__).resolve().parents[2] / "resources" / "forms" / DEFAULT_FORM_FILE
    if in_tree.is_file():
        return in_tree
    return pathlib.Path(__file__).resolve().parents[1] / "resources" / "forms" / DEFAULT_FORM_FILE


@cache
def load_default_form() -> FormSchema:
    """The shipped personal-customer form, loaded once."""
    return load_form(default_form_path())
