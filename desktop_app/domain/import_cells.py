"""Checks on one spreadsheet cell before its text is normalised: a formula, an oversized cell, or text that is not
readable because the file was saved or read in the wrong character encoding.

Each check returns a Problem (field, stable code, zh/en message) or None. The messages name the column, never
the cell's value: an import report may be handed around and must hold no personal data.
"""

from __future__ import annotations

import re

from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem

#: The longest cell an import reads; longer is a pasted document or a broken export, never a form value
#: (the form's longest field, the notes, holds 500).
MAX_CELL_CHARS = 1_000

# Characters of U+0080..U+00FF and the cp1252 extras: what UTF-8 bytes become when read as Latin-1 or cp1252.
_LATIN1_RANGE = re.compile("[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_HAN = re.compile("[\u3400-\u9fff]")
# What ordinary Chinese text is made of: a mis-decoded run must turn into this to count as mojibake.
_PLAIN_CHINESE = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u0020-\u007e·]+")


def formula_problem(field: str, column: str, text: str) -> Problem | None:
    """A problem when the cell holds a formula (an xlsx formula cell reads as its "=..." text)."""
    if not text.startswith("="):
        return None
    return Problem(
        field=field,
        code="formula",
        message_text=Text(
            zh=f"第 {column} 列的单元格是公式，请直接填写数值本身。",
            en=f"Cell {column} holds a formula; type the value itself.",
        ),
    )


def length_problem(field: str, column: str, text: str, limit: int = MAX_CELL_CHARS) -> Problem | None:
    """A problem when the cell is longer than `limit` characters."""
    if len(text) <= limit:
        return None
    return Problem(
        field=field,
        code="cell_too_long",
        message_text=Text(
            zh=f"第 {column} 列的单元格超过 {limit:,} 个字符，不是表单中的值，请检查该行。",
            en=f"Cell {column} is longer than {limit:,} characters, which no form field holds; check the row.",
        ),
    )


def _latin1_mojibake(text: str) -> bool:
    """UTF-8 bytes read as Latin-1 or cp1252 ("å¼ ä¸‰" for "张三")."""
    if not _LATIN1_RANGE.search(text):
        return False
    raw = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 256:
            raw.append(code)
        else:
            try:
                raw += ch.encode("cp1252")
            except UnicodeEncodeError:
                return False
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not decoded.isascii()


def _gbk_mojibake(text: str) -> bool:
    """UTF-8 bytes read as GBK ("寮犱笁" for "张三"): the text's GBK bytes are valid UTF-8 Chinese. Real GBK text
    almost never is: two or more Han characters must come out, and nothing but plain Chinese text."""
    if not _HAN.search(text):
        return False
    try:
        decoded = text.encode("gb18030").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return len(_HAN.findall(decoded)) >= 2 and _PLAIN_CHINESE.fullmatch(decoded) is not None


def unreadable(text: str) -> bool:
    """True when the text shows a wrong character encoding: replacement characters (U+FFFD), undecodable bytes
    (lone surrogates, as csv reading marks them), or UTF-8 read as Latin-1, cp1252 or GBK."""
    if text.isascii():
        return False
    if "\ufffd" in text or _SURROGATE.search(text):
        return True
    return _latin1_mojibake(text) or _gbk_mojibake(text)


def encoding_problem(field: str, column: str, text: str) -> Problem | None:
    """A problem when the cell's text is not readable (see `unreadable`)."""
    if not unreadable(text):
        return None
    return Problem(
        field=field,
        code="wrong_encoding",
        message_text=Text(
            zh=f"第 {column} 列的文字无法识别（字符编码错误）。请将文件另存为 UTF-8 或 GBK 编码后重新导入。",
            en=f"The text in column {column} is not readable (wrong character encoding); "
            "save the file as UTF-8 or GBK and import again.",
        ),
    )


def cell_problem(field: str, column: str, text: str) -> Problem | None:
    """The first of the formula, length and encoding problems of a cell, or None when it may be normalised."""
    return (
        formula_problem(field, column, text)
        or length_problem(field, column, text)
        or encoding_problem(field, column, text)
    )
