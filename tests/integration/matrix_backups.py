"""Permission-matrix rows for the backups service (merged into test_permission_matrix.MATRIX).

Each row: "service.method": (call(ctx, actor), roles allowed). `ctx` is test_permission_matrix.Ctx: ctx.ws (the
Workstation), ctx.maker/ctx.checker/ctx.second, ctx.values(), ctx.draft(actor), ctx.approved(), ctx.awaiting_approval(),
ctx.actors[Role], ctx.passwords. A row for every public method of the service; the guard test checks that.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.roles import Role

T, S, A, ADM = Role.TELLER, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN


def _a_backup(ctx: Any) -> Path:
    """A backup taken by the admin (not the actor under test), to verify."""
    return Path(ctx.ws.backups.create(ctx.actors[ADM]).path)


ROWS: dict[str, tuple[Callable[[Any, Any], Any], set[Role]]] = {
    "backups.create": (lambda c, a: c.ws.backups.create(a), {S, ADM}),
    "backups.list": (lambda c, a: c.ws.backups.list(a), {S, ADM}),
    "backups.verify": (lambda c, a: c.ws.backups.verify(a, _a_backup(c)), {S, ADM}),
    "backups.due": (lambda c, a: c.ws.backups.due(a, datetime.now().astimezone()), {S, ADM}),
    "backups.folder": (lambda c, a: c.ws.backups.folder(a), {S, ADM}),
    # The workstation's own daily job: no user acts, so every signed-in session may let it run.
    "backups.take_daily": (lambda c, a: c.ws.backups.take_daily(datetime.now().astimezone()), {T, S, A, ADM}),
}
