"""The layers as a test (issue 13): imports go one way, ui → services → storage/ocr/sync → domain.

The domain imports no Qt, no SQLAlchemy and no other layer; the UI imports services and the domain, never the
store, the sync client or the OCR reader directly; nothing below the UI imports Qt. Read from the source with ast,
so that a new module is held to it without anyone remembering to add it here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktop_app"

# layer -> the prefixes its modules must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": (
        "PySide6",
        "shiboken6",
        "sqlalchemy",
        "sqlcipher3",
        "desktop_app.storage",
        "desktop_app.services",
        "desktop_app.sync",
        "desktop_app.ocr",
        "desktop_app.scanning",
        "desktop_app.ui",
    ),
    "storage": ("PySide6", "shiboken6", "desktop_app.services", "desktop_app.ui"),
    "ocr": ("PySide6", "shiboken6", "sqlalchemy", "desktop_app.storage", "desktop_app.services", "desktop_app.ui"),
    # The scanner and page files, beside ocr/ (it uses the OCR loader's limits and messages).
    "scanning": ("PySide6", "shiboken6", "sqlalchemy", "desktop_app.storage", "desktop_app.services", "desktop_app.ui"),
    "sync": ("PySide6", "shiboken6", "desktop_app.services", "desktop_app.ui"),
    "services": ("PySide6", "shiboken6", "desktop_app.ui"),
    "ui": (
        "desktop_app.storage",
        "desktop_app.sync",
        "desktop_app.ocr",
        "desktop_app.scanning",
        "sqlalchemy",
        "sqlcipher3",
    ),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_downwards(layer: str) -> None:
    modules = sorted((PACKAGE / layer).rglob("*.py"))
    assert modules, f"no modules found for {layer}: the test would prove nothing"
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for path in modules
        if "migrations" not in path.parts  # Alembic's scripts are storage's own, run by it
        for line, name in _imports(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert not wrong, "\n".join(wrong)


UI_GROUPS = ("session", "records", "supervision", "operations", "admin")


def test_the_ui_is_grouped_by_activity_and_common_widgets_import_no_page() -> None:
    """desktop_app/ui/ holds one package per activity and `common`; no module lies loose beside them, and the common
    widgets and plumbing import nothing from an activity (a page may use common, never the other way)."""
    ui = PACKAGE / "ui"
    loose = sorted(p.name for p in ui.glob("*.py") if p.name != "__init__.py")
    assert not loose, f"put these in one of {UI_GROUPS} or common: {loose}"
    assert {p.name for p in ui.iterdir() if p.is_dir() and p.name != "__pycache__"} == {*UI_GROUPS, "common"}
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for path in sorted((ui / "common").glob("*.py"))
        for line, name in _imports(path)
        if name.startswith(tuple(f"desktop_app.ui.{g}" for g in UI_GROUPS))
    ]
    assert not wrong, "\n".join(wrong)
