"""The acting user every service call takes, and the check that they may do what they ask."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from desktop_app.domain.roles import Permission, Role, parse_roles, permissions_of
from desktop_app.services.errors import (
    AccountLocked,
    PasswordChangeRequired,
    PermissionDenied,
    SessionEnded,
    SessionLocked,
)
from desktop_app.storage.models import User


@dataclass
class SessionState:
    """Whether a sign-in may still act. Kept in the service layer, so that a locked screen refuses every
    service call made for it (a shortcut, a menu, a timer, a dialog opened over the lock), not only the UI's.

    Only AuthService changes it: lock, unlock, logout.
    """

    locked: bool = False
    ended: bool = False


@dataclass(frozen=True)
class Actor:
    """A signed-in user, as returned by login. Services re-read the account on every call."""

    user_id: int
    username: str
    roles: frozenset[Role]
    # One sign-in's state, shared by every copy of this Actor; not part of its identity.
    session: SessionState = field(default_factory=SessionState, compare=False, hash=False, repr=False)


def check_session(actor: Actor, *, continuing: bool = False) -> None:
    """Refuse a call for a signed-out session, or for a locked one unless it continues work begun before the lock.

    `continuing` is for a long job the user started while unlocked (an import's later chunks): it may finish
    behind the lock screen, showing nothing, but nothing new starts.
    """
    if actor.session.ended:
        raise SessionEnded("This session has ended. Sign in again.", "此会话已结束，请重新登录。")
    if actor.session.locked and not continuing:
        raise SessionLocked(
            "The screen is locked. Unlock it with your password first.", "屏幕已锁定，请先输入密码解锁。"
        )


def utcnow() -> datetime:
    """Now, as naive UTC (how the store keeps times)."""
    return datetime.now(UTC).replace(tzinfo=None)


def roles_of(user: User) -> frozenset[Role]:
    """The roles stored on an account."""
    return parse_roles(user.roles.split(","))


def authorise(
    session: Session, actor: Actor, permission: Permission | None, *, continuing: bool = False
) -> tuple[User, frozenset[Role]]:
    """The actor's current account and roles, or SessionLocked / SessionEnded / PermissionDenied /
    AccountLocked / PasswordChangeRequired.

    Roles come from the database, not from the Actor, so a role removed or an account locked takes effect at
    the next call. `continuing`: see check_session.
    """
    check_session(actor, continuing=continuing)
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
