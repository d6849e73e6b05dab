"""What can go wrong talking to the central server, as typed exceptions the services turn into messages.

`retryable` says whether trying the same request later may succeed (network down, server busy or failing) or
whether someone has to act first (a revoked device, a refused address, an untrusted certificate).
"""

from __future__ import annotations


class SyncTransportError(Exception):
    """A request to the central server did not get a usable answer. `code` is stable for the UI and the log."""

    code = "sync_error"
    retryable = True

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.server_code: str | None = None  # the server's own error code, when it answered with one


class InsecureAddress(SyncTransportError):
    """Plain HTTP to an address that is not this machine: refused before any connection is made."""

    code = "insecure_address"
    retryable = False


class BadAddress(SyncTransportError):
    """The server address cannot be used at all (no scheme, no host, an unknown scheme)."""

    code = "bad_address"
    retryable = False


class ServerRedirected(SyncTransportError):
    """A 3xx answer: redirects are never followed (the credential would go to wherever they point)."""

    code = "redirected"
    retryable = False


class ForeignOrigin(SyncTransportError):
    """A request for another origin than the enrolled server's was stopped before it was sent."""

    code = "foreign_origin"
    retryable = False


class CertificateUntrusted(SyncTransportError):
    """The TLS handshake failed: the server's certificate is not trusted by the configured CA bundle."""

    code = "certificate_untrusted"
    retryable = False


class CaBundleUnreadable(SyncTransportError):
    """The configured CA bundle file is missing or is not a PEM bundle of certificates."""

    code = "ca_bundle_unreadable"
    retryable = False


class ServerUnreachable(SyncTransportError):
    """No connection, a timeout, or the connection closed before the whole answer arrived."""

    code = "unreachable"


class ServerFailed(SyncTransportError):
    """The server answered 5xx (or something that is not the protocol's JSON)."""

    code = "server_error"


class NotAuthenticated(SyncTransportError):
    """401: no credential, or one the server does not know (the enrolment was lost or is for another server)."""

    code = "not_authenticated"
    retryable = False


class DeviceRevoked(SyncTransportError):
    """403: the server revoked this workstation's device credential."""

    code = "device_revoked"
    retryable = False


class EnrolmentRefused(SyncTransportError):
    """The enrolment code was refused (unknown, used or expired)."""

    code = "enrolment_refused"
    retryable = False


class WorkstationAlreadyEnrolled(EnrolmentRefused):
    """409 on enrolment: the code is for a new workstation, and this workstation is enrolled already. A
    re-enrolment needs a code the bank issues for this workstation's id (the code was not spent)."""

    code = "workstation_already_enrolled"


class CodeForAnotherWorkstation(EnrolmentRefused):
    """403 on enrolment: the code was issued for another workstation's re-enrolment (it was not spent)."""

    code = "enrolment_code_for_another_workstation"


class Throttled(SyncTransportError):
    """429: the server takes no more of this for now; `retry_after` is how many seconds it asked to wait."""

    code = "throttled"

    def __init__(self, message: str, *, status: int | None = None, retry_after: int = 60) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class TooManyAttempts(Throttled):
    """429 on enrolment: too many failed enrolments from this address lately; none is taken until the wait is over."""

    code = "too_many_attempts"


class RateLimited(Throttled):
    """429 on a batch: this device claimed too many new customers (or had too many items refused) in the last
    hour. Every later batch would be refused the same way, so the run stops and the rows wait that long."""

    code = "rate_limited"


class RequestRejected(SyncTransportError):
    """Another 4xx: the server could not take the request as sent (a client bug or a protocol mismatch)."""

    code = "request_rejected"
    retryable = False


class AuditChainBreak(SyncTransportError):
    """409 on the audit upload: the entries do not extend the head the server holds for this workstation, so
    the local audit trail was rewritten (or cut) after it was last anchored."""

    code = "audit_chain_break"
    retryable = False
