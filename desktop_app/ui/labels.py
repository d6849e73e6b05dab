"""Translated labels for statuses and roles (one place, used by every screen)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.roles import Role


def status_label(status: Status | str) -> str:
    """The translated name of a record status."""
    t = QCoreApplication.translate
    labels = {
        Status.DRAFT: t("Status", "Draft"),
        Status.AWAITING_SECOND_ENTRY: t("Status", "Awaiting second entry"),
        Status.AWAITING_RECONCILIATION: t("Status", "Awaiting reconciliation"),
        Status.AWAITING_APPROVAL: t("Status", "Awaiting approval"),
        Status.APPROVED: t("Status", "Approved"),
        Status.SYNCED: t("Status", "Synced"),
        Status.REJECTED: t("Status", "Rejected"),
        Status.DISCARDED: t("Status", "Discarded"),
    }
    return labels.get(Status(status), str(status))


def role_label(role: Role | str) -> str:
    """The translated name of a role."""
    t = QCoreApplication.translate
    labels = {
        Role.TELLER: t("Role", "Teller"),
        Role.SUPERVISOR: t("Role", "Supervisor"),
        Role.AUDITOR: t("Role", "Auditor"),
        Role.ADMIN: t("Role", "Administrator"),
    }
    return labels.get(Role(role), str(role))
