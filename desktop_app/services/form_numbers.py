"""The paper form's serial number is unique on this workstation: one live record per number.

Every record version written goes through `register` (records.py calls it from `_new_version`), which keeps the
table `form_numbers` (number → record) in step with what was keyed or read from the form's code; `problems` turns
a number another live record holds into a warning on a draft and an error on submit, naming that record. The
number is the form's serial, not a customer value: the audit entries carry it, so a claim can be traced.
A discarded record's number may be taken again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.domain.form_schema import FORM_NUMBER
from desktop_app.domain.lifecycle import Status
from desktop_app.domain.text import Text
from desktop_app.domain.validation import Problem, Severity
from desktop_app.services.actor import Actor, utcnow
from desktop_app.services.errors import InvalidRequest
from desktop_app.storage.models import FormNumber, Record
from desktop_app.storage.store import Store

#: What a serial number may look like: letters, digits and dashes, as printed on the form (max_length 32).
NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,31}")
SOURCES = frozenset({"barcode", "typed"})
IMPORTED = "import"  # the source of a number that came in a spreadsheet's column


def check_number(number: str) -> str:
    """The number as kept (trimmed); InvalidRequest when it is not a serial number."""
    clean = number.strip()
    if not NUMBER.fullmatch(clean):
        raise InvalidRequest(
            "A form number is 1 to 32 letters, digits and dashes, as printed on the form.",
            "表单编号为 1 至 32 位字母、数字和短横线，与表单上印制的一致。",
        )
    return clean


def numbers_of(session: Session, record_ids: Iterable[str]) -> dict[str, str]:
    """The form number of each of these records that has one (record id → number), in one query by record id."""
    ids = list(record_ids)
    if not ids:
        return {}
    rows = session.execute(select(FormNumber.record_id, FormNumber.number).where(FormNumber.record_id.in_(ids)))
    return {str(record_id): str(number) for record_id, number in rows}


def holder(session: Session, number: str, record_id: str | None = None) -> str | None:
    """The id of the live record (not discarded) other than `record_id` that holds `number`, else None."""
    other = holders(session, [number]).get(number)
    return None if other == record_id else other


def holders(session: Session, numbers: Iterable[str]) -> dict[str, str]:
    """Of these form numbers, those a live record holds (number → record id), in one query."""
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}
    rows = session.execute(
        select(FormNumber.number, FormNumber.record_id)
        .join(Record, Record.id == FormNumber.record_id)
        .where(FormNumber.number.in_(wanted), Record.status != Status.DISCARDED.value)
    )
    return {str(number): str(record_id) for number, record_id in rows}


def register_imported(session: Session, actor: Actor, claims: Mapping[str, str]) -> None:
    """Claim the form numbers of records just imported (record id → number; none held by a live record, which
    `holders` checked in the same transaction). The import's own audit entry lists them."""
    if not claims:
        return
    now = utcnow()
    taken = {
        row.number: row for row in session.scalars(select(FormNumber).where(FormNumber.number.in_(claims.values())))
    }
    for record_id, number in claims.items():
        _claim(session, taken.get(number), number, record_id, IMPORTED, actor, now)
    session.flush()


def _claim(
    session: Session,
    claim: FormNumber | None,
    number: str,
    record_id: str,
    source: str,
    actor: Actor,
    now: datetime,
) -> None:
    """`number` claimed for `record_id`: a new row, or `claim`, the row a discarded record held, taken over."""
    if claim is None:
        session.add(
            FormNumber(number=number, record_id=record_id, source=source, claimed_by=actor.user_id, claimed_at=now)
        )
    else:
        claim.record_id, claim.source, claim.claimed_by, claim.claimed_at = record_id, source, actor.user_id, now


def register(
    store: Store, session: Session, record: Record, actor: Actor, values: Mapping[str, str], source: str = "typed"
) -> bool:
    """Keep `form_numbers` in step with a version of `record` being written with `values`; True when the record
    now holds its number (False when it has none, or another live record holds it: `problems` says so)."""
    number = values.get(FORM_NUMBER, "").strip()
    session.execute(
        delete(FormNumber).where(FormNumber.record_id == record.id, FormNumber.number != number)
    )  # a record whose number was corrected lets the old one go
    if not number:
        return False
    if holder(session, number, record.id) is not None:
        return False
    claim = session.get(FormNumber, number)
    if claim is not None and claim.record_id == record.id:
        return True
    _claim(session, claim, number, record.id, source, actor, utcnow())  # a discarded record's row is taken over
    session.flush()
    store.audit(
        session,
        action="form_number.claim",
        actor_id=actor.user_id,
        actor_name=actor.username,
        record_id=record.id,
        details={"form_number": number, "source": source, "version": record.version},
    )
    return True


def duplicate_problem(other: str, *, as_error: bool) -> Problem:
    """The problem of a form number another live record holds."""
    return Problem(
        field=FORM_NUMBER,
        code="duplicate_form_number",
        message_text=Text(
            en=f"This form number is already used by record {other}. Check the number on the sheet; a form is "
            "keyed once (open that record to change it).",
            zh=f"此表单编号已被记录 {other} 使用。请核对纸质表单上的编号；一份表单只录入一次（如需修改请打开该记录）。",
        ),
        severity=Severity.ERROR if as_error else Severity.WARNING,
    )


def problems(session: Session, values: Mapping[str, str], record_id: str | None, *, as_errors: bool) -> list[Problem]:
    """A warning (an error when `as_errors`) when another live record holds the form number in `values`."""
    number = values.get(FORM_NUMBER, "").strip()
    if not number:
        return []
    other = holder(session, number, record_id)
    return [duplicate_problem(other, as_error=as_errors)] if other else []
