"""`desktop-app-server` as a real process: enrolment codes, devices, revocation, usage and failure exits."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.server.workstations import close_databases, enrol
from tests.support.central import ROOT, ServerProcess, TestCA, run_server_cli

CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")


def _one_line_error(out: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert out.returncode == code, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines and "error:" in lines[-1], out.stderr
    if code == 1:
        assert len(lines) == 1
    return lines[-1]


def test_enrol_code_devices_and_revoke(sqlite_server: ServerProcess) -> None:
    code = sqlite_server.enrol_code("branch-7")
    assert CODE.fullmatch(code)
    branch = enrol(sqlite_server, "ignored: the code's name wins")
    branch.close()
    close_databases()

    listed = run_server_cli("devices", "--json", db_url=sqlite_server.db_url)
    assert listed.returncode == 0, listed.stderr
    [device] = json.loads(listed.stdout)
    assert device["id"] == branch.device_id and device["revoked_at"] is None
    assert device["workstation_id"] == branch.workstation_id

    revoked = run_server_cli("revoke", branch.device_id, db_url=sqlite_server.db_url)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    again = run_server_cli("revoke", branch.device_id, db_url=sqlite_server.db_url)
    assert again.returncode == 0 and "already revoked" in again.stdout
    table = run_server_cli("devices", db_url=sqlite_server.db_url)
    assert branch.device_id in table.stdout and "revoked" in table.stdout

    assert "no device" in _one_line_error(run_server_cli("revoke", "no-such-device", db_url=sqlite_server.db_url))
    alerts = run_server_cli("audit-alerts", db_url=sqlite_server.db_url)
    assert alerts.returncode == 0 and "no audit-chain breaks" in alerts.stdout


def test_serve_refuses_bad_options_with_usage_or_one_line_errors(tmp_path: Path, test_ca: TestCA) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    _one_line_error(run_server_cli("serve", "--tls-cert", str(test_ca.server_cert), db_url=db), code=2)
    missing = run_server_cli(
        "serve", "--tls-cert", str(tmp_path / "none.pem"), "--tls-key", str(test_ca.server_key), db_url=db
    )
    assert "no such file" in _one_line_error(missing)
    assert "database" in _one_line_error(run_server_cli("devices", db_url="postgresql://nobody@127.0.0.1:1/none"))
    usage = subprocess.run(
        [sys.executable, "-m", "central_server", "frobnicate"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert usage.returncode == 2
