"""Encrypted backups of the store: on demand and daily, with manifest and retention; restore (admin).

A backup is an SQLCipher copy under the store's key of the time (Store.export_copy: one consistent snapshot while
the app writes), checked as soon as it is written, with a JSON manifest beside it (storage/backup_file.py).

Restore is not a method of an open workstation: the store being replaced must not be open. `restore_backup` works
on a data directory with the app closed: it takes the data directory's app lock (storage/app_lock.py), which the
desktop app holds while it runs, so a restore under a running app is refused instead of swapping its file away.

Keys: a backup can be opened only with the key it was made under. After a key rotation ('desktop-app rekey')
older backups need the old key, which is forgotten on purpose (a rotated key may be a leaked one), so they are
refused with a message saying so, and the CLI takes a fresh backup right after every rotation.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.roles import Permission, parse_roles, permissions_of
from desktop_app.domain.text import NO_TEXT, Text, join
from desktop_app.services.actor import Actor, authorise
from desktop_app.services.errors import InvalidRequest, ServiceError
from desktop_app.services.passwords import verify_password
from desktop_app.services.settings import read_setting
from desktop_app.services.users import check_passphrase
from desktop_app.storage import backup_file
from desktop_app.storage.app_lock import AppLock, AppLocked
from desktop_app.storage.backup_file import BackupContents, BackupFileError, Manifest
from desktop_app.storage.data_dir import DataDir
from desktop_app.storage.durable import fsync_path
from desktop_app.storage.engine import open_exclusive
from desktop_app.storage.errors import DatabaseDamaged, StoreBusy, StoreError, WrongKey
from desktop_app.storage.keystore import KeyMethod, KeyStore, key_check, keyring_available
from desktop_app.storage.store import PassphraseSource, Store, export_encrypted, replace_held_file

log = logging.getLogger(__name__)

REASONS = ("manual", "daily", "pre-restore", "rekey")  # and "pre-migration", written by Store.open itself
REPLACED = "replaced"  # the folder in the data directory where a restore keeps the file it replaced


class BackupFailed(ServiceError):
    """A backup could not be written or did not pass its checks; nothing incomplete was left under its name."""

    code = "backup_failed"


class RestoreRefused(ServiceError):
    """A restore was refused before anything changed; the live store is untouched."""

    code = "restore_refused"


@dataclass(frozen=True)
class BackupInfo:
    """One backup in the folder. `manifest` is None for an incomplete one (never offered for restore)."""

    path: Path
    manifest: Manifest | None
    verified: bool
    problem_text: Text = NO_TEXT

    @property
    def created_at(self) -> datetime | None:
        """When it was taken (aware, UTC), from its manifest."""
        return self.manifest.created if self.manifest else None

    @property
    def records(self) -> int | None:
        return self.manifest.records if self.manifest else None

    @property
    def size(self) -> int:
        return self.manifest.size if self.manifest else _size(self.path)

    @property
    def sha256(self) -> str:
        return self.manifest.sha256 if self.manifest else ""

    def problem(self, lang: str) -> str:
        """Why it is not verified, in the UI language ("" when it is)."""
        return self.problem_text.render(lang)


@dataclass(frozen=True)
class VerifyReport:
    """The full check of one backup: manifest, SHA-256, key, page and integrity checks, audit chain, schema."""

    path: Path
    manifest: Manifest | None
    contents: BackupContents | None
    problems: tuple[Text, ...]  # empty when every check passed

    @property
    def ok(self) -> bool:
        return not self.problems

    def messages(self, lang: str) -> list[str]:
        """The problems in the UI language."""
        return [problem.render(lang) for problem in self.problems]


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup installed, and where the file it replaced was kept."""

    backup: Path
    sha256: str
    records: int
    schema_revision: str
    forced: bool
    other_workstation: bool
    kept: Path | None  # the replaced database file, moved to <data>/replaced/ (None when there was none)
    pre_restore_backup: Path | None  # a regular backup of the replaced store, when it could still be opened


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# --- checking ---------------------------------------------------------------------------------------------------


def _earlier_key(name: str) -> Text:
    return Text(
        en=f"{name} was made under an earlier key (before a key rotation) or by another workstation: this "
        "workstation's current key cannot open it. Use a backup taken after the last key rotation.",
        zh=f"{name} 是用较早的密钥（密钥轮换之前）或由另一台工作站制作的，本工作站当前的密钥无法打开它。"
        "请使用最近一次密钥轮换之后制作的备份。",
    )


def _incomplete(name: str, exc: Exception) -> Text:
    return Text(
        en=str(exc),
        zh=f"备份 {name} 不完整或其清单（.json）缺失、无效，不能用于恢复。",
    )


def _check_file(
    file: Path, manifest: Manifest, inspect: Callable[[Path], BackupContents], current_key_check: str
) -> VerifyReport:
    """Every check of `file` against `manifest` (file may be a copy of the backup the manifest describes)."""
    name = manifest.file
    problems: list[Text] = []
    size = _size(file)
    if size != manifest.size or backup_file.sha256_of(file) != manifest.sha256:
        problems.append(
            Text(
                en=f"{name} does not match its manifest (SHA-256 or size differs): it was changed or damaged after it "
                "was made. Use another backup.",
                zh=f"{name} 与其清单不符（SHA-256 或大小不同）：文件在备份后被修改或已损坏。请使用另一个备份。",
            )
        )
        return VerifyReport(file, manifest, None, tuple(problems))
    if manifest.key_check != current_key_check:
        return VerifyReport(file, manifest, None, (_earlier_key(name),))
    try:
        contents = inspect(file)
    except WrongKey:
        return VerifyReport(file, manifest, None, (_earlier_key(name),))
    except (DatabaseDamaged, BackupFileError) as exc:
        return VerifyReport(
            file,
            manifest,
            None,
            (
                Text(
                    en=str(exc),
                    zh=f"备份 {name} 无法读取，可能已损坏。请使用另一个备份。",
                ),
            ),
        )
    if contents.cipher_problems:
        problems.append(
            Text(
                en=f"SQLCipher's page check of {name} failed: {'; '.join(contents.cipher_problems[:3])}.",
                zh=f"{name} 的加密页校验（cipher_integrity_check）未通过。",
            )
        )
    if contents.integrity_problems:
        problems.append(
            Text(
                en=f"SQLite's integrity check of {name} failed: {'; '.join(contents.integrity_problems[:3])}.",
                zh=f"{name} 的数据库完整性检查（integrity_check）未通过。",
            )
        )
    if not contents.audit.ok and contents.audit.first_bad_seq is None:
        problems.append(
            Text(
                en=f"In {name}, {contents.audit.problem}.",
                zh=f"{name} 中的审计记录无法读取（所在的数据页已损坏）。",
            )
        )
    elif not contents.audit.ok:
        problems.append(
            Text(
                en=f"The audit trail in {name} does not verify (entry {contents.audit.first_bad_seq}: "
                f"{contents.audit.problem}).",
                zh=f"{name} 中的审计链校验失败（第 {contents.audit.first_bad_seq} 条）。",
            )
        )
    if contents.newer_schema:
        problems.append(
            Text(
                en=f"{name} has schema revision {contents.schema_revision}, newer than this program knows: install the "
                "newer version of Desktop App to restore it.",
                zh=f"{name} 的数据库结构版本（{contents.schema_revision}）比本程序新，请安装新版 Desktop App "
                "后再恢复。",
            )
        )
    if contents.records != manifest.records or contents.schema_revision != manifest.schema_revision:
        problems.append(
            Text(
                en=f"{name} holds {contents.records} records (schema {contents.schema_revision}) but its manifest says "
                f"{manifest.records} (schema {manifest.schema_revision}).",
                zh=f"{name} 含 {contents.records} 条记录，但其清单记载为 {manifest.records} 条。",
            )
        )
    return VerifyReport(file, manifest, contents, tuple(problems))


def _quick_check(path: Path, store: Store) -> BackupInfo:
    """The listing's check: a valid manifest, size and SHA-256 as recorded, and made under the current key."""
    try:
        manifest = backup_file.read_manifest(path)
    except BackupFileError as exc:
        return BackupInfo(path, None, False, _incomplete(path.name, exc))
    if _size(path) != manifest.size or backup_file.sha256_of(path) != manifest.sha256:
        return BackupInfo(
            path,
            manifest,
            False,
            Text(
                en="The file does not match its manifest (changed or damaged).",
                zh="文件与其清单不符（已被修改或损坏）。",
            ),
        )
    if manifest.key_check != store.key_check:
        return BackupInfo(path, manifest, False, _earlier_key(path.name))
    if manifest.workstation_id != store.workstation_id:
        return BackupInfo(
            path,
            manifest,
            False,
            Text(
                en="Made by another workstation: an admin must force its restore.",
                zh="由另一台工作站制作：恢复需管理员强制执行。",
            ),
        )
    return BackupInfo(path, manifest, True)


# --- taking a backup --------------------------------------------------------------------------------------------


def _folder(store: Store, configured: str, folder: Path | None) -> Path:
    chosen = folder or (Path(configured).expanduser() if configured else store.data_dir.backups)
    try:
        chosen.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupFailed(
            f"The backup folder {chosen} cannot be used ({exc.strerror}). Choose another (setting backup_folder).",
            f"备份文件夹 {chosen} 无法使用（{exc.strerror}）。请在设置 backup_folder 中另选文件夹。",
        ) from None
    return chosen


def _take(store: Store, folder: Path, taken_by: str, reason: str, file_name: str | None = None) -> Manifest:
    """Write one backup and then its manifest, both atomically; the copy is checked before the manifest exists."""

    def seal(path: Path, created: datetime) -> Manifest:
        return store.seal_copy(path, taken_by=taken_by, reason=reason, created=created)

    return _write_backup(folder, store.workstation_id, store.export_copy, seal, reason, file_name)


def _write_backup(
    folder: Path,
    workstation_id: str,
    export: Callable[[Path], None],
    seal: Callable[[Path, datetime], Manifest],
    reason: str,
    file_name: str | None = None,
) -> Manifest:
    """_take over any source: `export` writes the encrypted copy, `seal` checks it and writes its manifest."""
    created = datetime.now(UTC)
    target = folder / file_name if file_name else backup_file.new_backup_path(folder, workstation_id, created)
    try:
        backup_file.write_atomically(target, export)
    except (OSError, StoreError) as exc:
        raise BackupFailed(
            f"The backup could not be written to {folder}: {exc}. Nothing was kept under {target.name}.",
            f"无法写入备份到 {folder}：{exc}。未保留不完整的文件。",
        ) from None
    try:
        manifest = seal(target, created)
    except BackupFileError:
        target.unlink(missing_ok=True)
        raise BackupFailed(
            "The backup copy failed its checks, so the store itself may be damaged: run 'desktop-app verify'. "
            "The copy was deleted.",
            "备份副本未通过校验，数据库本身可能已损坏：请运行 'desktop-app verify'。该副本已删除。",
        ) from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    log.info("backup %s written (%s, %d records)", target.name, reason, manifest.records)
    return manifest


class BackupService:
    """Backups of the open store (supervisors and admins). Restore is `restore_backup`, with the app closed."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _settings(self, actor: Actor | None) -> tuple[str, str, int, str]:
        """(who, backup_folder, backup_keep, backup_schedule); `actor` None is the workstation's own daily job."""
        with self._store.read() as s:
            username = "workstation"
            if actor is not None:
                user, _ = authorise(s, actor, Permission.BACKUP)
                username = user.username
            return (
                username,
                str(read_setting(s, "backup_folder") or ""),
                int(str(read_setting(s, "backup_keep"))),
                str(read_setting(s, "backup_schedule")),
            )

    def folder(self, actor: Actor) -> Path:
        """The folder backups go to: the backup_folder setting, or <data dir>/backups."""
        _, configured, _, _ = self._settings(actor)
        return Path(configured).expanduser() if configured else self._store.data_dir.backups

    def create(self, actor: Actor, reason: str = "manual", folder: Path | None = None) -> BackupInfo:
        """Take a backup now into `folder` (default: the configured one) and apply retention; audited.

        `folder` may also be a path ending in .db: the backup gets that name, and retention never deletes it.
        """
        return self._create(actor, reason, folder)

    def take_daily(self, now: datetime) -> BackupInfo | None:
        """The workstation's own daily backup, whoever is signed in (a teller-only day must not go without one):
        taken when the schedule is daily and none was taken in `now`'s local day, else None. Audited with no user,
        like the background sync; it writes only the encrypted copy to the configured folder."""
        if not self._due(None, now):
            return None
        return self._create(None, "daily", None)

    def _create(self, actor: Actor | None, reason: str, folder: Path | None) -> BackupInfo:
        if reason not in REASONS:
            raise InvalidRequest(
                f"Unknown backup reason {reason!r}; use one of {', '.join(REASONS)}.", f"未知的备份原因：{reason}"
            )
        username, configured, keep, _ = self._settings(actor)
        file_name = None
        if folder is not None and folder.suffix.lower() == ".db":
            folder, file_name = folder.parent, folder.name
        target_folder = _folder(self._store, configured, folder)
        manifest = _take(self._store, target_folder, username, reason, file_name)
        path = target_folder / manifest.file
        with self._store.write() as s:
            if actor is not None:
                authorise(s, actor, Permission.BACKUP)
            self._store.audit(
                s,
                action="backup.create",
                actor_id=actor.user_id if actor is not None else None,
                actor_name=actor.username if actor is not None else "workstation",
                details={
                    "file": manifest.file,
                    "records": manifest.records,
                    "sha256": manifest.sha256,
                    "size": manifest.size,
                    "reason": reason,
                },
            )
        if file_name is None:
            for deleted in backup_file.prune(target_folder, self._store.workstation_id, keep):
                log.info("retention: deleted backup %s", deleted.name)
        return BackupInfo(path, manifest, True)

    def list(self, actor: Actor) -> list[BackupInfo]:
        """The backups in the configured folder, newest first, each with a quick check (manifest, SHA-256, key)."""
        _, configured, _, _ = self._settings(actor)
        folder = Path(configured).expanduser() if configured else self._store.data_dir.backups
        if not folder.is_dir():
            return []
        found = [
            p
            for p in folder.iterdir()
            if p.suffix == ".db"
            and p.is_file()
            and (backup_file.is_app_backup(p) or backup_file.manifest_path(p).is_file())
        ]
        infos = [_quick_check(p, self._store) for p in found]

        def newest(info: BackupInfo) -> float:
            when = info.created_at or backup_file.name_time(info.path)
            return when.timestamp() if when else _mtime(info.path)

        return sorted(infos, key=newest, reverse=True)

    def verify(self, actor: Actor, path: Path) -> VerifyReport:
        """Every check of one backup: manifest, SHA-256, opens with the key, page and integrity checks, the
        audit chain, and a schema no newer than this program's. Nothing is written to the backup."""
        self._settings(actor)
        try:
            manifest = backup_file.read_manifest(path)
        except BackupFileError as exc:
            return VerifyReport(path, None, None, (_incomplete(path.name, exc),))
        return _check_file(path, manifest, self._store.inspect_copy, self._store.key_check)

    def due(self, actor: Actor, now: datetime) -> bool:
        """True when the schedule is daily and this workstation has no complete backup in `now`'s local day
        (`now` aware, or naive local time)."""
        return self._due(actor, now)

    def _due(self, actor: Actor | None, now: datetime) -> bool:
        _, configured, _, schedule = self._settings(actor)
        if schedule != "daily":
            return False
        folder = Path(configured).expanduser() if configured else self._store.data_dir.backups
        if not folder.is_dir():
            return True
        local_now = now if now.tzinfo else now.astimezone()
        for path in folder.iterdir():
            if not backup_file.is_app_backup(path, self._store.workstation_id):
                continue
            try:
                manifest = backup_file.read_manifest(path)
            except BackupFileError:
                continue
            if manifest.created.astimezone(local_now.tzinfo).date() == local_now.date():
                return False
        return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# --- restore ----------------------------------------------------------------------------------------------------


_NOT_RESTORED = Text(en="The backup was not restored; nothing was changed. ", zh="未恢复备份，未做任何更改。")


def _refuse(problems: Sequence[Text]) -> RestoreRefused:
    refused = _NOT_RESTORED + join(problems)
    return RestoreRefused(refused.en, refused.zh)


def _copy_and_check(
    backup_path: Path,
    copy: Path,
    manifest: Manifest,
    key: bytes,
    audit_key: bytes | None,
    admin_user: str,
    admin_password: str,
) -> tuple[BackupContents, int, str]:
    """Copy the backup to `copy` (the caller removes it), check the copy against its manifest and the key (its
    audit chain with `audit_key`; None: a backup that still holds its own), and the admin's password and role
    against the copy's accounts: its contents and the admin's id and name, or RestoreRefused. The one check every
    restore makes, with the store's keys or with the recovery code's."""
    try:
        backup_file.copy_durably(backup_path, copy)
    except OSError as exc:
        raise _refuse(
            [
                Text(
                    en=f"The backup cannot be read: {exc.strerror}.",
                    zh=f"无法读取备份文件：{exc.strerror}。",
                )
            ]
        ) from None
    report = _check_file(copy, manifest, lambda p: backup_file.inspect(p, key, audit_key), key_check(key))
    if not report.ok or report.contents is None:
        raise _refuse(report.problems)
    admin_id, admin_name = _check_admin(copy, key, admin_user, admin_password)
    return report.contents, admin_id, admin_name


def _check_admin(copy: Path, key: bytes, username: str, password: str) -> tuple[int, str]:
    """The admin's id and name in the backup's own users table (who will be in charge once it is restored),
    or RestoreRefused. The backup is read-only here: a failed attempt is not counted in it."""
    conn = backup_file.open_readonly(copy, key)
    try:
        row = conn.execute(
            "SELECT id, username, password_hash, roles, locked_by_admin FROM users WHERE username = ?",
            (username.strip(),),
        ).fetchone()
    finally:
        conn.close()
    if row is None or not verify_password(str(row[2]), password):
        if row is None:
            verify_password(None, password)  # the same time for an unknown name as for a wrong password
        raise _refuse(
            [
                Text(
                    en="Wrong administrator name or password (checked against the accounts in the backup).",
                    zh="管理员用户名或密码错误（按备份中的账户核对）。",
                )
            ]
        )
    if row[4]:
        raise _refuse(
            [
                Text(
                    en="This account is locked in the backup.",
                    zh="该账户在备份中已被锁定。",
                )
            ]
        )
    if Permission.RESTORE not in permissions_of(parse_roles(str(row[3]).split(","))):
        raise _refuse(
            [
                Text(
                    en=f"{row[1]} is not an administrator in the backup: only an administrator may restore.",
                    zh=f"{row[1]} 在备份中不是管理员：只有管理员可以恢复备份。",
                )
            ]
        )
    return int(row[0]), str(row[1])


def _free(path: Path) -> Path:
    n = 1
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _keep_live(data_dir: DataDir, stamp: str) -> Path | None:
    """Keep the live database (and any -wal/-shm) under <data>/replaced/ without deleting anything; the live name
    still points at the old file until the restored one is renamed over it."""
    live = data_dir.database
    if not live.exists():
        return None
    folder = data_dir.root / REPLACED
    folder.mkdir(mode=0o700, exist_ok=True)
    kept = _free(folder / f"{live.stem}-{stamp}.db")
    try:
        os.link(live, kept)  # a second name for the same file: nothing copied, nothing at risk
    except OSError:
        backup_file.copy_durably(live, kept)
    for suffix in ("-wal", "-shm"):  # a WAL left beside the restored file would be replayed into it
        side = Path(str(live) + suffix)
        if side.exists():
            os.replace(side, Path(str(kept) + suffix))
    fsync_path(folder)
    return kept


def restore_backup(
    root: Path,
    backup_path: Path,
    *,
    admin_user: str,
    admin_password: str,
    force_other_workstation: bool = False,
    passphrase: PassphraseSource | None = None,
    recovery_code: str | None = None,
    key_storage: KeyMethod | None = None,
    new_passphrase: str | None = None,
) -> RestoreResult:
    """Replace the store in data directory `root` with a backup; the desktop app must be closed.

    Verifies a copy of the backup first (manifest, SHA-256, key, integrity, audit chain, schema) and refuses with
    the live store untouched on any failure, or for another workstation's backup unless an admin of the backup
    forces it. Takes a pre-restore backup when the live store still opens, keeps the replaced file in
    <root>/replaced/, renames the verified copy into place, and audits 'backup.restore' in the restored store.
    Refused while the desktop app has this data directory open (it holds the app lock) or another program has the
    database open. With `recovery_code`, on a machine without the workstation's keystore.json (a new disk): the key
    comes from the backup's recovery copy, and is then kept by `key_storage` (under `new_passphrase`).
    """
    if recovery_code is not None:
        return _restore_with_code(
            root, backup_path, admin_user, admin_password, recovery_code, key_storage, new_passphrase
        )
    if not DataDir(root).keystore.exists():  # refused below with the reason; nothing to lock
        return _restore(root, backup_path, admin_user, admin_password, force_other_workstation, passphrase)
    with _app_lock(root):
        return _restore(root, backup_path, admin_user, admin_password, force_other_workstation, passphrase)


def _app_lock(root: Path) -> AppLock:
    try:
        return AppLock.acquire(root)
    except AppLocked:
        raise RestoreRefused(
            "The desktop app is open on this workstation (or another restore is running). Sign out, quit the app "
            "and run the restore again; nothing was changed.",
            "本工作站的桌面程序仍在运行（或另一个恢复正在进行）。请退出登录并关闭程序后再恢复；未做任何更改。",
        ) from None


def _restore(
    root: Path,
    backup_path: Path,
    admin_user: str,
    admin_password: str,
    force_other_workstation: bool,
    passphrase: PassphraseSource | None,
) -> RestoreResult:
    data_dir = DataDir(root)
    cached: dict[str, str] = {}

    def once() -> str:
        if "p" not in cached:
            if passphrase is None:
                raise WrongKey("This workstation's key is protected by a passphrase: type it to restore.")
            cached["p"] = passphrase()
        return cached["p"]

    if not data_dir.keystore.exists():
        raise RestoreRefused(
            f"There is no key file (keystore.json) in {root}. On a new machine (or after the disk was lost) restore "
            "with the recovery code from the branch safe: 'desktop-app restore BACKUP.db --user ADMIN "
            "--recovery-code-stdin'. Otherwise put the workstation's keystore.json back, or use --data-dir.",
            f"{root} 中没有密钥文件（keystore.json）。在新机器上（或磁盘丢失后）请用保险柜中的恢复码恢复："
            "'desktop-app restore 备份.db --user 管理员 --recovery-code-stdin'；否则请放回 keystore.json，"
            "或使用 --data-dir 指定目录。",
        )
    live: Store | None = None
    try:
        live = Store.open(root, once)  # settles an interrupted key rotation; may fail if the store is broken
    except StoreError as exc:
        log.warning("restore: the live store does not open (%s); restoring over it", exc.__class__.__name__)
    try:
        keystore = KeyStore.load(data_dir.keystore)
        key = keystore.read_key(once)
        audit_key = keystore.read_audit_key()  # the same for every backup of this store: it never rotates
        try:
            manifest = backup_file.read_manifest(backup_path)
        except BackupFileError as exc:
            raise _refuse([_incomplete(backup_path.name, exc)]) from None
        copy = data_dir.root / f".restore-{secrets.token_hex(4)}.db"
        try:
            contents, admin_id, admin_name = _copy_and_check(
                backup_path, copy, manifest, key, audit_key, admin_user, admin_password
            )
            here = live.workstation_id if live is not None else None
            other = contents.workstation_id != here if here else contents.store_id != keystore.store_id
            if other and not force_other_workstation:
                raise _refuse(
                    [
                        Text(
                            en=f"{backup_path.name} was made by another workstation ({contents.workstation_id}). If "
                            "that is intended, an administrator restores it with --force-other-workstation.",
                            zh=f"{backup_path.name} 由另一台工作站（{contents.workstation_id}）制作。"
                            "如确需恢复，请由管理员使用 --force-other-workstation 强制执行。",
                        )
                    ]
                )
            pre_restore = None
            held = None
            if live is not None:
                with live.read() as s:
                    configured = str(read_setting(s, "backup_folder") or "")
                folder = _folder(live, configured, None)
                workstation_id = live.workstation_id
                live.close()
                live = None
                # The database alone from here to the rename: a scheduled sync or another command that has it open
                # would otherwise go on writing to the replaced file (engine.open_exclusive, as for a key rotation).
                held = _hold_alone(data_dir.database, key)
                pre = _write_backup(
                    folder,
                    workstation_id,
                    lambda tmp: export_encrypted(held, tmp, key),
                    lambda path, created: backup_file.seal(
                        path,
                        key,
                        taken_by=admin_name,
                        reason="pre-restore",
                        created=created,
                        recovery=keystore.recovery_copy(key, audit_key),
                        audit_key=audit_key,
                    ),
                    "pre-restore",
                )
                pre_restore = folder / pre.file
            stamp = backup_file.utc_stamp(datetime.now(UTC))
            try:
                kept = _keep_live(data_dir, stamp)
                os.chmod(copy, 0o600)
                if held is not None:
                    replace_held_file(held, copy, data_dir.database)
                else:
                    os.replace(copy, data_dir.database)
                    fsync_path(data_dir.root)
            finally:
                if held is not None:
                    held.close()
        finally:
            copy.unlink(missing_ok=True)
    finally:
        if live is not None:
            live.close()
    restored = Store.open(root, once)
    try:
        with restored.write() as s:
            details: dict[str, object] = {
                "file": backup_path.name,
                "sha256": manifest.sha256,
                "records": contents.records,
                "backup_created_at": manifest.created_at,
                "forced": bool(other and force_other_workstation),
                "replaced": kept.name if kept else None,
                "pre_restore_backup": pre_restore.name if pre_restore else None,
            }
            if other:
                details["from_workstation"] = contents.workstation_id
            restored.audit(s, action="backup.restore", actor_id=admin_id, actor_name=admin_name, details=details)
    finally:
        restored.close()
    log.info("restored backup %s (%d records)", backup_path.name, contents.records)
    return RestoreResult(
        backup=backup_path,
        sha256=manifest.sha256,
        records=contents.records,
        schema_revision=contents.schema_revision,
        forced=bool(other and force_other_workstation),
        other_workstation=other,
        kept=kept,
        pre_restore_backup=pre_restore,
    )


def _hold_alone(database: Path, key: bytes) -> Any:
    """The live database to this restore alone (engine.open_exclusive), or RestoreRefused, nothing changed."""
    try:
        return open_exclusive(database, key)
    except StoreBusy:
        raise RestoreRefused(
            "Another program has the workstation's database open (a scheduled sync, a backup or another command). "
            "Nothing was changed; run the restore again when it has finished.",
            "另一个程序（定时同步、备份或其他命令）正在使用本工作站的数据库。未做任何更改；请在其结束后再恢复。",
        ) from None


def _restore_with_code(
    root: Path,
    backup_path: Path,
    admin_user: str,
    admin_password: str,
    code: str,
    key_storage: KeyMethod | None,
    new_passphrase: str | None,
) -> RestoreResult:
    """Restore on a machine that has lost the workstation's keystore.json: the backup's recovery copy, opened with
    the recovery code, gives its key; a new keystore.json (same store id and recovery salt, so the same code stays
    valid) keeps it by `key_storage`. Refused, nothing changed, where a keystore.json is already present."""
    data_dir = DataDir(root)
    method = key_storage or (KeyMethod.KEYRING if keyring_available() else KeyMethod.PASSPHRASE)
    if method is KeyMethod.PASSPHRASE:
        check_passphrase(new_passphrase or "")
    already = RestoreRefused(
        f"{root} already holds a key file (keystore.json): restore without the recovery code (this workstation's key "
        "opens its backups), or run 'desktop-app recover' first if its key was lost. Nothing was changed.",
        f"{root} 中已有密钥文件（keystore.json）：请不带恢复码进行恢复（本工作站的密钥可打开其备份）；"
        "如密钥已丢失，请先运行 'desktop-app recover'。未做任何更改。",
    )
    if data_dir.keystore.exists():
        raise already
    data_dir.ensure()
    with _app_lock(root):
        if data_dir.keystore.exists():
            raise already
        try:
            manifest = backup_file.read_manifest(backup_path)
        except BackupFileError as exc:
            raise _refuse([_incomplete(backup_path.name, exc)]) from None
        if manifest.recovery is None:
            raise _refuse(
                [
                    Text(
                        en=f"{backup_path.name} was made by an earlier version that did not put the recovery copy of "
                        "the key in backups: it opens only with the keystore.json of its workstation. Restore a newer "
                        "backup.",
                        zh=f"{backup_path.name} 由较早的版本制作，备份中没有密钥的恢复副本，只能配合其工作站的 "
                        "keystore.json 恢复。请使用较新的备份。",
                    )
                ]
            )
        try:
            key, audit_key = KeyStore.open_recovery_copy_keys(manifest.recovery, code)
        except WrongKey as exc:
            raise _refuse(
                [
                    Text(
                        en=str(exc),
                        zh="恢复码无法打开此备份：请对照保险柜中的恢复码纸条重新输入。",
                    )
                ]
            ) from None
        if key_check(key) != manifest.key_check:
            raise _refuse([_earlier_key(backup_path.name)])
        copy = data_dir.root / f".restore-{secrets.token_hex(4)}.db"
        try:
            contents, admin_id, admin_name = _copy_and_check(
                backup_path, copy, manifest, key, audit_key, admin_user, admin_password
            )
            try:  # the keys are kept (credential store, or wrapped) before any file moves
                keystore = KeyStore.from_recovery_copy(
                    data_dir.keystore, manifest.recovery, code, key, method, new_passphrase, audit_key
                )
            except StoreError as exc:
                raise _refuse(
                    [
                        Text(
                            en=str(exc),
                            zh="无法保存数据库密钥：请检查系统凭据存储，或改用口令方式保存密钥。",
                        )
                    ]
                ) from None
            kept = _keep_live(data_dir, backup_file.utc_stamp(datetime.now(UTC)))  # a database left without its key
            os.chmod(copy, 0o600)
            os.replace(copy, data_dir.database)
            fsync_path(data_dir.root)
            keystore.save()  # last: until it exists, the restore can be run again from the start
        finally:
            copy.unlink(missing_ok=True)
    restored = Store.open(root, (lambda: new_passphrase or "") if method is KeyMethod.PASSPHRASE else None)
    try:
        with restored.write() as s:
            restored.audit(
                s,
                action="backup.restore",
                actor_id=admin_id,
                actor_name=admin_name,
                details={
                    "file": backup_path.name,
                    "sha256": manifest.sha256,
                    "records": contents.records,
                    "backup_created_at": manifest.created_at,
                    "recovery_code": True,
                    "key_storage": method.value,
                    "replaced": kept.name if kept else None,
                },
            )
    finally:
        restored.close()
    log.info("restored backup %s with the recovery code (%d records)", backup_path.name, contents.records)
    return RestoreResult(
        backup=backup_path,
        sha256=manifest.sha256,
        records=contents.records,
        schema_revision=contents.schema_revision,
        forced=False,
        other_workstation=False,
        kept=kept,
        pre_restore_backup=None,
    )
