"""The paper form of the record in the entry form (Ctrl+Shift+P): scan it from the scanner or open a file, see its
pages as thumbnails, give a form without a code its number, and see the checks before submit. Every call runs off
the GUI thread (ui/operations.Op); a scan shows its progress per page and can be cancelled mid-page. Holds no
rule: what is kept, who may see it and the form number's uniqueness are services/paper_pages.py's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.actor import Actor
from desktop_app.services.paper_pages import CancelToken, PageInfo, ScanReport
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.operations import Op
from desktop_app.ui.common.worker import Progress

THUMB = QSize(160, 226)


class PaperPagesDialog(QDialog):
    """The record's paper form: scan, open, thumbnails, form number, checks. `changed` after a new record version
    (a form number set from a code or typed), so the entry form reloads the record."""

    changed = Signal()
    pages_changed = Signal()  # the record's current pages may be others: the page beside the fields follows

    def __init__(self, ws: Workstation, actor: Actor, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor, self.record_id = ws, actor, record_id
        self._shown: tuple[int, int] | None = None  # (set, pages) of the pages the dialog shows
        self._loaded = False  # the first load shows the pages the entry form already shows beside the fields
        self._before: tuple[int, int] | None = None  # the same when a scan or file open began
        self.setWindowTitle(self.tr("Paper form"))
        self.resize(760, 560)
        self._build_buttons()
        self.pages = QListWidget()
        self.pages.setViewMode(QListWidget.ViewMode.IconMode)
        self.pages.setIconSize(THUMB)
        self.pages.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.pages.setAccessibleName(self.tr("Pages of the paper form"))
        remove = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.pages)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_selected)
        self.checks = QLabel()
        self.checks.setWordWrap(True)
        self._build_number_row()
        layout = QVBoxLayout(self)
        layout.addLayout(self.button_row)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.checks)
        layout.addLayout(self.number_row)
        self.refresh()

    def _build_buttons(self) -> None:
        self.scan_button = QPushButton(self.tr("&Scan from scanner"))
        self.open_button = QPushButton(self.tr("&Open file…"))
        self.remove_button = QPushButton(self.tr("&Remove page"))
        self.remove_button.setToolTip(
            self.tr("Take the selected page out of the form (Delete); the pages before it stay in its history")
        )
        self.close_button = QPushButton(self.tr("C&lose"))
        self.scan_button.clicked.connect(self.scan)
        self.open_button.clicked.connect(self.open_file)
        self.remove_button.clicked.connect(self.remove_selected)
        self.close_button.clicked.connect(self.accept)
        for button in (self.scan_button, self.open_button, self.remove_button, self.close_button):
            # Enter must not start the feeder (found by the independent check: Enter in the number box pressed
            # Scan, and ten blank pages replaced the form). Enter belongs to the box it is pressed in.
            button.setAutoDefault(False)
        self.button_row = QHBoxLayout()
        for button in (self.scan_button, self.open_button, self.remove_button):
            self.button_row.addWidget(button)
        self.button_row.addStretch(1)
        self.button_row.addWidget(self.close_button)

    def _build_number_row(self) -> None:
        self.number = QLineEdit()
        self.number.setMaxLength(32)
        self.number.setPlaceholderText(self.tr("only for a form without a code"))
        self.number_button = QPushButton(self.tr("Set form &number"))
        self.number_button.setAutoDefault(False)
        self.number_button.clicked.connect(self.set_number)
        self.number.returnPressed.connect(self.set_number)
        self.number_row = QHBoxLayout()
        label = QLabel(self.tr("Form number:"))
        label.setBuddy(self.number)
        self.number_row.addWidget(label)
        self.number_row.addWidget(self.number, 1)
        self.number_row.addWidget(self.number_button)

    def _busy(self, busy: bool) -> None:
        for button in (self.scan_button, self.open_button, self.remove_button, self.number_button):
            button.setEnabled(not busy)

    # --- showing ----------------------------------------------------------------------------------------------
    def refresh(self, *, stopped: bool = False) -> None:
        """Reload the thumbnails and the checks (`stopped`: after a cancelled scan, saying how many pages it kept)."""
        ws, actor, rid = self.ws, self.actor, self.record_id

        def load() -> tuple[list[tuple[PageInfo, bytes]], list[str]]:
            pages = ws.paper.list_pages(actor, rid)
            thumbs = [(page, ws.paper.thumbnail(actor, rid, page.id)) for page in pages]
            return thumbs, [problem.message.render(lang()) for problem in ws.paper.checks(actor, rid)]

        Op(self, load).success(lambda loaded: self._show(loaded, stopped=stopped)).run()

    def _show(self, loaded: tuple[list[tuple[PageInfo, bytes]], list[str]], *, stopped: bool = False) -> None:
        thumbs, problems = loaded
        shown = (thumbs[0][0].set_no, len(thumbs)) if thumbs else None
        if self._loaded and shown != self._shown:
            self.pages_changed.emit()
        self._shown, self._loaded = shown, True
        self.pages.clear()
        for page, data in thumbs:
            image = QImage.fromData(data)
            item = QListWidgetItem(QIcon(QPixmap.fromImage(image)), self.tr("Page %1").replace("%1", str(page.page_no)))
            item.setData(Qt.ItemDataRole.UserRole, page.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, page.page_no)
            self.pages.addItem(item)
        if problems:
            self.checks.setText("\n".join("⚠ " + problem for problem in problems))
        elif thumbs:
            self.checks.setText(self.tr("The pages look complete."))
        else:
            self.checks.setText(self.tr("No pages yet: scan the form or open its file."))
        if stopped:
            kept = self.tr(
                "Scanning stopped. The %n page(s) read before it are kept; for the whole form, scan it again from "
                "its first page.",
                "",
                len(thumbs),
            )
            self.checks.setText(kept + ("\n" + self.checks.text() if thumbs else ""))

    # --- adding -----------------------------------------------------------------------------------------------
    def scan(self) -> None:
        """Scan the feeder into the record, a page at a time; Cancel stops mid-page, pages before it are kept."""
        ws, actor, rid = self.ws, self.actor, self.record_id

        def work(progress: Progress) -> ScanReport:
            token = CancelToken()
            progress.on_cancel(token.cancel)  # Cancel reaches the device mid-page

            def moved(page: int, share: float) -> None:
                if not progress.cancelled:
                    progress(page * 100 + round(share * 100), 0)  # sheets in the feeder: unknown

            return ws.paper.scan(actor, rid, cancel=token, on_progress=moved)

        self._busy(True)
        self._before = self._shown
        Op.tracked(self, work).with_progress(self.tr("Scanning the paper form…"), self._page_counter).finally_(
            lambda: self._busy(False)
        ).success(self._added).cancelled(self._stopped).run()

    def _page_counter(self, done: int, _total: int) -> str:
        """The progress dialog's second line while scanning: which sheet the feeder is on (progress runs 100 a
        page), so a teller watching a 20-sheet feed knows how far it is."""
        return self.tr("Page %1").replace("%1", str(done // 100 + 1))

    def _stopped(self) -> None:
        """Cancelled: the pages read before the cancel are kept; the page list and a line under it say how many,
        and where they replaced pages the record had, the teller may go back to those."""
        self._after_partial(stopped=True)

    def _after_partial(self, *, stopped: bool) -> None:
        """After a scan or file that stopped part way: where it replaced pages the record had before, ask whether
        to keep the pages read or go back to the earlier ones (both stay in the record's history)."""
        before, self._before = self._before, None
        ws, actor, rid = self.ws, self.actor, self.record_id
        if before is None:
            self.refresh(stopped=stopped)
            return

        def ask(pages: list[PageInfo]) -> None:
            if not pages or pages[0].set_no == before[0]:
                self.refresh(stopped=stopped)
                return
            asked = QMessageBox.question(
                self,
                self.tr("Paper form"),
                self.tr(
                    "The scan stopped after %1 page(s). Before it, the record had %2 page(s).\n\nKeep the %1 new "
                    "page(s)? No goes back to the %2 earlier page(s). Either way both stay in the record's history."
                )
                .replace("%1", str(len(pages)))
                .replace("%2", str(before[1])),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,  # Enter keeps the whole earlier form, not the part just read
            )
            if asked == QMessageBox.StandardButton.Yes:
                self.refresh(stopped=stopped)
                return
            Op(self, lambda: ws.paper.restore_set(actor, rid, before[0])).success(lambda _set: self.refresh()).run()

        Op(self, lambda: ws.paper.list_pages(actor, rid)).success(ask).run()

    def open_file(self) -> None:
        """Every page of the PDF, TIFF or image files chosen, as a new page set of the record."""
        # Several files at once are one form, in the order chosen (a form scanned page by page into image files:
        # each file replaced the pages before it, found by the independent check).
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open the scanned form"), "", self.tr("Scans (*.pdf *.tif *.tiff *.jpg *.jpeg *.png *.bmp)")
        )
        if not names:
            return
        ws, actor, rid, paths = self.ws, self.actor, self.record_id, [Path(n) for n in names]

        def work(progress: Progress) -> ScanReport:
            token = CancelToken()
            progress.on_cancel(token.cancel)
            stored: list[object] = []

            def one_more(page: object) -> None:  # a page stored: the dialog counts them (a TIFF can hold 200)
                stored.append(page)
                if not progress.cancelled:
                    progress(len(stored), 0)

            reports = [
                ws.paper.add_file(actor, rid, path, cancel=token, append=index > 0, on_page=one_more)
                for index, path in enumerate(paths)
                if not token.cancelled
            ]
            added = tuple(page for report in reports for page in report.added)
            failure = next((r.failure for r in reports if r.failure is not None), None)
            return ScanReport(added, any(r.cancelled for r in reports) or token.cancelled, failure)

        self._busy(True)
        self._before = self._shown
        Op.tracked(self, work).with_progress(
            self.tr("Reading the file…"), lambda done, _total: self.tr("%n page(s) stored", "", done)
        ).finally_(lambda: self._busy(False)).success(self._added).cancelled(self._stopped).run()

    def _added(self, report: ScanReport) -> None:
        notices = [page.notice.render(lang()) for page in report.added if page.notice is not None]
        if any(page.form_number_set for page in report.added):
            self.changed.emit()
        if report.failure is not None:
            notices.insert(0, report.failure.render(lang()))
        if notices:
            QMessageBox.warning(self, self.tr("Paper form"), "\n\n".join(notices))
        if report.failure is not None or report.cancelled:
            self._after_partial(stopped=report.cancelled)
        else:
            self._before = None
            self.refresh()
        if any(page.serial for page in report.added):
            self.number.setPlaceholderText(self.tr("only for a form without a code"))
        elif report.added:
            self.number.setFocus()
            self.number.setPlaceholderText(
                self.tr("no code was found on the pages: type the number written on the form")
            )

    def remove_selected(self) -> None:
        """Take the selected page out of the form (a page scanned twice, another customer's sheet): the service
        keeps the earlier set as it was, so nothing kept is lost."""
        item = self.pages.currentItem()
        if item is None:
            QMessageBox.information(self, self.tr("Paper form"), self.tr("Choose the page to remove first."))
            return
        page_no = int(item.data(Qt.ItemDataRole.UserRole + 1))
        asked = QMessageBox.question(
            self,
            self.tr("Remove page"),
            self.tr("Take page %1 out of the paper form? The form as it was stays in the record's history.").replace(
                "%1", str(page_no)
            ),
        )
        if asked != QMessageBox.StandardButton.Yes:
            return
        ws, actor, rid = self.ws, self.actor, self.record_id
        # the page beside the fields is loaded again when the dialog closes
        Op(self, lambda: ws.paper.remove_page(actor, rid, page_no)).success(lambda _set: self.refresh()).run()

    def set_number(self) -> None:
        """Give a form without a code the number written on it."""
        ws, actor, rid, number = self.ws, self.actor, self.record_id, self.number.text()

        def done(_version: int) -> None:
            self.number.clear()
            self.changed.emit()
            self.refresh()  # the checks compare the pages' code with the number: said again with the new one

        Op(self, lambda: ws.paper.set_form_number(actor, rid, number)).success(done).run()
