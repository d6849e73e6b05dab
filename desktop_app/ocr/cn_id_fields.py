"""Pure post-processing for the Chinese resident ID card readers: Han-text clean-up, the closed lists (sex, the
56 ethnic groups), printed dates and validity periods, and repairing a citizen number that one OCR confusion
broke, by its GB 11643 check character.

No images and no Tesseract here, so every rule can be unit-tested on strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from stdnum import numdb

from desktop_app.domain.choices import ETHNICITIES
from desktop_app.domain.han import HAN_CLASS
from desktop_app.domain.id_numbers import IdNumberError, has_gb11643_checksum, parse_resident_id
from desktop_app.ocr.tesseract_engine import HAN_FAST, HAN_STANDARD, han_models

SEXES = ("男", "女")
# The card prints the group's name without the trailing 族 (汉, 蒙古, 维吾尔).
ETHNIC_GROUPS: tuple[str, ...] = tuple(choice.label("zh_CN").removesuffix("族") for choice in ETHNICITIES)
VALIDITY_TERMS = (5, 10, 20)  # years (Resident Identity Card Law, art. 5); otherwise 长期

_SPACE_BETWEEN_HAN = re.compile(rf"(?<={HAN_CLASS})\s+(?={HAN_CLASS})")


def join_han(text: str) -> str:
    """`text` without the spaces chi_sim puts between Han characters (spaces elsewhere are kept)."""
    return _SPACE_BETWEEN_HAN.sub("", text.strip())


def printed_word(word: str) -> re.Pattern[str]:
    """A pattern finding a printed word in OCR text: read exactly, or (four characters or more) with any one
    character misread."""
    if len(word) < 4:
        return re.compile(re.escape(word))
    return re.compile("|".join(re.escape(word[:i]) + "." + re.escape(word[i + 1 :]) for i in range(len(word))))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (written here: the strings are a few characters, no library is worth it)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Matched:
    """A value snapped to a closed list: `exact` when the text read was already on it."""

    value: str
    exact: bool


def _is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def match_ethnicity(text: str, model: str | None = None) -> Matched | None:
    """The ethnic group `text` names, as printed (汉, not 汉族), or None when the reading points to no one group.

    Not read exactly, a group is still taken when it is the only one holding the characters read, in order, two or
    more and at least half of its own (OCR lost some: chi_sim's fast model has no 斡 or 珞 at all), or else the
    only one a single character away (OCR got one character wrong). Where two groups are equally near (a misread
    佤 is one character from 汉 and from 畲) the answer is None: a guess would too often be the wrong group.
    `model`: the Han model that read `text` (default the one the readers read with)."""
    text = re.sub(r"[^\u4e00-\u9fff]", "", text).removesuffix("族")
    if not text:
        return None
    if text in ETHNIC_GROUPS:
        return Matched(text, True)
    holding = [g for g in ETHNIC_GROUPS if len(text) >= max(2, len(g) / 2) and _is_subsequence(text, g)]
    if len(holding) == 1:
        return Matched(holding[0], False)
    nearest = [g for g in ETHNIC_GROUPS if edit_distance(text, g) <= 1]
    if not holding and len(nearest) == 1:
        return Matched(nearest[0], False)
    # Several groups equally near, and one of them only by a character the model cannot read (开巴 or 巴 for
    # 珞巴, where 门巴 would need a misread 门, a character it reads well): that one. (伦佬 stays open: both 仫佬
    # and 仡佬 have a character it cannot read.)
    lacking = _UNREADABLE_BY_MODEL.get(model or han_models()[0], _UNREADABLE_BY_MODEL[HAN_FAST])
    unreadable = [g for g in nearest if _near_by_unreadable(text, g, lacking)]
    if not holding and len(unreadable) == 1:
        return Matched(unreadable[0], False)
    return None


# Characters of group names missing from a Han model's unicharset: it always reads them as something else
# (measured with combine_tessdata -u). Debian's chi_sim (fast) lacks eight; the standard model only 仫.
_UNREADABLE_BY_MODEL = {HAN_FAST: frozenset("仡仫佤僳斡珞畲祜"), HAN_STANDARD: frozenset("仫")}


def _near_by_unreadable(text: str, group: str, lacking: frozenset[str]) -> bool:
    """True when `text` is `group` with one of its unreadable characters misread or left out."""
    for i, ch in enumerate(group):
        if ch not in lacking:
            continue
        if text == group[:i] + group[i + 1 :]:
            return True
        if len(text) == len(group) and text[:i] == group[:i] and text[i + 1 :] == group[i + 1 :]:
            return True
    return False


def match_sex(text: str) -> Matched | None:
    """男 or 女 when `text` holds exactly one of them."""
    found = {ch for ch in text if ch in SEXES}
    return Matched(found.pop(), len(text.strip()) == 1) if len(found) == 1 else None


def printed_date(year: str, month: str, day: str) -> date | None:
    """The date printed as year, month and day digits, or None when they name no real day."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


_BIRTH_DIGITS = re.compile(r"(\d{4})\D*?(\d{1,2})\D+?(\d{1,2})")
# What chi_sim makes of a digit standing alone, as the month or day between removed labels often does.
_DIGIT_LOOKALIKES = str.maketrans({"工": "1", "丨": "1", "I": "1", "l": "1", "|": "1", "]": "1", "O": "0", "o": "0"})


def parse_birth_line(text: str) -> date | None:
    """The birth date on the card's 出生 line: "1982 年 8 月 4 日" (labels may be gone or misread)."""
    found = _BIRTH_DIGITS.search(text.translate(_DIGIT_LOOKALIKES))
    day = printed_date(*found.groups()) if found else None
    # Nobody holding a card was born before 1890 or after today: such a date is a misread digit.
    return day if day is not None and date(1890, 1, 1) <= day <= date.today() else None


_DOTTED = re.compile(r"(\d{4})\D?(\d{2})\D?(\d{2})")


@dataclass(frozen=True)
class Validity:
    """A validity period as printed on the emblem side."""

    valid_from: date
    valid_until: date | None  # None: 长期


# A hyphen read inside a year (202-4.07.11: a speck, or the period's hyphen read twice), its four digits either side.
_STRAY_HYPHEN = re.compile(r"(?<!\d)(\d{1,3})-(\d{1,3})(?=\.\d{2}\.?\d{2})")


def _joined_year(match: re.Match[str]) -> str:
    return match[1] + match[2] if len(match[1]) + len(match[2]) == 4 else match[0]


def parse_validity(text: str) -> Validity | None:
    """The validity period on the emblem side, "2018.01.11-2028.01.11" or "2018.01.11-长期"; None when the start
    is not a readable date (or the end is neither a date nor 长期)."""
    compact = _STRAY_HYPHEN.sub(_joined_year, re.sub(r"\s+", "", text))
    dates = [printed_date(*m.groups()) for m in _DOTTED.finditer(compact)]
    if not dates or dates[0] is None:
        return None
    if len(dates) >= 2:
        if dates[1] is None:
            return None
        # A period runs forwards: its two dates read in the other order (the line's words put together out of
        # order: an independent tester's 2014.04.22-2024.04.22 came out from 2024 to 2014) are its start and end.
        return Validity(min(dates[0], dates[1]), max(dates[0], dates[1]))
    # 长期 is two characters: either one read is evidence enough when no second date is there.
    return Validity(dates[0], None) if "长" in compact or "期" in compact else None


def regular_term(valid_from: date, valid_until: date | None) -> bool:
    """True when the period is one the law allows: 5, 10 or 20 years to the calendar day, or 长期."""
    if valid_until is None:
        return True
    years = valid_until.year - valid_from.year
    if years not in VALIDITY_TERMS:
        return False
    if (valid_until.month, valid_until.day) == (valid_from.month, valid_from.day):
        return True
    # A period starting on 29 February ends on 28 February (or 1 March) of a common year.
    return (valid_from.month, valid_from.day) == (2, 29) and (valid_until.month, valid_until.day) in ((2, 28), (3, 1))


# Characters the eng model confuses in OCR-B digits, each pair both ways (by their shapes): a substitution along one
# of these is likelier than another.
_CONFUSIONS = frozenset(
    {"08", "06", "09", "17", "14", "27", "38", "39", "56", "53", "68", "89", "49", "X1", "X4", "X7", "X8"}
)


def _confusable(a: str, b: str) -> bool:
    return a + b in _CONFUSIONS or b + a in _CONFUSIONS


@dataclass(frozen=True)
class NumberReading:
    """A citizen number as read and, where needed, repaired: `corrected_at` the position changed (None when the
    number was read with a valid check character as it is)."""

    value: str
    corrected_at: int | None = None


def _plausible(number: str) -> bool:
    """Checksum, a real birth date not in the future nor before 1890, and a known region: what a repaired number
    must all have."""
    try:
        info = parse_resident_id(number)
    except IdNumberError:
        return False
    return date(1890, 1, 1) <= info.birth_date <= date.today()


def _agrees(number: str, birth_dates: Sequence[date], sex: str | None) -> bool:
    """The number holds one of the birth dates and the sex read from the card (when they were read)."""
    if birth_dates and number[6:14] not in {day.strftime("%Y%m%d") for day in birth_dates}:
        return False
    return sex is None or (int(number[16]) % 2 == 1) == (sex == "男")


def _without_extra_character(text: str, birth_dates: Sequence[date], sex: str | None) -> NumberReading | None:
    """A 19-character reading (a glyph read twice) with the one character dropped that leaves a sound number,
    when only one such number comes out."""
    found = {
        text[:i] + text[i + 1 :]: i
        for i in range(19)
        if re.fullmatch(r"[0-9]{17}[0-9X]", text[:i] + text[i + 1 :])
        and _plausible(text[:i] + text[i + 1 :])
        and _agrees(text[:i] + text[i + 1 :], birth_dates, sex)
    }
    if len(found) != 1:
        return None
    ((number, position),) = found.items()
    return NumberReading(number, position)


def repair_resident_id(
    read: str,
    confidences: Sequence[float] = (),
    *,
    birth_dates: Sequence[date] = (),
    sex: str | None = None,
) -> NumberReading | None:
    """The citizen number in `read` (OCR text, one confidence per character when known), with a single misread
    character put right (or one read twice dropped) when exactly one fix is convincing; None when no single fix
    stands out.

    Any one wrong character breaks the MOD 11-2 check, and for almost every position one other digit would
    restore it, so the checksum alone picks nothing: a fix must also give a real birth date and a known region,
    agree with the sex and (one reading of) the birth date printed on the card when they were read, and be the
    likeliest by the eng model's usual confusions and the character's own confidence."""
    text = re.sub(r"\s+", "", read).upper()
    if len(text) == 19:
        return _without_extra_character(text, birth_dates, sex)
    if len(text) != 18 or not re.fullmatch(r"[0-9]{17}[0-9X]", text):
        return None
    if has_gb11643_checksum(text):
        return NumberReading(text)
    scores: list[tuple[float, int, str]] = []
    for position, old in enumerate(text):
        alphabet = "0123456789X" if position == 17 else "0123456789"
        for new in alphabet:
            if new == old:
                continue
            candidate = text[:position] + new + text[position + 1 :]
            if not has_gb11643_checksum(candidate) or not _plausible(candidate):
                continue
            if not _agrees(candidate, birth_dates, sex):
                continue
            confidence = confidences[position] if len(confidences) == 18 else 0.5
            # Tesseract's doubt about this very glyph counts most; a usual confusion adds to it.
            score = (1.0 - confidence) + (0.3 if _confusable(old, new) else 0.0)
            scores.append((score, position, candidate))
    if not scores:
        return None
    scores.sort(reverse=True)
    # Two fixes nearly as likely: choosing would be a coin toss, so leave it to the teller.
    if len(scores) > 1 and scores[0][0] - scores[1][0] < 0.2:
        return None
    _, position, candidate = scores[0]
    return NumberReading(candidate, position)


# ---------------------------------------------------------------------------------------------------------------
# Free text with a shape: the address and the issuing authority. No check character covers them, but their shapes
# tell a reading that lost or misread its last character (the one chi_sim most often gets wrong at a line's end)
# from a whole one: what is doubtful is shown for checking, never as read clearly.

# The characters an address ends with: a house, room or group number's unit, or the place itself.
ADDRESS_ENDINGS = frozenset("号室组村户楼栋幢层屯队弄舍院社区镇乡巷街路道里庄坊苑园湾寨场厂所站屋")
# What may follow a number in an address (the unit it counts); and a hyphen, as in 3-2-501.
_AFTER_NUMBER = (*"号栋幢室户组楼层弄巷队排区期座舍-", "单元")
# What chi_sim reads for the unit after a number at an address's end, each for the unit it stands for (室 and 宣
# differ by a stroke under the roof, 定 by the part under it; 号 and 另 by the top's box).
_END_UNIT_LOOKALIKES = {
    "宣": "室", "至": "室", "窒": "室", "定": "室", "另": "号", "弓": "号", "细": "组", "姐": "组"
}  # fmt: skip


# Han characters chi_sim reads as one another with a confidence of 0.8 and more, each pair seen on test scans
# (issue 12):
# 巷/埠 (the same right-hand frame: a lane read as a port, by an independent tester too) and 室/宣 (one stroke under
# the roof differs). Both characters of a pair occur in real names and addresses, so neither can be put right by
# rule: a value holding one is "read clearly" only where two independent readings agree on it. Keep this short: each
# pair costs a second reading of every value that holds one of its characters.
HAN_CONFUSABLE_PAIRS = (("巷", "埠"), ("室", "宣"))
_HAN_CONFUSABLE = frozenset(char for pair in HAN_CONFUSABLE_PAIRS for char in pair)


def has_confusable_han(value: str) -> bool:
    """Whether the value holds a character of a known look-alike pair (HAN_CONFUSABLE_PAIRS)."""
    return any(char in _HAN_CONFUSABLE for char in value)


# Units that only ever follow their number in an address: 3栋, 2单元, 1004室, 5组 (号 may stand alone in 门牌号).
_COUNTED = ("号楼", "栋", "幢", "单元", "室", "户", "组", "层")
_CHINESE_NUMERALS = "一二三四五六七八九十百零"


@dataclass(frozen=True)
class ShapeCheck:
    """A free-text value after its shape was checked: `doubts` name what did not fit (empty when all did), and
    `corrected` says that a look-alike was put right."""

    value: str
    doubts: tuple[str, ...] = ()
    corrected: bool = False


@cache
def provinces() -> tuple[str, ...]:
    """The province-level divisions an address may start with, from python-stdnum's table of division codes
    (which writes Hong Kong's and Macao's in traditional characters; the card's simplified forms are added)."""
    table = numdb.get("cn/loc")
    names = {"香港特别行政区", "澳门特别行政区"}
    for code in range(10, 100):
        parts = table.info(f"{code:02d}")
        if parts and parts[0][0] == f"{code:02d}" and parts[0][1].get("province"):
            names.add(str(parts[0][1]["province"]))
    return tuple(sorted(names))


def _with_province(text: str) -> tuple[str, bool]:
    """`text` with a province name that one misread character spoiled put right (新疆维吉尔自治区, 古林省), and
    whether it was: a long name, or a province (省) whose name is the only one a character off what was read
    (陋西省 is one off 陕西, 山西 and 江西 alike: left alone). Municipalities are left alone: one character turns
    南京市 into 北京市."""
    if any(text.startswith(name) for name in provinces()):
        return text, False
    near = [
        name
        for name in provinces()
        if (len(name) >= 5 or name.endswith("省"))
        and len(text) > len(name)
        and sum(a != b for a, b in zip(text, name, strict=False)) == 1
    ]
    return (near[0] + text[len(near[0]) :], True) if len(near) == 1 else (text, False)


def province_of_number(number: str) -> str | None:
    """The province-level division a citizen number's region code (its first two digits) names, or None."""
    parts = numdb.get("cn/loc").info(number[:2]) if number[:2].isdigit() else []
    found = parts[0][1].get("province") if parts and parts[0][0] == number[:2] else None
    return _SIMPLIFIED.get(str(found), str(found)) if found else None


_SIMPLIFIED = {"香港特別行政區": "香港特别行政区", "澳門特別行政區": "澳门特别行政区"}


def with_numbers_province(address: str, number: str) -> str | None:
    """`address` with its province's name put right by the citizen number's region, where the address starts
    with no province but one character off the number's (陋西省 on a card numbered 61…, 陕西省); None otherwise.

    The number's region is where it was first issued, mostly the province the holder lives in; a province name
    one character off several provinces (陋西省: 陕西, 山西, 江西) is not settled by the name alone."""
    province = province_of_number(number)
    if province is None or any(address.startswith(name) for name in provinces()):
        return None
    start = address[: len(province)]
    if len(start) == len(province) and sum(a != b for a, b in zip(start, province, strict=True)) == 1:
        return province + address[len(province) :]
    return None


def check_address(text: str) -> ShapeCheck:
    """The address as read, with the unit after a final number put right when a usual look-alike stands there
    (1004宣 is 1004室) and a long province name's misread character too; and what about it is doubtful: an ending
    no address has (a final 号, 室, 组 or 村 lost), or a number followed by a character that counts nothing (a
    unit misread), or a counted unit with no number before it."""
    doubts: list[str] = []
    text, corrected = _with_province(text)
    final = re.search(r"[0-9]+([\u4e00-\u9fff])$", text)
    if final and final.group(1) in _END_UNIT_LOOKALIKES:
        text = text[:-1] + _END_UNIT_LOOKALIKES[final.group(1)]
        corrected = True
    if not text or text[-1] not in ADDRESS_ENDINGS:
        doubts.append("address_ending_unusual")
    after_number = [
        found
        for found in re.finditer(r"[0-9]+(?=[^0-9])", text)
        if not any(text.startswith(unit, found.end()) for unit in _AFTER_NUMBER)
    ]
    # A unit that counts (单元, 号楼, 栋, 室...) with no number before it: the number's digits were lost.
    uncounted = re.search(f"(^|[^0-9{_CHINESE_NUMERALS}])({'|'.join(_COUNTED)})", text)
    if after_number or uncounted:
        doubts.append("address_unit_unusual")
    if not _DIVISION.search(text):
        # Every address on the card names its county or a division above it; one that names none lost its first
        # line (大道286号15栋6单元706室 for 四川省成都市武侯区民族大道286号…).
        doubts.append("address_without_division")
    return ShapeCheck(text, tuple(doubts), corrected)


_DIVISION = re.compile("[省市县区州盟旗]")


# Any one ethnic group's name, the longest first (so that 布依 is not taken for a shorter group's start).
ETHNIC_GROUP_PATTERN = "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True))
_NEXT_ROW = re.compile(f"[男女]?(族?({ETHNIC_GROUP_PATTERN})族?)?")


def check_name(text: str) -> tuple[str, ...]:
    """What speaks against `text` being the holder's name: the labels or values of the row below it (性别, 民族,
    男 or 女 with an ethnic group: the name's crop held that row, 女土家 for 滕明)."""
    if re.search("性别|民族", text) or _NEXT_ROW.fullmatch(text):
        return ("name_is_next_row",)
    return ()


# The public security bureau of a city, county, district, prefecture, league or banner (示例市公安局, 演示县公安局,
# 示例自治州公安局), or one of its branches (示例市公安局测试分局, 样例区公安分局), or a county's under a prefecture
# (示例地区公安局演示县局).
_AUTHORITY_SHAPE = re.compile(
    "[\u4e00-\u9fff]{1,12}[市县区州盟旗](公安局|公安局[\u4e00-\u9fff]{1,10}[分县]局|公安分局)"
)
_AUTHORITY_LOOKALIKES = str.maketrans({"居": "局", "屆": "局", "扃": "局", "舄": "局"})


def check_authority(text: str) -> ShapeCheck:
    """The issuing authority as read, and a doubt when it is not of a public security bureau's shape (…市公安局,
    …县公安局…分局, …区公安分局). Where it is not, but would be with one character of the words every authority
    prints (公安局, 分局, 县局) put right (公安司, 公宇局, a final 局 read as 居), or with print read after a whole
    authority left off (…分局二心一二: specks or a pattern read as characters), that is the value, corrected."""
    if _AUTHORITY_SHAPE.fullmatch(text):
        return ShapeCheck(text)
    repaired = text[:-1] + text[-1:].translate(_AUTHORITY_LOOKALIKES) if text else text
    if not _AUTHORITY_SHAPE.fullmatch(repaired):
        repaired = _bureau_word_repaired(text) or _trailing_print_dropped(text) or repaired
    corrected = repaired != text
    doubts = () if _AUTHORITY_SHAPE.fullmatch(repaired) else ("issuing_authority_shape_unusual",)
    return ShapeCheck(repaired, doubts, corrected)


_BUREAU_WORDS = ("公安局", "分局", "县局")


def _bureau_word_repaired(text: str) -> str | None:
    """`text` with one misread character of 公安局, 分局 or 县局 put right, where that, and only that, gives an
    authority's shape; None when no such one substitution does, or more than one way does."""
    found = {
        repaired
        for word in _BUREAU_WORDS
        for i in range(len(text) - len(word) + 1)
        if sum(a != b for a, b in zip(text[i : i + len(word)], word, strict=True)) == 1
        and _AUTHORITY_SHAPE.fullmatch(repaired := text[:i] + word + text[i + len(word) :])
    }
    return found.pop() if len(found) == 1 else None


def _trailing_print_dropped(text: str) -> str | None:
    """The longest start of `text` that is a whole authority ending in 局, where what follows it holds no 分 or 局
    (it is not the rest of a branch's name: 示例市公安局测试分 keeps its doubt)."""
    for end in range(len(text) - 1, 0, -1):
        if text[end - 1] == "局" and _AUTHORITY_SHAPE.fullmatch(text[:end]):
            return text[:end] if not re.search("[分局]", text[end:]) else None
    return None
