"""Issue 14 (leftovers of items 2 and 9): sync messages that say what happened. A run that sent a batch and then
failed does not end with "Nothing was sent"; a credential that belongs to another device names both devices.
Real server on loopback over HTTPS, the workstation's real store and transport."""

from __future__ import annotations

from desktop_app.sync.enrolment import ENROLMENT_MISMATCH, Configured, EnrolmentPin, mismatch
from tests.integration import test_sync
from tests.integration.test_sync import Branch
from tests.support import central
from tests.support.central import ServerProcess, TestCA

test_ca = central.test_ca
sqlite_server = central.sqlite_server
branch = test_sync.branch


def test_a_run_refused_before_anything_went_says_sent_0_not_sent_1(
    sqlite_server: ServerProcess, test_ca: TestCA, branch: Branch
) -> None:
    """Issue 14 messages: a batch was counted as sent before the server answered for it, so a revoked device's run
    printed "sent 1" and then "Nothing was sent; the records stay queued". Only what the server answered for counts."""
    branch.approve(1)
    device_id = branch.enrol(sqlite_server, test_ca)
    sqlite_server.revoke(device_id)

    summary = branch.ws.sync.run_once(branch.supervisor)
    assert (summary.sent, summary.acked, summary.error_code) == (0, 0, "device_revoked")
    assert "Nothing was sent" in (summary.message("en") or "")
    assert sqlite_server.count_records() == 0


def test_a_run_that_sent_a_batch_before_the_device_was_revoked_does_not_say_nothing_was_sent(
    sqlite_server: ServerProcess, test_ca: TestCA, branch: Branch
) -> None:
    """Issue 14 messages: after a batch that went, the error of a later request (here the audit upload, refused with
    403 because the device was revoked in between) said "Nothing was sent" under "sent 1". The summary now says what
    went before, in English and Chinese, and nothing that contradicts it."""
    branch.approve(1)
    device_id = branch.enrol(sqlite_server, test_ca)

    def revoke_after_the_batch(done: int, total: int) -> None:
        if done:
            sqlite_server.revoke(device_id)

    summary = branch.ws.sync.run_once(branch.supervisor, progress=revoke_after_the_batch)
    assert (summary.sent, summary.acked, summary.error_code) == (1, 1, "device_revoked")
    english = summary.message("en") or ""
    assert "Nothing was sent" not in english and "Nothing more was sent" in english
    assert "1 record version(s)" in english
    chinese = summary.message("zh_CN") or ""
    assert "未发送任何" not in chinese and "已发送 1 个记录版本" in chinese
    assert sqlite_server.count_records() == 1


def _configured(device_id: str) -> Configured:
    return Configured("https://bank.example:8443", "", device_id, "https://bank.example:8443", None)


def test_the_device_mismatch_names_the_enrolled_and_the_presented_device() -> None:
    """Issue 14 messages: with this store's own binding and another device's credential, the refusal said "belongs
    to device A, but this store records device A" (the same id twice). It names the device the store is enrolled as
    and the one the credential would present, each once; likewise for a credential bound to another device."""
    pin = EnrolmentPin("https://bank.example:8443", "", "", "dev-enrolled")
    wrong = mismatch(pin, "dev-presented.secret", _configured("dev-enrolled"))
    assert wrong is not None and wrong.code == ENROLMENT_MISMATCH
    assert "enrolled as device dev-enrolled" in wrong.message and "for device dev-presented" in wrong.message
    assert wrong.message.count("dev-enrolled") == 1 and wrong.message.count("dev-presented") == 1

    other = EnrolmentPin("https://bank.example:8443", "", "", "dev-other")
    wrong = mismatch(other, "dev-other.secret", _configured("dev-enrolled"))
    assert wrong is not None
    assert "enrolled as device dev-enrolled" in wrong.message and "for device dev-other" in wrong.message
