"""Fill untranslated zh_CN entries from a small table (used when new UI strings are added).

Usage: python scripts/fill_translations.py  — reports anything still untranslated and exits 1 if so.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parents[1] / "resources" / "i18n" / "desktop_app_zh_CN.ts"

ZH = {
    "&Session": "会话(&S)",
    "Lock screen": "锁定屏幕",
    "Change password…": "修改密码…",
    "Switch user / sign out": "切换用户 / 退出登录",
    "Review high-risk customers every (years)": "高风险客户定期复核间隔（年）",
    "Review medium-risk customers every (years)": "中风险客户定期复核间隔（年）",
    "Review low-risk customers every (years)": "低风险客户定期复核间隔（年）",
    "Review when the ID document expires within (days)": "证件到期前多少天需复核（天）",
    "created": "新建",
    "edited": "修改",
    "change started": "发起变更",
    "reconciled": "核对完成",
    "imported": "导入",
    # dual entry: second-entry queue, reconciliation, approval queue, statistics
    "Second-entry queue": "第二次录入队列",
    "Reconciliation": "差异核对",
    "Dual-entry statistics": "双人录入差错统计",
    "Record": "记录",
    "Keyed by": "录入人",
    "Submitted": "提交时间",
    "Note": "备注",
    "Name": "姓名",
    "Last change": "最后修改",
    "Refresh (F5)": "刷新 (F5)",
    "Refresh": "刷新",
    "loading…": "正在加载…",
    "%n waiting": "待处理 %n 条",
    "Field": "字段",
    "Entry 1": "第一次录入",
    "Entry 2": "第二次录入",
    "entry 1": "第一次录入",
    "entry 2": "第二次录入",
    "Chosen": "采用值",
    "Chosen value": "采用值",
    "Reason": "原因",
    "Resolver": "核对人",
    "typed": "另行录入",
    "version": "版本",
    "keyed by": "录入人",
    "New customer": "新开客户",
    "Send second entry (Ctrl+Enter)": "提交第二次录入 (Ctrl+Enter)",
    "<b>Second entry</b> of record %1": "记录 %1 的<b>第二次录入</b>",
    "Key the paper form again without seeing the first entry. Enter opens the selected record.": (
        "请对照纸质表单重新录入（看不到第一次录入的内容）。按回车键打开所选记录。"
    ),
    "Back to the queue (Esc)": "返回队列 (Esc)",
    "Record %1: %n field(s) differ: sent for reconciliation.": "记录 %1：有 %n 个字段不一致，已转入核对。",
    "Record %1: the entries match: sent for approval.": "记录 %1：两次录入一致，已提交审批。",
    "Reconcile the two entries": "核对两次录入",
    "<b>Record %1</b> — entry 1 keyed by %2, entry 2 keyed by %3. %4 field(s) differ.": (
        "<b>记录 %1</b> — 第一次录入：%2，第二次录入：%3。共 %4 个字段不一致。"
    ),
    "Check the paper form. 1 = entry 1, 2 = entry 2 (moves to the next field); if both are wrong, "
    "Tab to 'Other value', type what the paper says and give a reason. Enter settles the record.": (
        "请对照纸质表单：按 1 采用第一次录入，按 2 采用第二次录入（自动跳到下一字段）；如两次都不对，"
        "按 Tab 到“其他值”，按纸质表单录入并填写原因。按回车键完成核对。"
    ),
    "only when both entries are wrong": "仅在两次录入都不正确时填写",
    "e.g. the paper form says …": "例如：纸质表单为……",
    "Other value (this row)": "其他值（当前行）",
    "Reason (this row)": "原因（当前行）",
    "Settle and send for approval (Enter)": "完成核对并提交审批 (Enter)",
    "Cancel (Esc)": "取消 (Esc)",
    "entry 1: %1": "第一次录入：%1",
    "entry 2: %1": "第二次录入：%1",
    "typed: %1": "另行录入：%1",
    "— press 1 or 2 —": "— 请按 1 或 2 —",
    "Decide every row first: press 1 or 2, or type another value.": "请先逐行确认：按 1 或 2，或录入其他值。",
    "A typed value needs a reason: what does the paper form say?": "另行录入的值须填写原因（纸质表单上写的是什么）。",
    "The two entries of these records differ. Enter opens the selected record.": (
        "以下记录的两次录入不一致。按回车键打开所选记录进行核对。"
    ),
    "Approve (A)": "审批通过 (A)",
    "Return to maker… (R)": "退回录入人… (R)",
    "Approve checked (B)": "批量审批勾选记录 (B)",
    "Records with a warning are skipped: approve those one by one.": "有提示的记录不会批量通过，请逐条审批。",
    "<b>Awaiting approval</b> (oldest first)": "<b>待审批</b>（最早提交的在前）",
    "Approved value": "已审批的值",
    "Proposed value": "变更后的值",
    "Values": "录入内容",
    "Dual entry": "双人录入",
    "Changes": "变更内容",
    "you keyed or reconciled this": "您参与了录入或核对",
    "change": "变更",
    "Four eyes: someone else must approve a record you took part in.": "双人复核：您参与过的记录须由其他主管审批。",
    "Nothing selected.": "未选择记录。",
    "Change to an approved record": "已审批记录的变更",
    "you keyed or reconciled this: another supervisor approves it": "您参与了录入或核对，须由其他主管审批",
    "Second entry keyed by %1.": "第二次录入：%1。",
    "Differences settled by %1.": "差异核对：%1。",
    "The two entries matched.": "两次录入一致。",
    "No second entry (not required by the branch's policy).": "无第二次录入（本网点设置不要求）。",
    "Dual entry (%1)": "双人录入 (%1)",
    "Changes (%1)": "变更内容 (%1)",
    "Record %1 approved.": "记录 %1 已审批通过。",
    "Record %1 returned to its maker.": "记录 %1 已退回录入人。",
    "%n record(s) approved.": "已审批通过 %n 条记录。",
    "Skipped: %1": "未通过：%1",
    "Return to maker": "退回录入人",
    "What the maker should correct (required for 'Other')": "需录入人更正的内容（选择“其他”时必填）",
    "Record %1 — reason (↑/↓, then Tab):": "记录 %1 — 退回原因（↑/↓ 选择，Tab 继续）：",
    "Details (the maker sees them):": "具体说明（录入人可见）：",
    "Last 30 days": "最近 30 天",
    "Last 7 days": "最近 7 天",
    "Last 365 days": "最近 365 天",
    "All time": "全部",
    "Export CSV…": "导出 CSV…",
    "Period:": "统计期间：",
    "Clerk": "柜员",
    "Forms": "表单数",
    "Fields": "字段数",
    "Keying errors": "录入差错",
    "Error rate": "差错率",
    "Compared": "比对次数",
    "Differing": "不一致次数",
    "Difference rate": "不一致率",
    "Day": "日期",
    "Forms compared": "比对表单数",
    "With differences": "有差异表单数",
    "Rate": "比率",
    "Per clerk": "按柜员",
    "Per field": "按字段",
    "Per day": "按日期",
    "A keying error is a field the reconciliation settled against that clerk's entry. "
    "Rates count only records that had a second entry.": (
        "录入差错：核对时未采用该柜员录入值的字段。比率仅统计已完成第二次录入的记录。"
    ),
    "%n form(s) compared": "已比对 %n 份表单",
    "Export dual-entry statistics": "导出双人录入差错统计",
    "CSV files (*.csv)": "CSV 文件 (*.csv)",
    "Saved %1": "已保存至 %1",
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
                forms = translation.findall("numerusform")
                if message.get("numerus") == "yes":  # Chinese has one plural form
                    for form in forms or [ET.SubElement(translation, "numerusform")]:
                        form.text = ZH[source]
                else:
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
