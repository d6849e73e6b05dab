<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Actor</name>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="114"/>
        <source>this workstation (automatic)</source>
        <translation>本工作站（自动）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="116"/>
        <source>scheduled sync (automatic)</source>
        <translation>定时同步（自动）</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop_app/ui/session/app.py" line="49"/>
        <source>The passphrase is wrong. Type it again (it is case-sensitive).</source>
        <translation>口令不正确。请重新输入（区分大小写）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/app.py" line="61"/>
        <source>Key passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/app.py" line="62"/>
        <source>Passphrase that protects this workstation&apos;s data:</source>
        <translation>保护本工作站数据的密钥口令：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/app.py" line="76"/>
        <location filename="../../desktop_app/ui/session/app.py" line="80"/>
        <source>Cannot open the data</source>
        <translation>无法打开数据</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/app.py" line="78"/>
        <source>Wrong passphrase</source>
        <translation>口令错误</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/app.py" line="150"/>
        <source>Already open</source>
        <translation>程序已打开</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/app.py" line="151"/>
        <source>The program is already open on this computer (or a restore is running). Use that window.</source>
        <translation>本机已打开本程序（或正在恢复备份）。请使用已打开的窗口。</translation>
    </message>
</context>
<context>
    <name>ApprovalPage</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="172"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="172"/>
        <source>Keyed by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="172"/>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="172"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="184"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="189"/>
        <source>Return to maker… (R)</source>
        <translation>退回录入人… (R)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="186"/>
        <source>Approve… (A)</source>
        <translation>审批通过… (A)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="192"/>
        <source>Approve checked… (B)</source>
        <translation>批量审批勾选记录… (B)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="194"/>
        <source>Records with a warning are skipped: approve those one by one.</source>
        <translation>有提示的记录不会批量通过，请逐条审批。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="205"/>
        <source>&lt;b&gt;Awaiting approval&lt;/b&gt; (oldest first)</source>
        <translation>&lt;b&gt;待审批&lt;/b&gt;（最早提交的在前）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="237"/>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="250"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="238"/>
        <source>Entry 1</source>
        <translation>第一次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="239"/>
        <source>Entry 2</source>
        <translation>第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="240"/>
        <source>Chosen</source>
        <translation>采用值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="241"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="242"/>
        <source>Resolver</source>
        <translation>核对人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="250"/>
        <source>Approved value</source>
        <translation>已审批的值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="250"/>
        <source>Proposed value</source>
        <translation>变更后的值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="320"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="254"/>
        <source>Values (V)</source>
        <translation>录入内容 (V)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="255"/>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="507"/>
        <source>Dual entry (D)</source>
        <translation>双人录入 (D)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="256"/>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="508"/>
        <source>Changes (C)</source>
        <translation>变更内容 (C)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="258"/>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="509"/>
        <source>Scan (S)</source>
        <translation>证件扫描 (S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="262"/>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="268"/>
        <source>Duplicates (U)</source>
        <translation>疑似重复 (U)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="265"/>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="269"/>
        <source>Watchlist (W)</source>
        <translation>名单筛查 (W)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="272"/>
        <source>Paper (P)</source>
        <translation>纸质表单 (P)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="332"/>
        <source>you keyed or reconciled this</source>
        <translation>您参与了录入或核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="333"/>
        <source>change</source>
        <translation>变更</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="352"/>
        <source>Four eyes: someone else must approve a record you took part in.</source>
        <translation>双人复核：您参与过的记录须由其他主管审批。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="355"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>待处理 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="422"/>
        <source>Nothing selected.</source>
        <translation>未选择记录。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="431"/>
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="431"/>
        <source>keyed by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="432"/>
        <source>Change to an approved record</source>
        <translation>已审批记录的变更</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="432"/>
        <source>New customer</source>
        <translation>新开客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="433"/>
        <source>you keyed or reconciled this: another supervisor approves it</source>
        <translation>您参与了录入或核对，须由其他主管审批</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="459"/>
        <source>Second entry keyed by %1.</source>
        <translation>第二次录入：%1。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="461"/>
        <source>Differences settled by %1.</source>
        <translation>差异核对：%1。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="463"/>
        <source>The two entries matched.</source>
        <translation>两次录入一致。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="465"/>
        <source>No second entry (not required by the branch&apos;s policy).</source>
        <translation>无第二次录入（本网点设置不要求）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="467"/>
        <source>entry 1</source>
        <translation>第一次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="467"/>
        <source>entry 2</source>
        <translation>第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="467"/>
        <source>typed</source>
        <translation>另行录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="524"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="525"/>
        <source>The scan reads differently: %1. Check these on the paper form.</source>
        <translation>证件扫描识别结果与录入值不一致：%1。请对照纸质表格核对。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="558"/>
        <source>Returned to the maker: same person as an existing customer.</source>
        <translation>已退回录入人：与现有客户为同一人。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="568"/>
        <source>Approve</source>
        <translation>审批通过</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="571"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="595"/>
        <source>a change to an approved customer</source>
        <translation>对已审批客户的变更</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="595"/>
        <source>a new customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="597"/>
        <source>Approve record %1 (%2)? It goes to the central server at the next sync.</source>
        <translation>确认审批通过记录 %1（%2）？下次同步时将发送至中央服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="600"/>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="640"/>
        <source>Approve (Enter)</source>
        <translation>审批通过（回车）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="605"/>
        <source>Record %1 approved.</source>
        <translation>记录 %1 已审批通过。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="617"/>
        <source>Record %1 returned to its maker.</source>
        <translation>记录 %1 已退回录入人。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="639"/>
        <source>Approve %n record(s)? Records with a warning are skipped.</source>
        <translation>
            <numerusform>确认审批通过 %n 条记录？有警告的记录将被跳过。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="648"/>
        <source>%n record(s) approved.</source>
        <translation>
            <numerusform>已审批通过 %n 条记录。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="650"/>
        <source>Skipped: %1</source>
        <translation>未通过：%1</translation>
    </message>
</context>
<context>
    <name>AttachedScans</name>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="674"/>
        <source>No scan is attached to this record.</source>
        <translation>该记录没有附带证件扫描件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="694"/>
        <source>by</source>
        <translation>由</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="720"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
</context>
<context>
    <name>AuditAction</name>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="124"/>
        <source>approval opened</source>
        <translation>打开审批</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="125"/>
        <source>attachment added</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="126"/>
        <source>attachment viewed</source>
        <translation>查看附件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="127"/>
        <source>audit log exported</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="128"/>
        <source>backup taken</source>
        <translation>创建备份</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="129"/>
        <source>backup restored</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="130"/>
        <source>demo data added</source>
        <translation>添加演示数据</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="131"/>
        <source>likely existing customers shown</source>
        <translation>显示疑似已存在客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="132"/>
        <source>check for an existing customer paused: too many different values checked</source>
        <translation>查重暂停：核对的不同值过多</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="135"/>
        <source>same or different person decided</source>
        <translation>认定是否为同一人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="136"/>
        <source>likely existing customers viewed</source>
        <translation>查看疑似已存在客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="137"/>
        <source>likely match in another branch</source>
        <translation>其他网点可能有同一客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="138"/>
        <source>likely match in another branch found after approval: seen</source>
        <translation>审批后发现的其他网点可能匹配：已查看</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="141"/>
        <source>paper form page added</source>
        <translation>已添加纸质表单页面</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="142"/>
        <source>paper form page taken out</source>
        <translation>纸质表单页已移除</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="143"/>
        <source>earlier paper form pages restored</source>
        <translation>恢复较早的纸质表单页面</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="144"/>
        <source>paper form page viewed</source>
        <translation>已查看纸质表单页面</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="145"/>
        <source>paper form pages sent to the central server</source>
        <translation>纸质表单页面已发送至中央服务器</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="146"/>
        <source>watchlist hit found</source>
        <translation>发现名单筛查命中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="147"/>
        <source>screening list imported</source>
        <translation>已导入筛查名单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="148"/>
        <source>screening list refused</source>
        <translation>筛查名单被拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="149"/>
        <source>customers re-screened</source>
        <translation>已重新筛查客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="150"/>
        <source>form number taken by the record</source>
        <translation>记录占用表单编号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="151"/>
        <source>import layout saved</source>
        <translation>保存导入列对应</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="152"/>
        <source>import report saved</source>
        <translation>保存导入报告</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="153"/>
        <source>spreadsheet imported</source>
        <translation>导入电子表格</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="154"/>
        <source>access recovered with the recovery code</source>
        <translation>使用恢复码恢复访问</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="155"/>
        <source>data key changed</source>
        <translation>更换数据密钥</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="156"/>
        <source>locked session taken over</source>
        <translation>接管已锁定的会话</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="157"/>
        <source>sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="158"/>
        <source>account locked after failed sign-ins</source>
        <translation>登录失败次数过多，账户已锁定</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="159"/>
        <source>sign-in refused: account locked</source>
        <translation>拒绝登录：账户已锁定</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="160"/>
        <source>signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="161"/>
        <source>signed out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="162"/>
        <source>password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="163"/>
        <source>password change refused</source>
        <translation>拒绝修改密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="164"/>
        <source>differences settled</source>
        <translation>差异已核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="165"/>
        <source>reconciliation opened</source>
        <translation>打开差异核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="166"/>
        <source>record created</source>
        <translation>新建记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="167"/>
        <source>records exported</source>
        <translation>导出记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="168"/>
        <source>record history viewed</source>
        <translation>查看记录历史</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="169"/>
        <source>record imported</source>
        <translation>导入记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="170"/>
        <source>record looked up by ID number</source>
        <translation>按证件号码查找记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="171"/>
        <source>masked values shown</source>
        <translation>显示被遮蔽的内容</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="172"/>
        <source>periodic review started</source>
        <translation>发起定期复核</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="173"/>
        <source>records searched</source>
        <translation>搜索记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="174"/>
        <source>search refused: too many exact searches</source>
        <translation>查询被拒：完整值查询过于频繁</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="175"/>
        <source>record status changed</source>
        <translation>记录状态变更</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="176"/>
        <source>record saved</source>
        <translation>保存记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="177"/>
        <source>record viewed</source>
        <translation>查看记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="178"/>
        <source>second entry refused: same clerk</source>
        <translation>拒绝第二次录入：与第一次为同一柜员</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="181"/>
        <source>second entry keyed</source>
        <translation>已完成第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="182"/>
        <source>screen locked</source>
        <translation>锁定屏幕</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="183"/>
        <source>screen unlocked</source>
        <translation>解锁屏幕</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="184"/>
        <source>settings changed</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="185"/>
        <source>statistics exported</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="186"/>
        <source>workstation set up</source>
        <translation>初始化工作站</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="187"/>
        <source>audit chain verified</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="188"/>
        <source>sync stopped: audit chain broken</source>
        <translation>同步停止：审计链已损坏</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="189"/>
        <source>records sent to the central server</source>
        <translation>向中央服务器发送记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="190"/>
        <source>enrolled with the central server</source>
        <translation>向中央服务器注册</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="191"/>
        <source>central server certificate pinned</source>
        <translation>固定中央服务器证书</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="192"/>
        <source>synced records purged</source>
        <translation>清除已同步记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="193"/>
        <source>record refused by the central server</source>
        <translation>中央服务器拒收记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="194"/>
        <source>sync retried</source>
        <translation>重试同步</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="195"/>
        <source>user added</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="196"/>
        <source>user locked</source>
        <translation>锁定用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="197"/>
        <source>password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="198"/>
        <source>roles changed</source>
        <translation>修改角色</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="199"/>
        <source>user unlocked</source>
        <translation>解锁用户</translation>
    </message>
</context>
<context>
    <name>AuditDetail</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="79"/>
        <source>the system&apos;s credential store</source>
        <translation>系统凭据存储</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="80"/>
        <source>a passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="100"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="101"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="123"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="140"/>
        <source>entry 1</source>
        <translation>第一次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="141"/>
        <source>entry 2</source>
        <translation>第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="142"/>
        <source>a value typed by the resolver</source>
        <translation>核对人输入的值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="207"/>
        <source>form</source>
        <translation>表单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="208"/>
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="209"/>
        <source>from</source>
        <translation>原值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="210"/>
        <source>to</source>
        <translation>新值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="211"/>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="212"/>
        <source>fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="213"/>
        <source>count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="214"/>
        <source>rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="215"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="216"/>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="217"/>
        <source>roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="218"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="219"/>
        <source>user</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="220"/>
        <source>setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="221"/>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="222"/>
        <source>masked</source>
        <translation>已遮蔽</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="223"/>
        <source>unmasked</source>
        <translation>未遮蔽</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="224"/>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="225"/>
        <source>from status</source>
        <translation>原状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="226"/>
        <source>to status</source>
        <translation>新状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="227"/>
        <source>based on version</source>
        <translation>基于版本</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="228"/>
        <source>records</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="229"/>
        <source>warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="230"/>
        <source>format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="231"/>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="232"/>
        <source>document type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="233"/>
        <source>filter</source>
        <translation>筛选条件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="234"/>
        <source>total</source>
        <translation>总数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="235"/>
        <source>skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="236"/>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="237"/>
        <source>record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="238"/>
        <source>key kept in</source>
        <translation>密钥保管方式</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="239"/>
        <source>store id</source>
        <translation>存储编号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="240"/>
        <source>changed</source>
        <translation>修改的字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="241"/>
        <source>likely existing customers</source>
        <translation>疑似已有客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="242"/>
        <source>all values withheld (blind second entry)</source>
        <translation>全部值不予显示（盲录第二遍）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="243"/>
        <source>source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="244"/>
        <source>versions</source>
        <translation>版本数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="245"/>
        <source>form number</source>
        <translation>表单编号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="246"/>
        <source>field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="247"/>
        <source>differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="248"/>
        <source>decisions</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="249"/>
        <source>attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="250"/>
        <source>via</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="251"/>
        <source>searched by</source>
        <translation>查询方式</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="252"/>
        <source>found</source>
        <translation>找到</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="253"/>
        <source>page id</source>
        <translation>页面编号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="254"/>
        <source>page set</source>
        <translation>页面组</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="255"/>
        <source>page number</source>
        <translation>页码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="256"/>
        <source>new page set</source>
        <translation>新页面组</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="257"/>
        <source>pages left</source>
        <translation>剩余页数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="258"/>
        <source>new image stored</source>
        <translation>存储了新图像</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="259"/>
        <source>pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="267"/>
        <source>typed</source>
        <translation>手工输入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="268"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="269"/>
        <source>read from the barcode</source>
        <translation>从条码读取</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="195"/>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="196"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="197"/>
        <source>Who</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="198"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="199"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="200"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="361"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="268"/>
        <source>Any user</source>
        <translation>任何用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="276"/>
        <source>Any action (record.* for a group)</source>
        <translation>任何操作（record.* 表示一类）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="281"/>
        <source>Record id (or its beginning)</source>
        <translation>记录编号（或其开头部分）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="282"/>
        <source>From</source>
        <translation>自</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="286"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="295"/>
        <source>Dates are local calendar days; the &apos;To&apos; day is included whole.</source>
        <translation>日期按本地日历日计算；“至”当天全天包括在内。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="302"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="330"/>
        <source>Select an entry to see its details.</source>
        <translation>选择一条记录以查看详情。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="340"/>
        <source>Check that no entry of the audit log was changed, removed or reordered.</source>
        <translation>检查审计日志中没有任何条目被修改、删除或调换顺序。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="349"/>
        <source>Write every entry matching the filter to an Excel or CSV file.</source>
        <translation>将符合筛选条件的全部条目写入 Excel 或 CSV 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="353"/>
        <source>%v of %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="414"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="480"/>
        <source>%n entries</source>
        <translation>
            <numerusform>%n 条</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="483"/>
        <source>%1 of %2 entries (scroll for more)</source>
        <translation>已显示 %1 条，共 %2 条（向下滚动查看更多）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="500"/>
        <source>Record: %1</source>
        <translation>记录：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="521"/>
        <source>The audit chain is intact: %1 entries checked.</source>
        <translation>审计链完整：已检查 %1 条。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="526"/>
        <source>The audit chain is BROKEN at entry %1 (%2 entries checked before it): %3</source>
        <translation>审计链在第 %1 条处断裂（此前已检查 %2 条）：%3</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="547"/>
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="547"/>
        <source>Excel workbook (*.xlsx);;CSV file (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="571"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="602"/>
        <source>Exported %1 entries to %2.</source>
        <translation>已将 %1 条导出到 %2。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="619"/>
        <source>The export was cancelled; no file was written.</source>
        <translation>导出已取消，未写入文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="363"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="296"/>
        <source>&amp;Filter</source>
        <translation>筛选(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="299"/>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="337"/>
        <source>&amp;Verify the chain</source>
        <translation>校验审计链(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="347"/>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="355"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="493"/>
        <source>Entry %1 · %2 · %3 · %4</source>
        <translation>第 %1 条 · %2 · %3 · %4</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/audit_page.py" line="509"/>
        <source>Verifying…</source>
        <translation>正在校验…</translation>
    </message>
</context>
<context>
    <name>BackupPage</name>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="59"/>
        <source>Back up now (Ctrl+B)</source>
        <translation>立即备份 (Ctrl+B)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="61"/>
        <source>&amp;Verify</source>
        <translation>校验(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="64"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="74"/>
        <source>Taken</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="75"/>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="76"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="77"/>
        <source>Check</source>
        <translation>校验</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="78"/>
        <source>Taken by</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="79"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="119"/>
        <source>On demand</source>
        <translation>手动</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="120"/>
        <source>Daily</source>
        <translation>每日</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="121"/>
        <source>Before a restore</source>
        <translation>恢复之前</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="122"/>
        <source>After a key rotation</source>
        <translation>密钥轮换之后</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="130"/>
        <source>No backup yet. Take one now (Ctrl+B).</source>
        <translation>尚无备份。请立即备份 (Ctrl+B)。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="133"/>
        <source>less than an hour ago</source>
        <translation>不到一小时前</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="135"/>
        <source>%1 hours ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="137"/>
        <source>%1 days ago</source>
        <translation>%1 天前</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="138"/>
        <source>Last backup: %1 (%2)</source>
        <translation>最近一次备份：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="141"/>
        <source>BACKUP-FILE.db</source>
        <translation>备份文件.db</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="147"/>
        <source>To restore a backup, an administrator closes this program and runs on this computer:
%1
The backup is verified first and the replaced database is kept.</source>
        <translation>如需恢复备份，请由管理员先关闭本程序，然后在本机运行：
%1
恢复前会先校验备份，被替换的数据库会被保留。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="164"/>
        <source>Verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="164"/>
        <source>Not verified</source>
        <translation>未校验</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="208"/>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="216"/>
        <source>Backup written: %1 (%2 records).</source>
        <translation>备份已写入：%1（%2 条记录）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="229"/>
        <source>Verifying %1…</source>
        <translation>正在校验 %1…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="239"/>
        <source>%1 passed every check (checksum, key, integrity, audit trail).</source>
        <translation>%1 通过全部校验（校验和、密钥、完整性、审计链）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/backup_page.py" line="244"/>
        <source>%1 failed: %2</source>
        <translation>%1 校验失败：%2</translation>
    </message>
</context>
<context>
    <name>BlindEntryForm</name>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="51"/>
        <source>Send second entry (Ctrl+Enter)</source>
        <translation>提交第二次录入 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="73"/>
        <source>&lt;b&gt;Second entry&lt;/b&gt; of record %1</source>
        <translation>记录 %1 的&lt;b&gt;第二次录入&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="75"/>
        <source>form %1</source>
        <translation>表单 %1</translation>
    </message>
</context>
<context>
    <name>ChartCard</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="78"/>
        <source>&amp;Table</source>
        <extracomment>How often the page reads the figures again while it is visible. The clerks shown each with their own colour in the entries chart; the rest are summed as &quot;Others&quot;. Bars in a by-field chart: more would not leave each label room to show (the tables list every field).</extracomment>
        <translation>表格(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="81"/>
        <source>Show the exact figures as a table instead of the chart</source>
        <translation>以表格显示精确数字，代替图表</translation>
    </message>
</context>
<context>
    <name>CustomerList</name>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="53"/>
        <source>Search: name, pinyin, ID number or mobile (Ctrl+F)</source>
        <translation>搜索：姓名、拼音、证件号码或手机号码 (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="57"/>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="65"/>
        <source>Any time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="66"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="67"/>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="68"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="69"/>
        <source>Last 365 days</source>
        <translation>最近 365 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="101"/>
        <source>Export… (Ctrl+E)</source>
        <translation>导出…（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="128"/>
        <source>Too many searches: paused</source>
        <translation>查询过多：已暂停</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_list.py" line="158"/>
        <source>searching…</source>
        <translation>正在查询…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/records/customer_list.py" line="162"/>
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n 条记录</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerModel</name>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="52"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="53"/>
        <source>Pinyin</source>
        <translation>拼音</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="54"/>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="55"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="56"/>
        <source>Mobile</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="57"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="58"/>
        <source>Form no.</source>
        <translation>表单编号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="59"/>
        <source>Keyed by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/customer_model.py" line="60"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="139"/>
        <source>Last %1 days</source>
        <translation>最近 %1 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="142"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="149"/>
        <source>&lt;b&gt;Dashboard&lt;/b&gt;</source>
        <translation>&lt;b&gt;运营看板&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="151"/>
        <source>Period:</source>
        <translation>统计期间：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="157"/>
        <source>Records by status</source>
        <translation>各状态记录数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="157"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="157"/>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="285"/>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="286"/>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="160"/>
        <source>Entries per clerk per day</source>
        <translation>每位柜员每日录入量</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="162"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="162"/>
        <source>Clerk</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="162"/>
        <source>First entries</source>
        <translation>第一次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="162"/>
        <source>Second entries</source>
        <translation>第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="162"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="165"/>
        <source>Dual-entry discrepancy rate by field</source>
        <translation>各字段双人录入差异率</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="167"/>
        <source>Field or clerk</source>
        <translation>字段或柜员</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="167"/>
        <source>Compared</source>
        <translation>比对次数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="167"/>
        <source>Differing</source>
        <translation>不一致次数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="167"/>
        <source>Rate</source>
        <translation>比率</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="170"/>
        <source>Validation failures by field</source>
        <translation>各字段校验失败次数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="170"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="170"/>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="389"/>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="390"/>
        <source>Failures</source>
        <translation>失败次数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="173"/>
        <source>Sync backlog</source>
        <translation>同步积压</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="173"/>
        <source>Outbox state</source>
        <translation>发件箱状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="173"/>
        <source>Rows</source>
        <translation>条数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="208"/>
        <source>First entries are new forms keyed or rows imported; second entries are the blind re-keying by another clerk. A discrepancy is a field where the two entries differed. Validation failures are the rules a submit or an import refused, by field. The figures are read again every minute while this page is open (F5: now).</source>
        <translation>第一次录入指新录入的表单或导入的行；第二次录入指另一位柜员的盲录复核。差异指两次录入不一致的字段。校验失败指提交或导入时被规则拒绝的字段。本页打开期间每分钟自动刷新（按 F5 立即刷新）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="242"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="254"/>
        <source>Could not refresh the dashboard: %1</source>
        <translation>无法刷新看板：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="273"/>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="277"/>
        <source>Nothing in this period</source>
        <translation>本期间没有数据</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="293"/>
        <source>No records yet</source>
        <translation>尚无记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="295"/>
        <source>%1 records in all</source>
        <translation>共 %1 条记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="302"/>
        <source>Others</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="316"/>
        <source>Entries</source>
        <translation>录入量</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="338"/>
        <source>Each bar is a day, split by clerk: first and second entries together. In this period: %1 first, %2 second entries.</source>
        <translation>每根柱为一天，按柜员分段，含第一次和第二次录入。本期间：第一次录入 %1 条，第二次录入 %2 条。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="352"/>
        <source>Discrepancy rate</source>
        <translation>差异率</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="353"/>
        <source>% of second entries that differed</source>
        <translation>第二次录入不一致的比例（%）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="362"/>
        <source>Clerk %1</source>
        <translation>柜员 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="365"/>
        <source>No second entries in this period</source>
        <translation>本期间没有第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="370"/>
        <source>%1 forms compared, %2 with a difference.</source>
        <translation>共比对 %1 份表单，其中 %2 份有差异。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="375"/>
        <source>Keying errors by clerk: %1</source>
        <translation>各柜员录入差错率：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="384"/>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="395"/>
        <source>Other fields</source>
        <translation>其他字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="399"/>
        <source>No validation failures in this period</source>
        <translation>本期间没有校验失败</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="402"/>
        <source>%1 failures at submit or import in this period</source>
        <translation>本期间提交或导入时共校验失败 %1 次</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="407"/>
        <source>Pending</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="408"/>
        <source>Retrying</source>
        <translation>重试中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="409"/>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="410"/>
        <source>Version conflict</source>
        <translation>版本冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="411"/>
        <source>Key conflict</source>
        <translation>键冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="412"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="424"/>
        <source>Outbox rows</source>
        <translation>发件箱记录数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="432"/>
        <source>Nothing approved yet: the outbox is empty</source>
        <translation>尚无已审批记录：发件箱为空</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="436"/>
        <source>Oldest row waiting to be sent: %1</source>
        <translation>最早待发送记录已等待：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="438"/>
        <source>Nothing waiting to be sent</source>
        <translation>没有待发送的记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="441"/>
        <source>Last successful sync: %1</source>
        <translation>上次成功同步：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="443"/>
        <source>Last successful sync: never</source>
        <translation>上次成功同步：从未</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="450"/>
        <source>%1 row(s) need a supervisor (see the Sync page)</source>
        <translation>%1 条记录需要主管处理（见同步页面）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="461"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="463"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/dashboard_page.py" line="464"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
</context>
<context>
    <name>DuplicateDecisions</name>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="225"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="226"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="227"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="228"/>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="229"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="230"/>
        <source>Decision</source>
        <translation>认定</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="241"/>
        <source>The maker then keys the new details as a change of the existing customer.</source>
        <translation>由录入人将新资料作为现有客户的变更录入。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="238"/>
        <source>Same &amp;person: return to maker</source>
        <translation>同一人：退回录入人(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="243"/>
        <source>&amp;Different person</source>
        <translation>不同人(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="292"/>
        <source>Other branches not checked yet: the check runs at the next sync.</source>
        <translation>尚未与其他网点核对：将在下次同步时核对。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="295"/>
        <source>likely match in branch %1 (%2)</source>
        <translation>网点 %1 可能有同一客户（%2）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="300"/>
        <source>Another branch may hold this customer:</source>
        <translation>其他网点可能已有该客户：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="302"/>
        <source>No likely match in other branches.</source>
        <translation>其他网点未发现疑似同一客户。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="309"/>
        <source>same person</source>
        <translation>同一人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="309"/>
        <source>different person</source>
        <translation>不同人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="317"/>
        <source>to decide</source>
        <translation>待认定</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="326"/>
        <source>Likely existing customers. Decide for each before approving: same person or not.</source>
        <translation>疑似已存在的客户。审批前请逐一认定是否为同一人。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="329"/>
        <source>No likely existing customer.</source>
        <translation>未发现疑似重复客户。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="344"/>
        <source>Same person</source>
        <translation>同一人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="346"/>
        <source>Return record %1 to its maker as the same person as customer %2? The maker then keys the new details as a change of the existing customer.</source>
        <translation>将记录 %1 作为与客户 %2 同一人退回录入人？录入人随后将新信息作为现有客户的变更录入。</translation>
    </message>
</context>
<context>
    <name>DuplicateStrip</name>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="115"/>
        <source>&amp;Make this a change of the existing customer</source>
        <translation>改为对现有客户的变更(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="118"/>
        <source>Your details become a change of the existing customer, to check and submit; this record goes.</source>
        <translation>您录入的资料将成为现有客户的一笔变更，请核对后提交；本记录随之作废。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="168"/>
        <source>&lt;b&gt;Returned: the same person as customer %1.&lt;/b&gt;</source>
        <translation>&lt;b&gt;已退回：与客户 %1 为同一人。&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/duplicate_panel.py" line="186"/>
        <source>&lt;b&gt;This customer may already exist.&lt;/b&gt; Open the record to check before you go on:</source>
        <translation>&lt;b&gt;该客户可能已存在。&lt;/b&gt;请先打开记录核实再继续：</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="57"/>
        <source>Enrol with the central server</source>
        <translation>在中央服务器登记</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="66"/>
        <source>the operating system&apos;s trusted certificates</source>
        <translation>操作系统信任的证书</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="67"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="81"/>
        <source>Tell the bank&apos;s central administrator this id to re-enrol this workstation: the code is issued for it (desktop-app-server enrol-code --workstation ID).</source>
        <translation>重新登记本工作站时，请把此编号告诉银行中央管理员：登记码按此编号生成（desktop-app-server enrol-code --workstation 编号）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="87"/>
        <source>The central administrator gives you a one-time enrolment code. This workstation exchanges it for its own credential, kept in the operating system&apos;s credential store.</source>
        <translation>中央管理员会提供一次性登记码。本工作站用它换取自己的凭据，凭据保存在操作系统的凭据存储中。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="98"/>
        <source>Already enrolled as device %1. The server address and CA certificate change only this way: enrolling again, with a new code the bank&apos;s central administrator issues for this workstation&apos;s id, replaces the credential and the address and CA it is bound to, is written to the audit trail, and the new device goes on with the audit trail from where the previous one left it.</source>
        <translation>已登记为设备 %1。服务器地址和 CA 证书只能这样更改：使用银行中央管理员按本工作站编号生成的新登记码重新登记，将替换凭据及其绑定的地址和 CA，并写入审计日志；新设备从上一设备上传到的位置继续上传审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="111"/>
        <source>Central server address</source>
        <translation>中央服务器地址</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="112"/>
        <source>Enrolment code</source>
        <translation>登记码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="113"/>
        <source>CA certificate (PEM)</source>
        <translation>CA 证书（PEM）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="114"/>
        <source>Workstation name (optional)</source>
        <translation>工作站名称（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="115"/>
        <source>This workstation&apos;s id</source>
        <translation>本工作站编号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="117"/>
        <source>Enrol</source>
        <translation>登记</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="136"/>
        <source>CA certificate</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="138"/>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="156"/>
        <source>Enrolling with %1…</source>
        <translation>正在向 %1 登记…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="172"/>
        <source>Enrolled with %1 as device %2. Approved records will now be sent.</source>
        <translation>已在 %1 登记为设备 %2。已审批的记录将开始发送。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/enrol_dialog.py" line="177"/>
        <source>Plain HTTP: allowed only to this computer; records are not encrypted on the way.</source>
        <translation>明文 HTTP：仅允许连接本机；记录在传输中不加密。</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="156"/>
        <source>Save draft (Ctrl+S)</source>
        <translation>保存草稿 (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="158"/>
        <source>Submit (Ctrl+Enter)</source>
        <translation>提交 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="160"/>
        <source>New form (Ctrl+N)</source>
        <translation>新建表单 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="161"/>
        <source>Scan ID (Ctrl+Shift+S)</source>
        <translation>扫描证件 (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="164"/>
        <source>Read the customer&apos;s ID card or passport from a scan and fill the form; you confirm each value.</source>
        <translation>从扫描件中读取客户的身份证或护照并填入表单；每个值都需要您确认。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="167"/>
        <source>Paper form (Ctrl+Shift+P)</source>
        <translation>纸质表单 (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="197"/>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="322"/>
        <source>changes not saved yet</source>
        <translation>有尚未保存的修改</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="337"/>
        <source>&lt;b&gt;New customer&lt;/b&gt;</source>
        <translation>&lt;b&gt;新客户&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="340"/>
        <source>&lt;b&gt;Record %1&lt;/b&gt; version %2</source>
        <translation>&lt;b&gt;记录 %1&lt;/b&gt; 第 %2 版</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="359"/>
        <source>Unsaved typing</source>
        <translation>未保存的录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="360"/>
        <source>This form has typing that is not saved. Save it as a draft in My drafts?</source>
        <translation>此表单有尚未保存的录入内容。是否保存为草稿（放入“我的草稿”）？</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="361"/>
        <source>&amp;Save draft</source>
        <translation>保存草稿(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="362"/>
        <source>&amp;Discard typing</source>
        <translation>放弃录入内容(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="363"/>
        <source>&amp;Keep typing</source>
        <translation>继续录入(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="449"/>
        <source>restored unsaved typing</source>
        <translation>已恢复未保存的录入内容</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="503"/>
        <source>saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="568"/>
        <source>submitted %1</source>
        <translation>已提交 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="700"/>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="708"/>
        <source>Paper form</source>
        <translation>纸质表单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="701"/>
        <source>The first clerk scans the paper form; its pages are shown beside the fields as you key.</source>
        <translation>纸质表单由第一位录入员扫描；录入时其页面显示在字段旁边。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="708"/>
        <source>Save the draft first (Ctrl+S), then scan its paper form.</source>
        <translation>请先保存草稿（Ctrl+S），再扫描其纸质表单。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="798"/>
        <source>confirmed by a check digit or the printed page</source>
        <translation>已由校验位或证件印刷页确认</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="800"/>
        <source>from the document type</source>
        <translation>由证件类型得出</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="802"/>
        <source>not sure: check it with care</source>
        <translation>识别把握不大：请仔细核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="804"/>
        <source>read clearly</source>
        <translation>识别清晰</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="806"/>
        <source>Read from the scan (%1, %2). Check it against the document: Enter accepts it, typing replaces it.</source>
        <translation>从扫描件读取（%1，%2）。请对照证件核对：按回车键确认，直接录入则替换。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/records/entry_form.py" line="859"/>
        <source>%n value(s) from the scan to confirm</source>
        <translation>
            <numerusform>有 %n 个扫描识别的值待确认</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="861"/>
        <source>scan values confirmed</source>
        <translation>扫描识别的值已全部确认</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="866"/>
        <source>These values were read from the scan and are not confirmed yet: %1.

Check each against the document: Tab to it and press Enter to accept it, or correct it. Then submit again.</source>
        <translation>以下值由扫描识别填入，尚未确认：%1。

请逐项对照证件核对：用 Tab 键移到该字段，按回车键确认，或直接更正。然后再次提交。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="869"/>
        <source>Confirm the scanned values</source>
        <translation>请确认扫描识别的值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="905"/>
        <source>Scan not kept</source>
        <translation>扫描件未保存</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="906"/>
        <source>The record was saved, but the scan could not be kept with it: %1</source>
        <translation>记录已保存，但扫描件未能随记录保存：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="910"/>
        <source>It is tried again at the next save (Ctrl+S).</source>
        <translation>下次保存（Ctrl+S）时将再次尝试。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="430"/>
        <source>returned</source>
        <translatorcomment>Added by hand: self.tr(&apos;...&apos;) inside an f-string in desktop_app/ui/records/entry_form.py; lupdate does not look inside f-strings.</translatorcomment>
        <translation>退回原因</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="64"/>
        <source>Export customers</source>
        <translation>导出客户资料</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="67"/>
        <source>Counting the records in the list…</source>
        <translation>正在统计列表中的记录…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="71"/>
        <source>Excel workbook (.xlsx)</source>
        <translation>Excel 工作簿（.xlsx）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="72"/>
        <source>CSV, UTF-8 (.csv)</source>
        <translation>CSV，UTF-8 编码（.csv）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="83"/>
        <source>Export unmasked values</source>
        <translation>导出不遮蔽的资料</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="93"/>
        <source>%v of %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="75"/>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="100"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="104"/>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="218"/>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="113"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="114"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="135"/>
        <source>Records in the list to export: %1</source>
        <translation>列表中待导出的记录：%1 条</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="142"/>
        <source>Warning: the file will show names, ID numbers and contact details in full. Keep it safe; the export is recorded in the audit log as unmasked.</source>
        <translation>警告：文件将完整显示姓名、证件号码和联系方式，请妥善保管；本次导出将作为“不遮蔽导出”记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="149"/>
        <source>Values are masked as your role sees them. The export is recorded in the audit log.</source>
        <translation>资料按您的角色可见的方式遮蔽。本次导出将记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="164"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="164"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="165"/>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="183"/>
        <source>Choose the file to export to.</source>
        <translation>请选择要导出到的文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="187"/>
        <source>Replace file?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="187"/>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 已存在，是否替换？</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="206"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="213"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="218"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="234"/>
        <source>Exported %1 record(s), masked, to %2.</source>
        <translation>已将 %1 条记录（已遮蔽）导出到 %2。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="236"/>
        <source>Exported %1 record(s), UNMASKED, to %2.</source>
        <translation>已将 %1 条记录（未遮蔽）导出到 %2。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/export_dialog.py" line="253"/>
        <source>The export was cancelled; no file was written.</source>
        <translation>导出已取消，未写入文件。</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="37"/>
        <source>Set up this workstation</source>
        <translation>初始化本工作站</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="41"/>
        <source>This workstation has no customer store yet. Create it and its first administrator.
Data folder: %1</source>
        <translation>本工作站尚未建立客户数据库。请创建数据库及首个系统管理员。
数据目录：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="53"/>
        <source>Keep the key in the system&apos;s credential store</source>
        <translation>将密钥保存在系统凭据管理器中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="54"/>
        <source>Protect the key with a passphrase typed at each start</source>
        <translation>用口令保护密钥（每次启动时输入）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="59"/>
        <source>No usable credential store on this computer.</source>
        <translation>本机没有可用的系统凭据管理器。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="69"/>
        <source>Administrator user name</source>
        <translation>系统管理员用户名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="70"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="71"/>
        <source>Repeat password</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="74"/>
        <source>Key passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="75"/>
        <source>Repeat passphrase</source>
        <translation>确认口令</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="77"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="88"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="94"/>
        <source>Use a passphrase of at least 12 characters.</source>
        <translation>口令至少需要 12 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="97"/>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="117"/>
        <source>Administrator password: %1</source>
        <translation>管理员密码：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="119"/>
        <source>Key passphrase: %1</source>
        <translation>密钥口令：%1</translation>
    </message>
</context>
<context>
    <name>HandoverText</name>
    <message>
        <location filename="../../desktop_app/ui/common/handover_text.py" line="41"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/handover_text.py" line="43"/>
        <source>Copy to the clipboard (Alt+C)</source>
        <translation>复制到剪贴板 (Alt+C)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/handover_text.py" line="45"/>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/handover_text.py" line="47"/>
        <source>Print on paper or to a PDF file (Alt+P)</source>
        <translation>打印到纸张或 PDF 文件 (Alt+P)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/handover_text.py" line="62"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/handover_text.py" line="75"/>
        <source>Date: ____________    Signed: ____________</source>
        <translation>日期：____________    签名：____________</translation>
    </message>
</context>
<context>
    <name>HitTable</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="82"/>
        <source>Record</source>
        <extracomment>Approved customers screened per operation of the background re-screen (well under a second each).</extracomment>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="83"/>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="84"/>
        <source>Entry</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="85"/>
        <source>Listed names</source>
        <translation>名单所列姓名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="86"/>
        <source>Listed birth dates</source>
        <translation>名单所列出生日期</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="87"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="88"/>
        <source>Why</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="92"/>
        <source>Not the same person: &amp;clear…</source>
        <translation>非同一人：解除(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="94"/>
        <source>Esc&amp;alate to compliance…</source>
        <translation>上报合规部门(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="112"/>
        <source>the ID number is a listed document</source>
        <translation>证件号码为名单所列证件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="119"/>
        <source>to decide</source>
        <translation>待认定</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="120"/>
        <source>cleared: not the same person</source>
        <translation>已解除：非同一人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="121"/>
        <source>escalated: approval waits</source>
        <translation>已上报：暂缓审批</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="122"/>
        <source>superseded</source>
        <translation>已失效</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="147"/>
        <source>The customer may be a listed person. Compare the listed names and dates with the documents.</source>
        <translation>该客户可能是名单所列人员。请将名单所列姓名和日期与证件核对。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="149"/>
        <source>No open watchlist hit.</source>
        <translation>没有待处理的名单命中。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="156"/>
        <source>Clear the hit</source>
        <translation>解除命中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="156"/>
        <source>Escalate the hit</source>
        <translation>上报命中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="159"/>
        <source>Why? (kept in the audit log; Enter to confirm, Esc to cancel)</source>
        <translation>理由？（记入审计日志；按 Enter 确认，Esc 取消）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="168"/>
        <source>Give the reason in a few words (kept in the audit log; Enter to confirm, Esc to cancel)</source>
        <translation>请用几句话说明理由（记入审计日志；按 Enter 确认，Esc 取消）</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="66"/>
        <source>Import customers from a spreadsheet</source>
        <translation>从表格导入客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="73"/>
        <source>An .xlsx or .csv file; the first row holds the column headers</source>
        <translation>.xlsx 或 .csv 文件；第一行为列标题</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="78"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="89"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="89"/>
        <source>Header in the file</source>
        <translation>文件中的列标题</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="89"/>
        <source>Form field</source>
        <translation>表单字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="100"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="100"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="100"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="100"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="106"/>
        <source>Columns</source>
        <translation>列对应</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="107"/>
        <source>First rows</source>
        <translation>前几行</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="108"/>
        <source>Report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="126"/>
        <source>Stop after the rows already read; those are kept, the rest is not read.</source>
        <translation>在已读取的行处理完后停止；这些行保留，其余行不再读取。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="74"/>
        <source>&amp;Choose file…</source>
        <translation>选择文件(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="118"/>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="123"/>
        <source>Cancel i&amp;mport</source>
        <translation>取消导入(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="130"/>
        <source>E&amp;xport report…</source>
        <translation>导出报告(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="134"/>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="166"/>
        <source>Choose the spreadsheet to import</source>
        <translation>选择要导入的表格</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="168"/>
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="176"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="197"/>
        <source>The column choice saved for this layout of headers was used (%1). Check it, then import.</source>
        <translation>已使用为此列标题格式保存的列对应关系（%1）。请核对后导入。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="199"/>
        <source>The form fields were guessed from the headers (%1). Check each column, then import.</source>
        <translation>已根据列标题推测对应的表单字段（%1）。请逐列核对后导入。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="216"/>
        <source>Form field for column %1</source>
        <translation>第 %1 列对应的表单字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="217"/>
        <source>(do not import)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="268"/>
        <source>Chosen for two columns: %1.</source>
        <translation>以下字段被选给了两列：%1。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="271"/>
        <source>Required fields without a column: %1.</source>
        <translation>以下必填字段没有对应的列：%1。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="297"/>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="305"/>
        <source>Stopping after the rows already read…</source>
        <translation>正在停止，已读取的行处理完后结束…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="321"/>
        <source>%1 rows read…</source>
        <translation>已读取 %1 行…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="341"/>
        <source>%1 rows read: %2 imported, %3 rejected, %4 imported with warnings, %5 empty rows skipped.</source>
        <translation>共读取 %1 行：导入 %2 行，拒绝 %3 行，其中 %4 行带警告导入，跳过空行 %5 行。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="350"/>
        <source>Import cancelled after row %1; the rows after it were not read.</source>
        <translation>导入已在第 %1 行后取消，其后的行未读取。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="368"/>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="368"/>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="377"/>
        <source> (warning)</source>
        <translation>（警告）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="389"/>
        <source>Export the import report</source>
        <translation>导出导入报告</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="391"/>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/import_dialog.py" line="400"/>
        <source>Report written: %1 lines to %2.</source>
        <translation>报告已写入：%1 行，文件 %2。</translation>
    </message>
</context>
<context>
    <name>LateMatchesBanner</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="52"/>
        <source>Review… (Alt+O)</source>
        <translation>查看…（Alt+O）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="75"/>
        <source>%n approved record(s) turned out at sync to have a likely match in another branch (they were approved while the central server could not be asked).</source>
        <translation>
            <numerusform>%n 条已审批记录在同步时发现其他网点可能存在同一客户（审批时无法查询中央服务器）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LateMatchesDialog</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="97"/>
        <source>Matches in other branches found after approval</source>
        <translation>审批后发现的其他网点可能匹配</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="101"/>
        <source>These records were approved while the central server could not be asked; the next sync found a likely match in another branch. Check each with the customer&apos;s documents and the other branch, then mark it seen. Your marking is kept in the audit trail.</source>
        <translation>这些记录是在无法查询中央服务器时审批的；之后的同步发现其他网点可能存在同一客户。请对照客户证件并与该网点核实后标记为已查看。您的标记将记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="110"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="110"/>
        <source>Form no.</source>
        <translation>表单编号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="110"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="110"/>
        <source>Other branches</source>
        <translation>其他网点</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="110"/>
        <source>Found</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="118"/>
        <source>&amp;Open record</source>
        <translation>打开记录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="119"/>
        <source>&amp;Mark as seen</source>
        <translation>标记为已查看(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/late_branch_matches.py" line="121"/>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="46"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="48"/>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="51"/>
        <source>Supervisor override…</source>
        <translation>主管授权解锁…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="55"/>
        <source>&lt;h2&gt;Screen locked&lt;/h2&gt;&lt;p&gt;%1 stepped away. Customer data is hidden.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;已锁屏&lt;/h2&gt;&lt;p&gt;%1 暂时离开，客户信息已隐藏。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="61"/>
        <source>Password for %1</source>
        <translation>%1 的密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="94"/>
        <source>Type your password, then press Enter.</source>
        <translation>请输入密码，然后按回车键。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="125"/>
        <source>Supervisor override</source>
        <translation>主管授权解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="129"/>
        <source>Ends %1&apos;s session; unsaved typing is kept as an autosave. This is audited.</source>
        <translation>将结束 %1 的会话，未保存的录入内容会自动保存。此操作将记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="138"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/lock_screen.py" line="139"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desktop_app/ui/session/login_dialog.py" line="44"/>
        <source>Sign in - Customer information entry</source>
        <translation>登录 - 客户信息录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/login_dialog.py" line="46"/>
        <source>&lt;h2&gt;Customer information entry&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;客户信息录入&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/login_dialog.py" line="54"/>
        <source>Caps Lock is on</source>
        <translation>大写锁定已打开</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/login_dialog.py" line="63"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/login_dialog.py" line="64"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/login_dialog.py" line="66"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>LongTermDateEditor</name>
    <message>
        <location filename="../../desktop_app/ui/records/field_widgets.py" line="93"/>
        <source>Long term (长期)</source>
        <translation>长期</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="88"/>
        <source>Customer information entry — %1</source>
        <extracomment>which kinds of change each page shows: it reads again when one of them changed, whoever changed it</extracomment>
        <translation>客户信息录入 — %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="148"/>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="149"/>
        <source>Lock screen</source>
        <translation>锁定屏幕</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="150"/>
        <source>Change password…</source>
        <translation>修改密码…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="151"/>
        <source>Switch user / sign out</source>
        <translation>切换用户 / 退出登录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="153"/>
        <source>R&amp;ecords</source>
        <translation>记录(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="154"/>
        <source>Import from a spreadsheet…</source>
        <translation>从电子表格导入…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="182"/>
        <source>New entry</source>
        <translation>新建录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="184"/>
        <source>My drafts</source>
        <translation>我的草稿</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="186"/>
        <source>Second-entry queue</source>
        <translation>第二次录入队列</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="187"/>
        <location filename="../../desktop_app/ui/session/main_window.py" line="203"/>
        <source>Reconciliation</source>
        <translation>差异核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="189"/>
        <source>Customers</source>
        <translation>客户列表</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="197"/>
        <source>Due for review</source>
        <translation>待定期复核</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="200"/>
        <source>Approvals</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="201"/>
        <location filename="../../desktop_app/ui/session/main_window.py" line="211"/>
        <source>Watchlist</source>
        <translation>名单筛查</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="205"/>
        <source>Dashboard</source>
        <translation>统计看板</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="207"/>
        <source>Dual-entry statistics</source>
        <translation>双人录入差错统计</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="208"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="210"/>
        <source>Users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="214"/>
        <source>Settings</source>
        <translation>系统设置</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="222"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="224"/>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="357"/>
        <source>The daily backup failed: %1</source>
        <translation>每日备份失败：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="373"/>
        <source>Unsaved typing found</source>
        <translation>发现未保存的录入内容</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="374"/>
        <source>Typing from %1 was not saved (the program closed or the screen locked). Restore it?</source>
        <translation>%1 录入的内容尚未保存（程序已关闭或已锁屏）。是否恢复？</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/main_window.py" line="399"/>
        <source>Database: encrypted, open</source>
        <translation>数据库：已加密，已打开</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../desktop_app/ui/common/messages.py" line="26"/>
        <source>Something went wrong and the action was not completed. Nothing already saved was lost. Try again; if it happens again, tell IT support (details are in the log file).</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/messages.py calls its own tr(context, text) wrapper, which lupdate reads as tr(source, disambiguation).</translatorcomment>
        <translation>出现错误，操作未完成。已保存的内容没有丢失。请重试；如果再次出现，请联系IT支持（详细信息已记入日志文件）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/messages.py" line="41"/>
        <source>Cannot continue</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/messages.py calls its own tr(context, text) wrapper, which lupdate reads as tr(source, disambiguation).</translatorcomment>
        <translation>无法继续</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../desktop_app/ui/common/operations.py" line="133"/>
        <source>Cancel</source>
        <extracomment>a progress dialog shows only for work that lasts longer than this (a quick save flashes nothing)</extracomment>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="79"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="80"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="81"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="82"/>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="83"/>
        <source>Next attempt</source>
        <translation>下次尝试</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="84"/>
        <source>Queued</source>
        <translation>入队时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="85"/>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="94"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="86"/>
        <source>Last error / the server&apos;s reasons</source>
        <translation>上次错误 / 服务器给出的原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="93"/>
        <source>Pending</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="95"/>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="96"/>
        <source>Version conflict</source>
        <translation>版本冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="97"/>
        <source>Key conflict</source>
        <translation>键冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="116"/>
        <source>Another branch holds this customer (the same ID type and number) centrally, under a record of its own. Nothing to change here: the central office resolves it.</source>
        <translation>其他网点已在中央以其自己的记录登记了此客户（证件类型和号码相同）。此处无需修改，由总部处理。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="121"/>
        <source>Another branch holds this record centrally. Nothing to change here: the central office resolves it.</source>
        <translation>其他网点已在中央存有此记录。此处无需修改，由总部处理。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="133"/>
        <source>Central copy: record %1, version %2, from workstation %3</source>
        <translation>中央副本：记录 %1，版本 %2，来自工作站 %3</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="145"/>
        <source>The central server holds different content for this record version; nothing was applied. Tell the central administrator.</source>
        <translation>中央服务器上该记录版本的内容与本地不同，未做任何更改。请通知中央管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="186"/>
        <source>next run</source>
        <translation>下次同步</translation>
    </message>
</context>
<context>
    <name>PaperPagesDialog</name>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="49"/>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="197"/>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="257"/>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="276"/>
        <source>Paper form</source>
        <translation>纸质表单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="56"/>
        <source>Pages of the paper form</source>
        <translation>纸质表单的页面</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="71"/>
        <source>&amp;Scan from scanner</source>
        <translation>从扫描仪扫描(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="72"/>
        <source>&amp;Open file…</source>
        <translation>打开文件(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="73"/>
        <source>&amp;Remove page</source>
        <translation>移除页面(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="75"/>
        <source>Take the selected page out of the form (Delete); the pages before it stay in its history</source>
        <translation>将选中的页面移出表单（Delete 键）；移除前的页面保留在历史中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="77"/>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="95"/>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="264"/>
        <source>only for a form without a code</source>
        <translation>仅用于没有编码的表单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="96"/>
        <source>Set form &amp;number</source>
        <translation>设置表单编号(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="101"/>
        <source>Form number:</source>
        <translation>表单编号：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="132"/>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="175"/>
        <source>Page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="139"/>
        <source>The pages look complete.</source>
        <translation>页面看起来齐全。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="141"/>
        <source>No pages yet: scan the form or open its file.</source>
        <translation>尚无页面：请扫描表单或打开其文件。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="144"/>
        <source>Scanning stopped. The %n page(s) read before it are kept; for the whole form, scan it again from its first page.</source>
        <translation>
            <numerusform>扫描已停止。停止前读入的 %n 页已保留；如需完整表单，请从第一页重新扫描。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="168"/>
        <source>Scanning the paper form…</source>
        <translation>正在扫描纸质表单…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="199"/>
        <source>The scan stopped after %1 page(s). Before it, the record had %2 page(s).

Keep the %1 new page(s)? No goes back to the %2 earlier page(s). Either way both stay in the record&apos;s history.</source>
        <translation>扫描在第 %1 页后停止。扫描前，该记录有 %2 页。

保留新扫描的 %1 页吗？选择“否”将恢复原来的 %2 页。两者都会保留在记录的历史中。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="219"/>
        <source>Open the scanned form</source>
        <translation>打开扫描的表单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="219"/>
        <source>Scans (*.pdf *.tif *.tiff *.jpg *.jpeg *.png *.bmp)</source>
        <translation>扫描件 (*.pdf *.tif *.tiff *.jpg *.jpeg *.png *.bmp)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="247"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="247"/>
        <source>%n page(s) stored</source>
        <translation>
            <numerusform>已保存 %n 页</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="268"/>
        <source>no code was found on the pages: type the number written on the form</source>
        <translation>页面上未找到编码：请输入表单上填写的编号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="276"/>
        <source>Choose the page to remove first.</source>
        <translation>请先选择要移除的页面。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="281"/>
        <source>Remove page</source>
        <translation>移除页面</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_pages_dialog.py" line="282"/>
        <source>Take page %1 out of the paper form? The form as it was stays in the record&apos;s history.</source>
        <translation>将第 %1 页移出纸质表单？表单原样保留在记录的历史中。</translation>
    </message>
</context>
<context>
    <name>PaperPane</name>
    <message>
        <location filename="../../desktop_app/ui/records/paper_view.py" line="271"/>
        <source>Paper form · page %1 of %2</source>
        <translation>纸质表单 · 第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/paper_view.py" line="275"/>
        <source>no layout for this form version: the whole page</source>
        <translation>此表单版本没有版式文件：显示整页</translation>
    </message>
</context>
<context>
    <name>PaperReview</name>
    <message>
        <location filename="../../desktop_app/ui/records/paper_view.py" line="295"/>
        <source>No paper form is kept with this record.</source>
        <translation>此记录没有保存纸质表单。</translation>
    </message>
</context>
<context>
    <name>PasswordChangeDialog</name>
    <message>
        <location filename="../../desktop_app/ui/session/password_change.py" line="19"/>
        <source>Change your password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/password_change.py" line="31"/>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/password_change.py" line="32"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/password_change.py" line="33"/>
        <source>Repeat new password</source>
        <translation>确认新密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/password_change.py" line="34"/>
        <source>At least 10 characters, with letters and digits, not containing your user name.</source>
        <translation>至少 10 个字符，须同时包含字母和数字，且不能包含用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/password_change.py" line="40"/>
        <source>Choose a new password before you go on.</source>
        <translation>请先设置新密码，然后继续。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/password_change.py" line="49"/>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <location filename="../../desktop_app/ui/common/i18n.py" line="22"/>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/i18n.py" line="23"/>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QueueTable</name>
    <message>
        <location filename="../../desktop_app/ui/common/queue_table.py" line="21"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/queue_table.py" line="21"/>
        <source>Keyed by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/queue_table.py" line="21"/>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/queue_table.py" line="21"/>
        <source>Form number</source>
        <translation>表单编号</translation>
    </message>
</context>
<context>
    <name>ReconciliationDialog</name>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="74"/>
        <source>Reconcile the two entries</source>
        <translation>核对两次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="81"/>
        <source>&lt;b&gt;Record %1&lt;/b&gt; — entry 1 keyed by %2, entry 2 keyed by %3. %4 field(s) differ.</source>
        <translation>&lt;b&gt;记录 %1&lt;/b&gt; — 第一次录入：%2，第二次录入：%3。共 %4 个字段不一致。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="85"/>
        <source>form no. %1</source>
        <translation>表单编号 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="94"/>
        <source>Check the paper form. 1 = entry 1, 2 = entry 2 (moves to the next field); if both are wrong, Tab to &apos;Other value&apos;, type what the paper says and give a reason. Enter settles the record.</source>
        <translation>请对照纸质表单：按 1 采用第一次录入，按 2 采用第二次录入（自动跳到下一字段）；如两次都不对，按 Tab 到“其他值”，按纸质表单录入并填写原因。按回车键完成核对。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="104"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="104"/>
        <source>Entry 1</source>
        <translation>第一次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="104"/>
        <source>Entry 2</source>
        <translation>第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="104"/>
        <source>Chosen value</source>
        <translation>采用值</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="104"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="130"/>
        <source>only when both entries are wrong</source>
        <translation>仅在两次录入都不正确时填写</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="135"/>
        <source>e.g. the paper form says …</source>
        <translation>例如：纸质表单为……</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="140"/>
        <source>Other value (this row)</source>
        <translation>其他值（当前行）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="141"/>
        <source>Reason (this row)</source>
        <translation>原因（当前行）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="147"/>
        <source>Settle and send for approval (Enter)</source>
        <translation>完成核对并提交审批 (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="149"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="235"/>
        <source>entry 1: %1</source>
        <translation>第一次录入：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="237"/>
        <source>entry 2: %1</source>
        <translation>第二次录入：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="239"/>
        <source>typed: %1</source>
        <translation>另行录入：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="241"/>
        <source>— press 1 or 2 —</source>
        <translation>— 请按 1 或 2 —</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="256"/>
        <source>Decide every row first: press 1 or 2, or type another value.</source>
        <translation>请先逐行确认：按 1 或 2，或录入其他值。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="261"/>
        <source>A typed value needs a reason: what does the paper form say?</source>
        <translation>另行录入的值须填写原因（纸质表单上写的是什么）。</translation>
    </message>
</context>
<context>
    <name>ReconciliationPage</name>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="320"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="322"/>
        <source>The two entries of these records differ. Enter opens the selected record.</source>
        <translation>以下记录的两次录入不一致。按回车键打开所选记录进行核对。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="341"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/records/reconciliation.py" line="354"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>待处理 %n 条</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecordView</name>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="127"/>
        <source>Customer record</source>
        <translation>客户记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="139"/>
        <source>returned by</source>
        <translation>退回人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="159"/>
        <source>This record is waiting for its blind second entry: its values are hidden.</source>
        <translation>本记录正在等待第二人独立录入（盲录），各项内容暂不显示。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="173"/>
        <source>&amp;Reveal</source>
        <translation>查看明文(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="175"/>
        <source>Show the full value; this is recorded in the audit trail.</source>
        <translation>显示完整内容；此操作将记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="183"/>
        <source>Checks</source>
        <translation>校验结果</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="187"/>
        <source>Returned with reason</source>
        <translation>退回原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="191"/>
        <source>Current</source>
        <translation>当前信息</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="203"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="203"/>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="203"/>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="209"/>
        <source>History</source>
        <translation>修改历史</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="217"/>
        <source>Scan (%1)</source>
        <translation>证件扫描（%1）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="223"/>
        <location filename="../../desktop_app/ui/records/record_view.py" line="244"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="223"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="223"/>
        <source>From</source>
        <translation>原状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="223"/>
        <source>To</source>
        <translation>新状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="223"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="223"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="240"/>
        <source>Timeline</source>
        <translation>状态流转</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="244"/>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="244"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="244"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="244"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="259"/>
        <source>Audit trail</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="264"/>
        <source>&amp;Edit</source>
        <translation>修改(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="269"/>
        <source>Start a &amp;change</source>
        <translation>发起变更(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="274"/>
        <source>&amp;Approve</source>
        <translation>审批通过(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="277"/>
        <source>Re&amp;turn to maker…</source>
        <translation>退回录入人(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="282"/>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="323"/>
        <source>Return to maker</source>
        <translation>退回录入人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="323"/>
        <source>Reason (the maker sees it):</source>
        <translation>退回原因（录入人可见）：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="135"/>
        <source>version</source>
        <translatorcomment>Added by hand: self.tr(&apos;...&apos;) inside an f-string in desktop_app/ui/records/record_view.py; lupdate does not look inside f-strings.</translatorcomment>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="136"/>
        <source>status</source>
        <translatorcomment>Added by hand: self.tr(&apos;...&apos;) inside an f-string in desktop_app/ui/records/record_view.py; lupdate does not look inside f-strings.</translatorcomment>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="137"/>
        <source>keyed by</source>
        <translatorcomment>Added by hand: self.tr(&apos;...&apos;) inside an f-string in desktop_app/ui/records/record_view.py; lupdate does not look inside f-strings.</translatorcomment>
        <translation>录入人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/record_view.py" line="138"/>
        <source>approved by</source>
        <translatorcomment>Added by hand: self.tr(&apos;...&apos;) inside an f-string in desktop_app/ui/records/record_view.py; lupdate does not look inside f-strings.</translatorcomment>
        <translation>审批人</translation>
    </message>
</context>
<context>
    <name>RecoveryCodeDialog</name>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="140"/>
        <source>Recovery code</source>
        <translation>恢复码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="143"/>
        <source>Write this code down or print it, and keep it in the branch safe. It is shown only now. With it, &apos;desktop-app recover&apos; restores access to the data if the key is lost.</source>
        <translation>请抄下或打印此恢复码，并存放在网点保险柜中。恢复码只在此时显示一次。如果密钥丢失，可凭此码通过 &apos;desktop-app recover&apos; 恢复对数据的访问。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="148"/>
        <source>Recovery code of this workstation</source>
        <translation>本工作站的恢复码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="150"/>
        <source>I have written the code down or printed it</source>
        <translation>我已抄下或打印此恢复码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/session/first_run.py" line="174"/>
        <source>The code is shown only now: write it down or print it, tick the box, then OK.</source>
        <translation>恢复码只在此时显示：请抄写或打印，勾选确认框，然后按确定。</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="99"/>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="117"/>
        <source>Return to maker</source>
        <translation>退回录入人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="110"/>
        <source>What the maker should correct (required for &apos;Other&apos;)</source>
        <translation>需录入人更正的内容（选择“其他”时必填）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="123"/>
        <source>Record %1 — reason (↑/↓, then Tab):</source>
        <translation>记录 %1 — 退回原因（↑/↓ 选择，Tab 继续）：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/approval_page.py" line="125"/>
        <source>Details (the maker sees them):</source>
        <translation>具体说明（录入人可见）：</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="53"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="54"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="55"/>
        <source>Risk rating</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="56"/>
        <source>Last review</source>
        <translation>上次复核</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="57"/>
        <source>Due</source>
        <translation>应复核日期</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="58"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="65"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="66"/>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="67"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="69"/>
        <source>Unrated (as high)</source>
        <translation>未评级（按高风险）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="75"/>
        <source>ID document expired on %1</source>
        <translation>证件已于 %1 到期</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="77"/>
        <source>ID document expires on %1</source>
        <translation>证件将于 %1 到期</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="78"/>
        <source>Review period passed</source>
        <translation>已到复核周期</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="146"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="157"/>
        <source>Start review (Enter)</source>
        <translation>开始复核 (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="161"/>
        <source>Make a new version of the customer from the approved one and open it: check the customer&apos;s documents, correct what changed, then submit it for approval like any change.</source>
        <translation>根据已审批版本生成该客户的新版本并打开：核对客户证件，修改有变化的内容，然后像其他变更一样提交审批。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="167"/>
        <source>&amp;View record</source>
        <translation>查看记录(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="175"/>
        <source>&lt;b&gt;Due for review&lt;/b&gt; — approved customers, earliest due first</source>
        <translation>&lt;b&gt;待复核&lt;/b&gt; — 已审批客户，按应复核日期先后排列</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="200"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="221"/>
        <source>Policy: high risk (and unrated) every %1 year(s), medium every %2, low every %3; also when the ID document expires within %4 day(s).</source>
        <translation>复核规则：高风险（及未评级）客户每 %1 年复核一次，中风险每 %2 年，低风险每 %3 年；证件在 %4 天内到期的客户也需复核。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="240"/>
        <source>%n customer(s) due</source>
        <translation>
            <numerusform>待复核客户 %n 位</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="243"/>
        <source>%1 of %2 due (scroll for more)</source>
        <translation>待复核 %2 位，已显示 %1 位（向下滚动查看更多）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="281"/>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="312"/>
        <source>Start review</source>
        <translation>开始复核</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="283"/>
        <source>Start the periodic review of this customer? A new version is made from the approved one and opened for you; it goes through submission and approval like any change.</source>
        <translation>开始对该客户进行定期复核？系统将根据已审批版本生成新版本并为您打开，之后像其他变更一样提交和审批。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="293"/>
        <source>Starting the review…</source>
        <translation>正在开始复核…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_page.py" line="301"/>
        <source>Review started: version %1 of the customer is open as a draft.</source>
        <translation>复核已开始：该客户的第 %1 版已作为草稿打开。</translation>
    </message>
</context>
<context>
    <name>ReviewReminder</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/review_reminder.py" line="46"/>
        <source>Show (Alt+R)</source>
        <translation>查看 (Alt+R)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/supervision/review_reminder.py" line="73"/>
        <source>%n customer(s) are due for periodic review.</source>
        <translation>
            <numerusform>有 %n 位客户需要定期复核。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="33"/>
        <source>Teller</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>柜员</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="34"/>
        <source>Supervisor</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="35"/>
        <source>Auditor</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>审计员</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="36"/>
        <source>Administrator</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>RolesDialog</name>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="63"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="69"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="74"/>
        <source>An auditor holds no other role; an administrator neither keys nor approves.</source>
        <translation>审计员不得兼任其他角色；系统管理员不得录入或审批。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="108"/>
        <source>Choose at least one role.</source>
        <translation>请至少选择一个角色。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="111"/>
        <source>One person cannot be both %1 and %2. Untick one of them.</source>
        <translation>同一人不能同时担任%1和%2，请取消勾选其中一个。</translation>
    </message>
</context>
<context>
    <name>ScanDialog</name>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="293"/>
        <source>Scan ID document</source>
        <translation>扫描证件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="298"/>
        <source>Open file… (Ctrl+O)</source>
        <translation>打开文件… (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="300"/>
        <source>Paste image (Ctrl+V)</source>
        <translation>粘贴图像 (Ctrl+V)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="302"/>
        <source>Newest from scanner folder (Ctrl+R)</source>
        <translation>扫描文件夹中最新的文件 (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="307"/>
        <source>…or drop a scan (image or PDF) on this window.</source>
        <translation>…或把扫描件（图像或 PDF）拖放到本窗口。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="320"/>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="468"/>
        <source>Scan the ID card (each side) or the passport&apos;s photo page, then open, paste or drop the scan.</source>
        <translation>请扫描身份证（正反面各一次）或护照个人资料页，然后打开、粘贴或拖放扫描件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="329"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="329"/>
        <source>Value read</source>
        <translation>识别结果</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="329"/>
        <source>Sure</source>
        <translation>把握</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="329"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="355"/>
        <source>Fill the form (Enter)</source>
        <translation>填入表单 (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="359"/>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="390"/>
        <source>Open a scan</source>
        <translation>打开扫描件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="392"/>
        <source>Scans (%1);;All files (*)</source>
        <translation>扫描件 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="409"/>
        <source>The clipboard holds no image. Copy the scan (or its file) first, then paste.</source>
        <translation>剪贴板中没有图像。请先复制扫描件（或其文件），再粘贴。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="418"/>
        <source>No scanner folder is set for this workstation. An administrator sets it under Settings.</source>
        <translation>本机尚未设置扫描文件夹，请管理员在“设置”中设置。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="455"/>
        <source>Reading the document… you can go on typing in the form meanwhile.</source>
        <translation>正在识别证件… 您可以同时继续在表单中录入。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="516"/>
        <source>No ID document was recognised on this scan. Check that the whole card (or the passport&apos;s photo page) is on it, the right way up and sharp, then scan again — or key the values by hand.</source>
        <translation>未能在扫描件中识别出证件。请确认整张证件（或护照个人资料页）完整、方向正确且清晰，然后重新扫描，或手工录入。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="525"/>
        <source>%1: nothing on it fits the form&apos;s fields. Key the values by hand.</source>
        <translation>%1：没有可填入表单字段的内容，请手工录入。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="534"/>
        <source>%1. Check the values; Space ticks or unticks one; Enter fills the ticked ones into the form.</source>
        <translation>%1。请核对识别结果；空格键勾选或取消勾选；回车键把勾选的值填入表单。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="553"/>
        <source>replaces what is typed: %1</source>
        <translation>将替换已录入的：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="555"/>
        <source>from the document type</source>
        <translation>由证件类型得出</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="557"/>
        <source>confirmed by a check digit or the printed page</source>
        <translation>已由校验位或证件印刷页确认</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="559"/>
        <source>check with care</source>
        <translation>请仔细核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="586"/>
        <source>Tick at least one value to fill in (Space), or close.</source>
        <translation>请至少勾选一个要填入的值（空格键），或关闭。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="590"/>
        <source>Filled into the form. Scan the other side or another document, or close.</source>
        <translation>已填入表单。可继续扫描证件另一面或其他证件，或关闭。</translation>
    </message>
</context>
<context>
    <name>ScanImageView</name>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="170"/>
        <source>No scan yet</source>
        <translation>尚无扫描件</translation>
    </message>
</context>
<context>
    <name>ScanPane</name>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="616"/>
        <source>Check each marked field against the document: Tab to it, Enter accepts it; typing over it makes it your own value.</source>
        <translation>请对照证件逐项核对带标记的字段：用 Tab 键移到该字段，按回车键确认；直接录入则以您录入的为准。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="642"/>
        <source>Still to confirm (%1): %2</source>
        <translation>待确认（%1）：%2</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="646"/>
        <source>Every value from the scan is confirmed.</source>
        <translation>扫描识别的值已全部确认。</translation>
    </message>
</context>
<context>
    <name>ScanPanel</name>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="88"/>
        <source>Resident ID card, portrait side</source>
        <extracomment>Box and badge colours: green checked, blue read well, orange and red to check with care. The tint behind a form field filled from a scan.</extracomment>
        <translation>居民身份证（人像面）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="89"/>
        <source>Resident ID card, emblem side</source>
        <translation>居民身份证（国徽面）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="90"/>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="91"/>
        <source>Identity card (machine-readable zone TD1)</source>
        <translation>身份证件（TD1 机读区）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="92"/>
        <source>Identity card or visa (machine-readable zone TD2)</source>
        <translation>身份证件或签证（TD2 机读区）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="95"/>
        <source>No document recognised</source>
        <translation>未识别出证件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="112"/>
        <source>confirmed by a check digit or the printed page</source>
        <translation>已由校验位或证件印刷页确认</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="113"/>
        <source>read clearly</source>
        <translation>识别清晰</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="114"/>
        <source>check with care</source>
        <translation>请仔细核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/scan_panel.py" line="156"/>
        <source>long term</source>
        <translation>长期</translation>
    </message>
</context>
<context>
    <name>SecondEntryPage</name>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="137"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="140"/>
        <source>Key the paper form again without seeing the first entry. Enter opens the selected record.</source>
        <translation>请对照纸质表单重新录入（看不到第一次录入的内容）。按回车键打开所选记录。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="155"/>
        <source>Nothing waits for your second entry. Records other clerks submit for dual entry appear here, with their paper form&apos;s number.</source>
        <translation>没有等待您第二次录入的记录。其他柜员提交双人录入的记录会显示在这里，并附纸质表单编号。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="170"/>
        <source>Back to the queue (Esc)</source>
        <translation>返回队列 (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="199"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/records/second_entry.py" line="213"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>待处理 %n 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/records/second_entry.py" line="233"/>
        <source>Record %1: %n field(s) differ: sent for reconciliation.</source>
        <translation>
            <numerusform>记录 %1：有 %n 个字段不一致，已转入核对。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/second_entry.py" line="236"/>
        <source>Record %1: the entries match: sent for approval.</source>
        <translation>记录 %1：两次录入一致，已提交审批。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="254"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="298"/>
        <source>New customers and changes</source>
        <translation>新开客户及信息变更</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="255"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="299"/>
        <source>New customers only</source>
        <translation>仅新开客户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="256"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="300"/>
        <source>Changes only</source>
        <translation>仅信息变更</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="257"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="301"/>
        <source>Not required</source>
        <translation>不要求</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="279"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="308"/>
        <source>The first clerk, against the paper</source>
        <translation>第一录入柜员（对照纸质表单）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="280"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="311"/>
        <source>A third clerk</source>
        <translation>第三名柜员</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="281"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="312"/>
        <source>A supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="288"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="313"/>
        <source>As the system (Chinese on a Chinese system)</source>
        <translation>跟随系统（中文系统下显示中文）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="300"/>
        <source>C&amp;hoose…</source>
        <translation>选择(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="382"/>
        <source>not enrolled</source>
        <translation>未登记</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="390"/>
        <source>Enrol this workstation with the central server using a one-time code.</source>
        <translation>使用一次性登记码在中央服务器登记本工作站。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="326"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="283"/>
        <source>Central server&apos;s CA certificate</source>
        <translation>中央服务器的 CA 证书</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="387"/>
        <source>the operating system&apos;s trusted certificates</source>
        <translation>操作系统信任的证书</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="427"/>
        <source>The server address and its CA certificate are fixed at enrolment. To change them (or after the device was revoked), enrol again with a new one-time code from the bank&apos;s central administrator; the change is written to the audit trail.</source>
        <translation>服务器地址及其 CA 证书在登记时确定。要更改它们（或设备被吊销后），请使用银行中央管理员给出的新一次性登记码重新登记；更改将记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="434"/>
        <source>Trusted CA: SHA-256 %1.</source>
        <translation>信任的 CA：SHA-256 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="296"/>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="264"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="302"/>
        <source>The clerk keying, and the supervisor</source>
        <translation>录入柜员和主管</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="265"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="305"/>
        <source>The supervisor only, at approval</source>
        <translation>仅主管（审批时）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="270"/>
        <source>Each answer to the clerk says whether a customer with the typed values exists, values the clerk sees masked included: limited to 30 such checks in ten minutes and 150 a day. &apos;The supervisor only&apos; gives clerks no such answer.</source>
        <translation>每次向柜员提示都会透露是否存在与所录入值相同的客户（包括柜员看到的是遮盖值的字段）：每 10 分钟最多 30 次、每天最多 150 次。选择“仅主管”则不向柜员作任何此类提示。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="298"/>
        <source>Where this workstation&apos;s scanner saves its files; Scan ID can take the newest one from there.</source>
        <translation>本机扫描仪保存文件的文件夹；“扫描证件”可直接读取其中最新的文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="320"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="277"/>
        <source>Lock the screen after idle minutes</source>
        <translation>空闲多少分钟后锁屏</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="321"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="278"/>
        <source>Dual entry required for</source>
        <translation>需双人录入的业务</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="322"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="279"/>
        <source>Likely existing customers are shown to</source>
        <translation>可能已存在的客户提示给</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="323"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="280"/>
        <source>Differences are settled by</source>
        <translation>录入差异核对人</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="324"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="281"/>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="325"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="282"/>
        <source>Central server address</source>
        <translation>中央服务器地址</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="328"/>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="548"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="284"/>
        <source>Scanner folder</source>
        <translation>扫描文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="329"/>
        <source>Paper form scanner</source>
        <translation>纸质表单扫描仪</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="330"/>
        <source>Paper forms are scanned at</source>
        <translation>纸质表单扫描分辨率</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="331"/>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="508"/>
        <source>Colour</source>
        <translation>色彩</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="333"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="285"/>
        <source>Review high-risk customers every (years)</source>
        <translation>高风险客户定期复核间隔（年）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="334"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="286"/>
        <source>Review medium-risk customers every (years)</source>
        <translation>中风险客户定期复核间隔（年）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="335"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="287"/>
        <source>Review low-risk customers every (years)</source>
        <translation>低风险客户定期复核间隔（年）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="336"/>
        <location filename="../../desktop_app/ui/common/labels.py" line="288"/>
        <source>Review when the ID document expires within (days)</source>
        <translation>证件到期前多少天需复核（天）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="337"/>
        <source>Save settings (Ctrl+S)</source>
        <translation>保存设置 (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="388"/>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="418"/>
        <source>E&amp;nrol…</source>
        <translation>登记(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="414"/>
        <source>This workstation&apos;s id: %1 (the bank issues a re-enrolment code for it).</source>
        <translation>本工作站编号：%1（银行按此编号生成重新登记用的登记码）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="420"/>
        <source>Not enrolled: approved records wait on this workstation.</source>
        <translation>未登记：已审批的记录暂存在本工作站。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="424"/>
        <source>Re-e&amp;nrol…</source>
        <translation>重新登记(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="432"/>
        <source>Enrolled as device %1.</source>
        <translation>已登记为设备 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="437"/>
        <source>⚠ Plain HTTP: allowed only to this computer; enrol with https:// for a real server.</source>
        <translation>⚠ 明文 HTTP：仅允许连接本机；连接正式服务器请使用 https:// 登记。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="490"/>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="535"/>
        <source>The first scanner found</source>
        <translation>找到的第一台扫描仪</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="491"/>
        <source>&amp;Find scanners…</source>
        <translation>查找扫描仪(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="493"/>
        <source>Ask the scanner drivers which scanners are connected (Alt+F).</source>
        <translation>询问扫描仪驱动程序已连接哪些扫描仪（Alt+F）。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="508"/>
        <source>Greyscale</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="508"/>
        <source>Black and white</source>
        <translation>黑白</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="510"/>
        <source>Scan both sides of each sheet</source>
        <translation>双面扫描每张纸</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="539"/>
        <source>%n scanner(s) found.</source>
        <translation>
            <numerusform>找到 %n 台扫描仪。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="542"/>
        <source>Looking for scanners…</source>
        <translation>正在查找扫描仪…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="578"/>
        <source>Saved. A new language applies at the next sign-in.</source>
        <translation>已保存。新的界面语言将在下次登录时生效。</translation>
    </message>
</context>
<context>
    <name>StatsPage</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="72"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="73"/>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="74"/>
        <source>Last 365 days</source>
        <translation>最近 365 天</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="75"/>
        <source>All time</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="79"/>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="82"/>
        <source>E&amp;xport CSV…</source>
        <translation>导出 CSV(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="88"/>
        <source>Period:</source>
        <translation>统计期间：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="95"/>
        <source>Clerk</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="95"/>
        <source>Forms</source>
        <translation>表单数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="95"/>
        <source>Fields</source>
        <translation>字段数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="95"/>
        <source>Keying errors</source>
        <translation>录入差错</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="95"/>
        <source>Error rate</source>
        <translation>差错率</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="99"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="99"/>
        <source>Compared</source>
        <translation>比对次数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="99"/>
        <source>Differing</source>
        <translation>不一致次数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="99"/>
        <source>Difference rate</source>
        <translation>不一致率</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="102"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="102"/>
        <source>Forms compared</source>
        <translation>比对表单数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="102"/>
        <source>With differences</source>
        <translation>有差异表单数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="102"/>
        <source>Rate</source>
        <translation>比率</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="106"/>
        <source>Per clerk</source>
        <translation>按柜员</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="107"/>
        <source>Per field</source>
        <translation>按字段</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="108"/>
        <source>Per day</source>
        <translation>按日期</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="116"/>
        <source>A keying error is a field the reconciliation settled against that clerk&apos;s entry. Rates count only records that had a second entry.</source>
        <translation>录入差错：核对时未采用该柜员录入值的字段。比率仅统计已完成第二次录入的记录。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="138"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="162"/>
        <source>%n form(s) compared</source>
        <translation>
            <numerusform>已比对 %n 份表单</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="168"/>
        <source>Export dual-entry statistics</source>
        <translation>导出双人录入差错统计</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="168"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/stats_page.py" line="184"/>
        <source>Saved %1</source>
        <translation>已保存至 %1</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="18"/>
        <source>Draft</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="19"/>
        <source>Awaiting second entry</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>待第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="20"/>
        <source>Awaiting reconciliation</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>待核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="21"/>
        <source>Awaiting approval</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="22"/>
        <source>Approved</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>已审批</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="23"/>
        <source>Synced</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>已同步</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="24"/>
        <source>Rejected</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="25"/>
        <source>Discarded</source>
        <translatorcomment>Added by hand: desktop_app/ui/common/labels.py calls QCoreApplication.translate through the alias t, which lupdate does not see.</translatorcomment>
        <translation>已作废</translation>
    </message>
</context>
<context>
    <name>StatusReason</name>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="87"/>
        <source>submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="88"/>
        <source>second entry keyed</source>
        <translation>已完成第二次录入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="89"/>
        <source>differences settled</source>
        <translation>差异已核对</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="90"/>
        <source>edited after being returned</source>
        <translation>退回后已修改</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="91"/>
        <source>discarded by its maker</source>
        <translation>录入人已作废</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="92"/>
        <source>change started</source>
        <translation>发起变更</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="93"/>
        <source>periodic review started</source>
        <translation>发起定期复核</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="94"/>
        <source>approved</source>
        <translation>已审批</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="95"/>
        <source>imported from a spreadsheet</source>
        <translation>从电子表格导入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="96"/>
        <source>acknowledged by the central server</source>
        <translation>中央服务器已确认</translation>
    </message>
</context>
<context>
    <name>SummaryDialog</name>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="955"/>
        <source>Check before submitting</source>
        <translation>提交前检查</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="969"/>
        <source>Paper form</source>
        <translation>纸质表单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="977"/>
        <source>Correct the errors before submitting.</source>
        <translation>请先更正错误，再提交。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/records/entry_form.py" line="979"/>
        <source>Check these warnings against the paper form. Submit anyway?</source>
        <translation>请对照纸质表单核对以下提示。仍要提交吗？</translation>
    </message>
</context>
<context>
    <name>SyncMonitor</name>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="105"/>
        <source>Sync: …</source>
        <translation>同步：…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="107"/>
        <source>⚠ Sync over plain HTTP (this computer only)</source>
        <translation>⚠ 同步使用明文 HTTP（仅限本机）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="112"/>
        <source>The central server is reached without encryption. This is allowed only to this computer (tests, or a local TLS proxy); an administrator should enrol with an https:// address.</source>
        <translation>与中央服务器的连接未加密。只允许连接本机（测试或本机的 TLS 代理）；管理员应使用 https:// 地址重新登记。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="117"/>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="202"/>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="248"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="174"/>
        <source>Sync: on</source>
        <translation>同步：已开启</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="174"/>
        <source>Sync: off</source>
        <translation>同步：未开启</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="184"/>
        <source>Sync: status unavailable</source>
        <translation>同步：状态不可用</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="185"/>
        <source>The sync state could not be read; details are in the log file.</source>
        <translation>无法读取同步状态，详情见日志文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="198"/>
        <source>Last success: %1</source>
        <translation>上次成功：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="202"/>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="248"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="208"/>
        <source>Sync: not configured</source>
        <translation>同步：未配置</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="209"/>
        <source>Sync: %n pending</source>
        <translation>
            <numerusform>同步：待发送 %n 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="211"/>
        <source>%n refused</source>
        <translation>
            <numerusform>被拒 %n 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="213"/>
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>冲突 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="215"/>
        <source>syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="218"/>
        <source>last error: %1</source>
        <translation>上次错误：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="220"/>
        <source>last success %1</source>
        <translation>上次成功 %1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_status.py" line="222"/>
        <source>not synced yet</source>
        <translation>尚未同步成功</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="234"/>
        <source>All rows</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="235"/>
        <source>Pending</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="236"/>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="237"/>
        <source>Version conflict</source>
        <translation>版本冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="238"/>
        <source>Key conflict</source>
        <translation>键冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="239"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="243"/>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="277"/>
        <source>Send every pending row now, also those waiting before their next attempt, then the audit trail.</source>
        <translation>立即发送所有待发送的记录（包括正在等待下次尝试的），然后上传审计日志。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="274"/>
        <source>Sync now (F9)</source>
        <translation>立即同步 (F9)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="280"/>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="282"/>
        <source>Stop after the batch being sent; the rest stays pending.</source>
        <translation>发送完当前批次后停止，其余记录仍待发送。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="287"/>
        <source>%v of %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="289"/>
        <source>Retry selected (Ctrl+R)</source>
        <translation>重试所选 (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="292"/>
        <source>Send the selected rows again at the next sync, once what the server objected to is fixed.</source>
        <translation>在服务器指出的问题纠正后，于下次同步时重新发送所选记录。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="303"/>
        <source>&lt;b&gt;Outbox&lt;/b&gt; — approved records for the central server</source>
        <translation>&lt;b&gt;发件箱&lt;/b&gt; — 待发往中央服务器的已审批记录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="304"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="341"/>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="360"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="396"/>
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n 条</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="399"/>
        <source>%1 of %2 rows (scroll for more)</source>
        <translation>%1 / %2 条（向下滚动加载更多）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="411"/>
        <source>Pending: %1</source>
        <translation>待发送：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="412"/>
        <source>Refused: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="413"/>
        <source>Conflicts: %1</source>
        <translation>冲突：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="414"/>
        <source>Acknowledged: %1</source>
        <translation>已确认：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="416"/>
        <source>Last success: %1</source>
        <translation>上次成功：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="418"/>
        <source>Last success: never</source>
        <translation>上次成功：从未</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="423"/>
        <source>Paper pages waiting: %1</source>
        <translation>待上传纸质表单页：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="425"/>
        <source>sent: %1</source>
        <translation>已发送：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="430"/>
        <source>Pages the server does not take (they go once it does): %1</source>
        <translation>中央服务器暂不接收的页（接收后自动发送）：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="434"/>
        <source>Pages refused: %1</source>
        <translation>被拒绝的页：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="441"/>
        <source>A sync is running…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="451"/>
        <source>This workstation is not enrolled with a central server: records wait here. An administrator enrols it under Settings.</source>
        <translation>本工作站尚未在中央服务器登记，记录暂存在本机。请管理员在“设置”中登记。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="456"/>
        <source>Central server %1 · device %2 · audit trail anchored up to entry %3 of %4</source>
        <translation>中央服务器 %1 · 设备 %2 · 审计日志已上传至第 %3 条（共 %4 条）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="464"/>
        <source>Plain HTTP: records go to this computer unencrypted (allowed only to this computer). Enrol again with an https:// address for a real server.</source>
        <translation>明文 HTTP：记录以未加密方式发往本机（仅允许连接本机）。连接正式服务器请使用 https:// 地址重新登记。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="484"/>
        <source>Select a row to see what the central server said about it.</source>
        <translation>选择一行可查看中央服务器的答复。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="487"/>
        <source>Record %1, version %2: %3</source>
        <translation>记录 %1，版本 %2：%3</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="519"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="529"/>
        <source>Cancelling after the batch being sent…</source>
        <translation>正在取消，当前批次发送完后停止…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="538"/>
        <source>Syncing: %1 of %2 records sent…</source>
        <translation>正在同步：已发送 %1 / %2 条记录…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="541"/>
        <source>No records due; anchoring the audit trail…</source>
        <translation>没有待发送的记录，正在上传审计日志…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="548"/>
        <source>%1 sent, %2 acknowledged, %3 refused, %4 conflict(s), %5 audit entries anchored.</source>
        <translation>已发送 %1 条，已确认 %2 条，被拒绝 %3 条，冲突 %4 条，审计日志上传 %5 条。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="557"/>
        <source>The sync did not finish: %1</source>
        <translation>同步未完成：%1</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="559"/>
        <source>Sync cancelled; the rest stays pending for the next run.</source>
        <translation>同步已取消，其余记录留待下次同步。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="561"/>
        <source>Sync finished:</source>
        <translation>同步完成：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="563"/>
        <source>Refused and conflicting rows are highlighted below.</source>
        <translation>被拒绝和冲突的记录已在下方突出显示。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="584"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="592"/>
        <source>Select the rows to send again (Shift or Ctrl for several).</source>
        <translation>请选择要重新发送的记录（按住 Shift 或 Ctrl 可多选）。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="607"/>
        <source>%n row(s) will be sent again at the next sync.</source>
        <translation>
            <numerusform>%n 条记录将在下次同步时重新发送。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="610"/>
        <source>%1 of %2 selected rows will be sent again at the next sync; the others were left as they are.</source>
        <translation>所选 %2 条中有 %1 条将在下次同步时重新发送，其余保持不变。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/operations/sync_page.py" line="622"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="125"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="125"/>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="125"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="125"/>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="133"/>
        <source>&amp;Add user…</source>
        <translation>新增用户(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="134"/>
        <source>R&amp;oles…</source>
        <translation>设置角色(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="135"/>
        <source>Loc&amp;k</source>
        <translation>锁定(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="136"/>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="137"/>
        <source>Reset &amp;password</source>
        <translation>重置密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="161"/>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="161"/>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="163"/>
        <source>must change password</source>
        <translation>须修改密码</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="200"/>
        <source>User added</source>
        <translation>用户已添加</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="176"/>
        <source>Temporary password (to be changed at first sign-in):</source>
        <translation>临时密码（首次登录时须修改）：</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/admin/admin_pages.py" line="231"/>
        <source>Password reset</source>
        <translation>密码已重置</translation>
    </message>
</context>
<context>
    <name>VersionKind</name>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="72"/>
        <source>created</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="73"/>
        <source>edited</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="74"/>
        <source>change started</source>
        <translation>发起变更</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="75"/>
        <source>reconciled</source>
        <translation>核对完成</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="76"/>
        <source>imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="77"/>
        <source>periodic review</source>
        <translation>定期复核</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/common/labels.py" line="78"/>
        <source>sent on again unchanged</source>
        <translation>未修改再次提交</translation>
    </message>
</context>
<context>
    <name>WatchlistPage</name>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="211"/>
        <source>&amp;Import a list file…</source>
        <translation>导入名单文件(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="214"/>
        <source>The UN Security Council consolidated list (XML) or the bank&apos;s own list (CSV: ref, name, ...)</source>
        <translation>联合国安理会综合制裁名单（XML）或本行自有名单（CSV：ref、name 等列）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="219"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="219"/>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="219"/>
        <source>Entries</source>
        <translation>条目数</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="219"/>
        <source>Imported</source>
        <translation>导入时间</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="219"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="228"/>
        <source>Lists screened against: the newest version of each.</source>
        <translation>筛查所用名单：每份名单的最新版本。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="253"/>
        <source> (current)</source>
        <translation>（当前）</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="264"/>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="284"/>
        <source>Import a watchlist</source>
        <translation>导入名单</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="264"/>
        <source>List files (*.xml *.csv)</source>
        <translation>名单文件 (*.xml *.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="285"/>
        <source>Import it anyway?</source>
        <translation>仍然导入吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="294"/>
        <source>Reading the list…</source>
        <translation>正在读取名单…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="319"/>
        <source>Re-screening paused; it goes on when this page is opened again.</source>
        <translation>重新筛查已暂停，再次打开此页面时将继续。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="335"/>
        <source>Approved customers re-screened: %1, hits: %2.</source>
        <translation>已重新筛查的已审批客户：%1，命中：%2。</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/supervision/watchlist_page.py" line="337"/>
        <source>Re-screening approved customers in the background: %1 of %3, hits so far: %2.</source>
        <translation>正在后台重新筛查已审批客户：%1 / %3，目前命中：%2。</translation>
    </message>
</context>
</TS>
