"""Scanned ID documents kept with a record in the encrypted store: who may attach them, who may see them (never
the blind second clerk), and that neither the metadata nor the audit trail carries customer values."""

from __future__ import annotations

import io
import json
import random

import pytest
from PIL import Image, ImageDraw

from desktop_app.domain.lifecycle import Status
from desktop_app.services.attachments import MAX_SCAN_BYTES
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.errors import Conflict, InvalidRequest, PermissionDenied
from tests.conftest import Staff
from tests.support.customers import resident

META = {
    "document_type": "cn_id_front",
    "image_size": [320, 200],
    "fields": {
        "id_number": {"form_fields": ["id_number"], "confidence": 0.97, "verified": True, "box": [90, 170, 300, 190]},
        "name": {"form_fields": ["name"], "confidence": 0.62, "verified": False, "box": None},
    },
    "warnings": ["not_read_yet:address"],
}


def scan_png(seed: int = 1) -> bytes:
    """A small noisy PNG: compressed, so its bytes are no accident in an encrypted file."""
    rng = random.Random(seed)
    image = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(400):
        x, y = rng.randrange(320), rng.randrange(200)
        draw.point((x, y), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def draft(staff: Staff, seed: int = 1) -> tuple[str, dict[str, str]]:
    values = resident(seed)
    return staff.ws.records.create(staff.teller, values).record_id, values


def test_the_maker_attaches_a_scan_and_it_is_kept_with_its_metadata(staff: Staff) -> None:
    rid, _ = draft(staff)
    image = scan_png()
    attachment_id = staff.ws.attachments.attach_scan(staff.teller, rid, image, META)
    (info,) = staff.ws.attachments.list_scans(staff.teller, rid)
    assert (info.id, info.version, info.document_type, info.size) == (attachment_id, 1, "cn_id_front", len(image))
    assert info.created_by == "teller" and info.warnings == ("not_read_yet:address",)
    number = next(f for f in info.fields if f.ocr_field == "id_number")
    assert (number.form_fields, number.confidence, number.verified, number.box) == (
        ("id_number",),
        0.97,
        True,
        (90, 170, 300, 190),
    )
    assert staff.ws.attachments.scan_image(staff.teller, rid, attachment_id) == image


def test_the_image_is_stored_inside_the_encrypted_database(staff: Staff) -> None:
    rid, _ = draft(staff)
    image = scan_png(7)
    staff.ws.attachments.attach_scan(staff.teller, rid, image, META)
    staff.ws.store.close()
    raw = b"".join(p.read_bytes() for p in staff.root.rglob("*") if p.is_file())
    assert image[16:80] not in raw  # the compressed pixel data, were it stored or spilled anywhere in plain
    assert b"IHDR" not in raw


def test_the_blind_second_clerk_cannot_see_the_scan_but_the_maker_can(staff: Staff) -> None:
    rid, _ = draft(staff)
    attachment_id = staff.ws.attachments.attach_scan(staff.teller, rid, scan_png(), META)
    assert staff.ws.records.submit(staff.teller, rid, None).status is Status.AWAITING_SECOND_ENTRY
    for blind in (staff.teller2, staff.supervisor, staff.auditor):  # while blind, nobody but the maker
        with pytest.raises(PermissionDenied, match="blind second entry"):
            staff.ws.attachments.scan_image(blind, rid, attachment_id)
        with pytest.raises(PermissionDenied):
            staff.ws.attachments.list_scans(blind, rid)
    assert staff.ws.attachments.scan_image(staff.teller, rid, attachment_id)


def test_supervisor_and_auditor_see_the_scan_another_teller_does_not_and_each_viewing_is_audited(
    staff: Staff,
) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    rid, _ = draft(staff)
    attachment_id = staff.ws.attachments.attach_scan(staff.teller, rid, scan_png(), META)
    assert staff.ws.records.submit(staff.teller, rid, None).status is Status.AWAITING_APPROVAL
    for viewer in (staff.supervisor, staff.auditor):
        assert [s.id for s in staff.ws.attachments.list_scans(viewer, rid)] == [attachment_id]
        assert staff.ws.attachments.scan_image(viewer, rid, attachment_id).startswith(b"\x89PNG")
    with pytest.raises(PermissionDenied, match="Only the clerk who keyed"):
        staff.ws.attachments.scan_image(staff.teller2, rid, attachment_id)
    with pytest.raises(PermissionDenied):
        staff.ws.attachments.scan_image(staff.admin, rid, attachment_id)
    viewers = [
        e.actor
        for e in staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=rid))
        if e.action == "attachment.view"
    ]
    assert sorted(viewers) == ["auditor", "supervisor"]


def test_attaching_to_someone_elses_or_an_approved_record_is_refused(staff: Staff) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
    rid, _ = draft(staff)
    with pytest.raises(PermissionDenied, match="Only the clerk who keyed"):
        staff.ws.attachments.attach_scan(staff.teller2, rid, scan_png(), META)
    for not_a_maker in (staff.supervisor, staff.auditor, staff.admin):
        with pytest.raises(PermissionDenied):
            staff.ws.attachments.attach_scan(not_a_maker, rid, scan_png(), META)
    staff.ws.records.submit(staff.teller, rid, None)
    with pytest.raises(Conflict):  # waiting for approval: no longer the maker's to change
        staff.ws.attachments.attach_scan(staff.teller, rid, scan_png(), META)
    staff.ws.records.approve(staff.supervisor, rid, None)
    with pytest.raises(Conflict):
        staff.ws.attachments.attach_scan(staff.teller, rid, scan_png(), META)
    assert staff.ws.attachments.list_scans(staff.teller, rid) == []


def test_audit_entries_and_metadata_carry_no_customer_values(staff: Staff) -> None:
    rid, values = draft(staff, 3)
    attachment_id = staff.ws.attachments.attach_scan(staff.teller, rid, scan_png(), META)
    staff.ws.attachments.scan_image(staff.teller, rid, attachment_id)
    entries = [
        e
        for e in staff.ws.audit.entries(staff.auditor, AuditFilter(record_id=rid))
        if e.action.startswith("attachment.")
    ]
    assert [e.action for e in entries] == ["attachment.view", "attachment.add"]  # newest first
    for entry in entries:
        assert entry.record_id == rid
        assert entry.details == {"attachment": attachment_id, "version": 1}
    kept = json.dumps([e.details for e in entries], ensure_ascii=False)
    for value in values.values():
        if len(value) > 3:
            assert value not in kept


@pytest.mark.parametrize(
    "meta",
    [
        META | {"values": {"id_number": "110105194912310021"}},
        META | {"fields": {"id_number": {"value": "110105194912310021", "confidence": 0.9}}},
        META | {"fields": {"110105194912310021": {"confidence": 0.9}}},
        META | {"warnings": ["read:110105194912310021"]},
        META | {"document_type": "王测试"},
    ],
    ids=["values", "field-value", "value-as-name", "value-in-warning", "value-as-type"],
)
def test_metadata_that_could_hold_a_value_is_refused(staff: Staff, meta: dict[str, object]) -> None:
    rid, _ = draft(staff)
    with pytest.raises(InvalidRequest, match="not valid"):
        staff.ws.attachments.attach_scan(staff.teller, rid, scan_png(), meta)


def test_an_oversized_or_non_png_image_is_refused_with_a_clear_message(staff: Staff) -> None:
    rid, _ = draft(staff)
    with pytest.raises(InvalidRequest) as info:
        staff.ws.attachments.attach_scan(staff.teller, rid, b"\x89PNG\r\n\x1a\n" + bytes(MAX_SCAN_BYTES), META)
    assert "20 MB" in info.value.message("en") and "20 MB" in info.value.message("zh_CN")
    with pytest.raises(InvalidRequest, match="not a PNG"):
        staff.ws.attachments.attach_scan(staff.teller, rid, b"GIF89a" + bytes(100), META)
    assert staff.ws.attachments.list_scans(staff.teller, rid) == []
