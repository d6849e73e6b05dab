"""Find the independent SQLCipher 4 command-line shell that the set-up provides."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sqlcipher_shell() -> str:
    """The path of a SQLCipher 4 shell; AssertionError with what to run when there is none."""
    candidates = [
        os.environ.get("DESKTOP_APP_SQLCIPHER_SHELL"),
        str(ROOT / ".tools" / "bin" / "sqlcipher"),
        shutil.which("sqlcipher"),
    ]
    for candidate in candidates:
        if not candidate or not Path(candidate).exists():
            continue
        out = subprocess.run(
            [candidate, ":memory:"], input="PRAGMA cipher_version;\n", capture_output=True, text=True, timeout=30
        )
        if out.stdout.strip().startswith("4."):
            return candidate
    raise AssertionError("no SQLCipher 4 shell found: run 'make setup' (scripts/ensure-sqlcipher-shell.sh)")


def run_shell(db: Path, key: bytes, sql: str) -> subprocess.CompletedProcess[str]:
    """Run `sql` in the independent shell against `db` opened with the raw key."""
    # the shell answers "ok" to PRAGMA key: send that to /dev/null so stdout holds only the query's rows
    script = f".output /dev/null\nPRAGMA key = \"x'{key.hex()}'\";\n.output stdout\n{sql}\n"
    return subprocess.run([sqlcipher_shell(), str(db)], input=script, capture_output=True, text=True, timeout=60)
