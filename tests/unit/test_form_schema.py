"""The form schema: the shipped form and the all-types test form load as described, and a malformed form file
is refused with a message naming the file, the field and what is wrong."""

from __future__ import annotations

import copy
import pathlib
from typing import Any

import pytest

from desktop_app.domain.choices import ETHNICITIES, OCCUPATIONS
from desktop_app.domain.form_schema import (
    CrossCheck,
    FieldType,
    FormSchema,
    MaskRule,
    PiiClass,
    SchemaError,
    default_form_path,
    load_default_form,
    load_form,
    parse_form,
)
from desktop_app.domain.id_numbers import IdType

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
ALL_TYPES = FIXTURES / "all_types_form.yaml"

SHIPPED_KEYS = (
    "form_number",
    "name",
    "name_pinyin",
    "sex",
    "ethnicity",
    "birth_date",
    "nationality",
    "id_type",
    "id_number",
    "issuing_authority",
    "id_valid_from",
    "id_valid_until",
    "address",
    "postal_code",
    "mobile",
    "email",
    "occupation",
    "employer",
    "annual_income_band",
    "tax_residency",
    "tax_jurisdictions",
    "foreign_tin",
    "risk_level",
    "notes",
)


@pytest.fixture(scope="module")
def shipped() -> FormSchema:
    return load_default_form()


def test_the_shipped_form_has_the_agreed_fields_in_order(shipped: FormSchema) -> None:
    assert shipped.key == "personal_customer" and shipped.version == 1
    assert shipped.keys == SHIPPED_KEYS
    assert set(shipped.cross_checks) == set(CrossCheck)


def test_the_shipped_form_file_is_found_next_to_the_package() -> None:
    path = default_form_path()
    assert path.is_file() and path.name == "personal_customer.yaml"
    assert load_default_form() is load_default_form()  # cached


def test_shipped_field_settings(shipped: FormSchema) -> None:
    name = shipped.field("name")
    assert (name.type, name.required, name.pii, name.mask, name.ocr_field, name.max_length) == (
        FieldType.TEXT,
        True,
        PiiClass.NAME,
        MaskRule.NAME,
        "name",
        40,
    )
    assert shipped.field("id_number").mask is MaskRule.ID_NUMBER
    assert shipped.field("id_number").pii is PiiClass.ID_DOCUMENT
    assert shipped.field("mobile").mask is MaskRule.PHONE
    assert shipped.field("address").max_length == 200
    assert shipped.field("annual_income_band").mask is MaskRule.FULL
    assert shipped.field("id_valid_until").type is FieldType.DATE_OR_LONG_TERM
    assert shipped.field("nationality").default == "CHN"
    assert shipped.field("notes").dual_entry is False and shipped.field("notes").max_length == 500
    assert not shipped.field("ethnicity").required  # required only for a resident ID: a cross check


def test_shipped_choice_lists(shipped: FormSchema) -> None:
    assert shipped.field("sex").choice_values == {"M", "F"}
    assert shipped.field("id_type").choice_values == {t.value for t in IdType}
    ethnicity = shipped.field("ethnicity").choices
    assert ethnicity == ETHNICITIES and [c.value for c in ethnicity] == [f"{i:02d}" for i in range(1, 57)]
    assert ethnicity[0].label_text.zh == "汉族" and ethnicity[55].label_text.zh == "基诺族"
    nationality = shipped.field("nationality")
    assert nationality.choices[0].value == "CHN" and len(nationality.choices) > 240
    assert nationality.choice("DEU") is not None and nationality.choice("DEU").label_text.zh == "德国"  # type: ignore[union-attr]
    assert shipped.field("occupation").choices == OCCUPATIONS
    assert shipped.field("annual_income_band").choice_values == {"lt_50k", "50k_100k", "100k_300k", "300k_1m", "gt_1m"}
    assert shipped.field("tax_residency").choice_values == {"cn_only", "cn_and_other", "other_only"}


def test_every_field_has_both_labels_and_personal_data_is_masked(shipped: FormSchema) -> None:
    for spec in shipped.fields:
        assert spec.label("zh_CN") == spec.label_text.zh and spec.label_text.zh
        assert spec.label("en") == spec.label_text.en and spec.label_text.en
        assert spec.pii is PiiClass.NONE or spec.mask is not MaskRule.NONE, spec.key


def test_an_unknown_field_key_raises_key_error(shipped: FormSchema) -> None:
    with pytest.raises(KeyError):
        shipped.field("shoe_size")


def test_the_all_types_form_uses_every_field_type() -> None:
    schema = load_form(ALL_TYPES)
    assert schema.key == "all_types" and schema.version == 3 and schema.cross_checks == ()
    assert {spec.type for spec in schema.fields} == set(FieldType)
    assert schema.field("f_textarea").help("zh_CN") == "随意填写。"
    assert schema.field("f_choice").default == "R"
    assert len(schema.field("f_ethnicity").choices) == 56


# --- malformed forms ------------------------------------------------------------------------------------------


def _minimal() -> dict[str, Any]:
    return {
        "key": "mini",
        "version": 1,
        "title_zh": "小表",
        "title_en": "Mini",
        "fields": [
            {"key": "name", "type": "text", "label_zh": "姓名", "label_en": "Name", "pii": "name", "mask": "name"},
            {
                "key": "colour",
                "type": "choice",
                "label_zh": "颜色",
                "label_en": "Colour",
                "choices": [{"value": "R", "label_zh": "红", "label_en": "Red"}],
            },
        ],
        "cross_checks": [],
    }


def test_the_minimal_form_is_valid() -> None:
    assert parse_form(_minimal()).keys == ("name", "colour")


def _field(index: int, **changes: Any) -> dict[str, Any]:
    form = _minimal()
    form["fields"][index].update(changes)
    return form


def _without(index: int, setting: str) -> dict[str, Any]:
    form = _minimal()
    del form["fields"][index][setting]
    return form


MALFORMED: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "unknown type": (_field(0, type="colour"), ("field 'name'", "'type'", "colour")),
    "missing label": (_without(0, "label_en"), ("field 'name'", "'label_en' is missing")),
    "label not text": (_field(0, label_zh=12), ("field 'name'", "label_zh")),
    "unknown setting": (_field(0, requird=True), ("field 'name'", "requird")),
    "required not a flag": (_field(0, required="yes"), ("field 'name'", "true or false")),
    "bad max_length": (_field(0, max_length=0), ("field 'name'", "max_length")),
    "unknown validator": (_field(0, validators=["is_nice"]), ("field 'name'", "is_nice")),
    "validator for another type": (_field(0, validators=["not_expired"]), ("field 'name'", "not_expired", "text")),
    "pii without mask": (_field(0, mask="none"), ("field 'name'", "mask")),
    "unknown pii class": (_field(0, pii="secret"), ("field 'name'", "secret")),
    "choices on a text field": (_field(0, choices=[]), ("field 'name'", "only a choice field")),
    "choice value read as a boolean": (
        _field(1, choices=[{"value": False, "label_zh": "否", "label_en": "No"}]),
        ("field 'colour'", "choice #1", "quote"),
    ),
    "choice without label": (_field(1, choices=[{"value": "R", "label_zh": "红"}]), ("field 'colour'", "label_en")),
    "duplicate choice": (
        _field(
            1,
            choices=[
                {"value": "R", "label_zh": "红", "label_en": "Red"},
                {"value": "R", "label_zh": "赤", "label_en": "Rd"},
            ],
        ),
        ("field 'colour'", "listed twice"),
    ),
    "no choices": (_without(1, "choices"), ("field 'colour'", "choices")),
    "unknown closed list": (_field(1, choices=None, choices_from="planets"), ("field 'colour'", "planets")),
    "default not a choice": (_field(1, default="B"), ("field 'colour'", "default")),
    "bad field key": (_field(0, key="Full Name"), ("field 'Full Name'", "lower-case")),
    "duplicate field key": (_field(1, key="name"), ("field 'name' (#2)", "same key")),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_field_is_refused_naming_the_file_and_field(case: str) -> None:
    data, expected = MALFORMED[case]
    data = copy.deepcopy(data)
    with pytest.raises(SchemaError) as info:
        parse_form(data, "forms/mini.yaml")
    message = str(info.value)
    assert message.startswith("forms/mini.yaml: ")
    for part in expected:
        assert part in message, message


def test_a_cross_check_needs_its_fields_and_choice_values() -> None:
    data = _minimal()
    data["cross_checks"] = ["resident_id_sex"]
    with pytest.raises(SchemaError, match="rule 'resident_id_sex' needs a field 'id_type'"):
        parse_form(data, "mini.yaml")
    shipped = load_default_form()
    sex_without_f = _shipped_data()
    sex_field = next(f for f in sex_without_f["fields"] if f["key"] == "sex")
    sex_field["choices"] = [{"value": "M", "label_zh": "男", "label_en": "Male"}]
    with pytest.raises(SchemaError, match="field 'sex' lacks choice value"):
        parse_form(sex_without_f, "x.yaml")
    assert shipped.field("sex")  # the shipped form itself is fine


def test_issue_14_item_1_a_birth_date_masked_less_than_the_id_number_is_refused() -> None:
    """Issue 14 item 1: the birth date is written inside a resident ID number; a form that shows it where the
    number is masked (pii none, as the shipped form had it) gives the masked number away, so it is refused."""
    shipped = load_default_form()
    assert shipped.field("birth_date").pii is shipped.field("id_number").pii is PiiClass.ID_DOCUMENT
    assert shipped.field("birth_date").mask is MaskRule.FULL
    data = _shipped_data()
    birth = next(f for f in data["fields"] if f["key"] == "birth_date")
    del birth["pii"], birth["mask"]
    with pytest.raises(SchemaError, match="'birth_date' is written inside 'id_number'"):
        parse_form(data, "x.yaml")
    birth.update(pii="contact", mask="full")
    with pytest.raises(SchemaError, match="same pii class"):
        parse_form(data, "x.yaml")


def test_an_id_type_the_rules_do_not_know_is_refused() -> None:
    data = _shipped_data()
    id_type = next(f for f in data["fields"] if f["key"] == "id_type")
    id_type["choices"].append({"value": "driving_licence", "label_zh": "驾驶证", "label_en": "Driving licence"})
    with pytest.raises(SchemaError, match="driving_licence"):
        parse_form(data, "x.yaml")


def test_unknown_cross_check_and_top_level_setting_are_refused() -> None:
    data = _minimal()
    data["cross_checks"] = ["horoscope_matches"]
    with pytest.raises(SchemaError, match="horoscope_matches"):
        parse_form(data, "x.yaml")
    data = _minimal()
    data["colour_scheme"] = "blue"
    with pytest.raises(SchemaError, match="colour_scheme"):
        parse_form(data, "x.yaml")
    data = _minimal()
    data["fields"] = []
    with pytest.raises(SchemaError, match="'fields'"):
        parse_form(data, "x.yaml")


def _shipped_data() -> dict[str, Any]:
    import yaml

    loaded: dict[str, Any] = yaml.safe_load(default_form_path().read_text(encoding="utf-8"))
    return loaded


def test_load_form_names_the_file_for_bad_yaml_duplicates_and_missing_files(tmp_path: pathlib.Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: [unclosed\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"broken\.yaml"):
        load_form(broken)
    twice = tmp_path / "twice.yaml"
    twice.write_text(
        "key: a\nversion: 1\ntitle_zh: 表\ntitle_en: F\nfields:\n"
        "  - {key: n, type: text, label_zh: 名, label_en: N, required: true, required: false}\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError, match=r"twice\.yaml.*'required' is given twice"):
        load_form(twice)
    with pytest.raises(SchemaError, match=r"missing\.yaml"):
        load_form(tmp_path / "missing.yaml")
    not_a_mapping = tmp_path / "list.yaml"
    not_a_mapping.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"list\.yaml"):
        load_form(not_a_mapping)


def test_a_malformed_field_in_a_file_names_it(tmp_path: pathlib.Path) -> None:
    text = ALL_TYPES.read_text(encoding="utf-8").replace("type: money", "type: currency")
    path = tmp_path / "bad_types.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad_types\.yaml: field 'f_money' \(#12\): 'type' is 'currency'"):
        load_form(path)
