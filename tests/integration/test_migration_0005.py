"""Migration 0005: a store of the previous schema gains the review columns, filled from each record's latest version."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from desktop_app.domain.synthetic import generate_customer
from desktop_app.services.workstation import Workstation
from desktop_app.storage import migrate
from desktop_app.storage.engine import make_engine
from desktop_app.storage.models import Record
from desktop_app.storage.store import Store


def test_review_columns_are_filled_from_the_latest_version_on_upgrade(staff) -> None:  # type: ignore[no-untyped-def]
    ws: Workstation = staff.ws
    values = generate_customer(random.Random(5), date.today()) | {"risk_level": "medium"}
    rid = ws.records.create(staff.teller, values).record_id
    ws.records.save(staff.teller, rid, values | {"risk_level": "low"}, None)
    store: Store = ws.store
    key = store.raw_key_for_tests()
    ws.close()
    engine = make_engine(store.data_dir.database, key)
    with engine.connect() as conn:
        migrate.downgrade(conn, "0004")
        conn.commit()
    engine.dispose()
    reopened = Store.open(store.data_dir.root)
    try:
        with reopened.read() as s:
            record = s.scalars(select(Record).where(Record.id == rid)).one()
            assert (record.risk_level, record.id_valid_until) == ("low", values["id_valid_until"])
    finally:
        reopened.close()
