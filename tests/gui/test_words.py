"""Words a person reads (issue 13 item 14): no stored codes or the program's own English in the record's history
and timeline; times in the one local format."""

from __future__ import annotations

import random
from datetime import date

from desktop_app.domain.synthetic import generate_customer
from desktop_app.ui.common import i18n
from tests.conftest import Staff
from tests.gui.settle import open_record


def _texts(table) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())]


def test_item_14_history_and_timeline_show_labels_not_codes(qtbot, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 item 14: history showed `retired`, `50k_100k`, `low`; the timeline `submitted`, `second entry`."""
    i18n.install("zh_CN")
    try:
        staff.ws.settings.set(staff.admin, "dual_entry_policy", "none")
        values = generate_customer(random.Random(1401), date.today())
        values.update(occupation="retired", annual_income_band="50k_100k", risk_level="low")
        saved = staff.ws.records.create(staff.teller, values)
        staff.ws.records.save(staff.teller, saved.record_id, dict(values, risk_level="high"), saved.version)
        staff.ws.records.submit(staff.teller, saved.record_id, None)
        view = open_record(qtbot, staff.ws, staff.teller, saved.record_id)
        view.version_list.setCurrentRow(0)
        first = _texts(view.diff)
        assert not {"retired", "50k_100k", "low"} & set(first)
        assert "低" in first
        timeline = view.findChild(type(view.diff), "timeline")
        assert timeline is not None
        reasons = [timeline.item(r, 5).text() for r in range(timeline.rowCount())]
        assert "submitted" not in reasons and "已提交" in reasons
        times = [timeline.item(r, 0).text() for r in range(timeline.rowCount())]
        assert times and all("UTC" not in t and ":" in t for t in times)
    finally:
        i18n.install("en")
