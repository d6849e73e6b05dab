"""Sync with the central server: enrolment, one sync run, the outbox for the Sync page, retry, retention.

Who may do what (domain/roles.py): enrol and purge need SYNC_ADMIN (admin); run, status, outbox and retry need
SYNC_OPERATE (supervisor, admin). `run_once(None)` and `purge_acknowledged(None)` are the workstation's own
background job, which runs with no user signed in (audited under the names below).

A run never raises for what the network or the server did: it returns a SyncSummary with the error, and the
same error is kept for status() (the status bar). It raises a ServiceError only for what the caller must fix
first: no permission, not enrolled, settings that no longer match the enrolment, or a run already under way.

The server's address and trust anchor are fixed at enrolment (sync/enrolment.py): a run goes only to the
enrolled address, trusting only the CA certificate read at enrolment, and refuses, sending nothing, when the
settings or the store say otherwise; changing them is a new enrolment with a code from the bank.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.roles import Permission
from desktop_app.domain.server_address import AddressProblem, parse_server_address
from desktop_app.domain.settings_catalog import check_setting
from desktop_app.domain.sync_protocol import Reason
from desktop_app.domain.text import Text
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import InvalidRequest, ServiceError
from desktop_app.services.settings import read_setting
from desktop_app.storage.errors import StoreError
from desktop_app.storage.models import AuditHead, OutboxItem, PageOutbox, Record, Setting, SyncState
from desktop_app.storage.store import Store
from desktop_app.sync import credentials
from desktop_app.sync.audit_anchor import HeadMismatch, anchor_audit, head_mismatch
from desktop_app.sync.enrolment import (
    ENROLMENT_MISMATCH,
    SERVER_CHANGED,
    TRUST_ANCHOR_CHANGED,
    Configured,
    EnrolmentPin,
    Mismatch,
    anchor_digest,
    mismatch,
    read_trust_anchor,
    unpinned,
)
from desktop_app.sync.errors import AuditChainBreak, RateLimited, RequestRejected, SyncTransportError, Throttled
from desktop_app.sync.outbox import CUSTOMER_HELD_ELSEWHERE as CUSTOMER_HELD_ELSEWHERE  # re-exported: the UI words it
from desktop_app.sync.outbox import RECORD_HELD_ELSEWHERE as RECORD_HELD_ELSEWHERE  # re-exported: the UI words it
from desktop_app.sync.outbox import RETRYABLE, load_central, load_reasons
from desktop_app.sync.outbox import OutboxState as OutboxState  # re-exported: the UI filters by it
from desktop_app.sync.retention import purge_records, purgeable
from desktop_app.sync.retry_policy import DEFAULT_POLICY, RetryPolicy
from desktop_app.sync.transport import Transport
from desktop_app.sync.uploader import Uploader

log = logging.getLogger(__name__)

#: The error codes of a run refused because the settings or the store no longer match the enrolment.
ENROLMENT_PROBLEMS = frozenset({SERVER_CHANGED, TRUST_ANCHOR_CHANGED, ENROLMENT_MISMATCH})
#: The error code of a trail here that does not extend what the server holds (found at enrolment or at a run).
AUDIT_CHAIN_BREAK = AuditChainBreak.code

BACKGROUND_SYNC = "background-sync"  # the audit trail's actor name for a run with no user
RETENTION_JOB = "retention-job"
MAX_PAGE = 500

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# The Chinese text for each transport failure (the English text comes with the error and names the details).
_ZH: dict[str, str] = {
    "insecure_address": "拒绝以明文 http 连接其他计算机，请使用 https:// 地址（明文 http 只允许连接本机）。",
    "bad_address": "中央服务器地址无效，请使用 https://主机[:端口] 形式的地址。",
    "ca_bundle_unreadable": "无法读取 CA 证书文件，请检查文件，并用 --ca 和银行给出的登记码重新登记。",
    "certificate_untrusted": "登记时的 CA 证书不信任中央服务器的证书，未发送任何数据。"
    "如果银行更换了服务器的 CA，请管理员用新的 CA 文件和银行给出的登记码重新登记。",
    "unreachable": "无法连接中央服务器。记录仍在队列中，网络恢复后会发送。",
    "server_error": "中央服务器出错，稍后会自动重试。记录仍在队列中。",
    "not_authenticated": "中央服务器不接受本工作站的凭据，请管理员重新登记（desktop-app sync-enrol）。",
    "device_revoked": "中央服务器已吊销本工作站，未发送任何记录，记录仍在队列中。"
    "请联系中央管理员并用新登记码重新登记。",
    "enrolment_refused": "登记码被拒绝（登记码只能使用一次且会过期），请向中央管理员索取新的登记码。",
    "workstation_already_enrolled": "本工作站已在中央服务器登记，而此登记码只用于新工作站，登记码未被使用。"
    "重新登记需要银行为本工作站生成的登记码：请把本工作站编号 {workstation} 告诉中央管理员，"
    "由其运行 desktop-app-server enrol-code --workstation {workstation}。",
    "enrolment_code_for_another_workstation": "此登记码是为另一台工作站生成的，不能用于本工作站，登记码未被使用。"
    "请把本工作站编号 {workstation} 告诉中央管理员，索取本工作站的登记码"
    "（desktop-app-server enrol-code --workstation {workstation}）。",
    "too_many_attempts": "登记失败次数过多，中央服务器在{wait}内不接受来自本地址的登记。"
    "请向银行中央管理员核对登记码（登记码只能使用一次且会过期），之后再试。",
    "rate_limited": "中央服务器暂时不接收本设备的记录：过去一小时内新客户或被拒记录过多，已通知中央管理员。"
    "未再发送记录，记录仍在队列中，将在 {next} 之后的同步中发送。",
    "request_rejected": "中央服务器拒绝了该请求，请将日志交给技术支持。",
    "audit_chain_break": "中央服务器发现本工作站的审计日志与已上传的部分不一致：本地日志被改动过。"
    "请运行 desktop-app verify 并通知安全部门。",
    "key_conflict": "中央服务器对某些记录版本持有不同的内容，未做任何更改。请通知中央管理员。",
    "redirected": "中央服务器要求转到其他地址，未跟随：凭据只发送到登记时的地址。"
    "如果银行迁移了服务器，请管理员用银行给出的登记码重新登记。",
    "foreign_origin": "一个发往其他地址的请求已被拦截：本工作站只向登记时的中央服务器发送数据。",
    "server_changed": "同步设置中的服务器地址与登记时的地址不同，未发送任何数据。服务器地址只能通过重新登记更改："
    "请管理员用银行中央管理员给出的登记码重新登记（desktop-app sync-enrol）。",
    "trust_anchor_changed": "同步设置中的 CA 证书与登记时的不同，未发送任何数据。CA 证书只能通过重新登记更改："
    "请管理员用银行中央管理员给出的登记码重新登记（desktop-app sync-enrol）。",
    "enrolment_unpinned": "系统凭据存储中的同步凭据没有绑定登记时的服务器地址和 CA 证书（由旧版本保存），"
    "未发送任何数据。请管理员用银行中央管理员给出的登记码重新登记（desktop-app sync-enrol）。",
    "enrolment_mismatch": "系统凭据存储中的同步凭据与本数据库记录的登记不一致（数据库是否从登记前的备份恢复？），"
    "未发送任何数据。请管理员用银行中央管理员给出的登记码重新登记（desktop-app sync-enrol）。",
}


def _error_text(code: str | None, english: str, **values: str) -> Text:
    """An error in both languages: `english` (it names the details) and the Chinese for its code (the English
    when the code has none), with the Chinese {placeholders} filled from `values`."""
    chinese = _ZH.get(code or "", english)
    for name, value in values.items():
        chinese = chinese.replace("{" + name + "}", value)
    return Text(en=english, zh=chinese)


def _utc(moment: datetime) -> str:
    """A stored (naive UTC) time as the messages show it."""
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _wait_in_chinese(seconds: int) -> str:
    return f" {seconds} 秒" if seconds < 90 else f"约 {round(seconds / 60)} 分钟"


def _run_error_text(code: str | None, english: str, retry_at: datetime | None, sent: int = 0, audit: int = 0) -> Text:
    """A run's error in both languages; a rate limit says when the next run may send. `sent` and `audit`: what
    the run had sent before the error (the Chinese for a code says "nothing was sent" of the failed request)."""
    if code == RateLimited.code:
        return _error_text(code, english, next=_utc(retry_at) if retry_at else "稍后")
    text = _error_text(code, english)
    if not (sent or audit):
        return text
    chinese = text.zh.replace("未发送任何数据", "未再发送数据").replace("未发送任何记录", "未再发送记录")
    return Text(en=english, zh=f"{chinese}本次同步在此之前已发送 {sent} 个记录版本和 {audit} 条审计日志。")


#: What a transport error says of the request it ends; a run that sent earlier batches says "more" instead.
_NOTHING_SENT = "Nothing was sent"


def _truthful(error: tuple[str, str], sent: int, audit: int) -> tuple[str, str]:
    """The run's error as the summary states it: a transport error describes the one request that failed, so after
    batches that went it says what went before, never "Nothing was sent" under a line that says "sent 1"."""
    if not (sent or audit):
        return error
    code, message = error
    message = message.replace(_NOTHING_SENT, "Nothing more was sent")
    return code, f"{message} Sent in this run before that: {sent} record version(s) and {audit} audit entries."


class SyncNotConfigured(ServiceError):
    """The workstation is not enrolled with a central server (or its credential is gone)."""

    code = "sync_not_configured"


class SyncEnrolmentChanged(SyncNotConfigured):
    """The settings (or the store) no longer match the enrolment: nothing was sent. `reason` is server_changed,
    trust_anchor_changed or enrolment_mismatch; the fix is a new enrolment with a code from the bank."""

    code = "sync_enrolment_changed"

    def __init__(self, message_en: str, message_zh: str = "", reason: str = "") -> None:
        super().__init__(message_en, message_zh)
        self.reason = reason


class SyncRefused(ServiceError):
    """Enrolment did not succeed; `reason` is the transport's error code (unreachable, enrolment_refused...)."""

    code = "sync_refused"

    def __init__(self, message_en: str, message_zh: str = "", reason: str = "") -> None:
        super().__init__(message_en, message_zh)
        self.reason = reason


class SyncBusy(ServiceError):
    """A sync run is already under way in this process."""

    code = "sync_busy"


@dataclass(frozen=True)
class Enrolled:
    """The result of an enrolment. `audit_head_seq` is where the workstation's trail goes on on the server (0 the
    first time; after a re-enrolment, the head the previous device reached). `audit_break_text` says, when
    not None, that the trail here does not hold that head: enrolled, but the server will refuse this trail."""

    device_id: str
    server_url: str
    insecure_http: bool
    ca_sha256: str = ""  # SHA-256 of the CA certificates kept for the server ("": the OS trust store)
    workstation_id: str = ""
    audit_head_seq: int = 0
    audit_break_text: Text | None = None

    def audit_break(self, lang: str) -> str | None:
        """The audit-chain break found at enrolment in the UI language ("zh_CN" or "en"), or None."""
        return None if self.audit_break_text is None else self.audit_break_text.render(lang)


@dataclass(frozen=True)
class _Target:
    """Where a run sends, as fixed at enrolment: the address, the trust anchor (None: the OS trust store), and
    the credential."""

    server_url: str
    ca_pem: str | None
    credential: str


@dataclass(frozen=True)
class SyncStatus:
    """Everything the status bar and the Sync page show about sync, with no personal data.

    `server_url` is the address enrolled with (the setting when there is no enrolment); `ca_sha256` the SHA-256
    of the CA certificate kept at enrolment ("" for the OS trust store, None when not enrolled).
    `conflicts` counts version conflicts and key conflicts together; `key_conflicts` the serious ones alone.
    `last_error` (English, with details) and `last_error_code` describe the last run; None after a clean run.
    """

    configured: bool
    server_url: str
    insecure_http: bool
    device_id: str | None
    pending: int
    refused: int
    conflicts: int
    key_conflicts: int
    acked: int
    purged: int
    last_attempt: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_code: str | None
    next_attempt_at: datetime | None
    audit_anchored_seq: int
    audit_local_seq: int
    running: bool
    ca_sha256: str | None = None
    workstation_id: str = ""  # this store's id: the bank's administrator needs it to issue a re-enrolment code
    # Paper form pages queued for the central server (issue 16), by page_outbox state: pending, sent, not_taken
    # (the server did not take pages when asked; queued again when it does), refused.
    pages: Mapping[str, int] = field(default_factory=dict)

    def error_message(self, lang: str) -> str | None:
        """The last error in the UI language ("zh_CN" or "en")."""
        if self.last_error is None:
            return None
        return _run_error_text(self.last_error_code, self.last_error, self.next_attempt_at).render(lang)


@dataclass(frozen=True)
class OutboxRow:
    """One outbox row for the Sync page: which record version, where it stands, and what the server said."""

    id: int
    record_id: str
    version: int
    state: OutboxState
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    reasons: tuple[Reason, ...]
    central: Mapping[str, Any] | None
    created_at: datetime
    acked_at: datetime | None


@dataclass(frozen=True)
class SyncSummary:
    """What one run did. `errors` counts failures (transport, audit chain, key conflicts); refusals are answers,
    shown in `refused`, not errors. `error`/`error_code` describe the most serious failure."""

    sent: int
    acked: int
    refused: int
    conflicts: int
    errors: int
    key_conflicts: int = 0
    audit_entries: int = 0
    cancelled: bool = False
    error: str | None = None
    error_code: str | None = None
    retry_at: datetime | None = None  # after a rate limit: no row goes before then

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def message(self, lang: str) -> str | None:
        """The error in the UI language ("zh_CN" or "en"), or None."""
        if self.error is None:
            return None
        return _run_error_text(self.error_code, self.error, self.retry_at, self.sent, self.audit_entries).render(lang)


def _sync_state(s: Session) -> SyncState:
    state = s.get(SyncState, 1)
    if state is None:
        state = SyncState(id=1, audit_seq=0, audit_hash="")
        s.add(state)
        s.flush()
    return state


def _put_setting(s: Session, key: str, value: object, user_id: int) -> None:
    problem = check_setting(key, value)
    if problem:
        raise InvalidRequest(problem.capitalize() + ".", f"设置无效：{problem}")
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=json.dumps(value), updated_at=utcnow(), updated_by=user_id))
    else:
        row.value, row.updated_at, row.updated_by = json.dumps(value), utcnow(), user_id


def _severity(error: SyncTransportError) -> int:
    if isinstance(error, AuditChainBreak):
        return 0
    if isinstance(error, RequestRejected):
        return 2
    return 1


class SyncService:
    def __init__(self, store: Store, policy: RetryPolicy = DEFAULT_POLICY) -> None:
        self._store = store
        self._policy = policy
        self._running = threading.Lock()  # one run at a time per workstation process (the UI's worker and a click)
        self._after_run: list[Callable[[Transport], object]] = []

    def add_after_run(self, work: Callable[[Transport], object]) -> None:
        """Run `work` with the run's transport after each sync run that reached the server (queued duplicate
        queries: services/branch_matches.py). It handles its own errors; a SyncTransportError it lets through is
        logged, never the run's failure."""
        self._after_run.append(work)

    def connect(self, actor: Actor | None, timeout: float | None = None) -> Transport:
        """A transport to the enrolled server with the device credential, refused as a run would be
        (SyncNotConfigured, SyncEnrolmentChanged); the caller closes it. `timeout` in seconds for each request."""
        target = self._target(actor)
        if timeout is None:
            return Transport(target.server_url, ca_pem=target.ca_pem, credential=target.credential)
        return Transport(
            target.server_url, ca_pem=target.ca_pem, credential=target.credential, timeout=httpx.Timeout(timeout)
        )

    # --- enrolment -------------------------------------------------------------------------------------------
    def enrol(
        self, actor: Actor, server_url: str, code: str, ca_bundle: str | None = None, name: str | None = None
    ) -> Enrolled:
        """Exchange a one-time enrolment code for this workstation's device credential (admin).

        The only way to set or change the server's address and trust anchor. The credential goes into the OS
        credential store, pinned to the address and the SHA-256 of the CA file's certificates; the certificates
        are kept in the store, the address and the CA file's path in the settings. Audited (with the enrolment
        it replaces). Everything is checked before the code is spent: the address rule, the CA file, the store.
        The audit trail goes on from the head the server names (a re-enrolment's previous device's); a trail here
        that does not hold it is an audit-chain break, audited and told in `Enrolled.audit_break`.
        """
        with self._store.read() as s:
            authorise(s, actor, Permission.SYNC_ADMIN)
        try:
            address = parse_server_address(server_url)
        except AddressProblem as exc:
            zh = _ZH["insecure_address"] if exc.insecure else _ZH["bad_address"]
            raise InvalidRequest(str(exc), zh) from None
        bundle, ca_pem = "", None
        if ca_bundle and ca_bundle.strip():
            path = Path(ca_bundle.strip()).expanduser().resolve()
            if not path.is_file():
                raise InvalidRequest(f"The CA bundle {path} does not exist.", f"CA 证书文件 {path} 不存在。")
            bundle = str(path)
            try:
                ca_pem = read_trust_anchor(bundle)
            except SyncTransportError as exc:
                refused = _error_text(exc.code, exc.message)
                raise SyncRefused(refused.en, refused.zh, exc.code) from None
        clean_code = code.strip()
        if not clean_code:
            raise InvalidRequest("Type the enrolment code from the central server.", "请输入中央服务器给出的登记码。")
        try:
            credentials.check_available()
        except StoreError as exc:
            raise InvalidRequest(
                f"{exc} The sync credential must be kept in the OS credential store.",
                "没有可用的系统凭据存储，无法保存同步凭据。",
            ) from None
        workstation_id = self._store.workstation_id
        try:
            with Transport(address.base_url, ca_pem=ca_pem) as transport:
                enrolment = transport.enrol(clean_code, workstation_id, name or socket.gethostname())
        except SyncTransportError as exc:
            wait = _wait_in_chinese(exc.retry_after) if isinstance(exc, Throttled) else ""
            refused = _error_text(exc.code, exc.message, workstation=workstation_id, wait=wait)
            raise SyncRefused(refused.en, refused.zh, exc.code) from None
        pin = EnrolmentPin(address.base_url, bundle, anchor_digest(ca_pem), enrolment.device_id)
        try:
            credentials.save(workstation_id, enrolment.credential, pin)
        except StoreError as exc:
            raise SyncRefused(
                f"{exc} The enrolment code is spent: ask for a new one.", "凭据无法保存，登记码已用，请索取新的登记码。"
            ) from None
        with self._store.write() as s:
            user, _ = authorise(s, actor, Permission.SYNC_ADMIN)
            _put_setting(s, "sync_server_url", address.base_url, user.id)
            _put_setting(s, "sync_ca_bundle", bundle, user.id)
            state = _sync_state(s)
            previous = (
                {"device_id": state.device_id, "server": state.server_url, "ca_sha256": anchor_digest(state.ca_pem)}
                if state.device_id
                else None
            )
            state.device_id, state.server_url, state.enrolled_at = enrolment.device_id, address.base_url, utcnow()
            state.ca_pem = ca_pem
            # The trail belongs to the workstation: a re-enrolled one goes on from the head its previous device
            # reached, which the trail here must hold.
            state.audit_seq, state.audit_hash = enrolment.audit_head_seq, enrolment.audit_head_hash
            state.audit_anchored_at = None
            state.last_error = state.last_error_code = state.last_error_at = None
            wrong_head = head_mismatch(s, enrolment.audit_head_seq, enrolment.audit_head_hash)
            self._store.audit(
                s,
                action="sync.enrol",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={
                    "device_id": enrolment.device_id,
                    "server": address.base_url,
                    "ca_bundle": bundle,
                    "ca_sha256": pin.ca_sha256,
                    "insecure_http": address.insecure,
                    "replaces": previous,  # a re-enrolment: the enrolment it ends (None for the first one)
                    "audit_head_seq": enrolment.audit_head_seq,
                },
            )
            audit_break: Text | None = None
            if wrong_head is not None:
                audit_break = self._audit_break_at_enrolment(s, actor, enrolment.device_id, wrong_head)
        log.info("enrolled with %s as device %s", address.base_url, enrolment.device_id)
        return Enrolled(
            enrolment.device_id,
            address.base_url,
            address.insecure,
            pin.ca_sha256,
            workstation_id,
            enrolment.audit_head_seq,
            audit_break,
        )

    def _audit_break_at_enrolment(self, s: Session, actor: Actor, device_id: str, wrong: HeadMismatch) -> Text:
        """The trail here does not hold the head the server continues from: audit it and keep it as the last error
        (in the enrolment's transaction, before any run sends anything). Its message in English and Chinese."""
        en = (
            f"Enrolled as device {device_id}, but the audit trail here does not go on from what the central server "
            f"holds for this workstation. {wrong.message} The central server will refuse this trail; records are "
            "still sent. Run 'desktop-app verify' and tell security."
        )
        if wrong.local_hash is None:
            detail = (
                f"中央服务器保存的审计日志到第 {wrong.server_seq} 条，本地日志只到第 {wrong.local_seq} 条："
                "有条目被删除，或数据库从较早的备份恢复。"
            )
        else:
            detail = f"本地审计日志的第 {wrong.server_seq} 条与中央服务器保存的不同：日志在上传后被改动过。"
        zh = (
            f"已登记为设备 {device_id}，但本地审计日志与中央服务器为本工作站保存的部分不一致。{detail}"
            "中央服务器将拒绝此审计日志，记录仍会发送。请运行 desktop-app verify 并通知安全部门。"
        )
        self._store.audit(
            s,
            action="sync.audit_chain_break",
            actor_id=actor.user_id,
            actor_name=actor.username,
            details={
                "device_id": device_id,
                "server_head_seq": wrong.server_seq,
                "server_head_hash": wrong.server_hash,
                "local_head_seq": wrong.local_seq,
                "local_hash": wrong.local_hash,
            },
        )
        state = _sync_state(s)
        state.last_error_code, state.last_error, state.last_error_at = AuditChainBreak.code, en[:2000], utcnow()
        log.error("audit-chain break found at enrolment: %s", wrong.message)
        return Text(en=en, zh=zh)

    # --- reading ---------------------------------------------------------------------------------------------
    def status(self, actor: Actor) -> SyncStatus:
        """Counts by state, last success and error, and whether sync is set up (for the status bar)."""
        with self._store.read() as s:
            authorise(s, actor, Permission.SYNC_OPERATE)
            counts = {
                str(state): int(n)
                for state, n in s.execute(select(OutboxItem.state, func.count()).group_by(OutboxItem.state))
            }
            next_at = s.scalar(
                select(func.min(OutboxItem.next_attempt_at)).where(OutboxItem.state == OutboxState.PENDING.value)
            )
            state = s.get(SyncState, 1)
            url = (state.server_url if state else None) or str(read_setting(s, "sync_server_url") or "")
            head = s.get(AuditHead, 1)
            purged = int(s.scalar(select(func.count()).select_from(Record).where(Record.purged_at.is_not(None))) or 0)
            pages = {
                str(page_state): int(n)
                for page_state, n in s.execute(select(PageOutbox.state, func.count()).group_by(PageOutbox.state))
            }
            local_seq = head.seq if head else 0
            s.expunge_all()  # keep the loaded values readable after the read transaction ends
        try:
            insecure = bool(url) and parse_server_address(url).insecure
        except AddressProblem:
            insecure = False
        return SyncStatus(
            configured=bool(url and state is not None and state.device_id),
            server_url=url,
            insecure_http=insecure,
            device_id=state.device_id if state else None,
            pending=counts.get(OutboxState.PENDING.value, 0),
            refused=counts.get(OutboxState.REFUSED.value, 0),
            conflicts=counts.get(OutboxState.CONFLICT.value, 0) + counts.get(OutboxState.KEY_CONFLICT.value, 0),
            key_conflicts=counts.get(OutboxState.KEY_CONFLICT.value, 0),
            acked=counts.get(OutboxState.ACKED.value, 0),
            purged=purged,
            last_attempt=state.last_attempt_at if state else None,
            last_success=state.last_success_at if state else None,
            last_error=state.last_error if state else None,
            last_error_code=state.last_error_code if state else None,
            next_attempt_at=next_at,
            audit_anchored_seq=state.audit_seq if state else 0,
            audit_local_seq=local_seq,
            running=self._running.locked(),
            ca_sha256=anchor_digest(state.ca_pem) if state and state.device_id else None,
            workstation_id=self._store.workstation_id,
            pages=pages,
        )

    @property
    def workstation_id(self) -> str:
        """This store's workstation id: what the bank's administrator names to issue a re-enrolment code."""
        return self._store.workstation_id

    def outbox(
        self,
        actor: Actor,
        state: OutboxState | str | None = None,
        offset: int = 0,
        limit: int = 50,
        *,
        newest_first: bool = False,
    ) -> list[OutboxRow]:
        """One page of outbox rows (all, or one state), oldest first unless `newest_first`; no personal values."""
        wanted = OutboxState(state) if state is not None else None
        with self._store.read() as s:
            authorise(s, actor, Permission.SYNC_OPERATE)
            query = select(OutboxItem)
            if wanted is not None:
                query = query.where(OutboxItem.state == wanted.value)
            query = query.order_by(OutboxItem.id.desc() if newest_first else OutboxItem.id)
            rows = s.scalars(query.offset(max(0, offset)).limit(max(1, min(limit, MAX_PAGE))))
            return [
                OutboxRow(
                    id=r.id,
                    record_id=r.record_id,
                    version=r.version,
                    state=OutboxState(r.state),
                    attempts=r.attempts,
                    next_attempt_at=r.next_attempt_at,
                    last_error=r.last_error,
                    reasons=load_reasons(r.reasons),
                    central=load_central(r.central),
                    created_at=r.created_at,
                    acked_at=r.acked_at,
                )
                for r in rows
            ]

    # --- running ---------------------------------------------------------------------------------------------
    def run_once(
        self, actor: Actor | None = None, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> SyncSummary:
        """One sync: upload due outbox rows in batches, then anchor the audit trail.

        With an actor (someone pressed "Sync now") rows waiting out their backoff are sent too; the background
        job (actor None) respects it. `progress(done, total)` is called after each batch and `cancelled()` is
        asked between batches (a batch in flight is always finished and marked). Run from a worker thread.
        """
        if actor is not None:  # refused before anything else, also while another run is under way
            with self._store.read() as s:
                authorise(s, actor, Permission.SYNC_OPERATE)
        if not self._running.acquire(blocking=False):
            raise SyncBusy("A sync is already running; wait for it to finish.", "同步正在进行，请等待其完成。")
        try:
            return self._run(actor, progress, cancelled)
        finally:
            self._running.release()

    def _target(self, actor: Actor | None) -> _Target:
        """Where this run may send: the enrolled address and trust anchor, with the credential bound to them.

        SyncNotConfigured when not enrolled; SyncEnrolmentChanged (noted, audited) when the settings or the store
        say something else than the enrolment, or the credential is not bound to an enrolment."""
        with self._store.read() as s:
            state = s.get(SyncState, 1)
            configured = Configured(
                server_url=str(read_setting(s, "sync_server_url") or ""),
                ca_bundle=str(read_setting(s, "sync_ca_bundle") or ""),
                device_id=state.device_id if state else None,
                enrolled_url=state.server_url if state else None,
                ca_pem=state.ca_pem if state else None,
            )
        if not configured.server_url or not configured.device_id:
            raise SyncNotConfigured(
                "This workstation is not enrolled with a central server. An administrator runs "
                "'desktop-app sync-enrol URL' (it asks for the code) with a code from the central server.",
                "本工作站尚未在中央服务器登记。请管理员使用中央服务器给出的登记码运行 desktop-app sync-enrol。",
            )
        try:
            stored = credentials.read(self._store.workstation_id)
        except StoreError as exc:
            stored, problem = None, str(exc)
        else:
            problem = "The device credential is missing from the OS credential store."
        if stored is None:
            self._note(attempted=True, error=("not_authenticated", f"{problem} Enrol again with a new code."))
            raise SyncNotConfigured(
                f"{problem} An administrator must enrol this workstation again ('desktop-app sync-enrol').",
                "系统凭据存储中没有本工作站的同步凭据，请管理员重新登记（desktop-app sync-enrol）。",
            )
        if stored.pin is None:
            # A credential without its binding (as versions before pins kept it) is never bound from what the store
            # says: whoever can write the database and the credential store could name any server there. Refused,
            # audited, nothing sent; a re-enrolment with a code from the bank binds a new credential.
            unbound = EnrolmentPin(configured.enrolled_url or "", "", "", configured.device_id or "")
            self._refuse(actor, unpinned(unbound), unbound, configured)
        pin = stored.pin
        wrong = mismatch(pin, stored.credential, configured)
        if wrong is not None:
            self._refuse(actor, wrong, pin, configured)
        return _Target(pin.server_url, configured.ca_pem or None, stored.credential)

    def _refuse(self, actor: Actor | None, wrong: Mismatch, pin: EnrolmentPin, configured: Configured) -> NoReturn:
        """Note the refusal for the status bar, audit it (once while it lasts: the background job retries every
        minute), and raise SyncEnrolmentChanged."""
        now = utcnow()
        with self._store.write() as s:
            state = _sync_state(s)
            new = (state.last_error_code, state.last_error) != (wrong.code, wrong.message[:2000])
            state.last_attempt_at = now
            state.last_error_code, state.last_error, state.last_error_at = wrong.code, wrong.message[:2000], now
            if new:
                self._store.audit(
                    s,
                    action="sync.refused",
                    actor_id=actor.user_id if actor else None,
                    actor_name=actor.username if actor else BACKGROUND_SYNC,
                    details={
                        "reason": wrong.code,
                        "server_set": configured.server_url,
                        "server_enrolled": pin.server_url,
                        "ca_bundle_set": configured.ca_bundle,
                        "ca_bundle_enrolled": pin.ca_bundle,
                        "device_id": pin.device_id,
                    },
                )
        log.error("sync refused: %s", wrong.message)
        changed = _error_text(wrong.code, wrong.message)
        raise SyncEnrolmentChanged(changed.en, changed.zh, wrong.code)

    def _run(self, actor: Actor | None, progress: Progress | None, cancelled: Cancelled | None) -> SyncSummary:
        try:
            target = self._target(actor)
        except SyncTransportError as exc:  # never from _target today; a run reports, not raises, a transport error
            self._note(attempted=True, error=(exc.code, exc.message))
            return SyncSummary(0, 0, 0, 0, 1, error=exc.message, error_code=exc.code)
        actor_id, actor_name = (actor.user_id, actor.username) if actor else (None, BACKGROUND_SYNC)
        self._note(attempted=True)
        try:
            transport = Transport(target.server_url, ca_pem=target.ca_pem, credential=target.credential)
        except SyncTransportError as exc:
            self._note(error=(exc.code, exc.message))
            return SyncSummary(0, 0, 0, 0, 1, error=exc.message, error_code=exc.code)
        with transport:
            uploader = Uploader(self._store, transport, actor_id=actor_id, actor_name=actor_name, policy=self._policy)
            report = uploader.upload_pending(force=actor is not None, progress=progress, cancelled=cancelled)
            errors = list(report.errors)
            # A rate limit holds back records only: the audit trail is still anchored.
            records_reached = not any(not isinstance(e, (RequestRejected, RateLimited)) for e in errors)
            audit_sent = 0
            cancelled_now = report.cancelled
            if records_reached and not report.cancelled:
                try:
                    anchor = anchor_audit(self._store, transport, cancelled=cancelled)
                    audit_sent, cancelled_now = anchor.sent, anchor.cancelled
                except SyncTransportError as exc:
                    log.error("audit anchoring failed: %s", exc.message)
                    errors.append(exc)
            if records_reached and not cancelled_now:
                for work in self._after_run:
                    try:
                        work(transport)
                    except SyncTransportError as exc:
                        log.warning("work after the sync run failed: %s", exc.message)
        worst = min(errors, key=_severity) if errors else None
        error: tuple[str, str] | None = (worst.code, worst.message) if worst else None
        if isinstance(worst, RateLimited) and report.retry_at is not None:
            error = (
                worst.code,
                f"{worst.message} Nothing more was sent: the records stay queued and go at the first sync after "
                f"{_utc(report.retry_at)}.",
            )
        if error is not None and worst is not None and not isinstance(worst, RateLimited):
            error = _truthful(error, report.sent, audit_sent)
        if error is None and report.key_conflicts:
            error = (
                "key_conflict",
                f"{report.key_conflicts} record version(s) are held by the central server with a different "
                "content; nothing was applied. Tell the central administrator (see the outbox).",
            )
        # A success is a run the server answered all the way (a refused batch or a chain break is an answer).
        answered = not any(not isinstance(e, (RequestRejected, AuditChainBreak)) for e in errors)
        self._note(success=answered and not cancelled_now, error=error, clear=error is None)
        log.info(
            "sync: sent %d, acked %d, refused %d, conflicts %d, audit entries %d%s",
            report.sent,
            report.acked,
            report.refused,
            report.conflicts + report.key_conflicts,
            audit_sent,
            f", error {error[0]}" if error else "",
        )
        return SyncSummary(
            sent=report.sent,
            acked=report.acked,
            refused=report.refused,
            conflicts=report.conflicts + report.key_conflicts,
            errors=len(errors) + (1 if report.key_conflicts else 0),
            key_conflicts=report.key_conflicts,
            audit_entries=audit_sent,
            cancelled=cancelled_now,
            error=error[1] if error else None,
            error_code=error[0] if error else None,
            retry_at=report.retry_at,
        )

    def _note(
        self,
        *,
        attempted: bool = False,
        success: bool = False,
        error: tuple[str, str] | None = None,
        clear: bool = False,
    ) -> None:
        """Keep the outcome for status(): when it was tried, when it last worked, and the last error."""
        now = utcnow()
        with self._store.write() as s:
            state = _sync_state(s)
            if attempted:
                state.last_attempt_at = now
            if success:
                state.last_success_at = now
            if error is not None:
                state.last_error_code, state.last_error, state.last_error_at = error[0], error[1][:2000], now
            elif clear:
                state.last_error = state.last_error_code = state.last_error_at = None

    def retry(self, actor: Actor, outbox_ids: Sequence[int]) -> int:
        """Send these rows again at the next run (refused or conflicting ones after the cause was fixed, or
        pending ones waiting out a backoff). Acknowledged rows are left alone; returns how many were reset."""
        ids = sorted({int(i) for i in outbox_ids})
        with self._store.write() as s:
            authorise(s, actor, Permission.SYNC_OPERATE)
            if not ids:
                return 0
            reset: list[int] = []
            for row in s.scalars(select(OutboxItem).where(OutboxItem.id.in_(ids))):
                if OutboxState(row.state) not in RETRYABLE:
                    continue
                row.state = OutboxState.PENDING.value
                row.next_attempt_at = None
                row.attempts = 0
                row.last_error = row.reasons = row.central = None
                reset.append(row.id)
            if reset:
                self._store.audit(
                    s,
                    action="sync.retry",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={"rows": len(reset), "outbox_ids": reset[:200]},
                )
            return len(reset)

    # --- retention -------------------------------------------------------------------------------------------
    def purge_acknowledged(self, actor: Actor | None = None, now: datetime | None = None) -> int:
        """Remove the personal data of records the server acknowledged more than `retention_days` ago (0: never).

        Keeps id, versions, status and the audit trail; each transaction is audited with its count only.
        Admin, or the background job (actor None). Returns how many records were purged.
        """
        when = now or utcnow()
        with self._store.read() as s:
            if actor is not None:
                authorise(s, actor, Permission.SYNC_ADMIN)
            setting = read_setting(s, "retention_days")
        days = setting if isinstance(setting, int) else 0
        if days <= 0:
            return 0
        cutoff = when - timedelta(days=days)
        actor_id, actor_name = (actor.user_id, actor.username) if actor else (None, RETENTION_JOB)
        total = 0
        while True:
            with self._store.write() as s:
                ids = purgeable(s, cutoff)
                if not ids:
                    break
                purge_records(s, ids, when)
                self._store.audit(
                    s,
                    action="sync.purge",
                    actor_id=actor_id,
                    actor_name=actor_name,
                    details={"records": len(ids), "retention_days": days},
                )
            total += len(ids)
        if total:
            log.info("retention purged the personal data of %d acknowledged records", total)
        return total
