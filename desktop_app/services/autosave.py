"""Autosave of a clerk's unsaved typing: written every few seconds and on lock, restored after a crash."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop_app.domain.roles import Permission
from desktop_app.services.actor import Actor, authorise, utcnow
from desktop_app.services.errors import InvalidRequest
from desktop_app.storage.models import Autosave
from desktop_app.storage.store import Store

NEW = "new"
MAX_VALUE = 10_000


@dataclass(frozen=True)
class AutosaveEntry:
    slot: str  # "new" for a form not saved yet, else the record id
    form_key: str
    values: Mapping[str, str]
    saved_at: datetime


class AutosaveService:
    """Each clerk's scratch copy per form; only that clerk can read it back."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def save(self, actor: Actor, slot: str, form_key: str, values: Mapping[str, str]) -> None:
        """Keep `values` (as typed, not validated) for `slot`, replacing the previous copy."""
        if not slot or len(slot) > 40:
            raise InvalidRequest("An autosave needs a slot: 'new' or a record id.", "自动保存缺少位置。")
        clean = {str(k)[:64]: str(v)[:MAX_VALUE] for k, v in values.items()}
        data = json.dumps(clean, ensure_ascii=False, sort_keys=True)
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_EDIT)
            row = s.scalars(select(Autosave).where(Autosave.user_id == actor.user_id, Autosave.slot == slot)).first()
            if row is None:
                s.add(
                    Autosave(
                        user_id=actor.user_id,
                        slot=slot,
                        record_id=None if slot == NEW else slot,
                        form_key=form_key,
                        data=data,
                        saved_at=utcnow(),
                    )
                )
            else:
                row.form_key, row.data, row.saved_at = form_key, data, utcnow()

    def list(self, actor: Actor) -> list[AutosaveEntry]:
        """The actor's own autosaved forms, newest first."""
        with self._store.read() as s:
            authorise(s, actor, Permission.RECORD_EDIT)
            rows = s.scalars(
                select(Autosave).where(Autosave.user_id == actor.user_id).order_by(Autosave.saved_at.desc())
            )
            return [AutosaveEntry(r.slot, r.form_key, json.loads(r.data), r.saved_at) for r in rows]

    def clear(self, actor: Actor, slot: str) -> None:
        """Forget the actor's autosave for `slot` (after a real save, or when the clerk discards it)."""
        with self._store.write() as s:
            authorise(s, actor, Permission.RECORD_EDIT)
            row = s.scalars(select(Autosave).where(Autosave.user_id == actor.user_id, Autosave.slot == slot)).first()
            if row is not None:
                s.delete(row)
