"""The scan as a third opinion, through the services with the real reader (Tesseract): the supervisor is warned on
a field where both clerks keyed the same slip and the card reads otherwise; the blind second clerk is refused the
opinion before and after keying; the warning carries no values."""

from __future__ import annotations

import io
import random

import pytest

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.ocr_opinion import OPINION_CONFIDENCE
from desktop_app.services.errors import PermissionDenied
from desktop_app.services.scan_fill import read_scan
from tests.conftest import Staff
from tests.support.id_documents import cn_id_front, synthetic_identity


def test_the_supervisor_is_warned_where_the_card_reads_otherwise_and_the_second_clerk_never_is(
    staff: Staff,
) -> None:
    staff.ws.settings.set(staff.admin, "dual_entry_policy", "both")
    rng = random.Random(11)
    identity = synthetic_identity(rng, "resident")
    image, truth = cn_id_front(identity, rng)
    png = io.BytesIO()
    image.save(png, "PNG")
    reading = read_scan(png.getvalue(), staff.ws.records.form())
    name = reading.fill.proposals.get("name")
    assert name is not None and name.confidence >= OPINION_CONFIDENCE, "the card's name must be read confidently"
    assert name.value == truth["name"]

    slip = "李" + truth["name"][1:] if not truth["name"].startswith("李") else "张" + truth["name"][1:]
    keyed = dict(identity, name=slip)  # both clerks key the same wrong surname: dual entry cannot see it
    saved = staff.ws.records.create(staff.teller, keyed)
    staff.ws.attachments.attach_scan(staff.teller, saved.record_id, reading.image_png, reading.meta)
    rid = saved.record_id
    assert staff.ws.records.submit(staff.teller, rid, saved.version).status is Status.AWAITING_SECOND_ENTRY

    with pytest.raises(PermissionDenied, match="second entry"):  # while the second entry waits, to any other clerk
        staff.ws.dual_entry.scan_opinion(staff.teller2, rid)
    assert staff.ws.dual_entry.submit(staff.teller2, rid, keyed).status is Status.AWAITING_APPROVAL
    with pytest.raises(PermissionDenied, match="second entry"):  # and afterwards, to the clerk who keyed it
        staff.ws.dual_entry.scan_opinion(staff.teller2, rid)

    opinion = staff.ws.dual_entry.scan_opinion(staff.supervisor, rid)
    assert (opinion.record_id, opinion.scans, opinion.unread) == (rid, 1, 0)
    assert "name" in [w.field for w in opinion.warnings]
    assert not any(v and v in repr(opinion) for v in (slip, truth["name"], truth["id_number"], truth["address"]))

    # Shown again (the supervisor back on the record): the same opinion, without reading the scan again; the
    # second clerk is still refused, the cache answering no one the checks refuse.
    calls: list[int] = []
    import desktop_app.services.dual_entry as dual_entry_module

    reader = dual_entry_module.read_scan
    monkey = pytest.MonkeyPatch()
    monkey.setattr(dual_entry_module, "read_scan", lambda *a, **k: (calls.append(1), reader(*a, **k))[1])
    try:
        assert staff.ws.dual_entry.scan_opinion(staff.supervisor, rid) == opinion and calls == []
        with pytest.raises(PermissionDenied, match="second entry"):
            staff.ws.dual_entry.scan_opinion(staff.teller2, rid)
        # a new version (the supervisor returns it, the maker edits) is read afresh
        staff.ws.records.reject(staff.supervisor, rid, opinion.version, "check the surname")
        staff.ws.records.save(staff.teller, rid, dict(keyed, name=truth["name"]), None)
        staff.ws.dual_entry.scan_opinion(staff.teller, rid)
        assert calls == [1]
    finally:
        monkey.undo()
