"""The number rules of each ID document a customer may present.

- resident_id: GB 11643-1999 citizen identity number (18 characters: region, birth date, sequence, check).
- passport: Chinese passports E + 8 digits, E + letter + 7 digits, or G + 8 digits; others 5-17 letters/digits.
- hk_macau_permit: H or M + 8 digits (older cards: + 10 digits).
- taiwan_permit: 8 digits (older cards: 10).
- foreign_permanent_resident: 2004 card, 3 letters + 12 digits; 2023 card, 18 digits starting with 9 and
  checked like a resident ID (MOD 11-2).

Numbers are expected normalised (no spaces or hyphens, upper case), as the normaliser leaves them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stdnum import numdb
from stdnum.cn import ric

from desktop_app.domain.text import Text

Problem = tuple[str, Text]
"""(code, message)"""


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"
    PASSPORT = "passport"
    HK_MACAU_PERMIT = "hk_macau_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"


class IdNumberError(ValueError):
    """An ID number that breaks its document's rules; `code` says which rule."""

    def __init__(self, code: str, message_text: Text) -> None:
        super().__init__(message_text.en)
        self.code = code
        self.message_text = message_text

    def as_tuple(self) -> Problem:
        return (self.code, self.message_text)


@dataclass(frozen=True)
class ResidentIdInfo:
    """What a resident ID number says about its holder."""

    region_code: str
    birth_date: date
    sex: str  # "M" or "F"
    region_name: str = ""  # province and county as stdnum's table names them, e.g. "北京市朝阳区"


_SEVENTEEN_DIGITS = re.compile(r"[0-9]{17}")
_RESIDENT_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def gb11643_check_char(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character, "0"-"9" or "X", for 17 digits."""
    if not _SEVENTEEN_DIGITS.fullmatch(first17):
        raise ValueError("a GB 11643 check character needs exactly 17 digits")
    # stdnum computes it from a full 18-character number, ignoring the last character.
    return str(ric.calc_check_digit(first17 + "0"))


def has_gb11643_checksum(number: str) -> bool:
    """True when `number` is 17 digits followed by its correct GB 11643 check character."""
    return bool(_RESIDENT_ID_SHAPE.fullmatch(number)) and gb11643_check_char(number[:17]) == number[17]


@functools.lru_cache(maxsize=8192)  # stdnum walks its whole table on each lookup; codes repeat a lot
def _region_name(code: str) -> str | None:
    """The place a 6-digit administrative division code names in stdnum's table, or None when unknown.

    Any period counts: a code retired after a boundary change stays on the cards it was printed on, and stdnum's
    own ric.validate (which wants the code in force in the holder's birth year) would refuse many real people
    born before their county's code was assigned."""
    parts = numdb.get("cn/loc").info(code)
    if "".join(part for part, _ in parts) != code or "county" not in parts[-1][1]:
        return None
    province = str(parts[0][1].get("province", ""))
    counties = [re.sub(r"^\[[0-9-]*\]", "", c) for c in str(parts[-1][1]["county"]).split(",")]
    county = counties[-1]
    return province if county == province else province + county


def parse_resident_id(number: str) -> ResidentIdInfo:
    """The region, birth date and sex in a valid resident ID number; IdNumberError names the first fault."""
    number = number.strip().upper()
    if len(number) != 18:
        if len(number) == 15 and number.isdigit():
            raise IdNumberError(
                "length",
                Text(
                    zh="这是已停用的15位第一代身份证号码：请客户出示18位的第二代居民身份证。",
                    en="This is a 15-digit first-generation ID number, no longer valid: ask for the 18-digit card.",
                ),
            )
        raise IdNumberError(
            "length",
            Text(
                zh=f"居民身份证号码应为18位，现为{len(number)}位：请对照证件重新录入。",
                en=f"A resident ID number has 18 characters, this one has {len(number)}: re-enter it from the card.",
            ),
        )
    if not _RESIDENT_ID_SHAPE.fullmatch(number):
        raise IdNumberError(
            "format",
            Text(
                zh="居民身份证号码前17位应为数字，最后一位为数字或X：请对照证件重新录入。",
                en="A resident ID number is 17 digits and a final digit or X: re-enter it from the card.",
            ),
        )
    if not has_gb11643_checksum(number):
        raise IdNumberError(
            "checksum",
            Text(
                zh="居民身份证号码校验位不符，号码中有录入错误：请逐位对照证件核对。",
                en="The check character does not match, so a character is mistyped: compare each one with the card.",
            ),
        )
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(
            "invalid_birth_date",
            Text(
                zh="号码中的出生日期（第7-14位）不是有效日期：请对照证件核对号码。",
                en="The birth date in the number (characters 7-14) is not a real date: check the number on the card.",
            ),
        ) from None
    region = _region_name(number[:6])
    if region is None:
        raise IdNumberError(
            "region",
            Text(
                zh=f"号码前6位地址码{number[:6]}不是已知的行政区划代码：请对照证件核对号码。",
                en=f"The first six digits ({number[:6]}) are not a known region code: check the number on the card.",
            ),
        )
    sex = "M" if int(number[16]) % 2 else "F"
    return ResidentIdInfo(region_code=number[:6], birth_date=birth, sex=sex, region_name=region)


_CN_PASSPORT = re.compile(r"E[0-9]{8}|E[A-Z][0-9]{7}|G[0-9]{8}")
_OTHER_PASSPORT = re.compile(r"[A-Z0-9]{5,17}")
_HK_MACAU_PERMIT = re.compile(r"[HM]([0-9]{8}|[0-9]{10})")
_TAIWAN_PERMIT = re.compile(r"[0-9]{8}|[0-9]{10}")
_FPR_2004 = re.compile(r"[A-Z]{3}[0-9]{12}")
_FPR_2023 = re.compile(r"9[0-9]{16}[0-9X]")


def _passport_problems(number: str, nationality: str | None) -> list[Problem]:
    chinese = bool(_CN_PASSPORT.fullmatch(number))
    if nationality == "CHN":
        if chinese:
            return []
        return [
            (
                "format",
                Text(
                    zh="中国护照号码应为E加8位数字、E加1个字母和7位数字，或G加8位数字：请对照护照重新录入。",
                    en="A Chinese passport number is E + 8 digits, E + a letter + 7 digits, or G + 8 digits: "
                    "re-enter it from the passport.",
                ),
            )
        ]
    if chinese or _OTHER_PASSPORT.fullmatch(number):
        return []
    return [
        (
            "format",
            Text(
                zh="护照号码应为5至17位字母或数字：请对照护照重新录入。",
                en="A passport number is 5 to 17 letters or digits: re-enter it from the passport.",
            ),
        )
    ]


def _foreign_permanent_resident_problems(number: str) -> list[Problem]:
    if _FPR_2004.fullmatch(number):
        return []
    if _FPR_2023.fullmatch(number):
        if has_gb11643_checksum(number):
            return []
        return [
            (
                "checksum",
                Text(
                    zh="永久居留身份证号码校验位不符，号码中有录入错误：请逐位对照证件核对。",
                    en="The check character does not match, so a character is mistyped: compare each one with the "
                    "card.",
                ),
            )
        ]
    return [
        (
            "format",
            Text(
                zh="外国人永久居留身份证号码应为3个字母加12位数字（旧版），或以9开头的18位号码（2023年版）：请对照证件重新录入。",
                en="A foreign permanent resident ID number is 3 letters + 12 digits (older card) or 18 characters "
                "starting with 9 (2023 card): re-enter it from the card.",
            ),
        )
    ]


def id_number_problems(id_type: IdType, number: str, *, nationality: str | None = None) -> list[Problem]:
    """What is wrong with `number` as a number of this document type; [] when it is valid.

    `nationality` (ISO alpha-3) decides which passport format applies; None accepts either."""
    number = number.strip().upper()
    if id_type is IdType.RESIDENT_ID:
        try:
            parse_resident_id(number)
        except IdNumberError as error:
            return [error.as_tuple()]
        return []
    if id_type is IdType.PASSPORT:
        return _passport_problems(number, nationality)
    if id_type is IdType.HK_MACAU_PERMIT:
        if _HK_MACAU_PERMIT.fullmatch(number):
            return []
        return [
            (
                "format",
                Text(
                    zh="港澳居民来往内地通行证号码应为H或M加8位数字（旧证为10位数字）：请对照证件重新录入。",
                    en="A Hong Kong/Macao permit number is H or M + 8 digits (older cards: 10 digits): "
                    "re-enter it from the permit.",
                ),
            )
        ]
    if id_type is IdType.TAIWAN_PERMIT:
        if _TAIWAN_PERMIT.fullmatch(number):
            return []
        return [
            (
                "format",
                Text(
                    zh="台湾居民来往大陆通行证号码应为8位数字（旧证为10位）：请对照证件重新录入。",
                    en="A Taiwan permit number is 8 digits (older cards: 10): re-enter it from the permit.",
                ),
            )
        ]
    return _foreign_permanent_resident_problems(number)
