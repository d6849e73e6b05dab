"""POST /v1/records/pages (issue 16): a real server process over HTTPS, on SQLite and PostgreSQL, started with and
without --accept-paper-pages. A page belongs to a record version the device's workstation stored; its image is
checked against its SHA-256; a page sent again is recognised, another image for it refused; each refusal says why."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop_app.domain.sync_protocol import PAGES_PATH, STATUS_PATH, ItemStatus
from tests.server.workstations import Workstation, customers, enrol
from tests.support.central import PostgresCluster, ServerProcess, TestCA


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def taking(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server that takes pages, on each backend."""
    ca: TestCA = request.getfixturevalue("test_ca")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'central.sqlite3'}"
        with ServerProcess(url, ca, args=("--accept-paper-pages",)) as running:
            yield running
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    try:
        with ServerProcess(url, ca, args=("--accept-paper-pages",)) as running:
            yield running
    finally:
        cluster.drop_database(url)


def _page(record_id: str, content: bytes, page_no: int = 1, version: int = 1, **changes: Any) -> dict[str, Any]:
    body = {
        "record_id": record_id,
        "version": version,
        "page_no": page_no,
        "sha256": hashlib.sha256(content).hexdigest(),
        "media_type": "image/jpeg",
        "content": base64.b64encode(content).decode(),
    }
    return body | changes


def _stored(ws: Workstation) -> str:
    payload = ws.payload(customers(1)[0])
    assert ws.upload([payload])[0].status == ItemStatus.STORED
    return str(payload["record_id"])


def test_a_page_is_stored_once_and_recognised_when_sent_again(taking: ServerProcess) -> None:
    ws = enrol(taking, "Branch P")
    assert ws.client.get(STATUS_PATH).json()["paper_pages"] is True
    rid = _stored(ws)
    image = b"\xff\xd8synthetic page one\xff\xd9"
    first = ws.client.post(PAGES_PATH, json=_page(rid, image))
    assert first.status_code == 200 and first.json() == {"status": "stored"}, first.text
    again = ws.client.post(PAGES_PATH, json=_page(rid, image))
    assert again.status_code == 200 and again.json() == {"status": "duplicate"}
    other = ws.client.post(PAGES_PATH, json=_page(rid, b"\xff\xd8another image\xff\xd9"))
    assert other.status_code == 409 and other.json()["error"] == "page_conflict"
    second = ws.client.post(PAGES_PATH, json=_page(rid, image, page_no=2))  # the same image on another page
    assert second.json() == {"status": "stored"}
    with taking.engine.connect() as c:
        blobs = c.execute(text("SELECT count(*) FROM paper_page_blobs")).scalar_one()
        pages = c.execute(text("SELECT page_no FROM paper_pages WHERE record_id = :r ORDER BY page_no"), {"r": rid})
        assert [p for (p,) in pages] == [1, 2]
    assert blobs >= 1
    ws.close()


def test_refusals_say_why(taking: ServerProcess) -> None:
    ws = enrol(taking, "Branch Q")
    other = enrol(taking, "Branch R")
    rid = _stored(ws)
    image = b"\xff\xd8page\xff\xd9"
    cases = [
        (_page(rid, image, sha256="0" * 64), 422, "digest_mismatch"),
        (_page("0" * 8 + "-aaaa-bbbb-cccc-" + "0" * 12, image), 409, "record_not_stored"),
        (_page(rid, image, version=2), 409, "record_not_stored"),
        (_page(rid, image) | {"content": "not base64 at all!"}, 422, "bad_page"),
    ]
    for body, status, code in cases:
        answer = ws.client.post(PAGES_PATH, json=body)
        assert (answer.status_code, answer.json().get("error")) == (status, code), answer.text
    stolen = other.client.post(PAGES_PATH, json=_page(rid, image))
    assert (stolen.status_code, stolen.json()["error"]) == (409, "wrong_workstation")
    shape = ws.client.post(PAGES_PATH, json=_page(rid, image, media_type="application/pdf"))
    assert shape.status_code == 422
    ws.close()
    other.close()


def test_a_server_that_does_not_take_pages_says_so(sqlite_server: ServerProcess, tmp_path: Path) -> None:
    ws = enrol(sqlite_server, "Branch S")
    assert ws.client.get(STATUS_PATH).json()["paper_pages"] is False
    rid = _stored(ws)
    answer = ws.client.post(PAGES_PATH, json=_page(rid, b"\xff\xd8page\xff\xd9"))
    assert (answer.status_code, answer.json()["error"]) == (404, "pages_not_taken")
    ws.close()
