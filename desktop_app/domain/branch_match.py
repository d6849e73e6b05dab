"""The cross-branch duplicate query: which keys of a record a workstation sends to the central server, and what
the answer may say. Shared by the workstation (which computes the keys of a record awaiting approval) and the
server (which computes the same keys of every approved record it receives at intake).

Policy (why keys and not values): the person being onboarded is not yet a customer of the bank, so the query
sends no value of theirs to the central office; it sends, per kind, SHA-256 of a fixed domain string and the
normalised value (no raw value, nothing readable in a proxy's or a server's request log). These are pseudonyms,
not anonymisation: ID numbers, birth dates and mobile numbers have little entropy, so whoever holds the list of
hashes and this (public) domain string can test guesses. That is acceptable here because the server already
holds the approved records' payloads in full, and the channel is TLS to the enrolled server only; it is why the
server limits and records every query per device (a device cannot test many guesses unseen). A keyed hash with a
secret on the server (HMAC over these hashes before they are indexed) would protect the index against a copy of
the server's database; it is not done yet (the payload column is in that database anyway).

The answer names only the branch (workstation id and the name the administrator gave its device) and the kinds
of key that matched; never a value, a record id or anything else from the other branch.

Matching is exact on normalised keys, so it finds the same ID document, the same mobile (with another key: never
alone), and the same name (traditional or simplified, Han or its pinyin, either order, any spacing) with the same
birth date; the fuzzy
comparisons of duplicate_evidence.py (one digit wrong, homophones across Latin spellings) stay local.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import opencc

from desktop_app.domain.form_schema import FORM_NUMBER, FormSchema
from desktop_app.domain.han import is_han
from desktop_app.domain.normaliser import normalise_value
from desktop_app.domain.text import Text

MATCH_PATH = "/v1/customers/match"

#: Part of every hashed key: a query key means nothing outside this protocol and version.
KEY_DOMAIN = "desktop-app branch-match v1"

#: At most this many keys per query (a record gives at most six).
MAX_KEYS = 8


class MatchKind(StrEnum):
    """What a key is made of; the answer names these kinds only."""

    ID_DOCUMENT = "id_document"  # ID type and number
    NAME_AND_BIRTH = "name_and_birth"  # the name's letters (pinyin of a Han name) and the birth date
    MOBILE = "mobile"
    # The paper form's serial number (issue 16: unique per workstation, which the workstation enforces, and
    # centrally, which this key lets the server answer: another branch's record keyed from the same sheet).
    FORM_NUMBER = "form_number"


#: A mobile number alone is no match (a family shares one, an operator reassigns it): as at the workstation, where
#: a stranger with the same mobile is no candidate. The server answers such a record not at all, which also keeps
#: "some customer of branch A has this mobile" from the asking branch (found by the independent check).
ALONE_NO_MATCH = frozenset({MatchKind.MOBILE})

KIND_TEXT: dict[MatchKind, Text] = {
    MatchKind.ID_DOCUMENT: Text(en="same ID document", zh="证件相同"),
    MatchKind.NAME_AND_BIRTH: Text(en="same name and birth date", zh="姓名和出生日期相同"),
    MatchKind.MOBILE: Text(en="same mobile number", zh="手机号码相同"),
    MatchKind.FORM_NUMBER: Text(en="same paper form number", zh="纸质表单编号相同"),
}


@dataclass(frozen=True)
class MatchKey:
    """One hashed key of a record (64 hex characters) and its kind."""

    kind: MatchKind
    digest: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind.value, "digest": self.digest}


@dataclass(frozen=True)
class BranchMatch:
    """A likely match in another branch: which branch, and which kinds of key matched."""

    workstation_id: str
    branch: str  # the name the central administrator gave that branch's device
    kinds: tuple[MatchKind, ...]

    def to_json(self) -> dict[str, object]:
        return {"workstation_id": self.workstation_id, "branch": self.branch, "kinds": [k.value for k in self.kinds]}

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> BranchMatch:
        kinds = raw.get("kinds")
        if not isinstance(kinds, list):
            raise ValueError("kinds is not a list")
        known = {k.value for k in MatchKind}
        return cls(str(raw["workstation_id"]), str(raw["branch"]), tuple(MatchKind(k) for k in kinds if k in known))


def _digest(kind: MatchKind, value: str) -> str:
    return hashlib.sha256(f"{KEY_DOMAIN}|{kind.value}|{value}".encode()).hexdigest()


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def name_letters(name: str) -> str:
    """The letters of a name, sorted: a Han name through the usual pinyin of its simplified form, a Latin name as
    written; ü as YU (the passport spelling). Sorting makes the order of surname and given name, spaces and
    middle dots irrelevant (欧阳娜 = "NA OUYANG" = "Ou Yang Na"); "" when there is nothing to key."""
    if any(is_han(ch) for ch in name):
        han = "".join(ch for ch in _to_simplified().convert(name) if is_han(ch))
        from pypinyin import Style, lazy_pinyin  # on first use: 0.3 s at import, on every start of the client

        letters = "".join(lazy_pinyin(han, style=Style.NORMAL, v_to_u=False))
    else:
        letters = name
    letters = letters.lower().replace("ü", "yu").replace("v", "yu")
    letters = re.sub(r"[^a-z]", "", letters.replace("yyu", "yu"))
    return "".join(sorted(letters))


def match_keys(values: Mapping[str, object], form: FormSchema) -> list[MatchKey]:
    """The hashed keys of a record's values (normalised by the form, so that both ends compute the same ones),
    at most one per kind and name field; none for a value that is empty."""

    def value(key: str) -> str:
        try:
            spec = form.field(key)
        except KeyError:
            return ""
        raw = values.get(key)
        return normalise_value(spec, raw if isinstance(raw, str) else "" if raw is None else str(raw))

    keys: list[MatchKey] = []
    id_type, id_number = value("id_type"), value("id_number")
    if id_type and id_number:
        keys.append(MatchKey(MatchKind.ID_DOCUMENT, _digest(MatchKind.ID_DOCUMENT, f"{id_type}|{id_number}")))
    birth = value("birth_date")
    if birth:
        names = {name_letters(value("name")), name_letters(value("name_pinyin"))} - {""}
        for letters in sorted(names):
            keys.append(MatchKey(MatchKind.NAME_AND_BIRTH, _digest(MatchKind.NAME_AND_BIRTH, f"{letters}|{birth}")))
    mobile = value("mobile")
    if mobile:
        keys.append(MatchKey(MatchKind.MOBILE, _digest(MatchKind.MOBILE, mobile)))
    form_number = value(FORM_NUMBER).upper()  # as printed: the code's serial, or typed from the sheet
    if form_number:
        keys.append(MatchKey(MatchKind.FORM_NUMBER, _digest(MatchKind.FORM_NUMBER, form_number)))
    return keys
