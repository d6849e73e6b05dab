"""Signing in and out, password changes, and the lockout rule."""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.domain.password_policy import LOCKOUT, MAX_FAILED_LOGINS, password_problems
from desktop_app.domain.roles import Permission
from desktop_app.services.actor import Actor, authorise, check_session, roles_of, utcnow
from desktop_app.services.errors import AccountLocked, AuthenticationFailed, PasswordRejected
from desktop_app.services.passwords import hash_password, needs_rehash, verify_password
from desktop_app.storage.models import User
from desktop_app.storage.store import Store

# Stands for a typed name that names no account; never a user name (those hold no parentheses).
UNKNOWN_NAME = "(unknown name)"


class AuthService:
    """Login with lockout after repeated failures; every attempt is audited."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def login(self, username: str, password: str) -> tuple[Actor, bool]:
        """The signed-in Actor and whether a password change is required before any other work.

        Raises AuthenticationFailed (one message for a wrong name or password) or AccountLocked.
        """
        name = username.strip()
        failure: Exception | None = None
        with self._store.write() as s:
            user = s.scalars(select(User).where(User.username == name)).one_or_none()
            now = utcnow()
            if user is not None and (user.locked_by_admin or (user.locked_until and user.locked_until > now)):
                verify_password(None, password)
                self._store.audit(s, action="login.refused_locked", actor_id=user.id, actor_name=user.username)
                failure = self._locked_error(user)
            elif user is None or not verify_password(user.password_hash, password):
                # The typed name only when it names an account: a password typed into the name field by mistake
                # must not be kept in the trail (and anchored centrally).
                self._store.audit(
                    s,
                    action="login.failure",
                    actor_id=user.id if user else None,
                    actor_name=user.username if user else UNKNOWN_NAME,
                    details={"known_user": user is not None},
                )
                if user is not None:
                    user.failed_logins += 1
                    if user.failed_logins >= MAX_FAILED_LOGINS:
                        user.locked_until = now + LOCKOUT
                        user.failed_logins = 0
                        self._store.audit(
                            s,
                            action="login.lockout",
                            actor_id=user.id,
                            actor_name=user.username,
                            details={"minutes": int(LOCKOUT.total_seconds() // 60)},
                        )
                        failure = self._locked_error(user)
                failure = failure or AuthenticationFailed(
                    "Wrong user name or password. Check Caps Lock and try again.",
                    "用户名或密码错误。请检查大写锁定键后重试。",
                )
            else:
                user.failed_logins = 0
                user.locked_until = None
                user.last_login_at = now
                if needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
                self._store.audit(s, action="login.success", actor_id=user.id, actor_name=user.username)
                return Actor(user.id, user.username, roles_of(user)), user.must_change_password
        raise failure

    @staticmethod
    def _locked_error(user: User) -> AccountLocked:
        if user.locked_by_admin or user.locked_until is None:
            return AccountLocked(
                "This account is locked. Ask an administrator to unlock it.", "该账户已被锁定，请联系管理员解锁。"
            )
        until = user.locked_until.strftime("%H:%M UTC")
        return AccountLocked(
            f"Too many wrong passwords: this account is locked until {until}, or until an administrator unlocks it.",
            f"密码错误次数过多：该账户已锁定至 {until}，或由管理员解锁。",
        )

    def supervisor_override(self, supervisor: str, password: str, locked: Actor) -> Actor:
        """A supervisor ends another user's locked session (the work is autosaved); audited.

        Raises AuthenticationFailed/AccountLocked for bad credentials and PermissionDenied for a non-supervisor.
        """
        actor, _ = self.login(supervisor, password)
        with self._store.write() as s:
            authorise(s, actor, Permission.SESSION_OVERRIDE)
            self._store.audit(
                s,
                action="lock.override",
                actor_id=actor.user_id,
                actor_name=actor.username,
                details={"locked_user": locked.username},
            )
        locked.session.ended = True
        return actor

    def lock(self, actor: Actor) -> None:
        """Lock the session: every service call for this Actor is refused until `unlock`; audited."""
        if actor.session.ended or actor.session.locked:
            return
        actor.session.locked = True  # first, so that nothing slips in while the audit entry is written
        with self._store.write() as s:
            self._store.audit(s, action="session.lock", actor_id=actor.user_id, actor_name=actor.username)

    def unlock(self, actor: Actor, password: str) -> None:
        """Unlock the session with the same user's password (a wrong one counts toward the lockout).

        Raises AuthenticationFailed, AccountLocked (the session should then end), or SessionEnded.
        """
        check_session(actor, continuing=True)
        unlocked, _ = self.login(actor.username, password)
        if unlocked.user_id != actor.user_id:  # the account was deleted and its name reused
            raise AuthenticationFailed("This is not the account that locked the screen.", "这不是锁定屏幕的账户。")
        actor.session.locked = False
        with self._store.write() as s:
            self._store.audit(s, action="session.unlock", actor_id=actor.user_id, actor_name=actor.username)

    def change_password(self, actor: Actor, current: str, new: str) -> None:
        """Set a new password after checking the current one and the policy; clears a forced change."""
        check_session(actor)
        failure: Exception | None = None
        with self._store.write() as s:
            user = s.get(User, actor.user_id)
            if user is None or not verify_password(user.password_hash, current):
                # Raised after the commit: the refusal is audited, and it counts toward the lockout like a wrong
                # password at sign-in (else an unattended session would let anyone guess the password here).
                self._store.audit(
                    s,
                    action="password.change_refused",
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    details={"reason": "wrong_current"},
                )
                failure = AuthenticationFailed("The current password is wrong.", "当前密码不正确。")
                if user is not None:
                    user.failed_logins += 1
                    if user.failed_logins >= MAX_FAILED_LOGINS:
                        user.locked_until = utcnow() + LOCKOUT
                        user.failed_logins = 0
                        self._store.audit(
                            s,
                            action="login.lockout",
                            actor_id=user.id,
                            actor_name=user.username,
                            details={"minutes": int(LOCKOUT.total_seconds() // 60), "via": "password.change"},
                        )
                        failure = self._locked_error(user)
                        actor.session.ended = True  # a locked account's session ends here
            else:
                problems = password_problems(new, username=user.username, current_matches=new == current)
                if problems:
                    raise PasswordRejected.listing(problems)
                user.failed_logins = 0
                user.password_hash = hash_password(new)
                user.must_change_password = False
                user.password_changed_at = utcnow()
                self._store.audit(s, action="password.change", actor_id=user.id, actor_name=user.username)
        if failure is not None:
            raise failure

    def logout(self, actor: Actor) -> None:
        """End the session: the Actor acts no more (a late timer or worker is refused); audited once."""
        if actor.session.ended:
            return
        actor.session.ended = True
        with self._store.write() as s:
            self._store.audit(s, action="logout", actor_id=actor.user_id, actor_name=actor.username)
