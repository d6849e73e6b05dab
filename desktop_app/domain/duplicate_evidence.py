"""Whether a new entry and a stored customer may be the same person: one score in [0, 1] and the reasons.

The one place for the duplicate rules; services/duplicates.py finds the stored customers worth scoring.
What counts, strongest first:
* the same ID document (type and number), or one of the same type with one character wrong or two adjacent
  characters swapped when the name agrees as well;
* the name (name_match.py) together with the birth date: the same, or one digit or day and month apart;
* an ID document of another type (a passport instead of the resident ID) for the same name and birth date;
* the same mobile number and the same or a similar address add to what the name and birth date say.
Two different resident ID numbers (a number for life), another sex or another nationality argue against the same
person whatever the name and birth date say (unless the ID document itself is the same or one slip away); passport
numbers change at every renewal and do not.
Evidence adds up: a name that agrees (a variant included) and the same birth date are not enough against another
resident ID (strangers share both), but with the same mobile number or the same address as well they are a likely
match whatever the ID says (the ID may have been keyed wrong beyond one slip, or reissued). Another sex or another
nationality still rules the corroboration out: a relative shares the mobile and the address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import OSA, Levenshtein

from desktop_app.domain.id_numbers import has_gb11643_checksum
from desktop_app.domain.name_match import REASON_TEXT as NAME_REASON_TEXT
from desktop_app.domain.name_match import PersonName, match_names
from desktop_app.domain.text import Text

#: A candidate at or above this score is shown to the maker and must be decided by the supervisor.
DEFAULT_THRESHOLD = 0.8

#: What the same mobile number or the same address adds to a name and birth date that agree: enough to lift the
#: pair over another resident ID (scored 0.5 at most) to a likely match.
CORROBORATION = 0.32

#: ID types whose number stays with the person for life: two different numbers of this type are two people.
LIFELONG_ID_TYPES = frozenset({"resident_id"})


class Evidence(StrEnum):
    """What, besides the name, made a stored customer a candidate; stable codes, labels in EVIDENCE_TEXT."""

    ID_SAME = "id_same"
    ID_ONE_WRONG = "id_one_wrong"
    ID_SWAPPED = "id_swapped"
    OTHER_ID_TYPE = "other_id_type"
    BIRTH_SAME = "birth_same"
    BIRTH_CLOSE = "birth_close"
    MOBILE_SAME = "mobile_same"
    ADDRESS_SAME = "address_same"
    ADDRESS_SIMILAR = "address_similar"


EVIDENCE_TEXT: dict[Evidence, Text] = {
    Evidence.ID_SAME: Text(en="same ID document", zh="证件号码相同"),
    Evidence.ID_ONE_WRONG: Text(en="ID number differs in one character", zh="证件号码相差一位"),
    Evidence.ID_SWAPPED: Text(en="ID number with two characters swapped", zh="证件号码有两位颠倒"),
    Evidence.OTHER_ID_TYPE: Text(en="another type of ID document", zh="使用另一种证件"),
    Evidence.BIRTH_SAME: Text(en="same birth date", zh="出生日期相同"),
    Evidence.BIRTH_CLOSE: Text(en="birth date differs by one digit", zh="出生日期相差一位"),
    Evidence.MOBILE_SAME: Text(en="same mobile number", zh="手机号码相同"),
    Evidence.ADDRESS_SAME: Text(en="same address", zh="地址相同"),
    Evidence.ADDRESS_SIMILAR: Text(en="similar address", zh="地址相近"),
}


def reason_text(code: str) -> Text:
    """The words for a reason code (name or evidence); the code itself for one this version does not know."""
    words = {e.value: t for e, t in EVIDENCE_TEXT.items()} | {r.value: t for r, t in NAME_REASON_TEXT.items()}
    return words.get(code, Text(en=code, zh=code))


@dataclass(frozen=True)
class PairScore:
    """How likely two sets of values are the same person, and why (reason codes, strongest first)."""

    score: float
    reasons: tuple[str, ...]
    name_score: float


class _Birth(StrEnum):
    SAME = "same"
    CLOSE = "close"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


def score_pair(entry: Mapping[str, str], stored: Mapping[str, str]) -> PairScore:
    """The duplicate score of `entry` (being keyed) against `stored` (a customer already in the store)."""
    name = match_names(_person(entry), _person(stored))
    n = name.score
    birth = _birth(entry.get("birth_date", ""), stored.get("birth_date", ""))
    evidence: list[Evidence] = []
    id_kind = _id_relation(entry, stored)
    score = _from_name_and_birth(n, birth)
    if birth is _Birth.SAME:
        evidence.append(Evidence.BIRTH_SAME)
    elif birth is _Birth.CLOSE:
        evidence.append(Evidence.BIRTH_CLOSE)

    if id_kind is Evidence.ID_SAME:
        score = 1.0
    elif id_kind in (Evidence.ID_ONE_WRONG, Evidence.ID_SWAPPED):
        # Not on the birth date alone: passports issued together (twins, a family) carry numbers one apart.
        score = max(score, 0.95 if n >= 0.7 else 0.6)
    elif (id_kind is None and _lifelong_and_different(entry, stored)) or any(
        _differ(entry, stored, key) for key in ("sex", "nationality")
    ):
        # Another resident ID, another sex, another nationality: the same name and birth date are someone else's.
        score = min(score, 0.5)
    if id_kind is not None:
        evidence.insert(0, id_kind)

    # How much a shared mobile or address adds: much when the name and birth date already agree (together they
    # make the person), little otherwise (a household shares both).
    agree = (
        n >= 0.7
        and (birth is _Birth.SAME or (birth is _Birth.CLOSE and n >= 0.84))
        and not any(_differ(entry, stored, key) for key in ("sex", "nationality"))
    )
    if _digits(entry.get("mobile", "")) and _digits(entry.get("mobile", "")) == _digits(stored.get("mobile", "")):
        evidence.append(Evidence.MOBILE_SAME)
        score += CORROBORATION if agree else 0.15 if n >= 0.7 else 0.05
    address = _address_relation(entry.get("address", ""), stored.get("address", ""))
    if address is Evidence.ADDRESS_SAME:
        evidence.append(address)
        score += CORROBORATION if agree else 0.1
    elif address is Evidence.ADDRESS_SIMILAR:
        # A neighbour's address is similar too: never enough alone.
        evidence.append(address)
        score += 0.15 if agree else 0.05
    reasons = [e.value for e in evidence] + [r.value for r in name.reasons]
    return PairScore(round(min(score, 1.0), 3), tuple(reasons), n)


def _person(values: Mapping[str, str]) -> PersonName:
    return PersonName(values.get("name", ""), values.get("name_pinyin", ""))


def _from_name_and_birth(n: float, birth: _Birth) -> float:
    if birth is _Birth.SAME:
        return 0.9 if n >= 0.95 else 0.82 if n >= 0.84 else 0.6 if n >= 0.7 else 0.3
    if birth is _Birth.CLOSE:
        return 0.8 if n >= 0.95 else 0.7 if n >= 0.84 else 0.3
    if birth is _Birth.UNKNOWN:
        return 0.6 if n >= 0.95 else 0.3
    return 0.5 if n >= 0.95 else 0.2


def _birth(a: str, b: str) -> _Birth:
    if not a or not b:
        return _Birth.UNKNOWN
    if a == b:
        return _Birth.SAME
    da, db = _digits(a), _digits(b)
    if len(da) == len(db) == 8 and (OSA.distance(da, db) == 1 or da[:4] + da[6:] + da[4:6] == db):
        return _Birth.CLOSE
    return _Birth.DIFFERENT


def _id_relation(entry: Mapping[str, str], stored: Mapping[str, str]) -> Evidence | None:
    a_type, b_type = entry.get("id_type", ""), stored.get("id_type", "")
    a, b = _compact(entry.get("id_number", "")), _compact(stored.get("id_number", ""))
    if not (a and b and a_type and b_type):
        return None
    if a_type != b_type:
        return Evidence.OTHER_ID_TYPE
    if a == b:
        return Evidence.ID_SAME
    if len(a) == len(b) and OSA.distance(a, b) == 1:
        return Evidence.ID_ONE_WRONG if Levenshtein.distance(a, b) == 1 else Evidence.ID_SWAPPED
    return None


def _lifelong_and_different(entry: Mapping[str, str], stored: Mapping[str, str]) -> bool:
    same_type = entry.get("id_type", "") == stored.get("id_type", "")
    both = _compact(entry.get("id_number", "")) and _compact(stored.get("id_number", ""))
    return bool(same_type and both and entry.get("id_type", "") in LIFELONG_ID_TYPES)


def _differ(entry: Mapping[str, str], stored: Mapping[str, str], key: str) -> bool:
    a, b = entry.get(key, ""), stored.get(key, "")
    return bool(a and b and a != b)


def _address_relation(a: str, b: str) -> Evidence | None:
    ca, cb = _compact(a), _compact(b)
    if not ca or not cb:
        return None
    if ca == cb:
        return Evidence.ADDRESS_SAME
    if min(len(ca), len(cb)) >= 8 and Levenshtein.normalized_similarity(ca, cb) >= 0.85:
        return Evidence.ADDRESS_SIMILAR
    return None


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def id_number_variants(id_number: str) -> list[str]:
    """Every number one character wrong or two adjacent characters swapped from `id_number` (for a lookup by
    exact number: a stored number within one such slip of the entry is one of these)."""
    number = _compact(id_number)
    alphabet = "0123456789X" if number[:-1].isdigit() else "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    found: set[str] = set()
    for i, ch in enumerate(number):
        for other in alphabet:
            if other != ch:
                found.add(number[:i] + other + number[i + 1 :])
    for i in range(len(number) - 1):
        if number[i] != number[i + 1]:
            found.add(number[:i] + number[i + 1] + number[i] + number[i + 2 :])
    found.discard(number)
    if len(number) == 18:
        # A resident ID (or a 2023 permanent residence card) number: only variants with a correct GB 11643 check
        # character can be stored ones (the number is checked at submit), a tenth of the list to look up.
        found = {v for v in found if has_gb11643_checksum(v)}
    return sorted(found)
