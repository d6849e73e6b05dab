"""Cross-branch duplicates (issue 15, "Across branches"), the workstation's half: two real workstations enrolled
to one real central server (a process on loopback over HTTPS). The approval screen's service asks online and is
told "a likely match in branch X"; offline the question is queued, asked by the next sync, and the answer kept."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import opencc
import pytest
from sqlalchemy import select

from desktop_app.domain.branch_match import MatchKind
from desktop_app.domain.roles import Role
from desktop_app.domain.synthetic import generate_customer
from desktop_app.services.branch_matches import CheckState
from desktop_app.services.errors import NotFound, PermissionDenied
from desktop_app.storage.models import AuditEntry
from tests.integration import test_sync
from tests.integration.test_sync import Branch, make_branch
from tests.support import central
from tests.support.central import ServerProcess, TestCA

test_ca = central.test_ca
branch = test_sync.branch


def _submitted(b: Branch, values: dict[str, str]) -> str:
    rid = b.ws.records.create(b.teller, values).record_id
    b.ws.records.submit(b.teller, rid, None)
    return rid


def test_a_customer_of_another_branch_is_reported_online_and_after_an_offline_sync(
    test_ca: TestCA, branch: Branch, tmp_path: Path
) -> None:
    """Branch A approves and syncs a customer. Branch B keys the same person (name in traditional characters,
    another mobile): its supervisor's check names branch A with the kinds that matched. With the server down the
    check is queued (PENDING, kept), and the first sync after it is back asks it and keeps the answer."""
    a = branch
    b = make_branch(tmp_path / "branch-b", seed=2)
    server = ServerProcess(f"sqlite:///{tmp_path / 'central.sqlite3'}", test_ca).start()
    try:
        a_person = _person(1)
        not_enrolled = b.ws.branch_matches.check(b.supervisor, _submitted(b, _person(4)))
        assert not_enrolled.state == CheckState.NOT_ENROLLED
        a.ws.sync.enrol(a.admin, server.url, server.enrol_code("Branch A Nanjing Road"), str(test_ca.ca_cert))
        b.ws.sync.enrol(b.admin, server.url, server.enrol_code("Branch B Huaihai Road"), str(test_ca.ca_cert))
        rid_a = a.ws.records.create(a.teller, a_person).record_id
        a.ws.records.submit(a.teller, rid_a, None)
        a.ws.records.approve(a.supervisor, rid_a, None)
        assert a.ws.sync.run_once(a.supervisor).acked == 1

        variant = dict(a_person, name=opencc.OpenCC("s2t").convert(a_person["name"]), mobile=_person(2)["mobile"])
        rid_b = _submitted(b, variant)
        online = b.ws.branch_matches.check(b.supervisor, rid_b)
        assert online.state == CheckState.ANSWERED
        assert [(m.branch, m.kinds) for m in online.matches] == [
            ("Branch A Nanjing Road", (MatchKind.ID_DOCUMENT, MatchKind.NAME_AND_BIRTH))
        ]
        stored = b.ws.branch_matches.stored(b.supervisor, rid_b)
        assert stored is not None and stored.matches == online.matches
        assert b.ws.branch_matches.check(b.supervisor, _submitted(b, _person(3))).matches == ()

        server.stop()
        rid_offline = _submitted(b, dict(a_person, id_type="passport", id_number="E12345678"))
        assert b.ws.branch_matches.check(b.supervisor, rid_offline).state == CheckState.PENDING
        queued = b.ws.branch_matches.stored(b.supervisor, rid_offline)
        assert queued is not None and queued.state == CheckState.PENDING

        server.start()
        b.ws.sync.run_once(None)  # the background job
        later = b.ws.branch_matches.stored(b.supervisor, rid_offline)
        assert later is not None and later.state == CheckState.ANSWERED
        assert [(m.workstation_id, m.kinds) for m in later.matches] == [
            (a.ws.sync.workstation_id, (MatchKind.NAME_AND_BIRTH, MatchKind.MOBILE))
        ]
        with b.ws.store.read() as s:
            trail = list(s.scalars(select(AuditEntry.details).where(AuditEntry.action == "duplicate.branch_match")))
        assert len(trail) == 2
        for details in trail:
            assert a.ws.sync.workstation_id in details
            assert all(v not in details for v in (a_person["id_number"], a_person["name"], a_person["mobile"]))
        assert b.ws.branch_matches.found_after_approval(b.supervisor) == []  # still awaiting approval: on its page

        # Approved while offline: the match the next sync finds is reported to the supervisors until one has seen
        # it (independent check: it reached the audit trail only).
        second = _person(6)
        rid_a2 = a.ws.records.create(a.teller, second).record_id
        a.ws.records.submit(a.teller, rid_a2, None)
        a.ws.records.approve(a.supervisor, rid_a2, None)
        assert a.ws.sync.run_once(a.supervisor).acked == 1
        server.stop()
        rid_late = _submitted(b, dict(second, id_type="passport", id_number="E22345678", mobile=_person(5)["mobile"]))
        assert b.ws.branch_matches.check(b.supervisor, rid_late).state == CheckState.PENDING
        b.ws.records.approve(b.supervisor, rid_late, None)
        server.start()
        b.ws.sync.run_once(None)
        (late,) = b.ws.branch_matches.found_after_approval(b.supervisor)
        assert late.record_id == rid_late and [(m.branch, m.kinds) for m in late.matches] == [
            ("Branch A Nanjing Road", (MatchKind.NAME_AND_BIRTH,))
        ]
        b.ws.users.add(b.admin, "supervisor2", test_sync.PASSWORD, {Role.SUPERVISOR})
        supervisor2 = test_sync._login(b.ws, "supervisor2")
        assert b.ws.branch_matches.found_after_approval(supervisor2) == [late]  # every supervisor, until seen
        b.ws.branch_matches.mark_seen(supervisor2, rid_late)
        assert b.ws.branch_matches.found_after_approval(b.supervisor) == []
        with b.ws.store.read() as s:
            seen = s.execute(
                select(AuditEntry.record_id, AuditEntry.actor_name).where(
                    AuditEntry.action == "duplicate.branch_match_seen"
                )
            ).all()
        assert [tuple(e) for e in seen] == [(rid_late, "supervisor2")]
        with pytest.raises(NotFound):
            b.ws.branch_matches.mark_seen(b.supervisor, rid_late)
        with pytest.raises(PermissionDenied):
            b.ws.branch_matches.found_after_approval(b.teller)
        # Returned to its maker while offline: never approved, so not reported as an approved record's match (found
        # by the independent re-check); it is asked again if it comes back for approval.
        server.stop()
        rid_returned = _submitted(
            b, dict(second, id_type="passport", id_number="E32345678", mobile=_person(7)["mobile"])
        )
        assert b.ws.branch_matches.check(b.supervisor, rid_returned).state == CheckState.PENDING
        b.ws.records.reject(b.supervisor, rid_returned, None, "the passport page is missing")
        server.start()
        b.ws.sync.run_once(None)
        assert b.ws.branch_matches.found_after_approval(b.supervisor) == []
    finally:
        server.close()
        b.ws.close()


def _person(seed: int) -> dict[str, str]:
    return generate_customer(random.Random(90_000 + seed), date.today())
