"""Dual entry and maker-checker rules, proven by calling the services directly."""

from __future__ import annotations

import pytest

from desktop_app.domain.lifecycle import Status
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.dual_entry import Decision
from desktop_app.services.errors import InvalidRequest, PermissionDenied
from desktop_app.services.records import SearchQuery
from tests.conftest import Staff
from tests.support.customers import resident


def submitted(staff: Staff, seed: int) -> tuple[str, dict[str, str]]:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    values = resident(seed)
    saved = staff.ws.records.create(staff.teller, values)
    assert staff.ws.records.submit(staff.teller, saved.record_id, saved.version).status is Status.AWAITING_SECOND_ENTRY
    return saved.record_id, values


def test_the_first_clerk_can_never_key_the_second_entry_and_the_attempt_is_audited(staff: Staff) -> None:
    rid, values = submitted(staff, 1)
    with pytest.raises(PermissionDenied, match="another clerk"):
        staff.ws.dual_entry.submit(staff.teller, rid, values)
    assert all(item.record_id != rid for item in staff.ws.dual_entry.queue(staff.teller))
    trail = staff.ws.audit.entries(staff.auditor, AuditFilter(action="second_entry.refused_same_clerk"))
    assert [e.record_id for e in trail] == [rid]
    assert staff.ws.records.get(staff.teller, rid).status is Status.AWAITING_SECOND_ENTRY


def test_no_service_gives_the_second_clerk_the_first_entry(staff: Staff) -> None:
    rid, values = submitted(staff, 2)
    queue = staff.ws.dual_entry.queue(staff.teller2)
    assert [q.record_id for q in queue] == [rid]
    assert not any(v in repr(queue) for v in (values["name"], values["id_number"], values["mobile"]))
    view = staff.ws.records.get(staff.teller2, rid)
    assert view.hidden and not any(view.values.values())
    assert staff.ws.records.search(staff.teller2, SearchQuery(text=values["id_number"])) == []
    with pytest.raises(PermissionDenied):
        staff.ws.records.reveal(staff.teller2, rid, "id_number")
    result = staff.ws.dual_entry.submit(staff.teller2, rid, dict(values, mobile="13900000000"))
    assert result.differences == 1 and result.status is Status.AWAITING_RECONCILIATION
    assert values["mobile"] not in repr(result)
    with pytest.raises(PermissionDenied):  # the branch's resolver is the first clerk, not the second
        staff.ws.dual_entry.reconciliation(staff.teller2, rid)


def test_equal_entries_go_straight_to_approval(staff: Staff) -> None:
    rid, values = submitted(staff, 3)
    typed = dict(values, name=" ".join(values["name"]), birth_date=values["birth_date"].replace("-", "/"))
    result = staff.ws.dual_entry.submit(staff.teller2, rid, typed)  # spacing and date format are normalised
    assert result.differences == 0 and result.status is Status.AWAITING_APPROVAL


def test_differences_are_settled_with_reasons_stored_and_audited(staff: Staff) -> None:
    rid, values = submitted(staff, 4)
    staff.ws.dual_entry.submit(staff.teller2, rid, dict(values, mobile="13900000000", postal_code="100001"))
    rec = staff.ws.dual_entry.reconciliation(staff.teller, rid)
    assert {d.field for d in rec.differences} == {"mobile", "postal_code"}
    assert rec.form_number == ""  # keyed without a form number
    with pytest.raises(InvalidRequest, match="every differing field"):
        staff.ws.dual_entry.resolve(staff.teller, rid, {"mobile": Decision("first")})
    with pytest.raises(InvalidRequest, match="reason"):
        staff.ws.dual_entry.resolve(
            staff.teller, rid, {"mobile": Decision("first"), "postal_code": Decision("other", "100002")}
        )
    result = staff.ws.dual_entry.resolve(
        staff.teller,
        rid,
        {"mobile": Decision("first"), "postal_code": Decision("other", "100002", "纸质表单为 100002")},
    )
    assert result.status is Status.AWAITING_APPROVAL
    settled = staff.ws.records.get(staff.teller, rid)
    assert settled.values["mobile"] == values["mobile"] and settled.values["postal_code"] == "100002"
    detail = staff.ws.approvals.detail(staff.supervisor, rid)
    assert {(d.field, d.choice) for d in detail.decisions} == {("mobile", "first"), ("postal_code", "other")}
    assert detail.second_clerk == "teller2" and detail.reconciler == "teller"
    assert any(
        e.action == "reconciliation.resolve" for e in staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=rid))
    )


def test_the_resolver_policy_decides_who_settles(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "reconciliation_resolver", "supervisor")
    rid, values = submitted(staff, 5)
    staff.ws.dual_entry.submit(staff.teller2, rid, dict(values, mobile="13900000000"))
    with pytest.raises(PermissionDenied):
        staff.ws.dual_entry.reconciliation(staff.teller, rid)
    staff.ws.dual_entry.resolve(staff.supervisor, rid, {"mobile": Decision("second")})
    with pytest.raises(PermissionDenied, match="four-eyes"):  # the reconciler cannot approve
        staff.ws.approvals.approve(staff.supervisor, rid, None)
    assert staff.ws.approvals.approve(staff.supervisor2, rid, None).status is Status.APPROVED


def test_neither_clerk_may_approve_and_a_rejection_goes_back_to_the_maker(staff: Staff) -> None:
    rid, values = submitted(staff, 6)
    staff.ws.dual_entry.submit(staff.teller2, rid, values)
    for clerk in (staff.teller, staff.teller2):
        with pytest.raises(PermissionDenied):
            staff.ws.approvals.approve(clerk, rid, None)
    queue = staff.ws.approvals.queue(staff.supervisor)
    assert [q.record_id for q in queue] == [rid] and not queue[0].involved
    with pytest.raises(InvalidRequest):
        staff.ws.approvals.reject(staff.supervisor, rid, None, "other")  # 'other' needs words
    staff.ws.approvals.reject(staff.supervisor, rid, None, "values_differ_from_document", "手机号码与表单不符")
    view = staff.ws.records.get(staff.teller, rid)
    assert view.status is Status.REJECTED and "手机号码与表单不符" in (view.reject_reason or "")


def test_bulk_approval_takes_only_records_without_warnings(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    clean = resident(7)
    warned = dict(resident(8), id_valid_until="2099-01-01")  # an odd validity period is a warning
    ids = []
    for values in (clean, warned):
        saved = staff.ws.records.create(staff.teller, values)
        staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
        ids.append(saved.record_id)
    result = staff.ws.approvals.bulk_approve(staff.supervisor, ids)
    assert result.approved == (ids[0],)
    assert [skip.record_id for skip in result.skipped] == [ids[1]]
    assert "warning" in result.skipped[0].message("en") and result.skipped[0].message("zh_CN")


def test_statistics_attribute_errors_to_the_clerk_who_made_them(staff: Staff) -> None:
    rid, values = submitted(staff, 9)
    staff.ws.dual_entry.submit(staff.teller2, rid, dict(values, mobile="13900000000"))
    staff.ws.dual_entry.resolve(staff.teller, rid, {"mobile": Decision("first")})
    report = staff.ws.stats.report(staff.supervisor)
    by_clerk = {c.clerk: c for c in report.clerks}
    assert by_clerk["teller2"].errors == 1 and by_clerk["teller"].errors == 0
    assert {f.field: f.differing for f in report.fields}["mobile"] == 1
    csv_text = staff.ws.stats.export_csv(staff.supervisor)
    assert "clerk,teller2" in csv_text and values["mobile"] not in csv_text


def test_the_reconciliation_queue_lists_only_what_this_user_may_settle(staff: Staff) -> None:
    rid, values = submitted(staff, 10)
    staff.ws.dual_entry.submit(staff.teller2, rid, dict(values, mobile="13900000000"))
    assert [q.record_id for q in staff.ws.dual_entry.reconciliation_queue(staff.teller)] == [rid]  # first clerk
    assert staff.ws.dual_entry.reconciliation_queue(staff.teller2) == []
    assert staff.ws.dual_entry.reconciliation_queue(staff.supervisor) == []
    staff.ws.settings.set(staff.admin, "reconciliation_resolver", "supervisor")
    assert [q.record_id for q in staff.ws.dual_entry.reconciliation_queue(staff.supervisor)] == [rid]
    assert staff.ws.dual_entry.reconciliation_queue(staff.teller) == []


def test_a_returned_record_sent_on_again_unchanged_gets_its_own_second_entry(staff: Staff) -> None:
    """Independent check: returned by the supervisor, sent on again by its maker without a change, the record's
    second entry failed every time (the version already had one). Each round now has its version; the first
    round's second entry stays as it was."""
    rid, values = submitted(staff, 31)
    first_round = staff.ws.dual_entry.submit(staff.teller2, rid, values)
    assert first_round.status is Status.AWAITING_APPROVAL
    view = staff.ws.records.get(staff.supervisor, rid)
    staff.ws.approvals.reject(staff.supervisor, rid, view.version, "other", "请核对纸质表单")
    resent = staff.ws.records.submit(staff.teller, rid, None)  # nothing changed
    assert resent.status is Status.AWAITING_SECOND_ENTRY and resent.version == view.version + 1
    second_round = staff.ws.dual_entry.submit(staff.teller2, rid, values)
    assert second_round.status is Status.AWAITING_APPROVAL
    history = staff.ws.records.history(staff.supervisor, rid)
    assert [v.kind for v in history][-1] == "resubmit" and history[-1].values == history[-2].values
    staff.ws.approvals.approve(staff.supervisor, rid, resent.version)
    assert staff.ws.records.get(staff.supervisor, rid).status is Status.APPROVED


def test_the_resolver_is_shown_the_paper_forms_number(staff: Staff) -> None:
    """Independent check of issue 16: the reconciliation named only the record, so the resolver could take the
    wrong sheet from the pile."""
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    values = resident(7) | {"form_number": "F-0007"}
    saved = staff.ws.records.create(staff.teller, values)
    staff.ws.records.submit(staff.teller, saved.record_id, saved.version)
    staff.ws.dual_entry.submit(staff.teller2, saved.record_id, dict(values, mobile="13900000000"))
    assert staff.ws.dual_entry.reconciliation(staff.teller, saved.record_id).form_number == "F-0007"
