"""Header → field guessing, layout signatures, per-cell checks and csv encoding detection for the import."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.form_schema import load_default_form
from desktop_app.domain.import_cells import MAX_CELL_CHARS, cell_problem, unreadable
from desktop_app.domain.import_columns import (
    column_name,
    guess_mapping,
    layout_signature,
    mapping_problems,
    normalise_header,
    unmapped_required,
)
from desktop_app.domain.synthetic import generate_customers
from desktop_app.services.spreadsheet_read import GBK, UTF8, UTF8_BOM, cell_text, decode_csv

SCHEMA = load_default_form()


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("姓名", "name"),
        ("＊姓名（必填）", "name"),
        ("名字", "name"),
        ("身份证号", "id_number"),
        ("证件号码", "id_number"),
        ("手机", "mobile"),
        ("手机号码", "mobile"),
        ("联系电话", "mobile"),
        ("性别", "sex"),
        ("出生日期", "birth_date"),
        ("地址", "address"),
        ("住址", "address"),
        ("民族", "ethnicity"),
        ("国籍", "nationality"),
        ("证件类型", "id_type"),
        ("邮编", "postal_code"),
        ("电子邮箱", "email"),
        ("职业", "occupation"),
        ("工作单位", "employer"),
        ("Date of birth", "birth_date"),
        ("E-mail", "email"),
        ("客户证件号码", "id_number"),  # contains a known name
        ("姓名拼音", "name_pinyin"),
    ],
)
def test_a_header_is_guessed_from_labels_and_synonyms(header: str, key: str) -> None:
    assert guess_mapping(SCHEMA, [header]) == {0: key}


def test_every_form_label_maps_to_its_field_and_each_field_once() -> None:
    headers = [spec.label_text.zh for spec in SCHEMA.fields] + [spec.label_text.en for spec in SCHEMA.fields]
    mapping = guess_mapping(SCHEMA, headers)
    assert mapping == {i: spec.key for i, spec in enumerate(SCHEMA.fields)}  # the English repeats are ignored


def test_unknown_headers_are_ignored() -> None:
    assert guess_mapping(SCHEMA, ["序号", "", None, "客户经理"]) == {}


def test_header_normalisation_drops_markers_spaces_and_punctuation() -> None:
    assert normalise_header(" 姓 名 * ") == normalise_header("姓名（必填）") == "姓名"
    assert normalise_header("ＩＤ　Ｎｏ.") == "idno"
    assert normalise_header(None) == ""


def test_the_signature_ignores_cosmetics_but_not_order_or_columns() -> None:
    base = layout_signature(["姓名", "证件号码", "手机"])
    assert layout_signature(["姓名*", " 证件号码 ", "手机", "", None]) == base
    assert layout_signature(["证件号码", "姓名", "手机"]) != base
    assert layout_signature(["姓名", "证件号码"]) != base
    assert len(base) == 64


def test_mapping_problems_and_required_fields() -> None:
    assert mapping_problems(SCHEMA, 3, {0: "name", 1: "mobile"}) == []
    assert len(mapping_problems(SCHEMA, 2, {0: "name", 1: "name", 5: "nope"})) == 3
    missing = unmapped_required(SCHEMA, {0: "name"})
    assert "id_number" in missing and "nationality" not in missing  # nationality has a default (CHN)


def test_column_names() -> None:
    assert [column_name(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


# --- cells ------------------------------------------------------------------------------------------------


def test_formula_oversize_and_encoding_each_have_their_code() -> None:
    def code(text: str) -> str | None:
        problem = cell_problem("name", "A", text)
        return problem.code if problem else None

    assert code("=SUM(A1:A2)") == "formula"
    assert code("备" * (MAX_CELL_CHARS + 1)) == "cell_too_long"
    assert code("备" * MAX_CELL_CHARS) is None
    assert code("张三".encode().decode("latin-1")) == "wrong_encoding"  # UTF-8 read as Latin-1
    assert code("张三丰".encode().decode("cp1252", "replace")) == "wrong_encoding"
    assert code("示例省演示市测试区".encode().decode("gb18030", "replace")) == "wrong_encoding"  # UTF-8 read as GBK
    assert code("张\ufffd") == "wrong_encoding"
    assert code("张\udcd5") == "wrong_encoding"  # an undecodable csv byte
    assert code("-5") is None and code("+86 138 0013 8000") is None  # not a formula: only "=" starts one
    problem = cell_problem("employer", "Q", '=HYPERLINK("x")')
    assert problem is not None and "Q" in problem.message_text.en and "HYPERLINK" not in problem.message_text.en


def test_ordinary_values_are_never_taken_for_wrong_encoding() -> None:
    for customer in generate_customers(3_000, seed=31):
        for value in customer.values():
            assert not unreadable(value), value
    for value in ("José Müller", "Ærø", "阿依古丽·买买提", "约翰·示例", "５号楼（东）", "ZHANG SAN-FENG"):
        assert not unreadable(value)


def test_random_gbk_chinese_is_not_taken_for_mojibake() -> None:
    """Real GBK text whose bytes happen to be valid UTF-8 is the one false alarm to fear: none in 20,000."""
    level1 = [bytes([a, b]).decode("gb2312") for a in range(0xB0, 0xD7) for b in range(0xA1, 0xFF)]
    rng = random.Random(5)
    for _ in range(20_000):
        assert not unreadable("".join(rng.choice(level1) for _ in range(rng.randint(2, 6))))


# --- csv decoding ----------------------------------------------------------------------------------------


@given(st.lists(st.text(alphabet='张三李四示例省市区路号,"\n0123abc', max_size=12), min_size=1, max_size=6))
def test_utf8_and_gbk_text_decode_back_whole(lines: list[str]) -> None:
    text = "姓名\n" + "\n".join(lines)
    assert decode_csv(text.encode("utf-8")) == (text, UTF8)
    assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, UTF8_BOM)
    decoded, encoding = decode_csv(text.encode("gbk"))
    if not text.encode("gbk").isascii():
        assert encoding == GBK
    assert decoded == text


def test_one_line_in_the_other_encoding_is_marked_alone() -> None:
    good = ["姓名,地址", "张三,示例省", "李四,演示市", "王五,测试区"]
    mixed = b"\r\n".join([*(line.encode("utf-8") for line in good), "赵六,样例路".encode("gbk")])
    text, encoding = decode_csv(mixed)
    lines = text.split("\r\n")
    assert encoding == UTF8 and lines[:4] == good and unreadable(lines[4])
    mixed = b"\r\n".join([*(line.encode("gbk") for line in good), "赵六,样例路".encode()])
    text, encoding = decode_csv(mixed)
    lines = text.split("\r\n")
    assert encoding == GBK and lines[:4] == good and unreadable(lines[4])


def test_cell_text_of_xlsx_values() -> None:
    from datetime import date, datetime

    assert cell_text(None) == ""
    assert cell_text(13800138000) == "13800138000"
    assert cell_text(100000.0) == "100000"
    assert cell_text(1.5) == "1.5"
    assert cell_text(datetime(2020, 1, 2)) == "2020-01-02"
    assert cell_text(date(2020, 1, 2)) == "2020-01-02"
    assert cell_text(True) == "TRUE"
