"""The password policy for staff accounts, the lockout rule, and the rule for the key passphrase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from desktop_app.domain.text import Text

MIN_LENGTH = 10
MAX_LENGTH = 128
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=30)
# The key passphrase guards every record against offline guessing of a stolen keystore.json (argon2id slows each
# guess, it does not make a short passphrase safe): longer than a password, since nothing locks out a guesser.
PASSPHRASE_MIN_LENGTH = 12
PASSPHRASE_MAX_LENGTH = 1024
PASSPHRASE_MIN_DISTINCT = 5

# The handful of passwords people pick first; a full breached-password list is out of scope offline.
_COMMON = frozenset(
    {
        "password123",
        "passw0rd123",
        "1234567890",
        "qwerty12345",
        "abc1234567",
        "admin12345",
        "welcome123",
        "iloveyou123",
        "letmein1234",
        "bank123456",
    }
)


@dataclass(frozen=True)
class PasswordProblem:
    """One way a proposed password breaks the policy, in both UI languages."""

    code: str
    message_text: Text


def password_problems(password: str, *, username: str, current_matches: bool = False) -> list[PasswordProblem]:
    """Every way `password` breaks the policy ([] when it is acceptable)."""
    problems: list[PasswordProblem] = []
    if len(password) < MIN_LENGTH:
        problems.append(
            PasswordProblem(
                "too_short", Text(zh=f"密码至少需要 {MIN_LENGTH} 个字符。", en=f"Use at least {MIN_LENGTH} characters.")
            )
        )
    if len(password) > MAX_LENGTH:
        problems.append(
            PasswordProblem(
                "too_long", Text(zh=f"密码不能超过 {MAX_LENGTH} 个字符。", en=f"Use at most {MAX_LENGTH} characters.")
            )
        )
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        problems.append(
            PasswordProblem(
                "letters_and_digits", Text(zh="密码须同时包含字母和数字。", en="Use both letters and digits.")
            )
        )
    if username and username.lower() in password.lower():
        problems.append(
            PasswordProblem(
                "contains_username", Text(zh="密码不能包含用户名。", en="Do not put the user name in the password.")
            )
        )
    if password.lower() in _COMMON:
        problems.append(
            PasswordProblem(
                "too_common", Text(zh="这个密码太常见，请换一个。", en="This password is too common; choose another.")
            )
        )
    if current_matches:
        problems.append(
            PasswordProblem(
                "unchanged",
                Text(zh="新密码不能与当前密码相同。", en="The new password must differ from the current one."),
            )
        )
    return problems


# zxcvbn's score (0-4) below which a passphrase is refused: 3 is "safely unguessable: moderate protection from an
# offline slow-hash scenario" (about 10^8 guesses and more), which is what a stolen keystore.json faces.
PASSPHRASE_MIN_SCORE = 3
_SCORED_LENGTH = 100  # zxcvbn's time grows with length; a longer passphrase is judged by its start


def _guessable(passphrase: str) -> bool:
    """Whether zxcvbn finds the passphrase in its dictionaries of common passwords, words and names, or made of
    keyboard rows, repeats, sequences or dates (password1234, qwertyuiopas, passwordpassword)."""
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # loaded when a passphrase is chosen

    return bool(passphrase) and int(zxcvbn(passphrase[:_SCORED_LENGTH])["score"]) < PASSPHRASE_MIN_SCORE


def passphrase_problems(passphrase: str) -> list[PasswordProblem]:
    """Every way a proposed key passphrase breaks the rule ([] when it is acceptable)."""
    problems: list[PasswordProblem] = []
    if len(passphrase) < PASSPHRASE_MIN_LENGTH:
        problems.append(
            PasswordProblem(
                "passphrase_too_short",
                Text(
                    zh=f"密钥口令至少需要 {PASSPHRASE_MIN_LENGTH} 个字符。",
                    en=f"Use a key passphrase of at least {PASSPHRASE_MIN_LENGTH} characters.",
                ),
            )
        )
    if len(passphrase) > PASSPHRASE_MAX_LENGTH:
        problems.append(
            PasswordProblem(
                "passphrase_too_long",
                Text(
                    zh=f"密钥口令不能超过 {PASSPHRASE_MAX_LENGTH} 个字符。",
                    en=f"Use a key passphrase of at most {PASSPHRASE_MAX_LENGTH} characters.",
                ),
            )
        )
    if len(set(passphrase)) < PASSPHRASE_MIN_DISTINCT or passphrase.lower() in _COMMON or _guessable(passphrase):
        problems.append(
            PasswordProblem(
                "passphrase_too_simple",
                Text(
                    zh="密钥口令过于简单（常见密码、键盘连续键、重复或顺序字符），请换一个更长的，例如几个词组成的短语。",
                    en="The key passphrase is too simple (a common password, a keyboard row, repeats or a sequence); "
                    "choose a longer one, several words for instance.",
                ),
            )
        )
    return problems
