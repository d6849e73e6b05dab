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


def test_a_catalogue_replaced_while_the_app_runs_changes_nothing(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An upgrade (or a rebuild of the translations) rewrites the .qm under a running app: Qt reading a mapped file
    turned later messages English (and could crash on a shorter file). The catalogue is read into memory."""
    from PySide6.QtCore import QCoreApplication

    from desktop_app.ui.common import i18n

    shutil.copy(ROOT / "resources" / "i18n" / "desktop_app_zh_CN.qm", tmp_path / "desktop_app_zh_CN.qm")
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    try:
        assert i18n.install("zh_CN") == "zh_CN"
        before = QCoreApplication.translate("RecordView", "Customer record")
        (tmp_path / "desktop_app_zh_CN.qm").write_bytes(b"\x00" * 16)  # rewritten in place, shorter
        assert QCoreApplication.translate("RecordView", "Customer record") == before == "客户记录"
    finally:
        i18n.install("en")
