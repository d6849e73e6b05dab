"""Issue 14, small findings of the independent review of the finished items (item 2's credential binding, the
settings command, item 11's 429 message). Real server on loopback over HTTPS, the workstation's real store."""

from __future__ import annotations

import json

import httpx
import keyring
import pytest
from sqlalchemy import select

from desktop_app.services.errors import InvalidRequest
from desktop_app.services.sync import SyncEnrolmentChanged
from desktop_app.storage.models import AuditEntry
from desktop_app.sync import credentials
from desktop_app.sync.transport import RateLimited, Transport
from tests.integration import test_sync
from tests.integration.test_sync import Branch
from tests.support import central
from tests.support.central import ServerProcess, TestCA

test_ca = central.test_ca
sqlite_server = central.sqlite_server
branch = test_sync.branch


def test_a_credential_whose_binding_lost_its_server_url_is_refused_and_audited(
    sqlite_server: ServerProcess, test_ca: TestCA, branch: Branch
) -> None:
    """Issue 14 item 2 (review): a credential entry in JSON without `server_url` was "damaged: enrol again", noted
    but not audited, while a bare credential is audited as `sync.refused`. Both are a credential without its
    binding: refused, audited (once), nothing sent."""
    branch.approve(1)
    branch.enrol(sqlite_server, test_ca)
    wid = branch.ws.store.workstation_id
    service, user = credentials.keyring_service(wid), credentials._USER
    entry = json.loads(keyring.get_password(service, user) or "{}")
    del entry["server_url"]
    keyring.set_password(service, user, json.dumps(entry))

    for _ in range(2):
        with pytest.raises(SyncEnrolmentChanged) as refused:
            branch.ws.sync.run_once(branch.supervisor)
        assert refused.value.reason == "enrolment_unpinned"
    with branch.ws.store.read() as s:
        audited = [
            json.loads(d) for d in s.scalars(select(AuditEntry.details).where(AuditEntry.action == "sync.refused"))
        ]
    assert [d["reason"] for d in audited] == ["enrolment_unpinned"]
    assert sqlite_server.count_records() == 0


def test_settings_names_are_matched_case_insensitively(branch: Branch) -> None:
    """Issue 14 (review): `settings set SYNC_SERVER_URL …` said "unknown setting" and then listed sync_server_url.
    Names are matched case-insensitively: here the setting is found, and refused for what it is (fixed at
    enrolment); another setting in capitals is set."""
    with pytest.raises(InvalidRequest) as refused:
        branch.ws.settings.set(branch.admin, "SYNC_SERVER_URL", "https://elsewhere.example")
    assert "fixed at enrolment" in refused.value.message("en") and "unknown" not in refused.value.message("en")
    branch.ws.settings.set(branch.admin, "Retention_Days", 30)
    assert branch.ws.settings.get(branch.admin, "RETENTION_DAYS") == 30


def test_a_429_says_the_servers_sentence_once() -> None:
    """Issue 14 item 11 (review): the rate-limit message said it in its own words and then repeated the server's
    sentence in parentheses. Where the code is known, it is said once."""
    server_says = (
        "This device claimed too many new customers or had too many items refused in the last hour; the central "
        "administrators have been told. Try again in 1800 s."
    )
    limited = httpx.Response(
        429, json={"error": "rate_limited", "message": server_says}, headers={"Retry-After": "1800"}
    )
    with pytest.raises(RateLimited) as caught:
        Transport._answer(limited, "https://central/v1/records/batch", enrolling=None)
    text = str(caught.value)
    assert server_says not in text and "(" + server_says not in text
    assert text.count("in the last hour") == 1 and "about 30 minutes" in text
