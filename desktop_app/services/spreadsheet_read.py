"""Reading the rows of a spreadsheet a clerk imports: the first sheet of an .xlsx, or a .csv in UTF-8 (with or
without a BOM) or GBK/GB18030, detected.

Every cell comes out as text: numbers without a trailing ".0", dates as YYYY-MM-DD, a formula as its "=..."
source (so the import can refuse it), empty as "". A csv is decoded line by line: a line in another encoding
than the file's keeps its undecodable bytes as lone surrogates (errors="surrogateescape"), so only that row is
refused as unreadable, never the whole file.

Sizes are checked before anything is parsed: a csv is read only up to MAX_CSV_BYTES, and an xlsx (a zip) only
when its parts unpack to at most MAX_XLSX_UNPACKED, checked in this process before openpyxl opens it for the
headers and again in the reading process, so a small "zip bomb" never reaches openpyxl.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import multiprocessing
import os
import queue as queue_module
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from types import TracebackType
from typing import Any

from desktop_app.services.errors import InvalidRequest

FORMATS = ("xlsx", "csv")
UTF8, UTF8_BOM, GBK = "utf-8", "utf-8-sig", "gb18030"
_HAN = re.compile("[\u3400-\u9fff]")

_MIB = 1024 * 1024
# What an import reads at most; larger files are split. A row of this form is about 340 bytes of csv and 1.35 KB
# of xlsx sheet as openpyxl writes it (Excel's shared strings take less), so each cap is about 380,000 rows,
# several times the 100,000 of the import benchmark. The xlsx cap bounds the memory openpyxl can be made to use
# (it loads the shared strings whole) and the time its parsing takes, whatever the file's size on disk.
MAX_CSV_BYTES = 128 * _MIB
MAX_XLSX_UNPACKED = 512 * _MIB


class UnreadableFile(InvalidRequest):
    """The file cannot be read as a spreadsheet; the message says why and what to do."""

    code = "unreadable_file"


def _refuse(path: Path, en: str, zh: str) -> UnreadableFile:
    return UnreadableFile(f"Cannot read '{path.name}': {en}", f"无法读取“{path.name}”：{zh}")


def _not_xlsx(path: Path) -> UnreadableFile:
    return _refuse(
        path,
        "it is not a valid .xlsx workbook (damaged, or another format renamed). "
        "Open it in the spreadsheet program and save it as .xlsx again.",
        "该文件不是有效的 .xlsx 工作簿（已损坏或是其他格式改名）。请在表格软件中打开并另存为 .xlsx。",
    )


def _too_large(path: Path, size: int, limit: int, unpacked: bool) -> UnreadableFile:
    what_en, what_zh = ("unpacks to", "解压后为") if unpacked else ("is", "大小为")
    megabytes, limit_mb = math.ceil(size / _MIB), limit // _MIB
    return _refuse(
        path,
        f"it {what_en} {megabytes:,} MB, more than the {limit_mb:,} MB an import reads. Split it into smaller "
        "files (100,000 rows each, say) and import them one by one.",
        f"该文件{what_zh} {megabytes:,} MB，超过导入可读取的 {limit_mb:,} MB。"
        "请拆分为较小的文件（如每个 10 万行）后逐个导入。",
    )


def check_xlsx_size(path: Path, limit: int = MAX_XLSX_UNPACKED) -> None:
    """Refuse (UnreadableFile) an .xlsx whose parts unpack to more than `limit` bytes, or that is no zip at all;
    reads only the zip's directory. zipfile stops each part at the size the directory declares (a part that
    unpacks to more fails its CRC), so the declared sizes bound what openpyxl can be made to unpack."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_xlsx(path) from exc
    if unpacked > limit:
        raise _too_large(path, unpacked, limit, unpacked=True)


def read_csv_bytes(path: Path, limit: int = MAX_CSV_BYTES) -> bytes:
    """The bytes of a csv; UnreadableFile when it cannot be opened or holds more than `limit` bytes (never read
    beyond limit + 1, should the file grow meanwhile)."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise _too_large(path, size, limit, unpacked=False)
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _refuse(path, f"{exc.strerror}.", "无法打开该文件。") from None
    if len(data) > limit:
        raise _too_large(path, len(data), limit, unpacked=False)
    return data


def cell_text(value: Any) -> str:
    """A cell value as the text a clerk would have typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = getattr(value, "text", None)  # ArrayFormula and DataTableFormula: still a formula
    if isinstance(text, str):
        return text if text.startswith("=") else "=" + text
    return str(value)


def _line_is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clearly_utf8(line: bytes) -> bool:
    """Valid UTF-8 holding two or more Han characters. A short GBK line may be valid UTF-8 by accident ("省" is
    the bytes of "ʡ"), but GBK bytes that also spell Han characters in UTF-8 are vanishingly rare."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(_HAN.findall(text)) >= 2


def detect_encoding(data: bytes) -> str:
    """UTF8_BOM, UTF8 or GBK for the bytes of a csv: a BOM decides; a file that is valid UTF-8 throughout is
    UTF-8; otherwise the lines vote, clearly-UTF-8 lines against lines that are not UTF-8 at all."""
    if data.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if _line_is_utf8(data):
        return UTF8
    utf8 = other = 0
    for line in data.splitlines():
        if not line.isascii():
            if _clearly_utf8(line):
                utf8 += 1
            elif not _line_is_utf8(line):
                other += 1
    return UTF8 if utf8 > other else GBK


def _decode_line(line: bytes, encoding: str) -> str:
    """One line in the file's encoding; bytes that do not belong to it stay as lone surrogates (refused later)."""
    if line.isascii():
        return line.decode("ascii")
    if encoding == GBK:
        if _clearly_utf8(line):  # a UTF-8 line in a GBK file would decode into plausible-looking nonsense
            return line.decode("ascii", "surrogateescape")
        try:
            return line.decode(GBK)
        except UnicodeDecodeError:
            return line.decode("ascii", "surrogateescape")
    return line.decode("utf-8", "surrogateescape")


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a csv file and the encoding detected (see detect_encoding and _decode_line)."""
    encoding = detect_encoding(data)
    body = data[len(codecs.BOM_UTF8) :] if encoding == UTF8_BOM else data
    if encoding != GBK and _line_is_utf8(body):
        return body.decode("utf-8"), encoding
    return "".join(_decode_line(line, encoding) for line in body.splitlines(keepends=True)), encoding


@dataclass(frozen=True)
class SheetRow:
    """One data row: its number as the spreadsheet shows it (the header is row 1) and its cells as text."""

    number: int
    cells: tuple[str, ...]


class SpreadsheetFile:
    """An open spreadsheet: its format, encoding (csv), header row and data rows. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        """Open `path`; UnreadableFile (zh/en) when it is missing, of another kind, damaged or empty."""
        self.path = path
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            raise _refuse(path, "choose an .xlsx or .csv file.", "请选择 .xlsx 或 .csv 文件。")
        if not path.is_file():
            raise _refuse(path, "the file does not exist.", "文件不存在。")
        self.format = suffix
        self.encoding: str | None = None
        self._book: Any = None
        self._rows: Iterator[tuple[Any, ...]]
        self.row_estimate = 0
        if suffix == "csv":
            text, self.encoding = decode_csv(read_csv_bytes(path))
            self.row_estimate = max(0, text.count("\n") - 1)
            self._rows = (tuple(row) for row in csv.reader(io.StringIO(text, newline="")))
        else:
            check_xlsx_size(path)
            # openpyxl on first use: 0.2 s at import, which every start of the client paid before
            from openpyxl import load_workbook
            from openpyxl.utils.exceptions import InvalidFileException

            try:
                self._book = load_workbook(path, read_only=True, data_only=False)
            except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
                raise _not_xlsx(path) from exc
            sheet = self._book.worksheets[0]
            self.row_estimate = max(0, (sheet.max_row or 1) - 1)
            self._rows = sheet.iter_rows(values_only=True, max_row=1)  # the header here; the data rows below
        self._next_number = 1
        first = self._next_raw()
        if first is None:
            self.close()
            raise _refuse(
                path, "it is empty; the first row must hold the column headers.", "文件为空；第一行应为列标题。"
            )
        self.headers: tuple[str, ...] = tuple(cell_text(v).strip() for v in first)
        if self.format == "xlsx":
            self._rows = _rows_read_in_child(path)

    def _next_raw(self) -> tuple[Any, ...] | None:
        try:
            row = next(self._rows)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise _refuse(
                self.path,
                f"row {self._next_number} is not valid csv ({exc}).",
                f"第 {self._next_number} 行不是有效的 csv 格式。",
            ) from None
        self._next_number += 1
        return tuple(row)

    def rows(self) -> Iterator[SheetRow]:
        """The data rows after the header, in order, numbered as the spreadsheet shows them."""
        while True:
            number = self._next_number
            raw = self._next_raw()
            if raw is None:
                return
            yield SheetRow(number, raw)  # already text: csv by nature, xlsx from the reading process

    def close(self) -> None:
        """Release the workbook (read-only mode keeps the file open) and end an xlsx reading process."""
        closing = getattr(self._rows, "close", None)
        if closing is not None:
            closing()
        if self._book is not None:
            self._book.close()
            self._book = None

    def __enter__(self) -> SpreadsheetFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


# --- xlsx data rows, read in a second process -------------------------------------------------------------------
# openpyxl parses a sheet cell by cell in Python: about half of a 100,000-row import. Reading in a child process
# (spawned: no fork of a process with Qt threads) lets that parsing run on the second core while this one checks
# and writes rows; the rows come back as text in batches through a bounded queue, so memory stays flat.

_BATCH = 1_000
_QUEUE_BATCHES = 8


def _read_data_rows(path: str, queue: Any) -> None:
    """The child: every row after the header as a tuple of cell texts, in batches; then ("end", None), or
    ("refused", (en, zh)) when the file fails the size check, or ("error", the exception's name) if the workbook
    cannot be read."""
    try:
        # Again here: the file may have been replaced since the parent checked it.
        check_xlsx_size(Path(path))
    except UnreadableFile as refused:
        queue.put(("refused", (refused.message_text.en, refused.message_text.zh)))
        return
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=False)
        try:
            batch: list[tuple[str, ...]] = []
            for raw in book.worksheets[0].iter_rows(min_row=2, values_only=True):
                batch.append(tuple(cell_text(v) for v in raw))
                if len(batch) >= _BATCH:
                    queue.put(("rows", batch))
                    batch = []
            if batch:
                queue.put(("rows", batch))
        finally:
            book.close()
        queue.put(("end", None))
    except Exception as exc:  # reported to the parent, which refuses the file with a message
        queue.put(("error", type(exc).__name__))


def _rows_read_in_child(path: Path) -> Iterator[tuple[str, ...]]:
    """The data rows of an .xlsx, read by a child process; stopping early (cancel) ends the child."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue(maxsize=_QUEUE_BATCHES)
    child = context.Process(target=_read_data_rows, args=(str(path), queue), name="xlsx-reader", daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, payload = queue.get(timeout=1.0)
            except queue_module.Empty:
                if not child.is_alive():
                    raise _refuse(
                        path,
                        "the reading stopped unexpectedly; try again, or save the file as .csv.",
                        "读取意外中止；请重试，或将文件另存为 .csv。",
                    ) from None
                continue
            if kind == "rows":
                yield from payload
            elif kind == "end":
                return
            elif kind == "refused":
                en, zh = payload
                raise UnreadableFile(en, zh)
            else:
                raise _refuse(
                    path,
                    f"a data row could not be read ({payload}). Open it in the spreadsheet program and save it as "
                    ".xlsx again.",
                    "有数据行无法读取。请在表格软件中打开并重新另存为 .xlsx。",
                )
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)
        queue.cancel_join_thread()
        queue.close()
