"""Whether two written names may be the same person's: a score in [0, 1] and the reasons, for Chinese and Latin.

What is recognised as the same name (each gives a reason code, see NameReason):
* simplified and traditional forms (OpenCC's t2s conversion, not a table of our own);
* spacing, case, tone marks or tone numbers in pinyin, the middle dot of ethnic and foreign names (· • ・ . or none);
* surname-first and given-first orders, including compound surnames (欧阳娜 = "NA OUYANG" = "Ou Yang Na"): Latin
  tokens are compared in every rotation, so no surname list is needed for the order;
* a Han name and its Latin form: pinyin with or without tones and spaces (pypinyin, every reading of each
  character, so 单 matches SHAN as well as DAN), the passport spelling LYU for lü, and Wade–Giles (pypinyin's
  WADEGILES style, compared without apostrophes and umlauts: "Chang Hsüeh-yu" = 张学友);
* homophones (a different character with a shared toneless reading: 王伟 / 王玮), look-alike characters (a short
  list below), near sounds that southern speakers merge (z/zh, c/ch, s/sh, n/l, f/h, en/eng, in/ing, an/ang),
  and one Latin letter wrong.

Not covered (no maintained library does it for names): Cantonese and other Hong Kong / Macau government
romanisations (陈 = CHAN, 欧阳 = AU YEUNG), Taiwanese Tongyong pinyin, and the Latin forms of Uyghur or Tibetan
names (阿依古丽 = AYGUL): those are compared only through the pinyin of their Han form.

A score of 1.0 means "the same name written another way"; the duplicate rules (duplicate_evidence.py) decide
what a score is worth together with the birth date and the documents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from types import ModuleType

import opencc
from rapidfuzz.distance import Levenshtein

from desktop_app.domain.han import is_han
from desktop_app.domain.text import Text


@cache
def _pypinyin() -> ModuleType:
    """pypinyin, loaded on first use: importing it reads its phrase dictionary (0.3 s), which every start of the
    client paid before (issue 13's cold-start target)."""
    import pypinyin
    import pypinyin.pinyin_dict
    import pypinyin.style

    return pypinyin


class NameReason(StrEnum):
    """Why two names were taken for the same (or a similar) name; stable codes, labels in REASON_TEXT."""

    IDENTICAL = "identical"
    TRADITIONAL_FORM = "traditional_form"
    SPACING_OR_CASE = "spacing_or_case"
    TONE_MARKS = "tone_marks"
    MIDDLE_DOT = "middle_dot"
    ORDER_SWAPPED = "order_swapped"
    PINYIN_OF_HAN = "pinyin_of_han"
    WADE_GILES = "wade_giles"
    HOMOPHONE = "homophone"
    LOOK_ALIKE = "look_alike"
    SIMILAR_SOUND = "similar_sound"
    SPELLING_CLOSE = "spelling_close"
    CHARACTER_MISSING = "character_missing"
    # A Latin name with its accents or special letters written otherwise (MÜLLER, MULLER, MUELLER; ØRSTED, ORSTED,
    # OERSTED), and a Latin name with one of its parts (of three or more) missing or extra.
    LATIN_LETTERS = "latin_letters"
    PART_MISSING = "part_missing"
    DIFFERENT = "different"


REASON_TEXT: dict[NameReason, Text] = {
    NameReason.IDENTICAL: Text(en="same name", zh="姓名相同"),
    NameReason.TRADITIONAL_FORM: Text(en="same name in traditional characters", zh="繁体字形式相同"),
    NameReason.SPACING_OR_CASE: Text(en="same name, spacing or letter case differs", zh="姓名相同，仅空格或大小写不同"),
    NameReason.TONE_MARKS: Text(en="same pinyin, tone marks differ", zh="拼音相同，仅声调标注不同"),
    NameReason.MIDDLE_DOT: Text(en="same name, the middle dot differs", zh="姓名相同，仅间隔号不同"),
    NameReason.ORDER_SWAPPED: Text(en="surname and given name in the other order", zh="姓与名顺序颠倒"),
    NameReason.PINYIN_OF_HAN: Text(en="the Latin name is the pinyin of the Chinese name", zh="拼音与中文姓名一致"),
    NameReason.WADE_GILES: Text(en="same name in Wade–Giles spelling", zh="威妥玛拼音拼写相同"),
    NameReason.HOMOPHONE: Text(en="same pinyin, a character differs", zh="拼音相同，有字不同（同音字）"),
    NameReason.LOOK_ALIKE: Text(en="a look-alike character differs", zh="有形近字不同"),
    NameReason.SIMILAR_SOUND: Text(en="a similar-sounding character differs", zh="有近音字不同"),
    NameReason.SPELLING_CLOSE: Text(en="spelling differs by one letter", zh="拼写相差一个字母"),
    NameReason.CHARACTER_MISSING: Text(en="one character missing or extra", zh="多一个字或少一个字"),
    NameReason.LATIN_LETTERS: Text(
        en="same name, accents or special letters written otherwise", zh="姓名相同，仅重音符号或特殊字母写法不同"
    ),
    NameReason.PART_MISSING: Text(en="one part of the name missing or extra", zh="姓名多一部分或少一部分"),
    NameReason.DIFFERENT: Text(en="names differ", zh="姓名不同"),
}


@dataclass(frozen=True)
class NameMatch:
    """How alike two names are: 1.0 the same name written another way, 0.0 nothing in common."""

    score: float
    reasons: tuple[NameReason, ...]


@dataclass(frozen=True)
class PersonName:
    """A name as a record holds it: the name field (Han or Latin) and its Latin form (name_pinyin), either empty."""

    name: str
    latin: str = ""


# Pairs of characters often misread or miskeyed for each other in names. Written here because no maintained
# library lists visually similar characters; kept to pairs seen in names, both orders are looked up.
_LOOK_ALIKE_PAIRS = (
    "王玉 己已 已巳 己巳 未末 士土 日曰 戊戌 戌戍 戊戍 侯候 彬杉 晴睛 折拆 免兔 祟崇 治冶 徽微 壁璧 辩辨 "
    "汩汨 赢嬴 栗粟 祗祇 茶荼 刺剌 夭天 干千 人入 大太 太犬 田由 由甲 甲申 申电 子孑 贝见 鸟乌 "
    "历厉 洁沽 娟涓 绢娟 琪淇 淇祺 琪祺 瑛锳 莹萤 琳淋 林淋 桦烨 婷停 芳芬 玲铃 敏敬 静靖 本木"
)
_LOOK_ALIKE: frozenset[tuple[str, str]] = frozenset(
    pair for a, b in (tuple(p) for p in _LOOK_ALIKE_PAIRS.split()) for pair in ((a, b), (b, a))
)

# The middle dot of ethnic and foreign names, and what is typed for it.
_DOTS = "·•・‧∙⋅.．"
_DOT_RE = re.compile(f"[{re.escape(_DOTS)}]")
_LATIN_SPLIT = re.compile(r"[\s,，'’`\-‐_/]+")

_TO_SIMPLIFIED = opencc.OpenCC("t2s")

# Scores: what one kind of difference leaves of a perfect match (per name, or per character for Han).
_PENALTY = {NameReason.HOMOPHONE: 0.3, NameReason.LOOK_ALIKE: 0.35, NameReason.SIMILAR_SOUND: 0.45}
_SAME_WRITTEN_OTHERWISE = {
    NameReason.IDENTICAL: 1.0,
    NameReason.TRADITIONAL_FORM: 1.0,
    NameReason.SPACING_OR_CASE: 1.0,
    NameReason.TONE_MARKS: 1.0,
    NameReason.MIDDLE_DOT: 0.99,
    NameReason.PINYIN_OF_HAN: 0.97,
    NameReason.WADE_GILES: 0.95,
    NameReason.LATIN_LETTERS: 0.95,
}
_ORDER_COST = 0.02
# One Latin letter off: below a homophone, since a letter often changes the syllable (WEI / WEN).
_SPELLING_CLOSE = 0.8


def match_names(left: PersonName, right: PersonName) -> NameMatch:
    """The best reading of `left` against `right`: Han against Han, Han against the other's Latin form, Latin
    against Latin; the score of the best comparison and its reasons."""
    # Two Han names are compared as written: their Latin forms are only their pinyin, which would make 王伟 and
    # 王玮 (WANG WEI both) identical instead of homophones. The Latin forms count when a name is not Han.
    if _parse(left.name).han and _parse(right.name).han:
        return match_texts(left.name, right.name)
    results = []
    for a in (left.name, left.latin):
        for b in (right.name, right.latin):
            if a.strip() and b.strip():
                results.append(match_texts(a, b))
    if not results:
        return NameMatch(0.0, (NameReason.DIFFERENT,))
    return max(results, key=lambda m: m.score)


@lru_cache(maxsize=65536)
def match_texts(a: str, b: str) -> NameMatch:
    """Two single written names (each Han or Latin) compared; see the module docstring for what is recognised."""
    pa, pb = _parse(a), _parse(b)
    if pa.han and pb.han:
        return _han_han(pa, pb)
    if pa.han and pb.latin:
        return _han_latin(pa, pb)
    if pb.han and pa.latin:
        return _han_latin(pb, pa)
    if pa.latin and pb.latin:
        return _latin_latin(pa, pb)
    return NameMatch(0.0, (NameReason.DIFFERENT,))


@lru_cache(maxsize=65536)
def blocking_syllables(text: str) -> tuple[tuple[frozenset[str], ...], ...]:
    """Per character (Han) or syllable (Latin), the sounds a matching name could share, for a blocking index
    (the watchlist's): toneless readings with the near sounds merged (_fuzzy), a look-alike character's readings,
    pinyin for a Wade–Giles spelling; an unknown Latin token stands for itself. One tuple per way of cutting the
    Latin letters into syllables (SHILINA: SHI LI NA and SHI LIN A), at most four; one for a Han name. Two names
    match_texts takes for the same name (bar a look-alike outside the list or a misspelt letter) share a sound at
    each position of one of the ways."""
    parsed = _parse(text)
    if parsed.han:
        return (
            tuple(frozenset(_fuzzy(r) for c in (ch, *_look_alikes(ch)) for r in _readings(c)) for ch in parsed.han),
        )
    # Wade–Giles aspiration marks belong to the syllable (ts'ao is one), not between two.
    parsed = _parse(re.sub(r"['’`]", "", text))
    known = _pinyin_syllables()
    ways: list[list[frozenset[str]]] = [[]]
    for token in parsed.latin:
        sounds = {token} if token.lower() in known else set()
        sounds |= {s.upper() for s in _from_wade_giles().get(token.replace("V", "U"), ())}
        if sounds:
            options = [[frozenset(_fuzzy(s) for s in sounds)]]
        else:
            splits = [cut for cut in _pinyin_cuts(token.lower()) if len(cut) > 1][:4]
            options = [[frozenset({_fuzzy(s)}) for s in cut] for cut in splits] or [
                [frozenset({token, latin_fold(token)})]
            ]
        ways = [way + option for way in ways for option in options][:4]
    return tuple(tuple(way) for way in ways if way)


# Syllables pypinyin knows only from interjections (嗯 ng, 呣 m): never a syllable of a name.
_INTERJECTIONS = frozenset({"n", "ng", "m", "hm", "hng"})


@cache
def _pinyin_cuts(compact: str) -> tuple[tuple[str, ...], ...]:
    """Every way (at most eight) of cutting `compact` into toneless pinyin syllables."""
    known = _pinyin_syllables()

    @cache
    def rest(pos: int) -> tuple[tuple[str, ...], ...]:
        if pos == len(compact):
            return ((),)
        found: list[tuple[str, ...]] = []
        for end in range(min(len(compact), pos + 6), pos, -1):
            piece = compact[pos:end]
            if piece in known and piece not in _INTERJECTIONS:
                found.extend((piece, *tail) for tail in rest(end))
        return tuple(found[:8])

    return rest(0)


@cache
def _look_alikes(char: str) -> tuple[str, ...]:
    return tuple(b for a, b in _LOOK_ALIKE if a == char)


@cache
def _from_wade_giles() -> dict[str, frozenset[str]]:
    """Toneless pinyin syllables by their Wade–Giles spelling (as _wade_giles writes it)."""
    found: dict[str, set[str]] = {}
    for syllable in _pinyin_syllables():
        found.setdefault(_wade_giles(syllable), set()).add(syllable)
    return {k: frozenset(v) for k, v in found.items()}


# --- parsing ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    raw: str
    han: str  # simplified Han characters, without dots or spaces ("" for a Latin name)
    han_parts: tuple[str, ...]  # the Han name split at its middle dots
    traditional: bool  # the simplified form differs from what was written
    dotted: bool  # written with a middle dot
    latin: tuple[str, ...]  # upper-case ASCII tokens of a Latin name
    toned: bool  # the Latin name carried tone marks or tone numbers


@lru_cache(maxsize=65536)
def _parse(text: str) -> _Parsed:
    clean = unicodedata.normalize("NFKC", text).strip()
    if any(is_han(ch) for ch in clean):
        dotted = bool(_DOT_RE.search(clean))
        parts = tuple(p for p in (re.sub(r"\s+", "", part) for part in _DOT_RE.split(clean)) if p)
        joined = "".join(parts)
        simplified = _TO_SIMPLIFIED.convert(joined)
        simple_parts = tuple(_TO_SIMPLIFIED.convert(p) for p in parts)
        return _Parsed(clean, simplified, simple_parts, simplified != joined, dotted, (), False)
    # A diaeresis is ü, a letter of pinyin and Wade–Giles, not a tone mark.
    marks = [c for c in unicodedata.normalize("NFD", clean) if unicodedata.combining(c) and c != "\u0308"]
    toned = bool(re.search(r"[1-5]", clean)) or bool(marks)
    letters = _ascii_latin(clean)
    tokens = tuple(t for t in _LATIN_SPLIT.split(_DOT_RE.sub(" ", letters)) if t)
    return _Parsed(clean, "", (), False, False, tokens, toned)


# Latin letters that Unicode does not decompose into a base letter and a mark, as passports write them in the
# machine-readable zone (ICAO 9303 part 3's transliteration). A short table of the letters of European names:
# unidecode would do it too, but would also turn every Han character into pinyin, which _parse must not see.
_SPECIAL_LETTERS = str.maketrans(
    {"Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ß": "ss", "ẞ": "SS", "Ł": "L", "ł": "l",
     "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th", "ı": "i", "Ħ": "H", "ħ": "h"}
)  # fmt: skip


def _ascii_latin(text: str) -> str:
    """Upper-case ASCII letters and separators: ü/ǖ become V (pinyin's own spelling), other marks dropped, the
    letters that have no mark to drop (Ø, Æ, ß...) written as ICAO writes them."""
    out = []
    for ch in unicodedata.normalize("NFD", text.translate(_SPECIAL_LETTERS).replace("ü", "v").replace("Ü", "V")):
        if unicodedata.combining(ch) or ch.isdigit():
            continue
        out.append(ch)
    return "".join(out).upper()


def latin_letters(text: str) -> str:
    """`text` with the Latin letters that have no mark to drop (Ø, Æ, ß...) written as ICAO writes them."""
    return text.translate(_SPECIAL_LETTERS)


def latin_fold(token: str) -> str:
    """A Latin token with the spellings of one letter made one: V and U (ü, written V for pinyin, is U in German
    and in an MRZ), and the German and Nordic two-letter spellings UE, OE, AE, AA of ü, ö/ø, ä/æ, å. Applied to both
    names compared, so it only ever joins spellings, never tells names apart; a token that is pinyin is left as it
    is."""
    if _split_pinyin(token.lower()) is not None:
        return token  # pinyin keeps its letters: XUE and XU, LV and LU are other syllables
    return token.replace("V", "U").replace("UE", "U").replace("OE", "O").replace("AE", "A").replace("AA", "A")


# --- syllables -----------------------------------------------------------------------------------------------


@cache
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (ü written v)."""
    found: set[str] = set()
    for readings in _pypinyin().pinyin_dict.pinyin_dict.values():
        for reading in readings.split(","):
            found.add(_toneless(reading))
    return frozenset(s for s in found if s.isalpha())


def _toneless(reading: str) -> str:
    return _ascii_latin(reading).lower()


@cache
def _wade_giles(syllable: str) -> str:
    """The Wade–Giles spelling of a toneless pinyin syllable as it is typed on documents: no apostrophes, no
    umlauts, upper case (so ch'ang and chang compare equal, as they do in most passports of the time)."""
    converted = _pypinyin().style.convert(syllable.replace("v", "ü"), _pypinyin().Style.WADEGILES, strict=False)
    return re.sub(r"[^a-z]", "", converted.replace("ü", "u").replace("v", "u")).upper()


@cache
def _readings(char: str) -> frozenset[str]:
    """Toneless readings of one Han character, upper case (ü as V, plus the passport's YU and a bare U)."""
    found = {_toneless(r).upper() for r in _pypinyin().pinyin(char, style=_pypinyin().Style.TONE3, heteronym=True)[0]}
    extra = set()
    for r in found:
        if "V" in r:
            extra.add(r.replace("V", "YU"))
            extra.add(r.replace("V", "U"))
    return frozenset(r for r in found | extra if r.isalpha())


@cache
def _wade_giles_readings(char: str) -> frozenset[str]:
    """The Wade–Giles spellings of one Han character's readings (see _wade_giles)."""
    return frozenset(
        _wade_giles(_toneless(r)) for r in _pypinyin().pinyin(char, style=_pypinyin().Style.TONE3, heteronym=True)[0]
    )


@cache
def _fuzzy(syllable: str) -> str:
    """A syllable with the distinctions southern speakers often merge taken out (zh=z, l=n, ing=in...)."""
    s = syllable.upper()
    for a, b in (("ZH", "Z"), ("CH", "C"), ("SH", "S")):
        if s.startswith(a):
            s = b + s[len(a) :]
    if s.startswith("L"):
        s = "N" + s[1:]
    if s.startswith("F"):
        s = "H" + s[1:]
    for a, b in (("ENG", "EN"), ("ING", "IN"), ("ANG", "AN")):
        if s.endswith(a):
            s = s[: -len(a)] + b
    return s


# --- Han against Han ------------------------------------------------------------------------------------------


def _han_han(a: _Parsed, b: _Parsed) -> NameMatch:
    if a.han == b.han:
        reasons: list[NameReason] = []
        if a.traditional != b.traditional or (a.traditional and a.raw != b.raw):
            reasons.append(NameReason.TRADITIONAL_FORM)
        if a.dotted != b.dotted or (a.raw != b.raw and not reasons):
            reasons.append(NameReason.MIDDLE_DOT if (a.dotted or b.dotted) else NameReason.SPACING_OR_CASE)
        return _written_otherwise(reasons or [NameReason.IDENTICAL])
    if len(a.han_parts) > 1 and sorted(a.han_parts) == sorted(b.han_parts):
        return NameMatch(1.0 - _ORDER_COST, (NameReason.ORDER_SWAPPED,))
    if len(a.han) == len(b.han):
        return _per_character(a.han, b.han)
    return _one_missing(a.han, b.han)


def _written_otherwise(reasons: Sequence[NameReason]) -> NameMatch:
    return NameMatch(min(_SAME_WRITTEN_OTHERWISE.get(r, 1.0) for r in reasons), tuple(reasons))


def _char_difference(x: str, y: str) -> NameReason:
    if _readings(x) & _readings(y):
        return NameReason.HOMOPHONE
    if (x, y) in _LOOK_ALIKE:
        return NameReason.LOOK_ALIKE
    if {_fuzzy(r) for r in _readings(x)} & {_fuzzy(r) for r in _readings(y)}:
        return NameReason.SIMILAR_SOUND
    return NameReason.DIFFERENT


def _per_character(a: str, b: str) -> NameMatch:
    kinds = [_char_difference(x, y) for x, y in zip(a, b, strict=True) if x != y]
    penalty = sum(_PENALTY.get(kind, 1.0) for kind in kinds)
    score = max(0.0, 1.0 - penalty / len(a))
    return NameMatch(round(score, 3), tuple(dict.fromkeys(kinds)))


def _one_missing(a: str, b: str) -> NameMatch:
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(longer) - len(shorter) == 1 and Levenshtein.distance(longer, shorter) == 1:
        return NameMatch(round(max(0.0, 1.0 - 1.2 / len(longer)), 3), (NameReason.CHARACTER_MISSING,))
    similarity = Levenshtein.normalized_similarity(longer, shorter)
    return NameMatch(round(0.6 * similarity, 3), (NameReason.DIFFERENT,))


# --- Han against Latin ----------------------------------------------------------------------------------------


def _rotations(tokens: tuple[str, ...]) -> Iterable[tuple[int, str]]:
    """(rotation, compact string) for each rotation of the tokens: surname-first and given-first orders."""
    for i in range(len(tokens)):
        yield i, "".join(tokens[i:] + tokens[:i])


def _han_latin(han: _Parsed, latin: _Parsed) -> NameMatch:
    chars = han.han
    options_py = [_readings(c) for c in chars]
    options_wg = [_wade_giles_readings(c) for c in chars]
    best: NameMatch | None = None
    for rotation, compact in _rotations(latin.latin):
        for options, reason in ((options_py, NameReason.PINYIN_OF_HAN), (options_wg, NameReason.WADE_GILES)):
            # Wade–Giles is compared without umlauts (hsüeh = HSUEH); pinyin keeps ü as V.
            written = compact.replace("V", "U") if reason is NameReason.WADE_GILES else compact
            if _segments_as(written, options):
                reasons = [reason]
                if rotation:
                    reasons.append(NameReason.ORDER_SWAPPED)
                if latin.toned:
                    reasons.append(NameReason.TONE_MARKS)
                score = _SAME_WRITTEN_OTHERWISE[reason] - (_ORDER_COST if rotation else 0.0)
                found = NameMatch(score, tuple(reasons))
                if best is None or found.score > best.score:
                    best = found
    if best is not None:
        return best
    # Not an exact reading: the closest spelling of the usual reading, one letter off at most.
    usual = _usual_reading(chars)
    distance = min(Levenshtein.distance(compact, usual) for _, compact in _rotations(latin.latin))
    if distance == 1 and len(usual) >= 4:
        return NameMatch(_SPELLING_CLOSE, (NameReason.SPELLING_CLOSE,))
    similarity = max(Levenshtein.normalized_similarity(compact, usual) for _, compact in _rotations(latin.latin))
    return NameMatch(round(0.6 * similarity, 3), (NameReason.DIFFERENT,))


@lru_cache(maxsize=65536)
def _usual_reading(chars: str) -> str:
    """The most common toneless reading of a Han name, compact and upper case."""
    return "".join(_toneless(p[0]).upper() for p in _pypinyin().pinyin(chars, style=_pypinyin().Style.NORMAL))


def _segments_as(compact: str, options: Sequence[frozenset[str]]) -> bool:
    """True when `compact` splits, in order, into one of each character's readings."""
    positions = {0}  # where the next character's reading may start
    for readings in options:
        positions = {p + len(r) for p in positions for r in readings if compact.startswith(r, p)}
        if not positions:
            return False
    return len(compact) in positions


# --- Latin against Latin --------------------------------------------------------------------------------------


@cache
def _as_wade_giles(compact: str) -> str | None:
    """A compact pinyin spelling rewritten in Wade–Giles, or None when it does not split into pinyin syllables."""
    syllables = _split_pinyin(compact.lower())
    if syllables is None:
        return None
    return "".join(_wade_giles(s) for s in syllables)


def _split_pinyin(compact: str) -> tuple[str, ...] | None:
    known = _pinyin_syllables()

    @cache
    def rest(pos: int) -> tuple[str, ...] | None:
        if pos == len(compact):
            return ()
        for end in range(min(len(compact), pos + 6), pos, -1):
            piece = compact[pos:end]
            if piece in known:
                tail = rest(end)
                if tail is not None:
                    return (piece, *tail)
        return None

    return rest(0)


def _latin_latin(a: _Parsed, b: _Parsed) -> NameMatch:
    found = _latin_tokens_match(a.latin, b.latin)
    plain = _latin_latin_compact(a, b)
    return found if found is not None and found.score > plain.score else plain


def _latin_tokens_match(a: tuple[str, ...], b: tuple[str, ...]) -> NameMatch | None:
    """The name's parts compared as a set, each folded (latin_fold): the same parts in any order (a passport's
    surname first, a form's given name first), written with other accents or special letters; or, in a name of
    three parts or more, one part missing or extra (a second surname left off). None when neither holds."""
    folded_a, folded_b = [latin_fold(t) for t in a], [latin_fold(t) for t in b]
    fa, fb = sorted(folded_a), sorted(folded_b)
    letters = [NameReason.LATIN_LETTERS] if sorted(a) != sorted(b) else []
    if fa == fb:
        if "".join(a) == "".join(b):
            return None  # the compact comparison says it (identical, spacing or case)
        order = [] if folded_a == folded_b else [NameReason.ORDER_SWAPPED]
        score = (_SAME_WRITTEN_OTHERWISE[NameReason.LATIN_LETTERS] if letters else 1.0) - (
            _ORDER_COST if order else 0.0
        )
        return NameMatch(score, tuple(letters + order) or (NameReason.SPACING_OR_CASE,))
    shorter, longer = (fa, fb) if len(fa) < len(fb) else (fb, fa)
    if len(shorter) >= 3 and len(longer) == len(shorter) + 1:
        rest = list(longer)
        for token in shorter:
            if token not in rest:
                return None
            rest.remove(token)
        return NameMatch(_SPELLING_CLOSE, (NameReason.PART_MISSING, *letters))
    return None


def _latin_latin_compact(a: _Parsed, b: _Parsed) -> NameMatch:
    target = "".join(b.latin)
    # Marks on pinyin are tones; on another name (José, Þórsson) they are its accents.
    accent = NameReason.TONE_MARKS if _split_pinyin(target.lower()) is not None else NameReason.LATIN_LETTERS
    marks = [accent] if a.toned != b.toned else []
    best: NameMatch | None = None
    for rotation, compact in _rotations(a.latin):
        order = [NameReason.ORDER_SWAPPED] if rotation else []
        cost = _ORDER_COST if rotation else 0.0
        if compact == target:
            if not rotation and a.latin == b.latin and not marks:
                found = NameMatch(1.0, (NameReason.IDENTICAL,) if a.raw == b.raw else (NameReason.SPACING_OR_CASE,))
            else:
                found = NameMatch(1.0 - cost, tuple(marks + order or [NameReason.SPACING_OR_CASE]))
        elif _as_wade_giles(compact) == target.replace("V", "U") or compact.replace("V", "U") == _as_wade_giles(target):
            found = NameMatch(_SAME_WRITTEN_OTHERWISE[NameReason.WADE_GILES] - cost, (NameReason.WADE_GILES, *order))
        elif Levenshtein.distance(compact, target) == 1 and len(target) >= 5:
            found = NameMatch(_SPELLING_CLOSE - cost, (NameReason.SPELLING_CLOSE, *order))
        else:
            found = NameMatch(
                round(0.6 * Levenshtein.normalized_similarity(compact, target), 3), (NameReason.DIFFERENT,)
            )
        if best is None or found.score > best.score:
            best = found
    assert best is not None
    return best
