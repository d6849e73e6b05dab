"""Closed lists a form's choice fields may draw on (`choices_from:` in a form file).

- ethnicity: the 56 ethnic groups, GB/T 3304 codes "01".."56".
- nationality: every ISO 3166-1 country from pycountry, by alpha-3 code, China first.
- occupation: the eight major groups of GB/T 6565-2015 plus four situations a bank asks about that the
  standard does not cover: student, retired, unemployed, freelancer.
- income_band: annual income bands in CNY.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

import pycountry

from desktop_app.domain.text import Text


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice field and its labels."""

    value: str
    label_text: Text

    def label(self, lang: str) -> str:
        """The label in `lang` (see `Text.render`)."""
        return self.label_text.render(lang)


# GB/T 3304-1991 order and codes. The English labels are the standard's romanisations, with the usual English
# name added where the romanisation alone would puzzle a reader.
_ETHNIC_GROUPS: tuple[tuple[str, str], ...] = (
    ("汉族", "Han"),
    ("蒙古族", "Mongol"),
    ("回族", "Hui"),
    ("藏族", "Zang (Tibetan)"),
    ("维吾尔族", "Uygur"),
    ("苗族", "Miao"),
    ("彝族", "Yi"),
    ("壮族", "Zhuang"),
    ("布依族", "Buyei"),
    ("朝鲜族", "Chosen (Korean)"),
    ("满族", "Man (Manchu)"),
    ("侗族", "Dong"),
    ("瑶族", "Yao"),
    ("白族", "Bai"),
    ("土家族", "Tujia"),
    ("哈尼族", "Hani"),
    ("哈萨克族", "Kazak"),
    ("傣族", "Dai"),
    ("黎族", "Li"),
    ("傈僳族", "Lisu"),
    ("佤族", "Va"),
    ("畲族", "She"),
    ("高山族", "Gaoshan"),
    ("拉祜族", "Lahu"),
    ("水族", "Sui"),
    ("东乡族", "Dongxiang"),
    ("纳西族", "Naxi"),
    ("景颇族", "Jingpo"),
    ("柯尔克孜族", "Kirgiz"),
    ("土族", "Tu"),
    ("达斡尔族", "Daur"),
    ("仫佬族", "Mulam"),
    ("羌族", "Qiang"),
    ("布朗族", "Blang"),
    ("撒拉族", "Salar"),
    ("毛南族", "Maonan"),
    ("仡佬族", "Gelao"),
    ("锡伯族", "Xibe"),
    ("阿昌族", "Achang"),
    ("普米族", "Pumi"),
    ("塔吉克族", "Tajik"),
    ("怒族", "Nu"),
    ("乌孜别克族", "Uzbek"),
    ("俄罗斯族", "Russ"),
    ("鄂温克族", "Ewenki"),
    ("德昂族", "Deang"),
    ("保安族", "Bonan"),
    ("裕固族", "Yugur"),
    ("京族", "Gin"),
    ("塔塔尔族", "Tatar"),
    ("独龙族", "Derung"),
    ("鄂伦春族", "Oroqen"),
    ("赫哲族", "Hezhen"),
    ("门巴族", "Monba"),
    ("珞巴族", "Lhoba"),
    ("基诺族", "Jino"),
)

ETHNICITIES: tuple[Choice, ...] = tuple(
    Choice(f"{number:02d}", Text(zh=zh, en=en)) for number, (zh, en) in enumerate(_ETHNIC_GROUPS, start=1)
)

# Codes are words rather than the standard's digits so stored records and reports read on their own; each of
# the first eight is one GB/T 6565-2015 major group, in the standard's order (group number in the comment).
OCCUPATIONS: tuple[Choice, ...] = (
    Choice(  # 1
        "civil_servant",
        Text(
            zh="党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
            en="Head of a public body, organisation or enterprise",
        ),
    ),
    Choice("professional", Text(zh="专业技术人员", en="Professional or technical worker")),  # 2
    Choice("clerk", Text(zh="办事人员和有关人员", en="Clerical or related worker")),  # 3
    Choice("commerce_service", Text(zh="社会生产服务和生活服务人员", en="Commercial or service worker")),  # 4
    Choice(
        "agriculture",
        Text(zh="农、林、牧、渔业生产及辅助人员", en="Agriculture, forestry, animal husbandry or fishery worker"),
    ),  # 5
    Choice("production", Text(zh="生产制造及有关人员", en="Production or manufacturing worker")),  # 6
    Choice("military", Text(zh="军人", en="Member of the armed forces")),  # 7
    Choice("other", Text(zh="不便分类的其他从业人员", en="Other worker not elsewhere classified")),  # 8
    Choice("student", Text(zh="学生", en="Student")),
    Choice("retired", Text(zh="离退休人员", en="Retired")),
    Choice("unemployed", Text(zh="无业人员", en="Not employed")),
    Choice("freelancer", Text(zh="自由职业者", en="Freelancer")),
)

INCOME_BANDS: tuple[Choice, ...] = (
    Choice("lt_50k", Text(zh="5万元以下", en="Under CNY 50,000")),
    Choice("50k_100k", Text(zh="5万至10万元", en="CNY 50,000 to 100,000")),
    Choice("100k_300k", Text(zh="10万至30万元", en="CNY 100,000 to 300,000")),
    Choice("300k_1m", Text(zh="30万至100万元", en="CNY 300,000 to 1,000,000")),
    Choice("gt_1m", Text(zh="100万元以上", en="Over CNY 1,000,000")),
)

# Nationality names in Chinese come from pycountry's own zh_CN gettext catalogue (iso3166-1), which ships in
# its wheel. Where that catalogue is missing (a trimmed install), the short table below covers the countries
# a branch sees most, and any other country falls back to its English name.
_ZH_FALLBACK: dict[str, str] = {
    "CHN": "中国",
    "USA": "美国",
    "GBR": "英国",
    "JPN": "日本",
    "KOR": "韩国",
    "PRK": "朝鲜",
    "SGP": "新加坡",
    "MYS": "马来西亚",
    "THA": "泰国",
    "VNM": "越南",
    "PHL": "菲律宾",
    "IDN": "印度尼西亚",
    "IND": "印度",
    "PAK": "巴基斯坦",
    "RUS": "俄罗斯",
    "KAZ": "哈萨克斯坦",
    "MNG": "蒙古",
    "DEU": "德国",
    "FRA": "法国",
    "ITA": "意大利",
    "ESP": "西班牙",
    "NLD": "荷兰",
    "CHE": "瑞士",
    "CAN": "加拿大",
    "AUS": "澳大利亚",
    "NZL": "新西兰",
    "BRA": "巴西",
    "ZAF": "南非",
    "NGA": "尼日利亚",
    "EGY": "埃及",
    "ARE": "阿联酋",
    "SAU": "沙特阿拉伯",
}

# Names shown the way mainland forms and GB/T 2659 usage write them, whatever the ISO short name says.
_NAME_OVERRIDES: dict[str, tuple[str, str]] = {
    "HKG": ("中国香港", "Hong Kong, China"),
    "MAC": ("中国澳门", "Macao, China"),
    "TWN": ("中国台湾", "Taiwan, China"),
    "KOR": ("韩国", "South Korea"),
    "PRK": ("朝鲜", "North Korea"),
}


@cache
def nationalities() -> tuple[Choice, ...]:
    """Every ISO 3166-1 country as a Choice keyed by alpha-3: China first, then by English name."""
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    found: list[Choice] = []
    for country in pycountry.countries:
        code = str(country.alpha_3)
        name = str(country.name)
        if code in _NAME_OVERRIDES:
            zh, en = _NAME_OVERRIDES[code]
        else:
            en = str(getattr(country, "common_name", name))
            translated = catalogue.gettext(name)
            zh = translated if translated != name else _ZH_FALLBACK.get(code, en)
        found.append(Choice(code, Text(zh=zh, en=en)))
    found.sort(key=lambda c: (c.value != "CHN", c.label_text.en.casefold()))
    return tuple(found)


def _fixed(choices: tuple[Choice, ...]) -> Callable[[], tuple[Choice, ...]]:
    return lambda: choices


#: The lists a form file may name with `choices_from:`.
CHOICE_LISTS: Mapping[str, Callable[[], tuple[Choice, ...]]] = {
    "ethnicity": _fixed(ETHNICITIES),
    "nationality": nationalities,
    "occupation": _fixed(OCCUPATIONS),
    "income_band": _fixed(INCOME_BANDS),
}
