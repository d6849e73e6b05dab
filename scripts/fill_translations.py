"""Fill untranslated zh_CN entries from a small table (used when new UI strings are added).

Usage: python scripts/fill_translations.py  — reports anything still untranslated and exits 1 if so.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parents[1] / "resources" / "i18n" / "desktop_app_zh_CN.ts"

ZH = {
    "Review high-risk customers every (years)": "高风险客户定期复核间隔（年）",
    "Review medium-risk customers every (years)": "中风险客户定期复核间隔（年）",
    "Review low-risk customers every (years)": "低风险客户定期复核间隔（年）",
    "Review when the ID document expires within (days)": "证件到期前多少天需复核（天）",
    "created": "新建",
    "edited": "修改",
    "change started": "发起变更",
    "reconciled": "核对完成",
    "imported": "导入",
}


def main() -> int:
    tree = ET.parse(TS)  # noqa: S314 - our own translation file, not untrusted input
    missing = []
    for context in tree.getroot():
        for message in context.findall("message"):
            translation = message.find("translation")
            source = message.findtext("source") or ""
            if translation is None or translation.get("type") != "unfinished":
                continue
            if source in ZH:
                translation.text = ZH[source]
                del translation.attrib["type"]
            else:
                missing.append(f"{context.findtext('name')}: {source}")
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    for line in missing:
        print(f"untranslated: {line}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
