"""Driving a scanner through SANE (python-sane over libsane): the device, resolution, colour mode and duplex from
the workstation's settings, a whole feeder of sheets in one go, progress per page and a cancel that stops mid-page.

Each page is handed to `on_page` the moment it is read, before the next sheet is fed, so a jam, an unplugged
scanner or a cancel loses nothing already scanned: ScanFailed says what happened, how many pages were kept and
what to do. SANE's `test` backend is a real device to this code (the tests and bench_paper use it).

Windows (TWAIN/WIA) is not here yet: on a machine without libsane, `available()` is False and the app offers
the scanner folder and file open only.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PIL import Image

from desktop_app.domain.text import Text

A4_MM = (210.0, 297.0)
MAX_PAGES = 500  # a feeder stuck reporting paper must not fill the store
_SANE_LOCK = threading.Lock()  # libsane is initialised once per process and is not safe to open concurrently
_initialised = False

# python-sane raises _sane.error with SANE's own status strings (sane_strstatus); these are the ones a teller
# can act on.
_OUT_OF_PAPER = "Document feeder out of documents"
_CANCELLED = "Operation was canceled"
_JAMMED = "Document feeder jammed"
_COVER_OPEN = "Scanner cover is open"
_BUSY = "Device busy"


class ScanProblem(StrEnum):
    NO_DRIVER = "no_driver"
    NO_SCANNER = "no_scanner"
    UNAVAILABLE = "unavailable"
    NO_PAPER = "no_paper"
    JAMMED = "jammed"
    COVER_OPEN = "cover_open"
    DEVICE_LOST = "device_lost"
    NO_DUPLEX = "no_duplex"
    TOO_MANY_PAGES = "too_many_pages"


_MESSAGES: dict[ScanProblem, Text] = {
    ScanProblem.NO_DRIVER: Text(
        en="Scanning needs the SANE scanner library, which is not installed on this computer. Use the scanner "
        "folder or open a file instead, or ask IT to install SANE.",
        zh="扫描需要 SANE 扫描仪程序库，本机未安装。请改用扫描文件夹或打开文件，或请 IT 安装 SANE。",
    ),
    ScanProblem.NO_SCANNER: Text(
        en="No scanner was found. Check that it is switched on and connected, then try again.",
        zh="未找到扫描仪。请检查扫描仪已开机并已连接，然后重试。",
    ),
    ScanProblem.UNAVAILABLE: Text(
        en="The scanner '{device}' cannot be opened: it is switched off, unplugged or used by another program. "
        "Check it, or choose another scanner in Settings.",
        zh="无法打开扫描仪“{device}”：它已关机、未连接或正被其他程序使用。请检查，或在设置中选择其他扫描仪。",
    ),
    ScanProblem.NO_PAPER: Text(
        en="The scanner's feeder is empty. Put the form's pages in the feeder and scan again.",
        zh="扫描仪进纸器中没有纸。请放入表单各页后重新扫描。",
    ),
    ScanProblem.JAMMED: Text(
        en="The paper jammed in the scanner after {pages} page(s), which were kept. Clear the jam, put the "
        "remaining pages back in the feeder and scan them.",
        zh="扫描 {pages} 页后卡纸，已扫描的页面已保存。请清除卡纸，把其余页面放回进纸器后继续扫描。",
    ),
    ScanProblem.COVER_OPEN: Text(
        en="The scanner's cover is open ({pages} page(s) were kept). Close it and scan the remaining pages.",
        zh="扫描仪盖板打开（已保存 {pages} 页）。请合上盖板后扫描其余页面。",
    ),
    ScanProblem.DEVICE_LOST: Text(
        en="The scanner stopped answering after {pages} page(s), which were kept. Check its cable and power, "
        "then scan the remaining pages.",
        zh="扫描 {pages} 页后扫描仪停止响应，已扫描的页面已保存。请检查电源和数据线后扫描其余页面。",
    ),
    ScanProblem.NO_DUPLEX: Text(
        en="This scanner cannot scan both sides of a sheet. Turn off two-sided scanning in Settings.",
        zh="此扫描仪不能双面扫描。请在设置中关闭双面扫描。",
    ),
    ScanProblem.TOO_MANY_PAGES: Text(
        en="The scanner kept feeding after {pages} pages and was stopped. Check the feeder.",
        zh="扫描仪在 {pages} 页后仍在进纸，已停止。请检查进纸器。",
    ),
}


class ScanFailed(Exception):
    """A scan that could not go on; `pages` were read (and handed on) before it stopped."""

    def __init__(self, problem: ScanProblem, pages: int = 0, device: str = "") -> None:
        self.problem = problem
        self.pages = pages
        self.message = _MESSAGES[problem].format(pages=pages, device=device)
        super().__init__(self.message.en)


@dataclass(frozen=True)
class ScanSettings:
    """How to scan, from the workstation settings (paper_scanner_device, paper_scan_dpi/mode/duplex)."""

    device: str = ""  # SANE device name; "" for the first one found
    dpi: int = 300
    mode: str = "color"  # color, gray, lineart
    duplex: bool = False
    feeder: bool = True  # the document feeder (all sheets) rather than the flatbed (one page)


@dataclass(frozen=True)
class ScannerDevice:
    name: str
    vendor: str
    model: str
    kind: str


@dataclass(frozen=True)
class ScanOutcome:
    pages: int
    cancelled: bool


class CancelToken:
    """Set from any thread; a page being read is cancelled on the device at once (SANE allows sane_cancel from
    another thread while a read blocks), and no further page is started."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._hooks: list[Callable[[], None]] = []

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            hooks = list(self._hooks)
        for hook in hooks:
            with contextlib.suppress(Exception):  # a device that vanished cannot be cancelled; the read ends anyway
                hook()

    @contextmanager
    def while_reading(self, hook: Callable[[], None]) -> Iterator[None]:
        """Run `hook` if the token is cancelled while the block runs (the device's cancel)."""
        with self._lock:
            self._hooks.append(hook)
        try:
            yield
        finally:
            with self._lock:
                self._hooks.remove(hook)

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


def _sane() -> Any:
    try:
        import sane
    except ImportError:  # python-sane missing, or libsane not on this machine
        raise ScanFailed(ScanProblem.NO_DRIVER) from None
    return sane


def available() -> bool:
    """True when SANE can be used on this machine."""
    try:
        _sane()
    except ScanFailed:
        return False
    return True


def _init(sane: Any) -> None:
    global _initialised
    if not _initialised:
        sane.init()
        _initialised = True


def list_devices() -> list[ScannerDevice]:
    """The scanners SANE finds now (ScanFailed NO_DRIVER without SANE)."""
    sane = _sane()
    with _SANE_LOCK:
        _init(sane)
        return [ScannerDevice(*map(str, d)) for d in sane.get_devices()]


def _problem_of(error: Exception) -> ScanProblem:
    text = str(error)
    if text == _JAMMED:
        return ScanProblem.JAMMED
    if text == _COVER_OPEN:
        return ScanProblem.COVER_OPEN
    return ScanProblem.DEVICE_LOST  # an I/O error, an unplugged device, anything else mid-feed


def _choose(constraint: object, *words: str) -> str | None:
    """The first of a string option's allowed values containing any of `words` (case-insensitive)."""
    if not isinstance(constraint, list):
        return None
    for value in constraint:
        if isinstance(value, str) and any(w in value.lower() for w in words):
            return value
    return None


_MODE_WORDS = {"color": ("color", "colour"), "gray": ("gray", "grey"), "lineart": ("lineart", "binary", "black")}


class SaneScanner:
    """One opened SANE device, set up from ScanSettings. Use as a context manager; `handle` is python-sane's
    device (the tests set the test backend's options on it)."""

    def __init__(self, settings: ScanSettings) -> None:
        self.settings = settings
        self.handle: Any = None
        self.name = settings.device

    def __enter__(self) -> SaneScanner:
        sane = _sane()
        with _SANE_LOCK:
            _init(sane)
            if not self.name:
                devices = sane.get_devices()
                if not devices:
                    raise ScanFailed(ScanProblem.NO_SCANNER)
                self.name = str(devices[0][0])
            try:
                self.handle = sane.open(self.name)
            except Exception:  # _sane.error: no such device, busy, access denied
                raise ScanFailed(ScanProblem.UNAVAILABLE, device=self.name) from None
        try:
            self._configure()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.handle is not None:
            handle, self.handle = self.handle, None
            try:
                handle.cancel()
                handle.close()
            except Exception:  # noqa: S110 - a device that vanished cannot be closed; nothing is lost by it
                pass

    def _options(self) -> dict[str, Any]:
        return {o[1]: o for o in self.handle.get_options() if o[1]}

    def _set(self, name: str, value: object) -> None:
        # An option the device refuses keeps its default (a scanner with a fixed mode or resolution still scans).
        with contextlib.suppress(Exception):
            setattr(self.handle, name.replace("-", "_"), value)

    def _configure(self) -> None:
        s = self.settings
        options = self._options()
        if "mode" in options:
            mode = _choose(options["mode"][8], *_MODE_WORDS.get(s.mode, (s.mode,)))
            if mode:
                self._set("mode", mode)
        if "resolution" in options:
            self._set("resolution", s.dpi)
        source_constraint = options["source"][8] if "source" in options else None
        if s.duplex:
            duplex_source = _choose(source_constraint, "duplex")
            if duplex_source:
                self._set("source", duplex_source)
            elif "duplex" in options:
                self._set("duplex", True)
            else:
                raise ScanFailed(ScanProblem.NO_DUPLEX, device=self.name)
        elif s.feeder:
            feeder = _choose(source_constraint, "feeder", "adf")
            if feeder:
                self._set("source", feeder)
        else:
            flatbed = _choose(source_constraint, "flatbed")
            if flatbed:
                self._set("source", flatbed)
        # The whole A4 sheet (within what the device allows); backends default to their full bed, often Letter.
        for corner, mm in (("tl-x", 0.0), ("tl-y", 0.0), ("br-x", A4_MM[0]), ("br-y", A4_MM[1])):
            if corner in options:
                limit = options[corner][8]
                high = limit[1] if isinstance(limit, tuple) else mm
                self._set(corner, min(mm, high))

    @property
    def multi_page(self) -> bool:
        return self.settings.feeder or self.settings.duplex

    def scan(
        self,
        on_page: Callable[[int, Image.Image], None],
        *,
        on_progress: Callable[[int, float], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> ScanOutcome:
        """Scan every sheet in the feeder (one page on the flatbed), handing each page to `on_page(index, image)`
        as it is read; ScanFailed says why a scan stopped early and how many pages came before."""
        done = 0
        handle = self.handle

        # No Python callback goes into python-sane's snap: it calls its progress callback while the read runs
        # without the interpreter lock, and with the window's thread running Python that corrupted reference
        # counts and killed the program ("Fatal Python error: bool_dealloc", found by the independent check,
        # 6 scans in 8). Progress is told per page; a cancel reaches the device through the token at once.

        while True:
            if cancel is not None and cancel.cancelled:
                return ScanOutcome(done, True)
            if done >= MAX_PAGES:
                raise ScanFailed(ScanProblem.TOO_MANY_PAGES, done)
            try:
                handle.start()
            except Exception as error:
                if str(error) == _OUT_OF_PAPER:
                    if done == 0:
                        raise ScanFailed(ScanProblem.NO_PAPER) from None
                    return ScanOutcome(done, False)
                if str(error) == _CANCELLED:
                    return ScanOutcome(done, True)
                raise ScanFailed(_problem_of(error), done, self.name) from None
            if on_progress is not None:
                on_progress(done, 0.0)  # page `done + 1` is being read
            try:
                with cancel.while_reading(handle.cancel) if cancel is not None else contextlib.nullcontext():
                    if cancel is not None and cancel.cancelled:
                        handle.cancel()
                    image = handle.snap(no_cancel=True)
            except Exception as error:
                if str(error) == _CANCELLED or (cancel is not None and cancel.cancelled):
                    return ScanOutcome(done, True)
                raise ScanFailed(_problem_of(error), done, self.name) from None
            on_page(done, image)
            done += 1
            if on_progress is not None:
                on_progress(done, 0.0)
            if not self.multi_page:
                return ScanOutcome(done, False)


@contextmanager
def open_scanner(settings: ScanSettings) -> Iterator[SaneScanner]:
    """An opened, configured scanner (ScanFailed when there is none or it cannot be opened)."""
    with SaneScanner(settings) as scanner:
        yield scanner
