"""Permission-matrix rows for the dashboard service (merged into test_permission_matrix.MATRIX).

Each row: "service.method": (call(ctx, actor), roles allowed). `ctx` is test_permission_matrix.Ctx: ctx.ws (the
Workstation), ctx.maker/ctx.checker/ctx.second, ctx.values(), ctx.draft(actor), ctx.approved(), ctx.awaiting_approval(),
ctx.actors[Role], ctx.passwords. A row for every public method of the service; the guard test checks that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop_app.domain.roles import Role

T, S, A, ADM = Role.TELLER, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN

ROWS: dict[str, tuple[Callable[[Any, Any], Any], set[Role]]] = {
    "dashboard.snapshot": (lambda c, a: c.ws.dashboard.snapshot(a, days=7), {S, A}),
}
