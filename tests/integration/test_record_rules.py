"""Record rules enforced by the services: maker-only edits, blind second entry, four eyes, masking,
immutable versions, duplicates, optimistic concurrency, and the audit entries each action leaves."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Role
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    Conflict,
    PasswordChangeRequired,
    PermissionDenied,
    ValidationFailed,
)
from desktop_app.services.records import SearchQuery
from tests.conftest import PASSWORD, Staff
from tests.support.customers import resident


def actions(staff: Staff, record_id: str) -> list[str]:
    return [e.action for e in staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=record_id))]


def test_only_the_maker_edits_and_each_save_is_a_new_version(staff: Staff) -> None:
    recs = staff.ws.records
    first = recs.create(staff.teller, resident(1))
    with pytest.raises(PermissionDenied):
        recs.save(staff.teller2, first.record_id, resident(2), first.version)
    changed = dict(resident(1), address="示例省演示市测试路 99 号")
    second = recs.save(staff.teller, first.record_id, changed, first.version)
    assert second.version == 2
    history = recs.history(staff.teller, first.record_id)
    assert [v.version for v in history] == [1, 2]
    assert history[1].values["address"] == "示例省演示市测试路 99 号"
    with pytest.raises(Conflict, match="changed since you opened it"):
        recs.save(staff.teller, first.record_id, resident(3), first.version)  # stale version
    assert "record.update" in actions(staff, first.record_id)


def test_submit_refuses_a_record_with_errors_and_keeps_it_a_draft(staff: Staff) -> None:
    recs = staff.ws.records
    bad = dict(resident(4), id_number="110105194912310021")  # wrong check character
    saved = recs.create(staff.teller, bad)
    assert any(p.field == "id_number" for p in saved.problems)
    with pytest.raises(ValidationFailed) as info:
        recs.submit(staff.teller, saved.record_id, saved.version)
    assert any(p.field == "id_number" and p.severity == "error" for p in info.value.problems)
    assert recs.get(staff.teller, saved.record_id).status is Status.DRAFT


def test_blind_second_entry_hides_values_from_every_other_clerk(staff: Staff) -> None:
    recs = staff.ws.records
    values = resident(5)
    saved = recs.create(staff.teller, values)
    assert recs.submit(staff.teller, saved.record_id, saved.version).status is Status.AWAITING_SECOND_ENTRY
    view = recs.get(staff.teller2, saved.record_id)
    assert view.hidden and not any(view.values.values())
    assert recs.search(staff.teller2, SearchQuery(text=values["name"])) == []
    assert recs.search(staff.teller2, SearchQuery(text=values["id_number"][:10])) == []
    assert recs.search(staff.teller2, SearchQuery(text=values["mobile"])) == []
    assert all(r.id != saved.record_id for r in recs.search(staff.teller2, SearchQuery(limit=500)))
    assert recs.find_by_id_number(staff.teller2, values["id_type"], values["id_number"]) == []
    with pytest.raises(PermissionDenied):
        recs.reveal(staff.teller2, saved.record_id, "name")
    with pytest.raises(PermissionDenied):
        recs.history(staff.teller2, saved.record_id)
    # a duplicate warning must not confirm the first clerk's ID number either
    other = recs.create(staff.teller2, values)
    assert not any(p.code == "duplicate" for p in other.problems)
    # the maker still sees their own record
    assert recs.get(staff.teller, saved.record_id).values["name"] == values["name"]


def test_four_eyes_the_maker_cannot_approve_even_holding_the_supervisor_role(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    staff.ws.users.add(staff.admin, "both", PASSWORD, {Role.TELLER, Role.SUPERVISOR})
    both, _ = staff.ws.auth.login("both", PASSWORD)
    staff.ws.auth.change_password(both, PASSWORD, PASSWORD + "b")
    both, _ = staff.ws.auth.login("both", PASSWORD + "b")
    recs = staff.ws.records
    saved = recs.create(both, resident(6))
    recs.submit(both, saved.record_id, saved.version)
    with pytest.raises(PermissionDenied, match="four-eyes"):
        recs.approve(both, saved.record_id, None)
    approved = recs.approve(staff.supervisor, saved.record_id, None)
    assert approved.status is Status.APPROVED
    assert "record.status" in actions(staff, saved.record_id)


def test_an_approved_version_is_immutable(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    recs = staff.ws.records
    saved = recs.create(staff.teller, resident(7))
    recs.submit(staff.teller, saved.record_id, saved.version)
    recs.approve(staff.supervisor, saved.record_id, None)
    with pytest.raises(Conflict):
        recs.save(staff.teller, saved.record_id, resident(8), None)
    with pytest.raises(Exception, match="immutable"), staff.ws.store.write() as s:
        s.execute(text("UPDATE record_versions SET data = '{}' WHERE record_id = :r"), {"r": saved.record_id})
    change = recs.start_change(staff.teller2, saved.record_id)
    assert change.version == 2 and change.status is Status.DRAFT
    view = recs.get(staff.supervisor, saved.record_id)
    assert view.approved_version == 1 and view.base_version == 1


def test_a_rejected_record_returns_to_its_maker_with_the_reason(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    recs = staff.ws.records
    saved = recs.create(staff.teller, resident(9))
    recs.submit(staff.teller, saved.record_id, saved.version)
    recs.reject(staff.supervisor, saved.record_id, None, "地址与证件不符（示例）")
    view = recs.get(staff.teller, saved.record_id)
    assert view.status is Status.REJECTED and view.reject_reason == "地址与证件不符（示例）"
    assert recs.search(staff.teller, SearchQuery(statuses=(Status.REJECTED,), mine_only=True))[0].id == saved.record_id
    edited = recs.save(staff.teller, saved.record_id, dict(resident(9), email="fixed@example.com"), view.version)
    assert edited.status is Status.DRAFT
    assert recs.submit(staff.teller, saved.record_id, edited.version).status is Status.AWAITING_APPROVAL


def test_masking_by_role_and_audited_reveal(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    recs = staff.ws.records
    values = resident(10)
    saved = recs.create(staff.teller, values)
    recs.submit(staff.teller, saved.record_id, saved.version)
    number = values["id_number"]
    sup = recs.get(staff.supervisor, saved.record_id)
    assert sup.values["name"] == values["name"]  # supervisors see names
    assert sup.values["id_number"] == number[0] + "*" * 16 + number[-1]  # issue 14: no birth date or region
    assert sup.values["birth_date"] == "****" and "birth_date" in sup.masked  # the ID number holds it
    assert sup.values["mobile"] == "*" * 7 + values["mobile"][-4:]
    aud = recs.get(staff.auditor, saved.record_id)
    assert aud.values["name"] != values["name"] and "*" in aud.values["name"]
    assert {"name", "id_number", "birth_date", "mobile", "address"} <= aud.masked
    rows = recs.search(staff.teller2, SearchQuery(text=values["name"]))
    assert rows and rows[0].id_number != number and rows[0].mobile != values["mobile"]
    assert recs.reveal(staff.auditor, saved.record_id, "id_number") == number
    trail = staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=saved.record_id, action="record.reveal"))
    assert trail and trail[0].actor == "auditor" and trail[0].details["field"] == "id_number"
    with pytest.raises(PermissionDenied):
        recs.get(staff.admin, saved.record_id)


def test_duplicate_id_document_warns_on_draft_and_blocks_submit(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    recs = staff.ws.records
    values = resident(11)
    first = recs.create(staff.teller, values)
    second = recs.create(staff.teller, values)
    dup = [p for p in second.problems if p.code == "duplicate"]
    assert dup and dup[0].severity == "warning" and first.record_id in dup[0].message_text.en
    with pytest.raises(ValidationFailed, match="already exists"):
        recs.submit(staff.teller, second.record_id, second.version)
    found = recs.find_by_id_number(staff.teller, values["id_type"], values["id_number"].lower())
    assert {r.id for r in found} == {first.record_id, second.record_id}


def test_lockout_after_five_failures_until_an_admin_unlocks(staff: Staff) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            staff.ws.auth.login("teller", "wrong password 1")
    with pytest.raises(AccountLocked, match="locked until"):
        staff.ws.auth.login("teller", "wrong password 1")
    with pytest.raises(AccountLocked):
        staff.ws.auth.login("teller", PASSWORD + "x")  # even the right password
    with pytest.raises(AccountLocked):
        staff.ws.records.search(staff.teller, SearchQuery())  # a signed-in session stops too
    staff.ws.users.unlock(staff.admin, "teller")
    staff.ws.auth.login("teller", PASSWORD + "x")
    trail = [e.action for e in staff.ws.audit.entries(staff.auditor, AuditFilter(actor="teller", limit=50))]
    assert trail.count("login.failure") == 5 and "login.lockout" in trail


def test_first_login_forces_a_password_change(staff: Staff) -> None:
    staff.ws.users.add(staff.admin, "newbie", PASSWORD, {Role.TELLER})
    actor, must_change = staff.ws.auth.login("newbie", PASSWORD)
    assert must_change
    with pytest.raises(PasswordChangeRequired):
        staff.ws.records.search(actor, SearchQuery())
    from desktop_app.services.errors import PasswordRejected

    with pytest.raises(PasswordRejected):
        staff.ws.auth.change_password(actor, PASSWORD, "short1")
    staff.ws.auth.change_password(actor, PASSWORD, "A-much-better-one-77")
    actor, must_change = staff.ws.auth.login("newbie", "A-much-better-one-77")
    assert not must_change
    staff.ws.records.search(actor, SearchQuery())


def test_the_database_files_hold_none_of_the_customer_strings(staff: Staff) -> None:
    recs = staff.ws.records
    written = [resident(20 + i) for i in range(5)]
    for values in written:
        recs.create(staff.teller, values)
    blob = b"".join(p.read_bytes() for p in staff.root.rglob("*") if p.is_file())
    for values in written:
        for key in ("name", "id_number", "mobile", "address", "name_pinyin"):
            assert values[key].encode() not in blob, key


def test_autosave_is_private_to_its_clerk_and_restorable(staff: Staff) -> None:
    typed = {"name": "测试一", "mobile": "1380013"}
    staff.ws.autosave.save(staff.teller, "new", "personal_customer", typed)
    staff.ws.autosave.save(staff.teller, "new", "personal_customer", dict(typed, name="测试二"))
    mine = staff.ws.autosave.list(staff.teller)
    assert len(mine) == 1 and mine[0].values["name"] == "测试二"
    assert staff.ws.autosave.list(staff.teller2) == []
    staff.ws.autosave.clear(staff.teller, "new")
    assert staff.ws.autosave.list(staff.teller) == []


def test_supervisor_override_ends_a_locked_session_and_is_audited(staff: Staff) -> None:
    with pytest.raises(PermissionDenied):
        staff.ws.auth.supervisor_override("teller2", PASSWORD + "x", staff.teller)
    with pytest.raises(AuthenticationFailed):
        staff.ws.auth.supervisor_override("supervisor", "wrong password 9", staff.teller)
    staff.ws.auth.supervisor_override("supervisor", PASSWORD + "x", staff.teller)
    trail = staff.ws.audit.entries(staff.auditor, AuditFilter(action="lock.override"))
    assert len(trail) == 1 and trail[0].actor == "supervisor" and trail[0].details["locked_user"] == "teller"
