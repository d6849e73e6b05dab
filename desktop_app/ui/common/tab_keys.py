"""Keys for every tab widget: Ctrl+Tab / Ctrl+PgDn to the next tab, Ctrl+Shift+Tab / Ctrl+PgUp to the one before.

Qt gives these keys to a QTabWidget only while the tab bar itself has the focus; a teller's focus is in a table or
a field, so each tab widget gets them as shortcuts over the widget that holds it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QWidget

NEXT = ("Ctrl+Tab", "Ctrl+PgDown")
PREVIOUS = ("Ctrl+Shift+Tab", "Ctrl+Backtab", "Ctrl+PgUp")


def add_tab_keys(tabs: QTabWidget, scope: QWidget) -> None:
    """Let Ctrl+Tab / Ctrl+PgDn (and back) switch `tabs` while the focus is anywhere in `scope`."""

    def step(delta: int) -> None:
        count = tabs.count()
        index = tabs.currentIndex()
        for _ in range(count):  # on to the next tab that is enabled (a greyed-out tab is never selected)
            index = (index + delta) % count
            if tabs.isTabEnabled(index):
                tabs.setCurrentIndex(index)
                return

    for keys, delta in ((NEXT, 1), (PREVIOUS, -1)):
        for key in keys:
            shortcut = QShortcut(QKeySequence(key), scope, lambda d=delta: step(d))
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
