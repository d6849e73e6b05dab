"""Permission-matrix rows for the reviews service (merged into test_permission_matrix.MATRIX).

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
    "reviews.policy": (lambda c, a: c.ws.reviews.policy(a), {T, S, A}),
    "reviews.due": (lambda c, a: c.ws.reviews.due(a), {T, S, A}),
    "reviews.count_due": (lambda c, a: c.ws.reviews.count_due(a), {T, S, A}),
    # any approved record may be reviewed, due or not; the reviewer is a teller (the maker of the review)
    "reviews.start_review": (lambda c, a: c.ws.reviews.start_review(a, c.approved()), {T}),
}
