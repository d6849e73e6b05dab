"""SANE's `test` backend as a real scanner for the tests and bench_paper: a configuration folder of our own (the
system's dll.conf leaves the backend off) with an A4-sized bed, pointed to by SANE_CONFIG_DIR before libsane
starts. The backend's feeder holds 10 sheets; its `read_return_value` option makes a page end jammed or with an
I/O error (a scanner unplugged mid-feed)."""

from __future__ import annotations

import os
from pathlib import Path

TEST_CONF = """\
number_of_devices 2
mode Color
depth 8
resolution 300
geometry_min 0.0
geometry_max 300.0
geometry_quant 1.0
tl_x 0.0
tl_y 0.0
br_x 210.0
br_y 297.0
test-picture "Color pattern"
"""

FEEDER_SHEETS = 10  # what the test backend's document feeder holds


def use_test_backend(folder: Path) -> None:
    """Point libsane at a configuration with only the test backend (call before the first scan in a process)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dll.conf").write_text("test\n", encoding="utf-8")
    (folder / "test.conf").write_text(TEST_CONF, encoding="utf-8")
    os.environ["SANE_CONFIG_DIR"] = str(folder)
