"""What the documents of the family say: holders, addresses, authorities, validity, and MRZ data.

Nothing here is real personal data: names are random draws from pools of common characters (and of Latin name
words), addresses random places under real province names, ID numbers well formed (GB 11643 check character,
birth date, sex) from desktop_app.domain.synthetic. The variation is what real documents show and a reader
must take: one- and two-character given names, compound surnames, minority names with "·" (阿依古丽·买买提),
every ethnic group, addresses of one to three printed lines ending in 号, 室, 组 or 村, long-term (长期)
validity, MRZ names too long for their field (truncated there), TD1 codes ID, I<, IR, AC and C<, optional data
fields filled and empty, sex X, and the issuing states whose codes are not three letters (D for Germany).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.domain.choices import ETHNICITIES
from desktop_app.domain.synthetic import LONG_TERM, add_years, age_on, resident_id_number, resident_id_term

TODAY = date(2025, 1, 1)  # a fixed "today": a seed gives the same documents on any day
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"

# -- Chinese names, with the pinyin a passport prints ------------------------------------------------------------

_SURNAMES = (
    "王WANG 李LI 张ZHANG 刘LIU 陈CHEN 杨YANG 黄HUANG 赵ZHAO 吴WU 周ZHOU 徐XU 孙SUN 马MA 朱ZHU 胡HU 郭GUO "
    "何HE 林LIN 罗LUO 高GAO 郑ZHENG 梁LIANG 谢XIE 宋SONG 唐TANG 许XU 韩HAN 冯FENG 邓DENG 曹CAO 彭PENG "
    "曾ZENG 肖XIAO 田TIAN 董DONG 潘PAN 袁YUAN 蔡CAI 蒋JIANG 余YU 于YU 杜DU 叶YE 程CHENG 魏WEI 苏SU 吕LYU "
    "丁DING 任REN 卢LU 姚YAO 沈SHEN 钟ZHONG 姜JIANG 崔CUI 谭TAN 陆LU 范FAN 汪WANG 廖LIAO 石SHI 金JIN 韦WEI "
    "贾JIA 夏XIA 付FU 方FANG 邹ZOU 熊XIONG 白BAI 孟MENG 秦QIN 邱QIU 侯HOU 江JIANG 尹YIN 薛XUE 闫YAN 段DUAN "
    "雷LEI 龙LONG 黎LI 史SHI 陶TAO 贺HE 毛MAO 郝HAO 顾GU 龚GONG 邵SHAO 万WAN 覃QIN 武WU 钱QIAN 戴DAI 严YAN "
    "欧阳OUYANG 司马SIMA 诸葛ZHUGE 上官SHANGGUAN 东方DONGFANG 皇甫HUANGFU"
)
_GIVEN = (
    "伟WEI 芳FANG 娜NA 敏MIN 静JING 丽LI 强QIANG 磊LEI 军JUN 洋YANG 勇YONG 艳YAN 杰JIE 娟JUAN 涛TAO 明MING "
    "超CHAO 秀XIU 霞XIA 平PING 刚GANG 桂GUI 英YING 华HUA 玉YU 兰LAN 萍PING 红HONG 鹏PENG 辉HUI 建JIAN 国GUO "
    "文WEN 林LIN 宇YU 浩HAO 俊JUN 晨CHEN 欣XIN 怡YI 梓ZI 涵HAN 轩XUAN 博BO 睿RUI 思SI 雨YU 嘉JIA 子ZI "
    "瑞RUI 峰FENG 斌BIN 波BO 宁NING 凯KAI 琳LIN 婷TING 雪XUE 慧HUI 颖YING 倩QIAN 佳JIA 晓XIAO 志ZHI 海HAI "
    "春CHUN 东DONG 荣RONG 新XIN 亮LIANG 成CHENG 立LI 永YONG 德DE 福FU 生SHENG 祥XIANG 燕YAN 莉LI 琴QIN "
    "云YUN 凤FENG 洁JIE 梅MEI 丹DAN 晶JING 婧JING 璐LU 昊HAO 泽ZE 铭MING 航HANG 旭XU 阳YANG 帆FAN 楠NAN "
    "诗SHI 彤TONG 悦YUE 璇XUAN 鑫XIN 毅YI 翔XIANG 坤KUN 飞FEI 龙LONG 松SONG 山SHAN 玲LING 蓉RONG 薇WEI"
)
# Syllables of transliterated minority names (Uyghur, Kazakh, Tajik and others), joined within a part.
_TRANSLITERATION = (
    "阿A 依YI 古GU 丽LI 买MAI 提TI 艾AI 力LI 吐TU 尔ER 逊XUN 热RE 合HE 曼MAN 努NU 巴BA 哈HA 再ZAI 娜NA 迪DI "
    "拉LA 米MI 克KE 木MU 斯SI 坎KAN 布BU 帕PA 夏XIA 玛MA 扎ZA 西XI 多DUO 吉JI 卓ZHUO 格GE 桑SANG 次CI "
    "仁REN 达DA 瓦WA 旦DAN 增ZENG 别BIE 孜ZI 汗HAN 江JIANG 沙SHA 图TU 库KU 赛SAI 尼NI 亚YA 穆MU 罕HAN 默MO"
)


def _pairs(text: str) -> list[tuple[str, str]]:
    out = []
    for item in text.split():
        split = next(i for i, ch in enumerate(item) if ch.isascii())
        out.append((item[:split], item[split:]))
    return out


SURNAMES = _pairs(_SURNAMES)
GIVEN_CHARS = _pairs(_GIVEN)
TRANSLITERATION = _pairs(_TRANSLITERATION)

ETHNIC_SHORT: dict[str, str] = {c.value: c.label_text.zh.removesuffix("族") for c in ETHNICITIES}
# Groups whose names are commonly transliterated in parts joined by "·".
_DOTTED_NAME_GROUPS = ("05", "17", "29", "41", "43", "44", "50", "26", "35", "47")


@dataclass(frozen=True)
class ChineseName:
    text: str  # as printed: 王芳, 欧阳子涵, 阿依古丽·买买提
    surname_latin: str  # pinyin, MRZ letters
    given_latin: str


def han_name(rng: random.Random) -> ChineseName:
    """A Han-style name: a surname (some compound) and one to three given characters."""
    surname, s_latin = rng.choice(SURNAMES)
    length = rng.choices((1, 2, 3), weights=(30, 66, 4))[0]
    chars = [rng.choice(GIVEN_CHARS) for _ in range(length)]
    return ChineseName(surname + "".join(c for c, _ in chars), s_latin, "".join(p for _, p in chars))


def dotted_name(rng: random.Random) -> ChineseName:
    """A transliterated name in two (rarely three) parts joined by "·", 5 to 15 characters in all."""
    while True:
        parts = [
            [rng.choice(TRANSLITERATION) for _ in range(rng.randint(2, 5))] for _ in range(rng.choice((2, 2, 2, 3)))
        ]
        if sum(map(len, parts)) + len(parts) - 1 <= 15:
            break
    texts = ["".join(c for c, _ in part) for part in parts]
    latins = ["".join(p for _, p in part) for part in parts]
    return ChineseName("·".join(texts), latins[-1], " ".join(latins[:-1]))


def chinese_name(rng: random.Random, ethnicity: str) -> ChineseName:
    if ethnicity in _DOTTED_NAME_GROUPS and rng.random() < 0.8:
        return dotted_name(rng)
    return han_name(rng)


def ethnicity_code(rng: random.Random) -> str:
    """Han for half the holders, the other 55 groups evenly for the rest (every name must be read)."""
    return "01" if rng.random() < 0.5 else rng.choice([c.value for c in ETHNICITIES if c.value != "01"])


# -- addresses and authorities -----------------------------------------------------------------------------------

_PROVINCES = (
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
)
# Characters of made-up place names (two drawn per name), so no address is a real place.
_PLACE_CHARS = "安宁平昌和兴隆丰泰华东西南北新永清河山城阳春桥台石岭林湖江云溪源德庆福宝长青金沙白"
_ROAD_SUFFIXES = ("路", "街", "大道", "巷", "中路", "东路", "西街", "北路")
_CN_NUMERALS = "一二三四五六七八九十"


def _place(rng: random.Random) -> str:
    return rng.choice(_PLACE_CHARS) + rng.choice(_PLACE_CHARS)


def address(rng: random.Random) -> str:
    """An address as printed on the card (no spaces), of 8 to 33 characters, ending in 号, 室, 组 or 村."""
    ending = rng.choice(("号", "室", "组", "村"))
    province = rng.choice(_PROVINCES)
    head = province if rng.random() < 0.75 else ""
    city = _place(rng) + rng.choice(("市", "县")) if not province.endswith("市") or not head else ""
    district = _place(rng) + rng.choice(("区", "县", "市")) if rng.random() < 0.7 else ""
    if ending in ("号", "室"):
        text = f"{head}{city}{district}{_place(rng)}{rng.choice(_ROAD_SUFFIXES)}{rng.randint(1, 999)}号"
        if ending == "室":
            if rng.random() < 0.5:
                text += f"{rng.randint(1, 40)}栋{rng.randint(1, 8)}单元"
            text += f"{rng.randint(1, 33)}{rng.randint(1, 6):02d}室"
        return text
    village = f"{_place(rng)}{rng.choice(('乡', '镇'))}{_place(rng)}村"
    if ending == "村":
        return f"{head}{city}{district}{village}"
    team = str(rng.randint(1, 12)) if rng.random() < 0.6 else rng.choice(_CN_NUMERALS)
    return f"{head}{city}{district}{village}{team}组"


def short_address(rng: random.Random) -> str:
    """A one-line address (8 to 11 characters): a village or a street number without the province."""
    while True:
        if rng.random() < 0.5:
            text = f"{_place(rng)}县{_place(rng)}乡{_place(rng)}村"
        else:
            text = f"{_place(rng)}市{_place(rng)}{rng.choice(('路', '街'))}{rng.randint(1, 99)}号"
        if len(text) <= 11:
            return text


def issuing_authority(rng: random.Random) -> str:
    """A police authority: 安平市公安局, 河山县公安局, 兴隆市公安局东城分局 (7 to 15 characters)."""
    place = _place(rng)
    kind = rng.random()
    if kind < 0.35:
        return f"{place}{rng.choice(('市', '县'))}公安局"
    if kind < 0.9:
        return f"{place}市公安局{_place(rng)}分局"
    return f"{place}{rng.choice(('自治州', '地区'))}公安局{_place(rng)}{rng.choice(('分局', '县局'))}"


# -- the resident ID card ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentCard:
    name: ChineseName
    sex: str  # M / F
    ethnicity: str  # code "01".."56"
    birth_date: date
    address: str
    id_number: str
    issuing_authority: str
    valid_from: date
    valid_until: date | None  # None: 长期


def resident_card(rng: random.Random, today: date = TODAY) -> ResidentCard:
    """A resident ID card holder: age 16 to 90, card issued in the last 20 years and valid on `today`."""
    birth = today - timedelta(days=rng.randint(16 * 365 + 5, 90 * 365))
    sex = rng.choice("MF")
    ethnicity = ethnicity_code(rng)
    # A quarter of the holders were 46 or older when their card was issued: 长期 (long-term) cards.
    for _ in range(50):
        valid_from = today - timedelta(days=rng.randint(1, 20 * 365))
        if valid_from < add_years(birth, 16):
            continue
        term = resident_id_term(age_on(birth, valid_from))
        until = None if term is None else add_years(valid_from, term)
        if until is None or until > today:
            break
    else:
        valid_from = today - timedelta(days=rng.randint(1, 300))
        term = resident_id_term(age_on(birth, valid_from))
        until = None if term is None else add_years(valid_from, term)
    lines = rng.choices((1, 2, 3), weights=(15, 50, 35))[0]
    return ResidentCard(
        name=chinese_name(rng, ethnicity),
        sex=sex,
        ethnicity=ethnicity,
        birth_date=birth,
        address=short_address(rng) if lines == 1 else address(rng),
        id_number=resident_id_number(rng, birth, sex),
        issuing_authority=issuing_authority(rng),
        valid_from=valid_from,
        valid_until=until,
    )


def valid_until_text(card: ResidentCard) -> str:
    """The truth value of valid_until: ISO date or 长期."""
    return LONG_TERM if card.valid_until is None else card.valid_until.isoformat()


# -- machine-readable documents ----------------------------------------------------------------------------------

# ICAO codes of issuing states and nationalities; D is Germany's (one letter, padded with fillers), UTO the
# ICAO specimen state.
FOREIGN_STATES = ("USA", "GBR", "D", "FRA", "NLD", "ITA", "ESP", "JPN", "KOR", "SGP", "CAN", "AUS", "UTO", "BEL")
_LATIN_SURNAMES = (
    "SMITH", "MUELLER", "SCHMIDT", "MARTIN", "BERNARD", "ROSSI", "GARCIA", "LOPEZ", "TANAKA", "SATO", "KIM",
    "PARK", "TAN", "NGUYEN", "BROWN", "WILSON", "JANSSEN", "DE VRIES", "VAN DER BERG", "DE LA CRUZ",
    "MACDONALD", "OCONNOR", "FERNANDEZ", "KOWALSKI", "PETERS", "DUBOIS", "LEROY", "MORENO", "WAGNER",
    "BECKER", "HOFFMANN", "SCHOLZ", "TAKAHASHI", "WATANABE", "LEE", "CHOI", "ERIKSSON", "NIELSEN",
    "VAN DEN BOSCH-HEERMANS", "MONTGOMERY WHITFIELD", "ABDULRAHMAN AL HASHIMI",
)  # fmt: skip
_LATIN_GIVEN = (
    "ANNA", "MARIA", "JOHN", "DAVID", "PAUL", "PETER", "LUCAS", "EMMA", "SOPHIE", "LAURA", "JAN", "ELENA",
    "YUKI", "HIROSHI", "MIN JUN", "SEO YEON", "WEI LING", "THOMAS", "CLAIRE", "MARCO", "GIULIA", "CARLOS",
    "ISABEL", "OLIVIA", "NOAH", "JEAN PIERRE", "ANNE SOPHIE", "KATARZYNA", "ALEKSANDER", "FREDERIK",
    "CHRISTOPHER", "ALEXANDRA", "MAXIMILIAN", "ELISABETH", "BARTHOLOMEW",
)  # fmt: skip
# Hong Kong / Macau romanisations, for mainland travel permits (C<).
_HK_SURNAMES = ("CHAN", "WONG", "LEUNG", "CHEUNG", "LAU", "LEE", "NG", "HO", "CHEUNG", "TSANG", "KWOK", "YEUNG")
_HK_GIVEN = ("TAI MAN", "SIU MING", "KA YAN", "WING SZE", "CHI KEUNG", "MEI LING", "HOI YIN", "KWOK WAI")


@dataclass(frozen=True)
class MrzData:
    """What a zone encodes (the fields tests/support/mrz_writer.py reads) and what its visual zone prints."""

    document_code: str
    issuing_country: str
    surname: str  # MRZ letters, words separated by spaces (the full name; the zone may hold less)
    given_names: str
    document_number: str
    nationality: str
    birth_date: date
    sex: str  # M, F or X
    expiry_date: date
    issue_date: date
    optional_data: str = ""
    optional_data_2: str = ""  # TD1 line 2
    local_name: str = ""  # the holder's name in Chinese characters (Chinese passports, travel permits)
    authority: str = ""


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(n))


def _alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(LETTERS + DIGITS) for _ in range(n))


def _foreign_name(rng: random.Random) -> tuple[str, str]:
    surname = rng.choice(_LATIN_SURNAMES)
    # Several given names for a third of the holders: with a long surname, more than the zone holds.
    return surname, " ".join(rng.sample(_LATIN_GIVEN, 1 if rng.random() < 0.7 else rng.randint(2, 4)))


def _dates(rng: random.Random, today: date, years: int) -> tuple[date, date, date]:
    """(birth, issue, expiry) for an adult holder of a document valid `years` years and valid on `today`."""
    birth = today - timedelta(days=rng.randint(18 * 365, 85 * 365))
    issue = today - timedelta(days=rng.randint(1, years * 365 - 30))
    return birth, issue, add_years(issue, years) - timedelta(days=1)


def _sex(rng: random.Random, foreign: bool) -> str:
    return "X" if foreign and rng.random() < 0.03 else rng.choice("MF")


def passport(rng: random.Random, today: date = TODAY) -> MrzData:
    """A TD3 passport: Chinese (PO, E/EA numbers, a personal-data field of letters and digits) or foreign (P<)."""
    if rng.random() < 0.45:
        ethnicity = ethnicity_code(rng)
        name = chinese_name(rng, ethnicity)
        birth, issue, expiry = _dates(rng, today, 10)
        number = rng.choice(("E", "EA", "EB", "EC", "ED", "EE", "EG"))
        number += _digits(rng, 9 - len(number))
        return MrzData(
            "PO", "CHN", name.surname_latin, name.given_latin, number, "CHN", birth, rng.choice("MF"), expiry,
            issue, optional_data=_letters(rng, 10) + _alnum(rng, 3) + rng.choice(LETTERS), local_name=name.text,
            authority="国家移民管理局 NIA",
        )  # fmt: skip
    state = rng.choice(FOREIGN_STATES)
    surname, given = _foreign_name(rng)
    birth, issue, expiry = _dates(rng, today, rng.choice((5, 10)))
    number = rng.choice((_letters(rng, 2) + _digits(rng, 7), _alnum(rng, 9), _letters(rng, 1) + _digits(rng, 8)))
    optional = rng.choice(("", "", _digits(rng, rng.randint(6, 14)), _alnum(rng, rng.randint(4, 9))))
    return MrzData(
        "P<", state, surname, given, number, state, birth, _sex(rng, True), expiry, issue, optional_data=optional,
        authority=rng.choice(("MINISTRY OF FOREIGN AFFAIRS", "PASSPORT OFFICE", "AUTHORITY")),
    )  # fmt: skip


TD1_CODES = ("ID", "I<", "IR", "AC", "C<")


def td1_card(rng: random.Random, today: date = TODAY) -> MrzData:
    """A TD1 card: an identity card (ID, I<), residence permit (IR), crew member certificate (AC) or a mainland
    travel permit for Hong Kong and Macau residents (C<), with optional data filled or empty on both lines."""
    code = rng.choice(TD1_CODES)
    birth, issue, expiry = _dates(rng, today, rng.choice((5, 10)))
    if code == "C<":
        surname, given = rng.choice(_HK_SURNAMES), rng.choice(_HK_GIVEN)
        number = rng.choice("HM") + _digits(rng, 8)
        optional = rng.choice(("", _digits(rng, 2) + "<" + _digits(rng, 2)))
        return MrzData(
            code, "CHN", surname, given, number, "CHN", birth, rng.choice("MF"), expiry, issue,
            optional_data=optional, local_name=han_name(rng).text, authority="国家移民管理局 NIA",
        )  # fmt: skip
    state = rng.choice(FOREIGN_STATES)
    nationality = rng.choice(FOREIGN_STATES) if code == "IR" else state
    surname, given = _foreign_name(rng)
    number = rng.choice((_alnum(rng, 9), _letters(rng, 3) + _digits(rng, 6), _digits(rng, 9)))
    optional = rng.choice(("", "", _digits(rng, rng.randint(5, 15)), _alnum(rng, rng.randint(3, 12))))
    optional_2 = rng.choice(("", "", "", _alnum(rng, rng.randint(2, 11))))
    return MrzData(
        code, state, surname, given, number, nationality, birth, _sex(rng, True), expiry, issue,
        optional_data=optional, optional_data_2=optional_2, authority=rng.choice(("CITY HALL", "AUTHORITY")),
    )  # fmt: skip


def td2_document(rng: random.Random, today: date = TODAY) -> MrzData:
    """A TD2 identity document (I<, ID) or a Chinese visa (MRV-B, V<) in a foreigner's name."""
    surname, given = _foreign_name(rng)
    if rng.random() < 0.5:
        state = rng.choice(FOREIGN_STATES)
        birth, issue, expiry = _dates(rng, today, rng.choice((5, 10)))
        return MrzData(
            rng.choice(("I<", "ID")), state, surname, given, rng.choice((_alnum(rng, 9), _digits(rng, 8))), state,
            birth, _sex(rng, True), expiry, issue, optional_data=rng.choice(("", _alnum(rng, rng.randint(2, 7)))),
            authority="AUTHORITY",
        )  # fmt: skip
    birth = today - timedelta(days=rng.randint(18 * 365, 85 * 365))
    issue = today - timedelta(days=rng.randint(0, 300))
    return MrzData(
        "V<", "CHN", surname, given, _letters(rng, 1) + _digits(rng, 8), rng.choice(FOREIGN_STATES), birth,
        _sex(rng, True), issue + timedelta(days=rng.choice((90, 180, 365, 730))), issue,
        optional_data=rng.choice(("", _alnum(rng, 8))), authority="SHILI",
    )  # fmt: skip
