"""A focus ring a teller can see from a metre away on buttons, check boxes and the current row of a list: the
platform styles draw a faint dotted rectangle or a slightly lighter frame, easy to lose while working by keyboard
(issue 13 item 7). A proxy style keeps the platform's look and only draws the ring stronger."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionViewItem,
    QWidget,
)

RING = QColor("#1565c0")
ROW_RING = QColor("#0b1f44")  # dark: it must show on the selection's blue as well as on white
RING_WIDTH = 2


def _ring(painter: QPainter, rect: QRect) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(QPen(RING, RING_WIDTH, Qt.PenStyle.SolidLine))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(1, 1, -1, -1))
    painter.restore()


class FocusRingStyle(QProxyStyle):
    """The application's style with a strong focus ring (the look otherwise unchanged)."""

    def drawPrimitive(
        self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter, widget: QWidget | None = None
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            if isinstance(widget, QAbstractItemView) and _whole_rows(widget):
                return  # the row gets its ring below, not each cell
            _ring(painter, option.rect)
            return
        super().drawPrimitive(element, option, painter, widget)
        if (
            element == QStyle.PrimitiveElement.PE_PanelItemViewItem
            and isinstance(widget, QAbstractItemView)
            and isinstance(option, QStyleOptionViewItem)
            and widget.hasFocus()
            and _whole_rows(widget)
        ):
            self._row_ring(option, painter, widget)

    def drawControl(
        self, element: QStyle.ControlElement, option: QStyleOption, painter: QPainter, widget: QWidget | None = None
    ) -> None:
        super().drawControl(element, option, painter, widget)
        # Buttons: most styles only tint a focused button; the ring goes round it.
        if element == QStyle.ControlElement.CE_PushButton and option.state & QStyle.StateFlag.State_HasFocus:
            _ring(painter, option.rect)

    @staticmethod
    def _row_ring(option: QStyleOptionViewItem, painter: QPainter, view: QAbstractItemView) -> None:
        """Top and bottom lines on every cell of the current row, the sides on its first and last cells."""
        current = view.currentIndex()
        index = option.index
        if not current.isValid() or index.row() != current.row() or index.parent() != current.parent():
            return
        model = index.model()
        rect = option.rect
        painter.save()
        painter.setPen(QPen(ROW_RING, RING_WIDTH))
        top, bottom = rect.top() + 1, rect.bottom()
        painter.drawLine(rect.left(), top, rect.right(), top)
        painter.drawLine(rect.left(), bottom, rect.right(), bottom)
        if index.column() == 0:
            painter.drawLine(rect.left() + 1, top, rect.left() + 1, bottom)
        if index.column() == model.columnCount(index.parent()) - 1:
            painter.drawLine(rect.right(), top, rect.right(), bottom)
        painter.restore()


def _whole_rows(view: QAbstractItemView) -> bool:
    return view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows


def install(app: QApplication) -> None:
    """Give the application the strong focus ring (on top of the style it has)."""
    base = app.style().name()
    app.setStyle(FocusRingStyle(base))
