"""Writing a table (header row and rows of text) to .xlsx or .csv, atomically, every cell neutralised.

One writer for every file the app hands out: record exports, the import report, the audit export. Callers
have already masked what the reader may not see; this module only makes cells inert and the write safe.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from desktop_app.domain.spreadsheet_cells import neutralise
from desktop_app.services.errors import InvalidRequest
from desktop_app.storage.durable import fsync_path

# The control characters an .xlsx cell cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE, written out here so that
# openpyxl (0.2 s to import) is loaded only when a workbook is written.
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

FORMATS = ("xlsx", "csv")


def output_format(path: Path) -> str:
    """'xlsx' or 'csv' for a file the user asked us to write, checked before anything is read or written;
    InvalidRequest (zh/en) for another suffix or a folder."""
    try:
        fmt = format_of(path)
    except ValueError:
        raise InvalidRequest(
            f"Cannot write '{path.name}': the file name must end in .xlsx or .csv.",
            f"无法写入“{path.name}”：文件名须以 .xlsx 或 .csv 结尾。",
        ) from None
    if path.is_dir():
        raise InvalidRequest(
            f"'{path}' is a folder; give a file name ending in .xlsx or .csv.",
            f"“{path}”是文件夹，请给出以 .xlsx 或 .csv 结尾的文件名。",
        )
    return fmt


def format_of(path: Path) -> str:
    """'xlsx' or 'csv' from the file name; ValueError naming the allowed suffixes otherwise."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"cannot write '{path.name}': the name must end in .xlsx or .csv")
    return suffix


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]], *, sheet: str = "Sheet1") -> int:
    """Write the table to `path` (.xlsx or .csv by its suffix) via a temporary file, fsync and rename.

    Every cell is written as text and neutralised against formula injection; csv is UTF-8 with a BOM (so
    Excel opens Chinese correctly). Returns the number of data rows written. The file appears whole or not at all.
    """
    fmt = format_of(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    count = 0
    try:
        if fmt == "csv":
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([neutralise(h) for h in headers])
                for row in rows:
                    writer.writerow([neutralise(str(v)) for v in row])
                    count += 1
                handle.flush()
                os.fsync(handle.fileno())
        else:
            os.close(fd)
            from openpyxl import Workbook  # on first use: 0.2 s at import, on every start of the client

            book = Workbook(write_only=True)
            ws = book.create_sheet(sheet[:31])
            try:
                ws.append([_text_value(h) for h in headers])
                for row in rows:
                    ws.append([_text_value(str(v)) for v in row])
                    count += 1
            except BaseException:
                with contextlib.suppress(Exception):  # end openpyxl's half-written sheet stream quietly
                    ws.close()
                raise
            book.save(tmp)
            fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _text_value(value: str) -> str:
    # Control characters cannot be stored in xlsx (openpyxl refuses them). A plain str is stored as a string
    # cell unless it starts with "=", which a neutralised value never does; plain values, not cell objects,
    # because they write about twice as fast.
    return neutralise(_ILLEGAL_CHARACTERS.sub("", value))
