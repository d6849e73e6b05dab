"""Store maintenance: key rotation and synthetic demo data."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.form_schema import FormSchema
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.normaliser import normalise_record
from desktop_app.domain.roles import Permission, Role
from desktop_app.domain.synthetic import generate_customers
from desktop_app.domain.text import Text
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import InvalidRequest, ServiceError
from desktop_app.services.passwords import hash_password
from desktop_app.services.records import search_columns
from desktop_app.storage.app_lock import AppLocked
from desktop_app.storage.errors import StoreBusy
from desktop_app.storage.models import Record, RecordVersion, StatusEvent, User
from desktop_app.storage.store import Store

DEMO_MAKER = "demo-teller"
DEMO_CHECKER = "demo-supervisor"
MAX_DEMO_RECORDS = 5_000_000
_BATCH = 5_000

# Demo records are spread over the lifecycle so every screen has something to show.
_DEMO_STATUSES: tuple[tuple[Status, int], ...] = (
    (Status.APPROVED, 60),
    (Status.AWAITING_APPROVAL, 15),
    (Status.DRAFT, 10),
    (Status.AWAITING_SECOND_ENTRY, 10),
    (Status.REJECTED, 5),
)


class StoreInUse(ServiceError):
    """An operation on the whole store was refused because the app or another program has it open."""

    code = "store_in_use"


_APP_OPEN = Text(
    en="The desktop app is open on this workstation (or a restore is running): sign out, quit the app and run "
    "{what} again. Nothing was changed.",
    zh="本工作站的桌面程序仍在运行（或正在恢复备份）：请退出登录并关闭程序后再执行{what}。未做任何更改。",
)
_STORE_BUSY = Text(
    en="Another program has the database open (a scheduled sync, a backup or another command): let it finish and "
    "run {what} again. Nothing was changed.",
    zh="另一个程序正在使用数据库（定时同步、备份或其他命令）：请等它结束后再执行{what}。未做任何更改。",
)


def store_in_use(exc: AppLocked | StoreBusy, what: Text) -> StoreInUse:
    """The refusal of `what` (e.g. "the key rotation") while the app (AppLocked) or another program has the store."""
    refusal = (_APP_OPEN if isinstance(exc, AppLocked) else _STORE_BUSY).format(what=what)
    return StoreInUse(refusal.en, refusal.zh)


class MaintenanceService:
    def __init__(self, store: Store, form: FormSchema) -> None:
        self._store = store
        self._form = form

    def rekey(self, actor: Actor, passphrase: str | None = None) -> None:
        """Rotate the database key (admin). Refused (StoreInUse, nothing changed) while the desktop app or another
        program has the store open; audited in the re-encrypted database before the new key becomes current."""
        with self._store.read() as s:
            authorise(s, actor, Permission.KEY_ROTATE)
        method = self._store.keystore.method.value if self._store.keystore else "none"

        def audit(s: Session) -> None:
            self._store.audit(
                s,
                action="key.rotate",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"key_storage": method},
            )

        try:
            self._store.rekey(passphrase, audit=audit)
        except (AppLocked, StoreBusy) as exc:
            raise store_in_use(exc, Text(en="the key rotation", zh="密钥轮换")) from None

    def _demo_user(self, name: str, role: Role) -> int:
        with self._store.write() as s:
            found = s.scalars(select(User.id).where(User.username == name)).first()
            if found is not None:
                return int(found)
            # Locked, with an unguessable password: an admin unlocks and resets it to try the demo as that user.
            user = User(
                username=name,
                display_name=name,
                password_hash=hash_password(uuid.uuid4().hex + "Aa1"),
                roles=role.value,
                must_change_password=True,
                failed_logins=0,
                locked_by_admin=True,
                created_at=utcnow(),
            )
            s.add(user)
            s.flush()
            return user.id

    def seed_demo(
        self, actor: Actor, records: int, seed: int = 1, progress: Callable[[int], None] | None = None
    ) -> int:
        """Insert `records` synthetic customers (valid check digits, obviously fake) in bulk; audited once."""
        if not 1 <= records <= MAX_DEMO_RECORDS:
            raise InvalidRequest(
                f"--records must be from 1 to {MAX_DEMO_RECORDS:,}.", f"记录数须在 1 至 {MAX_DEMO_RECORDS:,} 之间。"
            )
        with self._store.read() as s:
            authorise(s, actor, Permission.DEMO_SEED)
        maker = self._demo_user(DEMO_MAKER, Role.TELLER)
        checker = self._demo_user(DEMO_CHECKER, Role.SUPERVISOR)
        cycle = [st for st, w in _DEMO_STATUSES for _ in range(w)]
        start = utcnow() - timedelta(days=365)
        step = timedelta(days=365) / max(records, 1)
        done = 0
        customers = generate_customers(records, seed=seed, today=date.today())
        while done < records:
            rec_rows, ver_rows, evt_rows = [], [], []
            for i in range(done, min(done + _BATCH, records)):
                values = normalise_record(self._form, next(customers))
                status = cycle[(i * 7919) % len(cycle)]
                at = start + step * i
                rid = str(uuid.uuid4())
                approved = status is Status.APPROVED
                rec_rows.append(
                    {
                        "id": rid,
                        "form_key": self._form.key,
                        "status": status.value,
                        "version": 1,
                        "approved_version": 1 if approved else None,
                        "base_version": None,
                        "maker_id": maker,
                        "made_at": at,
                        "second_clerk_id": None,
                        "reconciler_id": None,
                        "checker_id": checker if approved or status is Status.REJECTED else None,
                        "checked_at": at if approved or status is Status.REJECTED else None,
                        "reject_reason": "示例退回原因（演示数据）" if status is Status.REJECTED else None,
                        **search_columns(values),
                        "created_at": at,
                        "updated_at": at,
                    }
                )
                ver_rows.append(
                    {
                        "record_id": rid,
                        "version": 1,
                        "kind": "create",
                        "base_version": None,
                        "created_by": maker,
                        "created_at": at,
                        "data": json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                    }
                )
                evt_rows.append(
                    {
                        "record_id": rid,
                        "version": 1,
                        "from_status": None,
                        "to_status": status.value,
                        "actor_id": maker,
                        "at": at,
                        "reason": "demo data",
                    }
                )
            with self._store.write() as s:
                s.execute(insert(Record), rec_rows)
                s.execute(insert(RecordVersion), ver_rows)
                s.execute(insert(StatusEvent), evt_rows)
                done += len(rec_rows)
                self._store.audit(
                    s,
                    action="demo.seed",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={"records": len(rec_rows), "seed": seed, "total": done},
                )
            if progress is not None:
                progress(done)
        return done
