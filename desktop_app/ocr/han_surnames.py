"""Common Chinese surnames: what a resident card's name starts with, nearly always.

The single-character surnames are the two hundred or so most frequent in the Ministry of Public Security's yearly
name reports (the first hundred hold some 85% of the population, these some 95%); the compound ones the best
known. Written out here because no maintained Python package holds such a list (python-stdnum has the division
codes, not names).

A name whose first character is none of these is not wrong for that (rare surnames exist), but where the reader
misread a surname it read it as some other character (卢 as 卜, 吕 as 目, 王 as 土): that character is then read
again alone, held to this list, and offered for checking.
"""

from __future__ import annotations

SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟"
    "姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔"
    "赖文施洪辛柯庄樊牛殷温葛邢安齐伍聂章鲁岳申颜季毕俞苗涂尚左甘牟盛饶童耿倪关蒲焦柳庞祝包单华舒阮卓詹凌翟"
    "戚管宁骆纪霍蒙梅裴鲍邬解符房褚苟滕麦萧杭应司宗邝吉储查卞全栾柏冉靳艾谷车屈景匡项时虞郁巫游丛蔺迟连喻米"
    "池芦窦阎郎柴宫鞠娄雍尤晏桂练阳兰柏"
)
COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒",
    "夏侯", "端木", "西门", "独孤", "南宫",
)  # fmt: skip


def starts_with_surname(name: str) -> bool:
    """Whether `name` starts with a common surname (a compound one included)."""
    return name[:1] in SINGLE_SURNAMES or name.startswith(COMPOUND_SURNAMES)
