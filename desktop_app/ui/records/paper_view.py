"""The paper form beside the fields (issue 16, "keying from the image"): the record's page, panned and zoomed to the
focused field's region as the clerk tabs, the way verification stations show the source. Without a layout for the
form version the page is simply shown whole.

The keyboard never leaves the fields for it: the view takes no focus. What is slow happens off the GUI thread: the
pages are read (each opening audited by the service) and decoded and scaled to display size in a worker; moving to a
field only changes the view's transform. Ctrl+wheel zooms and dragging pans, for a mouse user; a new field's focus
brings the region back. Holds no rule: who may see a record's pages is services/paper_pages.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QKeyEvent, QPainter, QPen, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.paper_layout import PaperLayout, PaperProblem, Region
from desktop_app.services.actor import Actor
from desktop_app.services.errors import ServiceError
from desktop_app.services.paper_pages import PageInfo
from desktop_app.services.workstation import Workstation
from desktop_app.ui.common.i18n import lang
from desktop_app.ui.common.worker import Progress, run_in_background

DISPLAY_MAX_SIDE = 2000  # pages are scaled to this (in the worker): enough to read handwriting, light to draw
MARK = QColor("#1565c0")
MARK_FILL = QColor(255, 235, 59, 60)  # a light yellow wash over the region, as a highlighter would
READABLE_PX = 64  # a field's region is this tall on screen: handwriting in it reads at arm's length
# ...or down to this, so that a long box (an ID number's 18 cells) is whole in a narrow view: clipping its last
# digit at 1366 px was found by the independent check; 40 px still reads.
SMALLEST_READABLE_PX = 40
MAX_SCALE = 3.0  # never more than this many screen pixels per page pixel


@dataclass(frozen=True)
class PaperPage:
    info: PageInfo
    image: QImage  # decoded and scaled for display; built off the GUI thread (QImage allows that)
    scale: float  # displayed pixels per stored pixel


@dataclass(frozen=True)
class LoadedPaper:
    record_id: str
    pages: tuple[PaperPage, ...]  # the record's current page set, in page order
    layout: PaperLayout | None

    def page(self, number: int) -> PaperPage | None:
        return next((p for p in self.pages if p.info.page_no == number), None)


def read_paper(ws: Workstation, actor: Actor, record_id: str) -> LoadedPaper:
    """The record's current pages and their layout, decoded for display (runs in a worker, never the GUI thread)."""
    infos = ws.paper.list_pages(actor, record_id)
    layout = ws.paper.layout_of(actor, record_id) if infos else None
    pages = []
    for info in infos:
        _media, data = ws.paper.page_image(actor, record_id, info.id)
        image = QImage.fromData(QByteArray(data))
        if image.isNull():
            continue
        scale = min(1.0, DISPLAY_MAX_SIDE / max(image.width(), image.height()))
        if scale < 1.0:
            image = image.scaled(
                round(image.width() * scale),
                round(image.height() * scale),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        pages.append(PaperPage(info, image, scale))
    return LoadedPaper(record_id, tuple(pages), layout)


class PageCanvas(QGraphicsView):
    """One page, with the region being keyed marked and in view. Takes no keyboard focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paper_canvas")
        self.setScene(QGraphicsScene(self))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field; the page is looked at
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QBrush(QColor("#5f6368")))
        self._pixmap = QGraphicsPixmapItem()
        self.scene().addItem(self._pixmap)
        self.mark = QGraphicsRectItem()
        pen = QPen(MARK, 3)
        pen.setCosmetic(True)  # as thick at every zoom
        self.mark.setPen(pen)
        self.mark.setBrush(QBrush(MARK_FILL))
        self.mark.setZValue(1)
        self.mark.hide()
        self.scene().addItem(self.mark)
        self.region: QRectF | None = None  # the region being keyed (scene pixels), None: the whole page

    def set_image(self, image: QImage | None) -> None:
        self._pixmap.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self.scene().setSceneRect(self._pixmap.boundingRect())
        self.show_all()

    def show_all(self) -> None:
        self.mark.hide()
        self.region = None
        self._fit()

    def show_region(self, rect: QRectF) -> None:
        """Mark `rect` (scene pixels) and bring it into view, its writing large enough to read: the region's height
        becomes READABLE_PX on screen (never smaller than the region with its surroundings fitted in), and where
        the region is wider than the view, its start (where the writing begins, the label just left of it)."""
        self.mark.setRect(rect)
        self.mark.show()
        self.region = rect
        self._fit()

    def _fit(self) -> None:
        page = self._pixmap.boundingRect()
        view = self.viewport().size()
        if not page.isValid() or view.width() < 10 or view.height() < 10:
            return
        rect = self.region
        if rect is None:
            self.fitInView(page, Qt.AspectRatioMode.KeepAspectRatio)
            return
        context = rect.adjusted(-rect.width() * 0.2, -rect.height() * 1.5, rect.width() * 0.05, rect.height() * 1.5)
        fitted = min(view.width() / context.width(), view.height() / context.height())
        height = max(rect.height(), 1.0)
        whole_width = view.width() / (rect.width() * 1.08)  # the box and a little margin across the view
        readable = min(READABLE_PX / height, max(whole_width, SMALLEST_READABLE_PX / height))
        scale = max(fitted, min(readable, MAX_SCALE))
        self.resetTransform()
        self.scale(scale, scale)
        shown = view.width() / scale  # scene pixels across the view
        # all of it with its context when that fits; else the whole box; else its start, a tenth of the view left
        # for the label before it
        if shown >= context.width():
            x = context.center().x()
        elif shown >= rect.width():
            x = rect.center().x()
        else:
            x = rect.left() - shown * 0.1 + shown / 2
        self.centerOn(x, rect.center().y())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.scale(factor, factor)
            return
        super().wheelEvent(event)


class PaperPane(QFrame):
    """The record's paper form beside the fields: hidden while the record has no pages. `show_field(key)` turns to
    the page that holds the field and zooms to its region (the whole page when the layout does not place it).
    `loaded(pages)` once a load has ended (0: no pages, or none this viewer may see)."""

    loaded = Signal(int)

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.actor = ws, actor
        self.setObjectName("paper_pane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel()
        self.caption.setObjectName("paper_caption")
        self.canvas = PageCanvas()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.canvas, 1)
        self.paper: LoadedPaper | None = None
        self.page_no = 0
        self.field: str | None = None
        self.labels: dict[str, str] = {}
        self._generation = 0
        self.hide()

    def set_labels(self, labels: dict[str, str]) -> None:
        """The fields' labels in the UI's language, for the caption."""
        self.labels = labels

    def load(self, record_id: str | None) -> None:
        """Read the record's pages (off the GUI thread) and show them; None, or a record without pages, hides it."""
        self._generation += 1
        generation = self._generation
        if record_id is None:
            self.clear()
            return
        ws, actor = self.ws, self.actor

        def work(_progress: Progress) -> LoadedPaper:
            return read_paper(ws, actor, record_id)

        def done(paper: LoadedPaper) -> None:
            if shiboken6.isValid(self) and generation == self._generation:  # not for a page closed meanwhile
                self._show(paper)
                self.loaded.emit(len(paper.pages))

        def failed(exc: Exception) -> None:
            # No pages to show (a record the viewer may not see the paper of, a page that cannot be decoded) is no
            # error for the typing: the pane stays hidden. The service has refused and audited what it refused.
            if shiboken6.isValid(self) and generation == self._generation and isinstance(exc, ServiceError):
                self.clear()
                self.loaded.emit(0)

        run_in_background(work, done, failed)  # decoding is CPU work: beside the store's queue, not in it

    def clear(self) -> None:
        self.paper, self.page_no = None, 0
        self.canvas.set_image(None)
        self.hide()

    def _show(self, paper: LoadedPaper) -> None:
        if not paper.pages:
            self.clear()
            return
        self.paper = paper
        self.page_no = 0
        self.show()
        self.show_field(self.field)

    def show_field(self, key: str | None) -> None:
        """Turn to the page holding `key` and zoom to its region (the page whole when it has no region)."""
        self.field = key
        paper = self.paper
        if paper is None:
            return
        region = paper.layout.region(key) if paper.layout is not None and key is not None else None
        page = paper.page(region.page) if region is not None else None
        if page is None:
            page = paper.page(self.page_no) or paper.pages[0]
            region = None
        if page.info.page_no != self.page_no:
            self.page_no = page.info.page_no
            self.canvas.set_image(page.image)
        if region is not None and paper.layout is not None:
            self.canvas.show_region(self._rect(region, page, paper.layout))
        else:
            self.canvas.show_all()
        self._caption(page, key if region is not None else None)

    @staticmethod
    def _rect(region: Region, page: PaperPage, layout: PaperLayout) -> QRectF:
        left, top, right, bottom = region.pixels((page.image.width(), page.image.height()), layout.page_size_mm)
        return QRectF(left, top, right - left, bottom - top)

    def _caption(self, page: PaperPage, key: str | None) -> None:
        paper = self.paper
        total = len(paper.pages) if paper is not None else 0
        text = self.tr("Paper form · page %1 of %2").replace("%1", str(page.info.page_no)).replace("%2", str(total))
        if key is not None:
            text += " · " + self.labels.get(key, key)
        elif paper is not None and paper.layout is None:
            text += " · " + self.tr("no layout for this form version: the whole page")
        self.caption.setText(text)


class PaperReview(QWidget):
    """The approval screen's paper tab: the record's values as a list beside its page. Up/Down, or Tab and
    Shift+Tab, go from field to field, and the page zooms to each one's region; a field that dual entry or the scan's
    opinion found different is marked ⚠ (the supervisor looks at the paper for those first)."""

    def __init__(self, ws: Workstation, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.fields = QListWidget()
        self.fields.setObjectName("paper_fields")
        self.fields.setWordWrap(True)
        self.fields.currentRowChanged.connect(self._row_changed)
        self.fields.installEventFilter(self)
        self.pane = PaperPane(ws, actor)
        self.pane.set_labels({spec.key: spec.label(lang()) for spec in ws.form.fields})
        self.pane.loaded.connect(self._loaded)
        self.empty = QLabel(self.tr("No paper form is kept with this record."))
        self.empty.setObjectName("paper_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # what the paper can tell (pages missing, a blank signature box, an unknown form version): the supervisor
        # sees it here, as the maker saw it before submitting
        self.warnings = QLabel()
        self.warnings.setObjectName("paper_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a5300;")
        self.warnings.hide()
        self.ws_actor = actor
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.warnings)
        right_layout.addWidget(self.pane, 1)
        right_layout.addWidget(self.empty, 1)
        split = QSplitter()
        split.addWidget(self.fields)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 520])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.record_id: str | None = None
        self.marked: set[str] = set()

    def set_record(self, record_id: str | None, values: dict[str, str], shown: dict[str, str]) -> None:
        """The record's values (`shown`: as the UI shows them) and its pages, read off the GUI thread."""
        self.record_id = record_id
        self.marked = set()
        self.fields.clear()
        for spec in self.ws.form.fields:
            if record_id is None:
                break
            item = QListWidgetItem(f"{spec.label(lang())}: {shown.get(spec.key, values.get(spec.key, ''))}")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.fields.addItem(item)
        self.empty.setVisible(record_id is None)
        self.warnings.clear()
        self.warnings.hide()
        self.pane.load(record_id)
        if record_id is None:
            return
        ws, actor = self.ws, self.ws_actor

        def warned(problems: list[PaperProblem]) -> None:
            if shiboken6.isValid(self) and self.record_id == record_id and problems:
                self.warnings.setText("⚠ " + "\n⚠ ".join(p.message.render(lang()) for p in problems))
                self.warnings.show()

        run_in_background(lambda _p: ws.paper.checks(actor, record_id), warned, lambda _exc: None)

    def mark(self, keys: set[str]) -> None:
        """Mark these fields as found different (by dual entry or by the scan's opinion)."""
        self.marked |= keys
        for row in range(self.fields.count()):
            item = self.fields.item(row)
            text = item.text().removeprefix("⚠ ")
            item.setText(("⚠ " + text) if item.data(Qt.ItemDataRole.UserRole) in self.marked else text)

    def _loaded(self, pages: int) -> None:
        self.empty.setVisible(pages == 0)
        if pages and self.fields.currentRow() < 0 and self.fields.count():
            self.fields.setCurrentRow(0)
        elif pages:
            self._row_changed(self.fields.currentRow())

    def _row_changed(self, row: int) -> None:
        item = self.fields.item(row) if row >= 0 else None
        if item is not None:
            self.pane.show_field(str(item.data(Qt.ItemDataRole.UserRole)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.fields and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Tab: 1, Qt.Key.Key_Backtab: -1}.get(Qt.Key(event.key()))
            if step is not None and self.fields.count():
                row = max(0, min(self.fields.count() - 1, self.fields.currentRow() + step))
                self.fields.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)
