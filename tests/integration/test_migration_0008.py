"""Migration 0008: a store of the previous schema gains records.birth_date (a blocking key of the duplicate check),
filled from each record's latest version, and the table of same/different-person decisions."""

from __future__ import annotations

from sqlalchemy import inspect, select

from desktop_app.services.workstation import Workstation
from desktop_app.storage import migrate
from desktop_app.storage.engine import make_engine
from desktop_app.storage.models import Record
from desktop_app.storage.store import Store
from tests.support.customers import resident


def test_birth_dates_are_filled_from_the_latest_version_on_upgrade(staff) -> None:  # type: ignore[no-untyped-def]
    ws: Workstation = staff.ws
    values = resident(8)
    rid = ws.records.create(staff.teller, values).record_id
    ws.records.save(staff.teller, rid, values | {"birth_date": "1980-02-29"}, None)
    store: Store = ws.store
    key = store.raw_key_for_tests()
    ws.close()
    engine = make_engine(store.data_dir.database, key)
    with engine.connect() as conn:
        migrate.downgrade(conn, "0007")
        conn.commit()
        assert "birth_date" not in {c["name"] for c in inspect(conn).get_columns("records")}
    engine.dispose()
    reopened = Store.open(store.data_dir.root)
    try:
        with reopened.read() as s:
            assert s.scalars(select(Record.birth_date).where(Record.id == rid)).one() == "1980-02-29"
            assert "duplicate_decisions" in inspect(s.connection()).get_table_names()
    finally:
        reopened.close()
