"""Small QtCharts builders for the dashboard: bar charts (plain, stacked, horizontal) with axes sized to whole
numbers or percentages, no animation, and a tooltip with the exact figure on every bar."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QCursor
from PySide6.QtWidgets import QToolTip

#: Colours for the bar sets, in order (a colour-blind-safe palette, Okabe-Ito); "others" is the grey at the end.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999")


@dataclass(frozen=True)
class Bars:
    """One bar set: its name (the legend) and a value per category."""

    name: str
    values: Sequence[float]
    color: str | None = None


def nice_top(maximum: float, whole: bool) -> tuple[float, int]:
    """An axis top at or above `maximum` on a 1-2-5 step, and its tick count (whole numbers: integer steps)."""
    if maximum <= 0:
        return (1.0, 2) if whole else (1.0, 3)
    raw = maximum / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, math.ceil(step))
    top = step * math.ceil(maximum / step - 1e-9)
    return top, round(top / step) + 1


def _format_value(value: float, percent: bool) -> str:
    return f"{value:.1f}%" if percent else f"{value:,.0f}"


def bar_chart(
    title: str | None,
    categories: Sequence[str],
    bars: Sequence[Bars],
    *,
    value_title: str,
    horizontal: bool = False,
    stacked: bool = False,
    percent: bool = False,
    legend: bool = False,
    label_angle: int = 0,
) -> QChart:
    """A bar chart of `bars` over `categories`; values are counts, or percentages (0-100) when `percent`.
    No title drawn when `title` is None (the chart sits in a titled box).

    Horizontal charts list the first category at the top (Qt draws them bottom up)."""
    if horizontal:
        categories = list(reversed(categories))
        bars = [Bars(b.name, list(reversed(b.values)), b.color) for b in bars]
    series: QAbstractBarSeries
    if horizontal:
        series = QHorizontalStackedBarSeries() if stacked else QHorizontalBarSeries()
    else:
        series = QStackedBarSeries() if stacked else QBarSeries()
    for n, spec in enumerate(bars):
        bar_set = QBarSet(spec.name)
        bar_set.append([float(v) for v in spec.values])
        bar_set.setColor(QColor(spec.color or PALETTE[n % len(PALETTE)]))
        bar_set.setBorderColor(QColor(Qt.GlobalColor.transparent))
        bar_set.hovered.connect(_tooltip(spec, categories, percent, len(bars) > 1))
        series.append(bar_set)
    series.setBarWidth(0.7)

    chart = QChart()
    if title:
        chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.addSeries(series)
    category_axis = QBarCategoryAxis()
    category_axis.append(list(categories))
    # Qt elides category labels to "…" as soon as they are a little wider than their slot; a label slightly
    # over its slot is far more useful than an ellipsis (long ones are rotated or the chart is horizontal).
    category_axis.setTruncateLabels(False)
    if label_angle:
        category_axis.setLabelsAngle(label_angle)
    value_axis = QValueAxis()
    totals = [sum(float(b.values[i]) for b in bars) for i in range(len(categories))] if stacked else []
    peak = max(totals or [float(v) for b in bars for v in b.values] or [0.0])
    top, ticks = nice_top(peak, whole=not percent)
    value_axis.setRange(0, top)
    value_axis.setTickCount(ticks)
    value_axis.setLabelFormat("%.1f%%" if percent and top < 10 else "%.0f%%" if percent else "%d")
    value_axis.setTitleText(value_title)
    if horizontal:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)
    chart.legend().setVisible(legend)
    if legend:
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _tooltip(spec: Bars, categories: Sequence[str], percent: bool, named: bool) -> Callable[[bool, int], None]:
    """The hover handler of one bar set: the category, the set's name when there are several, the exact value."""

    def hovered(inside: bool, index: int) -> None:
        if not inside or not 0 <= index < len(categories):
            QToolTip.hideText()
            return
        value = _format_value(float(spec.values[index]), percent)
        label = f"{categories[index]} · {spec.name}" if named else categories[index]
        QToolTip.showText(QCursor.pos(), f"{label}: {value}")

    return hovered


def bar_values(chart: QChart) -> list[tuple[str, list[float]]]:
    """Each bar set of the chart's series: its name and values, as drawn (for tests and the accessible text)."""
    out = []
    for series in chart.series():
        if isinstance(series, QAbstractBarSeries):
            for bar_set in series.barSets():
                out.append((bar_set.label(), [bar_set.at(i) for i in range(bar_set.count())]))
    return out


def categories(chart: QChart) -> list[str]:
    """The labels of the chart's category axis, as drawn (a horizontal chart lists them bottom up)."""
    for axis in chart.axes():
        if isinstance(axis, QBarCategoryAxis):
            return list(axis.categories())
    return []
