"""The acting user every service call takes, and the check that they may do what they ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from desktop_app.domain.roles import Permission, Role, parse_roles, permissions_of
from desktop_app.services.errors import AccountLocked, PasswordChangeRequired, PermissionDenied
from desktop_app.storage.models import User


@dataclass(frozen=True)
class Actor:
    """A signed-in user, as returned by login. Services re-read the account on every call."""

    user_id: int
    username: str
    roles: frozenset[Role]


def utcnow() -> datetime:
    """Now, as naive UTC (how the store keeps times)."""
    return datetime.now(UTC).replace(tzinfo=None)


def roles_of(user: User) -> frozenset[Role]:
    """The roles stored on an account."""
    return parse_roles(user.roles.split(","))


def authorise(session: Session, actor: Actor, permission: Permission | None) -> tuple[User, frozenset[Role]]:
    """The actor's current account and roles, or PermissionDenied / AccountLocked / PasswordChangeRequired.

    Roles come from the database, not from the Actor, so a role removed or an account locked takes effect at
    the next call.
    """
    user = session.get(User, actor.user_id)
    if user is None or user.username != actor.username:
        raise PermissionDenied("This account no longer exists. Sign in again.", "该账户已不存在，请重新登录。")
    if user.locked_by_admin or (user.locked_until is not None and user.locked_until > utcnow()):
        raise AccountLocked(
            "This account is locked. Ask an administrator to unlock it.", "该账户已被锁定，请联系管理员解锁。"
        )
    if user.must_change_password:
        raise PasswordChangeRequired("Change your password before going on.", "请先修改密码再继续。")
    roles = roles_of(user)
    if permission is not None and permission not in permissions_of(roles):
        held = ", ".join(sorted(r.value for r in roles))
        raise PermissionDenied(
            f"Your role ({held}) does not allow this ({permission.value}). Ask a user who holds that right.",
            f"您的角色（{held}）无权执行此操作（{permission.value}）。请由有权限的用户操作。",
        )
    return user, roles
