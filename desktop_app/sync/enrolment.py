"""What an enrolment fixes: the central server's address and its trust anchor, pinned with the device credential.

The address and the CA certificate(s) the workstation trusts for the server are chosen once, at enrolment, with a
one-time code from the bank; every sync run goes to exactly that address and trusts exactly that anchor, and the
credential goes nowhere else. The pin (address, SHA-256 of the trust anchor, device id) is kept beside the
credential in the OS credential store, so neither a change of the settings nor an edit of the database can
redirect the credential; the anchor itself (PEM, public) is kept in the store and must match the pin's digest.
`mismatch` is the one place that decides whether a run may go ahead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.server_address import AddressProblem, parse_server_address
from desktop_app.sync.errors import CaBundleUnreadable
from desktop_app.sync.transport import tls_context

#: Why a run refused to go (error codes, as kept for the status bar).
SERVER_CHANGED = "server_changed"
TRUST_ANCHOR_CHANGED = "trust_anchor_changed"
ENROLMENT_MISMATCH = "enrolment_mismatch"
ENROLMENT_UNPINNED = "enrolment_unpinned"

_PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")

_RE_ENROL = (
    "Nothing was sent. The server address and its CA certificate change only by a new enrolment: an "
    "administrator re-enrols with a code from the bank's central administrator ('desktop-app sync-enrol')."
)


@dataclass(frozen=True)
class EnrolmentPin:
    """What the credential is bound to: the server's base URL, the CA file it was enrolled with (its path, as the
    setting shows it; "" for the OS trust store), SHA-256 of the trust anchor's PEM ("" for the OS trust store),
    and the device id the server issued."""

    server_url: str
    ca_bundle: str
    ca_sha256: str
    device_id: str


@dataclass(frozen=True)
class Configured:
    """What the settings and the store say now: the settings sync_server_url and sync_ca_bundle, and the enrolment
    the store recorded (device id, address, kept trust anchor)."""

    server_url: str
    ca_bundle: str
    device_id: str | None
    enrolled_url: str | None
    ca_pem: str | None


@dataclass(frozen=True)
class Mismatch:
    """Why a run may not go: `code` (one of the constants above) and an English message that says what to do."""

    code: str
    message: str


def anchor_digest(ca_pem: str | None) -> str:
    """SHA-256 (hex) of a trust anchor's PEM text; "" for none (the OS trust store)."""
    return hashlib.sha256(ca_pem.encode("utf-8")).hexdigest() if ca_pem else ""


def read_trust_anchor(ca_bundle: str) -> str:
    """The certificates of a PEM CA file (only the certificate blocks, without the text around them), checked to
    load; CaBundleUnreadable when there are none or the file cannot be read."""
    try:
        text = Path(ca_bundle).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CaBundleUnreadable(f"The CA bundle '{ca_bundle}' cannot be read ({exc.__class__.__name__}).") from None
    blocks = _PEM_CERTIFICATE.findall(text)
    if not blocks:
        raise CaBundleUnreadable(f"The CA bundle '{ca_bundle}' holds no PEM certificate (BEGIN CERTIFICATE).")
    anchor = "\n".join(block.strip() for block in blocks) + "\n"
    tls_context(None, anchor)  # CaBundleUnreadable when a block is not a certificate
    return anchor


def _base_url(url: str) -> str:
    try:
        return parse_server_address(url).base_url
    except AddressProblem:
        return url.strip()


def unpinned(enrolled: EnrolmentPin) -> Mismatch:
    """Why a credential kept without its binding (by a version before pins) may not be used: it is bound only at an
    enrolment, never afterwards from what the store or the settings say (both can be edited)."""
    return Mismatch(
        ENROLMENT_UNPINNED,
        f"The sync credential of device {enrolled.device_id or '(none)'} in the OS credential store is not bound to "
        "the server address and CA certificate it was enrolled with (it was kept by an older version). " + _RE_ENROL,
    )


def mismatch(pin: EnrolmentPin, credential: str, configured: Configured) -> Mismatch | None:
    """None when a run may go to the pinned server with this credential; else what differs from the enrolment."""
    presented = credential.partition(".")[0]  # the device the credential would present to the server
    if configured.device_id != pin.device_id or presented != pin.device_id:
        # Name the two that differ: the device this store is enrolled as, and the one the credential is for (or,
        # when the credential itself is this store's, the device its binding names).
        other = presented if presented != configured.device_id else pin.device_id
        return Mismatch(
            ENROLMENT_MISMATCH,
            f"This store is enrolled as device {configured.device_id or '(none)'}, but the credential in the OS "
            f"credential store is for device {other or '(none)'} (was the store restored from a backup taken "
            "before an enrolment, or the credential store copied from another workstation?). " + _RE_ENROL,
        )
    if _base_url(configured.server_url) != pin.server_url or configured.enrolled_url != pin.server_url:
        return Mismatch(
            SERVER_CHANGED,
            f"Sync is set to send to {configured.server_url or '(none)'}, but this workstation is enrolled with "
            f"{pin.server_url}. " + _RE_ENROL,
        )
    if configured.ca_bundle != pin.ca_bundle or anchor_digest(configured.ca_pem) != pin.ca_sha256:
        return Mismatch(
            TRUST_ANCHOR_CHANGED,
            f"The CA certificate set for sync ({configured.ca_bundle or 'the system trust store'}) is not the one "
            f"this workstation was enrolled with ({pin.ca_bundle or 'the system trust store'}). " + _RE_ENROL,
        )
    return None
