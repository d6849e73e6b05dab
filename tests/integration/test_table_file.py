"""The one table writer: xlsx and csv read back as text, formulas inert, the file whole or absent."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.services.table_file import write_table

ROWS = [["=1+1", "张三", "+86 138"], ["@cmd", "-5", "plain\x07bell"]]


def test_xlsx_cells_are_text_and_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_table(path, ["a", "b", "c"], ROWS) == 2
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = list(sheet.iter_rows(min_row=2))
    assert [[c.value for c in row] for row in cells] == [["'=1+1", "张三", "'+86 138"], ["'@cmd", "'-5", "plainbell"]]
    assert all(c.data_type == "s" for row in cells for c in row)


def test_csv_is_utf8_with_bom_and_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_table(path, ["a", "b", "c"], ROWS)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == ["'=1+1", "张三", "'+86 138"]


def test_a_failure_while_writing_leaves_no_file_and_no_temporary(tmp_path: Path) -> None:
    def rows() -> Iterator[list[str]]:
        yield ["ok"]
        raise RuntimeError("disk gone")

    for name in ("out.xlsx", "out.csv"):
        with pytest.raises(RuntimeError):
            write_table(tmp_path / name, ["a"], rows())
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_suffix_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.xlsx or \.csv"):
        write_table(tmp_path / "out.xls", ["a"], [])
    assert list(tmp_path.iterdir()) == []
