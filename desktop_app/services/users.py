"""User administration: add, list, lock, unlock, set roles, reset a password. Admin only, always audited."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.password_policy import passphrase_problems, password_problems
from desktop_app.domain.roles import Permission, Role, RoleCombinationError, check_role_combination
from desktop_app.services.actor import Actor, authorise, roles_of, utcnow
from desktop_app.services.errors import Conflict, InvalidRequest, NotFound, PasswordRejected
from desktop_app.services.passwords import hash_password
from desktop_app.storage.models import User
from desktop_app.storage.store import Store

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


@dataclass(frozen=True)
class UserInfo:
    """What an administrator sees of an account (never its hash)."""

    id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    locked: bool
    locked_until: datetime | None
    must_change_password: bool
    last_login_at: datetime | None


def _info(user: User) -> UserInfo:
    locked = user.locked_by_admin or (user.locked_until is not None and user.locked_until > utcnow())
    return UserInfo(
        user.id,
        user.username,
        user.display_name,
        roles_of(user),
        locked,
        user.locked_until,
        user.must_change_password,
        user.last_login_at,
    )


def check_username(username: str) -> str:
    """The user name, lower-cased, or InvalidRequest saying what a user name may hold."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidRequest(
            "A user name is 2 to 32 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit.",
            "用户名为 2 至 32 个字符：小写字母、数字、“.”、“_”或“-”，以字母或数字开头。",
        )
    return name


def check_roles(roles: Iterable[Role]) -> frozenset[Role]:
    """The roles if one person may hold them together, else InvalidRequest naming the rule."""
    held = frozenset(roles)
    try:
        check_role_combination(held)
    except RoleCombinationError as exc:
        raise InvalidRequest(str(exc).capitalize() + ".", f"角色组合不允许：{exc}") from None
    return held


def check_new_password(password: str, username: str) -> None:
    """PasswordRejected with every policy problem, or nothing."""
    problems = password_problems(password, username=username)
    if problems:
        raise PasswordRejected.listing(problems)


def check_passphrase(passphrase: str) -> None:
    """PasswordRejected when a new key passphrase breaks the rule (init, recover, a restore with the recovery code:
    every way a passphrase is chosen, in the GUI and the CLI alike), or nothing."""
    problems = passphrase_problems(passphrase)
    if problems:
        raise PasswordRejected.listing(problems)


def new_user(
    session: Session,
    username: str,
    password: str,
    roles: Iterable[Role],
    display_name: str,
    *,
    must_change_password: bool,
) -> User:
    """Insert an account after checking name, roles and password (the caller audits and commits)."""
    name = check_username(username)
    held = check_roles(roles)
    check_new_password(password, name)
    if session.scalars(select(User.id).where(User.username == name)).first() is not None:
        raise Conflict(f"A user named '{name}' already exists.", f"用户“{name}”已存在。")
    user = User(
        username=name,
        display_name=display_name.strip()[:128],
        password_hash=hash_password(password),
        roles=",".join(sorted(r.value for r in held)),
        must_change_password=must_change_password,
        failed_logins=0,
        locked_by_admin=False,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


class UserAdminService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def _target(self, session: Session, username: str) -> User:
        user = session.scalars(select(User).where(User.username == username.strip().lower())).one_or_none()
        if user is None:
            raise NotFound(
                f"No user named '{username}'. 'desktop-app user list' shows the users.", f"没有名为“{username}”的用户。"
            )
        return user

    def add(
        self, actor: Actor, username: str, temporary_password: str, roles: Iterable[Role], display_name: str = ""
    ) -> UserInfo:
        """A new account whose holder must change the temporary password at first login."""
        with self._store.write() as s:
            authorise(s, actor, Permission.USER_ADMIN)
            user = new_user(s, username, temporary_password, roles, display_name, must_change_password=True)
            self._store.audit(
                s,
                action="user.add",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"user": user.username, "roles": user.roles},
            )
            return _info(user)

    def list(self, actor: Actor) -> list[UserInfo]:
        """Every account, by user name."""
        with self._store.read() as s:
            authorise(s, actor, Permission.USER_ADMIN)
            return [_info(u) for u in s.scalars(select(User).order_by(User.username))]

    def _admins_left(self, session: Session, without: User) -> int:
        return sum(
            1
            for u in session.scalars(select(User))
            if u.id != without.id and Role.ADMIN in roles_of(u) and not u.locked_by_admin
        )

    def lock(self, actor: Actor, username: str) -> UserInfo:
        """Lock an account until an administrator unlocks it."""
        with self._store.write() as s:
            authorise(s, actor, Permission.USER_ADMIN)
            user = self._target(s, username)
            if user.id == actor.user_id:
                raise InvalidRequest("You cannot lock your own account.", "不能锁定自己的账户。")
            if Role.ADMIN in roles_of(user) and self._admins_left(s, user) == 0:
                raise InvalidRequest(
                    "This is the last unlocked administrator; add another one first.",
                    "这是最后一个未锁定的管理员，请先添加另一个管理员。",
                )
            user.locked_by_admin = True
            self._store.audit(
                s,
                action="user.lock",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"user": user.username},
            )
            return _info(user)

    def unlock(self, actor: Actor, username: str) -> UserInfo:
        """Clear an administrator's lock and a lockout after failed logins."""
        with self._store.write() as s:
            authorise(s, actor, Permission.USER_ADMIN)
            user = self._target(s, username)
            user.locked_by_admin = False
            user.locked_until = None
            user.failed_logins = 0
            self._store.audit(
                s,
                action="user.unlock",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"user": user.username},
            )
            return _info(user)

    def set_roles(self, actor: Actor, username: str, roles: Iterable[Role]) -> UserInfo:
        """Replace an account's roles (the combination rule and the last-admin rule apply)."""
        with self._store.write() as s:
            authorise(s, actor, Permission.USER_ADMIN)
            user = self._target(s, username)
            held = check_roles(roles)
            if Role.ADMIN in roles_of(user) and Role.ADMIN not in held and self._admins_left(s, user) == 0:
                raise InvalidRequest(
                    "This is the last administrator; give another user the admin role first.",
                    "这是最后一个管理员，请先为其他用户分配管理员角色。",
                )
            before = user.roles
            user.roles = ",".join(sorted(r.value for r in held))
            self._store.audit(
                s,
                action="user.set_roles",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"user": user.username, "from": before, "to": user.roles},
            )
            return _info(user)

    def reset_password(self, actor: Actor, username: str, temporary_password: str) -> UserInfo:
        """Give an account a temporary password, to be changed at its next login."""
        with self._store.write() as s:
            authorise(s, actor, Permission.USER_ADMIN)
            user = self._target(s, username)
            check_new_password(temporary_password, user.username)
            user.password_hash = hash_password(temporary_password)
            user.must_change_password = True
            self._store.audit(
                s,
                action="user.reset_password",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"user": user.username},
            )
            return _info(user)
