"""Fill untranslated zh_CN entries from a small table (used when new UI strings are added).

Usage: python scripts/fill_translations.py  — reports anything still untranslated and exits 1 if so.
"""

from __future__ import annotations

import json
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
    # Scan ID: the entry form, the scan dialog and pane, attached scans, the scanner folder setting
    "Scan": "证件扫描",
    "Scan (%1)": "证件扫描（%1）",
    "No scan is attached to this record.": "该记录没有附带证件扫描件。",
    "by": "由",
    "Scan ID (Ctrl+Shift+S)": "扫描证件 (Ctrl+Shift+S)",
    "Read the customer's ID card or passport from a scan and fill the form; you confirm each value.": (
        "从扫描件中读取客户的身份证或护照并填入表单；每个值都需要您确认。"
    ),
    "confirmed by a check digit": "已通过校验位核验",
    "from the document type": "由证件类型得出",
    "not sure: check it with care": "识别把握不大：请仔细核对",
    "read clearly": "识别清晰",
    "Read from the scan (%1, %2). Check it against the document: Enter accepts it, typing replaces it.": (
        "从扫描件读取（%1，%2）。请对照证件核对：按回车键确认，直接录入则替换。"
    ),
    "%n value(s) from the scan to confirm": "有 %n 个扫描识别的值待确认",
    "scan values confirmed": "扫描识别的值已全部确认",
    "These values were read from the scan and are not confirmed yet: %1.\n\nCheck each against the document: "
    "Tab to it and press Enter to accept it, or correct it. Then submit again.": (
        "以下值由扫描识别填入，尚未确认：%1。\n\n请逐项对照证件核对：用 Tab 键移到该字段，按回车键确认，"
        "或直接更正。然后再次提交。"
    ),
    "Confirm the scanned values": "请确认扫描识别的值",
    "Scan not kept": "扫描件未保存",
    "The record was saved, but the scan could not be kept with it: %1": "记录已保存，但扫描件未能随记录保存：%1",
    "It is tried again at the next save (Ctrl+S).": "下次保存（Ctrl+S）时将再次尝试。",
    "Scan ID document": "扫描证件",
    "Open file… (Ctrl+O)": "打开文件… (Ctrl+O)",
    "Paste image (Ctrl+V)": "粘贴图像 (Ctrl+V)",
    "Newest from scanner folder (Ctrl+R)": "扫描文件夹中最新的文件 (Ctrl+R)",
    "…or drop a scan (image or PDF) on this window.": "…或把扫描件（图像或 PDF）拖放到本窗口。",
    "Scan the ID card (each side) or the passport's photo page, then open, paste or drop the scan.": (
        "请扫描身份证（正反面各一次）或护照个人资料页，然后打开、粘贴或拖放扫描件。"
    ),
    "Value read": "识别结果",
    "Sure": "把握",
    "Fill the form (Enter)": "填入表单 (Enter)",
    "Close (Esc)": "关闭 (Esc)",
    "Open a scan": "打开扫描件",
    "Scans (%1);;All files (*)": "扫描件 (%1);;所有文件 (*)",
    "The clipboard holds no image. Copy the scan (or its file) first, then paste.": (
        "剪贴板中没有图像。请先复制扫描件（或其文件），再粘贴。"
    ),
    "No scanner folder is set for this workstation. An administrator sets it under Settings.": (
        "本机尚未设置扫描文件夹，请管理员在“设置”中设置。"
    ),
    "Reading the document… you can go on typing in the form meanwhile.": "正在识别证件… 您可以同时继续在表单中录入。",
    "No ID document was recognised on this scan. Check that the whole card (or the passport's photo page) is on "
    "it, the right way up and sharp, then scan again — or key the values by hand.": (
        "未能在扫描件中识别出证件。请确认整张证件（或护照个人资料页）完整、方向正确且清晰，然后重新扫描，或手工录入。"
    ),
    "%1: nothing on it fits the form's fields. Key the values by hand.": "%1：没有可填入表单字段的内容，请手工录入。",
    "%1. Check the values; Space ticks or unticks one; Enter fills the ticked ones into the form.": (
        "%1。请核对识别结果；空格键勾选或取消勾选；回车键把勾选的值填入表单。"
    ),
    "replaces what is typed: %1": "将替换已录入的：%1",
    "check with care": "请仔细核对",
    "Tick at least one value to fill in (Space), or close.": "请至少勾选一个要填入的值（空格键），或关闭。",
    "Filled into the form. Scan the other side or another document, or close.": (
        "已填入表单。可继续扫描证件另一面或其他证件，或关闭。"
    ),
    "No scan yet": "尚无扫描件",
    "Check each marked field against the document: Tab to it, Enter accepts it; typing over it makes it your own "
    "value.": "请对照证件逐项核对带标记的字段：用 Tab 键移到该字段，按回车键确认；直接录入则以您录入的为准。",
    "Still to confirm (%1): %2": "待确认（%1）：%2",
    "Every value from the scan is confirmed.": "扫描识别的值已全部确认。",
    "Resident ID card, portrait side": "居民身份证（人像面）",
    "Resident ID card, emblem side": "居民身份证（国徽面）",
    "Passport": "护照",
    "Identity card (machine-readable zone TD1)": "身份证件（TD1 机读区）",
    "Identity card or visa (machine-readable zone TD2)": "身份证件或签证（TD2 机读区）",
    "No document recognised": "未识别出证件",
    "not set": "未设置",
    "Where this workstation's scanner saves its files; Scan ID can take the newest one from there.": (
        "本机扫描仪保存文件的文件夹；“扫描证件”可直接读取其中最新的文件。"
    ),
    "Choose…": "选择…",
    "Scanner folder": "扫描文件夹",
    # sync: status bar, Sync page, enrolment
    "Sync": "同步",
    "Sync: …": "同步：…",
    "Sync: on": "同步：已开启",
    "Sync: off": "同步：未开启",
    "Sync: not configured": "同步：未配置",
    "Sync: status unavailable": "同步：状态不可用",
    "The sync state could not be read; details are in the log file.": "无法读取同步状态，详情见日志文件。",
    "Sync: %n pending": "同步：待发送 %n 条",
    "%n refused": "被拒 %n 条",
    "%n conflict(s)": "冲突 %n 条",
    "syncing…": "正在同步…",
    "last error: %1": "上次错误：%1",
    "last success %1": "上次成功 %1",
    "not synced yet": "尚未同步成功",
    "Last success: %1": "上次成功：%1",
    "Last success: never": "上次成功：从未",
    "Online": "在线",
    "Offline": "离线",
    "⚠ Sync over plain HTTP (this computer only)": "⚠ 同步使用明文 HTTP（仅限本机）",
    "The central server is reached without encryption. This is allowed only to this computer (tests, or a local "
    "TLS proxy); an administrator should enrol with an https:// address.": (
        "与中央服务器的连接未加密。只允许连接本机（测试或本机的 TLS 代理）；管理员应使用 https:// 地址重新登记。"
    ),
    "Version": "版本",
    "State": "状态",
    "Attempts": "尝试次数",
    "Next attempt": "下次尝试",
    "Queued": "入队时间",
    "Acknowledged": "已确认",
    "Last error / the server's reasons": "上次错误 / 服务器给出的原因",
    "Pending": "待发送",
    "Refused": "被拒绝",
    "Version conflict": "版本冲突",
    "Key conflict": "键冲突",
    "Central copy: record %1, version %2, from workstation %3": "中央副本：记录 %1，版本 %2，来自工作站 %3",
    "The central server holds different content for this record version; nothing was applied. Tell the central "
    "administrator.": "中央服务器上该记录版本的内容与本地不同，未做任何更改。请通知中央管理员。",
    "next run": "下次同步",
    "All rows": "全部",
    "Show": "显示",
    "Sync now": "立即同步",
    "Send every pending row now, also those waiting before their next attempt, then the audit trail.": (
        "立即发送所有待发送的记录（包括正在等待下次尝试的），然后上传审计日志。"
    ),
    "Cancel": "取消",
    "Stop after the batch being sent; the rest stays pending.": "发送完当前批次后停止，其余记录仍待发送。",
    "%v of %m": "%v / %m",
    "Retry selected (Ctrl+R)": "重试所选 (Ctrl+R)",
    "Send the selected rows again at the next sync, once what the server objected to is fixed.": (
        "在服务器指出的问题纠正后，于下次同步时重新发送所选记录。"
    ),
    "<b>Outbox</b> — approved records for the central server": "<b>发件箱</b> — 待发往中央服务器的已审批记录",
    "%n row(s)": "%n 条",
    "%1 of %2 rows (scroll for more)": "%1 / %2 条（向下滚动加载更多）",
    "Pending: %1": "待发送：%1",
    "Refused: %1": "被拒绝：%1",
    "Conflicts: %1": "冲突：%1",
    "Acknowledged: %1": "已确认：%1",
    "A sync is running…": "正在同步…",
    "This workstation is not enrolled with a central server: records wait here. An administrator enrols it under "
    "Settings.": "本工作站尚未在中央服务器登记，记录暂存在本机。请管理员在“设置”中登记。",
    "Central server %1 · device %2 · audit trail anchored up to entry %3 of %4": (
        "中央服务器 %1 · 设备 %2 · 审计日志已上传至第 %3 条（共 %4 条）"
    ),
    "Plain HTTP: records go to this computer unencrypted (allowed only to this computer). Enrol again with an "
    "https:// address for a real server.": (
        "明文 HTTP：记录以未加密方式发往本机（仅允许连接本机）。连接正式服务器请使用 https:// 地址重新登记。"
    ),
    "Select a row to see what the central server said about it.": "选择一行可查看中央服务器的答复。",
    "Record %1, version %2: %3": "记录 %1，版本 %2：%3",
    "Syncing…": "正在同步…",
    "Cancelling after the batch being sent…": "正在取消，当前批次发送完后停止…",
    "Syncing: %1 of %2 records sent…": "正在同步：已发送 %1 / %2 条记录…",
    "No records due; anchoring the audit trail…": "没有待发送的记录，正在上传审计日志…",
    "%1 sent, %2 acknowledged, %3 refused, %4 conflict(s), %5 audit entries anchored.": (
        "已发送 %1 条，已确认 %2 条，被拒绝 %3 条，冲突 %4 条，审计日志上传 %5 条。"
    ),
    "The sync did not finish: %1": "同步未完成：%1",
    "Sync cancelled; the rest stays pending for the next run.": "同步已取消，其余记录留待下次同步。",
    "Sync finished:": "同步完成：",
    "Refused and conflicting rows are highlighted below.": "被拒绝和冲突的记录已在下方突出显示。",
    "Select the rows to send again (Shift or Ctrl for several).": (
        "请选择要重新发送的记录（按住 Shift 或 Ctrl 可多选）。"
    ),
    "%n row(s) will be sent again at the next sync.": "%n 条记录将在下次同步时重新发送。",
    "%1 of %2 selected rows will be sent again at the next sync; the others were left as they are.": (
        "所选 %2 条中有 %1 条将在下次同步时重新发送，其余保持不变。"
    ),
    "Retry": "重试",
    "not enrolled": "未登记",
    "Enrol…": "登记…",
    "Enrol this workstation with the central server using a one-time code.": (
        "使用一次性登记码在中央服务器登记本工作站。"
    ),
    "Not enrolled: approved records wait on this workstation.": "未登记：已审批的记录暂存在本工作站。",
    "Enrolled as device %1.": "已登记为设备 %1。",
    "⚠ Plain HTTP: allowed only to this computer; enrol with https:// for a real server.": (
        "⚠ 明文 HTTP：仅允许连接本机；连接正式服务器请使用 https:// 登记。"
    ),
    "Enrol with the central server": "在中央服务器登记",
    "the operating system's trusted certificates": "操作系统信任的证书",
    "The central administrator gives you a one-time enrolment code. This workstation exchanges it for its own "
    "credential, kept in the operating system's credential store.": (
        "中央管理员会提供一次性登记码。本工作站用它换取自己的凭据，凭据保存在操作系统的凭据存储中。"
    ),
    "Already enrolled as device %1. Enrolling again replaces its credential, and the whole audit trail is anchored "
    "again under the new device.": "已登记为设备 %1。重新登记将替换其凭据，全部审计日志将以新设备重新上传。",
    "Central server address": "中央服务器地址",
    "Enrolment code": "登记码",
    "CA certificate (PEM)": "CA 证书（PEM）",
    "Workstation name (optional)": "工作站名称（可选）",
    "Enrol": "登记",
    "CA certificate": "CA 证书",
    "Certificates (*.pem *.crt *.cer);;All files (*)": "证书 (*.pem *.crt *.cer);;所有文件 (*)",
    "Enrolling with %1…": "正在向 %1 登记…",
    "Enrolled with %1 as device %2. Approved records will now be sent.": (
        "已在 %1 登记为设备 %2。已审批的记录将开始发送。"
    ),
    "Plain HTTP: allowed only to this computer; records are not encrypted on the way.": (
        "明文 HTTP：仅允许连接本机；记录在传输中不加密。"
    ),
}


# Each area's strings may also live in scripts/zh_CN/<area>.json ({"English source": "中文"}), so that work on
# separate screens does not edit one table.
for _extra in sorted((Path(__file__).resolve().parent / "zh_CN").glob("*.json")):
    ZH.update(json.loads(_extra.read_text(encoding="utf-8")))


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
