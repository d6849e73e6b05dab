"""Key management for the encrypted store.

A random 256-bit database key K is made at init and used as SQLCipher's raw key. K is kept either in the
OS credential store (keyring) or, where no real credential store exists, wrapped under a passphrase
stretched with argon2id. A second copy of K is always wrapped to a recovery public key whose private key
is derived from a one-time recovery code printed at init, so losing the credential store does not lose the
data, and a key rotation can re-wrap the new key without the code. keystore.json holds only public or
wrapped material, never K in plain text.

The audit chain's HMAC key is kept the same way, beside the database key and never inside the database it protects
(storage/audit_chain.py): a second credential-store entry, or wrapped under the same passphrase (in the same argon2
stretch), and sealed to the recovery public key. It does not change when the database key rotates.

keystore.json is the record of which key is current: during a rotation it holds both keys (the current one and
the pending one, each with its recovery copy), and it is written before the credential store is changed, so a
crash between the two leaves a file that still names a key the database opens with.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
import logging
import os
import secrets
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from hashlib import sha256
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop_app.storage.durable import fsync_path
from desktop_app.storage.errors import KeyUnavailable, StoreError, UnsafeKeyring, WrongKey

log = logging.getLogger(__name__)

KEYRING_SERVICE = "desktop-app"
KEY_BYTES = 32
FORMAT = 1

# argon2id parameters for the passphrase and the recovery code: RFC 9106's second recommended option
# (64 MiB, 3 passes), so a stolen keystore.json resists offline guessing.
ARGON2_TIME = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_LANES = 4


class KeyMethod(StrEnum):
    KEYRING = "keyring"
    PASSPHRASE = "passphrase"  # noqa: S105 - a method name, not a secret


def new_key() -> bytes:
    """A fresh random 256-bit database key."""
    return secrets.token_bytes(KEY_BYTES)


def key_check(key: bytes) -> str:
    """A public check value that tells a right key from a wrong one without revealing the key."""
    return hmac.new(key, b"desktop-app key check v1", sha256).hexdigest()[:32]


def audit_key_check(key: bytes) -> str:
    """The public check value of the audit key (tells a right audit key from a wrong one, reveals nothing)."""
    return hmac.new(key, b"desktop-app audit key check v1", sha256).hexdigest()[:32]


def sqlcipher_key_literal(key: bytes) -> str:
    """The PRAGMA key argument for a raw 256-bit key."""
    return f"\"x'{key.hex()}'\""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _stretch(secret: str, salt: bytes, time_cost: int, memory_kib: int, lanes: int) -> bytes:
    return hash_secret_raw(secret.encode("utf-8"), salt, time_cost, memory_kib, lanes, KEY_BYTES, Type.ID)


# --- recovery code ---------------------------------------------------------------------------------------

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_recovery_code() -> str:
    """A 160-bit recovery code in 8 groups of 5 characters, for printing and keeping in the branch safe."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(40))
    return "-".join(chars[i : i + 5] for i in range(0, 40, 5))


def normalise_recovery_code(code: str) -> str:
    """Upper case, without the spaces and dashes people add when they type it from paper."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _params(raw: object) -> dict[str, int]:
    """argon2 parameters read from a file, refused when they are not three small positive integers (a hostile
    file must not make the stretch take all memory)."""
    if not isinstance(raw, dict):
        raise ValueError("argon2 parameters are not an object")
    params = {name: raw.get(name) for name in ("t", "m", "p")}
    limits = {"t": 64, "m": 4 * 1024 * 1024, "p": 64}
    for name, value in params.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= limits[name]:
            raise ValueError(f"argon2 parameter {name} is out of range")
    return {name: int(value) for name, value in params.items()}  # type: ignore[arg-type]


def _recovery_private_key(code: str, salt: bytes, params: dict[str, int]) -> X25519PrivateKey:
    seed = _stretch(normalise_recovery_code(code), salt, params["t"], params["m"], params["p"])
    return X25519PrivateKey.from_private_bytes(seed)


def _hkdf(shared: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=info).derive(shared)


def _seal_to(public: X25519PublicKey, key: bytes, aad: bytes) -> dict[str, str]:
    ephemeral = X25519PrivateKey.generate()
    wrap_key = _hkdf(ephemeral.exchange(public), b"desktop-app recovery wrap v1")
    nonce = secrets.token_bytes(12)
    return {
        "ephemeral": _b64(ephemeral.public_key().public_bytes_raw()),
        "nonce": _b64(nonce),
        "wrapped": _b64(AESGCM(wrap_key).encrypt(nonce, key, aad)),
    }


def _open_sealed(private: X25519PrivateKey, sealed: dict[str, Any], aad: bytes) -> bytes:
    ephemeral = X25519PublicKey.from_public_bytes(_unb64(sealed["ephemeral"]))
    wrap_key = _hkdf(private.exchange(ephemeral), b"desktop-app recovery wrap v1")
    return AESGCM(wrap_key).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["wrapped"]), aad)


# --- keyring ---------------------------------------------------------------------------------------------

# The real OS credential stores, by class: an allowlist, so that a backend nobody vouched for (a plain-text file, a
# third-party plug-in, one registered through PYTHON_KEYRING_BACKEND) never holds the key. Anything else: passphrase.
_TRUSTED_BACKENDS = {
    "keyring.backends.Windows.WinVaultKeyring",  # Windows Credential Manager
    "keyring.backends.macOS.Keyring",  # the macOS keychain
    "keyring.backends.SecretService.Keyring",  # GNOME Keyring / KeePassXC over the Secret Service API
    "keyring.backends.libsecret.Keyring",  # the same store through libsecret
    "keyring.backends.kwallet.DBusKeyring",  # KWallet 5+
    "keyring.backends.kwallet.DBusKeyringKWallet4",
}


def trust_backend(backend: type[keyring.backend.KeyringBackend]) -> None:
    """Add a backend class to the allowlist: for a test's stand-in, or a deployment's own vetted credential store.
    Only code already running in this process can call it."""
    _TRUSTED_BACKENDS.add(_class_name(backend))


def _class_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    return _class_name(type(backend))


def usable_keyring() -> keyring.backend.KeyringBackend:
    """The OS credential store, or UnsafeKeyring when it is not one of the real credential stores allowed.

    A chain of backends is used only when every one in it is allowed: keyring writes to the first that accepts,
    so one untrusted member could receive the key when the real store refuses it.
    """
    backend = keyring.get_keyring()
    chained = getattr(backend, "backends", None)
    members = list(chained) if chained is not None else [backend]
    untrusted = [_backend_name(b) for b in members if _backend_name(b) not in _TRUSTED_BACKENDS]
    if untrusted or not members:
        raise UnsafeKeyring(
            f"No usable OS credential store (keyring backend {', '.join(untrusted) or _backend_name(backend)} is not "
            "a known credential store). Initialise with key storage 'passphrase' instead, or set up the system "
            "keyring."
        )
    return backend


def keyring_available() -> bool:
    """True when a real OS credential store is there to hold the key."""
    try:
        usable_keyring()
    except UnsafeKeyring:
        return False
    return True


# --- the key store file ----------------------------------------------------------------------------------


@dataclass
class KeyStore:
    """The contents of keystore.json: how the database key is kept, and its wrapped copies."""

    path: Path
    store_id: str
    method: KeyMethod
    check: str
    recovery: dict[str, Any]
    passphrase: dict[str, Any] | None = None
    pending: dict[str, Any] | None = field(default=None)
    # The audit key's public check and its copy sealed to the recovery key ({"check", "sealed"}); the key itself is in
    # the credential store or inside the passphrase wrap. None for a store whose audit key is still in its database.
    audit: dict[str, Any] | None = None
    _audit_key: bytes | None = field(default=None, repr=False, compare=False)  # once read or made

    # -- persistence --
    @classmethod
    def load(cls, path: Path) -> KeyStore:
        """Read keystore.json; StoreError names the file when it is missing or unreadable."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                raise StoreError(f"{path} was written by a newer version of Desktop App; install that version.")
            return cls(
                path=path,
                store_id=str(raw["store_id"]),
                method=KeyMethod(raw["method"]),
                check=str(raw["check"]),
                recovery=dict(raw["recovery"]),
                passphrase=raw.get("passphrase"),
                pending=raw.get("pending"),
                audit=dict(raw["audit"]) if raw.get("audit") is not None else None,
            )
        except FileNotFoundError:
            raise StoreError(
                f"The key file {path} is missing. Restore it from the workstation backup, "
                "or run 'desktop-app recover' with the recovery code."
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                f"The key file {path} is damaged ({exc.__class__.__name__}). Restore it from the "
                "workstation backup, or run 'desktop-app recover' with the recovery code."
            ) from None

    def save(self) -> None:
        """Write atomically (temporary file, fsync, rename) with owner-only permissions."""
        payload = {
            "format": FORMAT,
            "store_id": self.store_id,
            "method": self.method.value,
            "check": self.check,
            "recovery": self.recovery,
            "passphrase": self.passphrase,
            "pending": self.pending,
            "audit": self.audit,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".keystore-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        fsync_path(self.path.parent)

    # -- creation --
    @classmethod
    def create(cls, path: Path, key: bytes, method: KeyMethod, passphrase: str | None = None) -> tuple[KeyStore, str]:
        """A new key store for `key` and a new audit key; returns it with the one-time recovery code (shown once,
        never stored)."""
        store = cls(
            path=path,
            store_id=str(uuid.uuid4()),
            method=method,
            check=key_check(key),
            recovery={},
        )
        code = new_recovery_code()
        salt = secrets.token_bytes(16)
        params = {"t": ARGON2_TIME, "m": ARGON2_MEMORY_KIB, "p": ARGON2_LANES}
        public = _recovery_private_key(code, salt, params).public_key()
        store.recovery = {
            "salt": _b64(salt),
            "params": params,
            "public": _b64(public.public_bytes_raw()),
            "sealed": _seal_to(public, key, store._aad()),
        }
        store.authenticate_recovery(key)
        store._set_audit_key(new_key(), public)
        store._keep_audit_in_keyring()
        store._put_key(key, passphrase)
        return store, code

    def _aad(self) -> bytes:
        return f"desktop-app store {self.store_id}".encode()

    def _audit_aad(self) -> bytes:
        return f"desktop-app store {self.store_id} audit key".encode()

    def _keyring_user(self, pending: bool = False) -> str:
        return f"store-{self.store_id}" + ("-pending" if pending else "")

    def _audit_keyring_user(self) -> str:
        return f"store-{self.store_id}-audit"

    def _put_key(
        self, key: bytes, passphrase: str | None, *, pending: bool = False, recovery: X25519PublicKey | None = None
    ) -> None:
        """Keep `key` by this store's method (as the pending key during a rotation, sealed to `recovery`)."""
        if self.method is KeyMethod.KEYRING:
            backend = usable_keyring()
            try:
                backend.set_password(KEYRING_SERVICE, self._keyring_user(pending), key.hex())
            except keyring.errors.KeyringError as exc:
                raise KeyUnavailable(f"The OS credential store refused the key: {exc}") from None
            wrapped = None
        else:
            if not passphrase:
                raise KeyUnavailable("A passphrase is needed to protect the database key.")
            wrapped = self._wrap_with_passphrase(key, passphrase)
        if pending:
            if recovery is None:
                raise StoreError("A pending key needs the checked recovery public key.")
            self.pending = {
                "check": key_check(key),
                "passphrase": wrapped,
                "sealed": _seal_to(recovery, key, self._aad()),
                "recovery_mac": self._recovery_mac(key),
            }
        else:
            self.passphrase = wrapped

    def _wrap_with_passphrase(self, key: bytes, passphrase: str) -> dict[str, Any]:
        """`key` and, when there is one, the audit key, wrapped under one stretch of the passphrase (one stretch to
        open, not two)."""
        salt = secrets.token_bytes(16)
        params = {"t": ARGON2_TIME, "m": ARGON2_MEMORY_KIB, "p": ARGON2_LANES}
        kek = _stretch(passphrase, salt, params["t"], params["m"], params["p"])
        nonce = secrets.token_bytes(12)
        wrapped = {
            "salt": _b64(salt),
            "params": params,
            "nonce": _b64(nonce),
            "wrapped": _b64(AESGCM(kek).encrypt(nonce, key, self._aad())),
        }
        if self._audit_key is not None:
            audit_nonce = secrets.token_bytes(12)
            wrapped["audit_nonce"] = _b64(audit_nonce)
            wrapped["audit_wrapped"] = _b64(AESGCM(kek).encrypt(audit_nonce, self._audit_key, self._audit_aad()))
        return wrapped

    def _unwrap_with_passphrase(self, wrapped: dict[str, Any], passphrase: str) -> bytes:
        """The key in a passphrase wrap; the audit key wrapped with it is kept for read_audit_key."""
        params = wrapped["params"]
        kek = _stretch(passphrase, _unb64(wrapped["salt"]), params["t"], params["m"], params["p"])
        try:
            key = AESGCM(kek).decrypt(_unb64(wrapped["nonce"]), _unb64(wrapped["wrapped"]), self._aad())
        except Exception:
            raise WrongKey("The passphrase is wrong. Type it again (it is case-sensitive).") from None
        if wrapped.get("audit_wrapped") and self._audit_key is None:
            try:
                audit = AESGCM(kek).decrypt(
                    _unb64(wrapped["audit_nonce"]), _unb64(wrapped["audit_wrapped"]), self._audit_aad()
                )
            except Exception:
                raise StoreError(
                    f"The audit key in {self.path} is damaged. Run 'desktop-app recover' with the recovery code."
                ) from None
            self._audit_key = audit
        return key

    def _recovery_public(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(_unb64(self.recovery["public"]))

    # -- the recovery public key, authenticated under the database key --
    def _recovery_mac(self, key: bytes) -> str:
        material = json.dumps(
            [self.store_id, self.recovery["salt"], self.recovery["params"], self.recovery["public"]], sort_keys=True
        )
        return hmac.new(key, b"desktop-app recovery public v1\0" + material.encode(), sha256).hexdigest()

    def recovery_authenticated(self, key: bytes) -> bool:
        """True when the recovery public key (with its salt and parameters) carries a valid MAC under `key`: it is
        the one made with the recovery code, not one planted in keystore.json to receive the next key."""
        mac = self.recovery.get("mac")
        return isinstance(mac, str) and hmac.compare_digest(mac, self._recovery_mac(key))

    def authenticate_recovery(self, key: bytes) -> None:
        """MAC the recovery public key under `key` (the caller saves): at creation, after a recovery or a restore
        with the code (which derive the key from the code itself), and once for a file written before MACs."""
        self.recovery["mac"] = self._recovery_mac(key)

    def _trusted_recovery_public(self, key: bytes) -> X25519PublicKey:
        """The recovery public key, once its MAC under the current `key` is checked; StoreError otherwise."""
        if not self.recovery_authenticated(key):
            raise StoreError(
                f"The recovery key in {self.path} is not the one made with the recovery code (it was changed or its "
                "check is missing), so no key is sealed to it. Run 'desktop-app recover' with the recovery code "
                "kept in the branch safe: it puts the right one back."
            )
        return self._recovery_public()

    # -- the audit key --
    def _set_audit_key(self, audit_key: bytes, public: X25519PublicKey) -> None:
        """Take `audit_key` as this store's audit key, sealed to the recovery `public` key (the caller keeps it by
        the method: _put_key for a passphrase, _keep_audit_in_keyring, then saves)."""
        self._audit_key = audit_key
        self.audit = {
            "check": audit_key_check(audit_key),
            "sealed": _seal_to(public, audit_key, self._audit_aad()),
        }

    def _keep_audit_in_keyring(self) -> None:
        if self.method is not KeyMethod.KEYRING or self._audit_key is None:
            return
        try:
            usable_keyring().set_password(KEYRING_SERVICE, self._audit_keyring_user(), self._audit_key.hex())
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailable(f"The OS credential store refused the audit key: {exc}") from None

    def read_audit_key(self) -> bytes | None:
        """The audit chain's key, checked against its public check value; None while it is still kept in the
        database (a store from before it moved out). In passphrase mode it was unwrapped by read_key."""
        if self.audit is None:
            return None
        key = self._audit_key
        if key is None and self.method is KeyMethod.KEYRING:
            backend = usable_keyring()
            try:
                stored = backend.get_password(KEYRING_SERVICE, self._audit_keyring_user())
            except keyring.errors.KeyringError as exc:
                raise KeyUnavailable(f"The OS credential store could not be read: {exc}") from None
            with contextlib.suppress(ValueError, TypeError):
                key = bytes.fromhex(stored or "")
        if not key or not hmac.compare_digest(audit_key_check(key), str(self.audit.get("check"))):
            raise KeyUnavailable(
                "The audit trail's key is missing or wrong (the OS credential store may have been reset). Run "
                "'desktop-app recover' with the recovery code kept in the branch safe."
            )
        self._audit_key = key
        return key

    def adopt_audit_key(self, audit_key: bytes, key: bytes, passphrase: str | None, *, first_mac: bool) -> None:
        """Move an audit key kept in the database (before it moved out) into this file and the credential store (or
        the passphrase wrap); saved here, before the database forgets it. Once it is here, again: nothing to do.

        `first_mac`: the database does not yet require the recovery key's MAC (a store from before MACs), so it is
        made now; otherwise a recovery key without a valid MAC is refused, as for a rotation."""
        if self.audit is not None:
            if not hmac.compare_digest(audit_key_check(audit_key), str(self.audit.get("check"))):
                raise StoreError(
                    f"{self.path} holds another audit key than the database; restore both from the same backup."
                )
            return
        if first_mac and not self.recovery_authenticated(key):
            self.authenticate_recovery(key)
        self._set_audit_key(audit_key, self._trusted_recovery_public(key))
        if self.method is KeyMethod.PASSPHRASE:
            if not passphrase:
                raise KeyUnavailable("A passphrase is needed to protect the audit key.")
            self.passphrase = self._wrap_with_passphrase(key, passphrase)
        else:
            self._keep_audit_in_keyring()
        self.save()

    # -- reading the key --
    def read_key(self, passphrase: Callable[[], str] | None = None) -> bytes:
        """The current database key, from the credential store or unwrapped with the passphrase."""
        if self.method is KeyMethod.KEYRING:
            key = self._key_from_keyring(pending=False)
            if key is None or not hmac.compare_digest(key_check(key), self.check):
                key = self._finish_keyring_rotation() or key
            if key is None:
                raise KeyUnavailable(
                    "The database key is not in the OS credential store (it may have been reset). "
                    "Run 'desktop-app recover' with the recovery code kept in the branch safe."
                )
        else:
            if passphrase is None or self.passphrase is None:
                raise KeyUnavailable("This workstation's key is protected by a passphrase: type it to open.")
            key = self._unwrap_with_passphrase(self.passphrase, passphrase())
        if not hmac.compare_digest(key_check(key), self.check):
            raise WrongKey(
                "The key in the credential store does not belong to this database. "
                "Run 'desktop-app recover' with the recovery code kept in the branch safe."
            )
        return key

    def _finish_keyring_rotation(self) -> bytes | None:
        """The current key when a rotation stopped after keystore.json named it and before the credential store's
        entry was replaced: it is still under the pending entry, and moves to the current one now."""
        key = self._key_from_keyring(pending=True)
        if key is None or not hmac.compare_digest(key_check(key), self.check):
            return None
        self._keep_in_keyring(key)
        log.warning("finished moving the rotated key in the credential store")
        return key

    def _keep_in_keyring(self, key: bytes) -> None:
        """Make `key` the credential store's current entry and drop the pending one; a refusal is logged, not
        raised: keystore.json already names the key, and the pending entry still holds it."""
        backend = usable_keyring()
        try:
            backend.set_password(KEYRING_SERVICE, self._keyring_user(), key.hex())
        except keyring.errors.KeyringError as exc:
            log.warning("the credential store refused the rotated key (%s); it stays under the pending entry", exc)
            return
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            backend.delete_password(KEYRING_SERVICE, self._keyring_user(pending=True))

    def read_pending_key(self, passphrase: Callable[[], str] | None = None) -> bytes | None:
        """The key of an unfinished rotation, if there is one and it can be read."""
        if self.pending is None:
            return None
        if self.method is KeyMethod.KEYRING:
            key = self._key_from_keyring(pending=True)
        elif passphrase is not None and self.pending.get("passphrase"):
            key = self._unwrap_with_passphrase(self.pending["passphrase"], passphrase())
        else:
            key = None
        if key is None or not hmac.compare_digest(key_check(key), str(self.pending["check"])):
            return None
        return key

    def _key_from_keyring(self, *, pending: bool) -> bytes | None:
        backend = usable_keyring()
        try:
            stored = backend.get_password(KEYRING_SERVICE, self._keyring_user(pending))
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailable(f"The OS credential store could not be read: {exc}") from None
        if stored is None:
            return None
        try:
            return bytes.fromhex(stored)
        except ValueError:
            return None

    def recover_key(self, code: str) -> bytes:
        """The first key the recovery code unseals (the current copy, then a pending one); `recover_keys` for all."""
        return self.recover_keys(code)[0]

    def recover_keys(self, code: str) -> list[bytes]:
        """Every key the recovery code unseals: the current copy and, during a rotation, the pending one.

        Which of them the database opens with is for the caller to try: after a crash in a rotation the file may
        still call the old key current while the database is already under the new one. WrongKey when the code
        unseals none. The audit key, when this file holds it, is unsealed too (read_audit_key gives it after).
        """
        params = self.recovery["params"]
        private = _recovery_private_key(code, _unb64(self.recovery["salt"]), params)
        if self.audit is not None:
            with contextlib.suppress(Exception):  # a wrong code: refused below, with the database key
                audit = _open_sealed(private, self.audit["sealed"], self._audit_aad())
                if hmac.compare_digest(audit_key_check(audit), str(self.audit.get("check"))):
                    self._audit_key = audit
        keys: list[bytes] = []
        for sealed, check in self._sealed_copies():
            try:
                key = _open_sealed(private, sealed, self._aad())
            except Exception:  # noqa: S112 - a wrong code fails authentication: try the next copy
                continue
            if hmac.compare_digest(key_check(key), check) and key not in keys:
                keys.append(key)
        if not keys:
            raise WrongKey("The recovery code is wrong. Check it against the printed sheet and type it again.")
        return keys

    def _sealed_copies(self) -> list[tuple[dict[str, Any], str]]:
        """(sealed key, its check) for the current key and, during a rotation, the pending one."""
        copies = [(self.recovery["sealed"], self.check)]
        if self.pending:
            copies.append((self.pending["sealed"], str(self.pending["check"])))
        return copies

    # -- the copy a backup carries --
    def recovery_copy(self, key: bytes, audit_key: bytes | None = None) -> dict[str, Any]:
        """What a backup under `key` carries so that the recovery code alone opens it on a new machine: the key
        sealed to the recovery public key, the code's salt and argon2 parameters, and the store id (the seal's AAD).
        Only wrapped or public material, like keystore.json itself. With `audit_key` (the audit chain's, kept
        outside the database) sealed the same way, so that the restored trail can be checked and goes on."""
        public = self._trusted_recovery_public(key)
        copy: dict[str, Any] = {
            "store_id": self.store_id,
            "salt": self.recovery["salt"],
            "params": dict(self.recovery["params"]),
            "sealed": _seal_to(public, key, self._aad()),
        }
        if audit_key is not None:
            copy["audit_sealed"] = _seal_to(public, audit_key, self._audit_aad())
        return copy

    @staticmethod
    def open_recovery_copy(copy: dict[str, Any], code: str) -> bytes:
        """The key sealed in a backup's recovery copy (`recovery_copy`), unsealed with the recovery code.

        WrongKey when the code is wrong or the copy is damaged (the caller checks the key against the backup).
        """
        return KeyStore.open_recovery_copy_keys(copy, code)[0]

    @staticmethod
    def open_recovery_copy_keys(copy: dict[str, Any], code: str) -> tuple[bytes, bytes | None]:
        """The database key and the audit key (None in a backup made while the audit key was in the database)
        sealed in a backup's recovery copy, with one stretch of the code. WrongKey as open_recovery_copy."""
        try:
            store_aad = f"desktop-app store {copy['store_id']}"
            private = _recovery_private_key(code, _unb64(copy["salt"]), _params(copy["params"]))
            key = _open_sealed(private, copy["sealed"], store_aad.encode())
            audit = copy.get("audit_sealed")
            audit_key = _open_sealed(private, audit, f"{store_aad} audit key".encode()) if audit else None
            return key, audit_key
        except Exception:
            raise WrongKey(
                "The recovery code does not open this backup: check it against the printed sheet of the workstation "
                "that made the backup, and type it again."
            ) from None

    @classmethod
    def from_recovery_copy(
        cls,
        path: Path,
        copy: dict[str, Any],
        code: str,
        key: bytes,
        method: KeyMethod,
        passphrase: str | None,
        audit_key: bytes | None = None,
    ) -> KeyStore:
        """A key store for a store restored on a new machine from a backup's recovery copy: the same store id and
        recovery salt, so the same recovery code stays valid, and `key` (with `audit_key`, unless the backup still
        holds it in its database) kept again by `method`. Not yet saved."""
        salt = _unb64(copy["salt"])
        params = _params(copy["params"])
        public = _recovery_private_key(code, salt, params).public_key()
        store = cls(path=path, store_id=str(copy["store_id"]), method=method, check=key_check(key), recovery={})
        store.recovery = {
            "salt": _b64(salt),
            "params": params,
            "public": _b64(public.public_bytes_raw()),
            "sealed": _seal_to(public, key, store._aad()),
        }
        store.authenticate_recovery(key)
        if audit_key is not None:
            store._set_audit_key(audit_key, public)
            store._keep_audit_in_keyring()
        store._put_key(key, passphrase)
        return store

    # -- rotation and re-homing --
    def begin_rotation(
        self, new: bytes, passphrase: str | None, current: bytes, audit_key: bytes | None = None
    ) -> None:
        """Record `new` as the pending key (kept by the same method) before the database is re-encrypted; it is
        sealed only to a recovery public key whose MAC under the `current` key holds (StoreError otherwise).
        `audit_key` (unchanged by a rotation) goes into the pending passphrase wrap with the new key."""
        public = self._trusted_recovery_public(current)
        if audit_key is not None and self.audit is not None:
            self._audit_key = audit_key
        self._put_key(new, passphrase, pending=True, recovery=public)
        self.save()

    def finish_rotation(self, new: bytes, passphrase: str | None) -> None:
        """Make the pending key current once the database has been re-encrypted under it.

        keystore.json is written first; the credential store follows (until it does, read_key finds the key under
        the pending entry), so no crash leaves a current key that the file does not name.
        """
        if self.pending is None or not hmac.compare_digest(key_check(new), str(self.pending["check"])):
            raise StoreError("No key rotation of this key is under way.")
        if self.method is KeyMethod.PASSPHRASE:
            wrapped = self.pending.get("passphrase")
            if not wrapped:
                if not passphrase:
                    raise KeyUnavailable("A passphrase is needed to protect the database key.")
                wrapped = self._wrap_with_passphrase(new, passphrase)
            self.passphrase = wrapped
        self.check = key_check(new)
        self.recovery["sealed"] = self.pending["sealed"]
        self.recovery["mac"] = self.pending.get("recovery_mac") or self._recovery_mac(new)
        self.pending = None
        self.save()
        if self.method is KeyMethod.KEYRING:
            self._keep_in_keyring(new)

    def abandon_rotation(self) -> None:
        """Forget a pending key that never became current."""
        if self.pending is None:
            return
        self.pending = None
        self.save()
        if self.method is KeyMethod.KEYRING:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                usable_keyring().delete_password(KEYRING_SERVICE, self._keyring_user(pending=True))

    def rehome(self, key: bytes, method: KeyMethod, passphrase: str | None, code: str) -> None:
        """Keep `key` again (after a recovery), by `method`, as the only key; the recovery code stays valid.

        `key` is one of this file's sealed keys that the caller has seen open the database: after a crash in a
        rotation that may be the pending one. The recovery public key is derived again from `code` (so a planted one
        is replaced) and MACed under `key`. The file is written before the credential store.
        """
        check = key_check(key)
        if not any(hmac.compare_digest(check, copy_check) for _, copy_check in self._sealed_copies()):
            raise WrongKey("That key does not belong to this database.")
        if self.audit is not None and self._audit_key is None:  # recover_keys unseals it with the same code
            raise WrongKey("The recovery code does not open the audit key kept in this key file.")
        if method is KeyMethod.PASSPHRASE:
            if not passphrase:
                raise KeyUnavailable("A passphrase is needed to protect the database key.")
            wrapped: dict[str, Any] | None = self._wrap_with_passphrase(key, passphrase)
        else:
            usable_keyring()  # refused before anything is written
            wrapped = None
        public = _recovery_private_key(code, _unb64(self.recovery["salt"]), _params(self.recovery["params"]))
        self.method = method
        self.check = check
        self.recovery["public"] = _b64(public.public_key().public_bytes_raw())
        self.recovery["sealed"] = _seal_to(public.public_key(), key, self._aad())
        self.authenticate_recovery(key)
        if self._audit_key is not None:  # sealed again to the public key derived from the code
            self._set_audit_key(self._audit_key, public.public_key())
        self.passphrase = wrapped
        self.pending = None
        self.save()
        if method is KeyMethod.KEYRING:
            backend = usable_keyring()
            try:
                backend.set_password(KEYRING_SERVICE, self._keyring_user(), key.hex())
            except keyring.errors.KeyringError as exc:
                raise KeyUnavailable(f"The OS credential store refused the key: {exc}") from None
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                backend.delete_password(KEYRING_SERVICE, self._keyring_user(pending=True))
            self._keep_audit_in_keyring()
