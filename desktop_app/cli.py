"""The admin command line: a thin layer over the services (the same permissions as the GUI).

Exit codes: 0 success, 1 failure, 2 usage error. Errors are one line on stderr; details go to the log file in
the data directory (record ids only, never personal data).
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.domain.text import Text, language_code
from desktop_app.redacted_log import log_failure
from desktop_app.storage.data_dir import DataDir, default_data_dir

log = logging.getLogger("desktop_app.cli")

ENV_PASSPHRASE = "DESKTOP_APP_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret


class CliError(Exception):
    """A failure to report as one line on stderr with exit code 1."""


def _lang() -> str:
    lang = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return language_code(lang)


class _Stdin:
    """Lines of standard input, read once, handed out in order (password, then a second secret)."""

    def __init__(self) -> None:
        self._lines: list[str] | None = None

    def next(self, what: str) -> str:
        if self._lines is None:
            self._lines = sys.stdin.read().splitlines()
        if not self._lines:
            raise CliError(f"expected the {what} on standard input, one per line")
        return self._lines.pop(0)


STDIN = _Stdin()


def _secret(args: argparse.Namespace, flag: str, what: str, *, confirm: bool = False) -> str:
    if getattr(args, flag, False):
        return STDIN.next(what)
    if not sys.stdin.isatty():
        raise CliError(f"no terminal to ask for the {what}: pass --{flag.replace('_', '-')}")
    first = getpass.getpass(f"{what.capitalize()}: ")
    if confirm and getpass.getpass(f"Repeat the {what}: ") != first:
        raise CliError(f"the two {what}s differ; nothing was changed")
    return first


def _passphrase(*, confirm: bool = False) -> str:
    value = os.environ.get(ENV_PASSPHRASE)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"this store's key is protected by a passphrase: set {ENV_PASSPHRASE} or run in a terminal")
    first = getpass.getpass("Key passphrase: ")
    if confirm and getpass.getpass("Repeat the key passphrase: ") != first:
        raise CliError("the two passphrases differ; nothing was changed")
    return first


def _root(args: argparse.Namespace) -> Path:
    return Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()


def _setup_logging(root: Path) -> None:
    logs = DataDir(root).logs
    if not root.exists():
        return
    logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        logs / "desktop-app.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root_logger = logging.getLogger()
    root_logger.addHandler(handler)
    root_logger.setLevel(logging.INFO)


# --- commands ------------------------------------------------------------------------------------------------


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desktop_app.services.workstation import Workstation

    return Workstation.open(_root(args), lambda: _passphrase())


def _login(ws, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if not args.user:
        raise CliError("this command needs --user NAME (and --password-stdin or a terminal)")
    password = _secret(args, "password_stdin", "password")
    actor, must_change = ws.auth.login(args.user, password)
    if must_change:
        raise CliError(f"user {args.user} must change the password first: run 'desktop-app passwd --user {args.user}'")
    return actor


def cmd_init(args: argparse.Namespace) -> int:
    from desktop_app.services.workstation import Workstation
    from desktop_app.storage.keystore import KeyMethod, keyring_available

    method = (
        KeyMethod(args.key_storage)
        if args.key_storage
        else (KeyMethod.KEYRING if keyring_available() else KeyMethod.PASSPHRASE)
    )
    password = _secret(args, "password_stdin", "password for the administrator", confirm=True)
    passphrase = _passphrase(confirm=True) if method is KeyMethod.PASSPHRASE else None
    ws, code, _ = Workstation.initialise(_root(args), args.admin, password, method, passphrase)
    ws.close()
    print(f"Initialised the workstation store in {_root(args)} (key kept by: {method.value}).")
    print()
    print("RECOVERY CODE - print or write it down now and keep it in the branch safe.")
    print("It is shown only this once; with it 'desktop-app recover' restores access if the key is lost:")
    print()
    print(f"    {code}")
    print()
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from desktop_app.domain.roles import parse_roles

    ws = _open(args)
    try:
        actor = _login(ws, args)
        if args.user_command == "list":
            for u in ws.users.list(actor):
                state = "locked" if u.locked else "active"
                roles = ",".join(sorted(r.value for r in u.roles))
                print(f"{u.username}\t{roles}\t{state}\t{'must-change-password' if u.must_change_password else ''}")
            return 0
        if args.user_command == "add":
            import secrets

            temp = (
                STDIN.next("temporary password")
                if args.new_password_stdin
                else ("Tmp-" + secrets.token_urlsafe(9) + "7")
            )
            info = ws.users.add(actor, args.name, temp, parse_roles(args.roles.split(",")), args.display_name or "")
            print(f"Added user {info.username} ({','.join(sorted(r.value for r in info.roles))}).")
            if not args.new_password_stdin:
                print(f"Temporary password (to be changed at first login): {temp}")
            return 0
        if args.user_command == "lock":
            ws.users.lock(actor, args.name)
            print(f"Locked user {args.name}.")
        elif args.user_command == "unlock":
            ws.users.unlock(actor, args.name)
            print(f"Unlocked user {args.name}.")
        elif args.user_command == "set-roles":
            info = ws.users.set_roles(actor, args.name, parse_roles(args.roles.split(",")))
            print(f"User {info.username} now has roles {','.join(sorted(r.value for r in info.roles))}.")
        return 0
    finally:
        ws.close()


def cmd_passwd(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        current = _secret(args, "password_stdin", "current password")
        new = _secret(args, "password_stdin", "new password", confirm=True)
        actor, _ = ws.auth.login(args.user, current)
        ws.auth.change_password(actor, current, new)
        print(f"Password changed for {args.user}.")
        return 0
    finally:
        ws.close()


def cmd_verify(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DatabaseError

    ws = _open(args)
    try:
        actor = None
        if args.user:
            try:
                actor = _login(ws, args)
            except DatabaseError:
                # The sign-in writes an audit entry, which a damaged database may refuse: the checks (which need
                # no user) still run and say what is damaged.
                print(
                    "warning: the sign-in could not be recorded (the database is damaged); the checks run without it",
                    file=sys.stderr,
                )
        report = ws.audit.verify_store(actor)
        print(
            f"cipher_integrity_check: {'ok' if report.cipher_ok else 'FAILED ' + '; '.join(report.cipher_problems[:5])}"
        )
        print(f"integrity_check: {'ok' if report.sqlite_ok else 'FAILED ' + '; '.join(report.sqlite_problems[:5])}")
        if report.audit.ok:
            print(f"audit chain: ok ({report.audit.entries} entries)")
        elif report.audit.first_bad_seq is None:
            print(f"audit chain: FAILED: {report.audit.problem}")
        else:
            print(f"audit chain: FAILED at entry {report.audit.first_bad_seq}: {report.audit.problem}")
        missing = report.missing_triggers
        print(f"protective triggers: {'ok' if not missing else 'FAILED, missing: ' + ', '.join(missing)}")
        if not report.ok:
            raise CliError(
                f"verification failed: {'; '.join(report.failed_checks())}. Nothing was changed; restore the latest "
                "verified backup with 'desktop-app restore' (the damaged file is kept)"
            )
        return 0
    finally:
        ws.close()


def cmd_rekey(args: argparse.Namespace) -> int:
    from desktop_app.storage.keystore import KeyMethod

    ws = _open(args)
    try:
        actor = _login(ws, args)
        keystore = ws.store.keystore
        passphrase = _passphrase() if keystore and keystore.method is KeyMethod.PASSPHRASE else None
        ws.maintenance.rekey(actor, passphrase)
        print("The database key was rotated. The recovery code you keep stays valid.")
        # Backups are encrypted under the key of their time and the old key is now forgotten: take a fresh one at
        # once, so a restorable backup exists under the new key.
        try:
            info = ws.backups.create(actor, reason="rekey")
        except Exception as exc:  # the rotation itself succeeded: say so, and what to do about the backup
            print(
                f"warning: no fresh backup could be taken ({_problem(exc)}); run 'desktop-app backup' now: "
                "backups made before the rotation need the old key and cannot be restored.",
                file=sys.stderr,
            )
        else:
            print(f"A fresh backup was taken under the new key: {info.path}")
            print("Backups made before the rotation need the old key and can no longer be restored.")
        return 0
    finally:
        ws.close()


def _problem(exc: Exception) -> str:
    from desktop_app.services.errors import ServiceError

    return exc.message(_lang()) if isinstance(exc, ServiceError) else str(exc)


def _size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB" if size >= 1_048_576 else f"{size / 1024:.0f} KiB"


def cmd_backup(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        actor = _login(ws, args)
        out = Path(args.out).expanduser() if args.out else None
        if out is not None and out.suffix.lower() != ".db" and out.exists() and not out.is_dir():
            raise CliError(f"{out} is a file: give a folder, or a new file name ending in .db")
        info = ws.backups.create(actor, reason="manual", folder=out)
        print(f"Backup written: {info.path}")
        print(f"{info.records} records, {_size_text(info.size)}, sha256 {info.sha256}")
        return 0
    finally:
        ws.close()


def cmd_backups(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        actor = _login(ws, args)
        listed = ws.backups.list(actor)
        print(f"Backups in {ws.backups.folder(actor)}:")
        if not listed:
            print("  none yet: take one with 'desktop-app backup'")
        for info in listed:
            when = info.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if info.created_at else "?"
            state = "verified" if info.verified else "NOT RESTORABLE: " + info.problem(_lang())
            records = "?" if info.records is None else str(info.records)
            print(f"{when}\t{records} records\t{_size_text(info.size)}\t{info.path.name}\t{state}")
        return 0
    finally:
        ws.close()


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop_app.services.backups import restore_backup

    source = Path(args.backup).expanduser()
    if not source.is_file():
        raise CliError(f"no backup file at {source}")
    password = _secret(args, "password_stdin", "password")
    code = method = new_passphrase = None
    if args.recovery_code_stdin:  # a new machine: the backup's recovery copy gives the key, kept again here
        from desktop_app.storage.keystore import KeyMethod, keyring_available

        code = STDIN.next("recovery code")
        method = (
            KeyMethod(args.key_storage)
            if args.key_storage
            else (KeyMethod.KEYRING if keyring_available() else KeyMethod.PASSPHRASE)
        )
        new_passphrase = _passphrase(confirm=True) if method is KeyMethod.PASSPHRASE else None
    result = restore_backup(
        _root(args),
        source,
        admin_user=args.user,
        admin_password=password,
        force_other_workstation=args.force_other_workstation,
        passphrase=lambda: _passphrase(),
        recovery_code=code,
        key_storage=method,
        new_passphrase=new_passphrase,
    )
    print(f"Verified and restored {result.backup.name}: {result.records} records, sha256 {result.sha256}.")
    if method is not None:
        print(f"Opened with the recovery code; the key is now kept by {method.value} and the code stays valid.")
    if result.forced:
        print("This backup was made by another workstation; restored because you forced it (audited).")
    if result.kept:
        print(f"The replaced database was kept (never deleted): {result.kept}")
    if result.pre_restore_backup:
        print(f"A backup of the replaced store was taken first: {result.pre_restore_backup}")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from desktop_app.services.workstation import Workstation
    from desktop_app.storage.keystore import KeyMethod, keyring_available

    code = STDIN.next("recovery code") if args.code_stdin else getpass.getpass("Recovery code: ")
    method = (
        KeyMethod(args.key_storage)
        if args.key_storage
        else (KeyMethod.KEYRING if keyring_available() else KeyMethod.PASSPHRASE)
    )
    passphrase = _passphrase(confirm=True) if method is KeyMethod.PASSPHRASE else None
    chosen = Workstation.recover(_root(args), code, method, passphrase)
    print(f"Access restored: the key is kept by {chosen.value} again. Consider 'desktop-app rekey' now.")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        actor = _login(ws, args)
        step = max(1, args.records // 20)

        def progress(done: int) -> None:
            if done % step < 5000 or done == args.records:
                print(f"  {done:,} / {args.records:,}", file=sys.stderr, flush=True)

        seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
        made = ws.maintenance.seed_demo(actor, args.records, seed=seed, progress=progress)
        print(f"Added {made:,} synthetic demo customers (seed {seed}).")
        return 0
    finally:
        ws.close()


def cmd_settings(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        actor = _login(ws, args)
        if args.settings_command == "set":
            try:
                value = json.loads(args.value)
            except json.JSONDecodeError:
                value = args.value
            ws.settings.set(actor, args.key, value)
        for key, value in ws.settings.all(actor).items():
            print(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        return 0
    finally:
        ws.close()


# Screening lists: the bank's files as data (issue 15). Importing checks the whole file first; a refused file
# changes nothing and says why. A new version starts the re-screening of approved customers, which the command
# runs to its end here (the GUI's watchlist page runs it in steps, resumable).
def cmd_watchlist(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        actor = _login(ws, args)
        if args.watchlist_command == "import":
            path = Path(args.file)
            if not path.is_file():
                raise CliError(f"no such file: {path}")
            from desktop_app.services.watchlist import ListShrinks

            try:
                version = ws.watchlist.import_list(
                    actor, path.read_bytes(), path.name, args.name, accept_fewer=args.accept_fewer
                )
            except ListShrinks as shrinks:
                hint = Text(
                    en="It was not imported. If it is right, run the import again with --accept-fewer.",
                    zh="未导入。如确认无误，请加 --accept-fewer 重新导入。",
                )
                raise CliError(f"{shrinks.message(_lang())} {hint.render(_lang())}") from None
            print(
                f"Imported {version.list_name!r} version {version.id}: {version.entries:,} entries "
                f"({version.source_format})."
            )
            if not args.no_rescreen:
                progress = ws.watchlist.rescreen_step(actor)
                while not progress.finished:
                    progress = ws.watchlist.rescreen_step(actor)
                print(f"Re-screened {progress.screened:,} approved customers: {progress.hits:,} new hit(s).")
        for v in ws.watchlist.versions(actor):
            mark = "current" if v.current else "older"
            print(
                f"{v.id}\t{v.list_name}\t{v.source_format}\t{v.entries:,} entries\t{v.imported_by}\t"
                f"{_when(v.imported_at)}\t{mark}"
            )
        return 0
    finally:
        ws.close()


def _when(value) -> str:  # type: ignore[no-untyped-def]
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "never"


def cmd_sync(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        # Without --user this is the workstation's own scheduled job (like the GUI's background sync): it keeps
        # the retry backoff and applies the retention setting afterwards.
        actor = _login(ws, args) if args.user else None
        summary = ws.sync.run_once(actor)
        print(
            f"sent {summary.sent}, acknowledged {summary.acked}, refused {summary.refused}, "
            f"conflicts {summary.conflicts}, audit entries anchored {summary.audit_entries}"
        )
        if summary.refused or summary.conflicts:
            print("refused and conflicting records stay in the outbox: see 'desktop-app sync-status --outbox'")
        from desktop_app.domain.roles import Role

        if actor is not None and Role.SUPERVISOR in actor.roles:
            # what a sync found for records approved offline, until a supervisor marks it seen (approval page)
            for late in ws.branch_matches.found_after_approval(actor):
                branches = "; ".join(f"{m.branch} ({', '.join(k.value for k in m.kinds)})" for m in late.matches)
                print(
                    f"likely match in another branch for approved record {late.record_id}: {branches} "
                    "(mark it seen on the approval page)"
                )
        if actor is None:
            purged = ws.sync.purge_acknowledged(None)
            if purged:
                print(f"retention: purged the personal data of {purged} acknowledged records")
        status = ws.sync.status(actor) if actor else None
        if status is not None and status.insecure_http:
            print("warning: plain http to this machine, not encrypted (allowed on loopback only)", file=sys.stderr)
        if not summary.ok:
            raise CliError(summary.message(_lang()) or "the sync failed")
        return 0
    finally:
        ws.close()


def cmd_sync_enrol(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        actor = _login(ws, args)
        # Never an argument: the process list and the shell's history would show it.
        code = _secret(args, "code_stdin", "enrolment code")
        enrolled = ws.sync.enrol(actor, args.url, code, args.ca, args.name)
        print(f"Enrolled with {enrolled.server_url} as device {enrolled.device_id}.")
        print(f"Workstation id: {enrolled.workstation_id} (the bank issues a re-enrolment code for this id).")
        print(f"Trusted CA: {'SHA-256 ' + enrolled.ca_sha256 if enrolled.ca_sha256 else 'the system trust store'}.")
        print("The device credential is kept in the OS credential store, bound to this address and CA;")
        print("changing either is a new enrolment with a code from the bank.")
        if enrolled.insecure_http:
            print("warning: plain http to this machine, not encrypted (allowed on loopback only)", file=sys.stderr)
        audit_break = enrolled.audit_break(_lang())
        if audit_break:
            raise CliError(audit_break)
        return 0
    finally:
        ws.close()


def cmd_sync_status(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        actor = _login(ws, args)
        st = ws.sync.status(actor)
        print(f"server: {st.server_url or 'not set'}{' (plain http, loopback only)' if st.insecure_http else ''}")
        print(f"enrolled: {'yes, device ' + st.device_id if st.configured and st.device_id else 'no'}")
        print(f"workstation id: {st.workstation_id} (the bank issues a re-enrolment code for this id)")
        if st.ca_sha256 is not None:
            print(f"trusted CA: {'SHA-256 ' + st.ca_sha256 if st.ca_sha256 else 'the system trust store'}")
        print(f"pending: {st.pending}  acknowledged: {st.acked}  refused: {st.refused}  conflicts: {st.conflicts}")
        if st.key_conflicts:
            print(f"KEY CONFLICTS: {st.key_conflicts} (tell the central administrator)")
        print(f"last attempt: {_when(st.last_attempt)}  last success: {_when(st.last_success)}")
        if st.next_attempt_at:
            print(f"next automatic attempt: {_when(st.next_attempt_at)}")
        print(f"audit trail anchored up to entry {st.audit_anchored_seq} of {st.audit_local_seq}")
        if st.purged:
            print(f"purged by retention: {st.purged} records")
        if st.pages:
            print(
                f"paper pages: waiting {st.pages.get('pending', 0)}  sent {st.pages.get('sent', 0)}"
                f"  not taken by the server {st.pages.get('not_taken', 0)}  refused {st.pages.get('refused', 0)}"
            )
        if st.last_error:
            print(f"last error: {st.error_message(_lang())}")
        if args.outbox:
            state = None if args.outbox == "all" else args.outbox
            for row in ws.sync.outbox(actor, state, 0, args.limit):
                reasons = "; ".join(f"{r.field or '-'}: {r.code}" for r in row.reasons)
                print(
                    f"{row.id}\t{row.record_id}\tv{row.version}\t{row.state.value}\tattempts {row.attempts}"
                    f"\t{reasons or row.last_error or ''}"
                )
        return 0
    finally:
        ws.close()


def cmd_layout_check(args: argparse.Namespace) -> int:
    """Check a paper layout file against the form schema before it is put beside it (a bank's IT, a new version of
    the paper form): every problem named with where it is; nothing is installed."""
    from desktop_app.domain.form_schema import load_default_form, load_form
    from desktop_app.domain.paper_layout import LayoutError, layout_path, load_layout

    try:
        schema = load_form(Path(args.form)) if args.form else load_default_form()
        layout = load_layout(Path(args.file), schema)
    except LayoutError as error:
        print(error, file=sys.stderr)
        return 1
    except Exception as error:  # a form schema that will not load: said, not a traceback
        print(f"{args.form}: the form schema cannot be read: {error}", file=sys.stderr)
        return 1
    expected = layout_path(Path("."), schema).name
    print(
        f"{args.file}: a valid layout of {schema.key} version {schema.version}: {layout.pages} page(s), "
        f"{len(layout.fields)} field region(s), {len(layout.signatures)} signature box(es), "
        f"{'a form code' if layout.code is not None else 'no form code'}. Put it beside the form schema as "
        f"{expected}."
    )
    return 0


def cmd_ocr(args: argparse.Namespace) -> int:
    import time

    from desktop_app.ocr.loading import UnreadableScan
    from desktop_app.ocr.recognise import recognise
    from desktop_app.ocr.tesseract_engine import OcrEngineMissing

    failed = False
    for name in args.images:
        started = time.perf_counter()
        line: dict[str, object] = {"file": name}
        # Every file gets its line, whatever became of the one before.
        try:
            result = recognise(Path(name))
        except UnreadableScan as exc:
            line["error"] = exc.message(_lang())
            failed = True
        except OcrEngineMissing as exc:
            line["error"] = str(exc)
            failed = True
        except Exception as exc:
            line["error"] = _ocr_failure(args, exc)
            failed = True
        else:
            line.update(
                document_type=result.document_type,
                fields={
                    k: {"value": f.value, "confidence": f.confidence, "verified": f.verified}
                    for k, f in result.fields.items()
                },
                warnings=list(result.warnings),
            )
            failed = failed or result.document_type is None
        line["elapsed_ms"] = round((time.perf_counter() - started) * 1000)
        if args.json:
            print(json.dumps(line, ensure_ascii=False), flush=True)
        else:
            summary = line.get("error") or line.get("document_type") or "not recognised"
            print(f"{name}: {summary}", flush=True)
    return 1 if failed else 0


def _ocr_failure(args: argparse.Namespace, exc: Exception) -> str:
    """The error of a file whose reading failed unexpectedly. The details go to the data directory's log when
    there is one, and the message says so; without one, nowhere (not the terminal, between the JSON lines)."""
    message = f"an unexpected problem stopped the reading of this file ({type(exc).__name__})"
    logs = DataDir(_root(args)).logs
    if not logs.is_dir():
        return message
    log_failure(log, "unexpected failure reading a scan in command ocr", exc)
    return f"{message}; details are in {logs}"


def _serve_arguments(argv: Sequence[str]) -> list[str] | None:
    """What follows `serve` when that is the command (`desktop-app [--data-dir DIR] serve ...`), else None."""
    rest = list(argv)
    while rest and (rest[0] == "--data-dir" or rest[0].startswith("--data-dir=")):
        rest = rest[2:] if rest[0] == "--data-dir" else rest[1:]  # the workstation's directory means nothing there
    return rest[1:] if rest[:1] == ["serve"] else None


def cmd_serve(server_args: Sequence[str]) -> int:
    """`desktop-app serve ...` is `desktop-app-server serve ...`: the central server's own command line, options
    and all. Imported only here: the server is a package of its own, which the workstation never depends on."""
    server_cli = importlib.import_module("central_server.cli")
    return int(server_cli.main(["serve", *server_args]))


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        gui = importlib.import_module("desktop_app.ui.session.app")
    except ImportError as exc:
        raise CliError(f"the desktop interface cannot start here ({exc}); the command line works") from None
    app = _close_first_window_when_shown() if args.smoke_gui else None  # noqa: F841 - kept alive while it runs
    return int(gui.run_gui(_root(args)))


def _close_first_window_when_shown() -> object:
    """--smoke-gui (hidden; the packaging test): once the GUI's first window is up, print its title and close
    it, so that the program runs its real start-up (Qt plugins, translations, the pages) and then ends."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def close() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        window = QApplication.activeModalWidget() or (shown[0] if shown else None)
        if window is None:
            QTimer.singleShot(50, close)
            return
        print(f"gui started: {window.windowTitle()}", flush=True)
        window.close()

    app = QApplication.instance() or QApplication(sys.argv)
    QTimer.singleShot(0, close)
    return app


# --- parser --------------------------------------------------------------------------------------------------


class _RefusedArgument(argparse.Action):
    """An enrolment code given as an argument, refused (exit 2): the process list and the shell's history show
    arguments. Says how to pass it instead."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        if values:
            parser.error(
                "the enrolment code is not taken as an argument (the process list and the shell's history would "
                "show it): leave it out and type it when asked, or pass --code-stdin and give it on standard input "
                "(the line after the password with --password-stdin)"
            )
        setattr(namespace, self.dest, None)


def _with_user(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument("--user", required=required, help="the acting user (the same permissions as in the GUI)")
    p.add_argument("--password-stdin", action="store_true", help="read the user's password from standard input")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desktop-app", description="KYC entry workstation for bank branches.")
    parser.add_argument("--version", action="version", version=f"desktop-app {__version__}")
    parser.add_argument(
        "--data-dir", help="the workstation's data directory (default: per-user data dir, or DESKTOP_APP_DATA_DIR)"
    )
    parser.add_argument("--smoke-gui", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", help="create the encrypted store and its first administrator")
    p.add_argument("--admin", required=True, help="the administrator's user name")
    p.add_argument("--password-stdin", action="store_true", help="read the administrator's password from stdin")
    p.add_argument(
        "--key-storage",
        choices=["keyring", "passphrase"],
        help="where the database key is kept (default: the OS credential store when there is one)",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("user", help="manage user accounts (admin)")
    usub = p.add_subparsers(dest="user_command", required=True)
    q = usub.add_parser("add", help="add a user with a temporary password")
    q.add_argument("name")
    q.add_argument("--roles", required=True, help="comma-separated: teller, supervisor, auditor, admin")
    q.add_argument("--display-name")
    q.add_argument(
        "--new-password-stdin",
        action="store_true",
        help="read the temporary password as the next line of stdin (default: generate and print one)",
    )
    _with_user(q)
    q = usub.add_parser("list", help="list users")
    _with_user(q)
    for name, text in (("lock", "lock an account"), ("unlock", "unlock an account (also after failed logins)")):
        q = usub.add_parser(name, help=text)
        q.add_argument("name")
        _with_user(q)
    q = usub.add_parser("set-roles", help="replace a user's roles")
    q.add_argument("name")
    q.add_argument("--roles", required=True)
    _with_user(q)
    p.set_defaults(func=cmd_user)

    p = sub.add_parser("passwd", help="change your password (current, then new, one per line with --password-stdin)")
    _with_user(p)
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("verify", help="check encryption pages, database structure and the audit chain")
    _with_user(p, required=False)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("rekey", help="rotate the database key (admin; close the app and other commands first)")
    _with_user(p)
    p.set_defaults(func=cmd_rekey)

    p = sub.add_parser("backup", help="take an encrypted backup now (supervisor, admin)")
    p.add_argument(
        "out", nargs="?", help="a folder, or a new file name ending in .db (default: the backup_folder setting)"
    )
    _with_user(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", help="list the backups in the backup folder, each checked (supervisor, admin)")
    _with_user(p)
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser(
        "restore",
        help="replace the store with a backup, verified first; the replaced file is kept (admin; close the app first)",
    )
    p.add_argument("backup", help="the backup's .db file (its .json manifest must be beside it)")
    p.add_argument(
        "--force-other-workstation",
        action="store_true",
        help="restore a backup made by another workstation (checked against the admins in the backup)",
    )
    p.add_argument(
        "--recovery-code-stdin",
        action="store_true",
        help="on a new machine (no keystore.json): open the backup with the recovery code, read from standard input "
        "after the password",
    )
    p.add_argument(
        "--key-storage",
        choices=["keyring", "passphrase"],
        help="with --recovery-code-stdin: where the key is kept from now on (default: the OS credential store)",
    )
    _with_user(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "recover", help="restore access with the recovery code from the branch safe (close the app first)"
    )
    p.add_argument("--code-stdin", action="store_true", help="read the recovery code from standard input")
    p.add_argument("--key-storage", choices=["keyring", "passphrase"])
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser("seed-demo", help="add synthetic demo customers (admin)")
    p.add_argument("--records", type=int, required=True)
    p.add_argument("--seed", type=int, help="random seed, for reproducible data")
    _with_user(p)
    p.set_defaults(func=cmd_seed_demo)

    p = sub.add_parser("watchlist", help="import a screening list, or list the versions (admin; supervisors list)")
    wsub = p.add_subparsers(dest="watchlist_command", required=True)
    q = wsub.add_parser(
        "import", help="import a UN Security Council consolidated list (.xml) or the bank's own list (.csv)"
    )
    q.add_argument("file")
    q.add_argument("--name", help="the list's name (default: by its format)")
    q.add_argument("--no-rescreen", action="store_true", help="leave the re-screening of customers to the GUI")
    q.add_argument(
        "--accept-fewer",
        action="store_true",
        help="import a version with fewer than half the entries or persons the list has held since its last "
        "confirmed version",
    )
    _with_user(q)
    q.set_defaults(func=cmd_watchlist)
    q = wsub.add_parser("list", help="the imported versions, newest first")
    _with_user(q)
    q.set_defaults(func=cmd_watchlist)

    p = sub.add_parser("layout-check", help="check a paper form's layout file (YAML) against the form schema")
    p.add_argument("file", help="the layout file, e.g. personal_customer.v1.layout.yaml")
    p.add_argument("--form", help="the form schema it belongs to (default: the shipped personal-customer form)")
    p.set_defaults(func=cmd_layout_check)

    p = sub.add_parser("ocr", help="read ID documents from scans (one JSON object per file with --json)")
    p.add_argument("images", nargs="+", help="image or PDF files")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_ocr)

    p = sub.add_parser(
        "sync",
        help="send approved records to the central server once and print a summary "
        "(with --user: a supervisor's or admin's 'sync now'; without: the scheduled job, which also applies retention)",
    )
    _with_user(p, required=False)
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser(
        "sync-enrol",
        help="enrol this workstation with the central server (admin); the code is asked for, or read from stdin",
    )
    p.add_argument("url", help="the central server, https://host[:port] (plain http only to 127.0.0.1)")
    p.add_argument("code", nargs="?", action=_RefusedArgument, help=argparse.SUPPRESS)
    p.add_argument(
        "--code-stdin",
        action="store_true",
        help="read the one-time enrolment code from standard input (the line after the password with "
        "--password-stdin); without it, it is asked for",
    )
    p.add_argument("--ca", help="PEM file of the CA that signed the server's certificate (default: system store)")
    p.add_argument("--name", help="this workstation's name on the server (default: the host name)")
    _with_user(p)
    p.set_defaults(func=cmd_sync_enrol)

    p = sub.add_parser("sync-status", help="show the sync state: queue, last success and error (supervisor, admin)")
    p.add_argument(
        "--outbox",
        choices=["all", "pending", "acked", "refused", "conflict", "key_conflict"],
        help="also list outbox rows in this state (record ids and the server's reasons; never customer values)",
    )
    p.add_argument("--limit", type=int, default=50, help="how many outbox rows to list (default 50)")
    _with_user(p)
    p.set_defaults(func=cmd_sync_status)

    # Listed here for --help; main() hands everything after "serve" to the server's command line unparsed.
    p = sub.add_parser(
        "serve",
        add_help=False,
        help="run the central server: the same as 'desktop-app-server serve' (options: desktop-app serve --help)",
    )
    p.add_argument("server_args", nargs=argparse.REMAINDER)

    p = sub.add_parser("settings", help="show or change workstation settings (admin)")
    ssub = p.add_subparsers(dest="settings_command", required=True)
    q = ssub.add_parser("list")
    _with_user(q)
    q = ssub.add_parser("set")
    q.add_argument("key")
    q.add_argument("value", help="a JSON value or plain text")
    _with_user(q)
    p.set_defaults(func=cmd_settings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from desktop_app.services.errors import ServiceError
    from desktop_app.storage.errors import StoreError

    server_args = _serve_arguments(sys.argv[1:] if argv is None else argv)
    if server_args is not None:
        return cmd_serve(server_args)
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", cmd_gui)
    root = _root(args)
    _setup_logging(root)
    try:
        return func(args)
    except ServiceError as exc:
        print(f"error: {exc.message(_lang())}", file=sys.stderr)
    except (StoreError, CliError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted; nothing half-done was kept", file=sys.stderr)
    except BrokenPipeError:
        # The reader of the output went away (`desktop-app ocr --json ... | head`): not a failure of the command.
        # Standard output is pointed at nothing, so that Python's flush at exit does not raise the same again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a command ended by SIGPIPE
    except Exception as exc:
        logs = DataDir(root).logs
        if logs.is_dir():
            log_failure(log, f"unexpected failure in command {getattr(args, 'command', None)}", exc)
            print(f"error: an unexpected problem stopped the command; details are in {logs}", file=sys.stderr)
        else:  # no data directory, so no log (logging would print the frames on the terminal): the kind at least
            print(f"error: an unexpected problem stopped the command ({type(exc).__name__})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
