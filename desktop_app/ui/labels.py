"""Translated labels for statuses and roles (one place, used by every screen)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Role


def status_label(status: Status | str) -> str:
    """The translated name of a record status."""
    labels = {
        Status.DRAFT: QCoreApplication.translate("Status", "Draft"),
        Status.AWAITING_SECOND_ENTRY: QCoreApplication.translate("Status", "Awaiting second entry"),
        Status.AWAITING_RECONCILIATION: QCoreApplication.translate("Status", "Awaiting reconciliation"),
        Status.AWAITING_APPROVAL: QCoreApplication.translate("Status", "Awaiting approval"),
        Status.APPROVED: QCoreApplication.translate("Status", "Approved"),
        Status.SYNCED: QCoreApplication.translate("Status", "Synced"),
        Status.REJECTED: QCoreApplication.translate("Status", "Rejected"),
        Status.DISCARDED: QCoreApplication.translate("Status", "Discarded"),
    }
    return labels.get(Status(status), str(status))


def role_label(role: Role | str) -> str:
    """The translated name of a role."""
    labels = {
        Role.TELLER: QCoreApplication.translate("Role", "Teller"),
        Role.SUPERVISOR: QCoreApplication.translate("Role", "Supervisor"),
        Role.AUDITOR: QCoreApplication.translate("Role", "Auditor"),
        Role.ADMIN: QCoreApplication.translate("Role", "Administrator"),
    }
    return labels.get(Role(role), str(role))


def local_time(moment: datetime) -> str:
    """A stored (naive UTC) time, in local time and the UI locale's short format."""
    local = moment.replace(tzinfo=UTC).astimezone()
    shown = QDateTime(local.year, local.month, local.day, local.hour, local.minute, local.second)
    return QLocale().toString(shown, QLocale.FormatType.ShortFormat)


def kind_label(kind: str) -> str:
    """The translated name of how a version came about."""
    labels = {
        "create": QCoreApplication.translate("VersionKind", "created"),
        "edit": QCoreApplication.translate("VersionKind", "edited"),
        "change": QCoreApplication.translate("VersionKind", "change started"),
        "reconcile": QCoreApplication.translate("VersionKind", "reconciled"),
        "import": QCoreApplication.translate("VersionKind", "imported"),
        "review": QCoreApplication.translate("VersionKind", "periodic review"),
    }
    return labels.get(kind, kind)


def status_reason_label(reason: str) -> str:
    """The translated words for a status change's reason that the program wrote; a person's own reason (a
    return to the maker) is shown as they wrote it."""
    labels = {
        "submitted": QCoreApplication.translate("StatusReason", "submitted"),
        "second entry": QCoreApplication.translate("StatusReason", "second entry keyed"),
        "differences settled": QCoreApplication.translate("StatusReason", "differences settled"),
        "edited after rejection": QCoreApplication.translate("StatusReason", "edited after being returned"),
        "discarded by maker": QCoreApplication.translate("StatusReason", "discarded by its maker"),
        "change started": QCoreApplication.translate("StatusReason", "change started"),
        "review started": QCoreApplication.translate("StatusReason", "periodic review started"),
        "approved": QCoreApplication.translate("StatusReason", "approved"),
        "imported": QCoreApplication.translate("StatusReason", "imported from a spreadsheet"),
        "acknowledged by the central server": QCoreApplication.translate(
            "StatusReason", "acknowledged by the central server"
        ),
    }
    return labels.get(reason, reason)
