"""Permission-matrix rows for the imports service (merged into test_permission_matrix.MATRIX).

Each row: "service.method": (call(ctx, actor), roles allowed). `ctx` is test_permission_matrix.Ctx: ctx.ws (the
Workstation), ctx.maker/ctx.checker/ctx.second, ctx.values(), ctx.draft(actor), ctx.approved(), ctx.awaiting_approval(),
ctx.actors[Role], ctx.passwords. A row for every public method of the service; the guard test checks that.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.domain.roles import Role
from tests.support.spreadsheets import chinese_headers, display_row, write_xlsx

T, S, A, ADM = Role.TELLER, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN


def _sheet(ctx: Any) -> Path:
    """A one-customer xlsx with Chinese headers (a new customer each time, so no duplicate is refused)."""
    folder = Path(tempfile.mkdtemp(prefix="matrix-import-"))
    return write_xlsx(folder / "customers.xlsx", chinese_headers(), [display_row(ctx.values())])


def _preview(ctx: Any, actor: Any) -> Any:
    return ctx.ws.imports.preview(actor, _sheet(ctx))


def _save_layout(ctx: Any, actor: Any) -> None:
    preview = ctx.ws.imports.preview(ctx.maker, _sheet(ctx))
    ctx.ws.imports.save_layout(actor, preview.signature, preview.headers, preview.mapping)


def _run(ctx: Any, actor: Any) -> Any:
    path = _sheet(ctx)
    return ctx.ws.imports.run(actor, path, ctx.ws.imports.preview(ctx.maker, path).mapping)


def _export_report(ctx: Any, actor: Any) -> int:
    report = _run(ctx, ctx.maker)
    out = Path(tempfile.mkdtemp(prefix="matrix-report-")) / "report.csv"
    return int(ctx.ws.imports.export_report(actor, report, out))


ROWS: dict[str, tuple[Callable[[Any, Any], Any], set[Role]]] = {
    "imports.preview": (_preview, {T}),
    "imports.save_layout": (_save_layout, {T}),
    "imports.run": (_run, {T}),
    "imports.export_report": (_export_report, {T}),
}
