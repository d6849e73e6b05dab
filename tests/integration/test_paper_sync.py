"""The paper form's pages go to the central server with their approved record when the bank takes them (issue
16): a real server process over HTTPS (SQLite and PostgreSQL), started with or without --accept-paper-pages; the
pages queued in approval's transaction, sent once after the record, recognised if sent again; retention waits for
pages still queued, not for a server that does not take them."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select, text, update

from desktop_app.domain.synthetic import generate_customer
from desktop_app.services.actor import utcnow
from desktop_app.storage.models import AuditEntry, PageBlob, PageOutbox, PaperPage
from tests.integration.test_sync import Branch, make_branch
from tests.support import central
from tests.support.central import ServerProcess, TestCA

# the central server's fixtures, as tests/integration/test_sync.py takes them
test_ca = central.test_ca
sqlite_server = central.sqlite_server
postgres_cluster = central.postgres_cluster
postgres_server = central.postgres_server

TAKES_PAGES = {"args": ("--accept-paper-pages",)}


@pytest.fixture
def teller_branch(tmp_path: Path) -> Iterator[Branch]:
    made = make_branch(tmp_path / "branch")
    yield made
    made.ws.close()


def _page(n: int) -> Image.Image:
    image = Image.new("RGB", (620, 877), "white")
    ImageDraw.Draw(image).text((40, 40 + 30 * n), f"synthetic page {n}", fill="black")
    return image


def _approved_with_pages(branch: Branch, pages: int) -> str:
    customer = generate_customer(random.Random(next(branch.seeds)), date.today())
    rid = branch.ws.records.create(branch.teller, customer).record_id
    for n in range(pages):
        branch.ws.paper.add_page(branch.teller, rid, _page(n), "file")
    branch.ws.records.submit(branch.teller, rid, None)
    branch.ws.records.approve(branch.supervisor, rid, None)
    return rid


def _states(branch: Branch) -> dict[str, int]:
    with branch.ws.store.read() as s:
        rows = s.execute(text("SELECT state, count(*) FROM page_outbox GROUP BY state")).all()
    return {str(state): int(n) for state, n in rows}


def _server_pages(server: ServerProcess) -> list[tuple[str, int, int, str]]:
    with server.engine.connect() as c:
        rows = c.execute(
            text("SELECT record_id, version, page_no, sha256 FROM paper_pages ORDER BY record_id, page_no")
        )
        return [(str(r), int(v), int(p), str(h)) for r, v, p, h in rows]


@pytest.mark.parametrize("sqlite_server", [TAKES_PAGES], indirect=True)
def test_the_pages_go_once_after_their_record(
    sqlite_server: ServerProcess, test_ca: TestCA, teller_branch: Branch
) -> None:
    _pages_go_once(sqlite_server, test_ca, teller_branch)


@pytest.mark.parametrize("postgres_server", [TAKES_PAGES], indirect=True)
def test_the_pages_go_once_on_postgresql(
    postgres_server: ServerProcess, test_ca: TestCA, teller_branch: Branch
) -> None:
    _pages_go_once(postgres_server, test_ca, teller_branch)


def _pages_go_once(server: ServerProcess, test_ca: TestCA, branch: Branch) -> None:
    with_pages = _approved_with_pages(branch, 2)
    without = _approved_with_pages(branch, 0)
    assert _states(branch) == {"pending": 2}  # queued with the approval, in its transaction
    branch.enrol(server, test_ca)
    summary = branch.ws.sync.run_once(branch.supervisor)
    assert summary.acked == 2 and summary.errors == 0
    held = _server_pages(server)
    with branch.ws.store.read() as s:
        local = s.execute(
            select(PaperPage.page_no, PageBlob.content)
            .join(PageBlob, PageBlob.sha256 == PaperPage.sha256)
            .where(PaperPage.record_id == with_pages)
            .order_by(PaperPage.page_no)
        ).all()
        sent_audit = s.scalars(select(AuditEntry.details).where(AuditEntry.action == "paper.pages_sent")).all()
    assert held == [(with_pages, 1, n, hashlib.sha256(bytes(c)).hexdigest()) for n, c in local]
    assert without not in {r for r, *_ in held}
    assert _states(branch) == {"sent": 2} and len(sent_audit) == 1
    with server.engine.connect() as c:  # the images arrived whole
        stored = dict(c.execute(text("SELECT sha256, content FROM paper_page_blobs")).all())
    assert {hashlib.sha256(bytes(v)).hexdigest() for v in stored.values()} == set(stored)

    # Sent again (a row put back to pending, as after a crash between the answer and the local write): recognised.
    with branch.ws.store.write() as s:
        s.execute(update(PageOutbox).values(state="pending"))
    branch.ws.sync.run_once(branch.supervisor)
    assert _states(branch) == {"sent": 2} and _server_pages(server) == held


@pytest.mark.parametrize("sqlite_server", [{}], indirect=True)
def test_a_server_that_does_not_take_pages_gets_none_and_retention_goes_on(
    sqlite_server: ServerProcess, test_ca: TestCA, teller_branch: Branch
) -> None:
    branch = teller_branch
    rid = _approved_with_pages(branch, 1)
    branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).acked == 1
    assert _states(branch) == {"not_taken": 1} and _server_pages(sqlite_server) == []
    assert branch.ws.sync.status(branch.supervisor).pages == {"not_taken": 1}  # the Sync page and sync-status say so
    branch.ws.settings.set(branch.admin, "retention_days", 1)
    later = utcnow() + timedelta(days=1, minutes=1)
    assert branch.ws.sync.purge_acknowledged(None, now=later) == 1
    assert branch.ws.records.get(branch.supervisor, rid).purged


@pytest.mark.parametrize("sqlite_server", [{}], indirect=True)
def test_pages_not_taken_go_once_the_bank_takes_pages(
    sqlite_server: ServerProcess, test_ca: TestCA, teller_branch: Branch
) -> None:
    branch = teller_branch
    rid = _approved_with_pages(branch, 2)
    branch.enrol(sqlite_server, test_ca)
    branch.ws.sync.run_once(branch.supervisor)
    assert _states(branch) == {"not_taken": 2}
    branch.ws.sync.run_once(branch.supervisor)  # still not taken: nothing changes, nothing sent
    assert _states(branch) == {"not_taken": 2} and _server_pages(sqlite_server) == []

    sqlite_server.stop()  # the bank restarts its server taking pages
    sqlite_server.args = TAKES_PAGES["args"]
    sqlite_server.start()
    branch.ws.sync.run_once(branch.supervisor)
    assert _states(branch) == {"sent": 2}
    assert [(r, p) for r, _, p, _ in _server_pages(sqlite_server)] == [(rid, 1), (rid, 2)]
    assert branch.ws.sync.status(branch.supervisor).pages == {"sent": 2}


@pytest.mark.parametrize("sqlite_server", [TAKES_PAGES], indirect=True)
def test_retention_waits_for_a_page_still_queued(
    sqlite_server: ServerProcess, test_ca: TestCA, teller_branch: Branch
) -> None:
    branch = teller_branch
    rid = _approved_with_pages(branch, 1)
    branch.enrol(sqlite_server, test_ca)
    assert branch.ws.sync.run_once(branch.supervisor).acked == 1
    with branch.ws.store.write() as s:  # as if the page had not gone yet (a failure the next run retries)
        s.execute(update(PageOutbox).values(state="pending"))
    branch.ws.settings.set(branch.admin, "retention_days", 1)
    later = utcnow() + timedelta(days=1, minutes=1)
    assert branch.ws.sync.purge_acknowledged(None, now=later) == 0
    assert not branch.ws.records.get(branch.supervisor, rid).purged
    branch.ws.sync.run_once(branch.supervisor)  # sent (recognised as held): retention may go on
    assert _states(branch) == {"sent": 1}
    assert branch.ws.sync.purge_acknowledged(None, now=later) == 1
