"""Obviously synthetic demo customers whose ID numbers carry valid check digits.

Used by `desktop-app seed-demo`, tests and benchmarks. Nothing here is real personal data:

* Names are a common surname plus a given name built around a marker word 测试 / 示例 / 演示 / 样例,
  alone or with one ordinary character before or after it ("王测试", "李示例明", "张芳演示"); the
  character pool depends on sex. Foreign nationals get "<given>·<marker>" ("约翰·示例") with the
  Latin form "EXAMPLE JOHN" as name_pinyin (surname first, like the pinyin of Chinese names).
* Addresses use only the marker words for places: "示例省演示市测试区样例路 123 号".
* E-mail addresses are at example.com / example.net / example.org (reserved by RFC 2606).
* Employers are "<marker><industry>有限公司"; issuing authorities that name a place name a marker city.
* Mobile numbers are "<real CN mobile prefix>00<6 digits>": they pass phonenumbers.is_valid_number, but the
  "00" after the prefix marks them as demo numbers. They are not unique.

The ID numbers are well formed (check digits, birth date, sex, and for resident IDs a region code that
python-stdnum accepts for every birth year), and unique within one generate_customers() run: the part of
each number that makes it unique comes from a per-document-type counter passed through a keyed bijection
(see _scramble), so a million customers need no set of numbers already used.

Field values follow the form contract (see CUSTOMER_FIELDS): every value is a string, "" when empty.
"""

from __future__ import annotations

import bisect
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Protocol, TypeVar

from desktop_app.domain.id_numbers import gb11643_check_char

CUSTOMER_FIELDS: tuple[str, ...] = (
    "name",
    "name_pinyin",
    "sex",
    "ethnicity",
    "birth_date",
    "nationality",
    "id_type",
    "id_number",
    "issuing_authority",
    "id_valid_from",
    "id_valid_until",
    "address",
    "postal_code",
    "mobile",
    "email",
    "occupation",
    "employer",
    "annual_income_band",
    "tax_residency",
    "tax_jurisdictions",
    "foreign_tin",
    "risk_level",
    "notes",
)

# The occupation codes of the form contract; every code here is drawn somewhere below.
OCCUPATION_CODES: tuple[str, ...] = (
    "civil_servant", "professional", "clerk", "commerce_service", "agriculture", "production", "military",
    "student", "retired", "unemployed", "freelancer", "other",
)  # fmt: skip
INCOME_BANDS: tuple[str, ...] = ("lt_50k", "50k_100k", "100k_300k", "300k_1m", "gt_1m")
ID_TYPES: tuple[str, ...] = (
    "resident_id",
    "passport",
    "hk_macau_permit",
    "taiwan_permit",
    "foreign_permanent_resident",
)

LONG_TERM = "长期"  # id_valid_until of a resident ID issued at 46 or older
MIN_AGE = 18
MAX_AGE = 90

# Region codes from python-stdnum's cn/loc.dat whose county entry has no year range, so stdnum accepts them
# for any birth year. Kept here rather than read from loc.dat so a seed gives the same customers whatever
# stdnum version is installed; tests check every code against the installed stdnum.
_REGION_TEXT = (
    "110101 110102 110105 110106 110107 110108 110109 120101 120102 120103 120104 120105 120106 140121 "
    "140122 140123 150121 150122 150221 150222 152201 152221 152222 152223 152224 152501 152522 152523 "
    "152524 152525 152526 152527 152528 152529 152530 152531 152921 152922 152923 210224 210321 210421 "
    "210726 210727 210921 210922 211021 222401 222402 222424 222426 230722 232721 310101 310104 310105 "
    "310106 310107 310109 310110 330122 330127 340121 340421 340621 350121 360121 422822 422823 422825 "
    "422826 422921 429001 429021 430121 430321 433122 433123 433124 433125 433126 433127 433130 510121 "
    "510321 510421 510422 513221 513222 513224 513226 513227 513228 513230 513231 513232 513233 513322 "
    "513323 513324 513325 513326 513327 513328 513329 513330 513331 513332 513333 513334 513335 513336 "
    "513337 513338 513401 513422 513423 513424 513426 513427 513428 513429 513430 513431 513432 513433 "
    "513434 513435 513436 513437 520203 522323 522324 522622 522623 522624 522625 522626 522627 522628 "
    "522629 522630 522631 522632 522633 522634 522635 522636 522701 522722 522723 522725 522726 522727 "
    "522728 522729 522730 522731 522732 530124 532322 532323 532324 532325 532326 532327 532328 532329 "
    "532501 532523 532524 532525 532527 532528 532529 532531 532532 532622 532623 532624 532625 532626 "
    "532627 532628 532822 532823 532923 532924 532925 532926 532927 532928 532929 532930 532931 532932 "
    "533122 533123 533124 533323 533324 533422 540121 540122 540123 540124 540127 542521 542522 542523 "
    "542524 542525 542526 542527 610323 610324 610326 610327 610328 610329 610330 610331 620121 620122 "
    "620123 622921 622922 622923 622924 622925 622926 622927 623021 623022 623023 623024 623025 623026 "
    "623027 632221 632222 632223 632224 632322 632323 632521 632522 632523 632524 632525 632621 632622 "
    "632623 632624 632625 632626 632722 632723 632724 632725 632726 632801 632821 632822 632823 640121 "
    "640122 640221 650121 652323 652324 652325 652327 652328 652722 652723 652801 652822 652823 652824 "
    "652825 652826 652827 652828 652829 652922 652924 652925 652926 652927 652928 652929 653022 653023 "
    "653024 653101 653121 653122 653123 653124 653125 653126 653127 653128 653129 653130 653131 653221 "
    "653222 653223 653224 653225 653226 653227"
)
_REGION_CODES: tuple[str, ...] = tuple(_REGION_TEXT.split())
_PROVINCE_CODES: tuple[str, ...] = ("11", "12", "31", "32", "33", "35", "37", "44", "50", "51")

# Pinyin for the fixed name pools, written out here: pypinyin is not a dependency, and a table limited to
# these characters cannot pick a wrong reading for a heteronym.
_SURNAMES: dict[str, str] = {
    "王": "WANG", "李": "LI", "张": "ZHANG", "刘": "LIU", "陈": "CHEN", "杨": "YANG", "黄": "HUANG",
    "赵": "ZHAO", "吴": "WU", "周": "ZHOU", "徐": "XU", "孙": "SUN", "马": "MA", "朱": "ZHU", "胡": "HU",
    "郭": "GUO", "何": "HE", "林": "LIN", "罗": "LUO", "高": "GAO", "郑": "ZHENG", "梁": "LIANG",
    "谢": "XIE", "宋": "SONG", "唐": "TANG", "许": "XU", "韩": "HAN", "冯": "FENG", "邓": "DENG", "曹": "CAO",
}  # fmt: skip
_MARKERS: dict[str, str] = {"测试": "CESHI", "示例": "SHILI", "演示": "YANSHI", "样例": "YANGLI"}
# No character here starts with a vowel, so joined syllables never need an apostrophe (XI'AN).
_GIVEN_MALE: dict[str, str] = {
    "明": "MING", "伟": "WEI", "强": "QIANG", "军": "JUN", "杰": "JIE", "涛": "TAO", "磊": "LEI",
    "刚": "GANG", "鹏": "PENG", "华": "HUA", "平": "PING",
}  # fmt: skip
_GIVEN_FEMALE: dict[str, str] = {
    "芳": "FANG", "静": "JING", "丽": "LI", "燕": "YAN", "娜": "NA", "霞": "XIA", "婷": "TING",
    "玲": "LING", "华": "HUA", "敏": "MIN",
}  # fmt: skip
# Foreign nationals: (Chinese transliteration, Latin) given names; the marker stands in for the surname.
_FOREIGN_MALE: tuple[tuple[str, str], ...] = (
    ("约翰", "JOHN"), ("大卫", "DAVID"), ("保罗", "PAUL"), ("彼得", "PETER"), ("卢卡斯", "LUCAS"),
)  # fmt: skip
_FOREIGN_FEMALE: tuple[tuple[str, str], ...] = (
    ("安娜", "ANNA"), ("玛丽亚", "MARIA"), ("艾玛", "EMMA"), ("索菲", "SOPHIE"), ("劳拉", "LAURA"),
)  # fmt: skip
_FOREIGN_MARKERS: tuple[tuple[str, str], ...] = (
    ("示例", "EXAMPLE"), ("样例", "SAMPLE"), ("测试", "TEST"), ("演示", "DEMO"),
)  # fmt: skip

# alpha-3 -> (ISO 3166 numeric, alpha-2 for tax_jurisdictions, Chinese name)
_FOREIGN_NATIONALITIES: dict[str, tuple[str, str, str]] = {
    "USA": ("840", "US", "美国"), "GBR": ("826", "GB", "英国"), "DEU": ("276", "DE", "德国"),
    "JPN": ("392", "JP", "日本"), "KOR": ("410", "KR", "韩国"), "SGP": ("702", "SG", "新加坡"),
    "FRA": ("250", "FR", "法国"), "CAN": ("124", "CA", "加拿大"), "AUS": ("036", "AU", "澳大利亚"),
}  # fmt: skip
_FOREIGN_CODES: tuple[str, ...] = tuple(_FOREIGN_NATIONALITIES)
# Foreign passport numbers here are two letters and seven digits; not E or G first, which Chinese passports use.
_FOREIGN_PASSPORT_FIRST = "ABCDFHIJKLMNOPQRSTUVWXYZ"
_OTHER_TAX_JURISDICTIONS: tuple[str, ...] = ("US", "HK", "SG", "GB", "CA", "AU")

_PLACE_MARKERS: tuple[str, ...] = ("示例", "演示", "测试", "样例")
_ROADS: tuple[str, ...] = ("样例路", "示例街", "演示大道", "测试巷", "样例中路", "示例东路")
_INDUSTRIES: tuple[str, ...] = ("科技", "贸易", "物流", "餐饮管理", "建筑工程", "电子", "文化传媒", "咨询")
_EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.net", "example.org")
# Prefixes of the three big carriers that phonenumbers validates as CN mobile numbers.
_MOBILE_PREFIXES: tuple[str, ...] = tuple(
    str(p) for p in (*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159, 177, *range(180, 190), 199)
)
# Half-width punctuation, no spaces between Han characters: generated values are already in the normaliser's
# canonical form (its NFKC turns "，" into ",").
_NOTES: tuple[str, ...] = ("演示数据(非真实客户)", "示例备注:客户偏好短信联系", "测试记录,请勿外呼")

_IMMIGRATION = "中华人民共和国国家移民管理局"


_T = TypeVar("_T")


# rng.choice / randrange / randint reject-sample through getrandbits; one rng.random() is about three times
# as fast, and for ranges this small (under 2**24) its bias is below 2**-29. Needed for a million customers.
def _pick(rng: random.Random, items: Sequence[_T]) -> _T:
    return items[int(rng.random() * len(items))]


def _below(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)


def _between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


@dataclass(frozen=True)
class _Weighted:
    """A fixed weighted choice, drawn with one rng.random() and a bisect (rng.choices is slower)."""

    values: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, float]]) -> _Weighted:
        return cls(tuple(v for v, _ in pairs), tuple(accumulate(w for _, w in pairs)))

    def draw(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


_ID_TYPE = _Weighted.of(
    [("resident_id", 90), ("passport", 6), ("hk_macau_permit", 1.5), ("taiwan_permit", 1),
     ("foreign_permanent_resident", 1.5)]
)  # fmt: skip
_ETHNICITY = _Weighted.of(
    [("01", 91.5)]
    # the larger minorities (壮 回 满 维吾尔 苗 彝 土家 藏 蒙古) more often than the rest
    + [(code, 0.7) for code in ("08", "03", "11", "05", "06", "07", "15", "04", "02")]
    + [(f"{n:02d}", 0.05) for n in range(2, 57)]
)
_OCCUPATION_WORKING_AGE = _Weighted.of(
    [
        ("clerk", 24), ("commerce_service", 18), ("professional", 14), ("production", 12), ("freelancer", 8),
        ("civil_servant", 6), ("agriculture", 5), ("unemployed", 4), ("other", 4), ("military", 1),
        ("student", 2), ("retired", 2),
    ]
)  # fmt: skip
_OCCUPATION_YOUNG = _Weighted.of(
    [("student", 45), ("clerk", 20), ("commerce_service", 15), ("freelancer", 8), ("production", 6),
     ("unemployed", 4), ("military", 2)]
)  # fmt: skip
_OCCUPATION_OLD = _Weighted.of([("retired", 80), ("freelancer", 5), ("agriculture", 5), ("other", 5), ("clerk", 5)])
_INCOME: dict[str, _Weighted] = {
    "student": _Weighted.of([("lt_50k", 95), ("50k_100k", 5)]),
    "retired": _Weighted.of([("lt_50k", 55), ("50k_100k", 35), ("100k_300k", 10)]),
    "unemployed": _Weighted.of([("lt_50k", 100)]),
    "agriculture": _Weighted.of([("lt_50k", 70), ("50k_100k", 30)]),
    "professional": _Weighted.of([("100k_300k", 50), ("300k_1m", 35), ("gt_1m", 10), ("50k_100k", 5)]),
    "": _Weighted.of([("lt_50k", 25), ("50k_100k", 40), ("100k_300k", 28), ("300k_1m", 6), ("gt_1m", 1)]),
}
_EMPLOYER_KIND: dict[str, str] = {
    "civil_servant": "{m}市{n}局",
    "professional": "{m}{p}",
    "military": "{m}部队",
    "agriculture": "{m}农业专业合作社",
    "freelancer": "{m}工作室",
    "other": "{m}服务中心",
}
_PROFESSIONAL_EMPLOYERS: tuple[str, ...] = ("律师事务所", "会计师事务所", "医院", "设计研究院", "大学")
_BUREAUS: tuple[str, ...] = ("税务", "教育", "交通运输", "市场监督管理", "统计")


class _Numbering(Protocol):
    def take(self, kind: str, variant: int, high: int, low: int) -> tuple[int, int] | None:
        """A pair in [0, high) x [0, low) for a `kind` number; None when (kind, variant) has none left."""


class _RandomNumbering:
    """Independent random pairs: what a single generate_customer() call uses."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def take(self, kind: str, variant: int, high: int, low: int) -> tuple[int, int] | None:
        return _below(self._rng, high), _below(self._rng, low)


_MASK64 = (1 << 64) - 1


def _mix(x: int, key: int) -> int:
    # A splitmix-style integer mixer: any function works as a Feistel round; this one just looks random.
    x = ((x ^ key) * 0x9E3779B97F4A7C15) & _MASK64
    return x ^ (x >> 29)


def _scramble(index: int, high: int, low: int, keys: Sequence[int]) -> tuple[int, int]:
    """A keyed bijection of [0, high*low) onto [0, high) x [0, low): distinct indexes give distinct pairs.

    Each round adds a function of one half to the other half modulo its own range (a mixed-radix Feistel
    network), so it is invertible for any range sizes and needs no cycle-walking.
    """
    left, right = divmod(index, low)
    for k0, k1 in zip(keys[0::2], keys[1::2], strict=True):
        left = (left + _mix(right, k0)) % high
        right = (right + _mix(left, k1)) % low
    return left, right


class _UniqueNumbering:
    """Pairs that never repeat for one (kind, variant) within a run: a counter through a keyed bijection."""

    def __init__(self, rng: random.Random) -> None:
        self._keys = tuple(rng.getrandbits(64) for _ in range(6))
        self._counters: dict[tuple[str, int], int] = {}

    def take(self, kind: str, variant: int, high: int, low: int) -> tuple[int, int] | None:
        counter = (kind, variant)
        index = self._counters.get(counter, 0)
        if index >= high * low:
            return None
        self._counters[counter] = index + 1
        # A different bijection per (kind, variant), so the first numbers of each do not all look alike.
        salt = _mix(variant, zlib.crc32(kind.encode()))
        return _scramble(index, high, low, [k ^ salt for k in self._keys])


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (or earlier); 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day` for someone born on `birth_date`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def resident_id_term(age_at_issue: int) -> int | None:
    """Years a resident ID issued at this age is valid for (Resident Identity Card Law, art. 5); None: 长期."""
    if age_at_issue < 16:
        return 5
    if age_at_issue <= 25:
        return 10
    if age_at_issue <= 45:
        return 20
    return None


def _resident_id(region: str, birth_date: date, sequence: int) -> str:
    body = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return body + gb11643_check_char(body)


def resident_id_number(rng: random.Random, birth_date: date, sex: str) -> str:
    """A resident ID number stdnum.cn.ric accepts, for this birth date and sex ("M": odd 17th digit)."""
    sequence = _below(rng, 500) * 2 + (1 if sex == "M" else 0)
    return _resident_id(_pick(rng, _REGION_CODES), birth_date, sequence)


# Share of adult customers by age band (first age, last age, weight): younger than a uniform spread, so a
# demo list is not a third pensioners.
_AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (18, 24, 12), (25, 34, 22), (35, 44, 20), (45, 54, 18), (55, 64, 14), (65, 74, 9), (75, MAX_AGE, 5),
)  # fmt: skip


@dataclass(frozen=True)
class _Dates:
    """Birth dates for one `today`, ages MIN_AGE to MAX_AGE, as day numbers counted from the earliest."""

    today: date
    earliest: date
    bands: tuple[tuple[int, int], ...]  # (first day, number of days) of each _AGE_BANDS band
    cumulative: tuple[float, ...]

    @classmethod
    def for_today(cls, today: date) -> _Dates:
        earliest = add_years(today, -(MAX_AGE + 1)) + timedelta(days=1)
        bands = []
        for first_age, last_age, _ in _AGE_BANDS:
            first = add_years(today, -(last_age + 1)) + timedelta(days=1)
            last = add_years(today, -first_age)
            bands.append(((first - earliest).days, (last - first).days + 1))
        return cls(today, earliest, tuple(bands), tuple(accumulate(w for _, _, w in _AGE_BANDS)))

    def birth_day(self, rng: random.Random) -> int:
        """A day number drawn by the age-band weights."""
        first, days = self.bands[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]
        return first + _below(rng, days)

    def birth_date(self, day: int) -> date:
        """The date of a day number."""
        return self.earliest + timedelta(days=day)


def _unique_birth(
    rng: random.Random, dates: _Dates, numbers: _Numbering, kind: str, variant: int, size: tuple[int, int]
) -> tuple[date, int]:
    """A birth date and an order number in [0, high*low) that no earlier `kind` number of that date and
    variant has; a date whose order numbers are used up is drawn again."""
    high, low = size
    for _ in range(1000):
        day = dates.birth_day(rng)
        pair = numbers.take(kind, day * 4 + variant, high, low)
        if pair is not None:
            return dates.birth_date(day), pair[0] * low + pair[1]
    raise ValueError(f"too many synthetic {kind} numbers requested in one run")


def _document_term(id_type: str, age_at_issue: int) -> int | None:
    """Years a document issued at this age is valid for; None means long-term."""
    if id_type == "resident_id":
        return resident_id_term(age_at_issue)
    if id_type == "taiwan_permit":
        return 5
    if id_type == "passport":
        return 5 if age_at_issue < 16 else 10
    return 5 if age_at_issue < 18 else 10  # hk_macau_permit, foreign_permanent_resident


def _validity(rng: random.Random, today: date, birth_date: date, id_type: str) -> tuple[date, str]:
    """(valid from, valid until) for a document issued since its holder turned 16 and still valid after today."""
    lower = max(add_years(birth_date, 16), add_years(today, -20))
    for _ in range(8):
        valid_from = lower + timedelta(days=_below(rng, (today - lower).days))
        valid_until = _valid_until(id_type, birth_date, valid_from)
        if valid_until is None:
            return valid_from, LONG_TERM
        if valid_until > today:
            return valid_from, valid_until.isoformat()
    # Unlucky draws: a document issued within the last 300 days to an adult is valid for at least five years.
    valid_from = today - timedelta(days=_between(rng, 1, 300))
    valid_until = _valid_until(id_type, birth_date, valid_from)
    return valid_from, LONG_TERM if valid_until is None else valid_until.isoformat()


def _valid_until(id_type: str, birth_date: date, valid_from: date) -> date | None:
    term = _document_term(id_type, age_on(birth_date, valid_from))
    if term is None:
        return None
    # A resident ID runs to the same calendar day; travel documents to the day before.
    until = add_years(valid_from, term)
    return until if id_type == "resident_id" else until - timedelta(days=1)


def _chinese_name(rng: random.Random, sex: str) -> tuple[str, str]:
    surname = _pick(rng, _SURNAME_KEYS)
    marker = _pick(rng, _MARKER_KEYS)
    given, given_pinyin = marker, _MARKERS[marker]
    shape = rng.random()
    if shape >= 0.4:
        pool = _GIVEN_MALE if sex == "M" else _GIVEN_FEMALE
        char = _pick(rng, _GIVEN_MALE_KEYS if sex == "M" else _GIVEN_FEMALE_KEYS)
        if shape < 0.8:
            given, given_pinyin = given + char, given_pinyin + pool[char]
        else:
            given, given_pinyin = char + given, pool[char] + given_pinyin
    return surname + given, f"{_SURNAMES[surname]} {given_pinyin}"


_SURNAME_KEYS: tuple[str, ...] = tuple(_SURNAMES)
_MARKER_KEYS: tuple[str, ...] = tuple(_MARKERS)
_GIVEN_MALE_KEYS: tuple[str, ...] = tuple(_GIVEN_MALE)
_GIVEN_FEMALE_KEYS: tuple[str, ...] = tuple(_GIVEN_FEMALE)


def _foreign_name(rng: random.Random, sex: str) -> tuple[str, str]:
    given_zh, given_latin = _pick(rng, _FOREIGN_MALE if sex == "M" else _FOREIGN_FEMALE)
    marker_zh, marker_latin = _pick(rng, _FOREIGN_MARKERS)
    return f"{given_zh}·{marker_zh}", f"{marker_latin} {given_latin}"


def _address(rng: random.Random) -> str:
    m = _PLACE_MARKERS
    address = f"{_pick(rng, m)}省{_pick(rng, m)}市{_pick(rng, m)}区{_pick(rng, _ROADS)} {_between(rng, 1, 999)} 号"
    if rng.random() < 0.6:
        address += (
            f" {_between(rng, 1, 30)} 栋 {_between(rng, 1, 6)} 单元 {_between(rng, 1, 32)}{_between(rng, 1, 4):02d} 室"
        )
    return address


def _occupation(rng: random.Random, age: int) -> str:
    if age < 23:
        return _OCCUPATION_YOUNG.draw(rng)
    if age >= 63:
        return _OCCUPATION_OLD.draw(rng)
    return _OCCUPATION_WORKING_AGE.draw(rng)


def _employer(rng: random.Random, occupation: str) -> str:
    if occupation in ("student", "retired", "unemployed"):
        return ""
    marker = _pick(rng, _PLACE_MARKERS)
    pattern = _EMPLOYER_KIND.get(occupation)
    if pattern is None:
        return f"{marker}{_pick(rng, _INDUSTRIES)}有限公司"
    return pattern.format(m=marker, n=_pick(rng, _BUREAUS), p=_pick(rng, _PROFESSIONAL_EMPLOYERS))


def _foreign_tin(rng: random.Random, jurisdiction: str) -> str:
    if jurisdiction == "US":
        # 987-65-4320..4329: the SSN block the US Social Security Administration reserves for advertisements.
        return f"987-65-432{_below(rng, 10)}"
    return f"{_between(rng, 100, 999)}-{_between(rng, 10, 99)}-{_between(rng, 1000, 9999)}"


def _take(numbers: _Numbering, kind: str, high: int, low: int) -> tuple[int, int]:
    pair = numbers.take(kind, 0, high, low)
    if pair is None:
        raise ValueError(f"more than {high * low:,} synthetic {kind} numbers requested in one run")
    return pair


def _customer(rng: random.Random, dates: _Dates, numbers: _Numbering) -> dict[str, str]:
    id_type = _ID_TYPE.draw(rng)
    nationality = "CHN"
    ethnicity = ""
    if id_type == "resident_id":
        # The order code makes the number unique: counted per birth date and sex (odd: male).
        sex = "M" if rng.random() < 0.5 else "F"
        male = sex == "M"
        birth_date, order = _unique_birth(rng, dates, numbers, id_type, int(male), (20, 25))
        id_number = _resident_id(_pick(rng, _REGION_CODES), birth_date, order * 2 + int(male))
        ethnicity = _ETHNICITY.draw(rng)
        district = _pick(rng, _PLACE_MARKERS)
        authority = f"{_pick(rng, _PLACE_MARKERS)}市公安局{district}分局"
    else:
        birth_date = dates.birth_date(dates.birth_day(rng))
        sex = "M" if rng.random() < 0.5 else "F"
        authority = _IMMIGRATION
        if id_type == "passport":
            if rng.random() < 0.35:
                high, low = _take(numbers, "passport_chn", 10_000, 10_000)
                id_number = f"E{high:04d}{low:04d}"
            else:
                nationality = _pick(rng, _FOREIGN_CODES)
                letters, digits = _take(numbers, "passport_foreign", 24 * 26, 10_000_000)
                id_number = f"{_FOREIGN_PASSPORT_FIRST[letters // 26]}{chr(65 + letters % 26)}{digits:07d}"
                authority = f"{_FOREIGN_NATIONALITIES[nationality][2]}护照签发机关"
        elif id_type == "hk_macau_permit":
            high, low = _take(numbers, id_type, 20_000, 10_000)
            id_number = f"{'H' if high < 10_000 else 'M'}{high % 10_000:04d}{low:04d}"
        elif id_type == "taiwan_permit":
            high, low = _take(numbers, id_type, 10_000, 10_000)
            id_number = f"{high:04d}{low:04d}"
        else:
            nationality = _pick(rng, _FOREIGN_CODES)
            province = _pick(rng, _PROVINCE_CODES)
            if rng.random() < 0.8:
                # The 2023 card: 9, province, ISO numeric nationality, birth date, order code (odd: male), check.
                male = sex == "M"
                birth_date, order = _unique_birth(rng, dates, numbers, "fpr_2023", int(male), (20, 25))
                numeric = _FOREIGN_NATIONALITIES[nationality][0]
                body = f"9{province}{numeric}{birth_date:%Y%m%d}{order * 2 + int(male):03d}"
                id_number = body + gb11643_check_char(body)
            else:
                # The 2004 card: alpha-3 nationality, province, YYMMDD birth date, four-digit order number.
                birth_date, order = _unique_birth(rng, dates, numbers, "fpr_2004", 0, (100, 100))
                id_number = f"{nationality}{province}{birth_date:%y%m%d}{order:04d}"
    valid_from, valid_until = _validity(rng, dates.today, birth_date, id_type)
    if nationality == "CHN":
        name, name_pinyin = _chinese_name(rng, sex)
    else:
        name, name_pinyin = _foreign_name(rng, sex)
    age = age_on(birth_date, dates.today)
    occupation = _occupation(rng, age)
    income = _INCOME.get(occupation, _INCOME[""]).draw(rng)
    email = ""
    if rng.random() < 0.6:
        surname_latin, _, given_latin = name_pinyin.partition(" ")
        email = f"{given_latin.lower()}.{surname_latin.lower()}{_between(rng, 1, 9999)}@{_pick(rng, _EMAIL_DOMAINS)}"
    tax_residency, jurisdictions, tin = "cn_only", "", ""
    if rng.random() < (0.30 if nationality in _FOREIGN_NATIONALITIES else 0.04):
        tax_residency = "cn_and_other"
        foreign = _FOREIGN_NATIONALITIES.get(nationality)
        jurisdictions = foreign[1] if foreign else _pick(rng, _OTHER_TAX_JURISDICTIONS)
        tin = _foreign_tin(rng, jurisdictions)
    return {
        "name": name,
        "name_pinyin": name_pinyin,
        "sex": sex,
        "ethnicity": ethnicity,
        "birth_date": birth_date.isoformat(),
        "nationality": nationality,
        "id_type": id_type,
        "id_number": id_number,
        "issuing_authority": authority,
        "id_valid_from": valid_from.isoformat(),
        "id_valid_until": valid_until,
        "address": _address(rng),
        "postal_code": f"{_between(rng, 10, 85)}{_below(rng, 100):02d}00",
        "mobile": f"{_pick(rng, _MOBILE_PREFIXES)}00{_below(rng, 1_000_000):06d}",
        "email": email,
        "occupation": occupation,
        "employer": _employer(rng, occupation),
        "annual_income_band": income,
        "tax_residency": tax_residency,
        "tax_jurisdictions": jurisdictions,
        "foreign_tin": tin,
        "risk_level": _risk_level(id_number, tax_residency),
        "notes": _pick(rng, _NOTES) if rng.random() < 0.03 else "",
    }


def _risk_level(id_number: str, tax_residency: str) -> str:
    """A plausible rating spread (most customers low) derived from the number, not drawn from the generator:
    drawing would shift every later value of a seeded batch."""
    if tax_residency != "cn_only":
        return "high" if zlib.crc32(id_number.encode()) % 3 == 0 else "medium"
    bucket = zlib.crc32(id_number.encode()) % 10
    return "high" if bucket == 0 else "medium" if bucket < 4 else "low"


def generate_customer(rng: random.Random, today: date) -> dict[str, str]:
    """One synthetic customer as form values (every CUSTOMER_FIELDS key, all strings), valid on `today`.

    Numbers are random, not guaranteed unique across calls; use generate_customers() for a unique batch.
    """
    return _customer(rng, _Dates.for_today(today), _RandomNumbering(rng))


def generate_customers(n: int, seed: int = 0, today: date | None = None) -> Iterator[dict[str, str]]:
    """`n` synthetic customers, the same ones for the same seed and `today` (default: date.today()).

    No two share (id_type, id_number) within one call.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    dates = _Dates.for_today(today or date.today())
    numbers = _UniqueNumbering(rng)
    for _ in range(n):
        yield _customer(rng, dates, numbers)
