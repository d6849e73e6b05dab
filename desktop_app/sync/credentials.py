"""The device credential the central server issued at enrolment, kept in the OS credential store (keyring).

Never in the database or a configuration file: whoever copies the data directory does not get the right to
upload as this workstation. The entry is named after the workstation id, so two stores on one machine (or a
test's temporary store) never share a credential.

Since the enrolment pin (sync/enrolment.py) the entry is a small JSON object: the credential with the server
address and trust-anchor digest it may be used with, written in one piece so that the two never part. An entry
written by an older version is the bare credential, with no pin (`Stored.pin` None): the sync service refuses it
(binding it later from what the database says would let whoever can edit the database choose the server).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

import keyring.errors

from desktop_app.storage.errors import KeyUnavailable
from desktop_app.storage.keystore import usable_keyring
from desktop_app.sync.enrolment import EnrolmentPin

_USER = "device-credential"


@dataclass(frozen=True)
class Stored:
    """The credential and, unless it was saved by an older version, the enrolment it is bound to."""

    credential: str
    pin: EnrolmentPin | None


def keyring_service(workstation_id: str) -> str:
    """The credential store's service name for this workstation's device credential."""
    return f"desktop-app-sync/{workstation_id}"


def check_available() -> None:
    """UnsafeKeyring (a KeyUnavailable) when there is no real OS credential store to keep the credential in."""
    usable_keyring()


def save(workstation_id: str, credential: str, pin: EnrolmentPin | None = None) -> None:
    """Keep the credential bound to `pin` (replacing an earlier entry). Without a pin the bare credential is kept,
    as older versions did (tests use it to stand for such an entry)."""
    entry = credential
    if pin is not None:
        entry = json.dumps(
            {
                "credential": credential,
                "server_url": pin.server_url,
                "ca_bundle": pin.ca_bundle,
                "ca_sha256": pin.ca_sha256,
                "device_id": pin.device_id,
            },
            separators=(",", ":"),
        )
    try:
        usable_keyring().set_password(keyring_service(workstation_id), _USER, entry)
    except keyring.errors.KeyringError as exc:
        raise KeyUnavailable(f"The OS credential store refused the sync credential: {exc}") from None


def read(workstation_id: str) -> Stored | None:
    """The credential and its pin, or None when this workstation was never enrolled (or the store lost it)."""
    try:
        entry = usable_keyring().get_password(keyring_service(workstation_id), _USER)
    except keyring.errors.KeyringError as exc:
        raise KeyUnavailable(f"The OS credential store could not be read: {exc}") from None
    if not entry:
        return None
    if not entry.startswith("{"):  # a bare credential "<device id>.<secret>" never starts with a brace
        return Stored(entry, None)
    try:
        data = json.loads(entry)
        credential = data["credential"]
        if not isinstance(credential, str) or not credential:
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise KeyUnavailable("The sync credential in the OS credential store is damaged: enrol again.") from None
    try:
        pin = EnrolmentPin(
            str(data["server_url"]), str(data["ca_bundle"]), str(data["ca_sha256"]), str(data["device_id"])
        )
    except (KeyError, TypeError):  # a credential whose binding was cut off: refused (and audited) as unbound
        return Stored(credential, None)
    return Stored(credential, pin)


def load(workstation_id: str) -> str | None:
    """The credential alone, or None when this workstation was never enrolled (or the credential store lost it)."""
    stored = read(workstation_id)
    return stored.credential if stored else None


def forget(workstation_id: str) -> None:
    """Remove the credential (after a re-enrolment elsewhere, or in tests)."""
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        usable_keyring().delete_password(keyring_service(workstation_id), _USER)
