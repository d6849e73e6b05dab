"""Central-server fixtures: the shared ones from tests.support.central, and one server per backend per module
(tests keep to their own devices and record ids, so they can share it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server.workstations import close_databases
from tests.support.central import (  # noqa: F401 - fixtures, seen by pytest through this import
    PostgresCluster,
    ServerProcess,
    TestCA,
    postgres_cluster,
    postgres_server,
    postgres_url,
    sqlite_server,
    test_ca,
)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A running server with TLS, once on SQLite and once on PostgreSQL: the same tests run against both."""
    ca: TestCA = request.getfixturevalue("test_ca")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.sqlite3'}"
        with ServerProcess(url, ca) as running:
            yield running
        close_databases()
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    try:
        with ServerProcess(url, ca) as running:
            yield running
    finally:
        close_databases()
        cluster.drop_database(url)
