"""Watchlist screening: listed persons, a blocking index over their names, and whether a customer is a hit.

A customer is compared only with the listed entries whose name has the same sounds, one per character or
syllable, in any order (name_match.blocking_syllables: toneless pinyin with near sounds merged, look-alike
characters, Wade–Giles read back as pinyin), or whose document number equals the customer's ID number. That keeps
screening a million customers against a ten-thousand-entry list to a few comparisons each, where comparing every
pair would be 10^10 name matches. The key loses nothing the matcher would accept: name_match scores names of
different lengths (a character missing) below HIT_THRESHOLD, and every same-length variant it accepts keeps a
shared sound at each position. A Latin token the list does not know is also tried as each known token one letter
away (a misspelt letter would otherwise change its key).

A hit is a name scoring at least HIT_THRESHOLD against any of the entry's names (primary, aliases, original
script) whose birth date does not contradict the list, or an ID number the list holds. Sanctions screening errs
towards a hit: a supervisor clears a false one with a reason. Entities (organisations) are listed but not
screened against personal customers: a person's name is not compared with a company's.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import cache
from itertools import product

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from desktop_app.domain.han import is_han
from desktop_app.domain.name_match import (
    NameReason,
    PersonName,
    blocking_syllables,
    latin_letters,
    match_names,
    match_texts,
)

#: A name at or above this score against a listed name is a hit (one homophone in a two-character name is 0.85,
#: a look-alike 0.825, a near sound 0.775, a misspelt Latin letter 0.8).
HIT_THRESHOLD = 0.75
#: The reason code of a hit on the ID number alone.
DOCUMENT_LISTED = "document_listed"
#: Most entries one customer is scored against; a name sharing keys with more is a very common one, and the best
#: by shared keys are kept.
_MAX_CANDIDATES = 200


class EntryKind(StrEnum):
    INDIVIDUAL = "individual"
    ENTITY = "entity"


@dataclass(frozen=True)
class WatchlistEntry:
    """One listed person or entity as imported: names as written, birth dates as ISO text (YYYY-MM-DD, a year
    YYYY, or a range YYYY/YYYY), nationalities and document numbers."""

    ref: str
    kind: EntryKind
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def digest(self) -> str:
        """A stable fingerprint of the entry's content: a cleared hit stays cleared while it is unchanged."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Subject:
    """What is screened of a customer: names, birth date (YYYY-MM-DD or empty) and ID number."""

    name: str
    latin: str = ""
    birth_date: str = ""
    id_number: str = ""

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Subject:
        return cls(
            values.get("name", ""),
            values.get("name_pinyin", ""),
            values.get("birth_date", ""),
            values.get("id_number", ""),
        )

    def digest(self) -> str:
        """A fingerprint of the screened values (a hit cleared for them is not raised again for the same)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Hit:
    """An entry the subject may be: the score and reason codes (name_match reasons, or DOCUMENT_LISTED)."""

    entry: WatchlistEntry
    score: float
    reasons: tuple[str, ...]
    matched_name: str


def normalise_document(number: str) -> str:
    """A document number as compared: letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", number).upper()


def birth_dates_agree(listed: Sequence[str], birth_date: str) -> bool:
    """False only when the list gives birth dates and none of them can be this one (a full date, its day and
    month swapped, a year, or a year range)."""
    if not listed or len(birth_date) < 4:
        return True
    year = birth_date[:4]
    swapped = f"{year}-{birth_date[8:10]}-{birth_date[5:7]}" if len(birth_date) == 10 else ""
    for text in listed:
        if "/" in text:
            low, _, high = text.partition("/")
            if low[:4] <= year <= high[:4]:
                return True
        elif len(text) == 4:
            if text == year:
                return True
        elif text[:10] in (birth_date, swapped):
            return True
    return False


#: Most keys made of one name (each position's sounds multiplied out); a name past it keeps its first keys.
_MAX_KEYS = 64
#: Most ways of reading one Latin name tried (its own cuts, and those of one-letter edits).
_MAX_WAYS = 16


def _bag_keys(positions: Sequence[frozenset[str]]) -> set[str]:
    """One key per choice of a sound at each position, the sounds sorted (so the order of the names is free)."""
    keys: set[str] = set()
    for choice in product(*(sorted(p) for p in positions)):
        keys.add("|".join(sorted(choice)))
        if len(keys) >= _MAX_KEYS:
            break
    return keys


_NOT_LETTERS = re.compile(r"[^A-Z]+")


def _deletions(token: str) -> set[str]:
    """`token` and every spelling of it with one letter left out (symmetric-delete lookup of one-letter slips)."""
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}


def _latin_tokens(name: str) -> list[str]:
    """A Latin name's parts: marks dropped, Ø/ß/Æ... written out (MÜLLER is MULLER, one letter from MUELLER)."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", latin_letters(name)) if not unicodedata.combining(c))
    return [t for t in _NOT_LETTERS.split(letters.upper()) if t]


def _is_latin(name: str) -> bool:
    """A name written in Latin letters, accented ones included (José-Ángel Ørsted is no Han name)."""
    return not any(is_han(ch) for ch in name)


def _one_part_left_out(name: str) -> list[str]:
    """A Latin name of four parts or more with each part left out in turn: the names sharing keys with one that
    has a part missing or extra (name_match scores that as PART_MISSING, above the hit threshold). Parts, not
    syllables: YANGLIYAN is one part of three syllables."""
    tokens = _latin_tokens(name)
    if len(tokens) < 4:
        return []
    return [" ".join(tokens[:i] + tokens[i + 1 :]) for i in range(len(tokens))]


@dataclass
class ScreeningIndex:
    """The blocking index of some watchlist entries (individuals only); built once per list version."""

    entries: list[WatchlistEntry] = field(default_factory=list)
    _by_key: dict[str, list[int]] = field(default_factory=dict)
    _by_document: dict[str, list[int]] = field(default_factory=dict)
    _vocabulary: set[str] = field(default_factory=set)
    _vocabulary_list: list[str] = field(default_factory=list)
    _near: dict[str, frozenset[str]] = field(default_factory=dict)
    # The list's Latin words (and each Latin name run together, in every order) by their one-letter deletions.
    _words: set[str] = field(default_factory=set)
    _by_deletion: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[WatchlistEntry]) -> ScreeningIndex:
        index = cls()
        for entry in entries:
            if entry.kind is not EntryKind.INDIVIDUAL:
                continue
            number = len(index.entries)
            index.entries.append(entry)
            keys: set[str] = set()
            for name in entry.names:
                for way in blocking_syllables(name):
                    keys |= _bag_keys(way)
                    for sounds in way:
                        index._vocabulary |= sounds
                if _is_latin(name):
                    for shorter in _one_part_left_out(name):
                        keys |= {key for way in blocking_syllables(shorter) for key in _bag_keys(way)}
                    tokens = _latin_tokens(name)
                    index._words.update(tokens)
                    if len(tokens) <= 4:
                        index._words.update("".join(tokens[i:] + tokens[:i]) for i in range(len(tokens)))
            for key in keys:
                index._by_key.setdefault(key, []).append(number)
            for document in entry.documents:
                if normalise_document(document):
                    index._by_document.setdefault(normalise_document(document), []).append(number)
        index._vocabulary_list = sorted(index._vocabulary)
        for word in index._words:
            for deleted in _deletions(word):
                index._by_deletion.setdefault(deleted, set()).add(word)
        return index

    def __len__(self) -> int:
        return len(self.entries)

    def _neighbours(self, sound: str) -> frozenset[str]:
        """Sounds of the list one letter away from `sound` (cached: a few hundred syllables in all)."""
        found = self._near.get(sound)
        if found is None:
            found = frozenset(
                near
                for near, _, _ in process.extract(
                    sound, self._vocabulary_list, scorer=Levenshtein.distance, score_cutoff=1, limit=30
                )
                if near != sound
            )
            self._near[sound] = found
        return found

    def _keys(self, name: str, *, edits: bool) -> set[str]:
        ways = list(blocking_syllables(name))
        if not _is_latin(name):
            return {key for way in ways for key in _bag_keys(way)}
        ways += [way for shorter in _one_part_left_out(name) for way in blocking_syllables(shorter)]
        # A Latin name may carry a wrong letter: every way is also tried with one position replaced by a sound of
        # the list one letter away (WEN for WEI), and, for a customer known by the Latin name alone (`edits`),
        # with a token replaced by a word of the list one letter away from it (YAASHI for YANSHI), found through
        # the words' one-letter deletions rather than by trying every edit.
        edited_ways: set[tuple[frozenset[str], ...]] = set()
        if edits:
            tokens = _latin_tokens(name)
            for i, token in enumerate(tokens):
                if token in self._words:
                    continue
                near = {w for d in _deletions(token) for w in self._by_deletion.get(d, ())}
                for word in near:
                    if Levenshtein.distance(token, word) == 1:
                        edited = " ".join([*tokens[:i], word, *tokens[i + 1 :]])
                        edited_ways.update(blocking_syllables(edited))
        # The letter budget of an edited way is spent: its own keys only.
        keys = {key for way in edited_ways for key in _bag_keys(way)}
        # Words run together ("TESTPAUL" for TEST PAUL): an unknown token cut into words of the list.
        for way in list(ways):
            for i, sounds in enumerate(way):
                unknown = [s for s in sounds if s not in self._vocabulary and len(s) >= 4]
                for cut in (self._word_cut(s) for s in unknown):
                    if cut:
                        ways.append((*way[:i], *(frozenset({w}) for w in cut), *way[i + 1 :]))
        for way in ways[:_MAX_WAYS]:
            keys |= _bag_keys(way)
            for i, sounds in enumerate(way):
                close = frozenset(n for s in sounds for n in self._neighbours(s))
                if close:
                    keys |= _bag_keys((*way[:i], close, *way[i + 1 :]))
        return keys

    def _word_cut(self, token: str) -> tuple[str, ...] | None:
        """`token` cut into words of the list's vocabulary, fewest words first; None when it cannot be."""

        @cache
        def rest(pos: int) -> tuple[str, ...] | None:
            if pos == len(token):
                return ()
            for end in range(len(token), pos, -1):
                if token[pos:end] in self._vocabulary:
                    tail = rest(end)
                    if tail is not None:
                        return (token[pos:end], *tail)
            return None

        return rest(0)

    def candidates(self, subject: Subject) -> list[int]:
        """Entries sharing a blocking key with the subject, those sharing most keys first."""
        counts: dict[int, int] = {}
        names = [subject.name] if subject.name else []
        # The Latin form of a Han name adds keys only when it is not that name's own pinyin (a passport spelling).
        if subject.latin and not (
            subject.name and not _is_latin(subject.name) and match_texts(subject.name, subject.latin).score >= 0.95
        ):
            names.append(subject.latin)
        for name in names:
            for key in self._keys(name, edits=not subject.name or _is_latin(subject.name)):
                for number in self._by_key.get(key, ()):
                    counts[number] = counts.get(number, 0) + 1
        ranked = sorted(counts, key=lambda n: -counts[n])
        return ranked[:_MAX_CANDIDATES]

    def screen(self, subject: Subject, threshold: float = HIT_THRESHOLD) -> list[Hit]:
        """The entries the subject may be, best first."""
        hits: dict[int, Hit] = {}
        document = normalise_document(subject.id_number)
        for number in self._by_document.get(document, ()) if document else ():
            hits[number] = Hit(self.entries[number], 1.0, (DOCUMENT_LISTED,), "")
        person = PersonName(subject.name, subject.latin)
        for number in self.candidates(subject):
            if number in hits:
                continue
            entry = self.entries[number]
            if not birth_dates_agree(entry.birth_dates, subject.birth_date):
                continue
            best = None
            for name in entry.names:
                found = match_names(person, PersonName(name))
                if best is None or found.score > best[0].score:
                    best = (found, name)
            if best is not None and best[0].score >= threshold:
                reasons = tuple(r.value for r in best[0].reasons if r is not NameReason.DIFFERENT)
                hits[number] = Hit(entry, best[0].score, reasons, best[1])
        return sorted(hits.values(), key=lambda h: (-h.score, h.entry.ref))
