"""Workstation settings: read by anyone signed in, changed by an admin, every change audited."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from desktop_app.domain.roles import Permission
from desktop_app.domain.settings_catalog import SETTINGS, check_setting, setting_key
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import InvalidRequest
from desktop_app.storage.models import Setting
from desktop_app.storage.store import Store


def read_setting(session: Session, key: str) -> object:
    """The stored value of a setting, or its default."""
    row = session.get(Setting, key)
    return SETTINGS[key].default if row is None else json.loads(row.value)


class SettingsService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def language(self) -> str:
        """The UI language setting, readable before anyone signs in (it holds no personal data)."""
        with self._store.read() as s:
            return str(read_setting(s, "language"))

    def get(self, actor: Actor, key: str) -> object:
        """The current value of a setting (its name matched as setting_key matches it)."""
        key = setting_key(key)
        if key not in SETTINGS:
            raise InvalidRequest(check_setting(key, None) or key)
        with self._store.read() as s:
            authorise(s, actor, None)
            return read_setting(s, key)

    def all(self, actor: Actor) -> dict[str, object]:
        """Every setting with its current value."""
        with self._store.read() as s:
            authorise(s, actor, None)
            return {key: read_setting(s, key) for key in SETTINGS}

    def set(self, actor: Actor, key: str, value: object) -> None:
        """Change a setting (admin); refused with a message when the value is not allowed, and for the central
        server's address and CA, which only an enrolment sets (services/sync.py). The name is matched as
        setting_key matches it (case-insensitively)."""
        key = setting_key(key)
        problem = check_setting(key, value)
        if problem:
            raise InvalidRequest(problem.capitalize() + ".", f"设置无效：{problem}")
        if SETTINGS[key].by_enrolment:
            raise InvalidRequest(
                f"The setting '{key}' is fixed at enrolment with the central server. To change the server's address "
                "or its CA certificate, an administrator re-enrols with a code from the bank's central administrator "
                "('desktop-app sync-enrol URL --ca FILE', typing the code when asked, or Settings → Re-enrol…).",
                f"设置 {key} 在向中央服务器登记时确定。要更改服务器地址或其 CA 证书，请管理员使用银行中央管理员给出的"
                "登记码重新登记（desktop-app sync-enrol URL --ca FILE，按提示输入登记码；或“设置 → 重新登记…”）。",
            )
        with self._store.write() as s:
            user, _ = authorise(s, actor, Permission.SETTINGS_ADMIN)
            before = read_setting(s, key)
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=json.dumps(value), updated_at=utcnow(), updated_by=user.id))
            else:
                row.value, row.updated_at, row.updated_by = json.dumps(value), utcnow(), user.id
            self._store.audit(
                s,
                action="settings.change",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"key": key, "from": before, "to": value},
            )
