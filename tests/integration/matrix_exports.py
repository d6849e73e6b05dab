"""Permission-matrix rows for the exports service (merged into test_permission_matrix.MATRIX).

Each row: "service.method": (call(ctx, actor), roles allowed). `ctx` is test_permission_matrix.Ctx: ctx.ws (the
Workstation), ctx.maker/ctx.checker/ctx.second, ctx.values(), ctx.draft(actor), ctx.approved(), ctx.awaiting_approval(),
ctx.actors[Role], ctx.passwords. A row for every public method of the service; the guard test checks that.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.domain.roles import Role
from desktop_app.services.records import SearchQuery

T, S, A, ADM = Role.TELLER, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN


_files = itertools.count()


def _out(ctx: Any, suffix: str = ".xlsx") -> Path:
    """A fresh file name beside the matrix store (in the test's temporary folder)."""
    return Path(ctx.ws.store.data_dir.root).parent / "exports" / f"out{next(_files)}{suffix}"


ROWS: dict[str, tuple[Callable[[Any, Any], Any], set[Role]]] = {
    "exports.export": (lambda c, a: c.ws.exports.export(a, SearchQuery(), _out(c)), {S, A}),
}

#: unmasked=True is its own right (EXPORT_UNMASKED): only a supervisor. Checked by test_export.py, not the
#: matrix (one row per public method), with the same roles.
UNMASKED_ROLES = {S}
