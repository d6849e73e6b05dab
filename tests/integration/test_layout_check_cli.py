"""`desktop-app layout-check` as a real process (issue 16: the layout file is validated with clear errors): a bank's
IT checks a new layout before putting it beside the form schema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "resources" / "forms" / "personal_customer.v1.layout.yaml"


def layout_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "layout-check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


def shipped_with(path: Path, line: str, instead: str) -> Path:
    """The shipped layout with `line` (which it must hold) written `instead`, saved at `path`."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert line in text, line
    path.write_text(text.replace(line, instead), encoding="utf-8")
    return path


def test_the_shipped_layout_passes_and_says_what_it_holds() -> None:
    done = layout_check(SHIPPED)
    assert done.returncode == 0, done.stderr
    assert "2 page(s)" in done.stdout and "personal_customer.v1.layout.yaml" in done.stdout


def test_a_region_off_the_page_and_an_unknown_field_are_each_named(tmp_path: Path) -> None:
    bad = shipped_with(
        tmp_path / "bad.layout.yaml",
        "form_number: {page: 1, box: [120, 30, 162, 40]}",
        "form_number: {page: 1, box: [120, 30, 262, 40]}\n  nickname: {page: 1, box: [1, 1, 5, 5]}",
    )
    done = layout_check(bad)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "'form_number'" in done.stderr and "off the page" in done.stderr
    assert "'nickname'" in done.stderr and "no such field" in done.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("fields: [unclosed", encoding="utf-8")
    done = layout_check(broken)
    assert done.returncode == 1 and "not a valid YAML file" in done.stderr and "Traceback" not in done.stderr


def test_a_field_given_twice_is_refused_not_silently_the_later_box(tmp_path: Path) -> None:
    """Re-check of issue 16: YAML keeps the last of two equal keys without a word."""
    twice = shipped_with(
        tmp_path / "twice.layout.yaml",
        "  name: {page: 1, box: [60, 60, 200, 72]}",
        "  name: {page: 1, box: [60, 60, 200, 72]}\n  name: {page: 1, box: [60, 90, 200, 100]}",
    )
    done = layout_check(twice)
    assert done.returncode == 1 and "'name' is given twice" in done.stderr and "Traceback" not in done.stderr
