"""The paper form's pages kept with a record: scanned from the scanner, read from a file or the scanner folder,
turned upright, stored encrypted inside the store (as ID scans are) once per distinct image, with a thumbnail.

- Pages form sets: a re-scan, or the pages scanned for a change of an approved record, start a new set and the
  earlier sets stay; the record's pages are those of its highest set.
- Each page is stored the moment it is read, in its own short transaction, so a jam, an unplugged scanner or a
  cancel loses nothing scanned before it.
- The form's code (QR or barcode) on a page gives the form version (its layout) and the serial number, which
  becomes the record's form number when the record has none (unique per workstation: services/form_numbers.py).
- Who sees the pages: the maker; while the record waits for its blind second entry, the second clerk too (the
  paper is the source they key from; they still never see the first entry's values); the resolver while it waits
  for reconciliation; supervisors and auditors otherwise. Every opening of a page image is audited.
- Before submit, `checks` warns of pages missing, a blank signature box and a form version this workstation does
  not know (domain/paper_layout.py). No customer value is kept in page metadata or in the audit trail.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.form_schema import FORM_NUMBER
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.paper_layout import (
    PaperLayout,
    PaperProblem,
    form_number_problem,
    match_code,
    paper_problems,
)
from desktop_app.domain.roles import Permission, Role, permissions_of
from desktop_app.domain.text import Text
from desktop_app.ocr.loading import UnreadableScan
from desktop_app.ocr.page_ink import Ink, region_ink
from desktop_app.ocr.page_orientation import turn_upright
from desktop_app.scanning.page_files import iter_pages
from desktop_app.scanning.sane_device import (
    CancelToken,
    ScanFailed,
    ScannerDevice,
    ScanSettings,
    list_devices,
    open_scanner,
)
from desktop_app.services import form_numbers
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import Conflict, InvalidRequest, NotFound, PermissionDenied
from desktop_app.services.records import RecordService, _usernames
from desktop_app.services.settings import read_setting
from desktop_app.storage.models import FormNumber, OutboxItem, PageBlob, PageOutbox, PaperPage, Record
from desktop_app.storage.store import Store
from desktop_app.sync.errors import SyncTransportError
from desktop_app.sync.outbox import OutboxState
from desktop_app.sync.transport import Transport

log = logging.getLogger(__name__)

__all__ = ["CancelToken", "PageAdded", "PageInfo", "PaperPageService", "ScanReport", "prepare_page"]

SOURCES = frozenset({"scanner", "file", "folder"})
JPEG_QUALITY = 85  # a form page at 300 dpi: ~0.5-1 MB, print and handwriting sharp at 100% zoom
THUMBNAIL_SIDE = 240
#: Roles that see any record's pages outside the blind second entry and reconciliation.
PAGE_VIEWERS: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.AUDITOR})


@dataclass(frozen=True)
class PreparedPage:
    """A page ready to store: upright, encoded, hashed, with what its code said (no customer value)."""

    sha256: str
    media_type: str
    content: bytes
    thumbnail: bytes
    size: tuple[int, int]
    turned: int
    turned_by: str
    code_text: str | None


@dataclass(frozen=True)
class PageInfo:
    """A stored page, without its image (page_image() gives that, audited)."""

    id: int
    record_id: str
    set_no: int
    page_no: int
    version: int
    sha256: str
    width: int
    height: int
    size: int  # bytes stored
    source: str
    turned: int
    form_version: str | None  # "personal_customer/1" when the page's code named a known form version
    created_by: str
    created_at: datetime
    serial: str | None = None  # the form's serial its code gave (pages stored before it was kept: None)


@dataclass(frozen=True)
class PageAdded:
    page: PageInfo
    stored_new_image: bool  # False when the same image was already stored (kept once)
    serial: str | None  # the serial number the page's code carries, when it names a known form version
    form_number_set: bool  # the serial became the record's form number (a new record version)
    notice: Text | None  # what the teller should know about the code (a number held by another record...)
    turned_by: str = "none"  # how the page was turned upright: code, feed, osd, none


@dataclass(frozen=True)
class ScanReport:
    """What one scan or file open added; `failure` says why it stopped early (the pages before it are kept)."""

    added: tuple[PageAdded, ...]
    cancelled: bool
    failure: Text | None


def _encode(image: Image.Image) -> tuple[str, bytes]:
    out = io.BytesIO()
    if image.mode == "1":
        image.save(out, "PNG", optimize=True)
        return "image/png", out.getvalue()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False)
    return "image/jpeg", out.getvalue()


def prepare_page(
    image: Image.Image, layouts: Sequence[PaperLayout] = (), *, use_osd: bool = True, feed_turn: int | None = None
) -> PreparedPage:
    """The page upright (by its code, else as the feed's earlier page, else by Tesseract's orientation detection),
    encoded, hashed, thumbnailed; `layouts` tell where the known form versions print their code."""
    if image.mode not in ("RGB", "L", "1"):
        image = image.convert("RGB")
    hints = [hint for hint in (layout.code_hint() for layout in layouts) if hint is not None]
    upright = turn_upright(image, hints, use_osd=use_osd, feed_turn=feed_turn)
    page = upright.image
    media_type, content = _encode(page)
    thumb = page.convert("L" if page.mode != "RGB" else "RGB")
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=70)
    return PreparedPage(
        # The encoded image's hash: the same pixels encode to the same bytes (one encoder, fixed settings), and
        # hashing 0.5 MB of JPEG costs a fiftieth of hashing 26 MB of pixels.
        sha256=hashlib.sha256(content).hexdigest(),
        media_type=media_type,
        content=content,
        thumbnail=out.getvalue(),
        size=page.size,
        turned=upright.turned,
        turned_by=upright.by,
        code_text=upright.code.text if upright.code else None,
    )


class PageState(StrEnum):
    """Where a queued page stands with the central server (page_outbox.state)."""

    PENDING = "pending"
    SENT = "sent"
    NOT_TAKEN = "not_taken"  # the bank's server does not take pages
    REFUSED = "refused"  # the server refused it, or the page was gone before it could go; `error` says why


PAGES_PER_RUN = 200  # pages sent by one sync run at most (each a request of up to a couple of MiB)
BACKGROUND = "background-sync"  # the audit actor of work a sync run does with no user (services/sync.py's name)


def scan_settings(session: Session) -> ScanSettings:
    """The scanner settings of this workstation (paper_scanner_device, paper_scan_dpi/mode/duplex)."""
    return ScanSettings(
        device=str(read_setting(session, "paper_scanner_device")),
        dpi=int(str(read_setting(session, "paper_scan_dpi"))),
        mode=str(read_setting(session, "paper_scan_mode")),
        duplex=bool(read_setting(session, "paper_scan_duplex")),
    )


class PaperPageService:
    def __init__(self, store: Store, records: RecordService, layouts: Sequence[PaperLayout] = ()) -> None:
        self._store = store
        self._records = records
        self._layouts = tuple(layouts)
        records.add_on_approval(self._queue_for_central)

    # --- to the central server (issue 16: "the approved record's pages sync with it as an option the bank sets") --
    def _queue_for_central(self, s: Session, actor: Actor, record: Record) -> None:
        """In approval's transaction: the pages of the approved version's paper form (its newest set) are queued
        to go after the record; sent only if the bank's server takes pages."""
        set_no, count, _ = self._current_set(s, record)
        if not count:
            return
        now = utcnow()
        for page in self._set_rows(s, record, set_no):
            s.add(
                PageOutbox(
                    record_id=record.id,
                    version=record.version,
                    page_no=page.page_no,
                    page_id=page.id,
                    sha256=page.sha256,
                    state=PageState.PENDING.value,
                    attempts=0,
                    created_at=now,
                )
            )

    def send_pending(self, transport: Transport) -> int:
        """After a sync run that reached the server: send the queued pages whose record version the server has
        acknowledged, oldest first (PAGES_PER_RUN a run). A server that does not take pages marks them not_taken
        (retention stops waiting for them); once it takes pages, those not taken are queued again. Returns the
        pages sent. A transport error ends the pass; what is left goes at the next run."""
        with self._store.read() as s:
            waiting = dict(
                s.execute(
                    select(PageOutbox.state, func.count())
                    .where(PageOutbox.state.in_((PageState.PENDING.value, PageState.NOT_TAKEN.value)))
                    .group_by(PageOutbox.state)
                ).all()
            )
        if not waiting:
            return 0
        if not transport.status().paper_pages:
            if waiting.get(PageState.PENDING.value):
                with self._store.write() as s:
                    s.execute(
                        update(PageOutbox)
                        .where(PageOutbox.state == PageState.PENDING.value)
                        .values(state=PageState.NOT_TAKEN.value, error="the central server does not take pages")
                    )
                log.info(
                    "%d paper page(s) not sent: the central server does not take pages",
                    waiting[PageState.PENDING.value],
                )
            return 0
        if waiting.get(PageState.NOT_TAKEN.value):
            # The bank has since switched pages on at its server: what it did not take before goes now (a page
            # purged by retention meanwhile is marked refused below, with why).
            with self._store.write() as s:
                s.execute(
                    update(PageOutbox)
                    .where(PageOutbox.state == PageState.NOT_TAKEN.value)
                    .values(state=PageState.PENDING.value, error=None)
                )
            log.info(
                "%d paper page(s) queued again: the central server now takes pages", waiting[PageState.NOT_TAKEN.value]
            )
        with self._store.read() as s:
            rows = s.execute(
                select(PageOutbox.id, PageOutbox.record_id, PageOutbox.version, PageOutbox.page_no, PageOutbox.page_id)
                .join(
                    OutboxItem,
                    (OutboxItem.record_id == PageOutbox.record_id) & (OutboxItem.version == PageOutbox.version),
                )
                .where(PageOutbox.state == PageState.PENDING.value, OutboxItem.state == OutboxState.ACKED.value)
                .order_by(PageOutbox.id)
                .limit(PAGES_PER_RUN)
            ).all()
        sent = 0
        for row_id, record_id, version, page_no, page_id in rows:
            with self._store.read() as s:
                found = s.execute(
                    select(PageBlob.media_type, PageBlob.content, PageBlob.sha256)
                    .join(PaperPage, PaperPage.sha256 == PageBlob.sha256)
                    .where(PaperPage.id == page_id)
                ).first()
            if found is None:  # purged by retention since it was queued: nothing left to send
                self._page_done(row_id, PageState.REFUSED, "the page was removed before it was sent")
                continue
            media_type, content, sha256 = found
            try:
                transport.upload_page(record_id, version, page_no, sha256, media_type, bytes(content))
            except SyncTransportError as exc:
                if exc.server_code == "record_not_stored":
                    continue  # the record is not there yet: the next run
                if exc.retryable or exc.status is None or exc.status >= 500 or exc.status == 429:
                    self._page_attempted(row_id, exc)
                    break
                self._page_done(row_id, PageState.REFUSED, f"{exc.server_code or exc.code}: {exc.message}")
                continue
            self._page_done(row_id, PageState.SENT, None)
            sent += 1
        if sent:
            with self._store.write() as s:
                self._store.audit(
                    s, action="paper.pages_sent", actor_id=None, actor_name=BACKGROUND, details={"pages": sent}
                )
        return sent

    def _page_done(self, row_id: int, state: PageState, error: str | None) -> None:
        with self._store.write() as s:
            row = s.get(PageOutbox, row_id)
            if row is not None:
                row.state, row.error, row.attempts = state.value, (error or None) and error[:200], row.attempts + 1
                row.sent_at = utcnow() if state is PageState.SENT else None

    def _page_attempted(self, row_id: int, exc: SyncTransportError) -> None:
        with self._store.write() as s:
            row = s.get(PageOutbox, row_id)
            if row is not None:
                row.attempts += 1
                row.error = f"{exc.code}: {exc.message}"[:200]

    # --- the scanner ------------------------------------------------------------------------------------------
    def scanners(self, actor: Actor) -> list[ScannerDevice]:
        """The scanners SANE finds now, for the administrator choosing this workstation's (it can take seconds: a
        network scanner is asked). InvalidRequest, saying what to do, when SANE is not on this machine."""
        with self._store.read() as s:
            authorise(s, actor, Permission.SETTINGS_ADMIN)
        try:
            return list_devices()
        except ScanFailed as failed:
            raise InvalidRequest(failed.message.en, failed.message.zh) from None

    # --- who may see ----------------------------------------------------------------------------------------
    @staticmethod
    def _may_see_pages(record: Record, actor: Actor, roles: frozenset[Role]) -> None:
        if record.maker_id == actor.user_id:
            return
        status = Status(record.status)
        granted = permissions_of(roles)
        if status is Status.AWAITING_SECOND_ENTRY:
            if Permission.RECORD_SECOND_ENTRY in granted:
                return  # the blind second clerk keys from the paper (never from the first entry)
            raise PermissionDenied(
                "This record is waiting for its blind second entry; only the clerks who key it see its form.",
                "该记录正等待第二次录入，只有录入柜员可以查看其纸质表单。",
            )
        if status is Status.AWAITING_RECONCILIATION and Permission.RECORD_RECONCILE in granted:
            return
        if roles & PAGE_VIEWERS:
            return
        raise PermissionDenied(
            "Only the clerks who key this record, a supervisor or an auditor may see its paper form.",
            "只有录入该记录的柜员、主管或审计人员可以查看其纸质表单。",
        )

    # --- adding -----------------------------------------------------------------------------------------------
    def _current_set(self, s: Session, record: Record) -> tuple[int, int, int]:
        """(set number, pages in it, the record version its first page was added at) of the record's newest set."""
        row = s.execute(
            select(PaperPage.set_no, func.count(), func.min(PaperPage.version))
            .where(PaperPage.record_id == record.id)
            .group_by(PaperPage.set_no)
            .order_by(PaperPage.set_no.desc())
            .limit(1)
        ).first()
        return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)

    def _target(self, s: Session, record: Record, new_set: bool) -> tuple[int, int]:
        set_no, count, made_at = self._current_set(s, record)
        # The pages of the approved record stay with it: a change scans into a set of its own.
        belongs_to_earlier = record.base_version is not None and made_at <= record.base_version
        if new_set or set_no == 0 or belongs_to_earlier:
            return set_no + 1, 1
        return set_no, count + 1

    def add_page(
        self,
        actor: Actor,
        record_id: str,
        image: Image.Image | PreparedPage,
        source: str = "scanner",
        *,
        new_set: bool = False,
        feed_turn: int | None = None,
    ) -> PageAdded:
        """Store one page with the maker's editable record (appended to its current set, or starting a new one);
        when its code names a known form version and the record has no form number, the serial becomes it.
        `feed_turn`: how an earlier page of the same feed was turned by its code (see turn_upright)."""
        if source not in SOURCES:
            raise ValueError(f"unknown page source {source!r}")
        prepared = image if isinstance(image, PreparedPage) else prepare_page(image, self._layouts, feed_turn=feed_turn)
        matched = match_code(self._layouts, prepared.code_text) if prepared.code_text else None
        form_version = f"{matched[0].form_key}/{matched[0].version}" if matched else None
        serial = matched[1] if matched else None
        meta = {
            "turned": prepared.turned,
            "turned_by": prepared.turned_by,
            "code": "known" if matched else ("unknown" if prepared.code_text else "none"),
            "form_version": form_version,
            # The serial its code gives (the form's number, not a customer value): checks() holds it to the record's.
            "serial": serial,
        }
        with self._store.write() as s:
            record = self._records._own_editable(s, actor, record_id, None, "add pages to")
            set_no, page_no = self._target(s, record, new_set)
            blob = s.get(PageBlob, prepared.sha256)
            stored_new = blob is None
            if blob is None:
                s.add(
                    PageBlob(
                        sha256=prepared.sha256,
                        media_type=prepared.media_type,
                        content=prepared.content,
                        thumbnail=prepared.thumbnail,
                        width=prepared.size[0],
                        height=prepared.size[1],
                        created_at=utcnow(),
                    )
                )
            page = PaperPage(
                record_id=record.id,
                version=record.version,
                set_no=set_no,
                page_no=page_no,
                sha256=prepared.sha256,
                source=source,
                meta=json.dumps(meta, sort_keys=True, separators=(",", ":")),
                created_by=actor.user_id,
                created_at=utcnow(),
            )
            s.add(page)
            s.flush()
            self._store.audit(
                s,
                action="paper.page_add",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"page": page.id, "set": set_no, "page_no": page_no, "new_image": stored_new},
            )
            number_set, notice = (False, None)
            if serial is not None:
                number_set, notice = self._take_serial(s, record, actor, serial)
            info = self._info(s, page, {actor.user_id: actor.username}, len(prepared.content))
        log.info("record %s: page %d of set %d stored (%s)", record_id, page_no, set_no, source)
        return PageAdded(info, stored_new, serial, number_set, notice, prepared.turned_by)

    def remove_page(self, actor: Actor, record_id: str, page_no: int) -> int:
        """Take page `page_no` out of the record's pages (a page scanned twice, another customer's sheet, a blank
        back): the current set is copied without it into a new set, so the earlier set stays as it was (nothing
        kept is ever deleted, and the images are shared, not copied). The maker of an editable record only;
        audited. Returns the new set's number. InvalidRequest when there is no such page."""
        with self._store.write() as s:
            record = self._records._own_editable(s, actor, record_id, None, "remove pages from")
            set_no, count, _ = self._current_set(s, record)
            if not 1 <= page_no <= count:
                raise InvalidRequest(
                    f"The paper form has no page {page_no} (it has {count}). Choose one of its pages.",
                    f"纸质表单没有第 {page_no} 页（共 {count} 页）。请选择其中一页。",
                )
            kept = [page for page in self._set_rows(s, record, set_no) if page.page_no != page_no]
            if not kept:  # a set cannot be empty: the record's pages are those of its newest set
                raise InvalidRequest(
                    "This is the form's only page. To replace it, scan the form again: the new scan becomes the "
                    "record's pages, and this one is kept with its history.",
                    "这是表单仅有的一页。如需替换，请重新扫描表单：新扫描的页面将成为记录的页面，原页面保留在历史中。",
                )
            new_set = self._copy_into_new_set(s, record, actor, kept)
            self._store.audit(
                s,
                action="paper.page_remove",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"set": set_no, "page_no": page_no, "new_set": new_set, "pages_left": len(kept)},
            )
        log.info(
            "record %s: page %d of set %d taken out (set %d keeps %d)", record_id, page_no, set_no, new_set, len(kept)
        )
        return new_set

    def restore_set(self, actor: Actor, record_id: str, set_no: int) -> int:
        """Make the pages of the earlier set `set_no` the record's pages again (a scan cancelled or jammed part way
        replaced a whole form with its first pages): copied into a new set, so the set they replace stays in the
        history as well. The maker of an editable record only; audited. Returns the new set's number."""
        with self._store.write() as s:
            record = self._records._own_editable(s, actor, record_id, None, "restore pages of")
            current = self._current_set(s, record)[0]
            pages = self._set_rows(s, record, set_no)
            if not pages or set_no == current:
                raise InvalidRequest(
                    f"Record {record.id} has no earlier page set {set_no}. Choose one of its earlier sets.",
                    f"记录 {record.id} 没有较早的第 {set_no} 组页面。请选择其较早的一组页面。",
                )
            replaced = self._set_rows(s, record, current)
            new_set = self._copy_into_new_set(s, record, actor, pages)
            self._number_follows_pages(s, record, actor, replaced, pages)
            self._store.audit(
                s,
                action="paper.set_restore",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"set": set_no, "replaced": current, "new_set": new_set, "pages": len(pages)},
            )
        log.info("record %s: set %d restored as set %d (replacing set %d)", record_id, set_no, new_set, current)
        return new_set

    def _number_follows_pages(
        self, s: Session, record: Record, actor: Actor, replaced: Sequence[PaperPage], restored: Sequence[PaperPage]
    ) -> None:
        """The form number after the pages went back: a number read from a code of the pages set aside (found by
        the independent check: a cut-off file's sheet gave its number, and the record kept it after going back to
        its own sheet) is let go, and the restored pages' own code gives the number when it is free."""
        values = self._records._values(s, record)
        number = values.get(FORM_NUMBER, "").strip()
        serials = [json.loads(page.meta).get("serial") for page in restored]
        gone = {json.loads(page.meta).get("serial") for page in replaced} - set(serials)
        claim = s.get(FormNumber, number) if number else None
        if number in gone and claim is not None and claim.source == "barcode":
            self._write_number(s, record, actor, values, "", "typed", "pages_restored")
        serial = next((found for found in serials if found), None)
        if serial is not None:
            self._take_serial(s, record, actor, serial)

    @staticmethod
    def _set_rows(s: Session, record: Record, set_no: int) -> list[PaperPage]:
        """The rows of one of the record's page sets, in page order."""
        return list(
            s.scalars(
                select(PaperPage)
                .where(PaperPage.record_id == record.id, PaperPage.set_no == set_no)
                .order_by(PaperPage.page_no)
            )
        )

    def _copy_into_new_set(self, s: Session, record: Record, actor: Actor, pages: Sequence[PaperPage]) -> int:
        """`pages` (in order) as a new set of the record, numbered from 1; the images are shared, not copied."""
        new_set, _ = self._target(s, record, new_set=True)
        now = utcnow()
        for number, page in enumerate(pages, start=1):
            s.add(
                PaperPage(
                    record_id=record.id,
                    version=record.version,
                    set_no=new_set,
                    page_no=number,
                    sha256=page.sha256,
                    source=page.source,
                    meta=page.meta,
                    created_by=actor.user_id,
                    created_at=now,
                )
            )
        s.flush()
        return new_set

    def _take_serial(self, s: Session, record: Record, actor: Actor, serial: str) -> tuple[bool, Text | None]:
        values = self._records._values(s, record)
        current = values.get(FORM_NUMBER, "").strip()
        if current == serial:
            return False, None
        if current:
            return False, Text(
                en=f"The form's code says number {serial}, but the record has {current}. Check the sheet and "
                "correct the form number if it is wrong.",
                zh=f"表单编码显示编号为 {serial}，但记录中为 {current}。请核对纸质表单，如有误请更正表单编号。",
            )
        other = form_numbers.holder(s, serial, record.id)
        if other is not None:
            return False, form_numbers.duplicate_problem(other, as_error=True).message_text
        self._write_number(s, record, actor, values, serial, "barcode", "form_code")
        return True, None

    def _write_number(
        self, s: Session, record: Record, actor: Actor, values: dict[str, str], number: str, source: str, origin: str
    ) -> None:
        """A new version of the record with `number` as its form number (empty: none), the claim kept in step and
        the change audited with where it came from (`origin`: the form's code, pages restored)."""
        changed = dict(values)
        changed[FORM_NUMBER] = number
        form_numbers.register(self._store, s, record, actor, changed, source=source)
        self._records._new_version(s, record, actor, changed, "edit")
        self._store.audit(
            s,
            action="record.update",
            actor_id=actor.user_id,
            actor_name=actor.username,
            record_id=record.id,
            details={"version": record.version, "changed": [FORM_NUMBER], "from": origin},
        )

    def _pages_from(
        self,
        actor: Actor,
        record_id: str,
        images: Iterable[Image.Image],
        source: str,
        cancel: CancelToken | None,
        on_page: Callable[[PageAdded], None] | None,
        append: bool = False,
    ) -> tuple[list[PageAdded], bool]:
        added: list[PageAdded] = []
        feed_turn: int | None = None
        for image in images:
            if cancel is not None and cancel.cancelled:
                return added, True
            new_set = not added and not append
            page = self.add_page(actor, record_id, image, source, new_set=new_set, feed_turn=feed_turn)
            if page.turned_by == "code":
                feed_turn = page.page.turned
            added.append(page)
            if on_page is not None:
                on_page(page)
        return added, False

    def add_file(
        self,
        actor: Actor,
        record_id: str,
        path: Path,
        *,
        source: str = "file",
        cancel: CancelToken | None = None,
        on_page: Callable[[PageAdded], None] | None = None,
        append: bool = False,
    ) -> ScanReport:
        """Every page of a PDF, TIFF or image file as a new page set of the record, or with `append` after the
        pages of its current set (a form scanned page by page into separate image files) (InvalidRequest for a
        file that is not a usable scan, before any page is stored; a page that turns out damaged keeps those
        before it)."""
        pages = iter_pages(path)
        try:
            first = next(pages)
        except StopIteration:  # iter_pages refuses empty files; a generator that yields nothing is the same
            return ScanReport((), False, None)
        except UnreadableScan as refused:  # nothing stored: refused as a request, in the teller's words
            raise InvalidRequest(refused.message_text.en, refused.message_text.zh) from None
        added: list[PageAdded] = []
        try:

            def chained() -> Iterable[Image.Image]:
                yield first
                yield from pages

            found, cancelled = self._pages_from(
                actor, record_id, chained(), source, cancel, self._collect(added, on_page), append
            )
        except UnreadableScan as problem:
            return ScanReport(tuple(added), False, problem.message_text)
        return ScanReport(tuple(found), cancelled, None)

    @staticmethod
    def _collect(into: list[PageAdded], then: Callable[[PageAdded], None] | None) -> Callable[[PageAdded], None]:
        def collect(page: PageAdded) -> None:
            into.append(page)
            if then is not None:
                then(page)

        return collect

    def scan(
        self,
        actor: Actor,
        record_id: str,
        settings: ScanSettings | None = None,
        *,
        cancel: CancelToken | None = None,
        on_progress: Callable[[int, float], None] | None = None,
        on_page: Callable[[PageAdded], None] | None = None,
        configure: Callable[[object], None] | None = None,
    ) -> ScanReport:
        """Scan the feeder into a new page set of the record, each page stored as it is read. A jam, a lost
        scanner or a cancel ends the scan with the pages before it kept; `failure` says what to do."""
        with self._store.read() as s:
            # The session, the permission, the maker and an editable record, before the scanner is touched (found
            # by the permission matrix: a locked session could start the feeder; its pages were refused one by one).
            self._records._own_editable(s, actor, record_id, None, "scan pages into")
            chosen = settings or scan_settings(s)
        added: list[PageAdded] = []

        def store(index: int, image: Image.Image) -> None:
            by_code = [p.page.turned for p in added if p.turned_by == "code"]
            feed_turn = by_code[-1] if by_code else None
            page = self.add_page(actor, record_id, image, "scanner", new_set=index == 0, feed_turn=feed_turn)
            added.append(page)
            if on_page is not None:
                on_page(page)

        try:
            with open_scanner(chosen) as scanner:
                if configure is not None:
                    configure(scanner)
                outcome = scanner.scan(store, on_progress=on_progress, cancel=cancel)
        except ScanFailed as failed:
            log.warning("record %s: scan stopped (%s) after %d page(s)", record_id, failed.problem, len(added))
            return ScanReport(tuple(added), False, failed.message)
        return ScanReport(tuple(added), outcome.cancelled, None)

    # --- reading ------------------------------------------------------------------------------------------------
    def _info(self, s: Session, page: PaperPage, names: dict[int, str], size: int) -> PageInfo:
        blob = s.get(PageBlob, page.sha256)
        assert blob is not None
        meta = json.loads(page.meta)
        return PageInfo(
            id=page.id,
            record_id=page.record_id,
            set_no=page.set_no,
            page_no=page.page_no,
            version=page.version,
            sha256=page.sha256,
            width=blob.width,
            height=blob.height,
            size=size,
            source=page.source,
            turned=int(meta.get("turned", 0)),
            form_version=meta.get("form_version"),
            created_by=names.get(page.created_by, ""),
            created_at=page.created_at,
            serial=meta.get("serial"),
        )

    def page_sets(self, actor: Actor, record_id: str) -> list[int]:
        """The record's page set numbers, oldest first (the last is the current one)."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            self._may_see_pages(record, actor, roles)
            rows = s.execute(
                select(PaperPage.set_no).where(PaperPage.record_id == record.id).distinct().order_by(PaperPage.set_no)
            )
            return [int(r[0]) for r in rows]

    def list_pages(self, actor: Actor, record_id: str, set_no: int | None = None) -> list[PageInfo]:
        """The pages of the record's current set (or of `set_no`), in page order, without images."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            self._may_see_pages(record, actor, roles)
            return self._pages(s, record, set_no)

    def _pages(self, s: Session, record: Record, set_no: int | None) -> list[PageInfo]:
        if set_no is None:
            set_no = self._current_set(s, record)[0]
        rows = s.execute(
            select(PaperPage, func.length(PageBlob.content))
            .join(PageBlob, PageBlob.sha256 == PaperPage.sha256)
            .where(PaperPage.record_id == record.id, PaperPage.set_no == set_no)
            .order_by(PaperPage.page_no)
        ).all()
        names = _usernames(s, [row[0].created_by for row in rows])
        return [self._info(s, page, names, int(size or 0)) for page, size in rows]

    def _page(self, s: Session, record: Record, page_id: int) -> PaperPage:
        page = s.get(PaperPage, page_id)
        if page is None or page.record_id != record.id:
            raise NotFound(f"Record {record.id} has no page {page_id}.", f"记录 {record.id} 没有第 {page_id} 页。")
        return page

    def page_image(self, actor: Actor, record_id: str, page_id: int) -> tuple[str, bytes]:
        """(media type, image) of one of the record's pages, for whoever may see it; every opening is audited."""
        with self._store.write() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            self._may_see_pages(record, actor, roles)
            page = self._page(s, record, page_id)
            blob = s.get(PageBlob, page.sha256)
            assert blob is not None
            self._store.audit(
                s,
                action="paper.page_view",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"page": page.id, "set": page.set_no, "page_no": page.page_no},
            )
            return blob.media_type, bytes(blob.content)

    def thumbnail(self, actor: Actor, record_id: str, page_id: int) -> bytes:
        """A small JPEG of the page for lists (too small to read a value from; not audited)."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            self._may_see_pages(record, actor, roles)
            blob = s.get(PageBlob, self._page(s, record, page_id).sha256)
            assert blob is not None
            return bytes(blob.thumbnail)

    # --- the form number ----------------------------------------------------------------------------------
    def set_form_number(self, actor: Actor, record_id: str, number: str, source: str = "typed") -> int:
        """Give the maker's editable record a form number (typed for a form without a code); Conflict when another
        live record holds it. Returns the record's new version."""
        clean = form_numbers.check_number(number)
        if source not in form_numbers.SOURCES:
            raise ValueError(f"unknown form number source {source!r}")
        with self._store.write() as s:
            record = self._records._own_editable(s, actor, record_id, None, "number")
            other = form_numbers.holder(s, clean, record.id)
            if other is not None:
                message = form_numbers.duplicate_problem(other, as_error=True).message_text
                raise Conflict(message.en, message.zh)
            values = self._records._values(s, record)
            if values.get(FORM_NUMBER, "") == clean:
                return record.version
            values[FORM_NUMBER] = clean
            form_numbers.register(self._store, s, record, actor, values, source=source)
            self._records._new_version(s, record, actor, values, "edit")
            self._store.audit(
                s,
                action="record.update",
                actor_id=actor.user_id,
                actor_name=actor.username,
                record_id=record.id,
                details={"version": record.version, "changed": [FORM_NUMBER], "from": source},
            )
            return record.version

    # --- checks before submit -------------------------------------------------------------------------------------
    def layout_of(self, actor: Actor, record_id: str) -> PaperLayout | None:
        """The layout of the record's paper form version: named by its pages' code, else its schema's version."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            self._may_see_pages(record, actor, roles)
            return self._layout(s, record, self._pages(s, record, None))[0]

    def _layout(self, s: Session, record: Record, pages: list[PageInfo]) -> tuple[PaperLayout | None, bool]:
        """(layout, known): known is False when a page's code named no form version this workstation has."""
        named = {p.form_version for p in pages if p.form_version}
        for layout in self._layouts:
            if f"{layout.form_key}/{layout.version}" in named:
                return layout, True
        unknown_code = s.execute(
            select(func.count())
            .select_from(PaperPage)
            .where(PaperPage.id.in_([p.id for p in pages]), PaperPage.meta.like('%"code":"unknown"%'))
        ).scalar_one()
        if unknown_code:
            return None, False
        schema = self._records.form(record.form_key)
        for layout in self._layouts:
            if (layout.form_key, layout.version) == (schema.key, schema.version):
                return layout, True
        return None, True

    def checks(self, actor: Actor, record_id: str) -> list[PaperProblem]:
        """Warnings about the record's current pages before submit: pages missing (or extra), a blank signature
        box, a form version this workstation does not know. Empty when the record has no pages."""
        with self._store.read() as s:
            _, roles = authorise(s, actor, Permission.RECORD_VIEW)
            record = self._records._record(s, record_id)
            self._may_see_pages(record, actor, roles)
            pages = self._pages(s, record, None)
            layout, known = self._layout(s, record, pages)
            if not pages:
                return []
            differs = self._serials_differ(s, record, pages)
            if not known:
                return [*paper_problems(None, len(pages)), *differs]
            if layout is None:
                return differs
            blank, dark = [], []
            for name, region in layout.signatures.items():
                if region.page > len(pages):
                    continue  # the page is missing: said once, as such
                blob = s.get(PageBlob, pages[region.page - 1].sha256)
                assert blob is not None
                image = Image.open(io.BytesIO(blob.content))
                ink = region_ink(image, region.pixels(image.size, layout.page_size_mm))
                if ink is Ink.BLANK:
                    blank.append(name)
                elif ink is Ink.NOT_PAPER:
                    dark.append(name)
            return [*paper_problems(layout, len(pages), blank, dark), *differs]

    def _serials_differ(self, s: Session, record: Record, pages: Sequence[PageInfo]) -> list[PaperProblem]:
        """A warning per page whose code names another form than the record's number (or, where the record has
        none, a number another record holds): the same sheet scanned into a second record, or the wrong sheet."""
        number = self._records._values(s, record).get(FORM_NUMBER, "").strip()
        found: list[PaperProblem] = []
        for page in pages:
            serial = page.serial
            if not serial or serial == number:
                continue
            holder = None if number else form_numbers.holder(s, serial, record.id)
            if number or holder is not None:
                found.append(form_number_problem(page.page_no, serial, number, holder))
        return found
