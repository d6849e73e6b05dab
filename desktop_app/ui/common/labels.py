"""Translated labels for statuses and roles (one place, used by every screen)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale

from desktop_app.domain.lifecycle import Status
from desktop_app.domain.reject_reasons import reason_in
from desktop_app.domain.roles import Role
from desktop_app.ui.common.i18n import lang


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


# One date format on every screen, in both languages: the locale's short formats differ between screens and
# languages ("2026/12/7" beside "12/7/26"), and a teller compares dates with the paper's.
DATE_FORMAT = "yyyy-MM-dd"
DATE_TIME_FORMAT = "yyyy-MM-dd HH:mm"


def local_time(moment: datetime) -> str:
    """A stored time (naive UTC, or aware), in local time and the one date-time format of the UI."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone()
    shown = QDateTime(local.year, local.month, local.day, local.hour, local.minute, local.second)
    return QLocale().toString(shown, DATE_TIME_FORMAT)


def local_time_iso(stamp: str) -> str:
    """An ISO-8601 UTC stamp as the audit trail writes it ("…T…Z"), shown like `local_time`."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return local_time(moment)


def local_date(day: date) -> str:
    """A calendar day in the one date format of the UI."""
    return QLocale().toString(QDate(day.year, day.month, day.day), DATE_FORMAT)


def kind_label(kind: str) -> str:
    """The translated name of how a version came about."""
    labels = {
        "create": QCoreApplication.translate("VersionKind", "created"),
        "edit": QCoreApplication.translate("VersionKind", "edited"),
        "change": QCoreApplication.translate("VersionKind", "change started"),
        "reconcile": QCoreApplication.translate("VersionKind", "reconciled"),
        "import": QCoreApplication.translate("VersionKind", "imported"),
        "review": QCoreApplication.translate("VersionKind", "periodic review"),
        "resubmit": QCoreApplication.translate("VersionKind", "sent on again unchanged"),
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
    return labels.get(reason) or reason_in(reason, lang())


# The system itself, where the audit trail and the snapshots name an actor: the store's set-up and the scheduled
# backup run with no person signed in.
SYSTEM_ACTOR = "workstation"


BACKGROUND_SYNC_ACTOR = "background-sync"  # services/sync.py: a sync run with no user (the scheduled job)


def actor_label(name: str) -> str:
    """A user name as shown; the system's own actors in words."""
    if name == SYSTEM_ACTOR:
        return QCoreApplication.translate("Actor", "this workstation (automatic)")
    if name == BACKGROUND_SYNC_ACTOR:
        return QCoreApplication.translate("Actor", "scheduled sync (automatic)")
    return name


def audit_action_label(action: str) -> str:
    """The translated words for an audit action code; a group filter ("record.*") and an unknown code stay as
    they are (an auditor can still filter by them)."""
    labels = {
        "approval.view": QCoreApplication.translate("AuditAction", "approval opened"),
        "attachment.add": QCoreApplication.translate("AuditAction", "attachment added"),
        "attachment.view": QCoreApplication.translate("AuditAction", "attachment viewed"),
        "audit.export": QCoreApplication.translate("AuditAction", "audit log exported"),
        "backup.create": QCoreApplication.translate("AuditAction", "backup taken"),
        "backup.restore": QCoreApplication.translate("AuditAction", "backup restored"),
        "demo.seed": QCoreApplication.translate("AuditAction", "demo data added"),
        "duplicate.candidates": QCoreApplication.translate("AuditAction", "likely existing customers shown"),
        "duplicate.check_limited": QCoreApplication.translate(
            "AuditAction", "check for an existing customer paused: too many different values checked"
        ),
        "duplicate.decide": QCoreApplication.translate("AuditAction", "same or different person decided"),
        "duplicate.view": QCoreApplication.translate("AuditAction", "likely existing customers viewed"),
        "duplicate.branch_match": QCoreApplication.translate("AuditAction", "likely match in another branch"),
        "duplicate.branch_match_seen": QCoreApplication.translate(
            "AuditAction", "likely match in another branch found after approval: seen"
        ),
        "paper.page_add": QCoreApplication.translate("AuditAction", "paper form page added"),
        "paper.page_remove": QCoreApplication.translate("AuditAction", "paper form page taken out"),
        "paper.set_restore": QCoreApplication.translate("AuditAction", "earlier paper form pages restored"),
        "paper.page_view": QCoreApplication.translate("AuditAction", "paper form page viewed"),
        "paper.pages_sent": QCoreApplication.translate("AuditAction", "paper form pages sent to the central server"),
        "watchlist.hit": QCoreApplication.translate("AuditAction", "watchlist hit found"),
        "watchlist.import": QCoreApplication.translate("AuditAction", "screening list imported"),
        "watchlist.import_refused": QCoreApplication.translate("AuditAction", "screening list refused"),
        "watchlist.rescreen_done": QCoreApplication.translate("AuditAction", "customers re-screened"),
        "form_number.claim": QCoreApplication.translate("AuditAction", "form number taken by the record"),
        "import.layout": QCoreApplication.translate("AuditAction", "import layout saved"),
        "import.report_export": QCoreApplication.translate("AuditAction", "import report saved"),
        "import.run": QCoreApplication.translate("AuditAction", "spreadsheet imported"),
        "key.recover": QCoreApplication.translate("AuditAction", "access recovered with the recovery code"),
        "key.rotate": QCoreApplication.translate("AuditAction", "data key changed"),
        "lock.override": QCoreApplication.translate("AuditAction", "locked session taken over"),
        "login.failure": QCoreApplication.translate("AuditAction", "sign-in failed"),
        "login.lockout": QCoreApplication.translate("AuditAction", "account locked after failed sign-ins"),
        "login.refused_locked": QCoreApplication.translate("AuditAction", "sign-in refused: account locked"),
        "login.success": QCoreApplication.translate("AuditAction", "signed in"),
        "logout": QCoreApplication.translate("AuditAction", "signed out"),
        "password.change": QCoreApplication.translate("AuditAction", "password changed"),
        "password.change_refused": QCoreApplication.translate("AuditAction", "password change refused"),
        "reconciliation.resolve": QCoreApplication.translate("AuditAction", "differences settled"),
        "reconciliation.view": QCoreApplication.translate("AuditAction", "reconciliation opened"),
        "record.create": QCoreApplication.translate("AuditAction", "record created"),
        "record.export": QCoreApplication.translate("AuditAction", "records exported"),
        "record.history": QCoreApplication.translate("AuditAction", "record history viewed"),
        "record.import": QCoreApplication.translate("AuditAction", "record imported"),
        "record.lookup": QCoreApplication.translate("AuditAction", "record looked up by ID number"),
        "record.reveal": QCoreApplication.translate("AuditAction", "masked values shown"),
        "record.review_start": QCoreApplication.translate("AuditAction", "periodic review started"),
        "record.search": QCoreApplication.translate("AuditAction", "records searched"),
        "record.search_limited": QCoreApplication.translate("AuditAction", "search refused: too many exact searches"),
        "record.status": QCoreApplication.translate("AuditAction", "record status changed"),
        "record.update": QCoreApplication.translate("AuditAction", "record saved"),
        "record.view": QCoreApplication.translate("AuditAction", "record viewed"),
        "second_entry.refused_same_clerk": QCoreApplication.translate(
            "AuditAction", "second entry refused: same clerk"
        ),
        "second_entry.submit": QCoreApplication.translate("AuditAction", "second entry keyed"),
        "session.lock": QCoreApplication.translate("AuditAction", "screen locked"),
        "session.unlock": QCoreApplication.translate("AuditAction", "screen unlocked"),
        "settings.change": QCoreApplication.translate("AuditAction", "settings changed"),
        "stats.export": QCoreApplication.translate("AuditAction", "statistics exported"),
        "store.init": QCoreApplication.translate("AuditAction", "workstation set up"),
        "store.verify": QCoreApplication.translate("AuditAction", "audit chain verified"),
        "sync.audit_chain_break": QCoreApplication.translate("AuditAction", "sync stopped: audit chain broken"),
        "sync.batch": QCoreApplication.translate("AuditAction", "records sent to the central server"),
        "sync.enrol": QCoreApplication.translate("AuditAction", "enrolled with the central server"),
        "sync.pin": QCoreApplication.translate("AuditAction", "central server certificate pinned"),
        "sync.purge": QCoreApplication.translate("AuditAction", "synced records purged"),
        "sync.refused": QCoreApplication.translate("AuditAction", "record refused by the central server"),
        "sync.retry": QCoreApplication.translate("AuditAction", "sync retried"),
        "user.add": QCoreApplication.translate("AuditAction", "user added"),
        "user.lock": QCoreApplication.translate("AuditAction", "user locked"),
        "user.reset_password": QCoreApplication.translate("AuditAction", "password reset"),
        "user.set_roles": QCoreApplication.translate("AuditAction", "roles changed"),
        "user.unlock": QCoreApplication.translate("AuditAction", "user unlocked"),
    }
    return labels.get(action, action)


def detail_key_label(key: str) -> str:
    """The words for a key of an audit entry's details; an unknown key with its underscores as spaces."""
    labels = {
        "form": QCoreApplication.translate("AuditDetail", "form"),
        "version": QCoreApplication.translate("AuditDetail", "version"),
        "from": QCoreApplication.translate("AuditDetail", "from"),
        "to": QCoreApplication.translate("AuditDetail", "to"),
        "reason": QCoreApplication.translate("AuditDetail", "reason"),
        "fields": QCoreApplication.translate("AuditDetail", "fields"),
        "count": QCoreApplication.translate("AuditDetail", "count"),
        "rows": QCoreApplication.translate("AuditDetail", "rows"),
        "file": QCoreApplication.translate("AuditDetail", "file"),
        "path": QCoreApplication.translate("AuditDetail", "file"),
        "roles": QCoreApplication.translate("AuditDetail", "roles"),
        "username": QCoreApplication.translate("AuditDetail", "user"),
        "user": QCoreApplication.translate("AuditDetail", "user"),
        "key": QCoreApplication.translate("AuditDetail", "setting"),
        "value": QCoreApplication.translate("AuditDetail", "value"),
        "masked": QCoreApplication.translate("AuditDetail", "masked"),
        "unmasked": QCoreApplication.translate("AuditDetail", "unmasked"),
        "status": QCoreApplication.translate("AuditDetail", "status"),
        "from_status": QCoreApplication.translate("AuditDetail", "from status"),
        "to_status": QCoreApplication.translate("AuditDetail", "to status"),
        "base_version": QCoreApplication.translate("AuditDetail", "based on version"),
        "records": QCoreApplication.translate("AuditDetail", "records"),
        "warnings": QCoreApplication.translate("AuditDetail", "warnings"),
        "format": QCoreApplication.translate("AuditDetail", "format"),
        "kind": QCoreApplication.translate("AuditDetail", "kind"),
        "document_type": QCoreApplication.translate("AuditDetail", "document type"),
        "filter": QCoreApplication.translate("AuditDetail", "filter"),
        "total": QCoreApplication.translate("AuditDetail", "total"),
        "skipped": QCoreApplication.translate("AuditDetail", "skipped"),
        "minutes": QCoreApplication.translate("AuditDetail", "minutes"),
        "record_id": QCoreApplication.translate("AuditDetail", "record"),
        "key_storage": QCoreApplication.translate("AuditDetail", "key kept in"),
        "store_id": QCoreApplication.translate("AuditDetail", "store id"),
        "changed": QCoreApplication.translate("AuditDetail", "changed"),
        "candidates": QCoreApplication.translate("AuditDetail", "likely existing customers"),
        "hidden": QCoreApplication.translate("AuditDetail", "all values withheld (blind second entry)"),
        "source": QCoreApplication.translate("AuditDetail", "source"),
        "versions": QCoreApplication.translate("AuditDetail", "versions"),
        "form_number": QCoreApplication.translate("AuditDetail", "form number"),
        "field": QCoreApplication.translate("AuditDetail", "field"),
        "differences": QCoreApplication.translate("AuditDetail", "differences"),
        "decisions": QCoreApplication.translate("AuditDetail", "decisions"),
        "attachment": QCoreApplication.translate("AuditDetail", "attachment"),
        "via": QCoreApplication.translate("AuditDetail", "via"),
        "by": QCoreApplication.translate("AuditDetail", "searched by"),
        "found": QCoreApplication.translate("AuditDetail", "found"),
        "page": QCoreApplication.translate("AuditDetail", "page id"),
        "set": QCoreApplication.translate("AuditDetail", "page set"),
        "page_no": QCoreApplication.translate("AuditDetail", "page number"),
        "new_set": QCoreApplication.translate("AuditDetail", "new page set"),
        "pages_left": QCoreApplication.translate("AuditDetail", "pages left"),
        "new_image": QCoreApplication.translate("AuditDetail", "new image stored"),
        "pages": QCoreApplication.translate("AuditDetail", "pages"),
    }
    return labels.get(key, key.replace("_", " "))


def source_label(source: str) -> str:
    """The words for where a value came from (a form number typed or read from the form's barcode)."""
    labels = {
        "typed": QCoreApplication.translate("AuditDetail", "typed"),
        "barcode": QCoreApplication.translate("AuditDetail", "read from the barcode"),
        "form_code": QCoreApplication.translate("AuditDetail", "read from the barcode"),
    }
    return labels.get(source, source)


def setting_label(key: str) -> str:
    """A setting's name as the Settings page shows it; a setting the page does not show by its key."""
    labels = {
        "idle_lock_minutes": QCoreApplication.translate("SettingsPage", "Lock the screen after idle minutes"),
        "dual_entry_policy": QCoreApplication.translate("SettingsPage", "Dual entry required for"),
        "duplicates_at_entry": QCoreApplication.translate("SettingsPage", "Likely existing customers are shown to"),
        "reconciliation_resolver": QCoreApplication.translate("SettingsPage", "Differences are settled by"),
        "language": QCoreApplication.translate("SettingsPage", "Language"),
        "sync_server_url": QCoreApplication.translate("SettingsPage", "Central server address"),
        "sync_ca_bundle": QCoreApplication.translate("SettingsPage", "Central server's CA certificate"),
        "scanner_folder": QCoreApplication.translate("SettingsPage", "Scanner folder"),
        "review_years_high": QCoreApplication.translate("SettingsPage", "Review high-risk customers every (years)"),
        "review_years_medium": QCoreApplication.translate("SettingsPage", "Review medium-risk customers every (years)"),
        "review_years_low": QCoreApplication.translate("SettingsPage", "Review low-risk customers every (years)"),
        "review_id_expiry_days": QCoreApplication.translate(
            "SettingsPage", "Review when the ID document expires within (days)"
        ),
    }
    return labels.get(key, key)


def setting_value_label(key: str, value: object) -> str | None:
    """A setting's value in the Settings page's words, or None where the value is not a choice it names."""
    labels = {
        ("dual_entry_policy", "both"): QCoreApplication.translate("SettingsPage", "New customers and changes"),
        ("dual_entry_policy", "new"): QCoreApplication.translate("SettingsPage", "New customers only"),
        ("dual_entry_policy", "changes"): QCoreApplication.translate("SettingsPage", "Changes only"),
        ("dual_entry_policy", "none"): QCoreApplication.translate("SettingsPage", "Not required"),
        ("duplicates_at_entry", "maker"): QCoreApplication.translate(
            "SettingsPage", "The clerk keying, and the supervisor"
        ),
        ("duplicates_at_entry", "supervisor_only"): QCoreApplication.translate(
            "SettingsPage", "The supervisor only, at approval"
        ),
        ("reconciliation_resolver", "first_clerk"): QCoreApplication.translate(
            "SettingsPage", "The first clerk, against the paper"
        ),
        ("reconciliation_resolver", "third_clerk"): QCoreApplication.translate("SettingsPage", "A third clerk"),
        ("reconciliation_resolver", "supervisor"): QCoreApplication.translate("SettingsPage", "A supervisor"),
        ("language", "system"): QCoreApplication.translate(
            "SettingsPage", "As the system (Chinese on a Chinese system)"
        ),
        ("language", "zh_CN"): "中文（简体）",
        ("language", "en"): "English",
    }
    return labels.get((key, str(value))) if isinstance(value, str) else None
