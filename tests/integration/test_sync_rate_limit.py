"""A device the central server rate-limits (issue 14 item 11, the client's half): 429 rate_limited on a batch stops
the run, and the rows wait as long as the server's Retry-After says.

Real components: the central server as a real process on loopback over HTTPS (its claim limit set low by its own
command line), the workstation's real store, transport and credential store, and the fault proxy only to count the
requests that reach the server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.sync_protocol import BATCH_PATH
from desktop_app.services.actor import utcnow
from desktop_app.storage.models import OutboxItem
from desktop_app.sync import credentials
from desktop_app.sync.transport import Transport
from desktop_app.sync.uploader import Uploader
from tests.integration import test_sync
from tests.integration.test_sync import Branch
from tests.support import central
from tests.support.central import ServerProcess, TestCA
from tests.support.fault_proxy import FaultProxy

test_ca = central.test_ca
branch = test_sync.branch


def test_a_rate_limited_device_stops_its_run_and_waits_as_long_as_the_server_asks(
    test_ca: TestCA, branch: Branch, tmp_path: Path
) -> None:
    """Issue 14 item 11 (client): 429 rate_limited used to be "request rejected, not retryable": the batch's rows
    were retried within seconds and every later batch of the run was sent and refused the same way. Now the run
    stops at the first 429, no row is due before the Retry-After has passed (the background job sends nothing till
    then), the audit trail is still anchored, and the status says when the rows go, in English and Chinese."""
    with ServerProcess(f"sqlite:///{tmp_path / 'central.sqlite3'}", test_ca, args=("--claims-per-hour", "2")) as server:
        branch.approve(2)
        branch.enrol(server, test_ca)
        assert branch.ws.sync.run_once(branch.supervisor).acked == 2  # two customers claimed: the hour's budget
        branch.approve(3)

        before = utcnow()
        summary = branch.ws.sync.run_once(branch.supervisor)
        # Refused whole with 429: nothing in it counts as sent (the summary's "sent" is what the server answered for)
        assert (summary.sent, summary.acked, summary.error_code) == (0, 0, "rate_limited")
        assert summary.retry_at is not None and summary.retry_at > before + timedelta(minutes=50)
        when = f"{summary.retry_at:%Y-%m-%d %H:%M} UTC"
        assert summary.error and "queued" in summary.error and when in summary.error
        assert when in (summary.message("zh_CN") or "") and "队列" in (summary.message("zh_CN") or "")
        assert summary.audit_entries > 0  # the trail is anchored all the same

        with branch.ws.store.read() as s:
            rows = s.execute(select(OutboxItem.state, OutboxItem.attempts, OutboxItem.next_attempt_at)).all()
        waiting = [(attempts, at) for state, attempts, at in rows if state == "pending"]
        assert waiting == [(1, summary.retry_at)] * 3
        status = branch.ws.sync.status(branch.supervisor)
        assert (status.pending, status.last_error_code, status.next_attempt_at) == (3, "rate_limited", summary.retry_at)
        assert when in (status.error_message("zh_CN") or "") and "{" not in (status.error_message("zh_CN") or "")

        assert branch.ws.sync.run_once(None).sent == 0  # the background job waits as asked
        assert server.count_records() == 2

        # Several batches due: the first 429 ends the pass, the others are not sent to be refused too.
        with FaultProxy.to(server.url, test_ca.ssl_context()) as proxy:
            credential = credentials.load(branch.ws.store.workstation_id)
            with Transport(proxy.url, credential=credential) as transport:
                uploader = Uploader(
                    branch.ws.store, transport, actor_id=branch.supervisor.user_id, actor_name="test", batch_size=1
                )
                report = uploader.upload_pending(force=True)
            assert [line for line in proxy.requests if BATCH_PATH in line] == [f"POST {BATCH_PATH} HTTP/1.1"]
        assert report.sent == 0 and report.batches == 1 and [e.code for e in report.errors] == ["rate_limited"]
        assert report.retry_at is not None and report.retry_at > before + timedelta(minutes=50)
        assert branch.ws.sync.status(branch.supervisor).pending == 3 and server.count_records() == 2
