"""Every string the UI shows has a Chinese translation (new strings without one fail here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "desktop_app_zh_CN.ts"


def test_every_ui_string_is_translated_to_chinese(tmp_path: Path) -> None:
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in (ROOT / "desktop_app" / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(copy), "-no-obsolete"], check=True, capture_output=True)
    untranslated = [
        f"{context.findtext('name')}: {message.findtext('source')}"
        for context in ET.parse(copy).getroot()  # noqa: S314 - our own translation file
        for message in context.findall("message")
        if (message.find("translation") is None or message.find("translation").get("type") == "unfinished")  # type: ignore[union-attr]
    ]
    assert not untranslated, "translate these in resources/i18n/desktop_app_zh_CN.ts: " + "; ".join(untranslated)
