"""The workstation settings an admin may change: their keys, defaults and allowed values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.domain.lifecycle import DualEntryPolicy
from desktop_app.domain.server_address import AddressProblem, parse_server_address


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its default and a check that returns an error message (English) or None.

    `by_enrolment`: written only by an enrolment with the central server (its address and trust anchor belong
    with the credential), never by `settings set`."""

    key: str
    default: object
    check: Callable[[object], str | None]
    description: str
    by_enrolment: bool = False


def _int_between(low: int, high: int) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return f"must be a whole number from {low} to {high}"
        return None

    return check


def _one_of(*allowed: str) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if value not in allowed:
            return "must be one of " + ", ".join(allowed)
        return None

    return check


def _text(max_length: int) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if not isinstance(value, str) or len(value) > max_length:
            return f"must be text of at most {max_length} characters"
        return None

    return check


def _server_url(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > 500:
        return "must be text of at most 500 characters"
    if not value:
        return None  # not set: sync is off
    try:
        parse_server_address(value)
    except AddressProblem as exc:
        if exc.insecure:
            return "must use https:// (plain http:// is allowed only to this machine, 127.0.0.1)"
        return "must be an https://host[:port] address"
    return None


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("idle_lock_minutes", 5, _int_between(1, 120), "minutes without input before the screen locks"),
        SettingSpec(
            "dual_entry_policy",
            DualEntryPolicy.BOTH.value,
            _one_of(*(p.value for p in DualEntryPolicy)),
            "when a blind second entry is required: none, new, changes, both",
        ),
        SettingSpec(
            "duplicates_at_entry",
            "maker",
            _one_of("maker", "supervisor_only"),
            "who is shown likely existing customers while a record is keyed: maker (within the limits on checks of "
            "values the maker sees masked) or supervisor_only (at approval only: no answer about masked values "
            "reaches a clerk)",
        ),
        SettingSpec(
            "reconciliation_resolver",
            "first_clerk",
            _one_of("first_clerk", "third_clerk", "supervisor"),
            "who settles differences between the two entries",
        ),
        SettingSpec(
            "language",
            "system",
            _one_of("system", "zh_CN", "en"),
            "the language of the user interface (system: Chinese where the system locale is Chinese)",
        ),
        SettingSpec(
            "sync_server_url",
            "",
            _server_url,
            "the central server's address (https://...; plain http:// only to this machine); set by sync-enrol "
            "only: changing it is a new enrolment with a code from the bank",
            by_enrolment=True,
        ),
        SettingSpec(
            "sync_ca_bundle",
            "",
            _text(1000),
            "the PEM file of the CA that signed the central server's certificate (empty: the system's trust store), "
            "read at enrolment; set by sync-enrol only",
            by_enrolment=True,
        ),
        SettingSpec(
            "retention_days",
            0,
            _int_between(0, 3650),
            "days after the central server acknowledged a record before its personal data are purged here "
            "(id, version, status and the audit trail stay; 0: keep forever)",
        ),
        SettingSpec(
            "scanner_folder",
            "",
            _text(1000),
            "the folder this workstation's scanner saves into; 'Newest from scanner folder' reads the newest "
            "image or PDF there (empty: not set)",
        ),
        SettingSpec(
            "paper_scanner_device",
            "",
            _text(200),
            "the SANE device paper forms are scanned from, e.g. 'fujitsu:fi-7160:1234' (empty: the first found)",
        ),
        SettingSpec("paper_scan_dpi", 300, _int_between(150, 600), "resolution paper forms are scanned at (dpi)"),
        SettingSpec(
            "paper_scan_mode", "color", _one_of("color", "gray", "lineart"), "colour mode paper forms are scanned in"
        ),
        SettingSpec(
            "paper_scan_duplex",
            False,
            lambda v: None if isinstance(v, bool) else "must be true or false",
            "scan both sides of each sheet (the scanner's duplex feeder)",
        ),
        SettingSpec("review_years_high", 1, _int_between(1, 10), "years between periodic reviews, high risk"),
        SettingSpec("review_years_medium", 2, _int_between(1, 10), "years between periodic reviews, medium risk"),
        SettingSpec("review_years_low", 3, _int_between(1, 10), "years between periodic reviews, low risk"),
        SettingSpec(
            "review_id_expiry_days",
            30,
            _int_between(0, 365),
            "days before an ID document expires that its customer is due for review",
        ),
        SettingSpec(
            "backup_schedule",
            "daily",
            _one_of("daily", "off"),
            "when the app backs the store up by itself: daily (at the first chance each day), or off",
        ),
        SettingSpec("backup_keep", 14, _int_between(1, 365), "how many backups to keep; older ones are deleted"),
        SettingSpec(
            "backup_folder",
            "",
            _text(1000),
            "the folder backups are written to (empty: the 'backups' folder in the data directory)",
        ),
        SettingSpec(
            "import_target_status",
            "draft",
            _one_of("draft", "awaiting_approval"),
            "where imported rows go: the importing clerk's drafts, or straight to the supervisor's approval queue",
        ),
    )
}


def setting_key(key: str) -> str:
    """The catalogue's name for `key` as typed: names are matched case-insensitively (`SYNC_SERVER_URL` is
    `sync_server_url`), and `-` stands for `_`; an unknown name is returned as typed."""
    folded = key.strip().lower().replace("-", "_")
    return folded if key not in SETTINGS and folded in SETTINGS else key


def check_setting(key: str, value: object) -> str | None:
    """An error message when `key` is unknown or `value` is not allowed for it, else None."""
    spec = SETTINGS.get(key)
    if spec is None:
        return f"unknown setting '{key}': use one of " + ", ".join(sorted(SETTINGS))
    problem = spec.check(value)
    return f"setting '{key}' {problem}" if problem else None
