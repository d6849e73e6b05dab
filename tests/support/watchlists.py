"""Generated watchlists for tests and benchmarks: obviously synthetic listed persons, never real ones.

The persons come from the demo-customer generator (domain/synthetic.py), so every name carries a marker word
(测试, 示例, 演示, 样例: "王测试明", "WANG CESHIMING") and no listed person exists. Like the UN list, the primary
name is the Latin form (surname first); most entries also give the name in its original script, some an alias;
most give a full birth date, some only a year, as lists often do. Written as a UN consolidated list XML file or a
bank's own CSV file.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from desktop_app.domain.synthetic import generate_customers
from desktop_app.domain.watchlist import EntryKind, WatchlistEntry

#: A fixed day, so the same seed makes the same list on any day.
_TODAY = date(2026, 1, 1)


def listed_people(n: int, seed: int = 7001) -> list[tuple[WatchlistEntry, dict[str, str]]]:
    """`n` listed individuals and the customer values each was made from (its Han name, pinyin, birth date)."""
    rng = random.Random(seed)
    out = []
    for i, person in enumerate(generate_customers(n, seed=seed, today=_TODAY)):
        person = _with_given_name(person, rng)
        latin = person["name_pinyin"].upper()
        names = [latin]
        if rng.random() < 0.7:
            names.append(person["name"])
        if rng.random() < 0.2:
            names.append(f"{latin.split()[0]} ALIAS{i}")
        birth = person["birth_date"] if rng.random() < 0.8 else person["birth_date"][:4]
        documents = (person["id_number"],) if rng.random() < 0.3 else ()
        entry = WatchlistEntry(f"TST.{i:05d}", EntryKind.INDIVIDUAL, tuple(names), (birth,), ("China",), documents)
        out.append((entry, person))
    return out


# Given-name characters added to a bare "surname + marker" name (see _with_given_name).
_GIVEN = {
    "明": "ming", "华": "hua", "芳": "fang", "军": "jun", "丽": "li", "强": "qiang", "静": "jing", "涛": "tao",
    "敏": "min", "杰": "jie", "燕": "yan", "磊": "lei", "艳": "yan", "勇": "yong", "娟": "juan", "超": "chao",
}  # fmt: skip


def _with_given_name(person: dict[str, str], rng: random.Random) -> dict[str, str]:
    """The person with a given character after the marker when the name has none ("王测试" -> "王测试涛").

    The generator's bare "surname + marker" names are some 400 names shared by 40% of its people, a pool far
    smaller than real names: a list of them would flag ordinary customers by sheer name collisions no real list
    produces. Foreign names ("约翰·示例") are kept as they are."""
    name, latin = person["name"], person["name_pinyin"]
    if "·" in name or len(name) != 3:
        return person
    char = rng.choice(sorted(_GIVEN))
    return dict(person, name=name + char, name_pinyin=latin + _GIVEN[char])


def un_xml(entries: Sequence[WatchlistEntry], entities: int = 2) -> bytes:
    """A UN Security Council consolidated list file with these individuals and a few synthetic entities."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00">']
    parts.append("<INDIVIDUALS>")
    for n, e in enumerate(entries):
        latin = [p for p in e.names if p.isascii()]
        script = [p for p in e.names if not p.isascii()]
        tokens = latin[0].split() if latin else [e.names[0]]
        parts.append(f"<INDIVIDUAL><DATAID>{100000 + n}</DATAID><VERSIONNUM>1</VERSIONNUM>")
        for tag, token in zip(("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"), tokens, strict=False):
            parts.append(f"<{tag}>{escape(token)}</{tag}>")
        parts.append(f"<UN_LIST_TYPE>Test</UN_LIST_TYPE><REFERENCE_NUMBER>{escape(e.ref)}</REFERENCE_NUMBER>")
        if script:
            parts.append(f"<NAME_ORIGINAL_SCRIPT>{escape(script[0])}</NAME_ORIGINAL_SCRIPT>")
        for nationality in e.nationalities:
            parts.append(f"<NATIONALITY><VALUE>{escape(nationality)}</VALUE></NATIONALITY>")
        for alias in latin[1:]:
            parts.append(f"<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>{escape(alias)}</ALIAS_NAME>")
            parts.append("</INDIVIDUAL_ALIAS>")
        for birth in e.birth_dates:
            if len(birth) == 4:
                parts.append(f"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>{birth}</YEAR>")
            else:
                parts.append(f"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>{birth}</DATE>")
            parts.append("</INDIVIDUAL_DATE_OF_BIRTH>")
        for number in e.documents:
            parts.append(
                "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>"
                f"<NUMBER>{escape(number)}</NUMBER></INDIVIDUAL_DOCUMENT>"
            )
        parts.append("</INDIVIDUAL>")
    parts.append("</INDIVIDUALS><ENTITIES>")
    for n in range(entities):
        parts.append(
            f"<ENTITY><DATAID>{900000 + n}</DATAID><FIRST_NAME>EXAMPLE TEST TRADING {n} LTD</FIRST_NAME>"
            f"<REFERENCE_NUMBER>TSE.{n:03d}</REFERENCE_NUMBER>"
            f"<ENTITY_ALIAS><ALIAS_NAME>示例测试贸易{n}有限公司</ALIAS_NAME></ENTITY_ALIAS></ENTITY>"
        )
    parts.append("</ENTITIES></CONSOLIDATED_LIST>")
    return "\n".join(parts).encode()


def bank_csv(entries: Sequence[WatchlistEntry]) -> bytes:
    """A bank's own list as CSV (ref, name, aliases, birth_date, nationality, id_number)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["ref", "name", "aliases", "birth_date", "nationality", "id_number"])
    for e in entries:
        writer.writerow(
            [e.ref, e.names[0], ";".join(e.names[1:]), ";".join(e.birth_dates), ";".join(e.nationalities),
             ";".join(e.documents)]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8")
