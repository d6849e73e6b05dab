"""Permission-matrix rows for the services issues 15 and 16 added: watchlist screening, branch matches and paper
pages (merged into test_permission_matrix.MATRIX, so the lock and sign-out tests walk them too).

Each row: "service.method": (call(ctx, actor), roles allowed). `ctx` is test_permission_matrix.Ctx. The watchlist rows
import every list under one name, so only the newest version is current and at most one listed person is screened
against the other rows' customers.
"""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from desktop_app.domain.roles import Role
from desktop_app.domain.watchlist import EntryKind, WatchlistEntry
from desktop_app.scanning.sane_device import ScanSettings
from desktop_app.services.errors import NotFound
from tests.support.sane_test_device import use_test_backend
from tests.support.watchlists import un_xml

T, S, A, ADM = Role.TELLER, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN
LIST_NAME = "matrix list"
_counter = itertools.count(1)


def _list_of(values: dict[str, str] | None) -> bytes:
    entries = (
        []
        if values is None
        else [
            WatchlistEntry(
                f"MTX.{next(_counter)}",
                EntryKind.INDIVIDUAL,
                (values["name_pinyin"].upper(), values["name"]),
                (values["birth_date"],),
            )
        ]
    )
    return un_xml(entries)


def _import(c: Any, values: dict[str, str] | None = None) -> None:
    # each version lists at most one person, replacing the last: as fewer as the versions go, confirmed
    c.ws.watchlist.import_list(c.actors[ADM], _list_of(values), "consolidated.xml", LIST_NAME, accept_fewer=True)


def _hit(c: Any) -> int:
    """An open watchlist hit: a customer on the (new) list, submitted by the maker."""
    values = c.values()
    _import(c, values)
    rid = c.ws.records.create(c.maker, values).record_id
    c.ws.records.submit(c.maker, rid, None)
    hits = c.ws.watchlist.hits_for(c.checker, rid)
    assert hits, "the listed customer was not hit: the row would prove nothing"
    return int(hits[0].id)


def _rescreen(c: Any, actor: Any) -> Any:
    _import(c)  # a new version starts a re-screening run
    return c.ws.watchlist.rescreen_step(actor, batch=5)


def _page(c: Any, actor: Any) -> tuple[str, int]:
    """A draft with one paper page, kept by its maker (the actor when a teller, else the maker)."""
    owner = actor if Role.TELLER in actor.roles else c.maker
    rid = c.ws.records.create(owner, c.values()).record_id
    added = c.ws.paper.add_page(owner, rid, Image.new("RGB", (420, 594), "white"), "file")
    return rid, int(added.page.id)


def _remove_page(c: Any, actor: Any) -> Any:
    """Page 1 taken out of a draft of two pages, kept by its maker (the actor when a teller, else the maker)."""
    owner = actor if Role.TELLER in actor.roles else c.maker
    rid = c.ws.records.create(owner, c.values()).record_id
    for shade in (255, 250):
        c.ws.paper.add_page(owner, rid, Image.new("RGB", (420, 594), (shade, shade, shade)), "file")
    return c.ws.paper.remove_page(actor, rid, 1)


def _restore_set(c: Any, actor: Any) -> Any:
    """Set 1 made the pages again after a second set replaced it, on a draft kept by its maker (the actor when a
    teller, else the maker)."""
    owner = actor if Role.TELLER in actor.roles else c.maker
    rid = c.ws.records.create(owner, c.values()).record_id
    for shade in (255, 250):
        c.ws.paper.add_page(owner, rid, Image.new("RGB", (420, 594), (shade, shade, shade)), "file", new_set=True)
    return c.ws.paper.restore_set(actor, rid, 1)


def _mark_seen(c: Any, actor: Any) -> None:
    """Past the permission, a record with no match to see is NotFound: only PermissionDenied is a refusal."""
    with contextlib.suppress(NotFound):
        c.ws.branch_matches.mark_seen(actor, c.awaiting_approval())


def _page_file() -> Path:
    path = Path(tempfile.mkdtemp(prefix="matrix-paper-")) / "page.png"
    Image.new("RGB", (420, 594), "white").save(path)
    return path


def _scan(c: Any, actor: Any) -> Any:
    # Only SANE's test backend is configured (when this process starts SANE here); the device named does not
    # exist, so an allowed call ends in a report that says so, and a refused one never reaches the scanner.
    use_test_backend(Path(tempfile.mkdtemp(prefix="matrix-sane-")))
    report = c.ws.paper.scan(actor, c.draft(actor), ScanSettings(device="matrix:absent", feeder=False))
    assert not report.added and report.failure is not None
    return report


ROWS: dict[str, tuple[Callable[[Any, Any], Any], set[Role]]] = {
    "watchlist.import_list": (
        lambda c, a: c.ws.watchlist.import_list(a, _list_of(c.values()), "consolidated.xml", LIST_NAME),
        {ADM},
    ),
    "watchlist.versions": (lambda c, a: c.ws.watchlist.versions(a), {S, ADM}),
    "watchlist.hits_for": (lambda c, a: c.ws.watchlist.hits_for(a, c.awaiting_approval()), {S}),
    "watchlist.open_hits": (lambda c, a: c.ws.watchlist.open_hits(a), {S}),
    "watchlist.clear": (
        lambda c, a: c.ws.watchlist.clear(a, _hit(c), "not the listed person: birth place differs"),
        {S},
    ),
    "watchlist.escalate": (
        lambda c, a: c.ws.watchlist.escalate(a, _hit(c), "name and birth date match; compliance"),
        {S},
    ),
    "watchlist.rescreen_pending": (lambda c, a: c.ws.watchlist.rescreen_pending(a), {S, ADM}),
    "watchlist.rescreen_step": (_rescreen, {S, ADM}),
    "branch_matches.check": (lambda c, a: c.ws.branch_matches.check(a, c.awaiting_approval()), {S}),
    "branch_matches.stored": (lambda c, a: c.ws.branch_matches.stored(a, c.awaiting_approval()), {S}),
    "branch_matches.found_after_approval": (lambda c, a: c.ws.branch_matches.found_after_approval(a), {S}),
    "branch_matches.mark_seen": (_mark_seen, {S}),
    "paper.add_page": (
        lambda c, a: c.ws.paper.add_page(a, c.draft(a), Image.new("RGB", (420, 594), "white"), "file"),
        {T},
    ),
    "paper.add_file": (lambda c, a: c.ws.paper.add_file(a, c.draft(a), _page_file()), {T}),
    "paper.scan": (_scan, {T}),
    "paper.remove_page": (_remove_page, {T}),
    "paper.restore_set": (_restore_set, {T}),
    "paper.page_sets": (lambda c, a: c.ws.paper.page_sets(a, _page(c, a)[0]), {T, S, A}),
    "paper.list_pages": (lambda c, a: c.ws.paper.list_pages(a, _page(c, a)[0]), {T, S, A}),
    "paper.page_image": (lambda c, a: c.ws.paper.page_image(a, *_page(c, a)), {T, S, A}),
    "paper.thumbnail": (lambda c, a: c.ws.paper.thumbnail(a, *_page(c, a)), {T, S, A}),
    "paper.layout_of": (lambda c, a: c.ws.paper.layout_of(a, _page(c, a)[0]), {T, S, A}),
    "paper.checks": (lambda c, a: c.ws.paper.checks(a, _page(c, a)[0]), {T, S, A}),
    "paper.scanners": (lambda c, a: c.ws.paper.scanners(a), {ADM}),
    "paper.set_form_number": (
        lambda c, a: c.ws.paper.set_form_number(a, c.draft(a), f"MTX-{next(_counter):06d}"),
        {T},
    ),
}
