"""The cross-branch duplicate query (issue 15, "Across branches"): a workstation asks with hashed keys whether a
person is likely a customer of another branch, and is told the branch and the kinds of key only. A real server
process over HTTPS, on SQLite and PostgreSQL; the keys are computed by the workstation's own domain code."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import opencc
from sqlalchemy import text

from desktop_app.domain.branch_match import MATCH_PATH, match_keys
from desktop_app.domain.form_schema import load_default_form
from desktop_app.domain.sync_protocol import ItemStatus
from tests.server.workstations import Workstation, customers, enrol, https_client
from tests.support.central import ServerProcess, TestCA

FORM = load_default_form()


def _query(values: Mapping[str, str], record_id: str | None = None) -> dict[str, Any]:
    return {"record_id": record_id, "keys": [k.to_json() for k in match_keys(values, FORM)]}


def _ask(ws: Workstation, values: Mapping[str, str]) -> list[dict[str, Any]]:
    response = ws.client.post(MATCH_PATH, json=_query(values))
    assert response.status_code == 200, response.text
    matches: list[dict[str, Any]] = response.json()["matches"]
    return matches


def _revealing(values: Mapping[str, str]) -> list[str]:
    """The values of a record that would give the person away if they appeared in a request or an answer."""
    keys = ("name", "name_pinyin", "birth_date", "id_number", "mobile", "address", "email")
    found = [values[k] for k in keys if len(values.get(k, "")) >= 4]
    found += [values["birth_date"].replace("-", ""), values["id_number"][-8:]]
    return found


def test_a_match_in_another_branch_is_named_with_its_kinds_and_no_value(server: ServerProcess) -> None:
    """Branch A's approved customer is found from branch B by ID, name with birth date, and mobile; the request and
    the answer hold no value of the person and not A's record id; A asking about its own customer hears nothing."""
    a = enrol(server, "Branch A Nanjing Road")
    b = enrol(server, "Branch B Huaihai Road")
    person = customers(1)[0]
    payload = a.payload(person)
    assert a.upload([payload])[0].status == ItemStatus.STORED

    request = json.dumps(_query(person), ensure_ascii=False)
    response = b.client.post(MATCH_PATH, json=json.loads(request))
    assert response.status_code == 200, response.text
    answer = response.text
    for value in _revealing(person):
        assert value not in request and value not in answer
    assert str(payload["record_id"]) not in answer
    assert response.json() == {
        "matches": [
            {
                "workstation_id": a.workstation_id,
                "branch": "Branch A Nanjing Road",
                "kinds": ["id_document", "name_and_birth", "mobile"],
            }
        ]
    }
    assert _ask(a, person) == []  # its own branch is not "another branch"

    # Another ID document and mobile, the name in traditional characters: name and birth date still match.
    other = customers(1)[0]
    variant = dict(person, id_number=other["id_number"], mobile=other["mobile"])
    variant["name"] = opencc.OpenCC("s2t").convert(person["name"])
    assert [m["kinds"] for m in _ask(b, variant)] == [["name_and_birth"]]
    # The same name with another birth date is no match.
    assert _ask(b, dict(variant, birth_date=other["birth_date"])) == []

    with server.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT keys, answered FROM match_queries WHERE device_id = :d ORDER BY id"), {"d": b.device_id}
        ).all()
    n_person, n_variant = len(match_keys(person, FORM)), len(match_keys(variant, FORM))
    assert [(n, json.loads(told)) for n, told in rows] == [
        (n_person, [{"workstation_id": a.workstation_id, "kinds": ["id_document", "name_and_birth", "mobile"]}]),
        (n_variant, [{"workstation_id": a.workstation_id, "kinds": ["name_and_birth"]}]),
        (n_variant, []),
    ]
    a.close()
    b.close()


def test_a_new_version_replaces_the_keys_of_the_old(server: ServerProcess) -> None:
    """A customer whose mobile changed is no longer found by the old mobile."""
    a = enrol(server, "Branch A")
    b = enrol(server, "Branch B")
    person, other = customers(2)
    first = a.payload(person)
    assert a.upload([first])[0].status == ItemStatus.STORED
    changed = a.payload(dict(person, mobile=other["mobile"]), record_id=first["record_id"], version=2, base_version=1)
    assert a.upload([changed])[0].status == ItemStatus.STORED
    document = {"id_type": person["id_type"], "id_number": person["id_number"]}
    assert [m["kinds"] for m in _ask(b, dict(document, mobile=person["mobile"]))] == [["id_document"]]
    assert [m["kinds"] for m in _ask(b, dict(document, mobile=other["mobile"]))] == [["id_document", "mobile"]]
    # A mobile number alone is no match, as at the workstation: the server does not answer it (independent check).
    assert _ask(b, {"mobile": other["mobile"]}) == []
    a.close()
    b.close()


def test_a_paper_form_number_held_in_another_branch_is_reported(server: ServerProcess) -> None:
    """Issue 16: a form number unique centrally. Another branch's record keyed from a sheet with the same serial
    (another person: nothing else matches) is reported as "form_number", and the number is in no request."""
    a = enrol(server, "Branch A")
    b = enrol(server, "Branch B")
    person, other = customers(2)
    assert a.upload([a.payload(dict(person, form_number="KYC-PC1-00004321"))])[0].status == ItemStatus.STORED
    asked = dict(other, form_number="KYC-PC1-00004321")
    assert "00004321" not in json.dumps(_query(asked))
    assert [m["kinds"] for m in _ask(b, asked)] == [["form_number"]]
    assert _ask(b, dict(other, form_number="KYC-PC1-00004322")) == []
    assert _ask(a, asked) == []  # the workstation's own numbers are its own check (services/form_numbers.py)
    a.close()
    b.close()


def test_only_an_enrolled_device_may_ask(server: ServerProcess) -> None:
    """No credential or a wrong one: 401; a revoked device: 403; the shape of keys is checked (no raw value)."""
    person = customers(1)[0]
    with https_client(server) as anonymous:
        assert anonymous.post(MATCH_PATH, json=_query(person)).status_code == 401
    with https_client(server, "nobody.secret") as wrong:
        assert wrong.post(MATCH_PATH, json=_query(person)).status_code == 401
    ws = enrol(server, "Branch C")
    raw = {"keys": [{"kind": "id_document", "digest": person["id_number"]}]}
    refused = ws.client.post(MATCH_PATH, json=raw)
    assert refused.status_code == 422 and person["id_number"] not in refused.text
    server.revoke(ws.device_id)
    assert ws.client.post(MATCH_PATH, json=_query(person)).status_code == 403
    ws.close()


def test_queries_are_rate_limited_per_device(test_ca: TestCA, tmp_path: Path) -> None:
    """Past --match-queries-per-hour a device is told 429 with Retry-After; another device is not held back."""
    with ServerProcess(
        f"sqlite:///{tmp_path / 'central.sqlite3'}", test_ca, args=("--match-queries-per-hour", "2")
    ) as server:
        busy, quiet = enrol(server, "Busy"), enrol(server, "Quiet")
        person = customers(1)[0]
        assert [busy.client.post(MATCH_PATH, json=_query(person)).status_code for _ in range(3)] == [200, 200, 429]
        limited = busy.client.post(MATCH_PATH, json=_query(person))
        assert limited.json()["error"] == "rate_limited" and int(limited.headers["Retry-After"]) > 3000
        assert quiet.client.post(MATCH_PATH, json=_query(person)).status_code == 200
        busy.close()
        quiet.close()
