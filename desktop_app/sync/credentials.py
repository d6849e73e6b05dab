"""The device credential the central server issued at enrolment, kept in the OS credential store (keyring).

Never in the database or a configuration file: whoever copies the data directory does not get the right to
upload as this workstation. The entry is named after the workstation id, so two stores on one machine (or a
test's temporary store) never share a credential.
"""

from __future__ import annotations

import contextlib

import keyring.errors

from desktop_app.storage.errors import KeyUnavailable
from desktop_app.storage.keystore import usable_keyring

_USER = "device-credential"


def keyring_service(workstation_id: str) -> str:
    """The credential store's service name for this workstation's device credential."""
    return f"desktop-app-sync/{workstation_id}"


def check_available() -> None:
    """UnsafeKeyring (a KeyUnavailable) when there is no real OS credential store to keep the credential in."""
    usable_keyring()


def save(workstation_id: str, credential: str) -> None:
    """Keep the credential (replacing an earlier one)."""
    try:
        usable_keyring().set_password(keyring_service(workstation_id), _USER, credential)
    except keyring.errors.KeyringError as exc:
        raise KeyUnavailable(f"The OS credential store refused the sync credential: {exc}") from None


def load(workstation_id: str) -> str | None:
    """The credential, or None when this workstation was never enrolled (or the credential store lost it)."""
    try:
        return usable_keyring().get_password(keyring_service(workstation_id), _USER)
    except keyring.errors.KeyringError as exc:
        raise KeyUnavailable(f"The OS credential store could not be read: {exc}") from None


def forget(workstation_id: str) -> None:
    """Remove the credential (after a re-enrolment elsewhere, or in tests)."""
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        usable_keyring().delete_password(keyring_service(workstation_id), _USER)
